"""Patterns: IBAN check digits, list placeholders, refusing catastrophic backtracking, the time bound."""

from __future__ import annotations

import time

import pytest
import regex

from bot.checks.engine import CheckEngine, CompiledRule
from bot.checks.models import CheckRule
from bot.checks.patterns import (
    CompiledPattern,
    PatternError,
    backtracking_risk,
    compile_pattern,
    expand_lists,
    iban_valid,
)
from bot.checks.words import WordIndex


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("DE89 3704 0044 0532 0130 00", True),
        ("DE89370400440532013000", True),
        ("GB82 WEST 1234 5698 7654 32", True),
        ("de89 3704 0044 0532 0130 00", True),
        ("DE89 3704 0044 0532 0130 01", False),  # one digit off
        ("DE98 3704 0044 0532 0130 00", False),  # check digits swapped
        ("DE89 3704", False),  # too short
        ("1234 5678 9012 3456", False),  # no country
    ],
)
def test_iban_checksum(iban, valid):
    assert iban_valid(iban) is valid


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+",
        r"(a*)*",
        r"(a|a)*",
        r"(a?)+",
        r"(\w+\s?)+$",
        r"(.*,)*x",
        r"^(a|aa)+$",
        r"(x+x+)+y",
        r"(?:\d+)*",
        r"(?:a\w|\wb)+",
        r"((ab)*)+",
        r"(?:a{1,3})+",
        r"([a-z]+\.?)+\.com",
        r"(?:\s*,\s*)+",
    ],
)
def test_catastrophic_patterns_are_refused(pattern):
    assert backtracking_risk(pattern) is not None
    with pytest.raises(PatternError, match="backtrack catastrophically"):
        compile_pattern(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:[\w-]+\.)+intern\b",
        r"(?:\w+\W+){0,6}x",
        r"\d+(?:[.,]\d+)*",
        r"(?:foo|bar|baz)+",
        r"(?:[\s/-]?\d{2,8}){1,3}",
        r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}",
        r"(?:ab|cd)*e",
        r"a++b",
        r"(?:\d+)++x",
        r"(?>a+)+b",
        r"\p{L}+",
        r"\bvertraulich\w*",
    ],
)
def test_safe_patterns_are_accepted(pattern):
    assert backtracking_risk(pattern) is None
    compile_pattern(pattern)


def test_invalid_regex_names_the_problem():
    with pytest.raises(PatternError, match=r"invalid regular expression: missing \) at position 10"):
        compile_pattern(r"(vertrauli")


def test_list_placeholders_expand_to_escaped_names():
    lists = {"company_names": ["Nordhafen", "HafenFlow"], "customers": ["Baltic Freight Ltd."]}
    assert expand_lists(r"{{company_names}}\s+is", lists) == r"(?:HafenFlow|Nordhafen)\s+is"
    assert expand_lists("{{ customers }}", lists) == r"(?:Baltic\s+Freight\s+Ltd\.)"
    with pytest.raises(PatternError, match="unknown list"):
        expand_lists("{{nope}}", lists)


def _engine_with(pattern: CompiledPattern, **kwargs) -> CheckEngine:
    rule = CheckRule.model_validate(
        {
            "id": "slow",
            "description": {"de": "langsam", "en": "slow"},
            "severity": "warn",
            "anchors": ["x"],
            "patterns": ["placeholder"],
        }
    )
    return CheckEngine([CompiledRule(rule, 0, {"match": [pattern]})], WordIndex(), **kwargs)


@pytest.mark.parametrize(
    "pattern",
    [
        compile_pattern(r"(?:.*?,){3}x"),  # passes the static check, polynomial
        CompiledPattern("bypassed", regex.compile(r"(a|aa)+$")),  # exponential, never loaded from a file
    ],
)
def test_matching_runs_with_a_time_bound(pattern):
    engine = _engine_with(pattern, pattern_timeout=0.05)
    started = time.perf_counter()
    findings = engine.check("a," * 20_000 + "!x" if "x" in pattern.source else "a" * 40 + "b")
    assert time.perf_counter() - started < 1.0
    assert [(f.rule_id, f.kind, f.severity) for f in findings] == [("slow", "incomplete", "ask_team")]
    assert "did not finish" in findings[0].describe("en")
