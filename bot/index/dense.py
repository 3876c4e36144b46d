"""FAISS inner-product search on normalised vectors: exact by default, approximate on request."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

INDEX_TYPES = ("flat", "hnsw", "ivf")
HNSW_EF_SEARCH = 256  # measured (bench.search): recall@10 0.97 against exact search, under 1 ms


def build_dense(vectors: np.ndarray, index_type: str = "flat"):
    """flat: exact, no training (right for up to ~100k passages); hnsw: graph, no training;
    ivf: clustered, trained on the vectors themselves."""
    import faiss

    if index_type not in INDEX_TYPES:
        raise ValueError(f"unknown index type '{index_type}': use one of {', '.join(INDEX_TYPES)}")
    dim = vectors.shape[1]
    if index_type == "flat" or len(vectors) < 64:
        index = faiss.IndexFlatIP(dim)
    elif index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        nlist = max(1, min(int(4 * math.sqrt(len(vectors))), len(vectors) // 39))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
        index.nprobe = max(8, nlist // 8)
    if len(vectors):
        index.add(vectors)
    if hasattr(index, "make_direct_map"):
        index.make_direct_map()  # IVF: lets reconstruct(row) return a stored vector
    return index


def save_dense(index, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def load_dense(path: Path):
    import faiss

    index = faiss.read_index(str(path))
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    if hasattr(index, "nlist"):
        ivf = faiss.extract_index_ivf(index)
        ivf.nprobe = max(8, index.nlist // 8)
        ivf.make_direct_map()
    return index


def search_dense(index, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(passage rows, cosine scores) of the k nearest passages."""
    if index.ntotal == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    scores, rows = index.search(query.reshape(1, -1).astype(np.float32), min(k, index.ntotal))
    keep = rows[0] >= 0
    return rows[0][keep].astype(np.int64), scores[0][keep]
