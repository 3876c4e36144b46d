"""checks.yaml is validated at load: every problem names file, line and field."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.checks import load_checks, read_checks
from bot.cli import main
from bot.errors import KnowledgeError
from bot.knowledge import load_knowledge
from bot.knowledge.problems import errors, warnings
from tests.checks.conftest import rules_file
from tests.conftest import small_kb_files, write_kb

VALID = """\
lists:
  code_names: [Polarstern]
rules:
  - id: code-names
    severity: block
    anchors: [photos]
    description: {de: Codename, en: Code name}
    lists: [code_names]
  - id: secret
    severity: warn
    anchors: [press]
    description: {de: Geheim, en: Secret}
    words: [geheim~]
    patterns:
      - 'top\\s+secret'
"""

BAD = [
    pytest.param(
        VALID.replace("'top\\s+secret'", "'top(\\s+secret'"),
        "checks.yaml:15: error [rules[1] (secret).patterns[0]]: invalid regular expression: missing ) at position 13",
        id="invalid-regex",
    ),
    pytest.param(
        VALID.replace("'top\\s+secret'", "'(\\w+\\s?)+secret'"),
        "checks.yaml:15: error [rules[1] (secret).patterns[0]]: pattern can backtrack catastrophically: "
        "a repeat inside a repeated part can also match what follows it",
        id="catastrophic",
    ),
    pytest.param(
        VALID.replace("'top\\s+secret'", "{regex: '(a|a)*b', case_sensitive: true}"),
        "checks.yaml:15: error [rules[1] (secret).patterns[0]]: pattern can backtrack catastrophically: "
        "alternatives inside a repeated part can match the same text",
        id="catastrophic-alternation",
    ),
    pytest.param(
        VALID.replace("lists: [code_names]", "lists: [codenames]"),
        "checks.yaml:8: error [rules[0] (code-names).lists[0]]: unknown list 'codenames' — use one of: code_names",
        id="unknown-list",
    ),
    pytest.param(
        VALID.replace("words: [geheim~]", "words: ['geh*']"),
        "checks.yaml:13: error [rules[1] (secret).words[0]]: 'geh*': stems with '*' need at least 4 letters",
        id="short-prefix",
    ),
    pytest.param(
        VALID.replace("severity: warn", "severity: maybe"),
        "checks.yaml:10: error [rules[1].severity]: Input should be 'block', 'warn' or 'ask_team'",
        id="unknown-severity",
    ),
    pytest.param(
        VALID.replace("    severity: warn\n", "    severity: warn\n    colour: red\n"),
        "checks.yaml:11: error [rules[1].colour]: unknown field 'colour' — remove it or check its spelling",
        id="unknown-key",
    ),
    pytest.param(
        VALID.replace("id: secret", "id: code-names"),
        "checks.yaml:9: error [rules[1] (code-names).id]: duplicate id 'code-names' (first at line 4)",
        id="duplicate-id",
    ),
    pytest.param(
        VALID.replace("    lists: [code_names]\n", ""),
        "checks.yaml:4: error [rules[0] (code-names)]: the rule has nothing to match",
        id="no-matchers",
    ),
    pytest.param(
        VALID.replace("'top\\s+secret'", "{regex: 'x', validate: luhn}"),
        "checks.yaml:15: error [rules[1].patterns[0].validate]: Input should be 'iban'",
        id="unknown-validator",
    ),
    pytest.param(
        VALID.replace("rules:", "rules:\n  - just a string"),
        "checks.yaml:4: error [rules[0]]: each rule must be a mapping",
        id="rule-not-a-mapping",
    ),
    pytest.param("rules:\n  - id: x\n   severity: warn\n", "checks.yaml:3: error: broken YAML", id="broken-yaml"),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_bad_rules_give_file_line_and_field(tmp_path, text, expected):
    engine, problems = load_checks(rules_file(tmp_path, text), anchors={"photos", "press"})
    messages = [p.format() for p in errors(problems)]
    assert any(m.startswith(expected) for m in messages), messages


def test_valid_rules_load(tmp_path):
    engine, problems = load_checks(rules_file(tmp_path, VALID), anchors={"photos", "press"})
    assert problems == []
    assert engine.rule_ids() == ["code-names", "secret"]
    assert {f.rule_id for f in engine.check("Polarstern ist top secret und geheim")} == {"code-names", "secret"}


def test_a_rule_with_errors_is_left_out_and_the_others_stay(tmp_path):
    text = VALID.replace("'top\\s+secret'", "'(a+)+'")
    engine, problems = load_checks(rules_file(tmp_path, text), anchors={"photos", "press"})
    assert len(errors(problems)) == 1
    assert engine.rule_ids() == ["code-names"]
    with pytest.raises(KnowledgeError, match="backtrack catastrophically"):
        read_checks(rules_file(tmp_path, text))


def test_missing_language_is_a_warning(tmp_path):
    _, problems = load_checks(rules_file(tmp_path, VALID.replace("{de: Geheim, en: Secret}", "{de: Geheim}")))
    assert [p.format() for p in warnings(problems)] == [
        "checks.yaml:12: warning [rules[1] (secret).description]: no en description — add description.en; "
        "until then the other is shown"
    ]


def test_empty_file_has_no_rules(tmp_path):
    engine, problems = load_checks(rules_file(tmp_path, "# nothing yet\n"))
    assert problems == [] and len(engine) == 0


def test_load_knowledge_validates_checks_and_keeps_the_rules(tmp_path):
    root = write_kb(tmp_path / "kb", small_kb_files() | {"checks.yaml": VALID})
    result = load_knowledge(root, environ={})
    assert result.ok
    assert result.knowledge.checks.rule_ids() == ["code-names", "secret"]


def test_an_unknown_anchor_is_a_warning_and_the_rule_cites_the_best_matching_section(tmp_path):
    root = write_kb(tmp_path / "kb", small_kb_files() | {"checks.yaml": VALID.replace("[press]", "[presse, press]")})
    result = load_knowledge(root, environ={})
    assert result.ok
    assert [p.format() for p in warnings(result.problems)] == [
        "checks.yaml:11: warning [rules[1] (secret).anchors[0]]: unknown anchor 'presse': findings cite the "
        "best-matching section instead — use an anchor that `guidelines-bot validate --anchors` lists"
    ]
    assert [f.anchors for f in result.knowledge.checks.check("Das ist geheim")] == [("press",)]

    root = write_kb(tmp_path / "only", small_kb_files() | {"checks.yaml": VALID.replace("[press]", "[presse]")})
    result = load_knowledge(root, environ={})
    assert result.ok and len(warnings(result.problems)) == 1
    assert result.knowledge.checks.rule_ids() == ["code-names", "secret"]
    assert [f.anchors for f in result.knowledge.checks.check("Das ist geheim")] == [()]  # cited by best match
    run = CliRunner().invoke(main, ["validate", "--strict", "--knowledge", str(root)])
    assert run.exit_code == 1 and "unknown anchor 'presse'" in run.output


def test_a_rule_may_name_no_anchor(tmp_path):
    engine, problems = load_checks(rules_file(tmp_path, VALID.replace("    anchors: [press]\n", "")), {"photos"})
    assert problems == []
    assert [f.anchors for f in engine.check("geheim")] == [()]


def test_without_checks_file_the_generic_rules_check(small_kb):
    checks = load_knowledge(small_kb, environ={}).knowledge.checks
    assert checks.generic and "financial-figures" in checks.rule_ids()


def test_validate_command_reports_check_errors(tmp_path):
    root = write_kb(tmp_path / "kb", small_kb_files() | {"checks.yaml": VALID.replace("'top\\s+secret'", "'(a*)*'")})
    result = CliRunner().invoke(main, ["validate", "--knowledge", str(root)])
    assert result.exit_code == 1
    expected = "checks.yaml:15: error [rules[1] (secret).patterns[0]]: pattern can backtrack catastrophically"
    assert expected in result.output


def test_shipped_checks_are_valid(shipped_kb):
    result = load_knowledge(shipped_kb.root, environ={})
    assert [p.format() for p in result.problems if p.file == "checks.yaml"] == []
    assert len(shipped_kb.checks) >= 12
