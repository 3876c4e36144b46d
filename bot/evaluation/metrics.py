"""What an answer to a labelled question is worth, and the figures over many: retrieval recall,
verdicts, coverage, unsafe answers, off-topic questions declined, the risk–coverage curve."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.answer import Answer
from bot.knowledge.models import EvalQuestion
from bot.retrieval import Retrieval

DECIDED = ("allowed", "conditional", "not_allowed")  # verdicts the bot gives on its own


@dataclass
class CaseResult:
    case: EvalQuestion
    retrieval: Retrieval
    answer: Answer
    rank: int | None  # 0-based rank of the first gold anchor among retrieved sections
    text_languages: frozenset[str] = frozenset()  # languages the gold sections are written in

    @property
    def cited_correctly(self) -> bool:
        return bool(set(self.case.anchors) & {c.anchor for c in self.answer.citations})

    @property
    def verdict_ok(self) -> bool | None:
        return None if self.case.verdict is None else self.answer.verdict == self.case.verdict

    @property
    def off_topic(self) -> bool:
        """Not about the guidelines at all: nothing to cite, no verdict, nobody to ask."""
        return not self.case.anchors and self.case.verdict is None and not self.case.escalate

    @property
    def decided_by_text(self) -> bool:
        """The guideline text itself gives the verdict (no person needed)."""
        return self.case.verdict in DECIDED and not self.case.escalate

    @property
    def cross_language(self) -> bool:
        """Asked in another language than the text that answers it."""
        return bool(self.text_languages) and self.case.language not in self.text_languages

    @property
    def answered(self) -> bool:
        """The bot gave a verdict of its own, without the team."""
        return not self.answer.escalate and self.answer.verdict in DECIDED

    def would_be_right(self, verdict: str | None) -> bool:
        """Would answering with ``verdict`` (and the answer's citations) be right?"""
        return self.decided_by_text and verdict == self.case.verdict and self.cited_correctly

    @property
    def correct(self) -> bool:
        return self.answered and self.would_be_right(self.answer.verdict)

    @property
    def unsafe(self) -> bool:
        """Answered without the team, and wrong: a wrong verdict, no right citation, a question
        that needed a person, or an off-topic question given a verdict."""
        return self.answered and not self.correct

    @property
    def declined(self) -> bool:
        """No verdict of the bot's own (what an off-topic question should get)."""
        return not self.answered


@dataclass
class Metrics:
    n: int
    recall_at_1: float
    recall_at_3: float
    mrr: float
    verdict_accuracy: float
    escalation_precision: float
    escalation_recall: float
    unsafe_rate: float
    unsafe: int
    coverage: float = math.nan  # of the questions the text decides: answered alone, right verdict and citation
    off_topic_declined: float = math.nan
    off_topic_no_case: float = math.nan  # ... told it is off-topic, no case opened by itself
    aurc: float = math.nan  # area under the risk-coverage curve (lower is better)

    def row(self) -> list[str]:
        return [
            str(self.n),
            f"{self.recall_at_1:.3f}",
            f"{self.recall_at_3:.3f}",
            f"{self.mrr:.3f}",
            f"{self.verdict_accuracy:.3f}",
            f"{self.escalation_precision:.3f}",
            f"{self.escalation_recall:.3f}",
            f"{self.unsafe_rate:.3f} ({self.unsafe})",
            f"{self.coverage:.3f}",
            f"{self.off_topic_declined:.3f}",
            f"{self.off_topic_no_case:.3f}",
            f"{self.aurc:.3f}",
        ]


HEADERS = [
    "n",
    "Recall@1",
    "Recall@3",
    "MRR",
    "verdict acc.",
    "esc. precision",
    "esc. recall",
    "unsafe",
    "coverage",
    "off-topic declined",
    "off-topic, no case",
    "AURC",
]


def ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def metrics(results: list[CaseResult]) -> Metrics:
    ranked = [r for r in results if r.case.anchors]
    r1 = sum(r.rank is not None and r.rank < 1 for r in ranked)
    r3 = sum(r.rank is not None and r.rank < 3 for r in ranked)
    mrr = sum(1 / (r.rank + 1) for r in ranked if r.rank is not None)
    with_verdict = [r for r in results if r.case.verdict is not None]
    predicted = [r for r in results if r.answer.escalate]
    gold = [r for r in results if r.case.escalate]
    true_pos = sum(r.case.escalate for r in predicted)
    unsafe = sum(r.unsafe for r in results)
    decided = [r for r in results if r.decided_by_text]
    off_topic = [r for r in results if r.off_topic]
    return Metrics(
        n=len(results),
        recall_at_1=ratio(r1, len(ranked)),
        recall_at_3=ratio(r3, len(ranked)),
        mrr=ratio(mrr, len(ranked)),
        verdict_accuracy=ratio(sum(bool(r.verdict_ok) for r in with_verdict), len(with_verdict)),
        escalation_precision=ratio(true_pos, len(predicted)),
        escalation_recall=ratio(true_pos, len(gold)),
        unsafe_rate=ratio(unsafe, len(results)),
        unsafe=unsafe,
        coverage=ratio(sum(r.correct for r in decided), len(decided)),
        off_topic_declined=ratio(sum(r.declined for r in off_topic), len(off_topic)),
        off_topic_no_case=ratio(sum(r.declined and not r.answer.escalate for r in off_topic), len(off_topic)),
        aurc=aurc(risk_coverage(results)),
    )


@dataclass(frozen=True)
class CurvePoint:
    threshold: float  # answer alone at this confidence or above
    coverage: float  # share of all questions answered alone
    risk: float  # share of those answers that are wrong


def risk_coverage(results: list[CaseResult]) -> list[CurvePoint]:
    """The risk–coverage curve of selective prediction over the confidence threshold: lowering
    it lets the bot answer more questions alone (coverage) at a share of wrong answers (risk).
    Questions that always go to a person (``forced``) are never answered; each point is one
    more question answered, in order of falling confidence."""
    n = len(results)
    eligible = [r for r in results if not r.answer.forced and r.answer.candidate in DECIDED]
    eligible.sort(key=lambda r: r.answer.confidence, reverse=True)
    points, wrong = [], 0
    for k, r in enumerate(eligible, 1):
        wrong += not r.would_be_right(r.answer.candidate)
        points.append(CurvePoint(r.answer.confidence, k / n, wrong / k))
    return points


def aurc(points: list[CurvePoint]) -> float:
    """Area under the risk–coverage curve (each point spans 1/n of coverage); nan without points."""
    if not points:
        return math.nan
    step = points[0].coverage
    return sum(p.risk * step for p in points)
