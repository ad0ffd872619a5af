"""The `providers:` section of config.yml (the provider desk), and the desk's catalogue from the database.

Every key has a default, so a config without the section works. Other keys in the section (the
catalogue's own) are left to their readers.
"""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.storage import load_sample_catalogue
from dialogs.providers.desk import CatalogueSnapshot, DeskSettings
from knowledge.providers import catalogue_info, load_providers

_DEFAULTS = DeskSettings()
# key: (default, lowest, highest)
_KEYS = {"max_results": (_DEFAULTS.max_results, 1, 20), "stale_after_days": (_DEFAULTS.stale_after_days, 1, 3650),
         "page_ttl_minutes": (_DEFAULTS.page_ttl_minutes, 1, 24 * 60), "catalogue_check_seconds": (5, 0, 3600)}


def load_provider_settings(settings: Settings) -> tuple[DeskSettings, float]:
    """Read `providers:` from the config file; return the desk's settings and the catalogue check interval."""
    cfg = settings.optional("providers")
    values = {key: cfg.whole(key, default, low, high) for key, (default, low, high) in _KEYS.items()}
    desk = DeskSettings(max_results=values["max_results"], stale_after_days=values["stale_after_days"],
                        page_ttl_minutes=values["page_ttl_minutes"])
    return desk, float(values["catalogue_check_seconds"])


class DatabaseCatalogue:
    """The stored catalogue, cached: reloaded only when an import changed it.

    A database that never had a catalogue gets the shipped sample on the first question (a new database
    gets it when it is migrated; a throw-away one only when a provider question comes).

    Whether it changed is one single-row read (the catalogue's import time and size), done at most
    every `check_seconds`; an import by `stifinder providers import` in another process is seen
    within that time.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], check_seconds: float = 5.0) -> None:
        self._sessions = sessions
        self._check_seconds = check_seconds
        self._snapshot: CatalogueSnapshot | None = None
        self._checked = 0.0
        self.loads = 0  # how many times the providers were read (for tests)

    async def snapshot(self) -> CatalogueSnapshot:
        """Return the current catalogue, from the cache unless an import changed it."""
        now = time.monotonic()
        if self._snapshot is not None and now - self._checked < self._check_seconds:
            return self._snapshot
        if self._snapshot is None:
            async with self._sessions() as session:
                never = await catalogue_info(session) is None
            if never:  # a database that never had a catalogue: the shipped sample, as at migration
                await load_sample_catalogue(self._sessions)
        async with self._sessions() as session:
            info = await catalogue_info(session)
            version = _version(info.imported_at, info.count, info.source) if info else "empty"
            if self._snapshot is None or self._snapshot.version != version:
                providers = tuple(await load_providers(session))
                self._snapshot = CatalogueSnapshot(providers, bool(info and info.is_sample), version)
                self.loads += 1
        self._checked = now
        return self._snapshot


def _version(imported_at: datetime, count: int, source: str) -> str:
    return f"{imported_at.isoformat()}|{count}|{source}"
