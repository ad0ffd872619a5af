"""`stifinder ask`: one question on the command line, or JSON lines in and out for scripts."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, TextIO

from bot.identity import conversation_key
from bot.wiring import App
from dialogs import Incoming, Response, Role


def response_record(chat: str, text: str, role: Role, response: Response) -> dict[str, Any]:
    """Return the JSON object written for one answered line."""
    return {
        "chat": chat, "text": text, "role": role.value, "reply": response.text, "intent": response.intent,
        "confidence": round(response.confidence, 4), "sources": response.sources, "lang": response.lang,
        "route": response.route, "keys": response.keys,
        "buttons": [{"label": b.label, "payload": b.payload} for m in response.messages for b in m.buttons],
    }


async def ask_one(app: App, text: str, chat: str = "ask", role: Role = Role.CITIZEN) -> Response:
    """Answer one message in the named chat."""
    conv = conversation_key(app.secret, "ask", chat)
    return await app.engine.handle(Incoming(conv=conv, text=text, at=datetime.now(timezone.utc), role=role))


async def ask_jsonl(app: App, stdin: TextIO, stdout: TextIO) -> int:
    """Answer each JSON line of stdin with one JSON line; return the number of bad lines."""
    bad = 0
    for number, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict) or not isinstance(request.get("text"), str):
                raise ValueError("needs an object with a string 'text'")
            chat = str(request.get("chat", f"line-{number}"))
            role = Role(request.get("role", "citizen"))
        except (json.JSONDecodeError, ValueError) as exc:
            bad += 1
            message = "not valid JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
            stdout.write(json.dumps({"line": number, "error": message}, ensure_ascii=False) + "\n")
            stdout.flush()
            continue
        response = await ask_one(app, request["text"], chat, role)
        stdout.write(json.dumps(response_record(chat, request["text"], role, response), ensure_ascii=False) + "\n")
        stdout.flush()
    return bad
