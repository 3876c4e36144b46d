"""Cases over the store, on SQLite and PostgreSQL: transitions with their audit trail and
messages, relays, reminders across a restart (time injected), retention, the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.escalation import CaseService, Policy
from bot.escalation import outbox as ob
from bot.escalation.model import AlreadyClaimed, AlreadyResolved, NotATeamMember, UnknownCase
from bot.store import open_store
from tests.escalation.conftest import T0, new_case


def kinds(cases: CaseService, case_id: str = "c1") -> list[tuple[str, str]]:
    return [(item.lane, item.kind) for item in cases.outbox.pending(case_id)]


def test_opening_is_stored_once_with_its_messages(cases):
    case, created = cases.open(new_case(), now=T0)
    assert created and case.state == "open" and case.version == 1 and case.opened_at == T0
    assert case.found["verdict"] == "ask_team" and case.asker_thread_ts == "1.0"
    again, created = cases.open(new_case(question="another text"), now=T0 + timedelta(minutes=1))
    assert not created and again.question == case.question
    assert kinds(cases) == [("team", "post_case"), ("asker", "asker_opened")]
    assert [(e.actor, e.action) for e in cases.events("c1")] == [("U0ASKER", "opened")]


def test_the_flow_with_its_audit_trail(cases):
    cases.open(new_case(), now=T0)
    cases.claim("c1", "U0ANNA", True, now=T0 + timedelta(minutes=3))
    with pytest.raises(AlreadyClaimed):
        cases.claim("c1", "U0BOB", True, now=T0 + timedelta(minutes=4))
    handed = cases.hand_off(
        "c1", "U0ANNA", True, "U0BOB", True, "Bitte du, ich bin im Urlaub", now=T0 + timedelta(minutes=10)
    )
    assert (handed.owner, handed.claimed_at, handed.assigned_at) == (
        "U0BOB",
        T0 + timedelta(minutes=3),
        T0 + timedelta(minutes=10),
    )
    resolved = cases.resolve("c1", "U0BOB", True, "Ja, ohne Produktnamen.", "conditional", now=T0 + timedelta(hours=1))
    assert resolved.state == "resolved" and resolved.resolution_verdict == "conditional"
    assert resolved.waiting(T0 + timedelta(days=1)) == timedelta(hours=1)
    with pytest.raises(AlreadyResolved):
        cases.resolve("c1", "U0ANNA", True, "Nein.", now=T0 + timedelta(hours=2))
    trail = [(e.at - T0, e.actor, e.action, e.detail) for e in cases.events("c1")]
    assert trail == [
        (
            timedelta(0),
            "U0ASKER",
            "opened",
            {"contact": "social-media-team", "surface": "dm", "team_channel": "C0TEAM"},
        ),
        (timedelta(minutes=3), "U0ANNA", "claimed", {}),
        (
            timedelta(minutes=10),
            "U0ANNA",
            "handed_off",
            {"from": "U0ANNA", "to": "U0BOB", "note": "Bitte du, ich bin im Urlaub"},
        ),
        (timedelta(hours=1), "U0BOB", "resolved", {"verdict": "conditional"}),
    ]
    assert kinds(cases) == [
        ("team", "post_case"),
        ("asker", "asker_opened"),
        ("team", "update_case"),
        ("asker", "asker_claimed"),
        ("team", "update_case"),
        ("team", "handoff_note"),
        ("asker", "asker_claimed"),
        ("team", "update_case"),
        ("asker", "asker_resolved"),
    ]


def test_non_members_change_nothing(cases):
    cases.open(new_case(), now=T0)
    with pytest.raises(NotATeamMember):
        cases.claim("c1", "U0RANDOM", False)
    with pytest.raises(NotATeamMember):
        cases.resolve("c1", "U0RANDOM", False, "Klar, poste es!")
    assert cases.get("c1").state == "open" and [e.action for e in cases.events("c1")] == ["opened"]
    with pytest.raises(UnknownCase):
        cases.claim("nope", "U0ANNA", True)


def test_resolving_an_unclaimed_case_makes_the_resolver_its_owner(cases):
    cases.open(new_case(), now=T0)
    case = cases.resolve("c1", "U0ANNA", True, "Nein.", now=T0 + timedelta(minutes=7))
    assert case.owner == "U0ANNA" and case.claimed_at == T0 + timedelta(minutes=7)


def test_replies_are_relayed_once_and_the_first_claims(cases):
    cases.open(new_case(), now=T0)
    delivery = ("Ev1", "C0TEAM", "2.0")
    case = cases.team_reply("c1", "U0ANNA", True, "Wer hat angefragt?", delivery, now=T0 + timedelta(minutes=2))
    assert case.state == "claimed" and case.owner == "U0ANNA" and case.last_team_reply_at == T0 + timedelta(minutes=2)
    assert cases.team_reply("c1", "U0ANNA", True, "Wer hat angefragt?", delivery) is None  # Slack's retry
    assert cases.team_reply("c1", "U0RANDOM", False, "Ich mische mich ein", ("Ev2", "C0TEAM", "3.0")) is None
    assert cases.team_reply("c1", "U0ANNA", True, "intern: frag Legal", ("Ev3", "C0TEAM", "4.0")) is None
    assert cases.asker_follow_up("c1", "U0ASKER", "Die Zeitung XY", ("Ev4", "D0DM", "5.0")) is not None
    assert cases.asker_follow_up("c1", "U0OTHER", "Ich auch", ("Ev5", "D0DM", "6.0")) is None
    relays = [(i.kind, i.payload) for i in cases.outbox.pending("c1") if i.kind.startswith("relay")]
    assert relays == [
        ("relay_to_asker", {"author": "U0ANNA", "text": "Wer hat angefragt?", "source": "2.0"}),
        ("relay_to_team", {"author": "U0ASKER", "text": "Die Zeitung XY", "source": "5.0"}),
    ]
    cases.resolve("c1", "U0ANNA", True, "Nein.")
    assert cases.team_reply("c1", "U0ANNA", True, "Noch was", ("Ev6", "C0TEAM", "7.0")) is None
    assert cases.asker_follow_up("c1", "U0ASKER", "Danke", ("Ev7", "D0DM", "8.0")) is None


def test_threads_find_their_case(cases):
    cases.open(new_case(), now=T0)
    cases.outbox.delivered(cases.outbox.pending("c1")[0], {"team_ts": "9.0"})
    assert cases.by_team_thread("C0TEAM", "9.0").id == "c1"
    assert cases.by_asker_thread("D0DM", "1.0").id == "c1"
    cases.resolve("c1", "U0ANNA", True, "Ja.")
    assert cases.by_asker_thread("D0DM", "1.0") is None  # the asker's thread is theirs again
    assert cases.by_team_thread("C0TEAM", "9.0").id == "c1"


def test_a_reminder_fires_after_a_restart_in_the_middle_of_the_wait(store_target):
    """The process stops 20 minutes into a 30-minute wait; a new one, started later, sends the
    reminder when it is due, exactly once, and the owner's reminder follows the claim."""
    url, schema = store_target
    policy = Policy(unclaimed_after=timedelta(minutes=30), reply_after=timedelta(hours=4))
    first = open_store(url, schema_name=schema)
    CaseService(first, policy).open(new_case(), now=T0)
    assert CaseService(first, policy).due_reminders(T0 + timedelta(minutes=20)) == []
    first.close()  # the process ends mid-wait

    second = open_store(url, schema_name=schema)
    try:
        cases = CaseService(second, policy)
        assert cases.due_reminders(T0 + timedelta(minutes=29)) == []
        [(case, reminder)] = cases.due_reminders(T0 + timedelta(minutes=31))
        assert (reminder.kind, reminder.number) == ("unclaimed", 1)
        assert cases.due_reminders(T0 + timedelta(minutes=32)) == []  # once
        [(_, again)] = cases.due_reminders(T0 + timedelta(minutes=61))
        assert again.number == 2
        cases.claim("c1", "U0ANNA", True, now=T0 + timedelta(minutes=70))
        assert cases.due_reminders(T0 + timedelta(hours=5)) == []
        [(_, owner)] = cases.due_reminders(T0 + timedelta(minutes=70, hours=4))
        assert owner.kind == "owner"
        reminders = [i.payload for i in cases.outbox.pending("c1") if i.kind == ob.REMINDER]
        assert [(r["kind"], r["number"], r["owner"]) for r in reminders] == [
            ("unclaimed", 1, None),
            ("unclaimed", 2, None),
            ("owner", 1, "U0ANNA"),
        ]
        assert [e.action for e in cases.events("c1")].count("reminded") == 3
    finally:
        second.close()


def test_retention_deletes_the_texts_of_old_resolved_cases(store):
    cases = CaseService(store, Policy(retention=timedelta(days=30)))
    cases.open(new_case("old"), now=T0)
    cases.hand_off("old", "U0ANNA", True, "U0BOB", True, "Der Kunde heißt Müller", now=T0)
    cases.resolve("old", "U0BOB", True, "Ja.", now=T0 + timedelta(hours=1))
    cases.open(new_case("recent"), now=T0 + timedelta(days=20))
    cases.resolve("recent", "U0BOB", True, "Nein.", now=T0 + timedelta(days=20))
    cases.open(new_case("waiting"), now=T0)
    assert cases.purge(T0 + timedelta(days=30)) == []
    assert cases.purge(T0 + timedelta(days=31)) == ["old"]
    old = cases.get("old")
    assert old.question is None and old.resolution is None and old.found is None and old.purged_at is not None
    assert "Müller" not in str(cases.events("old"))
    assert [e.action for e in cases.events("old")][-1] == "purged"
    assert cases.outbox.pending("old") == []
    assert cases.get("recent").question and cases.get("waiting").question  # not yet, and never while open
    assert cases.purge(T0 + timedelta(days=32)) == []
    assert CaseService(store, Policy(retention=None)).purge(T0 + timedelta(days=999)) == []


def test_the_outbox_leases_backs_off_and_keeps_lanes_in_order(cases):
    cases.open(new_case(), now=T0, asker_told=True)
    post, opened = cases.outbox.pending("c1")
    assert opened.not_before == T0 + timedelta(minutes=2)  # held back for the caller to tell the asker
    assert cases.outbox.lease(post, T0) and not cases.outbox.lease(post, T0)  # one process at a time
    assert cases.outbox.lease(post, T0 + timedelta(seconds=91))  # the lease of a dead one expires
    cases.outbox.failed(post, "not_in_channel", T0 + timedelta(seconds=91))
    [again, _] = cases.outbox.pending("c1")
    assert again.attempts == 2 and again.not_before == T0 + timedelta(seconds=91, minutes=2)
    assert [ob.backoff(n).total_seconds() for n in (1, 2, 3, 10)] == [60, 120, 240, 3600]
    assert not cases.outbox.lease(opened, T0 + timedelta(minutes=1))
    cases.asker_notified("c1")
    assert kinds(cases) == [("team", "post_case")]
    cases.outbox.delivered(again, {"team_ts": "5.0"})
    assert cases.get("c1").team_ts == "5.0" and cases.outbox.pending("c1") == []
