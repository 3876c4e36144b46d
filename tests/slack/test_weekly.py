"""The weekly post to the team's channel: due from Monday 9:00 in the team's time zone, posted by
exactly one process a week, in German and English, without question text; against the fake Slack."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from bot.errors import ConfigError
from bot.escalation import Policy
from bot.escalation.hours import BusinessHours
from bot.reporting.trace import trace
from bot.slack.casedesk import CaseDesk
from bot.slack.scheduler import Scheduler
from bot.slack.settings import SlackSettings
from bot.slack.weekly import WeeklyReport
from bot.store import open_store
from tests.slack.conftest import TEAM_CHANNEL, make_service
from tests.slack.fake_slack import FakeSlack

BERLIN = ZoneInfo("Europe/Berlin")
PHOTO = "Darf ich Fotos vom Sommerfest posten?"


@pytest.fixture
def world(tmp_path):
    slack = FakeSlack().start()
    service = make_service(tmp_path)
    stores = [open_store(f"sqlite:///{tmp_path / 'bot.db'}") for _ in range(2)]  # two processes
    answer = service.answer(PHOTO)
    for n, day in enumerate((2, 3, 4)):
        at = datetime(2026, 3, day, 11, tzinfo=BERLIN)
        stores[0].answers.record(trace(answer, f"q{n}", "dm", at, 900, question_text=PHOTO))
    yield slack, service, stores
    for store in stores:
        store.close()
    slack.stop()


def weekly(slack, service, store, channel=TEAM_CHANNEL) -> WeeklyReport:
    client = WebClient(token="xoxb-test", base_url=slack.api_url)
    return WeeklyReport(client, store, service, channel, BusinessHours())


def test_posted_once_a_week_from_monday_morning(world):
    slack, service, (first, second) = world
    one, other = weekly(slack, service, first), weekly(slack, service, second)
    assert not one.post_if_due(datetime(2026, 3, 8, 20, tzinfo=BERLIN))  # Sunday: no working day
    assert not one.post_if_due(datetime(2026, 3, 9, 8, 30, tzinfo=BERLIN))  # Monday before 9
    assert one.post_if_due(datetime(2026, 3, 9, 9, 5, tzinfo=BERLIN))
    assert not other.post_if_due(datetime(2026, 3, 9, 9, 6, tzinfo=BERLIN))  # the other process
    assert not one.post_if_due(datetime(2026, 3, 11, 12, tzinfo=BERLIN))  # later that week
    [post] = slack.of("chat.postMessage", channel=TEAM_CHANNEL)
    assert "*Die Woche des Richtlinien-Bots*\n3 Fragen (+3 zur Vorwoche), 100 % vom Bot selbst" in post.text
    shown = str(post.params)
    assert "The guidelines bot's week" in shown and "3 questions (+3 on the week before)" in shown
    assert "Sommerfest" not in shown  # the stored texts are never posted
    assert other.post_if_due(datetime(2026, 3, 16, 9, 0, tzinfo=BERLIN))  # next Monday, any process
    assert len(slack.of("chat.postMessage", channel=TEAM_CHANNEL)) == 2


def test_a_week_without_a_monday_process_is_posted_later_that_week(world):
    slack, service, (store, _) = world
    assert weekly(slack, service, store).post_if_due(datetime(2026, 3, 10, 14, tzinfo=BERLIN))  # Tuesday
    assert len(slack.of("chat.postMessage", channel=TEAM_CHANNEL)) == 1


def test_a_channel_the_bot_cannot_post_to_is_logged_once(world, caplog):
    slack, service, (store, _) = world
    slack.failing_channels["C0GONE"] = "channel_not_found"
    report = weekly(slack, service, store, "C0GONE")
    with caplog.at_level(logging.INFO):
        assert not report.post_if_due(datetime(2026, 3, 9, 10, tzinfo=BERLIN))
        assert not report.post_if_due(datetime(2026, 3, 9, 10, 1, tzinfo=BERLIN))  # not again every minute
    [line] = [r.getMessage() for r in caplog.records if "weekly report" in r.getMessage()]
    assert line == "weekly report for weekly-report:2026-W11 not posted to C0GONE: SlackApiError"


def test_the_setting_and_the_scheduler(world):
    slack, service, (store, _) = world
    base = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s"}
    assert SlackSettings.from_env("http", base).weekly_report is None
    assert SlackSettings.from_env("http", base).native_feedback is False
    assert SlackSettings.from_env("http", {**base, "GUIDELINES_BOT_NATIVE_FEEDBACK": "1"}).native_feedback is True
    assert SlackSettings.from_env("http", {**base, "GUIDELINES_BOT_WEEKLY_REPORT": "C0TEAM"}).weekly_report == "C0TEAM"
    with pytest.raises(ConfigError, match="GUIDELINES_BOT_WEEKLY_REPORT must be a channel ID"):
        SlackSettings.from_env("http", {**base, "GUIDELINES_BOT_WEEKLY_REPORT": "#team"})
    client = WebClient(token="xoxb-test", base_url=slack.api_url)
    hours = Policy(hours=BusinessHours())
    settings = SlackSettings(bot_token="xoxb-test", api_url=slack.api_url, weekly_report="C0TEAM", escalation=hours)
    scheduler = Scheduler(CaseDesk(client, service, store, settings))
    assert scheduler.weekly is not None and scheduler.weekly.channel == "C0TEAM"
    assert scheduler.weekly.hours == BusinessHours()
    plain = SlackSettings(bot_token="xoxb-test", api_url=slack.api_url)
    assert Scheduler(CaseDesk(client, service, store, plain)).weekly is None


@pytest.mark.parametrize(
    ("command", "title", "numbers"),
    [
        ("admin report bitte", "*Die Woche des Richtlinien-Bots*", "1 Fragen (+1 zur Vorwoche)"),
        ("admin report please", "*The guidelines bot's week*", "1 questions (+1 on the week before)"),
    ],
)
def test_admin_report_tells_the_maintainer_privately(bot_factory, command, title, numbers):
    from bot.store import Feedback
    from bot.store.database import utcnow
    from tests.slack import payloads
    from tests.slack.conftest import MAINTAINER

    bot = bot_factory("http")
    answer = bot.service.answer(PHOTO)
    bot.store.answers.record(trace(answer, "q1", "dm", utcnow() - timedelta(days=1), 900))
    bot.store.record_feedback(Feedback("q1", "U1", False, reason="<!channel> zu vage", faq_id="event-photos"))
    bot.send_command(payloads.command(command, bot.slack.response_url("r"), user=MAINTAINER))
    [told] = bot.slack.wait_for("response_url", _url="/response/r")
    assert told.params["response_type"] == "ephemeral"
    assert told.text.startswith(title) and numbers in told.text
    assert "event-photos" in told.text and "&lt;!channel&gt; zu vage" in told.text and "<!channel>" not in told.text
    assert "Sommerfest" not in told.text
    bot.send_command(payloads.command(command, bot.slack.response_url("x"), user="U0ASKER"))
    [refused] = bot.slack.wait_for("response_url", _url="/response/x")
    assert title not in refused.text and ":lock:" in refused.text
