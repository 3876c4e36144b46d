"""Settings of the Slack adapter, from the environment. Missing ones fail at start-up, in one line."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from bot.errors import ConfigError
from bot.escalation.policy import Policy

Mode = Literal["http", "socket"]
DEFAULT_API_URL = "https://slack.com/api/"
_REQUIRED: dict[str, tuple[str, ...]] = {
    "http": ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
    "socket": ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
}
_WHERE = {
    "SLACK_BOT_TOKEN": "OAuth & Permissions → Bot User OAuth Token, xoxb-…",
    "SLACK_SIGNING_SECRET": "Basic Information → Signing Secret",
    "SLACK_APP_TOKEN": "Basic Information → App-Level Tokens, xapp-… with connections:write",
}


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class SlackSettings:
    """Tokens, where Slack's Web API is, who the maintainers are, what may be logged or stored."""

    bot_token: str
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str = DEFAULT_API_URL
    maintainers: frozenset[str] = frozenset()
    docs_url: str | None = None
    log_text: bool = False
    store_question_text: bool = False
    workers: int = 8
    answer_deadline: float = 20.0  # seconds; later the asker gets the failure notice with the team button
    team_members: frozenset[str] = frozenset()  # who may claim, hand off, resolve (member IDs) ...
    team_usergroup: str | None = None  # ... and the members of this user group (S…)
    escalation: Policy = field(default_factory=Policy)  # reminders and retention
    native_feedback: bool = False  # 👍/👎 as Slack's feedback buttons instead of two buttons of ours
    weekly_report: str | None = None  # a channel (C…/G…) that gets the week's summary on Monday morning

    @classmethod
    def from_env(cls, mode: Mode, environ: Mapping[str, str] | None = None) -> SlackSettings:
        env = os.environ if environ is None else environ
        missing = [name for name in _REQUIRED[mode] if not env.get(name, "").strip()]
        if missing:
            hints = "; ".join(f"{name} ({_WHERE[name]})" for name in missing)
            raise ConfigError(
                f"set {', '.join(missing)} for --mode {mode}: {hints}. See README, 'Install in your Slack workspace'."
            )
        bot_token = env["SLACK_BOT_TOKEN"].strip()
        app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
        if not bot_token.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN must be the Bot User OAuth Token (it starts with xoxb-)")
        if mode == "socket" and app_token and not app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token (it starts with xapp-)")
        api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
        if not re.match(r"^https?://", api_url):
            raise ConfigError(f"SLACK_API_URL must be an http(s) URL like {DEFAULT_API_URL}")
        workers = env.get("GUIDELINES_BOT_WORKERS", "8").strip() or "8"
        if not workers.isdigit() or int(workers) < 1:
            raise ConfigError("GUIDELINES_BOT_WORKERS must be a positive number (threads answering questions)")
        deadline = env.get("GUIDELINES_BOT_ANSWER_DEADLINE", "20").strip() or "20"
        if not re.fullmatch(r"\d+(\.\d+)?", deadline) or float(deadline) <= 0:
            raise ConfigError("GUIDELINES_BOT_ANSWER_DEADLINE must be a positive number of seconds (default 20)")
        maintainers = frozenset(re.findall(r"[UW][A-Z0-9]{2,}", env.get("GUIDELINES_BOT_MAINTAINERS", "")))
        team_members = frozenset(re.findall(r"[UW][A-Z0-9]{2,}", env.get("GUIDELINES_BOT_TEAM_MEMBERS", "")))
        team_usergroup = env.get("GUIDELINES_BOT_TEAM_USERGROUP", "").strip() or None
        if team_usergroup and not re.match(r"^S[A-Z0-9]{2,}$", team_usergroup):
            raise ConfigError(
                "GUIDELINES_BOT_TEAM_USERGROUP must be a user group ID (S…: the group's profile → ⋮ → Copy group ID)"
            )
        weekly_report = env.get("GUIDELINES_BOT_WEEKLY_REPORT", "").strip() or None
        if weekly_report and not re.match(r"^[CG][A-Z0-9]{2,}$", weekly_report):
            raise ConfigError("GUIDELINES_BOT_WEEKLY_REPORT must be a channel ID (C…: the channel's details → bottom)")
        return cls(
            bot_token=bot_token,
            signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip() or None,
            app_token=app_token,
            api_url=api_url.rstrip("/") + "/",
            maintainers=maintainers,
            docs_url=env.get("GUIDELINES_BOT_DOCS_URL", "").strip() or None,
            log_text=_flag(env, "GUIDELINES_BOT_LOG_TEXT"),
            store_question_text=_flag(env, "GUIDELINES_BOT_STORE_QUESTION_TEXT"),
            workers=int(workers),
            answer_deadline=float(deadline),
            team_members=team_members,
            team_usergroup=team_usergroup,
            escalation=Policy.from_env(env),
            weekly_report=weekly_report,
            native_feedback=_flag(env, "GUIDELINES_BOT_NATIVE_FEEDBACK"),
        )
