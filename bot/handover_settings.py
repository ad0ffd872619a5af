"""The `handover:` section of config.yml: when a counsellor from the drug-treatment service is there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.config import ConfigError, Settings
from handover import WEEKDAYS, Interval, OpeningHours, parse_intervals


@dataclass(frozen=True, slots=True)
class HandoverSettings:
    """When a counsellor is there (the weekly hours, closed days and public holidays, closed unless listed as
    open), how many citizens may wait for one at most, and how long a counsellor may be silent while the citizen
    writes before the chat goes back to the queue."""

    hours: OpeningHours
    max_queue: int = 10
    counsellor_idle_minutes: int = 10


def load_handover_settings(settings: Settings) -> HandoverSettings | None:
    """Read the `handover:` section; None when config.yml has none (nobody to hand over to).

    Raises:
        ConfigError: a weekday, an interval, a date or a number is wrong (named, with what is expected).
    """
    if settings.document.get("handover") is None:
        return None
    cfg = settings.optional("handover")
    file = settings.path.name
    raw_hours = cfg.get("hours", dict, {})
    unknown = sorted(str(key) for key in raw_hours if key not in WEEKDAYS)
    if unknown:
        raise ConfigError(f"{file}: 'handover.hours' has unknown days {unknown} (the days are {', '.join(WEEKDAYS)})")
    weekly: dict[int, tuple[Interval, ...]] = {}
    for index, name in enumerate(WEEKDAYS):
        value = raw_hours.get(name)
        if value is None:
            continue
        text = ", ".join(str(part) for part in value) if isinstance(value, list) else str(value)
        try:
            weekly[index] = parse_intervals(text)
        except ValueError as exc:
            raise ConfigError(f"{file}: 'handover.hours.{name}': {exc}") from None
    return HandoverSettings(
        hours=OpeningHours(weekly, ZoneInfo(settings.timezone), _days(cfg.get("closed", list, []), "closed", file),
                           _days(cfg.get("open_on_holidays", list, []), "open_on_holidays", file)),
        max_queue=cfg.whole("max_queue", 10, 1, 1000),
        counsellor_idle_minutes=cfg.whole("counsellor_idle_minutes", 10, 1, 240),
    )


def _days(values: list[object], key: str, file: str) -> frozenset[date]:
    if not all(isinstance(value, date) for value in values):
        raise ConfigError(f"{file}: 'handover.{key}' must be a list of dates written YYYY-MM-DD")
    return frozenset(value for value in values if isinstance(value, date))
