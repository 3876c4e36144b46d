"""Measuring the bot: per-question results and their figures (metrics), one knowledge base's
report (report), several knowledge bases and leave-one-base-out tuning (bases, tuning)."""

from bot.evaluation.metrics import HEADERS, CaseResult, Metrics, metrics, risk_coverage
from bot.evaluation.report import EvalReport, evaluate, failure_kind, plot_sweep

__all__ = [
    "HEADERS",
    "CaseResult",
    "EvalReport",
    "Metrics",
    "evaluate",
    "failure_kind",
    "metrics",
    "plot_sweep",
    "risk_coverage",
]
