"""Puts provider query results into caseworker replies (gettext domain "providers"). Never queries.

Compact lines per provider: name, offer type, region, waiting time with its date (flagged
»muligvis forældet« after `stale_after_days`), price per day for the asked type, and why it
matches. Prices and contract status are caseworker-only: nothing here is ever shown to a citizen.
Everything is a `Reply` of the domain, rendered in the caseworker's language by the one Renderer
(dialogs/replies.py); a catalogue code becomes its label ("offer:doegn" → »døgnbehandling«).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from dialogs.providers.texts import DOMAIN, PROVIDER_TEXTS
from dialogs.turn import Amount, Count, Joined, Param, Reply, ShortDate
from knowledge.providers.frit_valg import Refusal
from knowledge.providers.query import YOUTH, Filter, Match, ProviderQuery, Reason, ReasonKind, SortOrder, Widening
from knowledge.providers.record import OfferType, Provider, TargetGroup

INDENT = "\n   "  # a listed provider's further lines


def say(key: str, **params: Param) -> Reply:
    """A sentence of the provider desk."""
    return Reply(key, params, domain=DOMAIN)


def label(kind: str, code: str) -> Param:
    """A catalogue code's label ("offer", "doegn"), or the code itself when it has none."""
    key = f"{kind}:{code}"
    return say(key) if key in PROVIDER_TEXTS else code


def offer(value: OfferType) -> Param:
    return label("offer", value.value)


def group(value: TargetGroup) -> Param:
    return label("group", value.value)


def region(value: str) -> Param:
    return label("region", value)


def joined(items: Iterable[Param], separator: str = ", ") -> Joined:
    return Joined(tuple(items), separator)


def lines(first: Reply, *rest: Reply, glue: str = "\n") -> Reply:
    """One block: the first line with the others after it, each on its own line."""
    return replace(first, parts=first.parts + tuple(replace(line, glue=glue) for line in rest))


def message(blocks: Sequence[Reply]) -> Reply:
    """A whole answer: its blocks one after the other, separated by a blank line."""
    first, *rest = blocks
    return replace(first, parts=first.parts + tuple(replace(block, glue="\n\n") for block in rest))


def describe_query(query: ProviderQuery) -> Reply:
    """The "Søgning: ..." line naming every filter and the order."""
    parts: list[Param] = [offer(o) for o in sorted(query.offer_types)]
    for alternatives in query.target_groups:
        parts.append(say("youth") if alternatives == YOUTH else joined((group(g) for g in sorted(alternatives)), " / "))
    if query.has_age:
        parts.append(age_phrase(query.age_min, query.age_max))
    if query.region is not None:
        parts.append(region(query.region.value))
    if query.sort is not SortOrder.DEFAULT:
        parts.append(say(f"sorted_{query.sort.value}"))
    return say("query", filters=joined(parts, " · ")) if parts else say("query_all")


def age_phrase(low: int | None, high: int | None) -> Reply:
    if low is not None and low == high:
        return say("age_exact", age=low)
    if low is None:
        return say("age_under", age=high if high is not None else 0)
    if high is None:
        return say("age_over", age=low)
    return say("age_range", low=low, high=high)


def waiting_lines(provider: Provider, today: date, stale_after_days: int) -> Reply:
    """The waiting time with its date (and free places), flagged when possibly stale."""
    if provider.waiting_time_days is None or provider.waiting_time_updated is None:
        line = say("line_waiting_unknown")
    else:
        line = say("line_waiting", days=Count(provider.waiting_time_days),
                   date=ShortDate(provider.waiting_time_updated))
        if (today - provider.waiting_time_updated).days > stale_after_days:
            line = lines(line, say("line_stale"), glue=" – ")
    if provider.free_places is not None and provider.free_places_updated is not None:
        line = lines(line, say("line_free", count=provider.free_places, date=ShortDate(provider.free_places_updated)),
                     glue="; ")
        if (today - provider.free_places_updated).days > stale_after_days:
            line = lines(line, say("line_stale"), glue=" – ")
    return line


def reason_text(reason: Reason) -> Param:
    if reason.kind is ReasonKind.OFFER_TYPE:
        return offer(OfferType(reason.value))
    if reason.kind is ReasonKind.TARGET_GROUP:
        return group(TargetGroup(reason.value))
    if reason.kind is ReasonKind.REGION:
        return say("why_region", region=region(reason.value))
    if reason.kind is ReasonKind.AGE:
        low, _, high = reason.value.partition("-")
        return say("why_age", range=age_phrase(int(low), int(high) if high else None))
    return say({ReasonKind.PRIMARY: "why_primary", ReasonKind.NAMED: "why_named",
                ReasonKind.DUAL_DIAGNOSIS: "why_dual"}[reason.kind])


def match_block(number: int, match: Match, today: date, stale_after_days: int) -> Reply:
    """The lines of one listed provider."""
    provider = match.provider
    found = [say("line_provider", number=number, name=provider.name,
                 offers=joined(offer(o) for o in sorted(provider.offer_types)),
                 region=region(provider.region.value), municipality=provider.municipality),
             waiting_lines(provider, today, stale_after_days)]
    if match.price is not None and match.price_type is not None:
        found.append(say("line_price", price=Amount(match.price), offer=offer(match.price_type)))
    else:
        found.append(say("line_price_unknown"))
    if match.reasons:
        found.append(say("line_why", reasons=joined(reason_text(r) for r in match.reasons)))
    return lines(*found, glue=INDENT)


def widening_lines(query: ProviderQuery, widenings: tuple[Widening, ...]) -> list[Reply]:
    """The suggestions for a query without matches: which filter to drop, and how many then match."""
    if not widenings:
        return [say("widen_nothing")]
    found = []
    for widening in widenings:
        if widening.dropped is Filter.REGION and query.region is not None:
            found.append(say("widen_region", region=region(query.region.value), count=widening.count))
        else:
            found.append(say("widen", filter=say(f"filter_{widening.dropped.value}"), count=widening.count))
    return found


def refusal_text(refusal: Refusal, offered: OfferType) -> Reply:
    if refusal is Refusal.OTHER_TYPE:
        return say("refusal_other_type", offer=offer(offered))
    return say(f"refusal_{refusal.value}")


def card(provider: Provider, today: date, stale_after_days: int, age: int | None) -> Reply:
    """Everything a caseworker may need about one named provider, prices first."""
    found = [say("card_title", name=provider.name, ownership=label("ownership", provider.ownership.value),
                 municipality=provider.municipality, region=region(provider.region.value)),
             say("card_offers", offers=joined(offer(o) for o in sorted(provider.offer_types)))]
    if provider.prices_per_day:
        items = [say("card_price_item", offer=offer(o), price=Amount(provider.prices_per_day[o]))
                 for o in sorted(provider.prices_per_day)]
        found.append(say("card_prices", prices=joined(items, "; ")))
    else:
        found.append(say("card_no_prices"))
    found.append(say("card_board", price=Amount(provider.board_and_lodging_per_day))
                 if provider.board_and_lodging_per_day is not None else say("card_board_unknown"))
    found.append(say("card_unplanned", terms=provider.payment_unplanned_end) if provider.payment_unplanned_end
                 else say("card_unplanned_unknown"))
    found.append(waiting_lines(provider, today, stale_after_days))
    groups = sorted(provider.target_groups)
    if groups:
        found.append(say("card_groups", groups=joined(group(g) for g in groups)))
    found.append(say("card_ages", range=age_phrase(provider.age_min, provider.age_max)))
    if age is not None:
        found.append(say("card_age_fits", age=age, answer=say("yes" if provider.fits_age(age) else "no")))
    found.append(say("card_approval", approved=say("yes" if provider.socialtilsyn_approved else "no"),
                     listed=provider.tilbudsportalen_id or say("no")))
    found.append(say("card_contract", contract=label("contract", provider.contract_status.value)))
    found.append(say("card_phone", phone=provider.intake_phone))
    return lines(*found)
