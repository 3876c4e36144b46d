"""A person's Slack language: from users.info (include_locale), cached a day, unknown -> None."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.slack.people import PeopleLanguages, language_of_locale
from tests.slack.fake_slack import FakeSlack


@pytest.mark.parametrize(
    ("locale", "language"),
    [("de-DE", "de"), ("de-AT", "de"), ("DE-ch", "de"), ("en-US", "en"), ("fr-FR", "en"), ("", None), (None, None)],
)
def test_language_of_locale(locale, language):
    assert language_of_locale(locale) == language


@pytest.fixture
def slack():
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def test_asked_once_a_day_and_unknown_people_get_none(slack):
    slack.locales["U1"] = "de-DE"
    client = WebClient(token="xoxb-test", base_url=slack.api_url)
    now = [0.0]
    people = PeopleLanguages(ttl_seconds=3600, clock=lambda: now[0])
    assert people.of(client, "U1") == "de"
    slack.locales["U1"] = "en-US"  # she switches Slack to English
    now[0] = 3599
    assert people.of(client, "U1") == "de"  # cached
    now[0] = 3600
    assert people.of(client, "U1") == "en"  # asked again after the hour
    assert people.of(client, "U404") is None  # users.info fails (user_not_found, missing_scope): both languages
    assert people.of(client, None) is None
    assert [c.params["user"] for c in slack.of("users.info")] == ["U1", "U1", "U404"]
