"""End to end against the fake Bot API: a team chat registered in a group, and groups that are not one.

In a registered team chat the staff handlers answer provider questions (a fake provider desk here)
and stay silent otherwise; an unregistered group keeps the citizen channel's one line when addressed.
"""

from __future__ import annotations

import logging

import pytest

from reminders.access import is_team_chat

from fakes.staff_desk import StaffBot, case_language, staff_bot  # noqa: F401 (fixtures)
from fakes.telegram_fixtures import fake  # noqa: F401 (fixture)

ANNE, CY, MEMBER = 4242300, 4242301, 4242302
TEAM_GROUP, OTHER_GROUP = -100424201, -100424299
BOT = "@stifinder_test_bot"


async def test_a_caseworker_registers_the_group_and_the_team_asks_about_providers(staff_bot: StaffBot) -> None:
    bot = staff_bot
    await bot.staff.register(ANNE, team="nord")
    await bot.staff.register(CY, team="syd")
    code = await bot.staff.team_code("nord")
    anne = bot.harness.person(ANNE, group=TEAM_GROUP)
    cy = bot.harness.person(CY, group=TEAM_GROUP)
    member = bot.harness.person(MEMBER, group=TEAM_GROUP, username=None)

    await bot.handled(cy.says(f"/team {code}"))
    assert bot.fake.sent(TEAM_GROUP)[-1].text == "Koden gælder et andet team end dit. Gruppen er ikke registreret."
    await bot.handled(anne.says(f"/team {code}"))
    assert bot.fake.sent(TEAM_GROUP)[-1].text.startswith("Gruppen er nu teamchat for team nord")
    sent = len(bot.fake.sent(TEAM_GROUP))

    await bot.handled(member.says("/tilbud døgn til gravide"))
    assert bot.fake.sent(TEAM_GROUP)[-1].text == "3 udbydere passer. Viser 1–3:"
    await bot.handled(member.says("hvilke døgntilbud har ventetid under en uge"))
    assert bot.fake.sent(TEAM_GROUP)[-1].text == "3 udbydere passer. Viser 1–3:"
    assert bot.staff.providers.asked[-2:] == ["døgn til gravide", "hvilke døgntilbud har ventetid under en uge"]

    await bot.handled(member.says("god weekend alle sammen"), member.sends("sticker"))
    assert len(bot.fake.sent(TEAM_GROUP)) == sent + 2  # silent: no reply to chatter or stickers

    await bot.handled(member.says(f"{BOT} hvad kan du"))
    assert bot.fake.sent(TEAM_GROUP)[-1].text.startswith("I teamchatten svarer jeg på spørgsmål om behandlingstilbud")
    await bot.handled(anne.says("/frister"))
    assert bot.fake.sent(TEAM_GROUP)[-1].text.startswith("Sager og frister håndteres kun i din private chat")


async def test_an_unregistered_group_gets_only_the_citizen_channels_line(staff_bot: StaffBot) -> None:
    bot = staff_bot
    await bot.staff.register(ANNE, team="nord")
    anne = bot.harness.person(ANNE, group=OTHER_GROUP)
    stranger = bot.harness.person(MEMBER, group=OTHER_GROUP)
    await bot.handled(stranger.says("hvilke døgntilbud har vi"), anne.says("hvilke døgntilbud har vi"))
    assert bot.fake.sent(OTHER_GROUP) == []
    await bot.handled(stranger.says(f"{BOT} hvilke døgntilbud har vi"))
    await bot.handled(stranger.says("/tilbud døgn"))
    await bot.handled(stranger.says("/team abcdefghijklmnopqrstuv"))
    replies = [call.text for call in bot.fake.sent(OTHER_GROUP)]
    assert len(replies) == 3 and len(set(replies)) == 1  # the citizen channel's "write to me privately" line
    assert "tilbud passer" not in replies[0]
    assert bot.staff.providers.asked == []
    async with bot.staff.sessions() as session:
        assert not await is_team_chat(session, OTHER_GROUP)


async def test_a_cpr_number_in_a_team_chat_is_warned_about_deleted_and_never_logged(
        staff_bot: StaffBot, caplog: pytest.LogCaptureFixture) -> None:
    bot = staff_bot
    await bot.staff.register(ANNE, team="nord")
    code = await bot.staff.team_code("nord")
    anne = bot.harness.person(ANNE, group=TEAM_GROUP)
    member = bot.harness.person(MEMBER, group=TEAM_GROUP, username=None)
    await bot.handled(anne.says(f"/team {code}"))
    caplog.set_level(logging.INFO)  # the level `stifinder run` logs at

    await bot.handled(member.says("borgeren i S-14 har cpr 010190-1234, hvad gør vi"))  # the bot is no admin here
    warning = "Skriv aldrig CPR-numre her: gruppens historik gemmes hos Telegram. Brug sagens reference, fx S-14."
    assert bot.fake.sent(TEAM_GROUP)[-1].text == warning
    assert [call.outcome for call in bot.fake.calls("deleteMessage", outcome=None)] == ["400"]

    bot.fake.admin_in.add(TEAM_GROUP)  # made an administrator that may delete messages
    await bot.handled(member.says("hun har 1001901234 i cpr"))
    assert bot.fake.sent(TEAM_GROUP)[-1].text == warning
    assert [call.outcome for call in bot.fake.calls("deleteMessage", outcome=None)] == ["400", "ok"]
    assert bot.staff.providers.asked == []  # not passed on to the provider desk either
    logged = caplog.text
    assert "010190" not in logged and "1001901234" not in logged and "borgeren" not in logged
