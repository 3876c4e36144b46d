"""The cases as a table for people and as CSV for spreadsheets, with waiting times."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from typing import TextIO

from bot.escalation.model import Case, CaseEvent

CSV_COLUMNS = [
    "case",
    "state",
    "contact",
    "topic",
    "language",
    "surface",
    "asker",
    "owner",
    "opened_at",
    "claimed_at",
    "resolved_at",
    "resolved_by",
    "minutes_to_claim",
    "minutes_waiting",
    "reminders",
    "faq_entry",
    "question",
]


def duration(span: timedelta) -> str:
    """A short human duration: 45 s, 12 min, 3 h 05 min, 2 d 4 h."""
    seconds = max(0, int(span.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def _minutes(span: timedelta) -> int:
    return max(0, int(span.total_seconds() // 60))


def _iso(value: datetime | None) -> str:
    return value.replace(microsecond=0).isoformat() if value else ""


def csv_row(case: Case, now: datetime) -> dict:
    return {
        "case": case.id,
        "state": case.state,
        "contact": case.contact,
        "topic": case.topic or "",
        "language": case.language,
        "surface": case.surface,
        "asker": case.asker,
        "owner": case.owner or "",
        "opened_at": _iso(case.opened_at),
        "claimed_at": _iso(case.claimed_at),
        "resolved_at": _iso(case.resolved_at),
        "resolved_by": case.resolved_by or "",
        "minutes_to_claim": _minutes(case.until_claimed(now)),
        "minutes_waiting": _minutes(case.waiting(now)),
        "reminders": case.reminders,
        "faq_entry": case.faq_entry or "",
        "question": case.question if case.question is not None else "",
    }


def write_csv(cases: list[Case], now: datetime, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for case in cases:
        writer.writerow(csv_row(case, now))


def table_rows(cases: list[Case], now: datetime, width: int = 60) -> list[list[str]]:
    rows = []
    for case in cases:
        question = " ".join((case.question or "(deleted after the retention period)").split())
        if len(question) > width:
            question = question[: width - 1] + "…"
        rows.append(
            [
                case.id,
                case.state,
                duration(case.waiting(now)),
                duration(case.until_claimed(now)),
                case.contact,
                case.owner or "–",
                question,
            ]
        )
    return rows


def trail_lines(events: list[CaseEvent]) -> list[str]:
    """The audit trail, one line an event: when, who, what."""
    lines = []
    for event in events:
        detail = ", ".join(f"{k}={v}" for k, v in event.detail.items() if v not in (None, ""))
        lines.append(f"{_iso(event.at)}  {event.actor:<12} {event.action}" + (f"  ({detail})" if detail else ""))
    return lines
