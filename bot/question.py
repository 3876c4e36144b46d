"""Question clean-up: Slack markup, emoji codes and links out; a bounded length; the language."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.language import Language, detect_language, foreign_language

MAX_QUESTION_CHARS = 2000

_USER = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#C[A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(?:channel|here|everyone)(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>|<![^>]*>")
_LINK = re.compile(r"<((?:https?|mailto|tel):[^|>]*)(?:\|([^>]*))?>")
_BARE_URL = re.compile(r"\bhttps?://\S+")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-']+:(?::skin-tone-\d:)?")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")
_WORDS = re.compile(r"[^\W_]{2,}", re.UNICODE)


@dataclass(frozen=True)
class Question:
    """A question ready for retrieval."""

    original: str
    text: str
    language: Language
    truncated: bool
    foreign: str | None = None  # asked in a language the bot does not answer in (e.g. "fr")

    @property
    def empty(self) -> bool:
        return not _WORDS.search(self.text)


def strip_slack_markup(text: str) -> str:
    """Remove mentions, channel links, broadcasts and emoji; keep link labels (not their URLs)."""
    text = _USER.sub(" ", text)
    text = _CHANNEL.sub(lambda m: f" {m.group(1)} " if m.group(1) else " ", text)
    text = _SPECIAL.sub(" ", text)
    text = _LINK.sub(lambda m: f" {m.group(2)} " if m.group(2) else " ", text)
    text = _BARE_URL.sub(" ", text)
    text = _EMOJI_CODE.sub(" ", text)
    text = _EMOJI.sub(" ", text)
    text = re.sub(r"(?m)^\s*&gt;\s?", " ", text)  # mrkdwn quote markers at line starts
    text = re.sub(r"[*_~`]+", " ", text)  # mrkdwn emphasis
    text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


def prepare(raw: str, max_chars: int = MAX_QUESTION_CHARS) -> Question:
    """Clean ``raw``; answer long texts on a bounded prefix cut at a word boundary."""
    text = strip_slack_markup(raw or "")
    truncated = len(text) > max_chars
    if truncated:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > max_chars // 2 else max_chars]
    foreign = foreign_language(text) if text else None
    language = "en" if foreign else (detect_language(text) if text else "en")  # English: the likelier to be read
    return Question(original=raw or "", text=text, language=language, truncated=truncated, foreign=foreign)


def draft_text(raw: str) -> str:
    """The draft as it would be posted, for the checks: link targets spelled out (internal links
    are a finding), mentions and broadcasts kept as written (the adapter escapes them on display),
    entities decoded."""
    text = _CHANNEL.sub(lambda m: f"#{m.group(1)}" if m.group(1) else m.group(0), raw or "")
    text = _LINK.sub(
        lambda m: (
            m.group(1).removeprefix("mailto:").removeprefix("tel:")
            + (f" ({m.group(2)})" if m.group(2) and m.group(2) not in m.group(1) else "")
        ),
        text,
    )
    return html.unescape(text).strip()


_QUOTED = re.compile(
    r"„([^“”]{20,})[“”]|“([^”]{20,})”|\"([^\"]{20,})\"|«([^»]{20,})»|»([^«]{20,})«"
    r"|(?<![\w'])'([^']{20,})'(?![\w'])|‚([^‘’]{20,})[‘’]",
    re.DOTALL,
)


def extract_draft(raw: str) -> str | None:
    """The draft post inside a question ("Kann ich das so posten: „…“", a quoted block), if any."""
    quoted = [line[1:].strip() for line in (raw or "").splitlines() if line.startswith(">")]
    if quoted:
        return "\n".join(quoted)
    quoted = re.findall(r"(?m)^\s*&gt;\s?(.*)$", raw or "")
    if quoted:
        return "\n".join(quoted)
    matches = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(raw or "")]
    return max(matches, key=len) if matches else None


_QUESTION_START = re.compile(
    r"^\s*(darf|dürfen|kann|können|könnte|soll|sollte|muss|ist|sind|gibt|wie|was|wer|wo|wann|warum|"
    r"may|can|could|should|must|is|are|am|do|does|how|what|who|where|when|why|quick q|frage|question)\b",
    re.IGNORECASE,
)


_ASKING_START = re.compile(
    r"^\s*(darf|dürfen|kann|können|könnte|soll|sollte|muss|may|can|could|should|must|quick q|frage|question)\b",
    re.IGNORECASE,
)


def asks(raw: str) -> bool:
    """The text asks something: a question mark, or it starts by asking ("Darf ich …"). "Was für
    ein Tag!" and "What a view" are exclamations, so question words alone do not count."""
    text = strip_slack_markup(raw or "")
    return "?" in text or bool(_ASKING_START.match(text))


def looks_like_draft(raw: str) -> bool:
    """A pasted post rather than a question: no question mark, not phrased as a question, and
    long enough to be a post (so "/mayipost Unser Q3-Umsatz: +12 %! #nordhafen" is checked)."""
    text = strip_slack_markup(raw or "")
    return "?" not in text and not _QUESTION_START.match(text) and len(_WORDS.findall(text)) >= 5
