"""Builds the bolt App from settings, the AnswerService and the store, and wires the listeners."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.service import AnswerService
from bot.slack.answering import Answering
from bot.slack.asker import new_id
from bot.slack.casedesk import CaseDesk
from bot.slack.listeners import register_listeners
from bot.slack.settings import SlackSettings
from bot.store import Store

log = logging.getLogger(__name__)


def make_client(settings: SlackSettings) -> WebClient:
    """The Web API client (base URL ``settings.api_url``, SLACK_API_URL). When Slack says "slow
    down" (HTTP 429, e.g. more than about one message a second into one channel), the call waits
    the Retry-After Slack names and tries again, up to three times, instead of failing."""
    client = WebClient(token=settings.bot_token, base_url=settings.api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client


def build_app(
    settings: SlackSettings,
    service: AnswerService,
    store: Store,
    *,
    socket_mode: bool = False,
    desk: CaseDesk | None = None,
    answering: Answering | None = None,
) -> App:
    """The app, acknowledging at once and answering in its pool of ``settings.workers`` threads.
    ``desk``, ``answering``: the ones the process's scheduler uses too (else its own)."""
    client = desk.client if desk is not None else make_client(settings)
    desk = desk or CaseDesk(client, service, store, settings)
    app = App(
        client=client,
        signing_secret=settings.signing_secret or "",
        request_verification_enabled=not socket_mode,
        listener_executor=ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="answer"),
        logger=logging.getLogger("guidelines_bot.bolt"),
        name="guidelines-bot",
    )
    register_listeners(app, answering or Answering(service, store, settings, desk))

    @app.error
    def on_unhandled_error(error: Exception, body: dict) -> None:
        """Last resort for errors outside our listeners' own handling: log, never the text."""
        log.error(
            "unhandled error: case=%s request=%s", new_id(), body.get("type") or body.get("command"), exc_info=error
        )

    return app
