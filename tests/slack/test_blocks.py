"""Block Kit builders: pure functions, within Slack's limits, user text escaped."""

from __future__ import annotations

import json

import pytest

from bot.answer import Answer, Citation
from bot.slack import blocks
from bot.slack.blocks import (
    MAX_BUTTON_VALUE,
    MAX_SECTION_TEXT,
    answer_message,
    citation_link,
    failure_message,
    feedback_modal,
    limit_problems,
    pack_value,
    unpack_value,
)


def citation(
    n: int = 1, quote: str = "Fotos von Kolleginnen und Kollegen, wenn alle zugestimmt haben.", url: str | None = None
) -> Citation:
    return Citation(
        source="guidelines/de/inhalte.md",
        section=f"Fotos {n}",
        heading_path=("Richtlinien", f"Fotos {n}"),
        anchor=f"photos-{n}",
        quote=quote,
        score=0.9,
        language="de",
        url=url,
    )


def answer(
    verdict="conditional",
    text="Ja, wenn alle zugestimmt haben.",
    citations=None,
    question="Darf ich?",
    language="de",
    escalate=False,
) -> Answer:
    return Answer(
        question=question,
        language=language,
        verdict=verdict,
        escalate=escalate,
        reason="FAQ",
        confidence=0.8,
        answer=text,
        route="social-media-team",
        citations=[citation()] if citations is None else citations,
        faq_id="event-photos",
    )


def all_text(message: blocks.Message) -> str:
    """The blocks as JSON, without button values (Slack does not show those)."""

    def shown(node):
        if isinstance(node, dict):
            return {k: shown(v) for k, v in node.items() if k != "value"}
        return [shown(v) for v in node] if isinstance(node, list) else node

    return json.dumps(shown(message.blocks), ensure_ascii=False)


@pytest.mark.parametrize(
    ("verdict", "emoji", "label"),
    [
        ("allowed", ":white_check_mark:", "Erlaubt"),
        ("conditional", ":warning:", "Erlaubt, unter Bedingungen"),
        ("not_allowed", ":no_entry:", "Nicht erlaubt"),
        ("ask_team", ":raising_hand:", "Das entscheidet das Team"),
    ],
)
def test_verdict_with_emoji(verdict, emoji, label):
    message = answer_message(answer(verdict=verdict), "q1")
    assert message.blocks[0]["text"]["text"].startswith(f"{emoji} *{label}*")
    assert message.text.startswith(label)


def test_a_message_with_nothing_to_judge_shows_no_verdict():
    """Issue 17, point 10: "🙂" is not "needs the team"."""
    message = answer_message(answer(verdict=None, text="Ich habe keine Frage gefunden.", citations=[]), "q1")
    assert message.blocks[0]["text"]["text"] == "Ich habe keine Frage gefunden."
    assert message.text == "Ich habe keine Frage gefunden." and "Team" not in all_text(message).split("actions")[0]


def test_english_labels():
    message = answer_message(answer(language="en", text="Yes, if everyone agreed."), "q1")
    assert message.blocks[0]["text"]["text"].startswith(":warning: *Allowed with conditions*")
    assert "Helpful" in all_text(message) and "Ask the social media team" in all_text(message)


def test_at_most_three_citations_with_section_source_and_quote():
    message = answer_message(answer(citations=[citation(n) for n in range(1, 6)]), "q1")
    cited = [b for b in message.blocks if "`guidelines/de/inhalte.md#" in b.get("text", {}).get("text", "")]
    assert len(cited) == 3
    assert cited[0]["text"]["text"] == (
        "*Fotos 1*  ·  Richtlinien\n`guidelines/de/inhalte.md#photos-1`\n"
        "> Fotos von Kolleginnen und Kollegen, wenn alle zugestimmt haben."
    )


@pytest.mark.parametrize(
    ("url", "docs_url", "expected"),
    [
        (None, None, None),
        (None, "https://wiki.example/rules/", "https://wiki.example/rules/guidelines/de/inhalte.md#photos-1"),
        ("https://intern.example/inhalte", "https://wiki.example", "https://intern.example/inhalte#photos-1"),
        ("https://intern.example/inhalte#eigener-anker", None, "https://intern.example/inhalte#eigener-anker"),
        ("https://intern.example/a b|c>d", None, "https://intern.example/a%20b%7Cc%3Ed#photos-1"),
    ],
)
def test_citation_links(url, docs_url, expected):
    assert citation_link(citation(url=url), docs_url) == expected
    message = answer_message(answer(citations=[citation(url=url)]), "q1", docs_url=docs_url)
    assert (f"<{expected}|Fotos 1>" in all_text(message)) == (expected is not None)


def test_long_quotes_are_cut_cleanly():
    long_quote = "\n".join(f"Satz {i}: Bitte & danke <immer> höflich bleiben und nachfragen." for i in range(200))
    message = answer_message(answer(citations=[citation(quote=long_quote)]), "q1")
    cited = message.blocks[2]["text"]["text"]
    assert len(cited) <= blocks.QUOTE_CHARS + 200
    assert cited.rstrip().endswith("…")
    assert "&amp;" in cited and "&lt;immer&gt;" in cited
    assert not any(cited.endswith(part + "…") for part in ("&", "&a", "&am", "&amp", "&l", "&lt", "&g", "&gt"))


def test_huge_texts_stay_within_limits():
    huge = "Wort & <Wort> " * 2000
    message = answer_message(
        answer(text=huge, question=huge, citations=[citation(n, huge) for n in range(3)]),
        "q1",
        share=True,
        checked_text=huge,
        shared_by="U1",
        feedback_text=True,
    )
    assert limit_problems(message.blocks) == []
    assert all(len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in message.blocks if b["type"] == "section")
    buttons = [e for b in message.blocks for e in b.get("elements", []) if e.get("type") == "button"]
    assert len(buttons) == 4 and all(len(e["value"]) <= MAX_BUTTON_VALUE for e in buttons)
    assert unpack_value(buttons[2]["value"])["t"].startswith("Wort & <Wort>")  # the raw question, for the team
    assert len(message.text) <= blocks.FALLBACK_CHARS


def test_user_text_is_escaped_where_it_is_shown():
    nasty = "<!channel> <@U0BOSS> <https://evil.example|Bank>"
    message = answer_message(answer(question=nasty, text=nasty), "q1", checked_text=nasty, shared_by="U1")
    shown = all_text(message)
    assert "<!channel>" not in shown and "<@U0BOSS>" not in shown and "<https://evil" not in shown
    assert shown.count("&lt;!channel&gt; &lt;@U0BOSS&gt; &lt;https://evil.example|Bank&gt;") == 3
    assert "<!channel>" not in message.text


def test_buttons_and_their_values():
    message = answer_message(answer(), "q1", share=True)
    buttons = {e["action_id"]: e for e in message.blocks[-1]["elements"]}
    assert list(buttons) == [blocks.HELPFUL, blocks.NOT_HELPFUL, blocks.ASK_TEAM, blocks.SHARE]
    assert unpack_value(buttons[blocks.HELPFUL]["value"]) == {
        "q": "q1",
        "l": "de",
        "v": "conditional",
        "f": "event-photos",
    }
    assert unpack_value(buttons[blocks.ASK_TEAM]["value"]) == {
        "q": "q1",
        "l": "de",
        "r": "social-media-team",
        "t": "Darf ich?",
    }
    no_team = answer_message(answer(), "q1", ask_team=False, handoff_note=":envelope_with_arrow: weitergegeben")
    assert blocks.ASK_TEAM not in all_text(no_team) and "weitergegeben" in all_text(no_team)
    assert not any(b["type"] == "actions" for b in answer_message(answer(), "q1", buttons=False).blocks)


def test_no_citations_no_sources_heading():
    message = answer_message(answer(verdict="ask_team", citations=[]), "q1")
    assert "Aus den Richtlinien" not in all_text(message)


def test_failure_message_names_the_case_and_offers_the_team():
    message = failure_message("abc123", "en", "<!here> May I?", "q9")
    assert "case abc123" in message.text
    [team_button] = message.blocks[1]["elements"]
    assert team_button["action_id"] == blocks.ASK_TEAM
    assert unpack_value(team_button["value"]) == {"q": "q9", "l": "en", "t": "<!here> May I?"}


def test_pack_value_shortens_only_the_text():
    value = pack_value({"q": "q1", "l": "de", "r": None}, "ä" * 5000)
    assert len(value) <= MAX_BUTTON_VALUE
    data = unpack_value(value)
    assert data["q"] == "q1" and "r" not in data and data["t"].endswith("…")
    assert unpack_value("not json") is None and unpack_value(None) is None and unpack_value("[1]") is None


def test_feedback_modal_and_thanks():
    modal = feedback_modal({"q": "q1", "l": "en", "t": "x" * 5000}, "en")
    assert modal["callback_id"] == blocks.REASON_VIEW and len(modal["private_metadata"]) <= 3000
    assert modal["blocks"][0]["block_id"] == blocks.REASON_BLOCK and modal["blocks"][0]["optional"] is True
    assert len(modal["title"]["text"]) <= 24
    assert "Thanks" in json.dumps(blocks.thanks_view("en"))


def test_case_message_escapes_the_question_and_shows_the_findings():
    case = blocks.CaseSummary("c1", "U1", "<#C1>", "<!channel> Darf ich?", "de", answer(), mention="<!subteam^S1>")
    message = blocks.case_message(case)
    shown = all_text(message)
    assert shown.startswith('[{"type": "section", "text": {"type": "mrkdwn", "text": ":raising_hand: <!subteam^S1>')
    assert "> &lt;!channel&gt; Darf ich?" in shown and "<!channel>" not in shown
    assert "Was der Bot gefunden hat" in shown and "#photos-1" in shown
    assert limit_problems(message.blocks) == []


def test_home_view_lists_sections_within_limits(tmp_path):
    from bot.knowledge import load_knowledge
    from tests.conftest import write_kb

    sections = "\n\n".join(f"## Abschnitt {i} mit einem recht langen Titel {{#s{i}}}\n\nText {i}." for i in range(300))
    write_kb(
        tmp_path,
        {
            "guidelines/de/a.md": "---\nlanguage: de\nurl: https://intern.example/a\n---\n"
            "# Richtlinien {#top}\n\nIntro.\n\n" + sections
        },
    )
    knowledge = load_knowledge(tmp_path).knowledge
    view = blocks.home_view(knowledge, None, "Social-Media-Team <#C1>", "team@example.com")
    assert view["type"] == "home" and len(view["blocks"]) <= blocks.MAX_VIEW_BLOCKS
    assert limit_problems(view["blocks"], blocks.MAX_VIEW_BLOCKS) == []
    shown = json.dumps(view, ensure_ascii=False)
    assert "<https://intern.example/a#s299|Abschnitt 299 mit einem recht langen Titel>" in shown
    assert "team@example.com" in shown and "/mayipost" in shown


@pytest.mark.parametrize(
    ("blocks_", "problem"),
    [
        ([{"type": "divider"}] * 51, "51 blocks"),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}], "section text of 3001"),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": ""}}], "section text of 0"),
        (
            [{"type": "actions", "elements": [{"type": "button", "value": "v" * 2001, "text": {"text": "b"}}]}],
            "button value of 2001",
        ),
    ],
)
def test_limit_problems(blocks_, problem):
    assert any(problem in p for p in limit_problems(blocks_))


def test_draft_findings_are_listed_escaped_and_capped():
    from bot.answer import DraftFinding
    from bot.checks.engine import Finding

    found = [
        DraftFinding(
            Finding(
                f"rule-{i}",
                "warn" if i else "block",
                ("photos",),
                0,
                5,
                f"<@U{i}> & co",
                {"de": "Beschreibung", "en": "Description"},
                {"de": "Tu das", "en": "Do this"},
            ),
            None,
        )
        for i in range(7)
    ]
    message = answer_message(
        Answer(
            question="x",
            language="en",
            verdict="not_allowed",
            escalate=False,
            reason="",
            confidence=1.0,
            answer="No.",
            route=None,
            findings=found,
        ),
        "q1",
    )
    [listed] = [b for b in message.blocks if "Found in the draft" in b.get("text", {}).get("text", "")]
    body = listed["text"]["text"]
    assert body.startswith("*Found in the draft*\n:no_entry: „&lt;@U0&gt; &amp; co“: Description\n      _Do this_")
    assert body.count(":warning:") == 4 and body.endswith("… and 2 more.")


def test_the_checked_draft_highlights_findings_and_stays_escaped():
    from bot.answer import Answer, DraftFinding
    from bot.checks import Finding
    from bot.slack.blocks import highlighted_draft

    draft = "<!channel> Umsatz +12 % & mehr bei *Polarstern*"
    start = draft.index("Umsatz")
    findings = [
        DraftFinding(
            Finding(
                "financial-figures",
                "block",
                ("financial-information",),
                start,
                start + 12,
                "Umsatz +12 %",
                {"de": "Zahlen"},
            ),
            None,
        ),
        DraftFinding(
            Finding(
                "code-names",
                "block",
                ("confidential",),
                draft.index("*Polarstern*"),
                len(draft),
                "*Polarstern*",
                {"de": "Codename"},
            ),
            None,
        ),
    ]
    answer = Answer("q", "de", "not_allowed", False, "", 1.0, "", None, findings=findings, draft=draft)
    shown = highlighted_draft(answer)
    assert shown == "&lt;!channel&gt; *Umsatz +12 %* &amp; mehr bei *Polarstern*"
    assert "<!channel>" not in shown


def test_the_rule_sentence_is_bold_inside_its_quoted_passage():
    from bot.slack.escape import quote

    passage = "Do:\n• Show beer with food.\n• No health promises such as <isotonic> & co."
    shown = quote(passage, 500, highlight="No health promises such as <isotonic> & co.")
    assert "> • *No health promises such as &lt;isotonic&gt; &amp; co.*" in shown
    assert shown.count("*") == 2
    assert quote(passage, 500) == quote(passage, 500, highlight="not in the passage")
