"""The Block Kit of cases, built by pure functions: what the team and the asker see in each state,
escaped and within Slack's limits."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.answer import Answer, Citation
from bot.escalation.model import Case, snapshot
from bot.slack import case_blocks
from bot.slack.blocks import limit_problems, unpack_value

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NASTY = "<!channel> Darf ich <https://evil.example|das hier> & <@U0BOSS> posten?"


def citation(anchor: str = "press") -> Citation:
    return Citation(
        "guidelines/de/r.md", "Presse", ("Richtlinien", "Presse"), anchor, "Presseanfragen gehen an …", 0.7, "de"
    )


def make_case(**changes) -> Case:
    answer = Answer(
        NASTY,
        "de",
        "ask_team",
        True,
        "Thema Presse: das entscheidet immer ein Mensch.",
        0.31,
        "Das entscheidet das Team.",
        "social-media-team",
        [citation(), citation("photos")],
        topic="press",
        draft="Wir sind stolz <!here>",
    )
    case = Case(
        "c1",
        "open",
        1,
        "de",
        "U0ASKER",
        "dm",
        "social-media-team",
        T0,
        question=NASTY,
        found=snapshot(answer),
        team_channel="C0TEAM",
        team_ts="1.0",
        team_ping="<!subteam^S0LEGAL>",
    )
    return replace(case, **changes)


CLAIMED = dict(state="claimed", owner="U0ANNA", claimed_at=T0, assigned_at=T0 + timedelta(minutes=5))
RESOLVED = dict(
    CLAIMED,
    state="resolved",
    resolved_by="U0BOB",
    resolved_at=T0 + timedelta(hours=1),
    resolution="Ja, aber <!channel> nicht pingen & ohne <https://x.example|Link>.",
    resolution_verdict="conditional",
)


def shown(message) -> str:
    return json.dumps(message.blocks if hasattr(message, "blocks") else message, ensure_ascii=False)


@pytest.mark.parametrize(
    ("changes", "buttons", "says"),
    [
        ({}, ["case_claim", "case_hand_off", "case_resolve", "case_add_to_faq"], "*Offen*: noch hat niemand"),
        (CLAIMED, ["case_hand_off", "case_resolve", "case_add_to_faq"], "<@U0ANNA> kümmert sich darum (seit <!date^"),
        (RESOLVED, ["case_add_to_faq"], "*Gelöst* von <@U0BOB>"),
    ],
)
def test_the_case_message_follows_the_state(changes, buttons, says):
    message = case_blocks.case_message(make_case(**changes), "einer Direktnachricht an den Bot")
    actions = [b for b in message.blocks if b["type"] == "actions"][0]["elements"]
    assert [e["action_id"] for e in actions] == buttons
    assert all(unpack_value(e["value"]) == {"c": "c1", "l": "de"} for e in actions)
    assert says in shown(message)
    assert limit_problems(message.blocks) == []


def test_the_case_message_shows_question_draft_findings_and_escapes_them():
    message = case_blocks.case_message(make_case(), "<#C0GENERAL>")
    text = shown(message)
    assert message.blocks[0]["text"]["text"].startswith(":raising_hand: <!subteam^S0LEGAL> *Frage an das Team*")
    assert "&lt;!channel&gt; Darf ich &lt;https://evil.example|das hier&gt; &amp; &lt;@U0BOSS&gt;" in text
    assert "*Entwurf:*\\n> Wir sind stolz &lt;!here&gt;" in text
    assert "Thema Presse: das entscheidet immer ein Mensch." in text and "0.31" in text
    assert text.count("`guidelines/de/r.md#") == 2
    assert "Antworten in diesem Thread gehen an <@U0ASKER>" in text
    for raw in ("<!channel>", "<!here>", "<@U0BOSS>", "<https://evil.example|das hier>"):
        assert raw not in text
    resolved = shown(case_blocks.case_message(make_case(**RESOLVED), "x"))
    assert "Erlaubt, unter Bedingungen" in resolved and "&lt;!channel&gt; nicht pingen &amp;" in resolved
    assert "Antworten in diesem Thread" not in resolved
    proposed = shown(case_blocks.case_message(make_case(**RESOLVED, faq_entry="logo"), "x"))
    assert "Als FAQ-Eintrag `logo` vorgeschlagen" in proposed


def test_a_huge_case_stays_within_slack_s_limits():
    long = "Darf ich das posten? " + "Sehr lange Frage mit <!channel> & Sonderzeichen. " * 400
    case = make_case(question=long, **{**RESOLVED, "resolution": long})
    message = case_blocks.case_message(case, "x")
    assert limit_problems(message.blocks) == [] and len(message.text) <= 3000
    assert limit_problems(case_blocks.resolution(case, "Team").blocks) == []
    assert limit_problems(case_blocks.from_team(case, "U0ANNA", "Team", long).blocks) == []
    assert limit_problems(case_blocks.asker_opened(case, "Team", follow="quote").blocks) == []
    purged = case_blocks.case_message(make_case(question=None, found=None), "x")
    assert "> …" in shown(purged) and limit_problems(purged.blocks) == []


def test_what_the_asker_hears():
    case = make_case(**RESOLVED)
    opened = shown(case_blocks.asker_opened(case, "Social-Media-Team (<#C0TEAM>)", follow="quote"))
    assert "an Social-Media-Team (<#C0TEAM>) weitergegeben (Fall c1)" in opened
    assert "*Deine Frage:*\\n> &lt;!channel&gt; Darf ich" in opened
    assert "&lt;!channel&gt;" not in shown(case_blocks.asker_opened(case, "Team", follow="here"))
    claimed = shown(case_blocks.asker_claimed(case, "U0ANNA", "Team", handed=False))
    assert "<@U0ANNA> (Team) kümmert sich um deine Frage (Fall c1)" in claimed
    assert "Deine Frage ist jetzt bei <@U0BOB>" in shown(case_blocks.asker_claimed(case, "U0BOB", "Team", handed=True))
    relayed = shown(case_blocks.from_team(case, "U0ANNA", "Team", "Siehe <https://intra.example|Leitfaden> <!here>"))
    assert "Siehe Leitfaden (https://intra.example) @here" in relayed
    answer = case_blocks.resolution(case, "Team")
    assert ":warning: *Erlaubt, unter Bedingungen*" in shown(answer) and "Antwort von <@U0BOB> (Team)" in shown(answer)
    assert "&lt;!channel&gt; nicht pingen &amp; ohne &lt;https://x.example|Link&gt;" in shown(answer)
    buttons = {e["action_id"]: e for b in answer.blocks if b["type"] == "actions" for e in b["elements"]}
    assert set(buttons) == {"feedback_helpful", "feedback_not_helpful"}
    assert unpack_value(buttons["feedback_helpful"]["value"]) == {"q": "c1", "l": "de", "v": "conditional"}


def test_what_the_team_reads_in_the_thread():
    case = make_case(**CLAIMED)
    note = shown(case_blocks.handoff_note(case, "U0ANNA", "U0BOB", "Kennst du <!channel>?"))
    assert "<@U0ANNA> hat den Fall an <@U0BOB> weitergegeben." in note and "> Kennst du &lt;!channel&gt;?" in note
    follow = shown(case_blocks.from_asker(case, "U0ASKER", "Es war <!everyone> <@U0X>"))
    assert "*<@U0ASKER> schreibt:*\\nEs war @everyone <@U0X>" in follow
    unclaimed = shown(case_blocks.reminder(make_case(), {"kind": "unclaimed"}, "31 min"))
    assert "<!subteam^S0LEGAL> Dieser Fall wartet seit 31 min" in unclaimed
    owner = shown(case_blocks.reminder(case, {"kind": "owner"}, "4 h 01 min"))
    assert "<@U0ANNA>, <@U0ASKER> wartet seit 4 h 01 min auf eine Antwort von dir." in owner


def test_the_modals():
    case = make_case(**RESOLVED)
    handoff = case_blocks.handoff_modal(case)
    assert handoff["callback_id"] == case_blocks.HANDOFF_VIEW and unpack_value(handoff["private_metadata"])["c"] == "c1"
    assert [b["block_id"] for b in handoff["blocks"]] == ["to", "note"]
    assert handoff["blocks"][0]["element"] == {"type": "users_select", "action_id": "input"}
    resolve = case_blocks.resolve_modal(make_case())
    verdict = [b for b in resolve["blocks"] if b.get("block_id") == "verdict"][0]
    assert verdict["optional"] is True and [o["value"] for o in verdict["element"]["options"]] == [
        "allowed",
        "conditional",
        "not_allowed",
    ]
    faq = case_blocks.faq_modal(case, [("photos", "Fotos (photos)"), ("press", "Presse (press)")])
    inputs = {b["block_id"]: b["element"] for b in faq["blocks"] if b["type"] == "input"}
    assert (
        inputs["questions"]["initial_value"] == "@channel Darf ich das hier (https://evil.example) & <@U0BOSS> posten?"
    )  # plain text: nothing renders
    assert inputs["answer"]["initial_value"] == RESOLVED["resolution"]
    assert inputs["verdict"]["initial_option"]["value"] == "conditional"
    assert [o["value"] for o in inputs["sections"]["initial_options"]] == ["photos", "press"]  # the bot's citations
    many = case_blocks.faq_modal(case, [(f"s{i}", f"S {i}") for i in range(101)])
    many_inputs = {b["block_id"]: b["element"] for b in many["blocks"] if b["type"] == "input"}
    assert many_inputs["sections"]["type"] == "plain_text_input"
    assert many_inputs["sections"]["initial_value"] == "press, photos"
    for view in (handoff, resolve, faq, case_blocks.notice_view("ok")):
        assert len(view["title"]["text"]) <= 24 and len(view["blocks"]) <= 100


def test_submitted_values_by_block():
    view = {
        "state": {
            "values": {
                "to": {"input": {"type": "users_select", "selected_user": "U0BOB"}},
                "note": {"input": {"type": "plain_text_input", "value": None}},
                "verdict": {"input": {"type": "static_select", "selected_option": {"value": "allowed"}}},
                "none": {"input": {"type": "static_select", "selected_option": None}},
                "sections": {
                    "input": {"type": "multi_static_select", "selected_options": [{"value": "a"}, {"value": "b"}]}
                },
            }
        }
    }
    assert case_blocks.submitted(view) == {
        "to": "U0BOB",
        "note": None,
        "verdict": "allowed",
        "none": None,
        "sections": ["a", "b"],
    }


def test_times_show_in_each_reader_s_time_zone():
    assert case_blocks.slack_time(T0) == "<!date^1772442000^{date_short_pretty} {time}|2026-03-02 09:00 UTC>"
