"""Measuring answer quality: `eval`."""

from __future__ import annotations

from pathlib import Path

import click

from bot import config
from bot.cli.common import (
    domain_errors,
    index_option,
    knowledge_option,
    load_service,
    model_option,
    multilingual_option,
    threshold_option,
)


@click.command(name="eval")
@knowledge_option
@index_option
@model_option
@multilingual_option
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
@threshold_option
@click.option(
    "--bases",
    "bases",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Measure these knowledge bases instead (directories with an eval.yaml, or a bases file such as "
    "eval/bases.yaml); repeatable. Each is indexed into --work.",
)
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".eval-index"),
    show_default=True,
    help="With --bases: where their indexes are built (kept, so the next run only embeds what changed).",
)
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
    threshold: float | None,
    bases: tuple[Path, ...],
    work: Path,
    multilingual: str | None,
) -> None:
    """Measure answer quality on labelled questions: Recall@1/@3, MRR, verdict accuracy, escalation
    precision/recall and unsafe answers, per language and retrieval mode."""
    import json

    if bases:
        _evaluate_bases(bases, work, model, multilingual, plot, as_json, threshold)
        return
    from bot.errors import GuidelinesBotError
    from bot.evaluation import evaluate, failure_kind, plot_sweep
    from bot.knowledge.loader import load_knowledge, read_eval_file
    from bot.knowledge.problems import errors

    service = load_service(knowledge, index, model, threshold, multilingual=multilingual)
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


def _evaluate_bases(
    sources: tuple[Path, ...],
    work: Path,
    model: str | None,
    multilingual_name: str | None,
    plot: Path | None,
    as_json: bool,
    threshold: float | None = None,
) -> None:
    """Every base indexed into ``work``, its questions answered; a row per base and their mean."""
    import json

    from bot.answer import DecisionParams
    from bot.cli.tables import table
    from bot.evaluation.bases import evaluate_bases, load_base, read_bases
    from bot.index.embedding import make_embedder, make_multilingual

    bases = read_bases(sources)
    decision = DecisionParams(threshold=threshold) if threshold is not None else None
    embedder = make_embedder(config.model_name(model))
    multilingual = make_multilingual(config.multilingual_name(multilingual_name))
    loaded = []
    for base in bases:
        click.echo(f"indexing {base.name} ({base.path})…", err=True)
        loaded.append(load_base(base, work, embedder, decision, multilingual=multilingual))
    report = evaluate_bases(loaded, progress=lambda line: click.echo(line + "…", err=True))
    if as_json:
        click.echo(json.dumps(report.to_json(), default=float))
    else:
        headers, rows = report.table()
        click.echo(f"{len(bases)} knowledge bases; confidence threshold {report.threshold:.2f}")
        click.echo(table(headers, rows))
    if plot:
        report.plot(str(plot))
        click.echo(f"Plot written to {plot}", err=True)


def fitting_options(verb: str):
    """--bases, --work, --model and --multilingual of the commands that fit on several bases."""

    def decorate(func):
        for option in reversed(
            (
                click.option(
                    "--bases",
                    "bases",
                    multiple=True,
                    required=True,
                    type=click.Path(exists=True, path_type=Path),
                    help=f"Knowledge bases to {verb} on (directories with an eval.yaml, or a bases file "
                    "such as eval/bases.yaml).",
                ),
                click.option(
                    "--work",
                    type=click.Path(file_okay=False, path_type=Path),
                    default=Path(".eval-index"),
                    show_default=True,
                    help="Where the bases' indexes are built (kept between runs).",
                ),
                model_option,
                multilingual_option,
            )
        ):
            func = option(func)
        return func

    return decorate


@click.command()
@fitting_options("tune")
@click.option("--json", "as_json", is_flag=True, help="Print the folds and the final choice as JSON.")
@domain_errors
def tune(bases: tuple[Path, ...], work: Path, model: str | None, multilingual: str | None, as_json: bool) -> None:
    """Choose the retrieval parameters leave-one-knowledge-base-out: for each base, choose on the
    others and measure on it. The mean of the held-out figures is the number to quote; the last
    line is the choice on all bases (the defaults to ship in bot/retrieval/params.py).

    \b
      guidelines-bot tune --bases eval/bases.yaml
    """
    import json
    from dataclasses import asdict

    from bot.cli.tables import table
    from bot.evaluation.bases import load_base, read_bases
    from bot.evaluation.tuning import GRID, describe, gather, leave_one_out
    from bot.index.embedding import make_embedder, make_multilingual

    embedder = make_embedder(config.model_name(model))
    encoder = make_multilingual(config.multilingual_name(multilingual))
    gathered = []
    for base in read_bases(bases):
        click.echo(f"searching the questions of {base.name}…", err=True)
        gathered.append(gather(load_base(base, work, embedder, multilingual=encoder)))
    report = leave_one_out(gathered)
    before, after = report.mean()
    if as_json:
        folds = [
            {
                "held_out": f.held_out,
                "faq": f.has_faq,
                "chosen": {name: getattr(f.chosen, name) for name in GRID},
                "before": asdict(f.before),
                "after": asdict(f.after),
            }
            for f in report.folds
        ]
        final = {name: getattr(report.final, name) for name in GRID}
        mean = {"before": asdict(before), "after": asdict(after)}
        click.echo(json.dumps({"folds": folds, "mean_without_faq": mean, "final": final}))
        return
    rows = [
        [
            f.held_out,
            f"{f.before.at_1:.3f}",
            f"{f.before.at_3:.3f}",
            f"{f.after.at_1:.3f}",
            f"{f.after.at_3:.3f}",
            describe(f.chosen),
        ]
        for f in report.folds
    ]
    rows.append(
        ["mean, no FAQ", f"{before.at_1:.3f}", f"{before.at_3:.3f}", f"{after.at_1:.3f}", f"{after.at_3:.3f}", ""]
    )
    click.echo("Held out: each base measured with the parameters chosen on the others.")
    click.echo(table(["held out", "R@1 before", "R@3 before", "R@1 after", "R@3 after", "chosen on the others"], rows))
    click.echo(f"\nChosen on all bases: {describe(report.final)}")


@click.command()
@fitting_options("fit")
@click.option(
    "--target",
    type=click.FloatRange(0, 1),
    default=0.03,
    show_default=True,
    help="Highest share of a base's questions the bot may answer alone and wrongly.",
)
@click.option("--write", is_flag=True, help="Write the model fitted on all bases to bot/rules/calibration.json.")
@domain_errors
def calibrate(
    bases: tuple[Path, ...], work: Path, model: str | None, multilingual: str | None, target: float, write: bool
) -> None:
    """Fit how sure a verdict from the guideline text is, leave-one-knowledge-base-out: for each
    base, fit the model and its threshold on the others and measure coverage (questions the text
    decides that the bot answers alone and right) and unsafe answers on it. --write ships the
    model fitted on all bases.

    \b
      guidelines-bot calibrate --bases eval/bases.yaml --write
    """
    import json

    from bot.cli.tables import table
    from bot.evaluation.bases import load_base, read_bases
    from bot.evaluation.calibration import fit, gather_text_cases, leave_one_out
    from bot.index.embedding import make_embedder, make_multilingual
    from bot.rules.calibration import CALIBRATION_FILE, UNCALIBRATED

    embedder = make_embedder(config.model_name(model))
    encoder = make_multilingual(config.multilingual_name(multilingual))
    gathered = []
    for base in read_bases(bases):
        click.echo(f"answering the questions of {base.name}…", err=True)
        loaded = load_base(base, work, embedder, multilingual=encoder)
        loaded.answerer.calibration = UNCALIBRATED  # the cases must not depend on a shipped model
        gathered.append(gather_text_cases(loaded))
    folds = leave_one_out(gathered, target)
    rows = [[f.name, str(f.answered), f"{f.coverage:.3f}", f"{f.unsafe:.3f}", f"{f.threshold:.3f}"] for f in folds]
    plain = [f for f in folds if not f.has_faq] or folds  # the number to quote: bases without an FAQ
    mean_cov = sum(f.coverage for f in plain) / len(plain)
    mean_unsafe = sum(f.unsafe for f in plain) / len(plain)
    rows.append(["mean, no FAQ", "", f"{mean_cov:.3f}", f"{mean_unsafe:.3f}", ""])
    click.echo(f"Held out: each base answered with the model fitted on the others (unsafe target {target:.2f}).")
    click.echo(table(["held out", "answered alone", "coverage", "unsafe", "threshold"], rows))
    final = fit(gathered, target)
    click.echo(f"\nFitted on all bases: threshold {final.threshold:.3f}")
    if write:
        notes = {
            "fitted_on": [b.name for b in gathered],
            "target_unsafe": target,
            "held_out": {f.name: {"coverage": round(f.coverage, 3), "unsafe": round(f.unsafe, 3)} for f in folds},
            "held_out_mean_without_faq": {"coverage": round(mean_cov, 3), "unsafe": round(mean_unsafe, 3)},
        }
        data = {**final.to_json(), **notes}
        CALIBRATION_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        click.echo(f"Written to {CALIBRATION_FILE}", err=True)
