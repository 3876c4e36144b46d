"""Each shipped rule of knowledge/checks.yaml, with German and English drafts it must and must not flag."""

from __future__ import annotations

import pytest

from tests.checks.conftest import rule_ids

# (rule, language, draft, flagged?)
CASES = [
    # confidential markers
    ("confidential-marker", "de", "Anbei die Folien – streng vertraulich!", True),
    ("confidential-marker", "de", "Die Zahlen sind nur intern, bitte nicht posten.", True),
    ("confidential-marker", "de", "Interne Zahlen zeigen: das Projekt läuft.", True),
    ("confidential-marker", "de", "Das ist intern – nicht weitergeben!", True),
    ("confidential-marker", "de", "Nicht zur Veröffentlichung: neue Preisliste.", True),
    ("confidential-marker", "de", "Die Vertraulichkeitsvereinbarung ist unterschrieben.", True),
    ("confidential-marker", "de", "Ein Blick in unser internes Dokument zur Strategie.", True),
    ("confidential-marker", "de", "Spannender Tag bei der internen Weiterbildung!", False),
    ("confidential-marker", "de", "Deine Bewerbung behandeln wir selbstverständlich vertraulich.", False),
    ("confidential-marker", "de", "Im Internet gibt es viele internationale Beispiele.", False),
    ("confidential-marker", "de", "Unsere Vertraulichkeit ist uns wichtig.", False),
    ("confidential-marker", "en", "Sharing the deck – internal only!", True),
    ("confidential-marker", "en", "This is confidential, but the launch is close.", True),
    ("confidential-marker", "en", "Partner details are under NDA.", True),
    ("confidential-marker", "en", "Not for distribution: the new price list.", True),
    ("confidential-marker", "en", "Our new intern starts on Monday!", False),
    ("confidential-marker", "en", "Great internal training on security today.", False),
    ("confidential-marker", "en", "Applications are treated as confidential.", False),
    ("confidential-marker", "en", "Hondas and Toyotas in the car park.", False),
    # financial figures
    ("financial-figures", "de", "Umsatz +12 % im dritten Quartal!", True),
    ("financial-figures", "de", "Der Jahresumsatz liegt bei 310 Mio. Euro.", True),
    ("financial-figures", "de", "Prognose: 15 % Wachstum im Geschäftsjahr.", True),
    ("financial-figures", "de", "Umsatz und Gewinn sind wichtige Begriffe im BWL-Studium.", False),
    ("financial-figures", "de", "Alle Preise zzgl. 19 % Umsatzsteuer.", False),
    ("financial-figures", "de", "30 % mehr Besucher am Stand als letztes Jahr.", False),
    ("financial-figures", "en", "Q3 revenue 4.2 m€, up 15% year on year.", True),
    ("financial-figures", "en", "Our EBITDA margin hit 18% this quarter.", True),
    ("financial-figures", "en", "Weather forecast: 80% chance of rain.", False),
    ("financial-figures", "en", "We grew our sales team by 20%.", False),
    ("financial-figures", "en", "Revenue up 8% – report: https://nordhafen.example/investor/q2", False),
    # insider hints
    ("insider-hints", "de", "Was für ein Rekordquartal, mehr darf ich nicht sagen!", True),
    ("insider-hints", "de", "Der Auftragseingang ist so hoch wie nie.", True),
    ("insider-hints", "de", "Kauft jetzt Nordhafen-Aktien!", True),
    ("insider-hints", "de", "Die Quartalszahlen sind online, hier der Link zum Bericht.", False),
    ("insider-hints", "de", "Am Montag beginnt der neue Kurs für Azubis.", False),
    ("insider-hints", "en", "Record quarter for us, can't say more!", True),
    ("insider-hints", "en", "Buy the shares now, the share price will skyrocket.", True),
    ("insider-hints", "en", "Big things are happening here 🚀", True),
    ("insider-hints", "en", "Great weather this quarter of the year.", False),
    # contact data
    ("contact-data", "de", "Schreibt mir an jana.meier@gmail.com", True),
    ("contact-data", "de", "Ruft an: 0171 2345678", True),
    ("contact-data", "de", "Spenden an DE89 3704 0044 0532 0130 00", True),
    ("contact-data", "de", "Treffpunkt: Grindelallee 12", True),
    ("contact-data", "de", "Falsche IBAN: DE89 3704 0044 0532 0130 01", False),
    ("contact-data", "de", "Presseanfragen an presse@nordhafen.example", False),
    ("contact-data", "de", "Wir haben 10.000 Follower und 2.500 Kommentare!", False),
    ("contact-data", "de", "Der Arbeitsplatz 4.0 ist da.", False),
    ("contact-data", "en", "Call me on +49 40 1234 5678", True),
    ("contact-data", "en", "Donations to GB82 WEST 1234 5698 7654 32", True),
    ("contact-data", "en", "Meetup at 221 Baker Street!", True),
    ("contact-data", "en", "Top 5 Great Ways to plan your day.", False),
    ("contact-data", "en", "We shipped version 2024.10.3 today.", False),
    # health data
    ("health-data", "de", "Tim ist krankgeschrieben, gute Besserung!", True),
    ("health-data", "de", "Nach ihrer OP liegt sie noch im Krankenhaus.", True),
    ("health-data", "de", "Sie hat Burnout.", True),
    ("health-data", "de", "Unser Diagnose-Tool erkennt Fehler an Kränen.", False),
    ("health-data", "de", "Wir suchen eine Krankheitsvertretung für die Buchhaltung.", False),
    ("health-data", "de", "Danke an alle Läufer für die Krebshilfe!", False),
    ("health-data", "en", "Wishing Mark a speedy recovery after his surgery.", True),
    ("health-data", "en", "She is on sick leave with burnout.", True),
    ("health-data", "en", "Mental health matters, take breaks.", False),
    ("health-data", "en", "We raised money for cancer research.", False),
    # internal links and host names
    ("internal-links", "de", "Infos im Wiki: https://wiki.nordhafen.intern/umzug", True),
    ("internal-links", "de", "Steht alles im Hafenblick.", True),
    ("internal-links", "de", "Mehr auf https://nordhafen.example/karriere", False),
    ("internal-links", "de", "Wir sind international unterwegs.", False),
    ("internal-links", "en", "The VPN is at vpn.nordhafen.intern", True),
    ("internal-links", "en", "Logs on 192.168.10.20 look fine.", True),
    ("internal-links", "en", "The file is at \\\\fs01\\sales\\prices.xlsx", True),
    ("internal-links", "en", "We reached 10.000.000 containers moved.", False),
    ("internal-links", "en", "See nordhafen.international for the conference.", False),
    # code names
    ("code-names", "de", "Polarstern kommt bald!", True),
    ("code-names", "de", "Polarsterns Launch verschiebt sich.", True),
    ("code-names", "de", "Wer testet die Kompass-Beta?", True),
    ("code-names", "de", "Ein Leuchtturmprojekt für die Branche.", False),
    ("code-names", "de", "Mein innerer Kompass sagt: Urlaub.", False),
    ("code-names", "de", "Ausflug zum Leuchtturm von Westerhever.", False),
    ("code-names", "en", "Can't wait for #Leuchtturm to launch.", True),
    ("code-names", "en", "We visited the research vessel Polarstern today.", False),
    # customer names
    ("customer-names", "de", "Go-live bei Hansa Terminal erfolgreich!", True),
    ("customer-names", "de", "Danke an Elbe-Container-Services!", True),
    ("customer-names", "de", "Stolz auf das Projekt mit den Stadtwerken Kiel.", False),
    ("customer-names", "de", "Wir waren im Hansa-Park und am Terminal 2.", False),
    ("customer-names", "en", "Thanks to Nordsee Logistik AG for the smooth go-live.", True),
    ("customer-names", "en", "Case study with Baltic Freight Ltd. is online.", False),
    ("customer-names", "en", "Reederei Albers renewed their contract.", False),
    # insults
    ("insults", "de", "Was für ein Vollidiot.", True),
    ("insults", "de", "Du bist so inkompetent!", True),
    ("insults", "de", "Es gibt keine dummen Fragen.", False),
    ("insults", "de", "Der Trottoir ist frisch gefegt.", False),
    ("insults", "en", "What a moron.", True),
    ("insults", "en", "You're so pathetic.", True),
    ("insults", "en", "That was a knee-jerk reaction.", False),
    ("insults", "en", "The idiom 'ideal' is not the same as idiomatic.", False),
    # profanity
    ("profanity", "de", "So ein Scheiß!", True),
    ("profanity", "de", "Was für ein Scheißtag.", True),
    ("profanity", "de", "Der Shitstorm ist vorbei.", False),
    ("profanity", "de", "Leckere Kekse in der Kaffeeküche.", False),
    ("profanity", "en", "Damn, what a week.", True),
    ("profanity", "en", "Stop the bullshit.", True),
    ("profanity", "en", "The scunthorpe problem is well known.", False),
    ("profanity", "en", "We shipped it!", False),
    # employer disclosure
    ("employer-disclosure", "de", "HafenFlow ist die beste Software, klare Empfehlung!", True),
    ("employer-disclosure", "de", "Tolle Stimmung am Nordhafen-Stand!", True),
    ("employer-disclosure", "de", "Ich arbeite bei Nordhafen: HafenFlow ist toll.", False),
    ("employer-disclosure", "de", "HafenFlow 5 ist da! #nordhafen #mitarbeiter", False),
    ("employer-disclosure", "de", "Neu: HafenFlow 5 (Werbung, ich bin Mitarbeiterin)", False),
    ("employer-disclosure", "de", "Kein Bezug zur Firma in diesem Post.", False),
    ("employer-disclosure", "en", "HafenFlow is the best terminal software, 5 stars!", True),
    ("employer-disclosure", "en", "I work at Nordhafen and HafenFlow 5 is out!", False),
    ("employer-disclosure", "en", "My employer Nordhafen is hiring.", False),
    ("employer-disclosure", "en", "Write to tom@nordhafen.example for details.", False),
    ("employer-disclosure", "en", "Solutions Architect @ Nordhafen | port automation", False),
    ("employer-disclosure", "de", "Werkstudentin @Nordhafen – HafenFlow-Team", False),
    # crisis
    ("crisis-topic", "de", "Gerüchte über Entlassungen – weiß jemand was?", True),
    ("crisis-topic", "de", "Das Datenleck ist schlimmer als gedacht.", True),
    ("crisis-topic", "de", "HafenFlow ist seit heute Morgen down.", True),
    ("crisis-topic", "de", "Produktrückruf bei den Kransteuerungen.", True),
    ("crisis-topic", "de", "Rückruf erbeten, danke!", False),
    ("crisis-topic", "de", "Unser Hackathon war großartig.", False),
    ("crisis-topic", "de", "Leckeres Essen beim Sommerfest.", False),
    ("crisis-topic", "de", "Die Entlassungsfeier der Azubis war schön.", False),
    ("crisis-topic", "en", "Rumours of layoffs everywhere.", True),
    ("crisis-topic", "en", "Was there a data breach?", True),
    ("crisis-topic", "en", "HafenFlow was down for two hours.", True),
    ("crisis-topic", "en", "HafenFlow is hands down the best.", False),
    ("crisis-topic", "en", "Life hack: label your cables.", False),
    ("crisis-topic", "en", "I recall our first trade fair fondly.", False),
]


@pytest.mark.parametrize(
    ("rule", "language", "draft", "flagged"),
    [pytest.param(*c, id=f"{c[0]}-{c[1]}-{'pos' if c[3] else 'neg'}-{i}") for i, c in enumerate(CASES)],
)
def test_rule(engine, rule, language, draft, flagged):
    assert (rule in rule_ids(engine, draft)) is flagged


def test_every_shipped_rule_has_positive_and_negative_cases_in_both_languages(engine):
    text_rules = [r.id for r in engine.rules if not r.rule.attachments]
    for rule in text_rules:
        for language in ("de", "en"):
            kinds = {flagged for r, lang, _, flagged in CASES if r == rule and lang == language}
            assert kinds == {True, False}, f"{rule}/{language}: {kinds}"


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("interne Weiterbildung", set()),
        ("nur intern", {"confidential-marker"}),
        ("interne Zahlen", {"confidential-marker"}),
        ("intern – nicht weitergeben", {"confidential-marker"}),
        ("Vertraulich", {"confidential-marker"}),
        ("vertrauliche Unterlagen", {"confidential-marker"}),
        ("vertraulichen Infos", {"confidential-marker"}),
    ],
)
def test_confidentiality_near_misses(engine, draft, expected):
    assert rule_ids(engine, draft) == expected


def test_finding_spans_point_at_the_matched_text(engine):
    draft = "Hallo! Umsatz +12 % im Q3 – streng vertraulich."
    found = engine.check(draft)
    findings = {f.rule_id: f for f in found}
    money = [f for f in found if f.rule_id == "financial-figures"]
    assert all(draft[f.start : f.end] == f.matched for f in found)
    assert [f.matched for f in money] == ["Umsatz", "+12 %", "Q3"]
    assert findings["confidential-marker"].matched == "vertraulich"
    assert findings["confidential-marker"].anchors == ("confidential",)


def test_findings_cover_whole_addresses_and_links(engine):
    draft = (
        "Mail an jana.meier@gmail.com, Wiki: https://wiki.nordhafen.intern/umzug-2025. "
        "Treffpunkt Grindelallee 12, Server db01.nordhafen.intern."
    )
    matched = {(f.rule_id, f.matched) for f in engine.check(draft)}
    assert matched == {
        ("contact-data", "jana.meier@gmail.com"),
        ("internal-links", "https://wiki.nordhafen.intern/umzug-2025"),
        ("contact-data", "Grindelallee 12"),
        ("internal-links", "db01.nordhafen.intern"),
    }
