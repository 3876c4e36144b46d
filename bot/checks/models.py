"""Typed models of knowledge/checks.yaml. Unknown keys are rejected."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.knowledge.models import ID_RE, PerLanguage

Severity = Literal["block", "warn", "ask_team"]
AttachmentKind = Literal["image", "video"]
ValidatorName = Literal["iban"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatternSpec(_Strict):
    """A regular expression with options; a plain string is a pattern with the defaults."""

    regex: str = Field(min_length=1)
    case_sensitive: bool = False
    validate_as: ValidatorName | None = Field(default=None, alias="validate")
    extend: Literal["host", "word"] | None = None


class Matchers(_Strict):
    """What to look for: any of these matching is a hit."""

    words: list[str] = Field(default_factory=list)
    patterns: list[PatternSpec] = Field(default_factory=list)
    lists: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)

    @field_validator("patterns", mode="before")
    @classmethod
    def _plain_patterns(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"regex": v} if isinstance(v, str) else v for v in value]
        return value

    def empty(self) -> bool:
        return not (self.words or self.patterns or self.lists or self.domains)


class Near(Matchers):
    """A hit counts only with one of these within ``within`` characters before or after it."""

    within: int = Field(default=60, ge=1, le=1000)


class CheckRule(Matchers):
    """One rule: what it flags, how severe that is, and the guideline sections it rests on."""

    id: str
    description: PerLanguage
    label: PerLanguage | None = None  # what it looks for, in a few words ("confidential markers")
    message: PerLanguage | None = None
    severity: Severity
    # The sections the rule rests on. Optional: without one (or when none exists) a finding
    # cites the section that best matches the rule's description.
    anchors: list[str] = Field(default_factory=list)
    attachments: list[AttachmentKind] = Field(default_factory=list)
    near: Near | None = None
    exclude: Matchers | None = None
    unless: Matchers | None = None

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError("id must be lower-case letters, digits and hyphens, e.g. confidential-marker")
        return value


class ChecksFile(_Strict):
    lists: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[Any] = Field(default_factory=list)  # validated one by one into CheckRule
