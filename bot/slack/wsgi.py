"""gunicorn app factory: ``gunicorn 'bot.slack.wsgi:create_app()'`` serves /slack/events."""

from __future__ import annotations


def create_app():
    from bot.slack.runtime import configure_logging, worker_app

    configure_logging()
    return worker_app({})
