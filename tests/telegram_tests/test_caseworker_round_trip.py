"""End to end against the fake Bot API: a caseworker from invite to closing a case; a citizen sees none of it.

The bot is the production Application with the staff handlers in group -1 before the citizen channel.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from fakes.staff_desk import NOW, StaffBot, case_language, staff_bot  # noqa: F401 (fixtures)
from fakes.telegram_fixtures import fake  # noqa: F401 (fixture)

CASEWORKER, CITIZEN = 4242100, 4242200


async def all_stored_text(bot: StaffBot) -> str:
    """Every value of every row of every table, as one string (to prove what is not stored)."""
    async with bot.harness.app.database.connect() as conn:
        tables = [row[0] for row in await conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))]
        values: list[str] = []
        for table in tables:
            for row in await conn.execute(text(f'SELECT * FROM "{table}"')):
                values.extend(str(value) for value in row)
    return "\n".join(values)


async def test_invite_register_record_confirm_and_close(staff_bot: StaffBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    bot = staff_bot
    code = await bot.staff.invite("Anne Testsen", "nord")
    worker = bot.harness.person(CASEWORKER, first_name="Anne", username="anne_cw")

    await bot.handled(worker.says(f"/start {code}"))
    assert bot.fake.sent(CASEWORKER)[-1].text.startswith("Du er nu registreret som sagsbehandler")

    await bot.handled(worker.says("/ny_sag S-14"))
    assert bot.fake.sent(CASEWORKER)[-1].text.startswith("Sag S-14 er oprettet")

    await bot.handled(worker.says("/haendelse S-14 henvendelse i går"))
    recorded = bot.fake.sent(CASEWORKER)[-1].text
    assert "henvendelse om behandling, søndag den 22. november 2026" in recorded
    assert "søndag den 6. december 2026" in recorded

    await bot.handled(worker.says("/frister"))
    listing = bot.fake.sent(CASEWORKER)[-1].text
    assert listing.startswith("Åbne frister") and "S-14 · Behandlingsgaranti" in listing and "om 13 dage" in listing

    await bot.handled(worker.says("sag S-14: behandlingen er startet i dag"))
    proposal = bot.fake.sent(CASEWORKER)[-1]
    assert "Skal jeg registrere i S-14: behandling startet, mandag den 23. november 2026?" == proposal.text
    await bot.handled(worker.presses("Ja, registrér"))
    assert len(bot.fake.calls("answerCallbackQuery")) == 1
    marked = bot.fake.message(CASEWORKER, proposal.result["message_id"])
    assert marked["text"].endswith("» Ja, registrér") and "reply_markup" not in marked
    confirmed = bot.fake.sent(CASEWORKER)[-1].text
    assert confirmed.startswith("Registreret i S-14: behandling startet")
    assert "Det opfylder fristen »Behandlingsgaranti: behandlingen skal være startet«." in confirmed
    assert "S-14 · Behandlingsgaranti" not in confirmed  # the guarantee is met: not among the open ones
    assert "S-14 · Behandlingsplan ved behandlingens start" in confirmed  # and no plan is recorded yet

    await bot.handled(worker.says("/luk S-14"))
    assert bot.fake.sent(CASEWORKER)[-1].text.startswith("Sag S-14 er lukket")

    stored = await all_stored_text(bot)
    for secret in ("behandlingen er startet", "henvendelse i går", "anne_cw", code):
        assert secret not in stored, secret
    for secret in (code, "behandlingen er startet", str(CASEWORKER), "anne_cw"):
        assert secret not in caplog.text, secret
    assert "route=caseworker.confirm" in caplog.text


async def test_a_citizen_gets_the_assistant_as_before(staff_bot: StaffBot) -> None:
    bot = staff_bot
    citizen = bot.harness.person(CITIZEN)
    await bot.handled(citizen.says("/start"))
    assert bot.fake.sent(CITIZEN)[-1].text.startswith("Hej! Jeg er Stifinder")
    await bot.handled(citizen.says("/ny_sag S-15"), citizen.says("sag S-15: borgeren henvendte sig i går"),
                      citizen.says("/frister"))
    replies = "\n".join(call.text for call in bot.fake.sent(CITIZEN))
    for staff_words in ("Sag S-15", "Skal jeg registrere", "Åbne frister", "sagsbehandler"):
        assert staff_words not in replies
    stored = await all_stored_text(bot)
    assert "S-15" not in stored and str(CITIZEN) not in stored


async def test_a_bad_invite_code_gets_one_line_and_nothing_is_stored(staff_bot: StaffBot) -> None:
    bot = staff_bot
    citizen = bot.harness.person(CITIZEN)
    await bot.handled(citizen.says("/start abcdefghijklmnopqrstuv"))
    assert [call.text for call in bot.fake.sent(CITIZEN)] == ["Koden er ikke gyldig: den er brugt eller udløbet."]
    stored = await all_stored_text(bot)
    assert str(CITIZEN) not in stored and "abcdefghijklmnopqrstuv" not in stored
