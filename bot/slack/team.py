"""Who is on the team: the people in GUIDELINES_BOT_TEAM_MEMBERS, the members of
GUIDELINES_BOT_TEAM_USERGROUP, and, for a case routed to a user group or a person, that group's
members or that person. Group memberships come from usergroups.users.list, cached for a while."""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.knowledge.routing import ResolvedContact
from bot.slack.blocks import contact_mention

log = logging.getLogger(__name__)
CACHE_SECONDS = 300


class TeamDirectory:
    def __init__(
        self,
        client: WebClient,
        members: frozenset[str] = frozenset(),
        usergroup: str | None = None,
        cache_seconds: float = CACHE_SECONDS,
    ) -> None:
        self.client = client
        self.members = members
        self.usergroup = usergroup
        self.cache_seconds = cache_seconds
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def is_member(self, user: str | None, contact: ResolvedContact | None = None) -> bool:
        """May ``user`` act on a case routed to ``contact``?"""
        if not user:
            return False
        if user in self.members:
            return True
        if self.usergroup and user in self.group_members(self.usergroup):
            return True
        if contact is not None and contact.kind == "usergroup":
            return user in self.group_members(contact.slack_id)
        return contact is not None and contact.kind == "user" and contact.slack_id == user

    def group_members(self, group: str) -> frozenset[str]:
        """The group's members; on a Slack error the last known list (empty if none)."""
        with self._lock:
            cached = self._groups.get(group)
        if cached and time.monotonic() - cached[0] < self.cache_seconds:
            return cached[1]
        try:
            users = frozenset(self.client.usergroups_users_list(usergroup=group).get("users") or [])
        except SlackApiError as exc:
            log.warning("members of user group %s unknown: %s", group, exc.response.get("error"))
            return cached[1] if cached else frozenset()
        with self._lock:
            self._groups[group] = (time.monotonic(), users)
        return users

    def describe(self, contact: ResolvedContact | None = None) -> str:
        """Who is on the team, as mrkdwn for a refusal: people, groups, or an empty string."""
        who = [f"<@{m}>" for m in sorted(self.members)[:8]]
        groups = [self.usergroup] if self.usergroup else []
        if contact is not None and contact.kind == "usergroup" and contact.slack_id not in groups:
            groups.append(contact.slack_id)
        who += [contact_mention(g) for g in groups]
        return ", ".join(who)
