"""The caseworker side of the chat: registration, case commands, sentences about cases, team chats.

`StaffDesk.handle(StaffMessage)` answers a registered caseworker's private message, a `/start CODE`
invite, or a message in a registered team chat, and returns None for everything else, so the
citizen assistant answers exactly as before (a citizen learns nothing of the staff features). No
channel here: the Telegram handlers in bot/telegram_staff.py are thin. Stores no message text:
only caseworker registrations, cases, event kinds and days (and, in memory, each caseworker's last
case for a few hours, so "udskrevet færdigbehandlet 3/11" can refer to it).

Provider questions are answered by a `ProviderAnswers` (dialogs/providers/desk.py, wired in bot/).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.caseworker.cases import (CANCEL, CONFIRM, KINDS, CaseDeps, Result, close, confirm_payload, list_cases,
                                 new_case, one, read_confirm, record, record_event, refusal, reopen, show_deadlines)
from dialogs.i18n import long_date
from dialogs.caseworker.texts import say
from dialogs.turn import Button, Response
from privacy import find_cpr
from nlu.case_language import EVENT_PREFIX, CaseLanguage, Span
from reminders import COPENHAGEN, CaseworkerRecord, EventKind, RefusedReference, check_reference, local_date
from reminders.access import (AlreadyRegistered, InvalidCode, WrongTeam, caseworker_by_telegram, redeem_invite,
                              register_team_chat, team_of_chat, toggle_team_digest, visible_case)
from reminders.dates import find_day
from reminders.errors import UnknownCase

log = logging.getLogger(__name__)

TEAM_COMMANDS = ("team", "hold")
# The route of the warning to a team chat whose message held a CPR number: the channel deletes the message.
TEAM_CPR_ROUTE = "staff.team.cpr"
TEAM_DIGEST = "frister_team"
CASE_COMMANDS = ("ny_sag", "haendelse", "frister", "luk", "genaabn", "sager")
HELP_COMMANDS = ("hjaelp", "hjælp", "help")
LANGUAGE_COMMANDS = ("sprog", "language")
OFFERS = "tilbud"
MAX_KIND_CHOICES = 3
NOT_STAFF_CACHE_SIZE = 50_000
# Below this confidence in "none", a sentence naming a case is offered the likeliest event kinds.
UNSURE_NONE = 0.5


class ProviderAnswers(Protocol):
    """Answers questions about treatment providers (dialogs/providers/desk.py implements it)."""

    async def answer(self, text: str, lang: str, *, now: datetime) -> Response | None:
        """Answer a provider question (free text, /tilbud's arguments, or a "/tilbud..." button payload).

        Returns None when the text is not a provider question.
        """
        ...


@dataclass(frozen=True, slots=True)
class StaffMessage:
    """One message (or button payload) as a channel hands it to the staff desk.

    Args:
        user_id: the sender's account id in the channel (a caseworker's registration key).
        chat_id: the chat it was written in (a group's id for team chats).
        text: the text, or the button payload when `button` is true.
        at: when it arrived (timezone-aware).
        lang_hint: the language of the sender's app ("da" or "en"), used until a caseworker chooses one.
        group: written in a group rather than a private chat.
        addressed: in a group, the bot was mentioned or replied to.
        button: the text is a button payload.
    """

    user_id: int
    chat_id: int
    text: str
    at: datetime
    lang_hint: str = "da"
    group: bool = False
    addressed: bool = False
    button: bool = False


@dataclass(frozen=True, slots=True)
class _Who:
    """The registered caseworker writing (read once per turn)."""

    id: int
    lang: str


class StaffDesk:
    """The caseworker and team-chat features, behind one entry point.

    Args:
        sessions: the database's session factory (one unit of work per turn).
        language: reads caseworkers' sentences (nlu.case_language).
        deps: deadline rules and labels.
        providers: answers provider questions; None until the provider desk is wired.
        tz: the municipality's time zone. Defaults to Europe/Copenhagen.
        last_case_ttl: how long a caseworker's last case is remembered (in memory). Defaults to 8 hours.
        not_staff_ttl: how long "this Telegram user is not a caseworker" is remembered (in memory), so a
            citizen's messages do not each cost a database query. A caseworker registered through another
            process is recognised here after at most this long; one registered here, at once.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], language: CaseLanguage, deps: CaseDeps,
                 providers: ProviderAnswers | None = None, tz: ZoneInfo = COPENHAGEN,
                 last_case_ttl: timedelta = timedelta(hours=8),
                 not_staff_ttl: timedelta = timedelta(seconds=60)) -> None:
        self._sessions = sessions
        self._language = language
        self._deps = deps
        self._providers = providers
        self._tz = tz
        self._ttl = last_case_ttl
        self._last_case: dict[int, tuple[str, datetime]] = {}
        # Keyed by a salted hash, not the Telegram id: the cache never holds a citizen's id.
        self._not_staff: dict[bytes, float] = {}
        self._not_staff_ttl = not_staff_ttl.total_seconds()
        self._salt = secrets.token_bytes(16)

    async def handle(self, message: StaffMessage) -> Response | None:
        """Answer a staff message; None when it is not one (the citizen assistant then answers)."""
        started = time.perf_counter()
        if message.group:
            response = await self._group(message)
        elif message.button:
            response = await self._press(message)
        else:
            response = await self._private(message)
        if response is not None:
            log.info("staff turn route=%s ms=%.1f", response.route, (time.perf_counter() - started) * 1000)
        return response

    async def is_team_chat(self, chat_id: int) -> bool:
        """Tell whether a chat is a registered team chat."""
        async with self._sessions() as session:
            return await team_of_chat(session, chat_id) is not None

    # --- private chats -------------------------------------------------------------------------

    async def _private(self, message: StaffMessage) -> Response | None:
        command, args = _command(message.text)
        if command == "start" and args:
            return await self._register(message, args[0])
        who = await self._who(message.user_id)
        if who is None:
            return None
        lang = who.lang
        today = local_date(message.at, self._tz)
        if command in ("start", *HELP_COMMANDS):
            key = "welcome_back" if command == "start" else "help"
            text = say(lang, key) if key == "help" else say(lang, key) + "\n\n" + say(lang, "help")
            return _response((one(key, text),), lang, f"staff.{command}")
        if command in LANGUAGE_COMMANDS:
            return await self._set_language(who, args, message.at)
        if command == OFFERS:
            return await self._offers(" ".join(args), lang, message.at, "staff.tilbud")
        if command in CASE_COMMANDS:
            result = await self._case_command(who, command, args, message.at, today)
            self._remember(who, result, message.at)
            return _response((result,), lang, f"staff.{command}")
        if command is not None:
            return None  # /glem, /kontakt ...: the citizen assistant's commands work for caseworkers too
        return await self._sentence(who, message.text, message.at, today)

    async def _register(self, message: StaffMessage, code: str) -> Response:
        """Redeem an invite code (/start CODE); an invalid one gets one line and nothing is stored."""
        lang = message.lang_hint
        async with self._sessions.begin() as session:
            try:
                caseworker = await redeem_invite(session, code, message.user_id, message.at)
            except InvalidCode:
                caseworker = None
                key = "code_invalid"
            except AlreadyRegistered:
                caseworker = None
                key = "already_other"
            if caseworker is not None:
                caseworker.language = lang
                key = "welcome"
                self._not_staff.pop(self._user_key(message.user_id), None)
        log.info("staff registration outcome=%s", key)
        return _response((one(key, say(lang, key)),), lang, f"staff.register.{key}")

    async def _set_language(self, who: _Who, args: list[str], at: datetime) -> Response:
        chosen = args[0].lower() if args else ""
        if chosen not in ("da", "en"):
            return _response((one("usage_language", say(who.lang, "usage_language")),), who.lang, "staff.sprog")
        async with self._sessions.begin() as session:
            record = await session.get(CaseworkerRecord, who.id)
            if record is not None:
                record.language = chosen
        return _response((one("language_set", say(chosen, "language_set")),), chosen, "staff.sprog")

    async def _case_command(self, who: _Who, command: str, args: list[str], at: datetime, today: date) -> Result:
        lang = who.lang
        async with self._sessions.begin() as session:
            record = await self._record(session, who)
            if command == "ny_sag":
                return await new_case(session, record, args, lang, at)
            if command == "haendelse":
                return await record_event(session, record, args, lang, at, today, self._deps)
            if command == "frister":
                return await show_deadlines(session, record, args, lang, today, self._deps)
            if command == "luk":
                return await close(session, record, args, lang, at)
            if command == "genaabn":
                return await reopen(session, record, args, lang, at, today, self._deps)
            return await list_cases(session, record, lang, today)

    async def _sentence(self, who: _Who, text: str, at: datetime, today: date) -> Response | None:
        """Read a sentence about a case into a proposal; a provider question goes to the provider desk."""
        lang = who.lang
        if find_cpr(text):
            return _response((one("cpr_in_text", say(lang, "cpr_in_text")),), lang, "staff.cpr")
        found = find_day(text, today)
        sentence = self._language.read(text, [Span(found.start, found.end)] if found else [])
        day = found.day if found else today
        if sentence.reference is None:
            if self._providers is not None:
                answer = await self._providers.answer(text, lang, now=at)
                if answer is not None:
                    return answer
            if sentence.kind is None:
                return None  # not about a case: the citizen assistant's FAQ answers caseworkers too
            reference = self._recall(who, at)
            if reference is None:
                return _response((one("which_case", say(lang, "which_case")),), lang, "staff.which_case")
        else:
            reference = sentence.reference
        try:
            reference = check_reference(reference)
        except RefusedReference as exc:
            return _response((refusal(exc, lang),), lang, "staff.refused")
        if day > today:
            return _response((one("future_date", say(lang, "future_date")),), lang, "staff.future")
        async with self._sessions() as session:
            try:
                case = await visible_case(session, await self._record(session, who), reference)
            except UnknownCase:
                return _response((one("case_unknown", say(lang, "case_unknown", case=reference)),), lang,
                                 "staff.unknown")
            closed = case.closed_at is not None
        self._last_case[who.id] = (reference, at + self._ttl)
        if closed:
            return _response((one("case_is_closed", say(lang, "case_is_closed", case=reference)),), lang,
                             "staff.closed")
        cancel = Button(say(lang, "button_cancel"), CANCEL)
        if sentence.kind is not None:
            kind = EventKind(sentence.kind)
            text_out = say(lang, "proposal", case=reference, kind=self._deps.labels.kind(kind, lang),
                           date=long_date(day, lang))
            buttons = (Button(say(lang, "button_confirm"), confirm_payload(reference, kind, day)), cancel)
            return _response((one("proposal", text_out, reference, buttons),), lang, "staff.proposal")
        choices = [EventKind(name.removeprefix(EVENT_PREFIX)) for name, _ in sentence.ranking
                   if name.startswith(EVENT_PREFIX)][:MAX_KIND_CHOICES]
        unsure = sentence.ranking[0][0].startswith(EVENT_PREFIX) or sentence.confidence < UNSURE_NONE
        if choices and unsure:
            options = tuple(Button(self._deps.labels.kind(k, lang), confirm_payload(reference, k, day))
                            for k in choices) + (cancel,)
            text_out = say(lang, "which_kind", case=reference, date=long_date(day, lang))
            return _response((one("which_kind", text_out, reference, options),), lang, "staff.which_kind")
        result = await self._case_command(who, "frister", [reference], at, today)
        return _response((result,), lang, "staff.frister")

    async def _press(self, message: StaffMessage) -> Response | None:
        """Act on a button: confirm or cancel a proposal, or a provider-desk payload."""
        payload = message.text
        if not payload.startswith(("cw:", f"/{OFFERS}")):
            return None
        who = await self._who(message.user_id)
        if who is None:
            return None
        lang = who.lang
        if payload.startswith(f"/{OFFERS}"):
            return await self._offers(payload, lang, message.at, "staff.tilbud.button")
        if payload == CANCEL:
            return _response((one("cancelled", say(lang, "cancelled")),), lang, "staff.cancel")
        confirmed = read_confirm(payload) if payload.startswith(CONFIRM) else None
        if confirmed is None:
            return _response((one("stale_button", say(lang, "stale_button")),), lang, "staff.stale")
        reference, kind, day = confirmed
        today = local_date(message.at, self._tz)
        async with self._sessions.begin() as session:
            result = await record(session, await self._record(session, who), reference, kind, day, lang, message.at,
                                  today, self._deps)
        self._remember(who, result, message.at)
        return _response((result,), lang, "staff.confirm")

    # --- team chats ----------------------------------------------------------------------------

    async def _group(self, message: StaffMessage) -> Response | None:
        command, args = _command(message.text)
        if command in TEAM_COMMANDS and not message.button:
            return await self._register_team(message, args)
        async with self._sessions() as session:
            team = await team_of_chat(session, message.chat_id)
        if team is None:
            return None  # an unregistered group keeps the citizen channel's behaviour
        lang = message.lang_hint
        silent = _response((), lang, "staff.team.silent")
        if find_cpr(message.text):  # the group's history is kept by Telegram: never read on, never log it
            return _response((one("team_cpr_warning", say(lang, "team_cpr_warning")),), lang, TEAM_CPR_ROUTE)
        if message.button:
            if message.text.startswith(f"/{OFFERS}"):
                return await self._offers(message.text, lang, message.at, "staff.team.tilbud.button")
            return silent
        if command == OFFERS:
            return await self._offers(" ".join(args), lang, message.at, "staff.team.tilbud")
        if command in (*HELP_COMMANDS, "start"):
            return _response((one("team_help", say(lang, "team_help")),), lang, "staff.team.help")
        if command == TEAM_DIGEST:
            return await self._team_digest(message, lang)
        if command in CASE_COMMANDS:
            return _response((one("team_private_only", say(lang, "team_private_only")),), lang,
                             "staff.team.private_only")
        if command is not None or not message.text.strip():
            return silent
        if self._providers is not None:
            answer = await self._providers.answer(message.text, lang, now=message.at)
            if answer is not None:
                return answer
        if message.addressed:
            return _response((one("team_help", say(lang, "team_help")),), lang, "staff.team.help")
        return silent

    async def _team_digest(self, message: StaffMessage, lang: str) -> Response:
        """Turn the team's daily digest of overdue deadlines on or off (/frister_team), by a caseworker of the team."""
        who = await self._who(message.user_id)
        if who is None:
            return _response((one("team_digest_refused", say(lang, "team_digest_refused")),), lang,
                             "staff.team.digest.refused")
        async with self._sessions.begin() as session:
            setting = await toggle_team_digest(session, message.chat_id, await self._record(session, who))
        key = {None: "team_digest_refused", True: "team_digest_on", False: "team_digest_off"}[setting]
        log.info("staff team digest outcome=%s", key)
        return _response((one(key, say(lang, key)),), lang, f"staff.team.digest.{key}")

    async def _register_team(self, message: StaffMessage, args: list[str]) -> Response | None:
        """Register the group as a team chat (/team CODE), when a caseworker of that team sends the code."""
        who = await self._who(message.user_id)
        if who is None:
            return None  # not a caseworker: the citizen channel's one line, as for any command in a group
        lang = who.lang
        if len(args) != 1:
            return _response((one("usage_team", say(lang, "usage_team")),), lang, "staff.team.usage")
        params: dict[str, str] = {}
        async with self._sessions.begin() as session:
            try:
                registered = await register_team_chat(session, args[0], message.chat_id,
                                                       await self._record(session, who), message.at)
                key, params = "team_registered", {"team": registered.team}
            except InvalidCode:
                key = "code_invalid"
            except WrongTeam:
                key = "team_wrong"
            except AlreadyRegistered:
                key = "team_already"
        log.info("staff team registration outcome=%s", key)
        return _response((one(key, say(lang, key, **params)),), lang, f"staff.team.{key}")

    # --- helpers -------------------------------------------------------------------------------

    async def _offers(self, text: str, lang: str, at: datetime, route: str) -> Response:
        if self._providers is None:
            return _response((one("desk_missing", say(lang, "desk_missing")),), lang, route)
        if not text.strip():
            return _response((one("usage_tilbud", say(lang, "usage_tilbud")),), lang, route)
        answer = await self._providers.answer(text, lang, now=at)
        if answer is None:
            return _response((one("usage_tilbud", say(lang, "usage_tilbud")),), lang, route)
        return answer

    async def _who(self, user_id: int) -> _Who | None:
        key = self._user_key(user_id)
        now = time.monotonic()
        if self._not_staff.get(key, 0.0) > now:
            return None
        async with self._sessions() as session:
            record = await caseworker_by_telegram(session, user_id)
        if record is None:
            if len(self._not_staff) >= NOT_STAFF_CACHE_SIZE:
                self._not_staff.clear()
            self._not_staff[key] = now + self._not_staff_ttl
            return None
        return _Who(id=record.id, lang="en" if record.language == "en" else "da")

    def _user_key(self, user_id: int) -> bytes:
        return hashlib.blake2b(str(user_id).encode(), key=self._salt, digest_size=16).digest()

    @staticmethod
    async def _record(session: AsyncSession, who: _Who) -> CaseworkerRecord:
        record = await session.get(CaseworkerRecord, who.id)
        if record is None:  # removed by an administrator in the middle of the turn
            raise UnknownCase("the caseworker is no longer registered")
        return record

    def _remember(self, who: _Who, result: Result, at: datetime) -> None:
        if result.case is not None:
            self._last_case[who.id] = (result.case, at + self._ttl)

    def _recall(self, who: _Who, at: datetime) -> str | None:
        remembered = self._last_case.get(who.id)
        if remembered is None or remembered[1] <= at:
            self._last_case.pop(who.id, None)
            return None
        return remembered[0]


def _command(text: str) -> tuple[str | None, list[str]]:
    """Split "/name@bot arg ..." into its lower-case name and arguments; (None, []) for plain text."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return None, []
    head, *args = stripped.split()
    return head[1:].partition("@")[0].lower(), args


def _response(results: tuple[Result, ...], lang: str, route: str) -> Response:
    messages = tuple(message for result in results for message in result.messages)
    return Response(messages=messages, intent=route, confidence=1.0, lang=lang, route=route)


__all__ = ["KINDS", "ProviderAnswers", "StaffDesk", "StaffMessage"]
