"""Word lists that survive German inflection and compounds, matched in one pass over the tokens.

A draft is split into word tokens (``\\w+``: letters, digits, underscore; hyphens, apostrophes
and punctuation separate tokens, so "Nordhafen-Team" is "Nordhafen" "Team"). Tokens and list
entries are compared case-insensitively, with umlauts folded (ä=ae, ö=oe, ü=ue, ß=ss).

One entry of a word list is one word form, or several separated by spaces (a phrase: the
tokens must follow each other; punctuation between them is ignored). Per word:

=============  ============================================  ===================================
``stem``       the token is exactly the stem                 ``nda`` → NDA
``stem~``      the stem plus an inflection ending            ``vertraulich~`` → vertrauliche,
               (e, en, em, er, es, n, s, ns)                 vertraulichen; not Vertraulichkeit
``stem*``      the token starts with the stem                ``vertraulichkeits*`` →
               (derivations, compounds led by the stem)      Vertraulichkeitsvereinbarung
``*stem``      the token ends with the stem (compounds       ``*datenleck~`` → Kundendatenlecks
               whose head is the stem); ``*stem~`` too
``*stem*``     the stem anywhere in the token
``(a|b~|c*)``  any of these forms at this position           ``intern~ (zahlen|unterlagen)``
=============  ============================================  ===================================

Stems of the ``*`` forms must have at least four letters: shorter ones match inside too many
unrelated words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

TOKEN_RE = re.compile(r"\w+")
_SPLIT_RE = re.compile(r"(\w+)")
ENDINGS: tuple[str, ...] = ("", "e", "en", "em", "er", "es", "n", "s", "ns")
MIN_AFFIX_STEM = 4
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_FORM_RE = re.compile(r"^(\*?)([^*~()|\s]+)(\*|~|\*~)?$")
_ALLOWED_STEM = re.compile(r"^[\w'’-]+$")

Kind = Literal["exact", "prefix", "suffix", "infix"]


def normalize(word: str) -> str:
    """Case-insensitive, umlaut-folded form of a token or stem."""
    return word.casefold().translate(_UMLAUTS)


@dataclass(frozen=True)
class WordForm:
    """One word of an entry: how a single token must look."""

    kind: Kind
    stem: str
    inflect: bool = False


Position = tuple[WordForm, ...]  # alternatives at one token position


class WordSyntaxError(ValueError):
    """A word-list entry that cannot be read."""


def _parse_form(text: str) -> list[WordForm]:
    """One alternative; a hyphenated stem ("burn-out") becomes several tokens."""
    m = _FORM_RE.match(text)
    if not m:
        raise WordSyntaxError(f"cannot read word form '{text}'")
    lead, stem, trail = m.group(1), m.group(2), m.group(3) or ""
    if not _ALLOWED_STEM.match(stem):
        raise WordSyntaxError(f"'{text}' contains characters of a regular expression; put it under patterns:")
    if trail == "*~":
        raise WordSyntaxError(f"'{text}': a prefix match ('*' at the end) already covers any ending; drop the '~'")
    tokens = [normalize(t) for t in TOKEN_RE.findall(stem)]
    if not tokens:
        raise WordSyntaxError(f"'{text}' has no letters")
    if (lead or "*" in trail) and len(tokens[0 if lead else -1]) < MIN_AFFIX_STEM:
        raise WordSyntaxError(
            f"'{text}': stems with '*' need at least {MIN_AFFIX_STEM} letters "
            "(shorter ones match inside unrelated words)"
        )
    forms = [WordForm("exact", t) for t in tokens]
    first_kind: Kind = "suffix" if lead else "exact"
    last_kind: Kind = "prefix" if trail == "*" else "exact"
    if len(tokens) == 1:
        kind: Kind = {("suffix", "prefix"): "infix", ("suffix", "exact"): "suffix", ("exact", "prefix"): "prefix"}.get(
            (first_kind, last_kind), "exact"
        )
        return [WordForm(kind, tokens[0], trail == "~")]
    forms[0] = WordForm(first_kind, tokens[0])
    forms[-1] = WordForm(last_kind, tokens[-1], trail == "~")
    return forms


_PART_RE = re.compile(r"\(([^()]*)\)|([^\s()]+)|(\S)")
MAX_EXPANSION = 64


def parse_entry(entry: str) -> list[list[Position]]:
    """A word-list entry as phrases (usually one): sequences of token positions, each with its
    alternatives. A group whose alternatives have several words, ``(price target|buy rating)``,
    expands into one phrase per alternative."""
    phrases: list[list[Position]] = [[]]
    found = False
    for m in _PART_RE.finditer(entry):
        group, word, stray = m.groups()
        if stray is not None:
            raise WordSyntaxError(f"unbalanced parenthesis in '{entry}': write alternatives as (a|b|c)")
        found = True
        if word is not None:
            forms = _parse_form(word)
            phrases = [p + [(f,) for f in forms] for p in phrases]
            continue
        alternatives = [a.split() for a in group.split("|")]
        if any(not a for a in alternatives):
            raise WordSyntaxError(f"empty alternative in '({group})'")
        parsed = [[f for w in a for f in _parse_form(w)] for a in alternatives]
        if all(len(a) == 1 for a in parsed):
            phrases = [p + [tuple(a[0] for a in parsed)] for p in phrases]
        else:
            phrases = [p + [(f,) for f in a] for p in phrases for a in parsed]
        if len(phrases) > MAX_EXPANSION:
            raise WordSyntaxError(f"'{entry}' expands into more than {MAX_EXPANSION} phrases; split it")
    if not found:
        raise WordSyntaxError("empty word entry")
    return phrases


def name_entry(name: str) -> list[Position]:
    """A name from a list (code name, customer): exact tokens, the last one inflected
    (genitive "Polarsterns"); a trailing legal form (GmbH, AG, Ltd., ...) is optional."""
    tokens = [normalize(t) for t in TOKEN_RE.findall(name)]
    while len(tokens) > 1 and tokens[-1] in LEGAL_FORMS:
        tokens.pop()
    if not tokens:
        raise WordSyntaxError(f"name '{name}' has no letters")
    return [(WordForm("exact", t),) for t in tokens[:-1]] + [(WordForm("exact", tokens[-1], True),)]


LEGAL_FORMS = frozenset(
    {
        "gmbh",
        "ag",
        "se",
        "kg",
        "kgaa",
        "co",
        "ohg",
        "ug",
        "ev",
        "e",
        "v",
        "ltd",
        "limited",
        "inc",
        "llc",
        "plc",
        "corp",
        "bv",
        "nv",
        "sa",
        "as",
        "ab",
    }
)


class WordIndex:
    """All word entries of all rules; ``scan`` finds every entry in a text in one pass.

    Each token is looked up once per distinct spelling (memoised): exact forms and inflected
    forms in a dictionary, prefixes and suffixes by slicing the token at the stem lengths in
    use. A phrase is anchored at its least common-looking word (the one with the longest stem)
    and only checked where that word occurs, so "i work" costs nothing at every "i".
    """

    def __init__(self) -> None:
        self._units: dict[WordForm, int] = {}
        self._exact: dict[str, set[int]] = defaultdict(set)
        self._prefix: dict[str, set[int]] = defaultdict(set)
        self._suffix: dict[str, set[int]] = defaultdict(set)
        self._infix: list[tuple[str, int]] = []
        # anchor unit -> [(anchor's index in the phrase, positions as unit-id sets, label)]
        self._anchors: dict[int, list[tuple[int, tuple[frozenset[int], ...], Hashable]]] = defaultdict(list)
        self._prefix_lengths: list[int] = []
        self._suffix_lengths: list[int] = []
        self._memo: dict[str, tuple[frozenset[int], tuple]] = {}

    def _unit(self, form: WordForm) -> int:
        if form in self._units:
            return self._units[form]
        uid = len(self._units)
        self._units[form] = uid
        endings = ENDINGS if form.inflect else ("",)
        if form.kind == "exact":
            for e in endings:
                self._exact[form.stem + e].add(uid)
        elif form.kind == "prefix":
            self._prefix[form.stem].add(uid)
        elif form.kind == "suffix":
            for e in endings:
                self._suffix[form.stem + e].add(uid)
        else:
            self._infix.append((form.stem, uid))
        self._prefix_lengths = sorted({len(s) for s in self._prefix})
        self._suffix_lengths = sorted({len(s) for s in self._suffix})
        return uid

    def add(self, positions: list[Position], label: Hashable) -> None:
        """Register an entry; ``scan`` reports its matches under ``label``."""
        ids = tuple(frozenset(self._unit(f) for f in pos) for pos in positions)
        anchor = max(range(len(positions)), key=lambda k: min(len(f.stem) for f in positions[k]))
        for uid in ids[anchor]:
            self._anchors[uid].append((anchor, ids, label))
        self._memo.clear()

    def _lookup(self, token: str) -> tuple[frozenset[int], tuple]:
        """(units the token satisfies, phrases anchored at it) for one spelling of a token."""
        t = normalize(token)
        units: set[int] = set(self._exact.get(t, ()))
        n = len(t)
        for length in self._prefix_lengths:
            if length > n:
                break
            units.update(self._prefix.get(t[:length], ()))
        for length in self._suffix_lengths:
            if length > n:
                break
            units.update(self._suffix.get(t[n - length :], ()))
        for stem, uid in self._infix:
            if stem in t:
                units.add(uid)
        anchored = tuple(a for uid in units for a in self._anchors.get(uid, ()))
        found = (frozenset(units), anchored)
        if len(self._memo) < 200_000:
            self._memo[token] = found
        return found

    def scan(self, text: str) -> dict[Hashable, list[tuple[int, int]]]:
        """Every match of every entry: label -> [(start, end)], in text order per label."""
        parts = _SPLIT_RE.split(text)  # separator, token, separator, token, ..., separator
        memo, lookup = self._memo, self._lookup
        found = [memo.get(t) or lookup(t) for t in parts[1::2]]
        candidates = [i for i, (_, anchored) in enumerate(found) if anchored]
        if not candidates:
            return {}
        ends = list(accumulate(map(len, parts)))  # token i spans ends[2i] .. ends[2i + 1]
        n = len(found)
        out: dict[Hashable, list[tuple[int, int]]] = defaultdict(list)
        for i in candidates:
            for k, positions, label in found[i][1]:
                first, last = i - k, i - k + len(positions) - 1
                if first < 0 or last >= n:
                    continue
                if all(j == k or found[first + j][0] & pos for j, pos in enumerate(positions)):
                    out[label].append((ends[2 * first], ends[2 * last + 1]))
        return out
