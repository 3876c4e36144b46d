"""Business hours: working time across a weekend and a change to and from daylight saving time;
reminders that wait for Monday; the settings."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import ConfigError
from bot.escalation.hours import BusinessHours
from bot.escalation.model import Case
from bot.escalation.policy import Policy, next_reminder

BERLIN = ZoneInfo("Europe/Berlin")
HOURS = BusinessHours()  # Mon–Fri 9–17 Europe/Berlin


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("start", "end", "worked"),
    [
        (berlin(2026, 3, 2, 10), berlin(2026, 3, 2, 11, 30), timedelta(minutes=90)),  # within a Monday
        (berlin(2026, 3, 6, 16, 30), berlin(2026, 3, 9, 9, 15), timedelta(minutes=45)),  # Friday to Monday
        (berlin(2026, 3, 6, 19), berlin(2026, 3, 8, 23), timedelta()),  # Friday night to Sunday night
        (berlin(2026, 3, 2, 7), berlin(2026, 3, 2, 20), timedelta(hours=8)),  # before and after hours
        (berlin(2026, 3, 2, 9), berlin(2026, 3, 9, 9), timedelta(hours=40)),  # a whole week
        # the night of 29 March 2026 has 23 hours; the working days around it have 8 each
        (berlin(2026, 3, 27, 16), berlin(2026, 3, 30, 10), timedelta(hours=2)),
        # and the night of 25 October 2026 has 25
        (berlin(2026, 10, 23, 16), berlin(2026, 10, 26, 10), timedelta(hours=2)),
        (berlin(2026, 3, 2, 11), berlin(2026, 3, 2, 10), timedelta()),
    ],
)
def test_working_time_between_two_moments(start, end, worked):
    assert HOURS.elapsed(start, end) == worked
    assert HOURS.elapsed(start.astimezone(UTC), end.astimezone(UTC)) == worked


def test_adding_working_time_skips_nights_weekends_and_keeps_local_hours_across_dst():
    assert HOURS.add(berlin(2026, 3, 6, 16, 45), timedelta(minutes=30)) == berlin(2026, 3, 9, 9, 15)
    assert HOURS.add(berlin(2026, 3, 7, 12), timedelta(minutes=30)) == berlin(2026, 3, 9, 9, 30)  # asked Saturday
    due = HOURS.add(berlin(2026, 3, 27, 16, 30), timedelta(hours=1))  # over the change to summer time
    assert due == berlin(2026, 3, 30, 9, 30) and due.astimezone(UTC).hour == 7  # UTC+2 now
    due = HOURS.add(berlin(2026, 10, 23, 16, 30), timedelta(hours=1))  # and back to winter time
    assert due == berlin(2026, 10, 26, 9, 30) and due.astimezone(UTC).hour == 8


def case(opened_at: datetime, **overrides) -> Case:
    values = {"id": "c1", "state": "open", "version": 1, "language": "de", "asker": "U1", "surface": "dm"}
    return Case(**{**values, "contact": "team", "opened_at": opened_at, **overrides})


def test_a_case_asked_on_friday_evening_pings_nobody_before_monday():
    friday_evening = berlin(2026, 3, 6, 18, 30).astimezone(UTC)
    policy = Policy(hours=HOURS)
    assert next_reminder(case(friday_evening), policy).due_at == berlin(2026, 3, 9, 9, 30)
    friday = berlin(2026, 3, 6, 15, 0)
    claimed = case(friday, state="claimed", claimed_at=berlin(2026, 3, 6, 16, 0), owner="U2")
    assert next_reminder(claimed, policy).due_at == berlin(2026, 3, 9, 12, 0)  # 1 h on Friday, 3 on Monday
    assert next_reminder(case(friday_evening), Policy()).due_at == friday_evening + timedelta(minutes=30)


def test_settings():
    assert BusinessHours.from_env({}) == HOURS and HOURS.describe() == "Mon–Fri 09:00–17:00 Europe/Berlin"
    custom = BusinessHours.from_env(
        {
            "GUIDELINES_BOT_TIMEZONE": "America/New_York",
            "GUIDELINES_BOT_WORKING_HOURS": "08:30-16:45",
            "GUIDELINES_BOT_WORKING_DAYS": "sun-thu",
        }
    )
    assert custom == BusinessHours("America/New_York", frozenset({6, 0, 1, 2, 3}), time(8, 30), time(16, 45))
    assert BusinessHours.from_env({"GUIDELINES_BOT_WORKING_DAYS": "mon,wed, fri"}).days == frozenset({0, 2, 4})
    assert BusinessHours.from_env({"GUIDELINES_BOT_WORKING_HOURS": "off"}) is None
    assert Policy.from_env({"GUIDELINES_BOT_WORKING_HOURS": "off"}).hours is None
    for name, value, message in (
        ("GUIDELINES_BOT_TIMEZONE", "Mars/Olympus", "is not a time zone"),
        ("GUIDELINES_BOT_WORKING_HOURS", "9 to 5", "is not like 9-17"),
        ("GUIDELINES_BOT_WORKING_HOURS", "17-9", "ends before it starts"),
        ("GUIDELINES_BOT_WORKING_DAYS", "weekdays", "is not like mon-fri"),
    ):
        with pytest.raises(ConfigError, match=message):
            BusinessHours.from_env({name: value})
