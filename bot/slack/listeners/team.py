"""The "Ask the social media team" button: opens a case for the contact its topic routes to and
tells the asker where it went. A second click opens nothing more. The button carries the question
and its id; the route comes from the bot's own answer to that question, never from the button.
The click is stored before its acknowledgement and handled again if its process dies
(``ask_team.py``)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack import blocks
from bot.slack.answering import Answering
from bot.slack.listeners.posting import refuse_button
from bot.slack.listeners.questions import claim_and_answer_privately


def register(app: App) -> None:
    app.action(blocks.ASK_TEAM)(on_ask_team)


def on_ask_team(ack, body: dict, action: dict, respond, client, context, answering: Answering) -> None:
    ack()
    if not claim_and_answer_privately(answering, client, body, respond, context):  # the value does not hold
        refuse_button(respond, body, action)
