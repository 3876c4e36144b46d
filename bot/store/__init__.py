"""Shared state of the serving processes: event de-duplication, feedback, followed threads.

SQLite beside the index by default, PostgreSQL when DATABASE_URL says so. No Slack here."""

from bot.store.answers import AnswerLog, AnswerRecord
from bot.store.database import database_url
from bot.store.store import Feedback, Store, open_store

__all__ = ["AnswerLog", "AnswerRecord", "Feedback", "Store", "database_url", "open_store"]
