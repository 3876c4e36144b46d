"""Why an answer went to the team, as a code; what the trace keeps of an answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.answer import Answer, Citation, DraftFinding
from bot.checks.engine import Finding
from bot.reporting.trace import REASONS, escalation_reason, trace

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def answer(**overrides) -> Answer:
    values = dict(
        question="Darf ich das posten?",
        language="de",
        verdict="conditional",
        escalate=False,
        reason="frei formuliert",
        confidence=0.8,
        answer="Ja, wenn …",
        route="social-media-team",
        topic="photos",
        faq_id="event-photos",
        candidate="conditional",
    )
    return Answer(**{**values, **overrides})


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({}, None),
        ({"escalate": True, "verdict": "ask_team", "candidate": "ask_team", "forced": True}, "faq_ask_team"),
        (
            {"escalate": True, "verdict": "ask_team", "candidate": "ask_team", "faq_id": None, "confidence": 0.0},
            "not_covered",
        ),
        ({"escalate": True, "verdict": "ask_team", "forced": True, "faq_id": None}, "topic"),
        ({"escalate": True, "verdict": "ask_team", "confidence": 0.3}, "low_confidence"),
    ],
)
def test_escalation_reason_codes(overrides, code):
    assert escalation_reason(answer(**overrides)) == code
    assert code is None or code in REASONS


def test_a_draft_check_that_asks_for_the_team_is_its_own_reason():
    finding = Finding("figures", "ask_team", (), 0, 5, "15 %", {"de": "Zahlen", "en": "Figures"})
    draft = DraftFinding(finding, None)
    escalated = answer(escalate=True, verdict="ask_team", candidate="conditional", forced=True, findings=[draft])
    assert escalation_reason(escalated) == "draft_check"


def test_the_trace_keeps_codes_and_anchors_not_text():
    cited = [
        Citation("a.md", "Fotos", ("Fotos",), "photos", "Zitat", 0.9, "de"),
        Citation("a.md", "Fotos", ("Fotos",), "photos", "Zitat 2", 0.8, "de"),
        Citation("a.md", "Einwilligung", ("Einwilligung",), "consent", "Zitat 3", 0.7, "de"),
    ]
    record = trace(answer(citations=cited), "q1", "shortcut", AT, 1234.6)
    assert record.anchors == ("photos", "consent") and record.latency_ms == 1234
    assert record.question_text is None and record.escalation_reason is None
    assert trace(answer(), "q1", "cli", AT, 5, question_text="Darf ich?").question_text == "Darf ich?"
