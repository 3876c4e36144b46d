"""`ask` and `eval` on the command line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import main
from bot.index.build import reindex
from bot.index.embedding import make_embedder
from tests.conftest import OTHER_KB, SHIPPED_KNOWLEDGE, write_kb
from tests.test_answer import CONTRACT_KEYS


def test_ask_json_prints_exactly_the_contract(shipped_index):
    run = CliRunner().invoke(
        main,
        [
            "ask",
            "--json",
            "--knowledge",
            str(SHIPPED_KNOWLEDGE),
            "--index",
            str(shipped_index),
            "Darf ich Quartalszahlen vor der Veröffentlichung posten?",
        ],
    )
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout.strip())
    assert list(data) == CONTRACT_KEYS
    assert data["verdict"] in ("not_allowed", "ask_team")


def test_ask_json_reads_one_question_per_line_from_stdin(shipped_index):
    questions = "Darf ich ein Foto vom Messestand posten?\n\nmay I share our job ad on linkedin?\n:tada:\n"
    run = CliRunner().invoke(
        main, ["ask", "--json", "--knowledge", str(SHIPPED_KNOWLEDGE), "--index", str(shipped_index)], input=questions
    )
    assert run.exit_code == 0, run.output
    lines = [json.loads(line) for line in run.stdout.strip().splitlines()]
    assert [d["question"] for d in lines] == [  # line N out answers line N in, a blank one too
        "Darf ich ein Foto vom Messestand posten?",
        "",
        "may I share our job ad on linkedin?",
        ":tada:",
    ]
    assert [d["language"] for d in (lines[0], lines[2])] == ["de", "en"]


def test_ask_prints_verdict_answer_and_quotes_for_a_person(shipped_index):
    run = CliRunner().invoke(
        main,
        [
            "ask",
            "--knowledge",
            str(SHIPPED_KNOWLEDGE),
            "--index",
            str(shipped_index),
            "can I put the company logo as my private profile picture?",
        ],
    )
    assert run.exit_code == 0, run.output
    assert "not allowed" in run.output and "    > " in run.output and "guidelines/en/" in run.output


def test_ask_without_an_index_says_how_to_build_it(tmp_path):
    run = CliRunner().invoke(
        main, ["ask", "--knowledge", str(SHIPPED_KNOWLEDGE), "--index", str(tmp_path / "none"), "hallo?"]
    )
    assert run.exit_code == 1
    assert "no index at" in run.output and "guidelines-bot reindex" in run.output
    assert "Traceback" not in run.output


def test_ask_notes_a_stale_index(tmp_path, real_embedder):
    from bot.index.build import reindex
    from tests.conftest import small_kb_files, write_kb

    kb = write_kb(tmp_path / "kb", small_kb_files())
    reindex(kb, tmp_path / "index", real_embedder)
    (kb / "guidelines/en/extra.md").write_text("# Extra {#extra}\n\nNew rule.\n")
    run = CliRunner().invoke(main, ["ask", "--knowledge", str(kb), "--index", str(tmp_path / "index"), "photos?"])
    assert run.exit_code == 0
    assert "changed since the index was built" in run.output


def test_eval_prints_all_modes_per_language_and_draws_the_plot(other_index, tmp_path):
    plot = tmp_path / "sweep.png"
    run = CliRunner().invoke(
        main, ["eval", "--knowledge", str(OTHER_KB), "--index", str(other_index), "--plot", str(plot)]
    )
    assert run.exit_code == 0, run.output
    for mode in ("dense", "lexical", "fused"):
        for lang in ("all", "de", "en"):
            assert f"| {mode:<7} | {lang:<4} |" in run.output
    assert "Recall@3" in run.output and "unsafe" in run.output and "Threshold sweep" in run.output
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _eval_json(knowledge, index) -> dict:
    run = CliRunner().invoke(main, ["eval", "--json", "--knowledge", str(knowledge), "--index", str(index)])
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_fused_retrieval_beats_both_single_modes(shipped_index, other_index):
    for knowledge, index in ((SHIPPED_KNOWLEDGE, shipped_index), (OTHER_KB, other_index)):
        modes = _eval_json(knowledge, index)["modes"]
        fused = modes["fused"]["all"]["recall_at_3"]
        assert fused > modes["dense"]["all"]["recall_at_3"]
        assert fused > modes["lexical"]["all"]["recall_at_3"]


def test_quality_floors(shipped_index, other_index):
    """Regression guards at the measured levels (see README for the numbers and the targets)."""
    shipped = _eval_json(SHIPPED_KNOWLEDGE, shipped_index)["modes"]["fused"]["all"]
    other = _eval_json(OTHER_KB, other_index)["modes"]["fused"]["all"]
    assert shipped["recall_at_3"] >= 0.93
    assert other["recall_at_3"] >= 0.83
    assert shipped["unsafe_rate"] <= 0.03
    assert shipped["escalation_recall"] >= 0.9


def test_a_message_without_a_question_is_shown_as_such(tmp_path):
    """Issue 17, point 10: no verdict, no escalation, no route; the terminal does not say "needs the team"."""
    knowledge = write_kb(tmp_path / "kb", {"guide.md": "# Guide\n\n## Photos\n\nPhotos only with consent.\n"})
    reindex(knowledge, tmp_path / "index", make_embedder("hashing-64"))
    args = ["ask", "--knowledge", str(knowledge), "--index", str(tmp_path / "index"), "--model", "hashing-64"]
    env = {"GUIDELINES_BOT_MULTILINGUAL": "off"}
    data = json.loads(CliRunner().invoke(main, [*args, "--json", "🙂"], env=env).stdout)
    assert (data["verdict"], data["escalate"], data["route"]) == (None, False, None)
    shown = CliRunner().invoke(main, [*args, "🙂"], env=env).output
    assert "needs the team" not in shown and "no verdict" in shown


def test_a_question_maybe_not_about_the_guidelines_is_shown_as_such(tmp_path):
    """Off-topic or unrelated: no verdict and no case, and the terminal says why, not "nothing to judge"."""
    knowledge = write_kb(tmp_path / "kb", {"guide.md": "# Guide\n\n## Photos\n\nPhotos only with consent.\n"})
    reindex(knowledge, tmp_path / "index", make_embedder("hashing-64"))
    args = ["ask", "--knowledge", str(knowledge), "--index", str(tmp_path / "index"), "--model", "hashing-64"]
    env = {"GUIDELINES_BOT_MULTILINGUAL": "off"}
    question = "when is the canteen open on saturdays?"
    data = json.loads(CliRunner().invoke(main, [*args, "--json", question], env=env).stdout)
    assert (data["verdict"], data["escalate"]) == (None, False) and data["route"]
    shown = CliRunner().invoke(main, [*args, question], env=env).output
    assert "maybe not about the guidelines" in shown and "nothing to judge" not in shown
    assert "no case opened" in shown
