"""What every command shares: the knowledge, index and model options, the answer service, and
domain errors as one line on stderr with exit code 1 (never a traceback)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from bot import config
from bot.errors import GuidelinesBotError


def domain_errors(func):
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
    return click.option(
        "--knowledge",
        "knowledge",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Knowledge directory [default: ./knowledge or $GUIDELINES_BOT_KNOWLEDGE]",
    )(func)


def index_option(func):
    return click.option(
        "--index",
        "index",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index directory [default: index/ next to the knowledge, or $GUIDELINES_BOT_INDEX]",
    )(func)


def model_option(func):
    return click.option(
        "--model",
        default=None,
        help="sentence-transformers model name or local path "
        "[default: all-MiniLM-L6-v2, bundled; or $GUIDELINES_BOT_MODEL]",
    )(func)


def threshold_option(func):
    return click.option(
        "--threshold",
        type=click.FloatRange(0, 1),
        default=None,
        help="Confidence below which the bot hands over to the team [default: calibrated, or "
        "$GUIDELINES_BOT_THRESHOLD].",
    )(func)


def multilingual_option(func):
    return click.option(
        "--multilingual",
        default=None,
        metavar="ENCODER|off",
        help="Second, multilingual dense channel [default: use-multilingual-v3, bundled; or "
        "$GUIDELINES_BOT_MULTILINGUAL; off disables it]",
    )(func)


def load_service(
    knowledge: Path | None,
    index: Path | None,
    model: str | None,
    threshold: float | None = None,
    multilingual: str | None = None,
):
    """The answer service for the CLI: missing or mismatched index -> one clear line."""
    from bot.service import AnswerService

    root = config.knowledge_dir(knowledge)
    if not root.is_dir():
        raise GuidelinesBotError(
            f"no knowledge folder at {root}: pass --knowledge DIR (a folder of guideline Markdown files)"
        )
    service = AnswerService.from_config(knowledge, index, model, multilingual)
    built_from = service.index.built_from
    if built_from is not None and built_from != root.resolve() and service.is_stale():  # a copy is fine
        raise GuidelinesBotError(
            f"the index at {service.index_dir} was built from {built_from}, not from {root}: run "
            f"`guidelines-bot reindex --knowledge {root} --index {service.index_dir}`, or give the --index of {root}"
        )
    if threshold is not None:
        from dataclasses import replace

        from bot.answer import DecisionParams

        service.params = replace(service.params or DecisionParams(), threshold=threshold)
    if service.is_stale():
        click.secho(
            f"Note: {service.knowledge_dir} changed since the index was built; answers use the old "
            f"index. Run `guidelines-bot reindex --knowledge {service.knowledge_dir} --index {service.index_dir}` "
            "to update it.",
            fg="yellow",
            err=True,
        )
    return service
