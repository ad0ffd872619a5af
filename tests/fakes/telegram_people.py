"""Synthetic Telegram users for the fake Bot API: they write, press buttons, send stickers and contacts.

Each action queues the update Telegram would deliver (same JSON shape) and returns its update id.
Everyone here is invented; real conversations never become fixtures.
"""

from __future__ import annotations

import re
import time
from typing import Any

from fakes.bot_api import FakeBotApi

_MENTION = re.compile(r"@\w+")
_COMMAND = re.compile(r"^/\w+(@\w+)?")


class Person:
    """A Telegram user writing in one chat (a private chat unless `group` is given).

    Args:
        fake: the Bot API server the updates go to.
        user_id: the Telegram user id (a private chat has the same id).
        first_name, username, language_code: what Telegram tells bots about the user.
        group: a group chat's id (negative); the person then writes in that group.
    """

    def __init__(self, fake: FakeBotApi, user_id: int, first_name: str = "Testperson",
                 username: str | None = "testperson", language_code: str = "da", group: int | None = None) -> None:
        self.fake = fake
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
        if username:
            self.user["username"] = username
        if group is None:
            self.chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
            if username:
                self.chat["username"] = username
        else:
            self.chat = {"id": group, "type": "group", "title": "Testgruppe"}

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    def _message(self, **content: Any) -> dict[str, Any]:
        return {"message_id": self.fake.new_message_id(), "date": int(time.time()), "chat": self.chat,
                "from": self.user, **content}

    def says(self, text: str, reply_to: dict[str, Any] | None = None) -> int:
        """Send a text (commands and @mentions carry their entities, as Telegram adds them)."""
        entities = []
        command = _COMMAND.match(text)
        if command:
            entities.append({"type": "bot_command", "offset": 0, "length": len(command.group(0))})
        for mention in _MENTION.finditer(text):
            if not (command and mention.start() < command.end()):
                entities.append({"type": "mention", "offset": mention.start(), "length": len(mention.group(0))})
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        return self.fake.push("message", self._message(**content))

    def edits(self, text: str) -> int:
        """Edit an earlier message (Telegram sends an edited_message update)."""
        return self.fake.push("edited_message", self._message(text=text, edit_date=int(time.time())))

    def presses(self, label: str) -> int:
        """Press the button with this label in the bot's latest message to this chat that has it."""
        for call in reversed(self.fake.sent(self.chat_id)):
            markup = call.params.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label:
                        message = self.fake.message(self.chat_id, call.result["message_id"])
                        return self.press_payload(button["callback_data"], message)
        raise AssertionError(f"no button labelled {label!r} in the bot's messages")

    def press_payload(self, data: str, message: dict[str, Any] | None = None) -> int:
        """Press a button carrying `data` on a message the bot sent (or on one too old to be shown)."""
        query: dict[str, Any] = {"id": str(self.fake.new_message_id()), "from": self.user,
                                 "chat_instance": f"ci{self.chat_id}", "data": data}
        if message is not None:
            query["message"] = dict(message)
        return self.fake.push("callback_query", query)

    def sends(self, kind: str) -> int:
        """Send something that is not text: sticker, photo, voice, location, contact."""
        content: dict[str, Any]
        if kind == "sticker":
            content = {"sticker": {"file_id": "s1", "file_unique_id": "s1u", "type": "regular", "width": 512,
                                   "height": 512, "is_animated": False, "is_video": False}}
        elif kind == "photo":
            content = {"photo": [{"file_id": "p1", "file_unique_id": "p1u", "width": 90, "height": 90}]}
        elif kind == "voice":
            content = {"voice": {"file_id": "v1", "file_unique_id": "v1u", "duration": 3}}
        elif kind == "location":
            content = {"location": {"latitude": 57.2702, "longitude": 9.9411}}
        elif kind == "contact":
            content = {"contact": {"phone_number": "+4512345678", "first_name": str(self.user["first_name"]),
                                   "user_id": self.user["id"]}}
        else:
            raise ValueError(kind)
        return self.fake.push("message", self._message(**content))
