"""`/mayipost <question or draft>`: a private answer with a "Share in channel" button."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack import blocks
from bot.slack.answering import Answering, guess_language
from bot.slack.asker import Asker
from bot.slack.listeners.admin import is_admin_command, run_admin
from bot.slack.listeners.posting import privately, refuse_button
from bot.slack.texts import text

log = logging.getLogger(__name__)
COMMAND = "/mayipost"


def register(app: App) -> None:
    app.command(COMMAND)(on_command)
    app.action(blocks.SHARE)(on_share)


def on_command(ack, command: dict, respond, client, answering: Answering) -> None:
    question = (command.get("text") or "").strip()
    language = guess_language(question)
    user, channel = command["user_id"], command.get("channel_id")
    if not question or question.lower() in ("help", "hilfe", "?"):
        ack(text=text("command_help", language))
        return
    if is_admin_command(question):
        ack()
        run_admin(question, user, privately(respond), answering, language)
        return
    ack(text=f":mag: {text('status', language)}")
    answering.reply(question, Asker(user, "command", channel), privately(respond), client, share=True)


def on_share(ack, body: dict, action: dict, respond, answering: Answering) -> None:
    """Post the answer for everyone in the channel, then remove the private copy."""
    ack()
    data = blocks.unpack_value(action.get("value"), "q", "t")
    if data is None:
        refuse_button(respond, body, action)
        return
    question, language, user = data["t"], data.get("l", "de"), body["user"]["id"]
    try:
        answer = answering.answer_in_time(question, False, ())
        message = blocks.answer_message(
            answer, data["q"], docs_url=answering.settings.docs_url, buttons=False, shared_by=user
        )
        respond(response_type="in_channel", replace_original=False, **message.as_kwargs())
        respond(delete_original=True)
        log.info("answer shared: question=%s user=%s", data["q"], user)
    except Exception as exc:
        answering.tell_failure(question, data["q"], Asker(user, "command"), privately(respond), language, exc)
