"""Work that Slack must not wait for: a modal submission is acknowledged within 3 seconds or
Slack shows the person an error, whatever the database does."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
ACK_WITHIN = 2.0  # seconds a listener waits for the store before it acknowledges anyway (Slack allows 3)


class Pending(Generic[T]):
    """``work`` running on its own thread. The listener ``wait``s at most ``ACK_WITHIN``; if the
    work finishes later, ``late`` gets its result on that thread, so what follows it (a delivery)
    still happens, once. Unlike the answer path's bounded pool (``bounded.py``), which may drop a
    call that never started, every ``Pending`` has a thread of its own: a person's submitted change
    must be stored even while the store is stuck."""

    def __init__(self, work: Callable[[], T], late: Callable[[T], None]) -> None:
        self._work, self._late_call = work, late
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._late = False
        self.result: T | None = None
        threading.Thread(target=self._run, name="pending-store", daemon=True).start()

    def wait(self, seconds: float = ACK_WITHIN) -> bool:
        """True if the work finished in time (``result`` holds it); else it finishes late."""
        self._done.wait(seconds)
        with self._lock:
            self._late = not self._done.is_set()
            return not self._late

    def _run(self) -> None:
        result = self._work()
        with self._lock:
            self.result = result
            self._done.set()
            late = self._late
        if late:
            try:
                self._late_call(result)
            except Exception:  # logged with the failure's class; the outbox and scheduler retry cases
                log.exception("work finished after the acknowledgement failed afterwards")
