"""Read knowledge/checks.yaml into a CheckEngine; every problem names file, line and field."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from bot.checks.engine import ROLES, CheckEngine, CompiledRule, Role
from bot.checks.models import CheckRule, ChecksFile, Matchers
from bot.checks.patterns import PatternError, compile_pattern, domain_pattern
from bot.checks.words import Position, WordIndex, WordSyntaxError, name_entry, parse_entry
from bot.errors import KnowledgeError
from bot.knowledge.problems import Problem, errors
from bot.knowledge.yamlfile import YamlDocument, read_yaml, validate_model

CHECKS_FILE = "checks.yaml"
GENERIC_CHECKS = Path(__file__).with_name("generic.yaml")


class _RuleBuilder:
    """Compiles one rule's matchers, collecting problems with their lines."""

    def __init__(
        self,
        doc: YamlDocument,
        index: int,
        rule: CheckRule,
        lists: Mapping[str, list[str]],
        words: WordIndex,
        problems: list[Problem],
    ) -> None:
        self.doc, self.index, self.rule, self.lists = doc, index, rule, lists
        self.words, self.problems = words, problems
        self.compiled = CompiledRule(rule, index)

    def _problem(self, loc: tuple[Any, ...], message: str, hint: str = "", severity: str = "error") -> None:
        field = f"rules[{self.index}] ({self.rule.id})" + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc
        )
        line = self.doc.line_of(("rules", self.index) + loc)
        self.problems.append(Problem(severity, self.doc.path, line, field, message, hint))  # type: ignore[arg-type]

    def add(self, role: Role, matchers: Matchers, loc: tuple[Any, ...]) -> None:
        entries: list[list[Position]] = []
        for j, word in enumerate(matchers.words):
            try:
                entries.extend(parse_entry(word))
            except WordSyntaxError as exc:
                self._problem(
                    loc + ("words", j),
                    str(exc),
                    "see the word syntax at the top of checks.yaml (stem, stem~, stem*, *stem, (a|b))",
                )
        for j, name in enumerate(matchers.lists):
            if name not in self.lists:
                self._problem(loc + ("lists", j), f"unknown list '{name}'", self._lists_hint())
                continue
            for item in self.lists[name]:
                try:
                    entries.append(name_entry(item))
                except WordSyntaxError as exc:
                    self._problem(loc + ("lists", j), f"list '{name}': {exc}", "")
        for positions in entries:
            self.words.add(positions, (self.index, role))
        compiled = []
        for j, spec in enumerate(matchers.patterns):
            try:
                compiled.append(
                    compile_pattern(
                        spec.regex,
                        case_sensitive=spec.case_sensitive,
                        validate=spec.validate_as,
                        lists=self.lists,
                        extend=spec.extend,
                    )
                )
            except PatternError as exc:
                self._problem(loc + ("patterns", j), str(exc), exc.hint)
        domains: list[str] = []
        for j, name in enumerate(matchers.domains):
            if name not in self.lists:
                self._problem(loc + ("domains", j), f"unknown list '{name}'", self._lists_hint())
            else:
                domains += self.lists[name]
        if domains:
            compiled.append(compile_pattern(domain_pattern(domains), extend="host"))
        self.compiled.patterns[role] = compiled

    def _lists_hint(self) -> str:
        return ("use one of: " + ", ".join(sorted(self.lists))) if self.lists else "declare it under lists:"


def _check_texts(builder: _RuleBuilder, rule: CheckRule) -> None:
    for key in ("description", "message"):
        value = getattr(rule, key)
        if value is None:
            continue
        for lang in ("de", "en"):
            if not (value.get(lang) or "").strip():
                builder._problem(
                    (key,), f"no {lang} {key}", f"add {key}.{lang}; until then the other is shown", "warning"
                )


def _empty_list_entries(doc: YamlDocument, display: str, lists: dict[str, list[str]]) -> list[Problem]:
    return [
        Problem(
            "error", display, doc.line_of(("lists", name, k)), f"lists.{name}[{k}]", "empty list entry", "remove it"
        )
        for name, items in lists.items()
        for k, item in enumerate(items)
        if not item.strip()
    ]


def _build_rule(builder: _RuleBuilder, rule: CheckRule, anchors: set[str] | None) -> None:
    """Check the rule's anchors and compile its match and its other roles into ``builder``.

    An anchor the knowledge base does not have is a warning, not an error: the rule still finds
    what it finds, and its findings cite the best-matching section instead (so rules copied from
    another knowledge base work at once; --strict makes it an error)."""
    if anchors is not None:
        builder.compiled.anchors = tuple(a for a in rule.anchors if a in anchors)
    for j, anchor in enumerate(rule.anchors):
        if anchors is not None and anchor not in anchors:
            builder._problem(
                ("anchors", j),
                f"unknown anchor '{anchor}': findings cite the best-matching section instead",
                "use an anchor that `guidelines-bot validate --anchors` lists",
                "warning",
            )
    if rule.empty() and not rule.attachments:
        builder._problem((), "the rule has nothing to match", "add words, patterns, lists, domains or attachments")
    builder.add("match", rule, ())
    for role in ROLES[1:]:
        part = getattr(rule, role)
        if part is None:
            continue
        if part.empty():
            builder._problem((role,), f"'{role}' has nothing to match", "add words, patterns, lists or domains")
        builder.add(role, part, (role,))


def load_checks(
    path: Path | str, anchors: set[str] | None = None, display: str | None = None
) -> tuple[CheckEngine | None, list[Problem]]:
    """Validate and compile ``path``. ``anchors``: the known section anchors (None: not checked).

    Returns the engine (None if the file cannot be read at all) and the problems; a rule with
    errors is left out of the engine.
    """
    path = Path(path)
    display = display or path.name
    doc, problems = read_yaml(path, display)
    if doc is None:
        return None, problems
    if doc.data is None:
        return CheckEngine([], WordIndex()), problems
    if not isinstance(doc.data, dict):
        problems.append(
            Problem(
                "error",
                display,
                1,
                None,
                "expected 'lists:' and 'rules:' at the top level",
                "start the file with 'rules:' and indent the rules under it",
            )
        )
        return None, problems
    model, found = validate_model(doc, ChecksFile)
    problems += found
    if model is None:
        return None, problems
    lists = model.lists
    problems += _empty_list_entries(doc, display, lists)
    words = WordIndex()
    rules: list[CompiledRule] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(model.rules):
        if not isinstance(raw, dict):
            problems.append(
                Problem(
                    "error",
                    display,
                    doc.line_of(("rules", i)),
                    f"rules[{i}]",
                    "each rule must be a mapping with id, description, severity, anchors, ...",
                    "",
                )
            )
            continue
        rule, found = validate_model(doc, CheckRule, ("rules", i))
        problems += found
        if rule is None:
            continue
        before = len(errors(problems))
        builder = _RuleBuilder(doc, i, rule, lists, words, problems)
        if rule.id in seen:
            builder._problem(
                ("id",),
                f"duplicate id '{rule.id}' (first at line {seen[rule.id]})",
                "ids must be unique; rename one of them",
            )
        seen.setdefault(rule.id, doc.line_of(("rules", i, "id")) or 0)
        _build_rule(builder, rule, anchors)
        _check_texts(builder, rule)
        if len(errors(problems)) == before:
            rules.append(builder.compiled)
    return CheckEngine(rules, words, lists), problems


@cache
def generic_checks() -> CheckEngine:
    """The bundled generic rules (bot/checks/generic.yaml), for a knowledge base without
    checks.yaml: confidential markers, business figures, personal data, insults, crisis topics.
    They name no anchors; their findings cite the best-matching section. Compiled once."""
    engine, problems = load_checks(GENERIC_CHECKS, anchors=set(), display="bot/checks/generic.yaml")
    if engine is None or problems:
        raise KnowledgeError(problems)
    engine.generic = True
    return engine


def read_checks(path: Path | str, anchors: set[str] | None = None) -> CheckEngine:
    """The engine for ``path``; raises KnowledgeError if the file has errors."""
    engine, problems = load_checks(path, anchors)
    if engine is None or errors(problems):
        raise KnowledgeError(problems)
    return engine
