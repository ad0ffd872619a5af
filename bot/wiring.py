"""Builds the assistant from settings: the only module that knows the concrete classes.

One session factory for everything; one engine for every role (its Directory over the caseworker
registry, its caseworker desk with the provider desk and the configured reminder policy).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.handover_settings import load_handover_settings
from bot.reminders_config import load_reminders_config
from bot.identity import load_secret
from bot.config import Secret
from bot.relays import Relays
from bot.storage import open_database
from functools import lru_cache
from zoneinfo import ZoneInfo

from dialogs import Deps, DialogEngine, SafetyScreen, load_safety
from dialogs.caseworker.cases import CaseDeps
from dialogs.caseworker.desk import CaseworkerDesk, ProviderAnswers
from dialogs.caseworker.directory import RegistryDirectory
from dialogs.citizen.flows import Remembered
from dialogs.providers.desk import FritValgCitation, ProviderDesk
from nlu.case_language import CaseLanguage, load_case_language
from nlu.rule_language import RULE_PREFIX, STANDARD_PREFIX, RuleLanguage, load_rule_language
from reminders import CaseworkerRecord, load_labels, load_rules
from reminders.planner import ReminderPolicy
from knowledge import Retriever, Standard, load_standard
from nlu import LocalParser, Parser, load_local_parser, load_training_data, tokens
from nlu.safety_net import load_safety_net


@dataclass
class App:
    """A running assistant: the dialog engine and what must be closed afterwards."""

    engine: DialogEngine
    database: AsyncEngine
    secret: Secret
    local_parser: LocalParser
    provider_desk: ProviderDesk | None = None  # built by build_app; None in harnesses that build an App by hand
    relays: Relays = field(default_factory=Relays)  # how this process reaches others in a handover
    max_queue: int = 0  # from config.yml's handover section: citizens waiting at most, once both sides are reachable
    one_of_several: bool = False  # a worker of `stifinder serve --workers N`

    def open_queue_when_reachable(self) -> None:
        """Offer citizens a place in the counsellors' queue in the channels this process relays to, once the
        counsellors' Telegram chats are reachable too (else they are given numbers to call). A Telegram
        citizen's chat is known only to the process their messages reach, so with several workers Telegram's
        citizens are offered one only when the processes reach each other (`Relays.bus`, PostgreSQL)."""
        alone = self.one_of_several and self.relays.bus is None
        channels = self.relays.channels - ({"telegram"} if alone else set())
        if channels and self.max_queue > 0:
            self.engine.open_queue(channels, self.max_queue)

    async def has_caseworker(self, caseworker_id: int) -> bool:
        """Tell whether the registry has a caseworker with the id (for `--as ID`)."""
        async with async_sessionmaker(self.database)() as session:
            return await session.get(CaseworkerRecord, caseworker_id) is not None

    async def close(self) -> None:
        await self.database.dispose()
        gc.unfreeze()  # what build_app loaded may be garbage now (tests build many apps in one process)


@contextmanager
def long_lived_heap() -> Iterator[None]:
    """Load what lives as long as the process without the cyclic collector, then leave it out of collections.

    The models, the standard, the patterns and the texts are a few hundred thousand objects that are never
    garbage. Loaded with the collector on, each batch of allocations makes it walk all of them again (a third
    of `stifinder ask`'s start-up, and most of its exit); frozen afterwards, later collections of a running
    server skip them. The garbage made while loading is collected once, before the freeze.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)  # with the collector paused, everything loaded is young: one pass over it
        gc.freeze()
        if collecting:
            gc.enable()


def build_retriever(standard: Standard, data_dir: Path) -> Retriever:
    """BM25 over the entries, each enriched with its intent's training examples."""
    data = load_training_data(data_dir)
    examples: dict[str, list[str]] = {}
    for example in data.examples:
        if example.intent.startswith("faq/"):
            examples.setdefault(example.intent.removeprefix("faq/"), []).append(example.text)
    return Retriever(standard, tokens, examples)


def build_safety(settings: Settings) -> SafetyScreen:
    """The reviewed safety patterns with the learned net (trained on first use, then cached)."""
    return load_safety(net=load_safety_net(settings.nlu_cache_dir, settings.nlu_data_dir))


def build_parser(settings: Settings, local: LocalParser) -> Parser:
    """Return the configured NLU backend (Rasa falls back to the embedded parser when it fails)."""
    if settings.nlu_backend == "rasa":
        import os

        from nlu.rasa_client import FallbackParser, RasaParser

        token = os.environ.get(settings.rasa.token_env) or None
        return FallbackParser(RasaParser(settings.rasa.url, token=token, timeout=settings.rasa.timeout_seconds), local)
    return local


async def build_app(settings: Settings, database_url: str | None = None) -> App:
    """Load content, the NLU and the database, and wire the dialog engine.

    Raises:
        ConfigError: a section of config.yml is malformed.
    """
    with long_lived_heap():
        return await _build_app(settings, database_url)


async def _build_app(settings: Settings, database_url: str | None) -> App:
    policy = load_reminders_config(settings).policy
    standard = load_standard(settings.standard_dir, settings.municipality.standard_title)
    local = load_local_parser(settings.nlu_data_dir, settings.nlu_cache_dir)
    deps = Deps(
        standard=standard,
        municipality=settings.municipality,
        retriever=build_retriever(standard, settings.nlu_data_dir),
        safety=build_safety(settings),
        threshold=settings.nlu_threshold,
        ttl_minutes=settings.conversation_ttl_minutes,
        default_lang=settings.default_lang,
        opening_hours=handover.hours if (handover := load_handover_settings(settings)) else None,
        counsellor_idle_minutes=handover.counsellor_idle_minutes if handover else 10,
    )
    database, sessions = await open_database(database_url or settings.database_url)
    provider_desk = build_provider_desk(settings, standard, sessions)
    # On SQLite one server process writes the conversations, so it may keep them between turns.
    engine = build_engine(settings, deps, build_parser(settings, local), sessions, provider_desk, policy,
                          remember_conversations=database.dialect.name == "sqlite")
    return App(engine=engine, database=database, secret=load_secret(settings.var_dir), local_parser=local,
               provider_desk=provider_desk, max_queue=handover.max_queue if handover else 0)


def build_engine(settings: Settings, deps: Deps, parser: Parser, sessions: async_sessionmaker[AsyncSession],
                 providers: ProviderAnswers | None, policy: ReminderPolicy,
                 case_language: CaseLanguage | None = None, remember_conversations: bool = False) -> DialogEngine:
    """The one engine of every role: its Directory over the caseworker registry and its caseworker desk.

    Args:
        case_language: the case-sentence model; by default loaded from the NLU cache on the first
            caseworker sentence (not at start-up: a citizen's terminal chat never needs it).
        remember_conversations: keep conversations between turns in this process (only when it is the
            one process that writes them: SQLite).
    """
    directory = RegistryDirectory(sessions)

    @lru_cache(maxsize=1)
    def language() -> CaseLanguage:
        return case_language or load_case_language(settings.nlu_cache_dir)

    rules = tuple(load_rules())
    # a section's rules: those whose source is the section ("Opfølgning" → the two follow-ups)
    section_rules = {STANDARD_PREFIX + entry.id: tuple(RULE_PREFIX + rule.id for rule in rules
                                                       if rule.source == entry.source)
                     for entry in deps.standard}

    @lru_cache(maxsize=1)
    def questions() -> RuleLanguage:
        return load_rule_language(settings.nlu_cache_dir, settings.nlu_data_dir, section_rules=section_rules)

    case_deps = CaseDeps.of(rules, load_labels(), policy)
    desk = CaseworkerDesk(directory, language, case_deps, policy, providers, tz=ZoneInfo(settings.timezone),
                          questions=questions)
    return DialogEngine(deps, parser, sessions, directory, desk,
                        Remembered() if remember_conversations else None)


def build_provider_desk(settings: Settings, standard: Standard, sessions: async_sessionmaker[AsyncSession]) -> ProviderDesk:
    """The caseworkers' provider desk over the stored catalogue, citing the standard's frit valg entry."""
    from bot.provider_settings import DatabaseCatalogue, load_provider_settings

    desk_settings, check_seconds = load_provider_settings(settings)
    citation = None
    if "free_choice" in standard:
        entry = standard.entry("free_choice")
        caveat = entry.caveat.source if entry.caveat else ""
        citation = FritValgCitation(standard.title, entry.source, caveat)
    return ProviderDesk(DatabaseCatalogue(sessions, check_seconds), desk_settings, citation)
