"""Floors on the probes of the off-topic decision (eval/probes/*.yaml): questions about what an
employee may say, show or hand on, many without a platform word, must rarely be declined as not
about the guidelines; everyday workplace questions should be, without a case. Measured on the
shipped knowledge: on-topic declined 2 of 76, off-topic declined 38 of 42 (the code before the
check: about a quarter of the on-topic ones declined on the bases without FAQ)."""

from __future__ import annotations

from pathlib import Path

import yaml

PROBES = sorted(Path(__file__).resolve().parents[2].joinpath("eval", "probes").glob("off-topic*.yaml"))


def _declined(answer) -> bool:
    return answer.verdict is None and not answer.escalate


def test_the_probes_are_rarely_taken_for_off_topic_and_everyday_questions_open_no_case(shipped_service):
    questions = [q for path in PROBES for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
    answers = shipped_service.answer_many([q["question"] for q in questions])
    on = [a for q, a in zip(questions, answers, strict=True) if q["about_guidelines"]]
    off = [a for q, a in zip(questions, answers, strict=True) if not q["about_guidelines"]]
    assert (len(on), len(off)) == (76, 42)
    assert sum(map(_declined, on)) <= 4
    assert sum(map(_declined, off)) >= 34
    assert all(a.verdict in (None, "ask_team") for a in off)  # never a verdict of the bot's own
