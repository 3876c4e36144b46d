"""The team's side end to end, over HTTP and Socket Mode, against the fake Slack: a case posted to
the routed contact, claimed, replies relayed both ways, handed off, resolved; refusals; a DM
thread for private questions; membership by user group; Add to FAQ through review and reindex
to an answer."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.escalation.faq import FaqProposals, ProposalInbox
from bot.slack.blocks import unpack_value
from tests.conftest import small_kb_files
from tests.slack import payloads
from tests.slack.conftest import MAINTAINER, TEAM_CHANNEL, make_service
from tests.store.conftest import PG_URL, pg_schema_factory  # noqa: F401 - fixture

MEMBERS = frozenset({"U0ANNA", "U0BOB"})
PRESS = "Eine Journalistin hat mich angerufen: Presseanfrage zu unserem Produkt. Darf ich das posten?"
CASE_BUTTONS = {"case_claim", "case_hand_off", "case_resolve", "case_add_to_faq"}


class Team:
    """Presses buttons and writes in threads as the people in the team channel do."""

    def __init__(self, bot, case) -> None:
        self.bot = bot
        self.message = case
        self.clicks = 0

    def press(self, action_id: str, user: str, message=None) -> str:
        """Press a button of the case message; returns the response_url name of the press."""
        self.clicks += 1
        name = f"{action_id}-{user}-{self.clicks}"
        message = message or self.message
        self.bot.send_interaction(
            payloads.block_action(
                message.buttons()[action_id], self.bot.slack.response_url(name), user=user, channel=TEAM_CHANNEL
            )
        )
        return name

    def told(self, name: str):
        [call] = self.bot.slack.wait_for("response_url", _url=f"/response/{name}")
        assert call.params["response_type"] == "ephemeral"
        return call


def case_ts(bot) -> str:
    """The ts Slack gave the case message (the fake numbers messages in order of posting)."""
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    index = [c for c in bot.slack.calls if c.method == "chat.postMessage"].index(case)
    return f"{2000000000 + index + 1}.000100"


def updates(bot, ts: str, count: int):
    return bot.slack.wait_for("chat.update", count=count, ts=ts)


def thread(bot, channel: str, thread_ts: str, count: int):
    return bot.slack.wait_for("chat.postMessage", count=count, channel=channel, thread_ts=thread_ts)


@pytest.mark.parametrize("transport", ["http", "socket"])
def test_escalation_claim_relay_hand_off_resolve(bot_factory, transport):
    bot = bot_factory(transport, team_members=MEMBERS, workers=1)
    question = payloads.message(PRESS + " <!channel>")
    bot.send_event(payloads.event_callback(question))

    # the case reaches the routed contact, and the asker learns who will answer
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    ts = case_ts(bot)
    assert "<@U0ASKER> fragt in einer Direktnachricht an den Bot" in case.text
    assert "&lt;!channel&gt;" in case.text and "<!channel>" not in case.text
    assert "Was der Bot gefunden hat" in case.text and "Offen" in case.text
    assert set(case.buttons()) == CASE_BUTTONS
    [answer] = thread(bot, "D0DM", question["ts"], 1)
    assert "an Social-Media-Team (<#C0TEAM>) weitergegeben" in answer.text
    assert "Antworten des Teams kommen hierher" in answer.text
    team = Team(bot, case)

    # someone outside the team is refused politely, and nothing changes
    refused = team.told(team.press("case_claim", "U0RANDOM"))
    assert "nur das Team (<@U0ANNA>, <@U0BOB>)" in refused.text and "Danke" in refused.text

    # Anna claims: the case message shows it, the asker is told who has it
    team.press("case_claim", "U0ANNA")
    [claimed] = updates(bot, ts, 1)
    assert "<@U0ANNA> kümmert sich darum" in claimed.text
    assert set(claimed.buttons()) == CASE_BUTTONS - {"case_claim"}
    told = thread(bot, "D0DM", question["ts"], 2)[1]
    assert "<@U0ANNA> (Social-Media-Team (<#C0TEAM>)) kümmert sich um deine Frage" in told.text

    # Bob presses Claim on the old message a moment later: Anna has it
    assert "<@U0ANNA> hat den Fall schon" in team.told(team.press("case_claim", "U0BOB")).text

    # Anna's reply in the case thread reaches the asker; the asker's follow-up reaches the thread
    bot.send_event(
        payloads.event_callback(
            payloads.message(
                "Welche Zeitung war es? <!here>",
                user="U0ANNA",
                channel=TEAM_CHANNEL,
                channel_type="channel",
                thread_ts=ts,
            )
        )
    )
    relayed = thread(bot, "D0DM", question["ts"], 3)[2]
    assert "*<@U0ANNA>* (Social-Media-Team (<#C0TEAM>)):\nWelche Zeitung war es? @here" in relayed.text
    bot.send_event(
        payloads.event_callback(
            payloads.message(
                "intern: klingt nach Legal", user="U0ANNA", channel=TEAM_CHANNEL, channel_type="channel", thread_ts=ts
            )
        )
    )
    bot.send_event(
        payloads.event_callback(
            payloads.message(
                "Ich weiß es auch nicht", user="U0RANDOM", channel=TEAM_CHANNEL, channel_type="channel", thread_ts=ts
            )
        )
    )
    [stays] = bot.slack.wait_for("chat.postEphemeral", user="U0RANDOM")
    assert "Deine Antwort bleibt in diesem Thread" in stays.text and stays.params["thread_ts"] == ts
    bot.send_event(
        payloads.event_callback(
            payloads.message("Das Hafenblatt, <https://evil.example|Link>", thread_ts=question["ts"])
        )
    )
    [follow_up] = thread(bot, TEAM_CHANNEL, ts, 1)
    assert "*<@U0ASKER> schreibt:*\nDas Hafenblatt, Link (https://evil.example)" in follow_up.text

    # Anna hands the case to Bob, with a note; a hand-off to an outsider is refused in the modal
    team.press("case_hand_off", "U0ANNA", claimed)
    [opened] = bot.slack.wait_for("views.open")
    modal = opened.params["view"]
    assert modal["callback_id"] == "case_hand_off_view"
    assert modal["blocks"][0]["element"]["type"] == "users_select"
    ack = bot.send_interaction(
        payloads.submitted_view(modal, {"to": {"type": "users_select", "selected_user": "U0RANDOM"}}, user="U0ANNA")
    )
    assert "gehört nicht zum Team" in json.dumps(ack, ensure_ascii=False)
    bot.send_interaction(
        payloads.submitted_view(
            modal,
            {
                "to": {"type": "users_select", "selected_user": "U0BOB"},
                "note": {"type": "plain_text_input", "value": "Du kennst das Hafenblatt <!channel>"},
            },
            user="U0ANNA",
        )
    )
    handed = updates(bot, ts, 2)[1]
    assert "<@U0BOB> kümmert sich darum" in handed.text
    note = thread(bot, TEAM_CHANNEL, ts, 2)[1]
    assert "<@U0ANNA> hat den Fall an <@U0BOB> weitergegeben" in note.text
    assert "> Du kennst das Hafenblatt &lt;!channel&gt;" in note.text
    assert "Deine Frage ist jetzt bei <@U0BOB>" in thread(bot, "D0DM", question["ts"], 4)[3].text

    # Bob resolves: the asker gets the answer with the feedback buttons
    team.press("case_resolve", "U0BOB", handed)
    resolve_modal = bot.slack.wait_for("views.open", count=2)[1].params["view"]
    assert resolve_modal["callback_id"] == "case_resolve_view"
    bot.send_interaction(
        payloads.submitted_view(
            resolve_modal,
            {
                "answer": {"type": "plain_text_input", "value": "Ja, mit dem offiziellen Statement der Kommunikation."},
                "verdict": {"type": "static_select", "selected_option": {"value": "conditional"}},
            },
            user="U0BOB",
        )
    )
    answered = thread(bot, "D0DM", question["ts"], 5)[4]
    assert ":warning: *Erlaubt, unter Bedingungen*" in answered.text
    assert "Antwort von <@U0BOB>" in answered.text and "offiziellen Statement" in answered.text
    assert set(answered.buttons()) == {"feedback_helpful", "feedback_not_helpful"}
    resolved = updates(bot, ts, 3)[2]
    assert "*Gelöst* von <@U0BOB>" in resolved.text and set(resolved.buttons()) == {"case_add_to_faq"}

    # the asker rates the team's answer; after the resolution the bot answers the thread again
    helpful = answered.buttons()["feedback_helpful"]
    bot.send_interaction(payloads.block_action(helpful, bot.slack.response_url("fb"), channel="D0DM"))
    bot.slack.wait_for("response_url", _url="/response/fb")
    case_id = unpack_value(helpful["value"])["q"]
    assert [f.helpful for f in bot.store.feedback_for(case_id)] == [True]
    bot.send_event(
        payloads.event_callback(payloads.message("Darf ich Fotos vom Sommerfest posten?", thread_ts=question["ts"]))
    )
    assert "Ja, wenn alle zugestimmt haben." in thread(bot, "D0DM", question["ts"], 6)[5].text
    assert len(bot.slack.of("chat.postMessage", channel=TEAM_CHANNEL, thread_ts=ts)) == 2  # nothing more relayed

    from bot.escalation import CaseService

    trail = [(e.actor, e.action) for e in CaseService(bot.store).events(case_id)]
    assert trail == [
        ("U0ASKER", "opened"),
        ("U0ANNA", "claimed"),
        ("U0ANNA", "reply_relayed"),
        ("U0ASKER", "follow_up_relayed"),
        ("U0ANNA", "handed_off"),
        ("U0BOB", "resolved"),
    ]
    assert bot.slack.rejected() == []


def test_the_flow_on_postgresql(bot_factory, request):
    """Several web processes share their cases through PostgreSQL: the same flow, shortened."""
    url = f"{PG_URL}?options=-csearch_path%3D{request.getfixturevalue('pg_schema_factory')()}"
    bot = bot_factory("http", team_members=MEMBERS, store_url=url)
    assert bot.store.dialect == "postgresql"
    question = payloads.message(PRESS)
    bot.send_event(payloads.event_callback(question))
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    team = Team(bot, case)
    team.press("case_claim", "U0ANNA")
    [claimed] = updates(bot, case_ts(bot), 1)
    team.press("case_resolve", "U0ANNA", claimed)
    [modal] = bot.slack.wait_for("views.open")
    bot.send_interaction(
        payloads.submitted_view(
            modal.params["view"],
            {"answer": {"type": "plain_text_input", "value": "Nein, das beantwortet die Kommunikation."}},
            user="U0ANNA",
        )
    )
    answered = thread(bot, "D0DM", question["ts"], 3)[2]
    assert "Antwort von <@U0ANNA>" in answered.text and "Nein, das beantwortet die Kommunikation." in answered.text
    assert "*Gelöst* von <@U0ANNA>" in updates(bot, case_ts(bot), 2)[1].text


def test_a_private_question_gets_a_dm_thread_for_the_team_s_replies(bot_factory):
    bot = bot_factory("http", team_members=MEMBERS)
    url = bot.slack.response_url("cmd")
    bot.send_command(payloads.command(PRESS, url))
    [private] = bot.slack.wait_for("response_url", _url="/response/cmd")
    assert "weitergegeben" in private.text and "in unseren Direktnachrichten" in private.text
    [opener] = bot.slack.wait_for("chat.postMessage", channel="U0ASKER")  # Slack opens the DM: channel D0ASKER
    assert "*Deine Frage:*\n> Eine Journalistin hat mich angerufen" in opener.text
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    assert "<@U0ASKER> fragt in /mayipost · <#C0GENERAL>" in case.text
    ts, opener_ts = case_ts(bot), _posted_ts(bot, opener)
    bot.send_event(
        payloads.event_callback(
            payloads.message(
                "Welche Zeitung?", user="U0BOB", channel=TEAM_CHANNEL, channel_type="channel", thread_ts=ts
            )
        )
    )
    [relayed] = thread(bot, "D0ASKER", opener_ts, 2)[1:]
    assert "*<@U0BOB>* (Social-Media-Team (<#C0TEAM>)):\nWelche Zeitung?" in relayed.text
    bot.send_event(payloads.event_callback(payloads.message("Das Hafenblatt", channel="D0ASKER", thread_ts=opener_ts)))
    [back] = thread(bot, TEAM_CHANNEL, ts, 1)
    assert "Das Hafenblatt" in back.text


def _posted_ts(bot, call) -> str:
    index = [c for c in bot.slack.calls if c.method == "chat.postMessage"].index(call)
    return f"{2000000000 + index + 1}.000100"


def test_membership_by_user_group_and_by_the_routed_group(bot_factory, tmp_path):
    files = {
        **small_kb_files(),
        "routing.yaml": """\
contacts:
  social-media-team:
    name: {de: Social-Media-Team, en: Social media team}
    slack_id: C0TEAM
  legal:
    name: {de: Rechtsabteilung, en: Legal}
    slack_id: S0LEGAL
default_contact: social-media-team
topics:
  photos: social-media-team
  press: legal
always_escalate: [press]
""",
    }
    bot = bot_factory("http", service=make_service(tmp_path, files), team_usergroup="S0SOCIAL")
    bot.slack.usergroups.update({"S0SOCIAL": ["U0CARA"], "S0LEGAL": ["U0LENA"]})
    bot.send_event(payloads.event_callback(payloads.message(PRESS)))
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    assert case.text.startswith("Frage an das Team") and "<!subteam^S0LEGAL>" in json.dumps(case.blocks)
    team = Team(bot, case)
    refused = team.told(team.press("case_claim", "U0RANDOM"))
    assert "<!subteam^S0SOCIAL>, <!subteam^S0LEGAL>" in refused.text
    team.press("case_claim", "U0LENA")  # a member of the group the case is routed to
    [claimed] = updates(bot, case_ts(bot), 1)
    assert "<@U0LENA> kümmert sich" in claimed.text
    assert "<@U0LENA> hat den Fall schon" in team.told(team.press("case_claim", "U0CARA")).text


def test_nobody_configured_means_nobody_may_claim(bot_factory):
    bot = bot_factory("http")
    bot.send_event(payloads.event_callback(payloads.message(PRESS)))
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    team = Team(bot, case)
    refused = team.told(team.press("case_claim", "U0ANNA"))
    assert "noch niemand eingetragen: GUIDELINES_BOT_TEAM_MEMBERS" in refused.text
    assert bot.slack.of("chat.update") == []


LOGO = "Darf ich unser Firmenlogo als Profilbild auf LinkedIn verwenden?"
GUIDE_WITH_PROFILE = (
    small_kb_files()["guidelines/de/richtlinien.md"]
    + """
## Profil {#profile}

Private Profile sind Sache jeder und jedes Einzelnen.
"""
)


def test_add_to_faq_review_reindex_and_the_entry_answers(bot_factory, tmp_path):
    service = make_service(tmp_path, {**small_kb_files(), "guidelines/de/richtlinien.md": GUIDE_WITH_PROFILE})
    bot = bot_factory("http", service=service, team_members=MEMBERS)
    question = payloads.message(LOGO)
    bot.send_event(payloads.event_callback(question))
    [answer] = thread(bot, "D0DM", question["ts"], 1)
    if "ask_team" in answer.buttons():  # the bot did not hand it over itself: the asker does
        bot.send_interaction(
            payloads.block_action(answer.buttons()["ask_team"], bot.slack.response_url("ask"), channel="D0DM")
        )
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    team = Team(bot, case)
    team.press("case_resolve", "U0ANNA")
    resolve_modal = bot.slack.wait_for("views.open")[0].params["view"]
    bot.send_interaction(
        payloads.submitted_view(
            resolve_modal,
            {
                "answer": {"type": "plain_text_input", "value": "Nein, das Logo gehört den offiziellen Konten."},
                "verdict": {"type": "static_select", "selected_option": {"value": "not_allowed"}},
            },
            user="U0ANNA",
        )
    )
    [resolved] = updates(bot, case_ts(bot), 1)

    # Add to FAQ: the modal comes prefilled from the case; a proposal is written, nothing goes live
    team.press("case_add_to_faq", "U0ANNA", resolved)
    faq_modal = bot.slack.wait_for("views.open", count=2)[1].params["view"]
    shown = {b["block_id"]: b.get("element", {}) for b in faq_modal["blocks"] if b["type"] == "input"}
    assert shown["questions"]["initial_value"] == LOGO
    assert shown["answer"]["initial_value"] == "Nein, das Logo gehört den offiziellen Konten."
    assert shown["verdict"]["initial_option"]["value"] == "not_allowed"
    assert {o["value"] for o in shown["sections"]["options"]} == {"top", "photos", "press", "profile"}
    ack = bot.send_interaction(
        payloads.submitted_view(
            faq_modal,
            {
                "questions": {"type": "plain_text_input", "value": f"{LOGO}\nFirmenlogo als Profilbild?"},
                "answer": {"type": "plain_text_input", "value": "Nein, das Logo gehört den offiziellen Konten."},
                "verdict": {"type": "static_select", "selected_option": {"value": "not_allowed"}},
                "sections": {"type": "multi_static_select", "selected_options": []},
            },
            user="U0ANNA",
        )
    )
    assert "unvollständig" in json.dumps(ack, ensure_ascii=False)  # no section chosen
    ack = bot.send_interaction(
        payloads.submitted_view(
            faq_modal,
            {
                "questions": {"type": "plain_text_input", "value": f"{LOGO}\nFirmenlogo als Profilbild?"},
                "answer": {"type": "plain_text_input", "value": "Nein, das Logo gehört den offiziellen Konten."},
                "verdict": {"type": "static_select", "selected_option": {"value": "not_allowed"}},
                "sections": {"type": "multi_static_select", "selected_options": [{"value": "profile"}]},
            },
            user="U0ANNA",
        )
    )
    assert "gespeichert" in json.dumps(ack, ensure_ascii=False)
    [proposal] = ProposalInbox(bot.store.engine).list()  # in the database every process shares ...
    assert FaqProposals(service.knowledge_dir).list() == [proposal]  # ... and in the review file here
    entry_id = proposal.entry["id"]
    assert proposal.entry["anchors"] == ["profile"] and proposal.proposed_by == "U0ANNA"
    assert f"`{entry_id}`" in updates(bot, case_ts(bot), 2)[1].text
    assert service.answer(LOGO).faq_id is None  # not live

    # a maintainer accepts it, reindexes in Slack, and the question is answered from the FAQ
    result = CliRunner().invoke(
        main,
        ["faq", "review", "--knowledge", str(service.knowledge_dir), "--accept", proposal.id],
        env={"DATABASE_URL": str(bot.store.engine.url)},
    )
    assert result.exit_code == 0, result.output
    assert "Fetched 1 new proposal(s) from the bot's database" in result.output
    assert ProposalInbox(bot.store.engine).list() == []
    assert f"faq.yaml entry '{entry_id}'" in result.output and "reindex" in result.output
    bot.send_command(payloads.command("admin reindex", bot.slack.response_url("re"), user=MAINTAINER))
    bot.slack.wait_for("response_url", count=2, _url="/response/re")
    again = payloads.message(LOGO)
    bot.send_event(payloads.event_callback(again))
    [reply] = thread(bot, "D0DM", again["ts"], 1)
    assert ":no_entry: *Nicht erlaubt*" in reply.text and "das Logo gehört den offiziellen Konten" in reply.text
    assert "weitergegeben" not in reply.text


def test_a_review_file_that_cannot_be_written_loses_no_proposal(tmp_path):
    """The file on this machine is broken (or its disk read-only): the proposal is still stored,
    in the database, and `faq review` names the file to fix before it fetches anything."""
    from slack_sdk import WebClient

    from bot.escalation import CaseService
    from bot.slack.casedesk import CaseDesk
    from bot.slack.settings import SlackSettings
    from bot.store import open_store
    from tests.escalation.conftest import T0, new_case

    service = make_service(tmp_path)
    (service.knowledge_dir / "faq-proposals.yaml").write_text("proposals: [unclosed\n", encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        desk = CaseDesk(
            WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/"),
            service,
            store,
            SlackSettings(bot_token="xoxb-test", team_members=frozenset({"U0ANNA"})),
        )
        CaseService(store).open(new_case("c9", topic="photos"), now=T0)
        entry_id = desk.propose_faq(
            "c9", "U0ANNA", ["Darf ich das Logo nehmen?"], "Nein.", "not_allowed", ["photos"], now=T0
        )
        [kept] = ProposalInbox(store.engine).list()
        assert kept.entry["id"] == entry_id and CaseService(store).require("c9").faq_entry == entry_id
    finally:
        store.close()
    result = CliRunner().invoke(
        main,
        ["faq", "review", "--knowledge", str(service.knowledge_dir)],
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"},
    )
    assert result.exit_code == 1 and "faq-proposals.yaml is not valid YAML" in result.output


def posted_ts(bot, call) -> str:
    """The ts the fake gave a posted message (it numbers chat.postMessage calls in order)."""
    return f"{2000000000 + [c for c in bot.slack.calls if c.method == 'chat.postMessage'].index(call) + 1}.000100"


@pytest.mark.parametrize("transport", ["http", "socket"])
def test_edits_and_deletions_reach_the_relayed_copies(bot_factory, transport):
    bot = bot_factory(transport, team_members=MEMBERS, workers=1)  # events handled in the order sent
    question = payloads.message(PRESS)
    bot.send_event(payloads.event_callback(question))
    bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    ts = case_ts(bot)
    thread(bot, "D0DM", question["ts"], 1)

    # Anna's reply reaches the asker (and claims the case); she fixes a mistake in it
    reply = payloads.message(
        "Das Statement kommt morgen.", user="U0ANNA", channel=TEAM_CHANNEL, channel_type="channel", thread_ts=ts
    )
    bot.send_event(payloads.event_callback(reply))
    relayed = next(m for m in thread(bot, "D0DM", question["ts"], 3) if "Statement" in m.text)
    fixed = "Das Statement kommt übermorgen <!channel>."
    edited = payloads.event_callback(payloads.message_changed(reply, fixed))
    bot.send_event(edited)
    bot.send_event(edited, retry=1)  # Slack retries the same event: one update
    [update] = bot.slack.wait_for("chat.update", channel="D0DM")
    assert update.params["ts"] == posted_ts(bot, relayed)
    assert "_(bearbeitet)_" in update.text and "übermorgen @channel." in update.text
    assert "<!channel>" not in update.text and "morgen." not in update.text.replace("übermorgen", "")

    # a link preview (same text) changes nothing; an internal note's edit reaches nobody
    bot.send_event(payloads.event_callback(payloads.message_changed({**reply, "text": fixed}, fixed)))
    note = payloads.message(
        "intern: Legal fragen", user="U0ANNA", channel=TEAM_CHANNEL, channel_type="channel", thread_ts=ts
    )
    bot.send_event(payloads.event_callback(note))
    bot.send_event(payloads.event_callback(payloads.message_changed(note, "intern: Legal fragt schon")))

    # the asker's follow-up reaches the case thread; the asker deletes it, and the copy says so
    follow = payloads.message("Danke! Gilt das auch für Instagram?", thread_ts=question["ts"])
    bot.send_event(payloads.event_callback(follow))
    [copy] = thread(bot, TEAM_CHANNEL, ts, 1)
    bot.send_event(payloads.event_callback(payloads.message_deleted(follow)))
    [deleted] = bot.slack.wait_for("chat.update", channel=TEAM_CHANNEL, ts=posted_ts(bot, copy))
    assert "<@U0ASKER> hat diese Nachricht gelöscht" in deleted.text and "Instagram" not in deleted.text

    from bot.escalation import CaseService

    cases = CaseService(bot.store)
    trail = [(e.actor, e.action) for e in cases.events(cases.by_team_thread(TEAM_CHANNEL, ts).id)]
    assert trail.count(("U0ANNA", "relay_edited")) == 1 and trail.count(("U0ASKER", "relay_deleted")) == 1
    assert ("U0ANNA", "relay_edited") in trail and len(bot.slack.of("chat.update", channel="D0DM")) == 1
    assert bot.slack.rejected() == []
