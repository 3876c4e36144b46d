"""What retrieval finds: passage hits with each channel's score and rank, sections, FAQ matches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from bot.index.chunking import Passage
from bot.question import Question

Mode = Literal["dense", "lexical", "fused"]
MODES: tuple[Mode, ...] = ("dense", "lexical", "fused")


@dataclass
class PassageHit:
    row: int
    passage: Passage
    dense: float = 0.0
    lexical: float = 0.0
    dense_rank: int | None = None
    lexical_rank: int | None = None
    score: float = 0.0
    multilingual: float = 0.0
    multilingual_rank: int | None = None


@dataclass
class SectionHit:
    """All hits of one section anchor; ``score`` is its passages' fused scores, collapsed."""

    anchor: str
    score: float
    hits: list[PassageHit] = field(default_factory=list)

    def best_passage(self, language: str | None = None) -> PassageHit | None:
        own = [h for h in self.hits if h.passage.kind == "section"]
        if language:
            preferred = [h for h in own if h.passage.language == language]
            own = preferred or own
        return own[0] if own else None


@dataclass
class FaqMatch:
    faq_id: str
    similarity: float  # best cosine between the question and one of the entry's phrasings
    centroid: float  # cosine to the mean of the entry's phrasings
    lexical: float  # best BM25 of a phrasing, relative to the best lexical hit
    score: float


@dataclass
class Retrieval:
    question: Question
    mode: Mode
    vector: np.ndarray | None
    hits: list[PassageHit]
    sections: list[SectionHit]
    faq: list[FaqMatch]
    multilingual_vector: np.ndarray | None = None  # the question in the multilingual space, if used

    @property
    def top_dense(self) -> float:
        return max((h.dense for h in self.hits if h.dense_rank is not None), default=0.0)

    @property
    def has_lexical_match(self) -> bool:
        return any(h.lexical_rank is not None for h in self.hits)
