"""`stifinder ask`: one question on the command line, or JSON lines in and out for scripts.

Every line goes through the one engine. A line may name a role: "citizen" (the default),
"caseworker" or "team", and with `"as": ID` a registered caseworker (their cases and deadlines);
`stifinder ask` is a local tool with the database's own rights, so the role is taken as given.
Answers of the provider desk also list the matched `provider_ids`.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, TextIO

from bot.identity import conversation_key
from bot.wiring import App
from dialogs import Incoming, Response, Role, Sender

CHANNEL = "ask"


def response_record(chat: str, text: str, role: Role, response: Response) -> dict[str, Any]:
    """Return the JSON object written for one answered line."""
    record: dict[str, Any] = {
        "chat": chat, "text": text, "role": role.value, "reply": response.text, "intent": response.intent,
        "confidence": round(response.confidence, 4), "sources": response.sources, "lang": response.lang,
        "route": response.route, "keys": response.keys,
        "buttons": [{"label": b.label, "payload": b.payload} for m in response.messages for b in m.buttons],
    }
    if response.route.startswith("provider_desk."):
        record["provider_ids"] = response.about
    return record


def sender_for(role: Role, caseworker: int | None = None, team: str | None = None) -> Sender:
    """The sender of a local tool's line: the role its operator asks for (a team is always addressed)."""
    return Sender(CHANNEL, account=caseworker, group=role is Role.TEAM, addressed=role is Role.TEAM,
                  claimed=role, team=team)


async def ask_one(app: App, text: str, chat: str = "ask", role: Role = Role.CITIZEN,
                  caseworker: int | None = None) -> Response:
    """Answer one message in the named chat."""
    conv = conversation_key(app.secret, CHANNEL, f"{role.value}:{chat}")
    return await app.engine.handle(Incoming(conv=conv, text=text, at=datetime.now(timezone.utc),
                                            sender=sender_for(role, caseworker)))


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
            if role is Role.GROUP:
                raise ValueError("role must be citizen, caseworker or team")
            caseworker = request.get("as")
            if caseworker is not None and (not isinstance(caseworker, int) or isinstance(caseworker, bool)):
                raise ValueError("'as' must be a caseworker's id (a whole number)")
        except (json.JSONDecodeError, ValueError) as exc:
            bad += 1
            message = "not valid JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
            stdout.write(json.dumps({"line": number, "error": message}, ensure_ascii=False) + "\n")
            stdout.flush()
            continue
        response = await ask_one(app, request["text"], chat, role, caseworker)
        stdout.write(json.dumps(response_record(chat, request["text"], role, response), ensure_ascii=False) + "\n")
        stdout.flush()
    return bad
