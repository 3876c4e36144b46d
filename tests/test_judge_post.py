"""A post judged by rules that name no section (the generic rules, or an anchor the knowledge
base lacks): the finding is cited by its best-matching section, and that section routes it."""

from __future__ import annotations

from bot.answer import Citation, judge_post
from bot.checks import generic_checks
from bot.knowledge.models import RoutingFile
from bot.knowledge.routing import Routing
from bot.question import prepare

ROUTING = RoutingFile.model_validate(
    {
        "contacts": {
            "social-media-team": {"name": {"de": "Social-Media-Team", "en": "Social media team"}},
            "crisis-desk": {"name": {"de": "Krisenstab", "en": "Crisis desk"}},
        },
        "default_contact": "social-media-team",
        "topics": {"crisis": "crisis-desk"},
        "sections": {"krisenkommunikation": "crisis"},
    }
)


def _cite(anchor):
    def cite(finding, lang):
        return Citation("medien.md", "Krisenkommunikation", ("Krisenkommunikation",), anchor, "…", 0.5, lang)

    return cite


def test_a_generic_finding_is_routed_by_the_section_it_cites():
    question = prepare("Großbrand in der Werkhalle, mehrere Verletzte")
    answer = judge_post(question, (), generic_checks(), Routing(ROUTING, environ={}), _cite("krisenkommunikation"))
    assert {d.finding.rule_id for d in answer.findings} == {"crisis-topic"}
    assert answer.escalate and answer.route == "crisis-desk"
    assert answer.citations[0].anchor == "krisenkommunikation"


def test_without_a_citation_the_default_contact_takes_it():
    question = prepare("Großbrand in der Werkhalle, mehrere Verletzte")
    answer = judge_post(question, (), generic_checks(), Routing(ROUTING, environ={}))
    assert answer.escalate and answer.route == "social-media-team" and answer.citations == []


def test_a_clean_post_is_shown_the_sections_it_is_about_only_when_they_clearly_fit(shipped_service):
    """Nothing for the checks in a photo post, but the rules on photos of people concern it; a
    sunset concerns no section clearly, so it gets none."""
    answerer = shipped_service.answerer()
    photos = answerer.answer("Endlich Sommerfest! Hier unsere Fotos vom Sommerfest 📸", whole_text_is_draft=True)
    assert (photos.verdict, photos.escalate, photos.findings) == ("allowed", False, [])
    assert photos.citations and photos.citations[0].anchor == "photos-videos"
    assert "betreffen deinen Beitrag" in photos.answer
    sunset = answerer.answer("Was für ein schöner Sonnenuntergang heute am Hafen…", whole_text_is_draft=True)
    assert (sunset.verdict, sunset.escalate, sunset.citations) == ("allowed", False, [])
