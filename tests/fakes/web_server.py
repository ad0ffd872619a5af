"""The web chat served for real (uvicorn on a free loopback port) over the production wiring, for the web tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import httpx
import uvicorn

from bot.config import Settings
from bot.web import WebSettings, create_web_app
from bot.web.app import WebChat
from bot.wiring import App, build_app
from fakes.network import free_port


@dataclass
class Served:
    """A running web chat: its base URL and the assistant behind it."""

    url: str
    app: App
    chat: WebChat

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, timeout=10)



@asynccontextmanager
async def serve_web(settings: Settings, database_url: str = "sqlite+aiosqlite://", **web: Any) -> AsyncIterator[Served]:
    """Serve the web chat until the block ends (the server is shut down as `stifinder serve` is)."""
    built: list[App] = []

    async def build() -> App:
        built.append(await build_app(settings, database_url=database_url))
        return built[0]

    web_settings = replace(WebSettings(port=free_port()), **web)
    application = create_web_app(web_settings, build)
    config = uvicorn.Config(application, host="127.0.0.1", port=web_settings.port,
                            access_log=False, log_config=None, server_header=False, lifespan="on",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield Served(f"http://127.0.0.1:{web_settings.port}", built[0], application.state.chat)
    finally:
        server.should_exit = True
        await task


async def new_session(client: httpx.AsyncClient) -> str:
    response = await client.post("/chat/sessions")
    assert response.status_code == 201
    return str(response.json()["session"])


async def read_events(client: httpx.AsyncClient, session: str, count: int, last: int | None = None,
                      timeout: float = 10.0) -> list[tuple[int, dict[str, Any]]]:
    """Open the event stream (from `last`, sent as Last-Event-ID) and read `count` message events."""
    headers = {"Last-Event-ID": str(last)} if last is not None else {}
    found: list[tuple[int, dict[str, Any]]] = []

    async def read() -> None:
        number = None
        async with client.stream("GET", f"/chat/sessions/{session}/events", headers=headers) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            async for line in response.aiter_lines():
                if line.startswith("id: "):
                    number = int(line[4:])
                elif line.startswith("data: "):
                    assert number is not None
                    found.append((number, json.loads(line[6:])))
                    if len(found) == count:
                        return

    await asyncio.wait_for(read(), timeout)
    return found
