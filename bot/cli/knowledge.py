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
@domain_errors
def validate(knowledge: Path | None, strict: bool) -> None:
    """Check the knowledge base; print errors with file, line and field.

    Exits with 1 when there are errors (or warnings, with --strict).
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
    if n_err or (strict and n_warn):
        click.secho(f"✗ {n_err} error(s), {n_warn} warning(s): fix them and run validate again.", fg="red", err=True)
        sys.exit(1)
    click.secho(f"✓ valid ({n_warn} warning(s))", fg="green")


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
