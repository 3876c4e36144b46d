"""Settings from the environment: missing ones fail in one line that says what to set."""

from __future__ import annotations

import pytest

from bot.errors import ConfigError
from bot.slack.settings import DEFAULT_API_URL, SlackSettings

HTTP = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
SOCKET = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}


@pytest.mark.parametrize(
    ("mode", "env", "message"),
    [
        ("http", {}, "set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET for --mode http"),
        ("http", {"SLACK_BOT_TOKEN": "xoxb-1"}, "set SLACK_SIGNING_SECRET for --mode http"),
        ("socket", {"SLACK_BOT_TOKEN": "xoxb-1"}, "set SLACK_APP_TOKEN for --mode socket: SLACK_APP_TOKEN (Basic"),
        ("socket", {"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "  "}, "set SLACK_BOT_TOKEN for --mode socket"),
        ("http", {**HTTP, "SLACK_BOT_TOKEN": "xoxp-user"}, "must be the Bot User OAuth Token"),
        ("socket", {**SOCKET, "SLACK_APP_TOKEN": "xoxb-1"}, "must be an app-level token"),
        ("http", {**HTTP, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL must be an http(s) URL"),
        ("http", {**HTTP, "GUIDELINES_BOT_WORKERS": "0"}, "GUIDELINES_BOT_WORKERS must be a positive number"),
        ("http", {**HTTP, "GUIDELINES_BOT_ANSWER_DEADLINE": "0"}, "GUIDELINES_BOT_ANSWER_DEADLINE must be a positive"),
        ("http", {**HTTP, "GUIDELINES_BOT_ANSWER_DEADLINE": "1m"}, "GUIDELINES_BOT_ANSWER_DEADLINE must be a positive"),
    ],
)
def test_missing_or_wrong_settings(mode, env, message):
    with pytest.raises(ConfigError) as info:
        SlackSettings.from_env(mode, env)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_defaults_and_parsing():
    settings = SlackSettings.from_env("http", HTTP)
    assert settings.api_url == DEFAULT_API_URL and settings.maintainers == frozenset()
    assert settings.log_text is False and settings.store_question_text is False and settings.workers == 8
    assert settings.answer_deadline == 20
    assert SlackSettings.from_env("http", {**HTTP, "GUIDELINES_BOT_ANSWER_DEADLINE": "7.5"}).answer_deadline == 7.5
    settings = SlackSettings.from_env(
        "socket",
        {
            **SOCKET,
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "GUIDELINES_BOT_MAINTAINERS": "U01AAA, W02BBB <@U03CCC>",
            "GUIDELINES_BOT_LOG_TEXT": "1",
            "GUIDELINES_BOT_STORE_QUESTION_TEXT": "true",
            "GUIDELINES_BOT_DOCS_URL": "https://wiki.example/rules",
        },
    )
    assert settings.api_url == "http://127.0.0.1:9/api/"
    assert settings.maintainers == {"U01AAA", "W02BBB", "U03CCC"}
    assert settings.log_text and settings.store_question_text and settings.docs_url == "https://wiki.example/rules"


def test_team_settings():
    from datetime import timedelta

    from bot.escalation import Policy
    from bot.escalation.hours import BusinessHours

    settings = SlackSettings.from_env("http", HTTP)
    assert settings.team_members == frozenset() and settings.team_usergroup is None
    assert settings.escalation == Policy(hours=BusinessHours())  # reminders count Mon–Fri 9–17 Europe/Berlin
    settings = SlackSettings.from_env(
        "http",
        {
            **HTTP,
            "GUIDELINES_BOT_TEAM_MEMBERS": "U01ANNA,U02BOB <@W03CARA>",
            "GUIDELINES_BOT_TEAM_USERGROUP": "S0SOCIAL",
            "GUIDELINES_BOT_REMIND_UNCLAIMED_MINUTES": "10",
            "GUIDELINES_BOT_REMIND_OWNER_HOURS": "1.5",
            "GUIDELINES_BOT_RETENTION_DAYS": "7",
        },
    )
    assert settings.team_members == {"U01ANNA", "U02BOB", "W03CARA"} and settings.team_usergroup == "S0SOCIAL"
    assert settings.escalation.unclaimed_after == timedelta(minutes=10)
    assert settings.escalation.reply_after == timedelta(hours=1.5)
    assert settings.escalation.retention == timedelta(days=7)
    with pytest.raises(ConfigError, match="GUIDELINES_BOT_TEAM_USERGROUP must be a user group ID"):
        SlackSettings.from_env("http", {**HTTP, "GUIDELINES_BOT_TEAM_USERGROUP": "C0CHANNEL"})
    with pytest.raises(ConfigError, match="GUIDELINES_BOT_REMIND_OWNER_HOURS='soon' is not a number"):
        SlackSettings.from_env("http", {**HTTP, "GUIDELINES_BOT_REMIND_OWNER_HOURS": "soon"})
