"""Load knowledge/ into a KnowledgeBase and validate it as a whole."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.knowledge.markdown import GuidelineDocument, Section, parse_markdown, slugify
from bot.knowledge.models import SLACK_ID_RE, EvalFile, FaqEntry, RoutingFile
from bot.knowledge.problems import Problem, errors
from bot.knowledge.routing import Routing, env_name
from bot.knowledge.yamlfile import YamlDocument, read_yaml, validate_model
from bot.language import LANGUAGES

if TYPE_CHECKING:
    from bot.checks import CheckEngine

FAQ_FILE = "faq.yaml"
ROUTING_FILE = "routing.yaml"
EVAL_FILE = "eval.yaml"
CHECKS_FILE = "checks.yaml"
GUIDELINES_DIR = "guidelines"


@dataclass
class KnowledgeBase:
    """Everything the bot answers from, validated."""

    root: Path
    documents: list[GuidelineDocument]
    faq: list[FaqEntry]
    routing: Routing
    eval: EvalFile | None = None
    faq_path: Path | None = None
    checks: CheckEngine | None = None

    @property
    def sections(self) -> list[Section]:
        return [s for d in self.documents for s in d.sections]

    def anchors(self) -> set[str]:
        return {s.anchor for s in self.sections}

    def section(self, anchor: str, language: str) -> Section | None:
        """The section with ``anchor`` in ``language``, else in any language."""
        fallback = None
        for s in self.sections:
            if s.anchor == anchor:
                if s.language == language:
                    return s
                fallback = fallback or s
        return fallback

    def languages(self) -> list[str]:
        return sorted({s.language for s in self.sections if s.blocks})

    def counts(self) -> dict[str, dict[str, int] | int]:
        per_lang: dict[str, int] = defaultdict(int)
        for s in self.sections:
            if s.blocks:
                per_lang[s.language] += 1
        phrasings = {lang: sum(len(getattr(e.questions, lang)) for e in self.faq) for lang in LANGUAGES}
        return {
            "files": len(self.documents),
            "sections": dict(sorted(per_lang.items())),
            "anchors": len({s.anchor for s in self.sections if s.blocks}),
            "faq_entries": len(self.faq),
            "faq_phrasings": phrasings,
        }


@dataclass
class LoadResult:
    knowledge: KnowledgeBase | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.knowledge is not None and not errors(self.problems)


# Files a folder's maintainers write about it, not guideline text: left out of a knowledge base
# without guidelines/ (as long as other Markdown files are there), with a warning.
MAINTAINER_NOTES = frozenset({"readme", "changelog", "contributing", "license", "licence"})


def _markdown_files(root: Path) -> list[Path]:
    base = root / GUIDELINES_DIR if (root / GUIDELINES_DIR).is_dir() else root
    return sorted(
        p
        for p in base.rglob("*.md")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def _split_notes(root: Path) -> tuple[list[Path], list[Path]]:
    """The guideline files of the knowledge base, and the maintainers' notes (README, CHANGELOG,
    CONTRIBUTING, LICENSE) left out of one without guidelines/ (unless nothing else is there)."""
    files = _markdown_files(root)
    notes = [] if (root / GUIDELINES_DIR).is_dir() else [p for p in files if p.stem.lower() in MAINTAINER_NOTES]
    if len(notes) == len(files):
        return files, []
    return [p for p in files if p not in notes], notes


def guideline_files(root: Path) -> list[Path]:
    """Markdown files of the knowledge base: under guidelines/ if it exists, else anywhere but
    the maintainers' notes (README.md …)."""
    return _split_notes(root)[0]


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _outside(root: Path, path: Path, problems: list[Problem]) -> bool:
    """True, with an error, for a link that leads out of the knowledge folder: its target is not
    part of the knowledge base and must not be indexed or quoted."""
    if path.resolve().is_relative_to(root.resolve()):
        return False
    problems.append(
        Problem(
            "error",
            _rel(root, path),
            None,
            None,
            "a link to a file outside the knowledge folder",
            "copy the file into the folder, or remove the link",
        )
    )
    return True


def _disambiguate(documents: list[GuidelineDocument], problems: list[Problem]) -> None:
    """Anchors that stay put. A derived anchor depends only on its own file: a heading repeated
    in one file is qualified by its parent heading (a warning when the parent is the same too).
    Across files nothing is renamed, so adding a file never moves an anchor that is already
    cited: the same explicit anchor twice in one language is an error, a derived one shared with
    another file a warning (the two are cited as one section)."""
    holders: dict[tuple[str, str], Section] = {}
    for doc in documents:
        own: dict[tuple[str, str], Section] = {}
        for i, s in enumerate(doc.sections):
            if not s.explicit_anchor and (s.language, s.anchor) in own:
                s = doc.sections[i] = _qualified(s, own[(s.language, s.anchor)], own, problems)
            own.setdefault((s.language, s.anchor), s)
            first = holders.setdefault((s.language, s.anchor), s)
            if first is not s:
                problems.append(_shared_anchor(s, first))


def _qualified(s: Section, first: Section, own: dict[tuple[str, str], Section], problems: list[Problem]) -> Section:
    """``s`` with its derived anchor qualified by its parent heading (or file name)."""
    parent = slugify(s.heading_path[-2]) if len(s.heading_path) > 1 else slugify(Path(s.source).stem)
    candidate, n = f"{parent}-{s.anchor}", 2
    while (s.language, candidate) in own:
        candidate = f"{parent}-{s.anchor}-{n}"
        n += 1
    if first.heading_path == s.heading_path:
        problems.append(
            Problem(
                "warning",
                s.source,
                s.line,
                "anchor",
                f"heading '{s.title}' twice under the same heading (first at line {first.line}); "
                f"this one is cited as '{candidate}'",
                "rename one of them or give each an explicit {#anchor}",
            )
        )
    return replace(s, anchor=candidate)


def _shared_anchor(s: Section, first: Section) -> Problem:
    where = f"{first.source}:{first.line}"
    if s.explicit_anchor and first.explicit_anchor:
        return Problem(
            "error",
            s.source,
            s.line,
            "anchor",
            f"duplicate anchor '{{#{s.anchor}}}' in language '{s.language}' (first used in {where})",
            "give each section its own anchor; the same anchor is only for the same rule in another language",
        )
    return Problem(
        "warning",
        s.source,
        s.line,
        "anchor",
        f"section '{s.title}' has the same anchor '{s.anchor}' as {where}; both are cited as one section",
        "give one of them an explicit {#anchor} (anchors of existing sections never change on their own)",
    )


def _language_variants(documents: list[GuidelineDocument], problems: list[Problem]) -> None:
    """A section in only one language of a bilingual knowledge base is a warning: per section
    for an explicit anchor, per file for derived ones (their anchors differ by language, so
    nothing pairs them)."""
    languages = {s.language for d in documents for s in d.sections if s.blocks}
    if len(languages) < 2:
        return
    by_anchor: dict[str, dict[str, Section]] = defaultdict(dict)
    for d in documents:
        for s in d.sections:
            if s.blocks or s.explicit_anchor:
                by_anchor[s.anchor].setdefault(s.language, s)
    unpaired: dict[tuple[str, str], list[Section]] = defaultdict(list)
    for anchor, variants in by_anchor.items():
        first = next(iter(variants.values()))
        for lang in sorted(languages - variants.keys()):
            if not first.explicit_anchor:
                unpaired[(first.source, lang)].append(first)
                continue
            problems.append(
                Problem(
                    "warning",
                    first.source,
                    first.line,
                    "anchor",
                    f"section '{{#{anchor}}}' has no {lang} version",
                    f"add a section with the same anchor {{#{anchor}}} in a {lang} file",
                )
            )
    for (source, lang), sections in unpaired.items():
        names = ", ".join(f"'{s.title}'" for s in sections[:5]) + (" …" if len(sections) > 5 else "")
        problems.append(
            Problem(
                "warning",
                source,
                sections[0].line,
                "anchor",
                f"{len(sections)} section(s) have no {lang} version: {names}",
                "give the German and English versions of a rule the same {#anchor} so they pair up",
            )
        )


def _load_faq(path: Path, display: str, anchors: set[str], routing: Routing, problems: list[Problem]) -> list[FaqEntry]:
    doc, found = read_yaml(path, display)
    problems += found
    if doc is None:
        return []
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("entries"), list):
        problems.append(
            Problem(
                "error",
                display,
                1,
                "entries",
                "expected the entries as a list under a top-level key 'entries:'",
                "start the file with 'entries:' and indent the list under it",
            )
        )
        return []
    entries: list[FaqEntry] = []
    seen_ids: dict[str, int] = {}
    seen_phrasings: dict[str, str] = {}
    for i, raw in enumerate(doc.data["entries"]):
        loc = ("entries", i)
        line = doc.line_of(loc)
        if not isinstance(raw, dict):
            problems.append(
                Problem(
                    "error",
                    display,
                    line,
                    f"entries[{i}]",
                    "each entry must be a mapping with id, topic, verdict, ...",
                    "",
                )
            )
            continue
        entry, found = validate_model(doc, FaqEntry, loc)
        problems += found
        if entry is None:
            continue
        name = f"entries[{i}] ({entry.id})"
        if entry.id in seen_ids:
            problems.append(
                Problem(
                    "error",
                    display,
                    doc.line_of(loc + ("id",)),
                    f"{name}.id",
                    f"duplicate id '{entry.id}' (first at line {seen_ids[entry.id]})",
                    "ids must be unique; rename one of them",
                )
            )
            continue
        seen_ids[entry.id] = doc.line_of(loc + ("id",)) or 0
        problems += _check_faq_entry(doc, display, loc, entry, anchors, routing, seen_phrasings)
        entries.append(entry)
    return entries


def _check_faq_entry(
    doc: YamlDocument,
    display: str,
    loc: tuple,
    entry: FaqEntry,
    anchors: set[str],
    routing: Routing,
    seen_phrasings: dict[str, str],
) -> list[Problem]:
    """The problems of one FAQ entry: unknown anchors or topic, missing answers and phrasings,
    phrasings another entry has too (``seen_phrasings`` collects them across entries)."""
    problems: list[Problem] = []
    name = f"entries[{loc[1]}] ({entry.id})"
    for j, anchor in enumerate(entry.anchors):
        if anchor not in anchors:
            close = _closest(anchor, anchors)
            problems.append(
                Problem(
                    "error",
                    display,
                    doc.line_of(loc + ("anchors", j)),
                    f"{name}.anchors[{j}]",
                    f"unknown anchor '{anchor}'",
                    f"did you mean '{close}'?" if close else "use the {#anchor} of a section in guidelines/",
                )
            )
    if not routing.knows_topic(entry.topic):
        problems.append(
            Problem(
                "error",
                display,
                doc.line_of(loc + ("topic",)),
                f"{name}.topic",
                f"unknown topic '{entry.topic}'",
                "use one of: " + ", ".join(sorted(routing.declared_topics)) + " (or declare it in routing.yaml)",
            )
        )
    answers = {lang: (entry.answer.get(lang) or "").strip() for lang in LANGUAGES}
    if not any(answers.values()):
        problems.append(
            Problem(
                "error",
                display,
                doc.line_of(loc + ("answer",)),
                f"{name}.answer",
                "empty answer",
                "write the answer in German (de) and English (en)",
            )
        )
    for lang in LANGUAGES:
        if any(answers.values()) and not answers[lang]:
            problems.append(
                Problem(
                    "warning",
                    display,
                    doc.line_of(loc + ("answer",)),
                    f"{name}.answer.{lang}",
                    f"no {lang} answer",
                    f"add answer.{lang}; until then the other language is shown",
                )
            )
        if not getattr(entry.questions, lang):
            problems.append(
                Problem(
                    "warning",
                    display,
                    doc.line_of(loc + ("questions",)),
                    f"{name}.questions.{lang}",
                    f"no {lang} phrasings",
                    f"add questions.{lang} so {lang} questions find this entry",
                )
            )
        for k, q in enumerate(getattr(entry.questions, lang)):
            if not q.strip():
                problems.append(
                    Problem(
                        "error",
                        display,
                        doc.line_of(loc + ("questions", lang, k)),
                        f"{name}.questions.{lang}[{k}]",
                        "empty question",
                        "remove it",
                    )
                )
                continue
            norm = re.sub(r"\W+", " ", q.lower()).strip()
            if norm in seen_phrasings and seen_phrasings[norm] != entry.id:
                problems.append(
                    Problem(
                        "warning",
                        display,
                        doc.line_of(loc + ("questions", lang, k)),
                        f"{name}.questions.{lang}[{k}]",
                        f"the same question is also in entry '{seen_phrasings[norm]}'",
                        "a question should lead to one answer",
                    )
                )
            seen_phrasings[norm] = entry.id
    if not entry.questions.de and not entry.questions.en:
        problems.append(
            Problem(
                "error",
                display,
                doc.line_of(loc + ("questions",)),
                f"{name}.questions",
                "no questions",
                "add at least one phrasing",
            )
        )
    return problems


def _unknown_topics(doc: YamlDocument, display: str, model: RoutingFile) -> list[Problem]:
    """Topics named under always_escalate, sections or keywords that topics: does not declare."""
    if not model.topics:
        return []
    references = [(("always_escalate", i), f"always_escalate[{i}]", t) for i, t in enumerate(model.always_escalate)]
    references += [(("sections", anchor), f"sections.{anchor}", t) for anchor, t in model.sections.items()]
    references += [(("keywords", t), f"keywords.{t}", t) for t in model.keywords or {}]
    return [
        Problem("error", display, doc.line_of(loc), field, f"unknown topic '{topic}'", "declare it under topics:")
        for loc, field, topic in references
        if topic not in model.topics
    ]


def _closest(word: str, candidates: set[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return match[0] if match else None


def _load_routing(path: Path, display: str, environ: Mapping[str, str], problems: list[Problem]) -> Routing:
    doc, found = read_yaml(path, display)
    problems += found
    if doc is None or doc.data is None:
        return Routing(environ=environ)
    model, found = validate_model(doc, RoutingFile)
    problems += found
    if model is None:
        return Routing(environ=environ)
    ok = True
    if model.default_contact not in model.contacts:
        problems.append(
            Problem(
                "error",
                display,
                doc.line_of(("default_contact",)),
                "default_contact",
                f"unknown contact '{model.default_contact}'",
                "use one of: " + ", ".join(model.contacts),
            )
        )
        ok = False
    for topic, contact in model.topics.items():
        if contact not in model.contacts:
            problems.append(
                Problem(
                    "error",
                    display,
                    doc.line_of(("topics", topic)),
                    f"topics.{topic}",
                    f"unknown contact '{contact}'",
                    "use one of: " + ", ".join(model.contacts),
                )
            )
            ok = False
    problems += _unknown_topics(doc, display, model)
    for key, contact in model.contacts.items():
        var = contact.env or env_name(key)
        value = environ.get(var, "").strip()
        if value and not SLACK_ID_RE.match(value):
            problems.append(
                Problem(
                    "warning",
                    display,
                    doc.line_of(("contacts", key)),
                    f"contacts.{key}",
                    f"environment variable {var}={value!r} is not a Slack ID; ignored",
                    "set it to a channel (C…), user group (S…) or user (U…) ID",
                )
            )
        if not contact.slack_id and not value:
            problems.append(
                Problem(
                    "warning",
                    display,
                    doc.line_of(("contacts", key)),
                    f"contacts.{key}",
                    "no Slack ID: cases for this contact cannot be posted to Slack",
                    f"set slack_id or the environment variable {var}",
                )
            )
    if not ok:
        return Routing(environ=environ)
    return Routing(model, environ)


def _load_eval(path: Path, display: str, anchors: set[str], problems: list[Problem]) -> EvalFile | None:
    doc, found = read_yaml(path, display)
    problems += found
    if doc is None or doc.data is None:
        return None
    model, found = validate_model(doc, EvalFile)
    problems += found
    if model is None:
        return None
    for i, q in enumerate(model.questions):
        for j, anchor in enumerate(q.anchors):
            if anchor not in anchors:
                problems.append(
                    Problem(
                        "error",
                        display,
                        doc.line_of(("questions", i, "anchors", j)),
                        f"questions[{i}].anchors[{j}]",
                        f"unknown anchor '{anchor}'",
                        "use the {#anchor} of a section in guidelines/",
                    )
                )
    return model


def read_eval_file(path: Path) -> tuple[EvalFile | None, list[Problem]]:
    """A labelled question file outside a knowledge directory (anchors are not checked)."""
    doc, problems = read_yaml(path, str(path))
    if doc is None or doc.data is None:
        return None, problems
    model, found = validate_model(doc, EvalFile)
    return model, problems + found


def _folder_error(root: Path, message: str, hint: str) -> Problem:
    """An error about the knowledge folder as a whole."""
    return Problem("error", str(root), None, None, message, hint)


def load_knowledge(root: Path | str, environ: Mapping[str, str] | None = None) -> LoadResult:
    """Read and validate a knowledge directory. Never raises for bad content: see ``problems``."""
    root = Path(root)
    environ = os.environ if environ is None else environ
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(
            _folder_error(
                root, "knowledge directory not found", "pass --knowledge DIR or create it with guideline Markdown files"
            )
        )
        return LoadResult(None, problems)
    linked = [root / name for name in (ROUTING_FILE, FAQ_FILE, EVAL_FILE, CHECKS_FILE)]
    if any([_outside(root, path, problems) for path in linked if path.is_file()]):
        return LoadResult(None, problems)
    guidelines, notes = _split_notes(root)
    files = [path for path in guidelines if not _outside(root, path, problems)]
    for note in notes:
        problems.append(
            Problem(
                "warning",
                _rel(root, note),
                None,
                None,
                f"not indexed: {note.name} is taken for notes about the folder, not guideline text",
                f"if it holds guidelines, rename it or move the guideline files into {GUIDELINES_DIR}/",
            )
        )
    if not files:
        problems.append(
            _folder_error(
                root, "no Markdown guideline files (*.md) found", "add at least one .md file with your guidelines"
            )
        )
        return LoadResult(None, problems)
    documents = []
    for path in files:
        display = _rel(root, path)
        try:
            text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Windows editors) is not text
        except UnicodeDecodeError as exc:
            problems.append(
                Problem("error", display, None, None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")
            )
            continue
        doc, found = parse_markdown(text, display)
        problems += found
        if not any(s.blocks for s in doc.sections):
            said = "file has no text under its headings" if text.strip() else "file is empty"
            problems.append(Problem("warning", display, None, None, said, "it contributes nothing to answers"))
        documents.append(doc)
    if documents and not any(s.blocks for d in documents for s in d.sections):
        problems.append(
            _folder_error(
                root,
                "no guideline text: every file is empty or has only headings",
                "write the rules as text under the headings; reindex needs text to index",
            )
        )
    _disambiguate(documents, problems)
    _language_variants(documents, problems)
    anchors = {s.anchor for d in documents for s in d.sections}

    routing_path = root / ROUTING_FILE
    routing = (
        _load_routing(routing_path, ROUTING_FILE, environ, problems)
        if routing_path.is_file()
        else Routing(environ=environ)
    )
    for anchor in routing.file.sections:
        if anchor not in anchors:
            problems.append(
                Problem(
                    "error",
                    ROUTING_FILE,
                    None,
                    f"sections.{anchor}",
                    f"unknown anchor '{anchor}'",
                    "use the {#anchor} of a section",
                )
            )
    faq_path = root / FAQ_FILE
    faq = _load_faq(faq_path, FAQ_FILE, anchors, routing, problems) if faq_path.is_file() else []
    eval_path = root / EVAL_FILE
    evaluation = _load_eval(eval_path, EVAL_FILE, anchors, problems) if eval_path.is_file() else None
    checks = None
    if (root / CHECKS_FILE).is_file():
        from bot.checks.loader import load_checks  # here: bot.checks builds on bot.knowledge

        checks, found = load_checks(root / CHECKS_FILE, anchors=anchors, display=CHECKS_FILE)
        problems += found
    else:  # no checks of its own: the bundled generic ones (they cite the best-matching section)
        from bot.checks.loader import generic_checks

        checks = generic_checks()
    kb = KnowledgeBase(
        root=root,
        documents=documents,
        faq=faq,
        routing=routing,
        eval=evaluation,
        faq_path=faq_path if faq_path.is_file() else None,
        checks=checks,
    )
    return LoadResult(kb, problems)


def check_faq(path: Path, knowledge: KnowledgeBase, display: str = FAQ_FILE) -> list[Problem]:
    """The problems of the FAQ file at ``path`` read against ``knowledge``'s sections and topics:
    to check a changed faq.yaml before it replaces the real one."""
    problems: list[Problem] = []
    _load_faq(path, display, knowledge.anchors(), knowledge.routing, problems)
    return problems
