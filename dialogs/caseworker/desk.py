"""The caseworker side of the engine: registration, case commands and sentences, reminder buttons, team chats.

`CaseworkerDesk.respond(turn)` is the engine's handler for every turn that is not a citizen's
question: a registered caseworker's private message, a `/start CODE` invite, a reminder's or a
proposal's button, a message in a team chat or another group. It returns the replies, or None when
the citizen assistant should answer instead (a caseworker's /glem or /kontakt, or a sentence that is
neither about a case, a rule nor a provider): a citizen learns nothing of the caseworker features.
Handlers read and write in the turn's unit of work. Stores no message text: only caseworker
registrations, cases, event kinds and days (and, in memory, each caseworker's last case for a few
hours, so "udskrevet færdigbehandlet 3/11" can refer to it).

Provider questions are answered by a `ProviderAnswers` (dialogs/providers/desk.py, wired in bot/).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from dialogs.caseworker.cases import (CANCEL, CONFIRM, KINDS, CaseDeps, Result, close, confirm_payload, list_cases,
                                      new_case, read_confirm, record, record_event, refusal, reopen, say,
                                      show_deadlines)
from dialogs.caseworker import counsel
from dialogs.caseworker.pings import pressed_replies
from dialogs.caseworker.rules import case_answer, topic_answer
from dialogs.context import Directory, Turn
from dialogs.providers.desk import DeskAnswer
from dialogs.turn import Button, Reply, Role
from handover import NotCounsellor, set_duty
from nlu.case_language import EVENT_PREFIX, CaseLanguage, CaseSentence, Span
from nlu import detect_language
from nlu.cues import asks_for_overview, asks_when
from nlu.rule_language import DEADLINES, NONE, STANDARD_PREFIX, RuleLanguage, RuleQuestion
from privacy import find_cpr
from reminders import COPENHAGEN, CaseworkerRecord, EventKind, RefusedReference, check_reference, local_date
from reminders.access import (AlreadyRegistered, InvalidCode, WrongTeam, redeem_invite, register_team_chat,
                              toggle_team_digest, visible_case)
from reminders.dates import find_day, unreadable_day
from reminders.errors import UnknownCase
from reminders.planner import ReminderPolicy
from reminders.presses import Action, press

log = logging.getLogger(__name__)

TEAM_COMMANDS = ("team", "hold")
# The route of the warning to a team chat whose message held a CPR number: the channel deletes the message.
TEAM_CPR_ROUTE = "caseworker.team.cpr"
TEAM_DIGEST = "frister_team"
CASE_COMMANDS = ("ny_sag", "haendelse", "frister", "luk", "genaabn", "sager")
HELP_COMMANDS = ("hjaelp", "hjælp", "help")
LANGUAGE_COMMANDS = ("sprog", "language")
DUTY_COMMANDS = {"vagt": True, "fri": False}  # a counsellor on and off duty for citizens' chats
OFFERS = "tilbud"
MAX_KIND_CHOICES = 3
# Below this confidence in "none", a sentence naming a case is offered the likeliest event kinds.
UNSURE_NONE = 0.5
# In a team chat a rule question not addressed to the bot is answered only above this confidence.
TEAM_SURE = 0.5
# A question naming only the municipality's own Rusmiddelcenter is the standard's above this confidence.
OWN_PLACE_SURE = 0.5
# A provider search (no place named) gives way to "not mine" when the question reader is this sure the question is
# about something else ("hvem har kagetjansen på fredag?", "kontanthjælp under døgnbehandling").
NOT_A_PROVIDER_SURE = 0.5
# A sentence naming a case is read as a question (not a report of an event) when it asks: a question mark
# ending a clause ("har vi overholdt bg? henvendelse 2/1"), a question word anywhere, a yes/no question's verb
# (or a request: "giv mig", "show me") first in the sentence or in a clause after a comma ("klagefristen i
# S-90, er den løbet ud"; "… via frit valg, gælder bg så stadig"), or an English request ending in "please".
QUESTION = re.compile(r"\?(?:\s|$)|\b(?:hvornår|hvornaar|hvad|hvilke|hvilken|hvor|hvem|hvordan|hvorfor|when|what|"
                      r"which|how)\b|(?:^|[,;:–]\s*)(?:er|skal|kan|har|må|mangler|bør|gælder|tæller|skulle|kunne|"
                      r"ville|burde|is|are|was|has|have|do|does|did|can|should|must|any|giv mig|vis mig|fortæl|list|"
                      r"give me|show me|tell me)\b|\b(?:please|pls|plz)\W*$", re.IGNORECASE)
REMINDER_BUTTON = re.compile(r"^rem:(done|snooze|case):(\d{1,18})$")
# Button payloads of the caseworker side: never handed to the citizen assistant, whoever pressed them.
PAYLOADS = ("rem:", "cw:", "ho:")


class ProviderAnswers(Protocol):
    """Answers questions about treatment providers (dialogs/providers/desk.py implements it)."""

    async def answer(self, text: str, *, now: datetime) -> DeskAnswer | None:
        """Answer a provider question (free text, /tilbud's arguments, or a "/tilbud..." button payload).

        Returns None when the text is not a provider question.
        """
        ...


@dataclass(frozen=True, slots=True)
class _Who:
    """The registered caseworker writing."""

    id: int
    lang: str


def caseworker_payload(text: str) -> bool:
    """Tell whether a button payload belongs to the caseworker side (a reminder's or a proposal's button)."""
    return text.startswith(PAYLOADS)


class CaseworkerDesk:
    """The caseworker and team-chat features, as the engine's handler for those turns.

    Args:
        directory: who wrote (told when a caseworker registers, so they are recognised at once).
        language: reads caseworkers' sentences (nlu.case_language); a callable, so the model is loaded on
            the first caseworker sentence, not at start-up.
        questions: reads caseworkers' questions about the rules (nlu.rule_language), loaded likewise;
            None: no rule questions are answered.
        deps: deadline rules and labels.
        policy: the reminder plan (ping hour and time zone for "Udsæt").
        providers: answers provider questions; None until the provider desk is wired.
        tz: the municipality's time zone. Defaults to Europe/Copenhagen.
        last_case_ttl: how long a caseworker's last case is remembered (in memory). Defaults to 8 hours.
    """

    def __init__(self, directory: Directory, language: Callable[[], CaseLanguage], deps: CaseDeps,
                 policy: ReminderPolicy, providers: ProviderAnswers | None = None, tz: ZoneInfo = COPENHAGEN,
                 last_case_ttl: timedelta = timedelta(hours=8),
                 questions: Callable[[], RuleLanguage] | None = None) -> None:
        self._directory = directory
        self._language = language
        self._questions = questions
        self._deps = deps
        self._policy = policy
        self._providers = providers
        self._tz = tz
        self._ttl = last_case_ttl
        self._last_case: dict[int, tuple[str, datetime]] = {}

    @property
    def providers(self) -> ProviderAnswers | None:
        return self._providers

    def lang(self, turn: Turn) -> str:
        """The language to answer in: a registered caseworker's choice; in a team chat (or for a local tool's
        operator without an id) the message's own language when it is clear, else the app's, else Danish."""
        if turn.identity.role is Role.CASEWORKER and turn.identity.lang:
            return turn.identity.lang
        detected = detect_language(turn.text) if not turn.text.startswith("/") else None
        if detected in ("da", "en"):
            return detected
        sender = turn.incoming.sender
        return sender.app_lang if sender is not None and sender.app_lang in ("da", "en") else "da"

    async def respond(self, turn: Turn) -> list[Reply] | None:
        """Answer a turn of the caseworker side; None when the citizen assistant should answer it."""
        role = turn.identity.role
        if turn.incoming.button and turn.text.startswith("rem:"):
            return await self._reminder(turn)
        if role in (Role.TEAM, Role.GROUP):
            return await self._group(turn)
        command, args = _command(turn.text)
        if command == "start" and args and not turn.incoming.button:
            return await self._register(turn, args[0])
        if role is not Role.CASEWORKER:
            if turn.incoming.button and caseworker_payload(turn.text):
                return self._done(turn, "caseworker.stale", [say("stale_button")])
            return None
        # A local tool's operator may ask as a caseworker without naming one: no cases then.
        who = _Who(turn.identity.caseworker_id, turn.lang) if turn.identity.caseworker_id is not None else None
        if turn.incoming.button:
            if who is None:
                return self._done(turn, "caseworker.stale", [say("stale_button")])
            if turn.text.startswith(counsel.TAKE):
                return self._done(turn, "caseworker.handover.take", await counsel.take(turn, who.id, turn.text))
            return await self._press(turn, who)
        if who is not None:  # a counsellor who has a citizen's chat: their words go there
            relayed = await counsel.talk(turn, who.id, command)
            if relayed is not None:
                return self._done(turn, "caseworker.handover.talk", relayed)
        today = local_date(turn.incoming.at, self._tz)
        if command in ("start", *HELP_COMMANDS):
            replies = [say("help")] if command != "start" else [say("welcome_back", parts=(say("help"),))]
            return self._done(turn, f"caseworker.{command}", replies)
        if command in LANGUAGE_COMMANDS:
            return await self._set_language(turn, who, args)
        if command == OFFERS:
            return await self._offers(turn, " ".join(args), "caseworker.tilbud")
        if command in DUTY_COMMANDS:
            return await self._duty(turn, who, DUTY_COMMANDS[command])
        if command in CASE_COMMANDS:
            if who is None:
                return self._done(turn, "caseworker.unregistered", [say("case_needs_registration")])
            result = await self._case_command(turn, who, command, args, today)
            self._remember(who, result, turn.incoming.at)
            return self._done(turn, f"caseworker.{command}", [result.reply])
        if command is not None:
            return None  # /glem, /kontakt ...: the citizen assistant's commands work for caseworkers too
        return await self._sentence(turn, who, today)

    # --- private chats -------------------------------------------------------------------------

    async def _register(self, turn: Turn, code: str) -> list[Reply]:
        """Redeem an invite code (/start CODE); an invalid one gets one line and nothing is stored."""
        sender = turn.incoming.sender
        account = sender.account if sender is not None and sender.channel == "telegram" else None
        lang = self.lang(turn)
        key = "code_invalid"
        if account is not None:
            try:
                caseworker = await redeem_invite(turn.db, code, account, turn.incoming.at)
                caseworker.language = lang
                key = "welcome"
            except InvalidCode:
                key = "code_invalid"
            except AlreadyRegistered:
                key = "already_other"
            if key == "welcome" and sender is not None:
                self._directory.changed(sender)
        log.info("caseworker registration outcome=%s", key)
        turn.lang = lang
        return self._done(turn, f"caseworker.register.{key}", [say(key)])

    async def _set_language(self, turn: Turn, who: _Who | None, args: list[str]) -> list[Reply]:
        chosen = args[0].lower() if args else ""
        if chosen not in ("da", "en"):
            return self._done(turn, "caseworker.sprog", [say("usage_language")])
        record = await turn.db.get(CaseworkerRecord, who.id) if who is not None else None
        if record is not None:
            record.language = chosen
        turn.lang = chosen
        return self._done(turn, "caseworker.sprog", [say("language_set")])

    async def _duty(self, turn: Turn, who: _Who | None, on: bool) -> list[Reply]:
        """/vagt and /fri: a counsellor goes on or off duty for citizens who ask for a person."""
        route = "caseworker.vagt" if on else "caseworker.fri"
        if who is None:
            return self._done(turn, route, [say("case_needs_registration")])
        try:
            await set_duty(turn.db, who.id, on, turn.incoming.at)
        except NotCounsellor:
            return self._done(turn, route, [say("not_counsellor", id=who.id)])
        log.info("counsellor duty caseworker=%d on=%s", who.id, on)
        handed_back = [] if on else await counsel.leaving_duty(turn, who.id)
        return self._done(turn, route, handed_back + [say("on_duty" if on else "off_duty")])

    async def _case_command(self, turn: Turn, who: _Who, command: str, args: list[str], today: date) -> Result:
        session, at = turn.db, turn.incoming.at
        worker = await self._record(turn, who)
        if command == "ny_sag":
            return await new_case(session, worker, args, at)
        if command == "haendelse":
            return await record_event(session, worker, args, at, today, self._deps)
        if command == "frister":
            return await show_deadlines(session, worker, args, today, self._deps)
        if command == "luk":
            return await close(session, worker, args, at, self._deps)
        if command == "genaabn":
            return await reopen(session, worker, args, at, today, self._deps)
        return await list_cases(session, worker, today)

    async def _sentence(self, turn: Turn, who: _Who | None, today: date) -> list[Reply] | None:
        """Read a sentence about a case into a proposal; a provider question goes to the provider desk."""
        text, at = turn.text, turn.incoming.at
        if find_cpr(text):
            return self._done(turn, "caseworker.cpr", [say("cpr_in_text")])
        found = find_day(text, today)
        if found is None and unreadable_day(text, today):  # "31/2": never read as today
            return self._done(turn, "caseworker.bad_date", [say("bad_date")])
        cut = [Span(found.start, found.end)] if found else []
        offered = await self._desk_answer(turn)  # asked once: a named place first, other provider questions last
        question = self._questions().read(text, cut) if self._questions is not None else None
        if offered is not None and offered.kind == "search" and question is not None \
                and question.intent == NONE and question.confidence >= NOT_A_PROVIDER_SURE:
            offered = None  # a search the reader is sure is about something else: office life, another area
        if offered is not None and offered.kind == "provider" and not self._standard_of_own_place(offered, question):
            return self._provider_answer(turn, offered)  # one named place ("adresse på Bakkehuset"), before the rules
        if question is not None and question.reference is None and question.topic is not None:
            answered = await self._answer_question(turn, who, question, today)
            if answered is not None:
                return answered
        if who is None:  # a local tool's operator without a caseworker's id: rules and providers only
            if question is not None and question.reference is not None and question.topic is not None:
                return await self._answer_question(turn, who, question, today)  # cases need a caseworker: says so
            return None if offered is None else self._provider_answer(turn, offered)
        sentence = self._language().read(text, cut)
        day = found.day if found else today
        if sentence.reference is not None and question is not None and self._asks(text, question, sentence):
            # a question about a case whose topic is unclear is answered with the case's deadlines
            topic = question.topic or DEADLINES
            return await self._answer_question(turn, who, replace(question, topic=topic), today)
        if sentence.reference is None:
            provider = None if offered is None else self._provider_answer(turn, offered)
            if provider is not None or sentence.kind is None or (question is not None and question.elsewhere):
                # None: neither a rule, a case nor a provider (the engine says so); "en borger klager over
                # jobcenteret" reports no event of a case of ours
                return provider
            reference = self._recall(who, at)
            if reference is None:
                return self._done(turn, "caseworker.which_case", [say("which_case")])
        else:
            reference = sentence.reference
        try:
            reference = check_reference(reference)
        except RefusedReference as exc:
            return self._done(turn, "caseworker.refused", [refusal(exc).reply])
        if day > today:
            return self._done(turn, "caseworker.future", [say("future_date")])
        try:
            case = await visible_case(turn.db, await self._record(turn, who), reference)
        except UnknownCase:
            return self._done(turn, "caseworker.unknown", [say("case_unknown", case=reference)])
        self._last_case[who.id] = (reference, at + self._ttl)
        if case.closed_at is not None:
            return self._done(turn, "caseworker.closed", [say("case_is_closed", case=reference)])
        cancel = Button("button_cancel", CANCEL)
        if sentence.kind is not None:
            kind = EventKind(sentence.kind)
            buttons = (Button("button_confirm", confirm_payload(reference, kind, day)), cancel)
            return self._done(turn, "caseworker.proposal", [say("proposal", buttons=buttons, case=reference,
                                                                 kind=self._deps.kind(kind), date=day)])
        choices = [EventKind(name.removeprefix(EVENT_PREFIX)) for name, _ in sentence.ranking
                   if name.startswith(EVENT_PREFIX)][:MAX_KIND_CHOICES]
        unsure = sentence.ranking[0][0].startswith(EVENT_PREFIX) or sentence.confidence < UNSURE_NONE
        if choices and unsure:
            options = tuple(Button(self._deps.labels.kind(k, turn.lang), confirm_payload(reference, k, day))
                            for k in choices) + (cancel,)
            return self._done(turn, "caseworker.which_kind",
                              [say("which_kind", buttons=options, case=reference, date=day)])
        result = await self._case_command(turn, who, "frister", [reference], today)
        return self._done(turn, "caseworker.frister", [result.reply])

    @staticmethod
    def _standard_of_own_place(offered: DeskAnswer, question: RuleQuestion | None) -> bool:
        """A question naming only the municipality's own Rusmiddelcenter that the rule reader is sure asks about
        a rule or the standard ("skal borgeren selv betale transport til Rusmiddelcenteret?"): the standard
        answers it, not the place's card."""
        return (offered.primary and question is not None and question.reference is None
                and question.topic is not None and question.confidence >= OWN_PLACE_SURE)

    @staticmethod
    def _asks(text: str, question: RuleQuestion, sentence: CaseSentence) -> bool:
        """A sentence naming a case asks about it when the question reader has a topic and the sentence
        asks (a question mark, a question word) or the event reader is sure it reports no event, or when it
        asks and the event reader finds no event in it; otherwise it reports an event (and an unclear one is
        offered the likeliest kinds)."""
        no_event = sentence.kind is None and not sentence.ranking[0][0].startswith(EVENT_PREFIX) \
            and sentence.confidence >= UNSURE_NONE
        # a deadline's or the whole case's words ask too: "sag 3318 afgørelse om døgn frist", "status S-21"
        asks = QUESTION.search(text) is not None or asks_when(text) or asks_for_overview(text)
        if question.topic is not None:
            return asks or no_event
        return asks and sentence.kind is None

    async def _answer_question(self, turn: Turn, who: _Who | None, question: RuleQuestion,
                               today: date) -> list[Reply] | None:
        """Answer a question about a rule or the standard, or about one case's deadlines."""
        topic = question.topic or ""
        turn.parse = replace(turn.parse, intent=topic, confidence=question.confidence)
        if question.reference is not None and topic.startswith(STANDARD_PREFIX):
            # the standard's answer holds for every case: say so, naming the case asked about
            answer = topic_answer(topic, self._deps, turn.deps.standard)
            if answer is not None:
                try:
                    answer = say("case_standard", parts=(answer,), case=check_reference(question.reference))
                except RefusedReference:
                    pass
                return self._done(turn, "caseworker.standard", [answer])
        if question.reference is not None or topic == DEADLINES:
            if who is None:
                return self._done(turn, "caseworker.unregistered", [say("case_needs_registration")])
            worker = await self._record(turn, who)
            if question.reference is None:
                result = await show_deadlines(turn.db, worker, [], today, self._deps)
            else:
                result = await case_answer(turn.db, worker, question.reference, topic, today, self._deps)
            self._remember(who, result, turn.incoming.at)
            return self._done(turn, "caseworker.case_question", [result.reply])
        answer = topic_answer(topic, self._deps, turn.deps.standard)
        if answer is None:
            return None
        return self._done(turn, "caseworker.rule" if topic.startswith("rule/") else "caseworker.standard", [answer])

    async def _press(self, turn: Turn, who: _Who) -> list[Reply]:
        """Act on a button: confirm or cancel a proposal, or a provider-desk payload."""
        payload = turn.text
        if payload.startswith(f"/{OFFERS}"):
            return await self._offers(turn, payload, "caseworker.tilbud.button")
        if payload == CANCEL:
            return self._done(turn, "caseworker.cancel", [say("cancelled")])
        confirmed = read_confirm(payload) if payload.startswith(CONFIRM) else None
        if confirmed is None:
            return self._done(turn, "caseworker.stale", [say("stale_button")])
        reference, kind, day = confirmed
        today = local_date(turn.incoming.at, self._tz)
        result = await record(turn.db, await self._record(turn, who), reference, kind, day, turn.incoming.at,
                              today, self._deps)
        self._remember(who, result, turn.incoming.at)
        return self._done(turn, "caseworker.confirm", [result.reply])

    async def _reminder(self, turn: Turn) -> list[Reply]:
        """A reminder's button: done, snooze or show the case, by the case's caseworker or a colleague."""
        match = REMINDER_BUTTON.match(turn.text)
        if match is None:
            return self._done(turn, "caseworker.stale", [say("stale_button")])
        action, reminder_id = Action(match.group(1)), int(match.group(2))
        policy = self._policy
        now = turn.incoming.at
        today = local_date(now, policy.tz)
        pressed = await press(turn.db, action, reminder_id, turn.identity.caseworker_id, list(self._deps.rules),
                              now, today, policy)
        log.info("reminder button action=%s reminder=%s outcome=%s", action.value, reminder_id,
                 pressed.outcome.value)
        return self._done(turn, f"caseworker.reminder.{pressed.outcome.value}", list(pressed_replies(pressed, today)))

    # --- team chats and other groups -----------------------------------------------------------

    async def _group(self, turn: Turn) -> list[Reply]:
        command, args = _command(turn.text)
        button = turn.incoming.button
        if command in TEAM_COMMANDS and not button:
            return await self._register_team(turn, args)
        sender = turn.incoming.sender
        addressed = sender is not None and sender.addressed
        if turn.identity.role is Role.GROUP:  # not a team chat: one line, and only when addressed
            if addressed and not button:
                return self._done(turn, "caseworker.group.private_only", [Reply("utter_private_only")])
            return self._done(turn, "caseworker.group.silent", [])
        silent = self._done(turn, "caseworker.team.silent", [])
        if find_cpr(turn.incoming.text):  # the group's history is kept by Telegram: never read on, never log it
            turn.withdraw = True
            return self._done(turn, TEAM_CPR_ROUTE, [say("team_cpr_warning")])
        if button:
            if turn.text.startswith(f"/{OFFERS}"):
                return await self._offers(turn, turn.text, "caseworker.team.tilbud.button")
            return silent
        if command == OFFERS:
            return await self._offers(turn, " ".join(args), "caseworker.team.tilbud")
        if command in (*HELP_COMMANDS, "start"):
            return self._done(turn, "caseworker.team.help", [say("team_help")])
        if command == TEAM_DIGEST:
            return await self._team_digest(turn)
        if command in CASE_COMMANDS:
            return self._done(turn, "caseworker.team.private_only", [say("team_private_only")])
        if command is not None or not turn.text.strip():
            return silent
        question = self._questions().read(turn.text) if self._questions is not None else None
        # Colleagues talk among themselves in a team chat: a rule question is answered when the bot is
        # addressed, or when the reader is sure.
        if question is not None and question.topic is not None and (addressed or question.confidence >= TEAM_SURE):
            if question.reference is not None or question.topic == DEADLINES:
                return self._done(turn, "caseworker.team.private_only", [say("team_private_only")])
            topic = topic_answer(question.topic, self._deps, turn.deps.standard)
            if topic is not None:
                turn.parse = replace(turn.parse, intent=question.topic, confidence=question.confidence)
                route = "caseworker.team.rule" if question.topic.startswith("rule/") else "caseworker.team.standard"
                return self._done(turn, route, [topic])
        provider = await self._provider_question(turn)
        if provider is not None:
            return provider
        if addressed:
            return self._done(turn, "caseworker.team.help", [say("team_help")])
        return silent

    async def _team_digest(self, turn: Turn) -> list[Reply]:
        """Turn the team's daily digest of overdue deadlines on or off (/frister_team), by a caseworker of the team."""
        sender = turn.incoming.sender
        worker_id = turn.identity.caseworker_id
        worker = await turn.db.get(CaseworkerRecord, worker_id) if worker_id is not None else None
        setting = None
        if worker is not None and sender is not None and sender.chat is not None:
            setting = await toggle_team_digest(turn.db, sender.chat, worker)
        key = {None: "team_digest_refused", True: "team_digest_on", False: "team_digest_off"}[setting]
        log.info("caseworker team digest outcome=%s", key)
        return self._done(turn, f"caseworker.team.digest.{key}", [say(key)])

    async def _register_team(self, turn: Turn, args: list[str]) -> list[Reply]:
        """Register the group as a team chat (/team CODE), when a caseworker of that team sends the code."""
        sender = turn.incoming.sender
        worker_id = turn.identity.caseworker_id
        worker = await turn.db.get(CaseworkerRecord, worker_id) if worker_id is not None else None
        if worker is None or sender is None or sender.chat is None:
            # Not a caseworker: the one line for any command in a group that is not a team chat.
            if turn.identity.role is Role.GROUP and sender is not None and sender.addressed:
                return self._done(turn, "caseworker.group.private_only", [Reply("utter_private_only")])
            return self._done(turn, "caseworker.group.silent", [])
        turn.lang = "en" if worker.language == "en" else "da"
        if len(args) != 1:
            return self._done(turn, "caseworker.team.usage", [say("usage_team")])
        team = ""
        try:
            registered = await register_team_chat(turn.db, args[0], sender.chat, worker, turn.incoming.at)
            key, team = "team_registered", registered.team
        except InvalidCode:
            key = "code_invalid"
        except WrongTeam:
            key = "team_wrong"
        except AlreadyRegistered:
            key = "team_already"
        log.info("caseworker team registration outcome=%s", key)
        return self._done(turn, f"caseworker.team.{key}", [say(key, team=team) if team else say(key)])

    # --- helpers -------------------------------------------------------------------------------

    async def _offers(self, turn: Turn, text: str, route: str) -> list[Reply]:
        if self._providers is None:
            return self._done(turn, route, [say("desk_missing")])
        if not text.strip():
            return self._done(turn, route, [say("usage_tilbud")])
        answer = await self._providers.answer(text, now=turn.incoming.at)
        if answer is None:
            return self._done(turn, route, [say("usage_tilbud")])
        return self._provider_answer(turn, answer)

    async def _desk_answer(self, turn: Turn) -> DeskAnswer | None:
        """The provider desk's answer to a free-text question, or None when it is not a provider question."""
        if self._providers is None:
            return None
        return await self._providers.answer(turn.text, now=turn.incoming.at)

    async def _provider_question(self, turn: Turn) -> list[Reply] | None:
        """The provider desk's answer as replies, or None when the text is not a provider question."""
        answer = await self._desk_answer(turn)
        return None if answer is None else self._provider_answer(turn, answer)

    @staticmethod
    def _provider_answer(turn: Turn, answer: DeskAnswer) -> list[Reply]:
        turn.route = answer.route
        return [answer.reply]

    @staticmethod
    def _done(turn: Turn, route: str, replies: list[Reply]) -> list[Reply]:
        turn.route = route
        return list(replies)

    @staticmethod
    async def _record(turn: Turn, who: _Who) -> CaseworkerRecord:
        worker = await turn.db.get(CaseworkerRecord, who.id)
        if worker is None:  # removed by an administrator in the middle of the turn
            raise UnknownCase("the caseworker is no longer registered")
        return worker

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


__all__ = ["KINDS", "CaseworkerDesk", "ProviderAnswers", "TEAM_CPR_ROUTE", "caseworker_payload"]
