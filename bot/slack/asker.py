"""Who asked, where, and the short ids of questions, cases and failures."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from bot.slack.texts import text


def new_id() -> str:
    """An id for a question, a case or a failure: short enough to read out, unique enough."""
    return secrets.token_hex(5)


@dataclass(frozen=True)
class Asker:
    """Who asked, on which surface (dm, mention, thread, command, shortcut, button), in which conversation."""

    user: str
    surface: str
    channel: str | None = None

    def where(self, language: str) -> str:
        """Where the question was asked, as mrkdwn for the team."""
        in_channel = f"<#{self.channel}>" if self.channel and self.channel[0] in "CG" else ""
        if self.surface in ("command", "shortcut"):
            return text(f"where_{self.surface}", language) + (f" · {in_channel}" if in_channel else "")
        return in_channel or text("where_dm", language)
