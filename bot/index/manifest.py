"""index/manifest.json: what an index was built from and with; loading checks it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
RULES_FILE = "rules.jsonl"  # the rule units of every section with their polarity (bot/rules)
RULE_VECTORS_FILE = "rules.npy"  # ... in the multilingual encoder's space, row i for line i
MULTILINGUAL_FILE = "multilingual.faiss"  # the second dense channel, when the build has one
KNOWLEDGE_INPUTS = ("faq.yaml", "routing.yaml", "checks.yaml")


@dataclass
class Manifest:
    format_version: int
    model: dict
    index_type: str
    chunking: dict
    counts: dict
    knowledge_hash: str
    passages: dict[str, str]
    built_at: str
    build_seconds: float
    tool_version: str
    extra: dict = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # every other file of the build: path -> sha256

    def write(self, directory: Path) -> None:
        (directory / MANIFEST).write_text(json.dumps(asdict(self), indent=1, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        return cls(**data)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def checksums(directory: Path) -> dict[str, str]:
    """The sha256 of every file of a build but the manifest, by path relative to the build."""
    return {
        path.relative_to(directory).as_posix(): _sha256(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.relative_to(directory).as_posix() != MANIFEST
    }


def damaged_file(directory: Path, manifest: Manifest) -> tuple[str, str] | None:
    """The first file of the build that is missing, unreadable or differs from its checksum in
    the manifest, and what is wrong with it; None when every file verifies. A build made before
    checksums were recorded has nothing to verify."""
    for name, expected in sorted(manifest.files.items()):
        try:
            actual = _sha256(directory / name)
        except FileNotFoundError:
            return name, "is missing"
        except OSError as exc:
            return name, f"is unreadable ({exc.strerror or exc})"
        if actual != expected:
            return name, "does not match its checksum (truncated or changed on disk)"
    return None


def knowledge_files(root: Path) -> list[Path]:
    """The files an index is built from (not eval.yaml, proposals or READMEs)."""
    from bot.knowledge.loader import guideline_files

    files = guideline_files(root)
    files += [root / name for name in KNOWLEDGE_INPUTS if (root / name).is_file()]
    return sorted(files)


def knowledge_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in knowledge_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]
