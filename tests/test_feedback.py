"""`guidelines-bot feedback`: ratings per FAQ entry, worst first, with reasons; --days and --csv."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.feedback import GUIDELINE_TEXT, summarize
from bot.store import Feedback, open_store
from bot.store.database import utcnow


@pytest.fixture
def index_args(tmp_path, monkeypatch):
    """The bot's default database (beside --index) with ratings of three answer sources."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    store = open_store(index_dir=tmp_path / "index")
    now = utcnow()
    ratings = [
        Feedback("q1", "U1", True, faq_id="company-party-photos", verdict="conditional", language="de"),
        Feedback(
            "q2",
            "U2",
            False,
            reason="Es ging um  das Datum,\nnicht um Fotos",
            faq_id="company-party-photos",
            verdict="conditional",
            language="de",
        ),
        Feedback("q3", "U3", False, faq_id="company-party-photos", verdict="conditional", language="en"),
        Feedback("q4", "U1", True, faq_id="talk-about-my-job", verdict="allowed", language="en"),
        Feedback("q5", "U2", False, reason="<!channel> zu allgemein", verdict="conditional", language="de"),
    ]
    for i, item in enumerate(ratings):
        store.record_feedback(item, now=now - timedelta(hours=i + 1))
    store.record_feedback(
        Feedback("q0", "U9", False, reason="alt", faq_id="talk-about-my-job"), now=now - timedelta(days=45)
    )
    store.close()
    return ["--index", str(tmp_path / "index")]


def _rows(output: str) -> dict[str, list[str]]:
    return {
        line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
        for line in output.splitlines()
        if line.startswith("| ") and "answered from" not in line
    }


def test_feedback_lists_sources_worst_first_with_reasons(index_args):
    result = CliRunner().invoke(main, ["feedback", *index_args])
    assert result.exit_code == 0, result.output
    assert "5 rating(s) in the last 30 days: 2 helpful, 3 not helpful (40 % helpful)" in result.output
    rows = _rows(result.output)
    assert list(rows) == ["company-party-photos", GUIDELINE_TEXT, "talk-about-my-job"]
    assert rows["company-party-photos"][:4] == ["3", "1", "2", "33 %"]
    assert rows[GUIDELINE_TEXT][:4] == ["1", "0", "1", "0 %"]
    assert rows["talk-about-my-job"][:4] == ["1", "1", "0", "100 %"]
    assert "  company-party-photos: Es ging um das Datum, nicht um Fotos" in result.output
    assert "talk-about-my-job: alt" not in result.output  # rated 45 days ago: outside the last 30 days
    assert "faq.yaml" in result.output


def test_feedback_days_zero_takes_all(index_args):
    result = CliRunner().invoke(main, ["feedback", "--days", "0", *index_args])
    assert result.exit_code == 0, result.output
    assert "6 rating(s) so far" in result.output
    assert _rows(result.output)["talk-about-my-job"][:3] == ["2", "1", "1"]
    assert "  talk-about-my-job: alt" in result.output


def test_feedback_as_csv_has_no_question_text(index_args):
    result = CliRunner().invoke(main, ["feedback", "--csv", *index_args])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["question_id"] for r in rows] == ["q5", "q4", "q3", "q2", "q1"]  # oldest first
    assert rows[3]["helpful"] == "no" and rows[3]["faq_id"] == "company-party-photos"
    assert "question_text" not in rows[0]


def test_feedback_without_ratings_says_where_they_come_from(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, ["feedback", "--index", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert "No ratings in the last 30 days" in result.output and "👍" in result.output


def test_feedback_rejects_negative_days(index_args):
    result = CliRunner().invoke(main, ["feedback", "--days", "-1", *index_args])
    assert result.exit_code == 2 and "--days" in result.output


def test_summarize_orders_by_not_helpful_then_share():
    stats = summarize(
        [
            Feedback("a", "U", True, faq_id="x"),
            Feedback("b", "U", False, faq_id="x"),
            Feedback("c", "U", False, faq_id="y"),
            Feedback("d", "U", False, faq_id="y", reason=" "),
            Feedback("e", "U", False, faq_id="z"),
            Feedback("f", "U", True, faq_id="z"),
            Feedback("g", "U", True, faq_id="z"),
        ]
    )
    assert [(s.source, s.not_helpful, s.ratings) for s in stats] == [("y", 2, 2), ("x", 1, 2), ("z", 1, 3)]
    assert stats[0].reasons == []  # a blank reason is no reason
