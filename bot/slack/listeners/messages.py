"""Direct messages (message.im), answered in a thread under the question, follow-ups in that
thread too; and the asker's follow-ups in a channel thread the bot answered after a mention.
Messages in the thread of a case (the team's replies, the asker's follow-ups while the case is
open) are passed on instead of answered, and their edits and deletions reach the copies."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.answering import Answering
from bot.slack.asker import Asker
from bot.slack.listeners.posting import from_a_person
from bot.slack.listeners.questions import claim_and_answer


def register(app: App) -> None:
    app.event("message")(on_message)


def on_message(event: dict, body: dict, context, client, answering: Answering) -> None:
    if event.get("subtype") in ("message_changed", "message_deleted"):
        answering.desk.relay_change(event, body.get("event_id"))
        return  # an edit reaches the copy of a relayed message; nothing else answers edits
    if not from_a_person(event, context.bot_user_id):
        return
    if answering.desk.relay(event, body.get("event_id")):
        return  # a message in a case's thread: passed on between the team and the asker
    channel, ts, user = event["channel"], event["ts"], event["user"]
    thread_ts = event.get("thread_ts") or ts
    if event.get("channel_type") == "im":
        asker = Asker(user, "dm", channel)
    elif event.get("thread_ts") and answering.store.thread_follower(channel, thread_ts) == user:
        asker = Asker(user, "thread", channel)
    else:
        return  # channel messages outside followed threads are not for us
    claim_and_answer(answering, client, body, event, asker.surface, context)
