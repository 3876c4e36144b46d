"""The `guidelines-bot` command line: the click group and its commands, one module per family.
Heavy imports (the model, the index, Slack) happen inside the commands, so `--help` is instant."""

from __future__ import annotations

import click

from bot import __version__
from bot.cli import answers, evaluate, knowledge, report, serve, team


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="guidelines-bot")
def main() -> None:
    """Answer "may I post this?" from your social media guidelines, with cited passages.

    \b
    Typical use:
      guidelines-bot validate          check knowledge/ for mistakes
      guidelines-bot reindex           build index/ from knowledge/
      guidelines-bot rules             how the bot reads each rule (permitted, prohibited, ...)
      guidelines-bot ask "Darf ich Fotos vom Sommerfest posten?"
      guidelines-bot check "Unser Q3-Umsatz: +12 %!"     check a draft post
      guidelines-bot eval              measure answer quality on knowledge/eval.yaml
      guidelines-bot eval --bases eval/bases.yaml         ... on several knowledge bases
      guidelines-bot tune --bases eval/bases.yaml         choose retrieval parameters, leave-one-base-out
      guidelines-bot calibrate --bases eval/bases.yaml    fit when the bot may answer from the text alone
      guidelines-bot serve --mode socket                  run the Slack bot
      guidelines-bot cases             questions handed to the team
      guidelines-bot feedback          how people rated the answers
      guidelines-bot report --html report.html            the week for the team: coverage, 👎, times
      guidelines-bot faq review        accept or drop the FAQ entries the team proposed
    """


for command in (
    knowledge.validate,
    knowledge.reindex,
    knowledge.rules,
    answers.ask,
    evaluate.evaluate,
    evaluate.tune,
    evaluate.calibrate,
    serve.serve,
    answers.check,
    team.cases,
    team.feedback,
    report.report,
    team.faq,
):
    main.add_command(command)
