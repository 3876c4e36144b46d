"""BM25 over stemmed German and English tokens, with German compounds split by the corpus vocabulary."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MIN_PART = 4
MAX_QUERY_TOKENS = 512  # a question is at most 2,000 characters; this bounds a search whatever it is given
# Words that frame almost every question ("may I post ...") and carry no topic.
_FRAME_WORDS = {
    "darf",
    "dürfen",
    "darfst",
    "dürfte",
    "kann",
    "können",
    "kannst",
    "könnte",
    "post",
    "posts",
    "posten",
    "postet",
    "poste",
    "teilen",
    "teile",
    "share",
    "sharing",
    "ok",
    "okay",
    "erlaubt",
    "allowed",
    "mal",
    "bitte",
    "frage",
    "question",
    "may",
    "can",
    "could",
    "would",
    "should",
    "hey",
    "hi",
    "hallo",
    "quick",
    "q",
    "eigentlich",
    "gerne",
    "einfach",
    "thanks",
    "danke",
    "please",
    "ist",
    "is",
    "es",
    "it",
}


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_GERMAN

    return frozenset(STOPWORDS_GERMAN) | frozenset(STOPWORDS_EN_PLUS) | _FRAME_WORDS


@lru_cache(maxsize=1)
def _stemmers():
    import Stemmer

    return Stemmer.Stemmer("german"), Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-case words without stopwords; hyphenated words also count as their parts."""
    out = []
    stop = _stopwords()
    for word in _WORD.findall(text.lower()):
        if word not in stop and (len(word) > 1 or word.isdigit()):
            out.append(word)
    return out


class Decompounder:
    """Splits German compounds into words the corpus knows: 'Sommerfestfotos' -> sommerfest, fotos.

    The work per word is bounded: a word longer than ``MAX_WORD`` is no compound (a token, base64,
    text pasted without spaces) and is not split, and each split of a suffix is computed once
    (memoised over cut positions), so a word costs at most MAX_WORD² × MAX_DEPTH steps."""

    LINKS = ("", "s", "es", "n", "en", "er", "e")
    MAX_WORD = 48  # the longest German compounds in use have about 40 letters
    MAX_DEPTH = 2  # at most four parts: head, head, head, tail

    def __init__(self, vocabulary: set[str]) -> None:
        self.vocabulary = {w for w in vocabulary if len(w) >= _MIN_PART}

    def split(self, word: str) -> list[str]:
        """The parts of ``word`` whose shortest part is longest, or [] if it is no compound."""
        if not 2 * _MIN_PART <= len(word) <= self.MAX_WORD:
            return []
        memo: dict[tuple[int, int], list[str]] = {}

        def best_from(start: int, depth: int) -> list[str]:
            key = (start, depth)
            if key not in memo:
                memo[key] = self._best_split(word, start, depth, best_from)
            return memo[key]

        return best_from(0, 0)

    def _best_split(self, word: str, start: int, depth: int, best_from) -> list[str]:
        if len(word) - start < 2 * _MIN_PART or depth > self.MAX_DEPTH:
            return []
        best: list[str] = []
        for cut in range(start + _MIN_PART, len(word) - _MIN_PART + 1):
            tail = word[cut:]
            tail_parts = [tail] if tail in self.vocabulary else best_from(cut, depth + 1)
            if not tail_parts:
                continue
            head = self._head(word[start:cut])
            if head is not None:
                parts = [head, *tail_parts]
                if min(map(len, parts)) > min(map(len, best), default=0):
                    best = parts
        return best

    def _head(self, piece: str) -> str | None:
        """``piece`` without its linking letters, if the corpus knows that word."""
        for link in self.LINKS:
            stem = piece[: len(piece) - len(link)]
            if piece.endswith(link) and stem in self.vocabulary:
                return stem
        return None


class Analyzer:
    """Tokens for BM25: every word stemmed as German and as English, plus its compound parts."""

    def __init__(self, decompounder: Decompounder | None = None) -> None:
        self.decompounder = decompounder

    def tokens(self, text: str) -> list[str]:
        de, en = _stemmers()
        base = words(text)
        expanded = list(base)
        if self.decompounder:
            for word in base:
                expanded.extend(self.decompounder.split(word))
        out: list[str] = []
        seen_pairs = set()
        for word in expanded:
            for stem in (de.stemWord(word), en.stemWord(word)):
                if stem and (word, stem) not in seen_pairs:
                    seen_pairs.add((word, stem))
                    out.append(stem)
        return out


class LexicalIndex:
    """A BM25 index over passages; scores are 0 for passages that share no term with the query."""

    def __init__(self, bm25, analyzer: Analyzer) -> None:
        self.bm25 = bm25
        self.analyzer = analyzer

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        import bm25s

        vocabulary = {w for t in texts for w in words(t)}
        analyzer = Analyzer(Decompounder(vocabulary))
        corpus = [analyzer.tokens(t) or ["\u2205"] for t in texts]
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        bm25.index(corpus, show_progress=False)
        return cls(bm25, analyzer)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.bm25.save(str(directory), show_progress=False)
        vocab = sorted(self.analyzer.decompounder.vocabulary) if self.analyzer.decompounder else []
        (directory / "compound_vocabulary.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        bm25 = bm25s.BM25.load(str(directory), show_progress=False, verbosity=0)
        vocab = json.loads((directory / "compound_vocabulary.json").read_text(encoding="utf-8"))
        return cls(bm25, Analyzer(Decompounder(set(vocab))))

    def search(self, query: str, k: int, extra_terms: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(passage rows, scores) of the k best passages with at least one matching term."""
        tokens = self.analyzer.tokens(query + (" " + " ".join(extra_terms) if extra_terms else ""))
        known = [t for t in tokens if t in self.bm25.vocab_dict][:MAX_QUERY_TOKENS]
        if not known:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = self.bm25.get_scores(known)
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        order = hits[np.argsort(-scores[hits], kind="stable")]
        return order, scores[order]
