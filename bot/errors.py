"""The project's exception types. Each carries a message a person can act on."""

from __future__ import annotations


class GuidelinesBotError(Exception):
    """Base class: a domain error that the CLI prints as one line, without a traceback."""


class KnowledgeError(GuidelinesBotError):
    """The knowledge base has errors (broken YAML, unknown anchors, ...); nothing was changed."""

    def __init__(self, problems: list, knowledge_dir=None) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        first = errors[0].format(severity=False) if errors else "unknown problem"
        where = f" --knowledge {knowledge_dir}" if knowledge_dir is not None else ""
        more = f" (and {len(errors) - 1} more; run `guidelines-bot validate{where}`)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}")


class IndexMissingError(GuidelinesBotError):
    """There is no index to serve from."""


class IndexMismatchError(GuidelinesBotError):
    """The index was built with another model or format, or from other knowledge."""


class IndexCorruptError(IndexMismatchError):
    """A build's file is missing, unreadable or differs from its checksum: the build is damaged."""

    def __init__(self, message: str, problem: str, file: str | None = None) -> None:
        self.problem = problem  # what is wrong, without the advice: "dense.faiss is missing"
        self.file = file  # the damaged file, relative to the build directory, when one is known
        super().__init__(message)


class ModelLoadError(GuidelinesBotError):
    """The embedding model could not be loaded (offline, wrong name or path)."""


class ConfigError(GuidelinesBotError):
    """A setting is missing or invalid (tokens, URLs, numbers)."""


class IndexBuildError(GuidelinesBotError):
    """Building the index failed; the previous index is untouched."""
