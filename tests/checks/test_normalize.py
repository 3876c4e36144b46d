"""Invisible and look-alike characters do not hide a finding, and findings mark the draft as
written (issue 13, point 11)."""

from __future__ import annotations

import pytest

from bot.answer import judge_post
from bot.checks import generic_checks
from bot.checks.normalize import normalise
from bot.knowledge.routing import Routing
from bot.question import prepare

HIDDEN = [
    pytest.param("Bald startet Leucht\u200bturm!", "code-names", "Leucht\u200bturm", id="zero-width-space"),
    pytest.param("Das ist vertrau\u200blich.", "confidential-marker", "vertrau\u200blich", id="zwsp-marker"),
    pytest.param("Das ist vertrau\u00adlich.", "confidential-marker", "vertrau\u00adlich", id="soft-hyphen"),
    pytest.param("Polar\u2060stern kommt", "code-names", "Polar\u2060stern", id="word-joiner"),
    pytest.param("Das ist \u202evertraulich\u202c!", "confidential-marker", "vertraulich", id="bidi-override"),
    pytest.param("Ist vertr\u2066au\u2069lich!", "confidential-marker", "vertr\u2066au\u2069lich", id="bidi-isolate"),
    pytest.param("Kom\u200epass launcht", "code-names", "Kom\u200epass", id="left-to-right-mark"),
    pytest.param("Das ist ｖｅｒｔｒａｕｌｉｃｈ.", "confidential-marker", "ｖｅｒｔｒａｕｌｉｃｈ", id="full-width"),
    pytest.param("Ｌｅｕｃｈｔｔｕｒｍ ist fertig", "code-names", "Ｌｅｕｃｈｔｔｕｒｍ", id="full-width-name"),
    pytest.param("Umsatz lag bei 12\u00a0Mio.\u00a0Euro", "financial-figures", "12\u00a0Mio.\u00a0Euro", id="nbsp"),
    pytest.param("Der Ｕｍｓａｔｚ lag bei 12 %", "financial-figures", "Ｕｍｓａｔｚ", id="full-width-figure-word"),
]


@pytest.mark.parametrize(("draft", "rule", "written"), HIDDEN)
def test_hidden_characters_do_not_hide_a_finding_and_the_span_is_the_draft_as_written(engine, draft, rule, written):
    findings = [f for f in engine.check(draft) if f.rule_id == rule]
    assert written in [f.matched for f in findings], [f.matched for f in engine.check(draft)]
    for f in findings:
        assert draft[f.start : f.end] == f.matched
    found = next(f for f in findings if f.matched == written)
    assert found.start == draft.index(written)


def test_a_decomposed_umlaut_matches_like_a_composed_one():
    draft = "Die Ru\u0308ckrufaktion startet morgen"  # "ü" as u + combining diaeresis (macOS copy and paste)
    [finding] = generic_checks().check(draft)
    assert finding.rule_id == "crisis-topic" and finding.matched == "Ru\u0308ckrufaktion"


def test_a_judged_post_keeps_the_draft_as_written_and_its_spans_point_into_it():
    raw = "Intern: das bleibt vertrau\u200blich, Umsatz +15\u00a0%"
    answer = judge_post(prepare(raw), (), generic_checks(), Routing(environ={}))
    assert "\u200b" in answer.draft
    matched = {d.finding.matched for d in answer.findings}
    assert "vertrau\u200blich" in matched
    for d in answer.findings:
        assert answer.draft[d.finding.start : d.finding.end] == d.finding.matched


def test_normalise_maps_every_span_back_onto_the_original():
    original = "a\u200bｂ\u00adc\u0308 ﬁ"
    norm = normalise(original)
    assert norm.text == "abc\u0308 fi"  # c with a diaeresis has no composed form: the mark stays
    assert norm.span(0, 3) == (0, len("a\u200bｂ\u00adc\u0308"))
    assert norm.span(1, 2) == (2, 3)  # "ｂ"
    fi = norm.text.index("fi")
    assert norm.span(fi, fi + 2) == (len(original) - 1, len(original))  # the ligature is one character
    assert norm.span(fi + 1, fi + 2) == (len(original) - 1, len(original))


@pytest.mark.parametrize("plain", ["", "plain ASCII", "Geschäftsbericht für Q3 – 12 %"])
def test_text_without_anything_to_fold_is_read_as_it_is(plain):
    norm = normalise(plain)
    assert norm.text == plain and norm.starts is None and norm.span(0, len(plain)) == (0, len(plain))
