"""The "Ask the social media team" button: opens a case for the contact its topic routes to and
tells the asker where it went. A second click opens nothing more."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack import blocks
from bot.slack.answering import Answering
from bot.slack.asker import Asker, new_id
from bot.slack.listeners.posting import privately
from bot.slack.texts import text

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.action(blocks.ASK_TEAM)(on_ask_team)


def on_ask_team(ack, body: dict, action: dict, respond, client, answering: Answering) -> None:
    ack()
    data = blocks.unpack_value(action.get("value"))
    question_id, language, question = data.get("q") or new_id(), data.get("l", "de"), data.get("t", "")
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    asker = Asker(body["user"]["id"], "button", channel)
    deliver = privately(respond)
    routing = answering.service.knowledge.routing
    desk = answering.desk
    route = data.get("r")
    if desk.cases.get(question_id) is not None:
        contact = routing.contacts.get(route or "") or routing.default
        deliver(blocks.notice(text("already_sent", language, contact=contact.display_name(language))))
        return
    try:
        answer = answering.service.answer(question)
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
        route or (answer.route if answer else None),
        conversation,
        tells_asker=conversation is not None,
    )
    if not created:
        contact = routing.contacts.get(route or "") or routing.default
        deliver(blocks.notice(text("already_sent", language, contact=contact.display_name(language))))
        return
    deliver(blocks.notice(handoff.note(question_id)))
    if handoff.opened and conversation is not None:
        desk.asker_notified(question_id)
