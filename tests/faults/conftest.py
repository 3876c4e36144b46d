"""What every fault test asks: did the asker hear something within 10 seconds, and does the log
hold no question text."""

from __future__ import annotations

import time

PRESS = "Eine Journalistin hat mich angerufen: Presseanfrage zu unserem Produkt. Darf ich das posten?"
PRIVATE_WORDS = ("Journalistin hat mich angerufen", "Presseanfrage zu unserem Produkt")


def asker_heard(slack, question: dict, started: float, timeout: float = 30):
    """The first message in the thread of ``question`` and the seconds from ``started`` until it came."""
    [reply] = slack.wait_for("chat.postMessage", channel=question["channel"], thread_ts=question["ts"], timeout=timeout)
    return reply, time.monotonic() - started


def no_question_text(caplog_or_text) -> None:
    logged = getattr(caplog_or_text, "text", caplog_or_text)
    for words in PRIVATE_WORDS:
        assert words not in logged, f"the log holds the question text ({words!r})"
