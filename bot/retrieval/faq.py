"""FAQ matching: every entry scored by its best phrasing, its phrasings' centroid and lexical evidence."""

from __future__ import annotations

import numpy as np

from bot.index.store import FaqVectors
from bot.retrieval.hits import FaqMatch, PassageHit
from bot.retrieval.params import FusionParams

MAX_MATCHES = 20


def match_faq(
    faq: FaqVectors, ranked: list[PassageHit], top_lexical: float, vector: np.ndarray | None, params: FusionParams
) -> list[FaqMatch]:
    """The best entries, best first: ``faq_best_weight`` × best phrasing similarity + the rest ×
    centroid similarity + ``faq_lexical_weight`` × the best BM25 of a phrasing (relative)."""
    if not faq.ids:
        return []
    lexical = dict.fromkeys(faq.ids, 0.0)
    for h in ranked:
        if h.passage.kind == "faq" and h.lexical_rank is not None:
            lexical[h.passage.faq_id] = max(lexical[h.passage.faq_id], h.lexical / top_lexical)
    lex = np.array([lexical[f] for f in faq.ids])
    if vector is None:
        best = centroid = np.zeros(len(faq.ids))
        score = lex
    else:
        queries = np.atleast_2d(vector)
        best = np.maximum.reduceat((faq.vectors @ queries.T).max(axis=1), faq.starts)
        centroid = (faq.centroids @ queries.T).max(axis=1)
        score = (
            params.faq_best_weight * best + (1 - params.faq_best_weight) * centroid + params.faq_lexical_weight * lex
        )
    order = np.argsort(-score, kind="stable")[:MAX_MATCHES]
    return [
        FaqMatch(faq.ids[i], float(best[i]), float(centroid[i]), float(lex[i]), float(score[i]))
        for i in order
        if score[i] > 0
    ]
