"""How listeners deliver a message: in a thread, or privately through a response_url."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient

from bot.slack.blocks import Message, notice
from bot.slack.texts import text

log = logging.getLogger(__name__)


def in_thread(client: WebClient, channel: str, thread_ts: str) -> Callable[[Message], object]:
    def deliver(message: Message):
        return client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False, **message.as_kwargs()
        )

    return deliver


def privately(respond) -> Callable[[Message], object]:
    """An ephemeral message to the person who used the command, shortcut or button."""

    def deliver(message: Message):
        return respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())

    return deliver


def bad_button(body: dict, what: str) -> str:
    """A button value or modal metadata the bot did not write: one log line (never the value),
    and the polite words for the person, in both languages (the value's language is not to be trusted)."""
    log.warning("refused a %s with a value the bot did not write: user=%s", what, (body.get("user") or {}).get("id"))
    return f":warning: {text('bad_button', 'de')}\n{text('bad_button', 'en')}"


def refuse_button(respond, body: dict, action: dict) -> None:
    """Tell the person privately that this button cannot be used."""
    privately(respond)(notice(bad_button(body, f"button {str(action.get('action_id'))[:40]}")))


def from_a_person(event: dict, bot_user_id: str | None) -> bool:
    """A person's own new message: not a bot's (ours included), not an edit, delete or join."""
    return (
        event.get("subtype") in (None, "file_share", "thread_broadcast")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and event.get("user") != bot_user_id
    )
