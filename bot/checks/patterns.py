"""Regular expressions of the checks: list placeholders, validators and a guard against
catastrophic backtracking.

Patterns are compiled with the ``regex`` package (not ``re``) because it can stop a match
after a time limit: a pattern that slips past the static check below still cannot hang the
bot. The static check refuses, at load time, patterns whose repeated parts can match the
same text in more than one way, the shape behind exponential backtracking:

- a repeat inside a repeat where the inner one can also match what follows it (``(a+)+``,
  ``(\\d+\\s?)+``, ``(.*,)*``),
- a repeated part that can match empty text (``(a*)*``, ``(a?)+``),
- alternatives inside a repeat that can start with the same character (``(a|a)*``,
  ``(\\w|\\d)+``) unless they are plain words none of which is the beginning of another.

Only repeats that may run more than three times are checked; ``(?:\\w+\\W+){0,6}`` is fine
because its parts cannot overlap, ``(?:-?\\d{2,8}){1,3}`` because it repeats at most three times.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from re import _constants as sre  # the parser behind ``re``; used only to analyse patterns
from re import _parser as sre_parse

import regex

LOOP_LIMIT = 3  # repeats that may run more often than this are checked for ambiguity
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_-]+)\s*\}\}")
_UNICODE_PROPERTY = re.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]")
_SAMPLE = frozenset(chr(c) for c in range(32, 127)) | frozenset("\t\n\räöüÄÖÜßéÉàç€§°–—„“”’\u00a0中")


class PatternError(ValueError):
    """A pattern that cannot be used: invalid syntax, unknown list, risky backtracking."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


# --- validators ---------------------------------------------------------------------------


def iban_valid(text: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    digits = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


VALIDATORS: dict[str, Callable[[str], bool]] = {"iban": iban_valid}


# --- building ------------------------------------------------------------------------------


def name_alternation(names: list[str]) -> str:
    """Names as a regex alternation, longest first; spaces match any whitespace."""
    parts = sorted(
        {r"\s+".join(regex.escape(w) for w in n.split()) for n in names if n.strip()}, key=lambda p: (-len(p), p)
    )
    return "(?:" + "|".join(parts) + ")"


def expand_lists(pattern: str, lists: Mapping[str, list[str]]) -> str:
    """Replace ``{{list_name}}`` by an alternation of the list's entries."""

    def replace(m: re.Match) -> str:
        name = m.group(1)
        if name not in lists:
            raise PatternError(
                f"unknown list '{{{{{name}}}}}'",
                "use one of: " + ", ".join(sorted(lists)) if lists else "declare it under lists:",
            )
        return name_alternation(lists[name])

    return _PLACEHOLDER.sub(replace, pattern)


def domain_pattern(domains: list[str]) -> str:
    """One of ``domains`` with optional port and path; compile it with ``extend="host"`` so the
    finding also covers sub-domains and the scheme in front (wiki.…, https://…)."""
    hosts = "|".join(regex.escape(d.strip().lower().strip(".")) for d in sorted(domains, key=len, reverse=True))
    return (
        r"(?<![\w-])(?:" + hosts + r")(?![\w-])"
        r"(?::\d{1,5})?(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?"
    )


_HOST_CHARS = frozenset("._%+-")
_EXTEND_LIMIT = {"host": 256, "word": 64}


def _extend_left(text: str, start: int, how: str) -> int:
    """Where a finding starts once grown to the whole host name (with scheme) or word."""
    limit = max(0, start - _EXTEND_LIMIT[how])
    extra = _HOST_CHARS if how == "host" else frozenset("-")
    i = start
    while i > limit and (text[i - 1].isalnum() or text[i - 1] == "_" or text[i - 1] in extra):
        i -= 1
    if how == "host" and text[max(0, i - 3) : i] == "://":
        j = i - 3
        while j > max(0, i - 13) and text[j - 1].isalpha():
            j -= 1
        i = j if j < i - 3 else i
    return i


@dataclass(frozen=True)
class CompiledPattern:
    """A compiled pattern with its optional validator.

    ``required``: sets of strings; every match contains one string of each set (case-folded
    unless the pattern is case-sensitive). A draft lacking a whole set is not scanned at all.
    ``extend``: grow each match to the left over the rest of a host name/e-mail address
    ("host") or word ("word"), so patterns can start at a rare character and still report
    the whole address.
    """

    source: str
    compiled: regex.Pattern
    validate: Callable[[str], bool] | None = None
    required: tuple[frozenset[str], ...] = ()
    extend: str | None = None

    @property
    def ignorecase(self) -> bool:
        return bool(self.compiled.flags & regex.IGNORECASE)

    def could_match(self, text: str, folded: str) -> bool:
        haystack = folded if self.ignorecase else text
        return all(any(r in haystack for r in option) for option in self.required)

    def spans(self, text: str, timeout: float, folded: str | None = None) -> list[tuple[int, int]]:
        """All matches that pass the validator; raises TimeoutError past ``timeout`` seconds."""
        if not self.could_match(text, text.casefold() if folded is None else folded):
            return []
        out = []
        for m in self.compiled.finditer(text, timeout=timeout):
            start, end = m.span()
            if end == start:
                continue
            if self.extend:
                start = _extend_left(text, start, self.extend)
            if self.validate is None or self.validate(text[start:end]):
                out.append((start, end))
        return out


def compile_pattern(
    source: str,
    *,
    case_sensitive: bool = False,
    validate: str | None = None,
    lists: Mapping[str, list[str]] | None = None,
    extend: str | None = None,
) -> CompiledPattern:
    """Expand list placeholders, refuse risky backtracking, compile; raises PatternError."""
    expanded = expand_lists(source, lists or {})
    flags = 0 if case_sensitive else regex.IGNORECASE
    try:
        compiled = regex.compile(expanded, flags | regex.V0)
    except regex.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        raise PatternError(
            f"invalid regular expression: {exc.msg}{where}",
            "escape . ( ) [ ] { } ? * + | with a backslash to match them literally, "
            "and write the pattern in single quotes",
        ) from None
    reason = backtracking_risk(expanded, ignorecase=not case_sensitive)
    if reason:
        raise PatternError(
            f"pattern can backtrack catastrophically: {reason}",
            "make each repetition consume a clearly delimited piece, e.g. (?:\\w+\\s)+ "
            "instead of (\\w+\\s?)+, or use a possessive quantifier (++, *+)",
        )
    return CompiledPattern(
        source,
        compiled,
        VALIDATORS[validate] if validate else None,
        required_literals(expanded, ignorecase=not case_sensitive),
        extend,
    )


# --- static analysis -------------------------------------------------------------------------


class _Analysis:
    """First-character sets and ambiguity of a parsed pattern over a sample alphabet."""

    def __init__(self, tree, ignorecase: bool) -> None:
        self.ignorecase = ignorecase
        literals: set[str] = set()
        self._collect_literals(tree, literals)
        self.universe = frozenset(_SAMPLE | literals | {c.swapcase() for c in literals if len(c.swapcase()) == 1})

    def _collect_literals(self, seq, out: set[str]) -> None:
        for op, av in seq:
            if op in (sre.LITERAL, sre.NOT_LITERAL):
                out.add(chr(av))
            elif op is sre.IN:
                out.update(chr(v) for o, v in av if o is sre.LITERAL)
                for o, v in av:
                    if o is sre.RANGE:
                        out.update(chr(c) for c in (v[0], v[1]))
            for sub in self._children(op, av):
                self._collect_literals(sub, out)

    @staticmethod
    def _children(op, av) -> list:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            return [av[2]]
        if op is sre.SUBPATTERN:
            return [av[3]]
        if op is sre.ATOMIC_GROUP:
            return [av]
        if op is sre.BRANCH:
            return list(av[1])
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            return [av[1]]
        if op is sre.GROUPREF_EXISTS:
            return [p for p in av[1:] if p is not None]
        return []

    def _cases(self, ch: str) -> set[str]:
        if not self.ignorecase:
            return {ch}
        return {ch} | {c for c in (ch.lower(), ch.upper()) if len(c) == 1}

    def _in_class(self, ch: str, items) -> bool:
        negate = False
        hit = False
        for op, av in items:
            if op is sre.NEGATE:
                negate = True
            elif op is sre.LITERAL:
                hit |= chr(av) in self._cases(ch) or ch in self._cases(chr(av))
            elif op is sre.RANGE:
                hit |= any(av[0] <= ord(c) <= av[1] for c in self._cases(ch))
            elif op is sre.CATEGORY:
                hit |= _category(av, ch)
            else:
                hit = True  # unknown class item: assume it may match
        return hit != negate

    def first(self, seq) -> tuple[frozenset[str], bool]:
        """Characters a sequence can start with, and whether it can match empty text."""
        chars: set[str] = set()
        for item in seq:
            f, nullable = self.item_first(*item)
            chars |= f
            if not nullable:
                return frozenset(chars), False
        return frozenset(chars), True

    def item_first(self, op, av) -> tuple[frozenset[str], bool]:
        if op is sre.LITERAL:
            return frozenset(self._cases(chr(av))), False
        if op is sre.NOT_LITERAL:
            return self.universe - self._cases(chr(av)), False
        if op is sre.ANY:
            return self.universe, False
        if op is sre.IN:
            return frozenset(c for c in self.universe if self._in_class(c, av)), False
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            f, nullable = self.first(av[2])
            return f, nullable or av[0] == 0
        if op is sre.SUBPATTERN:
            return self.first(av[3])
        if op is sre.ATOMIC_GROUP:
            return self.first(av)
        if op is sre.BRANCH:
            chars, nullable = set(), False
            for branch in av[1]:
                f, n = self.first(branch)
                chars |= f
                nullable |= n
            return frozenset(chars), nullable
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return frozenset(), True
        if op is sre.GROUPREF_EXISTS:
            yes = self.first(av[1])
            no = self.first(av[2]) if av[2] is not None else (frozenset(), True)
            return yes[0] | no[0], yes[1] or no[1]
        return self.universe, True  # back-references and anything unknown: assume the worst

    def _plain_words(self, branches) -> list[str] | None:
        words = []
        for branch in branches:
            if not all(op is sre.LITERAL for op, _ in branch):
                return None
            words.append("".join(chr(av) for _, av in branch))
        if self.ignorecase:
            words = [w.casefold() for w in words]
        return words

    def _overlapping(self, branches) -> bool:
        """Whether two alternatives can match the same beginning: plain words where one is the
        start of another (or equal), else alternatives sharing a first character or both empty."""
        words = self._plain_words(branches)
        if words is not None:
            return any(i != j and b.startswith(a) for i, a in enumerate(words) for j, b in enumerate(words))
        seen: set[str] = set()
        empty = 0
        for branch in branches:
            f, nullable = self.first(branch)
            empty += nullable
            if f & seen or empty > 1:
                return True
            seen |= f
        return False

    def ambiguous(self, seq, follow: frozenset[str]) -> str | None:
        """Why ``seq`` (inside a loop) can match one text in two ways, given what may follow it."""
        for op, av in reversed(list(seq)):
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
                lo, hi, body = av
                body_first, _ = self.first(body)
                if lo != hi and body_first & follow:
                    return "a repeat inside a repeated part can also match what follows it (like (a+)+ or (\\d+\\s?)+)"
                inner_follow = body_first | follow if hi > 1 else follow
                reason = self.ambiguous(body, inner_follow)
                if reason:
                    return reason
            elif op is sre.SUBPATTERN:
                reason = self.ambiguous(av[3], follow)
                if reason:
                    return reason
            elif op is sre.BRANCH:
                branches = av[1]
                if self._overlapping(branches):
                    return "alternatives inside a repeated part can match the same text (like (a|a)* or (\\w|\\d)+)"
                for branch in branches:
                    reason = self.ambiguous(branch, follow)
                    if reason:
                        return reason
            f, nullable = self.item_first(op, av)
            follow = f | follow if nullable else f
        return None

    def check(self, seq) -> str | None:
        """The first risky loop anywhere in ``seq``."""
        for op, av in seq:
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[1] > LOOP_LIMIT:  # MAXREPEAT is huge
                body = av[2]
                body_first, nullable = self.first(body)
                if nullable:
                    return "a repeated part can match empty text (like (a*)* or (a?)+)"
                reason = self.ambiguous(body, body_first)
                if reason:
                    return reason
            for child in self._children(op, av):
                reason = self.check(child)
                if reason:
                    return reason
        return None


def _category(category, ch: str) -> bool:
    name = str(category)
    if name.endswith("NOT_DIGIT"):
        return not ch.isdecimal()
    if name.endswith("DIGIT"):
        return ch.isdecimal()
    if name.endswith("NOT_SPACE"):
        return not ch.isspace()
    if name.endswith("SPACE"):
        return ch.isspace()
    if name.endswith("NOT_WORD"):
        return not (ch.isalnum() or ch == "_")
    if name.endswith("WORD"):
        return ch.isalnum() or ch == "_"
    return True


def required_literals(pattern: str, ignorecase: bool = True) -> tuple[frozenset[str], ...]:
    """Sets of strings such that every match of ``pattern`` contains one string of each set.

    Taken from the pattern's structure: runs of literal characters, alternations whose every
    branch has such strings, groups and repeats that must match at least once, small character
    sets. Empty when nothing is known.
    """
    try:
        tree = sre_parse.parse(pattern, re.IGNORECASE if ignorecase else 0)
    except (re.error, OverflowError, RecursionError):
        return ()
    options = _seq_options(tree)
    if ignorecase:
        options = [frozenset(s.casefold() for s in o) for o in options]
    return tuple(dict.fromkeys(options))


def _seq_options(seq) -> list[frozenset[str]]:
    options: list[frozenset[str]] = []
    run = ""
    for op, av in seq:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append(frozenset({run}))
            run = ""
        if op is sre.SUBPATTERN:
            options += _seq_options(av[3])
        elif op is sre.ATOMIC_GROUP:
            options += _seq_options(av)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            options += _seq_options(av[2])
        elif op is sre.BRANCH:
            per_branch = [_seq_options(b) for b in av[1]]
            if all(per_branch):
                # one set per branch: its most selective (longest shortest string, fewest strings)
                best = [max(o, key=lambda x: (min(map(len, x)), -len(x))) for o in per_branch]
                options.append(frozenset().union(*best))
        elif op is sre.IN and len(av) <= 8 and all(o is sre.LITERAL for o, _ in av):
            options.append(frozenset(chr(v) for _, v in av))
    if run:
        options.append(frozenset({run}))
    return options


def backtracking_risk(pattern: str, ignorecase: bool = True) -> str | None:
    """Why ``pattern`` can backtrack catastrophically, or None if no risky loop was found."""
    for candidate in (pattern, _UNICODE_PROPERTY.sub(r"\\w", pattern)):
        try:
            tree = sre_parse.parse(candidate, re.IGNORECASE if ignorecase else 0)
        except (re.error, OverflowError, RecursionError):
            continue
        analysis = _Analysis(tree, ignorecase)
        return analysis.check(tree)
    return None  # syntax only the regex package knows: it still runs with the time bound
