"""`/mayipost`, "Check this post" and a click of "Ask the team" stored before they are answered
(issue 13, point 3): what is stored for them, what is not a question, and a replay that comes
after the 30 minutes Slack keeps a response_url valid: dropped with one ERROR line, without the
text or the URL."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select

from bot.slack.listeners.questions import (
    RESPONSE_URL_LIFETIME,
    private_question,
    replay_unanswered,
    too_late,
)
from bot.store import schema
from bot.store.database import utcnow
from tests.slack import payloads
from tests.store.conftest import pg_schema_factory, store, store_target  # noqa: F401 - fixtures

URL = "https://hooks.slack.com/commands/T0/1/secret"
TEXT = "Darf ich das vertrauliche Projekt posten?"


def test_what_a_command_and_a_shortcut_store():
    command = private_question(payloads.command(f"  {TEXT} ", URL, user="U0A", channel="C0"))
    assert command["surface"] == "command" and command["text"] == TEXT and command["share"] is True
    assert command["user"] == "U0A" and command["channel"] == "C0" and command["response_url"] == URL
    assert command["trigger_id"] and command["id"]
    shortcut = private_question(payloads.message_shortcut(TEXT, URL, user="U0B"))
    assert shortcut["surface"] == "shortcut" and shortcut["checked"] is True and shortcut["share"] is False
    for not_a_question in ("", "help", "Hilfe", "?", "admin reindex"):
        assert private_question(payloads.command(not_a_question, URL)) is None
    assert private_question(payloads.message_shortcut("", URL)) is None  # nothing to check: a notice


def test_a_replay_after_the_response_url_expired_is_dropped_with_one_error_line(store, caplog):  # noqa: F811
    lease = timedelta(seconds=45)
    question = private_question(payloads.command(TEXT, URL, user="U0A"))
    asked = utcnow() - RESPONSE_URL_LIFETIME - timedelta(seconds=1)
    store.unanswered.claim(f"command:{question['trigger_id']}", None, None, question, lease, asked)
    replied = []
    answering = SimpleNamespace(
        store=store,
        lease=lease,
        reply=lambda *args, **kwargs: replied.append(args),
        answered=store.unanswered.answered,
    )
    with caplog.at_level(logging.INFO):
        assert replay_unanswered(answering, client=None) == 1
    assert replied == [] and store.unanswered.waiting() == 0
    [line] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "U0A" in line.getMessage() and "30 minutes" in line.getMessage()
    assert TEXT not in caplog.text and URL not in caplog.text and "hooks.slack.com" not in caplog.text
    assert too_late(question, asked) and not too_late(question, utcnow())
    assert not too_late({**question, "surface": "dm"}, asked)  # a thread answer needs no response_url


def test_a_command_and_a_shortcut_are_claimed_by_trigger_and_their_rows_go_once_answered(bot):
    """Both are claimed (and stored) under their trigger_id; once the private answers are out,
    nothing of them is left but the claim (ids and times). Help and admin are not claimed."""
    bot.send_command(payloads.command("help", bot.slack.response_url("help")))
    command = payloads.command("Darf ich Fotos vom Sommerfest posten?", bot.slack.response_url("cmd"))
    bot.send_command(command)
    shortcut = payloads.message_shortcut("Unser neues Büro! #team", bot.slack.response_url("post"))
    bot.send_interaction(shortcut)
    bot.slack.wait_for("response_url", _url="/response/cmd")
    bot.slack.wait_for("response_url", _url="/response/post")
    with bot.store.engine.connect() as conn:
        keys = set(conn.execute(select(schema.processed_events.c.event_key)).scalars())
    assert keys == {f"command:{command['trigger_id']}", f"shortcut:{shortcut['trigger_id']}"}
    deadline = time.monotonic() + 10  # deleted just after Slack accepted the answer
    while bot.store.unanswered.waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bot.store.unanswered.waiting() == 0


def test_a_click_of_ask_the_team_is_claimed_by_trigger_and_its_row_goes_once_the_asker_is_told(bot):
    """The click is stored (with the question from the button) before its acknowledgement and
    deleted once the asker has the notice; a forged button stores nothing and is refused."""
    bot.send_event(payloads.event_callback(payloads.message("Darf ich Fotos vom Sommerfest posten?")))
    [answer] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    click = payloads.block_action(answer.buttons()["ask_team"], bot.slack.response_url("ask"), channel="D0DM")
    bot.send_interaction(click)
    bot.slack.wait_for("response_url", _url="/response/ask")
    with bot.store.engine.connect() as conn:
        keys = set(conn.execute(select(schema.processed_events.c.event_key)).scalars())
    assert f"ask_team:{click['trigger_id']}" in keys
    deadline = time.monotonic() + 10
    while bot.store.unanswered.waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bot.store.unanswered.waiting() == 0
    forged = payloads.block_action(
        {"action_id": "ask_team", "value": '{"q":"../x","t":"hi"}'}, bot.slack.response_url("forged"), channel="D0DM"
    )
    bot.send_interaction(forged)
    [refusal] = bot.slack.wait_for("response_url", _url="/response/forged")
    with bot.store.engine.connect() as conn:
        keys = set(conn.execute(select(schema.processed_events.c.event_key)).scalars())
    assert f"ask_team:{forged['trigger_id']}" not in keys and "Something is wrong with this button" in refusal.text
