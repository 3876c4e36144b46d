"""`guidelines-bot serve`: fails fast with one line; serves over gunicorn (HTTP) and Socket Mode
as real processes, configured only through the environment, as in production."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.service import AnswerService
from tests.slack import payloads
from tests.slack.conftest import SECRET, make_service
from tests.slack.fake_slack import FakeSlack, FakeSocketMode

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Darf ich Fotos vom Sommerfest posten?"


@pytest.fixture
def clean_env(monkeypatch):
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "DATABASE_URL",
        "GUIDELINES_BOT_KNOWLEDGE",
        "GUIDELINES_BOT_INDEX",
        "GUIDELINES_BOT_MODEL",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("mode", "env", "message"),
    [
        ("http", {}, "Error: set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET for --mode http"),
        ("socket", {"SLACK_BOT_TOKEN": "xoxb-1"}, "Error: set SLACK_APP_TOKEN for --mode socket"),
    ],
)
def test_missing_tokens_fail_in_one_line(clean_env, mode, env, message):
    result = CliRunner().invoke(main, ["serve", "--mode", mode], env=env)
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1


def test_a_missing_index_fails_in_one_line(clean_env, tmp_path):
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "GUIDELINES_BOT_MODEL": "hashing-64"}
    result = CliRunner().invoke(main, ["serve", "--mode", "socket", "--index", str(tmp_path / "none")], env=env)
    assert result.exit_code == 1
    assert (
        result.output == f"Error: no index at {tmp_path / 'none'}; run `guidelines-bot reindex --knowledge knowledge "
        f"--index {tmp_path / 'none'}`\n"  # the hint carries the knowledge folder the bot uses
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serving_env(service: AnswerService, slack: FakeSlack) -> dict[str, str]:
    """The environment a production process gets: tokens, the fake Slack, the service's folders."""
    return {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "xapp-test",
        "SLACK_API_URL": slack.api_url,
        "GUIDELINES_BOT_MODEL": "hashing-64",
        "GUIDELINES_BOT_KNOWLEDGE": str(service.knowledge_dir),
        "GUIDELINES_BOT_INDEX": str(service.index_dir),
    }


def start_serving(
    tmp_path: Path, slack: FakeSlack, mode: str, *extra: str, service: AnswerService | None = None
) -> subprocess.Popen:
    """``guidelines-bot serve`` as a process, on ``service``'s index (a new one in tmp_path if None)."""
    env = {**os.environ, **serving_env(service or make_service(tmp_path), slack)}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--mode", mode, *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, stop(process)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never became healthy:\n{stop(process)}")


def test_serve_http_runs_gunicorn_and_answers(tmp_path):
    slack = FakeSlack().start()
    port = free_port()
    process = start_serving(tmp_path, slack, "http", "--host", "127.0.0.1", "--port", str(port))
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", process)
        poster = payloads.SignedPoster(f"http://127.0.0.1:{port}/slack/events", SECRET)
        event = payloads.message(QUESTION, channel="D0SERVE")
        status, _ = poster.event(payloads.event_callback(event))
        assert status == 200
        [reply] = slack.wait_for("chat.postMessage", channel="D0SERVE")
        assert reply.params["thread_ts"] == event["ts"] and "Ja, wenn alle zugestimmt haben." in reply.text
        assert poster.event(payloads.event_callback(event), sign_with="wrong")[0] == 401
    finally:
        output = stop(process)
        slack.stop()
    assert (tmp_path / "guidelines-bot.db").is_file()  # the default store, beside the index
    assert QUESTION not in output and "Sommerfest" not in output  # no message text in the logs


def test_serve_socket_connects_and_answers(tmp_path):
    slack = FakeSlack().start()
    sockets = FakeSocketMode().start()
    slack.ws_url = sockets.url
    process = start_serving(tmp_path, slack, "socket")
    try:
        assert sockets.connected.wait(120), stop(process)
        event = payloads.message(QUESTION, channel="D0SOCKET")
        sockets.send("events_api", payloads.event_callback(event), "env-serve-1")
        assert sockets.wait_ack("env-serve-1")["envelope_id"] == "env-serve-1"
        [reply] = slack.wait_for("chat.postMessage", channel="D0SOCKET")
        assert reply.params["thread_ts"] == event["ts"]
        assert slack.of("apps.connections.open")[0].token == "xapp-test"
    finally:
        output = stop(process)
        sockets.stop()
        slack.stop()
    assert "Sommerfest" not in output


def test_wsgi_factory_serves_health_and_refuses_unsigned(tmp_path, clean_env):
    from wsgiref.util import setup_testing_defaults

    slack = FakeSlack().start()
    service = make_service(tmp_path)
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "GUIDELINES_BOT_MODEL": "hashing-64",
        "GUIDELINES_BOT_KNOWLEDGE": str(service.knowledge_dir),
        "GUIDELINES_BOT_INDEX": str(service.index_dir),
    }.items():
        clean_env.setenv(name, value)
    from bot.slack.wsgi import create_app

    app = create_app()
    try:
        responses = []
        for path, method in (("/healthz", "GET"), ("/slack/events", "POST")):
            environ = {"PATH_INFO": path, "REQUEST_METHOD": method}
            setup_testing_defaults(environ)
            body = b"".join(app(environ, lambda status, headers: responses.append(status)))
            responses.append(body)
        assert responses[:2] == ["200 OK", b"ok"] and responses[2].startswith("401")
    finally:
        slack.stop()


def test_a_command_line_reindex_is_served_by_every_worker_without_a_restart(tmp_path):
    """Two gunicorn workers answer from the build a command-line `guidelines-bot reindex` swapped
    in while they ran (before: each kept the build it started with until it was restarted)."""
    slack = FakeSlack().start()
    service = make_service(tmp_path)
    env = {**os.environ, **serving_env(service, slack), "GUIDELINES_BOT_MULTILINGUAL": "off"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bot.db'}"
    port = free_port()
    command = [sys.executable, "-m", "bot", "serve", "--mode", "http", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", "2"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", process)
        poster = payloads.SignedPoster(f"http://127.0.0.1:{port}/slack/events", SECRET)

        def ask(channel: str) -> str:
            assert poster.event(payloads.event_callback(payloads.message(QUESTION, channel=channel)))[0] == 200
            [reply] = slack.wait_for("chat.postMessage", channel=channel)
            return reply.text

        assert "Ja, wenn alle zugestimmt haben." in ask("D0OLD")
        faq = service.knowledge_dir / "faq.yaml"
        faq.write_text(faq.read_text().replace("wenn alle zugestimmt", "wenn alle schriftlich zugestimmt"))
        subprocess.run([sys.executable, "-m", "bot", "reindex"], cwd=ROOT, env=env, check=True, capture_output=True)
        time.sleep(3 * 2.0)  # FOLLOW_SECONDS: every worker looks every two seconds
        for i in range(4):  # spread over both workers
            assert "Ja, wenn alle schriftlich zugestimmt haben." in ask(f"D0NEW{i}")
    finally:
        output = stop(process)
        slack.stop()
    assert "swapped in by another process" in output
