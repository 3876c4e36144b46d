"""Who answers which topic: contacts from routing.yaml, with environment-variable overrides."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.knowledge.models import SLACK_ID_RE, Contact, PerLanguage, RoutingFile

DEFAULT_CONTACT_KEY = "social-media-team"
DEFAULT_ALWAYS_ESCALATE = ("press", "crisis", "legal")
# Words that send a question to people whatever the retrieval finds. A word matches whole words,
# with German and English inflection endings ("journalist" matches "Journalistin", "journalists");
# a leading "*" matches anywhere inside a word ("*anfrage" matches "Presseanfrage").
DEFAULT_KEYWORDS: dict[str, list[str]] = {
    "press": [
        "journalist",
        "reporter",
        "redakteur",
        "redaktion",
        "presseanfrage",
        "*presseanfrage",
        "medienanfrage",
        "press inquiry",
        "press enquiry",
        "media inquiry",
        "media enquiry",
        "off the record",
        "pressesprecher",
    ],
    "crisis": [
        "shitstorm",
        "datenleck",
        "*datenleck",
        "data leak",
        "data breach",
        "datenpanne",
        "hackerangriff",
        "cyberangriff",
        "cyber attack",
        "cyberattack",
        "ransomware",
        "rückruf",
        "*rückruf",
        "product recall",
        "stellenabbau",
        "entlassungen",
        "layoffs",
        "lay-offs",
        "insolvenz",
        "bankruptcy",
        "explosion",
    ],
    "legal": [
        "abmahnung",
        "anwalt",
        "anwältin",
        "anwälte",
        "lawyer",
        "attorney",
        "*verklag",
        "lawsuit",
        "sue us",
        "sue me",
        "suing",
        "cease and desist",
        "cease-and-desist",
        "unterlassungserklärung",
        "rechtliche schritte",
        "legal action",
        "gericht",
        "court",
    ],
}
ContactKind = Literal["channel", "usergroup", "user"]


def env_name(contact_key: str) -> str:
    """The default override variable for a contact: GUIDELINES_BOT_CONTACT_<KEY>."""
    return "GUIDELINES_BOT_CONTACT_" + re.sub(r"[^A-Z0-9]+", "_", contact_key.upper()).strip("_")


def kind_of(slack_id: str | None) -> ContactKind | None:
    if not slack_id:
        return None
    return {"C": "channel", "G": "channel", "S": "usergroup"}.get(slack_id[0], "user")


@dataclass(frozen=True)
class ResolvedContact:
    """A contact with its Slack ID after environment overrides."""

    key: str
    name: PerLanguage
    slack_id: str | None
    email: str | None

    @property
    def kind(self) -> ContactKind | None:
        return kind_of(self.slack_id)

    def display_name(self, language: str) -> str:
        return self.name.best(language)[0] or self.key


class Routing:
    """Topic → contact, anchor → topic, and the topics people always answer."""

    def __init__(self, file: RoutingFile | None = None, environ: Mapping[str, str] | None = None) -> None:
        environ = os.environ if environ is None else environ
        if file is None:
            file = RoutingFile(
                contacts={
                    DEFAULT_CONTACT_KEY: Contact(name=PerLanguage(de="Social-Media-Team", en="Social media team"))
                },
                default_contact=DEFAULT_CONTACT_KEY,
                always_escalate=list(DEFAULT_ALWAYS_ESCALATE),
            )
        self.file = file
        self.declared_topics = set(file.topics)
        keywords = DEFAULT_KEYWORDS if file.keywords is None else file.keywords
        self._keywords = [(topic, _keyword_pattern(words)) for topic, words in keywords.items() if words]
        self.always_escalate = frozenset(file.always_escalate)
        self.contacts: dict[str, ResolvedContact] = {}
        for key, contact in file.contacts.items():
            override = environ.get(contact.env or env_name(key), "").strip()
            slack_id = override if override and SLACK_ID_RE.match(override) else contact.slack_id
            self.contacts[key] = ResolvedContact(key, contact.name, slack_id, contact.email)

    @property
    def default(self) -> ResolvedContact:
        return self.contacts[self.file.default_contact]

    def knows_topic(self, topic: str) -> bool:
        """Without declared topics any topic is accepted (it routes to the default contact)."""
        return not self.declared_topics or topic in self.declared_topics

    def contact_for(self, topic: str | None) -> ResolvedContact:
        key = self.file.topics.get(topic or "", self.file.default_contact)
        return self.contacts.get(key, self.default)

    def topic_for_anchor(self, anchor: str) -> str | None:
        return self.file.sections.get(anchor)

    def escalates(self, topic: str | None) -> bool:
        return topic is not None and topic in self.always_escalate

    def keyword_topic(self, text: str) -> tuple[str, str] | None:
        """(topic, matched word) of the first keyword list that matches ``text``."""
        for topic, pattern in self._keywords:
            match = pattern.search(text)
            if match:
                return topic, match.group(0)
        return None


def _keyword_pattern(words: list[str]) -> re.Pattern[str]:
    parts = []
    for word in words:
        word = word.strip().lower()
        if word.startswith("*"):
            parts.append(r"\w*" + re.escape(word[1:]))
        else:
            parts.append(r"(?<!\w)" + re.escape(word) + r"(?:in|innen|en|e|n|s|es|er|ern)?(?!\w)")
    return re.compile("|".join(parts), re.IGNORECASE)
