"""The engine: attachments, severities and verdicts, exclude/near/unless, findings."""

from __future__ import annotations

import pytest

from bot.checks import Finding, attachment_kind, draft_verdict, overall_severity, verdict_for
from tests.checks.conftest import make_engine, rule_ids

SLACK_IMAGE = {"id": "F1", "name": "sommerfest.jpg", "mimetype": "image/jpeg", "filetype": "jpg"}
SLACK_VIDEO = {"id": "F2", "name": "clip.mp4", "mimetype": "video/mp4", "filetype": "mp4"}
SLACK_PDF = {"id": "F3", "name": "agenda.pdf", "mimetype": "application/pdf", "filetype": "pdf"}


@pytest.mark.parametrize(
    ("attachment", "kind"),
    [
        (SLACK_IMAGE, "image"),
        (SLACK_VIDEO, "video"),
        (SLACK_PDF, None),
        ("image/png", "image"),
        ("video/quicktime", "video"),
        ("image", "image"),
        ({"filetype": "heic"}, "image"),
        ("text/plain", None),
        (None, None),
    ],
)
def test_attachment_kind(attachment, kind):
    assert attachment_kind(attachment) == kind


@pytest.mark.parametrize("files", [[SLACK_IMAGE], [SLACK_VIDEO], [SLACK_PDF, SLACK_IMAGE], ["image"]])
def test_image_or_video_adds_consent_and_copyright_reminders(engine, files):
    findings = [f for f in engine.check("Toller Abend beim Sommerfest!", files) if f.kind == "reminder"]
    assert [(f.rule_id, f.severity, f.anchors) for f in findings] == [
        ("media-consent", "warn", ("photos-videos",)),
        ("media-copyright", "warn", ("copyright",)),
    ]
    assert "zugestimmt" in findings[0].describe("de") and "agreed" in findings[0].describe("en")
    assert findings[0].matched == "" and findings[0].fix("en")


@pytest.mark.parametrize("files", [[], [SLACK_PDF], ["text/plain"]])
def test_no_reminders_without_image_or_video(engine, files):
    assert engine.check("Toller Abend beim Sommerfest!", files) == []


def test_reminders_come_after_text_findings_and_findings_are_in_text_order(engine):
    draft = "Das Datenleck ist streng vertraulich."
    findings = engine.check(draft, [SLACK_IMAGE])
    assert [f.rule_id for f in findings] == ["crisis-topic", "confidential-marker", "media-consent", "media-copyright"]
    assert [f.start for f in findings[:2]] == [4, 25]


def _finding(severity: str) -> Finding:
    return Finding("r", severity, ("a",), 0, 1, "x", {"de": "d", "en": "e"})


@pytest.mark.parametrize(
    ("severities", "worst", "verdict", "escalate"),
    [
        ([], None, None, False),
        (["warn"], "warn", "conditional", False),
        (["warn", "ask_team"], "ask_team", "ask_team", True),
        (["ask_team", "block", "warn"], "block", "not_allowed", True),
        (["block", "warn"], "block", "not_allowed", False),
    ],
)
def test_overall_severity_and_verdict(severities, worst, verdict, escalate):
    findings = [_finding(s) for s in severities]
    assert overall_severity(findings) == worst
    assert draft_verdict(findings) == (verdict, escalate)


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        ("block", ("not_allowed", False)),
        ("ask_team", ("ask_team", True)),
        ("warn", ("conditional", False)),
        (None, (None, False)),
    ],
)
def test_verdict_for_severity(severity, expected):
    assert verdict_for(severity) == expected


RULES = """\
lists:
  products: [HafenFlow]
rules:
  - id: money
    severity: block
    anchors: [a]
    description: {de: Geld, en: Money}
    words: [umsatz*]
    near:
      within: 20
      patterns: ['\\d+\\s?%']
  - id: secret
    severity: warn
    anchors: [a]
    description: {de: Geheim, en: Secret}
    message: {de: Lass es, en: Leave it}
    words: [vertraulich~]
    exclude:
      patterns: ['vertraulich\\w*\\s+behandelt']
  - id: product
    severity: warn
    anchors: [a]
    description: {de: Produkt, en: Product}
    lists: [products]
    unless:
      words: [ich arbeite]
"""


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("Umsatz +12 %", {"money"}),
        ("Umsatzwachstum: 12 %", {"money"}),
        ("Umsatz ist ein Wort, und viel später im Text stehen 12 %", set()),
        ("vertrauliche Infos", {"secret"}),
        ("wird vertraulich behandelt", set()),
        ("wird vertraulich behandelt, aber das hier ist vertraulich", {"secret"}),
        ("HafenFlow ist super", {"product"}),
        ("Ich arbeite bei Nordhafen. HafenFlow ist super", set()),
    ],
)
def test_near_exclude_unless(tmp_path, draft, expected):
    assert rule_ids(make_engine(tmp_path, RULES), draft) == expected


def test_near_finding_marks_both_parts_not_the_text_between_and_serialises(tmp_path):
    engine = make_engine(tmp_path, RULES)
    word, figure = engine.check("Der Umsatz stieg um 12 % im Jahr")
    assert (word.matched, figure.matched) == ("Umsatz", "12 %")
    assert figure.to_dict() == {
        "rule": "money",
        "severity": "block",
        "anchors": ["a"],
        "start": 20,
        "end": 24,
        "matched": "12 %",
        "kind": "match",
        "description": {"de": "Geld", "en": "Money"},
        "message": {},
    }


def test_a_figure_is_marked_not_the_rest_of_the_sentence(engine):
    """Issue 17, point 3: the risky words, not everything from the first to the last."""
    draft = "Umsatz im Q3 lag bei 48 Mio. Euro, danke an Reederei Hansen für den Großauftrag"
    marked = [f.matched for f in engine.check(draft)]
    assert "48 Mio. Euro" in marked
    assert all("danke" not in m and len(m) <= len("48 Mio. Euro") for m in marked)


def test_one_span_is_reported_once_by_its_most_specific_rule(engine):
    """Issue 17, point 3: a code name inside an internal link is the link's finding."""
    [link] = engine.check("Schaut mal: https://wiki.nordhafen.intern/leuchtturm/roadmap")
    assert link.rule_id == "internal-links" and link.matched.endswith("/leuchtturm/roadmap")
    measured = engine.check("Schaut mal: https://wiki.nordhafen.intern/leuchtturm/roadmap", one_per_span=False)
    assert {f.rule_id for f in measured} == {"internal-links", "code-names"}  # each rule still measured


def test_overlapping_hits_of_one_rule_become_one_finding(tmp_path):
    engine = make_engine(tmp_path, RULES.replace("words: [vertraulich~]", "words: [vertraulich~, streng vertraulich~]"))
    [finding] = engine.check("streng vertrauliche Sache")
    assert finding.matched == "streng vertrauliche"
    assert finding.fix("de") == "Lass es" and finding.describe("fr") == "Geheim"


def test_empty_draft_has_no_findings(engine):
    assert engine.check("") == []
