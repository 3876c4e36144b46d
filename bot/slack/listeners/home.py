"""app_home_opened: the Home tab (what the bot does, how to ask, the guidelines, the team), and
suggested prompts on the Messages tab, in the language the person chose in Slack."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.slack import blocks
from bot.slack.answering import Answering
from bot.slack.escape import escape
from bot.slack.people import PeopleLanguages
from bot.slack.texts import PROMPTS_BY_LANGUAGE, SUGGESTED_PROMPTS, text

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)


def on_home_opened(event: dict, client, answering: Answering, people: PeopleLanguages) -> None:
    language = people.of(client, event.get("user"))
    try:
        if event.get("tab") == "messages":
            title = (
                text("prompts_title", language)
                if language
                else f"{text('prompts_title', 'de')} · {text('prompts_title', 'en')}"
            )
            client.assistant_threads_setSuggestedPrompts(
                channel_id=event["channel"],
                title=title,
                prompts=PROMPTS_BY_LANGUAGE[language] if language else SUGGESTED_PROMPTS,
            )
            return
        client.views_publish(user_id=event["user"], view=home(answering, language))
    except SlackApiError as exc:
        log.warning("app home not updated (%s): %s", event.get("tab"), exc.response.get("error"))


def home(answering: Answering, language: str | None = None) -> dict:
    """The Home tab in ``language``, or in both languages when it is None."""
    knowledge = answering.service.knowledge
    team = knowledge.routing.default
    languages = (language,) if language else ("de", "en")
    names = " · ".join(dict.fromkeys(escape(team.display_name(lang)) for lang in languages))
    mention = blocks.contact_mention(team.slack_id)
    return blocks.home_view(knowledge, answering.settings.docs_url, f"{names} {mention}".strip(), team.email, language)
