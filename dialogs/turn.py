"""The channel-free values a turn is made of: what came in, what goes out, and the flow state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class Role(str, Enum):
    """Who is writing; features are enforced per role by the engine."""

    CITIZEN = "citizen"
    CASEWORKER = "caseworker"
    TEAM = "team"


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from a person, as a channel hands it over.

    Args:
        conv: the conversation key (already a pseudonym: a keyed hash of the chat id).
        text: what the person wrote, or a button payload such as `/inform{"age_band":"adult"}`.
        at: when it arrived (timezone-aware).
        role: who is writing. Defaults to a citizen.
        lang: a language the person chose explicitly (/sprog), overriding detection.
    """

    conv: str
    text: str
    at: datetime
    role: Role = Role.CITIZEN
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """A quick-reply button: its label and the payload sent back when pressed."""

    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What to say, as data: a message key and its parameters, rendered later per language."""

    key: str
    params: dict[str, str] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()
    sources: tuple[str, ...] = ()
    parts: tuple[Reply, ...] = ()  # rendered after this one, in the same message


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One rendered message for a channel to send."""

    key: str
    text: str
    buttons: tuple[Button, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Response:
    """Everything the engine answers to one Incoming."""

    messages: tuple[Outgoing, ...]
    intent: str
    confidence: float
    lang: str
    route: str
    safety: str = "none"  # the safety screen's tier: "alarm", "concern" or "none"

    @property
    def text(self) -> str:
        """Return all messages as one text, blank-line separated."""
        return "\n\n".join(m.text for m in self.messages)

    @property
    def sources(self) -> list[str]:
        """Return the source sections named by the messages, without repeats."""
        return list(dict.fromkeys(s for m in self.messages for s in m.sources))

    @property
    def keys(self) -> list[str]:
        return [m.key for m in self.messages]


@dataclass(slots=True)
class State:
    """What the engine remembers of a conversation: never text, only flow slots.

    Slots hold coarse values only: an age band (never the age), førtidspension yes/no, the flow step.
    """

    lang: str | None = None
    lang_chosen: bool = False
    flow: str | None = None
    step: str | None = None
    slots: dict[str, str | bool] = field(default_factory=dict)

    def clear_flow(self) -> None:
        self.flow = None
        self.step = None
