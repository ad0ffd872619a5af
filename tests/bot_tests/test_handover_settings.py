"""The `handover:` section of config.yml: read once into typed hours, with errors that name the key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.config import ConfigError, load_settings
from bot.handover_settings import load_handover_settings
from conftest import ROOT


def settings_with(tmp_path: Path, handover: object) -> Path:
    document = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    document.pop("handover", None)
    if handover is not None:
        document["handover"] = handover
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_config_has_weekday_hours_and_closed_days() -> None:
    handover = load_handover_settings(load_settings(ROOT / "config.yml", environ={}))
    assert handover is not None
    assert set(handover.hours.weekly) == {0, 1, 2, 3, 4}  # nobody at the weekend
    assert date(2026, 12, 24) in handover.hours.closed
    assert str(handover.hours.tz) == "Europe/Copenhagen"


def test_without_the_section_there_are_no_hours(tmp_path: Path) -> None:
    assert load_handover_settings(load_settings(settings_with(tmp_path, None), environ={})) is None


def test_several_intervals_a_day_as_a_list_or_a_string(tmp_path: Path) -> None:
    path = settings_with(tmp_path, {"hours": {"mon": ["09:00-12:00", "13:00-15:00"], "sat": "10:00-12:00"}})
    hours = load_handover_settings(load_settings(path, environ={}))
    assert hours is not None and len(hours.hours.weekly[0]) == 2 and 5 in hours.hours.weekly


@pytest.mark.parametrize("handover, names", [
    ({"hours": {"monday": "09:00-15:00"}}, "unknown days ['monday']"),
    ({"hours": {"tue": "9 til 15"}}, "'handover.hours.tue'"),
    ({"hours": {"wed": "15:00-09:00"}}, "ends before it starts"),
    ({"closed": ["juleaften"]}, "'handover.closed' must be a list of dates"),
    ({"open_on_holidays": "2026-12-25"}, "'handover.open_on_holidays' must be a list"),
    ({"max_queue": 0}, "'handover.max_queue' must be a whole number from 1 to 1000"),
])
def test_a_wrong_value_is_named(tmp_path: Path, handover: object, names: str) -> None:
    with pytest.raises(ConfigError, match=names.replace("[", r"\[").replace("]", r"\]")):
        load_handover_settings(load_settings(settings_with(tmp_path, handover), environ={}))
