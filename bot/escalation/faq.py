"""FAQ entries proposed by the team ("Add to FAQ"). Nothing goes live without a person accepting it.

The bot stores a proposal in the database every serving process shares (``ProposalInbox``, in
the transaction that records it with the case), so it survives a process whose disk does not,
and writes it into knowledge/faq-proposals.yaml (``FaqProposals``) on its own disk as well.
`guidelines-bot faq review` moves the proposals waiting in the database into that file, where a
maintainer edits, accepts (into faq.yaml) or drops them.

Both files are replaced atomically (a temporary file, then a rename) under a lock file, so a
serving process adding a proposal and a maintainer reviewing never overwrite each other, and a
crash leaves the old or the new file, never half of one. An accepted entry is validated by the
knowledge loader against the guidelines and routing before faq.yaml is touched."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import Connection, Engine, delete, select

from bot.errors import GuidelinesBotError
from bot.knowledge.loader import FAQ_FILE, KnowledgeBase, check_faq, load_knowledge
from bot.knowledge.markdown import slugify
from bot.knowledge.models import FaqEntry
from bot.knowledge.problems import Problem, errors
from bot.store import Store, schema
from bot.store.database import aware
from bot.yamlsafe import describe, safe_load

PROPOSALS_FILE = "faq-proposals.yaml"
LOCK_FILE = ".faq-proposals.lock"
HEADER = """\
# FAQ entries proposed by the social media team with "Add to FAQ" in Slack. None of them is live:
# `guidelines-bot faq review` accepts an entry into faq.yaml (validated first) or drops it.
# You may edit an entry here before accepting it (fix its id, topic, anchors, add the other language).
"""


class ProposalError(GuidelinesBotError):
    """A proposal that cannot be accepted as it is; nothing was written."""


@dataclass(frozen=True)
class Proposal:
    """A proposed FAQ entry (``entry`` has the fields of a faq.yaml entry) and where it came from."""

    id: str  # the case it came from
    entry: dict
    proposed_by: str
    proposed_at: str

    def to_yaml(self) -> dict:
        return {"id": self.id, "proposed_by": self.proposed_by, "proposed_at": self.proposed_at, "entry": self.entry}


def make_entry(
    knowledge: KnowledgeBase,
    *,
    questions: list[str],
    answer: str,
    verdict: str,
    anchors: list[str],
    language: str,
    topic: str | None = None,
    taken: set[str] = frozenset(),
) -> dict:
    """A faq.yaml entry from the team's answer: an unused id of its topic and a number, a topic
    routing.yaml knows (the case's, else the first anchor's), the phrasings and the answer in
    the case's language (the maintainer adds the other one)."""
    routing = knowledge.routing
    if not topic or not routing.knows_topic(topic):
        topic = next((routing.topic_for_anchor(a) for a in anchors if routing.topic_for_anchor(a)), None)
    if not topic or not routing.knows_topic(topic):
        topic = next(iter(sorted(routing.declared_topics)), "general")
    used = {e.id for e in knowledge.faq} | set(taken)
    # The id names the topic and a number, never the question's words: it is kept in the case's
    # record and the audit events after retention has purged the question's text.
    base, n = slugify(f"{topic}-proposal") or "proposal", 1
    entry_id = f"{base}-{n}"
    while entry_id in used:
        n += 1
        entry_id = f"{base}-{n}"
    return {
        "id": entry_id,
        "topic": topic,
        "verdict": verdict,
        "anchors": list(anchors),
        "questions": {language: [q.strip() for q in questions if q.strip()]},
        "answer": {language: answer.strip()},
    }


class ProposalInbox:
    """Proposals waiting in the bot's database for `guidelines-bot faq review`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def list(self) -> list[Proposal]:
        t = schema.faq_proposals
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).order_by(t.c.proposed_at, t.c.case_id)).all()
        return [
            Proposal(r.case_id, json.loads(r.entry), r.proposed_by, proposal_stamp(aware(r.proposed_at))) for r in rows
        ]

    @staticmethod
    def put(conn: Connection, store: Store, proposal: Proposal, now: datetime) -> None:
        """Store ``proposal`` inside the caller's transaction; a later one from the same case replaces it."""
        FaqEntry.model_validate(proposal.entry)  # a malformed entry never gets stored
        store.upsert_in(
            conn,
            schema.faq_proposals,
            {"case_id": proposal.id},
            {
                "entry": json.dumps(proposal.entry, ensure_ascii=False),
                "proposed_by": proposal.proposed_by,
                "proposed_at": now,
            },
        )

    def move_into(self, review: FaqProposals) -> list[Proposal]:
        """Move every waiting proposal into the review file: written there first, then deleted
        here unless it changed meanwhile. A crash in between leaves it in both places, and the
        next move replaces it in the file by its case: nothing is lost or doubled. A proposal the
        file has already (the bot wrote it there too, same time stamp) is left as it is there, with
        any edits a maintainer made."""
        waiting = self.list()
        present = {(p.id, p.proposed_at) for p in review.list()}
        for proposal in waiting:
            if (proposal.id, proposal.proposed_at) not in present:
                review.add(proposal)
        t = schema.faq_proposals
        with self.engine.begin() as conn:
            for proposal in waiting:
                conn.execute(
                    delete(t).where(
                        t.c.case_id == proposal.id, t.c.entry == json.dumps(proposal.entry, ensure_ascii=False)
                    )
                )
        return waiting


class FaqProposals:
    """The review file of one knowledge directory."""

    def __init__(self, knowledge_dir: Path) -> None:
        self.root = Path(knowledge_dir)
        self.path = self.root / PROPOSALS_FILE

    def list(self) -> list[Proposal]:
        if not self.path.is_file():
            return []
        try:
            data = safe_load(self.path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ProposalError(f"{self.path} is not valid YAML ({describe(exc)}); fix or delete it") from None
        items = data.get("proposals") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ProposalError(f"{self.path} has no list under 'proposals:'; fix or delete it")
        return [
            Proposal(
                str(p.get("id")), p.get("entry") or {}, str(p.get("proposed_by", "")), str(p.get("proposed_at", ""))
            )
            for p in items
            if isinstance(p, dict)
        ]

    def add(self, proposal: Proposal) -> None:
        """Add ``proposal``; one from the same case replaces the earlier one."""
        FaqEntry.model_validate(proposal.entry)  # a malformed entry never reaches the file
        with self._locked():
            items = [p for p in self.list() if p.id != proposal.id] + [proposal]
            self._write(items)

    def drop(self, proposal_id: str) -> Proposal:
        with self._locked():
            items = self.list()
            found = self._find(items, proposal_id)
            self._write([p for p in items if p.id != proposal_id])
            return found

    def accept(self, proposal_id: str, environ=None) -> tuple[FaqEntry, list[Problem]]:
        """Append the proposal's entry to faq.yaml if the loader finds no new error with it, then
        remove the proposal; returns the entry and the loader's new warnings about it (a phrasing
        another entry has too, a missing language). Raises ProposalError (nothing written)
        otherwise."""
        with self._locked():
            items = self.list()
            proposal = self._find(items, proposal_id)
            try:
                entry = FaqEntry.model_validate(proposal.entry)
            except ValidationError as exc:
                problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])
                raise ProposalError(f"proposal {proposal_id}: {problems}. Edit it in {self.path}") from None
            knowledge = load_knowledge(self.root, environ).knowledge
            if knowledge is None:
                raise ProposalError(f"{self.root} does not load; run `guidelines-bot validate` first")
            existing = {e.id: e for e in knowledge.faq}
            if entry.id in existing and existing[entry.id] != entry:
                raise ProposalError(
                    f"faq.yaml has an entry '{entry.id}' already: give the proposal another id in {self.path}"
                )
            warned: list[Problem] = []
            if entry.id not in existing:  # (an equal entry: accepted before, the proposal survived a crash)
                warned = self._append(knowledge, entry, proposal)
            self._write([p for p in items if p.id != proposal_id])
            return entry, warned

    # -- helpers -----------------------------------------------------------------------------------
    def _append(self, knowledge: KnowledgeBase, entry: FaqEntry, proposal: Proposal) -> list[Problem]:
        faq = self.root / FAQ_FILE
        current = faq.read_text(encoding="utf-8") if faq.is_file() else "entries:\n"
        if current.strip() == "":
            current = "entries:\n"
        candidate = current.rstrip("\n") + "\n\n" + render_entry(proposal.entry)
        with _temporary(self.root, candidate) as tmp:
            before = {p.format() for p in check_faq(faq, knowledge)} if faq.is_file() else set()
            found = [p for p in check_faq(tmp, knowledge) if p.format() not in before]
            new = errors(found)
            if new:
                shown = "; ".join(p.format() for p in new[:3])
                raise ProposalError(
                    f"proposal {proposal.id} would make faq.yaml invalid: {shown}. Edit it in {self.path}"
                )
            parsed = safe_load(candidate) or {}
            last = (parsed.get("entries") or [{}])[-1] if isinstance(parsed, dict) else {}
            if not isinstance(last, dict) or last.get("id") != entry.id:
                raise ProposalError("faq.yaml does not end with its list of entries: add the entry by hand")
            os.replace(tmp, faq)
        return [p for p in found if p.severity == "warning"]

    def _find(self, items: list[Proposal], proposal_id: str) -> Proposal:
        for p in items:
            if p.id == proposal_id:
                return p
        known = ", ".join(p.id for p in items) or "none"
        raise ProposalError(f"no proposal '{proposal_id}' (proposals: {known})")

    def _write(self, items: list[Proposal]) -> None:
        body = yaml.safe_dump(
            {"proposals": [p.to_yaml() for p in items]}, allow_unicode=True, sort_keys=False, width=100
        )
        with _temporary(self.root, HEADER + body) as tmp:
            os.replace(tmp, self.path)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def render_entry(data: dict) -> str:
    """The entry as faq.yaml writes its entries (a list item indented by two spaces)."""
    ordered = {key: data[key] for key in FaqEntry.model_fields if key in data}
    body = yaml.safe_dump([ordered], allow_unicode=True, sort_keys=False, width=100)
    return "".join("  " + line if line.strip() else line for line in body.splitlines(True))


@contextlib.contextmanager
def _temporary(directory: Path, text: str) -> Iterator[Path]:
    """A file with ``text`` beside its destination (so a rename is atomic); removed if not renamed."""
    fd, name = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".yaml")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        yield path
    finally:
        path.unlink(missing_ok=True)


def proposal_stamp(now: datetime) -> str:
    return now.replace(microsecond=0).isoformat()
