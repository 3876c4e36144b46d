"""The core as the adapters (command line, Slack) use it: answer questions from the index being
served, rebuild and hot-swap it. No Slack here."""

from __future__ import annotations

import threading
from pathlib import Path

from bot import config
from bot.answer import Answer, Answerer, DecisionParams
from bot.index.build import ReindexReport
from bot.index.embedding import Embedder, make_embedder, make_multilingual
from bot.index.store import IndexHolder, LoadedIndex
from bot.knowledge import KnowledgeBase
from bot.retrieval import FusionParams
from bot.topicality import topicality


class AnswerService:
    """Answers from the current index; ``reindex()`` swaps in a new one without a restart.
    Thread-safe: each question takes the index once and finishes on it."""

    def __init__(
        self,
        knowledge_dir: Path,
        index_dir: Path,
        embedder: Embedder | None = None,
        params: DecisionParams | None = None,
        fusion: FusionParams | None = None,
        multilingual: Embedder | None = None,
    ) -> None:
        self.knowledge_dir = Path(knowledge_dir)
        self.index_dir = Path(index_dir)
        self.embedder = embedder or make_embedder(config.model_name())
        if params is None and config.threshold() is not None:
            params = DecisionParams(threshold=config.threshold())
        self.params = params
        self.fusion = fusion
        self.multilingual = multilingual
        self.holder = IndexHolder(
            self.index_dir, self.embedder, multilingual=multilingual, knowledge_dir=self.knowledge_dir
        )
        self._reindex_lock = threading.Lock()

    @classmethod
    def from_config(
        cls,
        knowledge: str | Path | None = None,
        index: str | Path | None = None,
        model: str | None = None,
        multilingual: str | None = None,
    ) -> AnswerService:
        root = config.knowledge_dir(knowledge)
        return cls(
            root,
            config.index_dir(index, root),
            make_embedder(config.model_name(model)),
            multilingual=make_multilingual(config.multilingual_name(multilingual)),
        )

    @property
    def index(self) -> LoadedIndex:
        return self.holder.current

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.holder.current.knowledge

    def answerer(self, index: LoadedIndex | None = None) -> Answerer:
        return Answerer(index or self.holder.current, self.embedder, self.params, self.fusion)

    def answer(self, text: str) -> Answer:
        return self.answerer().answer(text)

    def answer_many(self, texts: list[str]) -> list[Answer]:
        """Answer several questions with one batched encoder call (for scripts and evaluations)."""
        from bot.question import prepare

        answerer = self.answerer()
        questions = [prepare(t) for t in texts]
        asked = [q for q in questions if not q.empty]
        vectors = iter(answerer.retriever.embed_many(asked))
        multilingual = iter(answerer.retriever.embed_multilingual_many(asked))
        out = []
        for q in questions:
            retrieval = (
                None
                if q.empty
                else answerer.retriever.search(q, vector=next(vectors), multilingual_vector=next(multilingual))
            )
            out.append(answerer.answer_prepared(q, retrieval=retrieval))
        return out

    def is_stale(self) -> bool:
        return self.holder.current.is_stale(self.knowledge_dir)

    def reindex(self, **options) -> ReindexReport:
        """Rebuild from the knowledge directory with the loaded model and serve the new index."""
        with self._reindex_lock:
            return self.holder.reindex(self.knowledge_dir, **options)

    def warm_up(self) -> None:
        """Load the models and run one question, so the first real one is fast; the multilingual
        encoder also embeds the off-topic check's prototypes (bot/topicality.py) now."""
        self.answer("Darf ich ein Foto posten?")
        encoder = self.holder.current.multilingual_encoder
        if encoder is not None:
            topicality(encoder)
