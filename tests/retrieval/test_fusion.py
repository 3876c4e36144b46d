"""Fusion and section collapse on small hand-made rankings: what each named parameter does."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.index.chunking import Passage
from bot.retrieval import FusionParams, PassageHit
from bot.retrieval.fusion import fuse, fuse_all, reciprocal_rank, weighted
from bot.retrieval.sections import collapse, rerank_by_rules

BASE = FusionParams(dense_weight=1.0, multilingual_weight=1.0, lexical_weight=0.5, faq_weight=1.0)


def passage(anchor: str, kind: str = "section", faq_id: str | None = None, n: int = 0) -> Passage:
    return Passage(
        id=f"{anchor}/{n}",
        kind=kind,
        anchor=anchor,
        language="de",
        source="g.md",
        heading_path=("G", anchor),
        title=anchor,
        text=f"text {n}",
        line=1,
        faq_id=faq_id,
    )


def hit(anchor: str, score: float = 0.0, n: int = 0, **channels) -> PassageHit:
    h = PassageHit(row=n, passage=passage(anchor, n=n), **channels)
    h.score = score
    return h


def test_weighted_sums_cosines_and_relative_bm25():
    h = hit("a", dense=0.5, multilingual=0.4, lexical=6.0)
    assert weighted(h, BASE, top_lexical=12.0) == pytest.approx(0.5 + 0.4 + 0.5 * 0.5)
    assert weighted(h, replace(BASE, multilingual_weight=0.0), 12.0) == pytest.approx(0.75)


def test_reciprocal_rank_adds_only_the_channels_that_ranked_the_hit():
    params = replace(BASE, method="rrf", rrf_k=10.0)
    both = hit("a", dense_rank=0, lexical_rank=2)
    dense_only = hit("b", dense_rank=0)
    assert reciprocal_rank(both, params) == pytest.approx(1 / 11 + 0.5 / 13)
    assert reciprocal_rank(dense_only, params) == pytest.approx(1 / 11)


def test_single_channel_modes_ignore_the_others():
    h = hit("a", dense=0.7, lexical=3.0, dense_rank=None)
    assert fuse(h, "dense", BASE, 3.0) == 0.0  # not found by the dense channel
    assert fuse(h, "lexical", BASE, 3.0) == 3.0


def test_faq_phrasings_are_weighted():
    h = PassageHit(row=0, passage=passage("a", kind="faq", faq_id="e1"), dense=0.8)
    assert fuse(h, "fused", replace(BASE, faq_weight=0.5), 1.0) == pytest.approx(0.4)


def test_fuse_all_ranks_best_first_and_a_lexical_match_can_overtake():
    near = hit("a", dense=0.6, multilingual=0.5, lexical=0.0, n=1)
    named = hit("b", dense=0.55, multilingual=0.5, lexical=8.0, n=2)
    assert [h.anchor for h in (x.passage for x in fuse_all([near, named], "fused", BASE))] == ["b", "a"]
    quiet = replace(BASE, lexical_weight=0.0)
    assert [x.passage.anchor for x in fuse_all([near, named], "fused", quiet)] == ["a", "b"]


def test_sum_collapse_lets_several_good_passages_beat_one_slightly_better():
    ranked = [hit("single", 1.0, n=1), hit("many", 0.9, n=2), hit("many", 0.8, n=3)]
    summed = collapse(ranked, replace(BASE, section_agg="sum", sum_decay=0.5), {})
    assert [s.anchor for s in summed] == ["many", "single"]
    assert summed[0].score == pytest.approx(0.9 + 0.8 * 0.5)
    maxed = collapse(ranked, replace(BASE, section_agg="max"), {})
    assert [s.anchor for s in maxed] == ["single", "many"]


def test_decay_zero_is_the_best_passage_alone():
    ranked = [hit("a", 0.6, n=1), hit("a", 0.5, n=2)]
    assert collapse(ranked, replace(BASE, sum_decay=0.0), {})[0].score == pytest.approx(0.6)


def test_preambles_are_held_back_by_their_weight():
    ranked = [hit("intro", 1.0, n=1), hit("rule", 0.9, n=2)]
    held = collapse(ranked, replace(BASE, preamble_weight=0.8), {}, preambles=frozenset({"intro"}))
    assert [s.anchor for s in held] == ["rule", "intro"]
    assert held[1].score == pytest.approx(0.8)
    same = collapse(ranked, replace(BASE, preamble_weight=1.0), {}, preambles=frozenset({"intro"}))
    assert [s.anchor for s in same] == ["intro", "rule"]


def test_an_faq_phrasing_votes_for_its_entry_s_sections():
    faq = PassageHit(row=5, passage=passage("e1", kind="faq", faq_id="e1"))
    faq.score = 1.0
    sections = collapse([faq], BASE, {"e1": ["photos", "consent"]})
    assert [(s.anchor, round(s.score, 2)) for s in sections] == [("photos", 1.0), ("consent", 0.9)]


def test_the_best_matching_rule_reorders_only_the_first_sections():
    ranked = [hit("general", 1.0, n=1), hit("photos", 0.95, n=2), hit("press", 0.9, n=3), hit("crisis", 0.5, n=4)]
    params = replace(BASE, rule_weight=1.0, rerank_depth=3)
    sections = collapse(ranked, params, {})
    best_rule = {"general": 0.2, "photos": 0.6, "press": 0.1, "crisis": 0.99}
    reranked = rerank_by_rules(sections, best_rule, params)
    assert [s.anchor for s in reranked] == ["photos", "general", "press", "crisis"]  # crisis: beyond the depth
    assert reranked[0].score == pytest.approx(0.95 + 0.6)
    unchanged = rerank_by_rules(collapse(ranked, BASE, {}), best_rule, replace(BASE, rule_weight=0.0))
    assert [s.anchor for s in unchanged] == ["general", "photos", "press", "crisis"]
