"""Collapsing ranked passages into sections: a pure function of the ranking and the parameters."""

from __future__ import annotations

from collections.abc import Mapping

from bot.retrieval.hits import PassageHit, SectionHit
from bot.retrieval.params import FusionParams

SECOND_ANCHOR_FACTOR = 0.9  # an FAQ phrasing votes a little less for its entry's further sections


def collapse(
    ranked: list[PassageHit],
    params: FusionParams,
    faq_anchors: Mapping[str, list[str]],
    preambles: frozenset[str] = frozenset(),
) -> list[SectionHit]:
    """Sections ranked by their passages' scores: the best passage's score plus, with ``sum``,
    each further passage's score times ``sum_decay`` to the power of how many came before (with
    ``max`` only the best). FAQ phrasings vote for their entry's sections. Sections in
    ``preambles`` (a document's untitled top) are weighted by ``preamble_weight``."""
    sections: dict[str, SectionHit] = {}
    summed = params.section_agg == "sum"
    for h in ranked:
        anchors = faq_anchors.get(h.passage.faq_id or "", [h.passage.anchor]) if h.passage.kind == "faq" else None
        for i, anchor in enumerate(anchors or [h.passage.anchor]):
            score = h.score * (1.0 if i == 0 else SECOND_ANCHOR_FACTOR)
            section = sections.get(anchor)
            if section is None:
                sections[anchor] = SectionHit(anchor, score, [h])
                continue
            if summed:
                section.score += score * params.sum_decay ** len(section.hits)
            else:
                section.score = max(section.score, score)
            section.hits.append(h)
    for anchor in preambles & sections.keys():
        sections[anchor].score *= params.preamble_weight
    return sorted(sections.values(), key=lambda s: s.score, reverse=True)


def rerank_by_rules(
    sections: list[SectionHit], best_rule: Mapping[str, float], params: FusionParams
) -> list[SectionHit]:
    """The first ``rerank_depth`` sections re-ordered after adding ``rule_weight`` × the similarity
    of each one's best-matching rule unit (a sentence or list item); the rest keep their order."""
    if params.rule_weight == 0 or not best_rule:
        return sections
    head, tail = sections[: params.rerank_depth], sections[params.rerank_depth :]
    for section in head:
        section.score += params.rule_weight * best_rule.get(section.anchor, 0.0)
    return sorted(head, key=lambda s: s.score, reverse=True) + tail
