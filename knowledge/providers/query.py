"""Provider queries: filter, sort and explain which catalogue providers fit a caseworker's question.

Pure and in memory: a `ProviderIndex` is built once per catalogue snapshot (sets of positions per
offer type, region, target group and age, approval decided per provider, an integer sort key per
provider and order), so a query intersects sets instead of walking 5,000 records. `search(index,
query)` counts the matches and names those held back; `QueryResult.page(offset, count)` orders
only as far as the page needs and builds reasons and prices only for the providers shown (the
whole list of a broad question is never built). When nothing matches, the result says how the
query could be widened. Reasons and filters are codes: the wording is dialogs' job.

Matching rules (shared/notes/standard-and-guidelines.md §4.2):
- offer types: any of the asked types (one type when the question is about frit valg);
- approval: a provider not approved by Socialtilsynet or not on Tilbudsportalen is never offered
  (kvalitetsstandarden, »Kvalitetskrav til leverandør«), except the municipality's own primary
  provider, which the municipality visiterer to itself; those held back are counted and named;
- target groups: every asked group, each satisfied by any of its alternatives ("unge" is any of
  the three youth groups); a provider with `dual_diagnosis` takes the dual-diagnosis group;
- age: the provider's age range overlaps the asked range ("under 25" is 0-24);
- region: the provider's region.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from itertools import islice
from typing import Callable, Iterable, Sequence

from knowledge.providers.frit_valg import Refusal, approval_refusals
from knowledge.providers.record import OfferType, Provider, Region, TargetGroup

YOUTH = frozenset({TargetGroup.UNGE_U18, TargetGroup.UNGE_18_25, TargetGroup.UNGE_U30})
_NO_AGE_LIMIT = 200


class SortOrder(StrEnum):
    """How matches are ordered. DEFAULT: the primary provider first, then by name."""

    DEFAULT = "default"
    PRICE = "price"
    WAITING = "waiting"
    DISTANCE = "distance"


class Filter(StrEnum):
    """A filter of a query that can be dropped to widen it."""

    OFFER_TYPE = "offer_type"
    TARGET_GROUP = "target_group"
    AGE = "age"
    REGION = "region"


class ReasonKind(StrEnum):
    """Why a provider matches (one reason per asked filter, plus the primary flag)."""

    OFFER_TYPE = "offer_type"
    TARGET_GROUP = "target_group"
    DUAL_DIAGNOSIS = "dual_diagnosis"
    AGE = "age"
    REGION = "region"
    PRIMARY = "primary"
    NAMED = "named"


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a provider matches: a kind and its value (an offer type, a group, "18-30", a region)."""

    kind: ReasonKind
    value: str = ""


@dataclass(frozen=True, slots=True)
class ProviderQuery:
    """What a caseworker asked for. Empty fields do not filter.

    Args:
        offer_types: any of these offer types (anonymous treatment is `OfferType.ANONYM_101A`).
        target_groups: every entry must be met by any of its alternatives.
        age_min, age_max: the citizen's age range (both inclusive); `None` is open.
        region: only providers in this region.
        sort: the order of the matches.
        provider_ids: named providers (a question about one provider); other filters still apply.
        frit_valg: the question is about frit valg: the rules of `frit_valg.py` are applied.
    """

    offer_types: frozenset[OfferType] = frozenset()
    target_groups: tuple[frozenset[TargetGroup], ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    region: Region | None = None
    sort: SortOrder = SortOrder.DEFAULT
    provider_ids: tuple[str, ...] = ()
    frit_valg: bool = False

    @property
    def anonymous(self) -> bool:
        """The question is about anonymous treatment (SEL § 101 a)."""
        return OfferType.ANONYM_101A in self.offer_types

    @property
    def has_age(self) -> bool:
        return self.age_min is not None or self.age_max is not None

    def active_filters(self) -> list[Filter]:
        """Return the filters this query uses, in the order they are suggested for dropping."""
        active = []
        if self.region is not None:
            active.append(Filter.REGION)
        if self.has_age:
            active.append(Filter.AGE)
        if self.target_groups:
            active.append(Filter.TARGET_GROUP)
        if self.offer_types:
            active.append(Filter.OFFER_TYPE)
        return active

    def without(self, dropped: Filter) -> ProviderQuery:
        """Return the query with one filter dropped."""
        if dropped is Filter.REGION:
            return replace(self, region=None)
        if dropped is Filter.AGE:
            return replace(self, age_min=None, age_max=None)
        if dropped is Filter.TARGET_GROUP:
            return replace(self, target_groups=())
        return replace(self, offer_types=frozenset())


@dataclass(frozen=True, slots=True)
class Match:
    """One matching provider, why it matches, and its price per day for the asked offer type."""

    provider: Provider
    reasons: tuple[Reason, ...]
    price: int | None = None
    price_type: OfferType | None = None


@dataclass(frozen=True, slots=True)
class Widening:
    """How many providers would match with one filter dropped."""

    dropped: Filter
    count: int


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The answer to a query: how many match, a page of them in order, and what was held back or could widen it.

    Matches are built lazily: `page(offset, count)` orders only as far as the page needs and builds
    reasons and prices only for the providers on it; `matches` builds them all (tests, small lists).

    Args:
        total: how many providers match.
        held_back: providers that fit every filter but fail approval (Socialtilsynet or
            Tilbudsportalen), with the rules they fail, by name.
        no_frit_valg: the query asks frit valg for anonymous treatment, which has none.
        widenings: only when nothing matches: counts with each filter dropped, largest first.
    """

    query: ProviderQuery
    total: int
    held_back: tuple[tuple[Provider, tuple[Refusal, ...]], ...]
    no_frit_valg: bool
    widenings: tuple[Widening, ...]
    _index: ProviderIndex = field(repr=False, compare=False)
    _found: frozenset[int] | set[int] = field(repr=False, compare=False)

    def page(self, offset: int, count: int) -> tuple[Match, ...]:
        """Return the matches from `offset` (0-based), at most `count`, in the query's order."""
        if offset >= self.total or count <= 0:
            return ()
        positions = _first(self._index, self.query, self._found, offset + count)[offset:]
        return tuple(_match(self._index.providers[p], self.query) for p in positions)

    @property
    def matches(self) -> tuple[Match, ...]:
        """Every match in order (builds them all: for tests and short lists)."""
        return self.page(0, self.total)


_MISSING = 1 << 40  # sorts an unknown price, waiting time or distance after every known one


@dataclass(frozen=True)
class ProviderIndex:
    """A catalogue snapshot, prepared once so that a query costs set operations plus one page of work.

    Sets of positions per offer type, region and target group (and per lowest and highest age)
    find the candidates; approval is decided once per provider; each sort order has an integer key
    per position (its value first, then the name) and the positions in that order, so a query
    orders its candidates by looking keys up, or walks the order and stops after a page.
    """

    providers: tuple[Provider, ...]
    by_id: dict[str, int] = field(init=False)
    by_type: dict[OfferType, frozenset[int]] = field(init=False)
    by_region: dict[Region, frozenset[int]] = field(init=False)
    by_group: dict[TargetGroup, frozenset[int]] = field(init=False)
    everyone: frozenset[int] = field(init=False)
    approved: frozenset[int] = field(init=False)
    refusals: tuple[tuple[Refusal, ...], ...] = field(init=False)
    name_rank: tuple[int, ...] = field(init=False)
    keys: dict[object, tuple[list[int], list[int]]] = field(init=False)
    prices: dict[OfferType, list[int | None]] = field(init=False)
    _by_age_min: dict[int, frozenset[int]] = field(init=False)
    _by_age_top: dict[int, frozenset[int]] = field(init=False)
    _age_sets: dict[tuple[int, int], frozenset[int]] = field(init=False)

    def __post_init__(self) -> None:
        providers = self.providers
        n = len(providers)
        by_type: dict[OfferType, set[int]] = {}
        by_region: dict[Region, set[int]] = {}
        by_group: dict[TargetGroup, set[int]] = {}
        by_age_min: dict[int, set[int]] = {}
        by_age_top: dict[int, set[int]] = {}
        for position, provider in enumerate(providers):
            for offer in provider.offer_types:
                by_type.setdefault(offer, set()).add(position)
            by_region.setdefault(provider.region, set()).add(position)
            groups = set(provider.target_groups)
            if provider.dual_diagnosis:
                groups.add(TargetGroup.DOBBELTDIAGNOSE)
            for group in groups:
                by_group.setdefault(group, set()).add(position)
            by_age_min.setdefault(provider.age_min, set()).add(position)
            by_age_top.setdefault(_top(provider), set()).add(position)
        refusals = tuple(() if p.is_primary else approval_refusals(p) for p in providers)
        by_name = sorted(range(n), key=lambda p: providers[p].name.casefold())  # stable: ties by position
        name_rank = [0] * n
        for rank, position in enumerate(by_name):
            name_rank[position] = rank
        prices: dict[OfferType, list[int | None]] = {}
        for position, provider in enumerate(providers):
            for offer, price in provider.prices_per_day.items():
                prices.setdefault(offer, [None] * n)[position] = price
        keys: dict[object, tuple[list[int], list[int]]] = {
            SortOrder.DEFAULT: _ordering([0 if p.is_primary else 1 for p in providers], name_rank),
            SortOrder.WAITING: _ordering([_value(p.waiting_time_days) for p in providers], name_rank),
            SortOrder.DISTANCE: _ordering([_value(p.distance_km) for p in providers], name_rank),
            # price with no type asked: the lowest price of any type
            frozenset(): _ordering([_value(min(p.prices_per_day.values(), default=None)) for p in providers],
                                   name_rank),
        }
        for offer, column in prices.items():
            keys[frozenset({offer})] = _ordering([_value(price) for price in column], name_rank)
        put = partial(object.__setattr__, self)
        put("by_id", {p.id: i for i, p in enumerate(providers)})
        put("by_type", {k: frozenset(v) for k, v in by_type.items()})
        put("by_region", {k: frozenset(v) for k, v in by_region.items()})
        put("by_group", {k: frozenset(v) for k, v in by_group.items()})
        put("everyone", frozenset(range(n)))
        put("approved", frozenset(i for i in range(n) if not refusals[i]))
        put("refusals", refusals)
        put("name_rank", tuple(name_rank))
        put("keys", keys)
        put("prices", prices)
        put("_by_age_min", {k: frozenset(v) for k, v in by_age_min.items()})
        put("_by_age_top", {k: frozenset(v) for k, v in by_age_top.items()})
        put("_age_sets", {})

    def get(self, provider_id: str) -> Provider | None:
        """Return the provider with this id, if the catalogue has it."""
        position = self.by_id.get(provider_id)
        return None if position is None else self.providers[position]

    def age_set(self, low: int, high: int) -> frozenset[int]:
        """Return the positions whose age range overlaps low-high (cached: a catalogue has few distinct ages)."""
        found = self._age_sets.get((low, high))
        if found is None:
            young_enough = _union(s for age, s in self._by_age_min.items() if age <= high)
            old_enough = _union(s for top, s in self._by_age_top.items() if top >= low)
            found = young_enough & old_enough
            if len(self._age_sets) >= _AGE_CACHE:
                self._age_sets.clear()
            self._age_sets[(low, high)] = found
        return found


_AGE_CACHE = 256
_SMALL = 256  # below this many candidates, the age filter tests each provider instead of using sets


def _top(provider: Provider) -> int:
    return provider.age_max if provider.age_max is not None else _NO_AGE_LIMIT


def _value(value: int | None) -> int:
    return _MISSING if value is None else value


def _ordering(values: list[int], name_rank: list[int]) -> tuple[list[int], list[int]]:
    """Return a key per position (value, then name) and the positions in key order."""
    n = len(values)
    key = [value * (n + 1) + rank for value, rank in zip(values, name_rank)]
    return key, sorted(range(n), key=key.__getitem__)


def search(index: ProviderIndex, query: ProviderQuery) -> QueryResult:
    """Return the providers that fit the query (counted; ordered lazily by page), held back and widenings."""
    if query.frit_valg and query.anonymous:
        # SEL § 101 a: anonymous treatment has no frit valg, so no provider is a frit valg option.
        return QueryResult(query, 0, (), True, (), index, frozenset())
    fitting = _candidates(index, query)
    found = fitting & index.approved
    held = fitting - index.approved if len(found) != len(fitting) else ()
    rank = index.name_rank
    held_back = tuple((index.providers[p], index.refusals[p]) for p in sorted(held, key=rank.__getitem__))
    widenings: tuple[Widening, ...] = () if found else _widenings(index, query)
    return QueryResult(query, len(found), held_back, False, widenings, index, found)


def _candidates(index: ProviderIndex, query: ProviderQuery) -> set[int] | frozenset[int]:
    """Return the positions that fit every filter (approved or not)."""
    sets: list[frozenset[int]] = []
    if query.provider_ids:
        sets.append(frozenset(index.by_id[i] for i in query.provider_ids if i in index.by_id))
    if query.offer_types:
        sets.append(_union(index.by_type.get(t, frozenset()) for t in query.offer_types))
    if query.region is not None:
        sets.append(index.by_region.get(query.region, frozenset()))
    for alternatives in query.target_groups:
        sets.append(_union(index.by_group.get(g, frozenset()) for g in alternatives))
    if not sets and not query.has_age:
        return index.everyone
    sets.sort(key=len)
    found: set[int] | frozenset[int] = sets[0] if sets else index.everyone
    for other in sets[1:]:
        found = found & other
        if not found:
            return found
    if query.has_age:
        low = query.age_min if query.age_min is not None else 0
        high = query.age_max if query.age_max is not None else _NO_AGE_LIMIT
        if len(found) <= _SMALL:
            providers = index.providers
            found = {p for p in found if _overlaps(providers[p], low, high)}
        else:
            found = found & index.age_set(low, high)
    return found


def _union(sets: Iterable[frozenset[int]]) -> frozenset[int]:
    result: frozenset[int] = frozenset()
    for one in sets:
        result = result | one if result else one
    return result


def _overlaps(provider: Provider, low: int, high: int) -> bool:
    return provider.age_min <= high and _top(provider) >= low


def _first(index: ProviderIndex, query: ProviderQuery, found: frozenset[int] | set[int], k: int) -> list[int]:
    """Return the first k of the found positions in the query's order, without ordering the rest."""
    if query.sort is SortOrder.PRICE:
        known = index.keys.get(query.offer_types)
        if known is None:  # several asked types: the lowest of their prices, computed per candidate
            return heapq.nsmallest(k, found, key=_price_key(index, query.offer_types))
        key, order = known
    else:
        key, order = index.keys[query.sort]
    size = len(found)
    if k * len(order) <= size * size:  # dense: walking the order meets k of them soon
        return list(islice((p for p in order if p in found), k))
    return heapq.nsmallest(k, found, key=key.__getitem__)


def _price_key(index: ProviderIndex, asked: frozenset[OfferType]) -> Callable[[int], int]:
    columns = [index.prices[t] for t in asked if t in index.prices]
    rank = index.name_rank
    width = len(index.providers) + 1

    def key(position: int) -> int:
        known = [price for column in columns if (price := column[position]) is not None]
        return _value(min(known) if known else None) * width + rank[position]

    return key


def _match(provider: Provider, query: ProviderQuery) -> Match:
    reasons: list[Reason] = []
    if provider.is_primary:
        reasons.append(Reason(ReasonKind.PRIMARY))
    if query.provider_ids:
        reasons.append(Reason(ReasonKind.NAMED))
    for offer in sorted(query.offer_types & provider.offer_types):
        reasons.append(Reason(ReasonKind.OFFER_TYPE, offer.value))
    for alternatives in query.target_groups:
        present = sorted(alternatives & provider.target_groups)
        if present:
            reasons.extend(Reason(ReasonKind.TARGET_GROUP, g.value) for g in present)
        elif TargetGroup.DOBBELTDIAGNOSE in alternatives and provider.dual_diagnosis:
            reasons.append(Reason(ReasonKind.DUAL_DIAGNOSIS))
    if query.has_age:
        top = "" if provider.age_max is None else str(provider.age_max)
        reasons.append(Reason(ReasonKind.AGE, f"{provider.age_min}-{top}"))
    if query.region is not None:
        reasons.append(Reason(ReasonKind.REGION, provider.region.value))
    price, price_type = price_for(provider, query.offer_types)
    return Match(provider, tuple(reasons), price, price_type)


def price_for(provider: Provider, asked: Sequence[OfferType] | frozenset[OfferType]) -> tuple[int | None, OfferType | None]:
    """Return the lowest price per day among the asked offer types (any type when none is asked)."""
    types = [t for t in provider.prices_per_day if not asked or t in asked]
    if not types:
        return None, None
    best = min(types, key=lambda t: (provider.prices_per_day[t], t.value))
    return provider.prices_per_day[best], best


def _widenings(index: ProviderIndex, query: ProviderQuery) -> tuple[Widening, ...]:
    found = []
    for dropped in query.active_filters():
        count = len(_candidates(index, query.without(dropped)) & index.approved)
        if count:
            found.append(Widening(dropped, count))
    found.sort(key=lambda w: -w.count)
    return tuple(found)
