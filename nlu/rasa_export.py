"""Writes a Rasa 3.6 project from Stifinder's NLU data: pipeline configs, merged NLU data, rules, domain.

The examples are copied from the raw YAML files, so inline entity annotations reach Rasa exactly as
written; the files are first read by `load_training_data`, so malformed data fails here and not
half-way through `rasa train`. `faq/<entry id>` intents stay Rasa retrieval intents answered by
`utter_faq/<entry id>`. Writes only inside the target directory; never starts Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nlu.training_data import _ANNOTATION, load_training_data

RETRIEVAL_INTENT = "faq"
RASA_FORMAT = "3.1"

# The "any language" default pipeline of Rasa 3.6 (rasa/engine/recipes/config_files/default_config.yml)
# for Danish: char_wb n-grams carry the compounds (behandlingsgaranti); 0.7 is the usual fallback.
_PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
    {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
    {"name": "EntitySynonymMapper"},
    {"name": "ResponseSelector", "epochs": 100, "retrieval_intent": RETRIEVAL_INTENT, "constrain_similarities": True},
    {"name": "FallbackClassifier", "threshold": 0.7, "ambiguity_threshold": 0.1},
]
# No DIET and no RegexFeaturizer: a linear intent model, entities from the regexes and lookup tables
# only, and a small ResponseSelector (30 epochs, narrow layers). About a minute of `rasa train nlu`
# on two CPU cores, a third of it Rasa's own start-up and featurising; as accurate here as wider layers.
_LIGHT_PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
    {"name": "LogisticRegressionClassifier", "solver": "liblinear", "max_iter": 100},
    {"name": "RegexEntityExtractor", "use_lookup_tables": True, "use_regexes": True},
    {"name": "EntitySynonymMapper"},
    {"name": "ResponseSelector", "epochs": 30, "retrieval_intent": RETRIEVAL_INTENT, "constrain_similarities": True,
     "hidden_layers_sizes": {"text": [128], "label": []}, "dense_dimension": {"text": 128, "label": 20},
     "concat_dimension": {"text": 128, "label": 20}},
    {"name": "FallbackClassifier", "threshold": 0.7, "ambiguity_threshold": 0.1},
]
_POLICIES: list[dict[str, Any]] = [{"name": "RulePolicy"}]
# Anonymity: a conversation is forgotten after an hour without messages and carries nothing over.
_SESSION = {"session_expiration_time": 60, "carry_over_slots_to_new_session": False}


class _Literal(str):
    """A string dumped as a YAML literal block (`examples: |`)."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes `_Literal` strings in block style."""


_Dumper.add_representer(_Literal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|"))


@dataclass(slots=True)
class _Merged:
    """Raw NLU items of every file, merged by name in first-seen order."""

    intents: dict[str, list[str]] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    entities: dict[str, None] = field(default_factory=dict)


def export_project(directory: Path, data_dir: Path, responses: dict[str, str]) -> list[Path]:
    """Write a Rasa 3.6 project that trains unchanged with `rasa train` (or `rasa train nlu`).

    Args:
        directory: the project directory; created if missing, the files below are overwritten.
        data_dir: Stifinder's NLU data (`nlu/data`; sub-directories such as `test/` are skipped).
        responses: response name → Danish text, e.g. `{"utter_faq/treatment_cost": "..."}`.

    Returns:
        The files written: config.yml, config-light.yml, data/nlu.yml, data/rules.yml, domain.yml.

    Raises:
        TrainingDataError: a training file is malformed.
    """
    load_training_data(data_dir)  # validates every file; raises TrainingDataError naming the file
    merged = _merge(sorted(data_dir.glob("*.yml")))
    (directory / "data").mkdir(parents=True, exist_ok=True)
    files = {
        directory / "config.yml": _config(_PIPELINE),
        directory / "config-light.yml": _config(_LIGHT_PIPELINE),
        directory / "data" / "nlu.yml": {"version": RASA_FORMAT, "nlu": _nlu_items(merged)},
        directory / "data" / "rules.yml": {"version": RASA_FORMAT, "rules": _rules()},
        directory / "domain.yml": _domain(merged, responses),
    }
    for path, document in files.items():
        path.write_text(_dump(document), encoding="utf-8")
    return list(files)


def _merge(paths: list[Path]) -> _Merged:
    merged = _Merged()
    for path in paths:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu") or []:
            lines = _lines(item["examples"])
            if "intent" in item:
                merged.intents.setdefault(item["intent"], []).extend(lines)
                if "metadata" in item:
                    merged.metadata[item["intent"]] = item["metadata"]
                for line in lines:
                    for match in _ANNOTATION.finditer(line):
                        merged.entities[_entity_name(match)] = None
            elif "synonym" in item:
                merged.synonyms.setdefault(str(item["synonym"]), []).extend(lines)
            elif "regex" in item:
                merged.regexes.setdefault(item["regex"], []).extend(lines)
            elif "lookup" in item:
                merged.lookups.setdefault(item["lookup"], []).extend(lines)
    return merged


def _lines(block: str) -> list[str]:
    """Return an examples block's lines without the leading "- ", annotations untouched."""
    return [line.strip()[2:].strip() for line in block.splitlines() if line.strip()]


def _entity_name(match: re.Match[str]) -> str:
    if match.group("short"):
        return str(match.group("short").partition(":")[0].strip())
    return str(yaml.safe_load(match.group("json"))["entity"])  # JSON is YAML; validated by the loader


def _block(lines: list[str]) -> _Literal:
    unique = list(dict.fromkeys(lines))
    return _Literal("".join(f"- {line}\n" for line in unique))


def _nlu_items(merged: _Merged) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for name, lines in merged.intents.items():
        item: dict[str, Any] = {"intent": name}
        if name in merged.metadata:
            item["metadata"] = merged.metadata[name]
        item["examples"] = _block(lines)
        items.append(item)
    for kind, table in (("synonym", merged.synonyms), ("regex", merged.regexes), ("lookup", merged.lookups)):
        items.extend({kind: name, "examples": _block(lines)} for name, lines in table.items())
    return items


def _config(pipeline: list[dict[str, Any]]) -> dict[str, Any]:
    return {"recipe": "default.v1", "assistant_id": "stifinder", "language": "da",
            "pipeline": pipeline, "policies": _POLICIES}


def _rules() -> list[dict[str, Any]]:
    # One rule answers every retrieval intent faq/<id> with its utter_faq/<id> (Rasa's FAQ pattern).
    return [{"rule": "answer a question from the quality standard",
             "steps": [{"intent": RETRIEVAL_INTENT}, {"action": f"utter_{RETRIEVAL_INTENT}"}]}]


def _domain(merged: _Merged, responses: dict[str, str]) -> dict[str, Any]:
    intents = list(dict.fromkeys(
        RETRIEVAL_INTENT if name.startswith(RETRIEVAL_INTENT + "/") else name for name in merged.intents))
    entities = list(dict.fromkeys([*merged.entities, *merged.regexes, *merged.lookups]))
    return {
        "version": RASA_FORMAT,
        "intents": intents,
        "entities": entities,
        "responses": {name: [{"text": _Literal(text) if "\n" in text else text}]
                      for name, text in sorted(responses.items())},
        "session_config": _SESSION,
    }


def _dump(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
