"""Settings from the environment, with defaults that work from a checkout of the project."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_MULTILINGUAL = "use-multilingual-v3"


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


def multilingual_name(value: str | None = None) -> str:
    """--multilingual, else $GUIDELINES_BOT_MULTILINGUAL, else the bundled multilingual USE ("off" disables)."""
    return value or os.environ.get("GUIDELINES_BOT_MULTILINGUAL") or DEFAULT_MULTILINGUAL


def threshold(value: float | None = None) -> float | None:
    """--threshold, else $GUIDELINES_BOT_THRESHOLD, else None (the calibrated default)."""
    if value is not None:
        return value
    raw = os.environ.get("GUIDELINES_BOT_THRESHOLD", "").strip()
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        from bot.errors import ConfigError

        raise ConfigError(f"GUIDELINES_BOT_THRESHOLD={raw!r} is not a number between 0 and 1") from None
    if not 0 <= number <= 1:
        from bot.errors import ConfigError

        raise ConfigError(f"GUIDELINES_BOT_THRESHOLD={raw!r} must be between 0 and 1")
    return number
