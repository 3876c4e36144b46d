"""Shared fixtures: small knowledge bases written into tmp_path."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_KNOWLEDGE = ROOT / "knowledge"
OTHER_KB = ROOT / "tests" / "data" / "other_kb"

DE_GUIDE = """\
---
language: de
title: Richtlinien
---
# Richtlinien {#top}

Kurze Einleitung zu unseren Regeln.

## Fotos und Videos {#photos}

- **Erlaubt:** Fotos von Kolleginnen und Kollegen, wenn alle zugestimmt haben.
- **Nicht erlaubt:** Fotos mit Bildschirmen im Hintergrund.

## Presse {#press}

Presseanfragen gehen immer an die Unternehmenskommunikation.
"""

EN_GUIDE = """\
---
language: en
title: Guidelines
---
# Guidelines {#top}

A short introduction to our rules.

## Photos and videos {#photos}

- **Allowed:** photos of colleagues if everyone agreed.
- **Not allowed:** photos with screens in the background.

## Press {#press}

Press inquiries always go to Corporate Communications.
"""

FAQ = """\
entries:
  - id: event-photos
    topic: photos
    verdict: conditional
    anchors: [photos]
    questions:
      de: ["Darf ich Fotos vom Sommerfest posten?"]
      en: ["May I post photos from the summer party?"]
    answer:
      de: Ja, wenn alle zugestimmt haben.
      en: Yes, if everyone agreed.
"""

ROUTING = """\
contacts:
  social-media-team:
    name: {de: Social-Media-Team, en: Social media team}
    slack_id: C0TEAM
default_contact: social-media-team
topics:
  photos: social-media-team
  press: social-media-team
always_escalate: [press]
"""


def write_kb(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text) below ``root``; returns ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def small_kb_files() -> dict[str, str]:
    return {
        "guidelines/de/richtlinien.md": DE_GUIDE,
        "guidelines/en/guidelines.md": EN_GUIDE,
        "faq.yaml": FAQ,
        "routing.yaml": ROUTING,
    }


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "knowledge", small_kb_files())


@pytest.fixture(scope="session")
def real_embedder():
    """The bundled all-MiniLM-L6-v2, loaded once per test session."""
    from bot.index.embedding import make_embedder

    embedder = make_embedder("all-MiniLM-L6-v2")
    embedder.embed_batch(["warm up"])
    return embedder


@pytest.fixture(scope="session")
def multilingual_encoder():
    """The bundled multilingual Universal Sentence Encoder (the second dense channel)."""
    from bot.index.embedding import make_multilingual

    encoder = make_multilingual("use-multilingual-v3")
    encoder.embed_batch(["warm up"])
    return encoder


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection (other than loopback) fails the test."""
    import socket

    real_connect = socket.socket.connect
    attempts: list = []

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")):
            return real_connect(self, address)
        attempts.append(address)
        raise OSError(f"network access attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    return attempts


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory, real_embedder, multilingual_encoder):
    """The shipped knowledge, indexed once per session with the real models."""
    from bot.index.build import reindex

    index_dir = tmp_path_factory.mktemp("shipped") / "index"
    reindex(SHIPPED_KNOWLEDGE, index_dir, real_embedder, multilingual=multilingual_encoder)
    return index_dir


@pytest.fixture(scope="session")
def other_index(tmp_path_factory, real_embedder, multilingual_encoder):
    """The test knowledge base in another style (plain Markdown, no anchors, no FAQ)."""
    from bot.index.build import reindex

    index_dir = tmp_path_factory.mktemp("other") / "index"
    reindex(OTHER_KB, index_dir, real_embedder, multilingual=multilingual_encoder)
    return index_dir


@pytest.fixture(scope="session")
def shipped_service(shipped_index, real_embedder, multilingual_encoder):
    from bot.service import AnswerService

    return AnswerService(SHIPPED_KNOWLEDGE, shipped_index, real_embedder, multilingual=multilingual_encoder)


@pytest.fixture(scope="session")
def other_service(other_index, real_embedder, multilingual_encoder):
    from bot.service import AnswerService

    return AnswerService(OTHER_KB, other_index, real_embedder, multilingual=multilingual_encoder)
