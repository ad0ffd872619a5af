"""What a handler gets: the turn (text, parse, state, language, who wrote) and the frozen dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.safety import SafetyScreen
from dialogs.turn import CITIZEN, Identity, Incoming, Notice, Sender, State
from handover import OpeningHours
from knowledge import Municipality, Retriever, Standard
from nlu import Parse


class Directory(Protocol):
    """Tells the engine who wrote: a citizen, a registered caseworker, a team chat, another group.

    dialogs.caseworker.directory implements it over the caseworker registry.
    """

    async def identify(self, sender: Sender) -> Identity:
        """Return the sender's role (and, for caseworkers, who they are)."""
        ...

    def changed(self, sender: Sender) -> None:
        """Forget what is remembered about a sender (after a registration)."""
        ...


@dataclass(frozen=True, slots=True)
class Deps:
    """Read-only collaborators shared by every turn."""

    standard: Standard
    municipality: Municipality
    retriever: Retriever
    safety: SafetyScreen
    threshold: float = 0.45
    retrieval_min_score: float = 4.0
    ttl_minutes: int = 60
    default_lang: str = "da"
    max_chars: int = 2000
    opening_hours: OpeningHours | None = None  # when the municipality's counsellors are there (None: not set)
    # How many citizens may wait for a counsellor, and from which channels (those the process relays to);
    # 0: no queue, and asking for a person gives the numbers to call.
    queue_size: int = 0
    queue_channels: frozenset[str] = frozenset()
    counsellor_idle_minutes: int = 10  # a counsellor silent this long while the citizen writes hands the chat back


@dataclass(slots=True)
class Turn:
    """One turn as handlers see it."""

    incoming: Incoming
    text: str
    parse: Parse
    state: State
    lang: str
    deps: Deps
    forget: bool = False
    notes: list[str] = field(default_factory=list)
    # Set by a guided flow when the message was the answer to its own question (an age, ja/nej, "ved ikke").
    answered_prompt: bool = False
    identity: Identity = CITIZEN
    session: AsyncSession | None = None  # the turn's unit of work (caseworker handlers read and write in it)
    route: str = ""  # a handler's more precise name for what it did ("caseworker.proposal")
    withdraw: bool = False  # the channel deletes the person's message (a CPR number in a team chat)
    notices: list[Notice] = field(default_factory=list)  # replies for others (a counsellor, a citizen)

    @property
    def db(self) -> AsyncSession:
        """The turn's unit of work."""
        if self.session is None:
            raise RuntimeError("this turn has no database session")
        return self.session
