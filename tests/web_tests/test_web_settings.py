"""The `web:` section of config.yml: every key optional, and errors that name the key, never its value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import ConfigError, load_settings
from bot.web.config import WebSettings, load_web_settings
from conftest import ROOT


def web_settings(tmp_path: Path, web: Any) -> WebSettings:
    document = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    document["web"] = web
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return load_web_settings(load_settings(path, environ={}))


def test_the_shipped_section_and_the_defaults(tmp_path: Path) -> None:
    shipped = load_web_settings(load_settings(ROOT / "config.yml", environ={}))
    assert shipped.away_seconds == 30 and shipped.heartbeat_seconds == 15 and shipped.allowed_origins == ()
    assert web_settings(tmp_path, {}) == WebSettings()


def test_origins_lose_a_trailing_slash(tmp_path: Path) -> None:
    assert web_settings(tmp_path, {"allowed_origins": ["https://www.bronderslev.dk/"]}).allowed_origins == (
        "https://www.bronderslev.dk",)


@pytest.mark.parametrize("web, key", [
    ({"away_seconds": 0}, "away_seconds"),
    ({"away_seconds": "half a minute"}, "away_seconds"),
    ({"port": 70000}, "port"),
    ({"allowed_origins": ["www.bronderslev.dk"]}, "allowed_origins"),
])
def test_a_wrong_value_is_named(tmp_path: Path, web: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError, match=f"web.{key}"):
        web_settings(tmp_path, web)
