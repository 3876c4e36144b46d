"""The store on both back ends: a SQLite file in tmp_path, and the PostgreSQL server at
127.0.0.1:5432 (database test) in a schema of its own, dropped afterwards."""

from __future__ import annotations

import os
import uuid

import pytest

PG_URL = os.environ.get("GUIDELINES_BOT_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_unreachable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=3):
            return None
    except Exception as exc:  # any reason: no server, no database, no driver
        return f"PostgreSQL at {PG_URL} is not reachable ({type(exc).__name__}: {str(exc).strip()[:120]})"


@pytest.fixture(scope="session")
def pg_schema_factory():
    """Creates throw-away schemas in the test database; drops them at the end of the session."""
    reason = _pg_unreachable()
    if reason:
        print(f"\nskipping PostgreSQL store tests: {reason}")
        pytest.skip(reason)
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_URL)
    created: list[str] = []
    before = _public_tables(admin)

    def make() -> str:
        name = f"gbtest_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        created.append(name)
        return name

    yield make
    leaked = sorted(_public_tables(admin) - before)
    with admin.begin() as conn:
        for name in created:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        for table in leaked:  # cleaned up, so the next session starts empty, and reported below
            conn.execute(text(f'DROP TABLE IF EXISTS public."{table}" CASCADE'))
    admin.dispose()
    assert not leaked, f"tests wrote tables into the public schema instead of their own: {leaked}"


def _public_tables(engine) -> set[str]:
    """Tables in the shared public schema: a store that ignores its schema would land there and
    leak rows (handled event ids, say) into every later test and run."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path):
    """(url, schema) of an empty database on each back end."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}", None
    return PG_URL, request.getfixturevalue("pg_schema_factory")()


@pytest.fixture
def store(store_target):
    from bot.store import open_store

    url, schema = store_target
    s = open_store(url, schema_name=schema)
    yield s
    s.close()
