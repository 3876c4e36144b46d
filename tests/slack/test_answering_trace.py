"""Every answer in Slack leaves a trace in the store, without its text unless configured, and a
store that fails costs the trace, never the answer."""

from __future__ import annotations

import logging
import time

from sqlalchemy import text

from bot.slack.blocks import unpack_value
from tests.slack import payloads
from tests.slack.conftest import TEAM_CHANNEL

PHOTO_QUESTION = "Darf ich Fotos vom Sommerfest posten?"
PRESS_QUESTION = "Eine Journalistin hat mich angerufen: Presseanfrage zu unserem Produkt. Was darf ich sagen?"


def eventually(read, done, timeout: float = 30.0):
    """What ``read()`` returns once ``done`` holds for it, or at the deadline: the bot writes some
    rows after the Slack call a test waits for."""
    deadline = time.monotonic() + timeout
    while True:
        found = read()
        if done(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def wait_for_answers(store, count: int) -> list:
    return eventually(store.answers.between, lambda found: len(found) >= count)


def test_each_surface_leaves_a_trace_without_the_question_text(bot_factory):
    bot = bot_factory("http", workers=1)
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION)))
    [dm] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    bot.send_event(payloads.event_callback(payloads.mention(PRESS_QUESTION, channel="C0GENERAL")))
    bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    bot.send_command(payloads.command("May I post photos from the summer party?", bot.slack.response_url("c")))
    bot.slack.wait_for("response_url", _url="/response/c")
    traces = {t.surface: t for t in wait_for_answers(bot.store, 3)}
    assert set(traces) == {"dm", "mention", "command"}
    photo = traces["dm"]
    assert photo.id == unpack_value(dm.buttons()["feedback_helpful"]["value"])["q"]
    assert (photo.language, photo.verdict, photo.faq_id) == ("de", "conditional", "event-photos")
    assert not photo.escalated
    assert photo.anchors[0] == "photos" and photo.escalation_reason is None and photo.latency_ms >= 0
    press = traces["mention"]
    assert press.escalated and press.verdict == "ask_team" and press.escalation_reason is not None
    assert traces["command"].language == "en"
    assert all(t.question_text is None for t in traces.values())
    with bot.store.engine.connect() as conn:  # nowhere in the table, in any column
        dump = " ".join(str(row) for row in conn.execute(text("SELECT * FROM answers")).all())
    assert "Sommerfest" not in dump and "Journalistin" not in dump and "summer" not in dump


def test_the_question_text_is_kept_only_when_configured(bot_factory):
    bot = bot_factory("http", store_question_text=True)
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION)))
    bot.slack.wait_for("chat.postMessage", channel="D0DM")
    [trace] = wait_for_answers(bot.store, 1)
    assert trace.question_text == PHOTO_QUESTION


def test_a_failing_store_costs_the_trace_not_the_answer(bot_factory, caplog):
    bot = bot_factory("http")
    with bot.store.engine.begin() as conn:
        conn.execute(text("DROP TABLE answers"))  # every write of a trace now fails
    with caplog.at_level(logging.INFO):
        bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION)))
        [reply] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
        deadline = time.monotonic() + 10
        while not [r for r in caplog.records if "not recorded" in r.getMessage()] and time.monotonic() < deadline:
            time.sleep(0.02)
    assert "Ja, wenn alle zugestimmt haben." in reply.text
    [line] = [r.getMessage() for r in caplog.records if "not recorded" in r.getMessage()]
    assert line.endswith("not recorded for the report: OperationalError")
    assert all("Sommerfest" not in r.getMessage() for r in caplog.records)


def test_the_status_comes_with_rotating_loading_messages_in_the_asker_s_language(bot_factory):
    bot = bot_factory("http")
    bot.send_event(payloads.event_callback(payloads.message("May I post photos from the summer party?")))
    bot.slack.wait_for("chat.postMessage", channel="D0DM")
    [status] = bot.slack.of("assistant.threads.setStatus")
    assert status.params["status"] == "Checking the guidelines…"
    assert status.params["loading_messages"] == [
        "Reading the sections that fit…",
        "Looking through the FAQ…",
        "Checking whether the team should decide…",
    ]


def feedback_choices(message) -> dict[str, dict]:
    [element] = [e for b in message.blocks if b["type"] == "context_actions" for e in b["elements"]]
    assert element["type"] == "feedback_buttons"
    return {"positive": element["positive_button"], "negative": element["negative_button"]}


def ratings_once_stored(store, question_id: str, users: set[str]) -> dict:
    """The ratings by user once all of ``users`` have one: the 👎 is stored after the modal opens
    (its trigger id expires within seconds), so the row may land just after ``views.open``."""
    return eventually(lambda: {f.user_id: f for f in store.feedback_for(question_id)}, lambda rows: users <= set(rows))


def test_slack_s_own_feedback_buttons_when_configured(bot_factory):
    from tests.slack.fake_slack import block_kit_problem

    bot = bot_factory("http", native_feedback=True)
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION)))
    [answer] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert set(answer.buttons()) == {"ask_team"}  # 👍/👎 are Slack's now
    assert block_kit_problem(answer.params) is None
    choices = feedback_choices(answer)
    assert (
        choices["positive"]["text"]["text"] == "Hilfreich" and choices["negative"]["text"]["text"] == "Nicht hilfreich"
    )
    question_id = unpack_value(choices["positive"]["value"])["q"]
    up = {"action_id": "feedback", **choices["positive"]}
    bot.send_interaction(payloads.block_action(up, bot.slack.response_url("up"), user="U0FAN", channel="D0DM"))
    [thanks] = bot.slack.wait_for("response_url", _url="/response/up")
    assert "Danke für dein Feedback" in thanks.text
    down = {"action_id": "feedback", **choices["negative"]}
    bot.send_interaction(payloads.block_action(down, bot.slack.response_url("down"), channel="D0DM"))
    [opened] = bot.slack.wait_for("views.open")  # our reason modal, as with our own 👎
    assert opened.params["view"]["callback_id"] == "feedback_reason"
    rows = ratings_once_stored(bot.store, question_id, users={"U0FAN", "U0ASKER"})
    assert rows["U0FAN"].helpful is True and rows["U0ASKER"].helpful is False
    assert rows["U0ASKER"].faq_id == "event-photos" and rows["U0ASKER"].question_text is None


def test_our_own_buttons_by_default(bot_factory):
    bot = bot_factory("http")
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION)))
    [answer] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert {"feedback_helpful", "feedback_not_helpful"} <= set(answer.buttons())
    assert not [b for b in answer.blocks if b["type"] == "context_actions"]
