"""Messages still to deliver, stored with the change that causes them: a process killed after a
change and before its messages went out leaves them here, and the next process (or another one)
delivers them. Each case has two lanes (team, asker) delivered in order; a delivery holds a
lease, so two processes never send the same item at the same time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, insert, select, update

from bot.store import schema
from bot.store.database import aware, utcnow

TEAM, ASKER = "team", "asker"
# team lane: the case message and what goes into its thread
POST_CASE, UPDATE_CASE, RELAY_TO_TEAM, HANDOFF_NOTE, REMINDER = (
    "post_case",
    "update_case",
    "relay_to_team",
    "handoff_note",
    "reminder",
)
# asker lane: what the asker hears
ASKER_OPENED, ASKER_CLAIMED, RELAY_TO_ASKER, ASKER_RESOLVED = (
    "asker_opened",
    "asker_claimed",
    "relay_to_asker",
    "asker_resolved",
)
# an edit or deletion of a relayed message, for its copy on the other side
EDIT_AT_TEAM, EDIT_AT_ASKER = "edit_at_team", "edit_at_asker"
LANES = {
    POST_CASE: TEAM,
    UPDATE_CASE: TEAM,
    RELAY_TO_TEAM: TEAM,
    HANDOFF_NOTE: TEAM,
    REMINDER: TEAM,
    EDIT_AT_TEAM: TEAM,
    ASKER_OPENED: ASKER,
    ASKER_CLAIMED: ASKER,
    RELAY_TO_ASKER: ASKER,
    ASKER_RESOLVED: ASKER,
    EDIT_AT_ASKER: ASKER,
}
LEASE = timedelta(seconds=90)
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Message:
    """A message to queue: its kind (which decides its lane) and what it needs besides the case."""

    kind: str
    payload: dict | None = None
    hold: timedelta = timedelta(0)  # not before now + hold (the caller means to deliver it itself)


@dataclass(frozen=True)
class OutboxItem:
    id: int
    case_id: str
    lane: str
    kind: str
    payload: dict
    attempts: int
    not_before: datetime
    last_error: str | None = None


def queue(conn: Connection, case_id: str, messages: list[Message], now: datetime) -> None:
    """Add ``messages`` inside the caller's transaction."""
    rows = [
        {
            "case_id": case_id,
            "lane": LANES[m.kind],
            "kind": m.kind,
            "payload": json.dumps(m.payload or {}, ensure_ascii=False),
            "created_at": now,
            "not_before": now + m.hold,
            "attempts": 0,
        }
        for m in messages
    ]
    if rows:
        conn.execute(insert(schema.outbox), rows)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after failed attempts, at most an hour."""
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), MAX_BACKOFF)


class Outbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def pending(self, case_id: str | None = None) -> list[OutboxItem]:
        """Undelivered items, oldest first (leased and backed-off ones included: they block their lane)."""
        t = schema.outbox
        query = select(t).order_by(t.c.id)
        if case_id is not None:
            query = query.where(t.c.case_id == case_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            OutboxItem(
                r.id,
                r.case_id,
                r.lane,
                r.kind,
                json.loads(r.payload or "{}"),
                r.attempts,
                aware(r.not_before),
                r.last_error,
            )
            for r in rows
        ]

    def lease(self, item: OutboxItem, now: datetime | None = None) -> bool:
        """Take ``item`` for delivery; False if another process has it or it waits for a retry."""
        now = now or utcnow()
        t = schema.outbox
        with self.engine.begin() as conn:
            result = conn.execute(
                update(t)
                .where(t.c.id == item.id, t.c.not_before <= now)
                .values(not_before=now + LEASE, attempts=t.c.attempts + 1)
            )
            return result.rowcount == 1

    def delivered(self, item: OutboxItem, case_values: dict | None = None) -> None:
        """Done: forget the item; store what the delivery taught about the case (message ts, DM
        channel) in the same transaction."""
        with self.engine.begin() as conn:
            conn.execute(delete(schema.outbox).where(schema.outbox.c.id == item.id))
            if case_values:
                conn.execute(update(schema.cases).where(schema.cases.c.id == item.case_id).values(**case_values))

    def failed(self, item: OutboxItem, error: str, now: datetime | None = None) -> None:
        now = now or utcnow()
        t = schema.outbox
        with self.engine.begin() as conn:
            attempts = conn.execute(select(t.c.attempts).where(t.c.id == item.id)).scalar() or 1
            conn.execute(
                update(t).where(t.c.id == item.id).values(not_before=now + backoff(attempts), last_error=error[:200])
            )

    def delivered_by_caller(self, case_id: str, kind: str) -> int:
        """The caller delivered the held item of ``kind`` itself: forget it."""
        t = schema.outbox
        with self.engine.begin() as conn:
            return conn.execute(delete(t).where(t.c.case_id == case_id, t.c.kind == kind)).rowcount or 0
