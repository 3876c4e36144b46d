"""A local stand-in for Slack: the Web API (recording every call, rejecting what real Slack
rejects for Block Kit limits), response_url endpoints, and a Socket Mode WebSocket server."""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0TEST"


@dataclass
class Call:
    """One request Slack received: a Web API method, or a POST to a response_url."""

    method: str
    params: dict
    token: str | None = None
    rejected: str | None = None

    @property
    def blocks(self) -> list[dict]:
        blocks = self.params.get("blocks") or (self.params.get("view") or {}).get("blocks") or []
        return blocks

    @property
    def text(self) -> str:
        """Everything a person could read in this message: the fallback and every text in its blocks."""
        return "\n".join([self.params.get("text") or "", *_texts(self.blocks)])

    def buttons(self) -> dict[str, dict]:
        return {e["action_id"]: e for b in self.blocks for e in b.get("elements", []) if e.get("type") == "button"}


def _texts(node) -> list[str]:
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            return [node["text"]]
        return [t for key, value in node.items() if key != "value" for t in _texts(value)]
    return []


def block_kit_problem(params: dict) -> str | None:
    """What real Slack would reject (invalid_blocks and friends), or None."""
    view = params.get("view")
    blocks = params.get("blocks") if view is None else view.get("blocks")
    if blocks is None:
        return None
    limit = 100 if view is not None else 50
    if len(blocks) > limit:
        return f"too many blocks: {len(blocks)} > {limit}"
    for block in blocks:
        text = (block.get("text") or {}).get("text")
        if block.get("type") == "section" and text is not None and not 0 < len(text) <= 3000:
            return f"section text of {len(text)} characters"
        for element in block.get("elements", []):
            if element.get("type") == "button" and len(element.get("value", "")) > 2000:
                return f"button value of {len(element['value'])} characters"
            if element.get("type") == "mrkdwn" and len(element.get("text", "")) > 3000:
                return "context text too long"
    if len(params.get("text") or "") > 40000:
        return "text too long"
    return None


class FakeSlack:
    """The Web API at ``api_url`` and response URLs at ``response_url(name)``."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failing_channels: dict[str, str] = {}
        self.rate_limited: dict[str, int] = {}  # method -> how many more calls get HTTP 429
        self.usergroups: dict[str, list[str]] = {}  # usergroups.users.list answers from here
        self.locales: dict[str, str] = {}  # users.info: a person's Slack language ("de-DE")
        self.history: dict[str, list[dict]] = {}  # messages posted per conversation, oldest first
        self.ws_url: str | None = None
        self._ts = itertools.count(1)
        self._changed = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/response/{name}"

    def start(self) -> FakeSlack:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- what happened --------------------------------------------------------------------------
    def record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def of(self, method: str, **match) -> list[Call]:
        with self._changed:
            return [
                c
                for c in self.calls
                if c.method == method and not c.rejected and all(c.params.get(k) == v for k, v in match.items())
            ]

    def wait_for(self, method: str, count: int = 1, timeout: float = 60, **match) -> list[Call]:
        """The first ``count`` accepted calls of ``method`` matching ``match``; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [
                    c
                    for c in self.calls
                    if c.method == method and not c.rejected and all(c.params.get(k) == v for k, v in match.items())
                ]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.rejected) for c in self.calls]
                    raise AssertionError(f"no {count} x {method} {match} within {timeout}s; calls: {seen}")
                self._changed.wait(left)

    def rejected(self) -> list[Call]:
        return [c for c in self.calls if c.rejected]

    # -- the HTTP side --------------------------------------------------------------------------
    def answer_response_url(self, params: dict) -> dict:
        """A POST to a response_url (``params["_url"]`` is its path); a subclass may delay it."""
        return {"ok": True}

    def answer(self, method: str, params: dict) -> dict:
        channel = params.get("channel") or params.get("channel_id")
        if channel in self.failing_channels:
            return {"ok": False, "error": self.failing_channels[channel]}
        handler = {
            "auth.test": self._auth_test,
            "apps.connections.open": self._connections_open,
            "chat.postMessage": self._post_message,
            "conversations.history": self._history,
            "usergroups.users.list": self._usergroup_users,
            "users.info": self._users_info,
            "chat.postEphemeral": self._post_ephemeral,
            "views.open": self._view,
            "views.publish": self._view,
            "views.update": self._view,
        }.get(method)
        return handler(channel, params) if handler else {"ok": True}

    def _auth_test(self, channel: str | None, params: dict) -> dict:
        return {
            "ok": True,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "team_id": TEAM,
            "user": "guidelines-bot",
            "team": "Test",
            "url": "https://test.slack.example/",
        }

    def _connections_open(self, channel: str | None, params: dict) -> dict:
        return {"ok": True, "url": self.ws_url}

    def _post_message(self, channel: str | None, params: dict) -> dict:
        ts = f"{2000000000 + next(self._ts)}.000100"
        if channel and channel[0] in "UW":  # a user ID: the app's DM with that person
            channel = "D" + channel[1:]
        message = {"text": params.get("text"), "ts": ts, "bot_id": BOT_ID, "user": BOT_USER}
        if params.get("metadata"):
            metadata = params["metadata"]
            message["metadata"] = json.loads(metadata) if isinstance(metadata, str) else metadata
        if not params.get("thread_ts"):
            with self._changed:
                self.history.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _history(self, channel: str | None, params: dict) -> dict:
        with_metadata = str(params.get("include_all_metadata")).lower() in ("1", "true")
        with self._changed:
            found = [
                m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
                for m in reversed(self.history.get(channel, []))
                if float(m["ts"]) >= float(params.get("oldest") or 0)
            ]
        return {"ok": True, "messages": found, "has_more": False}

    def _usergroup_users(self, channel: str | None, params: dict) -> dict:
        group = params.get("usergroup")
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": self.usergroups[group]}

    def _users_info(self, channel: str | None, params: dict) -> dict:
        user = params.get("user")
        if user not in self.locales:
            return {"ok": False, "error": "user_not_found"}
        profile = {"id": user, "name": user.lower(), "tz": "Europe/Berlin"}
        if str(params.get("include_locale")).lower() in ("1", "true"):
            profile["locale"] = self.locales[user]
        return {"ok": True, "user": profile}

    def _post_ephemeral(self, channel: str | None, params: dict) -> dict:
        return {"ok": True, "message_ts": f"{2000000000 + next(self._ts)}.000200"}

    def _view(self, channel: str | None, params: dict) -> dict:
        return {"ok": True, "view": {"id": "V0TEST", **(params.get("view") or {})}}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name (the SDK reads some methods by GET)
                path, _, query = self.path.partition("?")
                self.path = path
                self.respond({k: v[0] for k, v in parse_qs(query).items()})

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                size = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(size).decode("utf-8")
                self.respond(parse_body(raw, self.headers.get("Content-Type", "")))

            def respond(self, params: dict) -> None:
                method_name = self.path.removeprefix("/api/")
                if fake.rate_limited.get(method_name, 0) > 0:  # Slack's "slow down": 429 + Retry-After
                    fake.rate_limited[method_name] -= 1
                    fake.record(Call(method_name, params, None, rejected="rate_limited"))
                    body = b'{"ok": false, "error": "ratelimited"}'
                    self.send_response(429)
                    self.send_header("Retry-After", "1")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or params.get("token")
                problem = block_kit_problem(params)
                if self.path.startswith("/response/"):
                    method, params["_url"] = "response_url", self.path
                    reply = fake.answer_response_url(params)
                else:
                    method = self.path.removeprefix("/api/")
                    reply = fake.answer(method, params) if not problem else {}
                if problem:
                    reply = {"ok": False, "error": "invalid_blocks", "detail": problem}
                fake.record(Call(method, params, token, rejected=problem))
                body = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


def parse_body(raw: str, content_type: str) -> dict:
    """Form or JSON, with form fields that carry JSON (blocks, view, prompts) decoded."""
    if "json" in content_type:
        return json.loads(raw or "{}")
    params = {k: v[0] for k, v in parse_qs(raw).items()}
    for key in ("blocks", "view", "prompts", "attachments"):
        if isinstance(params.get(key), str):
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass
    return params


@dataclass
class FakeSocketMode:
    """Slack's Socket Mode end: a WebSocket server that sends envelopes and records the acks."""

    acks: dict[str, dict] = field(default_factory=dict)
    connected: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        from websockets.sync.server import serve

        self._connection = None
        self._changed = threading.Condition()
        self.server = serve(self._session, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link"

    def start(self) -> FakeSocketMode:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    def _session(self, connection) -> None:
        self._connection = connection
        connection.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0TEST"}}))
        self.connected.set()
        from websockets.exceptions import ConnectionClosed

        try:
            for message in connection:
                data = json.loads(message)
                with self._changed:
                    self.acks[data.get("envelope_id")] = data
                    self._changed.notify_all()
        except ConnectionClosed:
            pass  # the app closed the connection (at the end of a test)

    def send(self, envelope_type: str, payload: dict, envelope_id: str, retry_attempt: int = 0) -> None:
        assert self.connected.wait(60), "the app never connected over Socket Mode"
        self._connection.send(
            json.dumps(
                {
                    "envelope_id": envelope_id,
                    "type": envelope_type,
                    "payload": payload,
                    "accepts_response_payload": envelope_type != "events_api",
                    "retry_attempt": retry_attempt,
                    "retry_reason": "timeout" if retry_attempt else "",
                }
            )
        )

    def wait_ack(self, envelope_id: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        with self._changed:
            while envelope_id not in self.acks:
                left = deadline - time.monotonic()
                assert left > 0, f"envelope {envelope_id} was never acknowledged"
                self._changed.wait(left)
            return self.acks[envelope_id]
