"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings fused, FAQ matches, sections collapsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from bot.glossary import Glossary
from bot.index.chunking import Passage
from bot.index.dense import search_dense
from bot.index.embedding import Embedder
from bot.index.store import LoadedIndex
from bot.question import Question

Mode = Literal["dense", "lexical", "fused"]
MODES: tuple[Mode, ...] = ("dense", "lexical", "fused")


@dataclass(frozen=True)
class FusionParams:
    """How the two rankings are combined. Chosen by measurement (`guidelines-bot eval --tune`)."""

    method: Literal["rrf", "weighted"] = "weighted"
    rrf_k: float = 60.0
    dense_weight: float = 1.0
    lexical_weight: float = 0.5
    depth: int = 50
    faq_weight: float = 1.0
    faq_best_weight: float = 0.3  # FAQ entry score: best phrasing similarity ...
    faq_lexical_weight: float = 0.25  # ... + centroid similarity (the rest) + lexical evidence
    translate: Literal["off", "auto", "en"] = "auto"  # auto: into the knowledge base's other language
    dual_query: bool = False  # also search with the translated words alone
    section_agg: Literal["max", "sum"] = "sum"
    sum_decay: float = 0.5


@dataclass
class PassageHit:
    row: int
    passage: Passage
    dense: float = 0.0
    lexical: float = 0.0
    dense_rank: int | None = None
    lexical_rank: int | None = None
    score: float = 0.0


@dataclass
class SectionHit:
    """All hits of one section anchor; ``score`` is its best passage's fused score."""

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

    @property
    def top_dense(self) -> float:
        return max((h.dense for h in self.hits if h.dense_rank is not None), default=0.0)

    @property
    def has_lexical_match(self) -> bool:
        return any(h.lexical_rank is not None for h in self.hits)


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
        # FAQ answers are in the index only to choose quotes; search a little deeper to skip them.
        self.answer_rows = min(50, sum(p.kind == "answer" for p in index.passages))
        self._answer_row = {(p.faq_id, p.language): i for i, p in enumerate(index.passages) if p.kind == "answer"}

    def _translations(self, question: Question) -> list[str]:
        """Words of the question in the knowledge base's other language (German <-> English)."""
        if self.params.translate == "off":
            return []
        targets = self.kb_languages - {question.language}
        if self.params.translate == "en":
            targets = {"en"} - {question.language}
        return self.glossary.translate(question.text, sorted(targets)) if targets else []

    def embed(self, question: Question) -> np.ndarray:
        """The query vector(s): the question with its translations appended, and with
        ``dual_query`` the translations alone as a second row."""
        extra = self._translations(question)
        texts = [question.text + (" (" + " ".join(extra) + ")" if extra else "")]
        if self.params.dual_query and len(extra) >= 2:
            texts.append(" ".join(extra))
        vectors = self.embedder.embed_batch(texts)
        return vectors if len(texts) > 1 else vectors[0]

    def embed_many(self, questions: list[Question]) -> list[np.ndarray]:
        """Query vectors of several questions in one encoder call."""
        if not questions:
            return []
        texts = []
        for q in questions:
            extra = self._translations(q)
            texts.append(q.text + (" (" + " ".join(extra) + ")" if extra else ""))
        return list(self.embedder.embed_batch(texts))

    def search(self, question: Question, mode: Mode = "fused", vector: np.ndarray | None = None) -> Retrieval:
        p = self.params
        hits: dict[int, PassageHit] = {}
        passages = self.index.passages
        if question.empty:
            return Retrieval(question, mode, None, [], [], [])
        if mode in ("dense", "fused"):
            vector = self.embed(question) if vector is None else vector
            best: dict[int, float] = {}
            for query in np.atleast_2d(vector):
                rows, scores = search_dense(self.index.dense, query, p.depth + self.answer_rows)
                for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
                    if passages[row].kind != "answer":
                        best[row] = max(best.get(row, -1.0), float(score))
            for rank, (row, score) in enumerate(sorted(best.items(), key=lambda kv: kv[1], reverse=True)):
                hits[row] = PassageHit(row, passages[row], dense=score, dense_rank=rank)
        if mode in ("lexical", "fused"):
            rows, scores = self.index.lexical.search(
                question.text, p.depth + self.answer_rows, self._translations(question)
            )
            rank = 0
            for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
                if passages[row].kind == "answer":
                    continue
                hit = hits.setdefault(row, PassageHit(row, passages[row]))
                hit.lexical, hit.lexical_rank = float(score), rank
                rank += 1
        if mode == "fused" and vector is not None:
            # Lexical-only hits get their true dense similarity too (a dot product), so every
            # candidate can be judged on both signals.
            missing = [h for h in hits.values() if h.dense_rank is None]
            if missing:
                vecs = np.stack([self.index.dense.reconstruct(h.row) for h in missing])
                sims = (vecs @ np.atleast_2d(vector).T).max(axis=1)
                for h, s in zip(missing, sims.tolist(), strict=True):
                    h.dense = float(s)
        top_lexical = max((h.lexical for h in hits.values()), default=0.0) or 1.0
        for h in hits.values():
            h.score = self._fuse(h, mode, top_lexical)
        ranked = sorted(hits.values(), key=lambda h: h.score, reverse=True)
        return Retrieval(question, mode, vector, ranked, self._sections(ranked), self._faq(ranked, top_lexical, vector))

    def _fuse(self, h: PassageHit, mode: Mode, top_lexical: float) -> float:
        p = self.params
        if mode == "dense":
            return h.dense if h.dense_rank is not None else 0.0
        if mode == "lexical":
            return h.lexical
        if p.method == "rrf":
            score = 0.0
            if h.dense_rank is not None:
                score += p.dense_weight / (p.rrf_k + h.dense_rank + 1)
            if h.lexical_rank is not None:
                score += p.lexical_weight / (p.rrf_k + h.lexical_rank + 1)
        else:
            score = p.dense_weight * h.dense + p.lexical_weight * (h.lexical / top_lexical)
        if h.passage.kind == "faq":
            score *= p.faq_weight
        return score

    def _sections(self, ranked: list[PassageHit]) -> list[SectionHit]:
        """Collapse hits by anchor (FAQ phrasings vote for their entry's sections)."""
        faq_anchors = {e.id: e.anchors for e in self.index.knowledge.faq}
        sections: dict[str, SectionHit] = {}
        summed = self.params.section_agg == "sum"
        for h in ranked:
            anchors = (
                faq_anchors.get(h.passage.faq_id, [h.passage.anchor]) if h.passage.kind == "faq" else [h.passage.anchor]
            )
            for i, anchor in enumerate(anchors):
                section = sections.get(anchor)
                score = h.score * (1.0 if i == 0 else 0.9)
                if section is None:
                    sections[anchor] = SectionHit(anchor, score, [h])
                else:
                    if summed:
                        section.score += score * self.params.sum_decay ** len(section.hits)
                    else:
                        section.score = max(section.score, score)
                    section.hits.append(h)
        return sorted(sections.values(), key=lambda s: s.score, reverse=True)

    def _faq(self, ranked: list[PassageHit], top_lexical: float, vector: np.ndarray | None) -> list[FaqMatch]:
        """Every FAQ entry scored: best phrasing and centroid similarity, plus lexical evidence."""
        faq = self.index.faq_vectors
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
            p = self.params
            score = p.faq_best_weight * best + (1 - p.faq_best_weight) * centroid + p.faq_lexical_weight * lex
        order = np.argsort(-score, kind="stable")[:20]
        return [
            FaqMatch(faq.ids[i], float(best[i]), float(centroid[i]), float(lex[i]), float(score[i]))
            for i in order
            if score[i] > 0
        ]

    def passages_matching(
        self, anchor: str, language: str, text: str, vector: np.ndarray | None = None
    ) -> list[PassageHit]:
        """The passages of one section ranked by BM25 against ``text`` (ties: by similarity to ``vector``)."""
        ranked = self.passages_of(anchor, language, vector)
        if not ranked:
            return ranked
        tokens = [t for t in self.index.lexical.analyzer.tokens(text) if t in self.index.lexical.bm25.vocab_dict]
        if not tokens:
            return ranked
        scores = self.index.lexical.bm25.get_scores(tokens)
        for h in ranked:
            h.lexical = float(scores[h.row])
        return sorted(ranked, key=lambda h: (h.lexical, h.dense), reverse=True)

    def answer_vector(self, faq_id: str, language: str) -> np.ndarray | None:
        row = self._answer_row.get((faq_id, language))
        if row is None:
            row = next((r for (f, _), r in self._answer_row.items() if f == faq_id), None)
        return None if row is None else self.index.dense.reconstruct(row)

    def passages_of(self, anchor: str, language: str, vector: np.ndarray | None) -> list[PassageHit]:
        """The passages of one section, ranked by similarity to ``vector``."""
        rows = [i for i, p in enumerate(self.index.passages) if p.kind == "section" and p.anchor == anchor]
        preferred = [i for i in rows if self.index.passages[i].language == language] or rows
        if not preferred:
            return []
        if vector is None:
            return [PassageHit(i, self.index.passages[i]) for i in preferred]
        vecs = np.stack([self.index.dense.reconstruct(i) for i in preferred])
        sims = (vecs @ np.atleast_2d(vector).T).max(axis=1).tolist()
        out = [PassageHit(i, self.index.passages[i], dense=float(s)) for i, s in zip(preferred, sims, strict=True)]
        return sorted(out, key=lambda h: h.dense, reverse=True)
