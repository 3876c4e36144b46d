"""Embeddings cached by (model fingerprint, passage text hash) in SQLite; survives killed builds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np


class EmbeddingCache:
    """Vectors written batch by batch, each batch committed, so a killed build keeps its progress."""

    def __init__(self, path: Path, fingerprint: str, dimension: int | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fingerprint = fingerprint
        self.conn = sqlite3.connect(str(path), timeout=30)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors (fingerprint TEXT, hash TEXT, dim INTEGER, "
            "vector BLOB, PRIMARY KEY (fingerprint, hash))"
        )
        self.conn.commit()

    def get_many(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT hash, vector FROM vectors WHERE fingerprint=? AND hash IN ({marks})",
                [self.fingerprint, *chunk],
            )
            for h, blob in rows:
                found[h] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, hashes: list[str], vectors: np.ndarray) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)",
            [
                (self.fingerprint, h, int(v.shape[0]), v.astype(np.float32).tobytes())
                for h, v in zip(hashes, vectors, strict=True)
            ],
        )
        self.conn.commit()

    def prune(self, keep: set[str]) -> int:
        """Drop vectors of other models and of passages that no longer exist."""
        rows = self.conn.execute("SELECT fingerprint, hash FROM vectors").fetchall()
        drop = [(f, h) for f, h in rows if f != self.fingerprint or h not in keep]
        self.conn.executemany("DELETE FROM vectors WHERE fingerprint=? AND hash=?", drop)
        self.conn.commit()
        return len(drop)

    def close(self) -> None:
        self.conn.close()
