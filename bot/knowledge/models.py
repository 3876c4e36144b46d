"""Typed models of the YAML files in knowledge/. Unknown keys are rejected."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Verdict = Literal["allowed", "conditional", "not_allowed", "ask_team"]
VERDICTS: tuple[str, ...] = ("allowed", "conditional", "not_allowed", "ask_team")
SLACK_ID_RE = re.compile(r"^[CGSUW][A-Z0-9]{2,}$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PerLanguage(_Strict):
    """The same text in German and English; one may be missing (a warning)."""

    de: str | None = None
    en: str | None = None

    def get(self, language: str) -> str | None:
        return getattr(self, language, None)

    def best(self, language: str) -> tuple[str, str]:
        """Text in ``language`` if present, else the other one: (text, its language)."""
        own = self.get(language)
        if own:
            return own, language
        other = "en" if language == "de" else "de"
        return self.get(other) or "", other


class PhrasingsPerLanguage(_Strict):
    de: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class FaqEntry(_Strict):
    """A curated answer to a real question."""

    id: str
    topic: str
    verdict: Verdict
    anchors: list[str] = Field(min_length=1)
    questions: PhrasingsPerLanguage
    answer: PerLanguage

    @field_validator("answer", "questions", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return {} if value is None else value

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError("id must be lower-case letters, digits and hyphens, e.g. event-photos")
        return value


class Contact(_Strict):
    """Who answers: a Slack channel, user group or person."""

    name: PerLanguage
    slack_id: str | None = None
    env: str | None = None
    email: str | None = None

    @field_validator("slack_id")
    @classmethod
    def _slack_id(cls, value: str | None) -> str | None:
        if value is not None and not SLACK_ID_RE.match(value):
            raise ValueError("slack_id must be a channel (C…/G…), user group (S…) or user (U…/W…) ID")
        return value


class RoutingFile(_Strict):
    contacts: dict[str, Contact]
    default_contact: str
    topics: dict[str, str] = Field(default_factory=dict)
    always_escalate: list[str] = Field(default_factory=list)
    sections: dict[str, str] = Field(default_factory=dict)
    keywords: dict[str, list[str]] | None = None


class EvalQuestion(_Strict):
    """A labelled question: what a correct answer cites, its verdict, whether it escalates."""

    question: str
    language: Literal["de", "en"]
    anchors: list[str] = Field(default_factory=list)
    verdict: Verdict | None = None
    escalate: bool
    faq: str | None = None
    kind: str | None = None
    note: str | None = None


class DraftCase(_Strict):
    """A labelled draft post: the ids of the check rules a correct check reports (none: clean)."""

    text: str = Field(min_length=1)
    language: Literal["de", "en"]
    findings: list[str] = Field(default_factory=list)
    attachments: list[Literal["image", "video"]] = Field(default_factory=list)
    note: str | None = None


class EvalFile(_Strict):
    questions: list[EvalQuestion] = Field(default_factory=list)
    drafts: list[DraftCase] = Field(default_factory=list)
