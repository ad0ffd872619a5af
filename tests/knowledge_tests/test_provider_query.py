"""Provider queries: filters, approval, frit valg rules, sorting, reasons and widening (pure)."""

from __future__ import annotations

from dataclasses import replace
from knowledge.providers.frit_valg import Refusal, verdict
from knowledge.providers.query import (Filter, ProviderIndex, ProviderQuery, ReasonKind, SortOrder, YOUTH, search)
from knowledge.providers.record import ContractStatus, OfferType, Ownership, Provider, Region, TargetGroup


def provider(pid: str, offers: set[OfferType], region: Region = Region.NORDJYLLAND, **kw: object) -> Provider:
    base = Provider(id=pid, name=pid.title(), ownership=Ownership.PRIVATE, offer_types=frozenset(offers), region=region,
                    municipality="X", address="Vej 1", socialtilsyn_approved=True, tilbudsportalen_id="TP-" + pid,
                    intake_phone="00 00 00 00", contract_status=ContractStatus.CASE_BY_CASE)
    return replace(base, **kw)  # type: ignore[arg-type]


D, DAG, ANON = OfferType.DOEGN, OfferType.DAGBEHANDLING, OfferType.ANONYM_101A
CATALOGUE = [
    provider("alfa", {D}, target_groups=frozenset({TargetGroup.GRAVIDE}), prices_per_day={D: 3000},
             waiting_time_days=30, distance_km=50),
    provider("beta", {D, DAG}, Region.SYDDANMARK, dual_diagnosis=True, prices_per_day={D: 2000, DAG: 900},
             waiting_time_days=5, distance_km=300),
    provider("gamma", {D}, socialtilsyn_approved=False, target_groups=frozenset({TargetGroup.GRAVIDE})),
    provider("delta", {DAG}, tilbudsportalen_id=None),
    provider("eps", {ANON, DAG}, is_primary=True, tilbudsportalen_id=None, age_min=18, age_max=None),
    provider("zeta", {D}, Region.HOVEDSTADEN, age_min=15, age_max=25, target_groups=frozenset({TargetGroup.UNGE_18_25})),
]
INDEX = ProviderIndex(tuple(CATALOGUE))


def ids(query: ProviderQuery) -> list[str]:
    return [m.provider.id for m in search(INDEX, query).matches]


def test_offer_type_and_group_filter_with_reasons() -> None:
    result = search(INDEX, ProviderQuery(offer_types=frozenset({D}), target_groups=(frozenset({TargetGroup.GRAVIDE}),)))
    assert [m.provider.id for m in result.matches] == ["alfa"]
    kinds = {r.kind for r in result.matches[0].reasons}
    assert {ReasonKind.OFFER_TYPE, ReasonKind.TARGET_GROUP} <= kinds


def test_unapproved_or_unlisted_providers_are_held_back_and_named() -> None:
    result = search(INDEX, ProviderQuery(offer_types=frozenset({D}), target_groups=(frozenset({TargetGroup.GRAVIDE}),)))
    assert [(p.id, refusals) for p, refusals in result.held_back] == [("gamma", (Refusal.NOT_APPROVED,))]
    dag = search(INDEX, ProviderQuery(offer_types=frozenset({DAG})))
    assert "delta" not in [m.provider.id for m in dag.matches]
    assert ("delta", (Refusal.NOT_LISTED,)) in [(p.id, r) for p, r in dag.held_back]


def test_the_primary_provider_is_shown_first_even_without_a_tilbudsportalen_entry() -> None:
    assert ids(ProviderQuery(offer_types=frozenset({DAG}))) == ["eps", "beta"]


def test_dual_diagnosis_flag_meets_the_dual_diagnosis_group() -> None:
    result = search(INDEX, ProviderQuery(target_groups=(frozenset({TargetGroup.DOBBELTDIAGNOSE}),)))
    assert [m.provider.id for m in result.matches] == ["beta"]
    assert result.matches[0].reasons[-1].kind is ReasonKind.DUAL_DIAGNOSIS


def test_sorting_by_price_waiting_and_distance_puts_unknowns_last() -> None:
    doegn = frozenset({D})
    assert ids(ProviderQuery(offer_types=doegn, sort=SortOrder.PRICE)) == ["beta", "alfa", "zeta"]
    assert ids(ProviderQuery(offer_types=doegn, sort=SortOrder.WAITING)) == ["beta", "alfa", "zeta"]
    assert ids(ProviderQuery(offer_types=doegn, sort=SortOrder.DISTANCE)) == ["alfa", "beta", "zeta"]


def test_price_is_the_price_of_the_asked_type() -> None:
    match = search(INDEX, ProviderQuery(offer_types=frozenset({DAG}), provider_ids=("beta",))).matches[0]
    assert (match.price, match.price_type) == (900, DAG)


def test_age_ranges_overlap() -> None:
    assert ids(ProviderQuery(offer_types=frozenset({D}), age_max=17)) == ["zeta"]
    assert "zeta" not in ids(ProviderQuery(offer_types=frozenset({D}), age_min=40, age_max=40))


def test_no_match_suggests_which_filter_to_drop() -> None:
    query = ProviderQuery(offer_types=frozenset({D}), target_groups=(frozenset({TargetGroup.GRAVIDE}),),
                          region=Region.SYDDANMARK)
    result = search(INDEX, query)
    assert result.matches == ()
    assert {w.dropped: w.count for w in result.widenings} == {Filter.REGION: 1, Filter.TARGET_GROUP: 1}


def test_youth_is_any_of_the_youth_groups() -> None:
    assert ids(ProviderQuery(target_groups=(YOUTH,))) == ["zeta"]


def test_frit_valg_never_for_anonymous_treatment() -> None:
    result = search(INDEX, ProviderQuery(offer_types=frozenset({ANON}), frit_valg=True))
    assert result.no_frit_valg and result.matches == ()
    assert verdict(CATALOGUE[4], ANON).refusals[0] is Refusal.ANONYMOUS


def test_frit_valg_never_crosses_dag_and_doegn() -> None:
    alfa = CATALOGUE[0]
    assert not verdict(alfa, DAG).allowed and Refusal.OTHER_TYPE in verdict(alfa, DAG).refusals
    assert verdict(alfa, D).allowed
    assert Refusal.NOT_APPROVED in verdict(CATALOGUE[2], D).refusals
    assert Refusal.NOT_LISTED in verdict(CATALOGUE[3], DAG).refusals


def test_index_handles_an_empty_catalogue() -> None:
    assert search(ProviderIndex(()), ProviderQuery(offer_types=frozenset({D}))).matches == ()
