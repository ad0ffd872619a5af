"""The handover queue's table: one row per citizen's chat waiting for, or talking with, a counsellor.

No message text, no name, no chat id: the conversation's keyed hash (as in conversation_state), the channel,
the language, the topic the assistant understood and the crisis signs its safety screen saw (both only while
the chat waits or talks: emptied when it ends), and who took it when. The row's id is the pseudonym the
counsellor sees ("Borger 7").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from reminders import RemindersBase

WAITING, TALKING, ENDED = "waiting", "talking", "ended"


class HandoverRecord(RemindersBase):
    """A citizen's chat in the queue (waiting), with a counsellor (talking), or over (ended)."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    conv: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(5))
    topic: Mapped[str | None] = mapped_column(String(64))  # a catalogue entry's id, or "first_contact"
    crisis: Mapped[str | None] = mapped_column(String(16))  # a safety category, or "concern" (migration 0010)
    state: Mapped[str] = mapped_column(String(16), index=True)
    queued_at: Mapped[datetime]
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("caseworkers.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    counsellor_seen_at: Mapped[datetime | None]  # when the counsellor last wrote, or took the chat (migration 0009)
    citizen_away_since: Mapped[datetime | None]  # the web chat's tab was closed, and not opened again (0010)

    __table_args__ = (
        CheckConstraint(f"state IN ('{WAITING}', '{TALKING}', '{ENDED}')", name="state"),
        # one open handover per conversation
        Index("uq_handovers_open_conv", "conv", unique=True, sqlite_where=text(f"state != '{ENDED}'"),
              postgresql_where=text(f"state != '{ENDED}'")),
    )
