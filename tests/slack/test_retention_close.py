"""Issue 13, point 7: a case nobody touched for twice the retention is closed by the bot's own
clock (CaseDesk.tick, as the scheduler runs it): the team's case message says so and loses its
buttons, the asker hears it, and the question's text is gone from the store."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk import WebClient

from bot.escalation import CaseService
from bot.slack.casedesk import CaseDesk
from bot.store.database import utcnow
from tests.slack import payloads
from tests.slack.conftest import TEAM_CHANNEL
from tests.slack.test_cases import MEMBERS, PRESS, case_ts, thread


def test_an_abandoned_case_is_closed_and_both_sides_are_told(bot_factory):
    bot = bot_factory("http", team_members=MEMBERS, workers=1)
    question = payloads.message(PRESS)
    bot.send_event(payloads.event_callback(question))
    bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    ts = case_ts(bot)
    thread(bot, "D0DM", question["ts"], 1)
    desk = CaseDesk(WebClient(token="xoxb-test", base_url=bot.slack.api_url), bot.service, bot.store, bot.settings)

    assert desk.tick(now=utcnow() + timedelta(days=179))["purged"] == 0  # 90 days' retention: kept for 180
    reminders = len(bot.slack.of("chat.postMessage", channel=TEAM_CHANNEL, thread_ts=ts))
    assert desk.tick(now=utcnow() + timedelta(days=181, hours=2))["purged"] == 1  # and delivered at once

    [closed] = bot.slack.wait_for("chat.update", ts=ts)
    assert "*Geschlossen*" in closed.text and closed.buttons() == {}
    assert "Journalistin" not in closed.text
    assert len(bot.slack.of("chat.postMessage", channel=TEAM_CHANNEL, thread_ts=ts)) == reminders  # no more
    [told] = [m for m in bot.slack.of("chat.postMessage", channel="D0DM") if ":hourglass:" in m.text]
    assert told.params["thread_ts"] == question["ts"]  # in the asker's thread, where the question was
    assert "lange unbeantwortet geblieben und jetzt geschlossen" in told.text
    [case] = CaseService(bot.store).cases()
    assert (case.state, case.resolved_by, case.question) == ("resolved", "bot", None)
    assert bot.slack.rejected() == []
