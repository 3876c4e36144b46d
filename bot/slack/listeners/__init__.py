"""One module per Slack surface; ``register_listeners`` wires them all to the app."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.answering import Answering
from bot.slack.listeners import cases, commands, feedback, home, mentions, messages, shortcuts, team


def register_listeners(app: App, answering: Answering) -> None:
    for module in (messages, mentions, commands, shortcuts, home, feedback, team, cases):
        module.register(app, answering)
