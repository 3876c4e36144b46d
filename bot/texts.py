"""User-facing sentences of the core, in German and English, and the one way to look one up."""

from __future__ import annotations


class Catalogue(dict[str, dict[str, str]]):
    """Sentences by key and language; ``text`` fills in the values. English when a language lacks one."""

    def text(self, key: str, language: str, **values: object) -> str:
        template = self[key].get(language) or self[key]["en"]
        return template.format(**values) if values else template


TEXTS = Catalogue(
    {
        "empty": {
            "de": "Ich habe in deiner Nachricht keine Frage gefunden. Schreib mir zum Beispiel: "
            "„Darf ich Fotos von der Weihnachtsfeier posten?“ oder füge den Entwurf deines Posts ein.",
            "en": "I could not find a question in your message. Try for example: "
            '"May I post photos from the Christmas party?" or paste the draft of your post.',
        },
        "foreign": {
            "de": "Ich beantworte Fragen auf Deutsch und Englisch. Stell deine Frage bitte in einer der beiden "
            "Sprachen, oder frag das Social-Media-Team direkt.",
            "en": "I answer questions in German and English. Please ask again in one of them, or ask the social "
            "media team directly.",
        },
        "foreign_reason": {
            "de": "Frage in einer anderen Sprache ({code}) als Deutsch oder Englisch.",
            "en": "Question in another language ({code}) than German or English.",
        },
        "empty_reason": {
            "de": "Keine Frage im Text (nur Markup, Emoji oder Links).",
            "en": "No question in the text (only markup, emoji or links).",
        },
        "truncated": {
            "de": "Deine Nachricht war sehr lang; ich habe die ersten {n} Zeichen berücksichtigt.",
            "en": "Your message was very long; I considered its first {n} characters.",
        },
        "rules_lead": {
            "de": "Das hängt von den Umständen ab. Die Richtlinien sagen dazu:",
            "en": "It depends. The guidelines say:",
        },
        "rules_not_allowed_lead": {
            "de": "Eher nein. Die Richtlinien sagen dazu:",
            "en": "Probably not. The guidelines say:",
        },
        "rule_not_allowed": {
            "de": "Nein. Die Richtlinien sagen: „{rule}“",
            "en": 'No. The guidelines say: "{rule}"',
        },
        "rule_conditional": {
            "de": "Ja, aber nur unter dieser Bedingung. Die Richtlinien sagen: „{rule}“",
            "en": 'Yes, but only on this condition. The guidelines say: "{rule}"',
        },
        "rule_allowed": {
            "de": "Ja. Die Richtlinien sagen: „{rule}“",
            "en": 'Yes. The guidelines say: "{rule}"',
        },
        "off_topic": {
            "de": "Das betrifft die Social-Media-Richtlinien nicht, dazu kann ich nichts sagen. Wenn du trotzdem "
            "fragen möchtest, erreichst du {contact} über den Knopf unten.",
            "en": "That is not about the social media guidelines, so I cannot answer it. If you want to ask anyway, "
            "the button below reaches {contact}.",
        },
        "off_topic_reason": {
            "de": "Nicht zum Thema: die Frage nennt nichts zu Veröffentlichen oder Kommunikation, und kein Abschnitt "
            "der Richtlinien kommt ihr nahe.",
            "en": "Off-topic: the question names nothing about publishing or communication, and no section of the "
            "guidelines comes near it.",
        },
        "unrelated": {
            "de": "Ich bin nicht sicher, ob das die Social-Media-Richtlinien betrifft, deshalb habe ich es nicht "
            "weitergegeben. Wenn es ums Posten oder um öffentliche Äußerungen geht, erreichst du {contact} über den "
            "Knopf unten.",
            "en": "I am not sure this is about the social media guidelines, so I have not passed it on. If it is "
            "about posting or what you say in public, the button below reaches {contact}.",
        },
        "unrelated_reason": {
            "de": "Die Frage nennt nichts zu Veröffentlichen oder Kommunikation, und nichts in den Richtlinien passt "
            "sicher zu ihr ({nearest}); ein Fall wird nur geöffnet, wenn die fragende Person es möchte.",
            "en": "The question names nothing about publishing or communication, and nothing in the guidelines "
            "clearly matches it ({nearest}); a case opens only if the asker wants one.",
        },
        "closest_rule": {
            "de": "Bis dahin: Am nächsten kommt dieser Satz der Richtlinien: „{rule}“",
            "en": 'Meanwhile, the closest sentence in the guidelines is: "{rule}"',
        },
        "ask_team_lead": {
            "de": "Das sollte eine Person entscheiden. Ich leite deine Frage weiter an: {contact}.",
            "en": "A person should decide this. I am passing your question on to: {contact}.",
        },
        "not_covered": {
            "de": "Dazu sagen die Richtlinien nichts Eindeutiges. Ich leite deine Frage weiter an: {contact}.",
            "en": "The guidelines say nothing clear about this. I am passing your question on to: {contact}.",
        },
        "reason_faq": {
            "de": "Passt zur FAQ „{faq}“ (Ähnlichkeit {sim:.2f}).",
            "en": 'Matches the FAQ entry "{faq}" (similarity {sim:.2f}).',
        },
        "reason_rules": {
            "de": "Beantwortet aus dem Richtlinientext (Abschnitt „{section}“), keine passende FAQ.",
            "en": 'Answered from the guideline text (section "{section}"); no matching FAQ entry.',
        },
        "reason_ask_team_faq": {"de": "Laut FAQ entscheidet das Team.", "en": "The FAQ says the team decides."},
        "reason_topic": {
            "de": "Thema „{topic}“ geht immer an Menschen.",
            "en": 'Topic "{topic}" always goes to a person.',
        },
        "reason_low_confidence": {
            "de": "Zu unsicher (Konfidenz {conf:.2f} unter {threshold:.2f}).",
            "en": "Not confident enough ({conf:.2f} below {threshold:.2f}).",
        },
        "reason_rule_agrees": {
            "de": "Die Regel im Abschnitt „{section}“ sagt dasselbe.",
            "en": 'The rule in section "{section}" says the same.',
        },
        "reason_faq_unrelated": {
            "de": "Die Frage nennt nichts vom Posten oder Kommunizieren und ähnelt der FAQ „{faq}“ nur in Wörtern.",
            "en": 'The question names nothing of posting or communicating and resembles the FAQ "{faq}" only in words.',
        },
        "reason_disagree": {
            "de": "Die besten Treffer widersprechen sich ({a} / {b}).",
            "en": "The top hits disagree ({a} / {b}).",
        },
        "draft_block": {
            "de": "So nicht: Der Entwurf enthält etwas, das nicht gepostet werden darf.",
            "en": "Not like this: the draft contains something that must not be posted.",
        },
        "draft_ask_team": {"de": "Das sollte das Team vorher sehen:", "en": "The team should see this first:"},
        "draft_warn": {"de": "Ja, wenn du das vorher anpasst:", "en": "Yes, once you fix this:"},
        "draft_related": {
            "de": "Diese Abschnitte der Richtlinien betreffen deinen Beitrag:",
            "en": "These sections of the guidelines concern your post:",
        },
        "draft_clean": {
            "de": "Die Prüfungen haben in deinem Entwurf nichts gefunden. Gesucht haben sie nach: {looked_for}. "
            "Was sie nicht erkennen, prüfst du selbst an den Richtlinien; im Zweifel frag das Team.",
            "en": "The checks found nothing in your draft. They looked for: {looked_for}. What they cannot "
            "recognise is yours to check against the guidelines; if in doubt, ask the team.",
        },
        "question_needs_index": {
            "de": "Die Frage in deinem Text kann ich ohne Index nicht beantworten; geprüft habe ich nur den Entwurf.",
            "en": "Without an index I cannot answer the question in your text; I only checked the draft.",
        },
        "reason_no_findings": {
            "de": "Prüfung des Entwurfs: keine Funde ({n} Regeln).",
            "en": "Draft check: no findings ({n} rules).",
        },
        "reason_findings": {
            "de": "Prüfung des Entwurfs: {n} Fund(e) ({rules}).",
            "en": "Draft check: {n} finding(s) ({rules}).",
        },
        "reason_not_covered": {
            "de": "Die Wissensbasis deckt die Frage nicht ab.",
            "en": "The knowledge base does not cover the question.",
        },
    }
)
text = TEXTS.text
