"""The learned safety net: its training data, its cache, and its thresholds on a validation split."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from bot.config import Settings
from dialogs.safety import load_thresholds
from nlu import TrainingDataError, load_training_data
from nlu.safety_calibration import out_of_fold, outcome
from nlu.safety_net import (ALARM_LABELS, CITIZEN_WEIGHT, CONCERN, LABELS, NONE, SAFETY_DATA_DIR, example_weights,
                            load_safety_net, training_examples)
from nlu.training_data import Example


def test_the_training_data_is_large_varied_and_labelled() -> None:
    data = load_training_data(SAFETY_DATA_DIR)
    counts = Counter(e.intent for e in data.examples)
    assert set(counts) == set(LABELS)
    assert sum(counts[label] for label in (*ALARM_LABELS, CONCERN)) >= 600
    assert counts[NONE] >= 600
    assert all(counts[label] >= 150 for label in LABELS), counts
    texts = [e.text.lower() for e in data.examples]
    assert len(set(texts)) == len(texts), [t for t, n in Counter(texts).items() if n > 1][:5]


def test_english_and_danish_are_both_trained() -> None:
    from nlu import detect_language

    data = load_training_data(SAFETY_DATA_DIR)
    for label in LABELS:
        languages = Counter(detect_language(e.text) for e in data.examples if e.intent == label)
        assert languages["en"] >= 30, (label, languages)
        assert languages["da"] >= 60, (label, languages)


def test_an_unknown_label_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text('version: "3.1"\nnlu:\n- intent: panic\n  examples: |\n    - hjælp\n',
                                    encoding="utf-8")
    with pytest.raises(TrainingDataError, match="panic"):
        training_examples(tmp_path)


def test_the_net_is_cached_and_retrained_when_its_data_changes(tmp_path: Path, settings: Settings) -> None:
    safety_dir = tmp_path / "safety"
    shutil.copytree(SAFETY_DATA_DIR, safety_dir)
    cache = tmp_path / "cache"
    first = load_safety_net(cache, settings.nlu_data_dir, safety_dir)
    cached = sorted(cache.glob("safety-net-*.npz"))
    assert len(cached) == 1
    again = load_safety_net(cache, settings.nlu_data_dir, safety_dir)
    assert sorted(cache.glob("safety-net-*.npz")) == cached
    text = "jeg kan ikke se nogen vej ud længere"
    assert again.score(text).probabilities == pytest.approx(first.score(text).probabilities)
    with (safety_dir / "concern.yml").open("a", encoding="utf-8") as extra:
        extra.write("    - alting føles tomt og gråt for tiden\n")
    load_safety_net(cache, settings.nlu_data_dir, safety_dir)
    assert sorted(cache.glob("safety-net-*.npz")) != cached
    assert len(list(cache.glob("safety-net-*.npz"))) == 1  # the stale model is gone


def test_a_corrupt_cached_net_is_retrained(tmp_path: Path, settings: Settings) -> None:
    cache = tmp_path / "cache"
    load_safety_net(cache, settings.nlu_data_dir)
    [path] = cache.glob("safety-net-*.npz")
    path.write_bytes(b"not a model")
    net = load_safety_net(cache, settings.nlu_data_dir)
    assert net.score("hej").crisis < 0.5


def test_the_configured_thresholds_meet_the_goals_on_a_validation_split(settings: Settings) -> None:
    """Out-of-fold: each example scored by a net that never saw it. The goals of docs/safety.md."""
    examples = training_examples(SAFETY_DATA_DIR, settings.nlu_data_dir)
    citizen_files = {path.name for path in load_training_data(settings.nlu_data_dir).files}
    scored = out_of_fold(examples, citizen_files, folds=5)
    thresholds = load_thresholds()
    measured = outcome(scored, thresholds.alarm, thresholds.concern)
    print(f"\n5-fold validation: {measured.render()}")
    assert measured.crisis_recall >= 0.95
    assert measured.look_alike_alarm <= 0.05
    # Out-of-fold scores are harsher than the shipped net's, which has seen every citizen sentence: a few in
    # a thousand may reach an alarm here; tests/test_evaluation.py holds the shipped net to none.
    citizens = sum(1 for s in scored if s.label == "none" and s.citizen)
    assert measured.citizen_alarm <= 0.005 * citizens


def test_the_citizen_sentences_weigh_the_same_however_many_there_are() -> None:
    safety = [Example(text=f"krise {n}", intent="suicide", file="suicide.yml") for n in range(3)]
    for count in (1000, 4000):
        citizen = [Example(text=f"spørgsmål {n}", intent="none", file="faq.yml") for n in range(count)]
        weights = example_weights(safety + citizen, {"faq.yml"})
        assert weights[:3] == [1.0, 1.0, 1.0]
        assert abs(sum(weights[3:]) - CITIZEN_WEIGHT) < 1e-6
