"""The provider record: one approved (or not) treatment provider of the municipality's catalogue.

Plain frozen data, shared by the catalogue store (import, export, listing) and the team-chat
queries. Field meanings and sources: shared/notes/standard-and-guidelines.md §4.1. Internal fields
(prices, contract status, capacity) are for caseworkers only: citizens never see a provider record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class OfferType(StrEnum):
    """A type of treatment offer. Frit valg never crosses types (no switch between dag and døgn)."""

    AFGIFTNING = "afgiftning"
    AMBULANT_INDIVIDUEL = "ambulant_individuel"
    AMBULANT_GRUPPE = "ambulant_gruppe"
    DAGBEHANDLING = "dagbehandling"
    DOEGN = "doegn"
    ANONYM_101A = "anonym_101a"
    SUBSTITUTION = "substitution"
    OPFOELGENDE = "opfoelgende_behandling"
    FAMILIEBEHANDLING = "familiebehandling"
    RAADGIVNING = "raadgivning"


class TargetGroup(StrEnum):
    """A target group a provider has a particular offer for (002 §2.4.6, §2.6, §2.3.10-13)."""

    UNGE_U18 = "unge_u18"
    UNGE_18_25 = "unge_18_25"
    UNGE_U30 = "unge_u30"
    GRAVIDE = "gravide"
    KOMMENDE_FAEDRE = "kommende_faedre"
    FORAELDRE = "foraeldre_hjemmeboende_boern"
    DOBBELTDIAGNOSE = "dobbeltdiagnose"
    KOGNITIVE_VANSKELIGHEDER = "kognitive_vanskeligheder"
    FYSISKE_BEGRAENSNINGER = "fysiske_begraensninger"
    ANDEN_ETNISK_BAGGRUND = "anden_etnisk_baggrund"
    OPIOID = "opioid"
    CANNABIS = "cannabis"
    STOF_OG_ALKOHOL = "stof_og_alkohol"
    KRIMINALFORSORG = "kriminalforsorg"
    HJEMLOESE = "hjemloese"
    ARBEJDE_UDDANNELSE = "arbejde_uddannelse_anonym"


class Ownership(StrEnum):
    MUNICIPAL_OWN = "municipal_own"
    OTHER_MUNICIPALITY = "other_municipality"
    REGIONAL = "regional"
    PRIVATE = "private"
    SELF_OWNED = "self_owned_institution"


class ContractStatus(StrEnum):
    FRAMEWORK = "framework_agreement"
    PARTNERSHIP = "partnership"
    CASE_BY_CASE = "case_by_case"
    NONE = "none"


class DoegnProfile(StrEnum):
    STOFFRI = "stoffri"
    STABILISERENDE = "stabiliserende"
    SKADESREDUCERENDE = "skadesreducerende"
    OMSORG = "omsorg"
    SKAERMET = "skaermet_med_tilbageholdelse"


class MedicalStaff(StrEnum):
    DOCTOR_EMPLOYED = "doctor_employed"
    DOCTOR_CONSULTANT = "doctor_consultant"
    NONE = "none"


class Region(StrEnum):
    """The five Danish regions (the value is how a caseworker writes it)."""

    NORDJYLLAND = "Nordjylland"
    MIDTJYLLAND = "Midtjylland"
    SYDDANMARK = "Syddanmark"
    SJAELLAND = "Sjælland"
    HOVEDSTADEN = "Hovedstaden"


@dataclass(frozen=True, slots=True)
class Provider:
    """One provider of the catalogue.

    Dated values: `free_places` and `waiting_time_days` are only as good as the day they were last
    updated (`free_places_updated`, `waiting_time_updated`); answers show that day and flag it as
    possibly stale after a configured number of days. `prices_per_day` maps an offer type to DKK per
    day (døgn: per døgn). `distance_km` is from the municipality's own town hall (for sorting).
    """

    id: str
    name: str
    ownership: Ownership
    offer_types: frozenset[OfferType]
    region: Region
    municipality: str
    address: str
    socialtilsyn_approved: bool
    tilbudsportalen_id: str | None
    intake_phone: str
    contract_status: ContractStatus
    is_primary: bool = False
    doegn_profile: DoegnProfile | None = None
    target_groups: frozenset[TargetGroup] = frozenset()
    age_min: int = 18
    age_max: int | None = None
    methods: tuple[str, ...] = ()
    medical_staff: MedicalStaff = MedicalStaff.NONE
    dual_diagnosis: bool = False
    capacity_places: int | None = None
    free_places: int | None = None
    free_places_updated: date | None = None
    waiting_time_days: int | None = None
    waiting_time_updated: date | None = None
    prices_per_day: dict[OfferType, int] = field(default_factory=dict, hash=False)
    board_and_lodging_per_day: int | None = None
    payment_unplanned_end: str | None = None
    distance_km: int | None = None

    @property
    def on_tilbudsportalen(self) -> bool:
        """Listed on Tilbudsportalen (needed, with Socialtilsynet's approval, for frit valg)."""
        return bool(self.tilbudsportalen_id)

    def fits_age(self, age: int) -> bool:
        """Tell whether the provider takes a citizen of this age."""
        return age >= self.age_min and (self.age_max is None or age <= self.age_max)
