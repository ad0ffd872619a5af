"""The handover through the one engine: a citizen in the web chat asks for a person, the counsellors on duty
are told, one takes the chat (exactly once), messages pass both ways as relays the channels deliver (CPR
numbers masked, a crisis named to the counsellor), and either side ends it; the assistant answers again."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.reminders_config import load_reminders_config
from bot.storage import open_database
from bot.wiring import build_engine
from bot.config import Settings
from dialogs import Deps, DialogEngine, Incoming, Response, Sender
from fakes.staff_desk import NOW, FakeProviders, Staff, case_language  # noqa: F401 (fixture)
from handover import HandoverRecord, OpeningHours, make_counsellor, parse_intervals
from nlu import LocalParser
from nlu.case_language import CaseLanguage
from reminders import CaseworkerRecord

ANNE, BO = 7101, 7102
HOURS = OpeningHours({day: parse_intervals("09:00-15:00") for day in range(5)})  # NOW is Monday 10:00


@pytest.fixture
async def desk(deps: Deps, local_parser: LocalParser, settings: Settings, case_language: CaseLanguage) -> Staff:
    database, sessions = await open_database("sqlite+aiosqlite://")
    engine = build_engine(settings, replace(deps, opening_hours=HOURS, queue_size=5, queue_channels=frozenset({"web"})), local_parser, sessions,
                          FakeProviders(), load_reminders_config(settings).policy, case_language)
    staff = Staff(engine, sessions, FakeProviders())
    for user in (ANNE, BO):
        await staff.register(user)
    async with sessions.begin() as session:
        for user in (ANNE, BO):
            record = await session.scalar(select(CaseworkerRecord).where(CaseworkerRecord.telegram_user_id == user))
            assert record is not None
            await make_counsellor(session, record.id)
    yield staff  # type: ignore[misc]
    await database.dispose()


async def citizen(engine: DialogEngine, text: str, conv: str = "web-conv-1") -> Response:
    return await engine.handle(Incoming(conv=conv, text=text, at=NOW, sender=Sender("web")))


def relayed_to(response: Response, conv: str | None = None) -> str:
    return "\n".join(r.text for r in response.relayed if (conv is None and r.caseworker_id) or r.conv == conv)


async def test_nobody_on_duty_means_the_numbers_to_call(desk: Staff) -> None:
    response = await citizen(desk.engine, "kan jeg tale med et menneske?")
    assert response.route == "handover.ask_for_person" and "9945 4421" in response.text
    assert response.relayed == ()


async def test_a_whole_handover_from_the_queue_to_the_end(desk: Staff) -> None:
    await desk.says(ANNE, "/vagt")
    await desk.says(BO, "/vagt")
    asked = await citizen(desk.engine, "kan jeg tale med et menneske?")
    assert "nummer 1 i køen" in asked.text and "CPR-nummer" in asked.text
    assert [b.payload for m in asked.messages for b in m.buttons] == ["/afslut"]
    announcements = [r for r in asked.relayed if r.caseworker_id]
    assert len(announcements) == 2 and all("venter på en rådgiver" in r.text for r in announcements)
    take = announcements[0].messages[0].buttons[0].payload
    assert take.startswith("ho:take:")

    waiting = await citizen(desk.engine, "hvor lang tid går der?")
    assert waiting.route == "handover.waiting" and "stadig i køen, som nummer 1" in waiting.text

    taken = await desk.presses(ANNE, take)
    assert taken.keys == ["handover_taken_you"] and taken.route == "caseworker.handover.take"
    assert "overtaget samtalen" in relayed_to(taken, "web-conv-1")
    late = await desk.presses(BO, take)
    assert late.keys == ["handover_taken_other"] and late.relayed == ()

    said = await citizen(desk.engine, "jeg bruger hash hver dag, mit cpr er 010203-1234")
    assert said.route == "handover.relayed"
    to_anne = relayed_to(said)
    assert "Borger" in to_anne and "hash hver dag" in to_anne and "010203-1234" not in to_anne
    assert said.keys == ["utter_cpr_refused"]  # the citizen is told not to, and nothing else

    answer = await desk.says(ANNE, "Tak fordi du skriver. Vil du fortælle lidt mere? Ring evt. 010203-1234")
    assert answer.messages == () and answer.route == "caseworker.handover.talk"
    to_citizen = relayed_to(answer, "web-conv-1")
    assert to_citizen.startswith("Rådgiver: Tak fordi du skriver") and "010203-1234" not in to_citizen

    crisis = await citizen(desk.engine, "jeg har lyst til at tage mit liv")
    assert crisis.messages == ()  # the counsellor answers, not the assistant
    assert "Krisetegn" in relayed_to(crisis) and "selvmordstanker" in relayed_to(crisis)

    ended = await desk.says(ANNE, "/afslut")
    assert ended.keys == ["handover_you_ended"] and "slut" in relayed_to(ended, "web-conv-1")
    back = await citizen(desk.engine, "koster det noget?")
    assert back.route.startswith("faq.") and "gratis" in back.text  # the assistant answers again


async def test_the_citizen_leaves_the_queue_and_ends_a_talk(desk: Staff) -> None:
    await desk.says(ANNE, "/vagt")
    await citizen(desk.engine, "can I talk to a real person?", conv="web-conv-2")
    left = await citizen(desk.engine, "/afslut", conv="web-conv-2")
    assert left.keys == ["utter_queue_left"]
    asked = await citizen(desk.engine, "can I talk to a real person?", conv="web-conv-2")
    assert "number 1 in the queue" in asked.text
    take = next(r for r in asked.relayed if r.caseworker_id).messages[0].buttons[0].payload
    await desk.presses(ANNE, take)
    ended = await citizen(desk.engine, "afslut", conv="web-conv-2")
    assert ended.keys == ["utter_handover_ended"] and "afsluttet samtalen" in relayed_to(ended)
    none = await desk.says(ANNE, "/afslut")
    assert none.keys == ["handover_none"]


async def test_one_chat_at_a_time_and_outside_the_hours_no_queue(desk: Staff) -> None:
    await desk.says(ANNE, "/vagt")
    first = await citizen(desk.engine, "kan jeg tale med en rådgiver?", conv="c-1")
    second = await citizen(desk.engine, "kan jeg tale med en rådgiver?", conv="c-2")
    assert "nummer 2 i køen" in second.text
    for response in (first, second):
        payload = next(r for r in response.relayed if r.caseworker_id).messages[0].buttons[0].payload
        pressed = await desk.presses(ANNE, payload)
    assert pressed.keys == ["handover_busy"]
    desk.at = NOW + timedelta(hours=8)  # 18:00: closed
    evening = await desk.engine.handle(Incoming(conv="c-3", text="kan jeg tale med en rådgiver?", at=desk.at,
                                                sender=Sender("web")))
    assert "igen i morgen kl. 9.00" in evening.text and evening.relayed == ()


async def test_a_forgotten_or_expired_conversation_leaves_the_queue(desk: Staff) -> None:
    from handover import open_handover

    await desk.says(ANNE, "/vagt")
    await citizen(desk.engine, "kan jeg tale med et menneske?", conv="gone-1")
    await citizen(desk.engine, "kan jeg tale med et menneske?", conv="gone-2")
    await desk.engine.forget("gone-1")  # "glem mig"
    later = NOW + timedelta(hours=3)  # gone-2 expired long ago (60 minutes without a message)
    await desk.engine.handle(Incoming(conv="other", text="hej", at=later, sender=Sender("web")))
    async with desk.sessions() as session:
        assert await open_handover(session, "gone-1") is None
        assert await open_handover(session, "gone-2") is None


async def test_a_silent_counsellor_or_one_going_off_duty_hands_the_chat_back_first_in_line(desk: Staff) -> None:
    await desk.says(ANNE, "/vagt")
    await desk.says(BO, "/vagt")
    asked = await citizen(desk.engine, "kan jeg tale med et menneske?", conv="c-silent")
    await citizen(desk.engine, "kan jeg tale med et menneske?", conv="c-later")  # number 2
    take = next(r for r in asked.relayed if r.caseworker_id).messages[0].buttons[0].payload
    await desk.presses(ANNE, take)
    desk.at = NOW + timedelta(minutes=5)
    assert (await desk.says(ANNE, "Hej, jeg er her")).messages == ()
    soon = await desk.engine.handle(Incoming(conv="c-silent", text="hej?", at=NOW + timedelta(minutes=12),
                                             sender=Sender("web")))
    assert soon.route == "handover.relayed"  # 7 minutes after Anne wrote: still hers
    late = await desk.engine.handle(Incoming(conv="c-silent", text="er du der?", at=NOW + timedelta(minutes=30),
                                             sender=Sender("web")))
    assert "kaldt væk" in late.text and "nummer 1" in late.text  # back in line, first
    told = {r.caseworker_id: r.text for r in late.relayed}
    assert any("ikke har svaret i 10 minutter" in text for text in told.values())
    assert any("venter på en rådgiver" in text for text in told.values())  # Bo is asked
    assert len(told) == 2

    desk.at = NOW + timedelta(minutes=31)
    await desk.presses(BO, take)
    off = await desk.says(BO, "/fri")
    assert off.keys == ["handover_handed_back_off_duty", "off_duty"]
    assert "kaldt væk" in relayed_to(off, "c-silent")


async def test_the_queue_moves_and_colleagues_are_told_when_a_chat_is_taken(desk: Staff) -> None:
    await desk.says(ANNE, "/vagt")
    await desk.says(BO, "/vagt")
    first = await citizen(desk.engine, "kan jeg tale med et menneske?", conv="q-1")
    await citizen(desk.engine, "kan jeg tale med et menneske?", conv="q-2")
    await citizen(desk.engine, "kan jeg tale med et menneske?", conv="q-3")
    announcement = next(r for r in first.relayed if r.caseworker_id)
    assert "(webchatten, skriver dansk)" in announcement.text  # the channel and the language, nobody's name
    left = await citizen(desk.engine, "afslut", conv="q-2")  # number 2 leaves: number 3 becomes 2
    assert relayed_to(left, "q-3") == "Køen har flyttet sig: du er nu nummer 2." and not relayed_to(left, "q-1")
    taken = await desk.presses(ANNE, announcement.messages[0].buttons[0].payload)
    assert relayed_to(taken, "q-3") == "Køen har flyttet sig: du er nu nummer 1."
    assert "taget af en kollega" in relayed_to(taken)  # Bo's button no longer applies


async def test_the_counsellor_is_told_the_topic_and_the_crisis_signs_and_neither_outlives_the_handover(
        desk: Staff) -> None:
    await desk.says(ANNE, "/vagt")
    await desk.says(BO, "/vagt")
    await citizen(desk.engine, "hvor lang tid går der før jeg kan starte i behandling?", conv="t-1")
    asked = await citizen(desk.engine, "kan jeg tale med et menneske?", conv="t-1")
    announcement = next(r for r in asked.relayed if r.caseworker_id)
    assert announcement.text.splitlines()[1] == "Emne: Hvor hurtigt skal jeg i behandling? (behandlingsgaranti)" \
        and "krisetegn" not in announcement.text

    straight = await citizen(desk.engine, "can I talk to a real person?", conv="t-2")
    assert "Emne: ikke kendt" in next(r for r in straight.relayed if r.caseworker_id).text

    await citizen(desk.engine, "jeg kan ikke mere, det hele er bare for meget", conv="t-3")
    await citizen(desk.engine, "koster det noget?", conv="t-3")  # a later answer changes the topic, not the signs
    heavy = await citizen(desk.engine, "kan jeg tale med en rådgiver?", conv="t-3")
    told = next(r for r in heavy.relayed if r.caseworker_id).text
    assert "Emne: Koster behandlingen noget?" in told and "krisetegn tidligere i samtalen" in told

    async with desk.sessions() as session:  # while they wait, the rows hold entry ids and a category only
        rows = {row.conv: (row.topic, row.crisis) for row in await session.scalars(select(HandoverRecord))}
    assert set(rows.values()) >= {(None, None), ("treatment_cost", "concern")}
    for conv in ("t-1", "t-2", "t-3"):
        await citizen(desk.engine, "afslut", conv=conv)
    async with desk.sessions() as session:
        ended = [(row.state, row.topic, row.crisis) for row in await session.scalars(select(HandoverRecord))]
    assert ended == [("ended", None, None)] * 3


async def test_without_a_counsellors_queue_the_conversation_keeps_no_topic(deps: Deps, local_parser: LocalParser,
                                                                           settings: Settings,
                                                                           case_language: CaseLanguage) -> None:
    database, sessions = await open_database("sqlite+aiosqlite://")
    engine = build_engine(settings, deps, local_parser, sessions, FakeProviders(),
                          load_reminders_config(settings).policy, case_language)
    await citizen(engine, "koster det noget?", conv="no-queue")
    await citizen(engine, "jeg kan ikke mere, det hele er bare for meget", conv="no-queue")
    assert not {"topic", "crisis"} & set((await engine.state_of("no-queue", NOW)).slots)
    await database.dispose()
