"""Requests not from Slack are refused before bolt parses them: a status, and one log line a minute."""

from __future__ import annotations

import json
import logging

from bot.slack.gate import MAX_BODY, RefusalNotes
from tests.slack import payloads

GARBAGE = b'{"x": '


def test_garbage_gets_a_status_and_no_traceback(http_bot, caplog, capfd):
    with caplog.at_level(logging.DEBUG):
        for _ in range(100):
            status, _ = http_bot.poster.post(GARBAGE, "application/json", headers={"X-Slack-Signature": "v0=00"})
            assert status == 401
        for unsigned in (b"", b"payload=%7B", json.dumps(payloads.event_callback(payloads.message("Hallo?"))).encode()):
            assert http_bot.poster.post(unsigned, "application/json", headers={"X-Slack-Signature": ""})[0] == 401
        assert (
            http_bot.poster.post(GARBAGE, "application/json", headers={"X-Slack-Request-Timestamp": "soon"})[0] == 401
        )
        # signed by someone who holds the secret, but not something bolt can read
        for body, kind in [
            (GARBAGE, "application/json"),
            (b"[1, 2]", "application/json"),
            (b"\xff\xfe", "application/json"),
            (b"payload=%7B%22x", "application/x-www-form-urlencoded"),
            (b"payload=%5B%5D", "application/x-www-form-urlencoded"),
        ]:
            assert http_bot.poster.post(body, kind)[0] == 400, body
        # too large to read at all (the header says so; the body is not read)
        too_large = {"Content-Length": str(MAX_BODY + 1)}
        assert http_bot.poster.post(b"{}", "application/json", headers=too_large)[0] == 413
    lines = [r for r in caplog.records if r.levelno >= logging.INFO and not r.name.startswith(("faiss", "bm25s"))]
    assert len(lines) <= 1, [r.getMessage() for r in lines]
    assert "Traceback" not in capfd.readouterr().err
    assert not [c for c in http_bot.slack.calls if c.method != "auth.test"]


def test_signed_requests_still_pass(http_bot):
    http_bot.poster.post(GARBAGE, "application/json", headers={"X-Slack-Signature": "v0=00"})
    http_bot.send_event(payloads.event_callback(payloads.message("Darf ich Fotos vom Sommerfest posten?")))
    [reply] = http_bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert "Ja, wenn alle zugestimmt haben." in reply.text
    status, body = http_bot.poster.post(
        json.dumps({"type": "url_verification", "challenge": "c"}).encode(), "application/json"
    )
    assert status == 200 and "c" in body


def test_refusals_are_noted_once_a_minute_with_their_counts(caplog):
    now = [0.0]
    notes = RefusalNotes(every=60, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="bot.slack.gate"):
        for second in range(0, 130):
            now[0] = float(second)
            notes.refused("not signed by Slack")
            if second % 10 == 0:
                notes.refused("signed but unreadable")
    assert [r.getMessage() for r in caplog.records] == [
        "refused requests to /slack/events: 1 not signed by Slack",
        "refused requests to /slack/events: 60 not signed by Slack, 6 signed but unreadable",
        "refused requests to /slack/events: 60 not signed by Slack, 6 signed but unreadable",
    ]
