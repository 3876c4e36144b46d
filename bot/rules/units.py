"""Rule units: each section split into sentences and list items, each with the lead-in it sits
under ("Nicht erlaubt:", "Do:", "**Financial:**", "Only if …:") and its polarity."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from bot.index.chunking import split_sentences
from bot.knowledge import KnowledgeBase
from bot.knowledge.markdown import Section
from bot.rules.cues import condition_span
from bot.rules.polarity import Polarity, label

INLINE_LABEL = re.compile(r"^(?P<lead>[^.:;!?]{2,40}:)\s+(?P<rest>\S.*)$", re.DOTALL)  # "Financial: Do not ..."


@dataclass(frozen=True)
class RuleUnit:
    """One sentence or list item of a section, and what it says."""

    anchor: str
    language: str
    source: str
    line: int
    lead: str | None
    text: str
    polarity: Polarity
    condition: str | None = None

    @property
    def search_text(self) -> str:
        """What is embedded: the lead-in gives a list item its meaning."""
        return f"{self.lead} {self.text}" if self.lead else self.text

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> RuleUnit:
        return cls(**data)


def _lead_and_text(text: str, label_: str | None) -> tuple[str | None, str]:
    """A paragraph that opens with a short "Label:" carries its lead-in inline."""
    match = INLINE_LABEL.match(text)
    if match and not label_:
        return match.group("lead"), match.group("rest")
    return label_, text


def section_units(section: Section) -> list[RuleUnit]:
    """The section's units in order: every sentence of a paragraph or list item, with its lead-in."""
    units = []
    for block in section.blocks:
        lead, body = _lead_and_text(block.text, block.label)
        lead = lead or block.intro  # a list item under "Untersagt ist insbesondere …" inherits it
        for sentence in split_sentences(body):
            polarity = label(sentence, lead)
            units.append(
                RuleUnit(
                    anchor=section.anchor,
                    language=section.language,
                    source=section.source,
                    line=block.line,
                    lead=lead,
                    text=sentence,
                    polarity=polarity,
                    condition=condition_span(sentence) if polarity == "conditional" else None,
                )
            )
    return units


def knowledge_units(knowledge: KnowledgeBase) -> list[RuleUnit]:
    """Every section's units, in the order of the knowledge base."""
    return [unit for section in knowledge.sections for unit in section_units(section)]
