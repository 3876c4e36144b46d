"""Button values and modal metadata come back from whoever presses, so every field is checked:
a value the bot did not write gets a polite private note, never an exception, a case with an
id of the sender's choosing, or a route of the sender's choosing."""

from __future__ import annotations

import json
import logging

import pytest

from bot.slack import blocks, case_blocks
from bot.slack.blocks import unpack_value
from tests.conftest import ROUTING, small_kb_files
from tests.slack import payloads
from tests.slack.conftest import TEAM_CHANNEL, make_service

PHOTO_QUESTION = "Darf ich Fotos vom Sommerfest posten?"
POLITE = "Mit diesem Knopf stimmt etwas nicht"
GOOD_ID = "0123456789"
LEGAL = "C0LEGAL"  # a second contact, which no photo question routes to

GARBAGE = [
    pytest.param("not json", id="not-json"),
    pytest.param("[1, 2]", id="a-list"),
    pytest.param("", id="empty"),
    pytest.param(json.dumps({"q": "<!channel>", "l": "de", "t": PHOTO_QUESTION}), id="q-markup"),
    pytest.param(json.dumps({"q": "a" * 200, "l": "de", "t": PHOTO_QUESTION}), id="q-long"),
    pytest.param(json.dumps({"q": 5, "l": "de", "t": PHOTO_QUESTION}), id="q-number"),
    pytest.param(json.dumps({"q": GOOD_ID, "l": 123, "t": PHOTO_QUESTION}), id="l-number"),
    pytest.param(json.dumps({"q": GOOD_ID, "l": "fr", "t": PHOTO_QUESTION}), id="l-unknown"),
    pytest.param(json.dumps({"q": GOOD_ID, "l": "de", "t": ["x"]}), id="t-list"),
    pytest.param(json.dumps({"q": GOOD_ID, "l": "de", "v": ["x"], "t": "x"}), id="v-list"),
    pytest.param(json.dumps({"q": GOOD_ID, "l": "de", "r": "<!here>", "t": "x"}), id="r-markup"),
    pytest.param(json.dumps({"q": GOOD_ID, "c": GOOD_ID, "l": "de", "t": "x", "zz": 1}), id="unknown-field"),
]


def _button(action_id: str, value: str) -> dict:
    return {"action_id": action_id, "value": value}


@pytest.mark.parametrize("value", GARBAGE)
@pytest.mark.parametrize(
    "action_id",
    [blocks.ASK_TEAM, blocks.HELPFUL, blocks.NOT_HELPFUL, blocks.SHARE, case_blocks.CLAIM, case_blocks.RESOLVE],
)
def test_a_garbage_button_value_gets_a_polite_note(http_bot, caplog, action_id, value):
    with caplog.at_level(logging.INFO):
        url = http_bot.slack.response_url("garbage")
        http_bot.send_interaction(payloads.block_action(_button(action_id, value), url, channel="D0DM"))
        [told] = http_bot.slack.wait_for("response_url", _url="/response/garbage", timeout=10)
    assert POLITE in told.text and told.params["response_type"] == "ephemeral"
    assert not http_bot.slack.of("chat.postMessage") and not http_bot.slack.of("views.open")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("callback_id", [blocks.REASON_VIEW, case_blocks.RESOLVE_VIEW, case_blocks.HANDOFF_VIEW])
@pytest.mark.parametrize("metadata", ["not json", json.dumps({"c": "<!channel>"}), json.dumps({"q": GOOD_ID, "l": 1})])
def test_a_garbage_modal_metadata_gets_a_polite_note(http_bot, caplog, callback_id, metadata):
    view = {"type": "modal", "callback_id": callback_id, "private_metadata": metadata, "blocks": []}
    with caplog.at_level(logging.INFO):
        reply = http_bot.send_interaction(payloads.submitted_view(view, {}))
    assert reply["response_action"] == "update" and POLITE in json.dumps(reply["view"], ensure_ascii=False)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.fixture
def two_contacts_bot(bot_factory, tmp_path):
    routing = ROUTING.replace(
        "default_contact:",
        f"  legal:\n    name: {{de: Rechtsabteilung, en: Legal}}\n    slack_id: {LEGAL}\ndefault_contact:",
    )
    service = make_service(tmp_path / "kb", small_kb_files() | {"routing.yaml": routing})
    return bot_factory("http", service=service)


def test_the_route_comes_from_the_answer_not_the_button(two_contacts_bot):
    bot = two_contacts_bot
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION)))
    [answer] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    forged = answer.buttons()["ask_team"]
    forged["value"] = json.dumps({**unpack_value(forged["value"]), "r": "legal"})
    bot.send_interaction(payloads.block_action(forged, bot.slack.response_url("ask"), channel="D0DM"))
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    assert "> Darf ich Fotos vom Sommerfest posten?" in case.text
    assert not bot.slack.of("chat.postMessage", channel=LEGAL)


def test_a_case_id_the_bot_did_not_issue_opens_no_case(http_bot):
    value = json.dumps({"q": "mine", "l": "de", "t": PHOTO_QUESTION})
    http_bot.send_interaction(payloads.block_action(_button(blocks.ASK_TEAM, value), http_bot.slack.response_url("x")))
    [told] = http_bot.slack.wait_for("response_url", _url="/response/x", timeout=10)
    assert POLITE in told.text
    assert not http_bot.slack.of("chat.postMessage") and http_bot.store is not None
