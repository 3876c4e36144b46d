"""Running the Slack bot: `serve`."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import domain_errors, index_option, knowledge_option, model_option


@click.command()
@click.option(
    "--mode",
    type=click.Choice(["socket", "http"]),
    required=True,
    help="socket: Socket Mode (SLACK_APP_TOKEN), no public URL needed; http: Slack calls "
    "/slack/events on this server (SLACK_SIGNING_SECRET).",
)
@click.option("--port", type=int, default=None, help="HTTP port [default: $PORT or 3000]")
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP interface to listen on.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="HTTP worker processes [default: $WEB_CONCURRENCY or 1]; several share state through DATABASE_URL.",
)
@knowledge_option
@index_option
@model_option
@domain_errors
def serve(
    mode: str,
    port: int | None,
    host: str,
    workers: int | None,
    knowledge: Path | None,
    index: Path | None,
    model: str | None,
) -> None:
    """Run the Slack bot (tokens from the environment: see README, 'Install in your Slack workspace')."""
    import os

    from bot.slack import runtime

    runtime.configure_logging()
    options = {"knowledge": knowledge, "index": index, "model": model}
    if mode == "socket":
        runtime.serve_socket(options)
    else:
        runtime.serve_http(
            options,
            host,
            port or int(os.environ.get("PORT", "3000")),
            workers or int(os.environ.get("WEB_CONCURRENCY", "1")),
        )
