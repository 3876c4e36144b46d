"""Draft-check benchmark: time to check a 40,000-character draft (Slack's message limit).

    python -m bench.checks [repetitions]

The shipped rules (knowledge/checks.yaml) are compiled once, as the running bot does; each draft
is then checked ``repetitions`` times. Drafts: labelled drafts from knowledge/eval.yaml glued
together (many findings), only the clean ones (few findings), and hostile inputs (one 40,000-
character word, digit runs, comma runs) that would make careless patterns backtrack.
"""

from __future__ import annotations

import random
import sys
import time

from bench.common import SHIPPED, machine, median, percentile, table

SIZE = 40_000


def _glue(texts: list[str], seed: int = 7) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    length = 0
    while length < SIZE:
        text = rng.choice(texts)
        out.append(text)
        length += len(text) + 1
    return " ".join(out)[:SIZE]


def drafts() -> dict[str, str]:
    from bot.knowledge import load_knowledge

    cases = load_knowledge(SHIPPED, environ={}).knowledge.eval.drafts
    return {
        "labelled drafts, mixed": _glue([c.text for c in cases]),
        "clean drafts only": _glue([c.text for c in cases if not c.findings]),
        "hostile: one long word": "a" * SIZE,
        "hostile: digit groups": ("0171 " * (SIZE // 5))[:SIZE],
        "hostile: comma runs": ("a," * (SIZE // 2))[:SIZE],
        "hostile: dotted host": ("a." * (SIZE // 2 - 8)) + "intern x",
    }


def run(repetitions: int = 50) -> dict:
    from bot.checks import read_checks

    started = time.perf_counter()
    engine = read_checks(SHIPPED / "checks.yaml")
    load_s = time.perf_counter() - started
    rows, results = [], {}
    for name, text in drafts().items():
        engine.check(text)  # warm-up: fills the token cache as a long-running bot has it
        seconds = []
        for _ in range(repetitions):
            t = time.perf_counter()
            findings = engine.check(text)
            seconds.append(time.perf_counter() - t)
        cold = read_checks(SHIPPED / "checks.yaml")
        t = time.perf_counter()
        cold.check(text)
        cold_ms = 1000 * (time.perf_counter() - t)
        incomplete = sum(f.kind == "incomplete" for f in findings)
        p50, p95 = 1000 * median(seconds), 1000 * percentile(seconds, 0.95)
        rows.append(
            [
                name,
                len(text),
                len(findings),
                incomplete,
                f"{p50:.1f}",
                f"{p95:.1f}",
                f"{1000 * max(seconds):.1f}",
                f"{cold_ms:.1f}",
            ]
        )
        results[name] = {
            "chars": len(text),
            "findings": len(findings),
            "incomplete": incomplete,
            "p50_ms": p50,
            "p95_ms": p95,
            "max_ms": 1000 * max(seconds),
            "first_check_ms": cold_ms,
        }
    print(
        f"Draft-check benchmark — {machine()}; {len(engine)} rules compiled in {1000 * load_s:.0f} ms; "
        f"{repetitions} repetitions per draft"
    )
    print(table(["draft", "chars", "findings", "timed out", "p50 ms", "p95 ms", "max ms", "first check ms"], rows))
    return {"rules": len(engine), "load_ms": 1000 * load_s, "drafts": results}


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
