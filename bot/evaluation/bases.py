"""Several knowledge bases measured in one run: each is indexed into a work directory of its
own, its labelled questions answered, and its figures reported beside the others' and their mean.
A base is any knowledge directory with an eval.yaml; a bases file lists several."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import yaml

from bot.answer import Answerer, DecisionParams
from bot.errors import GuidelinesBotError
from bot.evaluation.metrics import CaseResult, Metrics, metrics, risk_coverage
from bot.evaluation.report import run
from bot.index.build import reindex
from bot.index.embedding import Embedder
from bot.index.store import load_index
from bot.knowledge import load_knowledge
from bot.knowledge.models import EvalQuestion
from bot.retrieval import FusionParams
from bot.yamlsafe import describe, safe_load

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Base:
    """A knowledge base to measure: its name in reports and its directory."""

    name: str
    path: Path


def read_bases(sources: Iterable[Path]) -> list[Base]:
    """Bases from directories (a base each) and YAML files (``bases: [{name, path}]``, paths
    relative to the file). Raises GuidelinesBotError naming what is wrong."""
    bases: list[Base] = []
    for source in sources:
        source = Path(source)
        if source.is_dir():
            bases.append(Base(source.resolve().name, source))
        elif source.is_file():
            bases += _bases_file(source)
        else:
            raise GuidelinesBotError(f"{source}: no such knowledge directory or bases file")
    names = [b.name for b in bases]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise GuidelinesBotError(f"two bases are called {', '.join(doubled)}: give them names in a bases file")
    return bases


def _bases_file(path: Path) -> list[Base]:
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GuidelinesBotError(f"{path}: cannot read the bases file ({describe(exc)})") from None
    items = data.get("bases") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise GuidelinesBotError(f"{path}: expected 'bases:' with a list of {{name, path}}")
    bases = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            raise GuidelinesBotError(f"{path}: bases[{i}] needs a path (relative to the file)")
        directory = (path.parent / item["path"]).resolve()
        if not directory.is_dir():
            raise GuidelinesBotError(f"{path}: bases[{i}]: {directory} is not a directory")
        bases.append(Base(str(item.get("name") or directory.name), directory))
    return bases


@dataclass
class LoadedBase:
    """A base indexed and ready to answer, with its labelled questions."""

    base: Base
    answerer: Answerer
    questions: list[EvalQuestion]

    @property
    def has_faq(self) -> bool:
        return bool(self.answerer.kb.faq)

    @property
    def languages(self) -> str:
        return "+".join(sorted(self.answerer.kb.languages()))


def load_base(
    base: Base,
    work_dir: Path,
    embedder: Embedder,
    decision: DecisionParams | None = None,
    fusion: FusionParams | None = None,
    max_chars: int | None = None,
    multilingual: Embedder | None = None,
) -> LoadedBase:
    """Index ``base`` into ``work_dir/<name>`` (incremental: unchanged passages come from the
    embedding cache) and load it; ``multilingual`` adds the second dense channel."""
    loaded = load_knowledge(base.path)
    if loaded.knowledge is None or loaded.knowledge.eval is None or not loaded.knowledge.eval.questions:
        raise GuidelinesBotError(f"{base.name}: {base.path} has no labelled questions (eval.yaml)")
    index_dir = work_dir / base.name
    options = {"max_chars": max_chars} if max_chars else {}
    reindex(base.path, index_dir, embedder, multilingual=multilingual, **options)
    index = load_index(index_dir, embedder, multilingual)
    return LoadedBase(base, Answerer(index, embedder, decision, fusion), loaded.knowledge.eval.questions)


@dataclass
class BaseResult:
    name: str
    languages: str
    has_faq: bool
    results: list[CaseResult]

    def metrics(self, keep: Callable[[CaseResult], bool] | None = None) -> Metrics:
        return metrics([r for r in self.results if keep is None or keep(r)])


SUMMARY = (
    ("R@1", "recall_at_1"),
    ("R@3", "recall_at_3"),
    ("verdict acc.", "verdict_accuracy"),
    ("coverage", "coverage"),
    ("unsafe", "unsafe_rate"),
    ("off-topic declined", "off_topic_declined"),
    ("off-topic, no case", "off_topic_no_case"),
    ("AURC", "aurc"),
    ("esc. precision", "escalation_precision"),
    ("esc. recall", "escalation_recall"),
)


@dataclass
class BasesReport:
    bases: list[BaseResult]
    threshold: float

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Rows per base, then the mean of the bases without FAQ (the number to quote)."""
        headers = ["base", "text", "n", *(label for label, _ in SUMMARY), "R@3 same lang.", "R@3 other lang."]
        rows = [self._row(b.name, b.languages, len(b.results), self.figures(b)) for b in self.bases]
        free = [b for b in self.bases if not b.has_faq]
        if len(free) > 1:
            rows.append(self._row("mean, no FAQ", "", sum(len(b.results) for b in free), self.mean(free)))
        return headers, rows

    @staticmethod
    def figures(b: BaseResult) -> dict[str, float]:
        m = asdict(b.metrics())
        m["same_language_r3"] = b.metrics(lambda r: not r.cross_language).recall_at_3
        m["cross_language_r3"] = b.metrics(lambda r: r.cross_language).recall_at_3
        return m

    def mean(self, bases: list[BaseResult]) -> dict[str, float]:
        """Each figure averaged over ``bases`` (bases without the figure, e.g. no off-topic
        questions, left out of its mean)."""
        per_base = [self.figures(b) for b in bases]
        names = [f.name for f in fields(Metrics)] + ["same_language_r3", "cross_language_r3"]
        out = {}
        for name in names:
            values = [f[name] for f in per_base if not math.isnan(f[name])]
            out[name] = sum(values) / len(values) if values else math.nan
        return out

    @staticmethod
    def _row(name: str, languages: str, n: int, figures: dict[str, float]) -> list[str]:
        cells = [f"{figures[key]:.3f}" for _, key in SUMMARY]
        return [
            name,
            languages,
            str(n),
            *cells,
            f"{figures['same_language_r3']:.3f}",
            f"{figures['cross_language_r3']:.3f}",
        ]

    def to_json(self) -> dict:
        free = [b for b in self.bases if not b.has_faq]
        return {
            "threshold": self.threshold,
            "bases": {
                b.name: {"languages": b.languages, "faq": b.has_faq, "n": len(b.results), **self.figures(b)}
                for b in self.bases
            },
            "mean_without_faq": self.mean(free) if free else None,
        }

    def plot(self, path: str) -> None:
        """The risk–coverage curve of every base, the shipped threshold marked on each."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
        for b in self.bases:
            points = risk_coverage(b.results)
            if not points:
                continue
            line = ax.plot([p.coverage for p in points], [p.risk for p in points], label=b.name)[0]
            at = [p for p in points if p.threshold >= self.threshold]
            if at:
                ax.plot(at[-1].coverage, at[-1].risk, "o", color=line.get_color())
        ax.set_xlabel("coverage: share of questions the bot answers alone")
        ax.set_ylabel("risk: share of those answers that are wrong")
        ax.set_title(f"Risk–coverage per knowledge base (dots: threshold {self.threshold:.2f})")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)


def evaluate_bases(loaded: list[LoadedBase], progress: Progress | None = None) -> BasesReport:
    """Answer every base's questions (fused retrieval) and collect the results."""
    out = []
    threshold = DecisionParams().threshold
    for lb in loaded:
        if progress:
            progress(f"answering {len(lb.questions)} questions of {lb.base.name}")
        out.append(BaseResult(lb.base.name, lb.languages, lb.has_faq, run(lb.answerer, lb.questions)))
        threshold = lb.answerer.params.threshold
    return BasesReport(out, threshold)
