"""Handing a question to the team from the "Ask the social media team" button, as a request that
can be stored: ``ClaimBeforeAck`` stores the click before Slack gets its acknowledgement, so a
process killed before the case is opened leaves it to another process (``replay_unanswered``),
which opens the case and tells the asker through the stored response_url."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.knowledge.routing import ResolvedContact
from bot.slack import blocks
from bot.slack.answering import Answering
from bot.slack.asker import Asker
from bot.slack.handoff import Handoff
from bot.slack.texts import text

log = logging.getLogger(__name__)
SURFACE = "ask_team"  # the stored request's surface, beside "dm", "command" ...


def ask_team_request(body: dict) -> dict | None:
    """What opening the case needs, from a click of "Ask the team": the question (id, text and
    language from the button), who clicked where, and the response_url; None for another payload
    or a button value that does not hold."""
    actions = body.get("actions") or [{}]
    if body.get("type") != "block_actions" or actions[0].get("action_id") != blocks.ASK_TEAM:
        return None
    data = blocks.unpack_value(actions[0].get("value"), "q", "t")
    user = (body.get("user") or {}).get("id")
    if data is None or not blocks.ISSUED_ID.fullmatch(data["q"]) or not user:  # the id becomes the case's
        return None
    container = body.get("container") or {}
    return {
        "id": data["q"],
        "surface": SURFACE,
        "user": user,
        "language": data.get("l", "de"),
        "text": data["t"],
        "channel": (body.get("channel") or {}).get("id") or container.get("channel_id"),
        # the thread of the answer (a DM or a channel thread) is where the team's replies go
        "thread_ts": (body.get("message") or {}).get("thread_ts") or container.get("thread_ts"),
        "ephemeral": bool(container.get("is_ephemeral")),
        "trigger_id": body.get("trigger_id"),
        "response_url": body.get("response_url"),
    }


def hand_to_team(answering: Answering, request: dict, deliver: Callable, pending: int | None = None) -> None:
    """Open the case for ``request`` (once: a second click, or the same click handled again after
    its process died, is told where it went) and tell the asker privately through ``deliver``;
    ``pending``: the stored click, deleted once the asker has been told."""
    question_id, language = request["id"], request["language"]
    desk = answering.desk
    try:
        case = desk.cases.get(question_id)
    except Exception as exc:  # the store is down: ``open`` below tells the asker plainly
        log.warning("ask-team: case %s not looked up (%s)", question_id, type(exc).__name__)
        case = None
    if case is not None:
        deliver(_already_sent(desk.contact(case), language))
    else:
        handoff, created, conversation = _open_case(answering, request)
        deliver(blocks.notice(handoff.note(question_id)) if created else _already_sent(handoff.contact, language))
        if created and handoff.opened and conversation is not None:
            desk.asker_notified(question_id)
    answering.answered(pending)


def _open_case(answering: Answering, request: dict) -> tuple[Handoff, bool, tuple[str, str] | None]:
    """The case for ``request`` with the bot's answer attached (None if it cannot be had), whether
    it was created now, and the conversation the team's replies go to."""
    question_id, question = request["id"], request["text"]
    channel, thread_ts = request.get("channel"), request.get("thread_ts")
    try:
        answer = answering.answer_in_time(question, False, ())
    except Exception:
        log.exception("ask-team: no answer to attach to case %s", question_id)
        answer = None
    # a private answer (command, shortcut) has no thread: a DM thread is started instead
    conversation = (channel, thread_ts) if channel and thread_ts and not request.get("ephemeral") else None
    handoff, created = answering.desk.open(
        Asker(request["user"], "button", channel),
        question,
        request["language"],
        answer,
        question_id,
        answer.route if answer else None,
        conversation,
        tells_asker=conversation is not None,
    )
    return handoff, created, conversation


def _already_sent(contact: ResolvedContact, language: str) -> blocks.Message:
    return blocks.notice(text("already_sent", language, contact=contact.display_name(language)))
