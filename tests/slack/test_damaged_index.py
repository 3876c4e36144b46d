"""A damaged index at start-up (issue 13, point 4): the server boots on the previous complete
build and says so in /healthz (HTTP 200, a degraded body) and in `/mayipost admin status`; without
a previous build it stops with one line instead of a traceback."""

from __future__ import annotations

import logging
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.index.build import reindex
from bot.service import AnswerService
from tests.slack import payloads
from tests.slack.conftest import MAINTAINER, SECRET, make_service
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_serve import free_port, serving_env, start_serving, stop, wait_until_healthy

QUESTION = "Darf ich Fotos vom Sommerfest posten?"


def damaged_index(root: Path, previous_build: bool = True) -> tuple[AnswerService, str, str]:
    """An index under ``root`` whose current build has a truncated dense.faiss; returns the service
    of the intact index, the damaged build's id and the previous one's (or "")."""
    service = make_service(root)
    previous = service.index_dir.resolve().name if previous_build else ""
    if previous_build:
        reindex(service.knowledge_dir, service.index_dir, service.embedder)
    dense = service.index_dir.resolve() / "dense.faiss"
    dense.write_bytes(dense.read_bytes()[:100])
    return service, service.index_dir.resolve().name, previous


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("DATABASE_URL", "SLACK_APP_TOKEN", "GUIDELINES_BOT_MAINTAINERS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_serve_http_boots_on_the_previous_build_and_healthz_says_degraded(tmp_path):
    service, damaged, previous = damaged_index(tmp_path)
    slack = FakeSlack().start()
    port = free_port()
    process = start_serving(tmp_path, slack, "http", "--host", "127.0.0.1", "--port", str(port), service=service)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            status, body = response.status, response.read().decode()
        poster = payloads.SignedPoster(f"http://127.0.0.1:{port}/slack/events", SECRET)
        event = payloads.message(QUESTION, channel="D0DAMAGED")
        assert poster.event(payloads.event_callback(event))[0] == 200
        [reply] = slack.wait_for("chat.postMessage", channel="D0DAMAGED")
    finally:
        output = stop(process)
        slack.stop()
    assert status == 200
    assert body == (
        f"degraded: index build {damaged} is damaged (dense.faiss does not match its checksum (truncated or "
        f"changed on disk)); serving the previous build {previous}; run `guidelines-bot reindex` or "
        "`/mayipost admin reindex`"
    )
    assert "Ja, wenn alle zugestimmt haben." in reply.text  # answered from the previous build
    errors = [line for line in output.splitlines() if " ERROR " in line]
    assert errors and all(f"index build {damaged} is damaged: dense.faiss does not match" in e for e in errors)
    assert all(f"serving the previous complete build {previous}" in e for e in errors)
    assert "Traceback" not in output and "Sommerfest" not in output


def test_serve_without_a_previous_build_stops_in_one_line(tmp_path, clean_env):
    service, damaged, _ = damaged_index(tmp_path, previous_build=False)
    slack = FakeSlack().start()
    try:
        result = CliRunner().invoke(main, ["serve", "--mode", "http"], env=serving_env(service, slack))
    finally:
        slack.stop()
    assert result.exit_code == 1
    assert result.output == (
        f"Error: the index build {damaged} at {service.index_dir} is damaged: dense.faiss does not match its "
        "checksum (truncated or changed on disk), and no previous complete build verifies to fall back to; "
        f"run `guidelines-bot reindex --knowledge {service.knowledge_dir} --index {service.index_dir}`\n"
    )


def test_wsgi_factory_on_a_damaged_index_reports_degraded_health(tmp_path, clean_env, caplog):
    from wsgiref.util import setup_testing_defaults

    service, damaged, previous = damaged_index(tmp_path)
    slack = FakeSlack().start()
    for name, value in serving_env(service, slack).items():
        clean_env.setenv(name, value)
    from bot.slack.wsgi import create_app

    try:
        with caplog.at_level(logging.INFO):
            app = create_app()
        environ = {"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"}
        setup_testing_defaults(environ)
        statuses = []
        body = b"".join(app(environ, lambda status, headers: statuses.append((status, headers))))
    finally:
        slack.stop()
    assert statuses[0][0] == "200 OK"
    assert body.decode().startswith(f"degraded: index build {damaged} is damaged (dense.faiss does not match")
    assert f"serving the previous build {previous}" in body.decode()
    [error] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.name == "bot.index.store" and f"{damaged} is damaged: dense.faiss" in error.getMessage()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "admin status bitte",
            "Der aktuelle Index-Build {damaged} ist beschädigt (`dense.faiss does not match its checksum "
            "(truncated or changed on disk)`). Ich antworte aus dem vorherigen vollständigen Build {previous}, "
            "bis der Index neu gebaut ist: `/mayipost admin reindex`",
        ),
        (
            "admin status please",
            "The current index build {damaged} is damaged (`dense.faiss does not match its checksum (truncated "
            "or changed on disk)`). I am answering from the previous complete build {previous} until the index "
            "is rebuilt: `/mayipost admin reindex`",
        ),
    ],
)
def test_admin_status_tells_the_maintainer_and_a_reindex_ends_it(tmp_path, bot_factory, command, expected):
    intact, damaged, previous = damaged_index(tmp_path)
    service = AnswerService(intact.knowledge_dir, intact.index_dir, intact.embedder)
    assert service.index.fallback_from == damaged
    bot = bot_factory("http", service=service)

    bot.send_command(payloads.command(command, bot.slack.response_url("status-1"), user=MAINTAINER))
    [status] = bot.slack.wait_for("response_url", _url="/response/status-1")
    assert expected.format(damaged=damaged, previous=previous) in status.text
    assert f"Index {previous} (" in status.text

    bot.send_command(payloads.command("admin reindex", bot.slack.response_url("reindex"), user=MAINTAINER))
    bot.slack.wait_for("response_url", count=2, _url="/response/reindex")
    bot.send_command(payloads.command(command, bot.slack.response_url("status-2"), user=MAINTAINER))
    [status] = bot.slack.wait_for("response_url", _url="/response/status-2")
    assert "damaged" not in status.text and "beschädigt" not in status.text
    assert f"Index {service.index.build_id} (" in status.text and service.index.build_id not in (damaged, previous)


def test_a_gunicorn_worker_without_a_usable_index_exits_with_the_boot_error_code(tmp_path, clean_env, caplog):
    service, damaged, _ = damaged_index(tmp_path, previous_build=False)
    slack = FakeSlack().start()
    for name, value in serving_env(service, slack).items():
        clean_env.setenv(name, value)
    from bot.slack.wsgi import create_app

    try:
        with pytest.raises(SystemExit) as exited:
            create_app()
    finally:
        slack.stop()
    assert exited.value.code == 3  # gunicorn's WORKER_BOOT_ERROR: the master stops with "Worker failed to boot"
    [error] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.getMessage().startswith(f"this worker cannot start: the index build {damaged} at ")
    assert error.exc_info is None  # one line, no traceback
