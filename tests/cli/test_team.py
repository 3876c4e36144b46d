"""`guidelines-bot cases` (table, --csv, --case, --purge) and `guidelines-bot faq review`
(--accept, --drop, the questions it asks, refusals that write nothing)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import main
from bot.escalation import CaseService, Policy
from bot.escalation.faq import PROPOSALS_FILE, FaqProposals, Proposal, ProposalError, make_entry
from bot.knowledge import load_knowledge
from bot.store import open_store
from bot.store.database import utcnow
from tests.conftest import small_kb_files, write_kb
from tests.escalation.conftest import new_case


@pytest.fixture
def database(tmp_path, monkeypatch):
    """The bot's default database (beside --index) with an open, a claimed and a resolved case."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("GUIDELINES_BOT_RETENTION_DAYS", "30")
    store = open_store(index_dir=tmp_path / "index")
    cases = CaseService(store, Policy())
    now = utcnow()
    cases.open(
        new_case("open1", question="Darf ich über die Messe posten?"), now=now - timedelta(minutes=45, seconds=10)
    )
    cases.open(new_case("claimed1", question="Darf ich das Logo nutzen?"), now=now - timedelta(hours=2))
    cases.claim("claimed1", "U0ANNA", True, now=now - timedelta(hours=2) + timedelta(minutes=12))
    opened = now - timedelta(days=40)
    cases.open(new_case("old1", question='Darf ich "Zitate", mit Komma, posten?'), now=opened)
    cases.hand_off("old1", "U0ANNA", True, "U0BOB", True, "bitte du", now=opened + timedelta(minutes=5))
    cases.resolve("old1", "U0BOB", True, "Ja.", "allowed", now=opened + timedelta(hours=1, minutes=30))
    store.close()
    return ["--index", str(tmp_path / "index")]


def test_cases_lists_states_and_waiting_times(database):
    result = CliRunner().invoke(main, ["cases", *database])
    assert result.exit_code == 0, result.output
    rows = {
        line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
        for line in result.output.splitlines()
        if line.startswith("| ") and "case" not in line
    }
    assert rows["open1"][:4] == ["open", "45 min", "45 min", "social-media-team"]
    assert rows["claimed1"][:5] == ["claimed", "2 h 00 min", "12 min", "social-media-team", "U0ANNA"]
    assert rows["old1"][:5] == ["resolved", "1 h 30 min", "5 min", "social-media-team", "U0BOB"]
    assert "3 case(s): 1 open, 1 claimed, 1 resolved" in result.output
    only_open = CliRunner().invoke(main, ["cases", "--state", "open", *database])
    assert "open1" in only_open.output and "claimed1" not in only_open.output


def test_cases_as_csv(database):
    result = CliRunner().invoke(main, ["cases", "--csv", *database])
    assert result.exit_code == 0, result.output
    rows = {r["case"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert set(rows) == {"open1", "claimed1", "old1"}
    old = rows["old1"]
    assert (old["state"], old["owner"], old["resolved_by"], old["minutes_to_claim"], old["minutes_waiting"]) == (
        "resolved",
        "U0BOB",
        "U0BOB",
        "5",
        "90",
    )
    assert old["question"] == 'Darf ich "Zitate", mit Komma, posten?'  # quoted properly
    assert rows["claimed1"]["minutes_to_claim"] == "12" and rows["open1"]["claimed_at"] == ""


def test_one_case_with_its_audit_trail_and_retention(database):
    result = CliRunner().invoke(main, ["cases", "--case", "old1", *database])
    assert result.exit_code == 0, result.output
    assert "Case old1: resolved" in result.output and "Answer (allowed): Ja." in result.output
    assert "Still to deliver to Slack" in result.output and "asker_resolved" in result.output  # no bot ran
    trail = [line.split()[1:3] for line in result.output.split("Audit trail:")[1].split("\n\n")[0].strip().splitlines()]
    assert trail == [["U0ASKER", "opened"], ["U0ANNA", "handed_off"], ["U0BOB", "resolved"]]
    purged = CliRunner().invoke(main, ["cases", "--purge", *database])
    assert (
        "Deleted the texts of 1 case(s) resolved (or left untouched twice as long) more than 30 days ago: old1"
        in purged.output
    )
    after = CliRunner().invoke(main, ["cases", "--case", "old1", *database])
    assert "(deleted after the retention period)" in after.output and "bitte du" not in after.output
    assert "purged" in after.output
    unknown = CliRunner().invoke(main, ["cases", "--case", "nope", *database])
    assert unknown.exit_code == 1 and "Error: no case nope" in unknown.output


# -- faq review -----------------------------------------------------------------------------------------
@pytest.fixture
def kb(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)  # the bot's database: beside the index in tmp_path
    files = small_kb_files()
    files["faq.yaml"] = "# Our FAQ. Keep this comment.\n" + files["faq.yaml"]
    return write_kb(tmp_path / "knowledge", files)


def propose(kb, case_id: str, question: str, anchors=("photos",), **entry) -> Proposal:
    knowledge = load_knowledge(kb).knowledge
    data = make_entry(
        knowledge,
        questions=[question],
        answer="Nein.",
        verdict="not_allowed",
        anchors=list(anchors),
        language="de",
        topic="photos",
    )
    proposal = Proposal(case_id, {**data, **entry}, "U0ANNA", "2026-03-02T09:00:00+00:00")
    FaqProposals(kb).add(proposal)
    return proposal


def test_accepting_appends_a_valid_entry_and_keeps_the_file_s_comments(kb):
    proposal = propose(kb, "c1", "Darf ich Fotos vom Bildschirm posten?")
    assert proposal.entry["id"] == "photos-proposal-1"  # no words of the question in an id kept after purges
    result = CliRunner().invoke(main, ["faq", "review", "--knowledge", str(kb), "--accept", "c1"])
    assert result.exit_code == 0, result.output
    assert "faq.yaml entry 'photos-proposal-1'" in result.output and "reindex" in result.output
    assert "Note: faq.yaml:" in result.output and "no en answer" in result.output  # a warning, accepted anyway
    text = (kb / "faq.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Our FAQ. Keep this comment.\n")
    loaded = load_knowledge(kb)
    assert [p for p in loaded.problems if p.severity == "error"] == []
    assert [e.id for e in loaded.knowledge.faq] == ["event-photos", "photos-proposal-1"]
    assert FaqProposals(kb).list() == []


def test_an_invalid_proposal_is_refused_and_nothing_is_written(kb):
    propose(kb, "c1", "Darf ich ein Foto posten?", anchors=("nowhere",))
    before = (kb / "faq.yaml").read_bytes()
    result = CliRunner().invoke(main, ["faq", "review", "--knowledge", str(kb), "--accept", "c1"])
    assert result.exit_code == 1
    assert "would make faq.yaml invalid" in result.output and "unknown anchor 'nowhere'" in result.output
    assert "\n" not in result.output.strip()  # one line
    assert (kb / "faq.yaml").read_bytes() == before
    assert [p.id for p in FaqProposals(kb).list()] == ["c1"]
    assert not [p for p in kb.iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "event-photos"}, "faq.yaml has an entry 'event-photos' already"),
        ({"verdict": "maybe"}, "proposal c1: verdict"),
        ({"surprise": 1}, "proposal c1: surprise"),
    ],
)
def test_refusals_name_what_to_fix(kb, entry, message):
    path = kb / PROPOSALS_FILE
    propose(kb, "c1", "Darf ich ein Foto posten?")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["proposals"][0]["entry"].update(entry)  # as a maintainer might edit it
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ProposalError, match=message):
        FaqProposals(kb).accept("c1")


def test_accepting_again_after_a_crash_adds_nothing_twice(kb):
    proposal = propose(kb, "c1", "Darf ich Fotos vom Bildschirm posten?")
    proposals = FaqProposals(kb)
    proposals.accept("c1")
    proposals.add(proposal)  # the proposal survived: the process died before removing it
    proposals.accept("c1")
    assert [e.id for e in load_knowledge(kb).knowledge.faq].count(proposal.entry["id"]) == 1
    assert proposals.list() == []


def test_review_asks_about_each_proposal(kb):
    propose(kb, "c1", "Darf ich Fotos vom Bildschirm posten?")
    propose(kb, "c2", "Darf ich Fotos vom Büro posten?")
    propose(kb, "c3", "Darf ich Fotos von der Kantine posten?")
    result = CliRunner().invoke(main, ["faq", "review", "--knowledge", str(kb)], input="d\na\ns\n")
    assert result.exit_code == 0, result.output
    assert "Proposal c1 (by U0ANNA" in result.output and "answer:\n      de: Nein." in result.output
    assert "Dropped c1." in result.output and "Accepted: faq.yaml entry 'photos-proposal-1'" in result.output
    assert [p.id for p in FaqProposals(kb).list()] == ["c3"]
    assert "photos-proposal-1" in (kb / "faq.yaml").read_text(encoding="utf-8")
    dropped = CliRunner().invoke(main, ["faq", "review", "--knowledge", str(kb), "--drop", "c3"])
    assert "Dropped proposal c3" in dropped.output and FaqProposals(kb).list() == []
    empty = CliRunner().invoke(main, ["faq", "review", "--knowledge", str(kb)])
    assert "No proposals" in empty.output
    unknown = CliRunner().invoke(main, ["faq", "review", "--knowledge", str(kb), "--accept", "c9"])
    assert unknown.exit_code == 1 and "no proposal 'c9'" in unknown.output


def test_a_second_proposal_from_the_same_case_replaces_the_first(kb):
    first = propose(kb, "c1", "Darf ich Fotos posten?")
    second = propose(kb, "c2", "Darf ich Fotos vom Büro posten?")
    FaqProposals(kb).add(Proposal("c1", {**first.entry, "answer": {"de": "Doch."}}, "U0BOB", "later"))
    [one, two] = FaqProposals(kb).list()
    assert (one.id, one.proposed_by, one.entry["answer"]) == ("c2", "U0ANNA", second.entry["answer"])
    assert (two.id, two.proposed_by, two.entry["answer"]) == ("c1", "U0BOB", {"de": "Doch."})


def test_a_proposal_id_carries_no_words_of_the_question(kb):
    """The id outlives the question's text (case record, audit events): it names only the topic."""
    proposal = propose(kb, "c9", "Darf ich das Geheimprojekt Leuchtturm zeigen?")
    words = {"darf", "ich", "das", "geheimprojekt", "leuchtturm", "zeigen"}
    assert not words & set(proposal.entry["id"].split("-"))


def test_cases_show_the_question_as_typed(tmp_path, monkeypatch):
    """The question is stored as Slack sent it (&amp; &lt; &gt;); the team reads it as typed
    (issue 13, point 10)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    store = open_store(index_dir=tmp_path / "index")
    CaseService(store, Policy()).open(new_case("amp1", question="Darf ich &lt;!channel&gt; &amp; Co. posten?"))
    store.close()
    index = ["--index", str(tmp_path / "index")]
    typed = "Darf ich <!channel> & Co. posten?"
    assert f"Question: {typed}" in CliRunner().invoke(main, ["cases", "--case", "amp1", *index]).output
    assert typed in CliRunner().invoke(main, ["cases", *index]).output
    [row] = csv.DictReader(io.StringIO(CliRunner().invoke(main, ["cases", "--csv", *index]).output))
    assert row["question"] == typed
