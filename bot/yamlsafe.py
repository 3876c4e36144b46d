"""YAML read with a bound on aliases: a 384-byte 'billion laughs' document expands to 10⁹ values
once something walks it (validation, an error message), so a document whose aliases stand for
more than MAX_ALIASED values is refused while it is parsed, with the line of the alias."""

from __future__ import annotations

from typing import Any

import yaml

MAX_ALIASED = 10_000  # values reached through aliases; hand-written files use a few dozen at most
MAX_SHOWN = 300  # characters of an error message that names a value


class AliasBombError(yaml.composer.ComposerError):
    """The aliases of a YAML document stand for more values than MAX_ALIASED, or for themselves."""


class BoundedLoader(yaml.SafeLoader):
    """yaml.SafeLoader that counts the values each alias stands for while composing."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._composed = 0  # values so far, each alias counted as the values it stands for
        self._aliased = 0
        self._sizes: dict[str, int] = {}  # anchor -> the values its node holds, once composed

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self.anchors:  # else PyYAML reports the undefined alias
                size = self._sizes.get(event.anchor)
                if size is None:
                    raise AliasBombError(None, None, f"alias *{event.anchor} refers to itself", event.start_mark)
                self._aliased += size
                self._composed += size
                if self._aliased > MAX_ALIASED:
                    raise AliasBombError(
                        None,
                        None,
                        f"aliases stand for more than {MAX_ALIASED:,} values; write the values out instead",
                        event.start_mark,
                    )
            return super().compose_node(parent, index)
        anchor = getattr(event, "anchor", None)
        self._sizes.pop(anchor, None)
        before = self._composed
        node = super().compose_node(parent, index)
        self._composed += 1
        if anchor is not None:
            self._sizes[anchor] = self._composed - before
        return node


def safe_load(text: str) -> Any:
    """yaml.safe_load with the alias bound."""
    return yaml.load(text, Loader=BoundedLoader)  # noqa: S506 - BoundedLoader is a SafeLoader


def compose(text: str) -> yaml.Node | None:
    """yaml.compose with SafeLoader's rules and the alias bound."""
    return yaml.compose(text, Loader=BoundedLoader)


def shorten(message: str, limit: int = MAX_SHOWN) -> str:
    """``message`` cut to ``limit`` characters, so an error never renders a whole document."""
    return message if len(message) <= limit else message[: limit - 1] + "…"


def describe(exc: Exception) -> str:
    """One short line for a YAML or file error: its line and problem, never the document."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        return shorten(f"{where}{exc.problem or exc.context}")
    return type(exc).__name__
