"""Reading the list of knowledge bases to measure: directories, bases files, clear errors."""

from __future__ import annotations

import pytest

from bot.errors import GuidelinesBotError
from bot.evaluation.bases import read_bases
from tests.conftest import ROOT


def test_the_shipped_bases_file_lists_seven_bases_that_exist():
    bases = read_bases([ROOT / "eval" / "bases.yaml"])
    assert [b.name for b in bases] == [
        "nordhafen",
        "riverside",
        "halvorsen",
        "kettler",
        "lindenau",
        "wellenreiter",
        "aldmoor",
    ]
    assert all((b.path / "eval.yaml").is_file() for b in bases)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("bases: 3\n", "expected 'bases:'"),
        ("bases:\n  - name: x\n", "needs a path"),
        ("bases:\n  - path: no-such-dir\n", "is not a directory"),
        ("bases: [\n", "cannot read the bases file"),
    ],
)
def test_a_broken_bases_file_is_named_with_what_to_fix(tmp_path, content, message):
    path = tmp_path / "bases.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GuidelinesBotError, match=message):
        read_bases([path])


def test_two_bases_of_the_same_name_are_refused(tmp_path):
    for parent in ("one", "two"):
        (tmp_path / parent / "kb").mkdir(parents=True)
    with pytest.raises(GuidelinesBotError, match="two bases are called kb"):
        read_bases([tmp_path / "one" / "kb", tmp_path / "two" / "kb"])


def test_a_missing_path_is_named(tmp_path):
    with pytest.raises(GuidelinesBotError, match="no such knowledge directory"):
        read_bases([tmp_path / "nothing"])
