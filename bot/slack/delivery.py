"""Delivering the case outbox to Slack: one small method per kind of message, chosen from a table.

Every change to a case is stored first, with the messages it causes; this class sends them after.
Deliveries are at least once: a kill after Slack accepted a message and before it was marked
delivered repeats it, except the case message itself, which is found again by its metadata
instead of being posted twice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.escalation import outbox as ob
from bot.escalation.model import Case
from bot.escalation.report import duration
from bot.escalation.service import CaseService
from bot.knowledge.routing import ResolvedContact
from bot.slack import case_blocks
from bot.slack.asker import Asker
from bot.slack.blocks import Message, notice
from bot.slack.handoff import contact_label
from bot.slack.texts import text
from bot.store.database import utcnow

log = logging.getLogger(__name__)
GONE = ("message_not_found", "cant_update_message", "thread_not_found")  # nothing left to update
Stored = dict | None  # what a delivery learned about the case (where a message went), to store


class OutboxDelivery:
    """Sends what the outbox holds, in order per case and lane (team, asker)."""

    def __init__(
        self,
        client: WebClient,
        cases: CaseService,
        contact: Callable[[Case], ResolvedContact],
        docs_url: str | None,
    ) -> None:
        self.client = client
        self.cases = cases
        self.contact = contact
        self.docs_url = docs_url
        self.senders: dict[str, Callable[[ob.OutboxItem, Case, datetime], Stored]] = {
            ob.POST_CASE: self._post_case,
            ob.UPDATE_CASE: self._update_case,
            ob.HANDOFF_NOTE: self._handoff_note,
            ob.RELAY_TO_TEAM: self._relay_to_team,
            ob.REMINDER: self._reminder,
            ob.ASKER_OPENED: self._asker_opened,
            ob.ASKER_CLAIMED: self._asker_claimed,
            ob.RELAY_TO_ASKER: self._relay_to_asker,
            ob.EDIT_AT_ASKER: self._edit_copy,
            ob.EDIT_AT_TEAM: self._edit_copy,
            ob.ASKER_RESOLVED: self._asker_resolved,
        }

    def deliver(self, case_id: str | None = None, now: datetime | None = None) -> int:
        """Deliver pending messages in order per case and side; a failure (or another process
        delivering) holds back the rest of its lane until the next try. Passes are repeated while
        they deliver something (a change made meanwhile may have queued more). Returns how many
        went out."""
        sent = 0
        while True:
            done = self._deliver_once(case_id, now)
            sent += done
            if not done:
                return sent

    def _deliver_once(self, case_id: str | None, now: datetime | None) -> int:
        blocked: set[tuple[str, str]] = set()
        sent = 0
        for item in self.cases.outbox.pending(case_id):
            lane = (item.case_id, item.lane)
            if lane in blocked or not self.cases.outbox.lease(item, now):
                blocked.add(lane)
                continue
            try:
                case = self.cases.get(item.case_id)
                values = self.send(item, case, now or utcnow()) if case is not None else None
            except Exception as exc:
                error = (
                    exc.response.get("error", "slack_error") if isinstance(exc, SlackApiError) else type(exc).__name__
                )
                log.warning(
                    "case %s: %s not delivered (attempt %d): %s", item.case_id, item.kind, item.attempts + 1, error
                )
                self.cases.outbox.failed(item, str(error), now)
                blocked.add(lane)
                continue
            self.cases.outbox.delivered(item, values)
            sent += 1
        return sent

    def send(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        """One Slack call (or two) for ``item``; returns what to store about the case."""
        sender = self.senders.get(item.kind)
        if sender is None:
            log.warning("case %s: unknown outbox item %s dropped", case.id, item.kind)
            return None
        return sender(item, case, now)

    def render(self, case: Case) -> Message:
        where = Asker(case.asker, case.surface, case.origin_channel).where(case.language)
        return case_blocks.case_message(case, where, self.docs_url)

    # -- the team's lane ---------------------------------------------------------------------------
    def _post_case(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        if item.attempts > 0:  # an earlier attempt may have reached Slack before its process died
            ts = self._posted_before(case)
            if ts:
                log.info("case %s: the case message was posted before (%s)", case.id, ts)
                return {"team_ts": ts}
        response = self._post(
            case.team_channel,
            self.render(case),
            metadata={"event_type": case_blocks.CASE_EVENT, "event_payload": {"case": case.id}},
        )
        log.info("case %s: posted to contact %s", case.id, case.contact)
        return {"team_channel": response["channel"], "team_ts": response["ts"]}

    def _update_case(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        if case.team_ts:
            self._update(case, case.team_channel, case.team_ts, self.render(case), "the case message")
        return None

    def _handoff_note(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        payload = item.payload
        self._in_team_thread(case, case_blocks.handoff_note(case, payload["from"], payload["to"], payload.get("note")))
        return None

    def _relay_to_team(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        payload = item.payload
        response = self._in_team_thread(case, case_blocks.from_asker(case, payload["author"], payload["text"]))
        self._remember_copy(case, payload, case.asker_channel, response, now)
        return None

    def _reminder(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        payload = item.payload
        waited = duration(timedelta(minutes=payload.get("minutes", 0)))
        if payload.get("kind") == "owner":
            since = max(t for t in (case.assigned_at, case.last_team_reply_at, case.opened_at) if t)
            waited = duration(now - since)
        self._in_team_thread(
            case, case_blocks.reminder(case, payload, waited), broadcast=payload.get("kind") == "unclaimed"
        )
        return None

    # -- the asker's lane --------------------------------------------------------------------------
    def _asker_opened(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        name = self._contact_name(case)
        if case.asker_thread_ts:
            self._to_asker(case, case_blocks.asker_opened(case, name, follow="here"))
            return None
        response = self._post(case.asker_channel or case.asker, case_blocks.asker_opened(case, name, follow="quote"))
        return {"asker_channel": response["channel"], "asker_thread_ts": response["ts"]}

    def _asker_claimed(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        payload, name = item.payload, self._contact_name(case)
        self._to_asker(
            case, case_blocks.asker_claimed(case, payload["owner"], name, handed=bool(payload.get("handoff")))
        )
        return None

    def _relay_to_asker(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        payload = item.payload
        message = case_blocks.from_team(case, payload["author"], self._contact_name(case), payload["text"])
        response = self._to_asker(case, message)
        self._remember_copy(case, payload, case.team_channel, response, now)
        return None

    def _asker_resolved(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        self._to_asker(case, case_blocks.resolution(case, self._contact_name(case)))
        return None

    # -- either lane: an edited or deleted original --------------------------------------------------
    def _edit_copy(self, item: ob.OutboxItem, case: Case, now: datetime) -> Stored:
        """An edited or deleted original: its copy shows the new text, or that it was deleted."""
        payload = item.payload
        copy = self.cases.relayed_copy(payload.get("channel"), payload["source"])
        if copy is None:
            log.info("case %s: the copy of an edited message is unknown; not changed", case.id)
            return None
        channel, ts, author = copy
        if payload.get("text") is None:
            message = notice(text("relay_deleted", case.language, user=author))
        elif item.kind == ob.EDIT_AT_ASKER:  # the team's reply, shown to the asker
            message = case_blocks.from_team(case, author, self._contact_name(case), payload["text"], edited=True)
        else:
            message = case_blocks.from_asker(case, author, payload["text"], edited=True)
        self._update(case, channel, ts, message, "the copy of an edited message")
        return None

    # -- Slack calls -----------------------------------------------------------------------------------
    def _contact_name(self, case: Case) -> str:
        return contact_label(self.contact(case), case.language)

    def _post(self, channel: str, message: Message, **extra) -> dict:
        return self.client.chat_postMessage(
            channel=channel, unfurl_links=False, unfurl_media=False, **message.as_kwargs(), **extra
        )

    def _posted_before(self, case: Case) -> str | None:
        try:
            history = self.client.conversations_history(
                channel=case.team_channel,
                include_all_metadata=True,
                oldest=f"{case.opened_at.timestamp() - 60:.6f}",
                limit=200,
            )
        except SlackApiError as exc:
            log.info("case %s: history not readable (%s); posting again", case.id, exc.response.get("error"))
            return None
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (
                metadata.get("event_type") == case_blocks.CASE_EVENT
                and (metadata.get("event_payload") or {}).get("case") == case.id
            ):
                return message.get("ts")
        return None

    def _update(self, case: Case, channel: str, ts: str, message: Message, what: str) -> None:
        """Replace a message of the bot's; one deleted meanwhile is left alone."""
        try:
            self.client.chat_update(channel=channel, ts=ts, **message.as_kwargs())
        except SlackApiError as exc:
            if exc.response.get("error") not in GONE:
                raise
            log.info("case %s: %s is gone; not updated", case.id, what)

    def _in_team_thread(self, case: Case, message: Message, broadcast: bool = False) -> dict:
        if not case.team_ts:
            raise RuntimeError("the case message is not posted yet")
        extra = {"reply_broadcast": True} if broadcast else {}
        return self._post(case.team_channel, message, thread_ts=case.team_ts, **extra)

    def _to_asker(self, case: Case, message: Message) -> dict:
        if not case.asker_channel or not case.asker_thread_ts:
            raise RuntimeError("the asker's conversation is not known yet")
        return self._post(case.asker_channel, message, thread_ts=case.asker_thread_ts)

    def _remember_copy(self, case: Case, payload: dict, source_channel: str | None, response, now: datetime) -> None:
        """Where the copy of a relayed message went, so its edits and deletion can follow."""
        if payload.get("source") and source_channel and response is not None:
            self.cases.record_relay(
                case.id, payload["author"], source_channel, payload["source"], response["channel"], response["ts"], now
            )
