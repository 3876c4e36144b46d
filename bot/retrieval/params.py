"""Every number retrieval scores with, named, with the reason it has its value. Changing one
means measuring again: `guidelines-bot tune --bases eval/bases.yaml` chooses them leave-one-base-out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class FusionParams:
    """How the rankings of the channels (dense, multilingual dense, lexical) become one."""

    method: Literal["rrf", "weighted"] = "weighted"  # weighted scores: chosen over reciprocal rank fusion by `tune`
    rrf_k: float = 60.0  # rrf only: the usual damping of reciprocal rank fusion
    dense_weight: float = 1.0  # the configured sentence-transformers model's cosine, as it is
    multilingual_weight: float = 1.0  # the multilingual encoder's cosine: German and English in one space
    lexical_weight: float = 0.3  # BM25 relative to the best lexical hit of the question
    depth: int = 50  # candidates each channel contributes before fusion
    faq_weight: float = 1.0  # FAQ phrasings compete with guideline passages at par
    faq_best_weight: float = 0.3  # FAQ entry score: best phrasing similarity ...
    faq_lexical_weight: float = 0.25  # ... + centroid similarity (the rest) + lexical evidence
    translate: Literal["off", "auto", "en"] = "auto"  # glossary words in the knowledge base's other language
    dual_query: bool = False  # also search with the translated words alone
    section_agg: Literal["max", "sum"] = "sum"  # a section's score: its passages' scores summed ...
    sum_decay: float = 0.4  # ... each further passage counting this much less (many weak hits < one strong)
    preamble_weight: float = 0.8  # a document's untitled top section (intro, scope) rarely decides a question
    rule_weight: float = 1.0  # the best-matching rule sentence of a section, in the multilingual space, added ...
    rerank_depth: int = 5  # ... to the first this many sections (the rule that answers is one sentence)
