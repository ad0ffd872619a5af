"""Pytest fixtures for Telegram round trips: the fake Bot API server and the production Application polling it.

Test modules import the fixtures they use by name (`from fakes.telegram_fixtures import bot, fake`):
a second conftest.py outside a package would shadow tests/conftest.py, which other tests import from.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.wiring import App
from dialogs import Deps
from fakes.bot_api import FakeBotApi
from fakes.telegram_harness import Harness, make_app, start_bot, stop_bot

__all__ = ["app", "bot", "fake"]
from nlu import LocalParser


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def app(deps: Deps, local_parser: LocalParser) -> AsyncIterator[App]:
    assistant = await make_app(deps, local_parser)
    yield assistant
    await assistant.close()


@pytest.fixture
async def bot(fake: FakeBotApi, app: App) -> AsyncIterator[Harness]:
    harness = await start_bot(fake, app)
    yield harness
    await stop_bot(harness)
