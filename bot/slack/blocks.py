"""Block Kit messages and views, built by pure functions and kept within Slack's limits:
at most 50 blocks a message (100 a view), 3,000 characters a section text, 2,000 a button value."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote as url_quote

from bot.answer import Answer, Citation
from bot.slack.escape import cut, escape, escape_cut, from_slack, quote
from bot.slack.texts import text

MAX_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_CONTEXT_TEXT = 2000
MAX_BUTTON_VALUE = 2000
MAX_BUTTON_TEXT = 75
MAX_CITATIONS = 3
QUOTE_CHARS = 700
FALLBACK_CHARS = 3000
METADATA_CHARS = 3000

HELPFUL = "feedback_helpful"
NOT_HELPFUL = "feedback_not_helpful"
FEEDBACK = "feedback"  # Slack's own 👍/👎 (feedback_buttons); the value says which ("h": 1 or 0)
ASK_TEAM = "ask_team"
SHARE = "share_answer"
REASON_VIEW = "feedback_reason"
REASON_BLOCK = "reason"
REASON_INPUT = "reason_input"
CHECK_POST = "check_post"

MAX_FINDINGS = 5
SEVERITY_EMOJI = {"block": ":no_entry:", "ask_team": ":raising_hand:", "warn": ":warning:"}
VERDICT_EMOJI = {
    "allowed": ":white_check_mark:",
    "conditional": ":warning:",
    "not_allowed": ":no_entry:",
    "ask_team": ":raising_hand:",
}


@dataclass(frozen=True)
class Message:
    """What chat.postMessage, respond() or chat.postEphemeral take: blocks and a plain fallback."""

    text: str
    blocks: list[dict] = field(default_factory=list)

    def as_kwargs(self) -> dict:
        return {"text": self.text, "blocks": self.blocks}


# -- small parts ---------------------------------------------------------------------------------
def section(mrkdwn: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(mrkdwn, MAX_SECTION_TEXT)}}


def context(mrkdwn: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": cut(mrkdwn, MAX_CONTEXT_TEXT)}]}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict:
    element = {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": {"type": "plain_text", "text": cut(label, MAX_BUTTON_TEXT), "emoji": True},
    }
    if style:
        element["style"] = style
    return element


def pack_value(fields: dict, question: str | None = None, limit: int = MAX_BUTTON_VALUE) -> str:
    """A button value as compact JSON; the question text ``t`` is shortened until it fits."""
    data = {k: v for k, v in fields.items() if v is not None}
    if question is None:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))[:limit]
    room = limit
    while True:
        data["t"] = cut(question, room)
        value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= limit:
            return value
        room -= max(len(value) - limit, 10)


# What each field of a button value or modal metadata may hold. Anyone can send a block action
# with any value, so a value is used only if every field is one the bot could have written.
_ID = re.compile(r"[0-9A-Za-z_-]{1,40}")  # a question, case or failure id
ISSUED_ID = re.compile(r"[0-9a-f]{10}")  # the form of the ids the bot issues (asker.new_id)
_KEY = re.compile(r"[a-z0-9][a-z0-9_.-]{0,99}")  # an FAQ entry id or a routing topic
_FIELDS = {
    "q": lambda v: isinstance(v, str) and bool(_ID.fullmatch(v)),
    "c": lambda v: isinstance(v, str) and bool(_ID.fullmatch(v)),
    "l": lambda v: v in ("de", "en"),
    "v": lambda v: isinstance(v, str) and v in VERDICT_EMOJI,
    "f": lambda v: isinstance(v, str) and bool(_KEY.fullmatch(v)),
    "r": lambda v: isinstance(v, str) and bool(_KEY.fullmatch(v)),
    "t": lambda v: isinstance(v, str) and len(v) <= METADATA_CHARS,
    "h": lambda v: v in (0, 1) and not isinstance(v, bool),  # which of Slack's feedback buttons
}


def unpack_value(value: str | None, *required: str) -> dict | None:
    """The fields of a button value or modal metadata the bot wrote; None if it is not one: not a
    JSON object, an unknown field, a field of the wrong type or form, or a ``required`` one missing."""
    try:
        data = json.loads(value or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or any(key not in data for key in required):
        return None
    if not all(key in _FIELDS and _FIELDS[key](v) for key, v in data.items()):
        return None
    return data


def _safe_url(url: str) -> str:
    return url_quote(url, safe=":/?#=&%+~@!$,;*'()[]")


def citation_link(citation: Citation, docs_url: str | None = None) -> str | None:
    """The guideline's own URL (front matter), else GUIDELINES_BOT_DOCS_URL/<source>, with #anchor."""
    if citation.url:
        base = citation.url
    elif docs_url:
        base = f"{docs_url.rstrip('/')}/{citation.source}"
    else:
        return None
    return _safe_url(base if "#" in base else f"{base}#{citation.anchor}")


def citation_section(citation: Citation, docs_url: str | None = None, quote_chars: int = QUOTE_CHARS) -> dict:
    title = escape_cut(citation.section, 150)
    link = citation_link(citation, docs_url)
    heading = f"*<{link}|{title}>*" if link else f"*{title}*"
    path = " › ".join(escape(h) for h in citation.heading_path[:-1])
    where = f"`{escape(citation.source)}#{escape(citation.anchor)}`"
    lines = [heading + (f"  ·  {path}" if path else ""), where, quote(citation.quote, quote_chars, citation.highlight)]
    return section("\n".join(line for line in lines if line))


def highlighted_draft(answer: Answer, limit: int = 1500) -> str:
    """The checked draft, escaped, with every flagged span in bold (mrkdwn); cut to ``limit``."""
    draft = answer.draft
    spans = sorted((f.finding.start, f.finding.end) for f in answer.findings if f.finding.kind == "match")
    out, pos, size = [], 0, 0
    for start, end in spans:
        if start < pos or start >= len(draft):
            continue
        before, flagged = escape(draft[pos:start]), escape(draft[start:end].replace("*", "").strip())
        if size + len(before) + len(flagged) + 2 > limit:
            break
        out.append(before + (f"*{flagged}*" if flagged else ""))
        size += len(out[-1])
        pos = end
    rest = draft[pos:]
    out.append(escape_cut(rest, max(0, limit - size)) if rest else "")
    return "".join(out)


def findings_section(answer: Answer) -> dict:
    """What the draft checks flagged: the words, what is wrong, what to do (at most five)."""
    lang = answer.language
    lines = [f"*{text('findings', lang)}*"]
    for item in answer.findings[:MAX_FINDINGS]:
        f = item.finding
        what = f"„{escape_cut(f.matched, 120)}“: " if f.kind == "match" and f.matched else ""
        line = f"{SEVERITY_EMOJI.get(f.severity, ':warning:')} {what}{escape_cut(f.describe(lang), 300)}"
        fix = f.fix(lang)
        lines.append(line + (f"\n      _{escape_cut(fix, 400)}_" if fix else ""))
    more = len(answer.findings) - MAX_FINDINGS
    if more > 0:
        lines.append(text("more_findings", lang, n=more))
    return section("\n".join(lines))


def verdict_line(answer: Answer) -> str:
    """The verdict with its emoji; empty for a message with nothing to judge (no verdict)."""
    if answer.verdict is None:
        return ""
    label = text(f"verdict_{answer.verdict}", answer.language)
    return f"{VERDICT_EMOJI.get(answer.verdict, '')} *{label}*".strip()


def contact_mention(slack_id: str | None) -> str:
    """How Slack shows a contact: #channel, @person or @group."""
    if not slack_id:
        return ""
    if slack_id[0] in "CG":
        return f"<#{slack_id}>"
    if slack_id[0] == "S":
        return f"<!subteam^{slack_id}>"
    return f"<@{slack_id}>"


# -- messages ------------------------------------------------------------------------------------
def answer_message(
    answer: Answer,
    question_id: str,
    *,
    docs_url: str | None = None,
    buttons: bool = True,
    share: bool = False,
    ask_team: bool = True,
    checked_text: str | None = None,
    shared_by: str | None = None,
    handoff_note: str | None = None,
    feedback_text: bool = False,
    native_feedback: bool = False,
) -> Message:
    """The answer: verdict with emoji, the answer, up to three quoted citations, buttons. With
    ``native_feedback`` 👍/👎 are Slack's feedback buttons (in a context_actions block) instead of
    two buttons of ours; 👎 asks for a reason the same way."""
    lang = answer.language
    blocks: list[dict] = []
    if shared_by:
        asked = escape_cut(from_slack(answer.question), 1500)
        blocks.append(context(f"{text('shared_by', lang, user=shared_by)}: {asked}"))
    if answer.draft and any(f.finding.kind == "match" for f in answer.findings):
        blocks.append(context(f"{text('checked_post', lang)}: {highlighted_draft(answer)}"))
    elif checked_text is not None:
        blocks.append(context(f"{text('checked_post', lang)}: {escape_cut(from_slack(checked_text), 1500)}"))
    body = escape_cut(answer.answer, MAX_SECTION_TEXT - 200)
    blocks.append(section("\n".join(part for part in (verdict_line(answer), body) if part)))
    if answer.notes:
        blocks.append(context(escape(" ".join(answer.notes))))
    if answer.findings:
        blocks.append(findings_section(answer))
    citations = answer.citations[:MAX_CITATIONS]
    if citations:
        blocks.append(context(f"*{text('sources', lang)}*"))
        blocks.extend(citation_section(c, docs_url) for c in citations)
    if handoff_note:
        blocks.append(context(handoff_note))
    if buttons:
        fields = {"q": question_id, "l": lang}
        rated = {**fields, "v": answer.verdict, "f": answer.faq_id}
        kept = answer.question if feedback_text else None
        rated_value = pack_value(rated, kept)
        elements = [
            button(":+1: " + text("helpful", lang), HELPFUL, rated_value),
            button(":-1: " + text("not_helpful", lang), NOT_HELPFUL, rated_value),
        ]
        if native_feedback:
            blocks.append(feedback_buttons(rated, kept, lang))
            elements = []
        if ask_team:
            elements.append(
                button(
                    ":raising_hand: " + text("ask_team", lang),
                    ASK_TEAM,
                    pack_value({**fields, "r": answer.route}, answer.question),
                )
            )
        if share:
            elements.append(
                button(":mega: " + text("share", lang), SHARE, pack_value(fields, answer.question), style="primary")
            )
        if elements:
            blocks.append({"type": "actions", "block_id": f"answer-{question_id}", "elements": elements})
    label = text(f"verdict_{answer.verdict}", lang) if answer.verdict else ""
    fallback = f"{label}: {escape(answer.answer)}" if label else escape(answer.answer)
    return Message(cut(fallback, FALLBACK_CHARS), blocks[:MAX_BLOCKS])


def failure_message(case_id: str, language: str, question: str, question_id: str, route: str | None = None) -> Message:
    """Never silent: something failed, here is the case id and the way to the team."""
    says = text("failure", language, case=case_id)
    value = pack_value({"q": question_id, "l": language, "r": route}, question)
    blocks = [
        section(f":warning: {says}"),
        {
            "type": "actions",
            "block_id": f"failure-{case_id}",
            "elements": [button(":raising_hand: " + text("ask_team", language), ASK_TEAM, value)],
        },
    ]
    return Message(says, blocks)


def feedback_buttons(rated: dict, kept_text: str | None, language: str) -> dict:
    """Slack's native 👍/👎 under an answer; each value carries the rating and what is stored with it."""

    def choice(label: str, helpful: int) -> dict:
        return {
            "text": {"type": "plain_text", "text": text(label, language)},
            "value": pack_value({**rated, "h": helpful}, kept_text),
            "accessibility_label": text(label, language),
        }

    return {
        "type": "context_actions",
        "elements": [
            {
                "type": "feedback_buttons",
                "action_id": FEEDBACK,
                "positive_button": choice("helpful", 1),
                "negative_button": choice("not_helpful", 0),
            }
        ],
    }


def notice(mrkdwn: str) -> Message:
    """A short message of our own words (callers escape any user text in it)."""
    return Message(cut(mrkdwn, FALLBACK_CHARS), [section(mrkdwn)])


def code_report(title: str, report: str) -> Message:
    body = escape_cut(report, MAX_SECTION_TEXT - len(title) - 10)
    return Message(cut(f"{title}\n{report}", FALLBACK_CHARS), [section(f"{title}\n```{body}```")])


@dataclass(frozen=True)
class CaseSummary:
    """What the team needs to take over a question."""

    case_id: str
    asker: str
    where: str  # already mrkdwn: "<#C123>", "a DM", "/mayipost"
    question: str
    language: str
    answer: Answer | None = None
    mention: str = ""  # a user group to ping, "<!subteam^S…>"


def case_message(case: CaseSummary, docs_url: str | None = None) -> Message:
    """What the team needs to take over a question (case_blocks.case_message adds the state and buttons)."""
    lang = case.language
    ping = f"{case.mention} " if case.mention else ""
    heading = f":raising_hand: {ping}*{text('case_heading', lang)}* · `{case.case_id}`"
    blocks = [
        section(f"{heading}\n{text('case_asked', lang, user=case.asker, where=case.where)}"),
        section(quote(case.question, MAX_SECTION_TEXT - 50) or "> …"),
    ]
    answer = case.answer
    if answer is not None:
        found = (
            f"*{text('case_found', lang)}* {verdict_line(answer)} · {answer.confidence:.2f}\n"
            f"_{escape_cut(answer.reason, 1200)}_"
        )
        blocks.append(section(found))
        blocks.extend(citation_section(c, docs_url, quote_chars=300) for c in answer.citations[:MAX_CITATIONS])
    else:
        blocks.append(context(text("case_no_answer", lang)))
    fallback = f"{text('case_heading', lang)} ({case.case_id}), <@{case.asker}>: {escape(case.question)}"
    return Message(cut(fallback, FALLBACK_CHARS), blocks)


# -- views ---------------------------------------------------------------------------------------
def feedback_modal(metadata: dict, language: str) -> dict:
    """'Not helpful': a small modal asking for an optional reason."""
    return {
        "type": "modal",
        "callback_id": REASON_VIEW,
        "private_metadata": pack_value(metadata, limit=METADATA_CHARS),
        "title": {"type": "plain_text", "text": cut(text("reason_title", language), 24)},
        "submit": {"type": "plain_text", "text": text("send", language)},
        "close": {"type": "plain_text", "text": text("cancel", language)},
        "blocks": [
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": text("reason_label", language)},
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_INPUT,
                    "multiline": True,
                    "max_length": 1000,
                    "placeholder": {"type": "plain_text", "text": text("reason_hint", language)},
                },
            }
        ],
    }


def notice_view(mrkdwn: str) -> dict:
    """A modal that only says something (after a submission)."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Feedback"},
        "close": {"type": "plain_text", "text": "OK"},
        "blocks": [section(mrkdwn)],
    }


def thanks_view(language: str) -> dict:
    return notice_view(f":pray: {text('thanks', language)}")


HOME_INTRO = f"{text('home_intro', 'de')}\n{text('home_intro', 'en')}"
HOME_HOW = (
    "*So fragst du · How to ask*\n"
    "• Schreib mir hier im Tab *Nachrichten* · Write to me in the *Messages* tab\n"
    "• Erwähne mich in einem Thread · Mention me in a thread: `@guidelines-bot Darf ich …?`\n"
    "• `/mayipost <Frage oder Entwurf · question or draft>`: nur du siehst die Antwort · only you see the answer\n"
    "• Bei jeder Nachricht: ⋮ → *Check this post* · On any message: ⋮ → *Check this post*"
)


def _guideline_lines(knowledge, docs_url: str | None) -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {}
    for doc in knowledge.documents:
        for s in doc.sections:
            if s.level > 2 or not s.title:
                continue
            link = citation_link(
                Citation(doc.source, s.title, s.heading_path, s.anchor, "", 0.0, s.language, s.url), docs_url
            )
            title = escape_cut(s.title, 150)
            entry = f"<{link}|{title}>" if link else title
            lines.setdefault(s.language, []).append(f"*{entry}*" if s.level == 1 else f"• {entry}")
    return lines


def home_view(
    knowledge, docs_url: str | None = None, team: str = "", team_email: str | None = None, language: str | None = None
) -> dict:
    """The App Home tab: what the bot does, how to ask, the guideline sections, who the team is;
    in ``language`` (with its guidelines first) or, when the person's language is unknown, in both."""
    if language:
        intro, how = text("home_intro", language), text("home_how", language)
        heading, team_heading = text("home_guidelines", language), text("home_team", language)
    else:
        intro, how, heading = HOME_INTRO, HOME_HOW, "Richtlinien · Guidelines"
        team_heading = "Social-Media-Team · Social media team"
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": "guidelines-bot"}},
        section(intro),
        section(how),
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": heading}},
    ]
    names = {"de": "Deutsch", "en": "English"}
    by_language = _guideline_lines(knowledge, docs_url)
    if language in by_language:  # the person's language only, when the guidelines exist in it
        by_language = {language: by_language[language]}
    for lang, lines in sorted(by_language.items(), key=lambda item: (item[0] != language, item[0])):
        chunk = f"*{names.get(lang, lang)}*"
        for line in lines:
            if len(chunk) + len(line) + 1 > MAX_SECTION_TEXT:
                blocks.append(section(chunk))
                chunk = ""
            chunk = f"{chunk}\n{line}" if chunk else line
        blocks.append(section(chunk))
    contact = team + (f" · {escape(team_email)}" if team_email else "")
    blocks += [{"type": "divider"}, section(f"*{team_heading}*\n{contact}" if contact.strip() else f"*{team_heading}*")]
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}


# -- limits --------------------------------------------------------------------------------------
def limit_problems(blocks: list[dict], max_blocks: int = MAX_BLOCKS) -> list[str]:
    """What in ``blocks`` Slack would reject (empty when nothing)."""
    problems = [f"{len(blocks)} blocks (at most {max_blocks})"] if len(blocks) > max_blocks else []
    for i, block in enumerate(blocks):
        body = (block.get("text") or {}).get("text", "")
        if block.get("type") == "section" and not 0 < len(body) <= MAX_SECTION_TEXT:
            problems.append(f"block {i}: section text of {len(body)} characters (1 to {MAX_SECTION_TEXT})")
        for element in block.get("elements", []):
            if element.get("type") == "button":
                if len(element.get("value", "")) > MAX_BUTTON_VALUE:
                    problems.append(f"block {i}: button value of {len(element['value'])} characters")
                if len(element["text"]["text"]) > MAX_BUTTON_TEXT:
                    problems.append(f"block {i}: button text of {len(element['text']['text'])} characters")
    return problems
