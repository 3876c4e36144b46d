"""Leave-one-base-out choice on hand-made recall tables: the best mean wins, but never at the
cost of a base, and each fold is chosen without the base it is measured on."""

from __future__ import annotations

from dataclasses import replace

from bot.evaluation.tuning import BEFORE, BaseCandidates, Recall, choose

GOOD = replace(BEFORE, multilingual_weight=1.0)
GREEDY = replace(BEFORE, multilingual_weight=1.4)


def bases(*names: str) -> list[BaseCandidates]:
    return [BaseCandidates(n, False, [], {}, frozenset()) for n in names]


def table_of(values: dict[tuple[str, object], Recall]):
    return lambda name, params: values[(name, params)]


def test_the_best_mean_wins_when_no_base_loses():
    values = {
        ("a", BEFORE): Recall(0.5, 0.8),
        ("b", BEFORE): Recall(0.6, 0.8),
        ("a", GOOD): Recall(0.6, 0.9),
        ("b", GOOD): Recall(0.6, 0.85),
        ("a", GREEDY): Recall(0.9, 0.95),
        ("b", GREEDY): Recall(0.55, 0.8),  # b loses R@1: not chosen, however good the mean
    }
    assert choose(bases("a", "b"), [GOOD, GREEDY], table_of(values)) == GOOD


def test_nothing_better_keeps_before():
    values = {("a", BEFORE): Recall(0.5, 0.8), ("a", GOOD): Recall(0.5, 0.8)}
    assert choose(bases("a"), [GOOD], table_of(values)) == BEFORE
