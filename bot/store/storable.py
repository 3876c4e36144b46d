"""Text as the store can hold it. Every text column goes through ``CleanText``: NUL is dropped
(PostgreSQL refuses it in text) and lone surrogates become U+FFFD (no UTF-8 encoder writes them).
Free-text columns (a question, an answer, a note) are ``CappedText``: a text over ``MAX_CHARS`` keeps
its beginning and its end (where a question usually is) around a marker that says how much was cut.
Both work on the way in, in one place, so no caller can forget them."""

from __future__ import annotations

import re

from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

MAX_CHARS = 40_000  # Slack's own limit of one message's text; nothing longer came from one person
KEEP_END = 4_000  # characters kept from the end of a capped text
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MARKER = "\n\n[… {cut} characters cut: too long to store …]\n\n"


def clean(value: str) -> str:
    """``value`` without NUL, lone surrogates replaced by U+FFFD."""
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value)


def cap(value: str, limit: int = MAX_CHARS) -> str:
    """``value`` if it is at most ``limit`` characters, else its beginning and its last
    ``KEEP_END`` characters around a marker naming how many were cut, ``limit`` characters in all."""
    if len(value) <= limit:
        return value
    end, cut = min(KEEP_END, limit // 4), len(value) - limit
    for _ in range(3):  # the marker's length depends on the number it names
        marker = MARKER.format(cut=f"{cut:,}")
        head = limit - end - len(marker)
        cut = len(value) - head - end
    return value[:head] + marker + value[len(value) - end :]


def storable(value: str | None, limit: int | None = MAX_CHARS) -> str | None:
    """What the store keeps of ``value``: cleaned, and capped at ``limit`` characters (None: uncapped)."""
    if value is None:
        return None
    value = clean(str(value))
    return cap(value, limit) if limit else value


class CleanText(TypeDecorator):
    """TEXT that never holds NUL or lone surrogates (for JSON too: cutting JSON would break it)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return storable(value, None)


class CappedText(TypeDecorator):
    """TEXT for what a person wrote: cleaned, and capped at ``MAX_CHARS``."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return storable(value)
