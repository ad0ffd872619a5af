"""Runs the conversation scripts in tests/conversations/*.yml against the real engine and content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Chat
from dialogs import DialogEngine

SCRIPTS = Path(__file__).resolve().parent.parent / "conversations"


def scripts() -> list[Any]:
    cases = []
    for path in sorted(SCRIPTS.glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            cases.append(pytest.param(conversation, id=f"{path.stem}: {conversation['name']}"))
    return cases


@pytest.mark.parametrize("conversation", scripts())
async def test_conversation(engine: DialogEngine, conversation: dict[str, Any]) -> None:
    chat = Chat(engine, conv="script")
    for number, turn in enumerate(conversation["turns"], 1):
        response = await chat.say(turn["user"])
        where = f"turn {number} ({turn['user']!r}) → {response.keys} via {response.route}:\n{response.text}"
        if "keys" in turn:
            assert response.keys == turn["keys"], where
        for fact in turn.get("contains", []):
            assert fact.lower() in response.text.lower(), where
        for fact in turn.get("not_contains", []):
            assert fact.lower() not in response.text.lower(), where
        if "buttons" in turn:
            assert len([b for m in response.messages for b in m.buttons]) == turn["buttons"], where
        if "step" in turn:
            state = await engine.state_of("script", chat.at)
            assert state.step == turn["step"], where


@pytest.mark.parametrize("message, number, other", [
    ("jeg er 35 og vil klage over min afgørelse", "9945 4421", "9945 4705"),
    ("jeg er 23, hvordan klager jeg over min sagsbehandler", "9945 4705", "9945 4421"),
    ("I'm 52, from when does the treatment guarantee count", "9945 4421", "9945 4705"),
])
async def test_faq_answers_name_only_the_office_that_fits_a_given_age(engine: DialogEngine, message: str,
                                                                     number: str, other: str) -> None:
    response = await Chat(engine, conv="faq-age").say(message)
    assert response.keys[0] == "utter_faq_answer", response.text
    assert number in response.text and other not in response.text


async def test_faq_answers_without_an_age_give_the_whole_rule(engine: DialogEngine) -> None:
    response = await Chat(engine, conv="faq-no-age").say("hvordan klager jeg over en afgørelse")
    assert "9945 4421" in response.text and "9945 4705" in response.text and "{" not in response.text
