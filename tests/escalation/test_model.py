"""The pure rules: who may do what in which state, when reminders are due, the snapshot of the
bot's answer, the settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.answer import Answer, Citation
from bot.errors import ConfigError
from bot.escalation.hours import BusinessHours
from bot.escalation.model import (
    AlreadyClaimed,
    AlreadyResolved,
    AlreadyYours,
    Case,
    CaseError,
    InvalidHandoff,
    NotATeamMember,
    answer_from_snapshot,
    check_claim,
    check_hand_off,
    check_propose,
    check_resolve,
    is_internal,
    snapshot,
)
from bot.escalation.policy import Policy, next_reminder, purge_before
from tests.escalation.conftest import T0

OPEN = Case("c1", "open", 1, "de", "U0ASKER", "dm", "social-media-team", T0)
CLAIMED = replace(
    OPEN, state="claimed", owner="U0ANNA", claimed_at=T0 + timedelta(minutes=5), assigned_at=T0 + timedelta(minutes=5)
)
RESOLVED = replace(
    CLAIMED, state="resolved", resolved_by="U0ANNA", resolved_at=T0 + timedelta(hours=1), resolution="Ja."
)


@pytest.mark.parametrize(
    ("case", "actor", "member", "error"),
    [
        (OPEN, "U0ANNA", True, None),
        (OPEN, "U0RANDOM", False, NotATeamMember),
        (CLAIMED, "U0BOB", True, AlreadyClaimed),
        (CLAIMED, "U0ANNA", True, AlreadyYours),
        (CLAIMED, "U0RANDOM", False, NotATeamMember),
        (RESOLVED, "U0BOB", True, AlreadyResolved),
    ],
)
def test_claim_rules(case, actor, member, error):
    if error is None:
        check_claim(case, actor, member)
    else:
        with pytest.raises(error):
            check_claim(case, actor, member)


def test_already_claimed_names_the_owner():
    with pytest.raises(AlreadyClaimed) as info:
        check_claim(CLAIMED, "U0BOB", True)
    assert info.value.owner == "U0ANNA"


@pytest.mark.parametrize(
    ("case", "member", "to", "to_member", "reason"),
    [
        (OPEN, True, "U0BOB", True, None),  # a lead assigns an open case
        (CLAIMED, True, "U0BOB", True, None),  # the owner passes it on
        (CLAIMED, True, None, False, "nobody"),
        (CLAIMED, True, "U0ANNA", True, "owner"),
        (CLAIMED, True, "U0RANDOM", False, "outsider"),
    ],
)
def test_hand_off_rules(case, member, to, to_member, reason):
    if reason is None:
        check_hand_off(case, "U0ANNA", member, to, to_member)
        return
    with pytest.raises(InvalidHandoff) as info:
        check_hand_off(case, "U0ANNA", member, to, to_member)
    assert info.value.reason == reason


def test_only_members_act_and_nobody_acts_on_a_resolved_case():
    with pytest.raises(NotATeamMember):
        check_hand_off(OPEN, "U0RANDOM", False, "U0BOB", True)
    with pytest.raises(AlreadyResolved):
        check_hand_off(RESOLVED, "U0ANNA", True, "U0BOB", True)
    with pytest.raises(NotATeamMember):
        check_resolve(OPEN, "U0RANDOM", False, "Ja.")
    with pytest.raises(CaseError, match="write the answer"):
        check_resolve(OPEN, "U0ANNA", True, "   ")
    with pytest.raises(NotATeamMember):
        check_propose(RESOLVED, "U0RANDOM", False)
    check_propose(RESOLVED, "U0ANNA", True)


def test_waiting_times():
    now = T0 + timedelta(hours=3)
    assert OPEN.waiting(now) == timedelta(hours=3) and OPEN.until_claimed(now) == timedelta(hours=3)
    assert CLAIMED.until_claimed(now) == timedelta(minutes=5)
    assert RESOLVED.waiting(now) == timedelta(hours=1)


def test_reminders_are_computed_from_the_stored_times():
    policy = Policy(unclaimed_after=timedelta(minutes=30), reply_after=timedelta(hours=4), reminder_limit=2)
    first = next_reminder(OPEN, policy)
    assert (first.kind, first.number, first.due_at) == ("unclaimed", 1, T0 + timedelta(minutes=30))
    second = next_reminder(replace(OPEN, reminders=1), policy)
    assert second.due_at == T0 + timedelta(minutes=60)
    assert next_reminder(replace(OPEN, reminders=2), policy) is None  # the limit
    owner = next_reminder(CLAIMED, policy)
    assert (owner.kind, owner.due_at) == ("owner", T0 + timedelta(minutes=5, hours=4))
    replied = replace(CLAIMED, last_team_reply_at=T0 + timedelta(hours=2))
    assert next_reminder(replied, policy).due_at == T0 + timedelta(hours=6)  # a reply starts the wait anew
    assert next_reminder(RESOLVED, policy) is None


def test_policy_from_the_environment():
    assert Policy.from_env({}) == Policy(hours=BusinessHours())  # Mon–Fri 9–17 Europe/Berlin
    policy = Policy.from_env(
        {
            "GUIDELINES_BOT_REMIND_UNCLAIMED_MINUTES": "15",
            "GUIDELINES_BOT_REMIND_OWNER_HOURS": "2",
            "GUIDELINES_BOT_REMINDERS": "1",
            "GUIDELINES_BOT_RETENTION_DAYS": "30",
        }
    )
    assert policy == Policy(timedelta(minutes=15), timedelta(hours=2), 1, timedelta(days=30), BusinessHours())
    assert Policy.from_env({"GUIDELINES_BOT_RETENTION_DAYS": "off"}).retention is None
    assert purge_before(Policy(retention=None), T0) is None
    assert purge_before(Policy(retention=timedelta(days=30)), T0) == T0 - timedelta(days=30)
    for name, value, message in (
        ("GUIDELINES_BOT_REMIND_UNCLAIMED_MINUTES", "soon", "is not a number"),
        ("GUIDELINES_BOT_REMIND_UNCLAIMED_MINUTES", "0", "must be at least 1"),
        ("GUIDELINES_BOT_RETENTION_DAYS", "-1", "must be at least 0"),
    ):
        with pytest.raises(ConfigError, match=message):
            Policy.from_env({name: value})


def test_the_snapshot_keeps_what_the_team_needs_without_the_question():
    citation = Citation(
        "guidelines/de/r.md",
        "Presse",
        ("Richtlinien", "Presse"),
        "press",
        "Presseanfragen …",
        0.7,
        "de",
        "https://intranet.example/r#press",
    )
    answer = Answer(
        "Darf ich?",
        "de",
        "ask_team",
        True,
        "Presse",
        0.42,
        "Das entscheidet das Team.",
        "communications",
        [citation],
        topic="press",
        draft="Mein Entwurf",
    )
    data = snapshot(answer)
    assert "question" not in data and data["draft"] == "Mein Entwurf"
    again = answer_from_snapshot("Darf ich?", "de", data)
    assert again.citations == [citation] and again.verdict == "ask_team" and again.confidence == 0.42
    assert answer_from_snapshot("x", "de", None) is None and snapshot(None) is None


@pytest.mark.parametrize(
    ("reply", "internal"),
    [
        ("internal: ask legal first", True),
        ("  Intern: erst Legal", True),
        ("Ja, das geht.", False),
        ("Is this internal?", False),
    ],
)
def test_internal_replies_stay_in_the_team(reply, internal):
    assert is_internal(reply) is internal
