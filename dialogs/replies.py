"""Renders replies into text in the conversation's language: the one rendering path of every role.

Each gettext domain has its table of message keys (citizens: "messages"; caseworkers: "caseworker";
reminder buttons: "reminders"; the provider desk: "providers"). A key may name a pair of message ids
(singular, plural), chosen by the reply's integer parameter "count". A reply's parameters are rendered
in the reply's language too: a date as Danes write it, a Count as "9 dage", an Amount as "12.500", a
nested Reply as its text. Never talks to a channel.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

from dialogs.caseworker.pings import DOMAIN as REMINDERS_DOMAIN, PINGS
from dialogs.caseworker.texts import CASEWORKER_TEXTS, DOMAIN as CASEWORKER_DOMAIN
from dialogs.i18n import DOMAIN as CITIZEN_DOMAIN, days, gettext_for, long_date, moment, months, ngettext_for, weeks
from dialogs.providers.texts import DOMAIN as PROVIDERS_DOMAIN, PROVIDER_TEXTS
from dialogs.texts import TEXTS
from dialogs.turn import Amount, Button, Count, Joined, Moment, Outgoing, Param, Reply, ShortDate
from knowledge import Municipality
from knowledge.municipality import ROUTING_RULE

DECIDED = "decided"  # a citizen reply's param: the office the person's age decides, narrowing {routing}
NAMED_OFFICE = "named:"  # before an office id in DECIDED: the office the person asked for by name

# Message keys → Danish msgids (or a singular and plural pair), per gettext domain.
TABLES: dict[str, Mapping[str, str | tuple[str, str]]] = {
    CITIZEN_DOMAIN: TEXTS, CASEWORKER_DOMAIN: CASEWORKER_TEXTS, REMINDERS_DOMAIN: PINGS,
    PROVIDERS_DOMAIN: PROVIDER_TEXTS,
}


def render_param(value: Param, lang: str) -> str:
    """Render one parameter in a language."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("a reply parameter cannot be a bool")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return long_date(value, lang)
    if isinstance(value, Count):
        return {"weeks": weeks, "months": months}.get(value.unit, days)(value.n, lang)
    if isinstance(value, Amount):
        return _amount(value.kroner, lang)
    if isinstance(value, ShortDate):
        return _short_date(value.day, lang)
    if isinstance(value, Moment):
        return moment(value.at, value.today, lang)
    if isinstance(value, Joined):
        return value.separator.join(render_param(item, lang) for item in value.items)
    if isinstance(value, Reply):
        return render_text(value, lang)
    return value.get(lang)


@lru_cache(maxsize=4096)
def _amount(kroner: int, lang: str) -> str:
    """Format kroner (cached: Babel's formatting costs tens of microseconds a call)."""
    return format_decimal(kroner, locale="da" if lang == "da" else "en_GB")


@lru_cache(maxsize=4096)
def _short_date(day: date, lang: str) -> str:
    return format_date(day, "d. MMM y" if lang == "da" else "d MMM y", locale="da" if lang == "da" else "en_GB")


def template(reply: Reply, lang: str, key: str | None = None) -> str:
    """The translated template of a reply's key (or of another key of its domain, e.g. a button's)."""
    message = TABLES[reply.domain][reply.key if key is None else key]
    if isinstance(message, tuple):
        count = reply.params.get("count")
        if not isinstance(count, int) or isinstance(count, bool):
            raise TypeError(f"{reply.domain}:{reply.key} needs an integer parameter 'count'")
        return ngettext_for(lang, message[0], message[1], count, reply.domain)
    return gettext_for(lang, message, reply.domain)


def render_text(reply: Reply, lang: str) -> str:
    """Render a reply of a domain without placeholders of the municipality (caseworkers, reminders, providers)."""
    params = {name: render_param(value, lang) for name, value in reply.params.items()}
    text = template(reply, lang)
    text = text.format_map(params) if params else text
    return text + "".join(part.glue + render_text(part, lang) for part in reply.parts)


def render_message(reply: Reply, lang: str) -> Outgoing:
    """Render a reply of a domain without placeholders of the municipality into a message: its text, its
    buttons (a label that is a key of the domain is filled with the reply's parameters) and its sources."""
    table = TABLES[reply.domain]
    params = {name: render_param(value, lang) for name, value in reply.params.items()}
    labels = tuple(Button(template(reply, lang, b.label).format_map(params) if b.label in table else b.label,
                          b.payload) for b in reply.buttons)
    sources = reply.sources + tuple(s for part in reply.parts for s in part.sources)
    return Outgoing(key=reply.key, text=render_text(reply, lang), buttons=labels, sources=sources, about=reply.about)


class Renderer:
    """Fills message templates with the municipality's values and a reply's parameters."""

    def __init__(self, municipality: Municipality, ttl_minutes: int, standard_title: str) -> None:
        routing = municipality.routing
        adult = municipality.office(routing.adult_office)
        young = municipality.office(routing.young_office)
        general = municipality.citizen_office(routing.general_office)  # never an unverified number
        self._offices = municipality.offices
        fixed = {
            "age_limit": str(routing.age_limit), "young_max": str(routing.age_limit - 1),
            "adult": adult.name, "adult_phone": adult.phone, "young": young.name, "young_phone": young.phone,
            "general": general.name, "general_phone": general.phone, "ttl": str(ttl_minutes),
            "standard": standard_title, "limit": "",
        }
        self._values = {}
        for lang in ("da", "en"):
            base = municipality.placeholders(lang) | fixed
            self._values[lang] = base | {"routing": self._format(lang, "utter_routing_rule", base)}

    def values(self, lang: str) -> dict[str, str]:
        """Return the placeholder values for a language."""
        return self._values[lang]

    def text(self, lang: str, key: str, params: dict[str, Param] | None = None) -> str:
        """Render one citizen message key. A `decided` param (an office id, or "young") narrows {routing},
        whom to call, to what the person's age decides."""
        rendered = {name: render_param(value, lang) for name, value in (params or {}).items()}
        decided = rendered.pop(DECIDED, "")
        if decided:
            rendered["routing"] = self.routing_rule(lang, decided)
        return self._format(lang, key, self._values[lang] | rendered)

    def render(self, reply: Reply, lang: str) -> Outgoing:
        """Render a Reply of any domain into an Outgoing in the given language."""
        if reply.domain != CITIZEN_DOMAIN:
            return render_message(reply, lang)
        buttons = tuple(Button(self.text(lang, b.label, reply.params) if b.label in TEXTS else b.label, b.payload)
                        for b in reply.buttons)
        text = self._citizen_text(reply, lang)
        marker = "{" + ROUTING_RULE + "}"
        if marker in text:
            decided = reply.params.get("routing", "")
            text = text.replace(marker, self.routing_rule(lang, decided if isinstance(decided, str) else ""))
        sources = reply.sources + tuple(s for part in reply.parts for s in part.sources)
        return Outgoing(key=reply.key, text=text, buttons=buttons, sources=sources)

    def _citizen_text(self, reply: Reply, lang: str) -> str:
        text = self.text(lang, reply.key, reply.params)
        return text + "".join(part.glue + self._citizen_text(part, lang) for part in reply.parts)

    def routing_rule(self, lang: str, decided: str) -> str:
        """Render whom to contact: one office when `decided` names it, "young" when only that is likely,
        else the whole rule."""
        if decided == "young":
            return self.text(lang, "routing_rule_young")
        if decided.startswith(NAMED_OFFICE) and decided.removeprefix(NAMED_OFFICE) in self._offices:
            office = self._offices[decided.removeprefix(NAMED_OFFICE)]
            return self.text(lang, "routing_rule_named", {"office": office.name, "office_phone": office.phone})
        if decided in self._offices:
            office = self._offices[decided]
            return self.text(lang, "routing_rule_decided", {"office": office.name, "office_phone": office.phone})
        return self.text(lang, "routing_rule_inline")

    @staticmethod
    def _format(lang: str, key: str, values: dict[str, str]) -> str:
        return gettext_for(lang, TEXTS[key]).format_map(values)
