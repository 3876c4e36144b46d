"""Team members pressing Claim at the same moment: exactly one wins, every other one is told who
has the case. Real concurrent transactions: threads with a connection each, and separate
processes, on PostgreSQL (skipped, with the reason printed, only when no server is reachable)
and on SQLite."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.escalation import CaseService, Policy
from bot.escalation.model import AlreadyClaimed
from bot.store import open_store
from tests.escalation.conftest import new_case
from tests.store.conftest import PG_URL

RUNS = 60
MEMBERS = 8


def race(cases: CaseService, case_id: str, members: int) -> dict[str, object]:
    """``members`` threads press Claim together; what each got: the case, or AlreadyClaimed."""
    barrier = threading.Barrier(members)
    results: dict[str, object] = {}

    def press(user: str) -> None:
        barrier.wait()
        try:
            results[user] = cases.claim(case_id, user, True)
        except AlreadyClaimed as refused:
            results[user] = refused

    threads = [threading.Thread(target=press, args=(f"U0M{i}",)) for i in range(members)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def check_one_winner(cases: CaseService, case_id: str, results: dict[str, object]) -> None:
    winners = [user for user, got in results.items() if not isinstance(got, AlreadyClaimed)]
    assert len(winners) == 1, results
    [winner] = winners
    assert all(got.owner == winner for got in results.values() if isinstance(got, AlreadyClaimed))
    stored = cases.get(case_id)
    assert (stored.state, stored.owner, stored.version) == ("claimed", winner, 2)
    assert [e.actor for e in cases.events(case_id) if e.action == "claimed"] == [winner]
    assert [i.payload.get("owner") for i in cases.outbox.pending(case_id) if i.kind == "asker_claimed"] == [winner]


@pytest.fixture
def postgres(pg_schema_factory):
    store = open_store(PG_URL, schema_name=pg_schema_factory())
    yield store
    store.close()


def test_concurrent_claims_on_postgresql_have_exactly_one_winner(postgres):
    cases = CaseService(postgres, Policy())
    for run in range(RUNS):
        cases.open(new_case(f"race{run}"))
        check_one_winner(cases, f"race{run}", race(cases, f"race{run}", MEMBERS))


def test_concurrent_claims_on_sqlite_have_exactly_one_winner(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'race.db'}")
    try:
        cases = CaseService(store, Policy())
        for run in range(RUNS // 3):
            cases.open(new_case(f"race{run}"))
            check_one_winner(cases, f"race{run}", race(cases, f"race{run}", MEMBERS))
    finally:
        store.close()


CLAIM_SCRIPT = """
import sys, time
from bot.escalation import CaseService
from bot.escalation.model import AlreadyClaimed
from bot.store import open_store
url, schema, user, start = sys.argv[1], sys.argv[2] or None, sys.argv[3], float(sys.argv[4])
cases = CaseService(open_store(url, schema_name=schema))
cases.get("proc")  # connected before the start signal
time.sleep(max(0.0, start - time.time()))
try:
    cases.claim("proc", user, True)
    print("won")
except AlreadyClaimed as refused:
    print("lost to " + refused.owner)
"""


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_concurrent_claims_from_separate_processes(backend, tmp_path, request):
    """Four processes, as four web workers behind a load balancer, claim at the same instant."""
    import time

    if backend == "postgresql":
        url, schema = PG_URL, request.getfixturevalue("pg_schema_factory")()
    else:
        url, schema = f"sqlite:///{tmp_path / 'procs.db'}", None
    store = open_store(url, schema_name=schema)
    try:
        cases = CaseService(store)
        cases.open(new_case("proc"))
        start = time.time() + 4
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", CLAIM_SCRIPT, url, schema or "", f"U0P{i}", str(start)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=Path(__file__).resolve().parents[2],
            )
            for i in range(4)
        ]
        outputs = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            outputs.append(out.strip())
        owner = cases.get("proc").owner
        assert sorted(outputs) == sorted(["won"] + [f"lost to {owner}"] * 3)
    finally:
        store.close()
