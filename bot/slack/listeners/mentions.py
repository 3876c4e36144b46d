"""@guidelines-bot in a channel: the answer in a thread under the question."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack.answering import Answering
from bot.slack.asker import Asker
from bot.slack.listeners.posting import from_a_person, in_thread

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.event("app_mention")(on_mention)


def on_mention(event: dict, body: dict, context, client, answering: Answering) -> None:
    if not from_a_person(event, context.bot_user_id):
        return
    if answering.desk.relay(event, body.get("event_id")):
        return  # in a case's thread: passed on, as the same message's message.channels event would be
    channel, ts, user = event["channel"], event["ts"], event["user"]
    thread_ts = event.get("thread_ts") or ts
    if not answering.first_delivery(body.get("event_id"), channel, ts):
        return
    try:
        answering.store.follow_thread(channel, thread_ts, user)
    except Exception:
        log.exception("could not follow thread; follow-ups there need a new mention")
    answering.reply(
        event.get("text") or "",
        Asker(user, "mention", channel),
        in_thread(client, channel, thread_ts),
        client,
        status=(channel, thread_ts),
        files=tuple(event.get("files") or ()),
    )
