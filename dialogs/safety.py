"""Safety screening: emergencies, suicidal messages and violence, before any classifier.

Two layers, three tiers. The reviewed patterns of dialogs/content/safety.yml are matched on the raw
text first (with what it says is not so, "jeg er ikke selvmordstruet", or says in a figure of speech,
"det møde tog livet af mig", blanked out): when a category fires, its reply comes first, whatever the
NLU or an active flow says.
The learned net (nlu/safety_net.py) then catches what no pattern was written for, and can only add
an answer, never remove one: `alarm` (a category's crisis answer) when one category is likely,
`concern` (a short caring check naming Livslinien and 112) when a crisis is possible but unsure,
`none` otherwise. Its thresholds are reviewed content too, under `net:` in the same file.
Reviewed `hints` (words that may hide suicidal intent but are often innocent: "I won't be here by
then") raise the concern tier by themselves, whatever the net says, but never an alarm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import yaml

from knowledge import ContentError
from nlu import fold
from nlu.safety_net import CrisisScorer

# libyaml's safe loader when PyYAML has it (several times faster), else the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SAFETY_FILE = Path(__file__).parent / "content" / "safety.yml"


@dataclass(frozen=True, slots=True)
class Category:
    """One kind of danger with the reply it gets and the patterns that find it."""

    id: str
    reply: str
    always: tuple[re.Pattern[str], ...]
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    together: tuple[tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]], ...] = ()

    def fires(self, folded: str, not_now: bool = False) -> bool:
        """Whether the category fires; `not_now`: the message is a general question, a past event or
        fiction with no sign of danger now, which silences even the `always` patterns."""
        if not_now:
            return False
        if any(p.search(folded) for p in self.always):
            return True
        found = any(p.search(folded) for p in self.patterns) or any(
            any(p.search(folded) for p in first) and any(p.search(folded) for p in second)
            for first, second in self.together)
        return found and not any(p.search(folded) for p in self.unless)


class Tier(str, Enum):
    """How sure the screen is that a message is a crisis."""

    ALARM = "alarm"
    CONCERN = "concern"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class NetThresholds:
    """When the net's probabilities raise an alarm or a concern (chosen on a validation split)."""

    alarm: float
    concern: float


@dataclass(frozen=True, slots=True)
class Screening:
    """The screen's verdict on one message."""

    tier: Tier
    categories: tuple[Category, ...] = ()  # the alarm categories, in priority order
    by: str = ""  # "patterns", "hints" or "net"
    leaning: str = ""  # for a concern: what it is most likely about (suicide, emergency, violence, concern)

    @property
    def concern_reply(self) -> str:
        """The caring check for a concern, worded for what it most likely is; each names 112 and Livslinien."""
        return CONCERN_REPLIES.get(self.leaning, "utter_concern")

    @property
    def sign(self) -> str | None:
        """What the screen saw, in one word: the first alarm category, "concern", or None."""
        if self.categories:
            return self.categories[0].id
        return "concern" if self.tier is Tier.CONCERN else None


NO_CRISIS = Screening(Tier.NONE)
CONCERN_REPLIES = {"emergency": "utter_concern_emergency", "violence": "utter_concern_violence"}


class SafetyScreen:
    """The reviewed categories, in the order their replies are given, and the optional learned net."""

    def __init__(self, categories: list[Category], net: CrisisScorer | None = None,
                 thresholds: NetThresholds | None = None, not_now: tuple[re.Pattern[str], ...] = (),
                 now: tuple[re.Pattern[str], ...] = (), not_said: tuple[re.Pattern[str], ...] = (),
                 hints: tuple[re.Pattern[str], ...] = ()) -> None:
        if net is not None and thresholds is None:
            raise ContentError(SAFETY_FILE.name, "a learned net needs thresholds under 'net:'")
        self.categories = categories
        self.not_now = not_now
        self.now = now
        self.not_said = not_said
        self.hints = hints
        self.net = net
        self.thresholds = thresholds

    def matches(self, text: str) -> list[Category]:
        """Return every category the reviewed patterns fire for, in priority order (empty when none)."""
        return self._fired(*self._read(text))

    def hinted(self, text: str) -> bool:
        """Whether a reviewed hint matches (and the message is no general question, past event or fiction)."""
        return self._hinted(*self._read(text))

    def _fired(self, folded: str, quiet: bool) -> list[Category]:
        return [category for category in self.categories if category.fires(folded, quiet)]

    def _hinted(self, folded: str, quiet: bool) -> bool:
        return not quiet and any(p.search(folded) for p in self.hints)

    def _read(self, text: str) -> tuple[str, bool]:
        """The folded message with what it says is not so blanked out, and whether it is `not_now`."""
        folded = fold(" ".join(text.lower().split()))
        for pattern in self.not_said:
            folded = pattern.sub(" _ ", folded)
        quiet = any(p.search(folded) for p in self.not_now) and not any(p.search(folded) for p in self.now)
        return folded, quiet

    def screen(self, text: str, learned: bool = True) -> Screening:
        """Patterns first; when none fires (and `learned`), the net may raise an alarm; then a hint or the
        net may raise a concern."""
        read = self._read(text)  # folded once for the patterns and the hints
        fired = self._fired(*read)
        if fired:
            return Screening(Tier.ALARM, tuple(fired), "patterns")
        net_concern: Screening | None = None
        if learned and self.net is not None and self.thresholds is not None and text.strip():
            score = self.net.score(text)
            label, probability = score.top_alarm()
            if probability >= self.thresholds.alarm:
                category = next((c for c in self.categories if c.id == label), None)
                if category is not None:
                    return Screening(Tier.ALARM, (category,), "net")
            if score.crisis >= self.thresholds.concern:
                net_concern = Screening(Tier.CONCERN, (), "net", score.leaning())
        if self._hinted(*read):
            return Screening(Tier.CONCERN, (), "hints", "suicide")
        if net_concern is not None:
            return net_concern
        return Screening(Tier.NONE, (), "net") if learned and self.net is not None and text.strip() else NO_CRISIS


def load_thresholds(path: Path = SAFETY_FILE) -> NetThresholds:
    """Read the net's thresholds (`net: {alarm, concern}`, each between 0 and 1, concern ≤ alarm)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    raw = data.get("net") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        raise ContentError(path.name, "expected a 'net' mapping with 'alarm' and 'concern'")
    values = {}
    for name in ("alarm", "concern"):
        value = raw.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
            raise ContentError(path.name, f"'{name}' must be a number between 0 and 1", entry="net", field=name)
        values[name] = float(value)
    if values["concern"] > values["alarm"]:
        raise ContentError(path.name, "'concern' must not be above 'alarm'", entry="net")
    return NetThresholds(values["alarm"], values["concern"])


def load_safety(path: Path = SAFETY_FILE, net: CrisisScorer | None = None) -> SafetyScreen:
    """Load and compile the safety patterns (and the net's thresholds when a net is given); a bad
    pattern or threshold fails at start-up, naming it."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        raise ContentError(path.name, "expected a 'categories' list")
    categories = []
    for raw in data["categories"]:
        cid = raw.get("id")
        if not isinstance(cid, str) or not isinstance(raw.get("reply"), str):
            raise ContentError(path.name, "a category needs 'id' and 'reply'")

        def compile_all(field: str, patterns: list[str] | None = None) -> tuple[re.Pattern[str], ...]:
            compiled = []
            for index, pattern in enumerate(patterns if patterns is not None else raw.get(field) or []):
                try:
                    compiled.append(re.compile(fold(pattern), re.IGNORECASE))
                except re.error:
                    raise ContentError(path.name, f"invalid regex at position {index}", entry=cid, field=field) from None
            return tuple(compiled)

        together = []
        for pair in raw.get("together") or []:
            if not isinstance(pair, dict) or set(pair) != {"signs", "context"}:
                raise ContentError(path.name, "'together' items need 'signs' and 'context' lists", entry=cid)
            together.append((compile_all("together.signs", pair["signs"]), compile_all("together.context", pair["context"])))
        categories.append(Category(cid, raw["reply"], compile_all("always"), compile_all("patterns"),
                                   compile_all("unless"), tuple(together)))
    shared = []
    for field in ("not_now", "now", "not_said", "hints"):
        patterns = data.get(field) or []
        if not isinstance(patterns, list):
            raise ContentError(path.name, f"'{field}' must be a list of patterns")
        try:
            shared.append(tuple(re.compile(fold(pattern), re.IGNORECASE) for pattern in patterns))
        except re.error:
            raise ContentError(path.name, "invalid regex", field=field) from None
    return SafetyScreen(categories, net, load_thresholds(path) if net is not None else None,
                        shared[0], shared[1], shared[2], shared[3])
