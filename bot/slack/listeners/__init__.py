"""One module per Slack surface; ``register_listeners`` wires them all to the app.

Listeners are plain named functions (as in Slack's starter template). What they need beyond
bolt's own arguments reaches them through the request context, which bolt passes to any
listener argument of the same name: ``answering`` (the core and the case desk) and ``people``
(the Slack language of each person, cached)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltContext

from bot.slack.answering import Answering
from bot.slack.listeners import cases, commands, feedback, home, mentions, messages, shortcuts, team
from bot.slack.listeners.questions import ClaimBeforeAck
from bot.slack.people import PeopleLanguages

SURFACES = (messages, mentions, commands, shortcuts, home, feedback, team, cases)


class ProvideDependencies:
    """Global middleware: puts ``answering`` and ``people`` into every request's context."""

    def __init__(self, answering: Answering, people: PeopleLanguages) -> None:
        self.answering = answering
        self.people = people

    def __call__(self, context: BoltContext, next: Callable[[], None]) -> None:  # "next": bolt's name
        context["answering"] = self.answering
        context["people"] = self.people
        next()


def register_listeners(app: App, answering: Answering) -> None:
    app.use(ProvideDependencies(answering, PeopleLanguages()))
    app.use(ClaimBeforeAck(answering))  # a new question is stored before Slack hears "received"
    for module in SURFACES:
        module.register(app)
