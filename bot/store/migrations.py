"""Versioned schema changes: a ``schema_version`` row and ordered steps, applied at start-up.

Every process may call ``migrate`` at once: the steps run in one transaction under a lock
(PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE), so each step runs exactly once and a
failed step leaves the previous version intact. Rules for new steps: append, never edit a step
that has shipped; a step that changes an existing table uses ALTER statements (and the table's
old shape is then frozen into the step that created it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, inspect, select, update

from bot.store import schema
from bot.store.database import utcnow


@dataclass(frozen=True)
class Step:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _create(*tables) -> Callable[[Connection], None]:
    def apply(conn: Connection) -> None:
        for table in tables:
            table.create(conn)

    return apply


STEPS: tuple[Step, ...] = (
    Step(
        1,
        "processed events, feedback, followed threads",
        _create(schema.processed_events, schema.feedback, schema.followed_threads),
    ),
    Step(
        2,
        "escalation: cases, their audit trail, the outbox of Slack messages still to deliver",
        _create(schema.cases, schema.case_events, schema.outbox),
    ),
    Step(3, "FAQ proposals waiting for a maintainer, shared by every process", _create(schema.faq_proposals)),
    Step(
        4, "where relayed messages were copied to, for mirroring edits and deletions", _create(schema.relayed_messages)
    ),
    Step(
        5, "a trace of every answer for the team's report (no question text unless configured)", _create(schema.answers)
    ),
    Step(
        6,
        "questions claimed and not answered yet, so a killed process's question is answered by another",
        _create(schema.pending_answers),
    ),
)
LATEST = STEPS[-1].version
_LOCK_KEY = 7_410_512_001  # pg_advisory_xact_lock key of guidelines-bot migrations


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(select(schema.schema_version.c.version)).scalar() or 0


def migrate(engine: Engine, to: int = LATEST) -> list[Step]:
    """Bring the database to version ``to`` (the latest); returns the steps applied (none if current)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        version = current_version(conn)
        if version > LATEST:
            from bot.errors import ConfigError

            raise ConfigError(
                f"the database is at schema version {version}, newer than this guidelines-bot "
                f"knows ({LATEST}): upgrade guidelines-bot"
            )
        if version == 0:
            schema.schema_version.create(conn)
            conn.execute(insert(schema.schema_version).values(id=1, version=0, updated_at=utcnow()))
        applied = [step for step in STEPS if version < step.version <= to]
        for step in applied:
            step.apply(conn)
        if applied:
            conn.execute(
                update(schema.schema_version)
                .where(schema.schema_version.c.id == 1)
                .values(version=applied[-1].version, updated_at=utcnow())
            )
        return applied
