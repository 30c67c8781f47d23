"""One writer per state folder: a command that changes the state holds ``writer.lock`` in it while
it runs.

Every command loads the whole state into its own embedded AWS and saves the whole of it back, so
two writers on one folder lose each other's changes: `clausewatch done` while `clausewatch serve`
runs would be overwritten by serve's next save without a trace. A writer therefore takes the lock
(created exclusively, holding its pid, its command and, for serve, its address) and removes it when
it ends; a second writer is refused with one line saying who holds the folder. A lock left by a
process that is gone (killed, a crash) is stale and taken over. Read-only commands (`status`,
`obligations`, ...) take no lock: they read the last saved state.

Within one process the lock is re-entrant (`serve` holds it and loads the state through the same
code path as every command).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOCK_FILE = "writer.lock"

_held: dict[Path, int] = {}  # state folders this process holds, with how many nested holds


@dataclass(frozen=True)
class Holder:
    """Who holds a state folder: a live process other than this one."""

    pid: int
    command: str
    url: str | None = None

    def refusal(self, state_dir: Path) -> str:
        """The one line a refused writer prints."""
        if self.command == "serve":
            port = self.url.rsplit(":", 1)[-1] if self.url else "?"
            return (f"`clausewatch serve` (pid {self.pid}, port {port}) is using the state in {state_dir}/: "
                    f"use the API or the web page at {self.url or 'its address'}, or stop serve first")
        return (f"`clausewatch {self.command}` (pid {self.pid}) is using the state in {state_dir}/: "
                f"wait until it ends, or stop it first")


class StateInUse(Exception):
    """Another live process writes this state folder."""

    def __init__(self, state_dir: Path, holder: Holder):
        super().__init__(holder.refusal(state_dir))
        self.holder = holder


def _key(state_dir: Path) -> Path:
    return state_dir.resolve()


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def holder(state_dir: Path) -> Holder | None:
    """The live process other than this one holding ``state_dir``, if any (a stale lock: None)."""
    data = _read(state_dir / LOCK_FILE)
    if data is None:
        return None
    try:
        pid = int(data["pid"])
    except (KeyError, TypeError, ValueError):
        return None
    if pid == os.getpid() or not _alive(pid):
        return None
    return Holder(pid, str(data.get("command") or "?"), data.get("url"))


def _write(path: Path, record: dict, *, exclusive: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "w") as out:
        out.write(json.dumps(record))


@contextmanager
def hold(state_dir: Path, command: str) -> Iterator[None]:
    """Hold ``state_dir`` for writing while the block runs; raises StateInUse when another live
    process holds it. A stale lock (its process gone) is taken over."""
    key = _key(state_dir)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / LOCK_FILE
    record = {"pid": os.getpid(), "command": command}
    for _ in range(3):  # a stale lock removed, then created; another taker may win the race
        try:
            _write(path, record, exclusive=True)
            break
        except FileExistsError:
            other = holder(state_dir)
            if other is not None:
                raise StateInUse(state_dir, other) from None
            path.unlink(missing_ok=True)  # stale: its process is gone
    else:
        other = holder(state_dir)
        raise StateInUse(state_dir, other or Holder(-1, "?"))
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        data = _read(path)
        if data is not None and data.get("pid") == os.getpid():
            path.unlink(missing_ok=True)


def announce(state_dir: Path, url: str) -> None:
    """Add the address the holder serves at to its lock (serve knows it once it listens)."""
    path = state_dir / LOCK_FILE
    data = _read(path)
    if data is not None and data.get("pid") == os.getpid():
        _write(path, {**data, "url": url}, exclusive=False)


def check_writable(state_dir: Path) -> None:
    """Raise StateInUse when another live process holds ``state_dir`` (a save's last check)."""
    other = holder(state_dir)
    if other is not None:
        raise StateInUse(state_dir, other)
