"""RasaParser against a mocked Rasa server (httpx.MockTransport), FallbackParser, and the Rasa export."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from nlu import NluUnavailable, Parse, load_training_data
from nlu.rasa_client import FallbackParser, RasaParser, to_parse
from nlu.rasa_export import export_project

ROOT = Path(__file__).resolve().parent.parent

URL = "http://127.0.0.1:5005"
TOKEN = "s3cret-token"
TEXT = "koster det noget at komme i behandling, jeg er 34 og ryger hash"

# The shape of Rasa 3.6's POST /model/parse with a ResponseSelector(retrieval_intent=faq).
FAQ_BODY: dict[str, Any] = {
    "text": TEXT,
    "intent": {"name": "faq", "confidence": 0.97},
    "entities": [
        {"entity": "age", "start": 47, "end": 49, "confidence_entity": 0.99, "value": "34", "extractor": "DIETClassifier"},
        {"entity": "substance", "start": 59, "end": 63, "confidence_entity": 0.98, "value": "hash",
         "extractor": "DIETClassifier"},
    ],
    "text_tokens": [[0, 6]],
    "intent_ranking": [{"name": "faq", "confidence": 0.97}, {"name": "need_help", "confidence": 0.02},
                       {"name": "greet", "confidence": 0.01}],
    "response_selector": {
        "all_retrieval_intents": ["faq"],
        "faq": {
            "response": {"responses": [{"text": "Behandlingen er gratis."}], "confidence": 0.88,
                         "intent_response_key": "faq/treatment_cost", "utter_action": "utter_faq/treatment_cost"},
            "ranking": [{"confidence": 0.88, "intent_response_key": "faq/treatment_cost"},
                        {"confidence": 0.07, "intent_response_key": "faq/anonymous_treatment"}],
        },
    },
}


def rasa(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> RasaParser:
    return RasaParser(URL, client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **kwargs)


def answer(body: Any, status: int = 200) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, json=body)


def body_with(**changes: Any) -> dict[str, Any]:
    return {**json.loads(json.dumps(FAQ_BODY)), **changes}


async def test_a_retrieval_intent_becomes_the_selected_faq_with_its_confidence() -> None:
    parse = await rasa(answer(FAQ_BODY)).parse(TEXT)

    assert parse.intent == "faq/treatment_cost"
    assert parse.confidence == pytest.approx(0.88)
    assert parse.ranking == (("faq/treatment_cost", 0.88), ("faq/anonymous_treatment", 0.07),
                             ("need_help", 0.02), ("greet", 0.01))
    assert parse.extra["backend"] == "rasa"


async def test_a_plain_intent_keeps_its_name_confidence_and_ranking() -> None:
    body = body_with(intent={"name": "greet", "confidence": 0.91},
                     intent_ranking=[{"name": "greet", "confidence": 0.91}, {"name": "thanks", "confidence": 0.09}])
    del body["response_selector"]

    parse = await rasa(answer(body)).parse("hej")

    assert (parse.intent, parse.confidence) == ("greet", 0.91)
    assert parse.ranking == (("greet", 0.91), ("thanks", 0.09))
    assert parse.text == "hej"


async def test_rasas_own_entities_are_kept_and_typed_ones_come_from_the_embedded_extractor() -> None:
    parse = await rasa(answer(FAQ_BODY)).parse(TEXT)

    assert [(e.value, TEXT[e.start:e.end]) for e in parse.entities if e.entity == "substance"] == [("hash", "hash")]
    assert [(e.value, TEXT[e.start:e.end]) for e in parse.entities if e.entity == "age"] == [(34, "34")]


async def test_a_denied_pension_stays_denied_although_rasa_only_marks_the_mention() -> None:
    text = "jeg er 24 og ikke på førtidspension"
    body = body_with(text=text, entities=[{"entity": "pension", "start": 21, "end": 35, "value": "førtidspension"}])

    parse = await rasa(answer(body)).parse(text)

    assert parse.values("pension") == [False]
    assert parse.values("age") == [24]


async def test_without_typed_entities_rasas_values_are_mapped_with_whole_numbers_as_ints() -> None:
    body = body_with(entities=[
        {"entity": "age", "start": 3, "end": 5, "value": "34", "role": "concerned"},
        {"entity": "duration", "start": 0, "end": 1, "value": 2.0},
        {"entity": "time", "start": 0, "end": 1, "value": {"from": "2026-11-23"}},
    ])

    parse = await rasa(answer(body), typed_entities=False).parse(TEXT)

    assert [(e.entity, e.value, e.start, e.end, e.role) for e in parse.entities] == [
        ("age", 34, 3, 5, "concerned"), ("duration", 2, 0, 1, None), ("time", '{"from": "2026-11-23"}', 0, 1, None)]


async def test_nlu_fallback_is_undone_so_stifinder_applies_its_own_threshold() -> None:
    body = body_with(intent={"name": "nlu_fallback", "confidence": 0.7},
                     intent_ranking=[{"name": "nlu_fallback", "confidence": 0.7}, {"name": "greet", "confidence": 0.41},
                                     {"name": "thanks", "confidence": 0.3}])
    del body["response_selector"]

    parse = await rasa(answer(body)).parse("hm")

    assert (parse.intent, parse.confidence) == ("greet", 0.41)
    assert parse.ranking == (("greet", 0.41), ("thanks", 0.3))
    assert parse.extra["rasa_fallback"] is True


async def test_nlu_fallback_over_a_retrieval_intent_keeps_the_selected_faq() -> None:
    body = body_with(intent={"name": "nlu_fallback", "confidence": 0.7},
                     intent_ranking=[{"name": "nlu_fallback", "confidence": 0.7}, {"name": "faq", "confidence": 0.5}])

    parse = await rasa(answer(body)).parse(TEXT)

    assert (parse.intent, parse.confidence) == ("faq/treatment_cost", 0.88)


async def test_the_token_is_sent_as_the_query_parameter_rasa_checks() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=FAQ_BODY)

    await rasa(handler, token=TOKEN).parse(TEXT)

    request = seen[0]
    assert request.method == "POST"
    assert request.url.path == "/model/parse"
    assert request.url.params["token"] == TOKEN
    assert json.loads(request.content) == {"text": TEXT}


async def test_without_a_token_no_query_is_sent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=FAQ_BODY)

    await RasaParser(URL + "/", client=httpx.AsyncClient(transport=httpx.MockTransport(handler))).parse(TEXT)

    assert str(seen[0].url) == URL + "/model/parse"


def raising(error: type[httpx.HTTPError]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error(f"failed for {request.url}", request=request)  # type: ignore[call-arg]

    return handler


@pytest.mark.parametrize("handler", [
    pytest.param(raising(httpx.ConnectError), id="connection-refused"),
    pytest.param(raising(httpx.ReadError), id="connection-reset"),
    pytest.param(raising(httpx.ConnectTimeout), id="connect-timeout"),
    pytest.param(raising(httpx.ReadTimeout), id="read-timeout"),
    pytest.param(raising(httpx.RemoteProtocolError), id="protocol-error"),
    pytest.param(answer({"error": "x"}, 500), id="http-500"),
    pytest.param(answer({"message": "User is not authenticated."}, 401), id="http-401"),
    pytest.param(answer({"message": "No model loaded"}, 409), id="http-409-no-model"),
    pytest.param(lambda request: httpx.Response(200, content=b"{not json"), id="malformed-json"),
    pytest.param(lambda request: httpx.Response(200, content=b"\xff\xfe\x00"), id="not-utf8"),
    pytest.param(answer([1, 2]), id="json-list"),
    pytest.param(answer({"text": TEXT, "intent": {"name": None, "confidence": 0.0}}), id="no-intent-name"),
    pytest.param(answer({"text": TEXT}), id="no-intent"),
    pytest.param(answer(body_with(intent={"name": "greet", "confidence": "high"})), id="bad-confidence"),
    pytest.param(answer(body_with(entities=[{"entity": "age"}])), id="entity-without-span"),
    pytest.param(answer(body_with(intent_ranking=[{"confidence": 0.5}])), id="ranking-without-name"),
])
async def test_every_failure_raises_nlu_unavailable_without_token_or_text(
        handler: Callable[[httpx.Request], httpx.Response]) -> None:
    with pytest.raises(NluUnavailable) as caught:
        await rasa(handler, token=TOKEN).parse(TEXT)

    assert TOKEN not in str(caught.value)
    assert "hash" not in str(caught.value)
    assert caught.value.__cause__ is None  # no chained httpx error carrying the URL


def test_to_parse_maps_the_rasa_json_directly() -> None:
    parse = to_parse(TEXT, FAQ_BODY)

    assert parse.intent == "faq/treatment_cost"
    assert [e.entity for e in parse.entities] == ["age", "substance"]


class FakeParser:
    """A parser that answers one intent, or raises NluUnavailable."""

    def __init__(self, intent: str = "greet", fails: bool = False) -> None:
        self.intent = intent
        self.fails = fails
        self.calls = 0
        self.closed = False

    async def parse(self, text: str) -> Parse:
        self.calls += 1
        if self.fails:
            raise NluUnavailable("rasa unreachable (ConnectError)")
        return Parse(text=text, intent=self.intent, confidence=0.9)

    async def aclose(self) -> None:
        self.closed = True


async def test_the_fallback_answers_when_the_primary_is_unavailable(caplog: pytest.LogCaptureFixture) -> None:
    primary, local = FakeParser(fails=True), FakeParser("faq/treatment_cost")

    with caplog.at_level(logging.DEBUG, logger="nlu.rasa_client"):
        parse = await FallbackParser(primary, local).parse(TEXT)

    assert parse.intent == "faq/treatment_cost"
    assert (primary.calls, local.calls) == (1, 1)
    records = [r for r in caplog.records if r.name == "nlu.rasa_client"]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    assert "ConnectError" in records[0].getMessage()
    assert "hash" not in caplog.text and "behandling" not in caplog.text


async def test_the_fallback_is_not_asked_while_the_primary_answers(caplog: pytest.LogCaptureFixture) -> None:
    primary, local = FakeParser("faq/treatment_cost"), FakeParser("greet")

    parse = await FallbackParser(primary, local).parse(TEXT)

    assert parse.intent == "faq/treatment_cost"
    assert local.calls == 0
    assert not caplog.records


async def test_a_rasa_failure_falls_back_to_the_local_parser_end_to_end() -> None:
    local = FakeParser("faq/treatment_cost")

    parse = await FallbackParser(rasa(raising(httpx.ConnectError)), local).parse(TEXT)

    assert parse.intent == "faq/treatment_cost"


async def test_aclose_closes_what_the_parsers_own() -> None:
    injected = httpx.AsyncClient(transport=httpx.MockTransport(answer(FAQ_BODY)))
    await RasaParser(URL, client=injected).aclose()
    assert not injected.is_closed  # an injected client belongs to the caller

    own = RasaParser(URL)
    await own.aclose()
    assert own._client.is_closed

    primary, local = FakeParser(), FakeParser()
    await FallbackParser(primary, local).aclose()
    assert primary.closed and local.closed
    await injected.aclose()


# The exported project is what the server above is trained on; checked here because it needs no Rasa.

def test_the_exported_nlu_data_reads_back_as_the_same_training_data(tmp_path: Path) -> None:
    data_dir = ROOT / "nlu" / "data"
    written = export_project(tmp_path, data_dir, {"utter_faq/treatment_cost": "Det er gratis.\nKilde: x"})

    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "config-light.yml", "config.yml", "data/nlu.yml", "data/rules.yml", "domain.yml"]
    (tmp_path / "nlu-only").mkdir()
    (tmp_path / "data" / "nlu.yml").rename(tmp_path / "nlu-only" / "nlu.yml")
    source, exported = load_training_data(data_dir), load_training_data(tmp_path / "nlu-only")
    assert sorted({(e.text, e.intent, e.entities) for e in exported.examples}) == sorted(
        {(e.text, e.intent, e.entities) for e in source.examples})
    assert (exported.synonyms, exported.regexes) == (source.synonyms, source.regexes)
    assert {k: sorted(set(v)) for k, v in exported.lookups.items()} == {
        k: sorted(set(v)) for k, v in source.lookups.items()}


def test_the_exported_domain_answers_faq_as_a_retrieval_intent(tmp_path: Path) -> None:
    export_project(tmp_path, ROOT / "nlu" / "data", {"utter_faq/treatment_cost": "Det er gratis."})

    domain = yaml.safe_load((tmp_path / "domain.yml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((tmp_path / "data" / "rules.yml").read_text(encoding="utf-8"))
    nlu_text = (tmp_path / "data" / "nlu.yml").read_text(encoding="utf-8")
    assert "faq" in domain["intents"] and not [i for i in domain["intents"] if i.startswith("faq/")]
    assert {"age", "pension", "substance", "offer_type"} <= set(domain["entities"])
    assert domain["responses"] == {"utter_faq/treatment_cost": [{"text": "Det er gratis."}]}
    assert rules["rules"][0]["steps"] == [{"intent": "faq"}, {"action": "utter_faq"}]
    assert "- intent: faq/treatment_cost\n  examples: |\n" in nlu_text  # literal blocks, as Rasa's docs write them
    for name in ("config.yml", "config-light.yml"):
        config = yaml.safe_load((tmp_path / name).read_text(encoding="utf-8"))
        assert config["language"] == "da"
        selector = next(c for c in config["pipeline"] if c["name"] == "ResponseSelector")
        assert selector["retrieval_intent"] == "faq"
