"""What the bot says in Slack (besides the answers themselves), in German and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "verdict_allowed": {"de": "Erlaubt", "en": "Allowed"},
    "verdict_conditional": {"de": "Erlaubt, unter Bedingungen", "en": "Allowed with conditions"},
    "verdict_not_allowed": {"de": "Nicht erlaubt", "en": "Not allowed"},
    "verdict_ask_team": {"de": "Das entscheidet das Team", "en": "Needs the team"},
    "status": {"de": "Suche in den Richtlinien…", "en": "Checking the guidelines…"},
    "sources": {"de": "Aus den Richtlinien", "en": "From the guidelines"},
    "helpful": {"de": "Hilfreich", "en": "Helpful"},
    "not_helpful": {"de": "Nicht hilfreich", "en": "Not helpful"},
    "ask_team": {"de": "Social-Media-Team fragen", "en": "Ask the social media team"},
    "share": {"de": "Im Channel teilen", "en": "Share in channel"},
    "findings": {"de": "Im Entwurf gefunden", "en": "Found in the draft"},
    "more_findings": {"de": "… und {n} weitere Stellen.", "en": "… and {n} more."},
    "checked_post": {"de": "Geprüfter Beitrag", "en": "Checked post"},
    "shared_by": {"de": "<@{user}> hat gefragt", "en": "<@{user}> asked"},
    "handed_off": {"de": "Ich habe deine Frage an {contact} weitergegeben (Fall {case}).",
                   "en": "I passed your question to {contact} (case {case})."},
    "handoff_failed": {"de": "Ich konnte {contact} gerade nicht erreichen. Bitte schreib direkt an {fallback}.",
                       "en": "I could not reach {contact} just now. Please write to {fallback} directly."},
    "already_sent": {"de": "Diese Frage ist schon beim Team ({contact}).",
                     "en": "This question is already with the team ({contact})."},
    "failure": {
        "de": "Entschuldige, beim Prüfen deiner Frage ist ein Fehler passiert (Fall {case}). "
              "Ich habe ihn protokolliert. Du kannst die Frage direkt an das Social-Media-Team geben:",
        "en": "Sorry, something went wrong while I was checking your question (case {case}). "
              "It has been logged. You can pass the question straight to the social media team:",
    },
    "thanks": {"de": "Danke für dein Feedback!", "en": "Thanks for your feedback!"},
    "feedback_failed": {"de": "Dein Feedback konnte gerade nicht gespeichert werden. Entschuldige!",
                        "en": "Your feedback could not be saved just now. Sorry!"},
    "reason_title": {"de": "Was hat gefehlt?", "en": "What was missing?"},
    "reason_label": {"de": "Was war falsch oder unklar? (optional)", "en": "What was wrong or unclear? (optional)"},
    "reason_hint": {"de": "Zum Beispiel: falscher Abschnitt, Antwort passt nicht zur Frage …",
                    "en": "For example: wrong section, the answer does not fit the question …"},
    "send": {"de": "Senden", "en": "Send"},
    "cancel": {"de": "Abbrechen", "en": "Cancel"},
    "no_text": {"de": "Diese Nachricht enthält keinen Text, den ich prüfen kann.",
                "en": "This message has no text I can check."},
    "command_help": {
        "de": "So fragst du mich: `/mayipost Darf ich Fotos vom Sommerfest posten?` oder füge den Entwurf "
              "deines Posts nach `/mayipost` ein. Die Antwort sieht nur du; mit „Im Channel teilen“ zeigst "
              "du sie allen.",
        "en": "Ask me like this: `/mayipost May I post photos from the summer party?` or paste the draft of "
              "your post after `/mayipost`. Only you see the answer; \"Share in channel\" shows it to everyone.",
    },
    "admin_refused": {
        "de": "Das dürfen nur die Maintainer des Bots. Bitte wende dich an {who}.",
        "en": "Only the bot's maintainers can do that. Please ask {who}.",
    },
    "admin_nobody": {"de": "die Maintainer (GUIDELINES_BOT_MAINTAINERS ist leer)",
                     "en": "the maintainers (GUIDELINES_BOT_MAINTAINERS is empty)"},
    "admin_help": {"de": "Admin-Befehle: `/mayipost admin reindex` (Index neu bauen und austauschen), "
                         "`/mayipost admin status`.",
                   "en": "Admin commands: `/mayipost admin reindex` (rebuild and swap in the index), "
                         "`/mayipost admin status`."},
    "reindex_started": {"de": "Baue den Index neu auf …", "en": "Rebuilding the index …"},
    "reindex_done": {"de": "Index neu gebaut und live:", "en": "Index rebuilt and live:"},
    "reindex_failed": {"de": "Neuaufbau fehlgeschlagen, der bisherige Index bleibt aktiv (Fall {case}): {error}",
                       "en": "Reindex failed, the previous index stays live (case {case}): {error}"},
    "status_report": {"de": "Index {build} ({passages} Passagen, gebaut {built}). {stale}",
                      "en": "Index {build} ({passages} passages, built {built}). {stale}"},
    "stale": {"de": "Das Wissen wurde seitdem geändert: `/mayipost admin reindex`.",
              "en": "The knowledge changed since: `/mayipost admin reindex`."},
    "fresh": {"de": "Aktuell.", "en": "Up to date."},
    "case_heading": {"de": "Frage an das Team", "en": "Question for the team"},
    "case_asked": {"de": "<@{user}> fragt in {where}:", "en": "<@{user}> asks in {where}:"},
    "case_found": {"de": "Was der Bot gefunden hat:", "en": "What the bot found:"},
    "case_no_answer": {"de": "Der Bot konnte die Frage nicht beantworten (Fall-ID im Log).",
                       "en": "The bot could not answer this question (case id in the logs)."},
    "where_dm": {"de": "einer Direktnachricht an den Bot", "en": "a direct message to the bot"},
    "where_command": {"de": "/mayipost", "en": "/mayipost"},
    "where_shortcut": {"de": "„Check this post“", "en": "\"Check this post\""},
    "prompts_title": {"de": "Frag mich zum Beispiel", "en": "Ask me for example"},
}

SUGGESTED_PROMPTS = [
    {"title": "Fotos vom Sommerfest posten?", "message": "Darf ich Fotos vom Sommerfest auf LinkedIn posten?"},
    {"title": "Kundenprojekt erwähnen?", "message": "Darf ich in meinem Profil ein Kundenprojekt erwähnen?"},
    {"title": "Share a job posting?", "message": "May I share our job postings on my private account?"},
    {"title": "Check my draft post", "message": "Please check my draft: Proud of our team at the trade fair!"},
]


def text(key: str, language: str, **values: object) -> str:
    template = TEXTS[key].get(language) or TEXTS[key]["en"]
    return template.format(**values) if values else template
