"""Slack's three entities in text it sent: ``&amp;``, ``&lt;`` and ``&gt;``. The store keeps a
question as Slack delivered it; whoever shows it again (the Slack adapter, the team's CLI)
decodes it once with this, then escapes it for where it goes."""

from __future__ import annotations

import re

_DECODE = re.compile(r"&(amp|lt|gt);")
_CHARACTERS = {"amp": "&", "lt": "<", "gt": ">"}


def decode_entities(text: str | None) -> str:
    """The text as typed: the three entities decoded once, in one pass, so a typed ``&lt;``
    (sent as ``&amp;lt;``) stays ``&lt;``. Markup such as ``<@U…>`` stays."""
    return _DECODE.sub(lambda match: _CHARACTERS[match.group(1)], text or "")
