"""The `guidelines-bot` command line. Heavy imports happen inside the commands."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from bot import __version__, config
from bot.errors import GuidelinesBotError


def _domain_errors(func):
    """Turn domain errors into one line on stderr and exit code 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except GuidelinesBotError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            sys.exit(1)

    return wrapper


def knowledge_option(func):
    return click.option("--knowledge", "knowledge", type=click.Path(file_okay=False, path_type=Path),
                        default=None,
                        help="Knowledge directory [default: ./knowledge or $GUIDELINES_BOT_KNOWLEDGE]")(func)


def index_option(func):
    return click.option("--index", "index", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="Index directory [default: index/ next to the knowledge, or $GUIDELINES_BOT_INDEX]")(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="guidelines-bot")
def main() -> None:
    """Answer "may I post this?" from your social media guidelines, with cited passages.

    \b
    Typical use:
      guidelines-bot validate          check knowledge/ for mistakes
      guidelines-bot reindex           build index/ from knowledge/
      guidelines-bot ask "Darf ich Fotos vom Sommerfest posten?"
    """


@main.command()
@knowledge_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@_domain_errors
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
        click.echo(f"Knowledge base {root}: {counts['files']} files; sections: {sections} "
                   f"({counts['anchors']} anchors); FAQ entries: {counts['faq_entries']} "
                   f"(phrasings: {phrasings})")
    if n_err or (strict and n_warn):
        click.secho(f"✗ {n_err} error(s), {n_warn} warning(s): fix them and run validate again.",
                    fg="red", err=True)
        sys.exit(1)
    click.secho(f"✓ valid ({n_warn} warning(s))", fg="green")
