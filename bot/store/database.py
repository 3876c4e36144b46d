"""Which database, and an engine that behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from bot.errors import ConfigError

DB_FILE = "guidelines-bot.db"
_SUPPORTED = ("sqlite", "postgresql")


def database_url(value: str | None = None, index_dir: Path | None = None) -> str:
    """``value``, else $DATABASE_URL, else a SQLite file beside the index directory."""
    url = value or os.environ.get("DATABASE_URL", "").strip()
    if not url:
        from bot import config

        parent = Path(index_dir or config.index_dir()).absolute().parent
        return f"sqlite:///{parent / DB_FILE}"
    if url.startswith("postgres://"):  # the form Heroku and others hand out
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.split(":", 1)[0].split("+", 1)[0] not in _SUPPORTED:
        raise ConfigError(f"DATABASE_URL must be a sqlite:/// or postgresql:// URL, not '{url.split(':', 1)[0]}:…'")
    return url


def make_engine(url: str, schema: str | None = None) -> Engine:
    """An engine; on PostgreSQL inside ``schema`` if given (it must exist). On SQLite every
    transaction takes the write lock at BEGIN (BEGIN IMMEDIATE), so claims and migrations are
    serialised across processes, and DDL is transactional. Errors never show their bound
    parameters (hide_parameters): those are question texts, reasons and answers, not for a log."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, hide_parameters=True, connect_args={"timeout": 30, "check_same_thread": False})
        _sqlite_transactions(engine)
        return engine
    connect_args = {"options": f"-csearch_path={schema}", "connect_timeout": 10} if schema else {"connect_timeout": 10}
    return create_engine(
        url,
        hide_parameters=True,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        pool_timeout=10,
        connect_args=connect_args,
    )


def _sqlite_transactions(engine: Engine) -> None:
    """SQLAlchemy's recipe: let SQLAlchemy, not the sqlite3 module, begin transactions."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
