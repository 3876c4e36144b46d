"""Measure the draft checks against labelled drafts: precision and recall per rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.checks.engine import CheckEngine
from bot.knowledge.models import DraftCase


@dataclass
class DraftResult:
    """One labelled draft and the rules the engine reported for it."""

    case: DraftCase
    predicted: frozenset[str]

    @property
    def expected(self) -> frozenset[str]:
        return frozenset(self.case.findings)

    @property
    def correct(self) -> bool:
        return self.predicted == self.expected

    @property
    def missed(self) -> frozenset[str]:
        return self.expected - self.predicted

    @property
    def spurious(self) -> frozenset[str]:
        return self.predicted - self.expected


@dataclass
class RuleScore:
    """Counts for one rule over all drafts: a draft is a positive when its label names the rule."""

    rule: str
    severity: str
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0

    @property
    def support(self) -> int:
        return self.true_pos + self.false_neg

    @property
    def precision(self) -> float | None:
        flagged = self.true_pos + self.false_pos
        return self.true_pos / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        return self.true_pos / self.support if self.support else None

    def row(self) -> list[str]:
        return [
            self.rule,
            self.severity,
            str(self.support),
            str(self.true_pos),
            str(self.false_pos),
            str(self.false_neg),
            _fmt(self.precision),
            _fmt(self.recall),
        ]


HEADERS = ["rule", "severity", "drafts", "TP", "FP", "FN", "precision", "recall"]


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


@dataclass
class DraftReport:
    """Per-rule scores (rows in rule order), all results, and the drafts the engine got wrong."""

    scores: list[RuleScore]
    results: list[DraftResult]
    unknown_rules: list[str] = field(default_factory=list)  # labels naming no rule of the engine

    @property
    def headers(self) -> list[str]:
        return list(HEADERS)

    def rows(self) -> list[list[str]]:
        return [s.row() for s in self.scores]

    @property
    def errors(self) -> list[DraftResult]:
        return [r for r in self.results if not r.correct]

    @property
    def exact_match(self) -> float | None:
        return sum(r.correct for r in self.results) / len(self.results) if self.results else None

    def score(self, rule: str) -> RuleScore:
        return next(s for s in self.scores if s.rule == rule)


def evaluate_drafts(engine: CheckEngine, drafts: Iterable[DraftCase]) -> DraftReport:
    """Run every draft through ``engine`` and count, per rule, drafts flagged rightly or wrongly."""
    severities = {r.rule.id: r.rule.severity for r in engine.rules}
    scores = {rule_id: RuleScore(rule_id, severity) for rule_id, severity in severities.items()}
    results = []
    unknown: set[str] = set()
    for case in drafts:
        findings = engine.check(case.text, attachments=case.attachments, one_per_span=False)  # each rule on its own
        result = DraftResult(case, frozenset(f.rule_id for f in findings))
        results.append(result)
        unknown |= result.expected - scores.keys()
        for rule_id in result.expected | result.predicted:
            score = scores.get(rule_id)
            if score is None:
                continue
            if rule_id in result.expected and rule_id in result.predicted:
                score.true_pos += 1
            elif rule_id in result.predicted:
                score.false_pos += 1
            else:
                score.false_neg += 1
    return DraftReport(list(scores.values()), results, sorted(unknown))
