"""How listeners deliver a message: in a thread, or privately through a response_url."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.slack.blocks import Message


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


def from_a_person(event: dict, bot_user_id: str | None) -> bool:
    """A person's own new message: not a bot's (ours included), not an edit, delete or join."""
    return (
        event.get("subtype") in (None, "file_share", "thread_broadcast")
        and not event.get("bot_id")
        and bool(event.get("user"))
        and event.get("user") != bot_user_id
    )
