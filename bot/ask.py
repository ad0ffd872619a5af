"""`stifinder ask`: one question on the command line, or JSON lines in and out for scripts.

JSON lines may name a role: "citizen" (the default) goes to the citizen assistant; "caseworker" and
"team" go to the provider desk, and their answers also list the matched `provider_ids`.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, TextIO

from bot.identity import conversation_key
from bot.wiring import App
from dialogs import Incoming, Response, Role
from nlu import detect_language
from privacy import mask_cpr


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
        if role is Role.CITIZEN:
            response = await ask_one(app, request["text"], chat, role)
            record = response_record(chat, request["text"], role, response)
        else:
            record = await ask_desk(app, request["text"], chat, role, number)
        stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        stdout.flush()
    return bad


async def ask_desk(app: App, text: str, chat: str, role: Role, number: int) -> dict[str, Any]:
    """Answer a caseworker's or team's line with the provider desk (no authentication: a local tool).

    A line that is not a provider question gets an error object (it is not counted as a bad line:
    the input was well-formed; the desk just has nothing to say).
    """
    masked, _ = mask_cpr(text)
    lang = detect_language(masked) or app.engine.deps.default_lang
    if app.provider_desk is None:
        return {"line": number, "chat": chat, "text": text, "role": role.value, "error": "no provider desk is configured"}
    found = await app.provider_desk.answer_with_ids(masked, lang, now=datetime.now(timezone.utc))
    if found is None:
        return {"line": number, "chat": chat, "text": text, "role": role.value,
                "error": "not a provider question (caseworker and team lines are answered by the provider desk)"}
    return response_record(chat, text, role, found.response) | {"provider_ids": list(found.provider_ids)}
