"""What the bot says in Slack (besides the answers themselves), in German and English."""

from __future__ import annotations

from bot.texts import Catalogue

TEXTS = Catalogue(
    {
        "verdict_allowed": {"de": "Erlaubt", "en": "Allowed"},
        "verdict_conditional": {"de": "Erlaubt, unter Bedingungen", "en": "Allowed with conditions"},
        "verdict_not_allowed": {"de": "Nicht erlaubt", "en": "Not allowed"},
        "verdict_ask_team": {"de": "Das entscheidet das Team", "en": "Needs the team"},
        "status": {"de": "Suche in den Richtlinien…", "en": "Checking the guidelines…"},
        "loading_messages": {  # Slack rotates them under the status; one a line
            "de": "Lese die passenden Abschnitte…\nSchaue in die häufigen Fragen…\n"
            "Prüfe, ob das Team entscheiden sollte…",
            "en": "Reading the sections that fit…\nLooking through the FAQ…\nChecking whether the team should decide…",
        },
        "sources": {"de": "Aus den Richtlinien", "en": "From the guidelines"},
        "helpful": {"de": "Hilfreich", "en": "Helpful"},
        "not_helpful": {"de": "Nicht hilfreich", "en": "Not helpful"},
        "ask_team": {"de": "Social-Media-Team fragen", "en": "Ask the social media team"},
        "share": {"de": "Im Channel teilen", "en": "Share in channel"},
        "findings": {"de": "Im Entwurf gefunden", "en": "Found in the draft"},
        "more_findings": {"de": "… und {n} weitere Stellen.", "en": "… and {n} more."},
        "checked_post": {"de": "Geprüfter Beitrag", "en": "Checked post"},
        "shared_by": {"de": "<@{user}> hat gefragt", "en": "<@{user}> asked"},
        "handed_off": {
            "de": "Ich habe deine Frage an {contact} weitergegeben (Fall {case}).",
            "en": "I passed your question to {contact} (case {case}).",
        },
        "handoff_failed": {
            "de": "Ich konnte {contact} gerade nicht erreichen und versuche es weiter. Wenn es eilt, "
            "schreib direkt an {fallback}.",
            "en": "I could not reach {contact} just now and will keep trying. If it is urgent, write "
            "to {fallback} directly.",
        },
        "handoff_not_stored": {
            "de": "Deine Frage ist *nicht* bei {contact} angekommen: Ich konnte sie gerade nicht "
            "speichern und versuche es auch nicht weiter. Bitte schreib direkt an {fallback}.",
            "en": "Your question has *not* reached {contact}: I could not store it just now and will not "
            "try again. Please write to {fallback} directly.",
        },
        "handoff_unconfirmed": {
            "de": "Ich kann gerade *nicht* bestätigen, dass deine Frage bei {contact} ankommt: Unser "
            "Speicher antwortet nicht. Bitte schreib direkt an {fallback}.",
            "en": "I can *not* confirm just now that your question reaches {contact}: our storage does "
            "not answer. Please write to {fallback} directly.",
        },
        "already_sent": {
            "de": "Diese Frage ist schon beim Team ({contact}).",
            "en": "This question is already with the team ({contact}).",
        },
        "failure": {
            "de": "Entschuldige, beim Prüfen deiner Frage ist ein Fehler passiert (Fall {case}). "
            "Ich habe ihn protokolliert. Du kannst die Frage direkt an das Social-Media-Team geben:",
            "en": "Sorry, something went wrong while I was checking your question (case {case}). "
            "It has been logged. You can pass the question straight to the social media team:",
        },
        "thanks": {"de": "Danke für dein Feedback!", "en": "Thanks for your feedback!"},
        "bad_button": {
            "de": "Mit diesem Knopf stimmt etwas nicht, ich habe nichts getan. Stell deine Frage bitte noch einmal.",
            "en": "Something is wrong with this button, so I did nothing. Please ask your question again.",
        },
        "feedback_failed": {
            "de": "Dein Feedback konnte gerade nicht gespeichert werden. Entschuldige!",
            "en": "Your feedback could not be saved just now. Sorry!",
        },
        "reason_title": {"de": "Was hat gefehlt?", "en": "What was missing?"},
        "reason_label": {"de": "Was war falsch oder unklar? (optional)", "en": "What was wrong or unclear? (optional)"},
        "reason_hint": {
            "de": "Zum Beispiel: falscher Abschnitt, Antwort passt nicht zur Frage …",
            "en": "For example: wrong section, the answer does not fit the question …",
        },
        "send": {"de": "Senden", "en": "Send"},
        "cancel": {"de": "Abbrechen", "en": "Cancel"},
        "no_text": {
            "de": "Diese Nachricht enthält keinen Text, den ich prüfen kann.",
            "en": "This message has no text I can check.",
        },
        "command_help": {
            "de": "So fragst du mich: `/mayipost Darf ich Fotos vom Sommerfest posten?` oder füge den Entwurf "
            "deines Posts nach `/mayipost` ein. Die Antwort sieht nur du; mit „Im Channel teilen“ zeigst "
            "du sie allen.",
            "en": "Ask me like this: `/mayipost May I post photos from the summer party?` or paste the draft of "
            'your post after `/mayipost`. Only you see the answer; "Share in channel" shows it to everyone.',
        },
        "admin_refused": {
            "de": "Das dürfen nur die Maintainer des Bots. Bitte wende dich an {who}.",
            "en": "Only the bot's maintainers can do that. Please ask {who}.",
        },
        "admin_nobody": {
            "de": "die Maintainer (GUIDELINES_BOT_MAINTAINERS ist leer)",
            "en": "the maintainers (GUIDELINES_BOT_MAINTAINERS is empty)",
        },
        "admin_help": {
            "de": "Admin-Befehle: `/mayipost admin reindex` (Index neu bauen und austauschen), "
            "`/mayipost admin status`, `/mayipost admin report` (die letzten sieben Tage).",
            "en": "Admin commands: `/mayipost admin reindex` (rebuild and swap in the index), "
            "`/mayipost admin status`, `/mayipost admin report` (the last seven days).",
        },
        "reindex_started": {"de": "Baue den Index neu auf …", "en": "Rebuilding the index …"},
        "reindex_done": {"de": "Index neu gebaut und live:", "en": "Index rebuilt and live:"},
        "reindex_failed": {
            "de": "Neuaufbau fehlgeschlagen, der bisherige Index bleibt aktiv (Fall {case}): {error}",
            "en": "Reindex failed, the previous index stays live (case {case}): {error}",
        },
        "status_report": {
            "de": "Index {build} ({passages} Passagen, gebaut {built}). {stale}",
            "en": "Index {build} ({passages} passages, built {built}). {stale}",
        },
        "stale": {
            "de": "Das Wissen wurde seitdem geändert: `/mayipost admin reindex`.",
            "en": "The knowledge changed since: `/mayipost admin reindex`.",
        },
        "fresh": {"de": "Aktuell.", "en": "Up to date."},
        "index_fallback": {
            "de": "Der aktuelle Index-Build {damaged} ist beschädigt (`{damage}`). Ich antworte aus dem "
            "vorherigen vollständigen Build {build}, bis der Index neu gebaut ist: `/mayipost admin reindex` "
            "(oder `guidelines-bot reindex` auf dem Server).",
            "en": "The current index build {damaged} is damaged (`{damage}`). I am answering from the "
            "previous complete build {build} until the index is rebuilt: `/mayipost admin reindex` "
            "(or `guidelines-bot reindex` on the server).",
        },
        "case_heading": {"de": "Frage an das Team", "en": "Question for the team"},
        "case_asked": {"de": "<@{user}> fragt in {where}:", "en": "<@{user}> asks in {where}:"},
        "case_found": {"de": "Was der Bot gefunden hat:", "en": "What the bot found:"},
        "case_no_answer": {
            "de": "Der Bot konnte die Frage nicht beantworten (Fall-ID im Log).",
            "en": "The bot could not answer this question (case id in the logs).",
        },
        "where_dm": {"de": "einer Direktnachricht an den Bot", "en": "a direct message to the bot"},
        "where_command": {"de": "/mayipost", "en": "/mayipost"},
        "where_shortcut": {"de": "„Check this post“", "en": '"Check this post"'},
        "prompts_title": {"de": "Frag mich zum Beispiel", "en": "Ask me for example"},
        "home_intro": {
            "de": "*Darf ich das posten?* Ich beantworte Fragen zu unseren Social-Media-Richtlinien in "
            "Sekunden, mit den Stellen aus den Richtlinien, die es belegen. Wenn ich unsicher bin, gebe "
            "ich die Frage an das Social-Media-Team weiter.",
            "en": "*May I post this?* I answer questions about our social media guidelines in seconds, "
            "quoting the passages that back the answer. When I am not sure, I hand the question to "
            "the social media team.",
        },
        "home_how": {
            "de": "*So fragst du*\n• Schreib mir hier im Tab *Nachrichten*\n"
            "• Erwähne mich in einem Thread: `@guidelines-bot Darf ich …?`\n"
            "• `/mayipost <Frage oder Entwurf>`: nur du siehst die Antwort\n"
            "• Bei jeder Nachricht: ⋮ → *Check this post*",
            "en": "*How to ask*\n• Write to me in the *Messages* tab\n"
            "• Mention me in a thread: `@guidelines-bot May I …?`\n"
            "• `/mayipost <question or draft>`: only you see the answer\n"
            "• On any message: ⋮ → *Check this post*",
        },
        "home_guidelines": {"de": "Richtlinien", "en": "Guidelines"},
        "home_team": {"de": "Social-Media-Team", "en": "Social media team"},
        # -- cases: the team's side ---------------------------------------------------------------------
        "case_draft": {"de": "Entwurf:", "en": "Draft:"},
        "case_open": {
            "de": ":large_yellow_circle: *Offen*: noch hat niemand den Fall übernommen.",
            "en": ":large_yellow_circle: *Open*: nobody has taken this case yet.",
        },
        "case_claimed": {
            "de": ":large_blue_circle: <@{owner}> kümmert sich darum (seit {since}).",
            "en": ":large_blue_circle: <@{owner}> is on it (since {since}).",
        },
        "case_resolved": {
            "de": ":white_check_mark: *Gelöst* von <@{user}> ({since}):",
            "en": ":white_check_mark: *Resolved* by <@{user}> ({since}):",
        },
        "case_closed_idle": {
            "de": ":wastebasket: *Geschlossen* ({since}): lange hat niemand den Fall bearbeitet; "
            "seine Texte sind nach der Aufbewahrungsfrist gelöscht.",
            "en": ":wastebasket: *Closed* ({since}): nobody worked on this case for a long time; "
            "its texts were deleted under the retention rules.",
        },
        "asker_closed_idle": {
            "de": ":hourglass: Deine Frage (Fall {case}) ist lange unbeantwortet geblieben und jetzt "
            "geschlossen; ihr Text ist nach der Aufbewahrungsfrist gelöscht. Wenn sie noch aktuell ist, "
            "frag bitte noch einmal oder schreib an {contact}.",
            "en": ":hourglass: Your question (case {case}) went unanswered for a long time and is now "
            "closed; its text was deleted under the retention rules. If it still matters, please ask "
            "again or write to {contact}.",
        },
        "case_faq": {
            "de": ":books: Als FAQ-Eintrag `{entry}` vorgeschlagen; live erst nach dem Review "
            "(`guidelines-bot faq review`).",
            "en": ":books: Proposed as FAQ entry `{entry}`; live only after review (`guidelines-bot faq review`).",
        },
        "case_hint": {
            "de": "Antworten in diesem Thread gehen an <@{asker}> (außer sie beginnen mit „intern:“).",
            "en": 'Replies in this thread reach <@{asker}> (unless they start with "internal:").',
        },
        "claim": {"de": "Übernehmen", "en": "Claim"},
        "hand_off": {"de": "Weitergeben", "en": "Hand off"},
        "resolve": {"de": "Lösen", "en": "Resolve"},
        "add_to_faq": {"de": "Zur FAQ hinzufügen", "en": "Add to FAQ"},
        "handoff_note": {
            "de": ":arrows_counterclockwise: <@{actor}> hat den Fall an <@{to}> weitergegeben.",
            "en": ":arrows_counterclockwise: <@{actor}> handed this case to <@{to}>.",
        },
        "reply_stays": {
            "de": "Deine Antwort bleibt in diesem Thread: an die fragende Person gehen nur Antworten des Teams.",
            "en": "Your reply stays in this thread: only the team's replies reach the person who asked.",
        },
        "from_asker": {"de": ":speech_balloon: *<@{user}> schreibt:*", "en": ":speech_balloon: *<@{user}> writes:*"},
        "relay_edited": {"de": "_(bearbeitet)_", "en": "_(edited)_"},
        "relay_deleted": {
            "de": ":wastebasket: _<@{user}> hat diese Nachricht gelöscht._",
            "en": ":wastebasket: _<@{user}> deleted this message._",
        },
        "remind_unclaimed": {
            "de": ":alarm_clock: {ping}Dieser Fall wartet seit {waited} darauf, dass ihn jemand übernimmt.",
            "en": ":alarm_clock: {ping}This case has been waiting {waited} for someone to take it.",
        },
        "remind_owner": {
            "de": ":alarm_clock: <@{owner}>, <@{asker}> wartet seit {waited} auf eine Antwort von dir.",
            "en": ":alarm_clock: <@{owner}>, <@{asker}> has been waiting {waited} for your reply.",
        },
        # -- cases: refusals, shown only to the person who pressed the button ----------------------------
        "not_member": {
            "de": ":lock: Fälle übernehmen, weitergeben und lösen kann nur das Team ({who}). Wenn du "
            "dazugehören solltest, bitte die Maintainer des Bots, dich einzutragen. Danke!",
            "en": ":lock: Only the team ({who}) can claim, hand off and resolve cases. If you should be on "
            "it, please ask the bot's maintainers to add you. Thanks!",
        },
        "team_nobody": {
            "de": "noch niemand eingetragen: GUIDELINES_BOT_TEAM_MEMBERS",
            "en": "nobody configured yet: GUIDELINES_BOT_TEAM_MEMBERS",
        },
        "has_it": {
            "de": ":raised_hand: <@{owner}> hat den Fall schon.",
            "en": ":raised_hand: <@{owner}> has it already.",
        },
        "yours": {"de": "Der Fall gehört schon dir.", "en": "This case is yours already."},
        "resolved_already": {
            "de": ":white_check_mark: Der Fall ist schon gelöst (von <@{user}>).",
            "en": ":white_check_mark: This case is resolved already (by <@{user}>).",
        },
        "unknown_case": {"de": "Diesen Fall finde ich nicht.", "en": "I cannot find this case."},
        "case_busy": {
            "de": "Der Fall wurde gerade geändert. Bitte versuch es noch einmal.",
            "en": "The case just changed. Please try again.",
        },
        "case_failed": {
            "de": ":warning: Das hat nicht geklappt (Fall {case} im Log). Bitte versuch es noch einmal.",
            "en": ":warning: That did not work (case {case} in the logs). Please try again.",
        },
        "feedback_pending": {
            "de": ":hourglass: Danke! Das Speichern dauert gerade länger; dein Grund wird gespeichert, sobald es geht.",
            "en": ":hourglass: Thank you! Saving takes longer than usual; your reason is stored as soon as it can be.",
        },
        "case_pending": {
            "de": ":hourglass: Das Speichern dauert gerade länger. Die Fallnachricht zeigt es, "
            "sobald es gespeichert ist; sonst versuch es bitte gleich noch einmal.",
            "en": ":hourglass: Saving takes longer than usual. The case message shows it once it is stored; "
            "if it does not, please try again shortly.",
        },
        "pick_colleague": {"de": "Wähle, wer übernimmt.", "en": "Choose who takes over."},
        "not_in_team": {"de": "<@{user}> gehört nicht zum Team.", "en": "<@{user}> is not in the team."},
        "owner_already": {"de": "<@{user}> hat den Fall schon.", "en": "<@{user}> has the case already."},
        # -- cases: the modals -----------------------------------------------------------------------------
        "handoff_title": {"de": "Fall weitergeben", "en": "Hand off the case"},
        "handoff_to": {"de": "An wen?", "en": "To whom?"},
        "note_label": {"de": "Notiz (optional)", "en": "Note (optional)"},
        "resolve_title": {"de": "Fall lösen", "en": "Resolve the case"},
        "resolve_answer": {"de": "Antwort für <@{asker}>", "en": "Answer for <@{asker}>"},
        "answer_label": {"de": "Antwort", "en": "Answer"},
        "resolve_hint": {
            "de": "Geht so an die fragende Person, mit Knöpfen für Feedback.",
            "en": "Sent as is to the person who asked, with feedback buttons.",
        },
        "verdict_label": {"de": "Urteil", "en": "Verdict"},
        "faq_title": {"de": "Zur FAQ hinzufügen", "en": "Add to FAQ"},
        "faq_questions": {"de": "Fragen, eine pro Zeile", "en": "Questions, one per line"},
        "faq_sections": {"de": "Abschnitte der Richtlinien", "en": "Guideline sections"},
        "faq_review_note": {
            "de": "Ein Maintainer prüft den Vorschlag (`guidelines-bot faq review`), bevor er live geht.",
            "en": "A maintainer reviews the proposal (`guidelines-bot faq review`) before it goes live.",
        },
        "faq_saved": {
            "de": ":books: Vorschlag `{entry}` gespeichert. Live geht er erst, wenn ein Maintainer ihn annimmt.",
            "en": ":books: Proposal `{entry}` saved. It goes live only when a maintainer accepts it.",
        },
        "faq_invalid": {
            "de": "Der Vorschlag ist unvollständig: {problem}",
            "en": "The proposal is incomplete: {problem}",
        },
        # -- cases: the asker's side -------------------------------------------------------------------------
        "handed_off_follow": {
            "de": "Sobald jemand sie übernimmt, sage ich dir hier Bescheid; Antworten des Teams "
            "kommen hierher, und was du hier schreibst, geht an das Team.",
            "en": "I will tell you here when someone takes it; the team's replies come here, and "
            "what you write here goes to the team.",
        },
        "handed_off_dm": {
            "de": "Antworten des Teams bekommst du in unseren Direktnachrichten.",
            "en": "You get the team's replies in our direct messages.",
        },
        "your_question": {"de": "Deine Frage:", "en": "Your question:"},
        "asker_claimed": {
            "de": ":raising_hand: <@{owner}> ({contact}) kümmert sich um deine Frage (Fall {case}).",
            "en": ":raising_hand: <@{owner}> ({contact}) is taking care of your question (case {case}).",
        },
        "asker_handed": {
            "de": ":arrows_counterclockwise: Deine Frage ist jetzt bei <@{owner}> ({contact}).",
            "en": ":arrows_counterclockwise: Your question is now with <@{owner}> ({contact}).",
        },
        "from_team": {
            "de": ":speech_balloon: *<@{user}>* ({contact}):",
            "en": ":speech_balloon: *<@{user}>* ({contact}):",
        },
        "team_answer": {"de": "Antwort von <@{user}> ({contact})", "en": "Answer from <@{user}> ({contact})"},
        "case_closed": {
            "de": "Fall {case} ist damit abgeschlossen. Neue Fragen kannst du mir jederzeit stellen.",
            "en": "This closes case {case}. Ask me anything else any time.",
        },
    }
)

PROMPTS_BY_LANGUAGE = {
    "de": [
        {"title": "Fotos vom Sommerfest posten?", "message": "Darf ich Fotos vom Sommerfest auf LinkedIn posten?"},
        {"title": "Kundenprojekt erwähnen?", "message": "Darf ich in meinem Profil ein Kundenprojekt erwähnen?"},
        {"title": "Stellenanzeige teilen?", "message": "Darf ich unsere Stellenanzeigen privat teilen?"},
        {"title": "Meinen Entwurf prüfen", "message": "Prüf bitte meinen Entwurf: Stolz auf unser Team am Messestand!"},
    ],
    "en": [
        {"title": "Post summer party photos?", "message": "May I post photos of the summer party on LinkedIn?"},
        {"title": "Mention a customer project?", "message": "May I mention a customer project in my profile?"},
        {"title": "Share a job posting?", "message": "May I share our job postings on my private account?"},
        {"title": "Check my draft post", "message": "Please check my draft: Proud of our team at the trade fair!"},
    ],
}
SUGGESTED_PROMPTS = PROMPTS_BY_LANGUAGE["de"][:2] + PROMPTS_BY_LANGUAGE["en"][2:]  # language unknown: both


text = TEXTS.text
