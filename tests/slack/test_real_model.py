"""One question end to end with the real embedding model (all-MiniLM-L6-v2, bundled): a
paraphrase that shares few words with the FAQ is still answered with the right citation."""

from __future__ import annotations

from bot.index.build import reindex
from bot.service import AnswerService
from tests.conftest import small_kb_files, write_kb
from tests.slack import payloads


def test_paraphrased_dm_with_the_real_model(bot_factory, tmp_path, real_embedder):
    knowledge = write_kb(tmp_path / "knowledge", small_kb_files())
    reindex(knowledge, tmp_path / "index", real_embedder)
    bot = bot_factory("http", service=AnswerService(knowledge, tmp_path / "index", real_embedder))
    event = payloads.message("Is it ok to put pictures from our summer party online?")
    bot.send_event(payloads.event_callback(event))
    [reply] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert reply.params["thread_ts"] == event["ts"]
    assert ":warning: *Allowed with conditions*" in reply.text and "Yes, if everyone agreed." in reply.text
    assert "`guidelines/en/guidelines.md#photos`" in reply.text
