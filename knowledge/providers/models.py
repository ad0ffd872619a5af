"""ORM models of the provider catalogue: one row per provider, and one row that says what was loaded.

Scalar fields of `Provider` are columns; its sets, lists and the price map are JSON columns (the
catalogue is always loaded whole and queried in memory, so no SQL ever filters on them; one row per
provider keeps a load to one SELECT). Enum values are stored as their string values and checked by
the importer, not by the database, so a new offer type needs no migration. The catalogue row is the
only row of `provider_catalogue` (id = 1): its presence means a catalogue was loaded once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from knowledge.storage_types import NAMING, UtcDateTime

# Column lengths; the importer refuses longer values with a message instead of a database error.
ID_LENGTH, NAME_LENGTH, MUNICIPALITY_LENGTH, ADDRESS_LENGTH, PHONE_LENGTH, PORTAL_LENGTH = 64, 200, 80, 300, 40, 40
SOURCE_LENGTH = 255


class Base(DeclarativeBase):
    """Declarative base of the provider catalogue tables."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime(), date: Date()}


class ProviderRow(Base):
    """One provider; `position` keeps the order of the imported file."""

    __tablename__ = "providers"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    ownership: Mapped[str] = mapped_column(String(40))
    offer_types: Mapped[list[str]] = mapped_column(JSON)
    region: Mapped[str] = mapped_column(String(20))
    municipality: Mapped[str] = mapped_column(String(MUNICIPALITY_LENGTH))
    address: Mapped[str] = mapped_column(String(ADDRESS_LENGTH))
    socialtilsyn_approved: Mapped[bool] = mapped_column(Boolean)
    tilbudsportalen_id: Mapped[str | None] = mapped_column(String(PORTAL_LENGTH))
    intake_phone: Mapped[str] = mapped_column(String(PHONE_LENGTH))
    contract_status: Mapped[str] = mapped_column(String(40))
    is_primary: Mapped[bool] = mapped_column(Boolean)
    doegn_profile: Mapped[str | None] = mapped_column(String(40))
    target_groups: Mapped[list[str]] = mapped_column(JSON)
    age_min: Mapped[int] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    methods: Mapped[list[str]] = mapped_column(JSON)
    medical_staff: Mapped[str] = mapped_column(String(40))
    dual_diagnosis: Mapped[bool] = mapped_column(Boolean)
    capacity_places: Mapped[int | None] = mapped_column(Integer)
    free_places: Mapped[int | None] = mapped_column(Integer)
    free_places_updated: Mapped[date | None]
    waiting_time_days: Mapped[int | None] = mapped_column(Integer)
    waiting_time_updated: Mapped[date | None]
    prices_per_day: Mapped[dict[str, int]] = mapped_column(JSON)
    board_and_lodging_per_day: Mapped[int | None] = mapped_column(Integer)
    payment_unplanned_end: Mapped[str | None] = mapped_column(Text)
    distance_km: Mapped[int | None] = mapped_column(Integer)


class CatalogueRow(Base):
    """What the catalogue is: the file it came from (name only), when, how many, and whether it is the sample."""

    __tablename__ = "provider_catalogue"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(SOURCE_LENGTH))
    imported_at: Mapped[datetime]
    is_sample: Mapped[bool] = mapped_column(Boolean)
    provider_count: Mapped[int] = mapped_column(Integer)
