"""Loading an index for serving, and swapping in a newer one without a restart."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from bot.errors import GuidelinesBotError, IndexCorruptError, IndexMismatchError, IndexMissingError
from bot.index.chunking import Passage
from bot.index.dense import load_dense
from bot.index.embedding import Embedder
from bot.index.lexical import LexicalIndex
from bot.index.manifest import (
    FORMAT_VERSION,
    MANIFEST,
    MULTILINGUAL_FILE,
    RULE_VECTORS_FILE,
    RULES_FILE,
    Manifest,
    damaged_file,
    knowledge_hash,
)
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.rules.units import RuleUnit

log = logging.getLogger(__name__)


def _hint(index_dir: Path, knowledge_dir: Path | None = None) -> str:
    knowledge = f" --knowledge {knowledge_dir}" if knowledge_dir is not None else ""
    return f"run `guidelines-bot reindex{knowledge} --index {index_dir}`"


@dataclass(frozen=True)
class FaqVectors:
    ids: list[str]
    rows: np.ndarray  # passage rows, grouped by entry
    starts: np.ndarray  # where each entry's rows start (for np.maximum.reduceat)
    vectors: np.ndarray
    centroids: np.ndarray


@dataclass
class LoadedIndex:
    """One immutable build: passages, vectors, BM25 and the knowledge it was built from."""

    directory: Path
    manifest: Manifest
    passages: list[Passage]
    dense: object
    lexical: LexicalIndex
    knowledge: KnowledgeBase
    multilingual: object | None = None  # the second dense channel (FAISS), when built and configured
    multilingual_encoder: Embedder | None = None  # ... and the encoder its questions need
    fallback_from: str | None = None  # the damaged build this one stands in for, until a reindex
    damage: str | None = None  # ... and what is wrong with it: "dense.faiss is missing"

    @property
    def degraded(self) -> bool:
        """True when this is an older build, served because the current one is damaged."""
        return self.fallback_from is not None

    @property
    def built_from(self) -> Path | None:
        """The knowledge directory the build was made from (None for builds older than this record)."""
        value = self.manifest.extra.get("knowledge_dir")
        return Path(value) if value else None

    @property
    def build_id(self) -> str:
        return self.directory.name

    @cached_property
    def rules(self) -> list[RuleUnit]:
        """The rule units of the build (none for a build made before they existed)."""
        path = self.directory / RULES_FILE
        if not path.is_file():
            return []
        with path.open(encoding="utf-8") as fh:
            return [RuleUnit.from_json(json.loads(line)) for line in fh if line.strip()]

    @cached_property
    def rule_vectors(self) -> np.ndarray | None:
        """The rule units in the multilingual encoder's space, when the build has them and the
        multilingual channel is in use."""
        path = self.directory / RULE_VECTORS_FILE
        if self.multilingual is None or not path.is_file():
            return None
        vectors = np.load(path)
        return vectors if len(vectors) == len(self.rules) else None

    @cached_property
    def rule_anchors(self) -> np.ndarray | None:
        """The section anchor of each row of ``rule_vectors``."""
        return np.array([u.anchor for u in self.rules]) if self.rule_vectors is not None else None

    @cached_property
    def rule_tokens(self) -> list[frozenset[str]]:
        """The BM25 tokens of each rule unit (its words as the lexical channel reads them)."""
        return [frozenset(self.lexical.analyzer.tokens(u.search_text)) for u in self.rules]

    @cached_property
    def preambles(self) -> frozenset[str]:
        """Anchors of the documents' untitled top sections (intro, scope)."""
        return frozenset(s.anchor for s in self.knowledge.sections if s.level == 1)

    @cached_property
    def faq_vectors(self) -> FaqVectors:
        """The FAQ phrasings' vectors grouped by entry, and each entry's centroid."""
        by_entry: dict[str, list[int]] = {}
        for row, p in enumerate(self.passages):
            if p.kind == "faq" and p.faq_id:
                by_entry.setdefault(p.faq_id, []).append(row)
        ids = list(by_entry)
        rows = [r for f in ids for r in by_entry[f]]
        dim = int(self.manifest.model.get("dimension", 0)) or self.dense.d
        vectors = np.stack([self.dense.reconstruct(r) for r in rows]) if rows else np.zeros((0, dim), np.float32)
        starts = np.cumsum([0] + [len(by_entry[f]) for f in ids[:-1]]).astype(np.int64)
        centroids = (
            np.stack([vectors[s : s + len(by_entry[f])].mean(axis=0) for s, f in zip(starts, ids, strict=True)])
            if ids
            else np.zeros((0, dim), np.float32)
        )
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        return FaqVectors(
            ids, np.array(rows, dtype=np.int64), starts, vectors, centroids / np.where(norms == 0, 1, norms)
        )

    def is_stale(self, knowledge_dir: Path) -> bool:
        """True when knowledge_dir changed since this index was built."""
        try:
            return knowledge_hash(knowledge_dir) != self.manifest.knowledge_hash
        except OSError:
            return False


def load_index(
    index_dir: Path,
    embedder: Embedder | None = None,
    multilingual: Embedder | None = None,
    knowledge_dir: Path | None = None,
) -> LoadedIndex:
    """Load and check an index; refuse one built with another model or format. The multilingual
    channel is used when the build has it and ``multilingual`` is given (with the same weights).

    A damaged build (a file missing, unreadable or not matching its checksum in the manifest)
    gives way to the newest previous complete build that verifies, with one ERROR log line; the
    index returned says so in ``fallback_from`` and ``damage``. Without such a build: IndexCorruptError."""
    index_dir = Path(index_dir)
    directory = index_dir.resolve()
    if index_dir.is_symlink() and not directory.exists():
        damage = _corrupt(index_dir, directory, "the build it points to is gone", None, knowledge_dir)
    elif index_dir.is_symlink() and not (directory / MANIFEST).is_file():
        damage = _corrupt(index_dir, directory, f"{MANIFEST} is missing", MANIFEST, knowledge_dir)
    else:
        try:
            return _load_build(index_dir, directory, embedder, multilingual, knowledge_dir)
        except IndexCorruptError as exc:
            damage = exc
    return _fall_back(index_dir, directory, damage, embedder, multilingual, knowledge_dir)


def _short(exc: Exception) -> str:
    """An exception as a short line (FAISS's carry C++ locations and paths)."""
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return line if len(line) <= 160 else line[:159] + "…"


def _corrupt(
    index_dir: Path, build: Path, problem: str, file: str | None, knowledge_dir: Path | None, note: str = ""
) -> IndexCorruptError:
    return IndexCorruptError(
        f"the index build {build.name} at {index_dir} is damaged: {problem}{note}; {_hint(index_dir, knowledge_dir)}",
        problem,
        file,
    )


def _fall_back(
    index_dir: Path,
    damaged: Path,
    damage: IndexCorruptError,
    embedder: Embedder | None,
    multilingual: Embedder | None,
    knowledge_dir: Path | None,
) -> LoadedIndex:
    """The newest previous complete build that verifies and fits the configured model, logged loudly."""
    from bot.index.build import complete_builds, state_dir

    for candidate in complete_builds(state_dir(index_dir) / "builds"):
        if candidate == damaged:
            continue
        try:
            index = _load_build(index_dir, candidate, embedder, multilingual, knowledge_dir)
        except GuidelinesBotError:  # damaged as well, or built with another model or format
            continue
        index.fallback_from, index.damage = damaged.name, damage.problem
        log.error(
            "index build %s is damaged: %s; serving the previous complete build %s (built %s) instead "
            "until the index is rebuilt: %s or `/mayipost admin reindex`",
            damaged.name,
            damage.problem,
            index.build_id,
            index.manifest.built_at,
            _hint(index_dir, knowledge_dir),
        )
        return index
    raise _corrupt(
        index_dir,
        damaged,
        damage.problem,
        damage.file,
        knowledge_dir,
        note=", and no previous complete build verifies to fall back to",
    )


def _load_build(
    index_dir: Path,
    directory: Path,
    embedder: Embedder | None,
    multilingual: Embedder | None,
    knowledge_dir: Path | None,
) -> LoadedIndex:
    """Load the build in ``directory`` (``index_dir`` is what the messages name)."""
    if not (directory / MANIFEST).is_file():
        if directory.exists() and any(directory.iterdir()):
            raise IndexMismatchError(
                f"{index_dir} has no {MANIFEST}: it is not a complete index; {_hint(index_dir, knowledge_dir)}"
            )
        raise IndexMissingError(f"no index at {index_dir}; {_hint(index_dir, knowledge_dir)}")
    try:
        manifest = Manifest.read(directory)
    except (OSError, ValueError, TypeError) as exc:
        problem = f"{MANIFEST} is unreadable ({_short(exc)})"
        raise _corrupt(index_dir, directory, problem, MANIFEST, knowledge_dir) from exc
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"the index at {index_dir} has format {manifest.format_version}, this version "
            f"of guidelines-bot reads format {FORMAT_VERSION}; {_hint(index_dir, knowledge_dir)}"
        )
    if embedder is not None and manifest.model.get("fingerprint") != embedder.fingerprint:
        raise IndexMismatchError(
            f"the index at {index_dir} was built with model '{manifest.model.get('name')}' "
            f"(weights {str(manifest.model.get('fingerprint'))[:8]}), but the bot is configured with "
            f"'{embedder.name}' (weights {embedder.fingerprint[:8]}); {_hint(index_dir, knowledge_dir)}"
        )
    damaged = damaged_file(directory, manifest)
    if damaged is not None:
        name, what = damaged
        raise _corrupt(index_dir, directory, f"{name} {what}", name, knowledge_dir)
    name = "passages.jsonl"
    try:
        with (directory / name).open(encoding="utf-8") as fh:
            passages = [Passage.from_json(json.loads(line)) for line in fh]
        name = "dense.faiss"
        dense = load_dense(directory / name)
        name = "lexical"
        lexical = LexicalIndex.load(directory / name)
    except (OSError, ValueError, RuntimeError) as exc:
        raise _corrupt(index_dir, directory, f"{name} does not load ({_short(exc)})", name, knowledge_dir) from exc
    if len(passages) != dense.ntotal or len(passages) != len(manifest.passages):
        raise _corrupt(
            index_dir,
            directory,
            f"its files disagree ({len(passages)} passages, {dense.ntotal} vectors, "
            f"{len(manifest.passages)} in {MANIFEST})",
            None,
            knowledge_dir,
        )
    channel = _multilingual_channel(index_dir, directory, manifest, multilingual, len(passages))
    result = load_knowledge(directory / "knowledge")
    if result.knowledge is None or not result.ok:
        raise IndexMismatchError(
            f"the knowledge snapshot in {directory} does not load; {_hint(index_dir, knowledge_dir)}"
        )
    index = LoadedIndex(directory, manifest, passages, dense, lexical, result.knowledge)
    if channel is not None:
        index.multilingual, index.multilingual_encoder = channel, multilingual
    return index


def _multilingual_channel(
    index_dir: Path, directory: Path, manifest: Manifest, encoder: Embedder | None, count: int
) -> object | None:
    """The build's multilingual FAISS index, if it has one and an encoder is configured."""
    info = manifest.extra.get("multilingual")
    if encoder is None or not info:
        return None
    if info.get("fingerprint") != encoder.fingerprint:
        raise IndexMismatchError(
            f"the index at {index_dir} was built with multilingual encoder '{info.get('name')}', but the bot "
            f"is configured with '{encoder.name}' ({encoder.fingerprint}); {_hint(index_dir)}"
        )
    try:
        channel = load_dense(directory / MULTILINGUAL_FILE)
    except (OSError, RuntimeError) as exc:
        raise _corrupt(
            index_dir, directory, f"{MULTILINGUAL_FILE} does not load ({_short(exc)})", MULTILINGUAL_FILE, None
        ) from exc
    if channel.ntotal != count:
        raise _corrupt(
            index_dir, directory, f"{MULTILINGUAL_FILE} has {channel.ntotal} vectors for {count} passages", None, None
        )
    return channel


FOLLOW_SECONDS = 2.0  # how often a serving process looks whether another one swapped in a build


class IndexHolder:
    """Holds the index being served. Readers take ``current`` once per question, so a swap never
    changes the index under a question that is being answered. ``follow`` makes a serving process
    pick up a build another process swapped in (a command-line ``reindex``, another worker's
    ``/mayipost admin reindex``)."""

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        index: LoadedIndex | None = None,
        multilingual: Embedder | None = None,
        knowledge_dir: Path | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.embedder = embedder
        self.multilingual = multilingual
        self.knowledge_dir = knowledge_dir
        self._current = index or load_index(self.index_dir, embedder, multilingual, knowledge_dir)
        self._lock = threading.Lock()
        self._seen = self.index_dir.resolve()  # the build index_dir pointed to when last looked at

    @property
    def current(self) -> LoadedIndex:
        return self._current

    def reload(self) -> bool:
        """Load the index index_dir points to now; True if it is a different build."""
        with self._lock:
            target = self.index_dir.resolve()
            self._seen = target
            if target == self._current.directory:
                return False
            self._current = load_index(self.index_dir, self.embedder, self.multilingual, self.knowledge_dir)
            return True

    def reload_if_swapped(self) -> bool:
        """Load the build index_dir points to if it changed since last looked at; True if a new
        build is now served. A build that cannot be loaded is logged once and the old one keeps
        serving (the next swap is tried again)."""
        if self.index_dir.resolve() == self._seen:
            return False
        try:
            swapped = self.reload()
        except GuidelinesBotError as exc:
            log.error("the index build %s was swapped in but cannot be served: %s", self._seen.name, exc)
            return False
        if swapped and not self._current.degraded:  # a damaged build: load_index said so already
            log.info("index build %s swapped in by another process, now serving it", self._current.build_id)
        return swapped

    def follow(self, interval: float = FOLLOW_SECONDS) -> threading.Event:
        """Look every ``interval`` seconds, in a daemon thread, whether another process swapped in
        a build, and serve it. Set the returned event to stop."""
        stop = threading.Event()

        def run() -> None:
            while not stop.wait(interval):
                try:
                    self.reload_if_swapped()
                except Exception:  # a broken look must not end the thread; the next one tries again
                    log.exception("following index swaps failed")

        threading.Thread(target=run, name="index-follow", daemon=True).start()
        return stop

    def reindex(self, knowledge_dir: Path, **options):
        """Rebuild from knowledge_dir with the loaded model, then swap in the new build."""
        from bot.index.build import reindex

        report = reindex(Path(knowledge_dir), self.index_dir, self.embedder, multilingual=self.multilingual, **options)
        self.reload()
        return report
