"""The verdict from the rules of a section, on hand-made units and vectors."""

from __future__ import annotations

import numpy as np

from bot.rules.units import RuleUnit
from bot.rules.verdict import text_verdict


def _unit(anchor: str, text: str, polarity: str, condition: str | None = None) -> RuleUnit:
    return RuleUnit(anchor, "de", "de/x.md", 1, None, text, polarity, condition)


UNITS = [
    _unit("photos", "Fotos vom Gelände sind erlaubt.", "permitted"),
    _unit("photos", "Kolleginnen nur mit ihrer Zustimmung zeigen.", "conditional", "nur mit ihrer Zustimmung"),
    _unit("photos", "Keine Fotos von Kindern.", "prohibited"),
    _unit("press", "Presseanfragen leitest du weiter.", "duty"),
]
VECTORS = np.eye(4, dtype=np.float32)
ANCHORS = np.array([u.anchor for u in UNITS])


def test_the_nearest_rule_of_the_section_gives_the_verdict_and_its_condition():
    question = np.array([0.2, 0.9, 0.1, 0.0], dtype=np.float32)
    found = text_verdict("photos", question, UNITS, VECTORS, ANCHORS)
    assert found.verdict == "conditional"
    assert found.condition == "nur mit ihrer Zustimmung"
    assert found.similarity == np.float32(0.9)
    assert abs(found.margin - 0.7) < 1e-6  # the best rule with another verdict is the permission at 0.2
    assert found.agreement == 1 / 3


def test_a_prohibition_gives_not_allowed_and_a_duty_conditional():
    assert text_verdict("photos", np.array([0, 0, 1, 0.0]), UNITS, VECTORS, ANCHORS).verdict == "not_allowed"
    assert text_verdict("press", np.array([0, 0, 0, 1.0]), UNITS, VECTORS, ANCHORS).verdict == "conditional"


def test_only_units_of_the_named_section_count():
    """The duty of another section is nearer, but the photos section answers."""
    question = np.array([0.1, 0.0, 0.0, 1.0], dtype=np.float32)
    assert text_verdict("photos", question, UNITS, VECTORS, ANCHORS).unit.polarity == "permitted"
    assert text_verdict("no-such-section", question, UNITS, VECTORS, ANCHORS) is None


def test_information_gives_no_verdict():
    units = [_unit("intro", "Diese Richtlinie gilt für alle.", "information")]
    found = text_verdict("intro", np.array([1.0]), units, np.ones((1, 1), np.float32), np.array(["intro"]))
    assert found.verdict is None


def test_overlap_is_kept_as_evidence_of_the_chosen_unit():
    question = np.array([0, 0, 1, 0.0], dtype=np.float32)
    found = text_verdict("photos", question, UNITS, VECTORS, ANCHORS, overlap=lambda row: row / 10)
    assert found.overlap == 0.2


def test_a_nearer_piece_of_information_does_not_decide_the_rule_beside_it_does():
    """'Auch geschwärzte Screenshots sind keine Ausnahme.' is nearest the question, but the
    prohibition beside it is the rule: it gives the verdict and is the unit quoted."""
    units = [
        _unit("screens", "Screenshots von Kundenchats postest du nicht.", "prohibited"),
        _unit("screens", "Das betrifft auch Chats aus dem Kundenportal.", "information"),
    ]
    vectors = np.eye(2, dtype=np.float32)
    found = text_verdict("screens", np.array([0.6, 0.8], np.float32), units, vectors, np.array(["screens"] * 2))
    assert found.verdict == "not_allowed" and found.unit is units[0]
    assert abs(found.similarity - 0.6) < 1e-6 and abs(found.margin - (0.6 - 0.8)) < 1e-6
