"""The app end to end, over HTTP and Socket Mode, against the fake Slack: what a person sees."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.index.manifest import MANIFEST
from bot.slack.blocks import unpack_value
from tests.slack import payloads
from tests.slack.conftest import MAINTAINER, TEAM_CHANNEL, make_service
from tests.slack.fake_slack import BOT_ID, BOT_USER

PHOTO_QUESTION = "Darf ich Fotos vom Sommerfest posten?"
PRESS_QUESTION = "Eine Journalistin hat mich angerufen: Presseanfrage zu unserem Produkt. Was darf ich sagen?"
NASTY = "<!channel> <@U0BOSS> Darf ich Fotos vom Sommerfest posten? <https://evil.example/login|Bank> & <!here>"


def test_dm_question_gets_a_cited_answer_in_its_thread(bot):
    event = payloads.message(PHOTO_QUESTION, channel="D0DM", channel_type="im")
    bot.send_event(payloads.event_callback(event))
    [reply] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert reply.params["thread_ts"] == event["ts"]
    assert ":warning: *Erlaubt, unter Bedingungen*" in reply.text
    assert "Ja, wenn alle zugestimmt haben." in reply.text
    assert "`guidelines/de/richtlinien.md#photos`" in reply.text  # source and anchor
    assert "> • Erlaubt: Fotos von Kolleginnen und Kollegen, wenn alle zugestimmt haben." in reply.text  # quoted
    assert "<https://intranet.example/guidelines/guidelines/de/richtlinien.md#photos|Fotos und Videos>" in reply.text
    assert set(reply.buttons()) == {"feedback_helpful", "feedback_not_helpful", "ask_team"}
    [status] = bot.slack.of("assistant.threads.setStatus")
    assert (
        status.params.items()
        >= {"channel_id": "D0DM", "thread_ts": event["ts"], "status": "Suche in den Richtlinien…"}.items()
    )


def test_english_dm_is_answered_in_english(bot):
    bot.send_event(payloads.event_callback(payloads.message("May I post photos from the summer party?")))
    [reply] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert "Yes, if everyone agreed." in reply.text and ":+1: Helpful" in reply.text
    assert bot.slack.of("assistant.threads.setStatus")[0].params["status"] == "Checking the guidelines…"


def test_mention_in_a_channel_is_answered_in_a_thread_under_it(bot):
    event = payloads.mention(PHOTO_QUESTION, channel="C0GENERAL")
    bot.send_event(payloads.event_callback(event))
    [reply] = bot.slack.wait_for("chat.postMessage", channel="C0GENERAL")
    assert reply.params["thread_ts"] == event["ts"]
    assert "Ja, wenn alle zugestimmt haben." in reply.text
    assert bot.store.thread_follower("C0GENERAL", event["ts"]) == "U0ASKER"


def test_follow_ups_in_the_thread_need_no_new_mention(sequential_bot):
    bot = sequential_bot
    # in a DM: a reply in the answer's thread
    first = payloads.message(PHOTO_QUESTION)
    bot.send_event(payloads.event_callback(first))
    bot.slack.wait_for("chat.postMessage", channel="D0DM")
    follow_up = payloads.message("And photos with screens in the background?", thread_ts=first["ts"])
    bot.send_event(payloads.event_callback(follow_up))
    replies = bot.slack.wait_for("chat.postMessage", count=2, channel="D0DM")
    assert [r.params["thread_ts"] for r in replies] == [first["ts"], first["ts"]]
    assert "Not allowed" in replies[1].text or "screens" in replies[1].text
    # in a channel: the asker's follow-up in the thread of a mention; others there are not for the bot
    mention = payloads.mention(PHOTO_QUESTION, channel="C0GENERAL")
    bot.send_event(payloads.event_callback(mention))
    bot.slack.wait_for("chat.postMessage", channel="C0GENERAL")
    colleague = payloads.message(
        "Ich glaube, das geht.", user="U0OTHER", channel="C0GENERAL", channel_type="channel", thread_ts=mention["ts"]
    )
    unrelated = payloads.message(
        "Darf ich Fotos posten?", channel="C0GENERAL", channel_type="channel", thread_ts="1600000000.000001"
    )
    top_level = payloads.message("Darf ich Fotos posten?", channel="C0GENERAL", channel_type="channel")
    asker = payloads.message(
        "Und Fotos mit Bildschirmen im Hintergrund?",
        channel="C0GENERAL",
        channel_type="channel",
        thread_ts=mention["ts"],
    )
    for event in (colleague, unrelated, top_level, asker):
        bot.send_event(payloads.event_callback(event))
    replies = bot.slack.wait_for("chat.postMessage", count=2, channel="C0GENERAL")
    assert [r.params["thread_ts"] for r in replies] == [mention["ts"], mention["ts"]]
    assert len(bot.slack.of("chat.postMessage", channel="C0GENERAL")) == 2


def test_slash_command_answers_privately_and_shares_on_request(bot):
    url = bot.slack.response_url("cmd-1")
    ack = bot.send_command(payloads.command(PHOTO_QUESTION, url))
    assert "Suche in den Richtlinien" in json.dumps(ack, ensure_ascii=False)  # acknowledged before the answer
    [private] = bot.slack.wait_for("response_url", _url="/response/cmd-1")
    assert private.params["response_type"] == "ephemeral"
    assert "Ja, wenn alle zugestimmt haben." in private.text
    buttons = private.buttons()
    assert set(buttons) == {"feedback_helpful", "feedback_not_helpful", "ask_team", "share_answer"}
    assert not bot.slack.of("chat.postMessage")

    share_url = bot.slack.response_url("share-1")
    bot.send_interaction(payloads.block_action(buttons["share_answer"], share_url, ephemeral=True))
    shared, deleted = bot.slack.wait_for("response_url", count=2, _url="/response/share-1")
    assert shared.params["response_type"] == "in_channel"
    assert "<@U0ASKER> hat gefragt" in shared.text and "Ja, wenn alle zugestimmt haben." in shared.text
    assert shared.buttons() == {}
    assert deleted.params["delete_original"] is True


def test_message_shortcut_checks_the_post_privately(bot):
    url = bot.slack.response_url("shortcut-1")
    bot.send_interaction(payloads.message_shortcut("Endlich Sommerfest! Hier unsere Fotos vom Sommerfest 📸", url))
    [private] = bot.slack.wait_for("response_url", _url="/response/shortcut-1")
    assert private.params["response_type"] == "ephemeral"
    assert "Geprüfter Beitrag: Endlich Sommerfest!" in private.text
    assert "#photos" in private.text
    assert not bot.slack.of("chat.postMessage")


def test_feedback_helpful_and_not_helpful_with_a_reason(bot):
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION)))
    [answer] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    buttons = answer.buttons()
    question_id = unpack_value(buttons["feedback_helpful"]["value"])["q"]

    bot.send_interaction(
        payloads.block_action(buttons["feedback_helpful"], bot.slack.response_url("fb-1"), user="U0FAN", channel="D0DM")
    )
    [thanks] = bot.slack.wait_for("response_url", _url="/response/fb-1")
    assert "Danke für dein Feedback" in thanks.text and thanks.params["response_type"] == "ephemeral"

    bot.send_interaction(
        payloads.block_action(buttons["feedback_not_helpful"], bot.slack.response_url("fb-2"), channel="D0DM")
    )
    [opened] = bot.slack.wait_for("views.open")
    modal = opened.params["view"]
    assert modal["callback_id"] == "feedback_reason" and modal["blocks"][0]["type"] == "input"
    ack = bot.send_interaction(payloads.view_submission(modal, "Der Abschnitt passt nicht <!channel>"))
    assert "Danke für dein Feedback" in json.dumps(ack, ensure_ascii=False)  # the modal turns into a thank-you
    rows = {f.user_id: f for f in bot.store.feedback_for(question_id)}
    assert rows["U0FAN"].helpful is True
    assert rows["U0ASKER"].helpful is False and rows["U0ASKER"].reason == "Der Abschnitt passt nicht <!channel>"
    assert rows["U0ASKER"].verdict == "conditional" and rows["U0ASKER"].question_text is None

    # what the maintainers then read with `guidelines-bot feedback` from the bot's database
    from click.testing import CliRunner

    from bot.cli import main

    url = str(bot.store.engine.url)
    report = CliRunner().invoke(main, ["feedback"], env={"DATABASE_URL": url})
    assert report.exit_code == 0, report.output
    faq_id = rows["U0ASKER"].faq_id
    assert faq_id and f"| {faq_id}" in report.output
    assert "2 rating(s) in the last 30 days: 1 helpful, 1 not helpful (50 % helpful)" in report.output
    assert f"  {faq_id}: Der Abschnitt passt nicht <!channel>" in report.output


def test_ask_the_team_posts_the_case_once_to_the_routed_contact(bot):
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION)))
    [answer] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    ask = answer.buttons()["ask_team"]
    bot.send_interaction(payloads.block_action(ask, bot.slack.response_url("team-1"), channel="D0DM"))
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    assert "<@U0ASKER> fragt in einer Direktnachricht an den Bot" in case.text
    assert "> Darf ich Fotos vom Sommerfest posten?" in case.text
    assert "Was der Bot gefunden hat" in case.text
    [told] = bot.slack.wait_for("response_url", _url="/response/team-1")
    assert "an Social-Media-Team (<#C0TEAM>) weitergegeben" in told.text
    bot.send_interaction(payloads.block_action(ask, bot.slack.response_url("team-2"), channel="D0DM"))
    [again] = bot.slack.wait_for("response_url", _url="/response/team-2")
    assert "schon beim Team" in again.text
    assert len(bot.slack.of("chat.postMessage", channel=TEAM_CHANNEL)) == 1


def test_a_question_about_nothing_of_posting_opens_no_case_until_the_asker_asks(bot):
    """Not sure it is about the guidelines at all: the asker is told so, the team gets no case;
    the button still hands it over, once."""
    bot.send_event(payloads.event_callback(payloads.message("Wann ist eigentlich das Sommerfest?")))
    [answer] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert "nicht sicher, ob das die Social-Media-Richtlinien betrifft" in answer.text
    assert "Das entscheidet das Team" not in answer.text and "ask_team" in answer.buttons()
    assert bot.slack.of("chat.postMessage", channel=TEAM_CHANNEL) == []
    bot.send_interaction(
        payloads.block_action(answer.buttons()["ask_team"], bot.slack.response_url("team-1"), channel="D0DM")
    )
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    assert "> Wann ist eigentlich das Sommerfest?" in case.text


def test_an_escalating_answer_is_handed_to_the_team_at_once(bot):
    bot.send_event(payloads.event_callback(payloads.mention(PRESS_QUESTION, channel="C0GENERAL")))
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    [reply] = bot.slack.wait_for("chat.postMessage", channel="C0GENERAL")
    assert "Das entscheidet das Team" in reply.text
    assert "weitergegeben" in reply.text and "ask_team" not in reply.buttons()
    assert "<@U0ASKER> fragt in <#C0GENERAL>" in case.text


def test_admin_reindex_by_a_maintainer_and_refusal_for_others(bot):
    build = bot.service.index.build_id
    refused_url = bot.slack.response_url("admin-1")
    bot.send_command(payloads.command("admin reindex", refused_url, user="U0ASKER"))
    [refusal] = bot.slack.wait_for("response_url", _url="/response/admin-1")
    assert f"<@{MAINTAINER}>" in refusal.text and "Maintainer" in refusal.text
    assert bot.service.index.build_id == build

    guide = Path(bot.knowledge_dir) / "guidelines" / "de" / "richtlinien.md"
    guide.write_text(
        guide.read_text(encoding="utf-8") + "\n## Podcasts {#podcasts}\n\nPodcasts über die Arbeit "
        "sind erlaubt, wenn die Kommunikation vorher zugestimmt hat.\n",
        encoding="utf-8",
    )
    url = bot.slack.response_url("admin-2")
    bot.send_command(payloads.command("admin reindex", url, user=MAINTAINER))
    started, done = bot.slack.wait_for("response_url", count=2, _url="/response/admin-2")
    assert "Baue den Index neu auf" in started.text or "Rebuilding" in started.text
    assert "rebuilt" in done.text and "passages:" in done.text
    assert bot.service.index.build_id != build
    bot.send_event(payloads.event_callback(payloads.message("Darf ich einen Podcast über meine Arbeit machen?")))
    [reply] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert "#podcasts" in reply.text


def test_retried_and_doubled_deliveries_get_one_answer(sequential_bot):
    bot = sequential_bot
    body = payloads.event_callback(payloads.message(PHOTO_QUESTION))
    bot.send_event(body)
    bot.send_event(body, retry=1)  # Slack retries the same event (X-Slack-Retry-Num / retry_attempt)
    bot.send_event(body, retry=2)
    mention = payloads.mention(PHOTO_QUESTION, channel="C0GENERAL")
    bot.send_event(payloads.event_callback(mention))
    # the same post again, as message.channels in the followed thread
    copy = payloads.message(
        mention["text"], channel="C0GENERAL", channel_type="channel", ts=mention["ts"], thread_ts=mention["ts"]
    )
    bot.store.follow_thread("C0GENERAL", mention["ts"], "U0ASKER")
    bot.send_event(payloads.event_callback(copy))
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION, channel="D0LAST")))
    bot.slack.wait_for("chat.postMessage", channel="D0LAST")
    assert len(bot.slack.of("chat.postMessage", channel="D0DM")) == 1
    assert len(bot.slack.of("chat.postMessage", channel="C0GENERAL")) == 1


def test_two_processes_behind_a_load_balancer_answer_once(bot_factory, tmp_path):
    """Two app instances share one store (the same database): each gets the same delivery (a
    retry routed to the other process), exactly one of them answers."""
    first = bot_factory("http", root=tmp_path / "a", workers=1)
    second = bot_factory("http", root=tmp_path / "b", workers=1, store_url=f"sqlite:///{tmp_path / 'a' / 'bot.db'}")
    body = payloads.event_callback(payloads.message(PHOTO_QUESTION))
    first.send_event(body)
    second.send_event(body, retry=1)
    for bot in (first, second):  # one answering thread each: the sentinel comes after the duplicate
        bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION, channel="D0LAST")))
        bot.slack.wait_for("chat.postMessage", channel="D0LAST")
    answers = first.slack.of("chat.postMessage", channel="D0DM") + second.slack.of("chat.postMessage", channel="D0DM")
    assert len(answers) == 1


def test_bot_messages_edits_and_joins_are_ignored(sequential_bot):
    bot = sequential_bot
    ignored = [
        payloads.message("Ja, wenn alle zugestimmt haben.", user=BOT_USER, bot_id=BOT_ID),  # our own answer
        payloads.message("Darf ich Fotos posten?", user="U0OTHERBOT", bot_id="B0OTHER"),  # another bot
        payloads.message("Darf ich Fotos posten?", subtype="bot_message", bot_id="B0OTHER"),
        payloads.message("Darf ich Fotos posten?", subtype="message_changed"),  # an edit
        payloads.message("", subtype="message_deleted"),
        payloads.message(
            "<@U0ASKER> has joined the channel", subtype="channel_join", channel="C0GENERAL", channel_type="channel"
        ),
        payloads.mention("Darf ich Fotos posten?", user=BOT_USER, bot_id=BOT_ID),
    ]
    for event in ignored:
        bot.send_event(payloads.event_callback(event))
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION, channel="D0LAST")))
    bot.slack.wait_for("chat.postMessage", channel="D0LAST")
    assert [c.params["channel"] for c in bot.slack.of("chat.postMessage")] == ["D0LAST"]


def test_broadcasts_mentions_and_disguised_links_are_escaped(bot):
    bot.send_event(payloads.event_callback(payloads.message(NASTY)))
    [answer] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    bot.send_interaction(
        payloads.block_action(answer.buttons()["ask_team"], bot.slack.response_url("t"), channel="D0DM")
    )
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    bot.send_interaction(payloads.message_shortcut(NASTY, bot.slack.response_url("s")))
    [checked] = bot.slack.wait_for("response_url", _url="/response/s")
    for call in (case, checked):
        assert "&lt;!channel&gt; &lt;@U0BOSS&gt;" in call.text
        assert "&lt;https://evil.example/login|Bank&gt; &amp; &lt;!here&gt;" in call.text
    for call in bot.slack.calls:
        shown = json.dumps({k: v for k, v in call.params.items()}, ensure_ascii=False)
        for raw in ("<!channel>", "<!here>", "<@U0BOSS>", "<https://evil.example/login|Bank>"):
            assert raw not in call.text, (call.method, raw)
        assert "<!channel>" not in shown.replace(
            json.dumps(answer.buttons()["ask_team"]["value"]), ""
        ) or call.method in ("response_url",)


def test_a_failure_inside_the_core_is_told_to_the_asker(bot_factory, tmp_path, caplog):
    """The index on disk is broken (its manifest claims a 64-dimensional model, the vectors are
    32-dimensional): it loads, and every question fails inside the core."""
    from bot.index.build import reindex
    from bot.index.embedding import make_embedder
    from bot.service import AnswerService
    from tests.conftest import small_kb_files, write_kb

    knowledge = write_kb(tmp_path / "knowledge", small_kb_files())
    reindex(knowledge, tmp_path / "index", make_embedder("hashing-32"))
    manifest_path = (tmp_path / "index").resolve() / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["model"]["fingerprint"] = make_embedder("hashing-64").fingerprint
    manifest_path.write_text(json.dumps(manifest))
    service = AnswerService(knowledge, tmp_path / "index", make_embedder("hashing-64"))

    bot = bot_factory("http", service=service)
    secret = "Darf ich das vertrauliche Projekt Nordlicht posten?"
    with caplog.at_level(logging.INFO):
        event = payloads.message(secret)
        bot.send_event(payloads.event_callback(event))
        [told] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert told.params["thread_ts"] == event["ts"]
    assert "ein Fehler passiert (Fall " in told.text
    assert set(told.buttons()) == {"ask_team"}
    failures = [r for r in caplog.records if r.getMessage().startswith("answering failed")]
    assert failures and "case=" in failures[0].getMessage()
    assert all("Nordlicht" not in r.getMessage() for r in caplog.records)
    # the offered way to the team works although the core does not
    bot.send_interaction(payloads.block_action(told.buttons()["ask_team"], bot.slack.response_url("f"), channel="D0DM"))
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    assert "Nordlicht" in case.text and "konnte die Frage nicht beantworten" in case.text


def test_requests_not_signed_by_slack_are_refused(http_bot):
    body = payloads.event_callback(payloads.message(PHOTO_QUESTION))
    status, _ = http_bot.poster.event(body, sign_with="not-the-secret")
    assert status == 401
    status, _ = http_bot.poster.event(body, timestamp=1_600_000_000)  # a replayed, stale request
    assert status == 401
    status, _ = http_bot.poster.command(payloads.command(PHOTO_QUESTION, "http://x"), sign_with="wrong")
    assert status == 401
    assert http_bot.slack.calls == [] or all(c.method == "auth.test" for c in http_bot.slack.calls)


def test_app_home_and_suggested_prompts(bot):
    bot.send_event(payloads.event_callback(payloads.home_opened("home")))
    [published] = bot.slack.wait_for("views.publish")
    view = json.dumps(published.params["view"], ensure_ascii=False)
    assert published.params["user_id"] == "U0ASKER"
    assert "/mayipost" in view and "Check this post" in view
    assert "Fotos und Videos" in view and "Photos and videos" in view
    assert "<#C0TEAM>" in view
    bot.send_event(payloads.event_callback(payloads.home_opened("messages")))
    [prompts] = bot.slack.wait_for("assistant.threads.setSuggestedPrompts")
    assert prompts.params["channel_id"] == "D0DM" and len(prompts.params["prompts"]) == 4
    assert "thread_ts" not in prompts.params


@pytest.mark.parametrize(
    ("locale", "shown", "hidden", "prompt"),
    [
        (
            "de-DE",
            ["So fragst du", "Fotos und Videos", "Richtlinien"],
            ["How to ask", "Photos and videos"],
            "Frag mich zum Beispiel",
        ),
        (
            "en-GB",
            ["How to ask", "Photos and videos", "Guidelines"],
            ["So fragst du", "Fotos und Videos"],
            "Ask me for example",
        ),
    ],
)
def test_home_and_prompts_speak_the_person_s_slack_language(bot, locale, shown, hidden, prompt):
    bot.slack.locales["U0ASKER"] = locale
    bot.send_event(payloads.event_callback(payloads.home_opened("home")))
    [published] = bot.slack.wait_for("views.publish")
    view = json.dumps(published.params["view"], ensure_ascii=False)
    assert all(s in view for s in shown) and not any(h in view for h in hidden)
    assert "<#C0TEAM>" in view
    bot.send_event(payloads.event_callback(payloads.home_opened("messages")))
    [prompts] = bot.slack.wait_for("assistant.threads.setSuggestedPrompts")
    assert prompts.params["title"] == prompt and len(prompts.params["prompts"]) == 4
    [asked] = bot.slack.of("users.info")  # once: the second tab came from the cache
    assert asked.params["user"] == "U0ASKER" and str(asked.params["include_locale"]).lower() in ("1", "true")


def test_no_payload_breaks_slack_limits(bot):
    huge = "Darf ich Fotos vom Sommerfest posten? " + "Wir waren alle da und es war toll. " * 300
    bot.send_event(payloads.event_callback(payloads.message(huge)))
    [answer] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert all(len(b["value"]) <= 2000 for b in answer.buttons().values())
    if "ask_team" in answer.buttons():  # else the core escalated and the case is posted already
        bot.send_interaction(
            payloads.block_action(answer.buttons()["ask_team"], bot.slack.response_url("t"), channel="D0DM")
        )
    [case] = bot.slack.wait_for("chat.postMessage", channel=TEAM_CHANNEL)
    assert "Wir waren alle da" in case.text
    assert bot.slack.rejected() == []


def test_make_service_is_reusable(tmp_path):
    service = make_service(tmp_path)
    assert service.answer(PHOTO_QUESTION).faq_id == "event-photos"


def test_feedback_keeps_the_question_text_only_when_configured(bot_factory):
    bot = bot_factory("http", store_question_text=True)
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION)))
    [answer] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    helpful = answer.buttons()["feedback_helpful"]
    bot.send_interaction(payloads.block_action(helpful, bot.slack.response_url("fb"), channel="D0DM"))
    bot.slack.wait_for("response_url", _url="/response/fb")
    [row] = bot.store.feedback_for(unpack_value(helpful["value"])["q"])
    assert row.question_text == PHOTO_QUESTION and row.helpful is True


CHECKS = """\
rules:
  - id: confidential-marker
    severity: block
    anchors: [photos]
    description:
      de: Der Entwurf ist als vertraulich gekennzeichnet.
      en: The draft is marked as confidential.
    message:
      de: Was vertraulich ist, gehört nicht auf Social Media.
      en: Confidential material does not belong on social media.
    words:
      - vertraulich~
"""


def test_check_this_post_shows_what_the_draft_checks_found(bot_factory, tmp_path):
    from tests.conftest import small_kb_files

    service = make_service(tmp_path, {**small_kb_files(), "checks.yaml": CHECKS})
    bot = bot_factory("http", service=service)
    draft = "Vertrauliche Fotos vom Sommerfest <!channel>: hier sind sie!"
    bot.send_interaction(payloads.message_shortcut(draft, bot.slack.response_url("check")))
    [private] = bot.slack.wait_for("response_url", _url="/response/check")
    assert ":no_entry: *Nicht erlaubt*" in private.text
    assert (
        "*Im Entwurf gefunden*\n:no_entry: „Vertrauliche“: Der Entwurf ist als vertraulich gekennzeichnet."
        in private.text
    )
    assert "_Was vertraulich ist, gehört nicht auf Social Media._" in private.text
    assert "&lt;!channel&gt;" in private.text and "<!channel>" not in private.text


def test_a_photo_shared_in_a_dm_gets_the_consent_and_copyright_reminders(tmp_path, bot_factory):
    from tests.conftest import small_kb_files

    files = small_kb_files()
    files["guidelines/en/guidelines.md"] += "\n## Copyright {#copyright}\n\nPost only what you hold the rights to.\n"
    files["checks.yaml"] = """\
rules:
  - id: media-consent
    severity: warn
    anchors: [photos]
    attachments: [image, video]
    description: {de: "Foto im Entwurf: Haben alle zugestimmt?", en: "Photo in the draft: has everyone agreed?"}
  - id: media-copyright
    severity: warn
    anchors: [copyright]
    attachments: [image, video]
    description: {de: "Foto im Entwurf: Hast du die Rechte?", en: "Photo in the draft: do you hold the rights?"}
  - id: code-names
    severity: block
    anchors: [photos]
    words: [polarstern]
    description: {de: "Codename im Entwurf", en: "Code name in the draft"}
"""
    bot = bot_factory("http", workers=2, service=make_service(tmp_path / "kb", files))
    image = {"id": "F0PIC", "name": "team.jpg", "mimetype": "image/jpeg", "filetype": "jpg"}
    bot.send_event(
        payloads.event_callback(
            payloads.message("Unser Team beim Polarstern-Test heute am Hafen", subtype="file_share", files=[image])
        )
    )
    [reply] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert (
        "Photo in the draft: has everyone agreed?" in reply.text
        or "Foto im Entwurf: Haben alle zugestimmt?" in reply.text
    )
    assert "Hast du die Rechte?" in reply.text or "do you hold the rights?" in reply.text
    assert "*Polarstern*" in reply.text  # the flagged word is highlighted in the checked draft
    assert ":no_entry:" in reply.text or "Nicht erlaubt" in reply.text or "Not allowed" in reply.text


def test_a_rate_limited_answer_is_sent_after_slacks_retry_after(bot_factory):
    """Slack answers 429 "ratelimited" when a channel gets more than about a message a second:
    the answer waits the Retry-After and is delivered, not lost."""
    bot = bot_factory("http", workers=1)
    bot.slack.rate_limited["chat.postMessage"] = 1
    bot.send_event(payloads.event_callback(payloads.message(PHOTO_QUESTION)))
    [reply] = bot.slack.wait_for("chat.postMessage", channel="D0DM")
    assert "Ja, wenn alle zugestimmt haben." in reply.text
    assert [c.rejected for c in bot.slack.calls if c.method == "chat.postMessage"][0] == "rate_limited"
