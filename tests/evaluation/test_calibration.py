"""Fitting the text-verdict confidence leave-one-base-out, on hand-made cases."""

from __future__ import annotations

import random

from bot.evaluation.calibration import BaseCases, TextCase, fit, leave_one_out, measure
from bot.rules.calibration import FEATURES

SIMILARITY = FEATURES.index("rule_similarity")


def _case(base: str, similarity: float, right: bool, verdict: str = "not_allowed") -> TextCase:
    features = [0.0] * len(FEATURES)
    features[SIMILARITY] = similarity
    return TextCase(base, tuple(features), verdict, right)


def _base(name: str, seed: int) -> BaseCases:
    """Right answers have high similarity, wrong ones low, with some overlap."""
    rng = random.Random(seed)
    cases = [_case(name, rng.uniform(0.5, 1.0), True) for _ in range(20)]
    cases += [_case(name, rng.uniform(0.0, 0.6), False) for _ in range(20)]
    cases += [_case(name, 0.95, False, verdict="allowed")]  # a confident wrong "yes"
    return BaseCases(name, False, questions=50, decided=30, cases=cases)


def test_the_threshold_keeps_every_base_under_the_target():
    bases = [_base(f"b{i}", i) for i in range(4)]
    model = fit(bases, target=0.03)
    assert model.weights[SIMILARITY] > 0
    for base in bases:
        held = measure(base, model)
        assert held.unsafe <= 0.03 + 1e-9
        assert held.coverage > 0.2
        assert held.wrong_allowed == 0  # the "yes" threshold sits above the confident wrong yes


def test_leave_one_out_measures_each_base_with_a_model_fitted_on_the_others():
    bases = [_base(f"b{i}", i) for i in range(4)]
    folds = leave_one_out(bases, target=0.03)
    assert [f.name for f in folds] == ["b0", "b1", "b2", "b3"]
    assert all(0 <= f.unsafe <= 0.1 and f.coverage > 0 for f in folds)
