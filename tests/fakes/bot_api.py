"""A local Telegram Bot API server for the test suite and the benchmark (127.0.0.1, random port).

Plays Telegram for python-telegram-bot over real HTTP/1.1 (keep-alive, form-encoded requests as
PTB sends them): getMe, getUpdates (long polling from a queue the test fills), sendMessage,
answerCallbackQuery, editMessageText, set/get/deleteMyCommands, set/deleteWebhook, getWebhookInfo,
sendChatAction, close and logOut. Every call is recorded with its outcome. Faults are injected per
method: the next N calls answer 429 with retry_after, 502, drop the connection, or stall past the
client's timeout; a faulted call is not delivered, as with Telegram (except DELIVER_STALL: delivered,
then the answer is lost). `flood_limit` answers sendMessage calls beyond N per second with a 429. It checks what Telegram
checks that matters here: text length, HTML entities, callback data size, blocked chats.

Written on asyncio streams so it needs no web framework; runs in the caller's event loop.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TOKEN = "123456789:AAFakeTokenForTheTestSuiteOnly_0123456"
# Values PTB sends as plain strings; everything else is JSON-encoded (RequestParameter.json_value).
_PLAIN = {"text", "parse_mode", "callback_query_id", "language_code", "url", "secret_token", "caption",
          "action", "inline_message_id"}
_TAG = re.compile(r"</?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|tg-spoiler|blockquote)(\s[^>]*)?>")


class Fault(str, Enum):
    """What a faulted call gets instead of an answer."""

    RETRY_AFTER = "429"
    BAD_GATEWAY = "502"
    DROP = "dropped"
    STALL = "stalled"
    DELIVER_STALL = "delivered-stalled"  # delivered (recorded "ok"), then the answer stalls: a lost reply
    DELIVER_DROP = "delivered-dropped"  # delivered (recorded "ok"), then the connection drops: no answer


@dataclass
class Call:
    """One request the bot made, with the parsed parameters and what the fake answered."""

    method: str
    params: dict[str, Any]
    outcome: str
    result: Any = None
    at: float = field(default_factory=time.perf_counter)

    @property
    def text(self) -> str:
        """The message text as the person sees it (HTML tags removed, entities unescaped)."""
        return _visible(self.params)


@dataclass
class _Planned:
    fault: Fault
    times: int
    retry_after: int
    stall_seconds: float


class FakeBotApi:
    """A Bot API server on 127.0.0.1 that records calls and serves queued updates.

    Args:
        token: the token the bot must use. Defaults to a fixed fake token.
        username: the bot's username (getMe).
    """

    def __init__(self, token: str = TOKEN, username: str = "stifinder_test_bot") -> None:
        self.token = token
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "Stifinder",
                         "username": username, "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": False}
        self.log: list[Call] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.blocked: set[int] = set()
        self.webhook: dict[str, Any] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1000
        self._next_message_id = 1
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._faults: dict[str, list[_Planned]] = {}
        self._waiters: set[asyncio.Future[None]] = set()
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        # Telegram's flood control: with a limit, sendMessage calls beyond it within one second get a 429.
        self.flood_limit: int | None = None
        self._recent_sends: list[float] = []
        # Groups where the bot is an administrator that may delete messages (deleteMessage works there).
        self.admin_in: set[int] = set()

    @property
    def url(self) -> str:
        """Return the server's base URL (http://127.0.0.1:<port>)."""
        assert self._server is not None, "start() the fake first"
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    @property
    def base_url(self) -> str:
        """Return the Bot API base URL a bot is configured with (…/bot)."""
        return f"{self.url}/bot"

    async def start(self) -> None:
        """Listen on a random port of 127.0.0.1."""
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)

    async def close(self) -> None:
        """Stop listening and end open connections (long polls included)."""
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    # -- what a test does -------------------------------------------------------------------

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update (`kind` is message, edited_message, callback_query, ...); return its id."""
        update_id = self._next_update_id
        self._next_update_id += 1
        chat = (payload.get("message") or payload).get("chat")
        if isinstance(chat, dict):
            self._chats[chat["id"]] = chat
        self._updates.append({"update_id": update_id, kind: payload})
        self._notify()
        return update_id

    def new_message_id(self) -> int:
        """Return a fresh message id (for messages a simulated person sends)."""
        self._next_message_id += 1
        return self._next_message_id

    def fail(self, method: str, fault: Fault, times: int = 1, retry_after: int = 1,
             stall_seconds: float = 5.0) -> None:
        """Make the next `times` calls of a method fail with the fault."""
        self._faults.setdefault(method, []).append(_Planned(fault, times, retry_after, stall_seconds))

    def calls(self, method: str | None = None, outcome: str | None = "ok") -> list[Call]:
        """Return recorded calls of a method (all methods when None), delivered ones by default."""
        return [c for c in self.log if (method is None or c.method == method)
                and (outcome is None or c.outcome == outcome)]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Return the delivered sendMessage calls (to one chat when given)."""
        return [c for c in self.calls("sendMessage") if chat_id is None or c.params.get("chat_id") == chat_id]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """Return a message the bot sent, as Telegram holds it now (after edits)."""
        return self._messages[(chat_id, message_id)]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until the predicate holds, re-checking after every call and update; fail after `timeout`."""
        async with asyncio.timeout(timeout):
            while not predicate():
                await self._changed()

    async def _changed(self) -> None:
        """Return after the next recorded call or queued update."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await waiter
        finally:
            self._waiters.discard(waiter)

    # -- HTTP --------------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                path, params = request
                status, body = await self._answer(path, params)
                if status == 0:  # a dropped connection: no answer at all
                    break
                writer.write(_response(status, body))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._connections.discard(task)
            writer.close()

    async def _answer(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        prefix, _, method = path.lstrip("/").rpartition("/")
        if prefix != f"bot{self.token}":
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        result: Any = None
        if method == "getUpdates":  # a lost poll answer is the interesting fault: wait for updates first
            result = await self._m_getUpdates(params)
        if method == "sendMessage" and self.flood_limit is not None:
            clock = time.perf_counter()
            self._recent_sends = [t for t in self._recent_sends if clock - t < 1.0]
            if len(self._recent_sends) >= self.flood_limit:
                self._record(method, params, "429-flood")
                return 429, {"ok": False, "error_code": 429, "parameters": {"retry_after": 1},
                             "description": "Too Many Requests: retry after 1"}
            self._recent_sends.append(clock)
        fault = self._take_fault(method)
        if fault is not None and fault.fault in (Fault.DELIVER_STALL, Fault.DELIVER_DROP):
            status, result = getattr(self, "_m_" + method)(params)
            self._record(method, params, "ok" if status == 200 else str(status), result if status == 200 else None)
            if fault.fault is Fault.DELIVER_STALL:
                await asyncio.sleep(fault.stall_seconds)
            return 0, {}
        if fault is not None:
            self._record(method, params, fault.fault.value)
            if fault.fault is Fault.RETRY_AFTER:
                return 429, {"ok": False, "error_code": 429, "parameters": {"retry_after": fault.retry_after},
                             "description": f"Too Many Requests: retry after {fault.retry_after}"}
            if fault.fault is Fault.BAD_GATEWAY:
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            if fault.fault is Fault.STALL:
                await asyncio.sleep(fault.stall_seconds)
            return 0, {}
        handler = getattr(self, "_m_" + method, None)
        if handler is None:
            self._record(method, params, "404")
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if method == "getUpdates":
            self._record(method, params, "ok", result)
            return 200, {"ok": True, "result": result}
        status, result = handler(params)
        self._record(method, params, "ok" if status == 200 else str(status), result if status == 200 else None)
        if status != 200:
            return status, {"ok": False, "error_code": status, "description": result}
        return 200, {"ok": True, "result": result}

    def _take_fault(self, method: str) -> _Planned | None:
        planned = self._faults.get(method)
        if not planned:
            return None
        fault = planned[0]
        fault.times -= 1
        if fault.times <= 0:
            planned.pop(0)
        return fault

    def _record(self, method: str, params: dict[str, Any], outcome: str, result: Any = None) -> None:
        self.log.append(Call(method, params, outcome, result))
        self._notify()

    def _notify(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    # -- Bot API methods ---------------------------------------------------------------------

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if not self._updates and timeout > 0:
            try:
                await self.wait_for(lambda: bool(self._updates), timeout)
            except TimeoutError:
                pass
        return self._updates[:limit]

    def _m_getMe(self, params: dict[str, Any]) -> tuple[int, Any]:
        return 200, self.bot_user

    def _m_sendMessage(self, params: dict[str, Any]) -> tuple[int, Any]:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return 403, "Forbidden: bot was blocked by the user"
        problem = _check_text(params)
        if problem:
            return 400, problem
        message_id = self.new_message_id()
        message = {"message_id": message_id, "date": int(time.time()), "from": self.bot_user,
                   "chat": self._chats.get(chat_id, {"id": chat_id, "type": "private"}),
                   "text": _visible(params)}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._messages[(chat_id, message_id)] = message
        return 200, message

    def _m_editMessageText(self, params: dict[str, Any]) -> tuple[int, Any]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self._messages:
            return 400, "Bad Request: message to edit not found"
        problem = _check_text(params)
        if problem:
            return 400, problem
        message = self._messages[key]
        text = _visible(params)
        if text == message["text"] and params.get("reply_markup") == message.get("reply_markup"):
            return 400, "Bad Request: message is not modified"
        message["text"] = text
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        message["edit_date"] = int(time.time())
        return 200, message

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> tuple[int, Any]:
        return 200, True

    def _m_deleteMessage(self, params: dict[str, Any]) -> tuple[int, Any]:
        chat_id = int(params["chat_id"])
        if chat_id < 0 and chat_id not in self.admin_in:
            return 400, "Bad Request: message can't be deleted"
        self._messages.pop((chat_id, int(params["message_id"])), None)
        return 200, True

    def _m_setMyCommands(self, params: dict[str, Any]) -> tuple[int, Any]:
        scope = (params.get("scope") or {}).get("type", "default")
        self.commands[(scope, params.get("language_code", ""))] = params["commands"]
        return 200, True

    def _m_getMyCommands(self, params: dict[str, Any]) -> tuple[int, Any]:
        scope = (params.get("scope") or {}).get("type", "default")
        return 200, self.commands.get((scope, params.get("language_code", "")), [])

    def _m_deleteMyCommands(self, params: dict[str, Any]) -> tuple[int, Any]:
        scope = (params.get("scope") or {}).get("type", "default")
        self.commands.pop((scope, params.get("language_code", "")), None)
        return 200, True

    def _m_deleteWebhook(self, params: dict[str, Any]) -> tuple[int, Any]:
        self.webhook = {}
        return 200, True

    def _m_setWebhook(self, params: dict[str, Any]) -> tuple[int, Any]:
        self.webhook = dict(params)
        return 200, True

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> tuple[int, Any]:
        return 200, {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def _m_sendChatAction(self, params: dict[str, Any]) -> tuple[int, Any]:
        return 200, True

    def _m_close(self, params: dict[str, Any]) -> tuple[int, Any]:
        return 200, True

    def _m_logOut(self, params: dict[str, Any]) -> tuple[int, Any]:
        return 200, True


def _visible(params: dict[str, Any]) -> str:
    """Return a message's text as the person sees it (HTML tags removed, entities unescaped)."""
    raw = str(params.get("text", ""))
    if params.get("parse_mode") == "HTML":
        return html.unescape(_TAG.sub("", raw))
    return raw


def _check_text(params: dict[str, Any]) -> str | None:
    """Return Telegram's complaint about a message's text or buttons, or None when it would be sent."""
    raw = str(params.get("text", ""))
    if params.get("parse_mode") == "HTML" and "<" in _TAG.sub("", raw):
        return "Bad Request: can't parse entities: unsupported start tag"
    visible = _visible(params)
    if not visible.strip():
        return "Bad Request: message text is empty"
    if len(visible.encode("utf-16-le")) // 2 > 4096:
        return "Bad Request: message is too long"
    for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if len(str(button.get("callback_data", "")).encode()) > 64:
                return "Bad Request: BUTTON_DATA_INVALID"
    return None


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, dict[str, Any]] | None:
    """Read one HTTP/1.1 request; return its path and parameters, or None at the end of the stream."""
    line = await reader.readline()
    if not line:
        return None
    _, target, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        header = await reader.readline()
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    parts = urlsplit(target)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kind = headers.get("content-type", "")
    if kind.startswith("application/json") and body:
        params: dict[str, Any] = dict(pairs) | json.loads(body)
    else:
        params = {k: _decode(k, v) for k, v in pairs + parse_qsl(body.decode(), keep_blank_values=True)}
    return parts.path, params


def _decode(key: str, value: str) -> Any:
    if key in _PLAIN:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _response(status: int, body: dict[str, Any]) -> bytes:
    payload = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
              429: "Too Many Requests", 502: "Bad Gateway"}.get(status, "Error")
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: keep-alive\r\n\r\n")
    return head.encode() + payload
