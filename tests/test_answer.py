"""Answers: the contract, bad input, escalation, knowledge bases without FAQ, cross-language."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.answer import Answerer
from bot.index.build import reindex
from bot.knowledge import load_knowledge
from bot.question import prepare
from tests.conftest import OTHER_KB

CONTRACT_KEYS = ["question", "language", "verdict", "escalate", "reason", "confidence", "answer", "route", "citations"]
CITATION_KEYS = ["source", "section", "heading_path", "anchor", "quote", "score"]


def _check_contract(data: dict) -> None:
    assert list(data) == CONTRACT_KEYS
    assert data["language"] in ("de", "en")
    assert data["verdict"] in ("allowed", "conditional", "not_allowed", "ask_team", None)
    assert isinstance(data["escalate"], bool) and 0 <= data["confidence"] <= 1
    assert isinstance(data["reason"], str) and isinstance(data["answer"], str)
    assert data["route"] is None or isinstance(data["route"], str)
    assert len(data["citations"]) <= 3
    for c in data["citations"]:
        assert list(c) == CITATION_KEYS and c["quote"] and c["anchor"]


def test_faq_match_gives_its_verdict_with_citations_that_were_retrieved(shipped_service):
    answerer = shipped_service.answerer()
    answer = answerer.answer("Darf ich Fotos von der Weihnachtsfeier posten, auf denen Kolleginnen zu sehen sind?")
    _check_contract(answer.to_contract())
    assert answer.language == "de" and answer.faq_id is not None
    assert answer.verdict == "conditional" and not answer.escalate
    assert answer.citations[0].anchor == "photos-videos"
    indexed = {(p.anchor, p.text) for p in shipped_service.index.passages if p.kind == "section"}
    assert all((c.anchor, c.quote) in indexed for c in answer.citations)  # never an invented quote
    assert answer.citations[0].language == "de"  # quoted in the asker's language where it exists


@pytest.mark.parametrize("question", ["Wann ist die Weihnachtsfeier?", "how do I reset my VPN password?"])
def test_a_question_that_only_resembles_an_faq_entry_in_words_gets_no_verdict_and_no_case(shipped_service, question):
    """Naming nothing of posting, it is most likely not about the guidelines: no verdict from the
    entry it resembles, none of its answer, and no case the team has to close; the route stays
    for the button that asks the team anyway."""
    answer = shipped_service.answer(question)
    _check_contract(answer.to_contract())
    assert (answer.verdict, answer.escalate, answer.faq_id) == (None, False, None)
    assert answer.route is not None and answer.citations == []
    faq = {e.id: e for e in shipped_service.knowledge.faq}
    named = [e for e in faq.values() if e.id in answer.reason]  # the entry it came near, for the trace
    assert len(named) == 1 and named[0].answer.best(answer.language)[0] not in answer.answer
    assert ("Richtlinien" if answer.language == "de" else "guidelines") in answer.answer


@pytest.mark.parametrize(
    "question", ["Kann ich sagen, wo ich arbeite?", "Darf ich Freunden von unserem neuen Produkt erzählen?"]
)
def test_what_the_asker_may_say_is_never_declined_as_unrelated(shipped_service, question):
    """Public talk about work without a platform word is the domain: answered or handed over."""
    assert shipped_service.answer(question).verdict is not None


def test_an_unrelated_question_near_an_ask_the_team_entry_still_goes_to_the_team(shipped_service):
    answerer = shipped_service.answerer()
    declined = answerer.answer("Wann ist die Weihnachtsfeier?")
    entry_id = next(e.id for e in shipped_service.knowledge.faq if e.id in declined.reason)
    answerer.faq[entry_id] = answerer.faq[entry_id].model_copy(update={"verdict": "ask_team"})
    answer = answerer.answer("Wann ist die Weihnachtsfeier?")
    assert answer.escalate and answer.forced and answer.verdict == "ask_team" and answer.faq_id == entry_id


def test_an_unrelated_question_near_some_text_opens_no_case_on_a_low_confidence(shipped_service):
    """Near a passage in words (so not plainly off-topic) but naming nothing of posting, and the
    text gives no sure verdict: the asker is told, and may ask the team with the button."""
    answer = shipped_service.answer("how do i switch my outlook email signature to the new design?")
    assert (answer.verdict, answer.escalate) == (None, False)
    assert "button" in answer.answer and answer.route is not None


def test_photos_of_the_summer_party_are_allowed_with_conditions_without_the_team(shipped_service):
    """The example "Gruppenfoto vom Sommerfest, alle Abgebildeten haben zugestimmt → erlaubt"
    reads as conditional (the consent is its condition), so the text agrees with the FAQ entry."""
    answer = shipped_service.answer("Darf ich Fotos vom Sommerfest posten?")
    assert (answer.verdict, answer.escalate, answer.faq_id) == ("conditional", False, "company-party-photos")
    assert answer.citations[0].anchor == "photos-videos"


def test_an_faq_verdict_the_guideline_text_agrees_with_gains_confidence(shipped_service):
    with_text, without = shipped_service.answerer(), shipped_service.answerer()
    without.params = replace(without.params, faq_rule_agreement=0.0)
    question = "my friend is looking for a devops job and we're hiring, can i post our job ad on my feed?"
    agreed, alone = with_text.answer(question), without.answer(question)
    assert agreed.faq_id == alone.faq_id == "job-ad-share"
    assert agreed.confidence == pytest.approx(min(1.0, alone.confidence + with_text.params.faq_rule_agreement))
    assert "says the same" in agreed.reason
    assert alone.escalate and not agreed.escalate and agreed.verdict == "allowed"  # helped without the team
    entry = with_text.faq["job-ad-share"]
    disagreeing = entry.model_copy(update={"verdict": "not_allowed"})  # the rule says "allowed": no agreement
    assert with_text._rule_agreeing_with(disagreeing, agreed.retrieval, "en") is None
    assert with_text._rule_agreeing_with(entry, agreed.retrieval, "en")


def test_english_question_gets_an_english_answer(shipped_service):
    answer = shipped_service.answer("can i put the company logo as my private profile picture?")
    assert answer.language == "en" and answer.verdict == "not_allowed"
    assert answer.answer.startswith("No")
    assert answer.citations and answer.citations[0].language == "en"


@pytest.mark.parametrize(
    ("question", "route"),
    [
        (
            "Eine Journalistin vom Hamburger Abendblatt hat mir auf LinkedIn geschrieben "
            "und fragt nach dem Stellenabbau.",
            "communications",
        ),
        ("a lawyer sent us a cease and desist letter about a photo in my post, what now?", "legal"),
        ("Auf X geht gerade ein Shitstorm gegen uns los, soll ich was dazu schreiben?", "communications"),
    ],
)
def test_press_legal_and_crisis_always_go_to_people(shipped_service, question, route):
    answer = shipped_service.answer(question)
    assert answer.escalate and answer.verdict == "ask_team"
    assert answer.route == route
    assert answer.reason


def test_a_question_the_guidelines_do_not_cover_gets_no_verdict_and_no_case(shipped_service):
    answer = shipped_service.answer("what is the wifi password in the hamburg office?")
    assert (answer.verdict, answer.escalate) == (None, False) and answer.route is not None


@pytest.mark.parametrize(
    "raw", ["", "   \n ", ":tada: :rocket:", "😀", "https://example.com/post/123", "<@U0123> <!channel>", "<#C0123>"]
)
def test_empty_or_markup_only_input_gets_a_clear_answer(shipped_service, raw):
    """Issue 17, point 10: nothing to judge is no verdict, goes to nobody and says so."""
    answer = shipped_service.answer(raw)
    _check_contract(answer.to_contract())
    assert answer.verdict is None and not answer.escalate and answer.route is None and answer.citations == []
    assert "question" in answer.answer.lower() or "frage" in answer.answer.lower()


def test_very_long_input_is_answered_on_a_prefix_with_a_note(shipped_service):
    draft = "Wir haben heute unseren neuen Messestand aufgebaut und ich möchte ein Foto posten. " * 500
    answer = shipped_service.answer(draft)
    assert len(draft) > 40_000
    _check_contract(answer.to_contract())
    considered = len(prepare(draft).text)
    assert 1000 < considered <= 2000
    assert answer.notes and str(considered) in answer.notes[0]
    assert len(answer.to_contract()["question"]) == len(draft)


def test_mixed_language_question_is_answered(shipped_service):
    answer = shipped_service.answer("darf ich den screenshot aus dem internal slack channel auf linkedin posten?")
    assert answer.verdict in ("not_allowed", "ask_team")
    assert {"confidential"} & {c.anchor for c in answer.citations}


def test_without_faq_every_verdict_quotes_a_rule_of_its_cited_section(other_service):
    """A knowledge base of plain Markdown: a verdict the bot gives alone rests on a rule sentence
    of the section it cites first, quoted in the answer; never an invented rule."""
    answerer = other_service.answerer()
    rules = answerer.index.rules
    answered = 0
    for case in load_knowledge(OTHER_KB).knowledge.eval.questions:
        answer = answerer.answer(case.question)
        _check_contract(answer.to_contract())
        assert answer.faq_id is None
        if answer.escalate or answer.verdict is None:  # to the team, or off-topic
            continue
        answered += 1
        assert answer.verdict in ("allowed", "conditional", "not_allowed"), case.question
        section_rules = [u.text for u in rules if u.anchor == answer.citations[0].anchor]
        assert any(rule[:60] in answer.answer for rule in section_rules), (case.question, answer.answer)
    assert answered >= 1  # the calibrated model lets the clearest rules answer alone


def test_german_question_finds_english_guideline_text(other_service):
    answer = other_service.answer("Darf ich ein Selfie mit einer Patientin auf Station posten, wenn sie das möchte?")
    assert answer.language == "de"
    assert answer.citations[0].anchor == "3-1-photos-on-wards"
    assert answer.citations[0].language == "en"


def test_english_question_finds_german_guideline_text(other_service):
    answer = other_service.answer("who do I call for a filming permit on the hospital grounds?")
    assert "interviews-und-drehgenehmigungen" in [c.anchor for c in answer.citations]


def test_the_answer_does_not_depend_on_a_faq_that_cites_an_unretrieved_section(small_kb, tmp_path, real_embedder):
    from bot.index.store import load_index

    index_dir = tmp_path / "index"
    reindex(small_kb, index_dir, real_embedder)
    answer = Answerer(load_index(index_dir, real_embedder), real_embedder).answer(
        "May I post photos from the summer party?"
    )
    assert answer.faq_id == "event-photos"
    assert [c.anchor for c in answer.citations] == ["photos"]


def test_an_off_topic_question_is_told_so_with_no_verdict_and_no_case(other_service):
    """Not about posting at all, and far from the text: a short polite answer in the asker's
    language, no verdict, no case; the route is kept for the button that asks the team anyway."""
    for question, lang in (
        ("how do I book a parking space in the staff car park?", "en"),
        ("wann ist eigentlich die nächste Weihnachtsfeier?", "de"),
    ):
        answer = other_service.answer(question)
        _check_contract(answer.to_contract())
        assert (answer.verdict, answer.escalate, answer.citations) == (None, False, [])
        assert answer.route is not None
        assert answer.language == lang
        assert ("Social-Media-Richtlinien" if lang == "de" else "social media guidelines") in answer.answer


def test_a_question_about_posting_is_never_taken_for_off_topic(other_service):
    answer = other_service.answer("can I post about my shift on instagram?")
    assert answer.verdict is not None


def test_a_text_verdict_cites_and_marks_the_passage_that_holds_its_rule(other_service):
    """The first citation is the passage with the rule sentence the answer quotes, marked as
    its highlight (Slack shows it in bold); the contract keeps its citation keys."""
    answerer = other_service.answerer()
    seen = 0
    for case in load_knowledge(OTHER_KB).knowledge.eval.questions:
        answer = answerer.answer(case.question)
        first = answer.citations[0] if answer.citations else None
        if first is None or first.highlight is None:
            continue
        seen += 1
        assert first.highlight in first.quote
        assert first.highlight[:60] in answer.answer  # the sentence the verdict rests on
        assert set(first.to_contract()) == {"source", "section", "heading_path", "anchor", "quote", "score"}
    assert seen >= 5


def test_an_unsure_permission_is_not_quoted_while_the_team_decides(other_service):
    answerer = other_service.answerer()
    for case in load_knowledge(OTHER_KB).knowledge.eval.questions:
        answer = answerer.answer(case.question)
        if answer.escalate and answer.candidate == "allowed":
            assert "closest sentence" not in answer.answer and "Am nächsten kommt" not in answer.answer
