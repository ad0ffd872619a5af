"""`stifinder check` warnings: what needs a person's attention without failing the check."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.cli.check import check_warnings
from bot.config import ConfigError, Settings, load_settings
from conftest import ROOT
from fakes.cli import Cli

TODAY = date(2026, 12, 3)


def test_an_unverified_number_is_listed_with_what_citizens_get_instead(settings: Settings) -> None:
    [warning] = [w for w in check_warnings(settings, TODAY) if "offices.general" in w]
    assert "9945 4545" in warning and "unverified" in warning and "9945 4421" in warning


def test_a_standard_older_than_two_years_is_flagged(settings: Settings) -> None:
    [warning] = [w for w in check_warnings(settings, TODAY) if w.startswith("knowledge:")]
    assert "2023-12-06" in warning and "2025-12-06" in warning and "every second year" in warning


@pytest.mark.parametrize("today, flagged", [(date(2025, 12, 6), False), (date(2025, 12, 7), True)])
def test_the_revision_date_is_two_years_after_the_approval(settings: Settings, today: date, flagged: bool) -> None:
    assert any(w.startswith("knowledge:") for w in check_warnings(settings, today)) == flagged


def test_a_verified_configuration_has_no_office_warning(settings: Settings) -> None:
    municipality = settings.municipality
    general = replace(municipality.office("general"), verified=True)
    verified = replace(settings, municipality=replace(municipality, offices={**municipality.offices, "general": general}))
    assert not [w for w in check_warnings(verified, date(2024, 1, 1))]


def test_check_warns_but_does_not_fail() -> None:
    result = Cli("sqlite+aiosqlite://")("check")
    assert result.returncode == 0, result.stderr
    assert "content ok" in result.stdout and "warning" in result.stdout
    assert "stifinder check: warning: config municipality.offices.general" in result.stderr


def test_verified_defaults_to_true_and_must_be_a_boolean(tmp_path: Path) -> None:
    settings = load_settings(ROOT / "config.yml", environ={})
    assert settings.municipality.office("visitationen").verified
    assert not settings.municipality.office("general").verified
    text = (ROOT / "config.yml").read_text(encoding="utf-8").replace("verified: false", 'verified: "nej"')
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="offices.general.verified' must be true or false"):
        load_settings(path, environ={})


def test_the_routing_offices_must_be_verified(tmp_path: Path) -> None:
    """The routing rule is what citizens are told, and what an unverified number falls back to."""
    text = (ROOT / "config.yml").read_text(encoding="utf-8").replace(
        '      phone: "9945 4705"\n', '      phone: "9945 4705"\n      verified: false\n')
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="young_office names an office marked verified: false"):
        load_settings(path, environ={})


def test_the_standards_approval_date_is_required_and_a_date(tmp_path: Path) -> None:
    text = (ROOT / "config.yml").read_text(encoding="utf-8").replace("standard_approved: 2023-12-06",
                                                                     'standard_approved: "december 2023"')
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="standard_approved' must be a date"):
        load_settings(path, environ={})
