"""The terminal chat: reads lines, hands them to the engine, prints replies and numbered buttons.

Thin like every channel: no decisions, no Danish text of its own beyond the prompt marks.
Streams are injected, so tests drive it with StringIO. Every role works here: `stifinder chat
--as ID` talks as a registered caseworker, `--team NAME` as a team chat (a local tool, run with the
database's own rights).
"""

from __future__ import annotations

import secrets
import shutil
import textwrap
from datetime import datetime, timezone
from typing import Callable, TextIO

from bot.identity import conversation_key
from bot.wiring import App
from dialogs import Button, Incoming, Response, Sender

CHANNEL = "terminal"
QUIT = {"/quit", "/exit", "/afslut"}


class TerminalChannel:
    """A chat in a terminal; buttons are shown as [1] [2] [3] and pressed by typing the number."""

    def __init__(self, app: App, stdin: TextIO, stdout: TextIO, clock: Callable[[], datetime] | None = None,
                 chat_id: str | None = None, sender: Sender | None = None) -> None:
        self._app = app
        self._sender = sender or Sender(CHANNEL)
        self._in = stdin
        self._out = stdout
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._conv = conversation_key(app.secret, CHANNEL, chat_id or secrets.token_hex(8))
        self._buttons: tuple[Button, ...] = ()
        self._width = max(40, min(100, shutil.get_terminal_size((100, 24)).columns - 2))

    async def run(self, greet: bool = True) -> None:
        """Chat until end of input or /quit."""
        if greet:
            self._show(await self._send("/start"))
        while True:
            self._out.write("\n> ")
            self._out.flush()
            line = self._in.readline()
            if not line:
                break
            text = line.strip()
            if text.lower() in QUIT:
                break
            pressed = text.isdigit() and 1 <= int(text) <= len(self._buttons)
            if pressed:
                text = self._buttons[int(text) - 1].payload
            self._show(await self._send(text, pressed))
        self._out.write("\n")

    async def _send(self, text: str, button: bool = False) -> Response:
        return await self._app.engine.handle(Incoming(conv=self._conv, text=text, at=self._clock(),
                                                      sender=self._sender, button=button))

    def _fill(self, paragraph: str) -> str:
        """Wrap a paragraph to the terminal's width, keeping its own line breaks (lists, headings)."""
        return "\n".join(textwrap.fill(line, self._width) for line in paragraph.split("\n"))

    def _show(self, response: Response) -> None:
        self._buttons = ()
        for line in (response.alert, response.note):
            if line:
                self._out.write("\n" + textwrap.fill(line, self._width) + "\n")
        for message in response.messages:
            paragraphs = message.text.split("\n\n")
            self._out.write("\n" + "\n\n".join(self._fill(p) for p in paragraphs) + "\n")
            if message.buttons:
                self._buttons = message.buttons
                self._out.write("  ".join(f"[{i}] {b.label}" for i, b in enumerate(message.buttons, 1)) + "\n")
        self._out.flush()
