"""Renders provider query results into caseworker text (gettext domain "providers"). Never queries.

Compact lines per provider: name, offer type, region, waiting time with its date (flagged
»muligvis forældet« after `stale_after_days`), price per day for the asked type, and why it
matches. Prices and contract status are caseworker-only: nothing here is ever shown to a citizen.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Callable

from babel.dates import format_date
from babel.numbers import format_decimal

from dialogs.providers import texts as T
from dialogs.i18n import translations
from knowledge.providers.frit_valg import Refusal
from knowledge.providers.query import YOUTH, Filter, Match, ProviderQuery, Reason, ReasonKind, SortOrder, Widening
from knowledge.providers.record import OfferType, Provider, TargetGroup


class Words:
    """The provider domain's translations for one language, with number and date formats."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        catalog = translations(lang, T.DOMAIN)
        self._gettext: Callable[[str], str] = catalog.gettext
        self._ngettext: Callable[[str, str, int], str] = catalog.ngettext

    def __call__(self, key: str, **params: object) -> str:
        text = self._gettext(T.TEXTS[key])
        return text.format(**params) if params else text

    def plural(self, key: str, n: int, **params: object) -> str:
        """Return the sentence of `PLURALS[key]` in the form for the number n ("1 udbyder", "2 udbydere")."""
        singular, plural = T.PLURALS[key]
        return self._ngettext(singular, plural, n).format(**params)

    def message(self, msgid: str) -> str:
        return self._gettext(msgid)

    def label(self, table: dict[str, str], code: str) -> str:
        return self._gettext(table[code]) if code in table else code

    def offer(self, offer: OfferType) -> str:
        return self.label(T.OFFER_LABELS, offer.value)

    def group(self, group: TargetGroup) -> str:
        return self.label(T.GROUP_LABELS, group.value)

    def region(self, region: str) -> str:
        return self.label(T.REGION_LABELS, region)

    def money(self, amount: int) -> str:
        return _money(amount, self.lang)

    def day(self, value: date) -> str:
        return _day(value, self.lang)


@lru_cache(maxsize=4096)
def _money(amount: int, lang: str) -> str:
    """Format an amount of DKK (cached: Babel's formatting costs tens of microseconds a call)."""
    return format_decimal(amount, locale="da" if lang == "da" else "en_GB")


@lru_cache(maxsize=4096)
def _day(value: date, lang: str) -> str:
    """Format a date shortly ("4. dec. 2026"), cached like `_money`."""
    return format_date(value, "d. MMM y" if lang == "da" else "d MMM y", locale="da" if lang == "da" else "en_GB")


def describe_query(words: Words, query: ProviderQuery) -> str:
    """Return the "Søgning: ..." line naming every filter and the order."""
    parts = [words.offer(o) for o in sorted(query.offer_types)]
    for alternatives in query.target_groups:
        parts.append(words.message(T.YOUTH_LABEL) if alternatives == YOUTH else
                     " / ".join(words.group(g) for g in sorted(alternatives)))
    if query.has_age:
        parts.append(age_phrase(words, query.age_min, query.age_max))
    if query.region is not None:
        parts.append(words.region(query.region.value))
    if query.sort is not SortOrder.DEFAULT:
        parts.append(words(f"sorted_{query.sort.value}"))
    return words("query", filters=" · ".join(parts)) if parts else words("query_all")


def age_phrase(words: Words, low: int | None, high: int | None) -> str:
    if low is not None and low == high:
        return words("age_exact", age=low)
    if low is None:
        return words("age_under", age=high)
    if high is None:
        return words("age_over", age=low)
    return words("age_range", low=low, high=high)


def waiting_line(words: Words, provider: Provider, today: date, stale_after_days: int) -> str:
    """Return the waiting time with its date (and free places), flagged when possibly stale."""
    if provider.waiting_time_days is None or provider.waiting_time_updated is None:
        line = words("line_waiting_unknown")
    else:
        line = words.plural("line_waiting", provider.waiting_time_days, days=provider.waiting_time_days,
                            date=words.day(provider.waiting_time_updated))
        if (today - provider.waiting_time_updated).days > stale_after_days:
            line += f" – {words('line_stale')}"
    if provider.free_places is not None and provider.free_places_updated is not None:
        line += "; " + words("line_free", count=provider.free_places, date=words.day(provider.free_places_updated))
        if (today - provider.free_places_updated).days > stale_after_days:
            line += f" – {words('line_stale')}"
    return line


def reason_text(words: Words, reason: Reason) -> str:
    if reason.kind is ReasonKind.OFFER_TYPE:
        return words.offer(OfferType(reason.value))
    if reason.kind is ReasonKind.TARGET_GROUP:
        return words.group(TargetGroup(reason.value))
    if reason.kind is ReasonKind.REGION:
        return words("why_region", region=words.region(reason.value))
    if reason.kind is ReasonKind.AGE:
        low, _, high = reason.value.partition("-")
        return words("why_age", range=age_phrase(words, int(low), int(high) if high else None))
    return words({ReasonKind.PRIMARY: "why_primary", ReasonKind.NAMED: "why_named",
                  ReasonKind.DUAL_DIAGNOSIS: "why_dual"}[reason.kind])


def match_block(words: Words, number: int, match: Match, today: date, stale_after_days: int) -> str:
    """Return the lines of one listed provider."""
    provider = match.provider
    offers = ", ".join(words.offer(o) for o in sorted(provider.offer_types))
    lines = [f"{number}. {provider.name} – {offers}, {words.region(provider.region.value)} ({provider.municipality})",
             "   " + waiting_line(words, provider, today, stale_after_days)]
    if match.price is not None and match.price_type is not None:
        lines.append("   " + words("line_price", price=words.money(match.price), offer=words.offer(match.price_type)))
    else:
        lines.append("   " + words("line_price_unknown"))
    if match.reasons:
        lines.append("   " + words("line_why", reasons=", ".join(reason_text(words, r) for r in match.reasons)))
    return "\n".join(lines)


def widening_lines(words: Words, query: ProviderQuery, widenings: tuple[Widening, ...]) -> list[str]:
    """Return the suggestions for a query without matches: which filter to drop, and how many then match."""
    if not widenings:
        return [words("widen_nothing")]
    lines = []
    for widening in widenings:
        if widening.dropped is Filter.REGION and query.region is not None:
            lines.append(words("widen_region", region=words.region(query.region.value), count=widening.count))
        else:
            lines.append(words.plural("widen", widening.count, filter=words(f"filter_{widening.dropped.value}"),
                                      count=widening.count))
    return lines


def refusal_text(words: Words, refusal: Refusal, offer: OfferType) -> str:
    if refusal is Refusal.OTHER_TYPE:
        return words("refusal_other_type", offer=words.offer(offer))
    return words(f"refusal_{refusal.value}")


def card(words: Words, provider: Provider, today: date, stale_after_days: int, age: int | None) -> str:
    """Return everything a caseworker may need about one named provider, prices first."""
    lines = [words("card_title", name=provider.name, ownership=words.label(T.OWNERSHIP_LABELS, provider.ownership.value),
                   municipality=provider.municipality, region=words.region(provider.region.value)),
             words("card_offers", offers=", ".join(words.offer(o) for o in sorted(provider.offer_types)))]
    if provider.prices_per_day:
        items = [words("card_price_item", offer=words.offer(o), price=words.money(provider.prices_per_day[o]))
                 for o in sorted(provider.prices_per_day)]
        lines.append(words("card_prices", prices="; ".join(items)))
    else:
        lines.append(words("card_no_prices"))
    lines.append(words("card_board", price=words.money(provider.board_and_lodging_per_day))
                 if provider.board_and_lodging_per_day is not None else words("card_board_unknown"))
    lines.append(words("card_unplanned", terms=provider.payment_unplanned_end) if provider.payment_unplanned_end
                 else words("card_unplanned_unknown"))
    lines.append(waiting_line(words, provider, today, stale_after_days))
    groups = sorted(provider.target_groups)
    if groups:
        lines.append(words("card_groups", groups=", ".join(words.group(g) for g in groups)))
    lines.append(words("card_ages", range=age_phrase(words, provider.age_min, provider.age_max)))
    if age is not None:
        lines.append(words("card_age_fits", age=age, answer=words("yes" if provider.fits_age(age) else "no")))
    lines.append(words("card_approval", approved=words("yes" if provider.socialtilsyn_approved else "no"),
                       listed=provider.tilbudsportalen_id or words("no")))
    lines.append(words("card_contract", contract=words.label(T.CONTRACT_LABELS, provider.contract_status.value)))
    lines.append(words("card_phone", phone=provider.intake_phone))
    return "\n".join(lines)
