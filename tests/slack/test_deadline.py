"""Every question gets an answer or the failure notice: a long word is answered, a stuck core
gives the asker the failure notice with the way to the team once the deadline has passed."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from bot.index.build import reindex
from bot.index.embedding import HashingEmbedder
from bot.service import AnswerService
from tests.conftest import small_kb_files, write_kb
from tests.slack import payloads

STUCK = "Nordlicht"  # a question with this word keeps the embedder busy until the test ends


class StuckEmbedder(HashingEmbedder):
    """The hashing embedder, except that it does not come back for a question naming STUCK."""

    def __init__(self) -> None:
        super().__init__(64)
        self.release = threading.Event()

    def embed_batch(self, texts):
        if any(STUCK in t for t in texts):
            self.release.wait(30)
        return super().embed_batch(texts)


@pytest.fixture
def stuck_service(tmp_path):
    embedder = StuckEmbedder()
    knowledge = write_kb(tmp_path / "knowledge", small_kb_files())
    reindex(knowledge, tmp_path / "index", embedder)
    yield AnswerService(knowledge, tmp_path / "index", embedder)
    embedder.release.set()


@pytest.mark.parametrize(
    "question",
    ["Darf ich " + "x" * 39_000 + " posten?", "aGVsbG8gd29ybGQ" * 2_600, "haha" * 5_000],
    ids=["one long word", "base64", "laughter"],
)
def test_a_long_word_is_answered_not_failed(http_bot, question):
    started = time.monotonic()
    http_bot.send_event(payloads.event_callback(payloads.message(question)))
    [reply] = http_bot.slack.wait_for("chat.postMessage", channel="D0DM", timeout=25)
    assert "ein Fehler passiert" not in reply.text and "went wrong" not in reply.text
    assert time.monotonic() - started < 10


def test_a_stuck_answer_gives_the_failure_notice_after_the_deadline(bot_factory, stuck_service, caplog):
    bot = bot_factory("http", service=stuck_service, answer_deadline=1.0, workers=2)
    question = f"Darf ich Fotos vom Projekt {STUCK} posten?"
    with caplog.at_level(logging.INFO):
        started = time.monotonic()
        event = payloads.message(question)
        bot.send_event(payloads.event_callback(event))
        [told] = bot.slack.wait_for("chat.postMessage", channel="D0DM", timeout=10)
        waited = time.monotonic() - started
    assert 1.0 <= waited < 5
    assert told.params["thread_ts"] == event["ts"]
    assert "ein Fehler passiert (Fall " in told.text
    assert set(told.buttons()) == {"ask_team"}
    [failure] = [r for r in caplog.records if r.getMessage().startswith("answering failed")]
    assert "after the deadline of 1 s" in failure.getMessage() and not failure.exc_info
    assert all(STUCK not in r.getMessage() for r in caplog.records)
    # the next question is answered while the stuck one still runs
    bot.send_event(payloads.event_callback(payloads.message("Darf ich Fotos vom Sommerfest posten?")))
    [_, answered] = bot.slack.wait_for("chat.postMessage", count=2, channel="D0DM", timeout=10)
    assert "Ja, wenn alle zugestimmt haben." in answered.text
