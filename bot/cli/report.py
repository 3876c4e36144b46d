"""`guidelines-bot report`: the team's view of the bot for the last N days against the N before."""

from __future__ import annotations

from pathlib import Path

import click

from bot import config
from bot.cli.common import domain_errors, index_option, knowledge_option


@click.command()
@knowledge_option
@index_option
@click.option("--days", type=click.IntRange(1), default=7, show_default=True, help="The period: the last N days.")
@click.option(
    "--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), help="Also write one CSV a table into DIR."
)
@click.option(
    "--html", "html_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write one self-contained page."
)
@domain_errors
def report(knowledge: Path | None, index: Path | None, days: int, csv_dir: Path | None, html_file: Path | None) -> None:
    """What the bot answered and handed to the team, which sections people were sent to and
    rated 👎, how fast the team responded, and the cases waiting now: the last N days against
    the N days before. No question text is shown.

    The database is the bot's: $DATABASE_URL, else guidelines-bot.db beside the index.
    """
    from bot.cli.tables import table
    from bot.escalation.policy import Policy
    from bot.knowledge import load_knowledge
    from bot.reporting.report import Period, Targets, build, gather, section_titles
    from bot.store import open_store
    from bot.store.database import utcnow

    root = config.knowledge_dir(knowledge)
    loaded = load_knowledge(root)
    sections = section_titles(loaded.knowledge.sections) if loaded.knowledge is not None else {}
    now = utcnow()
    period = Period.last_days(days, now)
    store = open_store(index_dir=config.index_dir(index, root))
    try:
        data = gather(store, period.previous.start, sections)
    finally:
        store.close()
    result = build(data, period, now, Policy.from_env().hours, Targets.from_env())
    click.echo(f"Report for {period.start:%Y-%m-%d %H:%M} – {period.end:%Y-%m-%d %H:%M} UTC ({days} days)")
    for t in result.tables.values():
        click.echo(f"\n{t.title}")
        click.echo(table(t.columns, t.rows) if t.rows else "  none")
        if t.note:
            click.echo(f"  {t.note}")
    if csv_dir is not None:
        from bot.reporting.render import write_csv

        written = write_csv(result, csv_dir)
        click.echo(f"\nWrote {len(written)} CSV files to {csv_dir}")
    if html_file is not None:
        from bot.reporting.render import html_page

        html_file.write_text(html_page(result), encoding="utf-8")
        click.echo(f"Wrote {html_file}")
