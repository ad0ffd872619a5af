"""What a handler gets: the turn (text, parse, state, language) and the frozen dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field

from dialogs.safety import SafetyScreen
from dialogs.turn import Incoming, State
from knowledge import Municipality, Retriever, Standard
from nlu import Parse


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
