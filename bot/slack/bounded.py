"""Store calls on the answer path that the asker must not wait for: each runs on a small pool
and is waited for at most ``seconds``. A call that takes longer (a black-holed database holds a
connection until TCP gives up, minutes) raises ``TooSlow`` to the caller and goes on in the
background; its result, if it ever comes, goes to ``late``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
STORE_WAIT = 3.0  # seconds; claim and case together stay well inside the 10 s an asker may wait
STUCK_WAIT = 0.5  # seconds, while an earlier call is still running past its wait: the store is stuck


class TooSlow(Exception):
    """The store did not answer in time; the call goes on in the background."""


class Bounded:
    """The pool. While a call that overran its wait is still running (the store is stuck), the
    next calls wait only ``STUCK_WAIT``, so one question does not pay the full wait at every step."""

    def __init__(self, name: str, workers: int, seconds: float = STORE_WAIT) -> None:
        self.seconds = seconds
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._stuck = 0  # calls still running past their wait

    def call(
        self, late: Callable[[T], None] | None, fn: Callable[..., T], *args, wait: float | None = None, **kwargs
    ) -> T:
        """``fn(*args, **kwargs)``, or TooSlow after ``wait`` (default ``seconds``); then ``late``
        gets its result if it comes (not called when the call never started or failed)."""
        with self._lock:
            wait = min(STUCK_WAIT if self._stuck else self.seconds, wait or self.seconds)
        future: Future[T] = self._pool.submit(fn, *args, **kwargs)
        try:
            return future.result(timeout=wait)
        except FutureTimeout:
            if not future.cancel():
                with self._lock:
                    self._stuck += 1
                future.add_done_callback(lambda done: self._finished(done, late))
            raise TooSlow(f"no answer from the store within {wait:g} s") from None

    def _finished(self, done: Future, late: Callable | None) -> None:
        with self._lock:
            self._stuck -= 1
        if late is None or done.exception() is not None:
            return
        try:
            late(done.result())
        except Exception:
            log.exception("a store call that finished late could not be followed up")
