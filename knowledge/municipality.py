"""The municipality profile: offices, the routing rule and emergency contacts.

Plain data built by the config loader; knows nothing about where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROUTING_RULE = "routing_rule"


@dataclass(frozen=True, slots=True)
class Office:
    """A contact point with the section of the standard it comes from."""

    id: str
    name: str
    phone: str
    source: str


@dataclass(frozen=True, slots=True)
class Routing:
    """Who a citizen should contact, from age and førtidspension.

    "Er du fyldt 30 år eller tilkendt førtidspension" → adult office;
    "Er du under 30 år og ikke tilkendt førtidspension" → young office.
    """

    age_limit: int
    adult_office: str
    young_office: str
    general_office: str

    def office_for(self, *, adult: bool | None, pension: bool | None) -> str | None:
        """Return the office id for what is known, or None while it is still undecided.

        Args:
            adult: True when the person is at least ``age_limit`` years old, None if unknown.
            pension: True when the person has førtidspension, None if unknown.
        """
        if adult is True or pension is True:
            return self.adult_office
        if adult is False and pension is False:
            return self.young_office
        return None


@dataclass(frozen=True, slots=True)
class Emergency:
    """Numbers named before anything else when a message is an emergency."""

    emergency_phone: str
    suicide_line_name: str
    suicide_line_phone: str


@dataclass(frozen=True, slots=True)
class Municipality:
    """The municipality's name, offices, routing rule and emergency contacts."""

    name: str
    standard_title: str
    offices: dict[str, Office]
    routing: Routing
    emergency: Emergency
    extra: dict[str, str] = field(default_factory=dict)

    def office(self, office_id: str) -> Office:
        """Return the office with this id."""
        return self.offices[office_id]

    def placeholders(self) -> dict[str, str]:
        """Return the values content may use: ``{municipality}``, ``{<office>}``, ``{<office>_phone}``."""
        values = {"municipality": self.name}
        for office in self.offices.values():
            values[office.id] = office.name
            values[f"{office.id}_phone"] = office.phone
        values["emergency_phone"] = self.emergency.emergency_phone
        values["suicide_line"] = self.emergency.suicide_line_name
        values["suicide_line_phone"] = self.emergency.suicide_line_phone
        # Whom to contact depends on the person (age, førtidspension): the marker survives this stage
        # and dialogs replaces it with the whole rule, or with the one office that fits.
        values[ROUTING_RULE] = "{" + ROUTING_RULE + "}"
        return values
