"""Answering a question in Slack: status while working, the answer, a hand-off when the core
escalates, and, if anything fails, a message to the asker with a case id. Never silent."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answer import Answer
from bot.language import detect_language
from bot.question import prepare, strip_slack_markup
from bot.reporting.trace import trace
from bot.service import AnswerService
from bot.slack import blocks
from bot.slack.asker import Asker, new_id
from bot.slack.bounded import TooSlow
from bot.slack.casedesk import CaseDesk
from bot.slack.handoff import Handoff
from bot.slack.settings import SlackSettings
from bot.slack.texts import text
from bot.store import Store
from bot.store.database import utcnow
from bot.store.storable import clean
from bot.store.unanswered import Claim

log = logging.getLogger(__name__)
Deliver = Callable[[blocks.Message], object]
LEASE_MARGIN_SECONDS = 5.0  # a lease is twice the answer deadline and this (Slack calls, the store)


class Answering:
    """The one place where Slack surfaces meet the core."""

    def __init__(self, service: AnswerService, store: Store, settings: SlackSettings, desk: CaseDesk) -> None:
        self.service = service
        self.store = store
        self.settings = settings
        self.desk = desk
        # The core answers here, so a question that overruns its deadline frees the listener
        # thread; a question still queued when its deadline passes is never started.
        self._core = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="answer")
        # how long a claimed question is this process's to answer; after that, if it is still
        # unanswered (the process died), Slack's retry or any process's scheduler answers it
        self.lease = timedelta(seconds=2 * settings.answer_deadline + LEASE_MARGIN_SECONDS)

    # -- the flow --------------------------------------------------------------------------------
    def reply(
        self,
        question: str,
        asker: Asker,
        deliver: Deliver,
        client: WebClient,
        *,
        share: bool = False,
        checked: bool = False,
        status: tuple[str, str] | None = None,
        files: tuple[dict, ...] = (),
        pending: int | None = None,
        question_id: str | None = None,
    ) -> None:
        """Answer ``question`` and deliver it; on any failure tell the asker and log a case id.
        ``checked``: the whole text is a draft post for the draft checks ("Check this post").
        ``files``: the message's files; an image or video adds the consent and copyright reminders.
        ``status`` is (channel, thread_ts) of an assistant thread that shows a status meanwhile.
        ``pending``: the stored question (``claim``), deleted once the asker has the answer or the
        failure notice; if neither reaches the asker it stays, and is answered again later.
        ``question_id``: kept with the stored question, so answering it again reopens no new case."""
        question = clean(question)  # no NUL or lone surrogate reaches the core, the store or Slack
        question_id = question_id or new_id()
        language = guess_language(question)
        asked_at, started = utcnow(), time.monotonic()
        try:
            if status:
                self.set_status(client, *status, language)
            answer = self.answer_in_time(question, checked, files)
            language = answer.language
            empty = prepare(question).empty
            handoff = (
                self.escalate(client, answer, asker, question_id, status) if answer.escalate and not empty else None
            )
            message = blocks.answer_message(
                answer,
                question_id,
                docs_url=self.settings.docs_url,
                buttons=not empty,
                share=share,
                ask_team=handoff is None or not handoff.opened,
                checked_text=question if checked else None,
                handoff_note=handoff.note(question_id) if handoff else None,
                feedback_text=self.settings.store_question_text,
                native_feedback=self.settings.native_feedback,
            )
            deliver(message)
            self.answered(pending)
            if handoff is not None and handoff.opened and status:
                self.desk.asker_notified(question_id)  # the answer carried the notice
            self.log_answer(question_id, asker, answer, question)
        except Exception as exc:
            if self.tell_failure(question, question_id, asker, deliver, language, exc):
                self.answered(pending)
            return
        self.record(answer, question_id, asker, asked_at, started, question)

    def answer_in_time(self, question: str, checked: bool, files: tuple[dict, ...]) -> Answer:
        """The core's answer, or AnswerTimeout after ``settings.answer_deadline`` seconds."""
        answerer = self.service.answerer()
        future = self._core.submit(answerer.answer, question, whole_text_is_draft=checked, attachments=files)
        try:
            return future.result(timeout=self.settings.answer_deadline)
        except TimeoutError:
            future.cancel()
            raise AnswerTimeout(self.settings.answer_deadline) from None

    def tell_failure(
        self,
        question: str,
        question_id: str,
        asker: Asker,
        deliver: Deliver,
        language: str,
        error: Exception | None = None,
    ) -> bool:
        """Tell the asker that answering failed, with the button to the team; True if they were told."""
        case_id = new_id()
        log.error(
            "answering failed: case=%s question=%s surface=%s user=%s%s%s",
            case_id,
            question_id,
            asker.surface,
            asker.user,
            f" after the deadline of {error.seconds:g} s" if isinstance(error, AnswerTimeout) else "",
            self._text_for_log(question),
            exc_info=error is not None and not isinstance(error, AnswerTimeout),
        )
        try:
            deliver(blocks.failure_message(case_id, language, question, question_id))
            return True
        except Exception:
            log.exception("could not tell the asker about case %s", case_id)
            return False

    def escalate(
        self, client: WebClient, answer: Answer, asker: Asker, case_id: str, conversation: tuple[str, str] | None
    ) -> Handoff:
        """Open a case for the routed contact, as the answer says. The team's replies reach the
        asker in ``conversation`` (the thread the answer goes to), or in a DM thread when the
        answer is private (command, shortcut)."""
        handoff, _ = self.desk.open(  # a case that cannot be stored: the answer says so plainly
            asker,
            answer.question,
            answer.language,
            answer,
            case_id,
            answer.route,
            conversation,
            tells_asker=conversation is not None,
        )
        return handoff

    def claim(
        self, event_key: str | None, channel: str | None, ts: str | None, question: dict, wait: float | None = None
    ) -> Claim:
        """Claim a delivery and store its question until answered (``bot/store/unanswered.py``).
        If the store fails, answer anyway: a rare duplicate answer is better than silence."""
        try:
            return self.in_time(
                self.store.unanswered.claim,
                event_key,
                channel,
                ts,
                question,
                self.lease,
                late=self._claimed_late,
                wait=wait,
            )
        except Exception as exc:
            log.error(
                "could not claim delivery %s (%s); answering anyway",
                event_key,
                exc,
                exc_info=not isinstance(exc, TooSlow),
            )
            return Claim(True)

    def _claimed_late(self, claim: Claim) -> None:
        """A claim that committed after this process stopped waiting: it answered anyway, so the
        stored question goes (else it would be answered again after its lease)."""
        self.answered(claim.pending)

    def answered(self, pending: int | None) -> None:
        """The asker has the answer: the stored question goes (best effort: if it stays, it is
        answered once more after its lease, a duplicate, never a loss)."""
        if pending is None:
            return
        try:
            self.in_time(self.store.unanswered.answered, pending)
        except TooSlow:
            log.warning("question %d answered; marking it so goes on in the background", pending)
        except Exception as exc:
            log.warning("question %d answered, but not marked so (%s)", pending, type(exc).__name__)

    def in_time(self, fn, *args, late=None, wait: float | None = None, **kwargs):
        """``fn(*args, **kwargs)`` on the store, waited for at most ``STORE_WAIT`` seconds (then
        TooSlow, and it goes on in the background; ``late`` gets its result if it comes), so a
        black-holed database never holds a listener thread for long."""
        return self.desk.store_calls.call(late, fn, *args, wait=wait, **kwargs)

    # -- helpers ----------------------------------------------------------------------------------
    def set_status(self, client: WebClient, channel: str, thread_ts: str, language: str) -> None:
        """'Checking the guidelines…' under the thread until the answer arrives, with Slack's
        rotating loading messages (a slack_sdk that does not name the argument passes it on with
        its other keyword arguments; a workspace without them shows the status alone); best effort."""
        loading = text("loading_messages", language).split("\n")
        try:
            client.assistant_threads_setStatus(
                channel_id=channel, thread_ts=thread_ts, status=text("status", language), loading_messages=loading
            )
        except SlackApiError as exc:
            log.debug("no status shown: %s", exc.response.get("error"))
        except Exception as exc:  # a status is nice to have; the answer must not depend on it
            log.warning("no status shown: %s", type(exc).__name__)

    def record(
        self, answer: Answer, question_id: str, asker: Asker, asked_at: datetime, started: float, question: str
    ) -> None:
        """Leave the answer's trace for the team's report, after the asker has it. A store that
        fails costs the trace, never the answer: one log line, without the text."""
        latency_ms = round((time.monotonic() - started) * 1000)
        kept = question if self.settings.store_question_text else None
        try:
            self.in_time(
                self.store.answers.record, trace(answer, question_id, asker.surface, asked_at, latency_ms, kept)
            )
        except TooSlow:
            log.warning("answer %s: recording it for the report goes on in the background", question_id)
        except Exception as exc:
            log.warning("answer %s not recorded for the report: %s", question_id, type(exc).__name__)

    def log_answer(self, question_id: str, asker: Asker, answer: Answer, question: str) -> None:
        log.info(
            "answered: question=%s surface=%s user=%s verdict=%s escalate=%s confidence=%.2f route=%s "
            "faq=%s citations=%s%s",
            question_id,
            asker.surface,
            asker.user,
            answer.verdict,
            answer.escalate,
            answer.confidence,
            answer.route,
            answer.faq_id,
            ",".join(c.anchor for c in answer.citations),
            self._text_for_log(question),
        )

    def _text_for_log(self, question: str) -> str:
        return f" text={question!r}" if self.settings.log_text else ""


class AnswerTimeout(Exception):
    """The core did not answer within the deadline."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s")
        self.seconds = seconds


def guess_language(question: str) -> str:
    try:
        cleaned = strip_slack_markup(question)
        return detect_language(cleaned) if cleaned else "de"
    except Exception:
        return "de"
