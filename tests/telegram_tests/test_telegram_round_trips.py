"""End-to-end: a simulated citizen's updates arrive through getUpdates; replies are read from the fake.

The bot is the production Application (`build_application`) polling the fake Bot API server on
127.0.0.1. Assertions are on what the person would see (the fake strips the HTML escaping).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import text

from bot.identity import conversation_key
from bot.telegram import CHANNEL
from dialogs import TEXTS, Button, Incoming, Outgoing, Response, translations
from fakes.telegram_fixtures import app, bot, fake  # noqa: F401 (fixtures)
from fakes.telegram_harness import Harness


def say(lang: str, key: str) -> str:
    """Return a catalog message as the person sees it (no placeholders in the keys used here)."""
    return translations(lang).gettext(TEXTS[key])


async def stored_rows(bot: Harness) -> int:
    async with bot.app.database.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM conversation_state"))).scalar_one())


async def test_start_greets_through_the_real_stack(bot: Harness) -> None:
    citizen = bot.person()
    await bot.handled(citizen.says("/start"))
    replies = bot.fake.sent(citizen.chat_id)
    assert replies and replies[0].text.startswith("Hej! Jeg er Stifinder")
    assert replies[0].params["parse_mode"] == "HTML"


async def test_the_command_menu_is_registered_in_danish_and_english(bot: Harness) -> None:
    danish = bot.fake.commands[("all_private_chats", "")]
    english = bot.fake.commands[("all_private_chats", "en")]
    assert [c["command"] for c in danish] == ["start", "hjaelp", "kontakt", "raadgiver", "anonym", "sprog", "glem"]
    assert [c["command"] for c in english] == ["start", "help", "contact", "counsellor", "anonymous", "language",
                                               "forget"]
    assert danish[3]["description"] == "Tal med en rådgiver" and english[3]["description"] == "Talk to a counsellor"
    assert danish[-1]["description"] == say("da", "command_forget")
    assert english[-1]["description"] == say("en", "command_forget")


async def test_a_faq_question_is_answered_with_its_source(bot: Harness) -> None:
    citizen = bot.person()
    await bot.handled(citizen.says("koster det noget?"))
    reply = "\n".join(call.text for call in bot.fake.sent(citizen.chat_id))
    assert "gratis" in reply and "Kilde:" in reply


async def test_the_guided_first_contact_with_buttons(bot: Harness) -> None:
    citizen = bot.person()
    await bot.handled(citizen.says("jeg har brug for hjælp"))
    ask_age = bot.fake.sent(citizen.chat_id)[-1]
    labels = [row[0]["text"] for row in ask_age.params["reply_markup"]["inline_keyboard"]]
    assert labels == ["Under 18", "18-29 år", "30 år eller ældre"]

    await bot.handled(citizen.presses("18-29 år"))
    assert len(bot.fake.calls("answerCallbackQuery")) == 1
    marked = bot.fake.message(citizen.chat_id, ask_age.result["message_id"])
    assert marked["text"].endswith("» 18-29 år") and "reply_markup" not in marked
    ask_pension = bot.fake.sent(citizen.chat_id)[-1]
    assert [row[0]["text"] for row in ask_pension.params["reply_markup"]["inline_keyboard"]] == ["Ja", "Nej", "Ved ikke"]

    await bot.handled(citizen.presses("Nej"))
    assert len(bot.fake.calls("answerCallbackQuery")) == 2
    routed = bot.fake.sent(citizen.chat_id)[-1].text
    assert "9945 4705" in routed and "9945 4421" not in routed and "14 dage" in routed


async def test_free_text_works_at_every_step_of_the_first_contact(bot: Harness) -> None:
    citizen = bot.person()
    await bot.handled(citizen.says("hvem skal jeg ringe til"))
    await bot.handled(citizen.says("jeg er 34"))
    routed = bot.fake.sent(citizen.chat_id)[-1].text
    assert "9945 4421" in routed and "9945 4705" not in routed


async def test_glem_deletes_everything_at_once_and_says_so(bot: Harness) -> None:
    citizen = bot.person()
    await bot.handled(citizen.says("/kontakt"))
    await bot.handled(citizen.presses("18-29 år"))
    assert await stored_rows(bot) == 1
    await bot.handled(citizen.says("/glem"))
    assert bot.fake.sent(citizen.chat_id)[-1].text == say("da", "utter_forgotten")
    assert await stored_rows(bot) == 0
    conv = conversation_key(bot.app.secret, CHANNEL, citizen.chat_id)
    state = await bot.app.engine.state_of(conv, datetime.now(timezone.utc))
    assert state.flow is None and state.slots == {}


async def test_sprog_en_switches_the_conversation_to_english(bot: Harness) -> None:
    citizen = bot.person()
    await bot.handled(citizen.says("/sprog en"))
    assert bot.fake.sent(citizen.chat_id)[-1].text == say("en", "utter_language_set")
    await bot.handled(citizen.says("/start"))
    assert bot.fake.sent(citizen.chat_id)[-1].text.startswith("Hi!")
    await bot.handled(citizen.sends("sticker"))
    assert bot.fake.sent(citizen.chat_id)[-1].text == say("en", "utter_text_only")


async def test_a_group_gets_one_line_and_only_when_addressed(bot: Harness) -> None:
    member = bot.person(7001, group=-100777)
    await bot.handled(member.says("hej alle sammen, hvad koster det?"), member.says("/start@someotherbot"))
    assert bot.fake.sent(member.chat_id) == []
    await bot.handled(member.says("@stifinder_test_bot koster det noget?"))
    await bot.handled(member.says("/start"))
    replies = [call.text for call in bot.fake.sent(member.chat_id)]
    assert replies == [say("da", "utter_private_only")] * 2
    assert await stored_rows(bot) == 0  # nothing about the group or its members is kept


async def test_things_that_are_not_text_get_a_short_answer(bot: Harness) -> None:
    citizen = bot.person()
    for kind, key in (("sticker", "utter_text_only"), ("photo", "utter_text_only"), ("voice", "utter_text_only"),
                      ("location", "utter_location_not_stored"), ("contact", "utter_contact_not_stored")):
        await bot.handled(citizen.sends(kind))
        assert bot.fake.sent(citizen.chat_id)[-1].text == say("da", key), kind
    assert await stored_rows(bot) == 0


async def test_an_edited_message_is_answered_not_reprocessed(bot: Harness) -> None:
    citizen = bot.person()
    await bot.handled(citizen.edits("hvem skal jeg ringe til?"))
    assert [c.text for c in bot.fake.sent(citizen.chat_id)] == [say("da", "utter_edited_ignored")]


async def test_emoji_only_and_very_long_messages_get_a_clear_answer(bot: Harness) -> None:
    citizen = bot.person()
    await bot.handled(citizen.says("👍🙂"))
    await bot.handled(citizen.says("hvad koster det? " * 300))
    replies = bot.fake.sent(citizen.chat_id)
    assert len(replies) >= 2 and all(call.text.strip() for call in replies)
    assert any("2000" in call.text for call in replies)  # the engine says it read only the first part


async def test_a_user_who_blocked_the_bot_is_skipped_and_the_bot_goes_on(bot: Harness) -> None:
    blocker, other = bot.person(5001), bot.person(5002)
    bot.fake.blocked.add(blocker.chat_id)
    await bot.handled(blocker.says("hej"))
    await bot.handled(other.says("hej"))
    assert [c.outcome for c in bot.fake.calls("sendMessage", outcome=None)] == ["403", "ok"]
    assert bot.fake.sent(other.chat_id)


async def test_a_crashing_handler_does_not_stop_the_bot(bot: Harness, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    async def broken(*args: object) -> None:
        raise RuntimeError("boom")

    citizen = bot.person()
    monkeypatch.setattr(bot.app.engine, "state_of", broken)
    await bot.handled(citizen.sends("sticker"))
    monkeypatch.undo()
    await bot.handled(citizen.says("koster det noget?"))
    assert "gratis" in bot.fake.sent(citizen.chat_id)[-1].text
    failures = [r.getMessage() for r in caplog.records if r.getMessage().startswith("telegram handler failed")]
    assert failures and "update=message error=RuntimeError" in failures[0]


async def test_a_reply_over_telegrams_limit_is_split_and_markup_is_escaped(bot: Harness, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    long_text = " ".join(f"Sætning {n} med <b>tegn</b> & *stjerner*." for n in range(400))

    async def handle(incoming: Incoming) -> Response:
        message = Outgoing("utter_faq_answer", long_text, buttons=(Button("Ja", '/inform{"pension":true}'),))
        return Response(messages=(message,), intent="test", confidence=1.0, lang="da", route="test")

    monkeypatch.setattr(bot.app.engine, "handle", handle)
    citizen = bot.person()
    await bot.handled(citizen.says("hej"))
    parts = bot.fake.sent(citizen.chat_id)
    assert len(parts) > 1 and " ".join(p.text for p in parts) == long_text  # the fake rejects broken HTML
    assert [bool(p.params.get("reply_markup")) for p in parts] == [False] * (len(parts) - 1) + [True]
