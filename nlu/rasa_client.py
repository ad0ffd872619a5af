"""A Rasa server as the NLU backend: `POST /model/parse` mapped to a `Parse`, and a fallback wrapper.

`RasaParser` is interchangeable with the embedded `LocalParser`; `FallbackParser(rasa, local)` answers
with the local model whenever Rasa fails. Never logs message text, entity values, raw responses, or
the request URL (it carries the token).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

from nlu.entities import Entity, EntityExtractor
from nlu.errors import NluUnavailable
from nlu.parser import Parse, Parser

log = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"  # what Rasa's FallbackClassifier predicts below its threshold
# Entities the dialogs read as typed values (an int age, a negatable førtidspension, age bands, CPR).
# Rasa only marks where they are mentioned, so these come from the embedded regex extractors.
TYPED_ENTITIES = frozenset({"age", "age_turning", "age_band", "pension", "cpr", "language"})


class RasaParser:
    """Parse text with a Rasa 3.x server started with `rasa run --enable-api`.

    The token goes in the `?token=` query parameter because that is what `rasa run --auth-token`
    checks (rasa/server.py `requires_auth` reads `request.args["token"]`; a header is only read
    for JWT auth). The URL therefore carries a secret: it is never logged here, and `bot.logs`
    keeps httpx, which logs request URLs, at WARNING.
    """

    def __init__(self, url: str, token: str | None = None, timeout: float = 2.0,
                 client: httpx.AsyncClient | None = None, typed_entities: bool = True) -> None:
        """Prepare the client; nothing connects before the first parse.

        Args:
            url: the server's base URL, e.g. `http://127.0.0.1:5005`.
            token: the server's `--auth-token`, or None when it has none.
            timeout: seconds for each of connect, write, read and pool wait.
            client: an injected client (tests pass one with `httpx.MockTransport`); closed by its owner.
            typed_entities: take age, age band, førtidspension and CPR from the embedded extractors
                instead of Rasa (see `TYPED_ENTITIES`); False keeps Rasa's entities only.
        """
        self._endpoint = url.rstrip("/") + "/model/parse"
        self._params = {"token": token} if token else {}
        self._timeout = httpx.Timeout(timeout)
        self._owns_client = client is None
        self._client = client if client is not None else httpx.AsyncClient(timeout=self._timeout)
        self._typed = EntityExtractor() if typed_entities else None

    async def parse(self, text: str) -> Parse:
        """Return Rasa's parse of the text.

        Raises:
            NluUnavailable: connection error, timeout, a non-2xx status or an unusable body.
        """
        try:
            response = await self._client.post(self._endpoint, params=self._params, json={"text": text},
                                               timeout=self._timeout)
        except httpx.TimeoutException as exc:
            raise NluUnavailable(f"rasa timed out ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:  # connection refused, reset, protocol errors; str(exc) may hold the URL
            raise NluUnavailable(f"rasa unreachable ({type(exc).__name__})") from None
        if not response.is_success:
            raise NluUnavailable(f"rasa answered HTTP {response.status_code}")
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise NluUnavailable("rasa answered with malformed JSON") from None
        parse = to_parse(text, body)
        if self._typed is not None:
            own = tuple(e for e in parse.entities if e.entity not in TYPED_ENTITIES)
            typed = tuple(e for e in self._typed.extract(text) if e.entity in TYPED_ENTITIES)
            parse = Parse(parse.text, parse.intent, parse.confidence, own + typed, parse.ranking, parse.extra)
        return parse

    async def aclose(self) -> None:
        """Close the HTTP client if this parser created it."""
        if self._owns_client:
            await self._client.aclose()


def to_parse(text: str, body: Any) -> Parse:
    """Map the JSON of Rasa's `POST /model/parse` to a Parse.

    A retrieval intent (`faq`) becomes the response selector's `intent_response_key`
    (`faq/treatment_cost`) with the selector's confidence, and in the ranking it is replaced by the
    selector's ranking. `nlu_fallback` is undone: the intent becomes the best real one with its own
    confidence, because Stifinder applies its own threshold and backs low confidence with retrieval.

    Raises:
        NluUnavailable: the body lacks an intent name or has malformed fields.
    """
    intent = body.get("intent") if isinstance(body, dict) else None
    if not isinstance(intent, dict) or not isinstance(intent.get("name"), str) or not intent["name"]:
        raise NluUnavailable("rasa answered without an intent (is an NLU model loaded?)")
    try:
        name: str = intent["name"]
        confidence = float(intent["confidence"])
        ranking = [(str(item["name"]), float(item["confidence"])) for item in body.get("intent_ranking") or []]
        extra: dict[str, object] = {"backend": "rasa"}
        if name == FALLBACK_INTENT:
            real = [(n, c) for n, c in ranking if n != FALLBACK_INTENT]
            if real:
                extra["rasa_fallback"] = True
                name, confidence = real[0]
            ranking = real
        selectors = body.get("response_selector") or {}
        selected = _selected(selectors, name)
        if selected is not None:
            name, confidence = selected
        ranking = _expand(ranking, selectors)
        entities = tuple(_entity(item) for item in body.get("entities") or [])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NluUnavailable(f"rasa answered an unusable parse ({type(exc).__name__})") from None
    return Parse(text=text, intent=name, confidence=confidence, entities=entities, ranking=tuple(ranking), extra=extra)


def _selected(selectors: dict[str, Any], intent: str) -> tuple[str, float] | None:
    """Return the selector's full intent and confidence when `intent` is a retrieval intent."""
    selector = selectors.get(intent) or selectors.get("default")
    if not isinstance(selector, dict):
        return None
    response = selector.get("response") or {}
    key = response.get("intent_response_key")
    if not isinstance(key, str) or not key.startswith(intent + "/"):
        return None
    return key, float(response["confidence"])


def _expand(ranking: list[tuple[str, float]], selectors: dict[str, Any]) -> list[tuple[str, float]]:
    """Replace each retrieval intent in the ranking by its selector's ranking."""
    expanded: list[tuple[str, float]] = []
    for name, confidence in ranking:
        selector = selectors.get(name)
        if isinstance(selector, dict) and selector.get("ranking"):
            expanded.extend((str(item["intent_response_key"]), float(item["confidence"]))
                            for item in selector["ranking"])
        else:
            expanded.append((name, confidence))
    return expanded


def _entity(item: dict[str, Any]) -> Entity:
    value = item["value"]
    if isinstance(value, str) and value.isdecimal():
        value = int(value)  # Rasa returns text; the embedded extractor gives numbers (ages) as ints
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif not isinstance(value, (str, int, bool)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    role = item.get("role")
    return Entity(str(item["entity"]), value, int(item["start"]), int(item["end"]),
                  role=str(role) if role is not None else None)


class FallbackParser:
    """Ask the primary parser (Rasa); when it is unavailable, ask the fallback (the embedded model)."""

    def __init__(self, primary: Parser, fallback: Parser) -> None:
        self.primary = primary
        self.fallback = fallback

    async def parse(self, text: str) -> Parse:
        """Return the primary's parse, or the fallback's when the primary raises NluUnavailable."""
        try:
            return await self.primary.parse(text)
        except NluUnavailable as exc:
            log.warning("nlu primary unavailable (%s); the embedded parser answers", exc)
            return await self.fallback.parse(text)

    async def aclose(self) -> None:
        """Close both parsers where they hold resources."""
        for parser in (self.primary, self.fallback):
            close = getattr(parser, "aclose", None)
            if close is not None:
                await close()
