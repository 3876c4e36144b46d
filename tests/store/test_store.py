"""The store on SQLite and PostgreSQL: migrations, claims across processes, feedback, threads."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from bot.errors import ConfigError
from bot.store import Feedback, database_url, open_store, schema
from bot.store.migrations import LATEST, current_version, migrate


def test_migrates_to_latest_once(store, store_target):
    with store.engine.connect() as conn:
        assert current_version(conn) == LATEST
        assert {"processed_events", "feedback", "followed_threads"} <= set(inspect(conn).get_table_names())
    assert migrate(store.engine) == []  # a second start applies nothing


def test_a_delivery_is_claimed_once(store):
    assert store.claim_delivery("Ev1", "C1", "100.1") is True
    assert store.claim_delivery("Ev1", "C1", "100.1") is False  # retry of the same event
    assert store.claim_delivery("Ev2", "C1", "100.1") is False  # same message, other event type
    assert store.claim_delivery("Ev3", "C1", "100.2") is True
    assert store.claim_delivery("ask-team:q1") is True  # keys without a message
    assert store.claim_delivery("ask-team:q1") is False
    assert store.claim_delivery(None) is True  # nothing to de-duplicate on


def test_old_deliveries_are_pruned(store):
    store.claim_delivery("Ev1", "C1", "1.0")
    assert store.prune_deliveries(older_than=timedelta(days=1)) == 0
    assert store.prune_deliveries(older_than=timedelta(seconds=-1)) == 1
    assert store.claim_delivery("Ev1", "C1", "1.0") is True


def test_feedback_second_rating_replaces_the_first(store):
    store.record_feedback(Feedback("q1", "U1", helpful=False, verdict="conditional", language="de"))
    store.record_feedback(
        Feedback("q1", "U1", helpful=False, reason="zu allgemein", verdict="conditional", language="de")
    )
    store.record_feedback(Feedback("q1", "U2", helpful=True))
    rows = store.feedback_for("q1")
    assert [(f.user_id, f.helpful, f.reason) for f in rows] == [("U1", False, "zu allgemein"), ("U2", True, None)]
    assert rows[0].question_text is None


def test_a_reasonless_thumbs_down_landing_after_its_reason_keeps_the_reason(store):
    store.record_feedback(Feedback("q1", "U1", helpful=False, reason="zu allgemein"))
    store.record_feedback(Feedback("q1", "U1", helpful=False))  # the click, stored late
    assert [(f.helpful, f.reason) for f in store.feedback_for("q1")] == [(False, "zu allgemein")]
    store.record_feedback(Feedback("q1", "U1", helpful=True))  # changing one's mind drops the reason
    assert [(f.helpful, f.reason) for f in store.feedback_for("q1")] == [(True, None)]


def test_feedback_since_a_time_with_its_rating_time(store):
    from bot.store.database import utcnow

    now = utcnow()
    store.record_feedback(Feedback("q-old", "U1", helpful=True, faq_id="a"), now=now - timedelta(days=40))
    store.record_feedback(
        Feedback("q-new", "U1", helpful=False, reason="zu vage", faq_id="b"), now=now - timedelta(days=2)
    )
    everything = store.feedback_since()
    assert [f.question_id for _, f in everything] == ["q-old", "q-new"]
    recent = store.feedback_since(now - timedelta(days=30))
    assert [(f.question_id, f.helpful, f.reason, f.faq_id) for _, f in recent] == [("q-new", False, "zu vage", "b")]
    rated_at = recent[0][0]
    assert rated_at.tzinfo is not None and abs(rated_at - (now - timedelta(days=2))) < timedelta(seconds=1)


def test_followed_threads(store):
    assert store.thread_follower("C1", "1.0") is None
    store.follow_thread("C1", "1.0", "U1")
    store.follow_thread("C1", "1.0", "U2")  # the first asker keeps the thread
    assert store.thread_follower("C1", "1.0") == "U1"


CLAIM_SCRIPT = """
import sys
from bot.store import open_store
store = open_store(sys.argv[1], schema_name=sys.argv[2] or None)
sys.stdout.write("claimed" if store.claim_delivery("EvRace", "C9", "9.9") else "duplicate")
"""


def test_concurrent_processes_claim_exactly_once(store_target):
    """Four processes start on an empty database at once: one migration, one claim."""
    url, schema_name = store_target
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIM_SCRIPT, url, schema_name or ""],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        for _ in range(4)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(out)
    assert sorted(results) == ["claimed", "duplicate", "duplicate", "duplicate"]


def test_a_newer_schema_is_refused(store):
    with store.engine.begin() as conn:
        conn.execute(schema.schema_version.update().values(version=LATEST + 1))
    with pytest.raises(ConfigError, match="newer than this guidelines-bot"):
        migrate(store.engine)
    with store.engine.connect() as conn:
        assert conn.execute(select(schema.schema_version.c.version)).scalar() == LATEST + 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("postgres://u:p@db:5432/x", "postgresql+psycopg://u:p@db:5432/x"),
        ("postgresql://u@db/x", "postgresql+psycopg://u@db/x"),
        ("postgresql+psycopg://u@db/x", "postgresql+psycopg://u@db/x"),
        ("sqlite:////var/lib/bot.db", "sqlite:////var/lib/bot.db"),
    ],
)
def test_database_url_forms(value, expected):
    assert database_url(value) == expected


def test_database_url_default_is_beside_the_index(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url(None, tmp_path / "index") == f"sqlite:///{tmp_path / 'guidelines-bot.db'}"


def test_database_url_other_schemes_are_refused():
    with pytest.raises(ConfigError, match="DATABASE_URL must be"):
        database_url("mysql://root@localhost/test")


def test_default_store_is_a_sqlite_file_beside_the_index(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    store = open_store(index_dir=tmp_path / "index")
    try:
        assert store.dialect == "sqlite"
        assert (tmp_path / "guidelines-bot.db").is_file()
    finally:
        store.close()


SECRET_TEXT = "Darf ich das vertrauliche Projekt Nordlicht posten?"


def test_a_store_error_never_shows_the_text_it_was_given(store, caplog):
    """SQLAlchemy puts a failed statement's bound parameters into its message, and every caller
    logs that message; the question, the reason and the answer must not reach the log."""
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    schema.feedback.drop(store.engine)
    with caplog.at_level(logging.INFO), pytest.raises(SQLAlchemyError) as info:
        try:
            store.record_feedback(Feedback("q1", "U1", helpful=False, reason=SECRET_TEXT, question_text=SECRET_TEXT))
        except SQLAlchemyError:
            logging.getLogger("bot.store").exception("could not record feedback")
            raise
    assert "feedback" in str(info.value)  # the statement is still named
    assert "Nordlicht" not in str(info.value) and "Nordlicht" not in caplog.text
