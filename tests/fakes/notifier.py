"""A reminders Notifier that records what it was asked to send, and fails as a test tells it to."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from reminders.digest import Digest
from reminders.dispatch import Ping


class FakeNotifier:
    """Records what it was asked to send; fails as told."""

    def __init__(self, delay: float = 0.0) -> None:
        self.pings: list[Ping] = []
        self.digests: list[Digest] = []
        self.failures: list[Exception] = []
        self.delay = delay
        self._next = 100

    async def send_ping(self, ping: Ping) -> int:
        return await self._deliver(lambda: self.pings.append(ping))

    async def send_digest(self, digest: Digest) -> int:
        return await self._deliver(lambda: self.digests.append(digest))

    async def _deliver(self, record: Callable[[], None]) -> int:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failures:
            raise self.failures.pop(0)
        record()
        self._next += 1
        return self._next
