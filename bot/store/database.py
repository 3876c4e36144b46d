"""Which database, and an engine that behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import OperationalError, TimeoutError

from bot.errors import ConfigError

log = logging.getLogger(__name__)

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
    parameters (hide_parameters): those are question texts, reasons and answers, not for a log.
    Every wait is bounded (``Timeouts``): a database that accepts and then says nothing fails the
    call within seconds, with one log line, instead of holding a thread forever."""
    limits = Timeouts.from_env()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            hide_parameters=True,
            pool_timeout=limits.connect,
            connect_args={"timeout": limits.connect, "check_same_thread": False},
        )
        _sqlite_transactions(engine, limits)
    else:
        parsed = make_url(url)  # libpq options in the URL (a search_path, say) are kept beside ours
        engine = create_engine(
            parsed.difference_update_query(["options"]),
            hide_parameters=True,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=10,
            pool_timeout=limits.connect,
            connect_args=limits.postgresql(schema, parsed.query.get("options")),
        )
    _log_unreachable(engine)
    return engine


@dataclass(frozen=True)
class Timeouts:
    """How long the store waits, in seconds. ``connect``: to connect (the whole PostgreSQL
    handshake), for a free connection from the pool, and for SQLite's write lock.
    ``statement``: PostgreSQL cancels a statement after this long (server side). ``keepalive``:
    idle seconds before TCP keepalive probes; three unanswered probes close the connection."""

    connect: float = 5.0
    statement: float = 15.0
    keepalive: int = 30

    @classmethod
    def from_env(cls) -> Timeouts:
        return cls(
            connect=_seconds("GUIDELINES_BOT_DB_TIMEOUT", cls.connect),
            statement=_seconds("GUIDELINES_BOT_DB_STATEMENT_TIMEOUT", cls.statement),
            keepalive=max(1, int(_seconds("GUIDELINES_BOT_DB_KEEPALIVE", cls.keepalive))),
        )

    def postgresql(self, schema: str | None, url_options: str | tuple[str, ...] | None = None) -> dict:
        """psycopg (libpq) connect arguments; ``url_options`` (the URL's own ``options``) come
        first, so a search_path or setting given there is kept, not replaced by ours."""
        given = (url_options,) if isinstance(url_options, str) else tuple(url_options or ())
        options = " ".join((*given, f"-cstatement_timeout={int(self.statement * 1000)}"))
        if schema:
            options = f"-csearch_path={schema} {options}"
        return {
            "connect_timeout": max(2, round(self.connect)),  # libpq's floor is 2 s
            "keepalives": 1,
            "keepalives_idle": self.keepalive,
            "keepalives_interval": max(1, self.keepalive // 3),
            "keepalives_count": 3,
            "options": options,
        }


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not '{raw[:20]}'") from None
    if not 0 < value <= 3600:
        raise ConfigError(f"{name} must be between 0 and 3600 seconds, not {raw[:20]}")
    return value


def _log_unreachable(engine: Engine) -> None:
    """One line per failed connection or timed-out statement, naming the error class and the
    driver's first line (never the statement's parameters)."""

    @event.listens_for(engine, "handle_error")
    def _error(context) -> None:
        if context.is_pre_ping:
            return
        if isinstance(context.sqlalchemy_exception, (OperationalError, TimeoutError)) or context.is_disconnect:
            first = str(context.original_exception).strip().splitlines()[:1]
            log.error(
                "database unreachable or too slow: %s: %s",
                type(context.original_exception).__name__,
                first[0][:200] if first else "",
            )


def _sqlite_transactions(engine: Engine, limits: Timeouts) -> None:
    """SQLAlchemy's recipe: let SQLAlchemy, not the sqlite3 module, begin transactions."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted text is overwritten, not left in free space
        cursor.execute(f"PRAGMA busy_timeout={int(limits.connect * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def erase_deleted(engine: Engine) -> None:
    """After deleting texts (retention): on SQLite, copy the write-ahead log into the file and
    truncate it, so the old page images holding the deleted text are gone as well (secure_delete
    has zeroed the text in the file). PostgreSQL reuses the space of deleted rows after its
    autovacuum; README ("Retention") says what that means on disk."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        busy, _, _ = raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError as error:  # the texts are deleted; only the log's old copy waits
        busy = f"{type(error).__name__}: {str(error)[:100]}"
    finally:
        raw.close()
    if busy:
        log.warning("retention: the SQLite write-ahead log was busy (%s); it is truncated at the next purge", busy)


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
