"""A verdict from the guideline text itself: the rule unit of the best section that matches the
question best, what its polarity says, and the evidence a calibrated model weighs (verdict
confidence lives in calibration.py). Pure: vectors and units in, a ``TextVerdict`` out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.knowledge.models import Verdict
from bot.rules.polarity import Polarity
from bot.rules.units import RuleUnit

# What a unit's polarity says about "may I?". A duty ("tag it as an ad") permits with a condition;
# information says nothing, so the bot does not decide from it.
POLARITY_VERDICT: dict[Polarity, Verdict | None] = {
    "prohibited": "not_allowed",
    "conditional": "conditional",
    "permitted": "allowed",
    "duty": "conditional",
    "information": None,
}
AGREEMENT_UNITS = 3  # the section's best units whose verdicts are compared with the best one's


@dataclass(frozen=True)
class TextVerdict:
    """The best-matching rule of the best section and the evidence for its verdict."""

    unit: RuleUnit
    verdict: Verdict | None  # None: the best rule is information, no verdict
    similarity: float  # cosine of the question and the unit (multilingual space)
    margin: float  # ... minus the best unit of the section with another verdict
    agreement: float  # share of the section's best units that give the same verdict
    overlap: float = 0.0  # share of the question's words in the unit

    @property
    def condition(self) -> str | None:
        return self.unit.condition


def text_verdict(
    anchor: str,
    question_vector: np.ndarray,
    units: Sequence[RuleUnit],
    unit_vectors: np.ndarray,
    unit_anchors: np.ndarray,
    overlap: Callable[[int], float] | None = None,
) -> TextVerdict | None:
    """The verdict the rules of section ``anchor`` give the question, or None without units.
    The best unit is the one nearest the question among those with a verdict (information only
    when the section has nothing else); ``overlap(row)``, the share of the question's
    words a unit contains, is kept as evidence. (Adding it to the match found more right
    verdicts overall but fewer on one base, so it does not choose.)"""
    rows = np.flatnonzero(unit_anchors == anchor)
    if not len(rows):
        return None
    similarities = unit_vectors[rows] @ np.atleast_2d(question_vector)[0]
    order = np.argsort(-similarities, kind="stable")
    ranked = [(float(similarities[i]), units[int(rows[i])]) for i in order]
    # The nearest unit that says something about "may I?"; a nearer piece of information (the
    # example or background beside the rule) does not decide, and is not quoted as the rule.
    position = next((k for k, (_, u) in enumerate(ranked) if POLARITY_VERDICT[u.polarity] is not None), 0)
    best_similarity, best = ranked[position]
    verdict = POLARITY_VERDICT[best.polarity]
    rival = max((s for s, u in ranked if POLARITY_VERDICT[u.polarity] != verdict), default=0.0)
    head = ranked[:AGREEMENT_UNITS]
    agreement = sum(POLARITY_VERDICT[u.polarity] == verdict for _, u in head) / len(head)
    best_overlap = overlap(int(rows[order[position]])) if overlap is not None else 0.0
    return TextVerdict(best, verdict, best_similarity, best_similarity - rival, agreement, best_overlap)
