"""Questions claimed and not answered yet (issue 13, point 3), on both back ends: stored with the
claim, deleted once answered, taken over by a retry or the scheduler only after the lease of the
process that claimed them, by one taker at a time; and the migration that adds their table."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect, select

from bot.store import open_store, schema
from bot.store.database import make_engine, utcnow
from bot.store.migrations import LATEST, current_version, migrate
from bot.store.unanswered import MAX_ATTEMPTS
from tests.store.conftest import pg_schema_factory, store_target  # noqa: F401 - fixtures

LEASE = timedelta(seconds=30)
QUESTION = {"id": "q1", "surface": "dm", "user": "U0A", "channel": "D0", "ts": "1.1", "thread_ts": "1.1"}


def ask(text: str = "Darf ich das vertrauliche Projekt posten?") -> dict:
    return {**QUESTION, "text": text}


def test_a_question_is_kept_until_answered_and_taken_over_only_after_its_lease(store):
    pending = store.unanswered
    now = utcnow()
    first = pending.claim("Ev1", "D0", "1.1", ask(), LEASE, now)
    assert first.answer and first.pending is not None
    assert not pending.claim("Ev1", "D0", "1.1", ask(), LEASE, now + timedelta(seconds=5))  # in hand
    assert not pending.claim("Ev2", "D0", "1.1", ask(), LEASE, now + timedelta(seconds=5))  # same message
    later = now + LEASE + timedelta(seconds=1)  # its process died: a retry answers it
    retry = pending.claim("Ev1", "D0", "1.1", ask(), LEASE, later)
    assert retry.answer and retry.pending == first.pending and retry.stored == ask()  # the same id
    assert not pending.claim("Ev1", "D0", "1.1", ask(), LEASE, later)  # one taker
    pending.answered(first.pending)
    assert pending.waiting() == 0
    assert not pending.claim("Ev1", "D0", "1.1", ask(), LEASE, later + LEASE * 10)  # answered is answered


def test_the_scheduler_takes_due_questions_once_and_backs_off(store):
    pending = store.unanswered
    now = utcnow()
    claim = pending.claim("Ev1", None, None, ask("Darf\x00 ich?"), LEASE, now)
    assert pending.due(LEASE, now + timedelta(seconds=29)) == []
    assert pending.next_due() is not None
    [item] = pending.due(LEASE, now + LEASE)
    assert item.id == claim.pending and item.question["text"] == "Darf ich?" and item.attempts == 1
    assert pending.due(LEASE, now + LEASE + timedelta(seconds=1)) == []  # leased to the first taker
    at = now + LEASE
    for attempt in range(2, MAX_ATTEMPTS + 1):
        at += LEASE * (attempt + 1)
        [again] = pending.due(LEASE, at)
        assert again.attempts == attempt
    assert pending.due(LEASE, at + LEASE * 100) == []  # given up after MAX_ATTEMPTS, and deleted
    assert pending.waiting() == 0


def test_a_delivery_without_key_is_answered_and_nothing_is_stored(store):
    claim = store.unanswered.claim(None, None, None, ask(), LEASE)
    assert claim.answer and claim.pending is None and store.unanswered.waiting() == 0


def test_the_migration_adds_the_table_to_a_database_in_use(store_target):  # noqa: F811
    url, schema_name = store_target
    engine = make_engine(url, schema_name)
    try:
        assert [s.version for s in migrate(engine, to=5)] == [1, 2, 3, 4, 5]
        with engine.begin() as conn:
            conn.execute(
                schema.processed_events.insert().values(event_key="EvOld", channel=None, ts=None, received_at=utcnow())
            )
            assert not inspect(conn).has_table("pending_answers", schema=schema_name)
        assert [s.version for s in migrate(engine)] == [6] and LATEST == 6
        with engine.connect() as conn:
            assert current_version(conn) == 6
            assert conn.execute(select(schema.processed_events.c.event_key)).scalars().all() == ["EvOld"]
    finally:
        engine.dispose()
    store = open_store(url, schema_name=schema_name)  # a second start migrates nothing
    try:
        assert not store.unanswered.claim("EvOld", None, None, ask(), LEASE)  # the old claim still counts
        assert store.unanswered.claim("EvNew", None, None, ask(), LEASE).pending is not None
    finally:
        store.close()


def test_a_command_is_kept_with_its_response_url_until_answered(store):
    """A `/mayipost` or "Check this post" is stored with what answering it privately later needs
    (its response_url and flags); keyed by its trigger_id, and deleted, URL and all, once answered."""
    command = {
        **ask(),
        "surface": "command",
        "channel": "C0",
        "files": [{"mimetype": "image/png", "name": "a.png"}],
        "share": True,
        "checked": False,
        "trigger_id": "T1.trigger",
        "response_url": "https://hooks.slack.com/commands/T0/1/secret",
    }
    del command["ts"], command["thread_ts"]
    now = utcnow()
    claim = store.unanswered.claim("command:T1.trigger", None, None, command, LEASE, now)
    assert claim.pending is not None
    assert not store.unanswered.claim("command:T1.trigger", None, None, command, LEASE, now)  # one invocation
    [item] = store.unanswered.due(LEASE, now + LEASE)
    assert item.question == command and abs((item.received_at - now).total_seconds()) < 1
    store.unanswered.answered(item.id)
    assert store.unanswered.waiting() == 0
