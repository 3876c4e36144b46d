"""manifest.yml and the Procfile agree with the code: the events it listens to, its command,
shortcut and scopes, and the process types."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.blocks import CHECK_POST
from bot.slack.listeners.commands import COMMAND

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))


def test_events_commands_shortcut_and_interactivity():
    settings = MANIFEST["settings"]
    assert sorted(settings["event_subscriptions"]["bot_events"]) == [
        "app_home_opened",
        "app_mention",
        "message.channels",
        "message.groups",
        "message.im",
    ]
    assert [c["command"] for c in MANIFEST["features"]["slash_commands"]] == [COMMAND]
    [shortcut] = MANIFEST["features"]["shortcuts"]
    assert shortcut == {**shortcut, "type": "message", "callback_id": CHECK_POST, "name": "Check this post"}
    assert len(shortcut["description"]) <= 80
    assert settings["interactivity"]["is_enabled"] is True and settings["socket_mode_enabled"] is True
    home = MANIFEST["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"] and not home["messages_tab_read_only_enabled"]
    assert len(MANIFEST["display_information"]["description"]) <= 140


def test_exactly_the_scopes_the_bot_uses():
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == [
        "app_mentions:read",
        "assistant:write",
        "channels:history",
        "chat:write",
        "commands",
        "groups:history",
        "im:history",
        "usergroups:read",
        "users:read",
    ]
    assert "user" not in MANIFEST["oauth_config"]["scopes"]


def test_procfile_process_types():
    lines = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert lines == {
        "web": "guidelines-bot serve --mode http --port $PORT",
        "worker": "guidelines-bot serve --mode socket",
        "release": "guidelines-bot reindex --quiet",
    }
