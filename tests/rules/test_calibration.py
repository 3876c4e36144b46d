"""The confidence model of text verdicts: probability, thresholds, the stored file."""

from __future__ import annotations

import json
import logging

import pytest

from bot.rules.calibration import (
    CALIBRATION_FILE,
    FEATURES,
    UNCALIBRATED,
    Calibration,
    Evidence,
    feature_vector,
    load_calibration,
)
from bot.rules.units import RuleUnit
from bot.rules.verdict import TextVerdict

EVIDENCE = Evidence(section_score=1.2, section_margin=0.3, top_multilingual=0.5, top_dense=0.6, lexical=True)


def _verdict(polarity: str, verdict: str | None) -> TextVerdict:
    unit = RuleUnit("a", "en", "en/x.md", 1, None, "text", polarity)
    return TextVerdict(unit, verdict, similarity=0.4, margin=0.1, agreement=1.0, overlap=0.5)


def test_the_feature_vector_follows_the_named_features():
    values = dict(zip(FEATURES, feature_vector(EVIDENCE, _verdict("prohibited", "not_allowed")), strict=True))
    assert values["section_margin"] == 0.3 and values["rule_overlap"] == 0.5 and values["lexical"] == 1.0
    assert values["prohibited"] == 1.0 and values["permitted"] == 0.0


def test_probability_is_logistic_and_zero_without_a_verdict():
    weights = tuple(1.0 if name == "rule_similarity" else 0.0 for name in FEATURES)
    model = Calibration(weights, 0.0, 0.5, 0.9)
    assert model.probability(EVIDENCE, _verdict("prohibited", "not_allowed")) == pytest.approx(0.5987, abs=1e-4)
    assert model.probability(EVIDENCE, _verdict("information", None)) == 0.0


def test_a_yes_needs_the_higher_threshold():
    model = Calibration(tuple(0.0 for _ in FEATURES), 0.0, 0.6, 0.8)
    assert model.threshold_for("allowed") == 0.8
    assert model.threshold_for("not_allowed") == 0.6
    assert Calibration(tuple(0.0 for _ in FEATURES), 0.0, 0.6, 0.5).threshold_for("allowed") == 0.6


def test_the_shipped_file_loads_and_round_trips():
    shipped = load_calibration()
    assert shipped is not UNCALIBRATED
    assert 0.0 < shipped.threshold <= shipped.threshold_for("allowed") < 1.0
    again = Calibration.from_json(json.loads(json.dumps(shipped.to_json())))
    assert again.weights == pytest.approx(shipped.weights) and again.threshold == pytest.approx(shipped.threshold)
    assert json.loads(CALIBRATION_FILE.read_text())["held_out_mean_without_faq"]["unsafe"] <= 0.03


def test_a_broken_file_sends_every_text_verdict_to_the_team_and_says_so(tmp_path, caplog):
    path = tmp_path / "calibration.json"
    path.write_text('{"features": ["other"], "weights": [1], "bias": 0, "threshold": 0.5}')
    with caplog.at_level(logging.ERROR):
        assert load_calibration(path) is UNCALIBRATED
    assert "calibrate" in caplog.text
    assert load_calibration(tmp_path / "missing.json") is UNCALIBRATED
    assert UNCALIBRATED.probability(EVIDENCE, _verdict("prohibited", "not_allowed")) < UNCALIBRATED.threshold
