"""A damaged build (issue 13, point 4): every file has a checksum in the manifest; loading falls
back to the newest previous complete build that verifies, says so loudly, and refuses in one
readable error when there is none; a reindex verifies its build before it swaps it in."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

import pytest

from bot.errors import IndexBuildError, IndexCorruptError
from bot.index.build import complete_builds, reindex, state_dir
from bot.index.embedding import make_embedder
from bot.index.store import IndexHolder, load_index


@pytest.fixture
def hashing():
    return make_embedder("hashing-64")


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))


def empty_file(path: Path) -> None:
    path.write_bytes(b"")


DAMAGE = {
    "manifest.json truncated": ("manifest.json", truncate, "manifest.json is unreadable"),
    "dense.faiss truncated": ("dense.faiss", truncate, "dense.faiss does not match its checksum"),
    "dense.faiss one bit flipped": ("dense.faiss", flip_last_byte, "dense.faiss does not match its checksum"),
    "passages.jsonl emptied": ("passages.jsonl", empty_file, "passages.jsonl does not match its checksum"),
    "a BM25 file removed": ("lexical/params.index.json", Path.unlink, "lexical/params.index.json is missing"),
    "the knowledge copy changed": (
        "knowledge/faq.yaml",
        lambda p: p.write_text(p.read_text() + "\n# edited\n"),
        "knowledge/faq.yaml does not match its checksum",
    ),
}


def two_builds(knowledge: Path, index_dir: Path, embedder) -> tuple[Path, Path]:
    """Two complete builds; the second is the one index_dir points to."""
    reindex(knowledge, index_dir, embedder)
    first = index_dir.resolve()
    reindex(knowledge, index_dir, embedder)
    return first, index_dir.resolve()


def errors_of(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_manifest_records_a_checksum_of_every_file(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    reindex(small_kb, index_dir, hashing)
    build = index_dir.resolve()
    files = json.loads((build / "manifest.json").read_text())["files"]
    on_disk = {p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(files) == on_disk and {"dense.faiss", "passages.jsonl", "knowledge/faq.yaml"} <= on_disk
    for name, checksum in files.items():
        assert checksum == hashlib.sha256((build / name).read_bytes()).hexdigest(), name


@pytest.mark.parametrize(("file", "damage", "problem"), DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_build_falls_back_to_the_previous_one_and_says_so(
    small_kb, tmp_path, hashing, caplog, file, damage, problem
):
    index_dir = tmp_path / "index"
    previous, current = two_builds(small_kb, index_dir, hashing)
    damage(current / file)
    with caplog.at_level(logging.INFO):
        index = load_index(index_dir, hashing, knowledge_dir=small_kb)
    assert index.build_id == previous.name and index.degraded
    assert index.fallback_from == current.name and index.damage.startswith(problem)
    rows, _ = index.lexical.search("Presseanfragen Unternehmenskommunikation", 1)
    assert index.passages[rows[0]].anchor == "press"  # it answers
    [line] = errors_of(caplog)
    message = line.getMessage()
    assert f"index build {current.name} is damaged: {problem}" in message
    assert f"serving the previous complete build {previous.name}" in message
    assert f"guidelines-bot reindex --knowledge {small_kb} --index {index_dir}" in message
    assert "\n" not in message
    assert index_dir.resolve() == current  # serving never moves the index; a reindex does


def test_a_build_whose_directory_is_gone_falls_back(small_kb, tmp_path, hashing, caplog):
    index_dir = tmp_path / "index"
    previous, current = two_builds(small_kb, index_dir, hashing)
    shutil.rmtree(current)
    index = load_index(index_dir, hashing)
    assert (index.build_id, index.fallback_from) == (previous.name, current.name)
    assert index.damage == "the build it points to is gone"
    assert len(errors_of(caplog)) == 1


def test_an_intact_build_is_not_degraded(small_kb, tmp_path, hashing, caplog):
    index_dir = tmp_path / "index"
    two_builds(small_kb, index_dir, hashing)
    index = load_index(index_dir, hashing)
    assert not index.degraded and index.fallback_from is None and index.damage is None
    assert errors_of(caplog) == []


@pytest.mark.parametrize(("file", "damage", "problem"), DAMAGE.values(), ids=DAMAGE.keys())
def test_without_a_previous_build_the_error_names_the_file_and_the_fix(
    small_kb, tmp_path, hashing, file, damage, problem
):
    index_dir = tmp_path / "index"
    reindex(small_kb, index_dir, hashing)
    build = index_dir.resolve()
    damage(build / file)
    with pytest.raises(IndexCorruptError) as raised:
        load_index(index_dir, hashing, knowledge_dir=small_kb)
    assert str(raised.value) == (
        f"the index build {build.name} at {index_dir} is damaged: {raised.value.problem}, and no previous "
        f"complete build verifies to fall back to; run `guidelines-bot reindex --knowledge {small_kb} "
        f"--index {index_dir}`"
    )
    assert raised.value.problem.startswith(problem) and raised.value.file == file


def test_the_build_kept_for_a_fallback_is_one_that_verifies(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    oldest, middle = two_builds(small_kb, index_dir, hashing)
    truncate(middle / "dense.faiss")
    reindex(small_kb, index_dir, hashing)  # keeps the newest previous build that verifies, not the newest
    newest = index_dir.resolve()
    assert complete_builds(state_dir(index_dir) / "builds") == [newest, oldest]
    truncate(newest / "dense.faiss")
    index = load_index(index_dir, hashing)
    assert (index.build_id, index.fallback_from) == (oldest.name, newest.name)


def test_when_the_previous_build_is_damaged_too_loading_fails(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    previous, current = two_builds(small_kb, index_dir, hashing)
    truncate(current / "dense.faiss")
    flip_last_byte(previous / "passages.jsonl")
    with pytest.raises(IndexCorruptError, match=r"dense.faiss does not match .*no previous complete build verifies"):
        load_index(index_dir, hashing)


def test_a_reindex_ends_the_fallback(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    previous, current = two_builds(small_kb, index_dir, hashing)
    truncate(current / "dense.faiss")
    holder = IndexHolder(index_dir, hashing)
    assert holder.current.build_id == previous.name and holder.current.degraded
    holder.reindex(small_kb)
    assert not holder.current.degraded and holder.current.build_id == index_dir.resolve().name


def test_a_build_damaged_before_the_swap_is_never_swapped_in(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    reindex(small_kb, index_dir, hashing)
    good = index_dir.resolve()
    builds = state_dir(index_dir) / "builds"

    def damage_the_new_build(step, done, total):
        if step == "swap":  # written and complete, about to be swapped in
            [new] = [b for b in complete_builds(builds) if b != good]
            truncate(new / "dense.faiss")

    with pytest.raises(IndexBuildError, match=r"the new build's dense.faiss does not match its checksum"):
        reindex(small_kb, index_dir, hashing, progress=damage_the_new_build)
    assert index_dir.resolve() == good
    assert complete_builds(builds) == [good]  # the damaged build is gone
    assert not load_index(index_dir, hashing).degraded
