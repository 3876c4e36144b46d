"""What a rule unit says: permitted, conditional, prohibited, duty or information, decided from
its deontic cues (cues.py) in a fixed order, so a maintainer can follow every decision."""

from __future__ import annotations

from typing import Literal

from bot.rules.cues import cue_features

Polarity = Literal["permitted", "conditional", "prohibited", "duty", "information"]
POLARITIES: tuple[Polarity, ...] = ("permitted", "conditional", "prohibited", "duty", "information")


def label(text: str, lead: str | None = None) -> Polarity:
    """The unit's polarity. In order: a condition qualifies whatever it sits in (an "only if"
    inside a permission or a prohibition makes it conditional); then a prohibition in the text
    or its lead-in; a duty; a permission; else information."""
    cue = cue_features(text, lead)
    if cue["needs_nothing"] and not cue["condition"]:
        return "permitted"  # "you do not need approval", "brauchst du keinen Hinweis"
    prohibited = (
        cue["prohibition"]
        or cue["de_modal_negated"]
        or cue["de_negated_verb_final"]
        or cue["de_du_nicht"]
        or cue["starts_negative"]
        or cue["lead_prohibition"]
    )
    permitted = cue["permission"] or cue["starts_yes"] or cue["lead_permission"]
    if cue["condition"] or cue["lead_condition"] or (prohibited and cue["permission"]):
        return "conditional"  # "only with consent", "you may ..., but must not ..."
    if prohibited:
        return "duty" if cue["redirect"] else "prohibited"  # "do not reply; pass it to ..." is a duty
    instruction = (cue["de_du_instruction"] or cue["en_imperative"]) and not cue["permission"]
    dutiful = cue["duty"] or cue["de_zu_infinitive"] or cue["lead_duty"] or instruction
    if dutiful or (cue["lead_permission"] and cue["action_verb"] and not cue["permission"]):
        return "duty"
    if permitted:
        return "permitted"
    return "information"
