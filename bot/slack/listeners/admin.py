"""`/mayipost admin reindex|status|report`: maintainers rebuild and hot-swap the index from Slack,
see its state, or get the week's report privately; everyone else is refused politely."""

from __future__ import annotations

import logging

from bot.errors import GuidelinesBotError
from bot.slack.answering import Answering
from bot.slack.asker import new_id
from bot.slack.blocks import code_report, notice
from bot.slack.escape import escape_cut
from bot.slack.texts import text

log = logging.getLogger(__name__)


def is_admin_command(command_text: str) -> bool:
    return command_text.split()[:1] == ["admin"]


def run_admin(command_text: str, user: str, deliver, answering: Answering, language: str) -> None:
    """Runs in bolt's worker thread after the command was acknowledged."""
    maintainers = answering.settings.maintainers
    if user not in maintainers:
        who = ", ".join(f"<@{m}>" for m in sorted(maintainers)) or text("admin_nobody", language)
        log.info("admin command refused: user=%s", user)
        deliver(notice(f":lock: {text('admin_refused', language, who=who)}"))
        return
    words = command_text.split()
    action = words[1] if len(words) > 1 else ""
    if action == "reindex":
        reindex(user, deliver, answering, language)
    elif action == "status":
        deliver(notice(status(answering, language)))
    elif action == "report":
        deliver(notice(week_report(answering, language)))
    else:
        deliver(notice(text("admin_help", language)))


def reindex(user: str, deliver, answering: Answering, language: str) -> None:
    deliver(notice(f":hourglass_flowing_sand: {text('reindex_started', language)}"))
    log.info("reindex requested in Slack: user=%s", user)
    try:
        report = answering.service.reindex()
    except Exception as exc:
        case_id = new_id()
        log.exception("reindex failed: case=%s", case_id)
        error = str(exc) if isinstance(exc, GuidelinesBotError) else type(exc).__name__
        deliver(notice(":x: " + text("reindex_failed", language, case=case_id, error=escape_cut(error, 1500))))
        return
    log.info("reindex done: build=%s", report.build_id)
    deliver(code_report(f":white_check_mark: {text('reindex_done', language)}", report.summary()))


def week_report(answering: Answering, language: str) -> str:
    """The last seven days' numbers and the top three things to fix, for the maintainer only."""
    from bot.slack.weekly import week_summary
    from bot.store.database import utcnow

    hours = answering.settings.escalation.hours
    return week_summary(answering.store, answering.service, utcnow(), language, hours)


def status(answering: Answering, language: str) -> str:
    index = answering.service.index
    stale = text("stale" if answering.service.is_stale() else "fresh", language)
    report = text(
        "status_report",
        language,
        build=index.build_id,
        passages=len(index.passages),
        built=index.manifest.built_at,
        stale=stale,
    )
    if not index.degraded:
        return report
    fallback = text(
        "index_fallback",
        language,
        damaged=index.fallback_from,
        damage=escape_cut(index.damage or "", 300).replace("`", "'"),
        build=index.build_id,
    )
    return f":rotating_light: {fallback}\n{report}"
