"""@guidelines-bot in a channel: the answer in a thread under the question."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.answering import Answering
from bot.slack.listeners.posting import from_a_person
from bot.slack.listeners.questions import claim_and_answer


def register(app: App) -> None:
    app.event("app_mention")(on_mention)


def on_mention(event: dict, body: dict, context, client, answering: Answering) -> None:
    if not from_a_person(event, context.bot_user_id):
        return
    if answering.desk.relay(event, body.get("event_id")):
        return  # in a case's thread: passed on, as the same message's message.channels event would be
    claim_and_answer(answering, client, body, event, "mention", context)
