"""The Telegram channel: turns updates into `Incoming` turns and the engine's replies into messages.

Thin like every channel: no intent decisions and no text of its own (every sentence, the command
menu included, comes from the dialogs' gettext catalogs). It stores nothing and logs nothing from
an update: not the text, not a name, not a username, not an id. The conversation key is a keyed
hash of the chat id (`bot.identity.conversation_key`). No ConversationHandler, user_data or
persistence: the engine keeps the (expiring) flow state.

Every text, command, button press and group message becomes one `Incoming` with its `Sender` (the
Telegram account and chat, never stored); the engine learns from its Directory whether a citizen, a
caseworker, a team chat or another group wrote, and answers accordingly (a group that is not a team
chat gets one line, and only when the bot is addressed). The channel sends the replies, shows a
button's pop-up, adds the line under a pressed reminder, and deletes a team-chat message the engine
withdraws (a CPR number). Updates that are not text get a short answer in private chats (a shared
phone contact or location is neither stored nor logged).
"""

from __future__ import annotations

import logging
import traceback
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from telegram import (
    Bot, BotCommand, BotCommandScopeAllPrivateChats, LinkPreviewOptions, Message, MessageEntity, Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters,
)

from bot.identity import conversation_key
from bot.telegram.rendering import button_label, keyboard, split_message, to_html, units, MAX_MESSAGE
from bot.wiring import App
from dialogs import Incoming, Outgoing, Relayed, Renderer, Response, Sender
from reminders import CaseworkerRecord

log = logging.getLogger(__name__)

CHANNEL = "telegram"
# Command names per language: Telegram allows only a-z, 0-9 and _ (so /hjaelp, not /hjælp).
# The engine knows both spellings; the menu shows Danish by default and English to English clients.
MENU = (
    ("start", "start", "command_start"),
    ("hjaelp", "help", "command_help"),
    ("kontakt", "contact", "command_contact"),
    ("raadgiver", "counsellor", "command_counsellor"),
    ("anonym", "anonymous", "command_anonymous"),
    ("sprog", "language", "command_language"),
    ("glem", "forget", "command_forget"),
)
FORGET = ("glem", "forget")
# A citizen's chat is kept (in memory) for a counsellor to reach while its handover lasts; these end it.
HANDOVER_OVER = {"utter_queue_left", "utter_handover_ended"}
MAX_HANDOVER_CHATS = 10_000
OTHER_COMMANDS = ("annuller", "cancel")
NOT_TEXT = (filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO
            | filters.VIDEO_NOTE | filters.Document.ALL | filters.ANIMATION | filters.POLL | filters.Dice.ALL
            | filters.STORY)
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class TelegramChannel:
    """Python-telegram-bot handlers around one engine.

    Args:
        app: the wired assistant (its engine and the HMAC secret for conversation keys).
        clock: returns "now" (timezone-aware). Defaults to the system clock in UTC.
    """

    def __init__(self, app: App, clock: Callable[[], datetime] | None = None) -> None:
        self._engine = app.engine
        self._secret = app.secret
        self._app = app
        # The chats of citizens in a handover, by conversation key: in memory only, while the handover lasts,
        # so that a counsellor's words can reach them (the conversation key cannot be turned back into a chat).
        self._handover_chats: OrderedDict[str, int] = OrderedDict()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        deps = app.engine.deps
        self._renderer = Renderer(deps.municipality, deps.ttl_minutes, deps.standard.title)
        self._default_lang = deps.default_lang

    def handlers(self) -> list[BaseHandler[Any, Any, Any]]:
        """Return the handlers in the order they must be tried (the first match wins)."""
        commands = [da for da, _, _ in MENU] + [en for _, en, _ in MENU] + list(OTHER_COMMANDS)
        return [
            MessageHandler(filters.UpdateType.EDITED_MESSAGE, self.on_edited),
            MessageHandler(filters.ChatType.GROUPS & filters.UpdateType.MESSAGE, self.on_group),
            CommandHandler(list(FORGET), self.on_forget, filters=PRIVATE),
            CommandHandler([c for c in commands if c not in FORGET], self.on_text, filters=PRIVATE),
            MessageHandler(PRIVATE & filters.TEXT, self.on_text),
            CallbackQueryHandler(self.on_button),
            MessageHandler(PRIVATE & filters.CONTACT, self.on_contact),
            MessageHandler(PRIVATE & (filters.LOCATION | filters.VENUE), self.on_location),
            MessageHandler(PRIVATE & NOT_TEXT, self.on_not_text),
        ]

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Hand a private text or command to the engine and send its replies."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        response = await self._engine.handle(self._incoming(update, message.chat_id, message.text))
        await self._follow(message.chat_id, response)
        await self._send(context.bot, message.chat_id, response)
        await self._app.relays.deliver(response)

    async def on_forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Delete everything held about the chat at once (/glem), then say so."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        incoming = self._incoming(update, message.chat_id, message.text)
        response = await self._engine.handle(incoming)
        await self._engine.forget(incoming.conv)  # whatever the turn decided, nothing about this chat is kept
        self._handover_chats.pop(incoming.conv, None)
        await self._send(context.bot, message.chat_id, response)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Hand the payload to the engine, answer the press (with its pop-up), mark the pressed message."""
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None or not query.data:
            return
        group = chat.type != ChatType.PRIVATE
        response = await self._engine.handle(self._incoming(update, chat.id, query.data, group=group, button=True))
        try:
            # Telegram shows a spinner on the button until the query is answered, even when nothing follows.
            await query.answer(response.alert, show_alert=response.alert is not None)
        except BadRequest:  # the query is too old to answer; the press still counts
            log.info("telegram callback query too old to answer")
        message = query.message if isinstance(query.message, Message) else None
        if message is not None and response.note is not None:
            await add_note(message, response.note)
        elif message is not None and response.messages:
            await mark_choice(message, query.data)
        if not group:
            await self._follow(chat.id, response)
        await self._send(context.bot, chat.id, response)
        await self._app.relays.deliver(response)

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Hand a group message to the engine (a team chat's question, /team CODE, or a mention elsewhere)."""
        message = update.effective_message
        if message is None:
            return
        text = _without_mention(message, context.bot) if message.text else ""
        incoming = self._incoming(update, message.chat_id, text, group=True,
                                  addressed=_addresses(message, context.bot))
        response = await self._engine.handle(incoming)
        if response.withdraw:
            try:  # works when the bot is an administrator of the group that may delete messages
                await message.delete()
            except TelegramError as exc:
                log.info("telegram group message kept error=%s", type(exc).__name__)
        await self._send(context.bot, message.chat_id, response)

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Say that corrections are not read (in private chats; groups stay silent)."""
        message = update.edited_message
        if message is None or message.chat.type != ChatType.PRIVATE:
            return
        await self._say(context.bot, message.chat_id, "utter_edited_ignored", await self._lang(update))

    async def on_contact(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Say a shared contact is not needed; its phone number is neither stored nor logged."""
        await self._answer_kind(update, context, "utter_contact_not_stored")

    async def on_location(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Say a shared location is not needed and not stored."""
        await self._answer_kind(update, context, "utter_location_not_stored")

    async def on_not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Say that only text is read (stickers, photos, voice notes, files ...)."""
        await self._answer_kind(update, context, "utter_text_only")

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a failed handler without personal data: the update's kind, the error's type, the code lines."""
        error = context.error
        trace = "".join(traceback.format_tb(error.__traceback__)) if error is not None else ""
        log.error("telegram handler failed update=%s error=%s\n%s", _kind(update), type(error).__name__, trace)

    async def register_commands(self, bot: Bot) -> None:
        """Publish the command menu (setMyCommands): Danish by default, English for English clients."""
        scope = BotCommandScopeAllPrivateChats()
        for lang, index, language_code in (("da", 0, None), ("en", 1, "en")):
            commands = [BotCommand(names[index], self._renderer.text(lang, key)) for *names, key in MENU]
            await bot.set_my_commands(commands, scope=scope, language_code=language_code)

    def _incoming(self, update: Update, chat_id: int, text: str, *, group: bool = False, addressed: bool = False,
                  button: bool = False) -> Incoming:
        user = update.effective_user
        sender = Sender(CHANNEL, account=user.id if user is not None else None, chat=chat_id, group=group,
                        addressed=addressed, app_lang=_client_lang(update, self._default_lang))
        return Incoming(conv=self._conv(chat_id), text=text, at=self._clock(), sender=sender, button=button)

    async def _follow(self, chat_id: int, response: Response) -> None:
        """Keep a citizen's chat while it is in a handover (and only then), to reach it from a counsellor; the
        other processes, if any, let go of it."""
        conv = self._conv(chat_id)
        ended = any(m.key in HANDOVER_OVER for m in response.messages)
        joined = response.route in ("handover.waiting", "handover.relayed") \
            or any(m.key == "utter_queue_joined" for m in response.messages)
        if joined and not ended:
            if conv not in self._handover_chats:
                await self._app.relays.keeps(CHANNEL, conv)
            self._handover_chats[conv] = chat_id
            self._handover_chats.move_to_end(conv)
            while len(self._handover_chats) > MAX_HANDOVER_CHATS:
                self._handover_chats.popitem(last=False)
        elif ended:
            self._handover_chats.pop(conv, None)

    def reach_people(self, bot: Bot) -> None:
        """Let the engine's words for others in a handover reach them through this bot: a counsellor's private
        chat, and a citizen's chat while it is in a handover."""
        self.reach_caseworkers(bot)

        async def to_citizen(item: Relayed) -> bool:
            chat_id = self._handover_chats.get(item.conv or "")
            if chat_id is None:
                return False  # not known in this process (another may know it)
            if any(m.key in HANDOVER_OVER for m in item.messages):
                self._handover_chats.pop(item.conv or "", None)
            await self._send_messages(bot, chat_id, item.messages)
            return True

        def let_go(conv: str) -> None:
            self._handover_chats.pop(conv, None)

        self._app.relays.to_conversation[CHANNEL] = to_citizen
        self._app.relays.let_go[CHANNEL] = let_go

    def reach_caseworkers(self, bot: Bot) -> None:
        """Let the engine's words for a counsellor in a handover reach their private chat through this bot."""
        sessions = async_sessionmaker(self._app.database)

        async def deliver(item: Relayed) -> None:
            async with sessions() as session:
                record = await session.get(CaseworkerRecord, item.caseworker_id)
            if record is None or record.telegram_user_id is None:
                log.warning("relay dropped: caseworker=%s has no Telegram chat", item.caseworker_id)
                return
            await self._send_messages(bot, record.telegram_user_id, item.messages)

        self._app.relays.to_caseworker = deliver

    async def _send(self, bot: Bot, chat_id: int, response: Response) -> None:
        """Send the response's messages to the chat."""
        await self._send_messages(bot, chat_id, response.messages)

    async def _send_messages(self, bot: Bot, chat_id: int, messages: tuple[Outgoing, ...]) -> None:
        """Send each message, split to Telegram's limit, with its buttons under the last part."""
        try:
            for outgoing in messages:
                chunks = split_message(outgoing.text)
                for index, chunk in enumerate(chunks):
                    markup = keyboard(outgoing.buttons, outgoing.key) if index == len(chunks) - 1 else None
                    await bot.send_message(chat_id, to_html(chunk), parse_mode=ParseMode.HTML,
                                           reply_markup=markup, link_preview_options=NO_PREVIEW)
        except Forbidden:  # the person blocked the bot or left: nothing more can reach them
            log.info("telegram send refused conv=%s", self._conv(chat_id)[:8])

    async def _say(self, bot: Bot, chat_id: int, key: str, lang: str) -> None:
        outgoing = self._renderer.text(lang, key)
        try:
            await bot.send_message(chat_id, to_html(outgoing), parse_mode=ParseMode.HTML,
                                   link_preview_options=NO_PREVIEW)
        except Forbidden:
            log.info("telegram send refused key=%s", key)

    async def _answer_kind(self, update: Update, context: ContextTypes.DEFAULT_TYPE, key: str) -> None:
        message = update.effective_message
        if message is not None:
            await self._say(context.bot, message.chat_id, key, await self._lang(update))

    async def _lang(self, update: Update) -> str:
        """Return the conversation's language, else the app's language hint, else the default."""
        chat = update.effective_chat
        if chat is not None:
            state = await self._engine.state_of(self._conv(chat.id), self._clock())
            if state.lang:
                return state.lang
        return _client_lang(update, self._default_lang)

    def _conv(self, chat_id: int) -> str:
        return conversation_key(self._secret, CHANNEL, chat_id)


async def mark_choice(message: Message, payload: str) -> None:
    """Replace the keyboard by the chosen label, so the choice stays visible and is pressed only once."""
    label = button_label(message.reply_markup, payload)
    text = message.text
    if label is None or text is None:
        return
    marked = f"{text}\n\n» {label}"
    if units(marked) > MAX_MESSAGE:
        return
    try:
        await message.edit_text(to_html(marked), parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)
    except BadRequest:  # too old to edit, or already edited by an earlier press
        log.info("telegram choice not marked")


async def add_note(message: Message, note: str) -> None:
    """Add what a press did under the message (a reminder: "» Udført …") and take its buttons away."""
    body = f"{message.text or ''}\n\n{note}"
    try:
        await message.edit_text(body, link_preview_options=NO_PREVIEW, reply_markup=None)
    except BadRequest:  # too old to edit, or already edited by an earlier press
        log.info("telegram note not added")


def _without_mention(message: Message, bot: Bot) -> str:
    """Return a group message's text without the @mention of this bot (so the engine reads the question)."""
    text = message.text or ""
    username = f"@{(bot.username or '').lower()}"
    for entity, value in sorted(message.parse_entities([MessageEntity.MENTION]).items(),
                                key=lambda item: -item[0].offset):
        if value.lower() == username:
            text = text[:entity.offset] + text[entity.offset + entity.length:]
    return " ".join(text.split())


def _addresses(message: Message, bot: Bot) -> bool:
    """Tell whether a group message is meant for this bot: a mention, a reply to it, or a command."""
    username = (bot.username or "").lower()
    if message.reply_to_message is not None and message.reply_to_message.from_user is not None:
        if message.reply_to_message.from_user.id == bot.id:
            return True
    if message.new_chat_members and any(member.id == bot.id for member in message.new_chat_members):
        return True
    entities = message.parse_entities() | message.parse_caption_entities()
    for entity, text in entities.items():
        if entity.type == MessageEntity.MENTION and text.lower() == f"@{username}":
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot.id:
            return True
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            target = text.partition("@")[2].lower()
            return target in ("", username)
    return False


def _client_lang(update: Update, default: str) -> str:
    """Return "en" when the person's Telegram app is in English, else the default (a hint, never stored)."""
    user = update.effective_user
    code = (user.language_code or "") if user is not None else ""
    return "en" if code.lower().startswith("en") else default


def _kind(update: object) -> str:
    """Name an update's kind for a log line (message, callback_query, ...), never its content."""
    if isinstance(update, Update):
        for kind in ("message", "edited_message", "callback_query", "channel_post", "my_chat_member"):
            if getattr(update, kind, None) is not None:
                return kind
        return "other"
    return type(update).__name__
