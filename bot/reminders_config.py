"""The `reminders:` section of config.yml as frozen settings: the plan, the dispatcher and the jobs.

Every key is optional and has the default written in config.yml. Times are quoted "HH:MM" strings
in the configured time zone (unquoted, YAML would read 08:00 as a number of minutes). A malformed
key fails naming the key, never the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.config import ConfigError, Settings
from reminders.dispatch import DispatchSettings
from reminders.planner import ReminderPolicy
from reminders.scheduler import ScheduleSettings

@dataclass(frozen=True, slots=True)
class RemindersConfig:
    """Whether `stifinder run` sends reminders, and how."""

    enabled: bool
    policy: ReminderPolicy
    dispatch: DispatchSettings
    schedule: ScheduleSettings


def load_reminders_config(settings: Settings) -> RemindersConfig:
    """Read the `reminders:` section of the settings' config file (absent: all defaults)."""
    cfg = settings.optional("reminders")
    retry = cfg.section("retry")
    before = cfg.get("before_working_days", list, [7, 2])
    if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in before):
        raise ConfigError(f"{settings.path.name}: 'reminders.before_working_days' must be a list of positive "
                          "whole numbers")
    digest = cfg.get("digest_at", str, "07:30")
    policy = ReminderPolicy(at=cfg.time("at", "08:00"), before=tuple(before), on_due_day=cfg.get("on_due_day", bool, True),
                            overdue_daily=cfg.get("overdue_daily", bool, True), tz=ZoneInfo(settings.timezone))
    dispatch = DispatchSettings(
        lease=timedelta(seconds=cfg.positive("lease_seconds", 120)),
        batch=int(cfg.positive("batch_size", 50)),
        concurrency=int(cfg.positive("concurrency", 1)),
        first_backoff=timedelta(seconds=retry.positive("first_backoff_seconds", 30)),
        max_backoff=timedelta(seconds=retry.positive("max_backoff_seconds", 3600)),
        max_attempts=int(retry.positive("max_attempts", 12)),
        unregistered_wait=timedelta(seconds=cfg.positive("unregistered_wait_seconds", 3600)),
        digest_at=None if digest == "off" else cfg.time("digest_at", "07:30"),
        max_per_second=cfg.positive("max_per_second", 20),
    )
    schedule = ScheduleSettings(
        tick_seconds=cfg.positive("tick_seconds", 30),
        misfire_grace=timedelta(seconds=cfg.positive("misfire_grace_seconds", 600)),
        replan_at=cfg.time("replan_at", "05:00"),
    )
    return RemindersConfig(enabled=cfg.get("enabled", bool, True), policy=policy, dispatch=dispatch,
                           schedule=schedule)
