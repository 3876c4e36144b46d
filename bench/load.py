"""Load test of the real HTTP server: N `guidelines-bot serve --mode http` processes sharing one
PostgreSQL store, behind a round-robin "load balancer", answering signed Slack event deliveries
(with injected retries and duplicates) against a local fake Slack Web API.

    python -m bench.load                          # 1, 2 and 4 processes at the default rate
    python -m bench.load --processes 2 --rate 6 --duration 20

Loopback only, bounded in count and time, stops by itself. Each configuration gets a fresh
PostgreSQL database (created on the server of --database, dropped afterwards).

What one question is, chosen per question with a fixed seed:
- ``dm``: a message.im delivery;
- ``retry``: the same, then Slack's retry of the same event (``X-Slack-Retry-Num: 1``,
  ``X-Slack-Retry-Reason: http_timeout``) 0.2–2 s later, to the next process;
- ``twice``: the same event delivered to two processes at once (as after a load balancer's retry);
- ``thread``: a follow-up mentioning the bot in a channel thread the bot follows: Slack sends it as
  app_mention *and* message.channels (other event ids, the same message), to two processes.
Measured: ack latency (HTTP response time of every delivery), time to answer (first delivery
sent → the fake Slack received the answer in the question's thread), answers lost (none within
60 s) and duplicate answers (more than one), CPU seconds the servers spent per
question, and where the rest of the machine's CPU went. A last run offers more than the machine can
answer (--saturate) and measures the ceiling: the answered questions per second.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import ROOT, SHIPPED, machine, machine_busy_seconds, median, percentile, table

DEFAULT_DATABASE = os.environ.get("GUIDELINES_BOT_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
SECRET = "bench-signing-secret"
KINDS = ("dm", "retry", "twice", "thread")
ANSWER_BLOCKS = ("answer-", "failure-")  # block ids of an answer, or of the message that says it failed
DEFAULT_MIX = {"dm": 0.7, "retry": 0.1, "twice": 0.1, "thread": 0.1}
DEFAULT_RATE = 15.0
DEFAULT_DURATION = 20.0
SATURATE = (40.0, 10.0, os.cpu_count() or 1)  # rate, seconds, processes (one per core) of the run above the ceiling


# -- the fake Slack, with arrival times ----------------------------------------------------------
def _fake_slack_class():
    from tests.slack.fake_slack import FakeSlack

    class RecordingSlack(FakeSlack):
        """The tests' fake Slack Web API, also noting when each threaded answer arrived."""

        def __init__(self) -> None:
            super().__init__()
            self.answers: dict[tuple[str, str], list[float]] = defaultdict(list)
            self.failures: set[tuple[str, str]] = set()
            self.posts: dict[str, list[float]] = defaultdict(list)  # every message posted, by channel
            self.notices: dict[tuple[str, str], list[float]] = defaultdict(list)

        def record(self, call) -> None:
            now = time.perf_counter()
            with self._changed:
                thread_ts = call.params.get("thread_ts")
                if call.method == "chat.postMessage" and not call.rejected:
                    self.posts[call.params.get("channel")].append(now)
                if call.method == "chat.postMessage" and not call.rejected and thread_ts:
                    key = (call.params.get("channel"), str(thread_ts))
                    ids = [str(b.get("block_id", "")) for b in call.blocks]
                    if any(i.startswith(ANSWER_BLOCKS) for i in ids):
                        self.answers[key].append(now)
                    else:  # the bot's other messages in the thread (where a case went, …) are no answers
                        self.notices[key].append(now)
                    if any(i.startswith("failure-") for i in ids):
                        self.failures.add(key)
                super().record(call)

        def wait_answers(self, keys: dict[tuple[str, str], float], deadline: float) -> None:
            """Until every key has an answer after its time (``keys``: key -> time), or ``deadline``."""
            with self._changed:
                while any(not [t for t in self.answers.get(k, ()) if t >= since] for k, since in keys.items()):
                    left = deadline - time.perf_counter()
                    if left <= 0:
                        return
                    self._changed.wait(min(left, 1.0))

    return RecordingSlack


def _first_line(exc: Exception, limit: int) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:limit]


# -- PostgreSQL: a database of its own per configuration ------------------------------------------
def _admin_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def database_problem(url: str = DEFAULT_DATABASE) -> str | None:
    """None if PostgreSQL at ``url`` answers, else why not (one line)."""
    try:
        import psycopg

        with psycopg.connect(_admin_url(url), connect_timeout=3):
            return None
    except Exception as exc:  # no server, no database, no driver: all mean "no load test"
        return f"PostgreSQL at {url} is not reachable ({type(exc).__name__}: {_first_line(exc, 120)})"


class Database:
    """CREATE DATABASE gb_load_… on entry, DROP … WITH (FORCE) on exit."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = _admin_url(admin_url)
        self.name = f"gb_load_{uuid.uuid4().hex[:10]}"

    @property
    def url(self) -> str:
        from urllib.parse import urlsplit, urlunsplit

        return urlunsplit(urlsplit(self.admin_url)._replace(path=f"/{self.name}"))

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql)

    def __enter__(self) -> Database:
        self._execute(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# -- the server processes --------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start_servers(
    count: int,
    *,
    knowledge: Path,
    index: Path,
    model: str,
    api_url: str,
    database_url: str,
    workdir: Path,
    threads: int | None = None,
) -> list[Server]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "GUIDELINES_BOT_")) and k not in ("DATABASE_URL", "WEB_CONCURRENCY", "PORT")
    }
    env.update(
        {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api_url,
            "DATABASE_URL": database_url,
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        }
    )
    if threads:
        env["GUIDELINES_BOT_WORKERS"] = str(threads)
    servers = []
    for i in range(count):
        port = _free_port()
        log = workdir / f"server-{i}.log"
        with open(log, "w") as out:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bot",
                    "serve",
                    "--mode",
                    "http",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    "1",
                    "--knowledge",
                    str(knowledge),
                    "--index",
                    str(index),
                    "--model",
                    model,
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        servers.append(Server(port, process, log))
    return servers


def wait_healthy(servers: list[Server], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for server in servers:
        while True:
            if server.process.poll() is not None:
                raise RuntimeError(
                    f"server on port {server.port} exited with {server.process.returncode}:\n{server.tail()}"
                )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server on port {server.port} not healthy after {timeout:.0f}s:\n{server.tail()}")
            time.sleep(0.25)


def stop_servers(servers: list[Server]) -> None:
    for server in servers:
        if server.process.poll() is None:
            server.process.terminate()
    for server in servers:
        try:
            server.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def _cpu_seconds(roots: list[int]) -> float | None:
    """utime+stime of ``roots`` and all their descendants (Linux /proc), or None elsewhere."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
                except (OSError, IndexError, ValueError):
                    continue
    except (OSError, ValueError, AttributeError):
        return None
    wanted, frontier = set(roots), list(roots)
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _) in stats.items() if ppid == parent and pid not in wanted]
        wanted.update(children)
        frontier.extend(children)
    return sum(stats[pid][1] for pid in wanted if pid in stats)


@dataclass
class CpuMeter:
    """Where the CPU went between start() and stop(): the servers, this process (the load
    generator and the fake Slack), and everything else (PostgreSQL, other programs)."""

    pids: list[int]
    before: tuple | None = None
    used: dict[str, float] = field(default_factory=dict)

    def _snapshot(self) -> tuple:
        own = os.times()
        return time.perf_counter(), _cpu_seconds(self.pids), own.user + own.system, machine_busy_seconds()

    def start(self) -> None:
        self.before = self._snapshot()

    def stop(self) -> dict[str, float]:
        after = self._snapshot()
        wall = after[0] - self.before[0]
        if None in self.before or None in after or wall <= 0:
            return {}
        servers, own, busy = (a - b for a, b in zip(after[1:], self.before[1:], strict=True))
        self.used = {
            "wall_s": wall,
            "servers_s": servers,
            "generator_s": own,
            "other_s": max(0.0, busy - servers - own),
        }
        return self.used


# -- the plan: questions and their deliveries --------------------------------------------------------
@dataclass
class Delivery:
    at: float  # seconds after the start of the phase
    process: int
    body: dict
    retry: int = 0
    status: int | None = None
    ack_s: float | None = None
    sent: float | None = None


@dataclass
class Question:
    kind: str
    key: tuple[str, str]  # where the answer arrives: (channel, thread_ts)
    deliveries: list[Delivery] = field(default_factory=list)
    since: float = 0.0  # answers to ``key`` count from this time on (a followed thread had one before)

    @property
    def sent(self) -> float | None:
        times = [d.sent for d in self.deliveries if d.sent is not None]
        return min(times) if times else None

    def answer_times(self, answers: dict[tuple[str, str], list[float]]) -> list[float]:
        return sorted(t for t in answers.get(self.key, ()) if t >= self.since)


class RoundRobin:
    def __init__(self, n: int) -> None:
        self.n, self.i = n, -1

    def __call__(self) -> int:
        self.i = (self.i + 1) % self.n
        return self.i


def plan(
    texts: list[str], kinds: list[str], rate: float, processes: int, seed: int, roots: list[str]
) -> tuple[list[Question], list[Question]]:
    """(warm-up questions: one top-level mention per thread the timed phase follows up in,
    timed questions at ``rate`` per second). ``roots`` start the followed threads: questions the
    bot answers itself, since a follow-up in the thread of an open case goes to the team instead.
    Without roots, a ``thread`` question is a top-level mention (app_mention + message.channels)."""
    from tests.slack import payloads

    rng = random.Random(seed)
    rr = RoundRobin(processes)
    run = uuid.uuid4().hex[:6].upper()
    warmup, timed = [], []
    for i, kind in enumerate(kinds):
        at = i / rate
        text = texts[i % len(texts)]
        user = f"U{run}{i:05d}"
        if kind == "thread":
            channel = f"C{run}{i:05d}"
            root = payloads.mention(roots[i % len(roots)], user=user, channel=channel) if roots else None
            if root:
                warm = Question("mention", (channel, root["ts"]))
                for event in (
                    root,
                    payloads.message(root["text"], user=user, channel=channel, ts=root["ts"], channel_type="channel"),
                ):
                    warm.deliveries.append(Delivery(len(warmup) * 0.25, rr(), payloads.event_callback(event)))
                warmup.append(warm)
            in_thread = {"thread_ts": root["ts"]} if root else {}
            mention = payloads.mention(text, user=user, channel=channel, **in_thread)
            question = Question(kind, (channel, root["ts"] if root else mention["ts"]))
            also = payloads.message(
                mention["text"], user=user, channel=channel, ts=mention["ts"], channel_type="channel", **in_thread
            )
            question.deliveries += [
                Delivery(at, rr(), payloads.event_callback(mention)),
                Delivery(at, rr(), payloads.event_callback(also)),
            ]
        else:
            channel = f"D{run}{i:05d}"
            event = payloads.message(text, user=user, channel=channel)
            question = Question(kind, (channel, event["ts"]))
            body = payloads.event_callback(event)
            question.deliveries.append(Delivery(at, rr(), body))
            if kind == "twice":
                question.deliveries.append(Delivery(at, rr(), body))
            elif kind == "retry":
                question.deliveries.append(Delivery(at + rng.uniform(0.2, 2.0), rr(), body, retry=1))
        timed.append(question)
    return warmup, timed


def answered_by_the_bot(texts: list[str], knowledge: Path, index: Path, model: str, enough: int = 20) -> list[str]:
    """Up to ``enough`` of ``texts`` that the bot answers without handing over to the team."""
    from bot import config
    from bot.index.embedding import make_embedder, make_multilingual
    from bot.service import AnswerService

    second = make_multilingual(config.multilingual_name())
    service = AnswerService(knowledge, index, make_embedder(model), multilingual=second)
    calm = []
    for text in texts:
        if not service.answer(text).escalate:
            calm.append(text)
            if len(calm) >= enough:
                break
    return calm


def choose_kinds(count: int, mix: dict[str, float], seed: int) -> list[str]:
    rng = random.Random(seed)
    names, weights = zip(*mix.items(), strict=True)
    return rng.choices(names, weights=weights, k=count)


# -- delivering ----------------------------------------------------------------------------------------
def deliver(questions: list[Question], servers: list[Server], senders: int = 64) -> float:
    """Send every delivery at its time (open loop: a slow ack never delays the next arrival).
    Returns the largest lateness of a send against its schedule, in seconds."""
    from tests.slack.payloads import SignedPoster

    posters = [SignedPoster(s.events_url, SECRET) for s in servers]
    schedule = sorted((d for q in questions for d in q.deliveries), key=lambda d: d.at)
    lateness = [0.0]

    def send(d: Delivery) -> None:
        d.sent = time.perf_counter()
        try:
            d.status, _ = posters[d.process].event(d.body, retry=d.retry or None)
        except OSError:
            d.status = 0
        d.ack_s = time.perf_counter() - d.sent

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders, thread_name_prefix="slack") as pool:
        for d in schedule:
            wait = start + d.at - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            lateness.append(time.perf_counter() - (start + d.at))
            pool.submit(send, d)
    return max(lateness)


# -- one configuration ----------------------------------------------------------------------------
def run_config(
    processes: int,
    rate: float,
    duration: float,
    *,
    index: Path,
    knowledge: Path = SHIPPED,
    model: str = "all-MiniLM-L6-v2",
    database: str = DEFAULT_DATABASE,
    kinds: list[str] | None = None,
    mix: dict[str, float] | None = None,
    answer_timeout: float = 60.0,
    seed: int = 8,
    startup_timeout: float = 300.0,
    threads: int | None = None,
    texts: list[str] | None = None,
    keep_logs: Path | None = None,
    roots: list[str] | None = None,
) -> dict:
    from bot.knowledge import load_knowledge

    texts = list(texts or [q.question for q in load_knowledge(knowledge, environ={}).knowledge.eval.questions])
    random.Random(seed).shuffle(texts)
    kinds = kinds or choose_kinds(max(1, round(rate * duration)), mix or DEFAULT_MIX, seed)
    if roots is None:
        roots = answered_by_the_bot(texts, knowledge, index, model) if "thread" in kinds else []
    warmup, timed = plan(texts, kinds, rate, processes, seed, roots)
    fake = _fake_slack_class()().start()
    servers: list[Server] = []
    try:
        with Database(database) as db, tempfile.TemporaryDirectory(prefix="gb-load-") as tmp:
            started = time.perf_counter()
            servers = start_servers(
                processes,
                knowledge=knowledge,
                index=index,
                model=model,
                api_url=fake.api_url,
                database_url=db.url,
                workdir=Path(tmp),
                threads=threads,
            )
            try:
                wait_healthy(servers, startup_timeout)
                startup_s = time.perf_counter() - started
                deliver(warmup, servers)
                fake.wait_answers({q.key: 0.0 for q in warmup}, time.perf_counter() + answer_timeout)
                warm_lost = [q for q in warmup if not fake.answers.get(q.key)]
                if warm_lost:
                    raise RuntimeError(f"{len(warm_lost)} warm-up questions got no answer:\n{servers[0].tail()}")
                barrier = time.perf_counter()
                for q in timed:
                    q.since = barrier
                meter = CpuMeter([s.process.pid for s in servers])
                meter.start()
                lateness = deliver(timed, servers)
                fake.wait_answers({q.key: q.since for q in timed}, max(q.sent for q in timed) + answer_timeout)
                # late duplicates: a second answer would come about as late as a first one
                slowest = max((q.answer_times(fake.answers) or [q.sent])[0] - q.sent for q in timed)
                time.sleep(min(10.0, 2.0 + 2 * slowest))
                cpu = meter.stop()
                ended = time.perf_counter()
            finally:
                stop_servers(servers)
            crashed = [s for s in servers if s.process.returncode not in (0, -15)]
            problems = [
                line
                for s in servers
                for line in s.log.read_text(errors="replace").splitlines()
                if " ERROR " in line or "Traceback" in line
            ]
            if keep_logs:
                keep_logs.mkdir(parents=True, exist_ok=True)
                for s in servers:
                    (keep_logs / f"{processes}-{s.log.name}").write_text(s.log.read_text(errors="replace"))
    finally:
        fake.stop()
    return summarize(
        processes,
        rate,
        timed,
        fake,
        started=min(q.sent for q in timed),
        ended=ended,
        answer_timeout=answer_timeout,
        lateness=lateness,
        startup_s=startup_s,
        cpu=cpu,
        crashed=len(crashed),
        problems=problems,
    )


def summarize(
    processes: int,
    rate: float,
    timed: list[Question],
    fake,
    *,
    started: float,
    ended: float,
    answer_timeout: float,
    lateness: float,
    startup_s: float,
    cpu: dict[str, float],
    crashed: int,
    problems: list[str],
) -> dict:
    deliveries = [d for q in timed for d in q.deliveries]
    acks = [d.ack_s for d in deliveries if d.ack_s is not None]
    to_answer, first_answers, lost, duplicates, failed = [], [], [], [], 0
    for q in timed:
        times = q.answer_times(fake.answers)
        if not times or times[0] - q.sent > answer_timeout:
            lost.append(q)
        if len(times) > 1:
            duplicates.append(q)
        if q.key in fake.failures:
            failed += 1
        if times:
            to_answer.append(times[0] - q.sent)
            first_answers.append(times[0])
    answered = len(to_answer)
    answering_s = max(first_answers) - min(first_answers) if answered > 1 else 0.0
    # Slack allows about one message per second per channel: the busiest one is the team's
    askers = {q.key[0] for q in timed}
    busiest = max(
        (
            (channel, [t for t in times if t >= started])
            for channel, times in fake.posts.items()
            if channel not in askers
        ),
        key=lambda item: len(item[1]),
        default=(None, []),
    )
    cores = os.cpu_count() or 1
    cpu_per_q = cpu["servers_s"] / answered if cpu and answered else None
    return {
        "processes": processes,
        "rate": rate,
        "questions": len(timed),
        "deliveries": len(deliveries),
        "kinds": {k: sum(q.kind == k for q in timed) for k in KINDS},
        "ack_p50_ms": 1000 * median(acks),
        "ack_p99_ms": 1000 * percentile(acks, 0.99),
        "ack_max_ms": 1000 * max(acks) if acks else float("nan"),
        "answer_p50_s": median(to_answer),
        "answer_p95_s": percentile(to_answer, 0.95),
        "answer_max_s": max(to_answer) if to_answer else float("nan"),
        "lost": len(lost),
        "duplicates": len(duplicates),
        "failures": failed,
        "lost_kinds": [q.kind for q in lost],
        "duplicate_kinds": [q.kind for q in duplicates],
        "non_200": sum(d.status != 200 for d in deliveries),
        "answered_per_s": (answered - 1) / answering_s if answering_s > 0 else float("nan"),
        "thread_notices": sum(len(q.answer_times(fake.notices)) for q in timed),
        "busiest_other_channel": busiest[0],
        "busiest_other_channel_posts": len(busiest[1]),
        "busiest_other_channel_per_s": len(busiest[1]) / answering_s if answering_s > 0 else float("nan"),
        "cpu_s_per_question": cpu_per_q,
        "cores": cores,
        "cores_used": {k.removesuffix("_s"): v / cpu["wall_s"] for k, v in cpu.items() if k != "wall_s"} if cpu else {},
        "generator_lateness_ms": 1000 * lateness,
        "startup_s": startup_s,
        "crashed": crashed,
        "log_problems": len(problems),
        "log_problem_lines": problems[:20],
        "phase_s": ended - started,
        "ok": not (lost or duplicates or failed or crashed) and all(d.status == 200 for d in deliveries),
    }


# -- all configurations ----------------------------------------------------------------------------
def prepare_index(dest: Path, knowledge: Path = SHIPPED, model: str = "all-MiniLM-L6-v2") -> Path:
    from bot import config
    from bot.index.build import reindex
    from bot.index.embedding import make_embedder, make_multilingual

    reindex(knowledge, dest, make_embedder(model), multilingual=make_multilingual(config.multilingual_name()))
    return dest


HEADERS = [
    "processes",
    "offered q/s",
    "questions / deliveries",
    "ack p50 ms",
    "ack p99 ms",
    "answer p50 s",
    "answer p95 s",
    "answered q/s",
    "lost",
    "duplicate",
    "server CPU ms / q.",
    "other CPU (cores)",
]


def rows(results: list[dict]) -> list[list[object]]:
    out = []
    for r in results:
        if "error" in r:
            out.append(
                [
                    r.get("processes", "–"),
                    f"{r['rate']:g}" if "rate" in r else "–",
                    r["error"],
                    *["–"] * (len(HEADERS) - 3),
                ]
            )
            continue
        cpu = f"{1000 * r['cpu_s_per_question']:.0f}" if r.get("cpu_s_per_question") else "–"
        other = f"{r['cores_used']['other']:.2f}" if r.get("cores_used") else "–"
        out.append(
            [
                r["processes"],
                f"{r['rate']:g}",
                f"{r['questions']} / {r['deliveries']}",
                f"{r['ack_p50_ms']:.0f}",
                f"{r['ack_p99_ms']:.0f}",
                f"{r['answer_p50_s']:.2f}",
                f"{r['answer_p95_s']:.2f}",
                f"{r['answered_per_s']:.1f}",
                r["lost"],
                r["duplicates"],
                cpu,
                other,
            ]
        )
    return out


def run(
    processes: tuple[int, ...] = (1, 2, 4),
    rate: float = DEFAULT_RATE,
    duration: float = DEFAULT_DURATION,
    *,
    saturate: tuple[float, float, int] | None = SATURATE,
    index: Path | None = None,
    database: str = DEFAULT_DATABASE,
    knowledge: Path = SHIPPED,
    model: str = "all-MiniLM-L6-v2",
    **options,
) -> dict:
    """Every process count at ``rate`` for ``duration`` s; then, with ``saturate`` = (rate, duration,
    processes), once above what the machine can answer, to measure the ceiling."""
    configs = [(n, rate, duration) for n in processes]
    if saturate:
        configs.append((saturate[2], saturate[0], saturate[1]))
    problem = database_problem(database)
    if problem:
        print(f"Load test skipped: {problem}")
        return {
            "error": problem,
            "runs": [
                {"processes": n, "rate": r, "error": problem, "saturation": bool(saturate) and i == len(configs) - 1}
                for i, (n, r, _) in enumerate(configs)
            ],
        }
    from bot.knowledge import load_knowledge

    texts = [q.question for q in load_knowledge(knowledge, environ={}).knowledge.eval.questions]
    results = []
    with tempfile.TemporaryDirectory(prefix="gb-load-index-") as tmp:
        if index is None:
            index = prepare_index(Path(tmp) / "index", knowledge, model)
        roots = answered_by_the_bot(texts, knowledge, index, model)
        for i, (n, r, d) in enumerate(configs):
            try:
                result = run_config(
                    n,
                    r,
                    d,
                    index=index,
                    database=database,
                    knowledge=knowledge,
                    model=model,
                    texts=texts,
                    roots=roots,
                    **options,
                )
            except Exception as exc:  # one failed configuration is a row that says why
                result = {"processes": n, "rate": r, "error": f"{type(exc).__name__}: {_first_line(exc, 200)}"}
            results.append({**result, "saturation": bool(saturate) and i == len(configs) - 1})
    print(
        f"Load test — {machine()}; `guidelines-bot serve --mode http` ×N sharing one PostgreSQL store; "
        f"{duration:g}s of arrivals per configuration{f' ({saturate[1]:g}s at saturation)' if saturate else ''}; "
        "70% DMs, 10% with a Slack retry, 10% delivered to two processes, 10% mentions in a followed thread "
        "(app_mention + message.channels)"
    )
    print(table(HEADERS, rows(results)))
    print(
        "ack: HTTP response time of every delivery; answer: first delivery sent → the answer arrived at the fake "
        "Slack; lost: no answer within the timeout; duplicate: more than one answer; other CPU: cores busy "
        "outside the servers and the load generator (PostgreSQL, other programs) during the run"
    )
    return {"rate": rate, "duration": duration, "saturate": saturate, "runs": results}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", default="1,2,4", help="server process counts to run, comma-separated")
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE, help="questions per second")
    parser.add_argument("--duration", type=float, default=DEFAULT_DURATION, help="seconds of arrivals per run")
    parser.add_argument(
        "--saturate",
        default=",".join(f"{v:g}" for v in SATURATE),
        help="RATE,SECONDS,PROCESSES of the run above the ceiling; 'no' to skip",
    )
    parser.add_argument("--index", type=Path, help="a prepared index of the shipped knowledge (else built once)")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="PostgreSQL server (admin connection)")
    parser.add_argument("--threads", type=int, help="GUIDELINES_BOT_WORKERS of each server")
    parser.add_argument("--keep-logs", type=Path, help="copy the servers' logs into this directory")
    args = parser.parse_args(argv)
    saturate = None if args.saturate == "no" else tuple(float(v) for v in args.saturate.split(","))
    if saturate:
        saturate = (saturate[0], saturate[1], int(saturate[2]))
    result = run(
        tuple(int(n) for n in args.processes.split(",")),
        args.rate,
        args.duration,
        saturate=saturate,
        index=args.index,
        database=args.database,
        threads=args.threads,
        keep_logs=args.keep_logs,
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
