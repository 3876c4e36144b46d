"""A question asked in a message or a mention, with ``/mayipost`` or the shortcut "Check this
post", or handed to the team with "Ask the team", kept until it is answered: what the listeners
store with their claim, and how it is answered, now or again after its process died (Slack's
retry, or the scheduler of any process; ``bot/store/unanswered.py``). A command's, shortcut's or
click's answer goes privately through its response_url, which Slack keeps valid for 30 minutes
(and 5 uses): a question still unanswered then is dropped with an ERROR line."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.question import strip_slack_markup
from bot.slack.answering import Answering
from bot.slack.asker import Asker, new_id
from bot.slack.blocks import CHECK_POST
from bot.slack.listeners.admin import is_admin_command
from bot.slack.listeners.ask_team import SURFACE as ASK_TEAM
from bot.slack.listeners.ask_team import ask_team_request, hand_to_team
from bot.slack.listeners.posting import from_a_person, in_thread, privately
from bot.store.database import utcnow
from bot.store.unanswered import Claim

log = logging.getLogger(__name__)
FILE_FIELDS = ("mimetype", "filetype", "name")  # what the draft checks read of a file
CLAIMED = "guidelines_bot_claim"  # context key: (Claim, question) from ClaimBeforeAck
ACK_CLAIM_WAIT = 1.0  # seconds the acknowledgement may wait for the claim
COMMAND = "/mayipost"
HELP = ("help", "hilfe", "?")
PRIVATE = ("command", "shortcut", ASK_TEAM)  # surfaces answered privately, through the response_url
RESPONSE_URL_LIFETIME = timedelta(minutes=30)  # Slack's: a response_url takes no answer after that


def file_kinds(files) -> list[dict]:
    """Of each attached file, only what the draft checks read (its type and name, no content)."""
    return [{k: f[k] for k in FILE_FIELDS if k in f} for f in files]


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
        "files": file_kinds(event.get("files") or ()),
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


def private_question(body: dict) -> dict | None:
    """What answering a ``/mayipost`` question or a "Check this post" needs (with the
    response_url the answer goes to); None for what is no question (help, admin, a post without
    text or files, another payload)."""
    if body.get("command") == COMMAND:
        text = (body.get("text") or "").strip()
        if not text or text.lower() in HELP or is_admin_command(text):
            return None
        surface, user, channel, files = "command", body.get("user_id"), body.get("channel_id"), ()
        share, checked = True, False
    elif body.get("type") == "message_action" and body.get("callback_id") == CHECK_POST:
        message = body.get("message") or {}
        text, files = message.get("text") or "", message.get("files") or ()
        if not strip_slack_markup(text) and not files:
            return None
        surface, user, channel = "shortcut", (body.get("user") or {}).get("id"), (body.get("channel") or {}).get("id")
        share, checked = False, True
    else:
        return None
    if not user:
        return None
    return {
        "id": new_id(),
        "surface": surface,
        "user": user,
        "channel": channel,
        "text": text,
        "files": file_kinds(files),
        "share": share,
        "checked": checked,
        "trigger_id": body.get("trigger_id"),
        "response_url": body.get("response_url"),
    }


def claim_private(answering: Answering, question: dict, wait: float | None = None) -> Claim:
    """Claim a command or shortcut (by its trigger_id, unique per invocation) with its question
    stored; without a trigger_id or response_url nothing is stored (it could not be answered later)."""
    trigger, url = question.get("trigger_id"), question.get("response_url")
    if not trigger or not url:
        return Claim(True)
    return answering.claim(f"{question['surface']}:{trigger}", None, None, question, wait=wait)


def private_request(body: dict) -> dict | None:
    """What answering a command, a "Check this post" or a click of "Ask the team" needs; None
    for anything else."""
    return private_question(body) or ask_team_request(body)


def claim_and_answer_privately(answering: Answering, client: WebClient, body: dict, respond, context) -> bool:
    """Claim a command, shortcut or click of "Ask the team" with what it needs stored (unless
    ``ClaimBeforeAck`` did), and answer it privately unless another delivery has it; False when
    ``body`` holds nothing to answer."""
    claimed = (context or {}).get(CLAIMED)
    if claimed is not None:
        claim, question = claimed
    else:
        question = private_request(body)
        if question is None:
            return False
        claim = claim_private(answering, question)
    if claim:
        answer_question(answering, client, claim.stored or question, claim.pending, respond)
    return True


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
        try:
            claimed = self._claim(body, context.bot_user_id)
            if claimed is not None:
                context[CLAIMED] = claimed
        except Exception:  # the listener claims it then
            log.exception("could not claim before the acknowledgement")
        next()

    def _claim(self, body: dict, bot_user_id: str | None) -> tuple[Claim, dict] | None:
        """The claim and the stored question of a new question, command, shortcut or click of
        "Ask the team"; None for anything else."""
        event = body.get("event") if body.get("type") == "event_callback" else None
        surface = opening_question(event, bot_user_id) if isinstance(event, dict) else None
        if surface:
            question = question_of(event, surface)
            claim = self.answering.claim(
                body.get("event_id"), event["channel"], event["ts"], question, wait=ACK_CLAIM_WAIT
            )
            return claim, question
        question = private_request(body)
        return None if question is None else (claim_private(self.answering, question, wait=ACK_CLAIM_WAIT), question)


def answer_question(answering: Answering, client: WebClient, question: dict, pending: int | None, respond=None) -> None:
    """Answer ``question`` in the thread under it, or privately through ``respond`` (a command's
    or shortcut's; when it is answered again, one built from the stored response_url);
    ``pending``: the stored question, deleted once the asker has the answer. A stored click of
    "Ask the team" opens its case."""
    if question["surface"] in PRIVATE:
        deliver = privately(respond or Respond(response_url=question["response_url"]))
        if question["surface"] == ASK_TEAM:
            hand_to_team(answering, question, deliver, pending)
            return
        answering.reply(
            question["text"],
            Asker(question["user"], question["surface"], question.get("channel")),
            deliver,
            client,
            share=bool(question.get("share")),
            checked=bool(question.get("checked")),
            files=tuple(question.get("files") or ()),
            pending=pending,
            question_id=question.get("id"),
        )
        return
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
        if too_late(item.question, item.received_at):
            log.error(
                "question %d of %s (%s) was not answered within the %d minutes its response_url lasts "
                "(its process stopped, and no other answered in time); dropped",
                item.id,
                item.question.get("user"),
                item.question.get("surface"),
                RESPONSE_URL_LIFETIME.total_seconds() // 60,
            )
            answering.answered(item.id)
            continue
        log.warning(
            "question %d of %s was not answered (its process stopped?); answering it now, attempt %d",
            item.id,
            item.question.get("user"),
            item.attempts,
        )
        answer_question(answering, client, item.question, item.id)
    return len(taken)


def too_late(question: dict, received_at: datetime, now: datetime | None = None) -> bool:
    """A private question whose response_url Slack no longer accepts: it cannot be answered."""
    return question.get("surface") in PRIVATE and (now or utcnow()) - received_at >= RESPONSE_URL_LIFETIME
