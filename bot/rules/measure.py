"""Measuring the polarity labeller against units labelled by hand (eval/units/*.yaml):
precision and recall per class, and the units it gets wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.errors import GuidelinesBotError
from bot.rules.polarity import POLARITIES, label
from bot.yamlsafe import describe, safe_load


@dataclass(frozen=True)
class LabelledUnit:
    source: str  # the file it was labelled in
    text: str
    lead: str | None
    gold: str
    predicted: str


@dataclass
class LabellerReport:
    units: list[LabelledUnit] = field(default_factory=list)

    def precision(self, polarity: str) -> float:
        said = [u for u in self.units if u.predicted == polarity]
        return sum(u.gold == polarity for u in said) / len(said) if said else float("nan")

    def recall(self, polarity: str) -> float:
        real = [u for u in self.units if u.gold == polarity]
        return sum(u.predicted == polarity for u in real) / len(real) if real else float("nan")

    @property
    def accuracy(self) -> float:
        return sum(u.gold == u.predicted for u in self.units) / len(self.units) if self.units else float("nan")

    def rows(self) -> list[list[str]]:
        return [
            [
                p,
                str(sum(u.gold == p for u in self.units)),
                f"{self.precision(p):.3f}",
                f"{self.recall(p):.3f}",
            ]
            for p in POLARITIES
        ]

    def wrong(self) -> list[LabelledUnit]:
        return [u for u in self.units if u.gold != u.predicted]


def read_labelled(path: Path) -> list[dict]:
    """The units of one hand-labelled file (``units: [{text, lead, polarity, ...}]``)."""
    try:
        data = safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GuidelinesBotError(f"{path}: cannot read labelled units ({describe(exc)})") from None
    units = data.get("units") if isinstance(data, dict) else None
    if not isinstance(units, list):
        raise GuidelinesBotError(f"{path}: expected 'units:' with a list of {{text, lead, polarity}}")
    for i, unit in enumerate(units):
        if not isinstance(unit, dict) or not unit.get("text") or unit.get("polarity") not in POLARITIES:
            raise GuidelinesBotError(f"{path}: units[{i}] needs a text and a polarity ({', '.join(POLARITIES)})")
    return units


def measure(paths: list[Path]) -> LabellerReport:
    report = LabellerReport()
    for path in paths:
        for unit in read_labelled(path):
            lead = unit.get("lead") or None
            report.units.append(
                LabelledUnit(Path(path).name, unit["text"], lead, unit["polarity"], label(unit["text"], lead))
            )
    return report
