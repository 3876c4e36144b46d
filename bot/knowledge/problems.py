"""Validation findings that name file, line and field, and say how to fix them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding about the knowledge base."""

    severity: Severity
    file: str
    line: int | None
    field: str | None
    message: str
    hint: str = ""

    def format(self, severity: bool = True) -> str:
        """``file:line: error [field]: message — hint``; without the severity where the caller
        already says it ("Error: …")."""
        where = self.file + (f":{self.line}" if self.line else "")
        field = f" [{self.field}]" if self.field else ""
        hint = f" — {self.hint}" if self.hint else ""
        if not severity:
            return f"{where}{field}: {self.message}{hint}"
        return f"{where}: {self.severity}{field}: {self.message}{hint}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]
