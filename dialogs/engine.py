"""Turns one incoming message into replies, for every role: learn who wrote, screen, understand, route,
render, remember.

Who wrote comes from the sender through a Directory (dialogs.context): a citizen's turn goes through
the safety screen, the NLU and the citizen router; a caseworker's, a team chat's or another group's
goes to the caseworker desk (dialogs.caseworker), which hands back to the citizen path what it does
not own (a caseworker's /glem or /kontakt). Knows no channel. Opens one unit of work per turn; catches
unexpected errors in exactly one place and answers `utter_technical_problem`. Logs events, never what
the person wrote.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
from dataclasses import replace
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta, timezone

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs import router
from dialogs.caseworker.desk import CaseworkerDesk, caseworker_payload
from dialogs.citizen import compound, faq, first_contact, flows, handover
from dialogs.context import Deps, Directory, Turn
from dialogs.replies import Renderer
from dialogs.safety import NO_CRISIS, Screening, Tier
from dialogs.turn import CITIZEN, Identity, Incoming, Notice, Outgoing, Relayed, Reply, Response, Role, State
from handover import end_where_forgotten, leave
from nlu import Entity, Parse, Parser, detect_language
from privacy import mask_cpr, without_cpr

log = logging.getLogger(__name__)

# Channel commands (Telegram /commands, the terminal's too) and the intents they stand for.
COMMANDS = {
    "start": "greet", "hjaelp": "help", "hjælp": "help", "help": "help", "glem": "forget", "forget": "forget",
    "kontakt": "need_help", "contact": "need_help", "anonym": "faq/anonymous_treatment",
    "anonymous": "faq/anonymous_treatment", "annuller": "cancel", "cancel": "cancel",
    "raadgiver": "ask_for_person", "rådgiver": "ask_for_person", "counsellor": "ask_for_person",
}
PURGE_EVERY = timedelta(minutes=5)
LANGUAGE_COMMANDS = {"sprog", "language", "lang"}
# Replies that are not a confident answer: each ends with the line naming 112 and Livslinien.
UNSURE_REPLIES = {"utter_rephrase", "utter_out_of_scope", "utter_technical_problem", "utter_empty"}
# Routes whose answer stays after the net's concern: a confident answer to a real question, the
# first-contact routing and the honest out-of-scope answer. Any other reply (chit-chat, "okay, vi stopper
# her", rephrase, an answer found only by retrieval) is left out unless the message asks a question
# (ASKED_AFTER_CONCERN), so it never swallows a possible crisis.
# After the net's alarm nothing else is said, as after a pattern.
ANSWERS_AFTER_CONCERN = {"faq.answer", "faq.clauses", "faq.contact_details", "faq.out_of_scope",
                         "first_contact.start"}
# After the caring check, a message that asks something (compound.asks) the classifier is unsure of
# keeps the request to rephrase with its likely topics as buttons ("is it the same office for everyone?" is
# not left with "That sounds heavy" alone), or the answer retrieval agreed on ("can I contact the municipality
# for my dad though I live elsewhere?"); a message that asks nothing ("kan ikke mere, vil bare væk") gets the
# caring check alone.
ASKED_AFTER_CONCERN = {"faq.rephrase", "faq.retrieval"}
# An answer from the standard to a message that asks nothing (compound.asks) stays after the caring check only when
# the classifier is this sure of it: "har ikke sovet i tre døgn. orker ikke noget" is not a question about
# døgnbehandling, "jeg vil gerne i døgnbehandling, jeg kan ikke mere" is.
UNASKED_ANSWER_SURE = 0.5
# The answers from the standard among ANSWERS_AFTER_CONCERN.
FAQ_ANSWER_ROUTES = {"faq.answer", "faq.clauses"}
# Routes of the caseworker side (and the provider desk's), after which no conversation state is kept.
CASEWORKER_ROUTES = ("caseworker.", "provider_desk.")
# Citizen answers that tell a caseworker nothing: replaced by the caseworker's "cannot answer that".
CASEWORKER_UNANSWERED = {"faq.rephrase", "faq.out_of_scope"}
# Answers after which a second question in the same message is answered too (dialogs/citizen/compound.py).
COMPOUND_ROUTES = {"faq.answer", "faq.clauses", "faq.retrieval", "first_contact.start"}
# A guided flow's question answered in at most this many words is an answer, not a concern; the net's
# alarm and every pattern still apply to it.
BARE_ANSWER_WORDS = 5
_PAYLOAD = re.compile(r"^/(?P<name>[\w/æøå]+)(?:@\w+)?(?P<json>\{.*\})?(?:\s+(?P<arg>\S+))?\s*$", re.IGNORECASE)


# A turn's lock of its conversation on PostgreSQL, held until the transaction ends.
CONVERSATION_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:conv, 0))")
Publish = Callable[[AsyncSession, Response], Awaitable[None]]


class DialogEngine:
    """Turn one incoming message into replies. Knows no channel."""

    def __init__(self, deps: Deps, parser: Parser, sessions: async_sessionmaker[AsyncSession],
                 directory: Directory | None = None, caseworkers: CaseworkerDesk | None = None,
                 remembered: flows.Remembered | None = None) -> None:
        """Wire the engine.

        Args:
            remembered: the conversations this process keeps between turns, only when it is the one process
                that writes them (SQLite); None reads each turn's conversation from the database.
        """
        self._deps = deps
        self._parser = parser
        self._sessions = sessions
        self._directory = directory
        self._caseworkers = caseworkers
        self._renderer = Renderer(deps.municipality, deps.ttl_minutes, deps.standard.title)
        self._next_purge: datetime | None = None
        self._remembered = remembered

    @property
    def deps(self) -> Deps:
        return self._deps

    def open_queue(self, channels: frozenset[str], size: int) -> None:
        """Offer citizens of these channels a place in the counsellors' queue (the channels relay both ways)."""
        self._deps = replace(self._deps, queue_size=size, queue_channels=channels)

    @property
    def caseworkers(self) -> CaseworkerDesk | None:
        return self._caseworkers

    async def handle(self, incoming: Incoming, publish: Publish | None = None) -> Response:
        """Learn who wrote, then screen, understand, route and render one turn inside one transaction.

        On PostgreSQL the turn first takes a lock of its conversation for the transaction, so two messages of
        one conversation are never answered at the same time, also by two processes. A turn that fails (a
        handler's error, the database) changes nothing and is answered `utter_technical_problem`, for every
        role.

        Args:
            publish: called with the turn's session and response inside the transaction, before it commits
                (a channel with several processes sends the reply on through the database, in turn order).
        """
        started = time.perf_counter()
        lang = self._deps.default_lang
        try:
            identity = await self._identify(incoming)
            async with self._sessions.begin() as session:
                if session.get_bind().dialect.name == "postgresql":
                    await session.execute(CONVERSATION_LOCK, {"conv": incoming.conv})
                if self._next_purge is None or incoming.at >= self._next_purge:
                    # Expired conversations are deleted, not just ignored: at most once per PURGE_EVERY.
                    purged = await flows.purge_expired(session, incoming.at)
                    # a chat waiting for or talking with a counsellor ends with its conversation
                    await end_where_forgotten(session, flows.remembered_keys(), incoming.at)
                    self._next_purge = incoming.at + PURGE_EVERY
                    if purged:
                        log.info("purged expired conversations count=%d", purged)
                stored = self._remembered.get(incoming.conv, incoming.at) if self._remembered else None
                if stored is None:
                    stored = await flows.load_stored(session, incoming.conv, incoming.at)
                state = flows.snapshot(stored).state
                lang = state.lang or lang
                response, forget = await self._respond(incoming, state, identity, session)
                if publish is not None:
                    await publish(session, response)
                after: flows.Stored | None = stored
                if forget:
                    await flows.forget(session, incoming.conv)
                    await leave(session, incoming.conv, incoming.at)
                    after = None
                elif response.route.startswith(CASEWORKER_ROUTES):
                    pass  # the caseworker side keeps no conversation: nothing about a group or its members either
                else:
                    expires_at = incoming.at + timedelta(minutes=self._deps.ttl_minutes)
                    if await flows.save(session, incoming.conv, state, expires_at, stored):
                        after = flows.Stored(state, expires_at)
            if self._remembered is not None:  # committed: remember what the database now holds
                if after is None:
                    self._remembered.drop(incoming.conv)
                else:
                    self._remembered.put(incoming.conv, after)
        except Exception as exc:  # the one place a turn's unexpected error is caught
            if self._remembered is not None:
                self._remembered.drop(incoming.conv)
            log.error("turn failed conv=%s error=%s\n%s", incoming.conv[:8], type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))
            response = self._response([Reply("utter_technical_problem")], lang, "error", 0.0, "engine.error")
        log.info("turn conv=%s intent=%s conf=%.2f route=%s ms=%.1f", incoming.conv[:8], response.intent,
                 response.confidence, response.route, (time.perf_counter() - started) * 1000)
        return response

    async def _identify(self, incoming: Incoming) -> Identity:
        if incoming.sender is None or self._directory is None or self._caseworkers is None:
            return CITIZEN
        return await self._directory.identify(incoming.sender)

    async def state_of(self, conv: str, at: datetime) -> State:
        """Return what is remembered about a conversation at a moment (for /glem checks and tests)."""
        async with self._sessions() as session:
            return await flows.load(session, conv, at)

    async def forget(self, conv: str) -> None:
        """Delete everything held about a conversation (a channel's /glem)."""
        if self._remembered is not None:
            self._remembered.drop(conv)
        async with self._sessions.begin() as session:
            await flows.forget(session, conv)
            await leave(session, conv, datetime.now(timezone.utc))

    async def _respond(self, incoming: Incoming, state: State, identity: Identity,
                       session: AsyncSession) -> tuple[Response, bool]:
        if self._caseworkers is not None:
            answered = await self._caseworker_turn(incoming, state, identity, session)
            if answered is not None:
                return answered, False
        response, forget = await self._citizen_turn(incoming, state, identity, session)
        if identity.role is Role.CASEWORKER and response.route in CASEWORKER_UNANSWERED:
            # Neither a rule, a case, a provider nor the citizen FAQ: say so in a caseworker's words.
            reply = Reply("not_understood", domain="caseworker")
            response = self._response([reply], response.lang, response.intent, response.confidence,
                                      "caseworker.not_understood")
        return response, forget

    async def _caseworker_turn(self, incoming: Incoming, state: State, identity: Identity,
                               session: AsyncSession) -> Response | None:
        """The caseworker side's answer (roles caseworker, team and group, invites and their buttons), or None."""
        desk = self._caseworkers
        if desk is None:
            return None
        if identity.role is Role.CITIZEN and not incoming.button and not incoming.text.lstrip().startswith("/start "):
            return None  # a citizen's message: not a word of it reaches the caseworker side
        if identity.role is Role.CITIZEN and incoming.button and not caseworker_payload(incoming.text):
            return None
        text = incoming.text.strip()
        turn = Turn(incoming=incoming, text=text, parse=Parse(text=text, intent="caseworker", confidence=1.0),
                    state=state, lang=self._deps.default_lang, deps=self._deps, identity=identity, session=session)
        turn.lang = desk.lang(turn)
        replies = await desk.respond(turn)
        if replies is None:
            if identity.role is Role.CASEWORKER and text and not text.startswith("/") and not incoming.button \
                    and self._deps.safety.screen(text, learned=False).by != "patterns":
                # Neither a rule, a case nor a provider: a caseworker is told so in a caseworker's words, not
                # given the citizens' FAQ (a crisis in the reviewed patterns still gets the crisis answer).
                reply = Reply("not_understood", domain="caseworker")
                return self._response([reply], turn.lang, "none", 1.0, "caseworker.not_understood")
            return None
        asked = turn.parse.intent != "caseworker"  # a question about a rule: its topic and confidence
        intent, confidence = (turn.parse.intent, turn.parse.confidence) if asked else (turn.route, 1.0)
        return self._response(replies, turn.lang, intent, confidence, turn.route, withdraw=turn.withdraw,
                              notices=turn.notices)

    async def _citizen_turn(self, incoming: Incoming, state: State, identity: Identity,
                            session: AsyncSession) -> tuple[Response, bool]:
        deps = self._deps
        text, had_cpr = mask_cpr(incoming.text.strip())
        if had_cpr:  # refuse the number, and answer what else was asked ("mit cpr er …, hvad koster det?")
            text = without_cpr(text)
        lang = self._language(incoming, text, state)
        prefix = [Reply("utter_cpr_refused")] if had_cpr else []

        # The net is not asked about commands and button payloads ("/start", "/inform{…}").
        screening = deps.safety.screen(text, learned=not text.startswith("/"))
        if state.flow == handover.FLOW or (incoming.button and text == handover.GONE_PAYLOAD):
            # waiting for, or talking with, a counsellor; or the web chat's tab was closed
            handed = await self._handover_turn(incoming, text, state, lang, identity, session, screening, prefix)
            if handed is not None:
                return handed, False
        if screening.by == "patterns":  # safety first: answers before any classifier, flow or FAQ
            state.clear_flow()
            handover.remember_topic(state, "safety", "safety", screening.sign, deps.queue_size)
            replies = prefix + self._alarm(screening)
            return self._response(replies, lang, "safety/" + screening.categories[0].id, 1.0, "safety",
                                  Tier.ALARM), False
        if not text or text == "[CPR]":
            return self._response(prefix + [Reply("utter_empty")], lang, "empty", 1.0, "engine.empty"), False
        if len(text) > deps.max_chars:
            prefix.append(Reply("utter_too_long", {"limit": str(deps.max_chars)}))
            text = text[:deps.max_chars]

        parse = self._command(text)
        if parse is not None and parse.intent == "language":
            chosen = str(parse.entities[0].value) if parse.entities else ""
            if chosen in ("da", "en"):
                state.lang, state.lang_chosen = chosen, True
                return self._response([Reply("utter_language_set")], chosen, "language", 1.0, "engine.language"), False
            parse = Parse(text=text, intent="help", confidence=1.0)
        if parse is None:
            parse = await self._parser.parse(text)
        turn = Turn(incoming=incoming, text=text, parse=parse, state=state, lang=lang, deps=deps, identity=identity,
                    session=session)
        route = router.pick(turn)
        replies = await route.handler(turn)
        clear_second: str | None = None
        if route is router.REPHRASE and turn.state.flow is None:
            parts = await compound.clause_entries(turn, self._parser)
            if parts:  # unsure of the whole, sure of each of two questions in it: both are answered
                route, clear_second = router.CLAUSES, parts[1]
                turn.parse = replace(turn.parse, intent="faq/" + parts[0])
                replies = faq.entry_replies(turn, parts[0])
        asking = turn.state.flow is not None
        if route.name in COMPOUND_ROUTES and (not asking or route is router.FIRST_CONTACT):
            # a second question in the same message ("hvor skal vi ringe hen, og skal han betale selv?"), also
            # when the first contact goes on to ask the age: its answer comes first, the flow's question last
            answered = {turn.parse.intent.removeprefix("faq/")}
            if route.name.startswith("first_contact."):  # whom to call has been answered already
                answered |= {entry.removeprefix("faq/") for entry in first_contact.ASKED_FOR_NUMBER}
            sides = await compound.compared_entries(turn, self._parser) if route.name == "faq.answer" else None
            if sides is not None:  # a comparison: the answers of its two sides, not of the message as a whole
                replies, answered = faq.entry_replies(turn, sides[0]), {sides[0]}
            second = clear_second or (sides[1] if sides else
                                      await compound.second_entry(turn, self._parser, answered))
            runner_up = None
            if second is None and route is router.FAQ and sides is None:
                # unsure between two entries: the other reading's answer follows, introduced as such
                second = runner_up = faq.close_runner_up(turn, answered)
            if second is not None:  # the office for the person's age is named once
                extra = faq.runner_up_replies(turn, second) if runner_up else faq.entry_replies(turn, second)
                if route.name.startswith("first_contact."):
                    extra = faq.without_office_line(extra)
                elif faq.names_office(turn, second):
                    replies = faq.without_office_line(replies)
                replies = extra + replies if asking else replies + extra
        if screening.tier is Tier.CONCERN and turn.answered_prompt and len(text.split()) <= BARE_ANSWER_WORDS:
            screening = NO_CRISIS  # "ved ikke", "nej", "det vil jeg ikke sige" as the answer to our own question
        handover.remember_topic(turn.state, turn.parse.intent, route.name, screening.sign, deps.queue_size)
        if screening.tier is Tier.NONE:
            return self._response(prefix + replies, lang, turn.parse.intent, turn.parse.confidence,
                                  route.name, notices=turn.notices), turn.forget
        replies, name = self._safety_first(screening, route.name, replies, turn)
        return self._response(prefix + replies, lang, turn.parse.intent, turn.parse.confidence, name,
                              screening.tier, notices=turn.notices), turn.forget

    async def _handover_turn(self, incoming: Incoming, text: str, state: State, lang: str, identity: Identity,
                             session: AsyncSession, screening: Screening, prefix: list[Reply]) -> Response | None:
        """A message of a chat in the handover: its place in the queue, or on to the counsellor (the assistant
        silent); None when the handover has ended. While waiting, a crisis gets its answer first, as always;
        with a counsellor, the counsellor is told of it instead."""
        turn = Turn(incoming=incoming, text=text, parse=Parse(text=text, intent="handover", confidence=1.0),
                    state=state, lang=lang, deps=self._deps, identity=identity, session=session)
        replies = await handover.in_handover(turn, screening.sign)
        if replies is None:
            return None
        if not replies:  # with a counsellor: only what the channels relay
            route = "handover.gone" if text == handover.GONE_PAYLOAD else "handover.relayed"
            return self._response(prefix, lang, "handover", 1.0, route, notices=turn.notices)
        if screening.by == "patterns":
            replies = self._alarm(screening) + replies
        return self._response(prefix + replies, lang, "handover", 1.0, "handover.waiting", screening.tier,
                              notices=turn.notices)

    @staticmethod
    def _alarm(screening: Screening) -> list[Reply]:
        """The crisis answer of each category; one that does not name Livslinien (an emergency, violence)
        ends with the line that does: an overdose or a knife can be an attempt on one's own life."""
        replies = [Reply(category.reply) for category in screening.categories]
        if all(category.id != "suicide" for category in screening.categories):
            replies[-1] = replace(replies[-1], parts=replies[-1].parts + (Reply("utter_crisis_line"),))
        return replies

    @staticmethod
    def _safety_first(screening: Screening, route: str, replies: list[Reply], turn: Turn) -> tuple[list[Reply], str]:
        """Put the net's alarm or caring check first; after a concern keep only an answer to a real question."""
        if screening.tier is Tier.ALARM:
            turn.state.clear_flow()
            first = DialogEngine._alarm(screening)
            keep = False
        else:
            first = [Reply(screening.concern_reply, buttons=(handover.TALK,))]
            # When the flow understood its answer, where to call follows.
            asks = compound.asks(turn.text)
            keep = turn.answered_prompt or (route in ANSWERS_AFTER_CONCERN and (
                asks or route not in FAQ_ANSWER_ROUTES or turn.parse.confidence >= UNASKED_ANSWER_SURE)) or (
                route in ASKED_AFTER_CONCERN and asks)
        if turn.forget:  # "glem mig" is done whatever else is said, and says so
            keep = True
        name = f"safety.{screening.tier.value}" + (f"+{route}" if keep else "")
        return first + (replies if keep else []), name

    def _language(self, incoming: Incoming, text: str, state: State) -> str:
        if incoming.lang in ("da", "en"):
            state.lang, state.lang_chosen = incoming.lang, True
        elif not state.lang_chosen and not text.startswith("/"):
            # a command or a button's payload ("/faq/residential_treatment_external") is no one's language
            detected = detect_language(text)
            if detected:
                state.lang = detected
        return state.lang or self._deps.default_lang

    def _command(self, text: str) -> Parse | None:
        """Parse a /command or a button payload (Rasa's `/intent{"entity": "value"}`) without NLU."""
        if not text.startswith("/"):
            return None
        match = _PAYLOAD.match(text)
        if match is None:
            return Parse(text=text, intent="help", confidence=1.0)
        name = match.group("name").lower()
        if name in LANGUAGE_COMMANDS:
            arg = (match.group("arg") or "").lower()
            return Parse(text=text, intent="language", confidence=1.0,
                         entities=(Entity("language", arg, 0, len(text)),) if arg else ())
        intent = COMMANDS.get(name, name)
        known = intent in router.CHITCHAT or intent in ("need_help", "inform", "language") or (
            intent.startswith("faq/") and intent.removeprefix("faq/") in self._deps.standard)
        if not known:
            return Parse(text=text, intent="help", confidence=1.0)
        entities: list[Entity] = []
        if match.group("json"):
            try:
                values = json.loads(match.group("json"))
            except json.JSONDecodeError:
                values = {}
            if isinstance(values, dict):
                entities = [Entity(str(k), v, 0, 0) for k, v in values.items() if isinstance(v, (str, int, bool))]
        return Parse(text=text, intent=intent, confidence=1.0, entities=tuple(entities))

    def _response(self, replies: Sequence[Reply], lang: str, intent: str, confidence: float, route: str,
                  safety: Tier = Tier.NONE, withdraw: bool = False, notices: Sequence[Notice] = ()) -> Response:
        replies = list(replies)
        last = replies[-1] if replies else None
        if isinstance(last, Reply) and last.domain == "messages" and last.key in UNSURE_REPLIES \
                and safety is not Tier.CONCERN:
            # not a confident answer: name the crisis lines (the caring check has named them already)
            replies[-1] = replace(last, parts=last.parts + (Reply("utter_crisis_line"),))
        messages: list[Outgoing] = []
        note = alert = None
        for reply in replies:
            if reply.where == "note":
                note = self._renderer.render(reply, lang).text
            elif reply.where == "alert":
                alert = self._renderer.render(reply, lang).text
            else:
                messages.append(self._renderer.render(reply, lang))
        relayed = tuple(Relayed(tuple(self._renderer.render(reply, notice.lang) for reply in notice.replies),
                                notice.lang, caseworker_id=notice.caseworker_id, conv=notice.conv,
                                channel=notice.channel)
                        for notice in notices)
        return Response(messages=tuple(messages), intent=intent, confidence=confidence, lang=lang, route=route,
                        safety=safety.value, note=note, alert=alert, withdraw=withdraw, relayed=relayed)
