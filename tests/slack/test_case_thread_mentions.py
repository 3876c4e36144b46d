"""A follow-up that mentions the bot in the thread of an open case. Slack delivers it twice, as
app_mention and as message.channels, in either order (the load test, bench/load.py, found the
outcome depended on which came first: answered by the bot, or passed on to the team). Either
way it is passed on to the team once and not answered."""

from __future__ import annotations

import pytest

from tests.slack import payloads
from tests.slack.conftest import TEAM_CHANNEL
from tests.slack.fake_slack import BOT_USER

PRESS = "Eine Journalistin hat mich angerufen: Presseanfrage zu unserem Produkt. Darf ich das posten?"


@pytest.mark.parametrize("first", ["app_mention", "message"])
def test_a_mention_in_an_open_case_s_thread_goes_to_the_team_whatever_comes_first(bot_factory, first):
    bot = bot_factory("http", team_members=frozenset({"U0ANNA"}), workers=1)  # handled in the order sent
    root = payloads.mention(PRESS, channel="C0GENERAL")
    bot.send_event(payloads.event_callback(root))
    bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)  # the case
    bot.slack.wait_for("chat.postMessage", channel="C0GENERAL", thread_ts=root["ts"])  # the answer, with the note

    ts = payloads.next_ts()
    mention = payloads.mention("Es war das Hafenblatt, reicht das?", channel="C0GENERAL", ts=ts, thread_ts=root["ts"])
    message = payloads.message(
        f"<@{BOT_USER}> Es war das Hafenblatt, reicht das?",
        channel="C0GENERAL",
        ts=ts,
        channel_type="channel",
        thread_ts=root["ts"],
    )
    events = [mention, message] if first == "app_mention" else [message, mention]
    for event in events:
        bot.send_event(payloads.event_callback(event))
    done = payloads.message("Darf ich Fotos vom Sommerfest posten?", channel="D0LATER")  # handled after both
    bot.send_event(payloads.event_callback(done))
    bot.slack.wait_for("chat.postMessage", channel="D0LATER")

    in_case_thread = [c for c in bot.slack.of("chat.postMessage", channel=TEAM_CHANNEL) if c.params.get("thread_ts")]
    assert len(in_case_thread) == 1 and "Es war das Hafenblatt, reicht das?" in in_case_thread[0].text
    assert len(bot.slack.of("chat.postMessage", channel="C0GENERAL", thread_ts=root["ts"])) == 1  # no new answer
