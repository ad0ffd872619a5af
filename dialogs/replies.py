"""Renders replies into text in the conversation's language. Never talks to a channel."""

from __future__ import annotations

from dialogs.i18n import gettext_for
from dialogs.texts import TEXTS
from dialogs.turn import Button, Outgoing, Reply
from knowledge import Municipality
from knowledge.municipality import ROUTING_RULE


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

    def text(self, lang: str, key: str, params: dict[str, str] | None = None) -> str:
        """Render one message key."""
        return self._format(lang, key, self._values[lang] | (params or {}))

    def render(self, reply: Reply, lang: str) -> Outgoing:
        """Render a Reply into an Outgoing in the given language."""
        buttons = tuple(Button(self.text(lang, b.label, reply.params) if b.label in TEXTS else b.label, b.payload)
                        for b in reply.buttons)
        texts = [self.text(lang, reply.key, reply.params)]
        texts += [self.text(lang, part.key, part.params) for part in reply.parts]
        marker = "{" + ROUTING_RULE + "}"
        if any(marker in text for text in texts):
            rule = self.routing_rule(lang, reply.params.get("routing", ""))
            texts = [text.replace(marker, rule) for text in texts]
        sources = reply.sources + tuple(s for part in reply.parts for s in part.sources)
        return Outgoing(key=reply.key, text="\n\n".join(texts), buttons=buttons, sources=sources)

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
