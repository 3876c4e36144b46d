"""The trace every answer leaves: when, where, in which language, what the bot said and how
sure it was, whether and why it went to the team, what it cited, how long it took. The question
text only when the operator configured it, and never longer than the retention allows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select, update

from bot.store import schema
from bot.store.database import aware


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as the report counts it. ``anchors``: the cited sections, in order."""

    id: str
    answered_at: datetime
    surface: str
    language: str | None
    verdict: str | None
    confidence: float
    escalated: bool
    escalation_reason: str | None
    topic: str | None
    faq_id: str | None
    anchors: tuple[str, ...] = field(default_factory=tuple)
    latency_ms: int = 0
    question_text: str | None = None

    def row(self) -> dict:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["anchors"] = json.dumps(list(self.anchors))
        return values

    @classmethod
    def from_row(cls, row) -> AnswerRecord:
        values = dict(row._mapping)
        values["anchors"] = tuple(json.loads(values["anchors"] or "[]"))
        values["answered_at"] = aware(values["answered_at"])
        return cls(**values)


class AnswerLog:
    """The ``answers`` table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, item: AnswerRecord) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(schema.answers).values(**item.row()))

    def between(self, start: datetime | None = None, end: datetime | None = None) -> list[AnswerRecord]:
        """The answers given at or after ``start`` and before ``end``, oldest first."""
        t = schema.answers
        query = select(t).order_by(t.c.answered_at, t.c.id)
        if start is not None:
            query = query.where(t.c.answered_at >= start)
        if end is not None:
            query = query.where(t.c.answered_at < end)
        with self.engine.connect() as conn:
            return [AnswerRecord.from_row(row) for row in conn.execute(query).all()]

    @staticmethod
    def purge_texts_in(conn: Connection, before: datetime) -> int:
        """Forget the question texts of answers given at or before ``before``; the rest stays."""
        t = schema.answers
        result = conn.execute(
            update(t).where(t.c.answered_at <= before, t.c.question_text.is_not(None)).values(question_text=None)
        )
        return result.rowcount or 0
