"""A German <-> English glossary of workplace and social media words, for cross-language questions.

The default embedding model understands English far better than German, and BM25 only matches
words of the same language; translating the question's content words lets a German question
find English guideline text and the other way round.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from bot.index.lexical import Decompounder, _stemmers, words

BUNDLED = Path(__file__).parent / "data" / "glossary_de_en.tsv"


class Glossary:
    """Word-level translations, looked up by exact word and by stem."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        de_stem, en_stem = _stemmers()
        self.to_en: dict[str, set[str]] = defaultdict(set)
        self.to_de: dict[str, set[str]] = defaultdict(set)
        for de, en in pairs:
            for key in {de, de_stem.stemWord(de)}:
                self.to_en[key].add(en)
            for key in {en, en_stem.stemWord(en)}:
                self.to_de[key].add(de)
        self.decompounder = Decompounder({de for de, _ in pairs})

    @classmethod
    def from_file(cls, path: Path) -> Glossary:
        pairs = []
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            if line.strip() and not line.startswith("#"):
                de, _, en = line.partition("\t")
                if de.strip() and en.strip():
                    pairs.append((de.strip().lower(), en.strip().lower()))
        return cls(pairs)

    @classmethod
    def bundled(cls) -> Glossary:
        return _bundled()

    def translate(self, text: str, targets: list[str]) -> list[str]:
        """Translations of the words of ``text`` into the ``targets`` languages, without repeats."""
        de_stem, en_stem = _stemmers()
        out: list[str] = []
        for word in words(text):
            candidates: set[str] = set()
            if "en" in targets:
                parts = [word, *self.decompounder.split(word)]
                for part in parts:
                    candidates |= (
                        self.to_en.get(part) or self.to_en.get(de_stem.stemWord(part)) or self._prefix(part, self.to_en)
                    )
            if "de" in targets:
                candidates |= (
                    self.to_de.get(word) or self.to_de.get(en_stem.stemWord(word)) or self._prefix(word, self.to_de)
                )
            out.extend(sorted(candidates - {word}))
        return list(dict.fromkeys(out))

    @staticmethod
    def _prefix(word: str, table: dict[str, set[str]]) -> set[str]:
        """Translations of the longest glossary entry the word starts with ('beleidigt' -> 'beleid');
        none for a word too long to be one (a token, base64), so a long word costs no quadratic work."""
        if len(word) > Decompounder.MAX_WORD:
            return set()
        for end in range(len(word) - 1, 4, -1):
            if end / len(word) < 0.6:
                break
            found = table.get(word[:end])
            if found:
                return found
        return set()


@lru_cache(maxsize=1)
def _bundled() -> Glossary:
    return Glossary.from_file(BUNDLED) if BUNDLED.is_file() else Glossary([])
