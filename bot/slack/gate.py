"""The door of /slack/events over HTTP: a request must be signed by Slack and readable before bolt
parses it. A refused request gets 401 (not signed), 400 (not UTF-8, or unreadable) or 413 (too
large), and the log at most one short line a minute, so garbage cannot fill it."""

from __future__ import annotations

import io
import logging
import threading
import time

from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # Slack's largest payloads (a 40,000-character message) are far smaller
NOTE_EVERY = 60.0  # seconds between two log lines about refused requests

_STATUS = {401: "401 Unauthorized", 400: "400 Bad Request", 413: "413 Payload Too Large"}


class RefusalNotes:
    """Counts refused requests and logs one line per ``every`` seconds at most, naming the counts."""

    def __init__(self, every: float = NOTE_EVERY, clock=time.monotonic) -> None:
        self.every = every
        self.clock = clock
        self.counts: dict[str, int] = {}
        self.last: float | None = None
        self.lock = threading.Lock()

    def refused(self, reason: str) -> None:
        with self.lock:
            self.counts[reason] = self.counts.get(reason, 0) + 1
            now = self.clock()
            if self.last is not None and now - self.last < self.every:
                return
            counts, self.counts, self.last = self.counts, {}, now
        log.warning("refused requests to /slack/events: %s", ", ".join(f"{n} {r}" for r, n in sorted(counts.items())))


class SignedOnly:
    """WSGI middleware: passes a POST on to ``app`` only if Slack signed it and its body parses."""

    def __init__(self, app, signing_secret: str, notes: RefusalNotes | None = None) -> None:
        self.app = app
        self.verifier = SignatureVerifier(signing_secret)
        self.notes = notes or RefusalNotes()

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        status, body = self.check(environ)
        if status is not None:
            start_response(_STATUS[status], [("Content-Type", "text/plain")])
            return [_STATUS[status].encode()]
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

    def check(self, environ) -> tuple[int | None, bytes]:
        """(None, body) for a request to pass on, else (status, b"") with the refusal noted."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            return self._refuse(413 if length > MAX_BODY else 400, "with a bad length"), b""
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._refuse(400, "not UTF-8"), b""
        if not self._signed(text, environ):
            return self._refuse(401, "not signed by Slack"), b""
        if not _readable(text, environ.get("CONTENT_TYPE", "")):
            return self._refuse(400, "signed but unreadable"), b""
        return None, body

    def _signed(self, body: str, environ) -> bool:
        timestamp, signature = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"), environ.get("HTTP_X_SLACK_SIGNATURE")
        try:
            return bool(timestamp and signature) and self.verifier.is_valid(body, timestamp, signature)
        except ValueError:  # a timestamp that is no number
            return False

    def _refuse(self, status: int, reason: str) -> int:
        self.notes.refused(reason)
        return status


def _readable(body: str, content_type: str) -> bool:
    """The body parses as bolt will parse it, into an object."""
    try:
        return isinstance(parse_body(body, content_type or None), dict)
    except ValueError:
        return False
