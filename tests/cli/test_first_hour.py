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


def _indexed(tmp_path, name: str, files: dict) -> tuple:
    knowledge = write_kb(tmp_path / name, files)
    index = tmp_path / f"{name}-index"
    reindex(knowledge, index, make_embedder("hashing-64"))
    return knowledge, index


ENV = {"GUIDELINES_BOT_MULTILINGUAL": "off"}


def test_a_missing_knowledge_folder_is_named_as_such(tmp_path):
    _, index = _indexed(tmp_path, "kb", {"guide.md": GUIDE})
    args = ["ask", "--knowledge", str(tmp_path / "no-such-folder"), "--index", str(index), "--model", "hashing-64"]
    run = CliRunner().invoke(main, [*args, "Fotos?"], env=ENV)
    assert run.exit_code == 1
    assert "no knowledge folder at" in run.output and "no index at" not in run.output


def test_an_index_of_another_knowledge_base_is_refused_with_the_command_that_fixes_it(tmp_path):
    knowledge, _ = _indexed(tmp_path, "ours", {"guide.md": GUIDE})
    _, acme_index = _indexed(tmp_path, "acme", {"acme.md": "# Acme\n\n## Press\n\nJournalists go to press.\n"})
    run = CliRunner().invoke(
        main,
        ["ask", "--knowledge", str(knowledge), "--index", str(acme_index), "--model", "hashing-64", "Fotos?"],
        env=ENV,
    )
    assert run.exit_code == 1
    assert "was built from" in run.output and str(tmp_path / "acme") in run.output
    assert f"guidelines-bot reindex --knowledge {knowledge} --index {acme_index}" in run.output


def test_the_stale_note_and_the_missing_index_hint_carry_the_flags_given(tmp_path):
    knowledge, index = _indexed(tmp_path, "kb", {"guide.md": GUIDE})
    (knowledge / "guide.md").write_text(GUIDE + "\nNoch ein Satz.\n", encoding="utf-8")
    args = ["ask", "--knowledge", str(knowledge), "--index", str(index), "--model", "hashing-64", "Fotos?"]
    stale = CliRunner().invoke(main, args, env=ENV)
    assert stale.exit_code == 0, stale.output
    assert f"guidelines-bot reindex --knowledge {knowledge} --index {index}" in stale.output
    missing = tmp_path / "no-index"
    args = ["ask", "--knowledge", str(knowledge), "--index", str(missing), "--model", "hashing-64", "Fotos?"]
    run = CliRunner().invoke(main, args, env=ENV)
    assert run.exit_code == 1
    assert f"guidelines-bot reindex --knowledge {knowledge} --index {missing}" in run.output


def test_a_copy_of_the_same_knowledge_may_use_the_index(tmp_path):
    import shutil

    knowledge, index = _indexed(tmp_path, "kb", {"guide.md": GUIDE})
    copy = shutil.copytree(knowledge, tmp_path / "deployed")
    run = CliRunner().invoke(
        main, ["ask", "--knowledge", str(copy), "--index", str(index), "--model", "hashing-64", "Fotos?"], env=ENV
    )
    assert run.exit_code == 0, run.output


README = "# Über diesen Ordner\n\nHier liegen unsere Richtlinien. Änderungen bitte per Merge-Request an Kim.\n"


def test_a_readme_beside_the_guidelines_is_not_guideline_text(tmp_path):
    knowledge = write_kb(tmp_path / "kb", {"guide.md": GUIDE, "README.md": README, "docs/CHANGELOG.md": README})
    loaded = load_knowledge(knowledge)
    assert [s.anchor for s in loaded.knowledge.sections] == ["acme-social-media", "fotos"]  # no "Über diesen Ordner"
    warned = {p.file: p for p in loaded.problems if p.severity == "warning"}
    assert "not indexed" in warned["README.md"].message and "guidelines/" in warned["README.md"].hint
    assert "docs/CHANGELOG.md" in warned
    run = CliRunner().invoke(main, ["validate", "--knowledge", str(knowledge)])
    assert "README.md" in run.output and "not indexed" in run.output
    index = tmp_path / "index"
    reindex(knowledge, index, make_embedder("hashing-64"))
    passages = (index / "passages.jsonl").read_text(encoding="utf-8")
    assert "Merge-Request" not in passages


def test_a_readme_alone_is_the_guideline_text(tmp_path):
    knowledge = write_kb(tmp_path / "kb", {"README.md": GUIDE})
    loaded = load_knowledge(knowledge)
    assert [s.anchor for s in loaded.knowledge.sections] == ["acme-social-media", "fotos"]
    assert not [p for p in loaded.problems if "not indexed" in p.message]


def test_under_guidelines_a_readme_is_guideline_text_as_before(tmp_path):
    files = {"guidelines/guide.md": GUIDE, "guidelines/README.md": README, "README.md": README}
    knowledge = write_kb(tmp_path / "kb", files)
    loaded = load_knowledge(knowledge)
    assert "ueber-diesen-ordner" in [s.anchor for s in loaded.knowledge.sections]
    assert not [p for p in loaded.problems if "not indexed" in p.message]
