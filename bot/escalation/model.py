"""A case: one question a person must answer. Its states, who may move it, and a snapshot of what
the bot found. Pure: no database, no Slack.

    open ──claim──▶ claimed ──resolve──▶ resolved
      │               │ ▲
      │               └─┘ hand off (another owner)
      ├──hand off──▶ claimed
      └──resolve───▶ resolved
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.answer import Answer, Citation
from bot.errors import GuidelinesBotError

State = Literal["open", "claimed", "resolved"]
STATES: tuple[State, ...] = ("open", "claimed", "resolved")
RESOLUTION_VERDICTS = ("allowed", "conditional", "not_allowed")


# -- why an action cannot happen (the message is for the person who tried) ---------------------
class CaseError(GuidelinesBotError):
    """A case action that cannot happen; the subclass says why."""


class UnknownCase(CaseError):
    """No case with this id (or it was never opened)."""


class NotATeamMember(CaseError):
    """Only members of the team may claim, hand off, resolve or propose an FAQ entry."""


class AlreadyClaimed(CaseError):
    """Someone else has the case."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        super().__init__(f"{owner} has this case")


class AlreadyYours(CaseError):
    """The person already owns the case."""


class AlreadyResolved(CaseError):
    """The case is closed."""

    def __init__(self, resolved_by: str | None) -> None:
        self.resolved_by = resolved_by
        super().__init__(f"resolved by {resolved_by}")


class InvalidHandoff(CaseError):
    """A hand-off to nobody, to the current owner, or to someone outside the team."""

    def __init__(self, reason: Literal["nobody", "owner", "outsider"], user: str | None = None) -> None:
        self.reason = reason
        self.user = user
        super().__init__(
            {
                "nobody": "choose the colleague who takes over",
                "owner": f"{user} has this case already",
                "outsider": f"{user} is not in the team",
            }[reason]
        )


@dataclass(frozen=True)
class Case:
    """A case as stored. Times are timezone-aware UTC."""

    id: str
    state: State
    version: int
    language: str
    asker: str
    surface: str
    contact: str
    opened_at: datetime
    question: str | None = None
    origin_channel: str | None = None
    asker_channel: str | None = None
    asker_thread_ts: str | None = None
    topic: str | None = None
    found: dict | None = None
    team_channel: str | None = None
    team_ts: str | None = None
    team_ping: str | None = None
    owner: str | None = None
    claimed_at: datetime | None = None
    assigned_at: datetime | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution: str | None = None
    resolution_verdict: str | None = None
    last_team_reply_at: datetime | None = None
    reminders: int = 0
    faq_entry: str | None = None
    purged_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Not resolved: the team still owes the asker an answer."""
        return self.state != "resolved"

    def waiting(self, now: datetime) -> timedelta:
        """How long the asker waited (until resolved) or has been waiting (until now)."""
        return (self.resolved_at or now) - self.opened_at

    def until_claimed(self, now: datetime) -> timedelta:
        """How long the case waited for someone to take it (so far, if nobody has)."""
        if self.claimed_at is not None:
            return self.claimed_at - self.opened_at
        return (self.resolved_at or now) - self.opened_at


@dataclass(frozen=True)
class CaseEvent:
    """One line of the audit trail."""

    case_id: str
    at: datetime
    actor: str
    action: str
    detail: dict


# -- who may do what --------------------------------------------------------------------------
def check_claim(case: Case, actor: str, member: bool) -> None:
    if not member:
        raise NotATeamMember("only the team may claim a case")
    if case.state == "resolved":
        raise AlreadyResolved(case.resolved_by)
    if case.state == "claimed":
        if case.owner == actor:
            raise AlreadyYours("you have this case already")
        raise AlreadyClaimed(case.owner or "someone")


def check_hand_off(case: Case, actor: str, member: bool, to: str | None, to_member: bool) -> None:
    """Any member may hand an open or claimed case to another member (the owner passes it on, a
    lead assigns it)."""
    if not member:
        raise NotATeamMember("only the team may hand off a case")
    if case.state == "resolved":
        raise AlreadyResolved(case.resolved_by)
    if not to:
        raise InvalidHandoff("nobody")
    if to == case.owner:
        raise InvalidHandoff("owner", to)
    if not to_member:
        raise InvalidHandoff("outsider", to)


def check_resolve(case: Case, actor: str, member: bool, answer: str) -> None:
    """Any member may resolve; resolving an unclaimed case makes the resolver its owner."""
    if not member:
        raise NotATeamMember("only the team may resolve a case")
    if case.state == "resolved":
        raise AlreadyResolved(case.resolved_by)
    if not answer.strip():
        raise CaseError("write the answer the asker gets")


def check_propose(case: Case, actor: str, member: bool) -> None:
    if not member:
        raise NotATeamMember("only the team may propose FAQ entries")


# -- what the bot found, kept with the case ------------------------------------------------------
def snapshot(answer: Answer | None) -> dict | None:
    """What the team needs of the bot's answer, as JSON-able data (no question text)."""
    if answer is None:
        return None
    return {
        "verdict": answer.verdict,
        "confidence": answer.confidence,
        "reason": answer.reason,
        "answer": answer.answer,
        "route": answer.route,
        "topic": answer.topic,
        "faq_id": answer.faq_id,
        "escalate": answer.escalate,
        "draft": answer.draft or None,
        "citations": [{**asdict(c), "heading_path": list(c.heading_path)} for c in answer.citations],
    }


def answer_from_snapshot(question: str, language: str, found: dict | None) -> Answer | None:
    """The Answer a snapshot was taken of (without retrieval details and findings)."""
    if not found:
        return None
    citations = [
        Citation(**{**c, "heading_path": tuple(c.get("heading_path") or ())}) for c in found.get("citations") or []
    ]
    return Answer(
        question=question,
        language=language,
        verdict=found.get("verdict", "ask_team"),
        escalate=bool(found.get("escalate", True)),
        reason=found.get("reason", ""),
        confidence=float(found.get("confidence", 0.0)),
        answer=found.get("answer", ""),
        route=found.get("route"),
        citations=citations,
        topic=found.get("topic"),
        faq_id=found.get("faq_id"),
        draft=found.get("draft") or "",
    )


def is_internal(text: str) -> bool:
    """A team reply meant for the team only: it starts with "internal:" or "intern:"."""
    return text.lstrip().lower().startswith(("internal:", "intern:"))
