"""The guided first contact quotes the knowledge entries instead of keeping its own copy of them."""

from __future__ import annotations

import pytest

from conftest import Chat
from dialogs import Deps, DialogEngine
from knowledge import render


@pytest.mark.parametrize("lang, message, office_phone", [
    ("da", "jeg er 45 og har brug for hjælp", "9945 4421"),
    ("en", "I'm 24, not on disability pension, and I need help", "9945 4705"),
])
async def test_anonymous_treatment_is_offered_in_the_entrys_words(engine: DialogEngine, deps: Deps, lang: str,
                                                                    message: str, office_phone: str) -> None:
    response = await Chat(engine, conv=f"flow-{lang}").say(message, lang=lang)
    assert response.keys[0] == "utter_route_office", response.text
    entry = deps.standard.entry("anonymous_treatment")
    values = deps.municipality.placeholders(lang)
    before_routing = render(entry.answer[lang], values).split("{routing_rule}")[0]
    assert entry.caveat is not None
    assert before_routing in response.text and render(entry.caveat.text[lang], values) in response.text
    # The entry's condition and office, and the person's own office for treatment that is not anonymous.
    assert ("ikke har sociale problemer" if lang == "da" else "no social problems") in response.text
    assert "2491 6541" in response.text and office_phone in response.text
    assert entry.source in response.sources


async def test_the_flows_own_anonymity_line_is_gone(engine: DialogEngine) -> None:
    response = await Chat(engine, conv="flow-old").say("jeg er 31 og vil gerne have hjælp")
    assert "Spørg efter det, når du ringer" not in response.text
