"""Our fused retrieval against the two usual alternatives, on the same corpus, model and questions:
plain sentence-transformers semantic search (dense only) and plain BM25 (bm25s with an English
stemmer). Latency per question and Recall@3 of the expected guideline section.

    python -m bench.compare
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.common import ROOT, SHIPPED, machine, median, multilingual, percentile, shipped_index, table, timed


def _anchors_from_rows(rows, passages, faq_anchors) -> list[str]:
    seen: list[str] = []
    for row in rows:
        p = passages[row]
        for anchor in faq_anchors.get(p.faq_id, [p.anchor]) if p.kind == "faq" else [p.anchor]:
            if anchor not in seen:
                seen.append(anchor)
    return seen


def _recall(ranked: list[list[str]], gold: list[list[str]], k: int = 3) -> float:
    hits = [bool(set(r[:k]) & set(g)) for r, g in zip(ranked, gold, strict=True)]
    return sum(hits) / len(hits)


def run(index_dir: Path | None = None) -> dict:
    import bm25s
    import Stemmer
    from sentence_transformers import util

    from bot.index.embedding import make_embedder
    from bot.knowledge import load_knowledge
    from bot.question import prepare
    from bot.service import AnswerService

    cases = [q for q in load_knowledge(SHIPPED, environ={}).knowledge.eval.questions if q.anchors]
    gold = [c.anchors for c in cases]
    embedder = make_embedder("all-MiniLM-L6-v2")
    with shipped_index(embedder, index_dir) as index_dir:
        service = AnswerService(SHIPPED, index_dir, embedder, multilingual=multilingual())
        service.warm_up()
        index = service.index
        searchable = [i for i, p in enumerate(index.passages) if p.kind != "answer"]
        passages = [index.passages[i] for i in searchable]
        faq_anchors = {e.id: e.anchors for e in index.knowledge.faq}
        corpus = embedder.embed_batch([p.search_text for p in passages])  # same vectors as the index
        stemmer = Stemmer.Stemmer("english")
        bm25 = bm25s.BM25()
        bm25.index(
            bm25s.tokenize([p.search_text for p in passages], stopwords="en", stemmer=stemmer, show_progress=False),
            show_progress=False,
        )

        def dense(q: str) -> list[str]:
            hits = util.semantic_search(embedder.embed_batch([q]), corpus, top_k=50)[0]
            return _anchors_from_rows([h["corpus_id"] for h in hits], passages, faq_anchors)

        def lexical(q: str) -> list[str]:
            tokens = bm25s.tokenize([q], stopwords="en", stemmer=stemmer, show_progress=False)
            rows, scores = bm25.retrieve(tokens, k=50, show_progress=False)
            return _anchors_from_rows(
                [r for r, s in zip(rows[0], scores[0], strict=True) if s > 0], passages, faq_anchors
            )

        answerer = service.answerer()

        def fused(q: str) -> list[str]:
            return [s.anchor for s in answerer.retriever.search(prepare(q)).sections]

        def answered(q: str) -> list[str]:
            return [c.anchor for c in service.answer(q).citations]

        methods = {
            "sentence-transformers semantic search (dense only)": dense,
            "BM25 only (bm25s, English stemmer)": lexical,
            "guidelines-bot fused retrieval": fused,
            "guidelines-bot full answer (citations)": answered,
        }
        results: dict[str, dict] = {}
        for name, method in methods.items():
            measured = [timed(method, c.question) for c in cases]
            results[name] = {"times": [t for t, _ in measured], "ranked": [r for _, r in measured]}

    rows, out = [], {}
    for name, r in results.items():
        recall = _recall(r["ranked"], gold)
        out[name] = {
            "recall_at_3": recall,
            "p50_ms": 1000 * median(r["times"]),
            "p95_ms": 1000 * percentile(r["times"], 0.95),
        }
        p50, p95 = 1000 * median(r["times"]), 1000 * percentile(r["times"], 0.95)
        rows.append([name, f"{recall:.3f}", f"{p50:.1f}", f"{p95:.1f}"])
    print(
        f"Retrieval compared — {machine()}; {len(cases)} questions of knowledge/eval.yaml, "
        f"{len(passages)} passages (guideline text + FAQ phrasings), all-MiniLM-L6-v2"
    )
    print(table(["method", "Recall@3", "p50 ms", "p95 ms"], rows))
    return out


if __name__ == "__main__":
    result = run()
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "compare.json").write_text(json.dumps(result, indent=1))
