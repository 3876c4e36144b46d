"""Does a question name anything of the bot's domain (posting, platforms, press, public talk)?"""

from __future__ import annotations

import pytest

from bot.domain import about_posting


@pytest.mark.parametrize(
    "text",
    [
        "Darf ich das auf LinkedIn posten?",
        "can i share the launch post?",
        "Ich wurde für ein Radiointerview angefragt",  # a root inside a compound
        "ich mach ne facebookseite für meine agentur auf",
        "Muss ich bei meinen Bildern Alt-Texte hinzufügen?",
        "ist das vertaulich, was ich da plane?",  # one typo in a long root
        "die kommunikation macht diese #WirSindNordhafen-aktion, muss ich mitmachen?",
        "Is this fine? 'Huge week! We went live with HafenFlow at Elbe Container'",  # a quoted draft
        "a reporter called me about the accident",
        "can i give my network a heads-up about the merger?",
        "who do I call for a filming permit on the hospital grounds?",  # every form of 'film'
        "brauche ich eine Drehgenehmigung für den Imagefilm?",
        # what the asker may say, tell or name: public talk about work, without a platform word
        "Kann ich sagen, wo ich arbeite?",
        "Darf ich Freunden von unserem neuen Produkt erzählen?",
        "ist es ok, den Namen eines Kunden zu nennen?",
        "Can I talk about my job?",
        "a recruiter from a competitor messaged me, what can I tell him?",
        "am I allowed to say which customers we have?",
        "Darf ich die Präsentation vom Kundentermin an meinen Bruder weiterleiten?",  # handing on
        "Muss ich kennzeichnen, wenn ich für eine Empfehlung Geld bekomme?",  # disclosure
        "do I need to disclose that I work here when I recommend our software?",
        "may I show my neighbour the prototype?",
        "should I correct false rumours about us that I hear in my sports club?",
        "is it fine to wear the company t-shirt at a protest?",
    ],
)
def test_the_domain_is_recognised_in_both_languages(text):
    assert about_posting(text)


@pytest.mark.parametrize(
    "text",
    [
        "wann ist dieses jahr die weihnachtsfeier?",
        "how do I reset my VPN password?",
        "wie beantrage ich bildungsurlaub?",  # 'bild' only as a whole word
        "is the main library open on bank holiday monday?",  # no 'nda' inside 'monday'
        "what's the cost center for our team offsite?",  # an apostrophe is no quoted draft
        "who do I talk to about my payslip?",
        "kann mir jemand sagen, wie ich mein vpn-passwort zurücksetze?",  # asks for help, not permission
        "can anyone tell me where the canteen is?",
    ],
)
def test_everyday_workplace_questions_are_not_the_domain(text):
    assert not about_posting(text)


def test_a_long_word_is_read_quickly_and_does_not_count():
    assert not about_posting("haha" * 10_000 + "?")
    assert about_posting("Darf ich " + "x" * 40_000 + " posten?")
