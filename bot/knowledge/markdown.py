"""Split a Markdown guideline file into sections with anchors, heading paths and text blocks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

import yaml
from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict

from bot.knowledge.problems import Problem
from bot.language import Language, detect_language
from bot.yamlsafe import safe_load, shorten

ANCHOR_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_EXPLICIT_ANCHOR = re.compile(r"\s*\{#([^}]*)\}\s*$")
_LABEL_MAX = 60
_INTRO_MAX = 200  # a longer open sentence before a list is prose, not the list's lead-in
_LAST_SENTENCE = re.compile(r"(?:^|(?<=[.!?])\s+)([^.!?]+[:]?)$")


class FrontMatter(BaseModel):
    """Optional YAML block at the top of a guideline file."""

    model_config = ConfigDict(extra="forbid")
    language: Literal["de", "en"] | None = None
    title: str | None = None
    url: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph or list item of a section, as plain text."""

    text: str
    line: int
    kind: Literal["paragraph", "item"]
    label: str | None = None  # a preceding "Allowed:"-style label the item belongs to
    intro: str | None = None  # the open sentence that introduces the item's list ("Untersagt ist … von")


@dataclass(frozen=True)
class Section:
    """Text under one heading, up to the next heading."""

    anchor: str
    title: str
    level: int
    heading_path: tuple[str, ...]
    language: Language
    source: str
    line: int
    blocks: tuple[Block, ...]
    explicit_anchor: bool
    url: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass
class GuidelineDocument:
    """One parsed Markdown file."""

    source: str
    language: Language
    title: str | None
    url: str | None
    sections: list[Section] = field(default_factory=list)


def slugify(text: str) -> str:
    """A stable anchor from heading text: 'Fotos & Videos' -> 'fotos-videos'."""
    text = text.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "section"


def _inline_text(token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _split_front_matter(text: str) -> tuple[str | None, int, str]:
    """Return (front matter text, number of lines it took, the rest)."""
    if not text.startswith("---"):
        return None, 0, text
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, 0, text
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 1, "\n".join(lines[i + 1 :])
    return None, 0, text


def _front_matter(fm_text: str, source: str, problems: list[Problem]) -> FrontMatter:
    """The validated front matter block; problems are appended, defaults returned on errors."""
    try:
        raw = safe_load(fm_text) or {}
        if not isinstance(raw, dict):
            raise ValueError("front matter must be key: value pairs")
        return FrontMatter.model_validate(raw)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 2 if exc.problem_mark else 1
        message = shorten(f"broken YAML: {exc.problem}")
        problems.append(Problem("error", source, line, "front matter", message, "fix or remove the --- block"))
    except Exception as exc:  # pydantic ValidationError or ValueError
        detail = str(exc).splitlines()
        msg = shorten("; ".join(d.strip() for d in detail[1:3]) if len(detail) > 1 else str(exc))
        problems.append(
            Problem("error", source, 1, "front matter", msg, "allowed keys: language (de|en), title, url, version")
        )
    return FrontMatter()


def _heading(inline, line: int, source: str, problems: list[Problem]) -> tuple[str | None, str]:
    """(explicit anchor or None, title) of a heading's inline token; a bad {#anchor} is a problem."""
    heading = inline.content.strip()
    match = _EXPLICIT_ANCHOR.search(heading)
    if match is None:
        if "{#" in heading:
            problems.append(
                Problem(
                    "error", source, line, "anchor", "unclosed anchor: write {#anchor} at the end of the heading", ""
                )
            )
        return None, _inline_text(inline)
    anchor = match.group(1).strip()
    title = _EXPLICIT_ANCHOR.sub("", _inline_text(inline)).strip()
    if not ANCHOR_RE.match(anchor):
        problems.append(
            Problem(
                "error",
                source,
                line,
                "anchor",
                f"invalid anchor '{{#{anchor}}}'",
                "use lower-case letters, digits and hyphens, e.g. {#photos-and-videos}",
            )
        )
        return None, title
    return anchor, title


def parse_markdown(text: str, source: str) -> tuple[GuidelineDocument, list[Problem]]:
    """Parse one guideline file. Problems name the file and line; they never raise."""
    problems: list[Problem] = []
    fm_text, offset, body = _split_front_matter(text)
    front = _front_matter(fm_text, source, problems) if fm_text is not None else FrontMatter()

    tokens = MarkdownIt("commonmark").parse(body)
    raw_sections: list[dict] = []
    stack: list[tuple[int, str]] = []  # (level, title) of open headings
    current: dict | None = None
    pending_label: str | None = None
    pending_intro: str | None = None  # the list's lead-in sentence, for its items
    paragraph_before: str | None = None  # the paragraph just read, if nothing came after it
    list_depth = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            level = int(tok.tag[1:])
            inline = tokens[i + 1]
            line = tok.map[0] + 1 + offset if tok.map else offset + 1
            anchor, title = _heading(inline, line, source, problems)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            current = {
                "title": title,
                "level": level,
                "line": line,
                "anchor": anchor,
                "path": tuple(t for _, t in stack),
                "blocks": [],
            }
            raw_sections.append(current)
            pending_label = pending_intro = paragraph_before = None
            i += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            if list_depth == 0:
                pending_intro = _list_intro(paragraph_before)
            list_depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            if list_depth == 0:
                pending_label = pending_intro = None
        elif tok.type == "inline" and current is not None:
            text = _inline_text(tok)
            line = tok.map[0] + 1 + offset if tok.map else current["line"]
            if text:
                if list_depth == 0:
                    is_label = len(text) <= _LABEL_MAX and text.endswith(":")
                    if is_label:
                        pending_label = text
                    else:
                        pending_label = None
                        current["blocks"].append(Block(text, line, "paragraph"))
                    paragraph_before = None if is_label else text
                else:
                    intro = None if pending_label else pending_intro
                    current["blocks"].append(Block(text, line, "item", pending_label, intro))
        elif tok.type in ("fence", "code_block") and current is not None:
            line = tok.map[0] + 1 + offset if tok.map else current["line"]
            current["blocks"].append(Block(tok.content.strip(), line, "paragraph"))
            paragraph_before = None
        elif tok.type == "inline" and current is None and _inline_text(tok):
            # Text before the first heading: an untitled preamble.
            line = tok.map[0] + 1 + offset if tok.map else 1
            current = {
                "title": front.title or source.rsplit("/", 1)[-1],
                "level": 1,
                "line": line,
                "anchor": None,
                "path": (front.title or source.rsplit("/", 1)[-1],),
                "blocks": [],
            }
            raw_sections.append(current)
            continue  # re-process this token inside the new section
        i += 1

    all_text = "\n".join(b.text for s in raw_sections for b in s["blocks"]) or body
    language: Language = front.language or detect_language(all_text)
    doc = GuidelineDocument(source, language, front.title, front.url)
    for raw in raw_sections:
        doc.sections.append(
            Section(
                anchor=raw["anchor"] or slugify(raw["title"]),
                title=raw["title"],
                level=raw["level"],
                heading_path=raw["path"],
                language=language,
                source=source,
                line=raw["line"],
                blocks=tuple(raw["blocks"]),
                explicit_anchor=raw["anchor"] is not None,
                url=front.url,
            )
        )
    return doc, problems


def _list_intro(paragraph: str | None) -> str | None:
    """The sentence a list continues, when the paragraph just before it ends open: with a colon
    or without a full stop ("Untersagt ist insbesondere die Veröffentlichung von"). Its items
    inherit what it says (a prohibition, a condition); a closed paragraph introduces nothing."""
    if not paragraph or paragraph.rstrip().endswith((".", "!", "?")):
        return None
    match = _LAST_SENTENCE.search(paragraph.strip())
    sentence = match.group(1).strip() if match else ""
    return sentence if 0 < len(sentence) <= _INTRO_MAX else None
