"""The tables, as the current code reads and writes them. Created and changed only by the
steps in ``migrations.py``."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, UniqueConstraint, text

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("id", Integer, primary_key=True),  # always 1: one row
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per delivery we acted on. A second delivery of the same event (a retry: same event_key)
# or of the same message through another event type (app_mention + message.channels: same
# channel and ts) fails to insert, so exactly one process answers.
processed_events = Table(
    "processed_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_key", String(200), nullable=True, unique=True),
    Column("channel", String(40), nullable=True),
    Column("ts", String(40), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("channel", "ts", name="uq_processed_events_message"),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question_id", String(64), nullable=False),
    Column("user_id", String(40), nullable=False),
    Column("helpful", Boolean, nullable=False),
    Column("reason", Text, nullable=True),
    Column("question_text", Text, nullable=True),  # only with GUIDELINES_BOT_STORE_QUESTION_TEXT=1
    Column("verdict", String(20), nullable=True),
    Column("language", String(5), nullable=True),
    Column("faq_id", String(100), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=text("CURRENT_TIMESTAMP")),
    UniqueConstraint("question_id", "user_id", name="uq_feedback_question_user"),
)

# Channel threads the bot answered after a mention: the asker's follow-ups there are answered
# without a new mention.
followed_threads = Table(
    "followed_threads", metadata,
    Column("channel", String(40), primary_key=True),
    Column("thread_ts", String(40), primary_key=True),
    Column("user_id", String(40), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
