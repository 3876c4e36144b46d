"""Issue 13, point 10: any text survives Slack's encoding → from_slack → escape → what Slack shows."""

from __future__ import annotations

import random
import re

import pytest

from bot.slack.escape import escape, from_slack
from tests.slack import payloads
from tests.slack.conftest import TEAM_CHANNEL

POOL = list("&<>!@#|*_~`;: abcXYZ\n") + ["&amp;", "&lt;", "&gt;", "&#60;", "ä", "ß", "€", "😀", "\u200b"]
NASTY = [
    "Darf ich <!channel> & Co. posten?",
    "<@U123> <#C1|general> <https://evil.example|bank>",
    "&amp;lt;!channel&amp;gt;",
    "&lt;!here&gt;",
    "a && b <> c",
    "&",
    "&amp",
    "&;",
    "",
]


def slack_sends(text: str) -> str:
    """What Slack puts in an event's text for what a person typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_shows(mrkdwn: str) -> tuple[str, list[str]]:
    """What Slack displays for our mrkdwn, and the markup it would make active (pings, links)."""
    active = re.findall(r"<[^<>]*>", mrkdwn)
    shown = re.sub(r"&(amp|lt|gt);", lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)], mrkdwn)
    return shown, active


def random_texts(count: int = 2000) -> list[str]:
    rng = random.Random(13)
    return ["".join(rng.choice(POOL) for _ in range(rng.randint(0, 30))) for _ in range(count)]


@pytest.mark.parametrize("typed", NASTY)
def test_nasty_text_shows_as_typed_without_pings(typed: str) -> None:
    shown, active = slack_shows(escape(from_slack(slack_sends(typed))))
    assert shown == typed
    assert active == []


def test_random_text_shows_as_typed_without_pings() -> None:
    for typed in random_texts():
        shown, active = slack_shows(escape(from_slack(slack_sends(typed))))
        assert (shown, active) == (typed, []), repr(typed)


def test_from_slack_decodes_once() -> None:
    assert from_slack("&amp;lt;") == "&lt;"
    assert from_slack("&lt;@U1&gt;") == "<@U1>"
    assert from_slack("<@U1> &amp; Co.") == "<@U1> & Co."


def test_a_dm_with_a_broadcast_and_an_ampersand_reaches_the_team_as_typed(http_bot):
    typed = "Presseanfrage: darf ich <!channel> & Co. etwas zu unserem Produkt sagen?"
    as_slack_sends = "Presseanfrage: darf ich <!channel> &amp; Co. etwas zu unserem Produkt sagen?"
    http_bot.send_event(payloads.event_callback(payloads.message(as_slack_sends, channel="D0DM")))
    [case] = http_bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    shown, active = slack_shows(case.text)
    assert typed in shown
    assert "&amp;" not in shown and "&lt;" not in shown
    assert not [markup for markup in active if markup.startswith("<!")]
