"""The polarity labeller on tables of German and English sentences, with their lead-ins."""

from __future__ import annotations

import pytest

from bot.rules.cues import condition_span
from bot.rules.polarity import label

CASES = [
    # prohibitions: modal + negation, verb-final negation, "keine", labels, avoid/never
    ("Du darfst keine Fotos aus dem Sudhaus posten.", None, "prohibited"),
    ("Kundendaten dürfen in sozialen Medien nicht veröffentlicht werden.", None, "prohibited"),
    ("Interne Zahlen, die noch nicht veröffentlicht sind, dürfen nicht geteilt werden.", None, "prohibited"),
    ("Die Weitergabe von Zugangscodes ist untersagt.", None, "prohibited"),
    ("Screenshots aus internen Chats postest du grundsätzlich nicht.", None, "prohibited"),
    ("Keine Fotos von Kindern aus Besuchergruppen.", None, "prohibited"),
    ("Screenshots aus internen Tickets.", "Nicht erlaubt:", "prohibited"),
    ("Never post photos of security equipment.", None, "prohibited"),
    ("Avoid commenting on competitors' results.", None, "prohibited"),
    ("You must not name our defence customer.", None, "prohibited"),
    ("Pictures from the internet you have no rights to.", "Don't:", "prohibited"),
    ("Fordere niemals Ausweisfotos über Social Media an.", None, "prohibited"),
    ("Fotos aus dem Stellwerk sind keinesfalls zu posten.", None, "prohibited"),
    # a lead-in that is a sentence of its own: its prohibition reaches the item
    ("Zählerständen und Fotos von Zählern;", "(2) Untersagt ist insbesondere die Veröffentlichung von", "prohibited"),
    ("Fotos aus der Leitstelle,", "Folgendes darf nicht veröffentlicht werden:", "prohibited"),
    # conditions: only if / unless / with approval / nur mit Zustimmung / vorher ... abstimmen
    ("Fotos von Kolleginnen nur mit deren Zustimmung.", None, "conditional"),
    ("Show colleagues only if they said yes beforehand.", "Do:", "conditional"),
    ("You may share the report once it has been published.", None, "conditional"),
    ("Interviews are not allowed without Brand Team approval.", None, "conditional"),
    ("Private Profile mit Firmenbezug sind ohne Zustimmung der Pressestelle unzulässig.", None, "conditional"),
    ("Über deinen Blechschaden darfst du posten, solange du nichts Internes verrätst.", None, "conditional"),
    ("You may state where you work, but you must not describe the secured unit.", None, "conditional"),
    # an example that states the consent it rests on: the consent is its condition
    ("Ein Gruppenfoto vom Sommerfest, alle Abgebildeten haben zugestimmt → erlaubt.", "Beispiele:", "conditional"),
    ("A team photo where everyone has agreed is fine.", None, "conditional"),
    # permissions: may / feel free / encouraged / darfst / gerne / negated duty
    ("You are warmly encouraged to share our job ads.", None, "permitted"),
    ("Feel free to repost content from our official channels.", None, "permitted"),
    ("Du darfst angeben, dass du bei uns arbeitest.", None, "permitted"),
    ("Teile gerne unsere Stellenanzeigen.", None, "permitted"),
    ("You do not need approval to give an expert opinion.", None, "permitted"),
    ("Bei Urlaubsfotos brauchst du keinen Hinweis.", None, "permitted"),
    ("Bottles that happen to be in the picture are fine.", "Do:", "permitted"),
    # duties: must / ist zu / imperative under "Do:" / prohibition with a redirect
    ("Presseanfragen sind unverzüglich an die Pressestelle weiterzuleiten.", None, "duty"),
    ("Sponsored posts must be marked as advertising.", None, "duty"),
    ("Anfragen von Presse sofort an presse@example.de weiterleiten.", "Mach:", "duty"),
    ("Do not reply yourself; pass it to Digital Channels instead.", None, "duty"),
    # information: facts, contacts, purpose
    ("The Digital Channels team is reachable at social@example.com.", None, "information"),
    ("Diese Richtlinie gilt für alle Beschäftigten.", None, "information"),
    ("Social media are part of how we talk to customers.", None, "information"),
]


@pytest.mark.parametrize(("text", "lead", "expected"), CASES)
def test_labels(text, lead, expected):
    assert label(text, lead) == expected


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("Fotos von Kolleginnen nur mit deren Zustimmung.", "nur mit deren Zustimmung"),
        ("Show guests only if they agree, and never children.", "only if they agree"),
    ],
)
def test_the_condition_is_the_clause_that_states_it(text, condition):
    assert condition_span(text) == condition


def test_a_concessive_clause_is_no_condition():
    assert label("Do not comment on a case, even if the student posted about it first.") == "prohibited"
    assert label("Bitte nicht selbst antworten, auch wenn du den Fall kennst.") == "prohibited"
