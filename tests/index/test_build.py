"""reindex: atomic, incremental, refuses mismatches, survives kill -9, stays offline."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from bot.errors import IndexMismatchError, IndexMissingError, KnowledgeError
from bot.index.build import reindex, state_dir
from bot.index.dense import build_dense, search_dense
from bot.index.embedding import make_embedder
from bot.index.store import IndexHolder, load_index
from tests.conftest import ROOT, small_kb_files, write_kb


@pytest.fixture
def hashing():
    return make_embedder("hashing-64")


def test_reindex_builds_a_loadable_index_with_manifest(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    report = reindex(small_kb, index_dir, hashing)
    assert report.full_rebuild_reason == "no previous index"
    assert report.embedded == len(report.added) > 0 and not report.changed and not report.removed
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert manifest["model"] == {"name": "hashing-64", "fingerprint": hashing.fingerprint, "dimension": 64}
    assert manifest["format_version"] == 1 and manifest["index_type"] == "flat"
    assert set(manifest["passages"]) == set(report.added)
    assert manifest["counts"]["faq_passages"] == 2 and manifest["counts"]["sections"] == {"de": 3, "en": 3}
    assert len(manifest["knowledge_hash"]) == 32 and manifest["built_at"]
    index = load_index(index_dir, hashing)
    assert len(index.passages) == index.dense.ntotal == len(manifest["passages"])
    assert index.knowledge.faq[0].id == "event-photos"
    rows, scores = index.lexical.search("Presseanfragen Unternehmenskommunikation", 3)
    assert index.passages[rows[0]].anchor == "press"


def test_editing_one_section_changes_only_its_passages(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    first = reindex(small_kb, index_dir, hashing)
    path = small_kb / "guidelines/en/guidelines.md"
    path.write_text(path.read_text().replace("Press inquiries always go", "Press and podcast inquiries always go"))
    second = reindex(small_kb, index_dir, hashing)
    assert second.changed == ["en/press/0"]
    assert second.added == [] and second.removed == []
    assert len(second.unchanged) == len(first.added) - 1
    assert second.embedded == 1 and second.from_cache == len(first.added) - 1
    assert second.full_rebuild_reason is None


def test_removed_and_added_passages_are_reported(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    reindex(small_kb, index_dir, hashing)
    path = small_kb / "guidelines/de/richtlinien.md"
    old = "## Presse {#press}\n\nPresseanfragen gehen immer an die Unternehmenskommunikation.\n"
    text = path.read_text().replace(old, "## Schulung {#training}\n\nEs gibt ein E-Learning.\n")
    path.write_text(text)
    report = reindex(small_kb, index_dir, hashing)
    assert report.removed == ["de/press/0"] and report.added == ["de/training/0"]


def test_a_changed_model_forces_a_full_rebuild(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    first = reindex(small_kb, index_dir, hashing)
    report = reindex(small_kb, index_dir, make_embedder("hashing-128"))
    assert report.full_rebuild_reason == "model changed (hashing-64 -> hashing-128)"
    assert report.embedded == len(first.added)


def test_bad_knowledge_never_replaces_a_good_index(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    reindex(small_kb, index_dir, hashing)
    good = index_dir.resolve()
    (small_kb / "faq.yaml").write_text("entries:\n  - id: x\n   broken: [\n")
    with pytest.raises(KnowledgeError, match=r"faq.yaml:3: broken YAML"):  # the CLI says "Error:" once
        reindex(small_kb, index_dir, hashing)
    assert index_dir.resolve() == good
    assert load_index(index_dir, hashing).knowledge.faq[0].id == "event-photos"


def test_loading_refuses_another_model_or_format_with_a_hint(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    with pytest.raises(IndexMissingError, match=r"no index at .*run `guidelines-bot reindex"):
        load_index(index_dir, hashing)
    reindex(small_kb, index_dir, hashing)
    with pytest.raises(
        IndexMismatchError,
        match=r"built with model 'hashing-64'.*configured with 'hashing-128'"
        r".*run `guidelines-bot reindex",
    ):
        load_index(index_dir, make_embedder("hashing-128"))
    manifest = index_dir / "manifest.json"
    data = json.loads(manifest.read_text())
    data["format_version"] = 99
    manifest.write_text(json.dumps(data))
    with pytest.raises(IndexMismatchError, match=r"has format 99, this version of guidelines-bot reads format 1"):
        load_index(index_dir, hashing)


def test_stale_index_is_detected(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    reindex(small_kb, index_dir, hashing)
    index = load_index(index_dir, hashing)
    assert not index.is_stale(small_kb)
    (small_kb / "guidelines/en/guidelines.md").write_text("# Changed\n\nNew text.\n")
    assert index.is_stale(small_kb)


def test_hot_swap_keeps_in_flight_readers_on_their_index(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    reindex(small_kb, index_dir, hashing)
    holder = IndexHolder(index_dir, hashing)
    in_flight = holder.current
    path = small_kb / "guidelines/en/guidelines.md"
    path.write_text(path.read_text() + "\n## Training {#training}\n\nThere is an e-learning course.\n")
    report = holder.reindex(small_kb)
    assert report.added == ["en/training/0"]
    assert holder.current is not in_flight
    assert "en/training/0" in {p.id for p in holder.current.passages}
    assert "en/training/0" not in {p.id for p in in_flight.passages}
    assert in_flight.lexical.search("press inquiries", 1)[0].size == 1  # the old one still answers
    assert holder.reload() is False


def test_old_builds_are_cleaned_up(small_kb, tmp_path, hashing):
    index_dir = tmp_path / "index"
    for i in range(4):
        (small_kb / "guidelines/en/extra.md").write_text(f"# Extra {{#extra}}\n\nVersion {i}.\n")
        reindex(small_kb, index_dir, hashing)
        time.sleep(0.01)
    builds = sorted(p.name for p in (state_dir(index_dir) / "builds").iterdir())
    assert len(builds) == 2
    assert index_dir.resolve().name in builds


@pytest.mark.parametrize("index_type", ["flat", "hnsw", "ivf"])
def test_every_index_type_finds_the_nearest_vector(index_type):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(2000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = build_dense(vectors, index_type)
    rows, scores = search_dense(index, vectors[123], 5)
    assert rows[0] == 123 and scores[0] == pytest.approx(1.0, abs=1e-5)


def test_reindex_with_the_real_model_never_touches_the_network(small_kb, tmp_path, real_embedder, no_network):
    report = reindex(small_kb, tmp_path / "index", real_embedder)
    assert report.counts["passages"] > 0
    assert load_index(tmp_path / "index", real_embedder).manifest.model["dimension"] == 384
    assert no_network == []


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, **kwargs
    )


def test_kill_9_during_embedding_leaves_the_previous_index_loadable(tmp_path):
    """A reindex killed half-way through embedding: the old index still serves, the next build
    reuses what the killed one had embedded."""
    files = small_kb_files()
    root = write_kb(tmp_path / "kb", files)
    index_dir = tmp_path / "index"
    first = _run(["reindex", "--knowledge", str(root), "--index", str(index_dir), "--json"])
    assert first.returncode == 0, first.stderr
    old_build = index_dir.resolve()
    old_manifest = (index_dir / "manifest.json").read_text()

    # Enough new text that embedding takes several seconds.
    big = "\n".join(
        f"## Rule {i} {{#rule-{i}}}\n\nRule {i}: photos of colleague number {i} at event {i} "
        f"need the consent of everyone shown, and screens must be off. " * 3
        for i in range(400)
    )
    (root / "guidelines/en/big.md").write_text("# Big\n\n" + big)
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "reindex", "--knowledge", str(root), "--index", str(index_dir)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    seen = ""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        seen += line
        if line.startswith("embedding passages:") and not line.startswith("embedding passages: 0/"):
            break
        assert proc.poll() is None, f"reindex ended before it could be killed: {seen}"
    else:
        pytest.fail(f"no embedding progress seen: {seen}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    assert index_dir.resolve() == old_build
    assert (index_dir / "manifest.json").read_text() == old_manifest
    from bot.index.store import load_index as load

    index = load(index_dir)
    assert len(index.passages) == index.dense.ntotal == len(json.loads(old_manifest)["passages"])

    again = _run(["reindex", "--knowledge", str(root), "--index", str(index_dir), "--json"])
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    old_count = len(json.loads(old_manifest)["passages"])
    # Batches embedded before the kill were kept: more than the old passages come from the cache.
    assert report["from_cache"] > old_count
    assert report["embedded"] + report["from_cache"] == report["counts"]["passages"]
    assert not [p for p in (state_dir(index_dir) / "builds").iterdir() if p.name.endswith(".partial")]


def test_help_validate_and_feedback_never_import_torch(small_kb):
    code = (
        "import sys; from bot.cli import main\n"
        "for args in (['--help'], ['reindex', '--help'], ['validate', '--knowledge', sys.argv[1]],\n"
        "             ['feedback', '--knowledge', sys.argv[1]]):\n"
        "    try:\n        main(args)\n    except SystemExit as e:\n        assert e.code == 0, (args, e.code)\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers', 'faiss') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(small_kb)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
