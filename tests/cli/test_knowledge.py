"""`guidelines-bot validate --anchors`: the anchors a maintainer can cite, with heading and file."""

from __future__ import annotations

from click.testing import CliRunner

from bot.cli import main
from tests.conftest import OTHER_KB, small_kb_files, write_kb


def _validate(*args):
    return CliRunner().invoke(main, ["validate", *args])


def test_validate_anchors_lists_each_anchor_with_its_heading_and_file(tmp_path):
    root = write_kb(tmp_path / "kb", small_kb_files())
    run = _validate("--knowledge", str(root), "--anchors")
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    start = lines.index("Anchors (3), to cite in faq.yaml, routing.yaml and checks.yaml:")
    assert lines[start + 1 : start + 4] == [
        "  top     Richtlinien (guidelines/de/richtlinien.md:5) | Guidelines (guidelines/en/guidelines.md:5)",
        "  photos  Fotos und Videos (guidelines/de/richtlinien.md:9) | "
        "Photos and videos (guidelines/en/guidelines.md:9)",
        "  press   Presse (guidelines/de/richtlinien.md:14) | Press (guidelines/en/guidelines.md:14)",
    ]
    assert "Draft checks: 7 generic rules (no checks.yaml)" in run.output
    assert "Anchors (" not in _validate("--knowledge", str(root)).output


def test_validate_anchors_lists_the_derived_anchors_of_plain_markdown():
    run = _validate("--knowledge", str(OTHER_KB), "--anchors")
    assert run.exit_code == 0, run.output
    assert "Anchors (24)" in run.output
    assert "  krisenkommunikation " in run.output and "Krisenkommunikation (medien-leitfaden.md:21)" in run.output
    assert "6.2 Major incidents and emergencies (social-media-policy.md:108)" in run.output
