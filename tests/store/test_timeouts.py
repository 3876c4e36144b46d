"""Every wait of the store is bounded (issue 13, point 6): a PostgreSQL that accepts and then
says nothing, a slow statement and a SQLite write lock held elsewhere each fail the call within
seconds, with one log line and no question text, instead of holding the thread forever."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

import pytest
from sqlalchemy import text

from bot.errors import ConfigError
from bot.store import open_store
from bot.store.database import Timeouts, make_engine
from tests.store.blackhole import BlackHole
from tests.store.conftest import PG_URL

QUESTION = "Darf ich das Foto vom Sommerfest posten?"


def finishes_within(seconds: float, call) -> tuple[float, BaseException | None]:
    """Runs ``call`` on a thread; (elapsed, what it raised). A hang fails the test, not the suite."""
    outcome: dict = {}

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still waiting after {seconds} s"
    return time.monotonic() - started, outcome.get("error")


def test_a_black_holed_postgresql_fails_within_the_timeout(monkeypatch, caplog):
    monkeypatch.setenv("GUIDELINES_BOT_DB_TIMEOUT", "2")
    hole = BlackHole()
    try:
        with caplog.at_level(logging.ERROR, logger="bot.store.database"):
            elapsed, error = finishes_within(10, lambda: open_store(hole.url()))
    finally:
        hole.close()
    assert error is not None
    assert elapsed < 5, elapsed
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.store.database"]
    assert lines and all("\n" not in line for line in lines)
    assert lines[0] == "database unreachable or too slow: ConnectionTimeout: connection timeout expired"


def test_the_default_bounds_a_black_hole_too(monkeypatch):
    monkeypatch.delenv("GUIDELINES_BOT_DB_TIMEOUT", raising=False)
    hole = BlackHole()
    try:
        elapsed, error = finishes_within(10, lambda: open_store(hole.url()))
    finally:
        hole.close()
    assert error is not None and elapsed < 8, elapsed


def test_postgresql_connections_carry_keepalives_and_a_statement_timeout():
    args = Timeouts(connect=3, statement=7, keepalive=30).postgresql("s1")
    assert args["connect_timeout"] == 3
    assert (args["keepalives"], args["keepalives_idle"], args["keepalives_interval"], args["keepalives_count"]) == (
        1,
        30,
        10,
        3,
    )
    assert args["options"] == "-csearch_path=s1 -cstatement_timeout=7000"


def test_postgresql_cancels_a_slow_statement(monkeypatch, pg_schema_factory):
    monkeypatch.setenv("GUIDELINES_BOT_DB_STATEMENT_TIMEOUT", "1")
    engine = make_engine(PG_URL, pg_schema_factory())

    def slow() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_sleep(8)"))

    try:
        elapsed, error = finishes_within(6, slow)
    finally:
        engine.dispose()
    assert error is not None and "statement timeout" in str(error)
    assert elapsed < 4, elapsed


def test_options_in_the_url_are_kept_beside_the_statement_timeout(pg_schema_factory):
    """A DATABASE_URL's own ``options`` (here a search_path) survive: the store's tables land in
    that schema, not in public, and the statement timeout still applies."""
    schema = pg_schema_factory()
    store = open_store(f"{PG_URL}?options=-csearch_path%3D{schema}")
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("SHOW search_path")).scalar() == schema
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "15s"
            tables = conn.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema = :s"), {"s": schema}
            ).scalar()
        assert tables >= 5
    finally:
        store.close()


def test_sqlite_gives_up_on_a_write_lock_held_elsewhere(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("GUIDELINES_BOT_DB_TIMEOUT", "1")
    store = open_store(f"sqlite:///{tmp_path / 'bot.db'}")
    holder = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with caplog.at_level(logging.ERROR):
            elapsed, error = finishes_within(10, lambda: store.follow_thread("C1", "1.0", "U1"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        store.close()
    assert error is not None and "locked" in str(error)
    assert elapsed < 4, elapsed
    assert QUESTION not in caplog.text


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GUIDELINES_BOT_DB_TIMEOUT", "soon", "GUIDELINES_BOT_DB_TIMEOUT must be a number of seconds, not 'soon'"),
        ("GUIDELINES_BOT_DB_TIMEOUT", "0", "GUIDELINES_BOT_DB_TIMEOUT must be between 0 and 3600 seconds, not 0"),
        ("GUIDELINES_BOT_DB_STATEMENT_TIMEOUT", "-1", "between 0 and 3600 seconds, not -1"),
    ],
)
def test_a_bad_timeout_setting_is_one_readable_error(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        Timeouts.from_env()
