"""What a new maintainer and employee tripped over in the first hour (issue "The first hour with
your own guidelines"): each point that is fixed, with the input that showed it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import main
from bot.index.build import reindex
from bot.index.embedding import make_embedder
from bot.knowledge import load_knowledge
from bot.knowledge.problems import Problem
from bot.texts import text
from tests.conftest import write_kb

GUIDE = "# Acme Social Media\n\n## Fotos\n\nFotos vom Sommerfest nur mit Zustimmung aller Abgebildeten.\n"


def test_a_file_with_a_byte_order_mark_keeps_its_top_heading(tmp_path):
    root = tmp_path / "kb"
    root.mkdir()
    (root / "guide.md").write_bytes("\ufeff".encode() + GUIDE.encode())
    kb = load_knowledge(root).knowledge
    assert [s.anchor for s in kb.sections] == ["acme-social-media", "fotos"]
    assert not any("\ufeff" in s.title for s in kb.sections)


def test_piped_questions_keep_their_pairing_with_blank_lines(tmp_path):
    knowledge = write_kb(tmp_path / "kb", {"guide.md": GUIDE})
    index = tmp_path / "index"
    reindex(knowledge, index, make_embedder("hashing-64"))
    lines = "Darf ich Fotos posten?\n\nMay I post photos?\n\n\nFotos?\n"
    run = CliRunner().invoke(
        main,
        ["ask", "--json", "--knowledge", str(knowledge), "--index", str(index), "--model", "hashing-64"],
        input=lines,
        env={"GUIDELINES_BOT_MULTILINGUAL": "off"},
    )
    assert run.exit_code == 0, run.output
    objects = [json.loads(line) for line in run.output.splitlines() if line.startswith("{")]
    assert len(objects) == 6
    assert [o["question"] for o in objects] == ["Darf ich Fotos posten?", "", "May I post photos?", "", "", "Fotos?"]


def test_contacts_need_no_article():
    for key in ("ask_team_lead", "not_covered"):
        assert " an Rechtsabteilung" not in text(key, "de", contact="Rechtsabteilung")
        assert text(key, "de", contact="Rechtsabteilung").endswith("weiter an: Rechtsabteilung.")


def test_a_domain_error_does_not_repeat_the_word_error():
    problem = Problem("error", "guide.md", None, None, "not UTF-8 text (invalid start byte)", "save the file as UTF-8")
    assert problem.format() == "guide.md: error: not UTF-8 text (invalid start byte) — save the file as UTF-8"
    assert problem.format(severity=False) == "guide.md: not UTF-8 text (invalid start byte) — save the file as UTF-8"


def test_reindex_names_the_knowledge_it_was_given_in_its_hints(tmp_path):
    knowledge = write_kb(tmp_path / "kb", {"a.md": "# A\n\n## One\n\n", "b.md": "# B\n\n## Two\n\nText.\n"})
    run = CliRunner().invoke(
        main,
        ["reindex", "--knowledge", str(knowledge), "--index", str(tmp_path / "index"), "--model", "hashing-64"],
        env={"GUIDELINES_BOT_MULTILINGUAL": "off"},
    )
    assert run.exit_code == 0, run.output
    assert f"run `guidelines-bot validate --knowledge {knowledge}`" in run.output


def test_validate_prints_problems_and_the_summary_on_the_same_stream(tmp_path):
    knowledge = write_kb(tmp_path / "kb", {"guide.md": "# A\n\n## One {#Bad Anchor}\n\nText.\n"})
    run = CliRunner().invoke(main, ["validate", "--knowledge", str(knowledge)])
    assert run.exit_code == 1
    assert "invalid anchor" in run.stdout and "✗ 1 error(s)" in run.stdout


def test_the_main_help_lists_faq_review_and_eval_takes_a_threshold():
    assert "guidelines-bot faq review" in CliRunner().invoke(main, ["--help"]).output
    assert "--threshold" in CliRunner().invoke(main, ["eval", "--help"]).output


def test_a_french_question_is_told_in_english_that_the_bot_answers_german_and_english(tmp_path):
    from bot.service import AnswerService

    knowledge = write_kb(tmp_path / "kb", {"guide.md": GUIDE})
    reindex(knowledge, tmp_path / "index", make_embedder("hashing-64"))
    service = AnswerService(knowledge, tmp_path / "index", make_embedder("hashing-64"))
    answer = service.answer("Est-ce que je peux publier des photos de la fête d'été sur LinkedIn ?")
    assert answer.language == "en"
    assert "German and English" in answer.answer
    assert not answer.escalate and not answer.citations
    german = service.answer("Darf ich Fotos vom Sommerfest auf LinkedIn posten?")
    assert german.language == "de" and "German and English" not in german.answer
