"""The channels that propose candidates: dense search (FAISS) over one encoder's vectors, and
lexical search (BM25). Each fills its own score and rank into the shared candidate hits."""

from __future__ import annotations

import numpy as np

from bot.index.chunking import Passage
from bot.index.dense import search_dense
from bot.index.lexical import LexicalIndex
from bot.retrieval.hits import PassageHit

DENSE, MULTILINGUAL = "dense", "multilingual"


def dense_channel(
    hits: dict[int, PassageHit],
    channel: str,
    index,
    vector: np.ndarray,
    passages: list[Passage],
    depth: int,
) -> None:
    """The ``depth`` nearest passages of ``index`` (a FAISS index over normalised vectors) to the
    query vector(s); with several query rows a passage keeps its best similarity. FAQ answers
    are in the index only to choose quotes, and are skipped."""
    best: dict[int, float] = {}
    for query in np.atleast_2d(vector):
        rows, scores = search_dense(index, query, depth)
        for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
            if passages[row].kind != "answer":
                best[row] = max(best.get(row, -1.0), float(score))
    ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
    for rank, (row, score) in enumerate(ranked):
        hit = hits.setdefault(row, PassageHit(row, passages[row]))
        setattr(hit, channel, score)
        setattr(hit, f"{channel}_rank", rank)


def lexical_channel(
    hits: dict[int, PassageHit],
    lexical: LexicalIndex,
    text: str,
    extra_terms: list[str],
    passages: list[Passage],
    depth: int,
) -> None:
    """The BM25 ranking of the question (and its translated words), FAQ answers skipped."""
    rows, scores = lexical.search(text, depth, extra_terms)
    rank = 0
    for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
        if passages[row].kind == "answer":
            continue
        hit = hits.setdefault(row, PassageHit(row, passages[row]))
        hit.lexical, hit.lexical_rank = float(score), rank
        rank += 1


def fill_similarity(hits: dict[int, PassageHit], channel: str, index, vector: np.ndarray) -> None:
    """Candidates another channel found get this channel's true similarity too (a dot product
    with their stored vector), so every candidate is judged on every signal."""
    missing = [h for h in hits.values() if getattr(h, f"{channel}_rank") is None]
    if not missing:
        return
    vectors = np.stack([index.reconstruct(h.row) for h in missing])
    similarities = (vectors @ np.atleast_2d(vector).T).max(axis=1)
    for h, s in zip(missing, similarities.tolist(), strict=True):
        setattr(h, channel, float(s))
