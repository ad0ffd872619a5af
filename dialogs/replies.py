"""Renders replies into text in the conversation's language: the one rendering path of every role.

Each gettext domain has its table of message keys (citizens: "messages"; caseworkers: "caseworker";
reminder buttons: "reminders"). A reply's parameters are rendered in the reply's language too: a
date as Danes write it, a Count as "9 dage", a nested Reply as its text. Never talks to a channel.
"""

from __future__ import annotations

from datetime import date

from dialogs.caseworker.pings import DOMAIN as REMINDERS_DOMAIN, PINGS
from dialogs.caseworker.texts import CASEWORKER_TEXTS, DOMAIN as CASEWORKER_DOMAIN
from dialogs.i18n import DOMAIN as CITIZEN_DOMAIN, days, gettext_for, long_date, months, weeks
from dialogs.texts import TEXTS
from dialogs.turn import Button, Count, Outgoing, Param, Reply
from knowledge import Municipality
from knowledge.municipality import ROUTING_RULE

# Message keys → Danish msgids, per gettext domain.
TABLES: dict[str, dict[str, str]] = {
    CITIZEN_DOMAIN: TEXTS, CASEWORKER_DOMAIN: CASEWORKER_TEXTS, REMINDERS_DOMAIN: PINGS,
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
    if isinstance(value, Reply):
        return render_text(value, lang)
    return value.get(lang)


def render_text(reply: Reply, lang: str) -> str:
    """Render a reply of a domain without placeholders of the municipality (caseworkers, reminders)."""
    params = {name: render_param(value, lang) for name, value in reply.params.items()}
    text = gettext_for(lang, TABLES[reply.domain][reply.key], reply.domain)
    text = text.format_map(params) if params else text
    return text + "".join(part.glue + render_text(part, lang) for part in reply.parts)


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
        """Render one citizen message key."""
        rendered = {name: render_param(value, lang) for name, value in (params or {}).items()}
        return self._format(lang, key, self._values[lang] | rendered)

    def render(self, reply: Reply, lang: str) -> Outgoing:
        """Render a Reply of any domain into an Outgoing in the given language."""
        if reply.domain != CITIZEN_DOMAIN:
            table = TABLES[reply.domain]
            labels = tuple(Button(gettext_for(lang, table[b.label], reply.domain) if b.label in table else b.label,
                                  b.payload) for b in reply.buttons)
            return Outgoing(key=reply.key, text=render_text(reply, lang), buttons=labels, sources=reply.sources)
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
        if decided in self._offices:
            office = self._offices[decided]
            return self.text(lang, "routing_rule_decided", {"office": office.name, "office_phone": office.phone})
        return self.text(lang, "routing_rule_inline")

    @staticmethod
    def _format(lang: str, key: str, values: dict[str, str]) -> str:
        return gettext_for(lang, TEXTS[key]).format_map(values)
