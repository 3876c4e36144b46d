"""The core stays pure: only bot/slack imports Slack libraries (the store included)."""

from __future__ import annotations

import re
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
SLACK_IMPORT = re.compile(r"^\s*(from|import)\s+(slack_sdk|slack_bolt|bot\.slack)\b", re.MULTILINE)


def test_no_slack_imports_outside_bot_slack():
    offenders = [
        str(path.relative_to(BOT.parent))
        for path in BOT.rglob("*.py")
        if "slack" not in path.relative_to(BOT).parts[:1]
        and path.name != "cli.py"
        and SLACK_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_cli_imports_the_slack_adapter_only_inside_serve():
    cli = (BOT / "cli.py").read_text(encoding="utf-8")
    assert not re.search(r"^(from|import)\s+(slack_sdk|slack_bolt|bot\.slack)", cli, re.MULTILINE)
