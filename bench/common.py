"""Helpers shared by the benchmarks: timing, percentiles, synthetic knowledge, tables."""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.cli.tables import table  # noqa: F401  (re-exported for the benchmarks)

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "knowledge"


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t, result


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def multilingual():
    """The second dense channel as the bot runs it ($GUIDELINES_BOT_MULTILINGUAL; off: none)."""
    from bot import config
    from bot.index.embedding import make_multilingual

    return make_multilingual(config.multilingual_name())


@contextmanager
def shipped_index(embedder, index_dir: Path | None = None) -> Iterator[Path]:
    """The index of the shipped knowledge: ``index_dir`` if given (built with the same model),
    else one built into a temporary directory for the duration."""
    if index_dir is not None:
        yield Path(index_dir)
        return
    from bot.index.build import reindex

    with tempfile.TemporaryDirectory() as tmp:
        reindex(SHIPPED, Path(tmp) / "index", embedder, multilingual=multilingual())
        yield Path(tmp) / "index"


def copy_shipped(dest: Path) -> Path:
    shutil.copytree(SHIPPED, dest)
    return dest


def synthetic_knowledge(dest: Path, passages: int, seed: int = 7) -> Path:
    """A knowledge base of about ``passages`` passages, made of reshuffled sentences of the
    shipped guidelines, so lengths and vocabulary are realistic."""
    from bot.index.chunking import DEFAULT_MAX_CHARS, split_sentences
    from bot.knowledge import load_knowledge

    kb = load_knowledge(SHIPPED, environ={}).knowledge
    sentences = {"de": [], "en": []}
    for section in kb.sections:
        for block in section.blocks:
            sentences[section.language].extend(
                s for s in split_sentences(block.text) if 40 < len(s) < DEFAULT_MAX_CHARS - 20
            )
    rng = random.Random(seed)
    per_section = 4
    sections = passages // per_section
    for lang in ("de", "en"):
        lines = [f"---\nlanguage: {lang}\n---\n# Synthetic {lang} {{#synthetic}}\n"]
        for i in range(sections // 2):
            lines.append(f"## Rule {i} {{#rule-{i}}}\n")
            for _ in range(per_section):
                paragraph = ""  # one passage each: filled to about 2/3 of the passage bound
                while len(paragraph) < DEFAULT_MAX_CHARS * 2 // 3:
                    sentence = rng.choice(sentences[lang])
                    if len(paragraph) + len(sentence) < DEFAULT_MAX_CHARS - 10:
                        paragraph += sentence + " "
                lines.append(paragraph.strip() + "\n")
        path = dest / "guidelines" / lang / "synthetic.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
    return dest


def machine() -> str:
    import platform

    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def machine_details() -> dict[str, str]:
    """What the numbers were measured on: CPU model, cores, memory, OS, Python, torch."""
    import platform

    details = {
        "cpu": platform.processor() or platform.machine(),
        "cores": str(os.cpu_count()),
        "memory": "?",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        details["cpu"] = names[0] if names else details["cpu"]
        with open("/proc/meminfo") as f:
            kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        details["memory"] = f"{kb / 1024**2:.1f} GiB"
    except (OSError, StopIteration, ValueError, IndexError):
        pass
    try:
        from importlib.metadata import version

        details["torch"] = version("torch")
    except Exception:
        pass
    return details


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine spent busy since boot (all cores), or None without /proc."""
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:9]]
        return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def own_cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (and been waited for)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
