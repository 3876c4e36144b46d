"""The Retriever: builds the query, asks every channel for candidates, fuses, collapses
sections and matches the FAQ. Each step is a module of bot.retrieval; this one wires them."""

from __future__ import annotations

import numpy as np

from bot.glossary import Glossary
from bot.index.embedding import Embedder
from bot.index.store import LoadedIndex
from bot.question import Question
from bot.retrieval.channels import DENSE, MULTILINGUAL, dense_channel, fill_similarity, lexical_channel
from bot.retrieval.faq import match_faq
from bot.retrieval.fusion import fuse_all
from bot.retrieval.hits import Mode, PassageHit, Retrieval
from bot.retrieval.lookup import PassageLookup
from bot.retrieval.params import FusionParams
from bot.retrieval.query import QueryBuilder
from bot.retrieval.sections import collapse, rerank_by_rules


class Retriever:
    """Searches one loaded index. Thread-safe: it keeps no per-question state."""

    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        params: FusionParams | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.params = params or FusionParams()
        self.glossary = glossary if glossary is not None else Glossary.bundled()
        self.kb_languages = set(index.knowledge.languages())
        self.query = QueryBuilder(self.glossary, self.kb_languages, self.params)
        self.lookup = PassageLookup(index)
        # FAQ answers are in the index only to choose quotes; search a little deeper to skip them.
        self.answer_rows = min(50, sum(p.kind == "answer" for p in index.passages))
        self.faq_anchors = {e.id: e.anchors for e in index.knowledge.faq}
        self.preambles = index.preambles  # computed once per build, not once per question
        self.rule_anchors = index.rule_anchors

    @property
    def multilingual(self) -> bool:
        return self.index.multilingual is not None and self.index.multilingual_encoder is not None

    def embed(self, question: Question) -> np.ndarray:
        """The query vector(s) of the configured model (see ``QueryBuilder.texts``)."""
        texts = self.query.texts(question)
        vectors = self.embedder.embed_batch(texts)
        return vectors if len(texts) > 1 else vectors[0]

    def embed_many(self, questions: list[Question]) -> list[np.ndarray]:
        """Query vectors of several questions in one encoder call."""
        if not questions:
            return []
        return list(self.embedder.embed_batch([self.query.texts(q)[0] for q in questions]))

    def embed_multilingual(self, question: Question) -> np.ndarray | None:
        """The question in the multilingual encoder's space (no glossary: it reads both languages)."""
        if not self.multilingual:
            return None
        return self.index.multilingual_encoder.embed_batch([question.text])[0]

    def embed_multilingual_many(self, questions: list[Question]) -> list[np.ndarray | None]:
        """Several questions in the multilingual space in one call (None each without the channel)."""
        if not self.multilingual or not questions:
            return [None] * len(questions)
        return list(self.index.multilingual_encoder.embed_batch([q.text for q in questions]))

    def candidates(
        self,
        question: Question,
        mode: Mode = "fused",
        vector: np.ndarray | None = None,
        multilingual_vector: np.ndarray | None = None,
    ) -> tuple[list[PassageHit], np.ndarray | None, np.ndarray | None]:
        """Every channel's candidates with every channel's score (not fused yet), and the dense
        and multilingual query vectors. Tuning re-fuses these without searching again."""
        p, passages, hits = self.params, self.index.passages, {}
        depth = p.depth + self.answer_rows
        if mode in ("dense", "fused"):
            vector = self.embed(question) if vector is None else vector
            dense_channel(hits, DENSE, self.index.dense, vector, passages, depth)
        if mode == "fused" and self.multilingual:
            if multilingual_vector is None:
                multilingual_vector = self.embed_multilingual(question)
            dense_channel(hits, MULTILINGUAL, self.index.multilingual, multilingual_vector, passages, depth)
        if mode in ("lexical", "fused"):
            lexical_channel(hits, self.index.lexical, question.text, self.query.translations(question), passages, depth)
        if mode == "fused":
            fill_similarity(hits, DENSE, self.index.dense, vector)
            if self.multilingual:
                fill_similarity(hits, MULTILINGUAL, self.index.multilingual, multilingual_vector)
        return list(hits.values()), vector, multilingual_vector

    def search(
        self,
        question: Question,
        mode: Mode = "fused",
        vector: np.ndarray | None = None,
        multilingual_vector: np.ndarray | None = None,
    ) -> Retrieval:
        if question.empty:
            return Retrieval(question, mode, None, [], [], [])
        hits, vector, multilingual_vector = self.candidates(question, mode, vector, multilingual_vector)
        retrieval = self.rank(question, mode, vector, hits, self.best_rules(multilingual_vector))
        retrieval.multilingual_vector = multilingual_vector
        return retrieval

    def best_rules(self, multilingual_vector: np.ndarray | None) -> dict[str, float]:
        """Per section anchor, the similarity of its best-matching rule unit to the question."""
        if multilingual_vector is None or self.rule_anchors is None or not len(self.rule_anchors):
            return {}
        similarities = self.index.rule_vectors @ np.atleast_2d(multilingual_vector)[0]
        best: dict[str, float] = {}
        for anchor, similarity in zip(self.rule_anchors.tolist(), similarities.tolist(), strict=True):
            if similarity > best.get(anchor, -1.0):
                best[anchor] = similarity
        return best

    def rank(
        self,
        question: Question,
        mode: Mode,
        vector: np.ndarray | None,
        hits: list[PassageHit],
        best_rules: dict[str, float] | None = None,
    ) -> Retrieval:
        """Fuse candidates, collapse them into sections, let each of the first sections' best rule
        count, and match the FAQ, with this retriever's parameters."""
        ranked = fuse_all(hits, mode, self.params)
        sections = collapse(ranked, self.params, self.faq_anchors, self.preambles)
        if mode == "fused":
            sections = rerank_by_rules(sections, best_rules or {}, self.params)
        top_lexical = max((h.lexical for h in ranked), default=0.0) or 1.0
        faq = match_faq(self.index.faq_vectors, ranked, top_lexical, vector, self.params)
        return Retrieval(question, mode, vector, ranked, sections, faq)

    # -- quoting -------------------------------------------------------------------------------
    def passages_of(self, anchor: str, language: str, vector: np.ndarray | None) -> list[PassageHit]:
        return self.lookup.passages_of(anchor, language, vector)

    def passages_matching(
        self, anchor: str, language: str, text: str, vector: np.ndarray | None = None
    ) -> list[PassageHit]:
        return self.lookup.passages_matching(anchor, language, text, vector)

    def answer_vector(self, faq_id: str, language: str) -> np.ndarray | None:
        return self.lookup.answer_vector(faq_id, language)
