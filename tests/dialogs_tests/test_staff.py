"""The staff desk without a channel: registration, case commands, proposals from sentences, team chats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dialogs.caseworker.desk import TEAM_CPR_ROUTE
from dialogs.caseworker.cases import KINDS, confirm_payload, read_confirm
from dialogs import Reply
from dialogs.caseworker.texts import CASEWORKER_TEXTS, DOMAIN
from dialogs.replies import render_text
from fakes.staff_desk import Staff, case_language, is_citizen, staff  # noqa: F401 (fixtures)
from reminders import CaseEventRecord, CaseRecord, CaseworkerRecord, EventKind, TeamChatRecord
from datetime import date

ANNE, BO, CY, CITIZEN = 7001, 7002, 7003, 9001


def say(lang: str, key: str) -> str:
    return render_text(Reply(key, domain=DOMAIN), lang)


async def count(staff: Staff, model: type) -> int:
    async with staff.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_citizen_gets_nothing_of_the_staff_features(staff: Staff) -> None:
    for text in ("/start", "/ny_sag S-14", "/frister", "/haendelse S-14 henvendelse", "/luk S-14",
                 "sag S-14: borgeren henvendte sig i går", "hvilke døgntilbud tager imod gravide?"):
        assert is_citizen(await staff.says(CITIZEN, text)), text
    # A caseworker's button pressed by someone else: it no longer applies, and nothing is recorded.
    assert (await staff.presses(CITIZEN, "cw:ev:S-14:0:20261122")).keys == ["stale_button"]
    assert staff.providers.asked == []
    assert await count(staff, CaseRecord) == 0


async def test_an_invalid_code_gets_one_line_and_nothing_is_stored(staff: Staff) -> None:
    response = await staff.says(CITIZEN, "/start abcdefghijklmnopqrstuv")
    assert response is not None and response.keys == ["code_invalid"]
    assert response.text == say("da", "code_invalid")
    async with staff.sessions() as session:
        assert await session.scalar(select(CaseworkerRecord).where(CaseworkerRecord.telegram_user_id == CITIZEN)) is None


async def test_an_invite_registers_once(staff: Staff) -> None:
    code = await staff.invite()
    first = await staff.says(ANNE, f"/start {code}")
    assert first is not None and first.keys == ["welcome"]
    again = await staff.says(BO, f"/start {code}")
    assert again is not None and again.keys == ["code_invalid"]
    assert is_citizen(await staff.says(BO, "/frister"))


async def test_case_commands_from_new_case_to_closing(staff: Staff) -> None:
    await staff.register(ANNE)
    created = await staff.says(ANNE, "/ny_sag s-14")
    assert created is not None and created.keys == ["case_created"] and "S-14" in created.text
    duplicate = await staff.says(ANNE, "/ny_sag S-14")
    assert duplicate is not None and duplicate.keys == ["case_exists"]

    recorded = await staff.says(ANNE, "/haendelse S-14 henvendelse i går")
    assert recorded is not None and recorded.keys == ["event_recorded"]
    assert "søndag den 22. november 2026" in recorded.text
    assert "Behandlingsgaranti" in recorded.text and "søndag den 6. december 2026" in recorded.text

    listing = await staff.says(ANNE, "/frister")
    assert listing is not None and "S-14" in listing.text and "om 13 dage" in listing.text

    closed = await staff.says(ANNE, "/luk S-14")
    assert closed is not None and closed.keys == ["case_closed"]
    after = await staff.says(ANNE, "/frister")
    assert after is not None and after.text == say("da", "deadlines_none")
    refused = await staff.says(ANNE, "/haendelse S-14 behandling_startet")
    assert refused is not None and refused.keys == ["case_is_closed"]

    reopened = await staff.says(ANNE, "/genaabn S-14")  # with its history: the guarantee is open again
    assert reopened is not None and reopened.keys == ["case_reopened"]
    assert "Behandlingsgaranti" in reopened.text and "søndag den 6. december 2026" in reopened.text
    again = await staff.says(ANNE, "/genaabn S-14")
    assert again is not None and again.keys == ["case_not_closed"]
    started = await staff.says(ANNE, "/haendelse S-14 behandling_startet")
    assert started is not None and started.keys == ["event_recorded"]
    assert "Det opfylder fristen »Behandlingsgaranti" in started.text


async def test_a_follow_up_outside_its_window_is_recorded_and_said_to_meet_nothing(staff: Staff) -> None:
    await staff.register(ANNE)
    await staff.says(ANNE, "/ny_sag S-50")
    await staff.says(ANNE, "/haendelse S-50 udskrevet_faerdigbehandlet 2026-11-02")
    first = await staff.says(ANNE, "/haendelse S-50 opfoelgning 2026-11-10")
    assert first is not None and "Det opfylder fristen »Opfølgning senest 1 måned efter udskrivning«." in first.text
    second = await staff.says(ANNE, "/haendelse S-50 opfoelgning i dag")
    assert second is not None and "Det opfylder ingen frist." in second.text
    assert ("»Opfølgning 6 måneder efter udskrivning« (frist søndag den 2. maj 2027) opfyldes først fra "
            "fredag den 2. april 2027") in second.text
    assert "frist søndag den 2. maj 2027 · om 160 dage · opfyldes tidligst fredag den 2. april 2027" in second.text


@pytest.mark.parametrize("reference, key", [("010190-1234", "refused_cpr"), ("0101901234", "refused_cpr"),
                                            ("Jensen-4", "refused_name"), ("S 14", "usage_ny_sag"),
                                            ("sag", "refused_format")])
async def test_cpr_numbers_and_names_are_refused_and_never_repeated(staff: Staff, reference: str, key: str) -> None:
    await staff.register(ANNE)
    response = await staff.says(ANNE, f"/ny_sag {reference}")
    assert response is not None and response.keys == [key]
    assert reference not in response.text
    assert await count(staff, CaseRecord) == 0


async def test_command_mistakes_get_usage_lines(staff: Staff) -> None:
    await staff.register(ANNE)
    await staff.says(ANNE, "/ny_sag S-1")
    for text, key in (("/haendelse S-1", "usage_haendelse"), ("/haendelse S-1 noget", "unknown_kind"),
                      ("/haendelse S-1 henvendelse på et tidspunkt", "bad_date"),
                      ("/haendelse S-1 henvendelse i morgen", "future_date"), ("/luk", "usage_luk"),
                      ("/haendelse S-1 udskrevet", "unknown_kind")):
        response = await staff.says(ANNE, text)
        assert response is not None and response.keys == [key], text
    assert await count(staff, CaseEventRecord) == 0
    # A sentence with a date that is no day is never read as today.
    impossible = await staff.says(ANNE, "S-1 henvendelse 31/2")
    assert impossible is not None and impossible.keys == ["bad_date"]
    # An unambiguous part of a kind, and æ/ø/å, are understood.
    ok = await staff.says(ANNE, "/haendelse S-1 færdigbehandlet 3/11")
    assert ok is not None and ok.keys == ["event_recorded"]


async def test_a_caseworker_sees_only_own_and_team_cases(staff: Staff) -> None:
    await staff.register(ANNE, team="nord")
    await staff.register(BO, team="nord")
    await staff.register(CY, team="syd")
    await staff.says(ANNE, "/ny_sag S-1")
    await staff.says(CY, "/ny_sag S-3")
    team = await staff.says(BO, "/haendelse S-1 henvendelse")
    assert team is not None and team.keys == ["event_recorded"]
    for text in ("/frister S-3", "/haendelse S-3 henvendelse", "/luk S-3", "sag S-3: henvendelse i dag"):
        response = await staff.says(ANNE, text)
        assert response is not None and response.keys == ["case_unknown"], text
    cases = await staff.says(BO, "/sager")
    assert cases is not None and "S-1" in cases.text and "S-3" not in cases.text
    assert await staff.presses(ANNE, confirm_payload("S-3", EventKind.HENVENDELSE, date(2026, 11, 23))) is not None
    assert await count(staff, CaseEventRecord) == 1  # only Bo's


async def test_a_sentence_becomes_a_proposal_confirmed_with_a_button(staff: Staff) -> None:
    await staff.register(ANNE)
    await staff.says(ANNE, "/ny_sag S-14")
    proposal = await staff.says(ANNE, "sag S-14: borgeren henvendte sig i går")
    assert proposal is not None and proposal.keys == ["proposal"]
    assert "henvendelse om behandling" in proposal.text and "søndag den 22. november 2026" in proposal.text
    confirm, cancel = proposal.messages[0].buttons
    assert read_confirm(confirm.payload) == ("S-14", EventKind.HENVENDELSE, date(2026, 11, 22))
    assert await count(staff, CaseEventRecord) == 0  # nothing until confirmed

    done = await staff.presses(ANNE, confirm.payload)
    assert done is not None and done.keys == ["event_recorded"]
    assert await count(staff, CaseEventRecord) == 1
    twice = await staff.presses(ANNE, confirm.payload)  # a double press records nothing more
    assert twice is not None and twice.keys == ["event_recorded"]
    assert await count(staff, CaseEventRecord) == 1
    cancelled = await staff.presses(ANNE, cancel.payload)
    assert cancelled is not None and cancelled.keys == ["cancelled"]


async def test_a_sentence_without_a_case_uses_the_last_one_or_asks(staff: Staff) -> None:
    await staff.register(ANNE)
    asks = await staff.says(ANNE, "udskrevet færdigbehandlet 3/11")
    assert asks is not None and asks.keys == ["which_case"]
    await staff.says(ANNE, "/ny_sag S-22")
    proposal = await staff.says(ANNE, "udskrevet færdigbehandlet 3/11")
    assert proposal is not None and proposal.keys == ["proposal"] and "S-22" in proposal.text
    assert read_confirm(proposal.messages[0].buttons[0].payload) == (
        "S-22", EventKind.UDSKREVET_FAERDIGBEHANDLET, date(2026, 11, 3))
    staff.at += timedelta(hours=9)  # the last case is forgotten after a working day
    forgot = await staff.says(ANNE, "udskrevet færdigbehandlet 3/11")
    assert forgot is not None and forgot.keys == ["which_case"]


async def test_an_unclear_sentence_about_a_case_offers_kinds_or_its_deadlines(staff: Staff) -> None:
    await staff.register(ANNE)
    await staff.says(ANNE, "/ny_sag S-14")
    question = await staff.says(ANNE, "hvornår udløber fristen på S-14?")  # a question about the case
    assert question.route == "caseworker.case_question" and "S-14" in question.text
    unclear = await staff.says(ANNE, "S-14 er flyttet ind på institutionen i forgårs")
    assert unclear is not None and unclear.keys in (["which_kind"], ["proposal"])
    payloads = [b.payload for b in unclear.messages[0].buttons]
    assert payloads[-1] == "cw:no" and all(len(p.encode()) <= 64 for p in payloads)


async def test_a_cpr_number_in_a_sentence_is_refused(staff: Staff) -> None:
    await staff.register(ANNE)
    response = await staff.says(ANNE, "borgeren 010190-1234 henvendte sig i går")
    assert response is not None and response.keys == ["cpr_in_text"] and "1234" not in response.text


async def test_provider_questions_go_to_the_provider_desk(staff: Staff) -> None:
    await staff.register(ANNE)
    answer = await staff.says(ANNE, "hvilke døgntilbud tager imod gravide?")
    assert answer is not None and answer.route == "provider_desk.search"
    offers = await staff.says(ANNE, "/tilbud døgn med dobbeltdiagnose")
    assert offers is not None and offers.route == "provider_desk.search"
    assert staff.providers.asked[-1] == "døgn med dobbeltdiagnose"
    usage = await staff.says(ANNE, "/tilbud")
    assert usage is not None and usage.keys == ["usage_tilbud"]
    button = await staff.presses(ANNE, "/tilbud{\"page\":\"2\"}")
    assert button is not None and button.route == "provider_desk.search"
    # Not a provider question and not about a case: a question about the rules, answered from the rule file.
    rule = await staff.says(ANNE, "hvad er fristen i behandlingsgarantien")
    assert rule.route == "caseworker.rule" and "SEL § 101, stk. 4" in rule.text


async def test_english_caseworkers_get_english(staff: Staff) -> None:
    await staff.register(ANNE, lang="en")
    created = await staff.says(ANNE, "/ny_sag S-14")
    assert created is not None and created.text.startswith("Case S-14 has been opened")
    await staff.says(ANNE, "/sprog da")
    danish = await staff.says(ANNE, "/ny_sag S-15")
    assert danish is not None and danish.text.startswith("Sag S-15 er oprettet")


async def test_team_chat_registration_and_answers(staff: Staff) -> None:
    group = -100500
    await staff.register(ANNE, team="nord")
    await staff.register(CY, team="syd")
    code = await staff.team_code("nord")
    assert (await staff.says_in_group(CITIZEN, group, f"/team {code}")).messages == ()  # not a caseworker
    wrong = await staff.says_in_group(CY, group, f"/team {code}")
    assert wrong is not None and wrong.keys == ["team_wrong"]
    unregistered = await staff.says_in_group(ANNE, group, "hvilke døgntilbud har vi")  # not registered yet
    assert unregistered.messages == () and staff.providers.asked == []
    registered = await staff.says_in_group(ANNE, group, f"/team@stifinder_test_bot {code}")
    assert registered is not None and registered.keys == ["team_registered"] and "nord" in registered.text
    async with staff.sessions() as session:
        assert await session.scalar(select(TeamChatRecord.team).where(TeamChatRecord.telegram_chat_id == group)) == "nord"

    answer = await staff.says_in_group(CITIZEN, group, "hvilke døgntilbud har vi")
    assert answer is not None and answer.route == "provider_desk.search"
    chatter = await staff.says_in_group(CITIZEN, group, "god weekend alle sammen")
    assert chatter is not None and chatter.messages == ()
    addressed = await staff.says_in_group(CITIZEN, group, "hvad kan du", addressed=True)
    assert addressed is not None and addressed.keys == ["team_help"]
    private = await staff.says_in_group(ANNE, group, "/frister")
    assert private is not None and private.keys == ["team_private_only"]
    offers = await staff.presses(CITIZEN, "/tilbud{\"page\":\"2\"}", chat_id=group)
    assert offers is not None and offers.route == "provider_desk.search"

    # the daily digest of overdue deadlines: opt-in, by a caseworker of the team only
    refused = await staff.says_in_group(CY, group, "/frister_team")
    assert refused is not None and refused.keys == ["team_digest_refused"]
    stranger = await staff.says_in_group(CITIZEN, group, "/frister_team")
    assert stranger is not None and stranger.keys == ["team_digest_refused"]
    on = await staff.says_in_group(ANNE, group, "/frister_team")
    assert on is not None and on.keys == ["team_digest_on"] and "aldrig borgere" in on.text
    async with staff.sessions() as session:
        assert await session.scalar(select(TeamChatRecord.digest)) is True
    off = await staff.says_in_group(ANNE, group, "/frister_team")
    assert off is not None and off.keys == ["team_digest_off"]

    cpr = await staff.says_in_group(CITIZEN, group, "hvilke døgntilbud har vi til 010190-1234")
    assert cpr is not None and cpr.keys == ["team_cpr_warning"] and cpr.route == TEAM_CPR_ROUTE
    assert "010190" not in cpr.text


def test_the_confirm_payload_fits_telegrams_64_bytes_for_any_reference_and_kind() -> None:
    longest = "S-" + "9" * 30
    for kind in KINDS:
        payload = confirm_payload(longest, kind, date(2026, 12, 31))
        assert len(payload.encode()) <= 64
        assert read_confirm(payload) == (longest, kind, date(2026, 12, 31))
    assert read_confirm("cw:ev:S-1:99:20261231") is None
    assert read_confirm("cw:ev:S-1:0:20261331") is None


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_staff_message_is_in_both_catalogs(lang: str) -> None:
    from dialogs.i18n import untranslated

    assert untranslated(lang, list(CASEWORKER_TEXTS.values()), "caseworker") == []


def test_the_english_staff_catalog_is_english() -> None:
    same = [key for key in CASEWORKER_TEXTS if say("en", key) == say("da", key)]
    assert same == []


async def test_a_citizen_costs_one_lookup_a_minute_and_a_new_registration_is_seen_at_once(staff: Staff) -> None:
    """Who is not a caseworker is remembered briefly (by a salted hash), so citizens' messages skip the database."""
    from unittest.mock import patch

    import dialogs.caseworker.directory as staff_module

    calls = 0
    real = staff_module.caseworker_by_telegram

    async def counting(session: object, user_id: int) -> object:
        nonlocal calls
        calls += 1
        return await real(session, user_id)  # type: ignore[arg-type]

    with patch.object(staff_module, "caseworker_by_telegram", counting):
        for _ in range(3):
            assert is_citizen(await staff.says(7123, "hvad koster det?"))
        assert calls == 1
        assert all(b"7123" not in key for key in staff.engine._directory._not_staff)  # type: ignore[union-attr]
        await staff.register(7123)  # /start CODE from the same person: recognised at once
        response = await staff.says(7123, "/frister")
        assert response is not None and response.route == "caseworker.frister"


async def test_a_counsellor_goes_on_and_off_duty_and_a_caseworker_cannot(staff: Staff) -> None:
    from handover import counsellors_on_duty, make_counsellor

    await staff.register(ANNE)
    await staff.register(BO)
    async with staff.sessions.begin() as session:
        anne = await session.scalar(select(CaseworkerRecord).where(CaseworkerRecord.telegram_user_id == ANNE))
        assert anne is not None
        await make_counsellor(session, anne.id)
    on = await staff.says(ANNE, "/vagt")
    assert on.keys == ["on_duty"] and on.route == "caseworker.vagt"
    refused = await staff.says(BO, "/vagt")
    assert refused.keys == ["not_counsellor"] and "--counsellor" in refused.text
    async with staff.sessions() as session:
        assert [c.telegram_user_id for c in await counsellors_on_duty(session)] == [ANNE]
    off = await staff.says(ANNE, "/fri", lang="en")
    assert off.keys == ["off_duty"]
    async with staff.sessions() as session:
        assert await counsellors_on_duty(session) == []
    assert is_citizen(await staff.says(CITIZEN, "/vagt"))  # a citizen has no duty
