"""Word lists: inflection, compounds, phrases and umlauts, matched in one pass over the tokens."""

from __future__ import annotations

import pytest

from bot.checks.words import WordIndex, WordSyntaxError, name_entry, parse_entry


def matches(entry: str, text: str) -> list[str]:
    index = WordIndex()
    for phrase in parse_entry(entry):
        index.add(phrase, "x")
    return [text[s:e] for s, e in index.scan(text).get("x", [])]


@pytest.mark.parametrize(
    ("entry", "text", "expected"),
    [
        ("nda", "Alles unter NDA, auch NDAs", ["NDA"]),
        (
            "vertraulich~",
            "vertraulich, Vertrauliche, vertraulichen, Vertraulichkeit",
            ["vertraulich", "Vertrauliche", "vertraulichen"],
        ),
        ("vertraulichkeits*", "Vertraulichkeitsvereinbarung, Vertraulichkeit", ["Vertraulichkeitsvereinbarung"]),
        ("*datenleck~", "Datenleck, Kundendatenlecks, lecker", ["Datenleck", "Kundendatenlecks"]),
        ("*fuck*", "motherfucker, fucking", ["motherfucker", "fucking"]),
        ("nur intern~", "Das ist nur intern. Nur interne Infos. Nur Internet.", ["nur intern", "Nur interne"]),
        (
            "intern~ (zahlen|dokument*)",
            "interne Zahlen, internes Dokumentchen, interne Weiterbildung",
            ["interne Zahlen", "internes Dokumentchen"],
        ),
        ("intern~ nicht weitergeben", "intern – nicht weitergeben!", ["intern – nicht weitergeben"]),
        ("rückruf~", "Rueckruf und Rückrufe", ["Rueckruf", "Rückrufe"]),
        ("großauftrag~", "Grossauftrag, Großaufträge", ["Grossauftrag"]),
        ("burn-out", "Burn-out und Burnout", ["Burn-out"]),
        ("(price target|buy rating)", "new price target and a buy rating", ["price target", "buy rating"]),
        ("don't tell anyone", "Don’t tell anyone!", ["Don’t tell anyone"]),
    ],
)
def test_word_forms(entry, text, expected):
    assert matches(entry, text) == expected


def test_names_match_without_legal_form_and_with_genitive():
    index = WordIndex()
    index.add(name_entry("Hansa Terminal GmbH")[0:], "customer")
    index.add(name_entry("Polarstern"), "code")
    text = "Bei Hansa Terminal, der Hansa-Terminal-GmbH und Polarsterns Launch; Hansa allein nicht."
    hits = index.scan(text)
    assert [text[s:e] for s, e in hits["customer"]] == ["Hansa Terminal", "Hansa-Terminal"]
    assert [text[s:e] for s, e in hits["code"]] == ["Polarsterns"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("", "empty word entry"),
        ("int*", "need at least 4 letters"),
        ("*abc", "need at least 4 letters"),
        ("intern*~", "drop the '~'"),
        ("vertraulich.*", "regular expression"),
        ("a*b", "cannot read word form"),
        ("(a|b", "unbalanced parenthesis"),
        ("(a||b)", "empty alternative"),
        ("[abc]", "regular expression"),
    ],
)
def test_word_syntax_errors(entry, message):
    with pytest.raises(WordSyntaxError, match=message.replace("(", r"\(")):
        parse_entry(entry)


def test_scan_is_one_pass_over_a_long_text():
    index = WordIndex()
    for entry in ("vertraulich~", "*datenleck~", "umsatz*", "nur intern~"):
        for phrase in parse_entry(entry):
            index.add(phrase, entry)
    text = "Ein ganz normaler Satz ohne Befund, nur Internet. " * 800 + "Das bleibt nur intern."
    hits = index.scan(text)
    assert list(hits) == ["nur intern~"]
    assert len(hits["nur intern~"]) == 1
