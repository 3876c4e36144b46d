"""Answer latency and throughput against the floor (encoding the question alone).

python -m bench.ask
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.common import ROOT, SHIPPED, machine, median, multilingual, percentile, shipped_index, table, timed


def run(repeat: int = 1, index_dir: Path | None = None) -> dict:
    from bot.index.embedding import make_embedder
    from bot.knowledge import load_knowledge
    from bot.service import AnswerService

    questions = [q.question for q in load_knowledge(SHIPPED, environ={}).knowledge.eval.questions]
    embedder = make_embedder("all-MiniLM-L6-v2")
    second = multilingual()
    encoders = [embedder] + ([second] if second is not None else [])

    def encode(texts: list[str]) -> None:
        """The floor: the question through every encoder the answer needs, nothing else."""
        for encoder in encoders:
            encoder.embed_batch(texts)

    with shipped_index(embedder, index_dir) as index_dir:
        service = AnswerService(SHIPPED, index_dir, embedder, multilingual=second)
        service.warm_up()
        for q in questions[:10]:  # warm caches
            encode([q])
            service.answer(q)
        floor, total = [], []
        for _ in range(repeat):
            for q in questions:
                floor.append(timed(encode, [q])[0])
                total.append(timed(service.answer, q)[0])
        t = time.perf_counter()
        for q in questions:
            encode([q])
        floor_qps = len(questions) / (time.perf_counter() - t)
        seq_s, _ = timed(lambda: [service.answer(q) for q in questions])
        batch_s, _ = timed(service.answer_many, questions)
        t = time.perf_counter()
        encode(questions)
        floor_batch_qps = len(questions) / (time.perf_counter() - t)
    ms = 1000
    rows = [
        [
            "warm answer, per question",
            f"{median(total) * ms:.1f} ms",
            f"{percentile(total, 0.95) * ms:.1f} ms",
            f"{percentile(total, 0.99) * ms:.1f} ms",
        ],
        [
            "floor: encode the question alone",
            f"{median(floor) * ms:.1f} ms",
            f"{percentile(floor, 0.95) * ms:.1f} ms",
            f"{percentile(floor, 0.99) * ms:.1f} ms",
        ],
        [
            "ratio answer / floor",
            f"{median(total) / median(floor):.2f}×",
            f"{percentile(total, 0.95) / percentile(floor, 0.95):.2f}×",
            f"{percentile(total, 0.99) / percentile(floor, 0.99):.2f}×",
        ],
    ]
    print(f"Ask benchmark — {machine()}; {len(questions)} questions of knowledge/eval.yaml, model loaded, warm")
    print(table(["", "p50", "p95", "p99"], rows))
    print(
        table(
            ["throughput", "questions/s", "floor (encoding only)", "ratio"],
            [
                [
                    "one at a time (Slack, `ask`)",
                    f"{len(questions) / seq_s:.1f}",
                    f"{floor_qps:.1f}",
                    f"{(len(questions) / seq_s) / floor_qps:.2f}",
                ],
                [
                    "batched (`ask --json` from stdin)",
                    f"{len(questions) / batch_s:.1f}",
                    f"{floor_batch_qps:.1f}",
                    f"{(len(questions) / batch_s) / floor_batch_qps:.2f}",
                ],
            ],
        )
    )
    return {
        "p50_ms": median(total) * ms,
        "p95_ms": percentile(total, 0.95) * ms,
        "p99_ms": percentile(total, 0.99) * ms,
        "floor_p50_ms": median(floor) * ms,
        "floor_p95_ms": percentile(floor, 0.95) * ms,
        "floor_p99_ms": percentile(floor, 0.99) * ms,
        "qps_sequential": len(questions) / seq_s,
        "qps_floor": floor_qps,
        "qps_batched": len(questions) / batch_s,
        "qps_floor_batched": floor_batch_qps,
    }


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "ask.json").write_text(json.dumps(result, indent=1))
