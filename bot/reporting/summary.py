"""The week in a few lines for Slack: the numbers that answer "does the bot help?" and the top
three things to fix, ranked by how many questions or cases each concerns. In German or English;
no question text. Pure: made from a built ``Report``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.reporting.report import Report
from bot.texts import Catalogue

TEXTS = Catalogue(
    {
        "title": {"de": "Die Woche des Richtlinien-Bots", "en": "The guidelines bot's week"},
        "numbers": {
            "de": "{questions} Fragen ({change} zur Vorwoche), {coverage} vom Bot selbst beantwortet, "
            "{handed} ans Team gegeben. {down} × 👎. Offene Fälle gerade: {waiting}.",
            "en": "{questions} questions ({change} on the week before), {coverage} answered by the bot itself, "
            "{handed} handed to the team. {down} × 👎. Cases waiting now: {waiting}.",
        },
        "times": {
            "de": "Das Team hat im Mittel nach {claim} übernommen und nach {reply} zuerst geantwortet.",
            "en": "The team claimed after {claim} and first replied after {reply} (median).",
        },
        "fixes": {"de": "Zuerst angehen:", "en": "Fix first:"},
        "nothing": {"de": "Nichts Dringendes.", "en": "Nothing urgent."},
        "fix_faq": {
            "de": "FAQ-Eintrag `{id}`: {n} × 👎{reasons}. Antwort oder Formulierungen in faq.yaml verbessern.",
            "en": "FAQ entry `{id}`: {n} × 👎{reasons}. Improve its answer or phrasings in faq.yaml.",
        },
        "fix_not_covered": {
            "de": "{n} Fragen, die die Richtlinien nicht abdecken (Thema {topic}, am nächsten: {section}). "
            "Ein FAQ-Eintrag oder ein klarerer Abschnitt?",
            "en": "{n} questions the guidelines do not cover (topic {topic}, nearest: {section}). "
            "A FAQ entry or a clearer section?",
        },
        "fix_coverage": {
            "de": "Thema {topic}: nur {bot} von {n} Fragen hat der Bot selbst beantwortet.",
            "en": "Topic {topic}: the bot answered only {bot} of {n} questions itself.",
        },
        "fix_waiting": {
            "de": "Offene Fälle: {n}, der älteste ({id}) wartet seit {waiting}.",
            "en": "Cases waiting: {n}, the oldest ({id}) for {waiting}.",
        },
        "footer": {
            "de": "Alles im Detail: `guidelines-bot report --html bericht.html`",
            "en": "All the details: `guidelines-bot report --html report.html`",
        },
    }
)


@dataclass(frozen=True)
class Summary:
    title: str
    lines: list[str]
    fixes: list[str]
    footer: str

    def as_text(self, language: str) -> str:
        fixes = [f"{i}. {fix}" for i, fix in enumerate(self.fixes, 1)] or [TEXTS.text("nothing", language)]
        return "\n".join([f"*{self.title}*", *self.lines, "", TEXTS.text("fixes", language), *fixes, "", self.footer])


def _same(value: str) -> str:
    return value


def summarize(report: Report, language: str = "de", top: int = 3, escape: Callable[[str], str] = _same) -> Summary:
    """``escape`` is applied to what people wrote or named (reasons, ids, topics, headings)."""
    t = TEXTS.text
    summary = {row[0]: row for row in report["summary"].rows}
    questions, _, change = summary["questions"][1:4]
    coverage = summary["answered by the bot (%)"][1]
    lines = [
        t(
            "numbers",
            language,
            questions=questions,
            change=change,
            coverage="–" if coverage == "–" else f"{round(coverage)} %",
            handed=summary["handed to the team"][1],
            down=summary["rated not helpful"][1],
            waiting=summary["cases waiting now"][1],
        )
    ]
    times = {row[0]: row for row in report["response_times"].rows}.get("all contacts")
    if times and times[1]:
        lines.append(t("times", language, claim=times[2], reply=times[4]))
    return Summary(
        t("title", language), lines, [text for _, text in _fixes(report, language, escape)[:top]], t("footer", language)
    )


def _fixes(report: Report, language: str, escape: Callable[[str], str]) -> list[tuple[int, str]]:
    """Candidates with the number of questions or cases each concerns, most first."""
    t = TEXTS.text
    found: list[tuple[int, str]] = []
    for entry, down, _, reasons in report["faq_thumbs_down"].rows[:2]:
        said = f" ({escape(reasons)})" if reasons else ""
        found.append((down, t("fix_faq", language, id=escape(entry), n=down, reasons=said)))
    for topic, anchor, heading, n, _ in report["not_covered"].rows[:2]:
        found.append((n, t("fix_not_covered", language, n=n, topic=escape(topic), section=escape(heading or anchor))))
    for topic, n, bot, team, coverage, _ in report["coverage_by_topic"].rows:
        if n >= 2 and coverage != "–" and coverage < 50:
            found.append((team, t("fix_coverage", language, topic=escape(topic), bot=bot, n=n)))
    waiting = report["cases_waiting"].rows
    if waiting:
        found.append(
            (len(waiting), t("fix_waiting", language, n=len(waiting), id=waiting[0][0], waiting=waiting[0][-1]))
        )
    return sorted(found, key=lambda item: -item[0])
