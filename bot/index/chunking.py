"""Turn sections and FAQ phrasings into passages: bounded, sentence-aligned, with stable ids."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from typing import Literal

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.markdown import Section

DEFAULT_MAX_CHARS = 300

_ABBREVIATIONS = (
    "z. B.",
    "z.B.",
    "d. h.",
    "d.h.",
    "u. a.",
    "u.a.",
    "bzw.",
    "ca.",
    "Nr.",
    "Dr.",
    "Prof.",
    "usw.",
    "etc.",
    "e.g.",
    "i.e.",
    "vs.",
    "Mr.",
    "Ms.",
    "Mrs.",
    "No.",
    "Abs.",
    "ggf.",
    "inkl.",
    "evtl.",
    "S.",
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”“»)]*\s+(?=[\"„“«(]?[A-ZÄÖÜ0-9])")


@dataclass(frozen=True)
class Passage:
    """A retrievable piece of text: part of a section, or one FAQ phrasing."""

    id: str
    kind: Literal["section", "faq", "answer"]
    anchor: str
    language: str
    source: str
    heading_path: tuple[str, ...]
    title: str
    text: str
    line: int
    faq_id: str | None = None
    url: str | None = None

    @property
    def search_text(self) -> str:
        """What is embedded and indexed: the heading path gives a passage its context."""
        if self.kind != "section":
            return self.text
        path = [h for h in self.heading_path[1:-1] if h] + [self.title]  # the document title adds nothing
        return f"{' › '.join(path)}: {self.text}"

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.search_text.encode("utf-8")).hexdigest()[:32]

    def to_json(self) -> dict:
        data = asdict(self)
        data["heading_path"] = list(self.heading_path)
        data["hash"] = self.hash
        return data

    @classmethod
    def from_json(cls, data: dict) -> Passage:
        data = dict(data)
        data.pop("hash", None)
        data["heading_path"] = tuple(data["heading_path"])
        return cls(**data)


def split_sentences(text: str) -> list[str]:
    """Split at sentence ends, not after common German and English abbreviations."""
    protected = text
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, abbr.replace(".", f"\x00{i}\x00"))
    parts = _SENTENCE_END.split(protected)

    def restore(s: str) -> str:
        return re.sub(r"\x00\d+\x00", ".", s)

    return [restore(p).strip() for p in parts if p.strip()]


def _pieces(text: str, max_chars: int) -> list[str]:
    """A block as pieces no longer than max_chars, cut at sentences (or words, as a last resort)."""
    if len(text) <= max_chars:
        return [text]
    out: list[str] = []
    current = ""
    for sentence in split_sentences(text):
        while len(sentence) > max_chars:  # one huge sentence: cut at a word boundary
            cut = sentence.rfind(" ", 0, max_chars)
            cut = cut if cut > max_chars // 2 else max_chars
            if current:
                out.append(current)
                current = ""
            out.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > max_chars:
            out.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        out.append(current)
    return out


def chunk_section(section: Section, max_chars: int = DEFAULT_MAX_CHARS) -> list[Passage]:
    """Passages of one section. Blocks under one label ("Allowed:") stay together where they fit;
    a new label starts a new passage, so a quote never mixes "allowed" and "not allowed"."""
    groups: list[tuple[tuple[str | None, str], list[tuple[str, int]]]] = []
    for block in section.blocks:
        key = (block.label if block.kind == "item" else None, block.kind)
        unit = f"• {block.text}" if block.kind == "item" else block.text
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append((unit, block.line))

    texts: list[tuple[str, int]] = []
    for (label, _kind), units in groups:
        header = f"{label}\n" if label else ""
        budget = max(max_chars - len(header), max_chars // 2)
        current: list[str] = []
        line = units[0][1]
        for unit, unit_line in units:
            for piece in _pieces(unit, budget):
                if current and len("\n".join(current)) + 1 + len(piece) > budget:
                    texts.append((header + "\n".join(current), line))
                    current, line = [], unit_line
                if not current:
                    line = unit_line
                current.append(piece)
        if current:
            texts.append((header + "\n".join(current), line))

    return [
        Passage(
            id=f"{section.language}/{section.anchor}/{n}",
            kind="section",
            anchor=section.anchor,
            language=section.language,
            source=section.source,
            heading_path=section.heading_path,
            title=section.title,
            text=text,
            line=line,
            url=section.url,
        )
        for n, (text, line) in enumerate(texts)
    ]


def chunk_knowledge(kb: KnowledgeBase, max_chars: int = DEFAULT_MAX_CHARS) -> list[Passage]:
    """All passages: section text, every FAQ phrasing pointing to its entry, and each FAQ answer
    (used to pick which passage of a section to quote, not as a search result)."""
    passages = [p for s in kb.sections for p in chunk_section(s, max_chars)]
    for entry in kb.faq:
        main = kb.section(entry.anchors[0], "de")
        for lang in ("de", "en"):
            section = kb.section(entry.anchors[0], lang) or main
            for n, question in enumerate(getattr(entry.questions, lang)):
                passages.append(
                    Passage(
                        id=f"faq/{entry.id}/{lang}/{n}",
                        kind="faq",
                        anchor=entry.anchors[0],
                        language=lang,
                        source=kb.faq_path.name if kb.faq_path else "faq.yaml",
                        heading_path=section.heading_path if section else (),
                        title=section.title if section else entry.id,
                        text=question.strip(),
                        line=0,
                        faq_id=entry.id,
                    )
                )
            answer = (entry.answer.get(lang) or "").strip()
            if answer:
                passages.append(
                    Passage(
                        id=f"faq/{entry.id}/{lang}/answer",
                        kind="answer",
                        anchor=entry.anchors[0],
                        language=lang,
                        source=kb.faq_path.name if kb.faq_path else "faq.yaml",
                        heading_path=(),
                        title=entry.id,
                        text=answer,
                        line=0,
                        faq_id=entry.id,
                    )
                )
    return passages
