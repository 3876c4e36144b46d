"""The store's operations: claim a delivery once, record feedback, follow threads."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from bot.store import schema
from bot.store.answers import AnswerLog
from bot.store.database import aware, database_url, make_engine, utcnow
from bot.store.migrations import migrate
from bot.store.unanswered import Unanswered

log = logging.getLogger(__name__)
_UPSERT_DIALECTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


@dataclass(frozen=True)
class Feedback:
    """A person's rating of one answer. The question text only when configured."""

    question_id: str
    user_id: str
    helpful: bool
    reason: str | None = None
    question_text: str | None = None
    verdict: str | None = None
    language: str | None = None
    faq_id: str | None = None


class Store:
    """One database shared by all serving processes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def answers(self) -> AnswerLog:
        """The trace of every answer (``answers.py``)."""
        return AnswerLog(self.engine)

    @property
    def unanswered(self) -> Unanswered:
        """Questions claimed and not answered yet (``unanswered.py``)."""
        return Unanswered(self.engine, self.claim_delivery_id_in)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def insert(self, table):
        """An INSERT that knows ON CONFLICT (on SQLite and PostgreSQL)."""
        return _UPSERT_DIALECTS.get(self.dialect, insert)(table)

    def upsert_in(self, conn: Connection, table, key: dict, values: dict, first: dict | None = None) -> None:
        """Insert the row ``key`` + ``values`` + ``first``, or replace ``values`` of the row with
        that key (``first`` is kept), inside the caller's transaction."""
        statement = self.insert(table).values(**key, **values, **(first or {}))
        if hasattr(statement, "on_conflict_do_update"):
            conn.execute(statement.on_conflict_do_update(index_elements=list(key), set_=values))
            return
        conn.execute(delete(table).where(*(table.c[k] == v for k, v in key.items())))
        conn.execute(statement)

    # -- de-duplication ----------------------------------------------------------------------
    def claim_delivery(self, event_key: str | None, channel: str | None = None, ts: str | None = None) -> bool:
        """True for the first delivery of an event (``event_key``) or message (``channel``+``ts``);
        False for every later one, in this process or any other."""
        try:
            with self.engine.begin() as conn:
                return self.claim_delivery_in(conn, event_key, channel, ts)
        except IntegrityError:
            return False

    def claim_delivery_in(
        self, conn: Connection, event_key: str | None, channel: str | None = None, ts: str | None = None
    ) -> bool:
        """``claim_delivery`` inside the caller's transaction: the claim commits (or rolls back)
        together with what the caller does about the delivery."""
        if not event_key and not (channel and ts):
            return True
        return self.claim_delivery_id_in(conn, event_key, channel, ts) is not None

    def claim_delivery_id_in(
        self, conn: Connection, event_key: str | None, channel: str | None = None, ts: str | None = None
    ) -> int | None:
        """``claim_delivery_in`` that returns the claim's id (None: an earlier delivery has it)."""
        row = {
            "event_key": event_key or None,
            "channel": channel if ts else None,
            "ts": ts if channel else None,
            "received_at": utcnow(),
        }
        statement = self.insert(schema.processed_events).values(**row)
        if hasattr(statement, "on_conflict_do_nothing"):
            claimed = statement.on_conflict_do_nothing().returning(schema.processed_events.c.id)
            return conn.execute(claimed).scalar()
        return conn.execute(statement).inserted_primary_key[0]

    def prune_deliveries(self, older_than: timedelta = timedelta(days=7)) -> int:
        """Forget deliveries older than ``older_than`` (Slack retries within minutes)."""
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(schema.processed_events).where(schema.processed_events.c.received_at < utcnow() - older_than)
            )
            return result.rowcount or 0

    # -- feedback ------------------------------------------------------------------------------
    def record_feedback(self, item: Feedback, now: datetime | None = None) -> None:
        """Store a rating; a second rating of the same answer by the same person replaces the first.
        A 👎 without a reason keeps the reason already given: the click is stored after its reason
        modal opens, so it may land after the reason itself."""
        now = now or utcnow()
        key = {"question_id": item.question_id, "user_id": item.user_id}
        changes = {k: v for k, v in item.__dict__.items() if k not in key}
        first = {"created_at": now}
        if not item.helpful and item.reason is None:
            first["reason"] = changes.pop("reason")
        with self.engine.begin() as conn:
            self.upsert_in(conn, schema.feedback, key, {**changes, "updated_at": now}, first=first)

    def feedback_for(self, question_id: str) -> list[Feedback]:
        t = schema.feedback
        columns = [t.c[name] for name in Feedback.__dataclass_fields__]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*columns).where(t.c.question_id == question_id).order_by(t.c.id)).all()
        return [Feedback(**row._mapping) for row in rows]

    def feedback_since(self, since: datetime | None = None) -> list[tuple[datetime, Feedback]]:
        """Every rating last given at or after ``since`` (all without it), oldest first, with its time."""
        t = schema.feedback
        columns = [t.c[name] for name in Feedback.__dataclass_fields__]
        query = select(t.c.updated_at, *columns).order_by(t.c.updated_at, t.c.id)
        if since is not None:
            query = query.where(t.c.updated_at >= since)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            (aware(row.updated_at), Feedback(**{k: v for k, v in row._mapping.items() if k != "updated_at"}))
            for row in rows
        ]

    # -- followed threads ------------------------------------------------------------------------
    def follow_thread(self, channel: str, thread_ts: str, user_id: str) -> None:
        statement = self.insert(schema.followed_threads).values(
            channel=channel, thread_ts=thread_ts, user_id=user_id, created_at=utcnow()
        )
        with self.engine.begin() as conn:
            if hasattr(statement, "on_conflict_do_nothing"):
                conn.execute(statement.on_conflict_do_nothing())
                return
            try:
                conn.execute(statement)
            except IntegrityError:
                pass

    def thread_follower(self, channel: str, thread_ts: str) -> str | None:
        """The user whose question started a followed thread, or None."""
        t = schema.followed_threads
        with self.engine.connect() as conn:
            return conn.execute(select(t.c.user_id).where(t.c.channel == channel, t.c.thread_ts == thread_ts)).scalar()

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, index_dir: Path | None = None, schema_name: str | None = None) -> Store:
    """Connect (URL, else $DATABASE_URL, else SQLite beside the index) and migrate to the latest schema."""
    engine = make_engine(database_url(url, index_dir), schema_name)
    applied = migrate(engine)
    if applied:
        log.info("database migrated to schema version %d", applied[-1].version)
    return Store(engine)
