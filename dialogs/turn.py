"""The channel-free values a turn is made of: what came in, what goes out, and the flow state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Protocol, Union


class Role(str, Enum):
    """Who is writing. The engine learns it from the sender through a Directory, never from the text."""

    CITIZEN = "citizen"
    CASEWORKER = "caseworker"
    TEAM = "team"  # a registered team chat
    GROUP = "group"  # a group chat that is not a team chat


@dataclass(frozen=True, slots=True)
class Sender:
    """Who wrote, as the channel knows them: handed to the Directory, never stored and never logged.

    Args:
        channel: "telegram", or a local tool: "terminal", "ask".
        account: the person's account id in the channel (a caseworker's registration key in Telegram);
            for a local tool, the caseworker's id in the registry (`stifinder chat --as ID`).
        chat: the chat's id (a group's id for team chats).
        group: written in a group rather than a private chat.
        addressed: in a group, the bot was mentioned, replied to or commanded.
        claimed: the role a local tool's operator asks for. Channels that face the public leave it
            CITIZEN, and a Directory trusts it only from a local tool.
        team: the team a local tool's operator speaks for (`stifinder chat --team NAME`).
        app_lang: the language of the person's app ("da" or "en"): a hint until a language is chosen.
    """

    channel: str
    account: int | None = None
    chat: int | None = None
    group: bool = False
    addressed: bool = False
    claimed: Role = Role.CITIZEN
    team: str | None = None
    app_lang: str | None = None


@dataclass(frozen=True, slots=True)
class Identity:
    """What the Directory says about a sender: the role, and for caseworkers who they are."""

    role: Role
    caseworker_id: int | None = None  # the registered caseworker writing (in a private or a team chat)
    lang: str | None = None  # the caseworker's chosen language
    team: str | None = None  # the team of a team chat


CITIZEN = Identity(Role.CITIZEN)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from a person, as a channel hands it over.

    Args:
        conv: the conversation key (already a pseudonym: a keyed hash of the chat id).
        text: what the person wrote, or a button payload such as `/inform{"age_band":"adult"}`.
        at: when it arrived (timezone-aware).
        lang: a language the person chose explicitly (/sprog), overriding detection.
        sender: who wrote, for the Directory; None for a citizen channel without accounts.
        button: the text is the payload of a pressed button.
    """

    conv: str
    text: str
    at: datetime
    lang: str | None = None
    sender: Sender | None = None
    button: bool = False


@dataclass(frozen=True, slots=True)
class Button:
    """A quick-reply button: its label and the payload sent back when pressed."""

    label: str
    payload: str


class Localized(Protocol):
    """A text that exists in each language (reminders.Text: a rule's title, an event kind's label)."""

    def get(self, lang: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Count:
    """A number of days or weeks, written out in the reply's language ("14 dage", "1 week")."""

    n: int
    unit: str = "days"  # "days", "weeks" or "months"


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of kroner, written as the reply's language writes numbers ("12.500", en "12,500")."""

    kroner: int


@dataclass(frozen=True, slots=True)
class ShortDate:
    """A date where space is short, as in a list of providers ("4. dec. 2026", en "4 Dec 2026")."""

    day: date


@dataclass(frozen=True, slots=True)
class Joined:
    """Several parameters written one after the other with a separator ("døgnbehandling, dagbehandling")."""

    items: tuple[Param, ...]
    separator: str = ", "


@dataclass(frozen=True, slots=True)
class Moment:
    """A moment soon, said as people say it: "i dag kl. 13.00", "i morgen kl. 9.00", "mandag kl. 9.00"
    (en "tomorrow at 09:00"), with the date when it is more than six days after `today`."""

    at: datetime  # in the time zone it is said in
    today: date


# What a reply's parameter may be: rendered in the reply's language (a date as "fredag den 4. december
# 2026", a Count as "9 dage", an Amount as "12.500", a nested Reply as its text).
Param = Union[str, int, date, Count, Amount, ShortDate, Joined, Moment, "Reply", Localized]


@dataclass(frozen=True, slots=True)
class Reply:
    """What to say, as data: a message key and its parameters, rendered later per language.

    Args:
        key: the message key in its domain's table.
        params: the values of its {placeholders}.
        buttons: quick replies under the message.
        sources: the source sections the message rests on.
        parts: rendered after this one, in the same message, each after its own `glue`.
        domain: the gettext domain whose table holds the key: "messages" (citizens), "caseworker",
            "reminders", "providers".
        glue: what stands before this reply when it is a part ("\n\n", "\n", " ", " · ").
        where: "message" (a message of its own), "note" (a line added under the pressed message,
            whose buttons go) or "alert" (a pop-up for the person who pressed).
        about: the ids of the catalogue entries the message names (the provider desk's providers).
    """

    key: str
    params: dict[str, Param] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()
    sources: tuple[str, ...] = ()
    parts: tuple[Reply, ...] = ()
    domain: str = "messages"
    glue: str = "\n\n"
    where: str = "message"
    about: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One rendered message for a channel to send."""

    key: str
    text: str
    buttons: tuple[Button, ...] = ()
    sources: tuple[str, ...] = ()
    about: tuple[str, ...] = ()  # ids of the catalogue entries it names (the provider desk's providers)


@dataclass(frozen=True, slots=True)
class Notice:
    """Replies for someone other than the sender, in their language: a counsellor (by caseworker id) or a
    citizen's conversation (by its key). Handed to the channels, never stored."""

    replies: tuple[Reply, ...]
    lang: str
    caseworker_id: int | None = None
    conv: str | None = None
    channel: str | None = None  # the channel of the conversation `conv` ("web", "telegram")


@dataclass(frozen=True, slots=True)
class Relayed:
    """Rendered messages for someone other than the sender (a Notice, rendered)."""

    messages: tuple[Outgoing, ...]
    lang: str = "da"
    caseworker_id: int | None = None
    conv: str | None = None
    channel: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(m.text for m in self.messages)


@dataclass(frozen=True, slots=True)
class Response:
    """Everything the engine answers to one Incoming."""

    messages: tuple[Outgoing, ...]
    intent: str
    confidence: float
    lang: str
    route: str
    safety: str = "none"  # the safety screen's tier: "alarm", "concern" or "none"
    note: str | None = None  # added under the pressed message, whose buttons go
    alert: str | None = None  # a pop-up for the person who pressed a button
    withdraw: bool = False  # the channel deletes the person's message (a CPR number in a team chat)
    relayed: tuple[Relayed, ...] = ()  # messages for others: a counsellor, a citizen in a handover

    @property
    def text(self) -> str:
        """Return all messages as one text, blank-line separated."""
        return "\n\n".join(m.text for m in self.messages)

    @property
    def sources(self) -> list[str]:
        """Return the source sections named by the messages, without repeats."""
        return list(dict.fromkeys(s for m in self.messages for s in m.sources))

    @property
    def about(self) -> list[str]:
        """Return the ids of the catalogue entries the messages name, without repeats."""
        return list(dict.fromkeys(a for m in self.messages for a in m.about))

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
