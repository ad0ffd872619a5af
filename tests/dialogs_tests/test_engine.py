from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import inspect, text

from bot.storage import open_database
from conftest import Chat
from dialogs import Deps, DialogEngine
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from nlu import LocalParser, Parse


# Content loaded into every new database (the sample provider catalogue), not anything a person wrote.
CONTENT_TABLE_PREFIXES = ("provider", "catalogue")


async def dump_database(engine: DialogEngine) -> str:
    """Every value in every table except shipped content, as one string."""
    rows: list[str] = []
    async with engine._sessions() as session:
        conn = await session.connection()
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        for table in tables:
            if table.startswith(CONTENT_TABLE_PREFIXES):
                continue
            for row in (await conn.execute(text(f"SELECT * FROM {table}"))).all():
                rows.append(repr(tuple(row)))
    return "\n".join(rows)


async def test_the_database_holds_no_message_text(engine: DialogEngine) -> None:
    chat = Chat(engine, conv="privacy-check")
    messages = ["Hej, jeg hedder Kirsten Madsen", "hvem skal jeg ringe til", "jeg er 29 år", "nej",
                "mit nummer er 20 30 40 50", "min søn bruger kokain"]
    for message in messages:
        await chat.say(message)
    dump = await dump_database(engine)
    assert "privacy-check" in dump  # the state is there, under the key the channel gave
    for needle in ["Kirsten", "Madsen", "ringe", "29", "20 30 40 50", "kokain", "søn"]:
        assert needle not in dump
    assert "young" in dump  # an age band, not the age


async def test_no_message_text_or_cpr_in_the_log(engine: DialogEngine, caplog: pytest.LogCaptureFixture) -> None:
    # Our own loggers at DEBUG; libraries as bot.logs.setup_logging leaves them (aiosqlite's DEBUG lines
    # print SQL parameters and memory addresses, and it runs at WARNING in production).
    for name in ("dialogs", "nlu", "knowledge", "bot"):
        caplog.set_level(logging.DEBUG, logger=name)
    chat = Chat(engine, conv="canary")
    await chat.say("Jeg hedder Bodil Hansen, cpr 010190-1234, tlf 20304050, hvad koster behandling")
    await chat.say("jeg er 41")
    assert "turn conv=" in caplog.text
    for needle in ["Bodil", "Hansen", "010190", "20304050", "koster"]:
        assert needle not in caplog.text
    # the age as a number of its own, not inside a logged confidence ("conf=0.41") or time ("ms=41.2")
    assert re.search(r"(?<![\d.])41(?![\d.])", caplog.text) is None


async def test_state_expires_after_the_idle_time(engine: DialogEngine, deps: Deps) -> None:
    chat = Chat(engine, conv="expiry")
    await chat.say("hvem skal jeg ringe til")
    assert (await engine.state_of("expiry", chat.at)).step == "ask_age"
    later = chat.at + timedelta(minutes=deps.ttl_minutes + 1)
    assert (await engine.state_of("expiry", later)).step is None
    chat.at = later
    response = await chat.say("29")
    assert response.keys != ["utter_ask_pension"] or (await engine.state_of("expiry", later)).slots.get("age_band")


async def test_forget_removes_the_row(engine: DialogEngine) -> None:
    chat = Chat(engine, conv="forget-me")
    await chat.say("jeg er 29")
    assert "forget-me" in await dump_database(engine)
    await chat.say("/glem")
    assert "forget-me" not in await dump_database(engine)


async def test_an_unexpected_error_is_a_polite_reply(deps: Deps, caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        async def parse(self, text: str) -> Parse:
            raise RuntimeError(text)

    database, sessions = await open_database("sqlite+aiosqlite://")
    try:
        engine = DialogEngine(deps, Broken(), sessions)
        response = await Chat(engine).say("hvad koster det")
        # The switchboard's number is unverified (config.yml), so the verified adult office is named instead.
        assert response.keys == ["utter_technical_problem"] and "9945 4421" in response.text
        assert "9945 4545" not in response.text
        assert "RuntimeError" in caplog.text and "hvad koster" not in caplog.text
    finally:
        await database.dispose()


async def test_a_huge_message_is_cut_and_still_answered(chat: Chat) -> None:
    response = await chat.say("hvad koster behandling? " + "bla " * 3000)
    assert response.keys[0] == "utter_too_long"
    assert len(response.keys) == 2


async def test_emoji_only_is_not_a_crash(chat: Chat) -> None:
    response = await chat.say("🙂🙂")
    assert response.route in ("faq.rephrase", "faq.out_of_scope", "chitchat.greet", "chitchat.thanks")


async def test_low_confidence_asks_to_rephrase_with_at_most_three_topics(chat: Chat) -> None:
    response = await chat.say("blorp zzk qwv")
    assert response.keys == ["utter_rephrase"]
    *topics, person = response.messages[0].buttons
    assert len(topics) <= 3 and person.payload == "/raadgiver"  # and "Tal med en rådgiver"
    assert "9945 4421" in response.text and "9945 4705" in response.text


async def test_an_unsure_reply_names_only_the_office_for_an_age_given_earlier(chat: Chat) -> None:
    await chat.say("jeg er 41 og tager for mange piller")
    response = await chat.say("blorp zzk qwv")
    assert response.keys == ["utter_rephrase"]
    assert "9945 4421" in response.text and "9945 4705" not in response.text


async def test_help_without_an_age_gives_both_numbers_at_once_and_asks_the_age(chat: Chat) -> None:
    response = await chat.say("jeg har brug for hjælp")
    assert response.keys == ["utter_ask_age"] and len(response.messages[0].buttons) == 3
    assert "9945 4421" in response.text and "9945 4705" in response.text and "Hvor gammel" in response.text
    assert response.text.count("pårørende") == 1  # a relative or the doctor may call: most ask for someone


async def test_asked_whether_a_relative_may_call_the_rule_says_so(chat: Chat) -> None:
    response = await chat.say("kan jeg som mor ringe for min søn?")
    assert response.keys == ["utter_routing_rule"] and "pårørende" in response.text


@pytest.mark.parametrize("text, phone, other", [
    ("telefonnummer til ungecentret?", "9945 4705", "9945 4421"),
    ("phone number for Visitationen please", "9945 4421", "9945 4705"),
])
async def test_asked_for_one_office_by_name_that_office_is_given_with_whom_it_is_for(
        chat: Chat, text: str, phone: str, other: str) -> None:
    response = await chat.say(text)
    assert phone in response.text and other not in response.text and "30" in response.text


async def test_whom_to_call_in_every_reply_follows_the_age_given_or_the_office_named(chat: Chat) -> None:
    asked = await chat.say("telefon til visitationen?")
    assert "9945 4421" in asked.text and "9945 4705" not in asked.text
    await chat.say("jeg er 41")
    person = await chat.say("kan jeg tale med et menneske?")
    assert "9945 4421" in person.text and "9945 4705" not in person.text


async def test_asked_for_the_age_a_person_who_names_an_office_is_given_it(chat: Chat) -> None:
    await chat.say("jeg har brug for hjælp")
    response = await chat.say("what is the number for UngeCenter?")
    assert "9945 4705" in response.text and "9945 4421" not in response.text


async def test_an_age_decides_over_an_age_bound_that_describes_an_office(chat: Chat) -> None:
    response = await chat.say("UngeCenter er kun for under 30, ikke? Jeg er 35, hvem ringer jeg til")
    assert "9945 4421" in response.text and "9945 4705" not in response.text


async def test_the_button_for_a_counsellor_asks_for_a_person(chat: Chat) -> None:
    response = await chat.say("/raadgiver")
    assert response.route == "handover.ask_for_person" and "computerprogram" in response.text


async def test_a_suggestion_button_answers_that_entry(chat: Chat) -> None:
    response = await chat.say("/faq/treatment_cost")
    assert response.keys == ["utter_faq_answer"] and response.intent == "faq/treatment_cost"
    assert "Kvalitetsstandard" in response.text  # the source is named


@pytest.mark.parametrize("text, nearest", [
    ("kan jeg tage hunden med når jeg skal på døgnbehandling?", "/faq/residential"),
    ("can I have my mobile phone with me in residential treatment", "/faq/"),
    ("hvad koster en plads på døgn præcis i kroner", "/faq/"),
])
async def test_what_the_standard_does_not_answer_gets_the_honest_answer_and_the_nearest_section(
        chat: Chat, text: str, nearest: str) -> None:
    """A question that names a section's topic but asks what it does not say (nlu/cue_data/outside_standard.yml)."""
    response = await chat.say(text)
    assert response.route == "faq.out_of_scope" and response.keys == ["utter_out_of_scope"], text
    buttons = response.messages[0].buttons
    assert len(buttons) == 1 and buttons[0].payload.startswith(nearest)


@pytest.mark.parametrize("text, phone, other", [
    ("jeg er 45, må jeg tage min hund med på døgnbehandling?", "9945 4421", "9945 4705"),
    ("I'm 22, can I bring my dog to residential treatment?", "9945 4705", None),
    ("må jeg tage min hund med på døgnbehandling?", "9945 4421", None),  # no age: whom to call, by age
])
async def test_the_honest_answer_names_whom_to_call_for_the_age_given(chat: Chat, text: str, phone: str,
                                                                      other: str | None) -> None:
    response = await chat.say(text)
    assert response.route == "faq.out_of_scope" and phone in response.text, text
    assert other is None or other not in response.text
    if "45" not in text and "22" not in text:
        assert "9945 4705" in response.text  # both offices, each with its age


@pytest.mark.parametrize("text", [
    "min søster skal på døgn, kan hun komme et sted tæt på, så vi kan besøge hende?",  # a visit is not the question
    "Jeg har en hund med i min lejlighed og et fuldtidsjob, og nu vil jeg gerne stoppe med kokain. Min kæreste "
    "siger, at jeg skal tage mig sammen, men jeg kan ikke selv. Skal jeg bo et andet sted, hvis jeg kommer i "
    "dagbehandling?",  # a long story mentions many things on the way to its question
])
async def test_a_word_on_the_way_to_a_question_the_standard_answers_does_not_make_it_outside(
        chat: Chat, text: str) -> None:
    response = await chat.say(text)
    assert response.route != "faq.out_of_scope" and response.intent != "out_of_scope", text


@pytest.mark.parametrize("question, lang_word", [
    ("kan jeg tage hunden med når jeg skal på døgnbehandling?", "Kilde"),
    ("can I bring my dog to residential treatment?", "Source"),
])
async def test_a_topic_button_answers_in_the_conversations_language(chat: Chat, question: str,
                                                                    lang_word: str) -> None:
    """A button's payload is English words ("/faq/residential_assessment_processing_time"), not the person's."""
    first = await chat.say(question)
    payload = first.messages[0].buttons[0].payload
    response = await chat.say(payload)
    assert response.intent == payload.removeprefix("/") and lang_word in response.text


async def test_parse_is_rasa_shaped(local_parser: LocalParser) -> None:
    parse = (await local_parser.parse("jeg er 34 og vil i døgnbehandling")).to_rasa()
    assert set(parse) == {"text", "intent", "entities", "intent_ranking"}
    assert set(parse["intent"]) == {"name", "confidence"}  # type: ignore[arg-type]
    entities = {e["entity"] for e in parse["entities"]}  # type: ignore[union-attr]
    assert {"age", "offer_type"} <= entities


async def test_expired_conversations_are_deleted_not_just_ignored(engine: DialogEngine, deps: Deps) -> None:
    first = Chat(engine, conv="old-conversation")
    await first.say("jeg er 29")
    assert "old-conversation" in await dump_database(engine)
    later = Chat(engine, conv="someone-else", at=first.at + timedelta(minutes=deps.ttl_minutes + 10))
    await later.say("hej")
    dump = await dump_database(engine)
    assert "old-conversation" not in dump and "someone-else" in dump


async def test_greeting_says_what_is_stored_and_gives_the_numbers(chat: Chat) -> None:
    response = await chat.say("/start")
    assert "ikke et menneske" in response.text and "gemmer" in response.text
    assert "9945 4421" in response.text and "9945 4705" in response.text and "112" in response.text


async def stored_expiry(engine: DialogEngine, conv: str) -> object:
    async with engine._sessions() as session:
        return (await session.execute(text("SELECT expires_at FROM conversation_state WHERE key = :k"),
                                      {"k": conv})).scalar_one()


async def test_a_turn_that_changes_nothing_writes_nothing_until_the_expiry_needs_a_refresh(
        engine: DialogEngine, deps: Deps) -> None:
    from dialogs.citizen.flows import REFRESH_SLACK

    chat = Chat(engine, conv="quiet")
    await chat.say("koster det noget?")
    first = await stored_expiry(engine, "quiet")
    chat.at += REFRESH_SLACK / 2
    await chat.say("koster det noget?")  # same state, expiry fresh enough: no write
    assert await stored_expiry(engine, "quiet") == first
    chat.at += REFRESH_SLACK
    await chat.say("koster det noget?")  # now the idle time is refreshed
    refreshed = await stored_expiry(engine, "quiet")
    assert refreshed != first
    # Never longer than the configured idle time after the last message.
    state_gone_at = chat.at + timedelta(minutes=deps.ttl_minutes)
    assert (await engine.state_of("quiet", state_gone_at)).lang is None
    assert (await engine.state_of("quiet", state_gone_at - REFRESH_SLACK - timedelta(seconds=1))).lang == "da"


async def test_a_changed_state_is_written_at_once(engine: DialogEngine) -> None:
    chat = Chat(engine, conv="moving")
    await chat.say("hvem skal jeg ringe til")
    assert (await engine.state_of("moving", chat.at)).step == "ask_age"
    await chat.say("jeg er 41")
    state = await engine.state_of("moving", chat.at)
    assert state.slots.get("age_band") == "adult"


async def test_the_conversation_state_round_trips_on_postgresql(deps: Deps, local_parser: LocalParser,
                                                                postgres_url: str) -> None:
    """The upsert is dialect-specific: run a guided first contact on a real PostgreSQL server."""
    database, sessions = await open_database(postgres_url)
    try:
        engine = DialogEngine(deps, local_parser, sessions)
        chat = Chat(engine, conv="pg-conversation")
        await chat.say("hvem skal jeg ringe til")
        assert (await engine.state_of("pg-conversation", chat.at)).step == "ask_age"
        await chat.say("jeg er 41")
        assert (await engine.state_of("pg-conversation", chat.at)).slots.get("age_band") == "adult"
        await engine.forget("pg-conversation")
        assert (await engine.state_of("pg-conversation", chat.at)).lang is None
    finally:
        await database.dispose()


@pytest.mark.parametrize("text", ["mit cpr er 010190-1234, hvad koster det?",
                                  "hvad koster det? mit cpr-nummer er 0101901234",
                                  "cpr 010190-1234 hvad koster behandlingen"])
async def test_a_cpr_number_is_refused_and_the_question_still_answered(chat: Chat, text: str) -> None:
    response = await chat.say(text)
    assert response.keys[0] == "utter_cpr_refused"
    assert response.intent == "faq/treatment_cost"
    assert "010190" not in response.text and "gratis" in response.text


async def test_only_a_cpr_number_is_refused_and_asks_for_the_question(chat: Chat) -> None:
    response = await chat.say("010190-1234")
    assert response.keys == ["utter_cpr_refused", "utter_empty"]


@pytest.mark.parametrize("text", ["misbrugscenter telefon", "phone number for the drug centre?"])
async def test_asked_for_the_rusmiddelcenters_number_the_standards_number_is_given(chat: Chat, text: str) -> None:
    response = await chat.say(text)
    assert response.route == "faq.answer" and "2491 6541" in response.text


async def test_a_question_that_names_the_centre_for_something_else_is_not_taken_for_its_number(chat: Chat) -> None:
    response = await chat.say("hvordan klager jeg over rusmiddelcentret, hvem skal jeg ringe til?")
    assert "2491 6541" not in response.text


@pytest.mark.parametrize("text, lang", [("klage?", "da"), ("I want to complain", "en")])
async def test_a_complaint_that_says_not_what_about_gets_the_three_ways_with_a_button_each(
        chat: Chat, text: str, lang: str) -> None:
    response = await chat.say(text, lang=lang)
    assert "Ankestyrelsen" in response.text and "4" in response.text and "9945 4421" in response.text
    assert [b.payload for b in response.messages[0].buttons] == [
        "/faq/complaint_decision", "/faq/complaint_casework_provider", "/faq/complaint_medical_treatment"]


async def test_under_30_the_tentative_office_says_a_relative_may_call(chat: Chat) -> None:
    response = await chat.say("Jeg er farmor til en dreng på 19. Må jeg som bedstemor henvende mig, og hvor?")
    assert "9945 4705" in response.text and response.text.count("pårørende") == 1
    assert response.text.rstrip().endswith("rigtige nummer.")  # the question comes last, under its buttons


@pytest.mark.parametrize("text", ["is the detox free?", "is the rehab place paid by you or me?"])
async def test_a_question_of_paying_read_as_another_topic_gets_the_price_when_it_is_close_behind(
        chat: Chat, text: str) -> None:
    response = await chat.say(text, lang="en")
    assert response.intent in ("faq/treatment_cost", "faq/own_payment"), response.intent
    assert "free" in response.text or "board and lodging" in response.text


async def test_a_second_question_beside_the_price_is_still_answered(chat: Chat) -> None:
    response = await chat.say("nummer til UngeCenter og koster det noget?")
    assert "9945 4705" in response.text and "gratis" in response.text


async def test_what_treatment_costs_the_municipality_is_not_the_price_the_citizen_pays(chat: Chat) -> None:
    response = await chat.say("hvor meget koster det kommunen at sende en borger på døgnbehandling?")
    assert response.route == "faq.out_of_scope", response.route
