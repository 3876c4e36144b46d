"""Reindex benchmark: full and incremental builds of the shipped and a 5,000-passage knowledge base.

    python -m bench.reindex

In-process with the model loaded once, as the running bot reindexes (admin command); the cold
command line run (Python start, imports, model load) is measured separately.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, copy_shipped, machine, multilingual, synthetic_knowledge, table, timed


def _edit_one_section(root: Path) -> None:
    for path in sorted((root / "guidelines").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        marker = "\n## "
        first = text.find(marker)
        second = text.find(marker, first + 1)
        if first >= 0 and second > 0:
            path.write_text(
                text[:second] + "\nOne more sentence about this rule, added for the benchmark.\n" + text[second:],
                encoding="utf-8",
            )
            return
    raise RuntimeError("no section to edit")


def _encoder_seconds(report) -> float:
    return report.seconds.get("embed", 0) + report.seconds.get("embed_multilingual", 0)


def measure(name: str, root: Path, embedder, second=None) -> list[list[object]]:
    from bot.index.build import reindex

    index_dir = root.parent / f"{root.name}-index"
    full_s, full = timed(reindex, root, index_dir, embedder, multilingual=second)
    _edit_one_section(root)
    inc_s, inc = timed(reindex, root, index_dir, embedder, multilingual=second)
    encoder_share = _encoder_seconds(full) / full_s
    return [
        [
            name,
            "full",
            full.counts["passages"],
            full.embedded,
            f"{full_s:.2f}",
            f"{_encoder_seconds(full):.2f}",
            f"{100 * encoder_share:.1f}%",
            "100%",
        ],
        [
            name,
            "incremental (1 section edited)",
            inc.counts["passages"],
            inc.embedded,
            f"{inc_s:.3f}",
            f"{_encoder_seconds(inc):.3f}",
            f"{100 * _encoder_seconds(inc) / inc_s:.1f}%",
            f"{100 * inc_s / full_s:.1f}%",
        ],
    ]


def cold_cli(root: Path) -> tuple[float, float]:
    """Whole-command wall time of `guidelines-bot reindex` after one more edit (cold process)."""
    index_dir = root.parent / f"{root.name}-index"
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    cmd = [sys.executable, "-m", "bot", "reindex", "--knowledge", str(root), "--index", str(index_dir), "--json"]
    noop_s, _ = timed(subprocess.run, cmd, check=True, capture_output=True, env=env, cwd=ROOT)
    _edit_one_section(root)
    edit_s, _ = timed(subprocess.run, cmd, check=True, capture_output=True, env=env, cwd=ROOT)
    return noop_s, edit_s


def run(synthetic_passages: int = 5000) -> dict:
    from bot.index.embedding import make_embedder

    embedder = make_embedder("all-MiniLM-L6-v2")
    second = multilingual()
    load_s, _ = timed(embedder.embed_batch, ["load"])
    if second is not None:
        load_s += timed(second.embed_batch, ["load"])[0]
    rows: list[list[object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        shipped = copy_shipped(Path(tmp) / "shipped")
        rows += measure("shipped knowledge", shipped, embedder, second)
        synthetic = synthetic_knowledge(Path(tmp) / "synthetic", synthetic_passages)
        rows += measure(f"synthetic {synthetic_passages}", synthetic, embedder, second)
        noop_s, edit_s = cold_cli(shipped)
    headers = ["knowledge", "build", "passages", "embedded", "total s", "encoder s", "in encoder", "of full"]
    channels = "all-MiniLM-L6-v2" + (f" + {second.name}" if second is not None else "")
    print(f"Reindex benchmark — {machine()}; encoders {channels} loaded once ({load_s:.1f}s)")
    print(table(headers, rows))
    print(
        f"cold command line (`guidelines-bot reindex`, new Python process): nothing changed {noop_s:.1f}s, "
        f"one section edited {edit_s:.1f}s (Python start + imports + model load dominate)"
    )
    return {
        "rows": [dict(zip(headers, r, strict=True)) for r in rows],
        "model_load_s": load_s,
        "cli_noop_s": noop_s,
        "cli_one_edit_s": edit_s,
    }


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "reindex.json").write_text(json.dumps(result, indent=1))
