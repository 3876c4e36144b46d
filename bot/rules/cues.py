"""Deontic cues in German and English: the words that make a sentence a permission, a condition,
a prohibition or a duty. Each cue is a named feature; the labeller weighs them (polarity.py)."""

from __future__ import annotations

import regex

# feature name -> pattern (case-insensitive, on the unit's lead and text)
CUES: dict[str, str] = {
    # prohibition
    "en_must_not": r"\b(must not|mustn't|may not|shall not|should not|shouldn't|cannot|can't|do not|don't|never|no one may|not (?:be )?(?:allowed|permitted))\b",
    "en_prohibited": r"\b(prohibited|forbidden|not allowed|not permitted|banned|is not acceptable|are not acceptable|unacceptable)\b",
    "en_avoid": r"\b(avoid|refrain from|stay away from|keep out of)\b",
    "en_no_noun": r"^(?:no|not)\s+\w+",
    "de_darf_nicht": r"\b(darf|dürfen|darfst|dürft|sollen|soll|sollte|sollten)\b[^.;:]{0,80}?\b(nicht|keine[nmrs]?|niemals|nie)\b",
    "de_nicht_verbfinal": r"\b(nicht|keine[nmrs]?)\b[^.;:]{0,60}?\b(werden|sein|gepostet|geteilt|veröffentlicht|weitergegeben|verwendet|gezeigt|genutzt)\s+(dürfen|darf|sollen|soll)\b",
    "de_verboten": r"\b(verboten|untersagt|unzulässig|nicht (?:erlaubt|gestattet|zulässig)|zu unterlassen|unterlassen|tabu|ausgeschlossen)\b",
    "de_kein": r"^(?:keine?[nmrs]?|nicht|nie|niemals)\b",
    "de_vermeiden": r"\b(vermeide[nt]?|verzichte[nt]?|Finger weg|lass(?:t)? (?:das|es))\b",
    # condition
    "en_only_if": r"\b(only (?:if|when|with|after|once|where)|unless|provided (?:that)?|as long as|subject to|with (?:the )?(?:prior |written )?(?:approval|consent|permission)|if you have|after (?:checking|clearing|asking))\b",
    "en_approval": r"\b(approv\w*|consent|permission|sign[- ]off|clear(?:ed)? (?:it )?with|agree(?:d)? (?:it )?with|check(?:ed)? with)\b",
    "de_nur_wenn": r"\b(nur (?:mit|wenn|nach|sofern|falls|bei)|sofern|soweit|es sei denn|vorausgesetzt|unter der Bedingung|wenn [^.;]{0,60}(?:zugestimmt|eingewilligt|freigegeben))\b",
    "de_zustimmung": r"\b(Zustimmung|Einwilligung|Freigabe|Genehmigung|freigegeben|genehmigt|abstimmen|abgestimmt|Rücksprache|vorab|vorher)\b",
    # permission
    "en_may": r"\b(you may|you can|you are welcome to|feel free|are (?:warmly )?encouraged|is (?:always )?fine|are (?:always )?fine|is (?:always )?allowed|are allowed|is permitted|are permitted|welcome)\b",
    "de_darf": r"\b(darfst|dürft|darf|dürfen|kannst|könnt|gerne|gern|erlaubt|gestattet|zulässig|willkommen|ausdrücklich erwünscht|ermutigen)\b",
    # duty
    "en_must": r"\b(must|have to|has to|are required|is required|need to|needs to|shall|always|make sure|ensure|are expected to|is expected to)\b",
    "de_muss": r"\b(muss|müssen|musst|ist zu|sind zu|haben [^.;]{0,40}zu|hat [^.;]{0,40}zu|verpflichtet|stets|immer|bitte)\b",
    "imperative_en": r"^(?:tag|mark|label|use|ask|forward|report|tell|inform|check|add|contact|send|refer|flag|keep|stick|be)\b",
    "imperative_de": r"^(?:markiere|kennzeichne|nutze|verwende|frag|leite|melde|informiere|prüfe|schreib|kontaktiere|verweise|sag|bleib)\w*\b",
    # information
    "defines": r"\b(means|refers to|applies to|gilt für|bezeichnet|im Sinne|sind alle|this policy|diese (?:Richtlinie|Dienstanweisung)|is responsible|ist zuständig|erreichbar|contact|Kontakt|Durchwahl|@|https?://)\b",
    "question": r"\?\s*$",
}
# lead-ins that give a list its meaning ("Nicht erlaubt:", "Do:", "Only with approval:")
LEAD_CUES: dict[str, str] = {
    "lead_prohibited": r"\b(nicht erlaubt|verboten|tabu|bitte nicht|lass|lassen|don'?t|do not|not allowed|not permitted|never|avoid|prohibited|no-?go)\b",
    "lead_conditional": r"\b(nur|only|unless|mit (?:Zustimmung|Freigabe)|with (?:approval|consent)|wenn|if|sofern|provided)\b",
    "lead_permitted": r"\b(erlaubt|gerne|mach|do|allowed|permitted|encouraged|welcome|fine|yes|ja)\b",
    "lead_duty": r"\b(pflicht|must|required|always|immer|bitte so|so geht|steps|schritte|checklist)\b",
}

_COMPILED = {name: regex.compile(pattern, regex.IGNORECASE) for name, pattern in CUES.items()}
_LEAD = {name: regex.compile(pattern, regex.IGNORECASE) for name, pattern in LEAD_CUES.items()}
FEATURES: tuple[str, ...] = tuple(CUES) + tuple(LEAD_CUES)


def cue_features(text: str, lead: str | None) -> dict[str, bool]:
    """Which cues the unit shows: text cues on the text, lead cues on its lead-in."""
    found = {name: bool(p.search(text)) for name, p in _COMPILED.items()}
    found.update({name: bool(lead) and bool(p.search(lead)) for name, p in _LEAD.items()})
    return found
