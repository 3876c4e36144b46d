"""Block Kit for cases, built by pure functions: the case message as its state changes, the
modals behind its buttons, and what the asker hears (notices, the team's replies, the answer
with feedback buttons). Every text a person wrote is escaped or passed through ``relayed``."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Literal

from bot.escalation.model import RESOLUTION_VERDICTS, Case, answer_from_snapshot
from bot.slack import blocks
from bot.slack.blocks import (
    HELPFUL,
    MAX_BLOCKS,
    MAX_SECTION_TEXT,
    METADATA_CHARS,
    NOT_HELPFUL,
    CaseSummary,
    Message,
    button,
    context,
    pack_value,
    section,
)
from bot.slack.escape import cut, escape, escape_cut, from_slack, quote, relayed
from bot.slack.texts import text

CLAIM, HAND_OFF, RESOLVE, ADD_TO_FAQ = "case_claim", "case_hand_off", "case_resolve", "case_add_to_faq"
HANDOFF_VIEW, RESOLVE_VIEW, FAQ_VIEW = "case_hand_off_view", "case_resolve_view", "case_faq_view"
TO_BLOCK, NOTE_BLOCK, ANSWER_BLOCK, VERDICT_BLOCK = "to", "note", "answer", "verdict"
QUESTIONS_BLOCK, SECTIONS_BLOCK = "questions", "sections"
INPUT = "input"  # the action_id of the element inside every input block
CASE_EVENT = "guidelines_bot_case"  # message metadata that marks a case message
MAX_OPTIONS = 100
RELAY_CHARS = 2800


def slack_time(at: datetime) -> str:
    """A time every reader sees in their own time zone."""
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{at:%Y-%m-%d %H:%M} UTC>"


def case_value(case: Case) -> str:
    return pack_value({"c": case.id, "l": case.language})


# -- the case message ------------------------------------------------------------------------------
def case_message(case: Case, where: str, docs_url: str | None = None) -> Message:
    """The case as the team sees it: question, draft, what the bot found, its state, the buttons
    that fit the state."""
    lang = case.language
    answer = answer_from_snapshot(case.question or "", lang, case.found)
    asked = from_slack(case.question) or "…"
    summary = CaseSummary(case.id, case.asker, where, asked, lang, answer, mention=case.team_ping or "")
    base = blocks.case_message(summary, docs_url)
    out = list(base.blocks)
    draft = answer.draft.strip() if answer and answer.draft else ""
    if draft and draft != (case.question or "").strip():
        out.insert(2, section(f"*{text('case_draft', lang)}*\n{quote(draft, 1500)}"))
    out += status_blocks(case)
    buttons = case_buttons(case)
    if buttons:
        out.append({"type": "actions", "block_id": f"case-{case.id}", "elements": buttons})
    return Message(base.text, out[:MAX_BLOCKS])


def status_blocks(case: Case) -> list[dict]:
    lang = case.language
    if case.state == "open":
        out = [section(text("case_open", lang))]
    elif case.state == "claimed":
        out = [section(text("case_claimed", lang, owner=case.owner, since=slack_time(case.assigned_at)))]
    elif case.resolved_by == "bot":  # closed unresolved by the retention (CaseService.purge)
        out = [section(text("case_closed_idle", lang, since=slack_time(case.resolved_at)))]
    else:
        head = text("case_resolved", lang, user=case.resolved_by, since=slack_time(case.resolved_at))
        verdict = case.resolution_verdict
        label = f" {blocks.VERDICT_EMOJI[verdict]} *{text(f'verdict_{verdict}', lang)}*" if verdict else ""
        out = [section(f"{head}{label}\n{quote(case.resolution or '…', MAX_SECTION_TEXT - 300)}")]
    if case.faq_entry:
        out.append(context(text("case_faq", lang, entry=escape(case.faq_entry))))
    if case.state != "resolved":
        out.append(context(text("case_hint", lang, asker=case.asker)))
    return out


def case_buttons(case: Case) -> list[dict]:
    lang, value = case.language, case_value(case)
    out = []
    if case.resolved_by == "bot":  # closed unresolved, its texts deleted: nothing left to do or propose
        return out
    if case.state == "open":
        out.append(button(":raising_hand: " + text("claim", lang), CLAIM, value, style="primary"))
    if case.state != "resolved":
        out.append(button(":arrows_counterclockwise: " + text("hand_off", lang), HAND_OFF, value))
        out.append(button(":white_check_mark: " + text("resolve", lang), RESOLVE, value))
    out.append(button(":books: " + text("add_to_faq", lang), ADD_TO_FAQ, value))
    return out


# -- in the case thread ----------------------------------------------------------------------------
def handoff_note(case: Case, actor: str, to: str, note: str | None) -> Message:
    says = text("handoff_note", case.language, actor=actor, to=to)
    body = f"{says}\n{quote(note, 1500)}" if note else says
    return blocks.notice(body)


def from_asker(case: Case, author: str, message_text: str, edited: bool = False) -> Message:
    mark = f" {text('relay_edited', case.language)}" if edited else ""
    return blocks.notice(f"{text('from_asker', case.language, user=author)}{mark}\n{_relay(message_text)}")


def reminder(case: Case, payload: dict, waited: str) -> Message:
    lang = case.language
    if payload.get("kind") == "unclaimed":
        ping = f"{case.team_ping} " if case.team_ping else ""
        return blocks.notice(text("remind_unclaimed", lang, ping=ping, waited=waited))
    return blocks.notice(text("remind_owner", lang, owner=case.owner, asker=case.asker, waited=waited))


# -- the asker's side --------------------------------------------------------------------------------
def asker_opened(case: Case, contact: str, follow: Literal["here", "quote"]) -> Message:
    """The notice that the question is with the team; quotes the question when it starts a
    conversation of its own (a DM thread for questions asked by command or shortcut)."""
    lang = case.language
    says = text("handed_off", lang, contact=contact, case=case.id)
    body = f":envelope_with_arrow: {says} {text('handed_off_follow', lang)}"
    if follow == "quote":
        body += f"\n*{text('your_question', lang)}*\n{quote(from_slack(case.question) or '…', 1500)}"
    return blocks.notice(body)


def asker_claimed(case: Case, owner: str, contact: str, handed: bool) -> Message:
    key = "asker_handed" if handed else "asker_claimed"
    return blocks.notice(text(key, case.language, owner=owner, contact=contact, case=case.id))


def from_team(case: Case, author: str, contact: str, message_text: str, edited: bool = False) -> Message:
    mark = f" {text('relay_edited', case.language)}" if edited else ""
    head = text("from_team", case.language, user=author, contact=contact)
    return blocks.notice(f"{head}{mark}\n{_relay(message_text)}")


def resolution(case: Case, contact: str) -> Message:
    """The team's answer, with the feedback buttons every answer has; for a case the retention
    closed unanswered, that it was closed and how to ask again."""
    lang, verdict = case.language, case.resolution_verdict
    if case.resolved_by == "bot":
        return blocks.notice(text("asker_closed_idle", lang, case=case.id, contact=contact))
    head = f"*{text('team_answer', lang, user=case.resolved_by, contact=contact)}*"
    if verdict:
        head = f"{blocks.VERDICT_EMOJI[verdict]} *{text(f'verdict_{verdict}', lang)}*\n{head}"
    body = escape_cut(case.resolution or "", MAX_SECTION_TEXT - len(head) - 10)
    value = pack_value({"q": case.id, "l": lang, "v": verdict})
    out = [
        section(f"{head}\n{body}"),
        context(text("case_closed", lang, case=case.id)),
        {
            "type": "actions",
            "block_id": f"resolution-{case.id}",
            "elements": [
                button(":+1: " + text("helpful", lang), HELPFUL, value),
                button(":-1: " + text("not_helpful", lang), NOT_HELPFUL, value),
            ],
        },
    ]
    fallback = f"{text('team_answer', lang, user=case.resolved_by, contact=contact)}: {escape(case.resolution or '')}"
    return Message(cut(fallback, blocks.FALLBACK_CHARS), out)


def _relay(message_text: str) -> str:
    return cut(relayed(message_text), RELAY_CHARS) or "…"


# -- modals ---------------------------------------------------------------------------------------------
def _modal(callback_id: str, case: Case, title_key: str, body: list[dict], submit_key: str = "send") -> dict:
    lang = case.language
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": case_value(case)[:METADATA_CHARS],
        "title": {"type": "plain_text", "text": cut(text(title_key, lang), 24)},
        "submit": {"type": "plain_text", "text": text(submit_key, lang)},
        "close": {"type": "plain_text", "text": text("cancel", lang)},
        "blocks": body,
    }


def _input(block_id: str, label: str, element: dict, optional: bool = False) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": cut(label, 2000)},
        "element": {**element, "action_id": INPUT},
    }


def _text_input(multiline: bool = True, initial: str | None = None, max_length: int = 2900) -> dict:
    element = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    return element


def _option(label: str, value: str) -> dict:
    return {"text": {"type": "plain_text", "text": cut(label, 75)}, "value": value}


def _verdict_select(lang: str, initial: str | None, optional: bool) -> dict:
    options = [_option(text(f"verdict_{v}", lang), v) for v in RESOLUTION_VERDICTS]
    element = {"type": "static_select", "options": options}
    if initial in RESOLUTION_VERDICTS:
        element["initial_option"] = options[RESOLUTION_VERDICTS.index(initial)]
    return _input(VERDICT_BLOCK, text("verdict_label", lang), element, optional=optional)


def handoff_modal(case: Case) -> dict:
    lang = case.language
    return _modal(
        HANDOFF_VIEW,
        case,
        "handoff_title",
        [
            _input(TO_BLOCK, text("handoff_to", lang), {"type": "users_select"}),
            _input(NOTE_BLOCK, text("note_label", lang), _text_input(max_length=1000), optional=True),
        ],
    )


def resolve_modal(case: Case) -> dict:
    lang = case.language
    return _modal(
        RESOLVE_VIEW,
        case,
        "resolve_title",
        [
            section(text("resolve_answer", lang, asker=case.asker)),
            _input(ANSWER_BLOCK, text("answer_label", lang), _text_input()),
            _verdict_select(lang, None, optional=True),
            context(text("resolve_hint", lang)),
        ],
    )


def plain(message_text: str) -> str:
    """A Slack message's text as plain words (for prefilling a form)."""
    return html.unescape(relayed(message_text)).strip()


def faq_modal(case: Case, sections: list[tuple[str, str]]) -> dict:
    """ "Add to FAQ": the phrasings (the question), the answer (the resolution), the verdict and
    the guideline sections, prefilled from the case; ``sections`` are (anchor, title) pairs."""
    lang = case.language
    answer = answer_from_snapshot("", lang, case.found)
    cited = [c.anchor for c in answer.citations] if answer else []
    verdict = case.resolution_verdict or (answer.verdict if answer else None)
    if sections and len(sections) <= MAX_OPTIONS:
        options = [_option(title, anchor) for anchor, title in sections]
        element = {"type": "multi_static_select", "options": options}
        initial = [o for o in options if o["value"] in cited]
        if initial:
            element["initial_options"] = initial
    else:
        element = _text_input(multiline=False, initial=", ".join(cited), max_length=500)
    return _modal(
        FAQ_VIEW,
        case,
        "faq_title",
        [
            _input(QUESTIONS_BLOCK, text("faq_questions", lang), _text_input(initial=plain(case.question or ""))),
            _input(ANSWER_BLOCK, text("answer_label", lang), _text_input(initial=case.resolution)),
            _verdict_select(lang, verdict, optional=False),
            _input(SECTIONS_BLOCK, text("faq_sections", lang), element),
            context(text("faq_review_note", lang)),
        ],
    )


def notice_view(mrkdwn: str) -> dict:
    """A modal that only says something (after a submission, or instead of it)."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "guidelines-bot"},
        "close": {"type": "plain_text", "text": "OK"},
        "blocks": [section(mrkdwn)],
    }


def submitted(view: dict) -> dict[str, object]:
    """The values of a submitted modal by block id: text, the selected user or option, or a list
    of options."""
    out: dict[str, object] = {}
    for block_id, elements in (view.get("state") or {}).get("values", {}).items():
        element = elements.get(INPUT) or next(iter(elements.values()), {})
        if "selected_user" in element:
            out[block_id] = element.get("selected_user")
        elif "selected_options" in element:
            out[block_id] = [o["value"] for o in element.get("selected_options") or []]
        elif "selected_option" in element:
            out[block_id] = (element.get("selected_option") or {}).get("value")
        else:
            out[block_id] = element.get("value")
    return out
