"""The indexed provider query gives exactly what a straightforward filter over every provider gives.

`reference()` below is the matching rules of knowledge/providers/query.py written the plain way:
walk every provider, test each filter, build every match, sort the whole list. The fast path
(`search` + `QueryResult.page`) must agree with it on random queries over generated catalogues:
the same providers in the same order, the same reasons and prices, the same held-back providers
and the same widenings.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest

from fakes.providers import generate_catalogue
from knowledge.providers.frit_valg import Refusal, approval_refusals
from knowledge.providers.query import (YOUTH, Match, ProviderIndex, ProviderQuery, Reason, ReasonKind,
                                       SortOrder, Widening, price_for, search)
from knowledge.providers.record import OfferType, Provider, Region, TargetGroup


def _fits(provider: Provider, query: ProviderQuery) -> bool:
    if query.provider_ids and provider.id not in query.provider_ids:
        return False
    if query.offer_types and not query.offer_types & provider.offer_types:
        return False
    if query.region is not None and provider.region is not query.region:
        return False
    groups = set(provider.target_groups) | ({TargetGroup.DOBBELTDIAGNOSE} if provider.dual_diagnosis else set())
    if any(not alternatives & groups for alternatives in query.target_groups):
        return False
    if query.has_age:
        low = 0 if query.age_min is None else query.age_min
        high = 200 if query.age_max is None else query.age_max
        top = 200 if provider.age_max is None else provider.age_max
        if provider.age_min > high or top < low:
            return False
    return True


def _reasons(provider: Provider, query: ProviderQuery) -> tuple[Reason, ...]:
    reasons = [Reason(ReasonKind.PRIMARY)] if provider.is_primary else []
    if query.provider_ids:
        reasons.append(Reason(ReasonKind.NAMED))
    reasons += [Reason(ReasonKind.OFFER_TYPE, o.value) for o in sorted(query.offer_types & provider.offer_types)]
    for alternatives in query.target_groups:
        present = sorted(alternatives & provider.target_groups)
        reasons += [Reason(ReasonKind.TARGET_GROUP, g.value) for g in present]
        if not present and TargetGroup.DOBBELTDIAGNOSE in alternatives and provider.dual_diagnosis:
            reasons.append(Reason(ReasonKind.DUAL_DIAGNOSIS))
    if query.has_age:
        reasons.append(Reason(ReasonKind.AGE, f"{provider.age_min}-{'' if provider.age_max is None else provider.age_max}"))
    if query.region is not None:
        reasons.append(Reason(ReasonKind.REGION, provider.region.value))
    return tuple(reasons)


def _key(match: Match, order: SortOrder) -> tuple[Any, ...]:
    def last(value: int | None) -> tuple[int, int]:
        return (1, 0) if value is None else (0, value)

    p = match.provider
    value = {SortOrder.PRICE: lambda: last(match.price), SortOrder.WAITING: lambda: last(p.waiting_time_days),
             SortOrder.DISTANCE: lambda: last(p.distance_km), SortOrder.DEFAULT: lambda: (not p.is_primary,)}[order]()
    return (value, p.name.casefold())


def _approved(provider: Provider) -> bool:
    return provider.is_primary or not approval_refusals(provider)


def reference(providers: list[Provider], query: ProviderQuery) -> tuple[list[Match], list[tuple[str, tuple[Refusal, ...]]],
                                                                        list[Widening]]:
    """Return (matches in order, held back by name, widenings) the plain way."""
    if query.frit_valg and query.anonymous:
        return [], [], []
    fitting = [p for p in providers if _fits(p, query)]
    matches = [Match(p, _reasons(p, query), *price_for(p, query.offer_types)) for p in fitting if _approved(p)]
    matches.sort(key=lambda m: _key(m, query.sort))
    held = sorted((p for p in fitting if not _approved(p)), key=lambda p: p.name.casefold())
    widenings: list[Widening] = []
    if not matches:
        for dropped in query.active_filters():
            count = sum(1 for p in providers if _fits(p, query.without(dropped)) and _approved(p))
            if count:
                widenings.append(Widening(dropped, count))
        widenings.sort(key=lambda w: -w.count)
    return matches, [(p.id, approval_refusals(p)) for p in held], widenings


def random_query(rng: random.Random, providers: list[Provider]) -> ProviderQuery:
    groups: list[frozenset[TargetGroup]] = []
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        groups.append(YOUTH if rng.random() < 0.2 else frozenset(rng.sample(list(TargetGroup), rng.choice((1, 1, 2)))))
    low = rng.choice((None, None, None, 15, 18, 19, 25, 40))
    high = rng.choice((None, None, None, 17, 24, 29, 30, 70))
    if low is not None and high is not None and low > high:
        low, high = high, low
    named = tuple(rng.sample([p.id for p in providers], rng.randint(1, 3))) if rng.random() < 0.1 else ()
    return ProviderQuery(
        offer_types=frozenset(rng.sample(list(OfferType), rng.choice((0, 1, 1, 1, 2, 3)))),
        target_groups=tuple(groups), age_min=low, age_max=high,
        region=rng.choice((None, None, *Region)), sort=rng.choice(list(SortOrder)), provider_ids=named,
        frit_valg=rng.random() < 0.1)


def with_ties(providers: list[Provider], rng: random.Random) -> list[Provider]:
    """Give some providers the same name (differently cased) and drop some prices, to test tie-breaking."""
    tied = []
    for provider in providers:
        if rng.random() < 0.1:
            provider = replace(provider, name=rng.choice(("Fælles Navn", "FÆLLES NAVN", "fælles navn")))
        if rng.random() < 0.2:
            provider = replace(provider, prices_per_day={})
        tied.append(provider)
    return tied


@pytest.mark.parametrize("size, seed", [(40, 1), (400, 2), (2000, 3)])
def test_the_indexed_query_agrees_with_a_plain_filter(size: int, seed: int) -> None:
    rng = random.Random(seed)
    providers = with_ties(generate_catalogue(size, seed), rng)
    index = ProviderIndex(tuple(providers))
    for _ in range(150):
        query = random_query(rng, providers)
        matches, held, widenings = reference(providers, query)
        result = search(index, query)
        assert result.total == len(matches), query
        assert list(result.matches) == matches, query
        assert [(p.id, r) for p, r in result.held_back] == held, query
        assert list(result.widenings) == widenings, query
        for offset in (0, 1, 5, len(matches) - 1):
            count = rng.randint(1, 7)
            assert list(result.page(max(offset, 0), count)) == matches[max(offset, 0):max(offset, 0) + count], query


def test_pages_beyond_the_end_are_empty() -> None:
    index = ProviderIndex(tuple(generate_catalogue(50, 4)))
    result = search(index, ProviderQuery(offer_types=frozenset({OfferType.DOEGN})))
    assert result.total > 0
    assert result.page(result.total, 5) == () and result.page(0, 0) == ()
    assert len(result.page(result.total - 1, 5)) == 1


def test_widening_counts_match_the_wider_query() -> None:
    providers = generate_catalogue(300, 5)
    index = ProviderIndex(tuple(providers))
    query = ProviderQuery(offer_types=frozenset({OfferType.ANONYM_101A}), region=Region.SJAELLAND,
                          target_groups=(frozenset({TargetGroup.GRAVIDE}), frozenset({TargetGroup.OPIOID})),
                          age_min=70, age_max=70)
    result = search(index, query)
    assert result.total == 0 and result.widenings
    for widening in result.widenings:
        assert widening.count == search(index, query.without(widening.dropped)).total
    counts = [w.count for w in result.widenings]
    assert counts == sorted(counts, reverse=True)
