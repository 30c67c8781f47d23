"""Issue #13 section 5, as a new user meets it: the drop folder, bad metadata, duplicates of bad
files, refused values shown, dates never guessed, a closed pipe, missed deadlines, unknown ids.
Each test runs the real commands on a state folder, as a user's shell would."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clausewatch import clock
from clausewatch.cli import main
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.text.validate import sha256_hex
from tests.paths import SAMPLES
from tests.pdfs import make_pdf


@pytest.fixture(autouse=True)
def _real_clock_after():
    yield
    clock.set_now(None)


def _settled(folder):
    """Every file in the folder "finished copying" a while ago."""
    past = time.time() - 10
    for path in folder.iterdir():
        os.utime(path, (past, past))


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def _table(state) -> list[dict]:
    return [json.loads(line) for line in (state / "table.jsonl").read_text().splitlines()]


def _audit_actions(state) -> list[str]:
    """The saved audit trail: the audit table's own file (issue #13), never the single table's."""
    events = [json.loads(line) for line in (state / "audit.jsonl").read_text().splitlines()]
    assert not [item for item in _table(state) if item.get("item_type", {}).get("S") == "audit"]
    return [item["action"]["S"] for item in events if "action" in item]


def _contracts(state) -> dict[str, dict]:
    return {item["file_name"]["S"]: item for item in _table(state)
            if item.get("item_type", {}).get("S") == "contract"}


def test_bad_metadata_entries_affect_only_their_file_and_are_shown(tmp_path):
    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    for name in ("good.pdf", "umlaut.pdf", "crlf.pdf", "number.pdf", "two-owners.pdf"):
        shutil.copy(SAMPLES / "mutual-nda.pdf", folder / name) if name == "good.pdf" else \
            (folder / name).write_bytes(make_pdf(f"AGREEMENT {name}\nThis is the agreement called {name}."))
    (folder / "metadata.json").write_text(json.dumps({
        "good.pdf": {"owner": "priya@example.com", "time-zone": "Europe/London"},
        "umlaut.pdf": {"owner": "müller@example.de", "counterparty": "Müller GmbH"},
        "crlf.pdf": {"owner": "ok@example.com", "team": "legal\r\nBcc: x@evil.test"},
        "number.pdf": {"owner": 42, "team": "ops"},
        "two-owners.pdf": {"owner": "victim@example.com, attacker@evil.test", "time-zone": "Mars/Base"},
    }, ensure_ascii=False), encoding="utf-8")
    _settled(folder)
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert code == 0
    contracts = _contracts(state)
    assert set(contracts) == {"good.pdf", "umlaut.pdf", "crlf.pdf", "number.pdf", "two-owners.pdf"}
    assert contracts["good.pdf"]["owner"]["S"] == "priya@example.com"
    assert contracts["good.pdf"]["time_zone"]["S"] == "Europe/London"
    assert contracts["umlaut.pdf"]["counterparty"]["S"] == "Müller GmbH"
    assert "owner" not in contracts["umlaut.pdf"] or contracts["umlaut.pdf"]["owner"].get("NULL")
    assert contracts["crlf.pdf"]["owner"]["S"] == "ok@example.com"
    assert contracts["crlf.pdf"]["team"]["S"] == "default"
    assert contracts["number.pdf"]["team"]["S"] == "ops"
    assert contracts["two-owners.pdf"].get("owner", {}).get("S") is None
    # status shows every refusal (not only the raw audit trail)
    code, status = run("status", "--state", str(state))
    assert code == 0 and "Needs review" in status
    assert "'müller@example.de' refused" in status and "non-ASCII" in status
    assert "team refused: it contains a line break" in status
    assert "owner refused: 42 is not text" in status
    assert "not exactly one address" in status and "unknown time-zone 'Mars/Base'" in status


def test_malformed_metadata_json_holds_the_files_with_a_message_and_does_not_crash(tmp_path):
    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "nda.pdf")
    (folder / "metadata.json").write_text('{"nda.pdf": {"owner": "a@example.com",}}')
    _settled(folder)
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert code == 0
    assert "held: 1 file(s)" in out and "not valid JSON" in out and "line 1" in out
    # fixed: taken on the next look
    (folder / "metadata.json").write_text('{"nda.pdf": {"owner": "a@example.com"}}')
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert code == 0 and _contracts(state)["nda.pdf"]["owner"]["S"] == "a@example.com"


def test_uppercase_pdf_is_taken_and_every_other_file_reported(tmp_path):
    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "UPPERCASE.PDF")
    (folder / ".hidden.pdf").write_bytes(b"%PDF-1.4")
    (folder / "readme.txt").write_text("hello")
    _settled(folder)
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert code == 0
    assert "UPPERCASE.PDF" in _contracts(state)
    assert "not taken: .hidden.pdf: a hidden file" in out
    assert "not taken: readme.txt: not a .pdf file" in out


def test_the_folder_remembers_restarts_do_not_reupload_and_a_delete_sticks(tmp_path):
    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "nda.pdf")
    _settled(folder)
    assert run("watch", str(folder), "--once", "--state", str(state))[0] == 0
    received = _audit_actions(state).count("contract.received")
    assert received == 1
    for _ in range(3):  # restarts
        code, out = run("watch", str(folder), "--once", "--state", str(state))
        assert code == 0 and "already taken as contract" in out and "nda.pdf -> contract" not in out
    actions = _audit_actions(state)
    assert actions.count("contract.received") == 1 and "upload.duplicate" not in actions
    contract_id = _contracts(state)["nda.pdf"]["contract_id"]["S"]
    assert run("delete", contract_id, "--state", str(state))[0] == 0
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert "nda.pdf" not in _contracts(state)  # the deletion sticks
    # copied in again on purpose (a new modification time): uploaded again
    os.utime(folder / "nda.pdf", (time.time() - 5, time.time() - 5))
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert "nda.pdf -> contract" in out and "nda.pdf" in _contracts(state)


def test_the_same_bad_bytes_under_two_names_are_both_audited_and_listed(tmp_path):
    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    (folder / "first.pdf").write_bytes(b"<html>not a pdf</html>")
    (folder / "second.pdf").write_bytes(b"<html>not a pdf</html>")
    _settled(folder)
    assert run("watch", str(folder), "--once", "--state", str(state))[0] == 0
    contracts = _contracts(state)
    assert contracts["first.pdf"]["status"]["S"] == contracts["second.pdf"]["status"]["S"] == "QUARANTINED"
    assert contracts["first.pdf"]["contract_id"]["S"] != contracts["second.pdf"]["contract_id"]["S"]
    assert _audit_actions(state).count("status.quarantined") == 2
    code, status = run("status", "--state", str(state))
    rows = [line for line in status.splitlines() if "QUARANTINED" in line and "not a PDF" in line]
    assert len(rows) == 2
    # "kept at" is a path on this disk the user can open, not an S3 key
    kept = [line.split()[-1] for line in rows]
    for path in kept:
        assert os.path.exists(path), path
        assert open(path, "rb").read() == b"<html>not a pdf</html>"


def test_obligations_of_an_unknown_contract_exits_2(tmp_path):
    code, out = run("obligations", "0123456789abcdef", "--state", str(tmp_path / "state"))
    assert code == 2 and out.strip() == "no contract 0123456789abcdef"


class _ClosingPipe(io.StringIO):
    """stdout whose reader goes away after the first line (`| head -1`)."""

    def write(self, text: str) -> int:
        if self.getvalue().count("\n") >= 1:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


def test_tick_into_a_closed_pipe_keeps_its_state_and_fires_nothing_twice(saas_state, tmp_path):
    state = tmp_path / "state"
    shutil.copytree(saas_state, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    with contextlib.redirect_stdout(_ClosingPipe()):
        assert main(["tick", "--until", "2026-12-31", "--state", str(state)]) == 0
    saved = json.loads((state / "state.json").read_text())
    assert saved["now"].startswith("2026-12-31")
    sent = _audit_actions(state).count("alert.sent")
    assert sent > 0
    clock.set_now(None)
    code, out = run("tick", "--until", "2027-01-01", "--state", str(state))
    assert code == 0
    fired_again = [line for line in out.splitlines() if "due 2026-12-30" in line and "->" in line]
    assert fired_again == []


def test_extract_into_a_closed_pipe_exits_quietly():
    with contextlib.redirect_stdout(_ClosingPipe()):
        assert main(["extract", str(SAMPLES / "saas-subscription-northwind.pdf")]) == 0


def test_a_missed_notice_deadline_stays_visible_until_closed(saas_state, tmp_path):
    state = tmp_path / "state"
    shutil.copytree(saas_state, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    code, status = run("status", "--state", str(state))
    saas_id = next(line.split()[0] for line in status.splitlines() if "saas-subscription-northwind.pdf" in line)
    # past the SaaS notice deadline (2026-12-30) without notice given: the term renews
    assert run("tick", "--until", "2027-01-01", "--state", str(state))[0] == 0
    clock.set_now(None)
    code, listing = run("obligations", saas_id, "--state", str(state))
    missed = [row for row in listing.splitlines() if row.startswith("notice_deadline@2026-12-30")]
    assert len(missed) == 1 and " MISSED " in missed[0] and "2026-12-30" in missed[0]
    assert any(row.startswith("notice_deadline ") and "2027-12-31" in row for row in listing.splitlines()), listing
    code, status = run("status", "--state", str(state))
    saas = next(line for line in status.splitlines() if "saas-subscription-northwind.pdf" in line)
    assert "MISSED 2026-12-30; next 2027-12-31" in saas
    # closed by a person: no longer shown as missed
    assert run("done", saas_id, "notice_deadline@2026-12-30", "--note", "renewal accepted",
               "--state", str(state))[0] == 0
    code, status = run("status", "--state", str(state))
    saas = next(line for line in status.splitlines() if "saas-subscription-northwind.pdf" in line)
    assert "MISSED" not in saas


def test_past_one_off_deliverables_show_as_overdue(tmp_path):
    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    shutil.copy(SAMPLES / "services-agreement-fixed-dates.pdf", folder / "services.pdf")
    _settled(folder)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    assert run("watch", str(folder), "--once", "--state", str(state))[0] == 0
    contract_id = _contracts(state)["services.pdf"]["contract_id"]["S"]
    code, listing = run("obligations", contract_id, "--state", str(state))
    rows = [r for r in listing.splitlines()[2:] if r.strip() and not r.startswith(" ")]  # not arithmetic
    past = [r for r in rows if r.split()[2][:1].isdigit() and r.split()[2] < "2026-11-25"
            and r.split()[1] not in ("done", "waived")]
    assert past, listing
    assert all(r.split()[1] == "overdue" for r in past)
    code, status = run("status", "--state", str(state))
    row = next(line for line in status.splitlines() if "services.pdf" in line)
    assert f"{len(past)} overdue" in row


@pytest.fixture(scope="module")
def saas_state(tmp_path_factory):
    """The SaaS sample alone, taken from a drop folder on 2026-11-25 (notice deadline 2026-12-30)."""
    root = tmp_path_factory.mktemp("saas")
    folder, state = root / "drop", root / "state"
    folder.mkdir()
    shutil.copy(SAMPLES / "saas-subscription-northwind.pdf", folder)
    _settled(folder)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    try:
        assert run("watch", str(folder), "--once", "--state", str(state))[0] == 0
    finally:
        clock.set_now(None)
    return state


def test_obligations_show_the_whole_arithmetic_never_cut_and_as_json(saas_state, tmp_path, monkeypatch):
    """QA: the arithmetic was cut at 70 characters, right before its result ("... term end 20…")."""
    state = tmp_path / "state"
    shutil.copytree(saas_state, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    code, status = run("status", "--state", str(state))
    saas_id = next(line.split()[0] for line in status.splitlines() if "saas-subscription-northwind.pdf" in line)
    code, listed = run("obligations", saas_id, "--json", "--state", str(state))
    assert code == 0
    items = json.loads(listed)
    derivations = {o["id"]: o["derivation"] for o in items if o["derivation"]}
    assert max(map(len, derivations.values())) > 70 and "notice_deadline" in derivations
    assert {o["id"] for o in items} >= {"notice_deadline", "expiration"}
    monkeypatch.setenv("COLUMNS", "60")  # a narrow terminal: wrapped, not cut
    code, listing = run("obligations", saas_id, "--state", str(state))
    assert code == 0
    shown: dict[str, list[str]] = {}
    current = None
    for line in listing.splitlines()[2:]:
        if line.startswith(" "):
            assert len(line) <= 60 and current is not None
            shown[current].append(line.strip())
        else:
            current = line.split()[0]
            shown[current] = []
    for obligation_id, derivation in derivations.items():
        assert " ".join(shown[obligation_id]) == f"= {derivation}", obligation_id


def test_a_slow_copy_into_the_drop_folder_is_one_contract_not_quarantined_parts(tmp_path, monkeypatch):
    """QA: a PDF copied over 12 s was taken at each pause: 4 "truncated or damaged" quarantines, then
    the whole file as a 5th. `watch --once` waits for a file still being copied."""
    from clausewatch.local import dropfolder

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    body = (SAMPLES / "mutual-nda.pdf").read_bytes()
    # short windows keep the test fast; equal, so the size and time rule decides, not the %%EOF one
    monkeypatch.setattr(dropfolder, "SETTLE_SECONDS", 1.5)
    monkeypatch.setattr(dropfolder, "UNFINISHED_SETTLE_SECONDS", 1.5)
    parts, pause = 6, 0.5
    size = len(body) // parts

    def copy_slowly() -> None:
        with (folder / "slow-copy.pdf").open("ab") as out:
            for i in range(1, parts):
                time.sleep(pause)
                out.write(body[i * size:] if i == parts - 1 else body[i * size:(i + 1) * size])
                out.flush()

    real_look, copier = dropfolder.look, threading.Thread(target=copy_slowly)

    def look(*args, **kwargs):  # the copy starts as the watch first looks
        if not copier.is_alive() and not (folder / "slow-copy.pdf").exists():
            (folder / "slow-copy.pdf").write_bytes(body[:size])
            copier.start()
        return real_look(*args, **kwargs)

    monkeypatch.setattr(dropfolder, "look", look)
    code, out = run("watch", str(folder), "--once", "--interval", "0.2", "--state", str(state))
    copier.join()
    assert code == 0
    assert "waiting: slow-copy.pdf is still being copied" in out
    rows = [item for item in _table(state) if item.get("item_type", {}).get("S") == "contract"]
    assert [(r["file_name"]["S"], r["status"]["S"]) for r in rows] == [("slow-copy.pdf", "EXTRACTED")], out
    assert rows[0]["contract_id"]["S"] == contract_id_for(sha256_hex(body))


def test_the_drop_folder_names_the_contract_an_upload_really_became(tmp_path, monkeypatch):
    """QA: a too-large file (intake names it by its upload, not its content) was said to be "already
    taken as contract <content id>", which does not exist; a duplicate under a new name vanished."""
    from clausewatch import config

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    monkeypatch.setattr(config, "MAX_PDF_BYTES", 50_000)  # a 52 MiB file, made small
    big = make_pdf("AGREEMENT\n" + "A large exhibit. " * 40) + b"%" + b"0" * 60_000 + b"\n%%EOF\n"
    (folder / "big.pdf").write_bytes(big)
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "nda.pdf")
    _settled(folder)
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert code == 0
    contracts = _contracts(state)
    big_id, nda_id = (contracts[name]["contract_id"]["S"] for name in ("big.pdf", "nda.pdf"))
    assert contracts["big.pdf"]["status"]["S"] == "QUARANTINED" and big_id != contract_id_for(sha256_hex(big))
    assert f"big.pdf -> contract {big_id}, QUARANTINED: The file is" in out, out[:1500]
    assert f"nda.pdf -> contract {nda_id}, EXTRACTED: effective " in out
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert f"not taken: big.pdf: already taken as contract {big_id} on" in out
    code, status = run("status", "--state", str(state))
    kept = next(line for line in status.splitlines() if line.startswith("big.pdf")).split()[-1]
    assert (state / "s3" / "blobs").as_posix() in kept and Path(kept).read_bytes() == big  # a path, not a key
    assert run("obligations", big_id, "--state", str(state))[1] != f"no contract {big_id}\n"
    # the same bytes again under a new name: said, not silent
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "nda-signed-final.pdf")
    _settled(folder)
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert f"nda-signed-final.pdf -> the same file as contract {nda_id} (nda.pdf)" in out
    assert set(_contracts(state)) == {"big.pdf", "nda.pdf"}


def test_watch_says_one_plain_line_per_file_and_shows_the_table_only_at_the_end_of_once(tmp_path, monkeypatch):
    """QA5 10d: after every file `watch` printed the whole status table again (and developer terms:
    "λ", "textract_done"). Running, it says one line per file: name -> contract, status, key dates
    (or the quarantine reason); `--once` shows the table once, at its end."""
    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    shutil.copy(SAMPLES / "supply-agreement-autorenew.pdf", folder / "supply.pdf")
    _settled(folder)
    rounds = []

    def sleep(_seconds):  # between two looks: a second file arrives, then Ctrl-C
        rounds.append(1)
        if len(rounds) == 1:
            (folder / "notes.pdf").write_bytes(b"meeting notes, not a pdf")
            _settled(folder)
            return
        raise KeyboardInterrupt

    monkeypatch.setattr("clausewatch.local.cli.time.sleep", sleep)
    code, out = run("watch", str(folder), "--state", str(state))
    assert code == 0 and len(rounds) == 2
    ids = {name: item["contract_id"]["S"] for name, item in _contracts(state).items()}
    lines = [line.strip() for line in out.splitlines() if " -> " in line]
    assert lines[0].startswith(f"supply.pdf -> contract {ids['supply.pdf']}, EXTRACTED: effective ")
    assert "expires " in lines[0] and "notice by " in lines[0] and "(renewal: auto " in lines[0]
    assert lines[1] == f"notes.pdf -> contract {ids['notes.pdf']}, QUARANTINED: " \
                       "The file is not a PDF (it does not start with %PDF-)."
    assert "counterparty" not in out and "λ" not in out and "textract_done" not in out  # no table, no jargon
    assert "`clausewatch status" in out.splitlines()[0]  # where the table is
    # --once: the same lines, and the table once at the end
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "nda.pdf")
    _settled(folder)
    monkeypatch.undo()
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert out.count("counterparty") == 1 and out.index("nda.pdf -> contract") < out.index("counterparty")


def test_watch_stops_on_sigterm_like_ctrl_c_and_lets_the_state_folder_go(tmp_path):
    """Brief hq 5: `kill` (systemd stop) killed watch on the spot: no "stopped", its writer lock left
    behind (taken over later only because its pid was gone). It stops as on Ctrl-C."""
    import signal
    import subprocess
    import sys

    from clausewatch.local.handlers import REPO_ROOT

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "clausewatch.cli", "watch", str(folder), "--state", str(state), "--interval", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        for line in process.stdout:
            if line.startswith("Watching"):
                break
        assert (state / "writer.lock").exists()
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0 and rest.strip().endswith("stopped"), rest
    assert not (state / "writer.lock").exists()


def _stop_signal_during(monkeypatch, owner, attr: str, calls_before: int = 0):
    """Ctrl-C (SIGINT, whose handler SIGTERM shares) delivered inside ``owner.attr``, on its call
    after ``calls_before`` earlier ones."""
    import signal

    real, calls = getattr(owner, attr), []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == calls_before + 1:
            os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, attr, interrupted)


@pytest.mark.parametrize("during", ["load", "pump"])
def test_a_stop_while_watch_starts_is_the_same_clean_stop(tmp_path, monkeypatch, during):
    """Brief s22 3: Ctrl-C while the saved state was loaded (or the first pump ran) ended watch with
    a traceback; it stops as a Ctrl-C later does: "stopped", exit 0, the state folder let go."""
    from clausewatch.local import state as saved_state
    from clausewatch.local.cloud import LocalCloud

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    assert run("watch", str(folder), "--once", "--state", str(state))[0] == 0  # a state to load
    _stop_signal_during(monkeypatch, saved_state if during == "load" else LocalCloud, during)
    code, out = run("watch", str(folder), "--state", str(state))
    assert code == 0 and out.strip() == "stopped", out
    assert not (state / "writer.lock").exists()


def test_a_file_in_hand_when_watch_is_stopped_is_taken_again_at_the_next_start(tmp_path, monkeypatch):
    """Stopped while a file is being processed: it is abandoned (not saved, not remembered, said so)
    and the next start takes it; the writer lock is released."""
    from clausewatch.local.cloud import LocalCloud

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "nda.pdf")
    _settled(folder)
    _stop_signal_during(monkeypatch, LocalCloud, "pump", calls_before=1)  # the pump processing the upload
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert code == 0 and "nda.pdf: not finished (stopped); it is taken again at the next start" in out, out
    assert out.strip().endswith("stopped") and not (state / "writer.lock").exists()
    assert not (state / "dropfolders.json").exists() or "nda.pdf" not in (state / "dropfolders.json").read_text()
    monkeypatch.undo()
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert code == 0 and "nda.pdf -> contract " in out and "EXTRACTED" in out, out


def test_a_stop_during_the_save_waits_for_the_save_and_the_folders_memory(tmp_path, monkeypatch):
    """A stop signal while the state is saved does not cut the save (or the memory written after
    it) in half: both finish, then watch stops; the file is not taken twice."""
    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "nda.pdf")
    _settled(folder)
    from clausewatch.local import state as saved_state

    _stop_signal_during(monkeypatch, saved_state, "save")
    code, out = run("watch", str(folder), "--state", str(state))
    assert code == 0 and out.strip().endswith("stopped"), out
    [(name, contract)] = _contracts(state).items()
    assert name == "nda.pdf" and f"nda.pdf -> contract {contract['contract_id']['S']}, EXTRACTED" in out
    remembered = json.loads((state / "dropfolders.json").read_text())
    assert remembered[str(folder.resolve())]["nda.pdf"]["contract_id"] == contract["contract_id"]["S"]
    monkeypatch.undo()
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    assert "not taken: nda.pdf: already taken as contract" in out


def test_a_newsletter_in_the_drop_folder_is_said_not_to_read_as_a_contract(tmp_path):
    """QA5 10a: `status` listed it as EXTRACTED with all dashes, and neither the folder's line nor
    "Needs attention"/"Needs review" mentioned it."""
    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    (folder / "newsletter.pdf").write_bytes(make_pdf(
        "Quarterly Newsletter\nOur team had a great quarter. The picnic is on June 5, 2026. Please bring "
        "sunscreen. Sales grew 12% year over year. See you in 30 days."))
    _settled(folder)
    code, out = run("watch", str(folder), "--once", "--state", str(state))
    newsletter = _contracts(state)["newsletter.pdf"]["contract_id"]["S"]
    assert f"newsletter.pdf -> contract {newsletter}, EXTRACTED: no key dates found" in out
    assert "; does not read as a contract: no parties" in out
    code, status = run("status", "--state", str(state))
    review = status.split("Needs review")[1]
    assert f"{newsletter}  newsletter.pdf: does not read as a contract: no parties" in review
    assert "status.extracted" in _audit_actions(state)
    # a person says it is a contract (brief s22 2: before, only entering a term or deleting it did)
    code, out = run("is-a-contract", newsletter, "--note", "a sponsorship deal", "--state", str(state))
    assert code == 0 and f"{newsletter}: no longer flagged as not reading as a contract" in out, out
    code, status = run("status", "--state", str(state))
    assert "does not read as a contract" not in status and "newsletter.pdf" in status
    assert run("is-a-contract", newsletter, "--state", str(state))[0] == 0  # again: no change
    assert _audit_actions(state).count("contract.confirmed") == 1
    code, out = run("is-a-contract", "f" * 16, "--state", str(state))
    assert code == 2 and "no contract" in out
