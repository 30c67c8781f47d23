"""`clausewatch serve` on a state `clausewatch tick` moved ahead (QA: the banner said "on the real
clock" while serve ran, frozen, at the simulated 2027-04-01): it says which clock, and
`--real-clock` goes back to the real one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta

import pytest

from clausewatch import clock
from clausewatch.cli import main
from clausewatch.local import state
from tests.paths import REPO_ROOT

TICKED_DAY = datetime.now(UTC).date() + timedelta(days=40)
TICKED_TO = datetime.combine(TICKED_DAY, time(23, 59, 59), tzinfo=UTC)  # the end of that day, as tick saves it


@pytest.fixture
def ticked_state(tmp_path):
    """A state folder whose clock `tick` saved at the end of a day 40 days from now."""
    folder = tmp_path / "state"
    try:
        assert main(["tick", "--until", str(TICKED_DAY), "--time-zone", "UTC", "--state", str(folder)]) == 0
    finally:
        clock.set_now(None)
    assert state.saved_clock(folder) == TICKED_TO
    return folder


def test_serve_says_it_runs_on_the_clock_tick_saved_and_how_to_go_back(ticked_state):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "clausewatch.cli", "serve", "--port", "0", "--state", str(ticked_state),
         "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=REPO_ROOT)
    banner: list[str] = []
    try:
        for line in process.stdout:
            banner.append(line)
            if line.startswith("Ctrl-C to stop."):
                break
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    printed = "".join(banner)
    real_date = datetime.now(UTC).date()
    assert "on the real clock" not in printed
    assert (f"on the clock `clausewatch tick` saved with it: now {TICKED_DAY} 23:59Z, "
            f"{(TICKED_DAY - real_date).days} day(s) ahead of the real date {real_date}") in printed
    assert "it stands still while serve runs" in printed
    assert "`clausewatch serve --real-clock` goes back to the real clock" in printed


def test_real_clock_serves_on_the_real_clock_and_saves_it(ticked_state):
    from clausewatch.local.service import LocalService, which_clock

    lines: list[str] = []
    with LocalService(ticked_state, port=0, say=lines.append, verbose=False, real_clock=True):
        assert clock.simulated() is None
        said = which_clock(TICKED_TO, real_clock=True)
        assert said.startswith(f"on the real clock (now {clock.now():%Y-%m-%d}")
        assert f"not the later one `clausewatch tick` saved ({TICKED_DAY} 23:59Z" in said
    saved = state.saved_clock(ticked_state)
    assert saved is not None and saved < TICKED_TO  # the next start is on the real clock too
    with LocalService(ticked_state, port=0, say=lines.append, verbose=False):
        assert clock.simulated() is None
    clock.set_now(None)
