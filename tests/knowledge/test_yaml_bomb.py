"""A YAML bomb in any file of a knowledge base is a validation error, found at once; validate
runs in a separate process with a memory limit, so a bomb that goes off fails the test instead
of the machine (before the bound: 4 GB in 70 s)."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from bot.errors import GuidelinesBotError
from bot.escalation.faq import FaqProposals
from bot.evaluation.bases import read_bases
from bot.rules.measure import read_labelled
from tests.conftest import small_kb_files, write_kb
from tests.test_yamlsafe import BOMB

MESSAGE = "aliases stand for more than 10,000 values"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def validate(root) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "validate", "--knowledge", str(root)],
        capture_output=True,
        text=True,
        timeout=15,
        preexec_fn=_limited,
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"guidelines/de/bombe.md": "---\n" + BOMB + "---\n# Titel\n\nText.\n"}, "guidelines/de/bombe.md:6: error"),
        ({"faq.yaml": BOMB}, "faq.yaml:5: error"),
        ({"routing.yaml": BOMB}, "routing.yaml:5: error"),
        ({"checks.yaml": BOMB}, "checks.yaml:5: error"),
        ({"eval.yaml": BOMB}, "eval.yaml:5: error"),
    ],
    ids=["front matter", "faq", "routing", "checks", "eval"],
)
def test_a_yaml_bomb_is_refused_with_a_clear_message(tmp_path, overrides, expected):
    root = write_kb(tmp_path / "kb", small_kb_files() | overrides)
    run = validate(root)
    assert run.returncode == 1, run.stderr[-2000:]
    [line] = [line for line in run.stdout.splitlines() if expected in line]
    assert MESSAGE in line and len(line) < 400


def test_every_other_yaml_the_bot_reads_refuses_a_bomb(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    for read in (lambda path: read_bases([path]), read_labelled):
        with pytest.raises(GuidelinesBotError, match=f"line 5: {MESSAGE}"):
            read(bomb)
    knowledge = write_kb(tmp_path / "kb", small_kb_files() | {"faq-proposals.yaml": BOMB})
    with pytest.raises(GuidelinesBotError, match=MESSAGE):
        FaqProposals(knowledge).list()
