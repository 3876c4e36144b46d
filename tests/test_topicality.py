"""The semantic check beside the domain lexicon: nearer a question about what may be said or
shown than any everyday workplace question (bot/topicality.py), in the multilingual space."""

from __future__ import annotations

import pytest

from bot.topicality import DOMAIN, EVERYDAY, topicality


@pytest.mark.parametrize(
    "text",
    [
        "Darf ich meinen Eltern von den Umbauplänen der Firma erzählen?",
        "Kann ich einem ehemaligen Kollegen sagen, welche Projekte wir gewonnen haben?",
        "may I tell my partner about the reorganisation before it is official?",
        "can I show our new design to a friend who works elsewhere?",
    ],
)
def test_telling_or_showing_work_matters_is_the_domain(multilingual_encoder, text):
    check = topicality(multilingual_encoder)
    assert check.names_the_domain(multilingual_encoder.embed_batch([text])[0])


@pytest.mark.parametrize(
    "text",
    [
        "Wie beantrage ich einen Tag Sonderurlaub für meinen Umzug?",
        "Wann bekomme ich die Lohnabrechnung für Dezember?",
        "how do I get reimbursed for a train ticket?",
        "what time does the canteen close on Fridays?",
    ],
)
def test_everyday_workplace_questions_are_not(multilingual_encoder, text):
    check = topicality(multilingual_encoder)
    assert not check.names_the_domain(multilingual_encoder.embed_batch([text])[0])


def test_the_prototypes_are_embedded_once_per_encoder(multilingual_encoder):
    first = topicality(multilingual_encoder)
    assert topicality(multilingual_encoder) is first
    assert len(first.domain) == len(DOMAIN) and len(first.everyday) == len(EVERYDAY)
