"""A build another process swaps in is served without a restart: a command-line `reindex` while
the bot runs, or `/mayipost admin reindex` handled by another gunicorn worker. Before, only the
process that ran the reindex served the new build; every other one kept the old until restarted."""

from __future__ import annotations

import logging
import time

import pytest

from bot.index.build import reindex
from bot.index.embedding import make_embedder
from bot.index.store import IndexHolder
from tests.conftest import small_kb_files, write_kb

NEW_RULE = "Drohnenaufnahmen vom Werksgelände postest du nur mit Freigabe der Werkleitung."


@pytest.fixture
def hashing():
    return make_embedder("hashing-64")


@pytest.fixture
def served(tmp_path, hashing):
    """A knowledge base, its index, and a holder serving it (as a running bot does)."""
    knowledge = write_kb(tmp_path / "knowledge", small_kb_files())
    reindex(knowledge, tmp_path / "index", hashing)
    return knowledge, IndexHolder(tmp_path / "index", hashing, knowledge_dir=knowledge)


def add_rule(knowledge) -> None:
    (knowledge / "guidelines" / "drohnen.md").write_text(f"# Drohnen {{#drones}}\n\n{NEW_RULE}\n", encoding="utf-8")


def texts(holder: IndexHolder) -> set[str]:
    return {p.text for p in holder.current.passages}


def test_a_build_another_process_swapped_in_is_served(served, hashing):
    knowledge, holder = served
    before = holder.current.build_id
    add_rule(knowledge)
    reindex(knowledge, holder.index_dir, hashing)  # what a command-line reindex does on disk
    assert holder.current.build_id == before  # nothing changes under a question being answered
    assert holder.reload_if_swapped()
    assert holder.current.build_id != before and any(NEW_RULE in t for t in texts(holder))
    assert not holder.reload_if_swapped()  # looked at already: nothing to load


def test_following_picks_up_a_swap_within_seconds(served, hashing):
    knowledge, holder = served
    before = holder.current.build_id
    stop = holder.follow(interval=0.05)
    try:
        add_rule(knowledge)
        reindex(knowledge, holder.index_dir, hashing)
        deadline = time.monotonic() + 10
        while holder.current.build_id == before and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
    assert holder.current.build_id != before and any(NEW_RULE in t for t in texts(holder))


def test_a_damaged_swapped_build_leaves_the_old_one_serving_and_is_logged_once(served, hashing, caplog):
    knowledge, holder = served
    before = holder.current.build_id
    add_rule(knowledge)
    reindex(knowledge, holder.index_dir, hashing)
    dense = holder.index_dir.resolve() / "dense.faiss"
    dense.write_bytes(dense.read_bytes()[: dense.stat().st_size // 2])
    with caplog.at_level(logging.INFO):
        holder.reload_if_swapped()
        holder.reload_if_swapped()
    assert holder.current.build_id == before and holder.current.degraded  # the previous build answers
    assert not any(NEW_RULE in t for t in texts(holder))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "dense.faiss" in errors[0].getMessage()
    assert "now serving it" not in caplog.text  # not announced as a swap
