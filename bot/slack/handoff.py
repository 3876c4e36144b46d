"""Where a case goes (the contact that routing.yaml names for its topic), and how the asker is
told. Posting, retrying and everything after is the CaseDesk's (casedesk.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.knowledge.routing import ResolvedContact, Routing
from bot.slack.blocks import contact_mention
from bot.slack.escape import escape
from bot.slack.texts import text


@dataclass(frozen=True)
class Handoff:
    """Where a case went, and how to tell the asker. ``opened``: a case is stored, so the outbox
    keeps trying to post it (False when the store failed or the contact has no Slack conversation
    to post to: then nothing keeps trying, and the note says so); ``delivered``: the team has the
    message; ``replies``: where the asker hears back: in this conversation ("here") or in a DM thread."""

    contact: ResolvedContact
    delivered: bool
    language: str
    opened: bool = False
    replies: Literal["here", "dm", ""] = ""
    unconfirmed: bool = False  # the store did not answer in time: it may still be stored

    def note(self, case_id: str) -> str:
        who = contact_label(self.contact, self.language)
        if self.delivered:
            follow = {
                "here": " " + text("handed_off_follow", self.language),
                "dm": " " + text("handed_off_dm", self.language),
            }.get(self.replies, "")
            return f":envelope_with_arrow: {text('handed_off', self.language, contact=who, case=case_id)}{follow}"
        if self.opened:  # stored: the outbox posts it when Slack lets it
            fallback = escape(self.contact.email) if self.contact.email else who
            return f":warning: {text('handoff_failed', self.language, contact=who, fallback=fallback)}"
        fallback = f"{who}, {escape(self.contact.email)}" if self.contact.email else who
        key = "handoff_unconfirmed" if self.unconfirmed else "handoff_not_stored"
        return f":warning: {text(key, self.language, contact=who, fallback=fallback)}"


def contact_label(contact: ResolvedContact, language: str) -> str:
    """The contact's name and Slack mention: "Social media team (#social-media)"."""
    name = escape(contact.display_name(language))
    mention = contact_mention(contact.slack_id)
    return f"{name} ({mention})" if mention else name


def target_of(contact: ResolvedContact, routing: Routing) -> tuple[str | None, str]:
    """(conversation to post in, group to ping there). A user group has no conversation of its
    own: its case goes to the default contact's channel, pinging the group."""
    if contact.kind == "usergroup":
        default = routing.default
        return (default.slack_id if default.kind == "channel" else None), contact_mention(contact.slack_id)
    return contact.slack_id, ""
