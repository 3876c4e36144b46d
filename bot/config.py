"""Settings from the environment, with defaults that work from a checkout of the project."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def knowledge_dir(value: str | Path | None = None) -> Path:
    """--knowledge, else $GUIDELINES_BOT_KNOWLEDGE, else ./knowledge."""
    return Path(value or os.environ.get("GUIDELINES_BOT_KNOWLEDGE") or "knowledge")


def index_dir(value: str | Path | None = None, knowledge: Path | None = None) -> Path:
    """--index, else $GUIDELINES_BOT_INDEX, else index/ next to the knowledge directory."""
    if value or os.environ.get("GUIDELINES_BOT_INDEX"):
        return Path(value or os.environ["GUIDELINES_BOT_INDEX"])
    knowledge = knowledge or knowledge_dir()
    return knowledge.resolve().parent / "index"


def model_name(value: str | None = None) -> str:
    """--model, else $GUIDELINES_BOT_MODEL, else the offline all-MiniLM-L6-v2."""
    return value or os.environ.get("GUIDELINES_BOT_MODEL") or DEFAULT_MODEL
