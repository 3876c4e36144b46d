"""What `guidelines-bot cases` and `guidelines-bot faq review` print and ask (cli.py wires them)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import yaml

from bot.errors import GuidelinesBotError
from bot.escalation.faq import FaqProposals, Proposal, ProposalError, ProposalInbox
from bot.escalation.model import STATES
from bot.escalation.policy import Policy
from bot.escalation.report import duration, table_rows, trail_lines, write_csv
from bot.escalation.service import CaseService
from bot.store.database import utcnow


def show_cases(index_dir: Path, state: str, as_csv: bool, case_id: str | None, purge: bool) -> None:
    from bot.store import open_store
    from bot.tables import table

    store = open_store(index_dir=index_dir)
    try:
        service = CaseService(store, Policy.from_env())
        now = utcnow()
        if purge:
            if service.policy.retention is None:
                raise GuidelinesBotError("GUIDELINES_BOT_RETENTION_DAYS is off: nothing is deleted")
            ids = service.purge(now)
            click.echo(
                f"Deleted the texts of {len(ids)} case(s) resolved more than "
                f"{service.policy.retention.days} days ago" + (f": {', '.join(ids)}" if ids else "."),
                err=as_csv,
            )
        if case_id:
            _show_case(service, case_id, now)
            return
        cases = service.cases(None if state == "all" else [state])
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


def _show_case(service: CaseService, case_id: str, now) -> None:
    case = service.require(case_id)
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
    body = yaml.safe_dump(proposal.entry, allow_unicode=True, sort_keys=False, width=100).rstrip()
    head = f"Proposal {proposal.id} (by {proposal.proposed_by or 'unknown'}, {proposal.proposed_at or 'undated'}):"
    return head + "\n" + "\n".join("    " + line for line in body.splitlines())
