"""German/English detection for questions and guideline text, robust on short Slack messages."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")

_WORD = re.compile(r"[a-zäöüß]+", re.IGNORECASE)

# Frequent function words and chat words that are typical for one language only.
_DE = frozenset(
    """
ich du er sie es wir ihr mich mir dich dir uns euch sich mein meine meinen meinem meiner dein deine
der die das den dem des ein eine einen einem einer kein keine nicht und oder aber auch noch schon nur
ist sind war bin bist hat habe hast haben wird werden kann darf dürfen muss soll sollte könnte würde
mit von zu zum zur bei auf aus über unter für ohne gegen nach vor wenn weil dass ob wie was wer wo
wann warum welche welcher welches hier dort jetzt gerne bitte danke mal doch ja nein etwa oft immer
auf im am vom beim ins ans dieser diese dieses jemand etwas alles viele unsere unser unseren unserem
posten teilen hochladen stellen kollege kollegin kollegen firma arbeitgeber einfach okay geht
""".split()
)
_EN = frozenset(
    """
i you he she it we they me my mine your our us them their the a an and or but not no yes also only
is are was were be been being am have has had do does did can could may might must shall should will
would with from to of in on at by for about without against after before if because that whether how
what who where when why which this these those here there now please thanks just any some all many
post share upload coworker colleague company employer picture pic photo okay ok allowed is it
""".split()
)


def _score(text: str) -> tuple[int, int]:
    words = [w.lower() for w in _WORD.findall(text)]
    de = sum(w in _DE for w in words)
    en = sum(w in _EN for w in words)
    de += 2 * len(re.findall(r"[äöüß]", text, re.IGNORECASE))
    return de, en


@lru_cache(maxsize=1)
def _langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["de", "en"])
    return identifier


@lru_cache(maxsize=1)
def _langid_any():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


FOREIGN_MIN_WORDS = 4  # shorter texts are too short to call a third language
FOREIGN_MIN_PROBABILITY = 0.95


def foreign_language(text: str) -> str | None:
    """The code of a language other than German and English that ``text`` is clearly written in
    ("fr" for a French question), else None. German or English function words always win."""
    de, en = _score(text)
    if max(de, en) >= 2 or len(_WORD.findall(text)) < FOREIGN_MIN_WORDS:
        return None
    lang, probability = _langid_any().classify(text)
    return lang if lang not in LANGUAGES and probability >= FOREIGN_MIN_PROBABILITY else None


def detect_language(text: str, default: Language = "en") -> Language:
    """Return 'de' or 'en'. Function words decide; a character model breaks ties."""
    de, en = _score(text)
    if de != en and max(de, en) >= 2 and abs(de - en) >= 1:
        return "de" if de > en else "en"
    if not _WORD.search(text):
        return default
    lang, _ = _langid().classify(text)
    return "de" if lang == "de" else "en"
