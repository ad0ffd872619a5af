"""Two questions in one message get two answers; one question, or an unsure second clause, gets one."""

from __future__ import annotations

import pytest

from datetime import datetime, timezone

from conftest import Chat
from dialogs import Incoming
from dialogs.citizen.compound import asks, clause_entries, clauses, questions
from dialogs.context import Deps, Turn
from dialogs.turn import State
from nlu import Parse


@pytest.mark.parametrize("text, expected", [
    ("hvor tit er samtalerne, og koster det noget?", ["hvor tit er samtalerne", "koster det noget"]),
    ("how often are the sessions and does it cost money", ["how often are the sessions", "does it cost money"]),
    ("hvad koster det", ["hvad koster det"]),
    ("min søn og min datter tager stoffer", ["min søn og min datter tager stoffer"]),  # "og" before no question
    ("Jeg er 40. Hvem skal jeg ringe til? Og koster det noget?",
     ["Jeg er 40", "Hvem skal jeg ringe til", "koster det noget"]),
])
def test_a_message_is_cut_into_clauses_at_questions(text: str, expected: list[str]) -> None:
    assert clauses(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Min søn er 24. Vi bor i Brønderslev. Hvor skal vi ringe hen, og skal han betale selv? Han har ingen penge",
     ["Hvor skal vi ringe hen", "skal han betale selv"]),
    ("I'm 40 and live in Aalborg. how long is the wait and do I need to pay", ["how long is the wait", "do I need to pay"]),
    ("to ting: hvad koster det og hvor lang tid skal jeg vente", ["to ting: hvad koster det", "hvor lang tid skal jeg vente"]),
])
def test_only_the_clauses_that_ask_are_questions(text: str, expected: list[str]) -> None:
    assert questions(text) == expected


async def test_two_questions_get_two_answers(chat: Chat) -> None:
    response = await chat.say("individuel behandling, hvor tit er samtalerne og koster det noget")
    assert response.keys == ["utter_faq_answer", "utter_faq_answer"]
    assert "ugentlig" in response.text and "gratis" in response.text


async def test_two_questions_in_english_get_two_answers(chat: Chat) -> None:
    response = await chat.say("is the medical treatment free and where can I complain about the doctor?")
    assert len(response.keys) == 2
    assert "free" in response.text.lower()


async def test_whom_to_call_with_an_age_and_the_price(chat: Chat) -> None:
    response = await chat.say("Jeg er 40 og vil gerne afgiftes. Hvem skal jeg ringe til, og koster det noget?")
    assert "9945 4421" in response.text and "9945 4705" not in response.text
    assert "gratis" in response.text


async def test_a_comparison_gets_the_answers_of_both_sides(chat: Chat) -> None:
    response = await chat.say("what's the difference between anonymous treatment and day treatment?")
    assert response.keys == ["utter_faq_answer", "utter_faq_answer"]
    assert "anonymous outpatient group treatment" in response.text and "4 days a week" in response.text
    response = await chat.say("hvad er forskellen på dagbehandling og døgnbehandling", lang="da")
    assert "4 dage om ugen" in response.text and "døgn" in response.text.split("4 dage om ugen")[1]


async def test_two_clear_questions_in_one_message_get_both_answers(chat: Chat) -> None:
    response = await chat.say("how long do i have to wait for outpatient treatment and do i need to pay?")
    assert response.route in ("faq.answer", "faq.clauses") and len(response.keys) == 2
    assert "14 days" in response.text and "free" in response.text


class ClauseParser:
    """A parser sure of each clause and unsure of the whole message."""

    SURE = {"how long is the wait": "faq/treatment_guarantee_14_days", "do i need to pay": "faq/treatment_cost"}

    async def parse(self, text: str) -> Parse:
        intent = self.SURE.get(text.strip().lower())
        return Parse(text, intent or "faq/eligibility", 0.9 if intent else 0.1)


async def test_the_clauses_of_an_unclear_message_each_sure_of_an_entry(deps: Deps) -> None:
    text = "how long is the wait and do i need to pay?"
    turn = Turn(Incoming(conv="c", text=text, at=datetime.now(timezone.utc)), text, Parse(text, "faq/eligibility", 0.1),
                State(), "en", deps)
    assert await clause_entries(turn, ClauseParser()) == ["treatment_guarantee_14_days", "treatment_cost"]


async def test_one_question_gets_one_answer(chat: Chat) -> None:
    response = await chat.say("hvad koster behandling for stofmisbrug?")
    assert response.keys == ["utter_faq_answer"]


async def test_an_unsure_second_clause_adds_nothing(chat: Chat) -> None:
    response = await chat.say("hvad koster behandlingen, og blorp zzz qwerty")
    assert response.keys == ["utter_faq_answer"]


async def test_whom_to_call_is_not_answered_twice(chat: Chat) -> None:
    response = await chat.say("jeg er 45 og har brug for hjælp. hvem skal jeg ringe til?")
    assert response.keys == ["utter_route_office"]
    assert "9945 4705" not in response.text


async def test_an_answer_names_the_office_for_the_age_the_message_gives(chat: Chat) -> None:
    response = await chat.say("hvor tit bliver behandlingsplanen revideret? jeg er 40")
    assert "halve år" in response.text
    assert "9945 4421" in response.text and "9945 4705" not in response.text


async def test_an_answer_without_an_age_adds_no_office(chat: Chat) -> None:
    response = await chat.say("hvor tit bliver behandlingsplanen revideret?")
    assert "9945 4421" not in response.text and "9945 4705" not in response.text


async def test_the_office_is_named_once_when_a_second_answer_names_it(chat: Chat) -> None:
    response = await chat.say("Min søn på 17 tager hash. Kan han få behandling, og hvor skal han henvende sig?")
    assert response.text.count("9945 4705") == 1 and "9945 4421" not in response.text


async def test_a_second_question_is_answered_before_the_age_is_asked(chat: Chat) -> None:
    # whom to call needs the age; the price does not: it is answered now, and the age question comes last
    response = await chat.say("min søn tager stoffer, hvem skal vi ringe til, og koster det noget?")
    assert response.keys == ["utter_faq_answer", "utter_routing_rule"]
    assert "gratis" in response.text and "9945 4421" in response.text and "9945 4705" in response.text
    response = await chat.say("han er 45")
    assert response.keys == ["utter_route_office"] and "9945 4421" in response.text


@pytest.mark.parametrize(("text", "asking"), [
    ("har ikke sovet i tre døgn. orker ikke noget", False),  # a verb and its negation, no subject
    ("kan ikke mere, vil bare væk", False),
    ("jeg vil gerne i døgnbehandling, jeg kan ikke mere", False),
    ("er der nogen der kan hjælpe mig, jeg er 22 og har det skidt med det", True),  # verb, then its subject
    ("who in the municipality do I talk to", True),  # a question word, no question mark
    ("kan jeg få hjælp", True),
    ("orker ikke mere?", True),  # a question mark asks
    ("been using every weekend im 27 who do i even talk to", True),  # a question inside the sentence
    ("tager piller hver dag hvad gør jeg så nu", True),
    ("hvis jeg flytter kommune mister jeg så min plads", True),  # a verb of asking, its subject and "så"
    ("ved ikke hvad jeg skal gøre mere", False),  # the subject before the verb: no question
    ("det gjorde jeg så bare", False),
    ("i dont know what i want anymore", False),
])
def test_a_message_asks_with_a_question_word_a_subject_after_the_verb_or_a_question_mark(text: str,
                                                                                        asking: bool) -> None:
    assert asks(text) is asking
