"""`/mayipost <question or draft>`: a private answer with a "Share in channel" button. The
question is stored with its claim before the acknowledgement (``ClaimBeforeAck``) and answered
again through its response_url if its process dies (``listeners/questions.py``)."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack import blocks
from bot.slack.answering import Answering, guess_language
from bot.slack.asker import Asker
from bot.slack.listeners.admin import is_admin_command, run_admin
from bot.slack.listeners.posting import privately, refuse_button
from bot.slack.listeners.questions import COMMAND, HELP, claim_and_answer_privately
from bot.slack.texts import text

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.command(COMMAND)(on_command)
    app.action(blocks.SHARE)(on_share)


def on_command(ack, command: dict, respond, client, context, answering: Answering) -> None:
    question = (command.get("text") or "").strip()
    language = guess_language(question)
    user = command["user_id"]
    if not question or question.lower() in HELP:
        ack(text=text("command_help", language))
        return
    if is_admin_command(question):
        ack()
        run_admin(question, user, privately(respond), answering, language)
        return
    ack(text=f":mag: {text('status', language)}")
    claim_and_answer_privately(answering, client, command, respond, context)


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
