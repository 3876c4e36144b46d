"""FAISS search time at 100,000 passages for each index type offered (flat, hnsw, ivf).

python -m bench.search
"""

from __future__ import annotations

import json
import sys

import numpy as np

from bench.common import ROOT, machine, median, percentile, table, timed


def run(n: int = 100_000, dim: int = 384, queries: int = 200, k: int = 50) -> dict:
    from bot.index.dense import INDEX_TYPES, build_dense, search_dense

    rng = np.random.default_rng(1)
    # Clustered vectors, closer to real passage embeddings than uniform noise.
    centres = rng.normal(size=(500, dim)).astype(np.float32)
    vectors = centres[rng.integers(0, 500, n)] + 0.6 * rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    qs = vectors[rng.integers(0, n, queries)] + 0.3 * rng.normal(size=(queries, dim)).astype(np.float32)
    qs /= np.linalg.norm(qs, axis=1, keepdims=True)
    exact = (qs @ vectors.T).argsort(axis=1)[:, ::-1][:, :10]
    rows, result = [], {}
    for kind in INDEX_TYPES:
        build_s, index = timed(build_dense, vectors, kind)
        times, recall = [], []
        for q, truth in zip(qs, exact, strict=True):
            t, (found, _) = timed(search_dense, index, q, k)
            times.append(t)
            recall.append(len(set(found[:10].tolist()) & set(truth.tolist())) / 10)
        result[kind] = {
            "build_s": build_s,
            "p50_ms": 1000 * median(times),
            "p95_ms": 1000 * percentile(times, 0.95),
            "recall_at_10": float(np.mean(recall)),
        }
        rows.append(
            [
                kind,
                f"{build_s:.1f}",
                f"{1000 * median(times):.2f}",
                f"{1000 * percentile(times, 0.95):.2f}",
                f"{np.mean(recall):.3f}",
            ]
        )
    print(f"FAISS search — {machine()}; {n:,} vectors of {dim} dimensions, {queries} queries, k={k}")
    print(table(["index type", "build s", "search p50 ms", "search p95 ms", "recall@10 vs exact"], rows))
    return result


if __name__ == "__main__":
    out = run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "search.json").write_text(json.dumps(out, indent=1))
