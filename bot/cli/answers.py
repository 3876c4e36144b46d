"""Asking: `ask` (the answer contract) and `check` (a draft post)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.cli.common import domain_errors, index_option, knowledge_option, load_service, model_option, threshold_option

VERDICT_LABELS = {
    "allowed": "✅ allowed",
    "conditional": "⚠️  allowed with conditions",
    "not_allowed": "⛔ not allowed",
    "ask_team": "🙋 needs the team",
    None: "💬 no verdict: nothing to judge",
}


DECLINED_LABEL = "💬 no verdict: maybe not about the guidelines"  # said so, no case; the route is for the button


def print_answer(answer) -> None:
    declined = answer.verdict is None and answer.route is not None
    click.secho(DECLINED_LABEL if declined else VERDICT_LABELS[answer.verdict], bold=True)
    if answer.answer:
        click.echo(answer.answer)
    if declined:
        click.secho(f"(no case opened; in Slack the button asks {answer.route})", dim=True)
    for note in answer.notes:
        click.secho(note, fg="yellow")
    for i, c in enumerate(answer.citations, 1):
        click.echo(f"\n[{i}] {' › '.join(c.heading_path) or c.section}  ({c.source}#{c.anchor})")
        for line in c.quote.splitlines():
            marked = c.highlight is not None and c.highlight in line
            click.echo("    > " + (line.replace(c.highlight, click.style(c.highlight, bold=True)) if marked else line))
    click.secho(
        f"\nconfidence {answer.confidence:.2f} — {answer.reason}"
        + (f" — route: {answer.route}" if answer.escalate else ""),
        dim=True,
    )


@click.command()
@click.argument("question", required=False)
@knowledge_option
@index_option
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print the answer contract as JSON (one object per line).")
@threshold_option
@domain_errors
def ask(
    question: str | None,
    knowledge: Path | None,
    index: Path | None,
    model: str | None,
    as_json: bool,
    threshold: float | None,
) -> None:
    """Answer QUESTION (or, without it, one question per line from standard input).

    \b
      guidelines-bot ask "Darf ich ein Foto vom Messestand posten?"
      cat questions.txt | guidelines-bot ask --json > answers.jsonl
    """
    import json

    service = load_service(knowledge, index, model, threshold)
    if question is not None:
        answer = service.answer(question)
        if as_json:
            click.echo(json.dumps(answer.to_contract(), ensure_ascii=False))
        else:
            print_answer(answer)
        return
    interactive = sys.stdin.isatty()
    if interactive:
        click.echo("Type a question per line; Ctrl-D to end.", err=True)

    def emit(answers) -> None:
        for answer in answers:
            if as_json:
                click.echo(json.dumps(answer.to_contract(), ensure_ascii=False))
            else:
                print_answer(answer)
                click.echo("-" * 60)
        sys.stdout.flush()

    batch: list[str] = []
    for line in sys.stdin:
        if interactive and not line.strip():
            continue  # piped input keeps its pairing: line N of the output answers line N of the input
        batch.append(line.rstrip("\n"))
        if interactive or len(batch) >= 32:  # piped input is encoded 32 questions at a time
            emit(service.answer_many(batch))
            batch = []
    if batch:
        emit(service.answer_many(batch))


def highlight(draft: str, findings) -> str:
    """The draft with each finding's span in bold red, for a terminal."""
    out, pos = [], 0
    for f in sorted((f.finding for f in findings if f.finding.kind == "match"), key=lambda f: f.start):
        if f.start < pos:
            continue
        out.append(draft[pos : f.start])
        out.append(click.style(draft[f.start : f.end], fg="red", bold=True))
        pos = f.end
    out.append(draft[pos:])
    return "".join(out)


def _check_without_index(knowledge: Path | None, draft: str, attachments: tuple[str, ...], missing: Exception):
    """The checks of the knowledge base on ``draft``, without citations; ``missing`` if it has none."""
    from bot import config
    from bot.answer import check_without_index
    from bot.errors import KnowledgeError
    from bot.knowledge import load_knowledge

    root = config.knowledge_dir(knowledge)
    loaded = load_knowledge(root)
    if not loaded.ok:
        raise KnowledgeError(loaded.problems, root)
    checks = loaded.knowledge.checks
    if checks is None:
        raise missing
    click.secho(f"Note: {missing}. The checks ran without citations.", fg="yellow", err=True)
    return check_without_index(checks, loaded.knowledge.routing, draft, attachments)


@click.command()
@click.argument("draft", required=False)
@knowledge_option
@index_option
@model_option
@click.option(
    "--attach",
    "attachments",
    type=click.Choice(["image", "video"]),
    multiple=True,
    help="The post has an image or video attached (adds the consent and copyright reminders).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer contract plus a findings list.")
@domain_errors
def check(
    draft: str | None,
    knowledge: Path | None,
    index: Path | None,
    model: str | None,
    attachments: tuple[str, ...],
    as_json: bool,
) -> None:
    """Check a DRAFT post (or standard input) against the rules in checks.yaml and the guidelines.

    \b
      guidelines-bot check "Unser Q3-Umsatz: +12 %! #nordhafen"
      guidelines-bot check --attach image < draft.txt
    """
    import json

    from bot.errors import IndexMissingError

    text = draft if draft is not None else sys.stdin.read()
    try:
        service = load_service(knowledge, index, model)
    except IndexMissingError as missing:  # the rules need no index; only the citations do
        answer = _check_without_index(knowledge, text, attachments, missing)
    else:
        checks = service.knowledge.checks
        if checks is None or checks.generic:
            click.secho(
                "Note: this knowledge base has no checks.yaml; the generic checks ran "
                "(see `guidelines-bot validate --anchors` to write your own).",
                fg="yellow",
                err=True,
            )
        answer = service.answerer().answer(text, attachments=attachments, whole_text_is_draft=True)
    if as_json:
        click.echo(json.dumps(answer.to_contract(with_findings=True), ensure_ascii=False))
        return
    print_answer(answer)
    if answer.findings:
        click.echo("\nFindings in the draft:")
        click.echo("    " + highlight(answer.draft, answer.findings).replace("\n", "\n    "))
        for f in answer.findings:
            where = f"“{f.finding.matched}”" if f.finding.kind == "match" else "(attachment)"
            cite = f"  ({f.citation.source}#{f.citation.anchor})" if f.citation else ""
            about = f.finding.describe(answer.language)
            click.echo(f"  - [{f.finding.severity}] {f.finding.rule_id}: {where} — {about}{cite}")
    else:
        click.echo("\nNo findings in the draft.")
