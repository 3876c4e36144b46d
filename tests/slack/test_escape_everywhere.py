"""Issue 13, point 10, the rest: wherever a person's text is shown again (the checked draft with
its findings, the draft in the case message, replies relayed between the team and the asker,
the Add-to-FAQ modal prefilled with the question) it shows as typed, with no broadcast or
foreign link made active. Through the real app: signed HTTP, the fake Slack."""

from __future__ import annotations

from bot.slack.case_blocks import RELAY_CHARS
from tests.slack import payloads
from tests.slack.conftest import TEAM_CHANNEL
from tests.slack.test_cases import MEMBERS, Team, case_ts, thread
from tests.slack.test_escape_roundtrip import slack_sends, slack_shows

TYPED = "<!channel> & Co. <https://x|y>"
SENT = slack_sends(TYPED)  # "&lt;!channel&gt; &amp; Co. &lt;https://x|y&gt;"


def assert_as_typed(mrkdwn: str, typed: str = TYPED) -> None:
    """``typed`` is what Slack displays for ``mrkdwn`` (bold marks aside); no broadcast, and no
    link the person typed, is active (the bot's own links to its sources may be)."""
    shown, active = slack_shows(mrkdwn)
    assert typed in shown.replace("*", ""), shown
    assert not any(entity in shown for entity in ("&amp;", "&lt;", "&gt;")), shown  # escaped twice somewhere
    assert [m for m in active if m.startswith("<!") or "https://x" in m] == []


def a_case(bot_factory):
    """A running bot, the asker's DM question and the ts of its case message in the team channel."""
    bot = bot_factory("http", team_members=MEMBERS, workers=1)
    question = payloads.message("Presseanfrage: darf ich darüber posten?")
    bot.send_event(payloads.event_callback(question))
    bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    return bot, question, case_ts(bot)


def team_reply(text: str, ts: str) -> dict:
    """Anna's message in the case thread."""
    return payloads.message(text, user="U0ANNA", channel=TEAM_CHANNEL, channel_type="channel", thread_ts=ts)


def test_replies_relayed_both_ways_show_as_typed(bot_factory):
    bot, question, ts = a_case(bot_factory)
    bot.send_event(payloads.event_callback(team_reply(f"Wer fragt? {SENT} und <@U0BOB> weiß mehr", ts)))
    to_asker = thread(bot, "D0DM", question["ts"], 3)[2]  # the answer, "Anna has it", the reply
    assert_as_typed(to_asker.text, f"Wer fragt? {TYPED} und <@U0BOB> weiß mehr")
    assert "<@U0BOB>" in slack_shows(to_asker.text)[1]  # a real mention the person made stays one
    bot.send_event(payloads.event_callback(payloads.message(f"Das Hafenblatt {SENT}", thread_ts=question["ts"])))
    [to_team] = thread(bot, TEAM_CHANNEL, ts, 1)
    assert_as_typed(to_team.text, f"Das Hafenblatt {TYPED}")


def test_the_faq_modal_is_prefilled_with_the_question_as_typed(bot_factory):
    bot = bot_factory("http", team_members=MEMBERS, workers=1)
    bot.send_event(payloads.event_callback(payloads.message(f"Presseanfrage: darf ich {SENT} posten?")))
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    Team(bot, case).press("case_add_to_faq", "U0ANNA")
    [opened] = bot.slack.wait_for("views.open")
    fields = {b["block_id"]: b.get("element", {}) for b in opened.params["view"]["blocks"] if b["type"] == "input"}
    assert fields["questions"]["initial_value"] == f"Presseanfrage: darf ich {TYPED} posten?"  # plain text


def test_a_checked_draft_with_findings_shows_as_typed(bot_factory):
    bot = bot_factory("http", team_members=MEMBERS, workers=1)
    draft = f"Vertraulich: {SENT} Umsatz +12 %"
    bot.send_interaction(payloads.message_shortcut(draft, bot.slack.response_url("check")))
    [checked] = bot.slack.wait_for("response_url", _url="/response/check")
    assert_as_typed(checked.text, f"{TYPED} Umsatz +12 %")


def test_a_quoted_draft_reaches_the_case_message_as_typed(bot_factory):
    bot = bot_factory("http", team_members=MEMBERS, workers=1)
    question = f"Presseanfrage: kann ich das so posten: „Vertraulich: {SENT} Umsatz +12 %“"
    bot.send_event(payloads.event_callback(payloads.message(question)))
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    assert_as_typed(case.text, f"{TYPED} Umsatz +12 %")


def test_an_edited_reply_shows_as_typed(bot_factory):
    bot, question, ts = a_case(bot_factory)
    reply = team_reply("Morgen.", ts)
    bot.send_event(payloads.event_callback(reply))
    thread(bot, "D0DM", question["ts"], 3)
    bot.send_event(payloads.event_callback(payloads.message_changed(reply, f"Übermorgen {SENT}")))
    [update] = bot.slack.wait_for("chat.update", channel="D0DM")
    assert_as_typed(update.text, f"Übermorgen {TYPED}")


def test_a_question_handed_over_by_the_button_shows_as_typed(bot_factory):
    bot = bot_factory("http", team_members=MEMBERS, workers=1)
    question = payloads.message(f"Darf ich Fotos vom Sommerfest posten? {SENT}")
    bot.send_event(payloads.event_callback(question))
    [answer] = thread(bot, "D0DM", question["ts"], 1)
    bot.send_interaction(
        payloads.block_action(answer.buttons()["ask_team"], bot.slack.response_url("ask"), channel="D0DM")
    )
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    assert_as_typed(case.text, f"Darf ich Fotos vom Sommerfest posten? {TYPED}")


def test_a_command_and_a_mention_show_the_question_as_typed(bot_factory):
    bot = bot_factory("http", team_members=MEMBERS, workers=1)
    bot.send_command(payloads.command(f"Presseanfrage: darf ich {SENT} posten?", bot.slack.response_url("cmd")))
    [answer] = bot.slack.wait_for("response_url", _url="/response/cmd")
    assert "&amp;amp;" not in answer.text and "&amp;lt;" not in answer.text
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    assert_as_typed(case.text, f"Presseanfrage: darf ich {TYPED} posten?")
    bot.send_event(payloads.event_callback(payloads.mention(f"Presseanfrage zum Messestand {SENT}?")))
    [_, mentioned] = bot.slack.wait_for("chat.postMessage", count=2, channel=TEAM_CHANNEL)
    assert_as_typed(mentioned.text, f"Presseanfrage zum Messestand {TYPED}?")


def test_a_long_reply_cut_at_an_ampersand_shows_no_broken_entity(bot_factory):
    bot, question, ts = a_case(bot_factory)
    pasted = "x" * (RELAY_CHARS - 4) + slack_sends("&&&&")  # a pasted text without spaces, cut at the &s
    bot.send_event(payloads.event_callback(team_reply(pasted, ts)))
    relayed = thread(bot, "D0DM", question["ts"], 3)[2]
    shown, _ = slack_shows(relayed.text)
    assert "x" * 100 in shown and not any(piece in shown for piece in ("&a", "&l", "&g", "&;"))
