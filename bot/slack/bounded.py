"""Store calls on the answer path that the asker must not wait for: each runs on a small pool
and is waited for at most ``seconds``. A call that takes longer (a black-holed database holds a
connection until TCP gives up, minutes) raises ``TooSlow`` to the caller and goes on in the
background; its result, if it ever comes, goes to ``late``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
STORE_WAIT = 3.0  # seconds; claim and case together stay well inside the 10 s an asker may wait


class TooSlow(Exception):
    """The store did not answer in time; the call goes on in the background."""


class Bounded:
    def __init__(self, name: str, workers: int, seconds: float = STORE_WAIT) -> None:
        self.seconds = seconds
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)

    def call(self, late: Callable[[T], None] | None, fn: Callable[..., T], *args, **kwargs) -> T:
        """``fn(*args, **kwargs)``, or TooSlow after ``seconds``; then ``late`` gets its result if
        it comes (not called when the call never started or failed)."""
        future: Future[T] = self._pool.submit(fn, *args, **kwargs)
        try:
            return future.result(timeout=self.seconds)
        except FutureTimeout:
            if not future.cancel() and late is not None:
                future.add_done_callback(lambda done: _late(done, late))
            raise TooSlow(f"no answer from the store within {self.seconds:g} s") from None


def _late(done: Future, late: Callable) -> None:
    if done.cancelled() or done.exception() is not None:
        return
    try:
        late(done.result())
    except Exception:
        log.exception("a store call that finished late could not be followed up")
