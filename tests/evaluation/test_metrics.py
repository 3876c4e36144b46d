"""The figures of an evaluation, on hand-made results: coverage, unsafe answers, off-topic
questions declined, and the risk–coverage curve with its area."""

from __future__ import annotations

import math

import pytest

from bot.answer import Answer, Citation
from bot.evaluation.metrics import CaseResult, aurc, metrics, risk_coverage
from bot.knowledge.models import EvalQuestion


def case(verdict: str | None, anchors=("a",), escalate: bool = False, language: str = "de") -> EvalQuestion:
    return EvalQuestion(question="q", language=language, anchors=list(anchors), verdict=verdict, escalate=escalate)


def answer(verdict: str, confidence: float, escalate: bool = False, cited=("a",), forced: bool = False) -> Answer:
    citations = [Citation("g.md", s, (s,), s, "quote", 1.0, "de") for s in cited]
    shown = "ask_team" if escalate else verdict
    return Answer("q", "de", shown, escalate, "", confidence, "", None, citations, candidate=verdict, forced=forced)


def result(c: EvalQuestion, a: Answer, rank: int | None = 0) -> CaseResult:
    return CaseResult(c, None, a, rank)


def test_coverage_counts_right_verdicts_with_right_citations_answered_alone():
    results = [
        result(case("allowed"), answer("allowed", 0.9)),  # right
        result(case("not_allowed"), answer("conditional", 0.9)),  # wrong verdict: unsafe
        result(case("conditional"), answer("conditional", 0.9, cited=("b",))),  # wrong citation: unsafe
        result(case("allowed"), answer("allowed", 0.3, escalate=True)),  # handed over: not covered, safe
    ]
    m = metrics(results)
    assert m.coverage == pytest.approx(1 / 4)
    assert m.unsafe == 2
    assert m.unsafe_rate == pytest.approx(2 / 4)


def test_a_team_question_answered_alone_is_unsafe_and_handed_over_is_not():
    team = case("ask_team", escalate=True)
    assert result(team, answer("allowed", 0.95)).unsafe
    assert not result(team, answer("allowed", 0.2, escalate=True)).unsafe


def test_off_topic_declined_unless_given_a_verdict():
    off = case(None, anchors=())
    declined = result(off, answer("ask_team", 0.0), rank=None)
    answered = result(off, answer("allowed", 0.9), rank=None)
    assert declined.off_topic and declined.declined and not declined.unsafe
    assert answered.unsafe
    m = metrics([declined, answered])
    assert m.off_topic_declined == pytest.approx(0.5)
    assert math.isnan(m.coverage)  # no question the text decides


def test_risk_coverage_follows_falling_confidence_and_skips_forced_hand_overs():
    results = [
        result(case("allowed"), answer("allowed", 0.9)),  # right
        result(case("allowed"), answer("not_allowed", 0.7, escalate=True)),  # wrong if answered
        result(case("allowed"), answer("allowed", 0.5, escalate=True)),  # right if answered
        result(case("ask_team", escalate=True), answer("allowed", 0.99, escalate=True, forced=True)),  # never answered
    ]
    curve = risk_coverage(results)
    assert [(p.coverage, round(p.risk, 3)) for p in curve] == [(0.25, 0.0), (0.5, 0.5), (0.75, 0.333)]
    assert [p.threshold for p in curve] == [0.9, 0.7, 0.5]
    assert aurc(curve) == pytest.approx(0.25 * (0 + 0.5 + 1 / 3))


def test_cross_language_needs_the_language_of_the_answering_text():
    asked_in_english = CaseResult(case("allowed", language="en"), None, answer("allowed", 1), 0, frozenset({"de"}))
    same = CaseResult(case("allowed", language="de"), None, answer("allowed", 1), 0, frozenset({"de", "en"}))
    assert asked_in_english.cross_language and not same.cross_language
