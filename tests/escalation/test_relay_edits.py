"""Edits and deletions of relayed messages: queued behind the relay they change, only for
messages that were (or are about to be) relayed, and remembered copies. Both back ends."""

from __future__ import annotations

from bot.escalation import outbox as ob
from tests.escalation.conftest import T0, new_case


def test_an_edit_waits_behind_the_relay_it_changes(cases):
    cases.open(new_case("c1"), now=T0)
    cases.team_reply("c1", "U0ANNA", True, "Morgen.", ("Ev1", "C0TEAM", "5.0"), now=T0)
    assert cases.relay_changed("c1", "U0ANNA", ob.TEAM, "5.0", "Übermorgen.", ("Ev2", None, None), now=T0)
    asker_lane = [
        (i.kind, i.payload.get("source"), i.payload.get("text"))
        for i in cases.outbox.pending("c1")
        if i.lane == ob.ASKER
    ]
    assert asker_lane[-2:] == [(ob.RELAY_TO_ASKER, "5.0", "Morgen."), (ob.EDIT_AT_ASKER, "5.0", "Übermorgen.")]
    assert cases.relay_changed("c1", "U0ANNA", ob.TEAM, "5.0", "x", ("Ev2", None, None), now=T0) is None  # retry


def test_messages_never_relayed_change_nothing(cases):
    cases.open(new_case("c1"), now=T0)
    cases.team_reply("c1", "U0ANNA", True, "intern: Legal fragen", ("Ev1", "C0TEAM", "6.0"), now=T0)  # internal
    before = len(cases.outbox.pending("c1"))
    assert cases.relay_changed("c1", "U0ANNA", ob.TEAM, "6.0", "intern: x", ("Ev2", None, None), now=T0) is None
    assert cases.relay_changed("c1", "U0ANNA", ob.TEAM, "7.0", None, ("Ev3", None, None), now=T0) is None
    assert len(cases.outbox.pending("c1")) == before
    assert [e.action for e in cases.events("c1")] == ["opened"]


def test_a_remembered_copy_is_found_and_a_repeated_delivery_replaces_it(cases):
    cases.open(new_case("c1"), now=T0)
    assert cases.relayed_copy("C0TEAM", "5.0") is None
    cases.record_relay("c1", "U0ANNA", "C0TEAM", "5.0", "D0DM", "9.1", now=T0)
    cases.record_relay("c1", "U0ANNA", "C0TEAM", "5.0", "D0DM", "9.2", now=T0)  # delivered again after a crash
    assert cases.relayed_copy("C0TEAM", "5.0") == ("D0DM", "9.2", "U0ANNA")
    assert cases.relay_changed("c1", "U0ANNA", ob.TEAM, "5.0", None, ("Ev9", None, None), now=T0)
    assert cases.relay_changed("c1", "U0BOB", ob.TEAM, "5.0", None, ("Ev10", None, None), now=T0) is None  # not his
