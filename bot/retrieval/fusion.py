"""Fusion as small pure functions: one candidate's channel scores (or ranks) become one score."""

from __future__ import annotations

from bot.retrieval.hits import Mode, PassageHit
from bot.retrieval.params import FusionParams


def weighted(hit: PassageHit, params: FusionParams, top_lexical: float) -> float:
    """Cosines as they are, BM25 relative to the question's best lexical hit, weighted."""
    return (
        params.dense_weight * hit.dense
        + params.multilingual_weight * hit.multilingual
        + params.lexical_weight * (hit.lexical / top_lexical if top_lexical else 0.0)
    )


def reciprocal_rank(hit: PassageHit, params: FusionParams) -> float:
    """Reciprocal rank fusion: each channel adds weight / (k + rank); unranked channels add nothing."""
    score = 0.0
    for weight, rank in (
        (params.dense_weight, hit.dense_rank),
        (params.multilingual_weight, hit.multilingual_rank),
        (params.lexical_weight, hit.lexical_rank),
    ):
        if rank is not None:
            score += weight / (params.rrf_k + rank + 1)
    return score


def fuse(hit: PassageHit, mode: Mode, params: FusionParams, top_lexical: float) -> float:
    """The hit's score in ``mode``: one channel alone, or all fused (FAQ phrasings weighted)."""
    if mode == "dense":
        return hit.dense if hit.dense_rank is not None else 0.0
    if mode == "lexical":
        return hit.lexical
    score = reciprocal_rank(hit, params) if params.method == "rrf" else weighted(hit, params, top_lexical)
    return score * params.faq_weight if hit.passage.kind == "faq" else score


def fuse_all(hits: list[PassageHit], mode: Mode, params: FusionParams) -> list[PassageHit]:
    """Score every hit and rank them, best first."""
    top_lexical = max((h.lexical for h in hits), default=0.0) or 1.0
    for h in hits:
        h.score = fuse(h, mode, params, top_lexical)
    return sorted(hits, key=lambda h: h.score, reverse=True)
