"""app_home_opened: the Home tab (what the bot does, how to ask, the guidelines, the team), and
suggested prompts on the Messages tab."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.slack import blocks
from bot.slack.answering import Answering
from bot.slack.escape import escape
from bot.slack.texts import SUGGESTED_PROMPTS, text

log = logging.getLogger(__name__)


def register(app: App, answering: Answering) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict, client) -> None:
        try:
            if event.get("tab") == "messages":
                client.assistant_threads_setSuggestedPrompts(
                    channel_id=event["channel"], title=f"{text('prompts_title', 'de')} · {text('prompts_title', 'en')}",
                    prompts=SUGGESTED_PROMPTS)
                return
            client.views_publish(user_id=event["user"], view=home(answering))
        except SlackApiError as exc:
            log.warning("app home not updated (%s): %s", event.get("tab"), exc.response.get("error"))


def home(answering: Answering) -> dict:
    knowledge = answering.service.knowledge
    team = knowledge.routing.default
    names = " · ".join(dict.fromkeys(escape(team.display_name(lang)) for lang in ("de", "en")))
    mention = blocks.contact_mention(team.slack_id)
    return blocks.home_view(knowledge, answering.settings.docs_url, f"{names} {mention}".strip(), team.email)
