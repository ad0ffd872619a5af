from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from nlu import IntentClassifier, LocalParser, ModelError, train
from nlu.classifier import MODEL_FORMAT, make_model
from nlu.entities import EntityExtractor
from nlu.evaluate import score
from nlu.parser import is_trained, load_local_parser
from nlu.training_data import TrainingData

TEXTS = {
    "cost": ["hvad koster det", "er det gratis", "skal jeg betale", "koster behandling noget", "pris på behandling",
             "how much does it cost", "is it free", "do i have to pay", "koster døgn penge", "betaling for kost"],
    "guarantee": ["hvornår kan jeg starte", "hvor lang tid går der", "hvor hurtigt kommer jeg i gang",
                  "behandlingsgaranti", "14 dage garanti", "how soon can i start", "when do i start treatment",
                  "hvor længe skal jeg vente", "ventetid på behandling", "hvor lang ventetid"],
    "greet": ["hej", "hejsa", "goddag", "hello", "hi there", "godmorgen", "halløj", "hey", "hej med dig", "dav"],
}


def labelled() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for intent, examples in TEXTS.items():
        texts += examples
        labels += [intent] * len(examples)
    return texts, labels


def test_predicts_the_trained_intents() -> None:
    model = train(*labelled())
    assert model.predict("hvad koster behandlingen").intent == "cost"
    assert model.predict("hvornaar kan jeg starte").intent == "guarantee"
    assert model.predict("hejsa").intent == "greet"


def test_a_sentence_without_a_known_word_is_not_understood() -> None:
    model = train(*labelled())
    assert model.predict("hvad koster det").knows_words
    assert not model.predict("qwerty zxcv blorp").knows_words  # letters like the training data, no word of it
    assert not model.predict("14 2026-13-45").knows_words  # numbers alone
    parser = LocalParser(model, EntityExtractor(TrainingData()))
    assert parser.parse_sync("qwerty zxcv blorp").confidence == 0.0
    assert parser.parse_sync("hvad koster det").confidence > 0.5


def test_probabilities_sum_to_one_and_are_ranked() -> None:
    prediction = train(*labelled()).predict("koster det noget")
    confidences = [c for _, c in prediction.ranking]
    assert math.isclose(sum(confidences), 1.0, rel_tol=1e-6)
    assert confidences == sorted(confidences, reverse=True)


def test_numpy_inference_matches_scikit_learn() -> None:
    """The model kept as numpy arrays must score exactly like the fitted LogisticRegression."""
    from scipy.sparse import csr_matrix

    texts, labels = labelled()
    model = train(texts, labels)
    intents = model.intents
    rows = [model.vector(t) for t in texts]
    n_features = model._weights.shape[0]
    matrix = csr_matrix((np.concatenate([v for _, v in rows]), (np.repeat(np.arange(len(rows)), [len(i) for i, _ in rows]),
                         np.concatenate([i for i, _ in rows]))), shape=(len(rows), n_features))
    reference = make_model(20.0).fit(matrix, [intents.index(l) for l in labels])
    for row, text in enumerate(texts):
        ours = dict(model.predict(text, top=len(intents)).ranking)
        theirs = reference.predict_proba(matrix[row])[0]
        for k, intent in enumerate(intents):
            assert ours[intent] == pytest.approx(theirs[k], abs=1e-6)


def test_save_and_load_give_the_same_predictions(tmp_path: Path) -> None:
    model = train(*labelled())
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = IntentClassifier.load(path)
    for text in ("hvad koster det", "hej", "hvor lang tid", "noget helt andet"):
        a, b = model.predict(text), loaded.predict(text)
        assert a.intent == b.intent and a.confidence == pytest.approx(b.confidence, abs=1e-5)


def test_a_model_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.npz"
    np.savez(path, format=np.array([MODEL_FORMAT + 1]))
    with pytest.raises(ModelError, match="format"):
        IntentClassifier.load(path)


def test_unknown_words_give_the_prior_not_an_error() -> None:
    prediction = train(*labelled()).predict("§§§")
    assert prediction.intent in TEXTS and prediction.confidence < 0.9


def test_two_intents_train_as_softmax() -> None:
    model = train(TEXTS["cost"] + TEXTS["greet"], ["cost"] * 10 + ["greet"] * 10)
    assert model.predict("hvad koster det").intent == "cost"
    assert model.predict("hej").intent == "greet"


def test_score_reports_precision_recall_and_confusions() -> None:
    report = score(["a", "a", "b", "b"], ["a", "b", "b", "b"], folds=2)
    by_intent = {s.intent: s for s in report.per_intent}
    assert report.accuracy == 0.75
    assert by_intent["a"].precision == 1.0 and by_intent["a"].recall == 0.5
    assert by_intent["b"].precision == pytest.approx(2 / 3)
    assert report.confused == (("a", "b", 1),)


def test_the_fast_vector_equals_the_one_training_saw(local_parser: LocalParser) -> None:
    """`vector` skips the feature strings of character n-grams; it must give exactly `reference_vector`."""
    import yaml

    from conftest import ROOT
    from nlu import load_training_data

    model = local_parser.classifier
    data = load_training_data(ROOT / "nlu" / "data")
    questions = yaml.safe_load((ROOT / "tests" / "eval" / "citizen_questions.yml").read_text(encoding="utf-8"))
    texts = [e.text for e in data.examples] + [q["text"] for q in questions["questions"]]
    texts += ["", "???", "Ærø ØRESUND åå 29 år!!", "co-op 1.5 kr", "hvad koster det hvad koster det", "x" * 300]
    for text in texts * 2:  # the second round reads the word cache
        fast_idx, fast_values = model.vector(text)
        ref_idx, ref_values = model.reference_vector(text)
        fast = dict(zip(fast_idx.tolist(), fast_values.tolist()))
        ref = dict(zip(ref_idx.tolist(), ref_values.tolist()))
        assert fast.keys() == ref.keys(), text
        assert all(fast[k] == pytest.approx(ref[k], rel=1e-12) for k in ref), text


def test_is_trained_tells_whether_a_cached_model_matches_the_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "nlu.yml").write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hej\n'
                                      '- intent: thanks\n  examples: |\n    - tak\n', encoding="utf-8")
    cache = tmp_path / "cache"
    assert not is_trained(data_dir, cache)  # a first start trains, and the chat says so
    load_local_parser(data_dir, cache)
    assert is_trained(data_dir, cache)
    (data_dir / "nlu.yml").write_text((data_dir / "nlu.yml").read_text(encoding="utf-8") + "    - tusind tak\n",
                                      encoding="utf-8")
    assert not is_trained(data_dir, cache)  # changed data: trained anew
