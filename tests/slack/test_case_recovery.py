"""Nothing is lost when a process stops: between any two steps of a case's life (each stored
change, each Slack call), in a real process killed with SIGKILL, and across a restart in the
middle of a reminder's wait (time injected, not slept). A new process delivers what the dead
one left; the case message is never posted twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.escalation import CaseService, Policy
from bot.slack.asker import Asker
from bot.slack.casedesk import CaseDesk
from bot.slack.scheduler import Scheduler
from bot.slack.settings import SlackSettings
from bot.store import open_store
from bot.store.database import utcnow
from tests.slack.conftest import TEAM_CHANNEL, make_service
from tests.slack.fake_slack import FakeSlack
from tests.store.conftest import pg_schema_factory, store_target  # noqa: F401 - fixtures

MEMBERS = frozenset({"U0ANNA", "U0BOB"})
PRESS = "Eine Journalistin hat mich angerufen: Presseanfrage zu unserem Produkt. Darf ich das posten?"
ASKER_THREAD = ("D0DM", "1700000000.000001")


class Killed(BaseException):
    """The process dies here (a BaseException: nothing in the bot catches it)."""


class MortalClient(WebClient):
    """A Web API client whose process dies at its ``die_at``-th call, just before Slack gets the
    call or just after Slack accepted it (before the bot could note that)."""

    def __init__(self, die_at: int | None = None, after: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.die_at, self.after, self.calls = die_at, after, 0

    def api_call(self, api_method: str, **kwargs):
        self.calls += 1
        if self.calls == self.die_at and not self.after:
            raise Killed(f"before {api_method}")
        response = super().api_call(api_method, **kwargs)
        if self.calls == self.die_at and self.after:
            raise Killed(f"after {api_method}")
        return response


class Process:
    """One bot process: its own database connections and Slack client, the shared database."""

    def __init__(self, url: str, schema: str | None, service, settings: SlackSettings, **dying) -> None:
        self.store = open_store(url, schema_name=schema)
        self.client = MortalClient(token=settings.bot_token, base_url=settings.api_url, **dying)
        self.desk = CaseDesk(self.client, service, self.store, settings)

    def die(self) -> None:
        self.store.close()


def settings_for(slack: FakeSlack, **policy) -> SlackSettings:
    return SlackSettings(
        bot_token="xoxb-test", api_url=slack.api_url, team_members=MEMBERS, escalation=Policy(**policy)
    )


# -- the steps of one case, as the listeners run them ----------------------------------------------
def open_case(desk: CaseDesk, service) -> None:
    answer = service.answer(PRESS)
    desk.open(
        Asker("U0ASKER", "dm", ASKER_THREAD[0]), PRESS, "de", answer, "k1", answer.route, ASKER_THREAD, tells_asker=True
    )


def answer_the_asker(desk: CaseDesk, service) -> None:
    """What Answering.reply does after opening: the answer with the note goes out, then the held
    notice is dropped."""
    desk.client.chat_postMessage(
        channel=ASKER_THREAD[0],
        thread_ts=ASKER_THREAD[1],
        text="Das entscheidet das Team. Ich habe deine Frage weitergegeben (Fall k1).",
    )
    desk.asker_notified("k1")


def claim(desk: CaseDesk, service) -> None:
    desk.claim("k1", "U0ANNA")
    desk.deliver("k1")


def team_reply(desk: CaseDesk, service) -> None:
    case = desk.cases.require("k1")
    desk.relay(
        {
            "channel": case.team_channel,
            "ts": "1800000000.000001",
            "thread_ts": case.team_ts,
            "user": "U0ANNA",
            "text": "Welche Zeitung war es?",
        },
        "EvTeam",
    )


def follow_up(desk: CaseDesk, service) -> None:
    desk.relay(
        {
            "channel": ASKER_THREAD[0],
            "ts": "1800000000.000002",
            "thread_ts": ASKER_THREAD[1],
            "user": "U0ASKER",
            "text": "Das Hafenblatt",
        },
        "EvAsker",
    )


def hand_off(desk: CaseDesk, service) -> None:
    desk.hand_off("k1", "U0ANNA", "U0BOB", "Du kennst das Hafenblatt")
    desk.deliver("k1")


def resolve(desk: CaseDesk, service) -> None:
    desk.resolve("k1", "U0BOB", "Ja, mit dem Statement der Kommunikation.", "conditional")
    desk.deliver("k1")


STEPS = [open_case, answer_the_asker, claim, team_reply, follow_up, hand_off, resolve]
EXPECTED = {  # (conversation, words): each must reach Slack at least once
    "case posted": (TEAM_CHANNEL, "Frage an das Team"),
    "asker told where it went": (ASKER_THREAD[0], "weitergegeben"),
    "asker told who claimed": (ASKER_THREAD[0], "kümmert sich um deine Frage"),
    "reply relayed to the asker": (ASKER_THREAD[0], "Welche Zeitung war es?"),
    "follow-up relayed to the team": (TEAM_CHANNEL, "Das Hafenblatt"),
    "hand-off note": (TEAM_CHANNEL, "an <@U0BOB> weitergegeben"),
    "asker told of the hand-off": (ASKER_THREAD[0], "jetzt bei <@U0BOB>"),
    "the answer": (ASKER_THREAD[0], "Antwort von <@U0BOB>"),
}


def run_case(tmp_path: Path, service, die_at: int | None, after: bool) -> tuple[FakeSlack, CaseService, int]:
    """All steps, the process dying at Slack call ``die_at``; a new process then starts (and
    delivers what is pending at start-up) and goes on with the next step. Returns Slack, the
    cases of the final process and the number of Slack calls of the first process."""
    slack = FakeSlack().start()
    url = f"sqlite:///{tmp_path / f'kill-{die_at}-{after}.db'}"
    settings = settings_for(slack)
    process = first = Process(url, None, service, settings, die_at=die_at, after=after)
    for step in STEPS:
        try:
            step(process.desk, service)
        except Killed:
            process.die()
            process = Process(url, None, service, settings)
            process.desk.tick(now=utcnow() + timedelta(minutes=5))  # start-up: leases and holds have expired
    process.desk.tick(now=utcnow() + timedelta(minutes=10))
    return slack, process.desk.cases, first.client.calls


def texts(slack: FakeSlack) -> list[tuple[str, str, bool]]:
    """(conversation, text, top-level?) of every message Slack accepted."""
    return [(c.params["channel"], c.text, not c.params.get("thread_ts")) for c in slack.of("chat.postMessage")]


def check_nothing_lost(slack: FakeSlack, cases: CaseService, label: str) -> None:
    sent = texts(slack)
    for what, (where, words) in EXPECTED.items():
        assert any(channel == where and words in body for channel, body, _ in sent), f"{label}: lost {what}"
    posted = [body for channel, body, top in sent if channel == TEAM_CHANNEL and top]
    assert len(posted) == 1, f"{label}: the case message was posted {len(posted)} times"
    assert "*Gelöst* von <@U0BOB>" in slack.of("chat.update")[-1].text, label
    case = cases.require("k1")
    assert case.state == "resolved" and case.owner == "U0BOB", label
    assert cases.outbox.pending() == [], label
    assert [e.action for e in cases.events("k1")] == [
        "opened",
        "claimed",
        "reply_relayed",
        "follow_up_relayed",
        "handed_off",
        "resolved",
    ], label


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    return make_service(tmp_path_factory.mktemp("kb"))


def test_a_process_killed_between_any_two_steps_loses_nothing(tmp_path, service):
    slack, cases, calls = run_case(tmp_path, service, None, False)
    check_nothing_lost(slack, cases, "no kill")
    baseline = len(texts(slack))
    slack.stop()
    assert calls == 11  # 1 post, 1 answer, 2 claim, 1 + 1 relays, 3 hand-off, 2 resolve
    for die_at in range(1, calls + 1):
        for after in (False, True):
            label = f"killed {'after' if after else 'before'} Slack call {die_at}"
            slack, cases, _ = run_case(tmp_path, service, die_at, after)
            try:
                check_nothing_lost(slack, cases, label)
                assert len(texts(slack)) <= baseline + 1, f"{label}: more than one message repeated"
            finally:
                slack.stop()


# -- a real process, killed with SIGKILL while Slack is slow ------------------------------------------
class StallingSlack(FakeSlack):
    """Slack that hangs on posts to one conversation until released; the hung request never
    arrives (its process is killed meanwhile)."""

    def __init__(self, channel: str) -> None:
        super().__init__()
        self.channel = channel
        self.stalled, self.release = threading.Event(), threading.Event()
        self._lost: list[dict] = []

    def answer(self, method: str, params: dict) -> dict:
        if method == "chat.postMessage" and params.get("channel") == self.channel and not self.release.is_set():
            self.stalled.set()
            self.release.wait(120)
            self._lost.append(params)
            return {"ok": False, "error": "connection_lost"}
        return super().answer(method, params)

    def record(self, call) -> None:
        if not any(call.params is lost for lost in self._lost):
            super().record(call)


CHILD = """
import sys
from bot.index.embedding import make_embedder
from bot.service import AnswerService
from bot.slack.asker import Asker
from bot.slack.app import make_client
from bot.slack.casedesk import CaseDesk
from bot.slack.settings import SlackSettings
from bot.store import open_store
knowledge, index, url, schema, api, question = sys.argv[1:7]
service = AnswerService(knowledge, index, make_embedder("hashing-64"))
settings = SlackSettings(bot_token="xoxb-test", api_url=api)
desk = CaseDesk(make_client(settings), service, open_store(url, schema_name=schema or None), settings)
answer = service.answer(question)
desk.open(Asker("U0ASKER", "dm", "D0DM"), question, "de", answer, "sigkill", answer.route,
          ("D0DM", "1700000000.000001"), tells_asker=True)
print("never killed")
"""


def test_a_process_killed_with_sigkill_mid_delivery_loses_nothing(tmp_path, service, store_target):  # noqa: F811
    url, schema = store_target
    slack = StallingSlack(TEAM_CHANNEL).start()
    try:
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD,
                str(service.knowledge_dir),
                str(service.index_dir),
                url,
                schema or "",
                slack.api_url,
                PRESS,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        try:
            assert slack.stalled.wait(120), child.communicate(timeout=5)
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.communicate(timeout=60)
        slack.release.set()
        assert child.returncode == -signal.SIGKILL
        store = open_store(url, schema_name=schema)
        try:
            cases = CaseService(store)
            assert cases.require("sigkill").team_ts is None  # stored, never delivered
            assert slack.of("chat.postMessage") == []
            settings = settings_for(slack)
            desk = CaseDesk(WebClient(token="xoxb-test", base_url=slack.api_url), service, store, settings)
            assert desk.tick(now=utcnow() + timedelta(minutes=3))["delivered"] == 2
            [case] = slack.of("chat.postMessage", channel=TEAM_CHANNEL)
            assert "Frage an das Team" in case.text and "sigkill" in case.text
            [notice] = slack.of("chat.postMessage", channel="D0DM")
            assert "weitergegeben" in notice.text and notice.params["thread_ts"] == "1700000000.000001"
            assert cases.require("sigkill").team_ts is not None and cases.outbox.pending() == []
        finally:
            store.close()
    finally:
        slack.release.set()
        slack.stop()


# -- reminders across a restart --------------------------------------------------------------------------
def test_a_reminder_fires_after_a_restart_in_the_middle_of_the_wait(tmp_path, service, store_target):  # noqa: F811
    url, schema = store_target
    slack = FakeSlack().start()
    try:
        settings = settings_for(slack, unclaimed_after=timedelta(minutes=30), reply_after=timedelta(hours=4))
        first = Process(url, schema, service, settings)
        open_case(first.desk, service)
        opened = first.desk.cases.require("k1").opened_at
        assert first.desk.tick(now=opened + timedelta(minutes=20))["reminded"] == 0
        first.die()  # stopped 20 minutes into the wait

        second = Process(url, schema, service, settings)
        try:
            desk = second.desk
            assert desk.tick(now=opened + timedelta(minutes=29))["reminded"] == 0
            assert desk.tick(now=opened + timedelta(minutes=31))["reminded"] == 1
            assert desk.tick(now=opened + timedelta(minutes=32))["reminded"] == 0
            ts = desk.cases.require("k1").team_ts
            [reminder] = slack.of("chat.postMessage", channel=TEAM_CHANNEL, thread_ts=ts)
            assert "Dieser Fall wartet seit 31 min darauf, dass ihn jemand übernimmt" in reminder.text
            assert reminder.params["reply_broadcast"] is True  # the channel sees it again
            desk.claim("k1", "U0ANNA", now=opened + timedelta(minutes=40))
            desk.tick(now=opened + timedelta(minutes=41))
            assert desk.tick(now=opened + timedelta(hours=4, minutes=39))["reminded"] == 0
            assert desk.tick(now=opened + timedelta(hours=4, minutes=41))["reminded"] == 1
            owner = slack.of("chat.postMessage", channel=TEAM_CHANNEL, thread_ts=ts)[-1]
            assert "<@U0ANNA>, <@U0ASKER> wartet seit 4 h 01 min auf eine Antwort von dir." in owner.text
        finally:
            second.die()
    finally:
        slack.stop()


def test_the_scheduler_delivers_in_the_background(tmp_path, service):
    slack = FakeSlack().start()
    store = open_store(f"sqlite:///{tmp_path / 'scheduler.db'}")
    try:
        settings = settings_for(slack)
        desk = CaseDesk(MortalClient(token="xoxb-test", base_url=slack.api_url), service, store, settings)
        slack.failing_channels[TEAM_CHANNEL] = "not_in_channel"  # the bot is not invited yet
        open_case(desk, service)
        assert desk.cases.require("k1").team_ts is None
        [item] = [i for i in desk.cases.outbox.pending("k1") if i.kind == "post_case"]
        assert item.attempts == 1 and item.last_error == "not_in_channel"
        del slack.failing_channels[TEAM_CHANNEL]  # invited: the next try gets through
        with store.engine.begin() as conn:  # (instead of waiting a minute)
            from bot.store import schema

            conn.execute(schema.outbox.update().values(not_before=utcnow() - timedelta(seconds=1)))
        scheduler = Scheduler(desk, interval=0.05).start()
        try:
            slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL, timeout=30)
        finally:
            scheduler.stop()
        assert desk.cases.require("k1").team_ts is not None
    finally:
        store.close()
        slack.stop()
