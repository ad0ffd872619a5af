"""The web chat: a public HTTP API with server-sent events, the widget, and health checks, as one ASGI app.

    POST   /chat/sessions                      → 201 {"session": "<opaque random id>"}
    POST   /chat/sessions/{session}/messages   {"text": "..."} or {"payload": "/faq/..."} (+ "id") → 202
    GET    /chat/sessions/{session}/events     server-sent events (resumes after Last-Event-ID)
    DELETE /chat/sessions/{session}            "glem mig": the conversation is deleted at once → 204
    POST   /chat/sessions/{session}/away       the tab was closed (a beacon): a handover ends unless it is back → 202
    GET    /chat/texts?lang=da|en              the widget's own words, from the Babel catalogs
    GET    /chat/widget.js, /chat/widget.css   the widget (no build step, no CDN, no inline script)
    GET    /chat/                              a demo page embedding it as a municipality would
    GET    /healthz, /readyz                   liveness; database and model loaded

The contract is documented in docs/webchat.md. Anonymous by construction: the session id lives in the
browser's sessionStorage; the server derives the conversation key from it with a keyed hash (as for Telegram's
chat ids) and keeps neither the id nor the text nor the client's address; the rate limit per address counts a
keyed hash of it, in memory. Nothing here logs a request (uvicorn's access log is off).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from bot.identity import conversation_key
from bot.web.config import WebSettings
from bot.web.relay import PostgresRelay
from bot.web.sessions import WebConversations, Window
from bot.wiring import App
from dialogs import GONE_PAYLOAD, Incoming, Relayed, Renderer, Sender
from handover import mark_away, mark_back, still_away
from dialogs.turn import Response as EngineResponse

if TYPE_CHECKING:
    from bot.telegram.webhook import TelegramWebhook  # the telegram library is imported only when Telegram is on

log = logging.getLogger(__name__)

CHANNEL = "web"
STATIC = Path(__file__).parent / "static"
SESSION = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
REF = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # a client's own id for a message, echoed as "reply_to"
MAX_BODY = 64 * 1024
NO_SESSION = "no such session: create one with POST /chat/sessions"
# The widget's own words (dialogs/texts.py, domain "messages"): in the page's language, then in the replies'.
WIDGET_TEXTS = ("web_open", "web_title", "web_close", "web_emergency", "web_disclosure", "web_log", "web_you",
                "web_bot", "web_input", "web_send", "web_forget", "web_forgotten", "web_reconnecting", "web_failed",
                "web_too_fast", "web_new_reply", "web_counsellor")
# The demo page's policy: what a municipality's strict Content-Security-Policy would be.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


class WebChat:
    """The routes' state: the engine, the conversations held in this process, the limits."""

    def __init__(self, app: App, settings: WebSettings, renderer: Renderer, ttl_minutes: int) -> None:
        self.app = app
        self.settings = settings
        self.renderer = renderer
        self.conversations = WebConversations(settings.keep_events, ttl_minutes * 60.0, settings.messages_per_minute)
        self.addresses = Window(settings.requests_per_minute)
        self.relay: PostgresRelay | None = None  # on PostgreSQL: the events go through the database
        self._tasks: set[asyncio.Task[None]] = set()
        self._address_key = secrets.token_bytes(32)  # a new one each start: the hashes cannot be linked later

    def key(self, session: str) -> str:
        return conversation_key(self.app.secret, CHANNEL, session)

    def allow_address(self, request: Request) -> bool:
        address = request.client.host if request.client is not None else "-"
        return self.addresses.allow(hmac.new(self._address_key, address.encode(), hashlib.sha256).hexdigest())

    def start_turn(self, key: str, text: str, button: bool, lang: str | None, ref: str | None) -> None:
        """Answer the message in the background, after any earlier message of the conversation."""
        task = asyncio.create_task(self._turn(key, text, button, lang, ref))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _turn(self, key: str, text: str, button: bool, lang: str | None, ref: str | None) -> None:
        incoming = Incoming(conv=key, text=text, at=datetime.now(timezone.utc), sender=Sender(CHANNEL, app_lang=lang),
                            button=button)
        async with self.conversations.turn(key):
            relay = self.relay
            if relay is None:  # one process: the events are kept here
                response = await self.app.engine.handle(incoming)
                for data in events_of(response, ref):
                    self.conversations.add(key, data)
            else:
                async def publish(session: AsyncSession, response: EngineResponse) -> None:
                    await relay.publish(session, key, events_of(response, ref))

                response = await self.app.engine.handle(incoming, publish)
                if response.route == "engine.error":  # the turn failed and rolled back: its notifications too
                    for data in events_of(response, ref):
                        self.conversations.add(key, data)
        await self.app.relays.deliver(response)  # a handover: the counsellor's Telegram chat

    async def away(self, key: str) -> None:
        """The citizen's tab was closed: their handover, if any, ends unless the chat is opened again (its event
        stream, on any process) within `away_seconds`."""
        since = datetime.now(timezone.utc)
        async with async_sessionmaker(self.app.database).begin() as session:
            marked = await mark_away(session, key, since)
        if marked:
            task = asyncio.create_task(self._end_if_gone(key, since))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _end_if_gone(self, key: str, since: datetime) -> None:
        await asyncio.sleep(self.settings.away_seconds)
        async with async_sessionmaker(self.app.database)() as session:
            gone = await still_away(session, key, since)
        if gone:
            await self._turn(key, GONE_PAYLOAD, True, None, None)

    async def back(self, key: str) -> None:
        """The citizen's chat is open (an event stream started): a closed tab has come back."""
        async with async_sessionmaker(self.app.database).begin() as session:
            await mark_back(session, key)

    async def to_conversation(self, item: Relayed) -> bool:
        """Words for a citizen of the web chat from elsewhere (a counsellor in Telegram), on their event stream;
        through the database when there are several processes (so always delivered from here). Never stored."""
        if item.conv is None:
            return True
        events: list[dict[str, Any]] = [
            {"text": message.text, "lang": item.lang, "buttons": [],
             "sender": "counsellor" if message.key == "utter_from_counsellor" else "bot"} for message in item.messages]
        if self.relay is None:
            for data in events:
                self.conversations.add(item.conv, data)
            return True
        async with async_sessionmaker(self.app.database).begin() as session:
            await self.relay.publish(session, item.conv, events)
        return True

    async def finish(self) -> None:
        """Let the turns under way finish (a shutdown loses no answer that was being given)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=10)


def events_of(response: EngineResponse, ref: str | None = None) -> list[dict[str, Any]]:
    """The reply as the events a browser receives: one per message, its buttons with the last; each names the
    message it answers when the client gave that message an id."""
    found = []
    for message in response.messages:
        data: dict[str, Any] = {"text": message.text, "lang": response.lang, "sender": "bot",
                                "buttons": [{"label": b.label, "payload": b.payload} for b in message.buttons]}
        if ref is not None:
            data["reply_to"] = ref
        found.append(data)
    return found


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=SECURITY_HEADERS)


def _session(request: Request) -> str | None:
    session = request.path_params["session"]
    return session if SESSION.match(session) else None


def _allowed_session(request: Request, chat: WebChat) -> str | Response:
    """The request's session, or the error when it names none (404) or its address asks too often (429)."""
    session = _session(request)
    if session is None:
        return _error(404, NO_SESSION)
    if not chat.allow_address(request):
        return _error(429, "too many requests: wait a minute")
    return session


async def create_session(request: Request) -> Response:
    chat: WebChat = request.app.state.chat
    if not chat.allow_address(request):
        return _error(429, "too many requests: wait a minute")
    return JSONResponse({"session": secrets.token_urlsafe(32)}, status_code=201, headers=SECURITY_HEADERS)


async def post_message(request: Request) -> Response:
    chat: WebChat = request.app.state.chat
    session = _allowed_session(request, chat)
    if isinstance(session, Response):
        return session
    body = await request.body()
    if len(body) > MAX_BODY:
        return _error(413, f"the message is too long: at most {chat.settings.max_text} characters")
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, 'send JSON: {"text": "..."} or {"payload": "/..."}')
    if not isinstance(data, dict):
        return _error(400, 'send JSON: {"text": "..."} or {"payload": "/..."}')
    text, payload, lang, ref = data.get("text"), data.get("payload"), data.get("lang"), data.get("id")
    if (text is None) == (payload is None):
        return _error(400, 'send exactly one of "text" and "payload"')
    if lang is not None and lang not in ("da", "en"):
        return _error(400, '"lang" must be "da" or "en"')
    if ref is not None and (not isinstance(ref, str) or not REF.match(ref)):
        return _error(400, '"id" must be 1-64 characters of A-Z, a-z, 0-9, _ and -')
    if payload is not None:
        if not isinstance(payload, str) or not payload.startswith("/") or len(payload) > 256:
            return _error(400, '"payload" must be a button\'s payload, starting with "/"')
        message, button = payload, True
    else:
        if not isinstance(text, str):
            return _error(400, '"text" must be a string')
        if not text.strip():
            return _error(400, '"text" is empty: write a question')
        if len(text) > chat.settings.max_text:
            return _error(413, f"the message is too long: at most {chat.settings.max_text} characters")
        message, button = text, False
    key = chat.key(session)
    if not chat.conversations.allow_message(key):
        return _error(429, "too many messages in this conversation: wait a minute")
    chat.start_turn(key, message, button, lang, ref)
    return JSONResponse({"accepted": True}, status_code=202, headers=SECURITY_HEADERS)


async def events(request: Request) -> Response:
    chat: WebChat = request.app.state.chat
    session = _session(request)
    if session is None:
        return _error(404, NO_SESSION)
    raw = request.headers.get("last-event-id") or request.query_params.get("last") or "0"
    if not raw.isdigit() or len(raw) > 18:
        return _error(400, "Last-Event-ID must be an event id")
    key, last = chat.key(session), int(raw)
    heartbeat = chat.settings.heartbeat_seconds
    await chat.back(key)

    async def stream() -> AsyncIterator[str]:
        nonlocal last
        yield "retry: 2000\n\n"
        while True:
            found = await chat.conversations.wait(key, last, heartbeat)
            if found is None:  # forgotten ("glem mig")
                return
            if not found:
                yield ": still here\n\n"
            for number, data in found:
                yield f"id: {number}\nevent: message\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
                last = number

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no", **SECURITY_HEADERS}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


async def away(request: Request) -> Response:
    chat: WebChat = request.app.state.chat
    session = _allowed_session(request, chat)
    if isinstance(session, Response):
        return session
    await chat.away(chat.key(session))
    return Response(status_code=202, headers=SECURITY_HEADERS)


async def delete_session(request: Request) -> Response:
    chat: WebChat = request.app.state.chat
    session = _session(request)
    if session is None:
        return _error(404, "no such session")
    key = chat.key(session)
    chat.conversations.drop(key)
    await chat.app.engine.forget(key)
    return Response(status_code=204, headers=SECURITY_HEADERS)


async def widget_texts(request: Request) -> Response:
    chat: WebChat = request.app.state.chat
    lang = request.query_params.get("lang", "da")
    if lang not in ("da", "en"):
        return _error(400, 'lang must be "da" or "en"')
    texts = {key.removeprefix("web_"): chat.renderer.text(lang, key) for key in WIDGET_TEXTS}
    return JSONResponse(texts, headers={"Cache-Control": "public, max-age=300", **SECURITY_HEADERS})


def _static(name: str, media_type: str) -> Any:
    async def serve(request: Request) -> Response:
        headers = {"Cache-Control": "public, max-age=300", **SECURITY_HEADERS}
        if name.endswith(".html"):
            headers["Content-Security-Policy"] = CSP
        return FileResponse(STATIC / name, media_type=media_type, headers=headers)
    return serve


async def no_icon(request: Request) -> Response:
    return Response(status_code=204)


async def healthz(request: Request) -> Response:
    return JSONResponse({"ok": True})


async def readyz(request: Request) -> Response:
    chat: WebChat = request.app.state.chat
    try:
        async with chat.app.database.connect() as connection:
            await connection.execute(sql("SELECT 1"))
    except Exception as exc:  # any failure of the database means: not ready
        log.warning("not ready: database error=%s", type(exc).__name__)
        return JSONResponse({"ready": False, "database": False}, status_code=503)
    return JSONResponse({"ready": True, "database": True, "model": chat.app.local_parser is not None})


def create_web_app(settings: WebSettings, build: Callable[[], Awaitable[App]],
                   telegram: TelegramWebhook | None = None) -> Starlette:
    """The ASGI application of the web chat; `build` makes the assistant on the server's own event loop at
    start-up (`bot.wiring.build_app`), and it is closed at shutdown after the turns under way have finished.
    With `telegram`, the same server takes Telegram's webhook on its path and runs the caseworkers' reminders."""
    routes = [
        Route("/chat/sessions", create_session, methods=["POST"]),
        Route("/chat/sessions/{session}/messages", post_message, methods=["POST"]),
        Route("/chat/sessions/{session}/events", events, methods=["GET"]),
        Route("/chat/sessions/{session}/away", away, methods=["POST"]),
        Route("/chat/sessions/{session}", delete_session, methods=["DELETE"]),
        Route("/chat/texts", widget_texts, methods=["GET"]),
        Route("/chat/widget.js", _static("widget.js", "text/javascript; charset=utf-8"), methods=["GET"]),
        Route("/chat/widget.css", _static("widget.css", "text/css; charset=utf-8"), methods=["GET"]),
        Route("/chat/", _static("index.html", "text/html; charset=utf-8"), methods=["GET"]),
        Route("/chat/demo.css", _static("demo.css", "text/css; charset=utf-8"), methods=["GET"]),
        Route("/favicon.ico", no_icon, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    if telegram is not None:
        routes.append(Route(telegram.path, telegram.receive, methods=["POST"]))
    middleware = [Middleware(CORSMiddleware, allow_origins=list(settings.allowed_origins),
                             allow_methods=["GET", "POST", "DELETE"], allow_headers=["Content-Type", "Last-Event-ID"])]

    @contextlib.asynccontextmanager
    async def lifespan(web: Starlette) -> AsyncIterator[None]:
        app = await build()
        deps = app.engine.deps
        chat = WebChat(app, settings, Renderer(deps.municipality, deps.ttl_minutes, deps.standard.title),
                       deps.ttl_minutes)
        web.state.chat = chat
        app.relays.to_conversation[CHANNEL] = chat.to_conversation
        if app.database.dialect.name == "postgresql":
            chat.relay = PostgresRelay(app.database.url.render_as_string(hide_password=False), chat.conversations,
                                       app.relays.received)
            await chat.relay.start()
            app.relays.bus = chat.relay  # a Telegram citizen's chat may be known to another worker
        if telegram is not None:
            await telegram.start(app)
        log.info("web chat ready")
        try:
            yield
        finally:
            if telegram is not None:
                await telegram.stop()
            await chat.finish()
            if chat.relay is not None:
                await chat.relay.stop()
            await app.close()

    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
