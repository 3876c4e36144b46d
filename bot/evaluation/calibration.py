"""Fitting the confidence of verdicts from the guideline text (bot/rules/calibration.py) across
knowledge bases, leave-one-base-out: for each base, fit the model and choose the threshold on the
others (the lowest at which they stay under the unsafe target), and measure coverage and unsafe
answers on the one left out. The mean of those is the number to quote."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bot.evaluation.bases import LoadedBase
from bot.knowledge.models import Verdict
from bot.question import prepare
from bot.rules.calibration import Calibration, feature_vector

DECIDED = ("allowed", "conditional", "not_allowed")
TARGET_UNSAFE = 0.03  # at most this share of a base's questions answered alone and wrongly
REGULARISATION = 1.0  # sklearn's C: the model has few cases per base; keep its weights modest


@dataclass(frozen=True)
class TextCase:
    """One labelled question that the bot would answer from the text (no FAQ entry matched)."""

    base: str
    features: tuple[float, ...]
    verdict: Verdict | None  # what the rules say (None: the best rule is information)
    right: bool  # answering with it, and the answer's citations, would be right


@dataclass
class BaseCases:
    name: str
    has_faq: bool
    questions: int  # all the base's questions (the unsafe rate's denominator)
    decided: int  # those the text decides (coverage's denominator)
    cases: list[TextCase]


def gather_text_cases(loaded: LoadedBase) -> BaseCases:
    """Answer every labelled question of ``loaded`` and keep those answered from the text."""
    answerer = loaded.answerer
    cases, questions, decided = [], 0, 0
    for case in loaded.questions:
        question = prepare(case.question)
        if question.empty:
            continue
        questions += 1
        is_decided = case.verdict in DECIDED and not case.escalate
        decided += is_decided
        retrieval = answerer.retriever.search(question)
        found = answerer.text_evidence(retrieval)
        if answerer.faq_match(retrieval) is not None or found is None:
            continue  # an FAQ entry answers it (or declines it): the text verdict is never used
        evidence, rule = found
        cites = answerer.text_citations(retrieval, rule, question.language)
        cited = bool(set(case.anchors) & {c.anchor for c in cites})
        right = is_decided and rule.verdict == case.verdict and cited
        cases.append(TextCase(loaded.base.name, tuple(feature_vector(evidence, rule)), rule.verdict, right))
    return BaseCases(loaded.base.name, loaded.has_faq, questions, decided, cases)


def fit(bases: Sequence[BaseCases], target: float = TARGET_UNSAFE) -> Calibration:
    """The logistic model on the cases of ``bases`` and the lowest threshold at which no base
    answers more than ``target`` of its questions wrongly."""
    from sklearn.linear_model import LogisticRegression  # only fitting needs it, never answering

    cases = [c for b in bases for c in b.cases if c.verdict is not None]
    x = np.array([c.features for c in cases], dtype=float)
    y = np.array([c.right for c in cases], dtype=int)
    if len(set(y.tolist())) < 2:
        raise ValueError("calibration needs right and wrong text verdicts among the labelled questions")
    model = LogisticRegression(C=REGULARISATION, max_iter=2000).fit(x, y)
    weights, bias = tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0])
    chosen = Calibration(weights, bias, 1.0, 1.0)
    probabilities = sorted({chosen.probability_of(row) for row in x.tolist()}, reverse=True)
    for t in probabilities:  # the lowest threshold that keeps every base under the target
        if max(measure(b, replace(chosen, threshold=t, allowed_threshold=t)).unsafe for b in bases) > target:
            break
        chosen = replace(chosen, threshold=t, allowed_threshold=t)
    for t in probabilities:  # ... and for "yes", the lowest at which no base gets a wrong one
        if t < chosen.threshold:
            break
        if any(measure(b, replace(chosen, allowed_threshold=t)).wrong_allowed for b in bases):
            break
        chosen = replace(chosen, allowed_threshold=t)
    return chosen


@dataclass(frozen=True)
class HeldOut:
    name: str
    has_faq: bool
    coverage: float  # of the questions the text decides: answered alone, right verdict and citation
    unsafe: float  # of all its questions: answered alone and wrong
    answered: int
    threshold: float
    wrong_allowed: int = 0  # answered "yes" alone, wrongly


def measure(base: BaseCases, calibration: Calibration) -> HeldOut:
    """Coverage and unsafe rate of ``base`` answered with ``calibration``."""
    right = wrong = wrong_allowed = 0
    for case in base.cases:
        if case.verdict is None:
            continue
        if calibration.probability_of(case.features) >= calibration.threshold_for(case.verdict):
            right += case.right
            wrong += not case.right
            wrong_allowed += not case.right and case.verdict == "allowed"
    return HeldOut(
        base.name,
        base.has_faq,
        right / base.decided if base.decided else float("nan"),
        wrong / base.questions if base.questions else float("nan"),
        right + wrong,
        calibration.threshold,
        wrong_allowed,
    )


def leave_one_out(bases: Sequence[BaseCases], target: float = TARGET_UNSAFE) -> list[HeldOut]:
    """Each base measured with the model fitted on all the others."""
    return [measure(b, fit([o for o in bases if o is not b], target)) for b in bases]
