"""The draft as the rules read it: invisible characters removed, look-alikes folded.

A zero-width space, soft hyphen or bidi control inside a word ("vertrau\u200blich") and
full-width letters ("ｖｅｒｔｒａｕｌｉｃｈ") would hide it from every rule. Before matching,
Unicode format characters (category Cf) are dropped and each character (with its combining
marks) is brought to NFKC; ``Normalised.span`` maps a span of the normalised text back onto the
draft as written, so findings mark what the person wrote.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

# What the rules must not see as written: format characters (zero-width, soft hyphen, bidi
# controls), combining marks (to compose them with their letter) and characters NFKC changes.
_DIRTY = regex.compile(r"[\p{Cf}\p{M}\p{NFKC_QC=N}\p{NFKC_QC=M}]")


@dataclass(frozen=True)
class Normalised:
    """``text`` for matching; ``starts[i]``/``ends[i]``: the original span of its i-th character."""

    original: str
    text: str
    starts: tuple[int, ...] | None = None  # None: text is the original, unchanged
    ends: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]``, a non-empty span."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def _mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def _fold_cluster(text: str, i: int, out: list[str], starts: list[int], ends: list[int]) -> int:
    """Fold the character at ``i`` with the marks after it (format characters dropped); returns
    where the next cluster starts."""
    if unicodedata.category(text[i]) == "Cf":
        return i + 1
    j = end = i + 1
    cluster = [text[i]]
    while j < len(text) and (_mark(text[j]) or unicodedata.category(text[j]) == "Cf"):
        if _mark(text[j]):  # a mark belongs to its letter ("u" + "̈" is "ü")
            cluster.append(text[j])
            end = j + 1
        j += 1
    folded = unicodedata.normalize("NFKC", "".join(cluster))
    out.append(folded)
    starts += [i] * len(folded)
    ends += [end] * len(folded)
    return j


def normalise(text: str) -> Normalised:
    """``text`` without format characters, each character with its marks in NFKC, with the way
    back. Only the clusters around such characters are looked at one by one; the rest is copied."""
    dirty = [] if text.isascii() else [m.start() for m in _DIRTY.finditer(text)]
    if not dirty:
        return Normalised(text, text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0  # text[:done] is in out
    for k in dirty:
        if k < done:
            continue  # folded with the cluster before it
        first = k - 1 if k > done and _mark(text[k]) else k  # a mark folds with the letter before it
        out.append(text[done:first])
        starts.extend(range(done, first))
        ends.extend(range(done + 1, first + 1))
        done = _fold_cluster(text, first, out, starts, ends)
    out.append(text[done:])
    starts.extend(range(done, len(text)))
    ends.extend(range(done + 1, len(text) + 1))
    return Normalised(text, "".join(out), tuple(starts), tuple(ends))
