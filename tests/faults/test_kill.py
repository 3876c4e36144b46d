"""kill -9 at each step of answering and escalating (issue 13, point 3): a real
`guidelines-bot serve --mode http` (gunicorn) against the fake Slack, killed with SIGKILL while
one Slack call hangs. A second process on the same database then answers what the first one
acknowledged: the asker gets the answer once, the team gets the case once, and the log holds no
question text."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.escalation import CaseService
from bot.slack.asker import new_id
from bot.slack.blocks import ASK_TEAM, pack_value
from bot.store import open_store
from tests.faults.conftest import PRESS, no_question_text
from tests.slack import payloads
from tests.slack.conftest import SECRET, TEAM_CHANNEL, make_service
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_serve import free_port, serving_env, wait_until_healthy
from tests.store.conftest import PG_URL, pg_schema_factory  # noqa: F401 - the fixture, for PostgreSQL

ROOT = Path(__file__).resolve().parents[2]
PHOTOS = "Darf ich Fotos vom Sommerfest posten?"
LOST = "_lost_with_its_process"
DEADLINE = 1  # seconds: the answer deadline, so a dead process's lease (2 x 1 + 5 s) passes soon


@dataclass(frozen=True)
class Step:
    """One question (``text`` from ``user`` in the DM ``channel``) and the Slack call its process
    is killed in: the first ``method`` to ``to`` (its text holding ``needle``, if given)."""

    text: str
    user: str
    channel: str
    method: str
    to: str
    needle: str = ""
    escalates: bool = False
    case_leased: bool = False  # the dead process may hold the case message's outbox lease (90 s)

    def hangs(self, method: str, params: dict) -> bool:
        channel = params.get("channel") or params.get("channel_id") or params.get("_url")  # _url: response_url's
        return method == self.method and channel == self.to and self.needle in str(params.get("text", ""))


class StallingSlack(FakeSlack):
    """Slack on which one call per step hangs until released; those calls never arrive (their
    process is killed meanwhile)."""

    def __init__(self, steps: list[Step]) -> None:
        super().__init__()
        self.waiting = list(steps)
        self.stalled, self.release = threading.Semaphore(0), threading.Event()
        self._lock = threading.Lock()

    def answer(self, method: str, params: dict) -> dict:
        with self._lock:
            hanging = [s for s in self.waiting if s.hangs(method, params)][:1]
            self.waiting = [s for s in self.waiting if s not in hanging]
        if not hanging:
            return super().answer_response_url(params) if method == "response_url" else super().answer(method, params)
        self.stalled.release()
        self.release.wait(60)
        params[LOST] = True  # its process is dead: Slack never got it
        return {"ok": False, "error": "connection_lost"}

    def answer_response_url(self, params: dict) -> dict:
        return self.answer("response_url", params)

    def record(self, call) -> None:
        if not call.params.get(LOST):
            super().record(call)


class Server:
    """One `guidelines-bot serve --mode http` process group (gunicorn's master and worker)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.output = log.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--mode", "http", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn's worker dies with the master
        )
        wait_until_healthy(f"http://127.0.0.1:{self.port}/healthz", self.process)
        self.poster = payloads.SignedPoster(f"http://127.0.0.1:{self.port}/slack/events", SECRET)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)
        self.output.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.output.close()


def shut_down(slack: StallingSlack, *servers: Server | None) -> None:
    for server in servers:
        if server is not None:
            server.stop()
    slack.release.set()
    slack.stop()


def kill_while_hanging(slack: StallingSlack, server: Server, hanging: int, log: Path) -> float:
    """Kill ``server`` once ``hanging`` of its Slack calls hang; returns when (time.monotonic)."""
    for _ in range(hanging):
        assert slack.stalled.acquire(timeout=30), log.read_text()
    server.kill()
    slack.release.set()
    return time.monotonic()


def database_url(tmp_path: Path, request, database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.db'}"
    return f"{PG_URL}?options=-csearch_path%3D{request.getfixturevalue('pg_schema_factory')()}"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    return make_service(tmp_path_factory.mktemp("kb"))


def steps() -> list[Step]:
    """kill -9 at each step of answering and of escalating."""
    return [
        Step(PHOTOS, "U0K1", "D0K1", "assistant.threads.setStatus", "D0K1"),  # claimed, not answered
        Step(PHOTOS, "U0K2", "D0K2", "chat.postMessage", "D0K2"),  # the answer on its way
        Step(PRESS, "U0K3", "D0K3", "assistant.threads.setStatus", "D0K3", escalates=True),
        Step(PRESS, "U0K4", "D0K4", "chat.postMessage", TEAM_CHANNEL, "<@U0K4>", True, True),  # case stored
        Step(PRESS, "U0K5", "D0K5", "chat.postMessage", "D0K5", escalates=True),  # case posted, answer on its way
    ]


def start_env(service, slack: FakeSlack, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        **serving_env(service, slack),
        "DATABASE_URL": database_url,
        "GUIDELINES_BOT_ANSWER_DEADLINE": str(DEADLINE),
        "GUIDELINES_BOT_TEAM_MEMBERS": "U0ANNA",
        "WEB_CONCURRENCY": "1",
    }


@pytest.mark.parametrize(
    ("database", "recovery"), [("sqlite", "restart"), ("sqlite", "slack retry"), ("postgresql", "restart")]
)
def test_kill_9_at_each_step_of_answering_and_escalating_loses_nothing(tmp_path, service, request, database, recovery):
    """All five questions are in flight, each hanging in another step, when the process is
    killed; a new process (its scheduler, or Slack's retry of each event) answers every one."""
    url = database_url(tmp_path, request, database)
    plan = steps()
    slack = StallingSlack(plan).start()
    env, log = start_env(service, slack, url), tmp_path / "server.log"
    first, second = Server(env, log), None
    try:
        sent = []
        for step in plan:
            question = payloads.message(step.text, user=step.user, channel=step.channel)
            body = payloads.event_callback(question)
            assert first.poster.event(body)[0] == 200  # acknowledged: from here on it must not be lost
            sent.append((step, question, body))
        killed_at = kill_while_hanging(slack, first, len(plan), log)

        second = Server(env, log)
        if recovery == "slack retry":  # Slack retries; the dead process's lease has passed by then
            time.sleep(max(0.0, 2 * DEADLINE + 5 - (time.monotonic() - killed_at)))
            for _, _, body in sent:
                assert second.poster.event(body, retry=1)[0] == 200
        recovered = []
        for step, question, _ in sent:
            slack.wait_for("chat.postMessage", channel=step.channel, thread_ts=question["ts"], timeout=30)
            recovered.append(time.monotonic() - killed_at)
        time.sleep(1.5)  # anything repeated would come now
        cases = [c for c in slack.of("chat.postMessage", channel=TEAM_CHANNEL) if not c.params.get("thread_ts")]
        store = open_store(env["DATABASE_URL"])
        outbox = CaseService(store).outbox
        for step, question, _ in sent:
            answers = slack.of("chat.postMessage", channel=step.channel, thread_ts=question["ts"])
            assert len(answers) == 1, (step, [a.text for a in answers])
            posted = [c for c in cases if f"<@{step.user}>" in c.text]
            if step.case_leased and not posted:  # stored: the outbox posts it once the dead one's lease passed
                assert "versuche es weiter" in answers[0].text, (step, answers[0].text)
                [case] = [c for c in CaseService(store).cases() if c.asker == step.user]
                assert case.team_ts is None and "post_case" in {i.kind for i in outbox.pending(case.id)}
            elif step.escalates:
                assert "an Social-Media-Team (<#C0TEAM>) weitergegeben" in answers[0].text, (step, answers[0].text)
                assert len(posted) == 1, step
            else:
                assert "Ja, wenn alle zugestimmt haben." in answers[0].text, step
        assert max(recovered) < 25, recovered
        assert store.unanswered.waiting() == 0  # answered, and the texts kept for it deleted
        store.close()
        print(f"\n{database}, {recovery}: every question answered {max(recovered):.1f} s after the kill")
    finally:
        shut_down(slack, first, second)
    no_question_text(log.read_text())
    assert PHOTOS not in log.read_text()


def test_kill_9_while_a_question_waits_for_a_listener_thread_loses_nothing(tmp_path, service):
    """One listener thread, busy with the first question when the second is acknowledged: the
    second was stored before its acknowledgement, so the process killed now loses neither."""
    busy = Step(PHOTOS, "U0W1", "D0W1", "assistant.threads.setStatus", "D0W1")
    slack = StallingSlack([busy]).start()
    env = {**start_env(service, slack, f"sqlite:///{tmp_path / 'bot.db'}"), "GUIDELINES_BOT_WORKERS": "1"}
    log = tmp_path / "server.log"
    first, second = Server(env, log), None
    try:
        questions = [payloads.message(PHOTOS, user=u, channel=c) for u, c in (("U0W1", "D0W1"), ("U0W2", "D0W2"))]
        assert first.poster.event(payloads.event_callback(questions[0]))[0] == 200
        assert slack.stalled.acquire(timeout=30), log.read_text()
        assert first.poster.event(payloads.event_callback(questions[1]))[0] == 200  # waits for the thread
        first.kill()
        slack.release.set()
        second = Server(env, log)
        for question in questions:
            slack.wait_for("chat.postMessage", channel=question["channel"], thread_ts=question["ts"], timeout=30)
        time.sleep(1.5)
        for question in questions:
            [answer] = slack.of("chat.postMessage", channel=question["channel"], thread_ts=question["ts"])
            assert "Ja, wenn alle zugestimmt haben." in answer.text
    finally:
        shut_down(slack, first, second)
    assert PHOTOS not in log.read_text()


SHORTCUT_POST = "Endlich ist das neue Büro fertig, schaut euch die Fotos an! #neuesbüro"


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_kill_9_while_a_command_or_a_shortcut_is_answered_loses_neither(tmp_path, service, request, database):
    """`/mayipost` and "Check this post" (which Slack never retries) are acknowledged, then the
    process is killed while their private answers are on their way to the response_url (one of
    them after its case was posted): a new process answers each once through its stored
    response_url, with the same question id (the case is not opened twice)."""
    url = database_url(tmp_path, request, database)
    plan = [
        Step(PHOTOS, "U0C1", "C0GENERAL", "response_url", "/response/cmd"),
        Step(SHORTCUT_POST, "U0C2", "C0GENERAL", "response_url", "/response/post"),
        Step(PRESS, "U0C3", "C0GENERAL", "response_url", "/response/press", escalates=True),
    ]
    slack = StallingSlack(plan).start()
    env, log = start_env(service, slack, url), tmp_path / "server.log"
    first, second = Server(env, log), None
    try:
        for step in plan:
            name = step.to.removeprefix("/response/")
            if name == "post":
                payload = payloads.message_shortcut(step.text, slack.response_url(name), user=step.user)
                assert first.poster.interaction(payload)[0] == 200
            else:
                payload = payloads.command(step.text, slack.response_url(name), user=step.user)
                assert first.poster.command(payload)[0] == 200
        killed_at = kill_while_hanging(slack, first, len(plan), log)

        second = Server(env, log)
        recovered = []
        for step in plan:
            slack.wait_for("response_url", _url=step.to, timeout=30)
            recovered.append(time.monotonic() - killed_at)
        time.sleep(1.5)  # anything repeated would come now
        answers = {step.to: slack.of("response_url", _url=step.to) for step in plan}
        assert all(len(calls) == 1 for calls in answers.values()), {k: [c.text for c in v] for k, v in answers.items()}
        assert "Ja, wenn alle zugestimmt haben." in answers["/response/cmd"][0].text
        assert answers["/response/post"][0].params.get("response_type") == "ephemeral"
        assert "Fall" not in answers["/response/post"][0].text  # an answer, not the failure notice
        assert "weitergegeben" in answers["/response/press"][0].text, answers["/response/press"][0].text
        cases = [c for c in slack.of("chat.postMessage", channel=TEAM_CHANNEL) if not c.params.get("thread_ts")]
        assert len([c for c in cases if "<@U0C3>" in c.text]) == 1  # the same question id: one case
        store = open_store(env["DATABASE_URL"])
        assert store.unanswered.waiting() == 0  # answered, and the texts and response_urls deleted
        store.close()
        assert max(recovered) < 25, recovered
        print(f"\n{database}: command and shortcut answered {max(recovered):.1f} s after the kill")
    finally:
        shut_down(slack, first, second)
    logged = log.read_text()
    no_question_text(logged)
    assert PHOTOS not in logged and "neue Büro" not in logged
    assert "/response/" not in logged  # no response_url in the log


def test_kill_9_while_ask_the_team_is_handled_loses_nothing(tmp_path, service):
    """A click of "Ask the team" is acknowledged, its case opened, and the process killed while
    the asker's notice is on its way: a new process tells the asker once through the stored
    response_url where the question went, and the case stays one (before, the click was lost
    with its process and the asker never heard where the question went)."""
    plan = [Step(PRESS, "U0T1", "C0GENERAL", "response_url", "/response/ask")]
    slack = StallingSlack(plan).start()
    env, log = start_env(service, slack, f"sqlite:///{tmp_path / 'bot.db'}"), tmp_path / "server.log"
    first, second = Server(env, log), None
    question_id = new_id()
    button = {"action_id": ASK_TEAM, "value": pack_value({"q": question_id, "l": "de"}, PRESS)}
    try:
        click = payloads.block_action(button, slack.response_url("ask"), user="U0T1", channel="C0GENERAL")
        assert first.poster.interaction(click)[0] == 200
        killed_at = kill_while_hanging(slack, first, 1, log)
        assert not slack.of("response_url", _url="/response/ask")  # the notice died with its process

        second = Server(env, log)
        [notice] = slack.wait_for("response_url", _url="/response/ask", timeout=30)
        recovered = time.monotonic() - killed_at
        time.sleep(1.5)  # anything repeated would come now
        assert len(slack.of("response_url", _url="/response/ask")) == 1
        assert "Social-Media-Team" in notice.text, notice.text
        cases = [c for c in slack.of("chat.postMessage", channel=TEAM_CHANNEL) if "<@U0T1>" in c.text]
        assert len([c for c in cases if not c.params.get("thread_ts")]) == 1  # one case, not two
        store = open_store(env["DATABASE_URL"])
        assert store.unanswered.waiting() == 0  # the stored click is gone with its text
        assert CaseService(store).get(question_id) is not None
        store.close()
        print(f"\nask the team: the asker told {recovered:.1f} s after the kill")
    finally:
        shut_down(slack, first, second)
    logged = log.read_text()
    no_question_text(logged)
    assert "/response/" not in logged
