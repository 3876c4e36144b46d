"""Retention that really forgets (issue 13, point 7): purged text is gone from the SQLite file and
its write-ahead log, ratings lose their reasons, abandoned open cases are closed and purged,
FAQ proposals nobody reviewed expire."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

from bot.escalation import CaseService, Policy
from bot.escalation import outbox as ob
from bot.escalation.faq import Proposal, ProposalInbox
from bot.slack import case_blocks
from bot.store import Feedback, open_store
from bot.store.answers import AnswerRecord
from tests.escalation.conftest import T0, new_case

RETENTION = Policy(retention=timedelta(days=30))
SECRET = "Zebrafisch-Kooperation mit Kunde Oberholzer"  # words found nowhere else in the database


def answer(question_id: str, text: str) -> AnswerRecord:
    return AnswerRecord(question_id, T0, "dm", "de", "ask_team", 0.4, True, "press", "press", None, question_text=text)


def on_disk(path: Path) -> bytes:
    """Every byte SQLite keeps for the database: the file, its write-ahead log, its journal."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_purged_text_is_gone_from_the_sqlite_file_and_its_log(tmp_path):
    path = tmp_path / "bot.db"
    store = open_store(f"sqlite:///{path}")  # stays open, as a serving process's would
    cases = CaseService(store, RETENTION)
    cases.open(new_case("old", question=f"Darf ich über die {SECRET} posten?"), now=T0)
    cases.hand_off("old", "U0ANNA", True, "U0BOB", True, f"Es geht um {SECRET}", now=T0)
    cases.resolve("old", "U0BOB", True, f"Nein, {SECRET} ist vertraulich.", now=T0 + timedelta(hours=1))
    store.answers.record(answer("old", f"Darf ich über die {SECRET} posten?"))
    store.record_feedback(Feedback("old", "U1", helpful=False, reason=f"{SECRET} fehlt"), now=T0)
    needle = SECRET.encode()
    assert needle in on_disk(path)

    assert cases.purge(T0 + timedelta(days=31)) == ["old"]

    assert needle not in on_disk(path)
    with store.engine.connect() as conn:  # on by default in some SQLite builds (Debian's), not in all
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    assert SECRET.encode("utf-16-le") not in on_disk(path)
    assert cases.get("old").state == "resolved"  # the case and its trail are still there
    store.close()


def test_a_reader_holding_the_log_delays_its_truncation_to_the_next_purge(tmp_path, caplog):
    path = tmp_path / "bot.db"
    store = open_store(f"sqlite:///{path}")
    cases = CaseService(store, RETENTION)
    cases.open(new_case("old", question=f"Darf ich über die {SECRET} posten?"), now=T0)
    cases.resolve("old", "U0BOB", True, "Nein.", now=T0)
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchone()  # a read transaction pins the log
    assert cases.purge(T0 + timedelta(days=31)) == ["old"]
    assert "write-ahead log was busy" in caplog.text and SECRET not in caplog.text
    reader.close()
    assert cases.purge(T0 + timedelta(days=32)) == []  # nothing new to delete, and the log is truncated
    assert SECRET.encode() not in on_disk(path)
    store.close()


def test_ratings_lose_their_reasons_after_the_retention(store):
    store.record_feedback(Feedback("old", "U1", helpful=False, reason="Die Antwort nennt Herrn Müller"), now=T0)
    store.record_feedback(Feedback("new", "U1", helpful=False, reason="zu lang"), now=T0 + timedelta(days=20))
    CaseService(store, RETENTION).purge(T0 + timedelta(days=31))
    [old], [new] = store.feedback_for("old"), store.feedback_for("new")
    assert old.reason is None and old.helpful is False  # the rating is still counted
    assert new.reason == "zu lang"


def test_an_abandoned_open_case_is_closed_and_its_text_deleted(store):
    cases = CaseService(store, RETENTION)
    cases.open(new_case("idle"), now=T0)
    cases.open(new_case("claimed"), now=T0)
    cases.claim("claimed", "U0ANNA", True, now=T0)
    cases.open(new_case("busy"), now=T0)
    cases.claim("busy", "U0ANNA", True, now=T0 + timedelta(days=40))  # worked on recently
    assert cases.purge(T0 + timedelta(days=59)) == []  # within twice the retention: kept
    assert sorted(cases.purge(T0 + timedelta(days=61))) == ["claimed", "idle"]
    for case_id in ("idle", "claimed"):
        case = cases.get(case_id)
        assert (case.state, case.resolved_by, case.question, case.found) == ("resolved", "bot", None, None)
        assert [e.action for e in cases.events(case_id)][-2:] == ["closed_abandoned", "purged"]
        assert [item.kind for item in cases.outbox.pending(case_id)] == [ob.UPDATE_CASE, ob.ASKER_RESOLVED]
    shown = json.dumps(case_blocks.case_message(cases.get("idle"), "#team").blocks, ensure_ascii=False)
    assert "*Geschlossen*" in shown and not case_blocks.case_buttons(cases.get("idle"))
    told = case_blocks.resolution(cases.get("idle"), "Social-Media-Team")
    assert "Fall idle" in told.text and "frag bitte noch einmal" in told.text and not told.blocks[1:]
    assert cases.get("busy").question and cases.get("busy").state == "claimed"
    assert cases.purge(T0 + timedelta(days=62)) == []


def test_a_short_retention_leaves_the_team_a_month_for_an_open_case(store):
    cases = CaseService(store, Policy(retention=timedelta(days=0)))
    cases.open(new_case("new"), now=T0)
    cases.open(new_case("resolved"), now=T0)
    cases.resolve("resolved", "U0BOB", True, "Ja.", now=T0)
    assert cases.purge(T0 + timedelta(days=1)) == ["resolved"]  # resolved: texts go at once
    assert cases.get("new").state == "open" and cases.get("new").question
    assert cases.purge(T0 + timedelta(days=31)) == ["new"]


def test_faq_proposals_nobody_reviewed_expire(store):
    cases = CaseService(store, RETENTION)
    for case_id, day in (("old", 0), ("new", 20)):
        cases.open(new_case(case_id), now=T0)
        entry = {
            "id": f"press-proposal-{case_id}",
            "topic": "press",
            "verdict": "ask_team",
            "anchors": ["presse"],
            "questions": {"de": ["Darf ich über die Presseanfrage posten?"]},
            "answer": {"de": "Nein, bitte an die Pressestelle."},
        }
        proposal = Proposal(case_id, entry, "U0ANNA", "")
        cases.faq_proposed(case_id, "U0ANNA", True, proposal, now=T0 + timedelta(days=day))
    cases.purge(T0 + timedelta(days=31))
    assert [p.id for p in ProposalInbox(store.engine).list()] == ["new"]


def test_no_retention_deletes_nothing(store):
    cases = CaseService(store, Policy(retention=None))
    cases.open(new_case("idle"), now=T0)
    store.record_feedback(Feedback("idle", "U1", helpful=False, reason="zu lang"), now=T0)
    assert cases.purge(T0 + timedelta(days=9999)) == []
    assert cases.get("idle").state == "open" and store.feedback_for("idle")[0].reason == "zu lang"
