"""The team's report: what the bot answered, what it handed over, which sections people were
sent to, what they rated 👎, how fast the team responded, for one period against the one before.
Pure: ``build`` works on the rows ``gather`` read (or a test made), so every figure can be checked
by hand. Every figure is a ``Table``; the terminal, CSV and HTML only render them."""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import select

from bot.escalation.hours import BusinessHours
from bot.escalation.model import Case
from bot.escalation.policy import number_from_env
from bot.escalation.report import duration
from bot.escalation.service import CaseService
from bot.reporting.trace import REASONS
from bot.store import Store, schema
from bot.store.answers import AnswerRecord
from bot.store.database import aware
from bot.store.store import Feedback

SURFACES = ("dm", "thread", "mention", "command", "shortcut", "cli")
NO_TOPIC = "(no topic)"
TOP = 10  # rows of the "most" tables
Span = Callable[[datetime, datetime], timedelta]  # the time between two moments that counts


def _wall_clock(start: datetime, end: datetime) -> timedelta:
    return end - start


@dataclass(frozen=True)
class Period:
    """[start, end): the report's days; ``previous`` is as long and ends where this one starts."""

    start: datetime
    end: datetime

    @classmethod
    def last_days(cls, days: int, now: datetime) -> Period:
        return cls(now - timedelta(days=days), now)

    @property
    def previous(self) -> Period:
        return Period(self.start - (self.end - self.start), self.start)

    def __contains__(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    def days(self, zone: tzinfo = UTC) -> list[date]:
        """The calendar days the period touches, in ``zone``."""
        first = self.start.astimezone(zone).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(zone).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass
class ReportData:
    """What the report reads. ``first_replies``: case id → the team's first reply relayed to the
    asker; ``sections``: every anchor of the knowledge base → its heading."""

    answers: list[AnswerRecord]
    cases: list[Case]
    ratings: list[tuple[datetime, Feedback]]
    first_replies: dict[str, datetime] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """One figure: ``name`` is its CSV file's stem."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[object]]
    note: str = ""


@dataclass
class Report:
    period: Period
    now: datetime
    tables: dict[str, Table]

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]


# -- small pure helpers ------------------------------------------------------------------------------
def percentile(values: Iterable[float], share: float) -> float | None:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "–"


def change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "–"
    diff = now - before
    if diff == 0:
        return "0"
    return f"{diff:+.0f}" if float(diff).is_integer() else f"{diff:+.1f}"


def _minutes(span: timedelta | None) -> float | None:
    return None if span is None else span.total_seconds() / 60


def _span(minutes: float | None) -> str:
    return "–" if minutes is None else duration(timedelta(minutes=minutes))


def _within(period: Period, answers: list[AnswerRecord]) -> list[AnswerRecord]:
    return [a for a in answers if a.answered_at in period]


def _declined(answer: AnswerRecord) -> bool:
    """No verdict and no case: the asker was told it is maybe not about the guidelines (with the
    button to ask the team anyway), or the message had nothing to judge."""
    return answer.verdict is None and not answer.escalated


def _by_the_bot(answer: AnswerRecord) -> bool:
    """A verdict the bot gave itself, without the team."""
    return not answer.escalated and not _declined(answer)


def _coverage(answers: list[AnswerRecord]) -> float | None:
    """Of the questions about the guidelines (the declined ones left out), the share the bot
    answered itself, in percent."""
    asked = [a for a in answers if not _declined(a)]
    return 100 * sum(map(_by_the_bot, asked)) / len(asked) if asked else None


# -- the tables -----------------------------------------------------------------------------------------
def _summary(data: ReportData, period: Period, now: datetime) -> Table:
    def figures(p: Period) -> dict[str, float | None]:
        answers = _within(p, data.answers)
        ratings = [f for at, f in data.ratings if at in p]
        return {
            "questions": len(answers),
            "answered by the bot (%)": _coverage(answers),
            "handed to the team": sum(a.escalated for a in answers),
            "no verdict, no case (off-topic, nothing to judge)": sum(map(_declined, answers)),
            "median answer time (s)": (
                None if not answers else round(percentile([a.latency_ms for a in answers], 0.5) / 1000, 1)
            ),
            "rated not helpful": sum(not f.helpful for f in ratings),
            "rated helpful": sum(f.helpful for f in ratings),
            "cases opened": sum(c.opened_at in p for c in data.cases),
            "cases resolved": sum(c.resolved_at in p for c in data.cases),
        }

    this, before = figures(period), figures(period.previous)
    rows = [[name, _shown(value), _shown(before[name]), change(value, before[name])] for name, value in this.items()]
    rows.append(["cases waiting now", sum(c.is_open for c in data.cases), "", ""])
    return Table("summary", "Summary", ["figure", "this period", "previous period", "change"], rows)


def _shown(value: float | None) -> object:
    if value is None:
        return "–"
    return int(value) if float(value).is_integer() else round(value, 1)


def _per_day(data: ReportData, period: Period, zone: tzinfo, zone_name: str) -> Table:
    answers = _within(period, data.answers)
    surfaces = [s for s in SURFACES if any(a.surface == s for a in answers)] or ["dm"]
    surfaces += sorted({a.surface for a in answers} - set(surfaces))
    counts = Counter((a.answered_at.astimezone(zone).date(), a.surface) for a in answers)
    days = period.days(zone)
    rows = [
        [day.isoformat(), *(counts[day, s] for s in surfaces), sum(counts[day, s] for s in surfaces)] for day in days
    ]
    rows.append(["total", *(sum(counts[d, s] for d in days) for s in surfaces), len(answers)])
    title = f"Questions per day and surface (days in {zone_name})"
    return Table("questions_per_day", title, ["day", *surfaces, "total"], rows)


def _per_surface(data: ReportData, period: Period) -> Table:
    this = Counter(a.surface for a in _within(period, data.answers))
    before = Counter(a.surface for a in _within(period.previous, data.answers))
    order = sorted(this | before, key=lambda s: -this[s])
    rows = [[s, this[s], before[s], change(this[s], before[s])] for s in order]
    columns = ["surface", "this period", "previous", "change"]
    return Table("questions_per_surface", "Questions per surface", columns, rows)


def _coverage_by(data: ReportData, period: Period, key: Callable[[AnswerRecord], str], name: str) -> Table:
    this, before = _within(period, data.answers), _within(period.previous, data.answers)
    groups = sorted({key(a) for a in this + before}, key=lambda g: (-sum(key(a) == g for a in this), g))
    rows = []
    for group in groups:
        mine = [a for a in this if key(a) == group]
        theirs = [a for a in before if key(a) == group]
        coverage, previous = _coverage(mine), _coverage(theirs)
        rows.append(
            [
                group,
                len(mine),
                sum(map(_by_the_bot, mine)),
                sum(a.escalated for a in mine),
                _shown(None if coverage is None else round(coverage)),
                _shown(None if previous is None else round(previous)),
            ]
        )
    columns = [name, "questions", "by the bot", "to the team", "coverage %", "previous coverage %"]
    return Table(f"coverage_by_{name}", f"Answered by the bot vs. handed to the team, by {name}", columns, rows)


def _reasons(data: ReportData, period: Period) -> Table:
    this = Counter(a.escalation_reason or "?" for a in _within(period, data.answers) if a.escalated)
    before = Counter(a.escalation_reason or "?" for a in _within(period.previous, data.answers) if a.escalated)
    order = sorted(this | before, key=lambda c: -this[c])
    rows = [[code, REASONS.get(code, ""), this[code], before[code]] for code in order]
    columns = ["reason", "meaning", "this period", "previous"]
    return Table("handover_reasons", "Why questions went to the team", columns, rows)


def _cited(data: ReportData, period: Period) -> tuple[Table, Table]:
    this = Counter(anchor for a in _within(period, data.answers) for anchor in a.anchors)
    before = Counter(anchor for a in _within(period.previous, data.answers) for anchor in a.anchors)
    top = sorted(this, key=lambda anchor: (-this[anchor], anchor))[:TOP]
    most = Table(
        "sections_cited_most",
        "Sections cited most",
        ["anchor", "section", "citations", "previous"],
        [[anchor, data.sections.get(anchor, "(gone)"), this[anchor], before[anchor]] for anchor in top],
    )
    never = Table(
        "sections_never_cited",
        "Sections never cited in this period",
        ["anchor", "section"],
        [[anchor, title] for anchor, title in sorted(data.sections.items()) if anchor not in this],
        note="A section nobody is sent to is either clear, unknown, or not reachable by the questions people ask.",
    )
    return most, never


def _thumbs_down(data: ReportData, period: Period) -> tuple[Table, Table]:
    """👎 per FAQ entry and per section cited first in the rated answer (the answers table says which)."""
    first_anchor = {a.id: a.anchors[0] for a in data.answers if a.anchors}
    by_faq: dict[str, list[Feedback]] = {}
    by_section: dict[str, list[Feedback]] = {}
    for at, f in data.ratings:
        if at not in period:
            continue
        if f.faq_id:
            by_faq.setdefault(f.faq_id, []).append(f)
        anchor = first_anchor.get(f.question_id)
        if anchor:
            by_section.setdefault(anchor, []).append(f)

    def rows(groups: dict[str, list[Feedback]], label: Callable[[str], str]) -> list[list[object]]:
        out = []
        for key, items in groups.items():
            down = [f for f in items if not f.helpful]
            if down:
                reasons = "; ".join(" ".join(f.reason.split()) for f in down if f.reason and f.reason.strip())
                out.append([key, label(key), len(down), len(items) - len(down), reasons])
        return sorted(out, key=lambda r: (-r[2], r[0]))[:TOP]

    columns = ["not helpful", "helpful", "reasons given"]
    faq = Table(
        "faq_thumbs_down",
        "FAQ entries rated not helpful most",
        ["faq entry", *columns],
        [[r[0], *r[2:]] for r in rows(by_faq, str)],
    )
    section = Table(
        "sections_thumbs_down",
        "Sections rated not helpful most (cited first in the rated answer)",
        ["anchor", "section", *columns],
        rows(by_section, lambda a: data.sections.get(a, "")),
    )
    return faq, section


def _response_times(data: ReportData, period: Period, span: Span, clock: str) -> Table:
    """Per contact, over the cases opened in the period: minutes to claim, to the first reply the
    asker got, to resolution (in working time with business hours); a case not there yet counts
    only once it is."""

    def row(label: str, cases: list[Case]) -> list[object]:
        claim = [_minutes(span(c.opened_at, c.claimed_at)) for c in cases if c.claimed_at]
        reply = [_minutes(span(c.opened_at, data.first_replies[c.id])) for c in cases if c.id in data.first_replies]
        resolve = [_minutes(span(c.opened_at, c.resolved_at)) for c in cases if c.resolved_at]
        cells = [label, len(cases)]
        for values in (claim, reply, resolve):
            cells += [_span(percentile(values, 0.5)), _span(percentile(values, 0.9))]
        return cells

    opened = [c for c in data.cases if c.opened_at in period]
    contacts = sorted({c.contact for c in opened})
    rows = [row(contact, [c for c in opened if c.contact == contact]) for contact in contacts]
    rows.append(row("all contacts", opened))
    rows.append(row("all, previous period", [c for c in data.cases if c.opened_at in period.previous]))
    columns = ["contact", "cases", "claim p50", "claim p90", "first reply p50", "first reply p90"]
    columns += ["resolved p50", "resolved p90"]
    return Table(
        "response_times",
        f"How fast the team responded (cases opened in the period; {clock})",
        columns,
        rows,
        note="p50: half the cases were faster; p90: nine in ten were.",
    )


@dataclass(frozen=True)
class Targets:
    """How fast the team means to be, in the time the report counts (working time with business
    hours): claim, first reply to the asker, resolution."""

    claim: timedelta = timedelta(minutes=30)  # the first unclaimed reminder's default
    first_reply: timedelta = timedelta(hours=4)  # the owner reminder's default
    resolution: timedelta = timedelta(hours=8)  # one working day

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Targets:
        env = os.environ if environ is None else environ
        return cls(
            timedelta(minutes=number_from_env(env, "GUIDELINES_BOT_TARGET_CLAIM_MINUTES", 30, minimum=1)),
            timedelta(hours=number_from_env(env, "GUIDELINES_BOT_TARGET_REPLY_HOURS", 4, minimum=0.1)),
            timedelta(hours=number_from_env(env, "GUIDELINES_BOT_TARGET_RESOLVE_HOURS", 8, minimum=0.1)),
        )


def _targets(data: ReportData, period: Period, now: datetime, span: Span, targets: Targets) -> Table:
    """Per contact: of the cases opened in the period that can be judged, how many reached each
    step within its target. A case is judged once it reached the step or once its target passed."""

    def judged(cases: list[Case], reached: Callable[[Case], datetime | None], target: timedelta) -> str:
        met = missed = 0
        for case in cases:
            moment = reached(case)
            if moment is not None and span(case.opened_at, moment) <= target:
                met += 1
            elif moment is not None or span(case.opened_at, now) > target:
                missed += 1
        return f"{met} of {met + missed} ({percent(met, met + missed)})" if met + missed else "–"

    def row(label: str, cases: list[Case]) -> list[object]:
        return [
            label,
            judged(cases, lambda c: c.claimed_at, targets.claim),
            judged(cases, lambda c: data.first_replies.get(c.id), targets.first_reply),
            judged(cases, lambda c: c.resolved_at, targets.resolution),
        ]

    opened = [c for c in data.cases if c.opened_at in period]
    rows = [
        row(contact, [c for c in opened if c.contact == contact]) for contact in sorted({c.contact for c in opened})
    ]
    rows.append(row("all contacts", opened))
    rows.append(row("all, previous period", [c for c in data.cases if c.opened_at in period.previous]))
    columns = [
        "contact",
        f"claimed within {_span(_minutes(targets.claim))}",
        f"first reply within {_span(_minutes(targets.first_reply))}",
        f"resolved within {_span(_minutes(targets.resolution))}",
    ]
    return Table("targets", "Within the team's targets", columns, rows)


def _not_covered(data: ReportData, period: Period) -> Table:
    """Questions the guidelines did not cover, grouped by their topic and the section they came
    nearest to; up to three of their texts only where the operator let the bot store them."""
    groups: dict[tuple[str, str], list[AnswerRecord]] = {}
    for a in _within(period, data.answers):
        if a.escalation_reason == "not_covered":
            nearest = a.anchors[0] if a.anchors else "–"
            groups.setdefault((a.topic or NO_TOPIC, nearest), []).append(a)
    rows = [
        [topic, nearest, data.sections.get(nearest, ""), len(items), " | ".join(_texts(items))]
        for (topic, nearest), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    return Table(
        "not_covered",
        "Questions the guidelines did not cover",
        ["topic", "nearest section", "heading", "questions", "examples (only if texts are stored)"],
        rows[:TOP],
        note="Each group is a candidate for a new FAQ entry or a clearer section.",
    )


def _texts(items: list[AnswerRecord], limit: int = 3, width: int = 80) -> list[str]:
    texts = [" ".join(a.question_text.split()) for a in items if a.question_text]
    return [t if len(t) <= width else t[: width - 1] + "…" for t in texts[:limit]]


def _waiting(data: ReportData, now: datetime, span: Span, clock: str) -> Table:
    waiting = sorted((c for c in data.cases if c.is_open), key=lambda c: c.opened_at)
    rows = [
        [c.id, c.state, c.contact, c.topic or NO_TOPIC, c.owner or "–", duration(span(c.opened_at, now))]
        for c in waiting
    ]
    return Table(
        "cases_waiting", f"Cases waiting now ({clock})", ["case", "state", "contact", "topic", "owner", "waiting"], rows
    )


def build(
    data: ReportData,
    period: Period,
    now: datetime,
    hours: BusinessHours | None = None,
    targets: Targets | None = None,
) -> Report:
    """The report's tables; with ``hours`` the team's times count working time only."""
    span: Span = hours.elapsed if hours is not None else _wall_clock
    clock = f"business hours, {hours.describe()}" if hours is not None else "wall-clock time"
    most, never = _cited(data, period)
    faq_down, section_down = _thumbs_down(data, period)
    tables = [
        _summary(data, period, now),
        _per_day(data, period, hours.zone if hours else UTC, hours.timezone if hours else "UTC"),
        _per_surface(data, period),
        _coverage_by(data, period, lambda a: a.topic or NO_TOPIC, "topic"),
        _coverage_by(data, period, lambda a: a.language or "?", "language"),
        _reasons(data, period),
        _not_covered(data, period),
        most,
        never,
        faq_down,
        section_down,
        _response_times(data, period, span, clock),
        _targets(data, period, now, span, targets or Targets()),
        _waiting(data, now, span, clock),
    ]
    return Report(period, now, {t.name: t for t in tables})


# -- reading the store ---------------------------------------------------------------------------------
def gather(store: Store, since: datetime, sections: dict[str, str] | None = None) -> ReportData:
    """The rows a report from ``since`` on needs: answers and ratings since then, every case
    opened since then or still waiting, and the first team reply of each."""
    cases = [c for c in CaseService(store).cases() if c.opened_at >= since or c.is_open]
    ids = [c.id for c in cases]
    e = schema.case_events
    first_replies: dict[str, datetime] = {}
    if ids:
        query = select(e.c.case_id, e.c.at).where(e.c.action == "reply_relayed", e.c.case_id.in_(ids))
        with store.engine.connect() as conn:
            for case_id, at in conn.execute(query.order_by(e.c.at)).all():
                first_replies.setdefault(case_id, aware(at))
    return ReportData(
        answers=store.answers.between(since),
        cases=cases,
        ratings=store.feedback_since(since),
        first_replies=first_replies,
        sections=dict(sections or {}),
    )


def to_json(report: Report) -> str:
    """Every table as JSON (for a test or a script)."""
    return json.dumps({name: {"columns": t.columns, "rows": t.rows} for name, t in report.tables.items()}, default=str)


def section_titles(sections: Iterable) -> dict[str, str]:
    """Anchor → its headings (German and English ones joined when they differ)."""
    titles: dict[str, list[str]] = {}
    for section in sections:
        names = titles.setdefault(section.anchor, [])
        if section.title not in names:
            names.append(section.title)
    return {anchor: " / ".join(names) for anchor, names in titles.items()}
