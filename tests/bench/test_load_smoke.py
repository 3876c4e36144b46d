"""The load test (bench/load.py) in a tiny configuration: one real `serve --mode http` process on
PostgreSQL, a handful of questions including a Slack retry, an event delivered twice and a mention
in a followed thread (app_mention + message.channels). Nothing lost, nothing answered twice; no
timing is asserted."""

from __future__ import annotations

import pytest

from bench import load
from bot.index.build import reindex
from bot.index.embedding import make_embedder
from tests.conftest import ROOT

KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def database():
    problem = load.database_problem()
    if problem:
        pytest.skip(problem)
    return load.DEFAULT_DATABASE


def test_a_tiny_load_loses_nothing_and_answers_once(tmp_path, database):
    reindex(KNOWLEDGE, tmp_path / "index", make_embedder("hashing-64"))
    kinds = ["dm", "retry", "twice", "thread", "dm", "thread"]
    result = load.run_config(
        1,
        3.0,
        2.0,
        index=tmp_path / "index",
        knowledge=KNOWLEDGE,
        model="hashing-64",
        database=database,
        kinds=kinds,
        answer_timeout=60,
    )
    assert result["kinds"] == {"dm": 2, "retry": 1, "twice": 1, "thread": 2}
    assert result["deliveries"] == 1 + 2 + 2 + 2 + 1 + 2  # the threads' roots (warm-up) are not counted
    assert result["lost"] == 0 and result["duplicates"] == 0, result
    assert result["failures"] == 0 and result["non_200"] == 0 and result["crashed"] == 0, result
    assert result["ok"]
