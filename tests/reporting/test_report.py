"""The team's report on a simulated week: real answers of the core (small knowledge base, hashing
embedder) traced into the store at injected times, cases worked through CaseService, ratings;
every figure checked against counts made here from the schedule. Both store back ends."""

from __future__ import annotations

import base64
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.errors import ConfigError
from bot.escalation import CaseService, NewCase, Policy
from bot.escalation.hours import BusinessHours
from bot.escalation.model import Case
from bot.index.build import reindex
from bot.index.embedding import make_embedder
from bot.knowledge import load_knowledge
from bot.reporting.render import charts, html_page, write_csv
from bot.reporting.report import Period, ReportData, Targets, build, gather, percentile, section_titles
from bot.reporting.summary import summarize
from bot.reporting.trace import trace
from bot.service import AnswerService
from bot.store import AnswerRecord, Feedback, open_store
from bot.store.database import utcnow
from tests.conftest import small_kb_files, write_kb
from tests.store.conftest import pg_schema_factory, store, store_target  # noqa: F401 - fixtures

NOW = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # a Monday; the period is the week before
QUESTIONS = {
    "photo": "Darf ich Fotos vom Sommerfest posten?",
    "press": "Eine Journalistin hat mich angerufen: Presseanfrage zu unserem Produkt. Was darf ich sagen?",
}
# (question id, when, surface, question): this week, then the week before
WEEK = [
    ("a1", datetime(2026, 3, 2, 10, 0, tzinfo=UTC), "dm", "photo"),
    ("a2", datetime(2026, 3, 2, 11, 0, tzinfo=UTC), "dm", "photo"),
    ("a3", datetime(2026, 3, 2, 12, 0, tzinfo=UTC), "mention", "press"),
    ("a4", datetime(2026, 3, 3, 9, 30, tzinfo=UTC), "command", "photo"),
    ("a5", datetime(2026, 3, 5, 15, 0, tzinfo=UTC), "dm", "press"),
    ("a6", datetime(2026, 3, 8, 20, 0, tzinfo=UTC), "dm", "photo"),
]
BEFORE = [
    ("b1", datetime(2026, 2, 24, 10, 0, tzinfo=UTC), "dm", "photo"),
    ("b2", datetime(2026, 2, 25, 10, 0, tzinfo=UTC), "mention", "press"),
    ("b3", datetime(2026, 3, 1, 10, 0, tzinfo=UTC), "dm", "photo"),
]
MIN = timedelta(minutes=1)


def kb_files() -> dict[str, str]:
    """The small knowledge base and a section nobody asks about."""
    files = small_kb_files()
    files["guidelines/de/richtlinien.md"] += "\n## Werbung {#ads}\n\nWerbung nur mit Freigabe.\n"
    return files


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory):
    return write_kb(tmp_path_factory.mktemp("kb") / "knowledge", kb_files())


@pytest.fixture(scope="module")
def service(knowledge):
    embedder = make_embedder("hashing-64")
    reindex(knowledge, knowledge.parent / "index", embedder)
    return AnswerService(knowledge, knowledge.parent / "index", embedder)


@pytest.fixture(scope="module")
def sections(knowledge):
    return section_titles(load_knowledge(knowledge).knowledge.sections)


@pytest.fixture
def week(store, service):  # noqa: F811 - the fixture imported above
    """The store after the simulated fortnight; returns the traces by id."""
    cases = CaseService(store, Policy())
    traces = {}
    for qid, at, surface, key in BEFORE + WEEK:
        answer = service.answer(QUESTIONS[key])
        record = trace(answer, qid, surface, at, latency_ms=800 + 100 * len(traces))
        store.answers.record(record)
        traces[qid] = record
        if answer.escalate:
            new = NewCase(
                qid, answer.question, answer.language, "U0ASKER", surface, answer.route, "C0TEAM", answer.topic
            )
            cases.open(new, now=at)
    # a3: claimed after 30 min, first reply after 1 h, resolved after 3 h
    cases.claim("a3", "U0TEAM", True, now=WEEK[2][1] + 30 * MIN)
    cases.team_reply("a3", "U0TEAM", True, "Bitte nichts sagen.", now=WEEK[2][1] + 60 * MIN)
    cases.resolve("a3", "U0TEAM", True, "Nicht posten.", "not_allowed", now=WEEK[2][1] + 180 * MIN)
    # a5: claimed after 2 h, nothing since: waiting now
    cases.claim("a5", "U0TEAM", True, now=WEEK[4][1] + 120 * MIN)
    # b2: answered by a reply after 10 min (the reply claims it), resolved after 1 h
    cases.team_reply("b2", "U0TEAM", True, "Ich melde mich.", now=BEFORE[1][1] + 10 * MIN)
    cases.resolve("b2", "U0TEAM", True, "Erledigt.", None, now=BEFORE[1][1] + 60 * MIN)
    # ratings
    store.record_feedback(
        Feedback("a1", "U1", False, reason="zu allgemein", faq_id="event-photos"), now=NOW - 6 * 24 * 60 * MIN
    )
    store.record_feedback(Feedback("a2", "U2", True, faq_id="event-photos"), now=NOW - 6 * 24 * 60 * MIN)
    store.record_feedback(Feedback("a6", "U3", False, faq_id="event-photos"), now=NOW - 10 * MIN)
    store.record_feedback(
        Feedback("b1", "U4", False, reason="alt", faq_id="event-photos"), now=NOW - 12 * 24 * 60 * MIN
    )
    return traces


def the_report(store, sections, days=7):  # noqa: F811
    period = Period.last_days(days, NOW)
    return build(gather(store, period.previous.start, sections), period, NOW)


def rows(report, name):
    return {str(row[0]): row[1:] for row in report[name].rows}


def test_every_figure_of_a_simulated_week(store, week, sections):  # noqa: F811
    this = [week[qid] for qid, *_ in WEEK]
    before = [week[qid] for qid, *_ in BEFORE]
    escalated = [t for t in this if t.escalated]
    assert {t.id for t in escalated} == {"a3", "a5"}  # the press questions go to the team
    report = the_report(store, sections)

    summary = rows(report, "summary")
    assert summary["questions"][:2] == [6, 3]
    assert summary["answered by the bot (%)"][:2] == [round(100 * 4 / 6, 1), round(100 * 2 / 3, 1)]
    assert summary["handed to the team"][:3] == [2, 1, "+1"]
    assert summary["median answer time (s)"][0] == percentile([t.latency_ms for t in this], 0.5) / 1000
    assert summary["rated not helpful"][:2] == [2, 1] and summary["rated helpful"][:2] == [1, 0]
    assert summary["cases opened"][:2] == [2, 1] and summary["cases resolved"][:2] == [1, 1]
    assert summary["cases waiting now"][0] == 1

    per_day = rows(report, "questions_per_day")
    columns = report["questions_per_day"].columns
    assert columns == ["day", "dm", "mention", "command", "total"]
    expected = Counter((at.date().isoformat(), surface) for _, at, surface, _ in WEEK)
    for day, cells in per_day.items():
        if day != "total":
            assert cells == [*(expected[day, s] for s in ("dm", "mention", "command")), sum(cells[:3])]
    assert len(per_day) == 8 + 1  # 2 Mar 09:00 to 9 Mar 09:00 touches eight days, then the total
    assert per_day["total"] == [4, 1, 1, 6]
    assert rows(report, "questions_per_surface") == {
        "dm": [4, 2, "+2"],
        "mention": [1, 1, "0"],
        "command": [1, 0, "+1"],
    }

    by_topic = rows(report, "coverage_by_topic")
    for topic in {t.topic or "(no topic)" for t in this}:
        mine = [t for t in this if (t.topic or "(no topic)") == topic]
        bot = sum(not t.escalated for t in mine)
        assert by_topic[topic][:3] == [len(mine), bot, len(mine) - bot]
        assert by_topic[topic][3] == round(100 * bot / len(mine))
    by_language = rows(report, "coverage_by_language")
    assert by_language == {"de": [6, 4, 2, 67, 67]}

    reasons = rows(report, "handover_reasons")
    codes = Counter(t.escalation_reason for t in escalated)
    assert {code: cells[1] for code, cells in reasons.items()} == dict(codes)
    assert sum(cells[2] for cells in reasons.values()) == 1
    assert report["not_covered"].rows == [] and "not_covered" not in codes

    cited = Counter(anchor for t in this for anchor in t.anchors)
    cited_before = Counter(anchor for t in before for anchor in t.anchors)
    most = rows(report, "sections_cited_most")
    assert {anchor: cells[1:] for anchor, cells in most.items()} == {a: [n, cited_before[a]] for a, n in cited.items()}
    never = rows(report, "sections_never_cited")
    assert set(never) == set(sections) - set(cited) and "ads" in never

    faq_down = rows(report, "faq_thumbs_down")
    assert faq_down == {"event-photos": [2, 1, "zu allgemein"]}
    section_down = rows(report, "sections_thumbs_down")
    first = week["a1"].anchors[0]
    assert first == week["a6"].anchors[0] and section_down[first][1:3] == [2, 1]

    times = {row[0]: row[1:] for row in report["response_times"].rows}
    contact = "social-media-team"  # routing.yaml of the small knowledge base
    # claim: 30 min and 2 h; first reply: 1 h (a5 has none yet); resolved: 3 h (a5 is not)
    assert times[contact] == [2, "30 min", "2 h 00 min", "1 h 00 min", "1 h 00 min", "3 h 00 min", "3 h 00 min"]
    assert times["all contacts"] == times[contact]
    assert times["all, previous period"] == [1, "10 min", "10 min", "10 min", "10 min", "1 h 00 min", "1 h 00 min"]

    [waiting] = report["cases_waiting"].rows
    assert waiting[:3] == ["a5", "claimed", contact] and waiting[-1] == "3 d 18 h"  # 5 Mar 15:00 to 9 Mar 09:00


def test_html_and_csv_show_no_question_text(store, week, sections, tmp_path):  # noqa: F811
    report = the_report(store, sections)
    plots = charts(report)
    assert set(plots) == {"questions_per_day", "coverage_by_topic", "handover_reasons"}
    assert all(png.startswith(b"\x89PNG") for png in plots.values())
    page = html_page(report, plots)
    images = re.findall(r"src='data:image/png;base64,([^']+)'", page)
    assert [base64.b64decode(i) for i in images] == list(plots.values())
    assert "<h2>Cases waiting now (wall-clock time)</h2>" in page and "a5" in page
    assert "http" not in page  # nothing loaded from elsewhere
    written = write_csv(report, tmp_path / "csv")
    assert {p.stem for p in written} == set(report.tables)
    shown = page + "".join(p.read_text() for p in written)
    for question in QUESTIONS.values():
        assert question not in shown and question[:20] not in shown
    assert "Journalistin" not in shown and "Sommerfest" not in shown


def test_questions_declined_as_not_about_the_guidelines_do_not_count_as_answered(store, sections):  # noqa: F811
    """Off-topic and nothing-to-judge messages get no verdict and open no case: the report counts
    them apart, and coverage is over the questions about the guidelines."""
    at = NOW - 2 * 24 * 60 * MIN

    def record(qid: str, verdict: str | None, escalated: bool) -> None:
        store.answers.record(
            AnswerRecord(
                id=qid,
                answered_at=at,
                surface="dm",
                language="de",
                verdict=verdict,
                confidence=0.9 if verdict else 0.0,
                escalated=escalated,
                escalation_reason="low_confidence" if escalated else None,
                topic="photos",
                faq_id=None,
                anchors=(),
                latency_ms=500,
            )
        )

    record("d1", "conditional", False)
    record("d2", "ask_team", True)
    record("d3", None, False)  # told it is maybe not about the guidelines
    record("d4", None, False)
    report = the_report(store, sections)
    summary = rows(report, "summary")
    assert summary["questions"][0] == 4
    assert summary["answered by the bot (%)"][0] == 50.0  # 1 of the 2 about the guidelines
    assert summary["no verdict, no case (off-topic, nothing to judge)"][0] == 2
    assert rows(report, "coverage_by_topic")["photos"][:4] == [4, 1, 1, 50]


def test_an_empty_store_gives_an_empty_report(store, sections):  # noqa: F811
    report = the_report(store, sections)
    assert rows(report, "summary")["questions"][:2] == [0, 0]
    assert report["cases_waiting"].rows == [] and charts(report) == {}
    assert "<h2>" in html_page(report)


def test_the_command_writes_tables_csv_and_html(tmp_path, monkeypatch):
    knowledge = write_kb(tmp_path / "knowledge", small_kb_files())
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = open_store(index_dir=tmp_path / "index")
    db.answers.record(
        AnswerRecord(
            "q1",
            utcnow() - timedelta(hours=1),
            "dm",
            "de",
            "allowed",
            0.9,
            False,
            None,
            "photos",
            None,
            ("photos",),
            700,
        )
    )
    db.close()
    result = CliRunner().invoke(
        main,
        [
            "report",
            "--knowledge",
            str(knowledge),
            "--index",
            str(tmp_path / "index"),
            "--csv",
            str(tmp_path / "csv"),
            "--html",
            str(tmp_path / "report.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Questions per day and surface" in result.output and "| questions " in result.output
    assert (tmp_path / "csv" / "summary.csv").read_text().splitlines()[1].startswith("questions,1,0")
    assert "data:image/png;base64," in (tmp_path / "report.html").read_text()


def uncovered(qid: str, at: datetime, topic: str | None, anchors: tuple[str, ...], text: str | None = None):
    return AnswerRecord(qid, at, "dm", "de", "ask_team", 0.0, True, "not_covered", topic, None, anchors, 900, text)


def test_questions_not_covered_are_grouped_by_topic_and_nearest_section(store, sections):  # noqa: F811
    at = NOW - timedelta(days=2)
    for record in (
        uncovered("n1", at, None, ("press", "top")),
        uncovered("n2", at, None, ("press",)),
        uncovered("n3", at, "photos", ("photos",)),
        uncovered("n4", NOW - timedelta(days=9), None, ("press",)),  # the previous period
    ):
        store.answers.record(record)
    report = the_report(store, sections)
    assert report["not_covered"].rows == [
        ["(no topic)", "press", "Presse / Press", 2, ""],
        ["photos", "photos", "Fotos und Videos / Photos and videos", 1, ""],
    ]


def test_not_covered_texts_are_shown_only_when_stored(store, sections):  # noqa: F811
    store.answers.record(uncovered("n1", NOW - timedelta(days=1), None, ("press",), "Darf ich über den Streik posten?"))
    store.answers.record(uncovered("n2", NOW - timedelta(days=1), None, ("press",)))
    [row] = the_report(store, sections)["not_covered"].rows
    assert row[3:] == [2, "Darf ich über den Streik posten?"]


def test_the_team_s_times_in_business_hours(store, week, sections):  # noqa: F811
    """a5 came on Thursday at 16:00 in Berlin, was claimed at 18:00 (one working hour) and has
    waited Thursday 16–17, Friday and Monday 9–10 by now: ten working hours, not three and a half days."""
    period = Period.last_days(7, NOW)
    report = build(gather(store, period.previous.start, sections), period, NOW, BusinessHours())
    times = {row[0]: row[1:] for row in report["response_times"].rows}
    assert times["social-media-team"] == [
        2,
        "30 min",
        "1 h 00 min",
        "1 h 00 min",
        "1 h 00 min",
        "3 h 00 min",
        "3 h 00 min",
    ]
    assert times["all, previous period"] == [1, "10 min", "10 min", "10 min", "10 min", "1 h 00 min", "1 h 00 min"]
    assert "business hours, Mon–Fri 09:00–17:00 Europe/Berlin" in report["response_times"].title
    [waiting] = report["cases_waiting"].rows
    assert waiting[0] == "a5" and waiting[-1] == "10 h 00 min"


def test_the_team_s_targets(store, week, sections):  # noqa: F811
    """Wall clock, targets 30 min / 4 h / 8 h: a3 was claimed in 30 min, answered in 1 h, resolved
    in 3 h; a5 was claimed after 2 h, has no reply after more than 4 h and is not resolved after 8."""
    period = Period.last_days(7, NOW)
    report = build(gather(store, period.previous.start, sections), period, NOW)
    assert report["targets"].columns == [
        "contact",
        "claimed within 30 min",
        "first reply within 4 h 00 min",
        "resolved within 8 h 00 min",
    ]
    rows = {row[0]: row[1:] for row in report["targets"].rows}
    assert rows["social-media-team"] == ["1 of 2 (50 %)", "1 of 2 (50 %)", "1 of 2 (50 %)"]
    assert rows["all, previous period"] == ["1 of 1 (100 %)", "1 of 1 (100 %)", "1 of 1 (100 %)"]
    strict = Targets(timedelta(minutes=20), timedelta(minutes=45), timedelta(hours=2))
    tight = build(gather(store, period.previous.start, sections), period, NOW, targets=strict)
    assert {row[0]: row[1:] for row in tight["targets"].rows}["social-media-team"] == [
        "0 of 2 (0 %)",
        "0 of 2 (0 %)",
        "0 of 2 (0 %)",
    ]
    # an open case is judged once its target has passed
    fresh = Case("c1", "open", 1, "de", "U1", "dm", "team", NOW - 10 * MIN)
    late = Case("c2", "open", 1, "de", "U1", "dm", "team", NOW - 40 * MIN)
    report = build(ReportData([], [fresh, late], []), period, NOW)
    assert {row[0]: row[1:] for row in report["targets"].rows}["team"] == ["0 of 1 (0 %)", "–", "–"]


def test_targets_from_the_environment():
    assert Targets.from_env({}) == Targets()
    assert Targets.from_env({"GUIDELINES_BOT_TARGET_CLAIM_MINUTES": "15"}).claim == timedelta(minutes=15)
    with pytest.raises(ConfigError, match="GUIDELINES_BOT_TARGET_REPLY_HOURS='soon' is not a number"):
        Targets.from_env({"GUIDELINES_BOT_TARGET_REPLY_HOURS": "soon"})


def test_the_week_in_a_few_lines_in_both_languages(store, week, sections):  # noqa: F811
    report = the_report(store, sections)
    german = summarize(report, "de")
    assert german.lines[0] == (
        "6 Fragen (+3 zur Vorwoche), 67 % vom Bot selbst beantwortet, 2 ans Team gegeben. 2 × 👎. "
        "Offene Fälle gerade: 1."
    )
    assert german.lines[1] == "Das Team hat im Mittel nach 30 min übernommen und nach 1 h 00 min zuerst geantwortet."
    # ranked by what they concern: two 👎, the press topic's two questions, one waiting case
    assert german.fixes == [
        "FAQ-Eintrag `event-photos`: 2 × 👎 (zu allgemein). Antwort oder Formulierungen in faq.yaml verbessern.",
        "Thema press: nur 0 von 2 Fragen hat der Bot selbst beantwortet.",
        "Offene Fälle: 1, der älteste (a5) wartet seit 3 d 18 h.",
    ]
    english = summarize(report, "en").as_text("en")
    assert english.startswith("*The guidelines bot's week*\n6 questions (+3 on the week before), 67 % answered")
    assert "Fix first:\n1. FAQ entry `event-photos`" in english and "guidelines-bot report --html" in english
    for question in QUESTIONS.values():
        assert question not in english


def test_a_quiet_week_has_nothing_urgent(store, sections):  # noqa: F811
    text = summarize(the_report(store, sections), "en").as_text("en")
    assert "0 questions (0 on the week before), – answered by the bot itself" in text and "Nothing urgent." in text


def test_days_are_counted_in_the_team_s_time_zone(store, sections):  # noqa: F811
    """23:30 UTC on Tuesday is Wednesday 00:30 in Berlin."""
    late = datetime(2026, 3, 3, 23, 30, tzinfo=UTC)
    store.answers.record(AnswerRecord("q1", late, "dm", "de", "allowed", 0.9, False, None, None, None, (), 500))
    period = Period.last_days(7, NOW)
    data = gather(store, period.previous.start, sections)
    utc = {row[0]: row[-1] for row in build(data, period, NOW)["questions_per_day"].rows}
    berlin = build(data, period, NOW, BusinessHours())["questions_per_day"]
    assert utc["2026-03-03"] == 1 and utc["2026-03-04"] == 0
    assert {row[0]: row[-1] for row in berlin.rows}["2026-03-04"] == 1 and "Europe/Berlin" in berlin.title
