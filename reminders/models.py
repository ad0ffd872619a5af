"""ORM models of caseworkers, pseudonymous cases, case events, deadlines and reminders.

A case holds a pseudonymous reference only: no CPR number, no name, no health details, no free
text. Events hold a kind and a calendar day. Instants are stored in UTC and read back aware.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from sqlalchemy import (BigInteger, CheckConstraint, Date, Float, ForeignKey, Index, MetaData, String, UniqueConstraint,
                        text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from knowledge.storage_types import NAMING, UtcDateTime


class Base(DeclarativeBase):
    """Declarative base of the reminders tables."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime(), date: Date()}


intpk = Annotated[int, mapped_column(primary_key=True)]


class CaseworkerRecord(Base):
    """A caseworker who gets reminders; the Telegram user id is set when they register."""

    __tablename__ = "caseworkers"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(80))
    team: Mapped[str | None] = mapped_column(String(40))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime]
    # The language of their pings and digests: "da" (default) or "en" (migration 0003).
    language: Mapped[str] = mapped_column(String(8), default="da", server_default=text("'da'"))
    # A counsellor takes citizens' chats over in the opening hours, on duty from /vagt to /fri (migration 0008).
    counsellor: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    on_duty_since: Mapped[datetime | None]


class CaseRecord(Base):
    """A case under a pseudonymous reference (upper case, checked by references.check_reference)."""

    __tablename__ = "cases"

    id: Mapped[intpk]
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("caseworkers.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class CaseEventRecord(Base):
    """Something that happened in a case: a kind (reminders.kinds.EventKind) on a local calendar day."""

    __tablename__ = "case_events"
    __table_args__ = (Index(None, "case_id", "occurred_on"),)

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date]
    recorded_at: Mapped[datetime]
    # The one deadline the event was recorded for ("done" on its ping), by rule and starting event.
    target_rule_id: Mapped[str | None] = mapped_column(String(64))
    target_anchor_event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id", ondelete="SET NULL"))


class DeadlineRecord(Base):
    """A deadline as last computed: due day, its end in UTC, and whether an event met or cancelled it.

    `state` is open, met or cancelled; "overdue" is not stored because it depends on the day asked.
    """

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("case_id", "rule_id", "anchor_event_id"),
        CheckConstraint("state IN ('open', 'met', 'cancelled')", name="state"),
        Index(None, "state", "due_on"),
    )

    id: Mapped[intpk]
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(64))
    anchor_event_id: Mapped[int] = mapped_column(ForeignKey("case_events.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date]
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16))
    closed_by_event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id", ondelete="SET NULL"))
    closed_on: Mapped[date | None]
    received_on: Mapped[date | None]  # when the period counts from the citizen's receipt of a decision
    informational: Mapped[bool]
    updated_at: Mapped[datetime]


class DeliveryColumns:
    """What a message to send has, whatever it is (reminders.leases claims and settles rows by these)."""

    due_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    gave_up_at: Mapped[datetime | None]


class ReminderRecord(DeliveryColumns, Base):
    """One ping to send before or after a deadline; claimed with a lease, marked when sent.

    The dispatcher selects unsent rows whose due_at has come and whose lease is free, claims them
    (claimed_by, claimed_until; FOR UPDATE SKIP LOCKED on PostgreSQL), sends, and sets sent_at.
    A failed send frees the row with claimed_until pushed out by the backoff and attempts + 1;
    `gave_up_at` is set when the recipient can never be reached (blocked the bot, not registered).
    `message_id` is the Telegram message of the ping (its buttons are edited when pressed).
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("deadline_id", "slot"),
        # The due-reminders query reads only unsent rows, in due order: a partial index keeps it small.
        Index("ix_reminders_unsent_due_at", "due_at", postgresql_where=text("sent_at IS NULL"),
              sqlite_where=text("sent_at IS NULL")),
    )

    id: Mapped[intpk]
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id", ondelete="CASCADE"))
    slot: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    message_id: Mapped[int | None] = mapped_column(BigInteger)


class SendBudgetRecord(Base):
    """The send rate one bot token shares across every worker: the wall-clock second (epoch) from which the
    next message may go. Each send moves it on by 1/rate in one UPDATE, so all workers together stay
    within the rate (reminders.pacing)."""

    __tablename__ = "send_budget"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)


class DigestRecord(DeliveryColumns, Base):
    """The daily digest of one caseworker on one local day: claimed like a reminder, sent once."""

    __tablename__ = "reminder_digests"
    __table_args__ = (UniqueConstraint("caseworker_id", "day"),)

    id: Mapped[intpk]
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("caseworkers.id", ondelete="CASCADE"))
    day: Mapped[date]


class TeamDigestRecord(DeliveryColumns, Base):
    """A team chat's daily digest of its caseworkers' overdue deadlines (opt-in, /frister_team): claimed and
    sent like a caseworker's digest. It names case references and rules only, never a citizen."""

    __tablename__ = "team_digests"
    __table_args__ = (UniqueConstraint("team_chat_id", "day"),)

    id: Mapped[intpk]
    team_chat_id: Mapped[int] = mapped_column(ForeignKey("team_chats.id", ondelete="CASCADE"))
    day: Mapped[date]


class InviteRecord(Base):
    """A one-time invite code for a caseworker (stifinder caseworkers invite --name N).

    Only a SHA-256 of the code is stored; the code itself is printed once, in a t.me deep link.
    """

    __tablename__ = "caseworker_invites"

    id: Mapped[intpk]
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("caseworkers.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class TeamChatRecord(Base):
    """A Telegram group registered as a team's chat (stifinder teams add prints a one-time code).

    `telegram_chat_id` is set when a registered caseworker of the team sends the code in the group.
    """

    __tablename__ = "team_chats"

    id: Mapped[intpk]
    team: Mapped[str] = mapped_column(String(40))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    registered_at: Mapped[datetime | None]
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("caseworkers.id", ondelete="SET NULL"))
    # The team's daily digest of overdue deadlines in this chat (/frister_team turns it on and off).
    digest: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
