"""The weekly post to the team's channel (GUIDELINES_BOT_WEEKLY_REPORT): the week's numbers and
the top three things to fix, German and English, from Monday morning in the team's time zone.
Every process's scheduler asks; the store lets exactly one of them post each week."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient

from bot.escalation.hours import BusinessHours
from bot.reporting.report import Period, Targets, build, gather, section_titles
from bot.reporting.summary import summarize
from bot.service import AnswerService
from bot.slack.escape import escape
from bot.store import Store
from bot.store.database import utcnow

log = logging.getLogger(__name__)
LANGUAGES = ("de", "en")


class WeeklyReport:
    """Posts the summary of the last seven days once per ISO week, on Monday from the start of
    the working day (or on a later working day of the week, if no process ran on Monday)."""

    def __init__(
        self,
        client: WebClient,
        store: Store,
        service: AnswerService,
        channel: str,
        hours: BusinessHours | None = None,
        targets: Targets | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.service = service
        self.channel = channel
        self.hours = hours
        self.targets = targets or Targets.from_env()

    def week_due(self, now: datetime) -> str | None:
        """The key of this week's post once it is due, else None."""
        hours = self.hours or BusinessHours()
        local = now.astimezone(hours.zone)
        if local.weekday() not in hours.days or (local.weekday() == 0 and local.time() < hours.start):
            return None
        year, week, _ = local.isocalendar()
        return f"weekly-report:{year}-W{week:02d}"

    def post_if_due(self, now: datetime | None = None) -> bool:
        """Post this week's summary if it is due and no process has yet; True if this one did."""
        now = now or utcnow()
        key = self.week_due(now)
        if key is None or not self.store.claim_delivery(key):
            return False
        texts = [
            week_summary(self.store, self.service, now, language, self.hours, self.targets) for language in LANGUAGES
        ]
        german, english = ({"type": "section", "text": {"type": "mrkdwn", "text": text}} for text in texts)
        blocks = [german, {"type": "divider"}, english]
        try:
            self.client.chat_postMessage(channel=self.channel, text=texts[0], blocks=blocks, unfurl_links=False)
        except Exception as exc:  # the claim stays: a broken channel must not be posted to every minute
            log.error("weekly report for %s not posted to %s: %s", key, self.channel, type(exc).__name__)
            return False
        log.info("weekly report for %s posted to %s", key, self.channel)
        return True


def week_summary(
    store: Store,
    service: AnswerService,
    now: datetime,
    language: str,
    hours: BusinessHours | None = None,
    targets: Targets | None = None,
) -> str:
    """The last seven days in a few lines of mrkdwn (what people wrote in it escaped)."""
    period = Period.last_days(7, now)
    sections = section_titles(service.knowledge.sections)
    report = build(gather(store, period.previous.start, sections), period, now, hours, targets or Targets.from_env())
    return summarize(report, language, escape=escape).as_text(language)
