"""Deontic cues in German and English: the words that make a sentence a permission, a condition,
a prohibition or a duty. Each cue is a named pattern; polarity.py decides from them in order."""

from __future__ import annotations

import regex

# Cues on the unit's text (case-insensitive).
TEXT_CUES: dict[str, str] = {
    # a condition: allowed only if / unless / with approval / once ...
    "condition": (
        r"\b(only|nur|unless|provided(?: that)?|as long as|subject (?:only )?to|bevor|"
        r"once|as soon as|without [^.;]{0,30}?(?:approval|consent|permission|agreement)|"
        r"with (?:the )?(?:prior |written )?(?:approval|consent|permission|agreement)|if (?:they|he|she|everyone|all|"
        r"you|the|it|there)|before [^.;]{0,60}(?:publish|announce|approv|confirm|release)|"
        r"ausschließlich|sofern|soweit|"
        r"solange|sobald|es sei denn|vorausgesetzt|kommt darauf an|it depends|wenn (?:sie|er|du|alle|die|der|das|es)|"
        r"ohne [^.;]{0,30}?(?:Zustimmung|Einwilligung|Freigabe|Genehmigung)|"
        r"mit (?:vorheriger |schriftlicher )?(?:Zustimmung|Einwilligung|Freigabe|Genehmigung)|"
        r"vor (?:der |dem )?(?:Veröffentlichung|Freigabe)|erst (?:nach|wenn|ab)|"
        # a consent stated as given ("alle Abgebildeten haben zugestimmt → erlaubt") is its condition
        r"(?:haben|hat) (?:\w+ )?(?:zugestimmt|eingewilligt)|(?:have|has) (?:all |everyone )?(?:agreed|consented))\b"
    ),
    # a prohibition
    "prohibition": (
        r"\b(must not|mustn't|may not|shall not|should not|shouldn't|cannot(?! be)|can't|do not|don't|never|no one may|"
        r"(?:is|are) not (?:allowed|permitted|acceptable|fit|appropriate)|prohibited|forbidden|not allowed|"
        r"not permitted|banned|unacceptable|avoid|refrain from|stay away from|under no circumstances|"
        r"verboten|untersagt|unzulässig|nicht (?:erlaubt|gestattet|zulässig|gestattet)|zu unterlassen|unterlassen|"
        r"tabu|Sperrfrist|vermeide|verzichte|Finger weg|gehör\w* (?:da |dort |hier )?nicht|bitte nicht|"
        r"niemals|keinesfalls|auf keinen Fall|unter keinen Umständen)\b"
    ),
    "de_modal_negated": r"\b(darf|dürfen|darfst|dürft|soll|sollen|sollte|sollten|kann|können)\b[^.;:]{0,80}?\b(nicht|keine[nmrs]?|niemals|nie)\b",
    "de_negated_verb_final": r"\b(nicht|keine[nmrs]?|nie|niemals)\b[^.;:]{0,60}?\b\w+(?:en|t)\s+(?:dürfen|darf|sollen|soll|werden)\b",
    "de_du_nicht": r"\b\w+(?:st|t)\s+du\b[^.;]{0,120}?\b(nicht|nie|niemals|keine[nmrs]?)\b",
    "starts_negative": r"^(?:no|not|never|keine?[nmrs]?|nicht|nie|niemals)\b",
    # a duty
    "duty": (
        r"\b(must|have to|has to|are required|is required|need to|needs to|shall|make sure|ensure|are expected to|"
        r"is expected to|should be|please|remember to|it is good practice|muss|müssen|musst|verpflichtet|"
        r"ist unverzüglich|sind unverzüglich|stets|bitte)\b"
    ),
    "de_du_instruction": r"\b(?!darfst|kannst|möchtest|willst|brauchst|musst)\w+st\s+du\b",
    "en_imperative": (
        r"^(?:(?:for|in|on|at|if|when|after|before) [^,]{1,60}, )?(?:please )?(save|call|write|ask|share|send|"
        r"forward|report|tell|mark|tag|use|inform|contact|check|add|keep|delete|update|pass|refer|mention|label|"
        r"remove|correct|hand)\b"
    ),
    "de_zu_infinitive": r"\b(?:ist|sind)\b[^.;]{0,200}\b(?:zu \w+en|\w+zu\w+en)\b\s*[.;]?\s*$",
    "action_verb": (
        r"\b(tag|mark|label|forward|report|inform|tell|pass|hand over|update|delete|refer|notify|contact|"
        r"taggen|kennzeichnen|markieren|weiterleiten|weitergeben|geben|melden|informieren|verweisen|aktualisieren|"
        r"übergeben|löschen|anzeigen|nehmen|nutzen|verwenden|mention|send|use|schicken|schreibst|erwähnen)\b"
    ),
    # a permission
    "permission": (
        r"\b(you may|you can|may be|you are welcome to|feel free|(?:are|is) (?:warmly |explicitly )?encouraged|"
        r"(?:is|are) (?:always |perfectly )?(?:fine|allowed|permitted|acceptable|accepted|welcome|ok|okay)|"
        r"free to|does not prevent|nothing in this|may (?:state|share|post|say|mention|use|refer|link|repost|like)|"
        r"do not need|don't need|do not have to|don't have to|need not|brauchst du (?:keine|nicht)|musst du nicht|"
        r"darfst|dürft|darf|dürfen|kannst|könnt|gerne|gern|erlaubt|gestattet|zulässig|willkommen|erwünscht|"
        r"kein Problem|in Ordnung|deine Sache|brauchst du keine)\b"
    ),
    "starts_yes": r"^(?:ja|yes|sure|klar|gerne)\b",
    "needs_nothing": (
        r"\b(do not need|don't need|do not have to|don't have to|need not|brauchst du (?:keine[nmrs]?|nicht)|"
        r"musst du nicht|müssen (?:nicht|keine[nmrs]?))\b"
    ),
    "redirect": r"\b(instead|sondern|pass (?:it|them) to|report (?:it|them) to|forward (?:it|them) to)\b",
    # information
    "contact": r"(\b(?:contact|Kontakt|Durchwahl|erreichbar|reachable|phone|Telefon)\b|@\w|https?://)",
    "definition": r"\b(means|refers to|applies to|gilt für|bezeichnet|im Sinne|this (?:policy|guidance)|diese (?:Richtlinie|Dienstanweisung|Seite))\b",
}
# Cues on the lead-in a list item or paragraph sits under ("Nicht erlaubt:", "Do:", "**Financial:**").
LEAD_CUES: dict[str, str] = {
    "lead_prohibition": (
        r"\b(nicht erlaubt|verboten|tabu|bitte nicht|lass|lassen|don'?t|do not|not allowed|not permitted|never|"
        r"avoid|prohibited|no-?go|vertraulich|confidential|geheim)\b"
    ),
    "lead_condition": r"\b(nur|only|unless|mit (?:Zustimmung|Freigabe)|with (?:approval|consent)|wenn|if|sofern|provided|approval)\b",
    "lead_permission": r"\b(erlaubt|gerne|mach|do|allowed|permitted|encouraged|welcome|fine|yes|ja|bitte so)\b",
    "lead_duty": r"\b(pflicht|must|required|always|immer|steps|schritte|checklist|so gehst du vor|what to do)\b",
}

_TEXT = {name: regex.compile(pattern, regex.IGNORECASE) for name, pattern in TEXT_CUES.items()}
_LEAD = {name: regex.compile(pattern, regex.IGNORECASE) for name, pattern in LEAD_CUES.items()}
FEATURES: tuple[str, ...] = tuple(TEXT_CUES) + tuple(LEAD_CUES)


_CONCESSIVE = regex.compile(
    r"\b(even if|even when|even though|auch wenn|selbst wenn|auch nicht|nicht nur|not only|wenn du unsicher)\b[^.;]*",
    regex.IGNORECASE,
)


def cue_features(text: str, lead: str | None) -> dict[str, bool]:
    """Which cues the unit shows: text cues on the text, lead cues on its lead-in. A concessive
    clause ("even if …", "auch wenn …") is no condition, and a modal inside a negation ("dürfen
    nicht") is no permission."""
    found = {name: bool(p.search(text)) for name, p in _TEXT.items()}
    found["condition"] = bool(_TEXT["condition"].search(_CONCESSIVE.sub(" ", text)))
    unnegated = _TEXT["de_modal_negated"].sub(" ", _TEXT["prohibition"].sub(" ", text))
    found["permission"] = bool(_TEXT["permission"].search(unnegated))
    found.update({name: bool(lead) and bool(p.search(lead)) for name, p in _LEAD.items()})
    if lead:  # a lead-in is a sentence too: "Untersagt ist insbesondere …", "… dürfen nicht …"
        said = ("prohibition", "de_modal_negated", "de_negated_verb_final")
        found["lead_prohibition"] |= any(_TEXT[name].search(lead) for name in said)
    return found


def condition_span(text: str) -> str | None:
    """The words that state the condition ("only with the consent of everyone shown"), if any."""
    match = _TEXT["condition"].search(_CONCESSIVE.sub(lambda m: " " * len(m.group()), text))
    if match is None:
        return None
    end = regex.search(r"[.;]|, (?:and|but|und|aber)\b", text[match.start() :])
    return text[match.start() : match.start() + (end.start() if end else len(text))].strip(" ,")
