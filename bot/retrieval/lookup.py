"""Finding the passage to quote: a section's passages ranked by similarity or by words."""

from __future__ import annotations

import numpy as np

from bot.index.store import LoadedIndex
from bot.retrieval.hits import PassageHit


class PassageLookup:
    """The passages of one index by section anchor, and the FAQ answers' vectors."""

    def __init__(self, index: LoadedIndex) -> None:
        self.index = index
        self._answer_row = {(p.faq_id, p.language): i for i, p in enumerate(index.passages) if p.kind == "answer"}

    def passages_of(self, anchor: str, language: str, vector: np.ndarray | None) -> list[PassageHit]:
        """The passages of one section, ranked by similarity to ``vector``."""
        passages = self.index.passages
        rows = [i for i, p in enumerate(passages) if p.kind == "section" and p.anchor == anchor]
        preferred = [i for i in rows if passages[i].language == language] or rows
        if not preferred:
            return []
        if vector is None:
            return [PassageHit(i, passages[i]) for i in preferred]
        vecs = np.stack([self.index.dense.reconstruct(i) for i in preferred])
        sims = (vecs @ np.atleast_2d(vector).T).max(axis=1).tolist()
        out = [PassageHit(i, passages[i], dense=float(s)) for i, s in zip(preferred, sims, strict=True)]
        return sorted(out, key=lambda h: h.dense, reverse=True)

    def passages_matching(
        self, anchor: str, language: str, text: str, vector: np.ndarray | None = None
    ) -> list[PassageHit]:
        """The passages of one section ranked by BM25 against ``text`` (ties: by similarity to ``vector``)."""
        ranked = self.passages_of(anchor, language, vector)
        if not ranked:
            return ranked
        lexical = self.index.lexical
        tokens = [t for t in lexical.analyzer.tokens(text) if t in lexical.bm25.vocab_dict]
        if not tokens:
            return ranked
        scores = lexical.bm25.get_scores(tokens)
        for h in ranked:
            h.lexical = float(scores[h.row])
        return sorted(ranked, key=lambda h: (h.lexical, h.dense), reverse=True)

    def answer_vector(self, faq_id: str, language: str) -> np.ndarray | None:
        row = self._answer_row.get((faq_id, language))
        if row is None:
            row = next((r for (f, _), r in self._answer_row.items() if f == faq_id), None)
        return None if row is None else self.index.dense.reconstruct(row)
