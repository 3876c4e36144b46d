"""Measuring answer quality: `eval`."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import domain_errors, index_option, knowledge_option, load_service, model_option


@click.command(name="eval")
@knowledge_option
@index_option
@model_option
@click.option(
    "--questions",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Labelled questions [default: eval.yaml in the knowledge directory].",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Draw escalation precision/recall and unsafe answers against the threshold into this PNG.",
)
@click.option("--failures", is_flag=True, help="List the questions answered unsafely or escalated wrongly.")
@click.option("--json", "as_json", is_flag=True, help="Print all numbers as JSON.")
@domain_errors
def evaluate(
    knowledge: Path | None,
    index: Path | None,
    model: str | None,
    questions: Path | None,
    plot: Path | None,
    failures: bool,
    as_json: bool,
) -> None:
    """Measure answer quality on labelled questions: Recall@1/@3, MRR, verdict accuracy, escalation
    precision/recall and unsafe answers, per language and retrieval mode."""
    import json

    from bot.errors import GuidelinesBotError
    from bot.evaluation import evaluate, failure_kind, plot_sweep
    from bot.knowledge.loader import load_knowledge, read_eval_file
    from bot.knowledge.problems import errors

    service = load_service(knowledge, index, model)
    path = questions or service.knowledge_dir / "eval.yaml"
    if not path.is_file():
        raise GuidelinesBotError(f"no labelled questions at {path}; write an eval.yaml (see knowledge/README.md)")
    if questions is None:  # the knowledge base's own eval.yaml, validated against its sections
        loaded = load_knowledge(service.knowledge_dir)
        eval_file, problems = (loaded.knowledge.eval if loaded.knowledge else None), errors(loaded.problems)
    else:
        eval_file, problems = read_eval_file(questions)
    if eval_file is None:
        raise GuidelinesBotError(problems[0].format() if problems else f"{path}: no questions")
    report = evaluate(service.answerer(), eval_file, service.knowledge.checks)
    if as_json:
        click.echo(json.dumps(report.to_json(), default=float))
    else:
        _print_report(report, path)
    if plot:
        plot_sweep(report.sweep, report.threshold, str(plot), f"{path.name}: {report.questions} questions")
        click.echo(f"Plot written to {plot}", err=True)
    if failures:
        for r in report.failures:
            click.echo(
                f"{failure_kind(r)}: {r.case.question[:100]!r} gold {r.case.verdict}/{r.case.anchors} "
                f"got {r.answer.verdict}/{[c.anchor for c in r.answer.citations]} "
                f"conf {r.answer.confidence:.2f}"
            )


def _print_report(report, path: Path) -> None:
    from bot.cli.tables import table
    from bot.evaluation import HEADERS

    best = report.recommended
    click.echo(f"{report.questions} labelled questions from {path}; confidence threshold {report.threshold:.2f}")
    click.echo(table(["mode", "lang", *HEADERS], report.rows()))
    click.echo(
        f"\nThreshold sweep (fused): at {best['threshold']:.2f} escalation precision "
        f"{best['precision']:.3f}, recall {best['recall']:.3f}, unsafe {best['unsafe']:.3f}"
        f" — recommended for this question set (set GUIDELINES_BOT_THRESHOLD to use it)."
    )
    if report.drafts is not None:
        click.echo(
            f"\nDraft checks on {report.draft_count} labelled drafts (exact match {report.drafts.exact_match:.3f}):"
        )
        click.echo(table(report.drafts.headers, report.drafts.rows()))
