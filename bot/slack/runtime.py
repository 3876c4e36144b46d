"""Starting the bot: settings, index and store checked first (one clear line on failure), then
the app, served over HTTP by gunicorn or over Socket Mode."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.errors import GuidelinesBotError
from bot.service import AnswerService
from bot.slack.settings import Mode, SlackSettings
from bot.store import Store, open_store

if TYPE_CHECKING:
    from bot.slack.answering import Answering
    from bot.slack.casedesk import CaseDesk

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
WORKER_BOOT_ERROR = 3  # gunicorn's exit code for a worker that cannot boot: the master stops


@dataclass
class Runtime:
    settings: SlackSettings
    service: AnswerService
    store: Store
    desk: CaseDesk | None = None  # set by start_cases: the app and the scheduler share it
    answering: Answering | None = None  # the same


def configure_logging() -> None:
    level = os.environ.get("GUIDELINES_BOT_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if level != "DEBUG":  # bolt and the SDK log request bodies (message text) at DEBUG only
        for name in ("slack_bolt", "slack_sdk", "guidelines_bot.bolt"):
            logging.getLogger(name).setLevel(logging.WARNING)


def prepare(mode: Mode, knowledge=None, index=None, model=None) -> Runtime:
    """Everything the app needs, or a GuidelinesBotError that says what to set or run."""
    settings = SlackSettings.from_env(mode)
    service = AnswerService.from_config(knowledge, index, model)
    if service.is_stale():
        log.warning(
            "the knowledge changed since the index was built: run `guidelines-bot reindex` or `/mayipost admin reindex`"
        )
    store = open_store(index_dir=service.index_dir)
    store.prune_deliveries()
    if not settings.team_members and not settings.team_usergroup:
        log.warning("nobody may claim cases: set GUIDELINES_BOT_TEAM_MEMBERS or GUIDELINES_BOT_TEAM_USERGROUP")
    return Runtime(settings, service, store)


def start_cases(runtime: Runtime) -> Runtime:
    """The CaseDesk, the Answering, the scheduler thread (which first delivers what an earlier
    process left, and answers the questions it did not) and the thread that serves a build
    another process swapped in."""
    from bot.slack.answering import Answering
    from bot.slack.app import make_client
    from bot.slack.casedesk import CaseDesk
    from bot.slack.scheduler import Scheduler

    runtime.desk = CaseDesk(make_client(runtime.settings), runtime.service, runtime.store, runtime.settings)
    runtime.answering = Answering(runtime.service, runtime.store, runtime.settings, runtime.desk)
    Scheduler(runtime.desk, answering=runtime.answering).start()
    runtime.service.holder.follow()  # a reindex by another process or worker is served within seconds
    return runtime


def wsgi_app(runtime: Runtime):
    """The WSGI application: Slack's requests at /slack/events, a health check at /healthz."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.slack.app import build_app
    from bot.slack.gate import SignedOnly

    slack = SignedOnly(
        SlackRequestHandler(
            build_app(runtime.settings, runtime.service, runtime.store, desk=runtime.desk, answering=runtime.answering),
            path=EVENTS_PATH,
        ),
        runtime.settings.signing_secret,
    )

    def application(environ, start_response):
        if environ.get("PATH_INFO") == HEALTH_PATH:
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [health(runtime.service).encode("utf-8")]
        return slack(environ, start_response)

    return application


def health(service: AnswerService) -> str:
    """The body of /healthz: "ok", or "degraded: ..." while an older build stands in for a damaged
    one (still HTTP 200: the worker answers, and restarting it would not help)."""
    index = service.index
    if not index.degraded:
        return "ok"
    return (
        f"degraded: index build {index.fallback_from} is damaged ({index.damage}); serving the previous "
        f"build {index.build_id}; run `guidelines-bot reindex` or `/mayipost admin reindex`"
    )


def worker_app(runtime_options: dict):
    """The app of one gunicorn worker. A domain error (say, a damaged index and no previous build)
    is one log line and gunicorn's boot-error exit code, which stops the master: never a traceback."""
    try:
        runtime = start_cases(prepare("http", **runtime_options))
    except GuidelinesBotError as exc:
        log.error("this worker cannot start: %s", exc)
        sys.exit(WORKER_BOOT_ERROR)
    runtime.service.warm_up()
    return wsgi_app(runtime)


def serve_http(runtime_options: dict, host: str, port: int, workers: int) -> None:
    """gunicorn with threads: the master checks the configuration, each worker builds the app."""
    from gunicorn.app.base import BaseApplication

    prepare("http", **runtime_options).store.close()  # fail fast, before gunicorn starts; workers reconnect

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": 4,
                "timeout": 60,
                "graceful_timeout": 30,
                "accesslog": None,
                "loglevel": "info",
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return worker_app(runtime_options)

    Server().run()


def serve_socket(runtime_options: dict) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import build_app

    runtime = start_cases(prepare("socket", **runtime_options))
    app = build_app(
        runtime.settings,
        runtime.service,
        runtime.store,
        socket_mode=True,
        desk=runtime.desk,
        answering=runtime.answering,
    )
    runtime.service.warm_up()
    log.info("connecting to Slack over Socket Mode")
    SocketModeHandler(app, runtime.settings.app_token).start()
