"""The stored catalogue: replace it whole, load it whole, tell what it is. Every function takes the session first.

The caller owns the session and its transaction (`async with sessions.begin()`), so a replacement
is all or nothing: the old providers are deleted and the new ones inserted in the same transaction,
and a failure leaves the old catalogue as it was. These functions flush and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.providers.importer import read_catalogue
from knowledge.providers.models import CatalogueRow, ProviderRow
from knowledge.providers.record import (ContractStatus, DoegnProfile, MedicalStaff, OfferType, Ownership, Provider,
                                        Region, TargetGroup)

SAMPLE_CATALOGUE = Path(__file__).parent / "sample_catalogue.yml"

_OFFER_ORDER = {offer: i for i, offer in enumerate(OfferType)}
_GROUP_ORDER = {group: i for i, group in enumerate(TargetGroup)}


@dataclass(frozen=True, slots=True)
class CatalogueInfo:
    """What the stored catalogue is: every answer built on a sample catalogue says so."""

    source: str
    imported_at: datetime
    is_sample: bool
    count: int


async def replace_catalogue(session: AsyncSession, providers: Sequence[Provider], source: str, *, is_sample: bool,
                            now: datetime) -> CatalogueInfo:
    """Replace every stored provider with these (ids must be unique: the importer checks that).

    `source` is a file name (never a path with directories: it is shown to caseworkers).
    """
    await session.execute(delete(ProviderRow))
    if providers:
        await session.execute(insert(ProviderRow), [_row(p, i) for i, p in enumerate(providers)])
    info = CatalogueInfo(source=source[-255:], imported_at=now, is_sample=is_sample, count=len(providers))
    row = await session.get(CatalogueRow, 1)
    if row is None:
        session.add(CatalogueRow(id=1, source=info.source, imported_at=now, is_sample=is_sample,
                                 provider_count=info.count))
    else:
        row.source, row.imported_at, row.is_sample, row.provider_count = info.source, now, is_sample, info.count
    await session.flush()
    return info


async def load_providers(session: AsyncSession) -> list[Provider]:
    """Return every stored provider in the order of the imported file."""
    rows = (await session.execute(select(ProviderRow).order_by(ProviderRow.position))).scalars()
    return [_provider(row) for row in rows]


async def catalogue_info(session: AsyncSession) -> CatalogueInfo | None:
    """Return what the stored catalogue is, or None when no catalogue was ever loaded."""
    row = await session.get(CatalogueRow, 1)
    if row is None:
        return None
    return CatalogueInfo(source=row.source, imported_at=row.imported_at, is_sample=row.is_sample,
                         count=row.provider_count)


async def load_sample_if_new(session: AsyncSession, now: datetime) -> CatalogueInfo | None:
    """Load the shipped sample catalogue when no catalogue was ever loaded; return it, or None when one was.

    Raises:
        CatalogueError: the sample file is broken (`stifinder check` catches that before a release).
    """
    if await session.get(CatalogueRow, 1) is not None:
        return None
    return await replace_catalogue(session, sample_providers(), SAMPLE_CATALOGUE.name, is_sample=True, now=now)


@cache
def sample_providers() -> tuple[Provider, ...]:
    """The providers of the shipped sample catalogue (read once per process)."""
    return tuple(read_catalogue(SAMPLE_CATALOGUE).providers)


def sorted_offers(offers: frozenset[OfferType] | set[OfferType]) -> list[OfferType]:
    """Offer types in the order of the OfferType enum (stable output for files and JSON)."""
    return sorted(offers, key=_OFFER_ORDER.__getitem__)


def sorted_groups(groups: frozenset[TargetGroup] | set[TargetGroup]) -> list[TargetGroup]:
    """Target groups in the order of the TargetGroup enum."""
    return sorted(groups, key=_GROUP_ORDER.__getitem__)


def provider_values(provider: Provider) -> dict[str, object]:
    """Every field of a provider as plain values: enums as their values, sets as sorted lists, dates as dates."""
    return {
        "id": provider.id, "name": provider.name, "ownership": provider.ownership.value,
        "offer_types": [o.value for o in sorted_offers(provider.offer_types)], "region": provider.region.value,
        "municipality": provider.municipality, "address": provider.address,
        "socialtilsyn_approved": provider.socialtilsyn_approved, "tilbudsportalen_id": provider.tilbudsportalen_id,
        "intake_phone": provider.intake_phone, "contract_status": provider.contract_status.value,
        "is_primary": provider.is_primary,
        "doegn_profile": provider.doegn_profile.value if provider.doegn_profile else None,
        "target_groups": [g.value for g in sorted_groups(provider.target_groups)],
        "age_min": provider.age_min, "age_max": provider.age_max, "methods": list(provider.methods),
        "medical_staff": provider.medical_staff.value, "dual_diagnosis": provider.dual_diagnosis,
        "capacity_places": provider.capacity_places, "free_places": provider.free_places,
        "free_places_updated": provider.free_places_updated, "waiting_time_days": provider.waiting_time_days,
        "waiting_time_updated": provider.waiting_time_updated,
        "prices_per_day": {o.value: provider.prices_per_day[o] for o in sorted_offers(set(provider.prices_per_day))},
        "board_and_lodging_per_day": provider.board_and_lodging_per_day,
        "payment_unplanned_end": provider.payment_unplanned_end, "distance_km": provider.distance_km,
    }


def _row(provider: Provider, position: int) -> dict[str, object]:
    """The column values of one provider."""
    return provider_values(provider) | {"position": position}


def _provider(row: ProviderRow) -> Provider:
    """The provider of one row."""
    return Provider(
        id=row.id, name=row.name, ownership=Ownership(row.ownership),
        offer_types=frozenset(OfferType(o) for o in row.offer_types), region=Region(row.region),
        municipality=row.municipality, address=row.address, socialtilsyn_approved=row.socialtilsyn_approved,
        tilbudsportalen_id=row.tilbudsportalen_id, intake_phone=row.intake_phone,
        contract_status=ContractStatus(row.contract_status), is_primary=row.is_primary,
        doegn_profile=DoegnProfile(row.doegn_profile) if row.doegn_profile else None,
        target_groups=frozenset(TargetGroup(g) for g in row.target_groups), age_min=row.age_min,
        age_max=row.age_max, methods=tuple(row.methods), medical_staff=MedicalStaff(row.medical_staff),
        dual_diagnosis=row.dual_diagnosis, capacity_places=row.capacity_places, free_places=row.free_places,
        free_places_updated=_day(row.free_places_updated), waiting_time_days=row.waiting_time_days,
        waiting_time_updated=_day(row.waiting_time_updated),
        prices_per_day={OfferType(o): int(price) for o, price in row.prices_per_day.items()},
        board_and_lodging_per_day=row.board_and_lodging_per_day, payment_unplanned_end=row.payment_unplanned_end,
        distance_km=row.distance_km,
    )


def _day(value: date | None) -> date | None:
    """A calendar day (some drivers return a datetime for a DATE column)."""
    return value.date() if isinstance(value, datetime) else value
