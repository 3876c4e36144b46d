"""The message shortcut "Check this post": the answer to that message's text, privately."""

from __future__ import annotations

from slack_bolt import App

from bot.question import strip_slack_markup
from bot.slack import blocks
from bot.slack.answering import Answering, guess_language
from bot.slack.asker import Asker
from bot.slack.listeners.posting import privately
from bot.slack.texts import text


def register(app: App) -> None:
    app.shortcut(blocks.CHECK_POST)(on_check_post)


def on_check_post(ack, shortcut: dict, respond, client, answering: Answering) -> None:
    ack()
    message = shortcut.get("message") or {}
    post, files = message.get("text") or "", tuple(message.get("files") or ())
    user, channel = shortcut["user"]["id"], (shortcut.get("channel") or {}).get("id")
    deliver = privately(respond)
    if not strip_slack_markup(post) and not files:
        deliver(blocks.notice(text("no_text", guess_language(post))))
        return
    answering.reply(post, Asker(user, "shortcut", channel), deliver, client, checked=True, files=files)
