"""Fixtures for the draft checks: the shipped rules, and small rule files written into tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.checks import CheckEngine, read_checks
from bot.knowledge import load_knowledge
from tests.conftest import SHIPPED_KNOWLEDGE


@pytest.fixture(scope="session")
def shipped_kb():
    result = load_knowledge(SHIPPED_KNOWLEDGE, environ={})
    assert result.ok, [p.format() for p in result.problems]
    return result.knowledge


@pytest.fixture(scope="session")
def engine(shipped_kb) -> CheckEngine:
    return shipped_kb.checks


def rules_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "checks.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def make_engine(tmp_path: Path, text: str, anchors: set[str] | None = None) -> CheckEngine:
    return read_checks(rules_file(tmp_path, text), anchors)


def rule_ids(engine: CheckEngine, text: str, attachments=()) -> set[str]:
    return {f.rule_id for f in engine.check(text, attachments)}
