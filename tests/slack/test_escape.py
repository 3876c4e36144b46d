"""Escaping user text for mrkdwn, and cutting it cleanly."""

from __future__ import annotations

import pytest

from bot.slack.escape import cut, escape, escape_cut, quote


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<!channel> hallo", "&lt;!channel&gt; hallo"),
        ("<!here|here>", "&lt;!here|here&gt;"),
        ("<@U123ABC> schau mal", "&lt;@U123ABC&gt; schau mal"),
        ("<https://evil.example|Bank>", "&lt;https://evil.example|Bank&gt;"),
        ("<!subteam^S123>", "&lt;!subteam^S123&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("&lt; schon escaped", "&amp;lt; schon escaped"),
        ("", ""),
    ],
)
def test_escape(raw, shown):
    assert escape(raw) == shown


@pytest.mark.parametrize("limit", range(1, 40))
def test_escape_cut_never_splits_an_entity(limit):
    result = escape_cut("a<b>&c " * 20, limit)
    assert len(result) <= limit
    body = result.removesuffix("…")
    assert escape(body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")) == body


def test_cut_prefers_word_boundaries():
    assert cut("Darf ich Fotos vom Sommerfest posten?", 20) == "Darf ich Fotos vom…"
    assert cut("kurz", 20) == "kurz"
    assert len(cut("x" * 100, 10)) == 10


def test_quote_prefixes_lines_and_stays_within_its_limit():
    text = "Erste Zeile <b>\n\nZweite & letzte Zeile\n" + "lang " * 200
    quoted = quote(text, 120)
    assert quoted.startswith("> Erste Zeile &lt;b&gt;\n> Zweite &amp; letzte Zeile\n> lang")
    assert len(quoted) <= 120 and quoted.endswith("…")
