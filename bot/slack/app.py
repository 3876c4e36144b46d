"""Builds the bolt App from settings, the AnswerService and the store, and wires the listeners."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot.service import AnswerService
from bot.slack.answering import Answering, new_id
from bot.slack.listeners import register_listeners
from bot.slack.settings import SlackSettings
from bot.store import Store

log = logging.getLogger(__name__)


def build_app(settings: SlackSettings, service: AnswerService, store: Store, *, socket_mode: bool = False) -> App:
    """The app, acknowledging at once and answering in its pool of ``settings.workers`` threads.
    The Web API base URL is ``settings.api_url`` (SLACK_API_URL)."""
    client = WebClient(token=settings.bot_token, base_url=settings.api_url)
    app = App(client=client, signing_secret=settings.signing_secret or "", request_verification_enabled=not socket_mode,
              listener_executor=ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="answer"),
              logger=logging.getLogger("guidelines_bot.bolt"), name="guidelines-bot")
    register_listeners(app, Answering(service, store, settings))

    @app.error
    def on_unhandled_error(error: Exception, body: dict) -> None:
        """Last resort for errors outside our listeners' own handling: log, never the text."""
        log.error("unhandled error: case=%s request=%s", new_id(), body.get("type") or body.get("command"),
                  exc_info=error)

    return app
