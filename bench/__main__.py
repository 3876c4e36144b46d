"""All the benchmarks in one run, and one summary table of what they measured.

    python -m bench                              # everything (about 15 minutes on 2 cores)
    python -m bench --quick                      # smaller sizes and shorter load runs (about 4 minutes)
    python -m bench --skip load,reindex          # leave parts out
    python -m bench --markdown docs/table.md     # also write the summary table as Markdown

Each part prints its own detailed table as it goes; the summary comes last. The load test needs
PostgreSQL (GUIDELINES_BOT_BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test);
without it, its rows say why. A part that fails gives a row that says so; the others still run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench.common import ROOT, machine, machine_busy_seconds, machine_details, own_cpu_seconds, table

PARTS = ("cold", "ask", "reindex", "search", "compare", "checks", "load")
HEADERS = ["measured", "result", "reference / detail"]


def _ms(value: float) -> str:
    """Milliseconds with a sensible precision."""
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


# -- one summary row builder per part ----------------------------------------------------------------
def cold_rows(r: dict) -> list[list[str]]:
    total = r["total_s"]

    def share(key: str) -> str:
        return f"{r[key]:.2f} s ({100 * r[key] / total:.0f}%)"

    return [
        [
            "Cold start to the first answer (in-process)",
            f"{total:.2f} s",
            f"loading the index {share('index_s')}, first answer {r['first_answer_s'] * 1000:.0f} ms",
        ],
        ["  of which importing modules", share("import_s"), "bot, numpy, faiss, bm25s"],
        ["  of which loading the model", share("model_s"), "torch, transformers, all-MiniLM-L6-v2 weights"],
        [
            "Peak memory of a serving process (RSS)",
            f"{r['peak_rss_mb']:.0f} MB",
            f"after {r['answered']} answers, model and index loaded",
        ],
    ]


def ask_rows(r: dict) -> list[list[str]]:
    q = ("p50_ms", "p95_ms", "p99_ms")
    ratio = " / ".join(f"{r[k] / r['floor_' + k]:.2f}×" for k in q)
    return [
        [
            "Warm answer p50 / p95 / p99",
            " / ".join(_ms(r[k]) for k in q) + " ms",
            f"floor (encoding the question alone) {' / '.join(_ms(r['floor_' + k]) for k in q)} ms; ratio {ratio}",
        ],
        [
            "Batch throughput (`ask --json` from stdin)",
            f"{r['qps_batched']:.1f} questions/s",
            f"floor (encoding only) {r['qps_floor_batched']:.1f}/s; one at a time {r['qps_sequential']:.1f}/s "
            f"(floor {r['qps_floor']:.1f}/s)",
        ],
    ]


def reindex_rows(r: dict) -> list[list[str]]:
    out = []
    for row in r["rows"]:
        name = "shipped knowledge" if row["knowledge"].startswith("shipped") else "synthetic knowledge"
        if row["build"] == "full":
            out.append(
                [
                    f"Reindex {name}, full",
                    f"{row['total s']} s",
                    f"{row['passages']} passages, {row['embedded']} embedded; {row['in encoder']} of the time "
                    "in the encoder",
                ]
            )
        else:
            out.append(
                [
                    f"Reindex {name}, incremental (1 section edited)",
                    f"{row['total s']} s",
                    f"{row['embedded']} of {row['passages']} passages embedded; {row['of full']} of the full build",
                ]
            )
    return out


def search_rows(r: dict) -> list[list[str]]:
    n = r.get("_n", 100_000)
    return [
        [
            f"FAISS search at {n:,} passages, {kind}",
            f"p50 {v['p50_ms']:.2f} ms",
            f"p95 {v['p95_ms']:.2f} ms; recall@10 vs exact {v['recall_at_10']:.3f}; build {v['build_s']:.1f} s",
        ]
        for kind, v in r.items()
        if not kind.startswith("_")
    ]


def compare_rows(r: dict) -> list[list[str]]:
    return [
        [
            f"Retrieval: {name}",
            f"Recall@3 {v['recall_at_3']:.3f}",
            f"p50 {_ms(v['p50_ms'])} ms, p95 {_ms(v['p95_ms'])} ms per question",
        ]
        for name, v in r.items()
    ]


def checks_rows(r: dict) -> list[list[str]]:
    drafts = r["drafts"]
    typical = next(iter(drafts))
    worst = max(drafts, key=lambda name: drafts[name]["p95_ms"])
    d = drafts[typical]
    slowest = f"; slowest input ({worst}) p95 {_ms(drafts[worst]['p95_ms'])} ms" if worst != typical else ""
    return [
        [
            f"Draft check of {d['chars']:,} characters ({typical})",
            f"p50 {_ms(d['p50_ms'])} ms",
            f"p95 {_ms(d['p95_ms'])} ms, {d['findings']} findings, {r['rules']} rules{slowest}",
        ]
    ]


def load_rows(r: dict) -> list[list[str]]:
    out = []
    for run in r["runs"]:
        n = run.get("processes", "?")
        label = (
            f"Load ceiling: {n} server process{'es' if n != 1 else ''}, {run.get('rate', 0):g} q/s offered"
            if run.get("saturation")
            else f"Load: {n} server process{'es' if n != 1 else ''}, {run.get('rate', 0):g} q/s"
        )
        if "error" in run:
            out.append([label, "not measured", run["error"]])
            continue
        detail = [
            f"lost {run['lost']}, duplicate {run['duplicates']} of {run['questions']} questions / "
            f"{run['deliveries']} deliveries" + ("" if run["ok"] else " — NOT OK")
        ]
        if run.get("cpu_s_per_question"):
            detail.append(f"server CPU {1000 * run['cpu_s_per_question']:.0f} ms/question")
        if run.get("busiest_other_channel"):
            detail.append(f"{run['busiest_other_channel_per_s']:.1f} case messages/s to the team channel")
        if run.get("cores_used"):
            detail.append(f"other programs busy {run['cores_used']['other']:.2f} cores")
        if run.get("saturation"):
            result = f"{run['answered_per_s']:.1f} questions/s answered"
            detail.insert(0, f"ack p99 {run['ack_p99_ms']:.0f} ms; answers queue up: p95 {run['answer_p95_s']:.1f} s")
        else:
            result = (
                f"ack p50 / p99 {run['ack_p50_ms']:.0f} / {run['ack_p99_ms']:.0f} ms; "
                f"answer p50 / p95 {run['answer_p50_s']:.2f} / {run['answer_p95_s']:.2f} s"
            )
        out.append([label, result, "; ".join(detail)])
    return out


# -- running ---------------------------------------------------------------------------------------------
def _plan(quick: bool, index: Path) -> dict[str, tuple[Callable[[], dict], Callable[[dict], list[list[str]]]]]:
    from bench import ask, checks, cold, compare, load, reindex, search

    n = 20_000 if quick else 100_000

    def run_search() -> dict:
        return {**search.run(n), "_n": n}

    load_options = {"duration": 6.0, "saturate": None} if quick else {}
    return {
        "cold": (lambda: cold.run(index, runs=1 if quick else 3), cold_rows),
        "ask": (lambda: ask.run(1 if quick else 2, index_dir=index), ask_rows),
        "reindex": (lambda: reindex.run(1000 if quick else 5000), reindex_rows),
        "search": (run_search, search_rows),
        "compare": (lambda: compare.run(index_dir=index), compare_rows),
        "checks": (lambda: checks.run(10 if quick else 50), checks_rows),
        "load": (lambda: load.run(index=index, **load_options), load_rows),
    }


class OthersMeter:
    """How many cores other programs kept busy since it was made: the machine's busy time less
    this process's and its finished children's."""

    def __init__(self) -> None:
        self.start = (time.perf_counter(), machine_busy_seconds(), own_cpu_seconds())

    def cores(self) -> float | None:
        wall, busy, own = time.perf_counter(), machine_busy_seconds(), own_cpu_seconds()
        if busy is None or self.start[1] is None or wall <= self.start[0]:
            return None
        return max(0.0, (busy - self.start[1]) - (own - self.start[2])) / (wall - self.start[0])


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def header(seconds: float, quick: bool) -> str:
    m = machine_details()
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        f"guidelines-bot benchmarks, {when}, commit {_commit()}{', --quick' if quick else ''}; "
        f"{m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}, Python {m['python']}, "
        f"torch {m.get('torch', '?')}; all-MiniLM-L6-v2 on the CPU; whole run {seconds / 60:.1f} min"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller sizes: 1,000 synthetic passages, 20,000 vectors, 6 s load runs, no saturation",
    )
    parser.add_argument("--skip", default="", help=f"comma-separated parts to leave out: {', '.join(PARTS)}")
    parser.add_argument("--markdown", type=Path, help="also write the summary table to this Markdown file")
    parser.add_argument(
        "--results",
        type=Path,
        default=ROOT / "bench" / "results",
        help="directory for the JSON results of each part [default: bench/results]",
    )
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")

    started = time.perf_counter()
    whole = OthersMeter()
    others: dict[str, float | None] = {}
    rows: list[list[str]] = []
    results: dict[str, object] = {}
    out_dir = args.results
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"Benchmarks — {machine()}; parts: {', '.join(p for p in PARTS if p not in skip)}", flush=True)
    with tempfile.TemporaryDirectory(prefix="gb-bench-") as tmp:
        index = Path(tmp) / "index"
        if {"cold", "ask", "compare", "load"} - skip:
            from bench.load import prepare_index

            print("building the index of the shipped knowledge once (all-MiniLM-L6-v2) …", flush=True)
            prepare_index(index)
        for part, (run, to_rows) in _plan(args.quick, index).items():
            if part in skip:
                rows.append([f"{part}", "skipped", "--skip"])
                continue
            print(f"\n== {part} ==", flush=True)
            meter = OthersMeter()
            try:
                result = run()
                results[part] = result
                rows += to_rows(result)
            except Exception as exc:  # one part failing must not lose the others' numbers
                traceback.print_exc()
                results[part] = {"error": f"{type(exc).__name__}: {exc}"}
                rows.append([part, "failed", f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:150]}"])
            others[part] = meter.cores()
            (out_dir / f"{part}.json").write_text(json.dumps(results.get(part), indent=1, default=str))
    measured = {part: cores for part, cores in others.items() if cores is not None}
    if measured:
        rows.append(
            [
                "Other programs on the machine meanwhile",
                f"{whole.cores():.2f} cores busy on average",
                "per part: "
                + ", ".join(f"{part} {cores:.2f}" for part, cores in measured.items())
                + " (figures measured while others ran are slower than this machine can do)",
            ]
        )
    title = header(time.perf_counter() - started, args.quick)
    summary = table(HEADERS, rows)
    print(f"\n{title}\n{summary}")
    (out_dir / "summary.json").write_text(json.dumps({"title": title, "rows": rows}, indent=1))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(f"{title}\n\n{summary}\n", encoding="utf-8")
        print(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
