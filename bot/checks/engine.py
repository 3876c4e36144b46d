"""Check a draft post against the rules: findings with the matched span, rule and sections."""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.checks.models import AttachmentKind, CheckRule, Severity
from bot.checks.normalize import normalise
from bot.checks.patterns import CompiledPattern
from bot.checks.words import WordIndex
from bot.knowledge.models import Verdict

SEVERITY_RANK: dict[str, int] = {"warn": 1, "ask_team": 2, "block": 3}
FindingKind = Literal["match", "reminder", "incomplete"]
Role = Literal["match", "near", "exclude", "unless"]
ROLES: tuple[Role, ...] = ("match", "near", "exclude", "unless")
Span = tuple[int, int]

_INCOMPLETE = {
    "de": "Diese Prüfung wurde nicht rechtzeitig fertig; bitte lass den Entwurf vom Team ansehen.",
    "en": "This check did not finish in time; please have the team look at the draft.",
}


@dataclass(frozen=True)
class Finding:
    """One thing in a draft that a rule flags, with where it is and what it rests on."""

    rule_id: str
    severity: Severity
    anchors: tuple[str, ...]
    start: int
    end: int
    matched: str
    description: dict[str, str]
    message: dict[str, str] = field(default_factory=dict)
    kind: FindingKind = "match"

    def describe(self, language: str) -> str:
        return _pick(self.description, language)

    def fix(self, language: str) -> str:
        return _pick(self.message, language)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "severity": self.severity,
            "anchors": list(self.anchors),
            "start": self.start,
            "end": self.end,
            "matched": self.matched,
            "kind": self.kind,
            "description": dict(self.description),
            "message": dict(self.message),
        }


def _pick(texts: Mapping[str, str], language: str) -> str:
    return texts.get(language) or next((t for t in texts.values() if t), "")


def _texts(value) -> dict[str, str]:
    if value is None:
        return {}
    return {lang: text.strip() for lang in ("de", "en") if (text := value.get(lang))}


@dataclass
class CompiledRule:
    """A validated rule with its patterns compiled (words live in the engine's WordIndex)."""

    rule: CheckRule
    key: int  # the label of the rule's entries in the engine's WordIndex
    patterns: dict[Role, list[CompiledPattern]] = field(default_factory=dict)
    anchors: tuple[str, ...] | None = None  # the rule's anchors that exist (None: all of them)

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def cites(self) -> tuple[str, ...]:
        """The anchors a finding cites; empty: the best-matching section is cited instead."""
        return tuple(self.rule.anchors) if self.anchors is None else self.anchors


def attachment_kind(attachment: Any) -> AttachmentKind | None:
    """'image' or 'video' for a Slack file (dict with ``mimetype``), a mimetype or a kind name."""
    if isinstance(attachment, Mapping):
        value = str(attachment.get("mimetype") or attachment.get("filetype") or "")
    else:
        value = str(attachment or "")
    value = value.lower()
    for kind in ("image", "video"):
        if value == kind or value.startswith(kind + "/"):
            return kind  # type: ignore[return-value]
    if value in ("png", "jpg", "jpeg", "gif", "heic", "webp"):
        return "image"
    if value in ("mp4", "mov", "webm", "m4v"):
        return "video"
    return None


class CheckEngine:
    """Precompiled rules; ``check`` runs all of them over a draft.

    Words of all rules are found in one pass over the draft's tokens; each pattern scans the
    draft once, with a time limit. Patterns of ``near``, ``exclude`` and ``unless`` only run for
    rules that have hits.
    """

    def __init__(
        self,
        rules: list[CompiledRule],
        words: WordIndex,
        lists: Mapping[str, list[str]] | None = None,
        pattern_timeout: float = 0.1,
        time_budget: float = 1.0,
        generic: bool = False,
    ) -> None:
        self.rules = rules
        self.words = words
        self.lists = dict(lists or {})
        self.pattern_timeout = pattern_timeout
        self.time_budget = time_budget
        self.generic = generic  # the bundled generic rules (the knowledge base has no checks.yaml)

    def __len__(self) -> int:
        return len(self.rules)

    def rule_ids(self) -> list[str]:
        return [r.id for r in self.rules]

    def looks_for(self, language: str) -> list[str]:
        """What the rules look for in a draft's text, in a few words each (attachment reminders left out)."""
        labels = (
            _pick(_texts(r.rule.label), language) or r.id.replace("-", " ") for r in self.rules if not r.rule.empty()
        )
        return list(dict.fromkeys(labels))

    def check(self, text: str, attachments: Iterable[Any] = (), one_per_span: bool = True) -> list[Finding]:
        """Findings for ``text`` (and image/video attachments), in text order. ``one_per_span``:
        of findings whose spans nest, only the most specific is reported (off to measure each rule).
        The rules read ``text`` without invisible characters and with look-alikes folded
        (``normalise``); a finding's start, end and matched refer to ``text`` as written."""
        deadline = time.perf_counter() + self.time_budget
        draft = normalise(text)  # spans are found in draft.text and mapped back onto text
        seen = draft.text
        word_hits = self.words.scan(seen) if seen else {}
        folded = seen.casefold()
        kinds = {k for k in (attachment_kind(a) for a in attachments) if k}
        findings: list[Finding] = []
        for compiled in self.rules:
            rule = compiled.rule
            if rule.attachments:
                if kinds & set(rule.attachments):
                    findings.append(self._finding(compiled, 0, 0, "", "reminder"))
                if rule.empty():
                    continue
            try:
                spans = self._rule_spans(compiled, seen, folded, word_hits, deadline)
            except TimeoutError:
                findings.append(
                    Finding(
                        rule.id,
                        "ask_team",
                        compiled.cites,
                        0,
                        0,
                        "",
                        dict(_INCOMPLETE),
                        _texts(rule.description),
                        "incomplete",
                    )
                )
                continue
            for span in spans:
                start, end = draft.span(*span)
                findings.append(self._finding(compiled, start, end, text[start:end]))
        if one_per_span:
            findings = _one_per_span(findings, {r.id: i for i, r in enumerate(self.rules)})
        findings.sort(key=lambda f: (f.kind == "reminder", f.start, -SEVERITY_RANK[f.severity], f.rule_id))
        return findings

    def _finding(
        self, compiled: CompiledRule, start: int, end: int, matched: str, kind: FindingKind = "match"
    ) -> Finding:
        rule = compiled.rule
        return Finding(
            rule.id,
            rule.severity,
            compiled.cites,
            start,
            end,
            matched,
            _texts(rule.description),
            _texts(rule.message),
            kind,
        )

    def _spans(
        self, compiled: CompiledRule, role: Role, text: str, folded: str, word_hits: Mapping, deadline: float
    ) -> list[Span]:
        spans = list(word_hits.get((compiled.key, role), ()))
        for pattern in compiled.patterns.get(role, ()):
            if not pattern.could_match(text, folded):
                continue
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError
            spans.extend(pattern.spans(text, min(self.pattern_timeout, remaining), folded))
        return spans

    def _rule_spans(
        self, compiled: CompiledRule, text: str, folded: str, word_hits: Mapping, deadline: float
    ) -> list[Span]:
        rule = compiled.rule
        hits = self._spans(compiled, "match", text, folded, word_hits, deadline)
        if not hits:
            return []
        if rule.unless and self._spans(compiled, "unless", text, folded, word_hits, deadline):
            return []
        if rule.exclude:
            excluded = _merge(self._spans(compiled, "exclude", text, folded, word_hits, deadline))
            hits = [h for h in hits if not _overlaps(h, excluded)]
        if rule.near and hits:
            nearby = _merge(self._spans(compiled, "near", text, folded, word_hits, deadline))
            hits = [s for h in hits if (near := _nearest(h, nearby, rule.near.within)) for s in (h, near)]
        return _merge(hits)


def _merge(spans: list[Span]) -> list[Span]:
    """Sorted spans with overlapping ones joined."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _overlaps(span: Span, merged: list[Span]) -> bool:
    i = bisect.bisect_left(merged, (span[1], span[1]))
    return i > 0 and merged[i - 1][1] > span[0]


def _nearest(span: Span, merged: list[Span], within: int) -> Span | None:
    """The closest of ``merged`` at most ``within`` characters away from ``span``. Both are
    marked, each on its own ("Umsatz" and "48 Mio. Euro"), not the text between them."""
    start, end = span
    i = bisect.bisect_left(merged, (start, start))
    best: Span | None = None
    best_gap = within + 1
    for j in (i - 1, i):
        if 0 <= j < len(merged):
            s, e = merged[j]
            gap = max(s - end, start - e, 0)
            if gap < best_gap:
                best, best_gap = (s, e), gap
    return best


def _one_per_span(findings: list[Finding], order: Mapping[str, int]) -> list[Finding]:
    """Each span reported once: of findings whose spans nest (a code name inside a link), the
    most severe is kept, then the one covering the most (the link), then the earlier rule."""

    def rank(f: Finding) -> tuple[int, int, int]:
        return -SEVERITY_RANK[f.severity], f.start - f.end, order.get(f.rule_id, len(order))

    def nest(a: Finding, b: Finding) -> bool:
        return (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)

    marks = sorted((f for f in findings if f.kind == "match"), key=lambda f: (f.start, -f.end))
    kept: list[Finding] = []
    group: list[Finding] = []  # findings inside the span of the group's first (outermost) one
    for f in [*marks, None]:
        if f is not None and group and f.end <= group[0].end:
            group.append(f)
            continue
        chosen: list[Finding] = []
        for g in sorted(group, key=rank):
            if not any(nest(g, c) for c in chosen):
                chosen.append(g)
        kept += chosen
        group = [f] if f is not None else []
    return kept + [f for f in findings if f.kind != "match"]


def overall_severity(findings: Iterable[Finding]) -> Severity | None:
    """The most severe finding's severity (block > ask_team > warn), or None without findings."""
    worst = max((f.severity for f in findings), key=SEVERITY_RANK.__getitem__, default=None)
    return worst


def verdict_for(severity: Severity | None) -> tuple[Verdict | None, bool]:
    """(verdict, escalate) for a severity: block → not allowed; ask_team → the team decides
    (escalates); warn → allowed with conditions (what to fix); no findings → (None, False)."""
    return {"block": ("not_allowed", False), "ask_team": ("ask_team", True), "warn": ("conditional", False)}.get(
        severity or "", (None, False)
    )  # type: ignore[return-value]


def draft_verdict(findings: Iterable[Finding]) -> tuple[Verdict | None, bool]:
    """The findings' verdict, escalating whenever any finding asks for the team, even under a block."""
    findings = list(findings)
    verdict, escalate = verdict_for(overall_severity(findings))
    return verdict, escalate or any(f.severity == "ask_team" for f in findings)
