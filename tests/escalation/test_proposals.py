"""FAQ proposals travel through the shared database: stored with the case change, moved into the
maintainer's review file by `guidelines-bot faq review`, never lost or doubled on the way. Both
back ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli import main
from bot.escalation import CaseError
from bot.escalation.faq import FaqProposals, Proposal, ProposalInbox
from bot.store import open_store, schema
from tests.conftest import small_kb_files, write_kb
from tests.escalation.conftest import T0, new_case


def entry(entry_id: str = "logo-profile", answer: str = "Nein.") -> dict:
    return {
        "id": entry_id,
        "topic": "photos",
        "verdict": "not_allowed",
        "anchors": ["photos"],
        "questions": {"de": ["Darf ich das Logo als Profilbild nehmen?"]},
        "answer": {"de": answer},
    }


def proposal(case_id: str = "c1", by: str = "U0ANNA", **kwargs) -> Proposal:
    return Proposal(case_id, entry(**kwargs), by, "2026-03-02T09:00:00+00:00")


@pytest.fixture
def resolved(cases):
    cases.open(new_case("c1"), now=T0)
    cases.resolve("c1", "U0ANNA", True, "Nein.", "not_allowed", now=T0)
    return cases


def test_a_proposal_is_stored_with_the_case_change_and_replaced_by_a_later_one(resolved):
    resolved.faq_proposed("c1", "U0ANNA", True, proposal(), now=T0)
    resolved.faq_proposed("c1", "U0BOB", True, proposal(by="U0BOB", answer="Nein, nie."), now=T0)
    inbox = ProposalInbox(resolved.engine)
    [stored] = inbox.list()
    assert (stored.id, stored.proposed_by, stored.entry["answer"]) == ("c1", "U0BOB", {"de": "Nein, nie."})
    assert stored.proposed_at == "2026-03-02T09:00:00+00:00"
    assert resolved.require("c1").faq_entry == "logo-profile"
    assert [e.action for e in resolved.events("c1")][-2:] == ["faq_proposed", "faq_proposed"]


def test_a_refused_proposal_stores_nothing(resolved):
    with pytest.raises(CaseError):
        resolved.faq_proposed("c1", "U0STRANGER", False, proposal(), now=T0)
    bad = Proposal("c1", {**entry(), "verdict": "maybe"}, "U0ANNA", "")
    with pytest.raises(ValueError):
        resolved.faq_proposed("c1", "U0ANNA", True, bad, now=T0)
    assert ProposalInbox(resolved.engine).list() == []
    assert resolved.require("c1").faq_entry is None  # the case change rolled back with it


def test_moving_into_the_review_file_empties_the_inbox(resolved, tmp_path):
    resolved.faq_proposed("c1", "U0ANNA", True, proposal(), now=T0)
    review = FaqProposals(tmp_path / "knowledge")
    inbox = ProposalInbox(resolved.engine)
    assert [p.id for p in inbox.move_into(review)] == ["c1"]
    assert inbox.list() == [] and [p.entry["id"] for p in review.list()] == ["logo-profile"]
    assert inbox.move_into(review) == [] and len(review.list()) == 1


def test_a_proposal_the_file_has_already_keeps_the_maintainer_s_edits(resolved, tmp_path):
    resolved.faq_proposed("c1", "U0ANNA", True, proposal(), now=T0)
    review = FaqProposals(tmp_path / "knowledge")
    [mirrored] = ProposalInbox(resolved.engine).list()
    review.add(mirrored)  # what the bot writes on its own disk
    edited = Proposal(
        "c1", {**mirrored.entry, "answer": {"de": "Nein.", "en": "No."}}, mirrored.proposed_by, mirrored.proposed_at
    )
    review.add(edited)  # a maintainer adds the English answer
    assert len(ProposalInbox(resolved.engine).move_into(review)) == 1
    assert review.list() == [edited] and ProposalInbox(resolved.engine).list() == []
    resolved.faq_proposed("c1", "U0BOB", True, proposal(by="U0BOB", answer="Nein, nie."), now=T0 + timedelta(hours=1))
    ProposalInbox(resolved.engine).move_into(review)  # proposed again later: the newer one replaces it
    assert [p.entry["answer"] for p in review.list()] == [{"de": "Nein, nie."}]


def test_a_crash_between_file_and_database_neither_loses_nor_doubles(resolved, tmp_path):
    resolved.faq_proposed("c1", "U0ANNA", True, proposal(), now=T0)
    review = FaqProposals(tmp_path / "knowledge")
    inbox = ProposalInbox(resolved.engine)
    for waiting in inbox.list():  # the first half of a move: the process dies before deleting
        review.add(waiting)
    assert len(inbox.move_into(review)) == 1
    assert [p.id for p in review.list()] == ["c1"] and inbox.list() == []


def test_a_proposal_replaced_during_a_move_stays_for_the_next_one(resolved, tmp_path):
    resolved.faq_proposed("c1", "U0ANNA", True, proposal(), now=T0)

    class ReplacedMeanwhile(FaqProposals):
        """The review file while a serving process replaces the proposal in the database."""

        def add(self, item: Proposal) -> None:
            super().add(item)
            resolved.faq_proposed("c1", "U0BOB", True, proposal(answer="Nein, nie."), now=T0 + timedelta(minutes=1))

    moved = ProposalInbox(resolved.engine).move_into(ReplacedMeanwhile(tmp_path / "knowledge"))
    assert [p.entry["answer"]["de"] for p in moved] == ["Nein."]
    [left] = ProposalInbox(resolved.engine).list()
    assert left.entry["answer"]["de"] == "Nein, nie."  # not deleted: the next review fetches it
    review = FaqProposals(tmp_path / "knowledge")
    ProposalInbox(resolved.engine).move_into(review)
    assert [p.entry["answer"]["de"] for p in review.list()] == ["Nein, nie."]


# -- `guidelines-bot faq review` fetches first -----------------------------------------------------
@pytest.fixture
def kb_with_waiting_proposal(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    kb = write_kb(tmp_path / "knowledge", small_kb_files())
    store = open_store(index_dir=tmp_path / "index")  # the bot's default database
    from bot.escalation import CaseService, Policy

    cases = CaseService(store, Policy())
    cases.open(new_case("c7"), now=T0)
    cases.faq_proposed("c7", "U0ANNA", True, proposal("c7"), now=T0)
    store.close()
    return kb, tmp_path / "index"


def _waiting(index_dir) -> int:
    store = open_store(index_dir=index_dir)
    try:
        with store.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.faq_proposals)).scalar()
    finally:
        store.close()


def test_review_fetches_waiting_proposals_and_accepts_one(kb_with_waiting_proposal):
    kb, index = kb_with_waiting_proposal
    result = CliRunner().invoke(main, ["faq", "review", "--knowledge", str(kb), "--index", str(index)], input="a\n")
    assert result.exit_code == 0, result.output
    assert "Fetched 1 new proposal(s) from the bot's database" in result.output
    assert "Accepted: faq.yaml entry 'logo-profile'" in result.output
    assert _waiting(index) == 0 and FaqProposals(kb).list() == []
    assert "logo-profile" in (kb / "faq.yaml").read_text(encoding="utf-8")


def test_review_with_no_fetch_leaves_the_database_alone(kb_with_waiting_proposal):
    kb, index = kb_with_waiting_proposal
    result = CliRunner().invoke(main, ["faq", "review", "--knowledge", str(kb), "--index", str(index), "--no-fetch"])
    assert result.exit_code == 0, result.output
    assert "No proposals in" in result.output and _waiting(index) == 1


def test_review_says_which_database_it_cannot_reach(tmp_path, monkeypatch):
    kb = write_kb(tmp_path / "knowledge", small_kb_files())
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://bot:secret@127.0.0.1:1/nowhere?connect_timeout=2")
    result = CliRunner().invoke(main, ["faq", "review", "--knowledge", str(kb)])
    assert result.exit_code == 1
    assert "cannot read the proposals in the bot's database (127.0.0.1:1/nowhere" in result.output
    assert "secret" not in result.output and "--no-fetch" in result.output
