"""A modal is acknowledged within Slack's 3 seconds while the database is black-holed (issue 13,
point 6): the real app over signed HTTP, its PostgreSQL store behind a proxy that, once cut,
keeps the connections open and forwards nothing."""

from __future__ import annotations

import json
import time

import pytest

from bot.slack import blocks, case_blocks
from bot.slack.asker import new_id
from bot.store import open_store
from tests.slack import payloads
from tests.slack.conftest import start_bot
from tests.store.blackhole import BlackHole
from tests.store.conftest import pg_schema_factory  # noqa: F401 - the fixture, for PostgreSQL

REASON = "Die Antwort zum Sommerfest-Foto war falsch"


def case_form() -> dict:
    view = {"type": "modal", "callback_id": case_blocks.HANDOFF_VIEW, "private_metadata": json.dumps({"c": new_id()})}
    return payloads.submitted_view(view, {case_blocks.TO_BLOCK: {"type": "users_select", "selected_user": "U0B"}})


def reason_form() -> dict:
    return payloads.view_submission(blocks.feedback_modal({"q": new_id(), "l": "en"}, "en"), REASON)


@pytest.mark.parametrize(("form", "pending"), [(case_form, "case_pending"), (reason_form, "feedback_pending")])
def test_a_modal_is_acknowledged_in_time_while_the_database_is_black_holed(
    tmp_path,
    pg_schema_factory,  # noqa: F811 - the imported fixture
    caplog,
    form,
    pending,  # noqa: F811 - the imported fixture
):
    hole = BlackHole(("127.0.0.1", 5432))
    bot = start_bot(tmp_path, "http", store=open_store(hole.url(), schema_name=pg_schema_factory()))
    try:
        hole.cut()
        started = time.monotonic()
        reply = bot.send_interaction(form())
        elapsed = time.monotonic() - started
    finally:
        hole.close()  # frees the thread still waiting on the database
        for stop in bot.stops:
            stop()
    assert elapsed < 3, elapsed
    assert reply["response_action"] == "update"
    assert ":hourglass:" in json.dumps(reply["view"]), pending
    assert REASON not in caplog.text
