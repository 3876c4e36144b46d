"""The Slack side of cases: opens a case from an answer, carries out the team's buttons and
relays messages between the case thread and the asker.

Every change is stored first (with the messages it causes) and delivered after by
``OutboxDelivery`` (delivery.py); a process that dies in between leaves the messages in the
outbox, and ``tick`` (at start-up and every minute, in any process) delivers them."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answer import Answer
from bot.escalation import outbox as ob
from bot.escalation.faq import FaqProposals, Proposal, ProposalError, ProposalInbox, make_entry, proposal_stamp
from bot.escalation.model import Case, check_propose, snapshot
from bot.escalation.service import CaseService, NewCase
from bot.knowledge.routing import ResolvedContact
from bot.service import AnswerService
from bot.slack.asker import Asker
from bot.slack.blocks import Message
from bot.slack.bounded import Bounded, TooSlow
from bot.slack.delivery import OutboxDelivery
from bot.slack.escape import escape
from bot.slack.handoff import Handoff, target_of
from bot.slack.settings import SlackSettings
from bot.slack.team import TeamDirectory
from bot.slack.texts import text
from bot.store import Store
from bot.store.database import utcnow

log = logging.getLogger(__name__)
PURGE_EVERY = timedelta(hours=1)


class CaseDesk:
    def __init__(self, client: WebClient, service: AnswerService, store: Store, settings: SlackSettings) -> None:
        self.client = client
        self.service = service
        self.settings = settings
        self.cases = CaseService(store, settings.escalation)
        self.team = TeamDirectory(client, settings.team_members, settings.team_usergroup)
        self.delivery = OutboxDelivery(client, self.cases, self.contact, settings.docs_url)
        self._purged_at: datetime | None = None
        # store calls the asker waits for (opening a case here; claims and the like in Answering)
        self.store_calls = Bounded("store", max(4, settings.workers))

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
        then calls ``asker_notified``. Returns the hand-off and whether the case is new. A case the
        store cannot take (refused, full, unreachable) is not opened: the hand-off's note tells the
        asker plainly to write to the contact, and the log says the team does not have it."""
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
        try:
            case, created = self.store_calls.call(
                self._opened_late, self.cases.open, new, asker_told=tells_asker and conversation is not None
            )
        except TooSlow as slow:  # it may still be stored (and then posted): the note says what is sure
            log.error(
                "case %s: %s; the asker %s is told to write to %s directly (the case may still be stored and posted)",
                case_id,
                slow,
                asker.user,
                contact.key,
            )
            return Handoff(contact, False, language, unconfirmed=True), True
        except Exception as exc:  # not stored, so nothing keeps trying: the note says so plainly
            log.error(
                "case %s NOT stored, the team does not have this question (%s); the asker %s is told to "
                "write to %s directly",
                case_id,
                type(exc).__name__,
                asker.user,
                contact.key,
                exc_info=True,
            )
            return Handoff(contact, False, language), True
        if created:
            try:
                self.deliver(case.id)
                case = self.cases.require(case.id)
            except Exception as exc:  # stored: the scheduler posts it, so "I keep trying" is true
                log.warning("case %s stored, not posted yet (%s); the scheduler retries", case.id, type(exc).__name__)
        return Handoff(contact, case.team_ts is not None, language, opened=True, replies=replies), created

    def _opened_late(self, opened: tuple[Case, bool]) -> None:
        case, created = opened
        log.warning("case %s: stored after the asker was told to write directly; posting it", case.id)
        if created:
            self.deliver(case.id)

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
        """What the scheduler runs every minute (and at start-up): once an hour delete texts past
        the retention (first, so a case it closes gets no reminder and its notices go out now),
        queue due reminders, deliver everything pending."""
        now = now or utcnow()
        purged = 0
        if self._purged_at is None or now - self._purged_at >= PURGE_EVERY:
            purged = len(self.cases.purge(now))
            self._purged_at = now
        reminded = len(self.cases.due_reminders(now))
        delivered = self.deliver(now=now)
        return {"reminded": reminded, "delivered": delivered, "purged": purged}

    # -- delivering the outbox -------------------------------------------------------------------------
    def deliver(self, case_id: str | None = None, now: datetime | None = None) -> int:
        """Deliver what the outbox holds (for ``case_id``, or for every case); see ``OutboxDelivery``."""
        return self.delivery.deliver(case_id, now)


def _with_files(event: dict) -> str:
    """The message text, and the names of attached files (files themselves are not passed on)."""
    names = [escape(f.get("name") or f.get("title") or "file") for f in event.get("files") or []]
    body = event.get("text") or ""
    return (body + ("\n" if body else "") + "".join(f":paperclip: {n}\n" for n in names)).strip()
