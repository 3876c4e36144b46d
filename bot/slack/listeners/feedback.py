"""Helpful / not helpful on an answer; "not helpful" asks for a reason in a small modal.
Stored with the question id; the question text only with GUIDELINES_BOT_STORE_QUESTION_TEXT=1."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack import blocks
from bot.slack.answering import Answering
from bot.slack.asker import new_id
from bot.slack.listeners.posting import bad_button, privately, refuse_button
from bot.slack.pending import ACK_WITHIN, Pending
from bot.slack.texts import text
from bot.store import Feedback

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.action(blocks.HELPFUL)(on_helpful)
    app.action(blocks.NOT_HELPFUL)(on_not_helpful)
    app.action(blocks.FEEDBACK)(on_feedback)
    app.view(blocks.REASON_VIEW)(on_reason)


def record(answering: Answering, data: dict, user: str, helpful: bool, reason: str | None = None) -> bool:
    """Store a rating; False (and a log line with a failure id) when the store fails."""
    item = Feedback(
        question_id=data["q"],
        user_id=user,
        helpful=helpful,
        reason=(reason or "").strip() or None,
        verdict=data.get("v"),
        language=data.get("l"),
        faq_id=data.get("f"),
        question_text=data.get("t") if answering.settings.store_question_text else None,
    )
    try:
        answering.store.record_feedback(item)
    except Exception:
        log.exception("feedback not stored: case=%s question=%s", new_id(), item.question_id)
        return False
    log.info(
        "feedback: question=%s user=%s helpful=%s reason=%s",
        item.question_id,
        user,
        helpful,
        "yes" if item.reason else "no",
    )
    return True


def on_helpful(ack, body: dict, action: dict, respond, answering: Answering) -> None:
    ack()
    data = blocks.unpack_value(action.get("value"), "q")
    if data is None:
        refuse_button(respond, body, action)
        return
    language = data.get("l", "de")
    if record(answering, data, body["user"]["id"], helpful=True):
        privately(respond)(blocks.notice(f":pray: {text('thanks', language)}"))
    else:
        privately(respond)(blocks.notice(f":warning: {text('feedback_failed', language)}"))


def on_not_helpful(ack, body: dict, action: dict, respond, client, answering: Answering) -> None:
    ack()
    data = blocks.unpack_value(action.get("value"), "q")
    if data is None:
        refuse_button(respond, body, action)
        return
    client.views_open(trigger_id=body["trigger_id"], view=blocks.feedback_modal(data, data.get("l", "de")))
    record(answering, data, body["user"]["id"], helpful=False)  # counts even if the modal is closed


def on_feedback(ack, body: dict, action: dict, respond, client, answering: Answering) -> None:
    """Slack's own 👍/👎: the same as our two buttons, told apart by the value."""
    data = blocks.unpack_value(action.get("value"), "q") or {}
    if data.get("h") == 0:
        on_not_helpful(ack, body, action, respond, client, answering)
    else:
        on_helpful(ack, body, action, respond, answering)


def on_reason(ack, body: dict, view: dict, answering: Answering) -> None:
    data = blocks.unpack_value(view.get("private_metadata"), "q")
    if data is None:
        ack(response_action="update", view=blocks.notice_view(bad_button(body, "feedback form")))
        return
    value = (
        view.get("state", {}).get("values", {}).get(blocks.REASON_BLOCK, {}).get(blocks.REASON_INPUT, {}).get("value")
    )
    language = data.get("l", "de")
    pending = Pending(lambda: record(answering, data, body["user"]["id"], helpful=False, reason=value), _ignore)
    if not pending.wait(ACK_WITHIN):  # the store is slow: thank now, the reason is stored when it can be
        ack(response_action="update", view=blocks.notice_view(text("feedback_pending", language)))
        return
    ack(
        response_action="update",
        view=blocks.thanks_view(language) if pending.result else blocks.notice_view(text("feedback_failed", language)),
    )


def _ignore(_stored: bool) -> None:
    """``record`` has logged a failure already."""
