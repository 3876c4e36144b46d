"""Precision and recall per rule over the labelled drafts in knowledge/eval.yaml."""

from __future__ import annotations

import pytest

from bot.checks.evaluation import evaluate_drafts
from bot.knowledge.models import DraftCase
from tests.checks.conftest import make_engine


@pytest.fixture(scope="module")
def report(shipped_kb):
    return evaluate_drafts(shipped_kb.checks, shipped_kb.eval.drafts)


def test_labelled_drafts_cover_both_languages_clean_and_risky(shipped_kb):
    drafts = shipped_kb.eval.drafts
    assert len(drafts) >= 40
    for language in ("de", "en"):
        mine = [d for d in drafts if d.language == language]
        assert sum(not d.findings for d in mine) >= 10 and sum(bool(d.findings) for d in mine) >= 10
    assert any(d.attachments for d in drafts)


def test_every_label_names_a_shipped_rule_and_every_rule_is_labelled(report, shipped_kb):
    assert report.unknown_rules == []
    assert all(s.support >= 4 for s in report.scores), [(s.rule, s.support) for s in report.scores]


def test_precision_and_recall_per_rule_at_least_0_9(report):
    low = [(s.rule, s.precision, s.recall) for s in report.scores if (s.precision or 0) < 0.9 or (s.recall or 0) < 0.9]
    wrong = [(sorted(r.missed), sorted(r.spurious), r.case.text) for r in report.errors]
    assert low == [], wrong


def test_report_counts_per_rule(tmp_path):
    engine = make_engine(
        tmp_path,
        """\
        rules:
          - id: secret
            severity: block
            anchors: [a]
            description: {de: Geheim, en: Secret}
            words: [geheim~]
          - id: photo
            severity: warn
            anchors: [b]
            description: {de: Foto, en: Photo}
            attachments: [image]
        """,
    )
    drafts = [
        DraftCase(text="streng geheim", language="de", findings=["secret"]),  # TP
        DraftCase(text="geheime Zutat", language="de", findings=[]),  # FP
        DraftCase(text="top secret", language="en", findings=["secret"]),  # FN
        DraftCase(text="Bild", language="de", findings=["photo"], attachments=["image"]),
        DraftCase(text="x", language="en", findings=["nope"]),
    ]
    report = evaluate_drafts(engine, drafts)
    secret = report.score("secret")
    assert (secret.true_pos, secret.false_pos, secret.false_neg) == (1, 1, 1)
    assert secret.precision == 0.5 and secret.recall == 0.5
    assert report.score("photo").row() == ["photo", "warn", "1", "1", "0", "0", "1.000", "1.000"]
    assert report.unknown_rules == ["nope"]
    assert report.headers == ["rule", "severity", "drafts", "TP", "FP", "FN", "precision", "recall"]
    assert len(report.errors) == 3 and report.exact_match == 2 / 5
