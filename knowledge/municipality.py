"""The municipality profile: offices, the routing rule and emergency contacts.

Plain data built by the config loader; knows nothing about where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

ROUTING_RULE = "routing_rule"
# The national guidelines (Socialstyrelsen, 2.8, anvisning 2.7.1): a kvalitetsstandard is revised
# "efter behov, dog mindst hvert andet år".
REVISION_YEARS = 2
_DATE_FORMATS = {"da": ("d. MMMM y", "da"), "en": ("d MMMM y", "en_GB")}


@dataclass(frozen=True, slots=True)
class Office:
    """A contact point with the section of the standard it comes from.

    An office that is not `verified` (its number is not in the source it names) is never given to citizens.
    """

    id: str
    name: str
    phone: str
    source: str
    verified: bool = True


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
    """The municipality's name, offices, routing rule, emergency contacts and the standard's approval."""

    name: str
    standard_title: str
    offices: dict[str, Office]
    routing: Routing
    emergency: Emergency
    standard_approved: date
    extra: dict[str, str] = field(default_factory=dict)

    def office(self, office_id: str) -> Office:
        """Return the office with this id."""
        return self.offices[office_id]

    def citizen_office(self, office_id: str) -> Office:
        """Return the office citizens are given for this one: itself when verified, else the adult office."""
        office = self.offices[office_id]
        return office if office.verified else self.offices[self.routing.adult_office]

    def unverified_offices(self) -> list[Office]:
        """Return the offices whose number is not in the source they name."""
        return [office for office in self.offices.values() if not office.verified]

    def standard_revision_due(self) -> date:
        """Return the day by which the kvalitetsstandard should have been revised (two years after approval)."""
        due: date = self.standard_approved + relativedelta(years=REVISION_YEARS)
        return due

    def placeholders(self, lang: str = "da") -> dict[str, str]:
        """Return the values content may use: ``{municipality}``, ``{<office>}``, ``{<office>_phone}``,
        ``{standard_approved}`` (written out in `lang`), the emergency numbers and the routing marker.

        An unverified office's placeholders hold the office citizens are given instead.
        """
        pattern, locale = _DATE_FORMATS[lang]
        values = {"municipality": self.name, "standard_approved": str(format_date(self.standard_approved, pattern,
                                                                                   locale=locale))}
        for office_id in self.offices:
            office = self.citizen_office(office_id)
            values[office_id] = office.name
            values[f"{office_id}_phone"] = office.phone
        values["emergency_phone"] = self.emergency.emergency_phone
        values["suicide_line"] = self.emergency.suicide_line_name
        values["suicide_line_phone"] = self.emergency.suicide_line_phone
        # Whom to contact depends on the person (age, førtidspension): the marker survives this stage
        # and dialogs replaces it with the whole rule, or with the one office that fits.
        values[ROUTING_RULE] = "{" + ROUTING_RULE + "}"
        return values
