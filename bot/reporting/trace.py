"""The trace of one answer (``AnswerRecord``), made from the core's ``Answer``. Why an answer
went to the team is a code, so the report can count it and no text is stored."""

from __future__ import annotations

from datetime import datetime

from bot.answer import Answer
from bot.store.answers import AnswerRecord

# Why an answer went to the team, most specific first.
REASONS = {
    "faq_ask_team": "the matching FAQ entry says the team decides",
    "not_covered": "the guidelines do not cover the question",
    "draft_check": "a draft check asks for the team",
    "topic": "the topic always goes to the team (routing.yaml)",
    "low_confidence": "the bot was not sure enough",
}


def escalation_reason(answer: Answer) -> str | None:
    """The code of ``REASONS`` for an escalated answer; None for one the bot gave itself."""
    if not answer.escalate:
        return None
    if answer.faq_id and answer.candidate == "ask_team":
        return "faq_ask_team"
    if any(f.finding.severity == "ask_team" for f in answer.findings):
        return "draft_check"
    if answer.candidate == "ask_team":
        return "not_covered"
    return "topic" if answer.forced else "low_confidence"


def trace(
    answer: Answer,
    question_id: str,
    surface: str,
    answered_at: datetime,
    latency_ms: int,
    question_text: str | None = None,
) -> AnswerRecord:
    """What the store keeps of ``answer``; pass ``question_text`` only when it may be stored."""
    return AnswerRecord(
        id=question_id,
        answered_at=answered_at,
        surface=surface,
        language=answer.language,
        verdict=answer.verdict,
        confidence=float(answer.confidence),
        escalated=answer.escalate,
        escalation_reason=escalation_reason(answer),
        topic=answer.topic,
        faq_id=answer.faq_id,
        anchors=tuple(dict.fromkeys(c.anchor for c in answer.citations)),
        latency_ms=max(0, int(latency_ms)),
        question_text=question_text,
    )
