"""Telegram handlers of the caseworker features, tried before the citizen channel (handler group -1).

Thin: each update becomes a channel-free `StaffMessage` for `dialogs.caseworker.desk.StaffDesk`. When the desk
answers, the reply is sent and `ApplicationHandlerStop` keeps the citizen channel out; when it
returns None (a citizen, an unregistered group), the update falls through to the citizen channel
unchanged. Every message in a registered team chat stops here (answered or silently ignored), so the
citizen channel never speaks there. Logs nothing from an update: no text, no name, no id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, LinkPreviewOptions, Message, MessageEntity, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.config import Settings
from bot.telegram import _addresses, _client_lang, mark_choice
from bot.telegram_render import keyboard, split_message, to_html
from dialogs import Response
from dialogs.caseworker.desk import TEAM_CPR_ROUTE, ProviderAnswers, StaffDesk, StaffMessage
from dialogs.caseworker.cases import CaseDeps

log = logging.getLogger(__name__)

STAFF_GROUP = -1  # before the citizen channel's handlers (group 0)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


class TelegramStaff:
    """Handlers around one StaffDesk.

    Args:
        desk: the caseworker features.
        clock: returns "now" (timezone-aware). Defaults to the system clock in UTC.
    """

    def __init__(self, desk: StaffDesk, clock: Callable[[], datetime] | None = None) -> None:
        self._desk = desk
        self._clock = clock or (lambda: datetime.now(timezone.utc))

    def handlers(self) -> list[BaseHandler[Any, Any, Any]]:
        """Return the handlers for group STAFF_GROUP."""
        return [
            MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT, self.on_private),
            MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.GROUPS, self.on_group),
            CallbackQueryHandler(self.on_button),
        ]

    async def on_private(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer a registered caseworker's text or command, or an invite; let everything else through."""
        message, user = update.effective_message, update.effective_user
        if message is None or message.text is None or user is None:
            return
        response = await self._desk.handle(StaffMessage(
            user_id=user.id, chat_id=message.chat_id, text=message.text, at=self._clock(),
            lang_hint=_client_lang(update, "da")))
        await self._finish(context.bot, message.chat_id, response)

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """In a registered team chat, answer provider questions or stay silent; register one with /team CODE."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        text = message.text or ""
        addressed = _addresses(message, context.bot)
        response = await self._desk.handle(StaffMessage(
            user_id=user.id, chat_id=message.chat_id, text=_without_mention(message, context.bot) if text else "",
            at=self._clock(), lang_hint=_client_lang(update, "da"), group=True, addressed=addressed))
        if response is not None and response.route == TEAM_CPR_ROUTE:
            try:  # works when the bot is an administrator of the group that may delete messages
                await message.delete()
            except TelegramError as exc:
                log.info("telegram team cpr message kept error=%s", type(exc).__name__)
        await self._finish(context.bot, message.chat_id, response)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Confirm or cancel a proposal, or pass a provider-desk button on; other buttons fall through."""
        query, user, chat = update.callback_query, update.effective_user, update.effective_chat
        if query is None or user is None or chat is None or not query.data:
            return
        response = await self._desk.handle(StaffMessage(
            user_id=user.id, chat_id=chat.id, text=query.data, at=self._clock(), lang_hint=_client_lang(update, "da"),
            group=chat.type in GROUPS, button=True))
        if response is None:
            return
        try:
            # Telegram shows a spinner on the button until the query is answered.
            await query.answer()
        except BadRequest:
            log.info("telegram callback query too old to answer")
        if isinstance(query.message, Message):
            await mark_choice(query.message, query.data)
        await self._finish(context.bot, chat.id, response)

    async def _finish(self, bot: Bot, chat_id: int, response: Response | None) -> None:
        """Send the desk's answer and stop the citizen channel; do nothing when the desk passed."""
        if response is None:
            return
        try:
            for outgoing in response.messages:
                chunks = split_message(outgoing.text)
                for index, chunk in enumerate(chunks):
                    markup = keyboard(outgoing.buttons, outgoing.key) if index == len(chunks) - 1 else None
                    await bot.send_message(chat_id, to_html(chunk), parse_mode=ParseMode.HTML, reply_markup=markup,
                                           link_preview_options=NO_PREVIEW)
        except Forbidden:  # blocked the bot, or removed it from the group
            log.info("telegram staff send refused route=%s", response.route)
        raise ApplicationHandlerStop


def _without_mention(message: Message, bot: Bot) -> str:
    """Return a group message's text without the @mention of this bot (so the desk reads the question)."""
    text = message.text or ""
    username = f"@{(bot.username or '').lower()}"
    for entity, value in sorted(message.parse_entities([MessageEntity.MENTION]).items(),
                                key=lambda item: -item[0].offset):
        if value.lower() == username:
            text = text[:entity.offset] + text[entity.offset + entity.length:]
    return " ".join(text.split())


def build_staff(settings: Settings, database: Any, providers: ProviderAnswers | None = None,
                clock: Callable[[], datetime] | None = None) -> TelegramStaff:
    """Wire the caseworker features over the assistant's database (rules, labels, the case-sentence model).

    Args:
        settings: the service settings (time zone, NLU cache directory).
        database: the assistant's AsyncEngine.
        providers: the provider desk; None until it is wired.
        clock: returns "now". Defaults to the system clock.
    """
    from nlu.case_language import load_case_language
    from reminders import load_labels, load_rules

    sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(database, expire_on_commit=False)
    deps = CaseDeps.of(tuple(load_rules()), load_labels())
    desk = StaffDesk(sessions, load_case_language(settings.nlu_cache_dir), deps, providers,
                     tz=ZoneInfo(settings.timezone))
    return TelegramStaff(desk, clock)
