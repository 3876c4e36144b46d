"""What the 👍 / 👎 buttons say about the knowledge: ratings per FAQ entry, worst first, so a
maintainer knows which answer or phrasing to fix. No Slack and no database here."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from bot.store.store import Feedback

GUIDELINE_TEXT = "(guideline text)"  # answers that matched no FAQ entry


@dataclass
class SourceStats:
    """The ratings of the answers that came from one FAQ entry (or from the guideline text)."""

    source: str
    helpful: int = 0
    not_helpful: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def ratings(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def helpful_share(self) -> float:
        return self.helpful / self.ratings if self.ratings else 0.0


def summarize(items: Iterable[Feedback]) -> list[SourceStats]:
    """Ratings grouped by the FAQ entry the answer came from; most 👎 first, then lowest share helpful."""
    stats: dict[str, SourceStats] = {}
    for item in items:
        entry = stats.setdefault(item.faq_id or GUIDELINE_TEXT, SourceStats(item.faq_id or GUIDELINE_TEXT))
        if item.helpful:
            entry.helpful += 1
        else:
            entry.not_helpful += 1
            if item.reason and item.reason.strip():
                entry.reasons.append(" ".join(item.reason.split()))
        if item.verdict:
            entry.verdicts[item.verdict] = entry.verdicts.get(item.verdict, 0) + 1
    return sorted(stats.values(), key=lambda s: (-s.not_helpful, s.helpful_share, s.source))


def table_rows(stats: list[SourceStats]) -> list[list[object]]:
    return [
        [
            s.source,
            s.ratings,
            s.helpful,
            s.not_helpful,
            f"{100 * s.helpful_share:.0f} %",
            ", ".join(f"{v} {n}" for v, n in sorted(s.verdicts.items(), key=lambda kv: -kv[1])),
        ]
        for s in stats
    ]


CSV_FIELDS = ["rated_at", "question_id", "user", "helpful", "faq_id", "verdict", "language", "reason"]


def write_csv(rows: list[tuple[datetime, Feedback]], out: TextIO) -> None:
    """One row a rating. The question text is never written: it is stored only when configured."""
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for rated_at, f in rows:
        writer.writerow(
            [
                rated_at.isoformat(timespec="seconds"),
                f.question_id,
                f.user_id,
                "yes" if f.helpful else "no",
                f.faq_id or "",
                f.verdict or "",
                f.language or "",
                f.reason or "",
            ]
        )
