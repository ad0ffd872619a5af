"""Shared helpers for provider desk tests: a catalogue source over fixed providers, and the team eval set."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

import yaml

from dialogs.providers.desk import CatalogueSnapshot, ProviderDesk
from dialogs.replies import render_message
from dialogs.turn import Outgoing
from knowledge.providers.record import Provider
from nlu.provider_language import ProviderRequest

EVAL = Path(__file__).resolve().parent.parent / "eval" / "team_questions.yml"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


class FixedCatalogue:
    """A catalogue source over a fixed list of providers; `replace` simulates an import."""

    def __init__(self, providers: Sequence[Provider], is_sample: bool = False) -> None:
        self.current = CatalogueSnapshot(tuple(providers), is_sample, "1")

    def replace(self, providers: Sequence[Provider], is_sample: bool = False) -> None:
        self.current = CatalogueSnapshot(tuple(providers), is_sample, str(int(self.current.version) + 1))

    async def snapshot(self) -> CatalogueSnapshot:
        return self.current


@dataclass(frozen=True)
class Asked:
    """A desk answer rendered as the engine renders it: one message, and what the desk said it is about."""

    message: Outgoing
    kind: str
    route: str

    @property
    def text(self) -> str:
        return self.message.text

    @property
    def messages(self) -> tuple[Outgoing, ...]:
        return (self.message,)

    @property
    def provider_ids(self) -> tuple[str, ...]:
        return self.message.about


async def ask(desk: ProviderDesk, text: str, lang: str = "da", *, now: datetime = NOW) -> Asked | None:
    """Ask the desk and render its answer in a language, or None when it is not a provider question."""
    answer = await desk.answer(text, now=now)
    return None if answer is None else Asked(render_message(answer.reply, lang), answer.kind, answer.route)


@dataclass
class Outcome:
    id: str
    text: str
    failed: list[str] = field(default_factory=list)


def load_eval() -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = yaml.safe_load(EVAL.read_text(encoding="utf-8"))["questions"]
    return questions


def check(item: dict[str, Any], request: ProviderRequest, answer: Asked | None) -> list[str]:
    """Return the expected fields the parse or the answer got wrong."""
    failed = []
    kind = request.kind.value
    if "kind" in item and item["kind"] != kind:
        failed.append(f"kind={kind}")
    if "offer_types" in item and set(item["offer_types"]) != set(request.offer_types):
        failed.append(f"offer_types={list(request.offer_types)}")
    if "target_groups" in item and {frozenset(g) for g in item["target_groups"]} != {frozenset(g) for g in request.target_groups}:
        failed.append(f"target_groups={list(request.target_groups)}")
    for key in ("region", "sort", "age_min", "age_max"):
        if key in item and item[key] != getattr(request, key):
            failed.append(f"{key}={getattr(request, key)}")
    ids = list(answer.provider_ids) if answer else []
    if "ids" in item and not set(item["ids"]) <= set(ids):
        failed.append(f"ids={ids}")
    if "first" in item and (not ids or ids[0] != item["first"]):
        failed.append(f"first={ids[:1]}")
    if item.get("no_match") and ids:
        failed.append(f"matched={ids[:3]}")
    if "held_back" in item:
        text = answer.text if answer else ""
        names = {"eks-slagelse-kognitiv": "Kognitiv Dag Slagelse"}
        if not all(names.get(i, i) in text for i in item["held_back"]):
            failed.append("held_back missing")
    return failed


async def score(desk: ProviderDesk) -> list[Outcome]:
    """Run every eval question through the desk; return one outcome each."""
    outcomes = []
    for item in load_eval():
        answer = await ask(desk, item["text"], item.get("lang", "da"))
        request = desk.parse(item["text"])
        outcomes.append(Outcome(item["id"], item["text"], check(item, request, answer)))
    return outcomes
