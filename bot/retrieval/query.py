"""Building the query: the question, and its words in the knowledge base's other language."""

from __future__ import annotations

from bot.glossary import Glossary
from bot.question import Question
from bot.retrieval.params import FusionParams


class QueryBuilder:
    """German <-> English glossary expansion for a knowledge base written in ``kb_languages``."""

    def __init__(self, glossary: Glossary, kb_languages: set[str], params: FusionParams) -> None:
        self.glossary = glossary
        self.kb_languages = kb_languages
        self.params = params

    def translations(self, question: Question) -> list[str]:
        """Words of the question in the knowledge base's other language (German <-> English)."""
        if self.params.translate == "off":
            return []
        targets = self.kb_languages - {question.language}
        if self.params.translate == "en":
            targets = {"en"} - {question.language}
        return self.glossary.translate(question.text, sorted(targets)) if targets else []

    def texts(self, question: Question) -> list[str]:
        """What the dense channel embeds: the question with its translations appended, and with
        ``dual_query`` the translations alone as a second query."""
        extra = self.translations(question)
        texts = [question.text + (" (" + " ".join(extra) + ")" if extra else "")]
        if self.params.dual_query and len(extra) >= 2:
            texts.append(" ".join(extra))
        return texts
