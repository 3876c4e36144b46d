"""A question for the team while the database cannot store it (issue 13, point 2): the real app
over signed HTTP against the fake Slack, its store refused (PostgreSQL behind a proxy that is shut),
full (SQLite at its page limit), or handed a text it could not hold (NUL, lone surrogates on
PostgreSQL). Either the case is stored and reaches the team, or the asker is told plainly that it
did not and where to write instead, and the log says so; never "I keep trying" with nothing kept."""

from __future__ import annotations

import logging
import time

from sqlalchemy import event

from bot.escalation import CaseService
from bot.store import open_store
from tests.faults.conftest import PRESS, asker_heard, no_question_text
from tests.slack import payloads
from tests.slack.conftest import TEAM_CHANNEL, start_bot
from tests.store.blackhole import BlackHole
from tests.store.conftest import PG_URL, pg_schema_factory  # noqa: F401 - the fixture, for PostgreSQL

NOT_STORED = (
    "*nicht* bei Social-Media-Team (<#C0TEAM>) angekommen",
    "NOT stored, the team does not have this question",
)
UNCONFIRMED = (
    "*nicht* bestätigen, dass deine Frage bei Social-Media-Team (<#C0TEAM>) ankommt",
    "no answer from the store within",
)


def ask_and_check_told_plainly(bot, text: str, caplog, told: tuple[str, str] = NOT_STORED) -> float:
    """Asks ``text`` in a DM. The answer says the team does not have it and names the contact and
    its channel; returns the seconds until the asker heard it. Stops the bot."""
    try:
        question = payloads.message(text)
        started = time.monotonic()
        bot.send_event(payloads.event_callback(question))
        reply, seconds = asker_heard(bot.slack, question, started)
    finally:
        for stop in bot.stops:
            stop()
    assert told[0] in reply.text and "schreib direkt an Social-Media-Team (<#C0TEAM>)" in reply.text
    assert "versuche es weiter" not in reply.text
    assert bot.slack.of("chat.postMessage", channel=TEAM_CHANNEL) == []
    assert told[1] in caplog.text
    no_question_text(caplog)
    print(f"\nthe asker heard {seconds:.1f} s after asking")
    return seconds


def test_postgresql_refused_the_asker_is_told_plainly(tmp_path, pg_schema_factory, caplog):  # noqa: F811
    caplog.set_level(logging.INFO)
    proxy = BlackHole(("127.0.0.1", 5432))
    bot = start_bot(tmp_path, "http", store=open_store(proxy.url(), schema_name=pg_schema_factory()))
    proxy.close()  # connections dropped, new ones refused
    assert ask_and_check_told_plainly(bot, PRESS, caplog) < 10


def test_sqlite_full_the_asker_is_told_plainly(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    bot = start_bot(tmp_path, "http")

    @event.listens_for(bot.store.engine, "connect")
    def full(dbapi_connection, _record) -> None:  # the disk is full: no page more
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    bot.store.engine.dispose()
    assert ask_and_check_told_plainly(bot, PRESS + " " + "Bitte schnell antworten. " * 400, caplog) < 10


def test_nul_and_lone_surrogates_on_postgresql_are_stored_cleaned_and_reach_the_team(
    tmp_path,
    pg_schema_factory,  # noqa: F811
    caplog,
):
    caplog.set_level(logging.INFO)
    bot = start_bot(tmp_path, "http", store=open_store(PG_URL, schema_name=pg_schema_factory()))
    try:
        question = payloads.message(PRESS.replace("Journalistin", "Journa\x00listin\ud800"))
        started = time.monotonic()
        bot.send_event(payloads.event_callback(question))
        reply, seconds = asker_heard(bot.slack, question, started)
        assert seconds < 10
        assert "an Social-Media-Team (<#C0TEAM>) weitergegeben" in reply.text, reply.text
        [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL, timeout=10)
        assert "Journalistin\ufffd" in case.text and "\x00" not in case.text
        [stored] = CaseService(bot.store).cases()
        assert stored.question == PRESS.replace("Journalistin", "Journalistin\ufffd")
        assert "NOT stored" not in caplog.text
    finally:
        for stop in bot.stops:
            stop()


def test_postgresql_black_holed_the_asker_hears_within_10_seconds(tmp_path, pg_schema_factory, caplog):  # noqa: F811
    """The database accepts and then forwards nothing (a query on a pooled connection would wait
    for minutes): the claim and the case are waited for 3 s each, and the asker hears within 10 s
    that it is not sure the team has the question, and where to write."""
    caplog.set_level(logging.INFO)
    hole = BlackHole(("127.0.0.1", 5432))
    bot = start_bot(tmp_path, "http", store=open_store(hole.url(), schema_name=pg_schema_factory()), workers=1)
    try:
        hole.cut()
        # one listener thread: a call stuck on the database after the first answer would hold it
        mention = payloads.mention("Darf ich Fotos vom Sommerfest posten?")
        started = time.monotonic()
        bot.send_event(payloads.event_callback(mention))
        reply, first = asker_heard(bot.slack, mention, started)
        assert "Ja, wenn alle zugestimmt haben." in reply.text
        print(f"\nthe first asker (a mention) heard {first:.1f} s after asking")
        seconds = ask_and_check_told_plainly(bot, PRESS, caplog, UNCONFIRMED)
    finally:
        hole.close()
    assert first < 10 and seconds < 10, (first, seconds)


def test_the_ask_team_button_while_postgresql_refuses_tells_the_asker_plainly(
    tmp_path,
    pg_schema_factory,  # noqa: F811
    caplog,
):
    caplog.set_level(logging.INFO)
    proxy = BlackHole(("127.0.0.1", 5432))
    bot = start_bot(tmp_path, "http", store=open_store(proxy.url(), schema_name=pg_schema_factory()))
    try:
        question = payloads.message("Darf ich Fotos vom Sommerfest posten?")
        bot.send_event(payloads.event_callback(question))
        [answer] = asker_heard(bot.slack, question, time.monotonic())[:1]
        proxy.close()  # the database goes away before the asker presses the button
        started = time.monotonic()
        bot.send_interaction(
            payloads.block_action(answer.buttons()["ask_team"], bot.slack.response_url("ask"), channel="D0DM")
        )
        [told] = bot.slack.wait_for("response_url", timeout=10)
    finally:
        for stop in bot.stops:
            stop()
    assert time.monotonic() - started < 10
    assert NOT_STORED[0] in told.text and "versuche es weiter" not in told.text, told.text
    assert NOT_STORED[1] in caplog.text and bot.slack.of("chat.postMessage", channel=TEAM_CHANNEL) == []
    assert "Sommerfest" not in caplog.text
