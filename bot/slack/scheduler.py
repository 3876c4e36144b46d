"""A background thread in each serving process: at start-up and then every minute it delivers
what is pending in the outbox (also what a killed process left), answers the questions a killed
process claimed and never answered (as soon as their lease passes), queues due reminders, runs
the retention and posts the weekly report when one is configured and due. Several processes may
run one each: every reminder, delivery, question and weekly post is taken by one."""

from __future__ import annotations

import logging
import threading

from bot.slack.answering import Answering
from bot.slack.casedesk import CaseDesk
from bot.slack.listeners.questions import replay_unanswered
from bot.slack.weekly import WeeklyReport
from bot.store.database import utcnow

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 60.0
MIN_WAIT_SECONDS = 1.0


class Scheduler:
    def __init__(self, desk: CaseDesk, interval: float = INTERVAL_SECONDS, answering: Answering | None = None) -> None:
        self.desk = desk
        self.interval = interval
        self.answering = answering
        channel = desk.settings.weekly_report
        self.weekly = (
            WeeklyReport(desk.client, desk.cases.store, desk.service, channel, desk.settings.escalation.hours)
            if channel
            else None
        )
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="case-scheduler", daemon=True)

    def start(self) -> Scheduler:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            try:
                done = self.desk.tick()
                if any(done.values()):
                    log.info(
                        "cases: %(reminded)d reminder(s) queued, %(delivered)d message(s) delivered, "
                        "%(purged)d case text(s) deleted",
                        done,
                    )
            except Exception:  # the next minute tries again; a broken tick must not end the thread
                log.exception("case scheduler: tick failed")
            if self.weekly is not None:
                try:
                    self.weekly.post_if_due()
                except Exception:
                    log.exception("case scheduler: the weekly report failed")
            if self._stop.wait(self._replay_unanswered()):
                return

    def _replay_unanswered(self) -> float:
        """Answer the questions left unanswered; returns the seconds to wait until the next round
        (sooner than ``interval`` when a lease passes before)."""
        if self.answering is None:
            return self.interval
        try:
            replay_unanswered(self.answering, self.desk.client)
            due = self.answering.store.unanswered.next_due()
        except Exception:
            log.exception("case scheduler: answering unanswered questions failed")
            return self.interval
        if due is None:
            return self.interval
        return min(self.interval, max(MIN_WAIT_SECONDS, (due - utcnow()).total_seconds() + 0.5))
