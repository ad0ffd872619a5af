"""Shared fixtures: settings from the repository's config.yml, the real content, an in-memory database.

No test reaches the network: a session fixture refuses sockets to anything but 127.0.0.1.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.wiring import build_retriever, build_safety
from bot.storage import open_database
from dialogs import Deps, DialogEngine, Incoming, Response
from dialogs.citizen.flows import Remembered
from knowledge import load_standard
from nlu import LocalParser, load_local_parser

ROOT = Path(__file__).resolve().parent.parent
SEED_004 = ROOT / "knowledge" / "sources" / "kvalitetsstandard_broenderslev_2023.txt"
SEED_002 = ROOT / "knowledge" / "sources" / "nationale_retningslinjer_socialstyrelsen.txt"


@pytest.fixture(scope="session", autouse=True)
def _only_loopback() -> Iterator[None]:
    """Refuse connections to anything but the loopback interface (PTB's OfflineRequest idea)."""
    original = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6):
            if host not in ("127.0.0.1", "::1", "localhost"):
                raise RuntimeError(f"tests may not connect to {host}")
        return original(self, address)  # type: ignore[arg-type]

    socket.socket.connect = guarded  # type: ignore[method-assign]
    yield
    socket.socket.connect = original  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(ROOT / "config.yml", environ={})


@pytest.fixture(scope="session")
def local_parser(settings: Settings) -> LocalParser:
    return load_local_parser(settings.nlu_data_dir, settings.nlu_cache_dir)


@pytest.fixture(scope="session")
def deps(settings: Settings) -> Deps:
    standard = load_standard(settings.standard_dir, settings.municipality.standard_title)
    return Deps(standard=standard, municipality=settings.municipality,
                retriever=build_retriever(standard, settings.nlu_data_dir), safety=build_safety(settings),
                threshold=settings.nlu_threshold, ttl_minutes=settings.conversation_ttl_minutes)


@pytest.fixture
async def engine(deps: Deps, local_parser: LocalParser) -> AsyncIterator[DialogEngine]:
    """The engine as `stifinder run` builds it on SQLite: conversations remembered between turns."""
    database, sessions = await open_database("sqlite+aiosqlite://")
    yield DialogEngine(deps, local_parser, sessions, remembered=Remembered())
    await database.dispose()


class Chat:
    """A scripted person in one conversation: `await chat.say("...")` returns the engine's response."""

    def __init__(self, engine: DialogEngine, conv: str = "test-conversation", at: datetime | None = None) -> None:
        self.engine = engine
        self.conv = conv
        self.at = at or datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)

    async def say(self, text: str, lang: str | None = None) -> Response:
        return await self.engine.handle(Incoming(conv=self.conv, text=text, at=self.at, lang=lang))


@pytest.fixture
def chat(engine: DialogEngine) -> Chat:
    return Chat(engine)
