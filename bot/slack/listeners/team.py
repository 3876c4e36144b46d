"""The "Ask the social media team" button: opens a case for the contact its topic routes to and
tells the asker where it went. A second click opens nothing more. The button carries the question
and its id; the route comes from the bot's own answer to that question, never from the button.
The click is stored before its acknowledgement and handled again if its process dies
(``ask_team.py``)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack import blocks
from bot.slack.answering import Answering
from bot.slack.listeners.ask_team import ask_team_request, hand_to_team
from bot.slack.listeners.posting import privately, refuse_button
from bot.slack.listeners.questions import CLAIMED, claim_private


def register(app: App) -> None:
    app.action(blocks.ASK_TEAM)(on_ask_team)


def on_ask_team(ack, body: dict, action: dict, respond, context, answering: Answering) -> None:
    ack()
    claimed = context.get(CLAIMED)  # stored before the acknowledgement (ClaimBeforeAck)
    if claimed is not None:
        claim, request = claimed
    else:
        request = ask_team_request(body)
        claim = claim_private(answering, request) if request is not None else None
    if request is None:
        refuse_button(respond, body, action)
        return
    if claim:
        hand_to_team(answering, claim.stored or request, privately(respond), claim.pending)
