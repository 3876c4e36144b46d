"""Measure the answers of one knowledge base against its labelled questions, in every retrieval
mode, and sweep the confidence threshold."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from bot.answer import Answerer, DecisionParams
from bot.checks.engine import CheckEngine
from bot.checks.evaluation import DraftReport, evaluate_drafts
from bot.evaluation.metrics import CaseResult, Metrics, metrics
from bot.knowledge.models import EvalFile, EvalQuestion
from bot.question import prepare
from bot.retrieval import MODES, Mode


def run(
    answerer: Answerer, cases: list[EvalQuestion], mode: Mode = "fused", vectors: list | None = None
) -> list[CaseResult]:
    """Answer every case; ``vectors`` (one query vector per case) saves re-encoding across modes."""
    languages: dict[str, set[str]] = {}
    for s in answerer.kb.sections:
        languages.setdefault(s.anchor, set()).add(s.language)
    results = []
    for i, case in enumerate(cases):
        question = prepare(case.question)
        vector = vectors[i] if vectors is not None else None
        retrieval = answerer.retriever.search(question, mode, vector=vector if mode != "lexical" else None)
        if mode == "lexical" and vector is not None:
            retrieval.vector = vector
        answer = answerer.answer_prepared(question, mode, retrieval)
        anchors = [s.anchor for s in retrieval.sections]
        ranks = [anchors.index(a) for a in case.anchors if a in anchors]
        text_languages = frozenset(lang for a in case.anchors for lang in languages.get(a, ()))
        results.append(CaseResult(case, retrieval, answer, min(ranks) if ranks else None, text_languages))
    return results


def redecide(answerer: Answerer, results: list[CaseResult], params: DecisionParams) -> list[CaseResult]:
    """The same retrievals decided again with other parameters (for threshold sweeps)."""
    original = answerer.params
    answerer.params = params
    try:
        out = []
        for r in results:
            question = prepare(r.case.question)
            out.append(replace(r, answer=answerer.answer_prepared(question, r.retrieval.mode, r.retrieval)))
        return out
    finally:
        answerer.params = original


def query_vectors(answerer: Answerer, cases: list[EvalQuestion]) -> list:
    questions = [prepare(c.question) for c in cases]
    return [answerer.retriever.embed(q) if not q.empty else None for q in questions]


def evaluate_modes(answerer: Answerer, cases: list[EvalQuestion]) -> dict[str, list[CaseResult]]:
    vectors = query_vectors(answerer, cases)
    return {mode: run(answerer, cases, mode, vectors) for mode in MODES}


def threshold_sweep(answerer: Answerer, results: list[CaseResult], thresholds: list[float]) -> list[dict]:
    rows = []
    for t in thresholds:
        m = metrics(redecide(answerer, results, replace(answerer.params, threshold=t)))
        rows.append(
            {
                "threshold": t,
                "precision": m.escalation_precision,
                "recall": m.escalation_recall,
                "unsafe": m.unsafe_rate,
                "verdict_accuracy": m.verdict_accuracy,
            }
        )
    return rows


def choose_threshold(sweep: list[dict], max_unsafe: float = 0.02) -> dict:
    """The threshold that keeps unsafe answers at or below ``max_unsafe`` with the best escalation
    precision (ties: higher recall); if none does, the one with the fewest unsafe answers."""
    safe = [row for row in sweep if row["unsafe"] <= max_unsafe and row["recall"] >= 0.9]
    if safe:
        return max(safe, key=lambda r: (round(r["precision"], 3), r["recall"], -r["threshold"]))
    return min(sweep, key=lambda r: (r["unsafe"], -r["precision"]))


def plot_sweep(sweep: list[dict], chosen: float, path: str, title: str) -> None:
    """Escalation precision/recall and unsafe-answer rate against the threshold, chosen one marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r["threshold"] for r in sweep]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    ax.plot(xs, [r["precision"] for r in sweep], label="escalation precision", color="tab:blue")
    ax.plot(xs, [r["recall"] for r in sweep], label="escalation recall", color="tab:green")
    ax.plot(xs, [r["unsafe"] for r in sweep], label="unsafe answers (rate)", color="tab:red")
    ax.plot(xs, [r["verdict_accuracy"] for r in sweep], label="verdict accuracy", color="tab:gray", ls=":")
    ax.axvline(chosen, color="black", ls="--", lw=1)
    ax.annotate(f"chosen {chosen:.2f}", (chosen, 0.5), xytext=(6, 0), textcoords="offset points")
    ax.axhline(0.02, color="tab:red", ls=":", lw=0.8)
    ax.set_xlabel("confidence threshold (below it the bot asks the team)")
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.legend(loc="center right", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


SWEEP = [round(0.05 * i, 2) for i in range(21)]  # thresholds tried: 0.00, 0.05, ..., 1.00
LANGUAGES = ("all", "de", "en")


@dataclass
class EvalReport:
    """Everything `guidelines-bot eval` prints: metrics per retrieval mode and language, the
    threshold sweep with its recommendation, the draft checks, and the fused mode's failures."""

    questions: int
    threshold: float
    metrics: dict[str, dict[str, Metrics]]  # mode -> language ("all", "de", "en") -> metrics
    sweep: list[dict]
    recommended: dict
    failures: list[CaseResult] = field(default_factory=list)
    drafts: DraftReport | None = None
    draft_count: int = 0

    def rows(self) -> list[list[str]]:
        """One table row per mode and language, under ``["mode", "lang", *HEADERS]``."""
        return [[mode, lang, *m.row()] for mode, by_lang in self.metrics.items() for lang, m in by_lang.items()]

    def to_json(self) -> dict:
        report = {
            "questions": self.questions,
            "threshold": self.threshold,
            "modes": {mode: {lang: asdict(m) for lang, m in by.items()} for mode, by in self.metrics.items()},
            "sweep": self.sweep,
            "recommended_threshold": self.recommended["threshold"],
        }
        if self.drafts is not None:
            report["drafts"] = {
                "n": self.draft_count,
                "exact_match": self.drafts.exact_match,
                "rules": {r[0]: r[1:] for r in self.drafts.rows()},
            }
        return report


def failure_kind(result: CaseResult) -> str:
    """UNSAFE, over-escalated or missed escalation (for a result in ``EvalReport.failures``)."""
    if result.unsafe:
        return "UNSAFE"
    return "over-escalated" if result.answer.escalate else "missed escalation"


def evaluate(answerer: Answerer, eval_file: EvalFile, checks: CheckEngine | None = None) -> EvalReport:
    """Answer every labelled question in every retrieval mode, sweep the threshold on the fused
    results, and measure the draft checks on the labelled drafts (when there are checks)."""
    cases = eval_file.questions
    by_mode = evaluate_modes(answerer, cases)
    table: dict[str, dict[str, Metrics]] = {}
    for mode, results in by_mode.items():
        for lang in LANGUAGES:
            subset = [r for r in results if lang == "all" or r.case.language == lang]
            if subset:
                table.setdefault(mode, {})[lang] = metrics(subset)
    sweep = threshold_sweep(answerer, by_mode["fused"], SWEEP)
    failures = [r for r in by_mode["fused"] if r.unsafe or r.answer.escalate != r.case.escalate]
    drafts = evaluate_drafts(checks, eval_file.drafts) if eval_file.drafts and checks is not None else None
    return EvalReport(
        questions=len(cases),
        threshold=answerer.params.threshold,
        metrics=table,
        sweep=sweep,
        recommended=choose_threshold(sweep),
        failures=failures,
        drafts=drafts,
        draft_count=len(eval_file.drafts),
    )
