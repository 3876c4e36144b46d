"""A question asked in a message or a mention, kept until it is answered: what the listeners
store with their claim, and how it is answered, now or again after its process died (Slack's
retry, or the scheduler of any process; ``bot/store/unanswered.py``)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient

from bot.slack.answering import Answering
from bot.slack.asker import Asker, new_id
from bot.slack.listeners.posting import from_a_person, in_thread

log = logging.getLogger(__name__)
FILE_FIELDS = ("mimetype", "filetype", "name")  # what the draft checks read of a file
CLAIMED = "guidelines_bot_claim"  # context key: (Claim, question) from ClaimBeforeAck
ACK_CLAIM_WAIT = 1.0  # seconds the acknowledgement may wait for the claim


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


def claim_and_answer(
    answering: Answering, client: WebClient, body: dict, event: dict, surface: str, context: dict | None = None
) -> None:
    """Claim the delivery with the question stored (unless ``ClaimBeforeAck`` did), and answer it
    unless another delivery has it."""
    claimed = (context or {}).get(CLAIMED)
    if claimed is not None:
        claim, question = claimed
    else:
        question = question_of(event, surface)
        claim = answering.claim(body.get("event_id"), event["channel"], event["ts"], question)
    if claim:
        answer_question(answering, client, claim.stored or question, claim.pending)


def opening_question(event: dict, bot_user_id: str | None) -> str | None:
    """The surface of an event that is certainly a new question (a person's top-level DM or
    mention): these can be claimed before the acknowledgement, without looking anything up.
    None for everything else (a thread reply may belong to a case: the listener decides)."""
    if event.get("thread_ts") or not event.get("channel") or not event.get("ts"):
        return None
    if event.get("type") == "app_mention":
        surface = "mention"
    elif event.get("type") == "message" and event.get("channel_type") == "im":
        surface = "dm"
    else:
        return None
    return surface if from_a_person(event, bot_user_id) else None


class ClaimBeforeAck:
    """Global middleware: a new question is claimed, and stored to be answered, before Slack gets
    its acknowledgement, so a process killed while the question still waits for a free listener
    thread leaves it stored (and answered after the lease). Waits for the store at most
    ``ACK_CLAIM_WAIT`` seconds (Slack allows 3); then the listener answers anyway."""

    def __init__(self, answering: Answering) -> None:
        self.answering = answering

    def __call__(self, body: dict, context, next: Callable[[], None]) -> None:  # "next": bolt's name
        event = body.get("event") if body.get("type") == "event_callback" else None
        surface = opening_question(event, context.bot_user_id) if isinstance(event, dict) else None
        if surface:
            try:
                question = question_of(event, surface)
                claim = self.answering.claim(
                    body.get("event_id"), event["channel"], event["ts"], question, wait=ACK_CLAIM_WAIT
                )
                context[CLAIMED] = (claim, question)
            except Exception:  # the listener claims it then
                log.exception("could not claim before the acknowledgement")
        next()


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
