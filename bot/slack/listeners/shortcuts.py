"""The message shortcut "Check this post": the answer to that message's text, privately. The
question is stored with its claim before the acknowledgement (``ClaimBeforeAck``) and answered
again through its response_url if its process dies (``listeners/questions.py``)."""

from __future__ import annotations

from slack_bolt import App

from bot.question import strip_slack_markup
from bot.slack import blocks
from bot.slack.answering import Answering, guess_language
from bot.slack.listeners.posting import privately
from bot.slack.listeners.questions import claim_and_answer_privately
from bot.slack.texts import text


def register(app: App) -> None:
    app.shortcut(blocks.CHECK_POST)(on_check_post)


def on_check_post(ack, shortcut: dict, respond, client, context, answering: Answering) -> None:
    ack()
    message = shortcut.get("message") or {}
    post, files = message.get("text") or "", tuple(message.get("files") or ())
    if not strip_slack_markup(post) and not files:
        privately(respond)(blocks.notice(text("no_text", guess_language(post))))
        return
    claim_and_answer_privately(answering, client, shortcut, respond, context)
