"""Requests as Slack sends them: event callbacks, slash commands, interaction payloads, and the
signature Slack puts on each (v0 HMAC-SHA256 of "v0:timestamp:body" with the signing secret)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

from tests.slack.fake_slack import BOT_USER, TEAM

_ids = itertools.count(1)


def next_ts() -> str:
    return f"{1700000000 + next(_ids)}.000{next(_ids):03d}"


def event_callback(event: dict, event_id: str | None = None) -> dict:
    return {
        "token": "legacy",
        "team_id": TEAM,
        "api_app_id": "A0TEST",
        "type": "event_callback",
        "event": event,
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }


def message(
    text: str, user: str = "U0ASKER", channel: str = "D0DM", ts: str | None = None, channel_type: str = "im", **extra
) -> dict:
    ts = ts or next_ts()
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": channel_type,
        "team": TEAM,
        **extra,
    }


def message_changed(original: dict, new_text: str) -> dict:
    """Slack's event when the author of ``original`` (a ``message(...)``) edits it."""
    keep = ("type", "user", "ts", "thread_ts", "team")
    ts = next_ts()
    return {
        "type": "message",
        "subtype": "message_changed",
        "channel": original["channel"],
        "hidden": True,
        "ts": ts,
        "event_ts": ts,
        "channel_type": original.get("channel_type"),
        "message": {
            **{k: original[k] for k in keep if k in original},
            "text": new_text,
            "edited": {"user": original["user"], "ts": ts},
        },
        "previous_message": {k: original[k] for k in (*keep, "text") if k in original},
    }


def message_deleted(original: dict) -> dict:
    """Slack's event when ``original`` is deleted."""
    ts = next_ts()
    return {
        "type": "message",
        "subtype": "message_deleted",
        "channel": original["channel"],
        "hidden": True,
        "ts": ts,
        "event_ts": ts,
        "deleted_ts": original["ts"],
        "channel_type": original.get("channel_type"),
        "previous_message": {
            k: original[k] for k in ("type", "user", "ts", "thread_ts", "text", "team") if k in original
        },
    }


def mention(text: str, user: str = "U0ASKER", channel: str = "C0GENERAL", ts: str | None = None, **extra) -> dict:
    ts = ts or next_ts()
    return {
        "type": "app_mention",
        "channel": channel,
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "event_ts": ts,
        "team": TEAM,
        **extra,
    }


def home_opened(tab: str, user: str = "U0ASKER") -> dict:
    return {"type": "app_home_opened", "user": user, "channel": "D0DM", "tab": tab, "event_ts": next_ts()}


def command(text: str, response_url: str, user: str = "U0ASKER", channel: str = "C0GENERAL") -> dict:
    return {
        "token": "legacy",
        "team_id": TEAM,
        "team_domain": "test",
        "channel_id": channel,
        "channel_name": "general",
        "user_id": user,
        "user_name": "asker",
        "command": "/mayipost",
        "text": text,
        "api_app_id": "A0TEST",
        "response_url": response_url,
        "trigger_id": f"{next(_ids)}.trigger",
    }


def block_action(
    button: dict,
    response_url: str,
    user: str = "U0ASKER",
    channel: str = "C0GENERAL",
    message_ts: str | None = None,
    ephemeral: bool = False,
) -> dict:
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0TEST",
        "trigger_id": f"{next(_ids)}.trigger",
        "response_url": response_url,
        "channel": {"id": channel},
        "container": {
            "type": "message",
            "message_ts": message_ts or next_ts(),
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "answer",
                "value": button["value"],
                "action_ts": next_ts(),
            }
        ],
    }


def view_submission(view: dict, reason: str, user: str = "U0ASKER") -> dict:
    submitted = {
        **view,
        "id": "V0TEST",
        "state": {"values": {"reason": {"reason_input": {"type": "plain_text_input", "value": reason}}}},
    }
    return {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0TEST",
        "trigger_id": f"{next(_ids)}.trigger",
        "view": submitted,
    }


def submitted_view(view: dict, values: dict[str, dict], user: str = "U0ASKER") -> dict:
    """A view_submission of ``view`` whose input blocks hold ``values`` (block id -> element
    state, e.g. {"type": "users_select", "selected_user": "U1"}; the element's action_id is "input")."""
    state = {block: {"input": element} for block, element in values.items()}
    return {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0TEST",
        "trigger_id": f"{next(_ids)}.trigger",
        "view": {**view, "id": "V0TEST", "state": {"values": state}},
    }


def message_shortcut(text: str, response_url: str, user: str = "U0ASKER", channel: str = "C0GENERAL") -> dict:
    return {
        "type": "message_action",
        "callback_id": "check_post",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "channel": {"id": channel, "name": "general"},
        "message": {"type": "message", "user": "U0AUTHOR", "text": text, "ts": next_ts()},
        "message_ts": next_ts(),
        "response_url": response_url,
        "trigger_id": f"{next(_ids)}.trigger",
    }


# -- delivering them over HTTP, signed ----------------------------------------------------------
def signature(secret: str, timestamp: str, body: bytes) -> str:
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SignedPoster:
    """Posts to the app's /slack/events as Slack does: JSON for events, forms for the rest."""

    def __init__(self, url: str, secret: str) -> None:
        self.url = url
        self.secret = secret

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        sign_with: str | None = None,
        headers: dict | None = None,
    ) -> tuple[int, str]:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": signature(sign_with or self.secret, stamp, body),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def event(self, body: dict, retry: int | None = None, **options) -> tuple[int, str]:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return self.post(json.dumps(body).encode(), "application/json", headers=headers, **options)

    def command(self, fields: dict, **options) -> tuple[int, str]:
        return self.post(urlencode(fields).encode(), "application/x-www-form-urlencoded", **options)

    def interaction(self, payload: dict, **options) -> tuple[int, str]:
        return self.post(
            urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded", **options
        )
