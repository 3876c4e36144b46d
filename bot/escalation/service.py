"""Cases over the store: every change is one transaction that writes the new state, its audit
event and the messages it causes (the outbox), and commits only if nobody changed the case since
it was read. Two people claiming at once: one UPDATE ... WHERE state = 'open' AND version = n
succeeds, the other finds the case claimed and is told by whom."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, or_, select, update

from bot.escalation import outbox as ob
from bot.escalation.faq import Proposal, ProposalInbox
from bot.escalation.model import (
    Case,
    CaseError,
    CaseEvent,
    UnknownCase,
    check_claim,
    check_hand_off,
    check_propose,
    check_resolve,
    is_internal,
)
from bot.escalation.outbox import Message, Outbox
from bot.escalation.policy import (
    Policy,
    Reminder,
    abandoned_before,
    next_reminder,
    purge_before,
)
from bot.store import Store, schema
from bot.store.answers import AnswerLog
from bot.store.database import aware, erase_deleted, utcnow
from bot.store.storable import storable

log = logging.getLogger(__name__)
ASKER_NOTICE_HOLD = timedelta(minutes=2)  # time the opening caller has to tell the asker itself
_CASE_FIELDS = [f.name for f in fields(Case)]
_TIMES = {"opened_at", "claimed_at", "assigned_at", "resolved_at", "last_team_reply_at", "purged_at"}


@dataclass(frozen=True)
class NewCase:
    """What opening a case needs. ``team_channel``: where the case message goes; ``team_ping``: a
    group to mention there; ``asker_channel``/``asker_thread_ts``: the conversation the asker
    hears back in (None: the delivery starts one)."""

    id: str
    question: str
    language: str
    asker: str
    surface: str
    contact: str
    team_channel: str
    topic: str | None = None
    found: dict | None = None
    origin_channel: str | None = None
    asker_channel: str | None = None
    asker_thread_ts: str | None = None
    team_ping: str | None = None


@dataclass
class Change:
    """What a decision writes: new column values, audit events, messages to deliver."""

    values: dict = field(default_factory=dict)
    events: list[tuple[str, dict]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    proposal: Proposal | None = None  # an FAQ entry proposed from the case, stored with the change


Delivery = tuple[str | None, str | None, str | None]  # (event_key, channel, ts) of a Slack event


class CaseService:
    """The team's cases. ``now`` is passed in by every time-dependent call (tests inject it)."""

    def __init__(self, store: Store, policy: Policy | None = None) -> None:
        self.store = store
        self.engine = store.engine
        self.policy = policy or Policy()
        self.outbox = Outbox(self.engine)

    # -- reading ---------------------------------------------------------------------------------
    def get(self, case_id: str) -> Case | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.cases).where(schema.cases.c.id == case_id)).first()
        return _case(row) if row else None

    def require(self, case_id: str) -> Case:
        case = self.get(case_id)
        if case is None:
            raise UnknownCase(f"no case {case_id}")
        return case

    def cases(self, states: Iterable[str] | None = None, limit: int | None = None) -> list[Case]:
        """Newest first."""
        t = schema.cases
        query = select(t).order_by(t.c.opened_at.desc(), t.c.id)
        if states is not None:
            query = query.where(t.c.state.in_(list(states)))
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [_case(row) for row in conn.execute(query).all()]

    def by_team_thread(self, channel: str, ts: str) -> Case | None:
        """The case whose message is ``ts`` in ``channel`` (replies there are the team's)."""
        t = schema.cases
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.team_channel == channel, t.c.team_ts == ts)).first()
        return _case(row) if row else None

    def by_asker_thread(self, channel: str, thread_ts: str) -> Case | None:
        """The newest unresolved case the asker hears back about in this thread."""
        t = schema.cases
        query = (
            select(t)
            .where(t.c.asker_channel == channel, t.c.asker_thread_ts == thread_ts, t.c.state != "resolved")
            .order_by(t.c.opened_at.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _case(row) if row else None

    def events(self, case_id: str) -> list[CaseEvent]:
        t = schema.case_events
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.case_id == case_id).order_by(t.c.id)).all()
        return [CaseEvent(r.case_id, aware(r.at), r.actor, r.action, json.loads(r.detail or "{}")) for r in rows]

    # -- opening ---------------------------------------------------------------------------------
    def open(self, new: NewCase, now: datetime | None = None, asker_told: bool = False) -> tuple[Case, bool]:
        """Open ``new`` and queue the case message and the asker's notice. ``asker_told``: the
        caller tells the asker itself (in the answer) and then calls ``asker_notified``; the
        notice is held back meanwhile and goes out only if the caller never gets that far.
        Opening an existing id changes nothing: (that case, False)."""
        now = now or utcnow()
        row = {
            **{
                k: getattr(new, k)
                for k in (
                    "id",
                    "question",
                    "language",
                    "asker",
                    "surface",
                    "contact",
                    "topic",
                    "origin_channel",
                    "asker_channel",
                    "asker_thread_ts",
                    "team_channel",
                    "team_ping",
                )
            },
            "found": json.dumps(new.found, ensure_ascii=False) if new.found is not None else None,
            "state": "open",
            "version": 1,
            "opened_at": now,
            "reminders": 0,
        }
        statement = self.store.insert(schema.cases).values(**row)
        with self.engine.begin() as conn:
            created = conn.execute(statement.on_conflict_do_nothing().returning(schema.cases.c.id)).first()
            if created is None:
                return self.require_in(conn, new.id), False
            _event(
                conn,
                new.id,
                now,
                new.asker,
                "opened",
                {"contact": new.contact, "surface": new.surface, "team_channel": new.team_channel},
            )
            ob.queue(
                conn,
                new.id,
                [
                    Message(ob.POST_CASE),
                    Message(ob.ASKER_OPENED, hold=ASKER_NOTICE_HOLD if asker_told else timedelta(0)),
                ],
                now,
            )
        log.info("case %s opened: contact=%s surface=%s", new.id, new.contact, new.surface)
        return self.require(new.id), True

    def require_in(self, conn: Connection, case_id: str) -> Case:
        row = conn.execute(select(schema.cases).where(schema.cases.c.id == case_id)).first()
        if row is None:
            raise UnknownCase(f"no case {case_id}")
        return _case(row)

    def asker_notified(self, case_id: str) -> None:
        """The opening caller told the asker (see ``open``)."""
        self.outbox.delivered_by_caller(case_id, ob.ASKER_OPENED)

    # -- the team's actions ----------------------------------------------------------------------
    def claim(self, case_id: str, actor: str, member: bool, now: datetime | None = None) -> Case:
        now = now or utcnow()

        def decide(case: Case) -> Change:
            check_claim(case, actor, member)
            return Change(
                _claim_values(actor, now, first=case.claimed_at is None),
                [("claimed", {})],
                [Message(ob.UPDATE_CASE), Message(ob.ASKER_CLAIMED, {"owner": actor})],
            )

        return self._change(case_id, decide, now, actor)

    def hand_off(
        self,
        case_id: str,
        actor: str,
        member: bool,
        to: str | None,
        to_member: bool,
        note: str | None = None,
        now: datetime | None = None,
    ) -> Case:
        now = now or utcnow()
        note = (note or "").strip() or None

        def decide(case: Case) -> Change:
            check_hand_off(case, actor, member, to, to_member)
            values = _claim_values(to, now, first=case.claimed_at is None)
            payload = {"from": actor, "to": to, "previous": case.owner, "note": note}
            return Change(
                values,
                [("handed_off", {"from": case.owner, "to": to, "note": note})],
                [
                    Message(ob.UPDATE_CASE),
                    Message(ob.HANDOFF_NOTE, payload),
                    Message(ob.ASKER_CLAIMED, {"owner": to, "handoff": True}),
                ],
            )

        return self._change(case_id, decide, now, actor)

    def resolve(
        self,
        case_id: str,
        actor: str,
        member: bool,
        answer: str,
        verdict: str | None = None,
        now: datetime | None = None,
    ) -> Case:
        now = now or utcnow()

        def decide(case: Case) -> Change:
            check_resolve(case, actor, member, answer)
            values = {
                "state": "resolved",
                "resolved_at": now,
                "resolved_by": actor,
                "resolution": answer.strip(),
                "resolution_verdict": verdict or None,
                "reminders": 0,
            }
            if case.owner is None:
                values.update(owner=actor, claimed_at=now, assigned_at=now)
            return Change(
                values, [("resolved", {"verdict": verdict})], [Message(ob.UPDATE_CASE), Message(ob.ASKER_RESOLVED)]
            )

        return self._change(case_id, decide, now, actor)

    def faq_proposed(
        self, case_id: str, actor: str, member: bool, proposal: Proposal, now: datetime | None = None
    ) -> Case:
        """Store ``actor``'s proposal of the case as an FAQ entry, for `guidelines-bot faq review`,
        and record it with the case, in one transaction."""
        now = now or utcnow()
        entry_id = str(proposal.entry.get("id"))

        def decide(case: Case) -> Change:
            check_propose(case, actor, member)
            return Change(
                {"faq_entry": entry_id},
                [("faq_proposed", {"entry": entry_id})],
                [Message(ob.UPDATE_CASE)],
                proposal=proposal,
            )

        return self._change(case_id, decide, now, actor)

    # -- relaying ----------------------------------------------------------------------------------
    def team_reply(
        self,
        case_id: str,
        actor: str,
        member: bool,
        text: str,
        delivery: Delivery = (None, None, None),
        now: datetime | None = None,
    ) -> Case | None:
        """A reply in the case thread: a member's reaches the asker (the first one claims an
        unclaimed case). None when nothing is relayed: resolved, not a member, marked internal,
        or a second delivery of the same Slack event."""
        now = now or utcnow()

        def decide(case: Case) -> Change | None:
            if not case.is_open or not member or is_internal(text):
                return None
            change = Change(
                {"last_team_reply_at": now, "reminders": 0},
                [("reply_relayed", {})],
                [Message(ob.RELAY_TO_ASKER, {"author": actor, "text": storable(text), "source": delivery[2]})],
            )
            if case.state == "open":
                change.values.update(_claim_values(actor, now, first=True))
                change.events.insert(0, ("claimed", {"by_reply": True}))
                change.messages[:0] = [Message(ob.UPDATE_CASE), Message(ob.ASKER_CLAIMED, {"owner": actor})]
            return change

        return self._change(case_id, decide, now, actor, delivery=delivery, quiet=True)

    def asker_follow_up(
        self, case_id: str, actor: str, text: str, delivery: Delivery = (None, None, None), now: datetime | None = None
    ) -> Case | None:
        """The asker writes again in their thread: it reaches the case thread while the case is open."""
        now = now or utcnow()

        def decide(case: Case) -> Change | None:
            if not case.is_open or actor != case.asker:
                return None
            return Change(
                {},
                [("follow_up_relayed", {})],
                [Message(ob.RELAY_TO_TEAM, {"author": actor, "text": storable(text), "source": delivery[2]})],
            )

        return self._change(case_id, decide, now, actor, delivery=delivery, quiet=True)

    def relay_changed(
        self,
        case_id: str,
        actor: str,
        side: str,
        source_ts: str,
        text: str | None,
        delivery: Delivery = (None, None, None),
        now: datetime | None = None,
    ) -> Case | None:
        """``actor`` edited (``text``) or deleted (None) a message of theirs on ``side`` (team or
        asker) that was relayed, or is waiting to be: the copy on the other side follows. None
        when the message was never relayed (an internal note, an outsider's reply)."""
        now = now or utcnow()
        relay_kind = ob.RELAY_TO_ASKER if side == ob.TEAM else ob.RELAY_TO_TEAM
        kind = ob.EDIT_AT_ASKER if side == ob.TEAM else ob.EDIT_AT_TEAM

        def decide(case: Case) -> Change | None:
            channel = case.team_channel if side == ob.TEAM else case.asker_channel
            copy = self.relayed_copy(channel, source_ts)
            waiting = any(
                item.kind == relay_kind and item.payload.get("source") == source_ts
                for item in self.outbox.pending(case.id)
            )
            if (copy is None or copy[2] != actor) and not waiting:
                return None
            action = "relay_edited" if text is not None else "relay_deleted"
            return Change(
                {},
                [(action, {"side": side})],
                [Message(kind, {"author": actor, "text": storable(text), "source": source_ts, "channel": channel})],
            )

        return self._change(case_id, decide, now, actor, delivery=delivery, quiet=True)

    def record_relay(
        self,
        case_id: str,
        author: str,
        source_channel: str,
        source_ts: str,
        copy_channel: str,
        copy_ts: str,
        now: datetime | None = None,
    ) -> None:
        """Remember where a relayed message's copy went (a repeated delivery: the newest copy)."""
        with self.engine.begin() as conn:
            self.store.upsert_in(
                conn,
                schema.relayed_messages,
                {"source_channel": source_channel, "source_ts": source_ts},
                {
                    "case_id": case_id,
                    "author": author,
                    "copy_channel": copy_channel,
                    "copy_ts": copy_ts,
                    "relayed_at": now or utcnow(),
                },
            )

    def relayed_copy(self, source_channel: str | None, source_ts: str) -> tuple[str, str, str] | None:
        """(copy channel, copy ts, author) of a relayed message, if it was relayed."""
        t = schema.relayed_messages
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.c.copy_channel, t.c.copy_ts, t.c.author).where(
                    t.c.source_channel == source_channel, t.c.source_ts == source_ts
                )
            ).first()
        return (row.copy_channel, row.copy_ts, row.author) if row else None

    # -- time --------------------------------------------------------------------------------------
    def due_reminders(self, now: datetime | None = None) -> list[tuple[Case, Reminder]]:
        """Queue every reminder due at ``now``. Each is taken by exactly one process: the count of
        reminders sent is part of the conditional update that queues it."""
        now = now or utcnow()
        queued = []
        for case in self.cases(states=("open", "claimed")):
            reminder = next_reminder(case, self.policy)
            if reminder is None or reminder.due_at > now:
                continue

            def decide(current: Case, seen: Case = case, due: Reminder = reminder) -> Change | None:
                if current.version != seen.version:
                    return None  # changed meanwhile: the next tick decides anew
                hours = self.policy.hours
                span = hours.elapsed(current.opened_at, now) if hours else now - current.opened_at
                waited = int(span.total_seconds() // 60)
                payload = {"kind": due.kind, "number": due.number, "owner": current.owner, "minutes": waited}
                return Change(
                    {"reminders": current.reminders + 1},
                    [("reminded", {"kind": due.kind, "number": due.number})],
                    [Message(ob.REMINDER, payload)],
                )

            if self._change(case.id, decide, now, "bot", retry=False, quiet=True) is not None:
                queued.append((case, reminder))
        return queued

    def purge(self, now: datetime | None = None) -> list[str]:
        """Apply the retention (README, "Retention"): delete the texts (question, what the bot
        found, the answer, hand-off notes, undelivered messages) of cases resolved longer ago than
        the retention; close open and claimed cases without activity for twice the retention (at
        least 30 days, ``abandoned_before``) and delete theirs the same way; delete the
        question texts of answers and of ratings, the ratings' reasons and FAQ proposals still
        waiting for review from before then. The audit trail keeps who did what, when. On SQLite
        the deleted text is then gone from the file and its write-ahead log too
        (``erase_deleted``). Returns the ids of the cases purged."""
        now = now or utcnow()
        before, abandoned = purge_before(self.policy, now), abandoned_before(self.policy, now)
        if before is None or abandoned is None:
            return []
        t, e = schema.cases, schema.case_events
        with self.engine.begin() as conn:
            others = AnswerLog.purge_texts_in(conn, before) + _purge_feedback_texts(conn, before)
            others += _expire_proposals(conn, before)
            if others:
                log.info(
                    "retention: deleted %d answer, rating and proposal text(s) from before %s", others, before.date()
                )
            ids = list(
                conn.execute(
                    select(t.c.id).where(t.c.state == "resolved", t.c.resolved_at <= before, t.c.purged_at.is_(None))
                ).scalars()
            )
            stale = _close_abandoned(conn, abandoned, now)  # after: resolved now, they are not in ids yet
            ids += stale
            if ids:
                conn.execute(
                    update(t).where(t.c.id.in_(ids)).values(question=None, resolution=None, found=None, purged_at=now)
                )
                noted = select(e.c.id, e.c.detail).where(e.c.case_id.in_(ids), e.c.detail.like('%"note"%'))
                for row in conn.execute(noted).all():
                    detail = {k: v for k, v in json.loads(row.detail).items() if k != "note"}
                    conn.execute(update(e).where(e.c.id == row.id).values(detail=json.dumps(detail)))
                conn.execute(schema.outbox.delete().where(schema.outbox.c.case_id.in_(ids)))
            days = self.policy.retention.days
            for case_id in stale:
                _event(conn, case_id, now, "bot", "closed_abandoned", {"idle_days": (now - abandoned).days})
            for case_id in ids:
                _event(conn, case_id, now, "bot", "purged", {"retention_days": days})
            # the team's case message shows the case closed, without its text; the asker is told
            for case_id in stale:
                ob.queue(conn, case_id, [Message(ob.UPDATE_CASE), Message(ob.ASKER_RESOLVED)], now)
        erase_deleted(self.engine)  # every time: a log that was busy last time is truncated now
        if ids:
            log.info("retention: deleted the texts of %d case(s), %d of them closed unresolved", len(ids), len(stale))
        return ids

    # -- the one way to change a case ----------------------------------------------------------------
    def _change(
        self,
        case_id: str,
        decide: Callable[[Case], Change | None],
        now: datetime,
        actor: str,
        *,
        delivery: Delivery = (None, None, None),
        retry: bool = True,
        quiet: bool = False,
    ) -> Case | None:
        """Read the case, ``decide`` (raises CaseError, or None for "nothing to do"), and write the
        decision only if the case is unchanged (same version); else read again and decide anew."""
        for _ in range(8 if retry else 1):
            case = self.require(case_id)
            change = decide(case)
            if change is None:
                return None
            t = schema.cases
            try:
                with self.engine.begin() as conn:
                    result = conn.execute(
                        update(t)
                        .where(t.c.id == case_id, t.c.version == case.version, t.c.state == case.state)
                        .values(**change.values, version=case.version + 1)
                    )
                    if result.rowcount != 1:
                        raise _Changed
                    if any(delivery) and not self.store.claim_delivery_in(conn, *delivery):
                        raise _Duplicate  # Slack delivered this event before: it was handled then
                    for action, detail in change.events:
                        _event(conn, case_id, now, actor, action, detail)
                    if change.proposal is not None:
                        ProposalInbox.put(conn, self.store, change.proposal, now)
                    ob.queue(conn, case_id, change.messages, now)
            except _Changed:
                log.debug("case %s changed while %s decided; deciding again", case_id, actor)
                continue
            except _Duplicate:
                return None
            if not quiet:
                log.info("case %s: %s by %s", case_id, ", ".join(a for a, _ in change.events), actor)
            return self.require(case_id)
        if retry:
            raise CaseError("the case keeps changing; please try again")
        return None


class _Changed(Exception):
    """Someone changed the case between reading and writing: roll back, decide again."""


class _Duplicate(Exception):
    """A second delivery of the same Slack event: roll back."""


def _claim_values(owner: str, now: datetime, first: bool) -> dict:
    values = {"state": "claimed", "owner": owner, "assigned_at": now, "reminders": 0}
    if first:
        values["claimed_at"] = now
    return values


def _event(conn: Connection, case_id: str, at: datetime, actor: str, action: str, detail: dict) -> None:
    conn.execute(
        insert(schema.case_events).values(
            case_id=case_id,
            at=at,
            actor=actor,
            action=action,
            detail=json.dumps(detail, ensure_ascii=False) if detail else None,
        )
    )


def _case(row) -> Case:
    data = {k: row._mapping[k] for k in _CASE_FIELDS}
    for key in _TIMES:
        data[key] = aware(data[key])
    data["found"] = json.loads(data["found"]) if data["found"] else None
    return Case(**data)


def _purge_feedback_texts(conn: Connection, before: datetime) -> int:
    """Ratings given at or before ``before`` lose their question text and their reason."""
    f = schema.feedback
    result = conn.execute(
        update(f)
        .where(f.c.updated_at <= before, or_(f.c.question_text.is_not(None), f.c.reason.is_not(None)))
        .values(question_text=None, reason=None)
    )
    return result.rowcount or 0


def _close_abandoned(conn: Connection, since: datetime, now: datetime) -> list[str]:
    """Close (resolved by "bot", no answer) the open and claimed cases nobody touched since
    ``since``: not opened, assigned or replied to. One statement, so a claim or reply that
    commits meanwhile either comes first (and the case stays open) or finds the case resolved.
    Returns their ids."""
    t = schema.cases
    idle = [t.c.opened_at <= since]
    idle += [or_(t.c[c].is_(None), t.c[c] <= since) for c in ("assigned_at", "last_team_reply_at")]
    closing = (
        update(t)
        .where(t.c.state.in_(("open", "claimed")), *idle)
        .values(state="resolved", resolved_at=now, resolved_by="bot", version=t.c.version + 1)
        .returning(t.c.id)
    )
    return sorted(conn.execute(closing).scalars())


def _expire_proposals(conn: Connection, before: datetime) -> int:
    """FAQ proposals nobody moved into review (`guidelines-bot faq review`) since ``before``."""
    p = schema.faq_proposals
    return conn.execute(p.delete().where(p.c.proposed_at <= before)).rowcount or 0
