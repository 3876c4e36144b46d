"""Draft-post checks: rules from knowledge/checks.yaml (or, without one, the bundled generic
rules of generic.yaml) flag risky content before it is posted.

No Slack here: the adapter passes the draft text and its files' mimetypes.
"""

from bot.checks.engine import (
    CheckEngine,
    Finding,
    attachment_kind,
    draft_verdict,
    overall_severity,
    verdict_for,
)
from bot.checks.loader import CHECKS_FILE, generic_checks, load_checks, read_checks

__all__ = [
    "CHECKS_FILE",
    "CheckEngine",
    "Finding",
    "attachment_kind",
    "draft_verdict",
    "generic_checks",
    "load_checks",
    "overall_severity",
    "read_checks",
    "verdict_for",
]
