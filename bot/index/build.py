"""`reindex`: knowledge/ -> index/, atomic (build aside, then swap a symlink) and incremental."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bot import __version__
from bot.errors import IndexBuildError, KnowledgeError
from bot.index.cache import EmbeddingCache
from bot.index.chunking import DEFAULT_MAX_CHARS, Passage, chunk_knowledge
from bot.index.dense import INDEX_TYPES, build_dense, save_dense
from bot.index.embedding import Embedder, embed_in_batches
from bot.index.lexical import LexicalIndex
from bot.index.manifest import (
    FORMAT_VERSION,
    MANIFEST,
    MULTILINGUAL_FILE,
    RULE_VECTORS_FILE,
    RULES_FILE,
    Manifest,
    checksums,
    damaged_file,
    knowledge_files,
    knowledge_hash,
)
from bot.knowledge import load_knowledge
from bot.knowledge.problems import Problem, warnings
from bot.rules.units import RuleUnit, knowledge_units

Progress = Callable[[str, int | None, int | None], None]
KEEP_BUILDS = 2


def state_dir(index_dir: Path) -> Path:
    """Builds, the embedding cache and the lock live next to index/, in .<name>.d/."""
    return index_dir.parent / f".{index_dir.name}.d"


@dataclass
class ReindexReport:
    """What a reindex changed, and where the time went."""

    index_dir: Path
    build_id: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    embedded: int = 0
    from_cache: int = 0
    multilingual_embedded: int | None = None  # None: the build has no multilingual channel
    full_rebuild_reason: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    knowledge_dir: Path | None = None

    @property
    def total_seconds(self) -> float:
        return self.seconds.get("total", 0.0)

    def summary(self) -> str:
        lines = [
            f"Index {self.index_dir} rebuilt (build {self.build_id}) in {self.total_seconds:.1f}s"
            + (f" — full rebuild: {self.full_rebuild_reason}" if self.full_rebuild_reason else ""),
            f"  passages: {len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; embedded {self.embedded}, from cache {self.from_cache}"
            + (
                f"; multilingual channel: embedded {self.multilingual_embedded}"
                if self.multilingual_embedded is not None
                else "; no multilingual channel"
            ),
            "  time: " + ", ".join(f"{k} {v:.2f}s" for k, v in self.seconds.items() if k != "total"),
        ]
        if self.warnings:
            where = f" --knowledge {self.knowledge_dir}" if self.knowledge_dir is not None else ""
            lines.append(f"  {len(self.warnings)} warning(s): run `guidelines-bot validate{where}` to see them")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "index": str(self.index_dir),
            "build_id": self.build_id,
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "unchanged": len(self.unchanged),
            "embedded": self.embedded,
            "from_cache": self.from_cache,
            "multilingual_embedded": self.multilingual_embedded,
            "full_rebuild_reason": self.full_rebuild_reason,
            "seconds": self.seconds,
            "counts": self.counts,
        }


@contextlib.contextmanager
def _build_lock(state: Path) -> Iterator[None]:
    state.mkdir(parents=True, exist_ok=True)
    with open(state / "reindex.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexBuildError("another reindex is running for this index; wait for it to finish") from exc
        yield


def previous_manifest(index_dir: Path) -> Manifest | None:
    try:
        return Manifest.read(index_dir)
    except (OSError, ValueError, TypeError):
        return None


def _swap(index_dir: Path, build: Path) -> None:
    """Point index_dir at ``build`` in one atomic rename of a symlink."""
    if index_dir.exists() and not index_dir.is_symlink():
        if (index_dir / MANIFEST).is_file() or not any(index_dir.iterdir()):
            legacy = build.parent / f"legacy-{int(time.time())}"
            index_dir.rename(legacy)
        else:
            raise IndexBuildError(f"{index_dir} exists and is not an index; move it away or pass another --index")
    link = index_dir.parent / f".{index_dir.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(os.path.relpath(build, index_dir.parent), link)
    os.replace(link, index_dir)
    fd = os.open(index_dir.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def complete_builds(builds: Path) -> list[Path]:
    """The complete builds in ``builds`` (not the partial ones), newest first."""
    if not builds.is_dir():
        return []
    complete = [p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(".partial")]
    return sorted(complete, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def _verifies(build: Path) -> bool:
    try:
        return damaged_file(build, Manifest.read(build)) is None
    except (OSError, ValueError, TypeError):
        return False


def _cleanup(builds: Path, current: Path) -> None:
    """Remove partial builds of dead processes, and every complete build but the current one and
    the newest KEEP_BUILDS - 1 previous ones that verify (loading falls back to those when the
    current one is damaged; a damaged one is no use for that)."""
    for path in builds.iterdir():
        if path.name.endswith(".partial") and path.name != current.name:
            shutil.rmtree(path, ignore_errors=True)
    kept = 0
    for old in complete_builds(builds):
        if old == current:
            continue
        if kept < KEEP_BUILDS - 1 and _verifies(old):
            kept += 1
        else:
            shutil.rmtree(old, ignore_errors=True)


def _verify_before_swap(build: Path, manifest: Manifest) -> None:
    damaged = damaged_file(build, manifest)
    if damaged is not None:
        name, what = damaged
        raise IndexBuildError(
            f"the new build's {name} {what} before it was swapped in; the previous index is unchanged; "
            "run the reindex again"
        )


class _UnitText:
    """A rule unit as the embedding cache sees it: its lead-in and text, and their hash."""

    def __init__(self, unit: RuleUnit) -> None:
        self.search_text = unit.search_text
        self.hash = hashlib.sha256(self.search_text.encode("utf-8")).hexdigest()[:32]


def _write_rules(path: Path, units: list[RuleUnit]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for unit in units:
            fh.write(json.dumps(unit.to_json(), ensure_ascii=False) + "\n")


def _write_passages(path: Path, passages: list[Passage]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for p in passages:
            fh.write(json.dumps(p.to_json(), ensure_ascii=False) + "\n")


def _model_info(embedder: Embedder, vectors: np.ndarray) -> dict:
    return {"name": embedder.name, "fingerprint": embedder.fingerprint, "dimension": int(vectors.shape[1])}


def _embed(
    cache_path: Path, embedder: Embedder, passages: list, batch_size: int, progress: Callable
) -> tuple[np.ndarray, int, int]:
    """The passages' vectors, new ones embedded batch by batch into the cache at ``cache_path``
    (a killed build keeps its progress). Returns (vectors, how many embedded, how many cached)."""
    cache = EmbeddingCache(cache_path, embedder.fingerprint)
    try:
        unique = list(dict.fromkeys(p.hash for p in passages))
        cached = cache.get_many(unique)
        missing = [h for h in unique if h not in cached]
        text_of = {p.hash: p.search_text for p in passages}
        if missing:
            progress(0, len(missing))

            def store(start: int, vectors: np.ndarray) -> None:
                cache.put_many(missing[start : start + len(vectors)], vectors)

            fresh = embed_in_batches(embedder, [text_of[h] for h in missing], batch_size, progress, on_batch=store)
            cached.update(zip(missing, fresh, strict=True))
        vectors = np.stack([cached[p.hash] for p in passages]).astype(np.float32)
        cache.prune(set(unique))
    finally:
        cache.close()
    return vectors, len(missing), len(unique) - len(missing)


def _compare_with_previous(
    report: ReindexReport, old: Manifest | None, passages: list[Passage], embedder: Embedder
) -> None:
    """Fill in what changed since the previous build and why a full rebuild happens, if it does."""
    old_hashes = old.passages if old else {}
    if old is None:
        report.full_rebuild_reason = "no previous index"
    elif old.format_version != FORMAT_VERSION:
        report.full_rebuild_reason = f"index format changed ({old.format_version} -> {FORMAT_VERSION})"
    elif old.model.get("fingerprint") != embedder.fingerprint:
        report.full_rebuild_reason = f"model changed ({old.model.get('name')} -> {embedder.name})"
    new_hashes = {p.id: p.hash for p in passages}
    for pid, h in new_hashes.items():
        if pid not in old_hashes:
            report.added.append(pid)
        elif old_hashes[pid] != h:
            report.changed.append(pid)
        else:
            report.unchanged.append(pid)
    report.removed = sorted(set(old_hashes) - set(new_hashes))


def reindex(
    knowledge_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    *,
    index_type: str = "flat",
    max_chars: int = DEFAULT_MAX_CHARS,
    progress: Progress | None = None,
    batch_size: int = 64,
    multilingual: Embedder | None = None,
) -> ReindexReport:
    """Build a new index from ``knowledge_dir`` and swap it in; the old one serves until then.
    ``multilingual``: a second encoder whose vectors form a second dense channel.

    Raises KnowledgeError when the knowledge has errors (nothing is touched) and IndexBuildError
    when the build fails (the previous index stays as it was).
    """

    def step(name: str, done: int | None = None, total: int | None = None) -> None:
        if progress:
            progress(name, done, total)

    if index_type not in INDEX_TYPES:
        raise IndexBuildError(f"unknown index type '{index_type}': use one of {', '.join(INDEX_TYPES)}")
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    step("validate")
    result = load_knowledge(knowledge_dir)
    if not result.ok:
        raise KnowledgeError(result.problems, knowledge_dir)
    kb = result.knowledge
    passages = chunk_knowledge(kb, max_chars)
    if not passages:
        raise IndexBuildError("the knowledge has no text to index")
    seconds["load+chunk"] = time.perf_counter() - t

    state = state_dir(index_dir)
    builds = state / "builds"
    with _build_lock(state):
        builds.mkdir(parents=True, exist_ok=True)
        build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + f"-{uuid.uuid4().hex[:8]}"
        partial = builds / f"{build_id}.partial"
        final = builds / build_id
        report = ReindexReport(
            index_dir=index_dir, build_id=build_id, warnings=warnings(result.problems), knowledge_dir=knowledge_dir
        )

        _compare_with_previous(report, previous_manifest(index_dir), passages, embedder)

        t = time.perf_counter()
        vectors, report.embedded, report.from_cache = _embed(
            state / "embeddings.sqlite3", embedder, passages, batch_size, lambda d, n: step("embed", d, n)
        )
        seconds["embed"] = time.perf_counter() - t
        multilingual_vectors = None
        if multilingual is not None:
            t = time.perf_counter()
            multilingual_vectors, report.multilingual_embedded, _ = _embed(
                state / "embeddings-multilingual.sqlite3",
                multilingual,
                passages,
                batch_size,
                lambda d, n: step("embed_multilingual", d, n),
            )
            seconds["embed_multilingual"] = time.perf_counter() - t
        units = knowledge_units(kb)
        unit_vectors = None
        if multilingual is not None and units:
            t = time.perf_counter()
            unit_vectors, _, _ = _embed(
                state / "embeddings-rules.sqlite3",
                multilingual,
                [_UnitText(u) for u in units],
                batch_size,
                lambda d, n: step("embed_rules", d, n),
            )
            seconds["embed_rules"] = time.perf_counter() - t
        t = time.perf_counter()

        step("write")
        try:
            partial.mkdir(parents=True)
            dense = build_dense(vectors, index_type)
            save_dense(dense, partial / "dense.faiss")
            if multilingual_vectors is not None:
                save_dense(build_dense(multilingual_vectors, index_type), partial / MULTILINGUAL_FILE)
            seconds["dense"] = time.perf_counter() - t
            t = time.perf_counter()
            LexicalIndex.build([p.search_text for p in passages]).save(partial / "lexical")
            seconds["lexical"] = time.perf_counter() - t
            t = time.perf_counter()
            _write_passages(partial / "passages.jsonl", passages)
            _write_rules(partial / RULES_FILE, units)
            if unit_vectors is not None:
                np.save(partial / RULE_VECTORS_FILE, unit_vectors)
            for src in knowledge_files(knowledge_dir):
                dest = partial / "knowledge" / src.relative_to(knowledge_dir)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)
            counts = kb.counts()
            report.counts = {
                **counts,
                "passages": len(passages),
                "section_passages": sum(p.kind == "section" for p in passages),
                "faq_passages": sum(p.kind == "faq" for p in passages),
            }
            seconds["total"] = time.perf_counter() - started
            manifest = Manifest(
                format_version=FORMAT_VERSION,
                model={"name": embedder.name, "fingerprint": embedder.fingerprint, "dimension": int(vectors.shape[1])},
                index_type=index_type,
                chunking={"max_chars": max_chars},
                counts=report.counts,
                knowledge_hash=knowledge_hash(knowledge_dir),
                passages={p.id: p.hash for p in passages},
                built_at=datetime.now(UTC).isoformat(timespec="seconds"),
                build_seconds=round(seconds["total"], 3),
                tool_version=__version__,
                extra={
                    "knowledge_dir": str(Path(knowledge_dir).resolve()),
                    **({"multilingual": _model_info(multilingual, multilingual_vectors)} if multilingual else {}),
                },
                files=checksums(partial),
            )
            manifest.write(partial)
            partial.rename(final)
            step("swap")
            _verify_before_swap(final, manifest)
            _swap(index_dir, final)
            seconds["write+swap"] = time.perf_counter() - t
        except IndexBuildError:
            shutil.rmtree(partial, ignore_errors=True)
            if index_dir.resolve() != final:
                shutil.rmtree(final, ignore_errors=True)
            raise
        except OSError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            if index_dir.resolve() != final:
                shutil.rmtree(final, ignore_errors=True)
            raise IndexBuildError(f"writing the index failed ({exc}); the previous index is unchanged") from exc
        _cleanup(builds, final)
        seconds["total"] = time.perf_counter() - started
        report.seconds = {k: round(v, 3) for k, v in seconds.items()}
        return report
