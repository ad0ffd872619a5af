"""Choose the safety net's model by measurement, on a validation split of its training data.

    .venv/bin/pip install -e '.[bench]'     # WordLlama, for the embedding alternative
    .venv/bin/python bench/safety.py [--folds 5] [--json FILE]

Three candidates, each scored out-of-fold (stratified k-fold over nlu/safety_data plus the citizen
sentences of nlu/data as `none`), each with thresholds picked on its own validation scores the way
`stifinder safety calibrate` picks them (recall ≥ 97%, look-alike alarms ≤ 1%, no citizen question):

- char n-grams: the project's features (folded stems, stem bigrams, character 2-5-grams), TF-IDF and
  a multinomial logistic regression: the net as it ships (nlu/safety_net.py), and the same with the
  classes weighted equally;
- WordLlama: mean-pooled token embeddings of WordLlama's l2_supercat model (256 dimensions), which
  ships inside the `wordllama` wheel from PyPI (MIT), and the same logistic regression;
- both: the two feature sets side by side.

Also the scoring time of one message, p50 over the training texts. No evaluation set is read here.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from dialogs.safety import load_thresholds  # noqa: E402
from nlu import load_training_data  # noqa: E402
from nlu.classifier import train  # noqa: E402
from nlu.safety_calibration import Scored, outcome, recommend  # noqa: E402
from nlu.safety_net import LABELS, NET_C, SAFETY_DATA_DIR, NetScore, training_examples  # noqa: E402

Featurizer = Callable[[Sequence[str]], Any]


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def wordllama_embedder() -> tuple[Callable[[Sequence[str]], np.ndarray], dict[str, Any]]:
    """WordLlama's bundled model, loaded from the wheel's own files (its loader looks in the wrong folder
    for the bundled tokenizer and would otherwise try to download it)."""
    import wordllama
    from safetensors import safe_open
    from wordllama import WordLlama
    from wordllama.inference import WordLlamaInference

    package = Path(wordllama.__file__).parent
    weights = package / "weights" / "l2_supercat_256.safetensors"
    tokenizer_file = package / "tokenizers" / "l2_supercat_tokenizer_config.json"
    tokenizer = WordLlama.load_tokenizer(tokenizer_file)
    with safe_open(str(weights), framework="np") as handle:
        matrix = handle.get_tensor("embedding.weight")
    model = WordLlamaInference(matrix, tokenizer)
    info = {"package": f"wordllama {getattr(wordllama, '__version__', '?')}", "licence": "MIT",
            "weights_mb": round(weights.stat().st_size / 1e6, 1), "dimensions": int(matrix.shape[1]),
            "vocabulary": int(matrix.shape[0])}
    return (lambda texts: np.asarray(model.embed(list(texts), norm=True), dtype=np.float64)), info


class DenseNet:
    """Logistic regression over dense features (optionally beside the char n-gram TF-IDF)."""

    def __init__(self, embed: Callable[[Sequence[str]], np.ndarray], with_grams: bool) -> None:
        self.embed = embed
        self.with_grams = with_grams

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> DenseNet:
        from sklearn.linear_model import LogisticRegression

        self.grams = train(texts, labels, c=NET_C) if self.with_grams else None
        self.model = LogisticRegression(C=NET_C, max_iter=2000, random_state=0)
        self.model.fit(self._features(texts), list(labels))
        return self

    def _features(self, texts: Sequence[str]) -> Any:
        dense = self.embed(texts)
        if self.grams is None:
            return dense
        from scipy.sparse import csr_matrix, hstack

        width = len(self.grams._vocabulary)
        rows, cols, vals = [], [], []
        for row, text in enumerate(texts):
            idx, values = self.grams.vector(text)
            rows += [row] * len(idx)
            cols += idx.tolist()
            vals += values.tolist()
        sparse = csr_matrix((vals, (rows, cols)), shape=(len(texts), width))
        return hstack([sparse, csr_matrix(dense)]).tocsr()

    def score(self, text: str) -> NetScore:
        probabilities = self.model.predict_proba(self._features([text]))[0]
        return NetScore({str(label): float(p) for label, p in zip(self.model.classes_, probabilities)})


class GramNet:
    """The shipped net: the intent classifier's features and model, balanced."""

    def __init__(self, balanced: bool = False) -> None:
        self.balanced = balanced

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> GramNet:
        self.model = train(texts, labels, c=NET_C, balanced=self.balanced)
        return self

    def score(self, text: str) -> NetScore:
        return NetScore(dict(self.model.predict(text, top=len(LABELS)).ranking))


def out_of_fold(make: Callable[[], Any], texts: list[str], labels: list[str], citizen: list[bool],
                folds: int) -> list[Scored]:
    from sklearn.model_selection import StratifiedKFold

    scored: list[Scored | None] = [None] * len(texts)
    for fold, (train_idx, test_idx) in enumerate(
            StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(texts, labels), 1):
        net = make().fit([texts[i] for i in train_idx], [labels[i] for i in train_idx])
        for i in test_idx:
            scored[i] = Scored(labels[i], citizen[i], net.score(texts[i]))
        progress(f"  fold {fold}/{folds}")
    return [s for s in scored if s is not None]


def per_message_us(make: Callable[[], Any], texts: list[str], labels: list[str], samples: int = 1000) -> float:
    net = make().fit(texts, labels)
    for text in texts[:200]:
        net.score(text)
    timings = []
    for text in (texts * (samples // len(texts) + 1))[:samples]:
        started = time.perf_counter_ns()
        net.score(text)
        timings.append((time.perf_counter_ns() - started) / 1000)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    settings = load_settings(ROOT / "config.yml", environ={})
    examples = training_examples(SAFETY_DATA_DIR, settings.nlu_data_dir)
    citizen_files = {path.name for path in load_training_data(settings.nlu_data_dir).files}
    texts = [e.text for e in examples]
    labels = [e.intent for e in examples]
    citizen = [e.file in citizen_files for e in examples]
    configured = load_thresholds()
    embed, info = wordllama_embedder()
    candidates: list[tuple[str, Callable[[], Any]]] = [
        ("char n-grams + logistic regression (ships)", GramNet),
        ("char n-grams + logistic regression, classes weighted equally", lambda: GramNet(balanced=True)),
        ("WordLlama l2_supercat 256-d + logistic regression", lambda: DenseNet(embed, with_grams=False)),
        ("char n-grams and WordLlama side by side", lambda: DenseNet(embed, with_grams=True)),
    ]
    rows: list[dict[str, Any]] = []
    for name, make in candidates:
        progress(f"{name}: {args.folds}-fold validation on {len(texts)} examples ...")
        scored = out_of_fold(make, texts, labels, citizen, args.folds)
        pick = recommend(scored)
        fixed = outcome(scored, configured.alarm, configured.concern)
        rows.append({"model": name, "pick": pick, "fixed": fixed, "us": per_message_us(make, texts, labels)})
    print(f"Safety net candidates, {args.folds}-fold validation on {len(texts)} training examples "
          f"({sum(l != 'none' for l in labels)} crisis or concern); WordLlama: {info}")
    for row in rows:
        print(f"\n{row['model']}  (scoring p50 {row['us']:.0f} µs)")
        print(f"  picked    {row['pick'].render()}")
        print(f"  at the configured thresholds {row['fixed'].render()}")
    if args.json:
        args.json.write_text(json.dumps([{"model": r["model"], "us": r["us"], "picked": r["pick"].render(),
                                          "fixed": r["fixed"].render()} for r in rows], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
