"""The Slack side of cases: opens a case from an answer, carries out the team's buttons, relays
messages between the case thread and the asker, and delivers what the outbox holds.

Every change is stored first (with the messages it causes) and delivered after; a process that
dies in between leaves the messages in the outbox, and ``tick`` (at start-up and every minute,
in any process) delivers them. Deliveries are at least once: a kill after Slack accepted a
message and before it was marked delivered repeats it, except the case message itself, which is
found again by its metadata instead of being posted twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answer import Answer
from bot.escalation import outbox as ob
from bot.escalation.faq import FaqProposals, Proposal, ProposalError, ProposalInbox, make_entry, proposal_stamp
from bot.escalation.model import Case, check_propose, snapshot
from bot.escalation.report import duration
from bot.escalation.service import CaseService, NewCase
from bot.knowledge.routing import ResolvedContact
from bot.service import AnswerService
from bot.slack import case_blocks
from bot.slack.answering import Asker
from bot.slack.blocks import Message, notice
from bot.slack.escape import escape
from bot.slack.handoff import Handoff, contact_label, target_of
from bot.slack.settings import SlackSettings
from bot.slack.team import TeamDirectory
from bot.slack.texts import text
from bot.store import Store
from bot.store.database import utcnow

log = logging.getLogger(__name__)
PURGE_EVERY = timedelta(hours=1)
GONE = ("message_not_found", "cant_update_message", "thread_not_found")  # nothing left to update


class CaseDesk:
    def __init__(self, client: WebClient, service: AnswerService, store: Store, settings: SlackSettings) -> None:
        self.client = client
        self.service = service
        self.settings = settings
        self.cases = CaseService(store, settings.escalation)
        self.team = TeamDirectory(client, settings.team_members, settings.team_usergroup)
        self._purged_at: datetime | None = None

    # -- opening ------------------------------------------------------------------------------------
    def open(
        self,
        asker: Asker,
        question: str,
        language: str,
        answer: Answer | None,
        case_id: str,
        route: str | None,
        conversation: tuple[str, str] | None,
        tells_asker: bool,
    ) -> tuple[Handoff, bool]:
        """Open a case for the contact ``route`` names and post it to the team at once.
        ``conversation``: (channel, thread_ts) where the asker hears back; None starts a DM
        thread. ``tells_asker``: the caller delivers the note into ``conversation`` itself and
        then calls ``asker_notified``. Returns the hand-off and whether the case is new."""
        routing = self.service.knowledge.routing
        contact = routing.contacts.get(route or "") or routing.default
        channel, ping = target_of(contact, routing)
        replies = "here" if conversation else "dm"
        if not channel:
            log.warning("case %s: contact %s has no Slack conversation to post to", case_id, contact.key)
            return Handoff(contact, False, language), True
        new = NewCase(
            id=case_id,
            question=question,
            language=language,
            asker=asker.user,
            surface=asker.surface,
            contact=contact.key,
            team_channel=channel,
            team_ping=ping or None,
            topic=answer.topic if answer else None,
            found=snapshot(answer),
            origin_channel=asker.channel,
            asker_channel=conversation[0] if conversation else None,
            asker_thread_ts=conversation[1] if conversation else None,
        )
        case, created = self.cases.open(new, asker_told=tells_asker and conversation is not None)
        if created:
            self.deliver(case.id)
            case = self.cases.require(case.id)
        return Handoff(contact, case.team_ts is not None, language, opened=True, replies=replies), created

    def asker_notified(self, case_id: str) -> None:
        try:
            self.cases.asker_notified(case_id)
        except Exception:  # the held notice then goes out later: a repeat, not a loss
            log.exception("case %s: could not mark the asker as told", case_id)

    # -- the team's actions (each stored first; ``deliver`` after) -------------------------------------
    def member(self, case: Case, user: str | None) -> bool:
        return self.team.is_member(user, self.contact(case))

    def contact(self, case: Case) -> ResolvedContact:
        routing = self.service.knowledge.routing
        return routing.contacts.get(case.contact) or routing.default

    def claim(self, case_id: str, user: str, now: datetime | None = None) -> Case:
        case = self.cases.require(case_id)
        return self.cases.claim(case_id, user, self.member(case, user), now)

    def hand_off(self, case_id: str, user: str, to: str | None, note: str | None, now: datetime | None = None) -> Case:
        case = self.cases.require(case_id)
        return self.cases.hand_off(case_id, user, self.member(case, user), to, self.member(case, to), note, now)

    def resolve(self, case_id: str, user: str, answer: str, verdict: str | None, now: datetime | None = None) -> Case:
        case = self.cases.require(case_id)
        return self.cases.resolve(case_id, user, self.member(case, user), answer, verdict, now)

    def propose_faq(
        self,
        case_id: str,
        user: str,
        questions: list[str],
        answer: str,
        verdict: str,
        anchors: list[str],
        now: datetime | None = None,
    ) -> str:
        """Store the proposal with the case in the shared database, for `guidelines-bot faq review`,
        then write it into the review file on this machine too. Returns the entry id."""
        now = now or utcnow()
        case = self.cases.require(case_id)
        member = self.member(case, user)
        check_propose(case, user, member)
        review = FaqProposals(self.service.knowledge_dir)
        waiting = ProposalInbox(self.cases.engine).list()
        try:
            waiting += review.list()
        except ProposalError:
            log.warning("the review file %s does not load; the proposal is kept in the database", review.path)
        taken = {str(p.entry.get("id")) for p in waiting if p.id != case.id}
        entry = make_entry(
            self.service.knowledge,
            questions=questions,
            answer=answer,
            verdict=verdict,
            anchors=anchors,
            language=case.language,
            topic=case.topic,
            taken=taken,
        )
        proposal = Proposal(case.id, entry, user, proposal_stamp(now))
        self.cases.faq_proposed(case.id, user, member, proposal, now)
        try:
            review.add(proposal)
        except (OSError, ProposalError) as exc:  # the database has it: `faq review` fetches it from there
            log.warning(
                "case %s: proposal not written to %s (%s); it waits in the database",
                case.id,
                review.path,
                type(exc).__name__,
            )
        return entry["id"]

    def section_options(self, language: str) -> list[tuple[str, str]]:
        """(anchor, title) of the guideline sections, one per anchor, titles in ``language`` if possible."""
        found: dict[str, str] = {}
        for s in sorted(self.service.knowledge.sections, key=lambda s: s.language != language):
            if s.title and s.anchor not in found:
                found[s.anchor] = f"{s.title} ({s.anchor})"
        return sorted(found.items(), key=lambda item: item[1].lower())

    # -- relaying --------------------------------------------------------------------------------------
    def relay(self, event: dict, event_id: str | None, now: datetime | None = None) -> bool:
        """A message in a case thread (the team's side) or in an asker's thread: pass it on.
        True when the message belongs to a case (then nothing else answers it)."""
        channel, ts, thread_ts, user = event.get("channel"), event.get("ts"), event.get("thread_ts"), event.get("user")
        if not thread_ts or thread_ts == ts or not channel:
            return False
        message_text = _with_files(event)
        case = self.cases.by_team_thread(channel, thread_ts)
        if case is not None:
            if self.member(case, user):
                self.cases.team_reply(case.id, user, True, message_text, (event_id, channel, ts), now)
                self.deliver(case.id, now)
            elif case.is_open and self.cases.store.claim_delivery(event_id, channel, ts):
                self._tell_outsider(case, user)
            return True
        case = self.cases.by_asker_thread(channel, thread_ts)
        if case is not None and case.asker == user:
            self.cases.asker_follow_up(case.id, user, message_text, (event_id, channel, ts), now)
            self.deliver(case.id, now)
            return True
        return False

    def relay_change(self, event: dict, event_id: str | None, now: datetime | None = None) -> bool:
        """An edit (message_changed) or deletion (message_deleted) in a case thread or an asker's
        thread: the relayed copy on the other side follows. True when it concerned a case."""
        channel = event.get("channel")
        if event.get("subtype") == "message_changed":
            message, before = event.get("message") or {}, event.get("previous_message") or {}
            source_ts, new_text = message.get("ts"), _with_files(message)
            if new_text == _with_files(before):
                return False  # a link preview or reaction, not a new text
        elif event.get("subtype") == "message_deleted":
            message, source_ts, new_text = event.get("previous_message") or {}, event.get("deleted_ts"), None
        else:
            return False
        user, thread_ts = message.get("user"), message.get("thread_ts")
        if not channel or not source_ts or not user or message.get("bot_id") or not thread_ts or thread_ts == source_ts:
            return False
        case = self.cases.by_team_thread(channel, thread_ts)
        side = ob.TEAM
        if case is None:
            case, side = self.cases.by_asker_thread(channel, thread_ts), ob.ASKER
            if case is None or case.asker != user:
                return False
        if self.cases.relay_changed(case.id, user, side, source_ts, new_text, (event_id, None, None), now):
            self.deliver(case.id, now)
        return True

    def _tell_outsider(self, case: Case, user: str | None) -> None:
        """Someone outside the team wrote in the case thread: only they learn it stays there."""
        try:
            self.client.chat_postEphemeral(
                channel=case.team_channel,
                user=user,
                thread_ts=case.team_ts,
                **Message(text("reply_stays", case.language)).as_kwargs(),
            )
        except SlackApiError as exc:
            log.info("case %s: no note to %s: %s", case.id, user, exc.response.get("error"))

    # -- time ---------------------------------------------------------------------------------------------
    def tick(self, now: datetime | None = None) -> dict[str, int]:
        """What the scheduler runs every minute (and at start-up): queue due reminders, deliver
        everything pending, and once an hour delete texts past the retention."""
        now = now or utcnow()
        reminded = len(self.cases.due_reminders(now))
        delivered = self.deliver(now=now)
        purged = 0
        if self._purged_at is None or now - self._purged_at >= PURGE_EVERY:
            purged = len(self.cases.purge(now))
            self._purged_at = now
        return {"reminded": reminded, "delivered": delivered, "purged": purged}

    # -- delivering the outbox -------------------------------------------------------------------------
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
                values = self._send(item, case, now or utcnow()) if case is not None else None
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

    def _send(self, item: ob.OutboxItem, case: Case, now: datetime) -> dict | None:
        """One Slack call (or two) for ``item``; returns what to store about the case."""
        kind, payload = item.kind, item.payload
        name = contact_label(self.contact(case), case.language)
        if kind == ob.POST_CASE:
            return self._post_case(case, retried=item.attempts > 0)
        if kind == ob.UPDATE_CASE:
            if case.team_ts:
                self._update_case(case)
            return None
        if kind == ob.HANDOFF_NOTE:
            self._in_team_thread(
                case, case_blocks.handoff_note(case, payload["from"], payload["to"], payload.get("note"))
            )
            return None
        if kind == ob.RELAY_TO_TEAM:
            response = self._in_team_thread(case, case_blocks.from_asker(case, payload["author"], payload["text"]))
            self._remember_copy(case, payload, case.asker_channel, response, now)
            return None
        if kind == ob.REMINDER:
            waited = duration(timedelta(minutes=payload.get("minutes", 0)))
            if payload.get("kind") == "owner":
                since = max(t for t in (case.assigned_at, case.last_team_reply_at, case.opened_at) if t)
                waited = duration(now - since)
            self._in_team_thread(
                case, case_blocks.reminder(case, payload, waited), broadcast=payload.get("kind") == "unclaimed"
            )
            return None
        if kind == ob.ASKER_OPENED:
            if case.asker_thread_ts:
                self._to_asker(case, case_blocks.asker_opened(case, name, follow="here"))
                return None
            response = self._post(
                case.asker_channel or case.asker, case_blocks.asker_opened(case, name, follow="quote")
            )
            return {"asker_channel": response["channel"], "asker_thread_ts": response["ts"]}
        if kind == ob.ASKER_CLAIMED:
            self._to_asker(
                case, case_blocks.asker_claimed(case, payload["owner"], name, handed=bool(payload.get("handoff")))
            )
            return None
        if kind == ob.RELAY_TO_ASKER:
            response = self._to_asker(case, case_blocks.from_team(case, payload["author"], name, payload["text"]))
            self._remember_copy(case, payload, case.team_channel, response, now)
            return None
        if kind in (ob.EDIT_AT_ASKER, ob.EDIT_AT_TEAM):
            self._edit_copy(case, kind, payload, name)
            return None
        if kind == ob.ASKER_RESOLVED:
            self._to_asker(case, case_blocks.resolution(case, name))
            return None
        log.warning("case %s: unknown outbox item %s dropped", case.id, kind)
        return None

    def render(self, case: Case) -> Message:
        where = Asker(case.asker, case.surface, case.origin_channel).where(case.language)
        return case_blocks.case_message(case, where, self.settings.docs_url)

    def _post(self, channel: str, message: Message, **extra) -> dict:
        return self.client.chat_postMessage(
            channel=channel, unfurl_links=False, unfurl_media=False, **message.as_kwargs(), **extra
        )

    def _post_case(self, case: Case, retried: bool) -> dict:
        if retried:  # an earlier attempt may have reached Slack before its process died
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

    def _update_case(self, case: Case) -> None:
        self._update(case, case.team_channel, case.team_ts, self.render(case), "the case message")

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

    def _remember_copy(self, case: Case, payload: dict, source_channel: str | None, response, now: datetime) -> None:
        """Where the copy of a relayed message went, so its edits and deletion can follow."""
        if payload.get("source") and source_channel and response is not None:
            self.cases.record_relay(
                case.id, payload["author"], source_channel, payload["source"], response["channel"], response["ts"], now
            )

    def _edit_copy(self, case: Case, kind: str, payload: dict, contact: str) -> None:
        """An edited or deleted original: its copy shows the new text, or that it was deleted."""
        copy = self.cases.relayed_copy(payload.get("channel"), payload["source"])
        if copy is None:
            log.info("case %s: the copy of an edited message is unknown; not changed", case.id)
            return
        channel, ts, author = copy
        lang = case.language
        if payload.get("text") is None:
            message = notice(text("relay_deleted", lang, user=author))
        elif kind == ob.EDIT_AT_ASKER:  # the team's reply, shown to the asker
            message = case_blocks.from_team(case, author, contact, payload["text"], edited=True)
        else:
            message = case_blocks.from_asker(case, author, payload["text"], edited=True)
        self._update(case, channel, ts, message, "the copy of an edited message")

    def _to_asker(self, case: Case, message: Message) -> dict:
        if not case.asker_channel or not case.asker_thread_ts:
            raise RuntimeError("the asker's conversation is not known yet")
        return self._post(case.asker_channel, message, thread_ts=case.asker_thread_ts)


def _with_files(event: dict) -> str:
    """The message text, and the names of attached files (files themselves are not passed on)."""
    names = [escape(f.get("name") or f.get("title") or "file") for f in event.get("files") or []]
    body = event.get("text") or ""
    return (body + ("\n" if body else "") + "".join(f":paperclip: {n}\n" for n in names)).strip()
