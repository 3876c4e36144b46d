"""Escalation: cases handed to the team, their states and audit trail, reminders, retention,
the outbox of messages still to deliver, and FAQ proposals. No Slack here (bot/slack renders
and delivers)."""

from bot.escalation.model import Case, CaseError, CaseEvent
from bot.escalation.policy import Policy
from bot.escalation.service import CaseService, NewCase

__all__ = ["Case", "CaseError", "CaseEvent", "CaseService", "NewCase", "Policy"]
