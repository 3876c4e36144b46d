"""Each kind of bad input produces a clear message naming file, line and field."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.knowledge import load_knowledge
from bot.knowledge.problems import errors, warnings
from tests.conftest import FAQ, SHIPPED_KNOWLEDGE, small_kb_files, write_kb

BAD_INPUTS = [
    pytest.param(
        {"faq.yaml": "entries:\n  - id: a\n    topic: photos\n   verdict: allowed\n"},
        "faq.yaml:4: error: broken YAML",
        id="broken-yaml",
    ),
    pytest.param(
        {"faq.yaml": FAQ + FAQ.split("\n", 1)[1]},
        "faq.yaml:12: error [entries[1] (event-photos).id]: duplicate id 'event-photos' (first at line 2)",
        id="duplicate-id",
    ),
    pytest.param(
        {"guidelines/de/zusatz.md": "# Mehr {#photos}\n\nNoch ein Text über Fotos.\n"},
        "guidelines/de/zusatz.md:1: error [anchor]: duplicate anchor '{#photos}' in language 'de' "
        "(first used in guidelines/de/richtlinien.md:9)",
        id="duplicate-anchor",
    ),
    pytest.param(
        {"faq.yaml": FAQ.replace("anchors: [photos]", "anchors: [photoz]")},
        "faq.yaml:5: error [entries[0] (event-photos).anchors[0]]: unknown anchor 'photoz' — did you mean 'photos'?",
        id="unknown-anchor",
    ),
    pytest.param(
        {
            "faq.yaml": FAQ.replace("      de: Ja, wenn alle zugestimmt haben.\n", "").replace(
                "      en: Yes, if everyone agreed.\n", ""
            )
        },
        "error [entries[0] (event-photos).answer]: empty answer",
        id="empty-answer",
    ),
    pytest.param(
        {"faq.yaml": FAQ.replace("verdict: conditional", "verdict: maybe")},
        "faq.yaml:4: error [entries[0].verdict]: Input should be 'allowed', 'conditional', 'not_allowed' or 'ask_team'",
        id="unknown-verdict",
    ),
    pytest.param(
        {"faq.yaml": FAQ.replace("topic: photos", "topic: selfies")},
        "faq.yaml:3: error [entries[0] (event-photos).topic]: unknown topic 'selfies' — use one of: photos, press",
        id="unknown-topic",
    ),
    pytest.param(
        {"faq.yaml": FAQ.replace("    verdict: conditional\n", "    verdict: conditional\n    colour: red\n")},
        "faq.yaml:5: error [entries[0].colour]: unknown field 'colour' — remove it or check its spelling",
        id="unknown-key",
    ),
    pytest.param(
        {"guidelines/de/x.md": "# Titel {#Bad Anchor}\n\nText.\n"},
        "guidelines/de/x.md:1: error [anchor]: invalid anchor '{#Bad Anchor}'",
        id="invalid-anchor",
    ),
    pytest.param(
        {"routing.yaml": "contacts: {}\ndefault_contact: nobody\n"},
        "routing.yaml:2: error [default_contact]: unknown contact 'nobody'",
        id="routing-unknown-contact",
    ),
    pytest.param(
        {"guidelines/de/y.md": "---\nlanguage: fr\n---\n# T\n\nText.\n"},
        "guidelines/de/y.md:1: error [front matter]",
        id="front-matter-language",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), BAD_INPUTS)
def test_bad_input_gives_clear_message_and_nonzero_exit(tmp_path, overrides, expected):
    files = small_kb_files() | overrides
    root = write_kb(tmp_path / "kb", files)
    result = load_knowledge(root)
    messages = [p.format() for p in errors(result.problems)]
    assert any(expected in m for m in messages), messages
    run = CliRunner().invoke(main, ["validate", "--knowledge", str(root)])
    assert run.exit_code == 1
    assert expected in run.output
    assert "error(s)" in run.output


def test_missing_language_variant_is_a_warning_not_an_error(tmp_path):
    files = small_kb_files()
    files["guidelines/de/richtlinien.md"] += "\n## Nur deutsch {#german-only}\n\nNur auf Deutsch.\n"
    files["faq.yaml"] = FAQ.replace('      en: ["May I post photos from the summer party?"]\n', "")
    result = load_knowledge(write_kb(tmp_path / "kb", files))
    assert errors(result.problems) == []
    found = [p.format() for p in warnings(result.problems)]
    assert any("section '{#german-only}' has no en version" in m for m in found), found
    assert any("(event-photos).questions.en]: no en phrasings" in m for m in found), found


def test_markdown_only_directory_is_a_valid_knowledge_base(tmp_path):
    root = write_kb(
        tmp_path / "plain",
        {
            "policy.md": "# Our Policy\n\n## Photos of colleagues\n\nAsk first.\n\n## Press\n\nForward it.\n"
            "\n## Examples\n\nOne.\n\n# Appendix\n\n## Examples\n\nTwo.\n"
        },
    )
    result = load_knowledge(root)
    assert result.ok, result.problems
    anchors = [s.anchor for s in result.knowledge.sections]
    assert anchors == ["our-policy", "photos-of-colleagues", "press", "examples", "appendix", "appendix-examples"]
    # Derived anchors are the same on every load.
    assert [s.anchor for s in load_knowledge(root).knowledge.sections] == anchors


def test_missing_or_empty_directory_is_an_error(tmp_path):
    assert "knowledge directory not found" in load_knowledge(tmp_path / "nope").problems[0].message
    (tmp_path / "empty").mkdir()
    assert "no Markdown guideline files" in load_knowledge(tmp_path / "empty").problems[0].message


def test_shipped_knowledge_is_valid_and_reports_counts():
    result = load_knowledge(SHIPPED_KNOWLEDGE, environ={})
    assert errors(result.problems) == [], [p.format() for p in errors(result.problems)]
    counts = result.knowledge.counts()
    assert counts["sections"]["de"] >= 15 and counts["sections"]["en"] >= 15
    assert counts["faq_entries"] >= 60
    assert counts["faq_phrasings"]["de"] >= 120 and counts["faq_phrasings"]["en"] >= 120
    run = CliRunner().invoke(main, ["validate", "--knowledge", str(SHIPPED_KNOWLEDGE)])
    assert run.exit_code == 0, run.output
    assert "FAQ entries:" in run.output and "✓ valid" in run.output


def test_environment_overrides_contact_ids(small_kb):
    result = load_knowledge(small_kb, environ={"GUIDELINES_BOT_CONTACT_SOCIAL_MEDIA_TEAM": "S0OVERRIDE"})
    contact = result.knowledge.routing.contact_for("photos")
    assert (contact.slack_id, contact.kind) == ("S0OVERRIDE", "usergroup")
    bad = load_knowledge(small_kb, environ={"GUIDELINES_BOT_CONTACT_SOCIAL_MEDIA_TEAM": "#general"})
    assert bad.knowledge.routing.contact_for("photos").slack_id == "C0TEAM"
    assert any("is not a Slack ID" in p.message for p in bad.problems)


def test_adding_a_file_never_moves_a_derived_anchor(tmp_path):
    """Issue 17, point 5: a new file with an equal heading shares the anchor, with a warning."""
    root = write_kb(tmp_path / "kb", {"guide.md": "# Guide\n\n## Financial figures\n\nOnly published ones.\n"})
    before = [s.anchor for s in load_knowledge(root).knowledge.sections]
    write_kb(root, {"acme.md": "# Acme Social Media Guidelines\n\n## Financial figures\n\nNone.\n"})
    result = load_knowledge(root)
    assert (
        [s.anchor for s in result.knowledge.sections if s.source == "guide.md"]
        == before
        == [
            "guide",
            "financial-figures",
        ]
    )
    found = [p.format() for p in warnings(result.problems)]
    assert any("same anchor 'financial-figures' as acme.md:3" in m for m in found), found


def test_equal_headings_in_one_file_are_a_warning(tmp_path):
    root = write_kb(tmp_path / "kb", {"guide.md": "# Guide\n\n## Fotos\n\nEins.\n\n## Fotos\n\nZwei.\n"})
    result = load_knowledge(root)
    assert [s.anchor for s in result.knowledge.sections] == ["guide", "fotos", "guide-fotos"]
    assert any("heading 'Fotos' twice" in p.message for p in warnings(result.problems))
    assert CliRunner().invoke(main, ["validate", "--strict", "--knowledge", str(root)]).exit_code != 0


def test_validate_and_reindex_agree_on_a_knowledge_base_without_text(tmp_path):
    """Issue 17, point 8: an empty file is called empty; only such files fail validate like reindex."""
    root = write_kb(tmp_path / "kb", {"a.md": "", "b.md": "# Nur ein Titel\n"})
    result = load_knowledge(root)
    assert [p.message for p in warnings(result.problems)] == ["file is empty", "file has no text under its headings"]
    assert any("no guideline text" in p.message for p in errors(result.problems))
    env = {"GUIDELINES_BOT_MULTILINGUAL": "off"}
    validate = CliRunner().invoke(main, ["validate", "--knowledge", str(root)])
    index = ["--index", str(tmp_path / "index"), "--model", "hashing-64"]
    rebuilt = CliRunner().invoke(main, ["reindex", "--knowledge", str(root), *index], env=env)
    assert validate.exit_code == rebuilt.exit_code == 1
    assert "no guideline text" in validate.output and "no guideline text" in rebuilt.output


def test_sections_in_one_language_only_are_a_warning_also_with_derived_anchors(tmp_path):
    """Issue 17, point 8: knowledge/README promises it; derived anchors cannot pair, so one per file."""
    root = write_kb(
        tmp_path / "kb",
        {
            "de.md": "---\nlanguage: de\n---\n# Regeln\n\n## Fotos\n\nNur mit Zustimmung.\n",
            "en.md": "---\nlanguage: en\n---\n# Rules\n\n## Photos\n\nOnly with consent.\n",
        },
    )
    found = [p.format() for p in warnings(load_knowledge(root).problems)]
    assert any("de.md:6: warning [anchor]: 1 section(s) have no en version: 'Fotos'" in m for m in found), found
    assert any("en.md:6" in m and "no de version: 'Photos'" in m for m in found), found
