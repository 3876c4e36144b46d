"""The real app, started over real HTTP (a WSGI server on 127.0.0.1, the same WSGI callable
gunicorn serves) or over Socket Mode (against a local WebSocket server), talking to a local fake
Slack. The core answers from a small knowledge base indexed with the hashing embedder."""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from bot.index.build import reindex
from bot.index.embedding import make_embedder
from bot.service import AnswerService
from bot.slack.app import build_app
from bot.slack.runtime import EVENTS_PATH, Runtime, wsgi_app
from bot.slack.settings import SlackSettings
from bot.store import open_store
from tests.conftest import small_kb_files, write_kb
from tests.slack import payloads
from tests.slack.fake_slack import FakeSlack, FakeSocketMode

SECRET = "test-signing-secret"
MAINTAINER = "U0MAINT"
TEAM_CHANNEL = "C0TEAM"  # the small knowledge base routes everything to this channel
_envelopes = itertools.count(1)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@dataclass
class Bot:
    """One running app and the fake Slack it talks to. ``send_*`` deliver as Slack would over the
    transport in use and return what Slack gets back (HTTP status and body, or the Socket Mode ack)."""

    slack: FakeSlack
    service: AnswerService
    store: object
    settings: SlackSettings
    knowledge_dir: Path
    transport: str
    poster: payloads.SignedPoster | None = None
    socket: FakeSocketMode | None = None
    stops: list = field(default_factory=list)

    def _send(self, envelope_type: str, body: dict, http_call, retry: int = 0):
        if self.transport == "http":
            status, text = http_call()
            assert status == 200, (status, text)
            try:
                return json.loads(text) if text else {}
            except ValueError:
                return text
        envelope_id = f"env-{next(_envelopes)}"
        self.socket.send(envelope_type, body, envelope_id, retry_attempt=retry)
        return self.socket.wait_ack(envelope_id)

    def send_event(self, body: dict, retry: int = 0):
        return self._send("events_api", body, lambda: self.poster.event(body, retry=retry or None), retry)

    def send_command(self, fields: dict):
        return self._send("slash_commands", fields, lambda: self.poster.command(fields))

    def send_interaction(self, payload: dict):
        return self._send("interactive", payload, lambda: self.poster.interaction(payload))


def make_service(root: Path, files: dict[str, str] | None = None) -> AnswerService:
    knowledge = write_kb(root / "knowledge", files or small_kb_files())
    embedder = make_embedder("hashing-64")
    reindex(knowledge, root / "index", embedder)
    return AnswerService(knowledge, root / "index", embedder)


def start_bot(
    tmp_path: Path,
    transport: str,
    service: AnswerService | None = None,
    store_url: str | None = None,
    store=None,
    **settings_overrides,
) -> Bot:
    """A running app on ``transport`` with its own fake Slack; its store is ``store``, else one at
    ``store_url``, else tmp_path/bot.db."""
    slack = FakeSlack().start()
    service = service or make_service(tmp_path)
    store = store or open_store(store_url or f"sqlite:///{tmp_path / 'bot.db'}")
    settings = SlackSettings(
        bot_token="xoxb-test",
        signing_secret=SECRET,
        app_token="xapp-test",
        api_url=slack.api_url,
        maintainers=frozenset({MAINTAINER}),
        docs_url="https://intranet.example/guidelines",
        **settings_overrides,
    )
    bot = Bot(slack, service, store, settings, service.knowledge_dir, transport, stops=[slack.stop, store.close])
    if transport == "http":
        server = make_server(
            "127.0.0.1",
            0,
            wsgi_app(Runtime(settings, service, store)),
            server_class=_Server,
            handler_class=_QuietHandler,
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        bot.poster = payloads.SignedPoster(f"http://127.0.0.1:{server.server_port}{EVENTS_PATH}", SECRET)
        bot.stops[:0] = [server.shutdown, server.server_close]
    else:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        bot.socket = FakeSocketMode().start()
        slack.ws_url = bot.socket.url
        handler = SocketModeHandler(build_app(settings, service, store, socket_mode=True), settings.app_token)
        handler.connect()  # asks the fake Web API for the URL (apps.connections.open), then connects
        bot.stops[:0] = [handler.close, bot.socket.stop]
    return bot


@pytest.fixture
def bot_factory(tmp_path):
    """Starts bots (stopped after the test): ``bot_factory(transport, **settings)``."""
    running: list[Bot] = []

    def start(transport: str = "http", root: Path | None = None, **options) -> Bot:
        running.append(start_bot(root or tmp_path, transport, **options))
        return running[-1]

    yield start
    for bot in running:
        for stop in bot.stops:
            stop()


@pytest.fixture(params=["http", "socket"])
def bot(request, bot_factory):
    """The app over each transport, answering in two threads."""
    return bot_factory(request.param, workers=2)


@pytest.fixture(params=["http", "socket"])
def sequential_bot(request, bot_factory):
    """The app with one answering thread: deliveries are handled in the order they were
    acknowledged, so an answer to a later question proves earlier ones were handled."""
    return bot_factory(request.param, workers=1)


@pytest.fixture
def http_bot(bot_factory):
    return bot_factory("http")
