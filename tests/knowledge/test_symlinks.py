"""Links in the knowledge folder: one that leads outside is refused with a validation error, so
a file elsewhere on the machine is never indexed or quoted; one that stays inside is fine."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.knowledge import load_knowledge
from bot.knowledge.problems import errors
from tests.conftest import small_kb_files, write_kb

SECRET = "# Secret {#secret}\n\nThe merger with Nordlicht closes on Friday.\n"
MESSAGE = "a link to a file outside the knowledge folder"


@pytest.fixture
def kb(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.md").write_text(SECRET, encoding="utf-8")
    (tmp_path / "elsewhere" / "faq.yaml").write_text("entries: []\n", encoding="utf-8")
    return write_kb(tmp_path / "knowledge", small_kb_files())


def test_a_guideline_linked_from_outside_is_refused(kb, tmp_path):
    os.symlink(tmp_path / "elsewhere" / "secret.md", kb / "guidelines" / "en" / "secret.md")
    result = load_knowledge(kb)
    assert any(p.file == "guidelines/en/secret.md" and MESSAGE in p.message for p in errors(result.problems))
    texts = [b for d in result.knowledge.documents for s in d.sections for b in s.blocks]
    assert not any("Nordlicht" in str(t) for t in texts)
    run = CliRunner().invoke(main, ["validate", "--knowledge", str(kb)])
    assert run.exit_code == 1 and "guidelines/en/secret.md" in run.output and MESSAGE in run.output
    assert "Nordlicht" not in run.output


def test_a_yaml_file_linked_from_outside_is_refused(kb, tmp_path):
    (kb / "faq.yaml").unlink()
    os.symlink(tmp_path / "elsewhere" / "faq.yaml", kb / "faq.yaml")
    result = load_knowledge(kb)
    assert not result.ok
    assert any(p.file == "faq.yaml" and MESSAGE in p.message for p in errors(result.problems))


def test_a_link_that_stays_inside_the_folder_is_fine(kb):
    (kb / "drafts").mkdir()
    (kb / "drafts" / "more.md").write_text("# More {#more}\n\nNoch mehr Text über Fotos.\n", encoding="utf-8")
    os.symlink(kb / "drafts" / "more.md", kb / "guidelines" / "de" / "more.md")
    result = load_knowledge(kb)
    assert result.ok, [p.format() for p in result.problems]
    assert any(s.anchor == "more" for d in result.knowledge.documents for s in d.sections)
