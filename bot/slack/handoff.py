"""Posting a case to the team contact that routing.yaml names for its topic."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.knowledge.routing import ResolvedContact, Routing
from bot.slack.blocks import CaseSummary, case_message, contact_mention
from bot.slack.escape import escape
from bot.slack.texts import text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handoff:
    """Where a case went, and how to tell the asker."""

    contact: ResolvedContact
    delivered: bool
    language: str

    def note(self, case_id: str) -> str:
        name = escape(self.contact.display_name(self.language))
        mention = contact_mention(self.contact.slack_id)
        who = f"{name} ({mention})" if mention else name
        if self.delivered:
            return f":envelope_with_arrow: {text('handed_off', self.language, contact=who, case=case_id)}"
        fallback = escape(self.contact.email) if self.contact.email else who
        return f":warning: {text('handoff_failed', self.language, contact=who, fallback=fallback)}"


def target_of(contact: ResolvedContact, routing: Routing) -> tuple[str | None, str]:
    """(conversation to post in, group to ping there). A user group has no conversation of its
    own: its case goes to the default contact's channel, pinging the group."""
    if contact.kind == "usergroup":
        default = routing.default
        return (default.slack_id if default.kind == "channel" else None), contact_mention(contact.slack_id)
    return contact.slack_id, ""


def hand_off(client: WebClient, routing: Routing, route: str | None, case: CaseSummary,
             docs_url: str | None = None) -> Handoff:
    """Post ``case`` to the contact for ``route`` (a contact key; the default contact if unknown)."""
    contact = routing.contacts.get(route or "") or routing.default
    channel, mention = target_of(contact, routing)
    if not channel:
        log.warning("case %s: contact %s has no Slack conversation to post to", case.case_id, contact.key)
        return Handoff(contact, False, case.language)
    message = case_message(replace(case, mention=mention), docs_url)
    try:
        client.chat_postMessage(channel=channel, unfurl_links=False, unfurl_media=False, **message.as_kwargs())
    except SlackApiError as exc:
        log.warning("case %s: posting to contact %s failed: %s", case.case_id, contact.key,
                    exc.response.get("error"))
        return Handoff(contact, False, case.language)
    log.info("case %s: posted to contact %s", case.case_id, contact.key)
    return Handoff(contact, True, case.language)
