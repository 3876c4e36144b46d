"""Text the store cannot hold never reaches it (issue 13, point 2): NUL is dropped, lone
surrogates become U+FFFD, and what a person wrote is capped at ``MAX_CHARS`` with a marker that
says how much was cut, on both back ends, for every free-text column."""

from __future__ import annotations

import pytest

from bot.escalation import CaseService
from bot.escalation.service import NewCase
from bot.store.storable import MAX_CHARS, cap, clean, storable
from bot.store.store import Feedback

ENDING = " Darf ich das so posten?"


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("Darf\x00 ich?", "Darf ich?"),
        ("Darf ich\ud83d?", "Darf ich\ufffd?"),
        ("\udfff\x00\x00", "\ufffd"),
        ("Emoji 😀 bleibt, Umlaute äöü auch", "Emoji 😀 bleibt, Umlaute äöü auch"),
        ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
    ],
)
def test_clean(raw, kept):
    assert clean(raw) == kept


@pytest.mark.parametrize("size", [MAX_CHARS + 1, MAX_CHARS + 7, 10_000_000])
def test_cap_keeps_the_beginning_and_the_end_and_says_how_much_was_cut(size):
    text = "B" * 100 + "x" * (size - 100 - len(ENDING)) + ENDING
    capped = cap(text)
    assert len(capped) <= MAX_CHARS
    assert capped.startswith("B" * 100) and capped.endswith("x" * 10 + ENDING)
    cut = len(text) - len(capped.replace(capped[capped.index("\n\n[") : capped.index("]\n\n") + 3], ""))
    assert f"[… {cut:,} characters cut: too long to store …]" in capped
    assert cap("short") == "short" and storable(None) is None


def test_a_10_mb_question_with_nul_is_stored_capped_and_cleaned(store):
    question = "Presse\x00anfrage\ud800 " + "bla " * 2_500_000 + ENDING
    cases = CaseService(store)
    case, created = cases.open(
        NewCase(id="big1", question=question, language="de", asker="U0A", surface="dm", contact="c", team_channel="C0")
    )
    assert created
    stored = cases.require("big1").question
    assert len(stored) <= MAX_CHARS
    assert stored.startswith("Presseanfrage\ufffd bla") and stored.endswith(ENDING) and "characters cut" in stored
    store.record_feedback(Feedback("q1", "U0A", False, reason="\x00" + "y" * (MAX_CHARS * 3)))
    [rating] = store.feedback_for("q1")
    assert len(rating.reason) <= MAX_CHARS and "\x00" not in rating.reason
