"""German compound splitting and BM25 tokens: bounded work, whatever a person pastes."""

from __future__ import annotations

import base64
import subprocess
import sys
import textwrap

import pytest

from bot.index.lexical import Decompounder

# Text pasted from a PDF without spaces, laughter, tokens and base64 are normal input.
LONG_INPUTS = {
    "one long word": "Darf ich " + "x" * 40_000 + " posten?",
    "base64": base64.b64encode(bytes(range(256)) * 118).decode()[:40_000],
    "laughter": "haha" * 5_000,
}


class CountingSet(set):
    """A vocabulary that counts how often it is asked."""

    lookups = 0

    def __contains__(self, item) -> bool:
        CountingSet.lookups += 1
        return super().__contains__(item)


def test_compounds_split_into_the_words_the_corpus_knows():
    split = Decompounder({"sommerfest", "fotos", "kunden", "daten", "schutz", "presse", "anfrage"})
    assert split.split("sommerfestfotos") == ["sommerfest", "fotos"]
    assert split.split("kundendatenschutz") == ["kunden", "daten", "schutz"]
    assert split.split("presseanfragen") == []  # 'anfragen' is not in the vocabulary
    assert split.split("fotos") == []


@pytest.mark.parametrize("letters", ["x", "ha", "xxxy"])
def test_the_work_per_word_is_bounded(letters):
    """A word made of vocabulary pieces is the worst case for splitting; its cost must not grow
    with its length (the old recursion asked the vocabulary ~n³ times: 38 s for 500 letters)."""
    splitter = Decompounder({"xxxx", "haha", "xxxy"})
    splitter.vocabulary = CountingSet(splitter.vocabulary)
    costs = []
    for length in (40, Decompounder.MAX_WORD, 400):
        CountingSet.lookups = 0
        splitter.split((letters * length)[:length])
        costs.append(CountingSet.lookups)
    # each suffix split once per depth: at most MAX_WORD cuts, one tail and a few head lookups each
    assert max(costs) <= Decompounder.MAX_WORD**2 * (1 + len(Decompounder.LINKS)), costs
    assert costs[2] == 0  # longer than any compound: not split at all


def test_long_inputs_are_analysed_in_bounded_time():
    """BM25 tokens, the search and the glossary's translations of each long input, in a separate
    process that must finish well within 30 s (each took hours before)."""
    script = textwrap.dedent(
        f"""
        from bot.glossary import Glossary
        from bot.index.lexical import LexicalIndex
        index = LexicalIndex.build(["Fotos vom Sommerfest", "Kundendaten und Datenschutz", "xxxx haha"])
        for text in {list(LONG_INPUTS.values())!r}:
            index.search(text, 5)
            Glossary.bundled().translate(text, ["en", "de"])
        """
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=30, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
