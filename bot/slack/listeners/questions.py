"""A question asked in a message or a mention, kept until it is answered: what the listeners
store with their claim, and how it is answered, now or again after its process died (Slack's
retry, or the scheduler of any process; ``bot/store/unanswered.py``)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.slack.answering import Answering
from bot.slack.asker import Asker, new_id
from bot.slack.listeners.posting import in_thread

log = logging.getLogger(__name__)
FILE_FIELDS = ("mimetype", "filetype", "name")  # what the draft checks read of a file


def question_of(event: dict, surface: str) -> dict:
    """What answering ``event`` needs, and nothing more: who asked where, the text, the kinds of
    its files."""
    ts = event["ts"]
    return {
        "id": new_id(),  # the question's (and its case's) id, the same when it is answered again
        "surface": surface,
        "user": event["user"],
        "channel": event["channel"],
        "ts": ts,
        "thread_ts": event.get("thread_ts") or ts,
        "text": event.get("text") or "",
        "files": [{k: f[k] for k in FILE_FIELDS if k in f} for f in event.get("files") or ()],
    }


def claim_and_answer(answering: Answering, client: WebClient, body: dict, event: dict, surface: str) -> None:
    """Claim the delivery with the question stored, and answer it unless another delivery has it."""
    question = question_of(event, surface)
    claim = answering.claim(body.get("event_id"), event["channel"], event["ts"], question)
    if claim:
        answer_question(answering, client, claim.stored or question, claim.pending)


def answer_question(answering: Answering, client: WebClient, question: dict, pending: int | None) -> None:
    """Answer ``question`` in the thread under it; ``pending``: the stored question, deleted once
    the asker has the answer."""
    channel, thread_ts, user = question["channel"], question["thread_ts"], question["user"]
    if question["surface"] == "mention":
        try:
            answering.in_time(answering.store.follow_thread, channel, thread_ts, user)
        except Exception as exc:  # TooSlow: it goes on in the background
            log.warning("thread not followed yet (%s); follow-ups there may need a new mention", type(exc).__name__)
    answering.reply(
        question["text"],
        Asker(user, question["surface"], channel),
        in_thread(client, channel, thread_ts),
        client,
        status=(channel, thread_ts),
        files=tuple(question.get("files") or ()),
        pending=pending,
        question_id=question.get("id"),
    )


def replay_unanswered(answering: Answering, client: WebClient) -> int:
    """Answer the questions whose process died before answering them (their lease has passed).
    Returns how many were taken."""
    taken = answering.store.unanswered.due(answering.lease)
    for item in taken:
        log.warning(
            "question %d of %s was not answered (its process stopped?); answering it now, attempt %d",
            item.id,
            item.question.get("user"),
            item.attempts,
        )
        answer_question(answering, client, item.question, item.id)
    return len(taken)
