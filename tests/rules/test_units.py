"""Sections become rule units with their lead-ins; the index stores them; `rules` shows them;
and the labeller keeps its precision on the units labelled by hand."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import main
from bot.index.build import reindex
from bot.index.embedding import make_embedder
from bot.index.store import load_index
from bot.knowledge import load_knowledge
from bot.rules.measure import measure
from bot.rules.units import knowledge_units, section_units
from tests.conftest import ROOT, write_kb

GUIDE = """# Richtlinie

## Fotos {#photos}

Fotos vom Sommerfest sind willkommen. Kolleginnen zeigst du nur mit ihrer Zustimmung.

Nicht erlaubt:

- Fotos aus dem Labor.
- Screenshots aus internen Chats.

**Finanzen:** Zahlen, die noch nicht veröffentlicht sind, dürfen nicht geteilt werden.
"""


def test_sections_split_into_sentences_and_items_with_their_lead_ins(tmp_path):
    kb = load_knowledge(write_kb(tmp_path / "kb", {"guide.md": GUIDE})).knowledge
    units = [(u.lead, u.text, u.polarity) for u in knowledge_units(kb) if u.anchor == "photos"]
    assert units == [
        (None, "Fotos vom Sommerfest sind willkommen.", "permitted"),
        (None, "Kolleginnen zeigst du nur mit ihrer Zustimmung.", "conditional"),
        ("Nicht erlaubt:", "Fotos aus dem Labor.", "prohibited"),
        ("Nicht erlaubt:", "Screenshots aus internen Chats.", "prohibited"),
        ("Finanzen:", "Zahlen, die noch nicht veröffentlicht sind, dürfen nicht geteilt werden.", "prohibited"),
    ]


LEGAL = """# Dienstanweisung

## § 6 Kundendaten {#kundendaten}

(2) Untersagt ist insbesondere die Veröffentlichung von

1. Zählerständen und Zählernummern;
2. Fotos von Hausanschlüssen.

(3) Erlaubt sind Fotos der Liegewiese. Dazu zählen etwa

- Fotos ohne erkennbare Badegäste.

(4) Die Pressestelle berät gern.

- Telefon 1234.
"""


def test_a_list_continues_the_open_sentence_before_it():
    """A list after a paragraph that ends open ("… die Veröffentlichung von") is that sentence's
    continuation: its items inherit it as their lead-in; after a closed paragraph they do not."""
    from bot.knowledge.markdown import parse_markdown

    document, problems = parse_markdown(LEGAL, "legal.md")
    assert not problems
    blocks = [b for s in document.sections for b in s.blocks if b.kind == "item"]
    assert [b.intro for b in blocks] == ["(2) Untersagt ist insbesondere die Veröffentlichung von"] * 2 + [
        "Dazu zählen etwa",
        None,
    ]
    kb_units = [u for s in document.sections for u in section_units(s)]
    assert [(u.text, u.polarity) for u in kb_units if u.lead and u.lead.startswith("(2)")] == [
        ("Zählerständen und Zählernummern;", "prohibited"),
        ("Fotos von Hausanschlüssen.", "prohibited"),
    ]


def test_the_index_stores_the_units(tmp_path):
    knowledge = write_kb(tmp_path / "kb", {"guide.md": GUIDE})
    reindex(knowledge, tmp_path / "index", make_embedder("hashing-64"))
    index = load_index(tmp_path / "index")
    assert [u.polarity for u in index.rules if u.anchor == "photos"].count("prohibited") == 3


def test_rules_command_lists_a_section_and_names_an_unknown_one(tmp_path):
    knowledge = write_kb(tmp_path / "kb", {"guide.md": GUIDE})
    shown = CliRunner().invoke(main, ["rules", "--knowledge", str(knowledge), "--section", "photos"])
    assert shown.exit_code == 0, shown.output
    assert "⛔ prohibited  Nicht erlaubt: Fotos aus dem Labor." in shown.output
    assert "[if: nur mit ihrer Zustimmung]" in shown.output
    as_json = CliRunner().invoke(main, ["rules", "--knowledge", str(knowledge), "--json"])
    assert {json.loads(line)["polarity"] for line in as_json.output.splitlines()} >= {"permitted", "prohibited"}
    missing = CliRunner().invoke(main, ["rules", "--knowledge", str(knowledge), "--section", "nope"])
    assert missing.exit_code == 1
    assert "no section 'nope'" in missing.output and "photos" in missing.output


def test_the_labeller_keeps_its_precision_on_the_hand_labelled_units():
    report = measure(sorted((ROOT / "eval" / "units").glob("*.yaml")))
    assert len(report.units) >= 900  # seven bases
    assert report.precision("prohibited") >= 0.93  # measured 0.945
    assert report.precision("permitted") >= 0.9  # measured 0.917
    assert report.accuracy >= 0.73  # measured 0.753
