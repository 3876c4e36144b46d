"""The "Ask the social media team" button: opens a case for the contact its topic routes to and
tells the asker where it went. A second click opens nothing more. The button carries the question
and its id; the route comes from the bot's own answer to that question, never from the button."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack import blocks
from bot.slack.answering import Answering
from bot.slack.asker import Asker
from bot.slack.listeners.posting import privately, refuse_button
from bot.slack.texts import text

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.action(blocks.ASK_TEAM)(on_ask_team)


def on_ask_team(ack, body: dict, action: dict, respond, client, answering: Answering) -> None:
    ack()
    data = blocks.unpack_value(action.get("value"), "q", "t")
    if data is None or not blocks.ISSUED_ID.fullmatch(data["q"]):  # the id becomes the case's id
        refuse_button(respond, body, action)
        return
    question_id, language, question = data["q"], data.get("l", "de"), data["t"]
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    asker = Asker(body["user"]["id"], "button", channel)
    deliver = privately(respond)
    desk = answering.desk
    try:
        case = desk.cases.get(question_id)
    except Exception as exc:  # the store is down: ``hand_over`` below tells the asker plainly
        log.warning("ask-team: case %s not looked up (%s)", question_id, type(exc).__name__)
        case = None
    if case is not None:
        contact = desk.contact(case)
        deliver(blocks.notice(text("already_sent", language, contact=contact.display_name(language))))
        return
    try:
        answer = answering.answer_in_time(question, False, ())
    except Exception:
        log.exception("ask-team: no answer to attach to case %s", question_id)
        answer = None
    # the thread of the answer (a DM or a channel thread) is where the team's replies go;
    # a private answer (command, shortcut) has none, and a DM thread is started instead
    thread_ts = (body.get("message") or {}).get("thread_ts") or container.get("thread_ts")
    conversation = (channel, thread_ts) if channel and thread_ts and not container.get("is_ephemeral") else None
    handoff, created = desk.open(
        asker,
        question,
        language,
        answer,
        question_id,
        answer.route if answer else None,
        conversation,
        tells_asker=conversation is not None,
    )
    if not created:
        contact = handoff.contact
        deliver(blocks.notice(text("already_sent", language, contact=contact.display_name(language))))
        return
    deliver(blocks.notice(handoff.note(question_id)))
    if handoff.opened and conversation is not None:
        desk.asker_notified(question_id)
