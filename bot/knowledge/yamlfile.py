"""Read YAML files safely, keeping line numbers so errors can name the line of a field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.problems import Problem
from bot.yamlsafe import compose, safe_load, shorten


@dataclass
class YamlDocument:
    """Parsed data plus the node tree that knows where each value came from."""

    path: str
    data: Any
    node: yaml.Node | None

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        """1-based line of the value at ``loc`` (keys and list indexes), or of its nearest parent."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        line = key_node.start_mark.line + 1
                        node = value_node
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return line
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def read_yaml(path: Path, display: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse ``path``; broken YAML becomes a Problem with its line, never an exception."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem("error", display, None, None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")]
    try:
        node = compose(text)
        data = safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = shorten(f"broken YAML: {exc.problem or exc.context}")
        hint = "check indentation, and quote text that contains ': ' or starts with a special character"
        return None, [Problem("error", display, line, None, message, hint)]
    except yaml.YAMLError as exc:
        return None, [Problem("error", display, None, None, shorten(f"broken YAML: {exc}"), "")]
    return YamlDocument(display, data, node), []


def _loc_name(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_HINTS = {
    "extra_forbidden": "remove it or check its spelling",
    "missing": "add it",
    "literal_error": "",
    "string_too_short": "write some text",
}


def validate_model(
    doc: YamlDocument, model: type[BaseModel], prefix: tuple[Any, ...] = ()
) -> tuple[BaseModel | None, list[Problem]]:
    """Validate ``doc.data`` into ``model``; each pydantic error becomes a Problem with a line."""
    data = doc.data
    for part in prefix:
        data = data[part]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = prefix + tuple(err["loc"])
            field = _loc_name(loc) or None
            kind = err["type"]
            if kind == "extra_forbidden":
                message = f"unknown field '{loc[-1]}'"
            elif kind == "missing":
                message = f"required field '{loc[-1]}' is missing"
            else:
                message = shorten(err["msg"])
            problems.append(Problem("error", doc.path, doc.line_of(loc), field, message, _HINTS.get(kind, "")))
        return None, problems
