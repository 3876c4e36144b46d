"""Business hours: the team's working days and hours in its time zone. Reminders fall due and the
report counts waiting times in working time only, so a question asked on Friday evening pings
nobody on Saturday and has waited minutes, not a weekend, by Monday 9:15. Local times go through
``zoneinfo``, so a day that changes to or from daylight saving time still has its eight hours."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import ConfigError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HORIZON_DAYS = 3700  # how far the calendar is searched: ten years of days without working time end it


@dataclass(frozen=True)
class BusinessHours:
    """``days``: weekday numbers (Monday 0); ``start``/``end``: the working day in ``timezone``."""

    timezone: str = "Europe/Berlin"
    days: frozenset[int] = frozenset(range(5))
    start: time = time(9)
    end: time = time(17)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        days = sorted(self.days)
        if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
            spans = f"{DAY_NAMES[days[0]].title()}–{DAY_NAMES[days[-1]].title()}"
        else:
            spans = ", ".join(DAY_NAMES[d].title() for d in days)
        return f"{spans} {self.start:%H:%M}–{self.end:%H:%M} {self.timezone}"

    def _intervals(self, since: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals (aware, in UTC terms) that end after ``since``, in order."""
        zone = self.zone
        day = since.astimezone(zone).date()
        for offset in range(_HORIZON_DAYS):
            current = day + timedelta(days=offset)
            if current.weekday() not in self.days:
                continue
            opens = datetime.combine(current, self.start, zone).astimezone(UTC)
            closes = datetime.combine(current, self.end, zone).astimezone(UTC)
            if closes > since:
                yield max(opens, since), closes

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Working time between ``start`` and ``end`` (zero if ``end`` is not later)."""
        total = timedelta()
        if end <= start:
            return total
        for opens, closes in self._intervals(start):
            if opens >= end:
                break
            total += min(closes, end) - opens
        return total

    def add(self, start: datetime, span: timedelta) -> datetime:
        """The moment ``span`` of working time after ``start``."""
        left = span
        for opens, closes in self._intervals(start):
            if opens + left <= closes:
                return opens + left
            left -= closes - opens
        raise ConfigError("the working hours contain no working time")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> BusinessHours | None:
        """GUIDELINES_BOT_TIMEZONE, GUIDELINES_BOT_WORKING_HOURS ("9-17", "08:30-16:45", "off" for
        the wall clock) and GUIDELINES_BOT_WORKING_DAYS ("mon-fri", "mon,tue,thu")."""
        raw_hours = env.get("GUIDELINES_BOT_WORKING_HOURS", "").strip().lower()
        if raw_hours in ("off", "always"):
            return None
        default = cls()
        timezone = env.get("GUIDELINES_BOT_TIMEZONE", "").strip() or default.timezone
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"GUIDELINES_BOT_TIMEZONE={timezone!r} is not a time zone (e.g. Europe/Berlin)") from None
        start, end = _hours(raw_hours) if raw_hours else (default.start, default.end)
        raw_days = env.get("GUIDELINES_BOT_WORKING_DAYS", "").strip().lower()
        days = _days(raw_days) if raw_days else default.days
        return cls(timezone, days, start, end)


def _clock(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", text.strip())
    if not match or int(match[1]) > 24 or int(match[2] or 0) > 59:
        raise ValueError(text)
    hour, minute = int(match[1]), int(match[2] or 0)
    return time.max if hour == 24 else time(hour, minute)


def _hours(raw: str) -> tuple[time, time]:
    try:
        start, end = (_clock(part) for part in raw.split("-"))
    except ValueError:
        raise ConfigError(f"GUIDELINES_BOT_WORKING_HOURS={raw!r} is not like 9-17 or 08:30-16:45 (or off)") from None
    if end <= start:
        raise ConfigError(f"GUIDELINES_BOT_WORKING_HOURS={raw!r} ends before it starts")
    return start, end


def _days(raw: str) -> frozenset[int]:
    days: set[int] = set()
    try:
        for part in raw.replace(" ", "").split(","):
            first, _, last = part.partition("-")
            a, b = DAY_NAMES.index(first[:3]), DAY_NAMES.index((last or first)[:3])
            days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    except ValueError:
        raise ConfigError(f"GUIDELINES_BOT_WORKING_DAYS={raw!r} is not like mon-fri or mon,wed,fri") from None
    return frozenset(days)
