"""The frit valg rules (SEL § 101 stk. 5 and 7, § 101 a) applied to one provider, as codes.

Pure: says whether a provider can be chosen under frit valg for a citizen visiteret to an offer
type, and why not. The wording (and the citations) belongs to dialogs. Rules, in the order of
shared/notes/standard-and-guidelines.md §4.2:

1. only an offer of the same type as the citizen is visiteret to (»af tilsvarende karakter«;
   never dag ↔ døgn, Ankestyrelsens principafgørelse 23-18);
2. only providers approved by Socialtilsynet and listed on Tilbudsportalen (kvalitetsstandarden,
   »Bevilling af indsatsen › Frit valg« and »Kvalitetskrav til leverandør«);
3. no frit valg for anonymous treatment (SEL § 101 a);
4. choosing another provider than the one the municipality picked lifts the 14-day guarantee
   (a consequence to state, not a filter).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from knowledge.providers.record import OfferType, Provider


class Refusal(StrEnum):
    """Why a provider cannot be chosen under frit valg."""

    OTHER_TYPE = "other_type"
    NOT_APPROVED = "not_approved"
    NOT_LISTED = "not_listed"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a provider is open to frit valg for one visiteret type, and the reasons if not."""

    provider_id: str
    refusals: tuple[Refusal, ...]

    @property
    def allowed(self) -> bool:
        return not self.refusals


def approval_refusals(provider: Provider) -> tuple[Refusal, ...]:
    """Return the approval rules the provider fails (Socialtilsynet, Tilbudsportalen)."""
    refusals = []
    if not provider.socialtilsyn_approved:
        refusals.append(Refusal.NOT_APPROVED)
    if not provider.on_tilbudsportalen:
        refusals.append(Refusal.NOT_LISTED)
    return tuple(refusals)


def verdict(provider: Provider, visiteret: OfferType) -> Verdict:
    """Apply the frit valg rules to one provider for a citizen visiteret to `visiteret`."""
    refusals: list[Refusal] = []
    if visiteret is OfferType.ANONYM_101A:
        refusals.append(Refusal.ANONYMOUS)
    if visiteret not in provider.offer_types:
        refusals.append(Refusal.OTHER_TYPE)
    refusals.extend(approval_refusals(provider))
    return Verdict(provider.id, tuple(refusals))
