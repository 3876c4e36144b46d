"""Maintaining the knowledge: `validate` and `reindex`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot import config
from bot.cli.common import domain_errors, index_option, knowledge_option, model_option, multilingual_option


@click.command()
@knowledge_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--anchors", "list_anchors", is_flag=True, help="Also list every section anchor with its heading and file."
)
@domain_errors
def validate(knowledge: Path | None, strict: bool, list_anchors: bool) -> None:
    """Check the knowledge base; print errors with file, line and field.

    Exits with 1 when there are errors (or warnings, with --strict). --anchors lists the anchors
    that faq.yaml, routing.yaml and checks.yaml can cite.
    """
    from bot.knowledge import load_knowledge
    from bot.knowledge.problems import errors, warnings

    root = config.knowledge_dir(knowledge)
    result = load_knowledge(root)
    for problem in result.problems:
        click.secho(problem.format(), fg="red" if problem.severity == "error" else "yellow")
    n_err, n_warn = len(errors(result.problems)), len(warnings(result.problems))
    if result.knowledge is not None:
        counts = result.knowledge.counts()
        sections = ", ".join(f"{lang} {n}" for lang, n in counts["sections"].items()) or "none"
        phrasings = ", ".join(f"{lang} {n}" for lang, n in counts["faq_phrasings"].items())
        click.echo(
            f"Knowledge base {root}: {counts['files']} files; sections: {sections} "
            f"({counts['anchors']} anchors); FAQ entries: {counts['faq_entries']} "
            f"(phrasings: {phrasings})"
        )
        checks = result.knowledge.checks
        if checks is not None:
            source = "generic rules (no checks.yaml)" if checks.generic else "rules in checks.yaml"
            click.echo(f"Draft checks: {len(checks)} {source}")
        if list_anchors:
            click.echo("\n".join(anchor_lines(result.knowledge)))
    if n_err or (strict and n_warn):
        click.secho(f"✗ {n_err} error(s), {n_warn} warning(s): fix them and run validate again.", fg="red")
        sys.exit(1)
    click.secho(f"✓ valid ({n_warn} warning(s))", fg="green")


def anchor_lines(kb) -> list[str]:
    """'anchor  heading (file:line)' for each anchor, its languages side by side, in file order."""
    by_anchor: dict[str, list[str]] = {}
    for section in kb.sections:
        if section.blocks:
            place = f"{section.title} ({section.source}:{section.line})"
            by_anchor.setdefault(section.anchor, []).append(place)
    if not by_anchor:
        return ["Anchors: none"]
    width = max(len(a) for a in by_anchor)
    lines = [f"Anchors ({len(by_anchor)}), to cite in faq.yaml, routing.yaml and checks.yaml:"]
    lines += [f"  {anchor:<{width}}  {' | '.join(places)}" for anchor, places in by_anchor.items()]
    return lines


class Progress:
    """A progress bar on a terminal, plain log lines otherwise, nothing with --quiet."""

    LABELS = {
        "validate": "Validating knowledge",
        "embed": "Embedding passages",
        "embed_multilingual": "Embedding passages (multilingual)",
        "write": "Writing index",
        "swap": "Swapping in the new index",
    }

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.stage: str | None = None
        self.last_logged = -1

    def __call__(self, stage: str, done: int | None, total: int | None) -> None:
        if self.quiet:
            return
        label = self.LABELS.get(stage, stage)
        if not stage.startswith("embed") or not total:
            click.echo(f"{label}…", err=True)
            return
        if stage != self.stage:
            self.stage, self.bar, self.last_logged = stage, None, -1
        if not self.tty:
            tenth = (10 * (done or 0)) // total
            if tenth != self.last_logged:
                self.last_logged = tenth
                click.echo(f"{label.lower()}: {done}/{total}", err=True)
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit="passage", file=sys.stderr)
        self.bar.update((done or 0) - self.bar.n)
        if done == total:
            self.bar.close()


@click.command()
@knowledge_option
@index_option
@model_option
@click.option(
    "--index-type",
    type=click.Choice(["flat", "hnsw", "ivf"]),
    default="flat",
    show_default=True,
    help="flat: exact search (right up to ~100k passages); hnsw/ivf: approximate, for very large bases.",
)
@click.option(
    "--max-chars",
    type=click.IntRange(120, 4000),
    default=300,
    show_default=True,
    help="Upper bound of a passage's length; passages are cut at sentence boundaries.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors (for scripts).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@multilingual_option
@domain_errors
def reindex(
    knowledge: Path | None,
    index: Path | None,
    model: str | None,
    index_type: str,
    max_chars: int,
    quiet: bool,
    as_json: bool,
    multilingual: str | None,
) -> None:
    """Build index/ from knowledge/: atomic (the old index serves until the new one is complete)
    and incremental (only new or edited passages are embedded)."""
    import json

    from bot.index.build import reindex as build
    from bot.index.embedding import make_embedder, make_multilingual

    root = config.knowledge_dir(knowledge)
    report = build(
        root,
        config.index_dir(index, root),
        make_embedder(config.model_name(model)),
        index_type=index_type,
        max_chars=max_chars,
        progress=Progress(quiet or as_json),
        multilingual=make_multilingual(config.multilingual_name(multilingual)),
    )
    if as_json:
        click.echo(json.dumps(report.to_json()))
    elif not quiet:
        click.echo(report.summary())


@click.command()
@knowledge_option
@click.option("--section", "anchor", default=None, metavar="ANCHOR", help="Only this section (its anchor).")
@click.option(
    "--labelled",
    "measure_files",
    is_flag=True,
    help="Instead: measure the labeller on the FILES of units labelled by hand (e.g. eval/units/*.yaml): "
    "precision and recall per polarity, and the units it reads differently.",
)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per unit.")
@domain_errors
def rules(
    knowledge: Path | None, anchor: str | None, measure_files: bool, files: tuple[Path, ...], as_json: bool
) -> None:
    """Show how the bot reads the guideline text: every section split into rule units (a sentence or
    list item with its lead-in) and what each says: permitted, conditional (with its condition),
    prohibited, duty or information. Where it reads a "no" you did not mean, reword the sentence.

    \b
      guidelines-bot rules --section photos-videos
      guidelines-bot rules --labelled eval/units/*.yaml
    """
    import json

    from bot.errors import GuidelinesBotError
    from bot.knowledge import load_knowledge
    from bot.rules.units import knowledge_units

    if measure_files or files:
        if not (measure_files and files):
            raise GuidelinesBotError(
                "give --labelled and the files of labelled units, e.g. --labelled eval/units/*.yaml"
            )
        _measure_labeller(list(files), as_json)
        return
    root = config.knowledge_dir(knowledge)
    loaded = load_knowledge(root)
    if loaded.knowledge is None:
        raise GuidelinesBotError(loaded.problems[0].format() if loaded.problems else f"{root}: nothing to read")
    units = [u for u in knowledge_units(loaded.knowledge) if anchor is None or u.anchor == anchor]
    if anchor is not None and not units:
        known = sorted({s.anchor for s in loaded.knowledge.sections})
        raise GuidelinesBotError(f"no section '{anchor}' with text in {root}; anchors: {', '.join(known)}")
    if as_json:
        for unit in units:
            click.echo(json.dumps(unit.to_json(), ensure_ascii=False))
        return
    current = None
    for unit in units:
        if (unit.anchor, unit.language) != current:
            current = (unit.anchor, unit.language)
            click.secho(f"\n{unit.anchor} ({unit.language}, {unit.source})", bold=True)
        lead = f"{unit.lead} " if unit.lead else ""
        mark = RULE_MARKS[unit.polarity]
        condition = f"  [if: {unit.condition}]" if unit.condition else ""
        click.echo(f"  {mark} {unit.polarity:<11} {lead}{unit.text}{condition}")


RULE_MARKS = {"permitted": "✅", "conditional": "⚠️ ", "prohibited": "⛔", "duty": "📌", "information": "  "}


def _measure_labeller(paths: list[Path], as_json: bool) -> None:
    import json

    from bot.cli.tables import table
    from bot.rules.measure import measure

    report = measure(paths)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "units": len(report.units),
                    "accuracy": report.accuracy,
                    "precision": {p: report.precision(p) for p in RULE_MARKS},
                    "recall": {p: report.recall(p) for p in RULE_MARKS},
                },
                default=float,
            )
        )
        return
    click.echo(f"{len(report.units)} units labelled by hand; the labeller agrees on {report.accuracy:.3f}")
    click.echo(table(["polarity", "units", "precision", "recall"], report.rows()))
    wrong = report.wrong()
    if wrong:
        click.echo(f"\nRead differently ({len(wrong)}), first 20:")
        for u in wrong[:20]:
            click.echo(f"  {u.gold} → {u.predicted}: {(u.lead + ' ') if u.lead else ''}{u.text[:110]}")
