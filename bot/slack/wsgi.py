"""gunicorn app factory: ``gunicorn 'bot.slack.wsgi:create_app()'`` serves /slack/events."""

from __future__ import annotations


def create_app():
    from bot.slack.runtime import configure_logging, prepare, start_cases, wsgi_app

    configure_logging()
    runtime = start_cases(prepare("http"))
    runtime.service.warm_up()
    return wsgi_app(runtime)
