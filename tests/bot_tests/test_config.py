from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Secret, config_path, load_settings
from conftest import ROOT


def test_database_url_comes_from_the_environment_when_set() -> None:
    settings = load_settings(ROOT / "config.yml", environ={"STIFINDER_DATABASE_URL": "sqlite+aiosqlite:////tmp/x.db"})
    assert settings.database_url == "sqlite+aiosqlite:////tmp/x.db"


def test_relative_sqlite_path_is_relative_to_the_config_file() -> None:
    settings = load_settings(ROOT / "config.yml", environ={})
    assert settings.database_url == f"sqlite+aiosqlite:///{ROOT}/var/stifinder.db"


def test_config_file_comes_from_the_environment(tmp_path: Path) -> None:
    assert config_path({"STIFINDER_CONFIG": str(tmp_path / "c.yml")}) == tmp_path / "c.yml"


def test_routing_rule_from_config() -> None:
    routing = load_settings(ROOT / "config.yml", environ={}).municipality.routing
    assert routing.office_for(adult=True, pension=None) == "visitationen"
    assert routing.office_for(adult=False, pension=True) == "visitationen"
    assert routing.office_for(adult=False, pension=False) == "ungecenter"
    assert routing.office_for(adult=False, pension=None) is None
    assert routing.office_for(adult=None, pension=None) is None


def test_a_missing_key_is_named_without_its_value(tmp_path: Path) -> None:
    text = (ROOT / "config.yml").read_text(encoding="utf-8").replace('      phone: "9945 4705"\n', "")
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"municipality.offices.ungecenter.phone' is missing"):
        load_settings(path, environ={})


def test_a_missing_file_says_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="STIFINDER_CONFIG"):
        load_settings(tmp_path / "nope.yml", environ={})


def test_routing_must_name_configured_offices(tmp_path: Path) -> None:
    text = (ROOT / "config.yml").read_text(encoding="utf-8").replace("young_office: ungecenter", "young_office: nowhere")
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="young_office"):
        load_settings(path, environ={})


def test_secrets_never_show_in_repr() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in repr(secret) and "hunter2" not in str(secret) and secret.reveal() == "hunter2"


@pytest.mark.parametrize("given, expected", [
    ("sqlite:////tmp/x.db", "sqlite+aiosqlite:////tmp/x.db"),
    ("sqlite://", "sqlite+aiosqlite://"),
    ("postgresql://stifinder@127.0.0.1/stifinder", "postgresql+asyncpg://stifinder@127.0.0.1/stifinder"),
    ("postgres://stifinder:pw@db:5433/stifinder", "postgresql+asyncpg://stifinder:pw@db:5433/stifinder"),
    ("postgresql+asyncpg://s@h/d", "postgresql+asyncpg://s@h/d"),
])
def test_an_ordinary_database_url_is_mapped_to_the_async_driver(given: str, expected: str) -> None:
    assert load_settings(ROOT / "config.yml", environ={"STIFINDER_DATABASE_URL": given}).database_url == expected


def test_a_relative_ordinary_sqlite_url_is_relative_to_the_config_file() -> None:
    settings = load_settings(ROOT / "config.yml", environ={"STIFINDER_DATABASE_URL": "sqlite:///var/x.db"})
    assert settings.database_url == f"sqlite+aiosqlite:///{ROOT / 'var' / 'x.db'}"


@pytest.mark.parametrize("given", ["mysql://root:hemmelig@db/x", "postgresql+psycopg2://u:hemmelig@h/d",
                                   "var/stifinder.db", "hemmelig"])
def test_a_database_url_that_cannot_work_names_the_accepted_forms_and_never_the_url(given: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(ROOT / "config.yml", environ={"STIFINDER_DATABASE_URL": given})
    message = str(raised.value)
    assert "Accepted: sqlite:///var/stifinder.db" in message and "postgresql://user" in message
    assert "hemmelig" not in message


def test_the_config_file_is_read_once_and_every_feature_reads_its_section_from_it(tmp_path: Path) -> None:
    from bot.cli.caseworkers import load_caseworker_settings
    from bot.provider_settings import load_provider_settings
    from bot.reminders_config import load_reminders_config
    from bot.telegram.config import load_telegram_settings

    path = tmp_path / "config.yml"
    path.write_text((ROOT / "config.yml").read_text(encoding="utf-8") + "\ncaseworkers:\n  invite_ttl_hours: 5\n",
                    encoding="utf-8")
    settings = load_settings(path, environ={})
    path.unlink()  # nothing reads the file again
    assert load_reminders_config(settings).policy.at.hour == 8
    assert load_telegram_settings(settings, environ={}).mode == "polling"
    assert load_provider_settings(settings)[0].max_results >= 1
    assert load_caseworker_settings(settings, environ={}).invite_ttl.total_seconds() == 5 * 3600


@pytest.mark.parametrize("section, message", [
    ({"invite_ttl_hours": 0}, "'caseworkers.invite_ttl_hours' must be a number above 0 and at most 2160"),
    ({"invite_ttl_hours": True}, "'caseworkers.invite_ttl_hours' must be a number above 0 and at most 2160"),
    ("ja", "'caseworkers' must be a mapping"),
])
def test_a_malformed_optional_key_is_named_never_its_value(tmp_path: Path, section: object, message: str) -> None:
    import yaml

    from bot.cli.caseworkers import load_caseworker_settings

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["caseworkers"] = section
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_caseworker_settings(load_settings(path, environ={}), environ={})
    assert message in str(raised.value)
