"""How sure a verdict from the guideline text is: one logistic model of "this answer is right"
(right verdict and a right citation), fitted across knowledge bases by `guidelines-bot
calibrate`, and the threshold above which the bot answers alone. Stored in calibration.json."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

from bot.rules.verdict import TextVerdict

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
log = logging.getLogger(__name__)
# The evidence the model weighs, each with why it may matter.
FEATURES: tuple[str, ...] = (
    "section_score",  # the best section's fused retrieval score: is it about this at all
    "section_margin",  # ... minus the second's: is it clearly this section
    "rule_similarity",  # the best rule sentence's cosine to the question
    "rule_margin",  # ... minus the best rule of the section with another verdict
    "rule_agreement",  # the section's best rules give the same verdict
    "rule_overlap",  # share of the question's words in the best rule (names, compounds)
    "top_multilingual",  # the best passage's cosine in the multilingual space
    "top_dense",  # ... and in the configured model's space
    "lexical",  # the question shares words with the text (1) or not (0)
    "prohibited",  # the best rule's polarity, one-hot: a "no" is read more reliably than a "yes"
    "conditional",
    "permitted",
    "duty",
)


@dataclass(frozen=True)
class Evidence:
    """The numbers retrieval gives about a text verdict, besides the verdict itself."""

    section_score: float
    section_margin: float
    top_multilingual: float
    top_dense: float
    lexical: bool


def feature_vector(evidence: Evidence, verdict: TextVerdict) -> list[float]:
    polarity = verdict.unit.polarity
    values = {
        "section_score": evidence.section_score,
        "section_margin": evidence.section_margin,
        "rule_similarity": verdict.similarity,
        "rule_margin": verdict.margin,
        "rule_agreement": verdict.agreement,
        "rule_overlap": verdict.overlap,
        "top_multilingual": evidence.top_multilingual,
        "top_dense": evidence.top_dense,
        "lexical": float(evidence.lexical),
        **{p: float(polarity == p) for p in ("prohibited", "conditional", "permitted", "duty")},
    }
    return [values[name] for name in FEATURES]


@dataclass(frozen=True)
class Calibration:
    """A logistic model over ``FEATURES`` and the probability above which the bot answers alone."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    allowed_threshold: float = 1.0  # a "yes" needs more: a wrong "yes" is the worst answer
    notes: dict = field(default_factory=dict)  # how it was fitted: bases, target, held-out figures

    def threshold_for(self, verdict: str | None) -> float:
        """The probability a text verdict needs before the bot gives it alone."""
        return max(self.threshold, self.allowed_threshold) if verdict == "allowed" else self.threshold

    def probability(self, evidence: Evidence, verdict: TextVerdict) -> float:
        """P(the text verdict and its citation are right); 0 when the rule gives no verdict."""
        if verdict.verdict is None:
            return 0.0
        return self.probability_of(feature_vector(evidence, verdict))

    def probability_of(self, features) -> float:
        """The model's probability for one row of ``FEATURES`` values."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict:
        return {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 4),
            "allowed_threshold": round(self.allowed_threshold, 4),
            **self.notes,
        }

    @classmethod
    def from_json(cls, data: dict) -> Calibration:
        if tuple(data.get("features", ())) != FEATURES:
            raise ValueError("calibration.json was fitted on other features: run guidelines-bot calibrate --write")
        known = ("features", "weights", "bias", "threshold", "allowed_threshold")
        notes = {k: v for k, v in data.items() if k not in known}
        weights = tuple(float(w) for w in data["weights"])
        return cls(weights, float(data["bias"]), float(data["threshold"]), float(data["allowed_threshold"]), notes)


# Before any fitting: never confident, so every text verdict goes to the team.
UNCALIBRATED = Calibration(tuple(0.0 for _ in FEATURES), -10.0, 1.0, 1.0)


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """The shipped calibration, or ``UNCALIBRATED`` (every text verdict goes to the team) when
    there is none or it cannot be read, which the log says loudly."""
    if not path.is_file():
        return UNCALIBRATED
    try:
        return Calibration.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.error(
            "cannot read %s (%s): verdicts from the guideline text all go to the team until "
            "`guidelines-bot calibrate --bases eval/bases.yaml --write` rewrites it",
            path,
            exc,
        )
        return UNCALIBRATED
