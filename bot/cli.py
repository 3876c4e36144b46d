"""The `guidelines-bot` command line. Heavy imports happen inside the commands."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from bot import __version__, config
from bot.errors import GuidelinesBotError


def _domain_errors(func):
    """Turn domain errors into one line on stderr and exit code 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except GuidelinesBotError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            sys.exit(1)

    return wrapper


def knowledge_option(func):
    return click.option(
        "--knowledge",
        "knowledge",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Knowledge directory [default: ./knowledge or $GUIDELINES_BOT_KNOWLEDGE]",
    )(func)


def index_option(func):
    return click.option(
        "--index",
        "index",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index directory [default: index/ next to the knowledge, or $GUIDELINES_BOT_INDEX]",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="guidelines-bot")
def main() -> None:
    """Answer "may I post this?" from your social media guidelines, with cited passages.

    \b
    Typical use:
      guidelines-bot validate          check knowledge/ for mistakes
      guidelines-bot reindex           build index/ from knowledge/
      guidelines-bot ask "Darf ich Fotos vom Sommerfest posten?"
      guidelines-bot check "Unser Q3-Umsatz: +12 %!"     check a draft post
      guidelines-bot eval              measure answer quality on knowledge/eval.yaml
      guidelines-bot serve --mode socket                  run the Slack bot
      guidelines-bot cases             questions handed to the team
      guidelines-bot feedback          how people rated the answers
    """


@main.command()
@knowledge_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@_domain_errors
def validate(knowledge: Path | None, strict: bool) -> None:
    """Check the knowledge base; print errors with file, line and field.

    Exits with 1 when there are errors (or warnings, with --strict).
    """
    from bot.knowledge import load_knowledge
    from bot.knowledge.problems import errors, warnings

    root = config.knowledge_dir(knowledge)
    result = load_knowledge(root)
    for problem in result.problems:
        click.secho(problem.format(), fg="red" if problem.severity == "error" else "yellow")
    n_err, n_warn = len(errors(result.problems)), len(warnings(result.problems))
    if result.knowledge is not None:
        counts = result.knowledge.counts()
        sections = ", ".join(f"{lang} {n}" for lang, n in counts["sections"].items()) or "none"
        phrasings = ", ".join(f"{lang} {n}" for lang, n in counts["faq_phrasings"].items())
        click.echo(
            f"Knowledge base {root}: {counts['files']} files; sections: {sections} "
            f"({counts['anchors']} anchors); FAQ entries: {counts['faq_entries']} "
            f"(phrasings: {phrasings})"
        )
    if n_err or (strict and n_warn):
        click.secho(f"✗ {n_err} error(s), {n_warn} warning(s): fix them and run validate again.", fg="red", err=True)
        sys.exit(1)
    click.secho(f"✓ valid ({n_warn} warning(s))", fg="green")


def model_option(func):
    return click.option(
        "--model",
        default=None,
        help="sentence-transformers model name or local path "
        "[default: all-MiniLM-L6-v2, bundled; or $GUIDELINES_BOT_MODEL]",
    )(func)


class _Progress:
    """A progress bar on a terminal, plain log lines otherwise, nothing with --quiet."""

    LABELS = {"validate": "Validating knowledge", "write": "Writing index", "swap": "Swapping in the new index"}

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.last_logged = -1

    def __call__(self, stage: str, done: int | None, total: int | None) -> None:
        if self.quiet:
            return
        if stage == "embed" and total:
            if self.tty:
                if self.bar is None:
                    from tqdm import tqdm

                    self.bar = tqdm(total=total, desc="Embedding passages", unit="passage", file=sys.stderr)
                self.bar.update((done or 0) - self.bar.n)
                if done == total:
                    self.bar.close()
            else:
                tenth = (10 * (done or 0)) // total
                if tenth != self.last_logged:
                    self.last_logged = tenth
                    click.echo(f"embedding passages: {done}/{total}", err=True)
            return
        click.echo(f"{self.LABELS.get(stage, stage)}…", err=True)


@main.command()
@knowledge_option
@index_option
@model_option
@click.option(
    "--index-type",
    type=click.Choice(["flat", "hnsw", "ivf"]),
    default="flat",
    show_default=True,
    help="flat: exact search (right up to ~100k passages); hnsw/ivf: approximate, for very large bases.",
)
@click.option(
    "--max-chars",
    type=click.IntRange(120, 4000),
    default=300,
    show_default=True,
    help="Upper bound of a passage's length; passages are cut at sentence boundaries.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors (for scripts).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_domain_errors
def reindex(
    knowledge: Path | None,
    index: Path | None,
    model: str | None,
    index_type: str,
    max_chars: int,
    quiet: bool,
    as_json: bool,
) -> None:
    """Build index/ from knowledge/: atomic (the old index serves until the new one is complete)
    and incremental (only new or edited passages are embedded)."""
    import json

    from bot.embedding import make_embedder
    from bot.index.build import reindex as build

    root = config.knowledge_dir(knowledge)
    report = build(
        root,
        config.index_dir(index, root),
        make_embedder(config.model_name(model)),
        index_type=index_type,
        max_chars=max_chars,
        progress=_Progress(quiet or as_json),
    )
    if as_json:
        click.echo(json.dumps(report.to_json()))
    elif not quiet:
        click.echo(report.summary())


def _load_service(knowledge: Path | None, index: Path | None, model: str | None, threshold: float | None = None):
    """The answer service for the CLI: missing or mismatched index -> one clear line."""
    from bot.service import AnswerService

    service = AnswerService.from_config(knowledge, index, model)
    if threshold is not None:
        from dataclasses import replace

        from bot.answer import DecisionParams

        service.params = replace(service.params or DecisionParams(), threshold=threshold)
    if service.is_stale():
        click.secho(
            f"Note: {service.knowledge_dir} changed since the index was built; answers use the old "
            f"index. Run `guidelines-bot reindex` to update it.",
            fg="yellow",
            err=True,
        )
    return service


VERDICT_LABELS = {
    "allowed": "✅ allowed",
    "conditional": "⚠️  allowed with conditions",
    "not_allowed": "⛔ not allowed",
    "ask_team": "🙋 needs the team",
}


def _print_answer(answer) -> None:
    click.secho(VERDICT_LABELS[answer.verdict], bold=True)
    if answer.answer:
        click.echo(answer.answer)
    for note in answer.notes:
        click.secho(note, fg="yellow")
    for i, c in enumerate(answer.citations, 1):
        click.echo(f"\n[{i}] {' › '.join(c.heading_path) or c.section}  ({c.source}#{c.anchor})")
        for line in c.quote.splitlines():
            click.echo(f"    > {line}")
    click.secho(
        f"\nconfidence {answer.confidence:.2f} — {answer.reason}"
        + (f" — route: {answer.route}" if answer.escalate else ""),
        dim=True,
    )


@main.command()
@click.argument("question", required=False)
@knowledge_option
@index_option
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print the answer contract as JSON (one object per line).")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Confidence below which the bot hands over to the team [default: calibrated].",
)
@_domain_errors
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

    service = _load_service(knowledge, index, model, threshold)
    if question is not None:
        answer = service.answer(question)
        if as_json:
            click.echo(json.dumps(answer.to_contract(), ensure_ascii=False))
        else:
            _print_answer(answer)
        return
    interactive = sys.stdin.isatty()
    if interactive:
        click.echo("Type a question per line; Ctrl-D to end.", err=True)

    def emit(answers) -> None:
        for answer in answers:
            if as_json:
                click.echo(json.dumps(answer.to_contract(), ensure_ascii=False))
            else:
                _print_answer(answer)
                click.echo("-" * 60)
        sys.stdout.flush()

    batch: list[str] = []
    for line in sys.stdin:
        if not line.strip():
            continue
        batch.append(line.rstrip("\n"))
        if interactive or len(batch) >= 32:  # piped input is encoded 32 questions at a time
            emit(service.answer_many(batch))
            batch = []
    if batch:
        emit(service.answer_many(batch))


@main.command(name="eval")
@knowledge_option
@index_option
@model_option
@click.option(
    "--questions",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Labelled questions [default: eval.yaml in the knowledge directory].",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Draw escalation precision/recall and unsafe answers against the threshold into this PNG.",
)
@click.option("--failures", is_flag=True, help="List the questions answered unsafely or escalated wrongly.")
@click.option("--json", "as_json", is_flag=True, help="Print all numbers as JSON.")
@_domain_errors
def evaluate(
    knowledge: Path | None,
    index: Path | None,
    model: str | None,
    questions: Path | None,
    plot: Path | None,
    failures: bool,
    as_json: bool,
) -> None:
    """Measure answer quality on labelled questions: Recall@1/@3, MRR, verdict accuracy, escalation
    precision/recall and unsafe answers, per language and retrieval mode."""
    import json

    from bot.errors import GuidelinesBotError
    from bot.evaluation import HEADERS, choose_threshold, evaluate_modes, metrics, plot_sweep, threshold_sweep
    from bot.knowledge.models import EvalFile
    from bot.knowledge.yamlfile import read_yaml, validate_model

    service = _load_service(knowledge, index, model)
    path = questions or service.knowledge_dir / "eval.yaml"
    if not path.is_file():
        raise GuidelinesBotError(f"no labelled questions at {path}; write an eval.yaml (see knowledge/README.md)")
    doc, problems = read_yaml(path, str(path))
    eval_file, more = validate_model(doc, EvalFile) if doc else (None, [])
    if eval_file is None:
        raise GuidelinesBotError((problems + more)[0].format())
    cases = eval_file.questions
    answerer = service.answerer()
    by_mode = evaluate_modes(answerer, cases)
    rows, report = [], {"questions": len(cases), "threshold": answerer.params.threshold, "modes": {}}
    for mode, results in by_mode.items():
        for lang in ("all", "de", "en"):
            subset = [r for r in results if lang == "all" or r.case.language == lang]
            if not subset:
                continue
            m = metrics(subset)
            rows.append([mode, lang, *m.row()])
            report["modes"].setdefault(mode, {})[lang] = m.__dict__
    sweep = threshold_sweep(answerer, by_mode["fused"], [round(0.05 * i, 2) for i in range(21)])
    best = choose_threshold(sweep)
    report["sweep"], report["recommended_threshold"] = sweep, best["threshold"]
    from bot.tables import table

    if as_json:
        pass
    else:
        click.echo(f"{len(cases)} labelled questions from {path}; confidence threshold {answerer.params.threshold:.2f}")
        click.echo(table(["mode", "lang", *HEADERS], rows))
        click.echo(
            f"\nThreshold sweep (fused): at {best['threshold']:.2f} escalation precision "
            f"{best['precision']:.3f}, recall {best['recall']:.3f}, unsafe {best['unsafe']:.3f}"
            f" — recommended for this question set (set GUIDELINES_BOT_THRESHOLD to use it)."
        )
    kb_checks = service.knowledge.checks
    if eval_file.drafts and kb_checks is not None:
        from bot.checks.evaluation import evaluate_drafts

        drafts = evaluate_drafts(kb_checks, eval_file.drafts)
        report["drafts"] = {
            "n": len(eval_file.drafts),
            "exact_match": drafts.exact_match,
            "rules": {r[0]: r[1:] for r in drafts.rows()},
        }
        if not as_json:
            click.echo(
                f"\nDraft checks on {len(eval_file.drafts)} labelled drafts (exact match {drafts.exact_match:.3f}):"
            )
            click.echo(table(drafts.headers, drafts.rows()))
    if plot:
        plot_sweep(sweep, answerer.params.threshold, str(plot), f"{path.name}: {len(cases)} questions")
        click.echo(f"Plot written to {plot}", err=True)
    if as_json:
        click.echo(json.dumps(report, default=float))
    if failures:
        for r in by_mode["fused"]:
            if r.unsafe or r.answer.escalate != r.case.escalate:
                kind = "UNSAFE" if r.unsafe else ("over-escalated" if r.answer.escalate else "missed escalation")
                click.echo(
                    f"{kind}: {r.case.question[:100]!r} gold {r.case.verdict}/{r.case.anchors} "
                    f"got {r.answer.verdict}/{[c.anchor for c in r.answer.citations]} "
                    f"conf {r.answer.confidence:.2f}"
                )


@main.command()
@click.option(
    "--mode",
    type=click.Choice(["socket", "http"]),
    required=True,
    help="socket: Socket Mode (SLACK_APP_TOKEN), no public URL needed; http: Slack calls "
    "/slack/events on this server (SLACK_SIGNING_SECRET).",
)
@click.option("--port", type=int, default=None, help="HTTP port [default: $PORT or 3000]")
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP interface to listen on.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="HTTP worker processes [default: $WEB_CONCURRENCY or 1]; several share state through DATABASE_URL.",
)
@knowledge_option
@index_option
@model_option
@_domain_errors
def serve(
    mode: str,
    port: int | None,
    host: str,
    workers: int | None,
    knowledge: Path | None,
    index: Path | None,
    model: str | None,
) -> None:
    """Run the Slack bot (tokens from the environment: see README, 'Install in your Slack workspace')."""
    import os

    from bot.slack import runtime

    runtime.configure_logging()
    options = {"knowledge": knowledge, "index": index, "model": model}
    if mode == "socket":
        runtime.serve_socket(options)
    else:
        runtime.serve_http(
            options,
            host,
            port or int(os.environ.get("PORT", "3000")),
            workers or int(os.environ.get("WEB_CONCURRENCY", "1")),
        )


def _highlight(draft: str, findings) -> str:
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


@main.command()
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
@_domain_errors
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

    text = draft if draft is not None else sys.stdin.read()
    service = _load_service(knowledge, index, model)
    if service.knowledge.checks is None:
        click.secho(
            "Note: this knowledge base has no checks.yaml; only the guidelines are consulted.", fg="yellow", err=True
        )
    answer = service.answerer().answer(text, attachments=attachments, whole_text_is_draft=True)
    if as_json:
        click.echo(json.dumps(answer.to_contract(with_findings=True), ensure_ascii=False))
        return
    _print_answer(answer)
    if answer.findings:
        click.echo("\nFindings in the draft:")
        click.echo("    " + _highlight(answer.draft, answer.findings).replace("\n", "\n    "))
        for f in answer.findings:
            where = f"“{f.finding.matched}”" if f.finding.kind == "match" else "(attachment)"
            cite = f"  ({f.citation.source}#{f.citation.anchor})" if f.citation else ""
            about = f.finding.describe(answer.language)
            click.echo(f"  - [{f.finding.severity}] {f.finding.rule_id}: {where} — {about}{cite}")
    else:
        click.echo("\nNo findings in the draft.")


# -- the social media team's cases and FAQ proposals (escalation) ---------------------------------------
@main.command()
@knowledge_option
@index_option
@click.option("--state", type=click.Choice(["open", "claimed", "resolved", "all"]), default="all", show_default=True)
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: one row a case, waiting times in minutes.")
@click.option("--case", "case_id", default=None, metavar="ID", help="Show one case and its audit trail.")
@click.option(
    "--purge",
    is_flag=True,
    help="Now delete the texts of cases resolved longer ago than GUIDELINES_BOT_RETENTION_DAYS.",
)
@_domain_errors
def cases(
    knowledge: Path | None, index: Path | None, state: str, as_csv: bool, case_id: str | None, purge: bool
) -> None:
    """List the questions handed to the team (open, claimed, resolved) with waiting times.

    The database is the bot's: $DATABASE_URL, else guidelines-bot.db beside the index.
    """
    from bot.escalation.commands import show_cases

    show_cases(config.index_dir(index, config.knowledge_dir(knowledge)), state, as_csv, case_id, purge)


@main.command()
@knowledge_option
@index_option
@click.option(
    "--days", type=click.IntRange(0), default=30, show_default=True, help="Ratings of the last N days; 0 for all."
)
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: one row a rating (never the question text).")
@_domain_errors
def feedback(knowledge: Path | None, index: Path | None, days: int, as_csv: bool) -> None:
    """How people rated the answers (👍 / 👎 in Slack), per FAQ entry, most 👎 first, with the
    reasons given; fix the entries at the top in faq.yaml, then reindex.

    The database is the bot's: $DATABASE_URL, else guidelines-bot.db beside the index.
    """
    from datetime import timedelta

    from bot.feedback import summarize, table_rows, write_csv
    from bot.store import open_store
    from bot.store.database import utcnow
    from bot.tables import table

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


@main.group()
def faq() -> None:
    """FAQ entries the team proposed with "Add to FAQ" in Slack."""


@faq.command()
@knowledge_option
@index_option
@click.option("--accept", multiple=True, metavar="ID", help="Accept this proposal into faq.yaml (repeatable).")
@click.option("--drop", multiple=True, metavar="ID", help="Drop this proposal (repeatable).")
@click.option("--no-fetch", is_flag=True, help="Do not fetch new proposals from the bot's database first.")
@_domain_errors
def review(
    knowledge: Path | None, index: Path | None, accept: tuple[str, ...], drop: tuple[str, ...], no_fetch: bool
) -> None:
    """Fetch the proposals waiting in the bot's database into faq-proposals.yaml (edit them there
    if you like), then accept them into faq.yaml (validated first) or drop them; without --accept
    or --drop, show each proposal and ask. Accepted entries go live after `guidelines-bot reindex`.

    The database is the bot's: $DATABASE_URL, else guidelines-bot.db beside the index.
    """
    from bot.escalation.commands import review_proposals

    root = config.knowledge_dir(knowledge)
    review_proposals(root, accept, drop, None if no_fetch else config.index_dir(index, root))
