import pytest

from bot.language import detect_language
from bot.question import MAX_QUESTION_CHARS, asks, prepare, strip_slack_markup


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<@U123ABC> darf ich das posten?", "darf ich das posten?"),
        ("<@U123|anna> hi", "hi"),
        ("schau in <#C0123|social-media> nach", "schau in social-media nach"),
        ("<!channel> <!here> <!subteam^S123|@team> frage", "frage"),
        ("siehe <https://evil.example|die Bank>", "siehe die Bank"),
        ("link <https://example.com/x> hier", "link hier"),
        ("bare https://example.com/a?b=c url", "bare url"),
        (":tada: geht das? :+1::skin-tone-2:", "geht das?"),
        ("emoji 😀🎉 weg", "emoji weg"),
        ("*fett* _kursiv_ ~weg~ `code`", "fett kursiv weg code"),
        ("&lt;tag&gt; &amp; mehr", "<tag> & mehr"),
        ("&gt; zitierter Entwurf\n&gt; zweite Zeile", "zitierter Entwurf zweite Zeile"),
    ],
)
def test_slack_markup_is_removed(raw, clean):
    assert strip_slack_markup(raw) == clean


@pytest.mark.parametrize(
    "raw",
    ["", "   \n\t ", ":tada: :smile:", "😀😀", "https://example.com", "<@U123> <!channel>", "<https://x.example|>"],
)
def test_questions_without_words_are_empty(raw):
    assert prepare(raw).empty


def test_long_questions_are_cut_at_a_word_boundary():
    q = prepare("wort " * 10_000)
    assert q.truncated and len(q.text) <= MAX_QUESTION_CHARS and q.text.endswith("wort")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Darf ich Fotos vom Sommerfest posten?", "de"),
        ("May I post photos from the summer party?", "en"),
        ("quartalszahlen posten?", "de"),
        ("logo as profile pic?", "en"),
        ("a journalist sent me a dm", "en"),
        ("darf ich den screenshot aus dem internal channel posten?", "de"),
        ("quick q: can I share the Q3 numbers", "en"),
        ("Presseanfrage", "de"),
    ],
)
def test_language_detection_on_short_chat_messages(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "draft"),
    [
        ("Unser Q3-Umsatz: +12 %! #nordhafen super Quartal", True),
        ("Heute war ein toller Tag am Messestand in Hamburg mit dem ganzen Team", True),
        ("darf ich pics vom sommerfest auf insta stellen wenn kollegen drauf sind", False),
        ("Can I post this picture of our team?", False),
        ("insta in der pause", False),
    ],
)
def test_a_pasted_post_is_told_apart_from_a_question(text, draft):
    from bot.question import looks_like_draft

    assert looks_like_draft(text) is draft


@pytest.mark.parametrize(
    ("raw", "draft"),
    [
        ("Kann ich das so posten: „Unser Umsatz im Q3 lag bei 12 Mio“ ?", "Unser Umsatz im Q3 lag bei 12 Mio"),
        (
            "is this ok? 'Huge week! We went live with HafenFlow at Elbe'",
            "Huge week! We went live with HafenFlow at Elbe",
        ),
        ("&gt; mein Entwurf hier\n&gt; zweite Zeile\nok so?", "mein Entwurf hier\nzweite Zeile"),
        ("darf ich das posten?", None),
    ],
)
def test_a_draft_quoted_in_a_question_is_found(raw, draft):
    from bot.question import extract_draft

    assert extract_draft(raw) == draft


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("Was für ein schöner Sonnenuntergang heute am Hafen…", False),
        ("What a lovely sunset at the harbour today", False),
        ("Darf ich das posten", True),
        ("Schöner Abend. Ist das okay?", True),
    ],
)
def test_an_exclamation_does_not_ask(text, asking):
    assert asks(text) is asking
