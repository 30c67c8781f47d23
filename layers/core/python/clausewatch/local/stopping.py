"""Stopping a long-running command (`clausewatch watch`) cleanly on Ctrl-C (SIGINT) and on `kill`
or a systemd stop (SIGTERM), the same way for both.

Either signal raises ``KeyboardInterrupt`` where the command is, so the work in hand is abandoned
(nothing of it saved: it is done again at the next start) and every ``with`` block unwinds (the
state folder's writer lock is released, the embedded AWS stopped). Inside ``uninterrupted()`` (saving
the state and remembering what was taken, which must not be cut in half) the signal waits until the
block ends.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopper:
    """The stop signals' handler while ``installed()``; ``uninterrupted()`` defers them."""

    def __init__(self) -> None:
        self._deferring = 0
        self.pending: int | None = None  # a signal received while deferring

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self._deferring:
            self.pending = signum
            return
        raise KeyboardInterrupt(signal.Signals(signum).name)

    @contextmanager
    def installed(self) -> Iterator[Stopper]:
        """Handle SIGINT and SIGTERM until the block ends, then put the previous handlers back
        (only the main thread may set handlers: elsewhere, nothing is changed)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        before = {signum: signal.signal(signum, self._handle) for signum in STOP_SIGNALS}
        try:
            yield self
        finally:
            for signum, handler in before.items():
                signal.signal(signum, handler)

    @contextmanager
    def uninterrupted(self) -> Iterator[None]:
        """Run the block whole: a stop signal received meanwhile takes effect when it ends."""
        self._deferring += 1
        try:
            yield
        finally:
            self._deferring -= 1
        if not self._deferring and self.pending is not None:
            signum, self.pending = self.pending, None
            raise KeyboardInterrupt(signal.Signals(signum).name)
