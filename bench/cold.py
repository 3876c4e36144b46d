"""Cold start to the first answer in a new process, split into its parts, and the serving
process's peak memory.

    python -m bench.cold [INDEX_DIR]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, SHIPPED, machine, multilingual, table

_PROBE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from bot.service import AnswerService
from bot import config
from bot.index.embedding import make_embedder, make_multilingual
t_import = time.perf_counter()
embedder = make_embedder("all-MiniLM-L6-v2")
service = AnswerService(sys.argv[1], sys.argv[2], embedder,
                        multilingual=make_multilingual(config.multilingual_name()))
t_index = time.perf_counter()
embedder.model  # the sentence-transformers model (torch, transformers, weights)
t_model = time.perf_counter()
service.answer("Darf ich Fotos von der Weihnachtsfeier posten?")
t_first = time.perf_counter()
questions = [l for l in sys.stdin.read().splitlines() if l.strip()]
for q in questions:
    service.answer(q)
print(json.dumps({"import_s": t_import - t0, "index_s": t_index - t_import, "model_s": t_model - t_index,
                  "first_answer_s": t_first - t_model, "total_s": t_first - t0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "answered": len(questions) + 1}))
"""


def run(index_dir: Path | None = None, runs: int = 3) -> dict:
    from bot.index.build import reindex
    from bot.index.embedding import make_embedder
    from bot.knowledge import load_knowledge

    questions = "\n".join(
        q.question.replace("\n", " ") for q in load_knowledge(SHIPPED, environ={}).knowledge.eval.questions
    )
    with tempfile.TemporaryDirectory() as tmp:
        if index_dir is None:
            index_dir = Path(tmp) / "index"
            reindex(SHIPPED, index_dir, make_embedder("all-MiniLM-L6-v2"), multilingual=multilingual())
        env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT))
        wall = []
        for _ in range(runs):
            import time

            t = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", _PROBE, str(SHIPPED), str(index_dir)],
                input=questions,
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            wall.append(time.perf_counter() - t)
            result = json.loads(out.stdout.strip().splitlines()[-1])
    total = result["total_s"]
    rows = [
        [part, f"{result[key]:.2f} s", f"{100 * result[key] / total:.0f}%"]
        for part, key in (
            ("import Python modules (bot, numpy, faiss, bm25s)", "import_s"),
            ("load the index (FAISS, BM25, knowledge snapshot, model fingerprint)", "index_s"),
            ("load the model (torch, transformers, weights)", "model_s"),
            ("first answer", "first_answer_s"),
        )
    ]
    rows.append(["cold start to the first answer (in-process)", f"{total:.2f} s", "100%"])
    print(
        f"Cold start — {machine()}; last of {runs} runs; whole process incl. interpreter start {min(wall):.2f} s (best)"
    )
    print(table(["part", "time", "share"], rows))
    print(
        f"peak memory (RSS) of the serving process after {result['answered']} answers: {result['peak_rss_mb']:.0f} MB"
    )
    result["process_wall_s"] = min(wall)
    return result


if __name__ == "__main__":
    out = run(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "cold.json").write_text(json.dumps(out, indent=1))
