"""The trace of every answer on SQLite and PostgreSQL: written, read by period, its question text
forgotten under the retention rules, and the table added to a database of schema version 4."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select

from bot.escalation import CaseService, Policy
from bot.store import AnswerRecord, Feedback, open_store, schema
from bot.store.database import make_engine
from bot.store.migrations import STEPS, current_version, migrate

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def record(question_id: str, at: datetime, text: str | None = None, **overrides) -> AnswerRecord:
    values = {
        "id": question_id,
        "answered_at": at,
        "surface": "dm",
        "language": "de",
        "verdict": "conditional",
        "confidence": 0.81,
        "escalated": False,
        "escalation_reason": None,
        "topic": "photos",
        "faq_id": "event-photos",
        "anchors": ("photos", "consent"),
        "latency_ms": 412,
        "question_text": text,
    }
    return AnswerRecord(**{**values, **overrides})


def test_an_answer_is_recorded_and_read_back_by_period(store):
    first = record("q1", T0)
    second = record(
        "q2",
        T0 + timedelta(days=1),
        surface="mention",
        language="en",
        verdict="ask_team",
        escalated=True,
        escalation_reason="low_confidence",
        faq_id=None,
        anchors=(),
    )
    store.answers.record(first)
    store.answers.record(second)
    assert store.answers.between() == [first, second]
    assert store.answers.between(T0 + timedelta(hours=1)) == [second]
    assert store.answers.between(T0, T0 + timedelta(days=1)) == [first]


def test_question_texts_are_forgotten_under_the_retention_rules(store):
    store.answers.record(record("old", T0, text="Darf ich das Nordlicht-Foto posten?"))
    store.answers.record(record("new", T0 + timedelta(days=80), text="Darf ich das posten?"))
    store.record_feedback(Feedback("old", "U1", helpful=False, question_text="Nordlicht?"), now=T0)
    purged_at = T0 + timedelta(days=91)
    CaseService(store, Policy(retention=timedelta(days=90))).purge(now=purged_at)
    kept = {r.id: r for r in store.answers.between()}
    assert kept["old"].question_text is None and kept["old"].verdict == "conditional"  # the rest stays
    assert kept["new"].question_text == "Darf ich das posten?"
    assert store.feedback_for("old")[0].question_text is None


def test_no_retention_keeps_the_texts(store):
    store.answers.record(record("old", T0, text="Darf ich das posten?"))
    CaseService(store, Policy(retention=None)).purge(now=T0 + timedelta(days=900))
    assert store.answers.between()[0].question_text == "Darf ich das posten?"


def test_a_database_of_version_4_gets_the_answers_table(store_target):
    url, schema_name = store_target
    engine = make_engine(url, schema_name)
    with engine.begin() as conn:  # the database as the previous release left it
        schema.schema_version.create(conn)
        conn.execute(schema.schema_version.insert().values(id=1, version=4, updated_at=T0))
        for step in STEPS:
            if step.version <= 4:
                step.apply(conn)
        conn.execute(schema.feedback.insert().values(question_id="q0", user_id="U1", helpful=True, created_at=T0))
    assert not inspect(engine).has_table("answers")
    assert [s.version for s in migrate(engine, to=5)] == [5]
    with engine.connect() as conn:
        assert current_version(conn) == 5
        assert conn.execute(select(schema.feedback.c.question_id)).scalars().all() == ["q0"]  # data kept
    engine.dispose()
    reopened = open_store(url, schema_name=schema_name)
    reopened.answers.record(record("q1", T0))
    assert [r.id for r in reopened.answers.between()] == ["q1"]
    reopened.close()
