"""When the team is reminded, and how long question texts are kept. Computed from the stored
times and a ``now`` passed in, so a restart changes nothing and tests need no sleeping."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.errors import ConfigError
from bot.escalation.hours import BusinessHours
from bot.escalation.model import Case

ReminderKind = Literal["unclaimed", "owner"]


@dataclass(frozen=True)
class Policy:
    """Reminders: an unclaimed case pings its contact after ``unclaimed_after`` (and again after
    each further interval, at most ``reminder_limit`` times); a claimed case without a reply to the
    asker reminds its owner after ``reply_after``. ``retention``: question texts of cases
    resolved longer ago are deleted (None: kept)."""

    unclaimed_after: timedelta = timedelta(minutes=30)
    reply_after: timedelta = timedelta(hours=4)
    reminder_limit: int = 3
    retention: timedelta | None = timedelta(days=90)
    hours: BusinessHours | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Policy:
        env = os.environ if environ is None else environ
        minutes = number_from_env(env, "GUIDELINES_BOT_REMIND_UNCLAIMED_MINUTES", 30, minimum=1)
        hours = number_from_env(env, "GUIDELINES_BOT_REMIND_OWNER_HOURS", 4, minimum=0.1)
        limit = number_from_env(env, "GUIDELINES_BOT_REMINDERS", 3, minimum=0)
        raw_days = env.get("GUIDELINES_BOT_RETENTION_DAYS", "").strip().lower()
        retention = (
            None
            if raw_days in ("off", "never")
            else timedelta(days=number_from_env(env, "GUIDELINES_BOT_RETENTION_DAYS", 90, minimum=0))
        )
        return cls(
            timedelta(minutes=minutes), timedelta(hours=hours), int(limit), retention, BusinessHours.from_env(env)
        )


def number_from_env(env: Mapping[str, str], name: str, default: float, minimum: float) -> float:
    """``name`` from ``env`` as a number of at least ``minimum``; ``default`` when unset."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum:g}")
    return value


@dataclass(frozen=True)
class Reminder:
    """The next reminder of a case: which kind, the how-many-th in its phase, when it is due."""

    kind: ReminderKind
    number: int
    due_at: datetime


def next_reminder(case: Case, policy: Policy) -> Reminder | None:
    """The case's next reminder, or None (resolved, or the limit of this phase reached)."""
    if case.state == "resolved" or case.reminders >= policy.reminder_limit:
        return None
    number = case.reminders + 1
    after = policy.hours.add if policy.hours is not None else _wall_clock
    if case.state == "open":
        return Reminder("unclaimed", number, after(case.opened_at, number * policy.unclaimed_after))
    since = max(t for t in (case.assigned_at, case.claimed_at, case.last_team_reply_at, case.opened_at) if t)
    return Reminder("owner", number, after(since, number * policy.reply_after))


def _wall_clock(start: datetime, span: timedelta) -> datetime:
    return start + span


# An open or claimed case with no activity (opened, assigned, a reply to the asker) for this many
# retention periods, and at least ABANDONED_AT_LEAST, is taken for abandoned: closed by the bot and
# its texts deleted like a resolved one's. A case being worked on keeps its text (the team needs it
# to answer); one nobody touched for twice the time a resolved case may keep its text serves no
# purpose any more. The floor keeps a short retention (even 0 days) from closing cases the team has
# not had time for.
ABANDONED_AFTER_RETENTIONS = 2
ABANDONED_AT_LEAST = timedelta(days=30)


def purge_before(policy: Policy, now: datetime) -> datetime | None:
    """Cases resolved before this time lose their texts; None when texts are kept."""
    return None if policy.retention is None else now - policy.retention


def abandoned_before(policy: Policy, now: datetime) -> datetime | None:
    """Open and claimed cases without activity since this time are closed and lose their texts."""
    if policy.retention is None:
        return None
    return now - max(ABANDONED_AFTER_RETENTIONS * policy.retention, ABANDONED_AT_LEAST)
