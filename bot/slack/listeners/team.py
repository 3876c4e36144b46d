"""The "Ask the social media team" button: posts the case, escaped, to the contact its topic
routes to (the claim / hand-off / resolve flow is issue 6). A second click posts nothing more."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack import blocks
from bot.slack.answering import Answering, Asker, new_id
from bot.slack.handoff import hand_off
from bot.slack.listeners.posting import privately
from bot.slack.texts import text

log = logging.getLogger(__name__)


def register(app: App, answering: Answering) -> None:
    @app.action(blocks.ASK_TEAM)
    def on_ask_team(ack, body: dict, action: dict, respond, client) -> None:
        ack()
        data = blocks.unpack_value(action.get("value"))
        question_id, language, question = data.get("q") or new_id(), data.get("l", "de"), data.get("t", "")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        asker = Asker(body["user"]["id"], "button", channel)
        deliver = privately(respond)
        routing = answering.service.knowledge.routing
        route = data.get("r")
        if not answering.first_delivery(f"ask-team:{question_id}"):
            contact = routing.contacts.get(route or "") or routing.default
            deliver(blocks.notice(text("already_sent", language, contact=contact.display_name(language))))
            return
        try:
            answer = answering.service.answer(question)
        except Exception:
            log.exception("ask-team: no answer to attach to case %s", question_id)
            answer = None
        case = blocks.CaseSummary(question_id, asker.user, asker.where(language), question, language, answer)
        handoff = hand_off(client, routing, route or (answer.route if answer else None), case,
                           answering.settings.docs_url)
        deliver(blocks.notice(handoff.note(question_id)))
