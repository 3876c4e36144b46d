"""The bundled generic rules: any knowledge base without checks.yaml checks drafts, and the
shipped checks.yaml works in another knowledge base (issue 17, point 4)."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from bot.checks import generic_checks
from bot.checks.loader import GENERIC_CHECKS
from bot.knowledge import load_knowledge
from bot.knowledge.problems import errors, warnings
from tests.conftest import OTHER_KB, ROOT, SHIPPED_KNOWLEDGE

FLAGGED = [
    ("Great quarter, we grew 15 percent!", "financial-figures", "15 percent"),
    ("Umsatz im Q3 lag bei 48 Mio. Euro", "financial-figures", "48 Mio. Euro"),
    ("Revenue hit 3 million USD this year", "financial-figures", "3 million USD"),
    ("Anbei die vertrauliche Präsentation", "confidential-marker", "vertrauliche"),
    ("Slides from the NDA meeting", "confidential-marker", "NDA"),
    ("Das ist nur intern, bitte nicht weitergeben", "confidential-marker", "nur intern"),
    ("Ruft mich an: +49 40 1234567", "contact-data", "+49 40 1234567"),
    ("Write to anna.meier@gmx.de", "contact-data", "anna.meier@gmx.de"),
    ("Spenden an DE89 3704 0044 0532 0130 00", "contact-data", "DE89 3704 0044 0532 0130 00"),
    ("Meine Kollegin ist krankgeschrieben", "health-data", "krankgeschrieben"),
    ("Our nurse was diagnosed last week", "health-data", "diagnosed"),
    ("Du bist so dumm", "insults", "Du bist so dumm"),
    ("What a moron", "insults", "moron"),
    ("So ein Scheiß", "profanity", "Scheiß"),
    ("Schwerer Unfall auf dem Gelände", "crisis-topic", "Unfall"),
    ("Der Brand in Halle 3 ist gelöscht", "crisis-topic", "Der Brand"),
    ("Rückrufaktion für unser Modell X", "crisis-topic", "Rückrufaktion"),
    ("Our product recall starts today", "crisis-topic", "product recall"),
    ("There was an accident at the plant", "crisis-topic", "accident"),
]

NOT_FLAGGED = [
    "Was für ein schöner Sonnenuntergang heute am Hafen",
    "Check out our brand new logo!",
    "I recall our first day at the hospital",
    "Bitte um Rückruf, danke!",
    "Bewerbungen werden vertraulich behandelt",
    "We met by accident at the conference",
    "Our sales team had a great kickoff",
    "Press enquiries: presse@example.com",
]


@pytest.mark.parametrize(("draft", "rule", "matched"), FLAGGED)
def test_the_generic_rules_flag(draft, rule, matched):
    findings = generic_checks().check(draft)
    assert (rule, matched) in {(f.rule_id, f.matched) for f in findings}
    assert all(f.anchors == () for f in findings)  # cited by the best-matching section


@pytest.mark.parametrize("draft", NOT_FLAGGED)
def test_the_generic_rules_leave_alone(draft):
    assert generic_checks().check(draft) == []


def test_every_generic_rule_says_what_it_looks_for_in_both_languages():
    checks = generic_checks()
    assert len(checks) == 7
    for compiled in checks.rules:
        rule = compiled.rule
        assert rule.anchors == [] and rule.label and rule.message
        for texts in (rule.label, rule.description, rule.message):
            assert texts.get("de") and texts.get("en"), rule.id
    assert checks.looks_for("de")[:2] == ["Vertraulichkeitsvermerke", "Geschäftszahlen"]


def test_a_knowledge_base_without_checks_yaml_checks_drafts_with_the_generic_rules():
    assert not (OTHER_KB / "checks.yaml").exists()
    result = load_knowledge(OTHER_KB, environ={})
    assert result.ok
    checks = result.knowledge.checks
    assert checks is generic_checks() and checks.generic
    findings = checks.check("Great quarter, we grew 15 percent!")
    assert {f.rule_id for f in findings} == {"financial-figures"}


def test_the_shipped_checks_copied_into_another_knowledge_base_validate_without_errors(tmp_path):
    root = shutil.copytree(OTHER_KB, tmp_path / "kb")
    shutil.copy(SHIPPED_KNOWLEDGE / "checks.yaml", root / "checks.yaml")
    result = load_knowledge(root, environ={})
    assert errors(result.problems) == []
    unknown = [p for p in warnings(result.problems) if "unknown anchor" in p.message]
    assert len(unknown) == 14
    checks = result.knowledge.checks
    assert len(checks) == 14 and not checks.generic  # every rule kept
    findings = checks.check("Umsatz im Q3 lag bei 48 Mio. Euro, Codename Polarstern")
    assert {f.rule_id for f in findings} >= {"financial-figures", "code-names"}
    assert all(f.anchors == () for f in findings)


def test_the_generic_rules_are_package_data():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["bot"]
    assert GENERIC_CHECKS.relative_to(ROOT / "bot").as_posix() in package_data
