"""Escalation tests run on both back ends (the store fixtures of tests/store) with injected time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.store.conftest import pg_schema_factory, store, store_target  # noqa: F401 - fixtures

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def cases(store):  # noqa: F811 - the fixture imported above
    from bot.escalation import CaseService, Policy

    return CaseService(store, Policy())


def new_case(case_id: str = "c1", **overrides):
    from bot.escalation import NewCase

    values = {
        "id": case_id,
        "question": "Darf ich über die Presseanfrage posten?",
        "language": "de",
        "asker": "U0ASKER",
        "surface": "dm",
        "contact": "social-media-team",
        "team_channel": "C0TEAM",
        "topic": "press",
        "origin_channel": "D0DM",
        "asker_channel": "D0DM",
        "asker_thread_ts": "1.0",
        "found": {"verdict": "ask_team", "confidence": 0.4, "reason": "press", "citations": []},
    }
    return NewCase(**{**values, **overrides})
