from bot.index.chunking import chunk_knowledge, chunk_section, split_sentences
from bot.knowledge import load_knowledge
from bot.knowledge.markdown import parse_markdown
from tests.conftest import SHIPPED_KNOWLEDGE


def _section(md: str):
    doc, _ = parse_markdown(md, "guide.md")
    return doc.sections[-1]


def test_sentence_split_respects_abbreviations():
    assert split_sentences("Frag z. B. Dr. Meier. Dann e.g. the team! Fertig?") == [
        "Frag z. B. Dr. Meier.",
        "Dann e.g. the team!",
        "Fertig?",
    ]


def test_passages_keep_structure_and_have_stable_ids():
    section = _section(
        "# Guide\n\n## Photos {#photos}\n\nLead sentence.\n\n**Allowed:**\n\n- a\n- b\n\n**Not allowed:**\n\n- c\n"
    )
    passages = chunk_section(section)
    assert [p.id for p in passages] == ["en/photos/0", "en/photos/1", "en/photos/2"]
    assert [p.text for p in passages] == ["Lead sentence.", "Allowed:\n• a\n• b", "Not allowed:\n• c"]
    assert all(
        p.heading_path == ("Guide", "Photos") and p.source == "guide.md" and p.anchor == "photos" and p.language == "en"
        for p in passages
    )
    assert passages[1].search_text == "Photos: Allowed:\n• a\n• b"
    assert passages[0].line == 5


def test_long_text_is_cut_at_sentence_boundaries_within_the_bound():
    sentences = [f"Sentence number {i} says something about photos and consent." for i in range(40)]
    section = _section("## Long {#long}\n\n" + " ".join(sentences) + "\n")
    passages = chunk_section(section, max_chars=300)
    assert len(passages) > 5
    assert all(len(p.text) <= 300 for p in passages)
    assert all(p.text.endswith(".") and p.text[0].isupper() for p in passages)
    assert " ".join(p.text for p in passages) == " ".join(sentences)


def test_label_is_repeated_when_a_list_spans_passages():
    items = "\n".join(f"- Rule {i} is a rule with enough words to take some room in a passage." for i in range(12))
    passages = chunk_section(_section(f"## R {{#r}}\n\n**Not allowed:**\n\n{items}\n"), max_chars=200)
    assert len(passages) > 3
    assert all(p.text.startswith("Not allowed:\n• Rule") for p in passages)


def test_every_faq_phrasing_is_a_passage_pointing_to_its_entry():
    kb = load_knowledge(SHIPPED_KNOWLEDGE, environ={}).knowledge
    passages = chunk_knowledge(kb)
    faq = [p for p in passages if p.kind == "faq"]
    assert len(faq) == sum(len(e.questions.de) + len(e.questions.en) for e in kb.faq)
    entry = kb.faq[0]
    mine = [p for p in faq if p.faq_id == entry.id]
    assert {p.text for p in mine} == set(entry.questions.de + entry.questions.en)
    assert all(p.anchor == entry.anchors[0] and p.id.startswith(f"faq/{entry.id}/") for p in mine)
    ids = [p.id for p in passages]
    assert len(ids) == len(set(ids))
