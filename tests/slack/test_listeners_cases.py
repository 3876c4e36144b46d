"""The case buttons' listeners called alone, as bolt would call them, with a spec'd WebClient:
whoever may not act is told why, privately, and nothing reaches Slack or the store."""

from __future__ import annotations

from unittest.mock import Mock, create_autospec

import pytest
from slack_sdk import WebClient

from bot.slack import case_blocks
from bot.slack.answering import Answering
from bot.slack.blocks import pack_value
from bot.slack.casedesk import CaseDesk
from bot.slack.listeners import cases
from bot.slack.settings import SlackSettings
from bot.slack.texts import text
from bot.store import open_store
from tests.escalation.conftest import new_case
from tests.slack.conftest import make_service

MEMBER, OUTSIDER = "U0MEMBER", "U0OUTSIDER"


@pytest.fixture
def desk(tmp_path):
    client = create_autospec(WebClient, instance=True)
    store = open_store(f"sqlite:///{tmp_path / 'bot.db'}")
    settings = SlackSettings(bot_token="xoxb-test", signing_secret="s", team_members=frozenset({MEMBER}))
    desk = CaseDesk(client, make_service(tmp_path), store, settings)
    desk.cases.open(new_case("c1"), asker_told=True)
    yield desk
    store.close()


def press(action_id: str, case_id: str, user: str) -> tuple[dict, dict]:
    body = {"user": {"id": user}, "trigger_id": "T0TRIGGER"}
    return body, {"action_id": action_id, "value": pack_value({"c": case_id, "l": "de"})}


def told(respond: Mock) -> str:
    """The text of the one private message ``respond`` was given."""
    respond.assert_called_once()
    kwargs = respond.call_args.kwargs
    assert kwargs["response_type"] == "ephemeral"
    return kwargs["text"]


def test_an_outsider_may_not_claim(desk):
    body, action = press(case_blocks.CLAIM, "c1", OUTSIDER)
    ack, respond = Mock(), Mock()
    cases.on_claim(ack, body, action, respond, Answering(desk.service, desk.cases.store, desk.settings, desk))
    ack.assert_called_once_with()
    assert told(respond).startswith(text("not_member", "de", who=f"<@{MEMBER}>")[:20])
    assert desk.cases.require("c1").state == "open"
    desk.client.chat_postMessage.assert_not_called()


def test_a_second_claim_is_told_who_has_it(desk):
    answering = Answering(desk.service, desk.cases.store, desk.settings, desk)
    desk.claim("c1", MEMBER)
    body, action = press(case_blocks.CLAIM, "c1", MEMBER)
    respond = Mock()
    cases.on_claim(Mock(), body, action, respond, answering)
    assert told(respond) == text("yours", "de")


def test_an_outsider_gets_no_hand_off_modal(desk):
    answering = Answering(desk.service, desk.cases.store, desk.settings, desk)
    body, action = press(case_blocks.HAND_OFF, "c1", OUTSIDER)
    respond = Mock()
    cases.on_hand_off_button(Mock(), body, action, respond, desk.client, answering)
    assert "<@U0MEMBER>" in told(respond)
    desk.client.views_open.assert_not_called()


def test_a_member_gets_the_hand_off_modal(desk):
    answering = Answering(desk.service, desk.cases.store, desk.settings, desk)
    body, action = press(case_blocks.HAND_OFF, "c1", MEMBER)
    respond = Mock()
    cases.on_hand_off_button(Mock(), body, action, respond, desk.client, answering)
    respond.assert_not_called()
    desk.client.views_open.assert_called_once()
    assert desk.client.views_open.call_args.kwargs["trigger_id"] == "T0TRIGGER"


def test_an_unknown_case_is_named_as_such(desk):
    answering = Answering(desk.service, desk.cases.store, desk.settings, desk)
    body, action = press(case_blocks.RESOLVE, "no-such-case", MEMBER)
    respond = Mock()
    cases.on_resolve_button(Mock(), body, action, respond, desk.client, answering)
    assert told(respond) == text("unknown_case", "de")
    desk.client.views_open.assert_not_called()


def test_a_failing_slack_call_gives_a_failure_id_not_silence(desk):
    answering = Answering(desk.service, desk.cases.store, desk.settings, desk)
    desk.client.views_open.side_effect = RuntimeError("boom")
    body, action = press(case_blocks.RESOLVE, "c1", MEMBER)
    respond = Mock()
    cases.on_resolve_button(Mock(), body, action, respond, desk.client, answering)
    assert told(respond).startswith(text("case_failed", "de", case="X").split("X")[0])
