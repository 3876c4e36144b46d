"""Leave-one-knowledge-base-out tuning of the retrieval parameters: for each base in turn, choose
the parameters on all the others and measure them on the one left out. The mean of the held-out
figures is the number to quote; the figures of the bases a choice was made on are not.

Every question's candidates are searched once (all channels, all scores); each setting of the
grid only re-fuses and re-collapses them, which is cheap."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from bot.evaluation.bases import LoadedBase
from bot.question import prepare
from bot.retrieval import FusionParams, PassageHit
from bot.retrieval.fusion import fuse_all
from bot.retrieval.sections import collapse, rerank_by_rules

# The grid, each axis with why it is there. Values outside it were never better in any fold.
GRID: dict[str, tuple] = {
    "method": ("weighted", "rrf"),  # scores summed, or reciprocal ranks (rrf_k 60) summed
    "multilingual_weight": (0.0, 0.7, 1.0, 1.4),  # 0: the multilingual channel only proposes candidates
    "lexical_weight": (0.2, 0.3, 0.5),  # BM25 helps on names and compounds, hurts across languages
    "sum_decay": (0.3, 0.4, 0.5),  # how much a section's further passages add
    "preamble_weight": (0.8, 1.0),  # whether a document's untitled top section is held back
    "rule_weight": (0.0, 0.5, 1.0, 2.0),  # how much a section's best-matching rule sentence counts
}
# What the bot used before this tuning existed: the yardstick for "a choice that hurts a base".
BEFORE = FusionParams(multilingual_weight=0.0, lexical_weight=0.5, sum_decay=0.5, preamble_weight=1.0)
TOLERANCE = 0.0  # a setting may lower no base's R@1 or R@3 against BEFORE by more than this


@dataclass
class QuestionCandidates:
    """One labelled question's candidates from every channel, searched once."""

    anchors: frozenset[str]
    hits: list[PassageHit]
    best_rules: dict[str, float]


@dataclass
class BaseCandidates:
    name: str
    has_faq: bool
    questions: list[QuestionCandidates]
    faq_anchors: Mapping[str, list[str]]
    preambles: frozenset[str]


@dataclass(frozen=True)
class Recall:
    at_1: float
    at_3: float

    @property
    def score(self) -> float:
        """What tuning maximises: the right section first, and among the first three, equally."""
        return (self.at_1 + self.at_3) / 2


def gather(loaded: LoadedBase) -> BaseCandidates:
    """Search every labelled question (with anchors) of ``loaded`` once, in all channels."""
    retriever = loaded.answerer.retriever
    questions = []
    for case in loaded.questions:
        question = prepare(case.question)
        if not case.anchors or question.empty:
            continue
        hits, _, multilingual_vector = retriever.candidates(question)
        questions.append(QuestionCandidates(frozenset(case.anchors), hits, retriever.best_rules(multilingual_vector)))
    return BaseCandidates(loaded.base.name, loaded.has_faq, questions, retriever.faq_anchors, retriever.preambles)


def recall(base: BaseCandidates, params: FusionParams) -> Recall:
    """Recall@1 and @3 of the sections ``params`` rank for the base's questions."""
    at_1 = at_3 = 0
    for q in base.questions:
        sections = collapse(fuse_all(q.hits, "fused", params), params, base.faq_anchors, base.preambles)
        sections = rerank_by_rules(sections, q.best_rules, params)
        top = [s.anchor for s in sections[:3]]
        at_1 += bool(top[:1]) and top[0] in q.anchors
        at_3 += bool(q.anchors & set(top))
    n = len(base.questions) or 1
    return Recall(at_1 / n, at_3 / n)


def settings(grid: Mapping[str, Sequence], start: FusionParams = BEFORE) -> list[FusionParams]:
    """Every combination of the grid's values, on top of ``start``."""
    names = list(grid)
    return [replace(start, **dict(zip(names, values, strict=True))) for values in itertools.product(*grid.values())]


def choose(
    bases: list[BaseCandidates], candidates: list[FusionParams], table: Callable[[str, FusionParams], Recall]
) -> FusionParams:
    """The setting with the best mean score over ``bases`` among those that help without hurting:
    no base's R@1 or R@3 falls below its figure under BEFORE (BEFORE itself if none is better)."""
    before = {b.name: table(b.name, BEFORE) for b in bases}
    best, best_score = BEFORE, sum(r.score for r in before.values()) / len(bases)
    for params in candidates:
        results = {b.name: table(b.name, params) for b in bases}
        if any(hurts(results[name], before[name]) for name in results):
            continue
        mean = sum(r.score for r in results.values()) / len(bases)
        if mean > best_score + 1e-9:
            best, best_score = params, mean
    return best


def hurts(after: Recall, before: Recall) -> bool:
    return after.at_1 < before.at_1 - TOLERANCE or after.at_3 < before.at_3 - TOLERANCE


@dataclass
class Fold:
    held_out: str
    has_faq: bool
    chosen: FusionParams
    before: Recall
    after: Recall


@dataclass
class TuningReport:
    folds: list[Fold]
    final: FusionParams  # chosen on all bases: the defaults to ship

    def mean(self, faq_free: bool = True) -> tuple[Recall, Recall]:
        """(before, after) held-out recall averaged over the folds (of bases without FAQ)."""
        folds = [f for f in self.folds if not (faq_free and f.has_faq)]
        if not folds:
            return Recall(math.nan, math.nan), Recall(math.nan, math.nan)

        def avg(values: list[float]) -> float:
            return sum(values) / len(values)

        return (
            Recall(avg([f.before.at_1 for f in folds]), avg([f.before.at_3 for f in folds])),
            Recall(avg([f.after.at_1 for f in folds]), avg([f.after.at_3 for f in folds])),
        )


def describe(params: FusionParams) -> str:
    return ", ".join(f"{name} {getattr(params, name)}" for name in GRID)


def leave_one_out(bases: list[BaseCandidates], grid: Mapping[str, Sequence] = GRID) -> TuningReport:
    """For each base: choose on the others, measure on it. Then choose on all of them."""
    candidates = settings(grid)
    cache: dict[tuple[str, FusionParams], Recall] = {}
    by_name = {b.name: b for b in bases}

    def table(name: str, params: FusionParams) -> Recall:
        key = (name, params)
        if key not in cache:
            cache[key] = recall(by_name[name], params)
        return cache[key]

    folds = []
    for held_out in bases:
        others = [b for b in bases if b is not held_out]
        chosen = choose(others, candidates, table)
        folds.append(
            Fold(held_out.name, held_out.has_faq, chosen, table(held_out.name, BEFORE), table(held_out.name, chosen))
        )
    return TuningReport(folds, choose(bases, candidates, table))
