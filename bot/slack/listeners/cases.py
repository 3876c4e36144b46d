"""The buttons on a case message (Claim, Hand off, Resolve, Add to FAQ) and their modals. Each
change is stored first, then acknowledged (within ACK_WITHIN, stored or not), then delivered;
whoever may not act, or comes too late, is told why, privately and politely."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from slack_bolt import App

from bot.escalation.model import (
    RESOLUTION_VERDICTS,
    AlreadyClaimed,
    AlreadyResolved,
    AlreadyYours,
    Case,
    CaseError,
    InvalidHandoff,
    NotATeamMember,
    UnknownCase,
    check_hand_off,
    check_propose,
    check_resolve,
)
from bot.slack import blocks, case_blocks
from bot.slack.answering import Answering
from bot.slack.asker import new_id
from bot.slack.casedesk import CaseDesk
from bot.slack.listeners.posting import bad_button, privately, refuse_button
from bot.slack.pending import ACK_WITHIN, Pending
from bot.slack.texts import text

log = logging.getLogger(__name__)


def refusal(error: CaseError, language: str, desk: CaseDesk, case: Case | None) -> str:
    """What the person who pressed a button is told when the action cannot happen."""
    if isinstance(error, NotATeamMember):
        who = desk.team.describe(desk.contact(case) if case else None) or text("team_nobody", language)
        return text("not_member", language, who=who)
    if isinstance(error, AlreadyClaimed):
        return text("has_it", language, owner=error.owner)
    if isinstance(error, AlreadyYours):
        return text("yours", language)
    if isinstance(error, AlreadyResolved):
        return text("resolved_already", language, user=error.resolved_by)
    if isinstance(error, InvalidHandoff):
        key = {"nobody": "pick_colleague", "owner": "owner_already", "outsider": "not_in_team"}[error.reason]
        return text(key, language, user=error.user)
    if isinstance(error, UnknownCase):
        return text("unknown_case", language)
    return text("case_busy", language)


def register(app: App) -> None:
    app.action(case_blocks.CLAIM)(on_claim)
    app.action(case_blocks.HAND_OFF)(on_hand_off_button)
    app.action(case_blocks.RESOLVE)(on_resolve_button)
    app.action(case_blocks.ADD_TO_FAQ)(on_add_to_faq_button)
    app.view(case_blocks.HANDOFF_VIEW)(on_hand_off)
    app.view(case_blocks.RESOLVE_VIEW)(on_resolve)
    app.view(case_blocks.FAQ_VIEW)(on_add_to_faq)


# -- buttons -------------------------------------------------------------------------------------------
def on_claim(ack, body: dict, action: dict, respond, answering: Answering) -> None:
    ack()
    act(answering.desk, body, action, respond, _claim)


def on_hand_off_button(ack, body: dict, action: dict, respond, client, answering: Answering) -> None:
    ack()
    act(answering.desk, body, action, respond, partial(_open_modal, client, body, _may_hand_off, _handoff_view))


def on_resolve_button(ack, body: dict, action: dict, respond, client, answering: Answering) -> None:
    ack()
    act(answering.desk, body, action, respond, partial(_open_modal, client, body, _may_resolve, _resolve_view))


def on_add_to_faq_button(ack, body: dict, action: dict, respond, client, answering: Answering) -> None:
    ack()
    act(answering.desk, body, action, respond, partial(_open_modal, client, body, check_propose, _faq_view))


def act(desk: CaseDesk, body: dict, action: dict, respond, run: Callable[[CaseDesk, Case, str], None]) -> None:
    """Find the case of a button, run ``run`` (which raises CaseError to refuse), tell refusals."""
    data = blocks.unpack_value(action.get("value"), "c")
    if data is None:
        refuse_button(respond, body, action)
        return
    language, user = data.get("l", "de"), body["user"]["id"]
    case = None
    try:
        case = desk.cases.require(data["c"])
        language = case.language
        run(desk, case, user)
    except CaseError as error:
        log.info("case %s: %s refused for %s: %s", data.get("c"), action.get("action_id"), user, type(error).__name__)
        privately(respond)(blocks.notice(refusal(error, language, desk, case)))
    except Exception:
        failure = new_id()
        log.exception("case %s: %s failed: failure=%s", data.get("c"), action.get("action_id"), failure)
        privately(respond)(blocks.notice(text("case_failed", language, case=failure)))


def _claim(desk: CaseDesk, case: Case, user: str) -> None:
    desk.claim(case.id, user)
    desk.deliver(case.id)


def _open_modal(
    client,
    body: dict,
    check: Callable[[Case, str, bool], None],
    modal: Callable[[CaseDesk, Case], dict],
    desk: CaseDesk,
    case: Case,
    user: str,
) -> None:
    """A button that opens a modal, after refusing at once whoever may not use it."""
    check(case, user, desk.member(case, user))
    client.views_open(trigger_id=body["trigger_id"], view=modal(desk, case))


def _may_hand_off(case: Case, user: str, member: bool) -> None:
    if not member:
        raise NotATeamMember("only the team may hand off a case")
    if case.state == "resolved":
        raise AlreadyResolved(case.resolved_by)


def _may_resolve(case: Case, user: str, member: bool) -> None:
    check_resolve(case, user, member, "…")


def _handoff_view(desk: CaseDesk, case: Case) -> dict:
    return case_blocks.handoff_modal(case)


def _resolve_view(desk: CaseDesk, case: Case) -> dict:
    return case_blocks.resolve_modal(case)


def _faq_view(desk: CaseDesk, case: Case) -> dict:
    return case_blocks.faq_modal(case, desk.section_options(case.language))


# -- modals ------------------------------------------------------------------------------------------
def on_hand_off(ack, body: dict, view: dict, answering: Answering) -> None:
    submission(answering.desk, body, view, ack, _hand_off)


def on_resolve(ack, body: dict, view: dict, answering: Answering) -> None:
    submission(answering.desk, body, view, ack, _resolve)


def on_add_to_faq(ack, body: dict, view: dict, answering: Answering) -> None:
    submission(answering.desk, body, view, ack, _add_to_faq)


def submission(
    desk: CaseDesk, body: dict, view: dict, ack, run: Callable[[CaseDesk, Case, str, dict], dict | None]
) -> None:
    """A submitted case modal: store the change, acknowledge (closing the modal, or showing
    what is wrong next to the field), then deliver. If the store takes longer than
    ``ACK_WITHIN``, the modal is acknowledged with a notice at once and the change finishes,
    and is delivered, on its own thread: Slack never waits for the database."""
    data = blocks.unpack_value(view.get("private_metadata"), "c")
    if data is None:
        ack(response_action="update", view=case_blocks.notice_view(bad_button(body, "case form")))
        return
    user, language = body["user"]["id"], data.get("l", "de")
    pending = Pending(lambda: _store(desk, data, user, view, run), lambda done: _deliver(desk, data["c"], done))
    if pending.wait(ACK_WITHIN):
        reply, stored = pending.result
        ack(**reply)
        if stored:
            desk.deliver(data["c"])
        return
    log.warning(
        "case %s: %s not stored after %.0f s; acknowledged, it finishes in the background",
        data.get("c"),
        view.get("callback_id"),
        ACK_WITHIN,
    )
    ack(response_action="update", view=case_blocks.notice_view(text("case_pending", language)))


def _deliver(desk: CaseDesk, case_id: str, done: tuple[dict, bool]) -> None:
    if done[1]:
        desk.deliver(case_id)


def _store(desk: CaseDesk, data: dict, user: str, view: dict, run) -> tuple[dict, bool]:
    """The change stored: (what to acknowledge with, whether there is something to deliver)."""
    language = data.get("l", "de")
    case = None
    try:
        case = desk.cases.get(data["c"])
        if case is None:
            raise UnknownCase("no case")
        reply = run(desk, case, user, case_blocks.submitted(view))
    except _Invalid as error:
        return {"response_action": "errors", "errors": {error.block: str(error)}}, False
    except InvalidHandoff as error:
        errors = {case_blocks.TO_BLOCK: refusal(error, language, desk, case)}
        return {"response_action": "errors", "errors": errors}, False
    except CaseError as error:
        notice = case_blocks.notice_view(refusal(error, language, desk, case))
        return {"response_action": "update", "view": notice}, False
    except Exception:
        failure = new_id()
        log.exception("case %s: %s failed: failure=%s", data.get("c"), view.get("callback_id"), failure)
        notice = case_blocks.notice_view(text("case_failed", language, case=failure))
        return {"response_action": "update", "view": notice}, False
    return ({"response_action": "update", "view": reply} if reply else {}), True


def _hand_off(desk: CaseDesk, case: Case, user: str, values: dict) -> None:
    to = values.get(case_blocks.TO_BLOCK)
    check_hand_off(case, user, desk.member(case, user), to, desk.member(case, to))
    desk.hand_off(case.id, user, to, values.get(case_blocks.NOTE_BLOCK))


def _resolve(desk: CaseDesk, case: Case, user: str, values: dict) -> None:
    answer = str(values.get(case_blocks.ANSWER_BLOCK) or "").strip()
    if not answer:
        raise _Invalid(
            case_blocks.ANSWER_BLOCK, text("faq_invalid", case.language, problem=text("answer_label", case.language))
        )
    verdict = values.get(case_blocks.VERDICT_BLOCK)
    desk.resolve(case.id, user, answer, verdict if verdict in RESOLUTION_VERDICTS else None)


def _add_to_faq(desk: CaseDesk, case: Case, user: str, values: dict) -> dict:
    lang = case.language
    questions = [q.strip() for q in str(values.get(case_blocks.QUESTIONS_BLOCK) or "").splitlines() if q.strip()]
    answer = str(values.get(case_blocks.ANSWER_BLOCK) or "").strip()
    sections = values.get(case_blocks.SECTIONS_BLOCK) or []
    if isinstance(sections, str):
        sections = [a.strip() for a in sections.split(",") if a.strip()]
    known = {anchor for anchor, _ in desk.section_options(lang)}
    for block, missing, label in (
        (case_blocks.QUESTIONS_BLOCK, not questions, "faq_questions"),
        (case_blocks.ANSWER_BLOCK, not answer, "answer_label"),
        (case_blocks.SECTIONS_BLOCK, not sections or not set(sections) <= known, "faq_sections"),
    ):
        if missing:
            raise _Invalid(block, text("faq_invalid", lang, problem=text(label, lang)))
    entry = desk.propose_faq(
        case.id, user, questions, answer, str(values.get(case_blocks.VERDICT_BLOCK)), list(sections)
    )
    return case_blocks.notice_view(text("faq_saved", lang, entry=entry))


class _Invalid(Exception):
    """A modal field the person must fix; the message is shown next to it."""

    def __init__(self, block: str, message: str) -> None:
        self.block = block
        super().__init__(message)
