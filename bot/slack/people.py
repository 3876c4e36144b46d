"""The language each person chose in Slack (users.info with their locale), asked at most once a
day per person, so the Home tab and the suggested prompts speak it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
DAY = 24 * 3600.0


def language_of_locale(locale: str | None) -> str | None:
    """ "de-DE", "de-AT" -> de; any other Slack locale -> en (our other language); none -> None."""
    if not locale:
        return None
    return "de" if locale.lower().startswith("de") else "en"


class PeopleLanguages:
    """Caches each person's language; None (unknown: show both languages) when Slack does not
    say, e.g. without the users:read scope."""

    def __init__(self, ttl_seconds: float = DAY, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self._known: dict[str, tuple[str | None, float]] = {}
        self._lock = threading.Lock()

    def of(self, client, user: str | None) -> str | None:
        if not user:
            return None
        now = self.clock()
        with self._lock:
            cached = self._known.get(user)
        if cached is not None and now - cached[1] < self.ttl:
            return cached[0]
        try:
            response = client.users_info(user=user, include_locale=True)
            language = language_of_locale((response.get("user") or {}).get("locale"))
        except SlackApiError as exc:
            log.info("no language for %s (%s): the Home tab shows both", user, exc.response.get("error"))
            language = None
        with self._lock:
            self._known[user] = (language, now)
        return language
