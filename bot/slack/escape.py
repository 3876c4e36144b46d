"""Showing text in Slack mrkdwn: escape it so it never pings or disguises a link, and cut it cleanly."""

from __future__ import annotations

import re

from bot.entities import decode_entities

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def from_slack(text: str) -> str:
    """Slack's message text as typed (bot/entities.py): decoded once; markup such as ``<@U…>`` stays."""
    return decode_entities(text)


def escape(text: str) -> str:
    """Escape &, < and >: ``<!channel>``, ``<@U…>`` and ``<https://evil|bank>`` show as typed."""
    return "".join(_ENTITIES.get(ch, ch) for ch in text or "")


def cut(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` in at most ``limit`` characters, cut at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    return _word_trim(text[: max(0, limit - len(ellipsis))]) + ellipsis


_CUT_ENTITY = re.compile(r"&(?:a|am|amp|l|lt|g|gt)?$")


def _word_trim(head: str) -> str:
    """Drop a partial last word (when a boundary is near), trailing punctuation and an entity
    the cut or the punctuation split (``&am``, ``&lt``): Slack would show it as typed characters."""
    space = head.rfind(" ")
    if space > len(head) * 2 // 3:
        head = head[:space]
    return _CUT_ENTITY.sub("", head.rstrip(" ,;:.\n")).rstrip(" ,;:.\n")


def escape_cut(text: str, limit: int, ellipsis: str = "…") -> str:
    """Escape ``text`` and cut it so the escaped form fits ``limit``, never inside an entity."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    budget, size, end = max(0, limit - len(ellipsis)), 0, 0
    while end < len(text) and size + len(_ENTITIES.get(text[end], text[end])) <= budget:
        size += len(_ENTITIES.get(text[end], text[end]))
        end += 1
    return escape(_word_trim(text[:end])) + ellipsis


def quote(text: str, limit: int, highlight: str | None = None) -> str:
    """A mrkdwn block quote of ``text`` (escaped), at most ``limit`` characters in all; the
    ``highlight`` (a sentence of it) in bold where it survives the cut."""
    bold = escape(highlight.replace("*", "")).strip() if highlight else ""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    out: list[str] = []
    used = 0
    for line in lines:
        room = limit - used - 3  # "> " and the newline
        if room < 20:
            if out and not out[-1].endswith("…"):
                out[-1] += "…"
            break
        piece = escape_cut(line, room)
        used += len(piece) + 3
        if bold and bold in piece:
            piece, bold = piece.replace(bold, f"*{bold}*", 1), ""
        out.append("> " + piece)
        if piece.endswith("…") and not line.endswith("…"):
            break
    return "\n".join(out)


_MARKUP = re.compile(r"<([^<>]*)>")


def relayed(text: str) -> str:
    """A person's Slack message as the bot passes it on: mentions of people and channels stay,
    broadcasts and group pings become plain text that pings nobody (@channel, @legal), a link
    shows its address next to its label. Literal <, > and & arrive escaped from Slack already."""

    def one(match: re.Match) -> str:
        body = match.group(1)
        if body[:2] in ("@U", "@W", "#C", "#G"):
            return match.group(0)
        target, _, label = body.partition("|")
        if body.startswith("!"):
            return label or "@" + target[1:].split("^")[0]
        return f"{label} ({target})" if label and label != target else target

    return _MARKUP.sub(one, text or "")
