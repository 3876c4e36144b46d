from bot.knowledge.markdown import parse_markdown, slugify


def test_sections_carry_anchor_path_language_and_blocks():
    doc, problems = parse_markdown(
        "# Guide {#top}\n\nIntro.\n\n## Photos {#photos}\n\n**Allowed:**\n\n- one\n- two\n\n"
        "### At events\n\nText here.\n",
        "g.md",
    )
    assert problems == []
    assert [s.anchor for s in doc.sections] == ["top", "photos", "at-events"]
    photos = doc.sections[1]
    assert photos.heading_path == ("Guide", "Photos")
    assert photos.line == 5
    assert [(b.text, b.kind, b.label) for b in photos.blocks] == [
        ("one", "item", "Allowed:"),
        ("two", "item", "Allowed:"),
    ]
    assert doc.sections[2].heading_path == ("Guide", "Photos", "At events")
    assert doc.language == "en"


def test_front_matter_sets_language_title_url_and_line_numbers_stay_true():
    text = "---\nlanguage: de\ntitle: T\nurl: https://x.example/g\n---\n# Titel\n\nHallo Welt.\n"
    doc, problems = parse_markdown(text, "d.md")
    assert problems == []
    assert (doc.language, doc.title, doc.url) == ("de", "T", "https://x.example/g")
    assert doc.sections[0].line == 6
    assert doc.sections[0].blocks[0].line == 8


def test_headings_inside_code_fences_are_not_sections():
    doc, _ = parse_markdown("# A\n\n```\n# not a heading\n```\n", "c.md")
    assert [s.title for s in doc.sections] == ["A"]


def test_text_before_the_first_heading_is_kept():
    doc, _ = parse_markdown("Preamble text here.\n\n# A\n\nBody.\n", "notes.md")
    assert doc.sections[0].blocks[0].text == "Preamble text here."
    assert doc.sections[1].title == "A"


def test_derived_anchors_are_stable_slugs():
    assert slugify("Fotos & Videos") == "fotos-videos"
    assert slugify("3.1 Übergröße Straße") == "3-1-uebergroesse-strasse"
    assert slugify("!!!") == "section"


def test_language_is_detected_without_front_matter():
    doc, _ = parse_markdown(
        "# Regeln\n\nDu darfst keine vertraulichen Informationen posten, wenn sie nicht veröffentlicht sind.\n", "r.md"
    )
    assert doc.language == "de"
