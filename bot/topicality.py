"""Is a question about what people may say, show or hand on about their work, even when it names
no platform or posting word (bot/domain.py)? A nearest-prototype check in the multilingual
encoder's space: the question is nearer to one of a few generic questions of the domain than to
any everyday workplace question (leave, pay, IT, facilities). The prototypes are written for the
check and are not questions of any evaluation set."""

from __future__ import annotations

import threading
import weakref

import numpy as np

from bot.index.embedding import Embedder

# What the domain asks: telling, showing, handing on, speaking for the company, in public or not.
DOMAIN: tuple[str, ...] = (
    "Darf ich anderen davon erzählen?",
    "Darf ich Außenstehenden Interna aus der Firma weitergeben?",
    "Darf ich Freunden oder Familie von meiner Arbeit berichten?",
    "Kann ich das öffentlich sagen?",
    "Darf ich Fotos von der Arbeit herumzeigen?",
    "Darf ich über unsere Kunden sprechen?",
    "Darf ich Zahlen der Firma nennen?",
    "Darf ich in Firmenkleidung an einer politischen Veranstaltung teilnehmen?",
    "Darf ich im Namen der Firma auftreten?",
    "Was antworte ich, wenn mich jemand von außen zur Firma befragt?",
    "May I tell other people about this?",
    "Can I share internal company information with outsiders?",
    "Can I talk to friends or family about my work?",
    "Am I allowed to say this in public?",
    "May I show pictures from work to others?",
    "May I talk about our customers?",
    "Can I mention company figures?",
    "Can I wear company clothing at a political event?",
    "May I speak on behalf of the company?",
    "What do I answer when someone outside asks me about the company?",
)
# Everyday workplace questions the social media guidelines do not answer.
EVERYDAY: tuple[str, ...] = (
    "Wie beantrage ich Urlaub?",
    "Wo reiche ich meine Spesenabrechnung ein?",
    "Wann wird das Gehalt überwiesen?",
    "Wie melde ich mich krank?",
    "Kann ich von zu Hause arbeiten?",
    "Wo kann ich mein Auto parken?",
    "Wann hat die Kantine geöffnet?",
    "Wie buche ich einen Besprechungsraum?",
    "Kann ich an einer Weiterbildung teilnehmen?",
    "Wer ist meine Ansprechperson in der Personalabteilung?",
    "Wie verbinde ich mich mit dem WLAN?",
    "Wer hilft mir bei Problemen mit meinem Computer?",
    "How do I request vacation?",
    "Where do I submit my expenses?",
    "When is the salary paid?",
    "How do I call in sick?",
    "Can I work from home?",
    "Where can I park my car?",
    "When is the canteen open?",
    "How do I book a meeting room?",
    "Can I attend a training course?",
    "Who is my contact in human resources?",
    "How do I connect to the wifi?",
    "Who helps me with computer problems?",
)


class Topicality:
    """The prototypes' vectors in one encoder's space."""

    def __init__(self, encoder: Embedder) -> None:
        vectors = np.asarray(encoder.embed_batch(list(DOMAIN + EVERYDAY)), dtype=np.float32)
        self.domain, self.everyday = vectors[: len(DOMAIN)], vectors[len(DOMAIN) :]

    def names_the_domain(self, vector: np.ndarray) -> bool:
        """True when the question is nearer to a question of the domain than to any everyday one."""
        v = np.atleast_2d(vector)[0]
        return float((self.domain @ v).max()) >= float((self.everyday @ v).max())


# Per encoder object: looking up its fingerprint would read the weights file's size on every question.
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def topicality(encoder: Embedder) -> Topicality:
    """The check for ``encoder``, its prototypes embedded once per process."""
    with _lock:
        check = _cache.get(encoder)
        if check is None:
            check = _cache[encoder] = Topicality(encoder)
        return check
