"""No message text in the log by default, on the error paths too."""

from __future__ import annotations

import logging

from sqlalchemy import text

from tests.slack import payloads
from tests.slack.conftest import TEAM_CHANNEL

SECRET = "Nordlicht"
PRESS = f"Eine Journalistin fragt nach dem Projekt {SECRET}: Presseanfrage, was darf ich sagen?"


def test_a_store_failure_while_escalating_logs_no_question_text(http_bot, caplog, capfd):
    """The case cannot be stored (its table is gone): the asker still gets the answer with the
    button to the team, the log says why,
    and neither the log nor stderr holds the question (SQLAlchemy would print it as a parameter)."""
    with http_bot.store.engine.begin() as conn:
        conn.execute(text("DROP TABLE cases"))
    with caplog.at_level(logging.INFO):  # the level the bot logs at
        http_bot.send_event(payloads.event_callback(payloads.message(PRESS)))
        [told] = http_bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert "ask_team" in told.buttons()  # the way to the team, by hand
    assert any("NOT stored" in r.getMessage() for r in caplog.records), caplog.text[-2000:]
    assert "no such table: cases" in caplog.text  # the reason is logged ...
    assert SECRET not in caplog.text  # ... the question is not
    assert SECRET not in capfd.readouterr().err
    assert not http_bot.slack.of("chat.postMessage", channel=TEAM_CHANNEL)
