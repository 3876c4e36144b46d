"""Draft checks together with retrieval: `check`, and drafts quoted inside a question."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import main
from tests.conftest import OTHER_KB, SHIPPED_KNOWLEDGE
from tests.test_answer import CONTRACT_KEYS


def _check(index, *args, input=None):
    run = CliRunner().invoke(
        main, ["check", "--knowledge", str(SHIPPED_KNOWLEDGE), "--index", str(index), *args], input=input
    )
    assert run.exit_code == 0, run.output
    return run


def test_check_json_is_the_contract_plus_findings_with_spans_and_citations(shipped_index):
    draft = "Stolz auf mein Team: Leuchtturm läuft! Umsatz im Q3 +12 %. Details: https://wiki.nordhafen.intern/q3"
    data = json.loads(_check(shipped_index, "--json", draft).stdout)
    assert list(data) == [*CONTRACT_KEYS, "findings"]
    assert data["verdict"] == "not_allowed"
    rules = {f["rule"] for f in data["findings"]}
    assert {"code-names", "financial-figures", "internal-links"} <= rules
    for f in data["findings"]:
        assert draft[f["start"] : f["end"]] == f["matched"]
        assert f["citation"]["anchor"] in f["anchors"]
    assert data["citations"][0]["anchor"] in {"confidential", "financial-information"}


def test_a_crisis_draft_escalates_and_a_clean_draft_passes(shipped_index):
    crisis = json.loads(
        _check(shipped_index, "--json", "Wegen des Datenlecks bei uns: keine Panik, alles halb so wild!").stdout
    )
    assert crisis["escalate"] and crisis["verdict"] in ("ask_team", "not_allowed")
    clean = json.loads(
        _check(shipped_index, "--json", "Ich arbeite bei Nordhafen und freue mich auf die Messe in Hamburg.").stdout
    )
    assert clean["findings"] == []


def test_an_attached_image_adds_the_consent_and_copyright_reminders(shipped_index):
    data = json.loads(_check(shipped_index, "--json", "--attach", "image", "Schöner Abend mit dem Team!").stdout)
    assert {f["rule"] for f in data["findings"]} == {"media-consent", "media-copyright"}
    assert {f["citation"]["anchor"] for f in data["findings"]} == {"photos-videos", "copyright"}
    assert data["verdict"] in ("conditional", "ask_team")


def test_check_reads_the_draft_from_stdin_and_highlights_findings(shipped_index):
    run = _check(shipped_index, input="Kontakt für Rückfragen: anna.meier@gmx.de\n")
    assert "Findings in the draft:" in run.output and "contact-data" in run.output
    assert "anna.meier@gmx.de" in run.output


def test_a_draft_quoted_in_a_question_is_checked_but_a_plain_question_is_not(shipped_service):
    quoted = shipped_service.answer("Kann ich das so posten: „Unser Q3-Umsatz lag bei 12,4 Mio € – super Quartal!“")
    assert quoted.verdict == "not_allowed"
    assert "financial-figures" in {f.finding.rule_id for f in quoted.findings}
    plain = shipped_service.answer("Darf ich auf LinkedIn schreiben, dass ich bei Nordhafen arbeite?")
    assert plain.findings == []


def test_a_pasted_post_without_quotes_is_checked_too(shipped_service):
    answer = shipped_service.answer("Stolz auf unser Team: der Polarstern-Prototyp läuft endlich stabil #nordhafen")
    assert "code-names" in {f.finding.rule_id for f in answer.findings}
    assert answer.verdict == "not_allowed"


def test_a_harmless_draft_is_judged_by_its_checks_and_goes_to_nobody(shipped_index):
    """Issue 17, point 1: no findings said plainly, with what the checks looked for; no case."""
    for draft, looked_for in (
        ("Was für ein schöner Sonnenuntergang heute am Hafen…", "Geschäftszahlen"),
        ("What a lovely sunset at the harbour today", "business figures"),
    ):
        data = json.loads(_check(shipped_index, "--json", draft).stdout)
        assert data["findings"] == []
        assert (data["verdict"], data["escalate"], data["route"]) == ("allowed", False, None)
        assert looked_for in data["answer"] and "Rechtsabteilung" not in data["answer"]


def test_a_question_inside_a_checked_text_is_still_answered_as_a_question(shipped_service):
    answer = shipped_service.answerer().answer(
        "Darf ich das posten? Schöner Sonnenuntergang am Hafen", whole_text_is_draft=True
    )
    assert answer.retrieval is not None  # searched as a question, not judged as a post


def test_check_runs_the_rules_without_an_index_and_cites_nothing(tmp_path):
    """Issue 17, point 2: the rules need no index; only the citations do."""
    draft = "Stolz auf mein Team: Leuchtturm läuft! Umsatz im Q3 +12 %."
    run = CliRunner().invoke(
        main, ["check", "--json", "--knowledge", str(SHIPPED_KNOWLEDGE), "--index", str(tmp_path / "no-such"), draft]
    )
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert data["verdict"] == "not_allowed" and data["citations"] == []
    assert {"code-names", "financial-figures"} <= {f["rule"] for f in data["findings"]}
    assert all(f["citation"] is None for f in data["findings"])
    assert "no index at" in run.stderr and "without citations" in run.stderr


def test_generic_findings_cite_the_best_matching_section_of_a_knowledge_base_without_checks(other_index):
    """tests/data/other_kb has no checks.yaml: the generic rules check the draft, and each finding
    cites the section of that knowledge base that matches the rule best (issue 17, point 4)."""

    def check(draft):
        run = CliRunner().invoke(
            main, ["check", "--knowledge", str(OTHER_KB), "--index", str(other_index), "--json", draft]
        )
        assert run.exit_code == 0, run.output
        assert "no checks.yaml; the generic checks ran" in run.stderr
        return json.loads(run.stdout)

    figures = check("Great quarter, we grew 15 percent!")
    assert {f["rule"] for f in figures["findings"]} == {"financial-figures"}
    assert figures["escalate"] and figures["verdict"] == "ask_team"
    crisis = check("Großbrand in der Werkhalle, mehrere Verletzte")
    assert {f["citation"]["anchor"] for f in crisis["findings"]} <= {
        "krisenkommunikation",
        "6-2-major-incidents-and-emergencies",
    }
    insult = check("What a moron, screw you")
    assert {f["citation"]["anchor"] for f in insult["findings"]} == {"8-1-responding-to-abuse-and-negative-comments"}
    assert insult["citations"][0]["anchor"] == "8-1-responding-to-abuse-and-negative-comments"
    for data in (figures, crisis, insult):
        assert all(f["anchors"] == [] and f["citation"] is not None for f in data["findings"])
