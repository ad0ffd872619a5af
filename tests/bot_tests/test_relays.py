"""The relays between processes: words for a chat this process does not know go over the bus, the process that
knows it delivers them, a process that starts to keep a chat makes the others let go, and a process ignores its
own notes."""

from __future__ import annotations

from typing import Any

from bot.relays import Relays, from_note, to_note
from dialogs import Button, Outgoing, Relayed, Response


class Bus:
    """Every process's Relays on one bus, each note reaching all of them (as NOTIFY does)."""

    def __init__(self) -> None:
        self.members: list[Relays] = []
        self.notes: list[dict[str, Any]] = []

    async def send(self, note: dict[str, Any]) -> None:
        self.notes.append(note)
        for member in self.members:
            await member.received(note)


def process(bus: Bus, known: dict[str, int], sent: list[tuple[int, str]]) -> Relays:
    """A process with a Telegram channel that knows the chats in `known`."""
    relays = Relays()

    async def reach(item: Relayed) -> bool:
        chat = known.get(item.conv or "")
        if chat is None:
            return False
        sent.extend((chat, m.text) for m in item.messages)
        return True

    relays.to_conversation["telegram"] = reach
    def let_go(conv: str) -> None:
        known.pop(conv, None)

    relays.let_go["telegram"] = let_go
    relays.bus = bus
    bus.members.append(relays)
    return relays


def words(text: str) -> Response:
    item = Relayed((Outgoing("utter_from_counsellor", text, (Button("Afslut", "/afslut"),)),), "da",
                   conv="conv-1", channel="telegram")
    return Response(messages=(), intent="x", confidence=1.0, lang="da", route="x", relayed=(item,))


async def test_words_reach_the_one_process_that_keeps_the_chat() -> None:
    bus, sent = Bus(), list[tuple[int, str]]()
    first, second, third = {"conv-1": 42}, dict[str, int](), {"conv-1": 42}
    a, b = process(bus, first, sent), process(bus, second, sent)
    process(bus, third, sent)
    await a.keeps("telegram", "conv-1")  # a answered the citizen last: c lets go
    assert "conv-1" not in third and first == {"conv-1": 42}
    await b.deliver(words("Hej, jeg er her"))  # the counsellor's words on b, which does not know the chat
    assert sent == [(42, "Hej, jeg er her")]  # once, from a
    await a.deliver(words("Hvordan går det?"))  # on a: sent at once, nothing on the bus
    assert sent[-1] == (42, "Hvordan går det?") and len(bus.notes) == 2


def test_a_note_carries_the_words_and_buttons() -> None:
    item = words("Skriv »afslut« når du vil stoppe").relayed[0]
    assert from_note(to_note(item)) == item
