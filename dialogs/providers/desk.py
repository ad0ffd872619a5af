"""The provider desk: answers caseworkers' and team chats' questions about the provider catalogue.

Parse (nlu/provider_language.py) → query (knowledge/providers/query.py) → replies
(dialogs/providers/render.py, gettext domain "providers"), rendered like every other reply by the
engine's Renderer. The caller is the caseworker desk (dialogs/caseworker/desk.py) through its
`ProviderAnswers` protocol, for registered caseworkers and team chats in every channel.

Never for citizens: prices, contract status and capacity are caseworker-only, and the citizen
engine has no path here. The role check is the caller's (registered caseworkers and team chats).

Paging: a list longer than `max_results` gets a »Vis flere« button whose payload is
"/tilbud_mere <id> <offset>" (at most 30 bytes; Telegram allows 64). The id is 8 hex characters
naming the query in a short-lived in-memory store (`page_ttl_minutes`, at most `max_pages` kept):
no text of the question is stored, only the parsed filters. After a restart or expiry the button
answers that the list has expired.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from dialogs.providers import render as R
from dialogs.turn import Button, Reply
from knowledge.providers.frit_valg import verdict
from knowledge.providers.query import ProviderIndex, ProviderQuery, SortOrder, search
from knowledge.providers.record import OfferType, Provider, Region, TargetGroup
from nlu.provider_language import Kind, Lexicon, ProviderLanguage, ProviderRequest

COMMAND = "/tilbud"
MORE = "/tilbud_mere"


@dataclass(frozen=True, slots=True)
class DeskSettings:
    """The `providers:` section of config.yml."""

    max_results: int = 5
    stale_after_days: int = 30
    page_ttl_minutes: int = 60
    max_pages: int = 1000


@dataclass(frozen=True, slots=True)
class CatalogueSnapshot:
    """The catalogue as loaded: its providers, whether it is sample data, and a version that changes on import."""

    providers: tuple[Provider, ...]
    is_sample: bool
    version: str


class CatalogueSource(Protocol):
    """Where the desk gets the catalogue (bot/wiring.py: the database, cached)."""

    async def snapshot(self) -> CatalogueSnapshot: ...


@dataclass(frozen=True, slots=True)
class FritValgCitation:
    """Where the frit valg rules come from: the standard's title and section, and the national caveat's source."""

    title: str
    section: str
    caveat: str


@dataclass(frozen=True, slots=True)
class DeskAnswer:
    """A desk answer: one message, the kind of answer and the ids of the providers it names.

    Attributes:
        reply: the message (domain "providers"; its `about` names the providers).
        kind: "search", "more", "provider", "frit_valg" or "help".
        primary: the answer is about the municipality's own primary provider only (its Rusmiddelcenter), which
            the kvalitetsstandard describes too, and asks none of the place's details (phone, address, waiting time …).
    """

    reply: Reply
    kind: str
    primary: bool = False

    @property
    def provider_ids(self) -> tuple[str, ...]:
        return self.reply.about

    @property
    def route(self) -> str:
        return f"provider_desk.{self.kind}"


@dataclass(frozen=True, slots=True)
class _Page:
    query: ProviderQuery
    expires: datetime


class ProviderDesk:
    """Answers provider questions from the current catalogue snapshot."""

    def __init__(self, source: CatalogueSource, settings: DeskSettings = DeskSettings(),
                 citation: FritValgCitation | None = None, lexicon: Lexicon | None = None) -> None:
        self._source = source
        self.settings = settings
        self._citation = citation
        self._lexicon = lexicon  # compiled on the first question (a citizen-only process never needs it)
        self._version: str | None = None
        self._index = ProviderIndex(())
        self._language: ProviderLanguage | None = None
        self._ids_by_name: dict[str, list[str]] = {}
        self._is_sample = False
        self._pages: OrderedDict[str, _Page] = OrderedDict()

    async def answer(self, text: str, *, now: datetime) -> DeskAnswer | None:
        """Answer a provider question (free text, /tilbud arguments or a button payload), or None when the
        text is not a provider question."""
        await self._refresh()
        stripped = text.strip()
        command = stripped.split(maxsplit=1)[0].split("@")[0].lower() if stripped else ""
        if command == MORE:
            return self._more(stripped.split()[1:], now)
        if command == COMMAND:
            stripped = stripped.split(maxsplit=1)[1] if len(stripped.split(maxsplit=1)) > 1 else ""
            if not stripped:
                return self._done("help", [R.say("help")], (), ())
        return self.respond(self.parse(stripped), now)

    def parse(self, text: str) -> ProviderRequest:
        """Parse a question against the current catalogue's names (call `answer` once first)."""
        if self._language is None:
            raise RuntimeError("the provider desk has not read its catalogue yet")
        return self._language.parse(text)

    def to_query(self, request: ProviderRequest) -> ProviderQuery:
        """Map the parsed codes onto the catalogue's enums."""
        ids: list[str] = []
        for name in request.names:
            ids.extend(self._ids_by_name.get(name, []))
        return ProviderQuery(
            offer_types=frozenset(OfferType(code) for code in request.offer_types),
            target_groups=tuple(frozenset(TargetGroup(code) for code in alternatives)
                                for alternatives in request.target_groups),
            age_min=request.age_min, age_max=request.age_max,
            region=Region(request.region) if request.region else None,
            sort=SortOrder(request.sort) if request.sort else SortOrder.DEFAULT,
            provider_ids=tuple(dict.fromkeys(ids)),
            frit_valg=request.kind is Kind.FRIT_VALG)

    def respond(self, request: ProviderRequest, now: datetime) -> DeskAnswer | None:
        """Answer a parsed request."""
        if request.kind is Kind.NONE:
            return None
        query = self.to_query(request)
        if request.kind is Kind.PROVIDER:
            return self._cards(query, now, request.details)
        if request.kind is Kind.FRIT_VALG:
            return self._frit_valg(query, now)
        return self._list(query, 0, now, "search")

    # --- kinds of answer ------------------------------------------------------------------------------

    def _list(self, query: ProviderQuery, offset: int, now: datetime, kind: str,
              lead: tuple[Reply, ...] = (), tail: tuple[Reply, ...] = ()) -> DeskAnswer:
        result = search(self._index, query)
        blocks = list(lead) + [R.describe_query(query)]
        shown = result.page(offset, self.settings.max_results)
        buttons: tuple[Button, ...] = ()
        more: dict[str, int] = {}
        if not result.total:
            blocks.append(R.say("none"))
            blocks.extend(R.widening_lines(query, result.widenings))
        else:
            total = result.total
            blocks.append(R.say("found_one") if total == 1 else
                          R.say("found", count=total, first=offset + 1, last=offset + len(shown)))
            today = now.date()
            blocks.extend(R.match_block(offset + i + 1, match, today, self.settings.stale_after_days)
                          for i, match in enumerate(shown))
            following = offset + len(shown)
            if following < total:
                page_id = self._remember(query, now)
                more = {"next_first": following + 1, "total": total,
                        "next_last": min(following + self.settings.max_results, total)}
                buttons = (Button("more", f"{MORE} {page_id} {following}"),)
        if result.held_back and offset == 0:
            held = len(result.held_back)
            # The count is exact; the names stop at a page's length (a real catalogue holds back a handful).
            names = [p.name for p, _ in result.held_back[:self.settings.max_results]]
            listed = ", ".join(names) + (", …" if held > len(names) else "")
            blocks.append(R.say("held_back", count=held, names=listed))
        blocks.extend(tail)
        answer = self._done(kind, blocks, tuple(m.provider.id for m in shown), buttons)
        return replace(answer, reply=replace(answer.reply, params=answer.reply.params | more))

    def _cards(self, query: ProviderQuery, now: datetime, details: bool = False) -> DeskAnswer:
        providers = [p for p in (self._index.get(i) for i in query.provider_ids) if p is not None]
        if not providers:
            return self._done("provider", [R.say("unknown_provider")], (), ())
        age = query.age_min if query.age_min is not None and query.age_min == query.age_max else None
        blocks = [R.card(p, now.date(), self.settings.stale_after_days, age) for p in providers]
        answer = self._done("provider", blocks, tuple(p.id for p in providers), ())
        # the own Rusmiddelcenter's details are its card's; other questions naming it may be the standard's
        return replace(answer, primary=all(p.is_primary for p in providers) and not details)

    def _frit_valg(self, query: ProviderQuery, now: datetime) -> DeskAnswer:
        rules = [R.say("frit_valg_rules")]
        if self._citation is not None:
            c = self._citation
            rules.append(R.say("frit_valg_source", title=c.title, section=c.section, caveat=c.caveat))
        sources = (self._citation.section,) if self._citation else ()
        if query.anonymous:
            answer = self._done("frit_valg", [R.say("frit_valg_anonymous")] + rules, (), ())
            return _with_sources(answer, sources)
        types = sorted(query.offer_types)
        if query.provider_ids:
            providers = [p for p in (self._index.get(i) for i in query.provider_ids) if p is not None]
            if len(types) == 1:
                lines = [self._verdict_line(provider, types[0]) for provider in providers]
            else:  # no visiteret type named: the cards show approval and offer types, and we ask for the type
                lines = [R.card(p, now.date(), self.settings.stale_after_days, None) for p in providers]
                lines.append(R.say("frit_valg_one_type"))
            answer = self._done("frit_valg", lines + rules, tuple(p.id for p in providers), ())
        elif len(types) == 1:
            lead = (R.say("frit_valg_list", offer=R.offer(types[0])),)
            answer = self._list(query, 0, now, "frit_valg", lead, tuple(rules))
        else:
            lines = [R.say("frit_valg_one_type")] if types else []
            answer = self._done("frit_valg", lines + rules, (), ())
        return _with_sources(answer, sources)

    @staticmethod
    def _verdict_line(provider: Provider, offer: OfferType) -> Reply:
        found = verdict(provider, offer)
        if found.allowed:
            return R.say("frit_valg_yes", name=provider.name, offer=R.offer(offer))
        why = R.joined(R.refusal_text(r, offer) for r in found.refusals)
        return R.say("frit_valg_no", name=provider.name, offer=R.offer(offer), why=why)

    def _more(self, args: list[str], now: datetime) -> DeskAnswer:
        page = self._pages.get(args[0]) if args else None
        if page is None or page.expires <= now or len(args) < 2 or not args[1].isdigit():
            return self._done("more", [R.say("page_expired")], (), ())
        return self._list(page.query, int(args[1]), now, "more")

    # --- plumbing ----------------------------------------------------------------------------------------

    def _remember(self, query: ProviderQuery, now: datetime) -> str:
        for key in [k for k, p in self._pages.items() if p.expires <= now]:
            del self._pages[key]
        while len(self._pages) >= self.settings.max_pages:
            self._pages.popitem(last=False)
        page_id = secrets.token_hex(4)
        self._pages[page_id] = _Page(query, now + timedelta(minutes=self.settings.page_ttl_minutes))
        return page_id

    def _done(self, kind: str, blocks: list[Reply], ids: tuple[str, ...], buttons: tuple[Button, ...]) -> DeskAnswer:
        if self._is_sample:
            blocks = blocks + [R.say("sample")]
        return DeskAnswer(replace(R.message(blocks), buttons=buttons, about=ids), kind)

    async def _refresh(self) -> None:
        snapshot = await self._source.snapshot()
        if snapshot.version == self._version:
            return
        self._index = ProviderIndex(snapshot.providers)
        # Distances are from the municipality's own town, so "tættest på <that town>" orders instead of filtering.
        home = [p.municipality for p in snapshot.providers if p.is_primary]
        if self._lexicon is None:
            self._lexicon = Lexicon()
        self._language = ProviderLanguage((p.name for p in snapshot.providers), self._lexicon, home)
        ids: dict[str, list[str]] = {}
        for provider in snapshot.providers:
            ids.setdefault(provider.name, []).append(provider.id)
        self._ids_by_name = ids
        self._is_sample = snapshot.is_sample
        self._version = snapshot.version
        self._pages.clear()


def _with_sources(answer: DeskAnswer, sources: tuple[str, ...]) -> DeskAnswer:
    return replace(answer, reply=replace(answer.reply, sources=sources))
