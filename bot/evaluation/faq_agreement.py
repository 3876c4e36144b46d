"""How much an FAQ verdict the guideline text agrees with may gain in confidence, chosen on half
the FAQ topics of a knowledge base and measured on the other half, both ways.

Only the shipped example has an FAQ, so this choice cannot be made leave-one-base-out; splitting
by topic at least measures it on questions about entries it was not chosen on.

    python -m bot.evaluation.faq_agreement [--knowledge knowledge]
"""

from __future__ import annotations

import argparse
import zlib
from dataclasses import replace
from pathlib import Path

from bot import config
from bot.answer import Answerer
from bot.evaluation.bases import Base, load_base
from bot.evaluation.metrics import CaseResult
from bot.evaluation.report import redecide, run
from bot.index.embedding import make_embedder, make_multilingual

BONUSES = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
MAX_EXTRA_WRONG = 0.01  # a bonus may add wrong answers up to this share of a fold's questions (unsafe < 2 %)


def outcome(results: list[CaseResult]) -> tuple[int, int]:
    """Questions answered without the team, and how many of those are wrong."""
    answered = [r for r in results if r.answered]
    return len(answered), sum(not r.correct for r in answered)


def fold_of(answerer: Answerer, result: CaseResult) -> int:
    """0 or 1 by the topic of the FAQ entry the question matched (-1: no entry)."""
    faq_id = result.answer.faq_id
    if faq_id is None:
        return -1
    entry = answerer.faq[faq_id]
    return zlib.crc32((entry.topic or entry.id).encode()) % 2


def choose(by_bonus: dict[float, list[CaseResult]]) -> float:
    """The bonus that answers most with at most MAX_EXTRA_WRONG more wrong answers than none."""
    _, wrong_before = outcome(by_bonus[0.0])
    allowed = wrong_before + MAX_EXTRA_WRONG * len(by_bonus[0.0])
    fitting = [b for b in BONUSES if outcome(by_bonus[b])[1] <= allowed]
    return max(fitting, key=lambda b: (outcome(by_bonus[b])[0], -b))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"))
    parser.add_argument("--work", type=Path, default=Path(".eval-index"))
    args = parser.parse_args(argv)
    embedder = make_embedder(config.model_name(None))
    loaded = load_base(
        Base(args.knowledge.name, args.knowledge),
        args.work,
        embedder,
        multilingual=make_multilingual(config.multilingual_name(None)),
    )
    answerer = loaded.answerer
    results = run(answerer, loaded.questions)
    by_bonus = {b: redecide(answerer, results, replace(answerer.params, faq_rule_agreement=b)) for b in BONUSES}
    folds = [fold_of(answerer, r) for r in by_bonus[0.0]]
    total_before, total_after = [0, 0], [0, 0]
    for held_out in (0, 1):
        train = {b: [r for r, f in zip(rs, folds, strict=True) if f == 1 - held_out] for b, rs in by_bonus.items()}
        test = {b: [r for r, f in zip(rs, folds, strict=True) if f == held_out] for b, rs in by_bonus.items()}
        chosen = choose(train)
        before, after = outcome(test[0.0]), outcome(test[chosen])
        total_before = [x + y for x, y in zip(total_before, before, strict=True)]
        total_after = [x + y for x, y in zip(total_after, after, strict=True)]
        print(
            f"held-out topics {held_out}: {len(test[0.0])} questions, bonus chosen on the others {chosen}: "
            f"answered alone {before[0]} ({before[1]} wrong) -> {after[0]} ({after[1]} wrong)"
        )
    print(
        f"both halves held out, of {len(results)} questions: answered alone {total_before[0]} "
        f"({total_before[1]} wrong) -> {total_after[0]} ({total_after[1]} wrong); "
        f"chosen on all: {choose(by_bonus)}"
    )


if __name__ == "__main__":
    main()
