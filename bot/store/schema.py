"""The tables, as the current code reads and writes them. Created and changed only by the
steps in ``migrations.py``."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    text,
)

from bot.store.storable import CappedText, CleanText

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1: one row
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per delivery we acted on. A second delivery of the same event (a retry: same event_key)
# or of the same message through another event type (app_mention + message.channels: same
# channel and ts) fails to insert, so exactly one process answers.
processed_events = Table(
    "processed_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_key", String(200), nullable=True, unique=True),
    Column("channel", String(40), nullable=True),
    Column("ts", String(40), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("channel", "ts", name="uq_processed_events_message"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question_id", String(64), nullable=False),
    Column("user_id", String(40), nullable=False),
    Column("helpful", Boolean, nullable=False),
    Column("reason", CappedText, nullable=True),
    Column("question_text", CappedText, nullable=True),  # only with GUIDELINES_BOT_STORE_QUESTION_TEXT=1
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
    "followed_threads",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("thread_ts", String(40), primary_key=True),
    Column("user_id", String(40), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# -- escalation (schema version 2) -------------------------------------------------------------
# A case: one question handed to the team. The team side is the case message (team_channel,
# team_ts: its thread carries the team's replies); the asker side is the conversation the asker
# hears back in (asker_channel, asker_thread_ts). ``version`` grows with every state change, so
# a change commits only if nobody changed the case since it was read.
cases = Table(
    "cases",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("state", String(12), nullable=False),  # open | claimed | resolved
    Column("version", Integer, nullable=False),
    Column("question", CappedText, nullable=True),  # NULL once retention purged it
    Column("language", String(5), nullable=False),
    Column("asker", String(40), nullable=False),
    Column("surface", String(20), nullable=False),
    Column("origin_channel", String(40), nullable=True),  # where the question was asked
    Column("asker_channel", String(40), nullable=True),
    Column("asker_thread_ts", String(40), nullable=True),
    Column("contact", String(100), nullable=False),  # routing.yaml contact key
    Column("topic", String(100), nullable=True),
    Column("found", CleanText, nullable=True),  # JSON: what the bot found (verdict, reason, citations)
    Column("team_channel", String(40), nullable=True),
    Column("team_ts", String(40), nullable=True),
    Column("team_ping", String(100), nullable=True),
    Column("owner", String(40), nullable=True),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=True),  # first claim
    Column("assigned_at", DateTime(timezone=True), nullable=True),  # the current owner got it
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("resolved_by", String(40), nullable=True),
    Column("resolution", CappedText, nullable=True),
    Column("resolution_verdict", String(20), nullable=True),
    Column("last_team_reply_at", DateTime(timezone=True), nullable=True),
    Column("reminders", Integer, nullable=False),  # reminders sent in the current phase
    Column("faq_entry", String(100), nullable=True),
    Column("purged_at", DateTime(timezone=True), nullable=True),
    Index("ix_cases_state", "state"),
    Index("ix_cases_team_thread", "team_channel", "team_ts"),
    Index("ix_cases_asker_thread", "asker_channel", "asker_thread_ts"),
)

# The audit trail: who did what to which case, when. Written in the transaction of the change.
case_events = Table(
    "case_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(40), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(40), nullable=False),  # a Slack user ID, or "bot"
    Column("action", String(30), nullable=False),
    Column("detail", CleanText, nullable=True),  # JSON
    Index("ix_case_events_case", "case_id"),
)

# Messages the team or the asker must still get, written with the change that causes them and
# deleted once delivered. ``lane`` keeps the order per case and side; ``not_before`` is both the
# retry back-off and the lease of the process delivering the item.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(40), nullable=False),
    Column("lane", String(10), nullable=False),  # team | asker
    Column("kind", String(30), nullable=False),
    Column("payload", CleanText, nullable=True),  # JSON
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("not_before", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", String(200), nullable=True),
    Index("ix_outbox_case", "case_id"),
)

# -- relayed messages (schema version 4) -------------------------------------------------------------
# Where a relayed message's copy is (the asker's conversation or the case thread), so an edit or a
# deletion of the original reaches the copy too. No text here.
relayed_messages = Table(
    "relayed_messages",
    metadata,
    Column("source_channel", String(40), primary_key=True),
    Column("source_ts", String(40), primary_key=True),
    Column("case_id", String(40), nullable=False),
    Column("author", String(40), nullable=False),
    Column("copy_channel", String(40), nullable=False),
    Column("copy_ts", String(40), nullable=False),
    Column("relayed_at", DateTime(timezone=True), nullable=False),
    Index("ix_relayed_messages_case", "case_id"),
)

# -- FAQ proposals (schema version 3) -----------------------------------------------------------
# "Add to FAQ" in Slack, written with the case change in the database every serving process
# shares (a process's own disk may be gone at its next restart), until `guidelines-bot faq review`
# moves it into the maintainer's review file, knowledge/faq-proposals.yaml. One per case.
faq_proposals = Table(
    "faq_proposals",
    metadata,
    Column("case_id", String(40), primary_key=True),
    Column("entry", CleanText, nullable=False),  # JSON: the proposed faq.yaml entry
    Column("proposed_by", String(40), nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
)

# -- answers (schema version 5) --------------------------------------------------------------------
# One row per answer the bot gave: what the team's report counts. No question text unless
# GUIDELINES_BOT_STORE_QUESTION_TEXT=1, and that text is deleted under the retention rules.
answers = Table(
    "answers",
    metadata,
    Column("id", String(40), primary_key=True),  # the question id (= the case id when escalated)
    Column("answered_at", DateTime(timezone=True), nullable=False),  # when the question arrived
    Column("surface", String(20), nullable=False),  # dm | thread | mention | command | shortcut | cli
    Column("language", String(5), nullable=True),
    Column("verdict", String(20), nullable=True),  # None: nothing to judge
    Column("confidence", Float, nullable=False),
    Column("escalated", Boolean, nullable=False),
    Column("escalation_reason", String(30), nullable=True),  # a code (bot/reporting/trace.py), never text
    Column("topic", String(100), nullable=True),
    Column("faq_id", String(100), nullable=True),
    Column("anchors", CleanText, nullable=False),  # JSON list of the cited section anchors, in order
    Column("latency_ms", Integer, nullable=False),
    Column("question_text", CappedText, nullable=True),  # only with GUIDELINES_BOT_STORE_QUESTION_TEXT=1
    Index("ix_answers_answered_at", "answered_at"),
)

# -- questions not answered yet (schema version 6) ---------------------------------------------------
# A claimed question (message or mention) until the asker has its answer: written with the claim,
# deleted once answered, so a process killed in between leaves it for Slack's retry or the scheduler
# of any process. ``not_before`` is the lease of the process answering it (and the back-off).
pending_answers = Table(
    "pending_answers",
    metadata,
    Column("claim_id", Integer, primary_key=True, autoincrement=False),  # processed_events.id
    Column("question", CleanText, nullable=False),  # JSON: who asked where, and the text; deleted once answered
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("not_before", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),  # take-overs after a lease passed
    Index("ix_pending_answers_not_before", "not_before"),
)
