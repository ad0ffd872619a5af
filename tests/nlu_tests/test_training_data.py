from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from nlu import TrainingDataError, load_training_data
from nlu.normalize import clean
from nlu.training_data import parse_example

MIN_EXAMPLES = 25


def test_inline_annotations_are_stripped_and_kept_as_spans() -> None:
    text, spans = parse_example('kan min søn på [22](age) få [døgn]{"entity": "offer_type", "value": "doegnbehandling"}?')
    assert text == "kan min søn på 22 få døgn?"
    assert [(s.entity, s.value, text[s.start:s.end]) for s in spans] == [
        ("age", "22", "22"), ("offer_type", "doegnbehandling", "døgn")]


def test_unknown_keys_fail_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text('version: "3.1"\nnlu:\n- intnet: greet\n  examples: |\n    - hej\n')
    with pytest.raises(TrainingDataError, match="bad.yml"):
        load_training_data(tmp_path)


def test_example_lines_must_be_a_list(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    hej\n')
    with pytest.raises(TrainingDataError, match="starts with '- '"):
        load_training_data(tmp_path)


def test_shipped_data_has_enough_distinct_examples_per_intent(settings: Settings) -> None:
    data = load_training_data(settings.nlu_data_dir)
    counts: dict[str, int] = {}
    for example in data.examples:
        counts[example.intent] = counts.get(example.intent, 0) + 1
    thin = {intent: n for intent, n in counts.items() if n < MIN_EXAMPLES}
    assert not thin, f"intents with fewer than {MIN_EXAMPLES} examples: {thin}"
    seen: dict[str, str] = {}
    duplicates = []
    for example in data.examples:
        key = clean(example.text)
        if key in seen:
            duplicates.append((example.text, seen[key], example.intent))
        seen[key] = example.intent
    assert not duplicates, f"duplicate examples: {duplicates[:10]}"


def test_shipped_data_has_every_required_intent(settings: Settings) -> None:
    intents = set(load_training_data(settings.nlu_data_dir).intents)
    required = {"greet", "goodbye", "thanks", "affirm", "deny", "help", "bot_challenge", "privacy", "forget",
                "cancel", "need_help", "inform", "out_of_scope"}
    assert required <= intents


def test_evaluation_questions_are_not_training_examples(settings: Settings) -> None:
    """The held-out set measures generalisation only if none of its phrasings were trained on."""
    import yaml

    from nlu.rule_language import RULE_DATA_DIR
    from nlu.safety_net import SAFETY_DATA_DIR

    training = {clean(e.text) for e in load_training_data(settings.nlu_data_dir).examples}
    training |= {clean(e.text) for e in load_training_data(SAFETY_DATA_DIR).examples}
    training |= {clean(e.text) for e in load_training_data(RULE_DATA_DIR).examples}
    eval_dir = Path(__file__).resolve().parent.parent / "eval"
    def load(name: str) -> object:
        return yaml.safe_load((eval_dir / name).read_text(encoding="utf-8"))

    texts = [q["text"] for path in sorted(eval_dir.glob("citizen_*.yml"))
             for q in load(path.name)["questions"]]  # type: ignore[index]
    texts += list(load("out_of_scope.yml")["questions"])  # type: ignore[index]
    for path in sorted(eval_dir.glob("caseworker_*.yml")):
        texts += [item["text"] for item in load(path.name).get("items", [])]  # type: ignore[attr-defined]
    for name in sorted(path.name for path in eval_dir.glob("safety*.yml")):
        for messages in load(name).values():  # type: ignore[attr-defined]
            if isinstance(messages, list):
                texts += messages
    # A one-word message ("hej", "stop", "farvel") is a phrase, not a phrasing: it may be both.
    leaked = [text for text in texts if clean(text) in training and len(clean(text).split()) > 1]
    assert not leaked, f"evaluation questions found in the training data: {leaked}"


def test_training_files_are_read_with_libyaml_when_pyyaml_has_it() -> None:
    """The pure-Python loader took most of a cold start; the C loader builds the same data."""
    import yaml

    from nlu import training_data

    if yaml.__with_libyaml__:
        assert training_data._LOADER is yaml.CSafeLoader
    sample = "version: '3.1'\nnlu:\n- intent: greet\n  examples: |\n    - hej\n    - godmorgen\n"
    assert yaml.load(sample, Loader=training_data._LOADER) == yaml.safe_load(sample)
