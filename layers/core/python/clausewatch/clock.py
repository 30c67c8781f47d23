"""The current time. Deployed it is the real UTC clock; the embedded default's forward simulation
(`clausewatch tick`) moves it, so planning and alerts see the simulated "now", and `clausewatch
demo` runs at a stated simulated today."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_override: datetime | None = None


def now() -> datetime:
    """Aware UTC now (or the simulated now)."""
    return _override if _override is not None else datetime.now(UTC)


def simulated() -> datetime | None:
    """The simulated time in force, or None on the real clock."""
    return _override


def set_now(value: datetime | None) -> None:
    """Simulate time (None returns to the real clock). The value must be time-zone aware."""
    global _override
    if value is not None and value.tzinfo is None:
        raise ValueError("simulated time must be time-zone aware")
    _override = value


@contextmanager
def simulating(value: datetime) -> Iterator[None]:
    """Run at a simulated time (which the code inside may move on), then put back the clock that
    was in force before."""
    previous = _override
    set_now(value)
    try:
        yield
    finally:
        set_now(previous)


def iso(value: datetime | None = None) -> str:
    return (value or now()).astimezone(UTC).isoformat(timespec="milliseconds")
