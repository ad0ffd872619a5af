"""BM25 retrieval over the knowledge entries, backing the classifier when it is unsure.

The tokenizer is injected (the NLU's Danish stems), so this package does not import nlu.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from rank_bm25 import BM25Okapi

from knowledge.standard import Entry


@dataclass(frozen=True, slots=True)
class Hit:
    """An entry and how well it matched."""

    entry_id: str
    score: float


class Retriever:
    """Ranks entries for a question with Okapi BM25 over titles, answers, facts and keywords."""

    def __init__(self, entries: Iterable[Entry], tokenize: Callable[[str], list[str]],
                 extra_texts: dict[str, list[str]] | None = None) -> None:
        self._tokenize = tokenize
        self._ids: list[str] = []
        corpus: list[list[str]] = []
        for entry in entries:
            parts = [*entry.title.values(), *entry.answer.values(), *entry.facts, *entry.keywords,
                     *(extra_texts or {}).get(entry.id, [])]
            self._ids.append(entry.id)
            corpus.append(tokenize(" ".join(parts)))
        self._bm25 = BM25Okapi(corpus)

    def search(self, question: str, top: int = 3) -> list[Hit]:
        """Return the best entries for the question, best first (empty when nothing matches)."""
        query = self._tokenize(question)
        if not query:
            return []
        scores = self._bm25.get_scores(query)
        order = sorted(range(len(scores)), key=lambda i: -scores[i])[:top]
        return [Hit(self._ids[i], float(scores[i])) for i in order if scores[i] > 0]
