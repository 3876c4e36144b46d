"""The social media team's side: `cases`, `feedback` and `faq review`."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot import config
from bot.cli.common import domain_errors, index_option, knowledge_option
from bot.errors import GuidelinesBotError

if TYPE_CHECKING:  # the escalation core loads SQLAlchemy: imported inside the commands, so --help is instant
    from bot.escalation.faq import FaqProposals, Proposal
    from bot.escalation.model import Case
    from bot.escalation.service import CaseService


@click.command()
@knowledge_option
@index_option
@click.option("--state", type=click.Choice(["open", "claimed", "resolved", "all"]), default="all", show_default=True)
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: one row a case, waiting times in minutes.")
@click.option("--case", "case_id", default=None, metavar="ID", help="Show one case and its audit trail.")
@click.option(
    "--purge",
    is_flag=True,
    help="Now delete the texts past GUIDELINES_BOT_RETENTION_DAYS (README, 'Retention').",
)
@domain_errors
def cases(
    knowledge: Path | None, index: Path | None, state: str, as_csv: bool, case_id: str | None, purge: bool
) -> None:
    """List the questions handed to the team (open, claimed, resolved) with waiting times.

    The database is the bot's: $DATABASE_URL, else guidelines-bot.db beside the index.
    """
    show_cases(config.index_dir(index, config.knowledge_dir(knowledge)), state, as_csv, case_id, purge)


@click.command()
@knowledge_option
@index_option
@click.option(
    "--days", type=click.IntRange(0), default=30, show_default=True, help="Ratings of the last N days; 0 for all."
)
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: one row a rating (never the question text).")
@domain_errors
def feedback(knowledge: Path | None, index: Path | None, days: int, as_csv: bool) -> None:
    """How people rated the answers (👍 / 👎 in Slack), per FAQ entry, most 👎 first, with the
    reasons given; fix the entries at the top in faq.yaml, then reindex.

    The database is the bot's: $DATABASE_URL, else guidelines-bot.db beside the index.
    """
    from datetime import timedelta

    from bot.cli.tables import table
    from bot.feedback import summarize, table_rows, write_csv
    from bot.store import open_store
    from bot.store.database import utcnow

    since = utcnow() - timedelta(days=days) if days else None
    store = open_store(index_dir=config.index_dir(index, config.knowledge_dir(knowledge)))
    try:
        rows = store.feedback_since(since)
    finally:
        store.close()
    if as_csv:
        write_csv(rows, sys.stdout)
        return
    period = f"in the last {days} days" if days else "so far"
    if not rows:
        click.echo(f"No ratings {period}. People rate answers with 👍 / 👎 under each answer in Slack.")
        return
    stats = summarize(f for _, f in rows)
    helpful = sum(s.helpful for s in stats)
    click.echo(
        f"{len(rows)} rating(s) {period}: {helpful} helpful, {len(rows) - helpful} not helpful "
        f"({100 * helpful / len(rows):.0f} % helpful).\n"
    )
    click.echo(table(["answered from", "ratings", "👍", "👎", "helpful", "verdicts"], table_rows(stats)))
    reasons = [(s.source, r) for s in stats for r in s.reasons]
    if reasons:
        click.echo("\nReasons given with 👎:")
        for source, reason in reasons:
            click.echo(f"  {source}: {reason}")
    if any(s.not_helpful for s in stats):
        click.echo(
            "\nImprove the answer or add phrasings of the entries at the top in faq.yaml, then run "
            "`guidelines-bot reindex`."
        )


@click.group()
def faq() -> None:
    """FAQ entries the team proposed with "Add to FAQ" in Slack."""


@faq.command()
@knowledge_option
@index_option
@click.option("--accept", multiple=True, metavar="ID", help="Accept this proposal into faq.yaml (repeatable).")
@click.option("--drop", multiple=True, metavar="ID", help="Drop this proposal (repeatable).")
@click.option("--no-fetch", is_flag=True, help="Do not fetch new proposals from the bot's database first.")
@domain_errors
def review(
    knowledge: Path | None, index: Path | None, accept: tuple[str, ...], drop: tuple[str, ...], no_fetch: bool
) -> None:
    """Fetch the proposals waiting in the bot's database into faq-proposals.yaml (edit them there
    if you like), then accept them into faq.yaml (validated first) or drop them; without --accept
    or --drop, show each proposal and ask. Accepted entries go live after `guidelines-bot reindex`.

    The database is the bot's: $DATABASE_URL, else guidelines-bot.db beside the index.
    """
    root = config.knowledge_dir(knowledge)
    review_proposals(root, accept, drop, None if no_fetch else config.index_dir(index, root))


def show_cases(index_dir: Path, state: str, as_csv: bool, case_id: str | None, purge: bool) -> None:
    from bot.cli.tables import table
    from bot.escalation.model import STATES
    from bot.escalation.policy import Policy
    from bot.escalation.report import table_rows, write_csv
    from bot.escalation.service import CaseService
    from bot.store import open_store
    from bot.store.database import utcnow

    store = open_store(index_dir=index_dir)
    try:
        service = CaseService(store, Policy.from_env())
        now = utcnow()
        if purge:
            if service.policy.retention is None:
                raise GuidelinesBotError("GUIDELINES_BOT_RETENTION_DAYS is off: nothing is deleted")
            ids = service.purge(now)
            click.echo(
                f"Deleted the texts of {len(ids)} case(s) resolved (or left untouched twice as long) more than "
                f"{service.policy.retention.days} days ago" + (f": {', '.join(ids)}" if ids else "."),
                err=as_csv,
            )
        if case_id:
            _show_case(service, case_id, now)
            return
        cases = [_as_typed(c) for c in service.cases(None if state == "all" else [state])]
        if as_csv:
            write_csv(cases, now, sys.stdout)
            return
        if not cases:
            click.echo(f"No {'' if state == 'all' else state + ' '}cases.")
            return
        click.echo(
            table(["case", "state", "waiting", "to claim", "contact", "owner", "question"], table_rows(cases, now))
        )
        counts = ", ".join(f"{sum(c.state == s for c in cases)} {s}" for s in STATES)
        click.echo(
            f"\n{len(cases)} case(s): {counts}. Waiting: open and claimed cases since they were opened, "
            f"resolved ones until they were resolved."
        )
    finally:
        store.close()


def _as_typed(case: Case) -> Case:
    """The case with its question as the asker typed it: it is stored as Slack sent it, with
    &, < and > as entities."""
    from bot.entities import decode_entities

    return case if case.question is None else replace(case, question=decode_entities(case.question))


def _show_case(service: CaseService, case_id: str, now) -> None:
    from bot.escalation.report import duration, trail_lines

    case = _as_typed(service.require(case_id))
    click.echo(
        f"Case {case.id}: {case.state}, contact {case.contact}, asked by {case.asker} ({case.surface}), "
        f"owner {case.owner or '–'}"
    )
    click.echo(
        f"Waiting: {duration(case.waiting(now))} (to claim: {duration(case.until_claimed(now))}); "
        f"reminders in this phase: {case.reminders}"
    )
    click.echo(f"Question: {case.question if case.question is not None else '(deleted after the retention period)'}")
    if case.resolution:
        click.echo(f"Answer ({case.resolution_verdict or 'no verdict'}): {case.resolution}")
    click.echo("\nAudit trail:")
    for line in trail_lines(service.events(case_id)):
        click.echo(f"  {line}")
    pending = service.outbox.pending(case_id)
    if pending:
        click.echo("\nStill to deliver to Slack (the bot retries every minute):")
        for item in pending:
            error = f", last error: {item.last_error}" if item.last_error else ""
            click.echo(
                f"  {item.lane:<5} {item.kind:<15} attempts {item.attempts}{error}, next try "
                f"{item.not_before.replace(microsecond=0).isoformat()}"
            )


def fetch_proposals(proposals: FaqProposals, index_dir: Path) -> None:
    """Move the proposals waiting in the bot's database into the review file."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.escalation.faq import ProposalInbox
    from bot.store import database_url, open_store

    try:
        store = open_store(index_dir=index_dir)
    except SQLAlchemyError as exc:
        url = database_url(None, index_dir).split("@")[-1]
        raise GuidelinesBotError(
            f"cannot read the proposals in the bot's database ({url}): "
            f"{str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}. Set DATABASE_URL to "
            f"the database the bot uses, or pass --no-fetch to review the file only"
        ) from None
    try:
        moved = ProposalInbox(store.engine).move_into(proposals)
    finally:
        store.close()
    if moved:
        click.echo(
            f"Fetched {len(moved)} new proposal(s) from the bot's database into {proposals.path}: "
            + ", ".join(p.id for p in moved)
            + "."
        )


def review_proposals(
    knowledge_dir: Path, accept: tuple[str, ...], drop: tuple[str, ...], index_dir: Path | None = None
) -> None:
    """Fetch the proposals waiting in the bot's database (unless ``index_dir`` is None), then
    accept or drop the given ones; with none given, ask about each one."""
    from bot.escalation.faq import FaqProposals

    proposals = FaqProposals(knowledge_dir)
    if index_dir is not None:
        fetch_proposals(proposals, index_dir)
    accepted = 0
    for proposal_id in drop:
        dropped = proposals.drop(proposal_id)
        click.echo(f"Dropped proposal {proposal_id} ({dropped.entry.get('id')}).")
    for proposal_id in accept:
        entry, warned = proposals.accept(proposal_id)
        click.echo(f"Accepted proposal {proposal_id}: faq.yaml entry '{entry.id}'.")
        _warnings(warned)
        accepted += 1
    if not accept and not drop:
        accepted = _ask_each(proposals)
    if accepted:
        click.secho(
            "Run `guidelines-bot reindex` (or `/mayipost admin reindex` in Slack) to make the accepted entries live.",
            fg="yellow",
        )


def _ask_each(proposals: FaqProposals) -> int:
    from bot.escalation.faq import ProposalError

    items = proposals.list()
    if not items:
        click.echo(f"No proposals in {proposals.path}.")
        return 0
    click.echo(f"{len(items)} proposal(s) in {proposals.path}; edit the file to change one before accepting it.")
    accepted = 0
    for proposal in items:
        click.echo("")
        click.echo(describe(proposal))
        choice = click.prompt(
            "[a]ccept into faq.yaml, [d]rop, [s]kip, [q]uit",
            default="s",
            type=click.Choice(["a", "d", "s", "q"]),
            show_choices=False,
        )
        if choice == "q":
            break
        if choice == "d":
            proposals.drop(proposal.id)
            click.echo(f"Dropped {proposal.id}.")
        elif choice == "a":
            try:
                entry, warned = proposals.accept(proposal.id)
            except ProposalError as exc:
                click.secho(f"Not accepted: {exc}", fg="red")
                continue
            click.secho(f"Accepted: faq.yaml entry '{entry.id}'.", fg="green")
            _warnings(warned)
            accepted += 1
    return accepted


def _warnings(problems) -> None:
    for problem in problems:
        click.secho(f"  Note: {problem.format()}", fg="yellow")


def describe(proposal: Proposal) -> str:
    import yaml

    body = yaml.safe_dump(proposal.entry, allow_unicode=True, sort_keys=False, width=100).rstrip()
    head = f"Proposal {proposal.id} (by {proposal.proposed_by or 'unknown'}, {proposal.proposed_at or 'undated'}):"
    return head + "\n" + "\n".join("    " + line for line in body.splitlines())
