"""Questions claimed and not answered yet. A delivery is claimed (``processed_events``) in the
same transaction that stores the question to answer here; the row is deleted as soon as the asker
has the answer (or the failure notice). A process killed in between leaves the row: when its lease
(``not_before``) has passed, Slack's retry of the event or the scheduler of any process answers it.
The question's text stays only until then (retention: employees' questions may be confidential)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select, update

from bot.store import schema
from bot.store.database import aware, utcnow
from bot.store.storable import storable

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5  # answering it this often failed (Slack down for long): dropped, with an ERROR line


@dataclass(frozen=True)
class Claim:
    """What a delivery of a question means for this process. ``answer``: answer it (the first
    delivery, a stale question taken over, or a store that failed: better a rare duplicate than
    silence); ``pending``: the stored question to mark answered afterwards (None: nothing stored)."""

    answer: bool
    pending: int | None = None
    stored: dict | None = None  # a question taken over: as it was stored (its id, hence its case's)

    def __bool__(self) -> bool:
        return self.answer


@dataclass(frozen=True)
class PendingQuestion:
    id: int
    question: dict
    attempts: int
    received_at: datetime


class Unanswered:
    def __init__(self, engine: Engine, claim_in) -> None:
        self.engine = engine
        self._claim_in = claim_in  # Store.claim_delivery_id_in

    def claim(
        self,
        event_key: str | None,
        channel: str | None,
        ts: str | None,
        question: dict,
        lease: timedelta,
        now: datetime | None = None,
    ) -> Claim:
        """Claim the delivery and store ``question`` (a JSON-able dict whose ``text`` is the asker's
        text) in one transaction. A later delivery of the same event or message is answered only
        when the question is still unanswered after its lease (its process died)."""
        now = now or utcnow()
        if not event_key and not (channel and ts):
            return Claim(True)
        with self.engine.begin() as conn:
            claim_id = self._claim_in(conn, event_key, channel, ts)
            if claim_id is not None:
                conn.execute(insert(schema.pending_answers).values(**_row(claim_id, question, now, lease)))
                return Claim(True, claim_id)
            taken = self._take_over_in(conn, _claim_of(conn, event_key, channel, ts), lease, now)
            if taken is None:
                return Claim(False)
            t = schema.pending_answers
            stored = json.loads(conn.execute(select(t.c.question).where(t.c.claim_id == taken)).scalar_one())
        log.warning("question %d: a retry found it unanswered after its lease; answering it now", taken)
        return Claim(True, taken, stored)

    def due(self, lease: timedelta, now: datetime | None = None, limit: int = 20) -> list[PendingQuestion]:
        """Questions whose lease has passed, each now leased to the caller (a question dropped after
        ``MAX_ATTEMPTS`` is deleted and logged instead)."""
        now = now or utcnow()
        t = schema.pending_answers
        taken: list[PendingQuestion] = []
        with self.engine.begin() as conn:
            rows = conn.execute(select(t).where(t.c.not_before <= now).order_by(t.c.not_before).limit(limit)).all()
            for row in rows:
                if row.attempts >= MAX_ATTEMPTS:
                    conn.execute(delete(t).where(t.c.claim_id == row.claim_id))
                    log.error(
                        "question %d of %s was not answered after %d attempts (Slack unreachable?); dropped",
                        row.claim_id,
                        json.loads(row.question).get("user"),
                        row.attempts,
                    )
                    continue
                if self._take_over_in(conn, row.claim_id, lease, now, row.not_before) is not None:
                    taken.append(
                        PendingQuestion(
                            row.claim_id, json.loads(row.question), row.attempts + 1, aware(row.received_at)
                        )
                    )
        return taken

    def next_due(self) -> datetime | None:
        """When the earliest lease passes (None: nothing waits)."""
        t = schema.pending_answers
        with self.engine.connect() as conn:
            first = conn.execute(select(t.c.not_before).order_by(t.c.not_before).limit(1)).scalar()
        return aware(first) if first is not None else None

    def answered(self, claim_id: int) -> None:
        """The asker has the answer: the question and its text are deleted."""
        with self.engine.begin() as conn:
            conn.execute(delete(schema.pending_answers).where(schema.pending_answers.c.claim_id == claim_id))

    def waiting(self) -> int:
        """How many questions wait for their answer."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.pending_answers)).scalar_one()

    @staticmethod
    def _take_over_in(
        conn: Connection, claim_id: int | None, lease: timedelta, now: datetime, was: datetime | None = None
    ) -> int | None:
        """Lease the question ``claim_id`` to the caller if its lease has passed (and is still
        ``was`` when given): one process wins, however many try at once. Each attempt leases it
        for longer (``lease`` times the attempts), so a Slack that stays down is not hammered."""
        if claim_id is None:
            return None
        t = schema.pending_answers
        row = conn.execute(select(t.c.not_before, t.c.attempts).where(t.c.claim_id == claim_id)).first()
        if row is None or aware(row.not_before) > now or (was is not None and row.not_before != was):
            return None
        result = conn.execute(
            update(t)
            .where(t.c.claim_id == claim_id, t.c.not_before == row.not_before)
            .values(not_before=now + lease * (row.attempts + 2), attempts=row.attempts + 1)
        )
        return claim_id if result.rowcount == 1 else None


def _row(claim_id: int, question: dict, now: datetime, lease: timedelta) -> dict:
    kept = {**question, "text": storable(question.get("text") or "")}
    return {
        "claim_id": claim_id,
        "question": json.dumps(kept, ensure_ascii=False),
        "received_at": now,
        "not_before": now + lease,
        "attempts": 0,
    }


def _claim_of(conn: Connection, event_key: str | None, channel: str | None, ts: str | None) -> int | None:
    """The id of the claim an earlier delivery of this event or message made."""
    t = schema.processed_events
    matches = []
    if event_key:
        matches.append(t.c.event_key == event_key)
    if channel and ts:
        matches.append((t.c.channel == channel) & (t.c.ts == ts))
    return conn.execute(select(t.c.id).where(or_(*matches)).limit(1)).scalar()
