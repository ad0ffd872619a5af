"""ORM model of what a conversation remembers: language, flow step and coarse slots. Never text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the dialogs tables."""

    type_annotation_map = {datetime: DateTime(timezone=True)}


class ConversationRecord(Base):
    """One conversation's state, keyed by a keyed hash of the chat id; deleted when it expires."""

    __tablename__ = "conversation_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    lang: Mapped[str | None] = mapped_column(String(5))
    lang_chosen: Mapped[bool] = mapped_column(default=False)
    flow: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[str | None] = mapped_column(String(32))
    slots: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(index=True)
