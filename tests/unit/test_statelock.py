"""One writer per state folder (QA: `clausewatch done` while `serve` ran was silently overwritten by
serve's next save): the lock a writer holds, refused while another live process holds it, taken
over when its process is gone."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys

import pytest

from clausewatch.cli import main
from clausewatch.local import state, statelock


@pytest.fixture
def other_process():
    """A live process that is not this one (a `clausewatch serve` in another shell)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process.pid
    process.kill()
    process.wait()


def dead_pid() -> int:
    """The pid of a process that has ended (a serve killed without removing its lock)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def write_lock(state_dir, pid: int, command: str = "serve", url: str | None = "http://127.0.0.1:8766") -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / statelock.LOCK_FILE).write_text(json.dumps({"pid": pid, "command": command, "url": url}))


def test_a_writer_holds_the_folder_while_it_runs_and_leaves_no_lock(tmp_path):
    with statelock.hold(tmp_path, "done"):
        record = json.loads((tmp_path / statelock.LOCK_FILE).read_text())
        assert (record["pid"], record["command"]) == (os.getpid(), "done")
        with statelock.hold(tmp_path, "serve"):  # re-entrant within a process
            pass
        assert (tmp_path / statelock.LOCK_FILE).exists()
        statelock.announce(tmp_path, "http://127.0.0.1:8123")
        assert json.loads((tmp_path / statelock.LOCK_FILE).read_text())["url"] == "http://127.0.0.1:8123"
    assert not (tmp_path / statelock.LOCK_FILE).exists()


def test_a_second_writer_is_refused_with_who_holds_the_folder(tmp_path, other_process):
    write_lock(tmp_path, other_process)
    with pytest.raises(statelock.StateInUse) as refused, statelock.hold(tmp_path, "done"):
        pass
    message = str(refused.value)
    assert f"`clausewatch serve` (pid {other_process}, port 8766)" in message
    assert "use the API or the web page at http://127.0.0.1:8766, or stop serve first" in message
    # the lock is the other process's still
    assert json.loads((tmp_path / statelock.LOCK_FILE).read_text())["pid"] == other_process
    write_lock(tmp_path, other_process, command="watch", url=None)
    with pytest.raises(statelock.StateInUse, match=rf"`clausewatch watch` \(pid {other_process}\) is using"):
        statelock.check_writable(tmp_path)


def test_a_save_is_refused_while_another_process_holds_the_folder(tmp_path, other_process):
    """The last line of defence: a command that forgot to take the lock cannot overwrite serve's state."""
    write_lock(tmp_path, other_process)
    with pytest.raises(statelock.StateInUse):
        state.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [statelock.LOCK_FILE]


def test_a_stale_lock_of_a_process_gone_is_taken_over(tmp_path):
    write_lock(tmp_path, dead_pid())
    assert statelock.holder(tmp_path) is None
    with statelock.hold(tmp_path, "tick"):
        assert json.loads((tmp_path / statelock.LOCK_FILE).read_text())["pid"] == os.getpid()
    assert not (tmp_path / statelock.LOCK_FILE).exists()
    (tmp_path / statelock.LOCK_FILE).write_text("not json")  # a lock half written by a crash
    assert statelock.holder(tmp_path) is None
    with statelock.hold(tmp_path, "tick"):
        pass


def test_a_cli_command_that_writes_is_refused_in_one_line_with_exit_2(tmp_path, other_process):
    write_lock(tmp_path, other_process)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["done", "abc", "notice_deadline", "--state", str(tmp_path)])
    assert code == 2 and out.getvalue() == ""
    assert err.getvalue().count("\n") == 1 and f"(pid {other_process}, port 8766)" in err.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == [statelock.LOCK_FILE]  # nothing loaded or saved


def test_token_create_links_to_the_serve_running_on_the_state(tmp_path, other_process):
    """QA: the sign-in link said port 8000 while serve ran on another port."""
    def sign_in_link() -> str:
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            assert main(["token", "create", "--team", "legal", "--user", "a@example.com", "--state",
                         str(tmp_path)]) == 0
        return next(line for line in err.getvalue().splitlines() if line.startswith("sign in"))

    assert "http://127.0.0.1:8000/login?token=" in sign_in_link()  # no serve: the default address
    write_lock(tmp_path, other_process, url="http://127.0.0.1:8766")
    assert "http://127.0.0.1:8766/login?token=" in sign_in_link()
