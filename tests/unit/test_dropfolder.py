"""The drop folder's choices: metadata.json per file, what is taken, what is not and why."""

from __future__ import annotations

import json
import os
import time

from clausewatch.aws.s3 import metadata_text as _decoded
from clausewatch.local import dropfolder
from clausewatch.pipeline.intake import INTAKE_NOTES_KEY

WHOLE = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"  # (as far as copying goes)


def _old(path):
    past = time.time() - 10
    os.utime(path, (past, past))
    return path


def test_bad_entries_affect_only_their_own_file(tmp_path):
    (tmp_path / "metadata.json").write_text(json.dumps({
        "good.pdf": {"owner": "a@example.com", "team": "legal"},
        "number.pdf": {"owner": "b@example.com", "team": 42},
        "crlf.pdf": {"owner": "c@example.com\r\nBcc: x@evil.test"},
        "umlaut.pdf": {"owner": "müller@example.de", "counterparty": "Müller GmbH"},
        "list.pdf": ["not", "an", "object"],
    }), encoding="utf-8")
    meta = dropfolder.read_metadata(tmp_path)
    assert meta.error is None
    assert meta.for_file("good.pdf") == {"owner": "a@example.com", "team": "legal"}
    number = meta.for_file("number.pdf")
    assert number["owner"] == "b@example.com" and "team" not in number
    assert "team refused: 42 is not text" in _decoded(number[INTAKE_NOTES_KEY])
    crlf = meta.for_file("crlf.pdf")
    assert "owner" not in crlf and "line break" in _decoded(crlf[INTAKE_NOTES_KEY])
    umlaut = meta.for_file("umlaut.pdf")
    assert all(v.isascii() for v in umlaut.values())  # S3 metadata is ASCII: sent RFC 2047-encoded
    assert _decoded(umlaut["counterparty"]) == "Müller GmbH"
    assert "an object was expected" in _decoded(meta.for_file("list.pdf")[INTAKE_NOTES_KEY])
    assert meta.for_file("absent.pdf") == {}


def test_malformed_json_is_reported_with_where(tmp_path):
    (tmp_path / "metadata.json").write_text('{"a.pdf": {"owner": "x@example.com",}}')
    meta = dropfolder.read_metadata(tmp_path)
    assert meta.error is not None and "not valid JSON" in meta.error and "line 1" in meta.error


def test_pdf_in_any_case_is_taken_and_everything_else_reported(tmp_path):
    for name in ("UPPER.PDF", "mixed.Pdf", "lower.pdf", ".hidden.pdf", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
        _old(tmp_path / name)
    (tmp_path / "sub").mkdir()
    (tmp_path / "metadata.json").write_text("{}")
    look = dropfolder.look(tmp_path, {})
    assert sorted(p.name for p in look.to_take) == ["UPPER.PDF", "lower.pdf", "mixed.Pdf"]
    reasons = dict(look.not_taken)
    assert set(reasons) == {".hidden.pdf", "notes.txt", "sub"}
    assert "hidden" in reasons[".hidden.pdf"] and "not a .pdf" in reasons["notes.txt"]
    assert "folder" in reasons["sub"]


def test_a_file_being_copied_waits_and_a_remembered_one_is_not_taken_again(tmp_path):
    fresh = tmp_path / "fresh.pdf"
    fresh.write_bytes(WHOLE)
    taken = tmp_path / "taken.pdf"
    taken.write_bytes(WHOLE + b"taken")
    _old(taken)
    memory = {"taken.pdf": {**dropfolder.signature(taken), "contract_id": "abc", "taken_at": "2026-12-01T00:00:00Z"}}
    now = fresh.stat().st_mtime + 0.1
    look = dropfolder.look(tmp_path, memory, now=now)
    assert look.to_take == []  # fresh.pdf still being written; taken.pdf taken before
    assert dict(look.not_taken)["taken.pdf"].startswith("already taken as contract abc on 2026-12-01")
    assert [p.name for p in dropfolder.look(tmp_path, memory, now=now + 5).to_take] == ["fresh.pdf"]
    # copied in again (a new modification time): taken again, on purpose
    os.utime(taken, (now - 3, now - 3))
    assert [p.name for p in dropfolder.look(tmp_path, memory, now=now + 5).to_take] == ["fresh.pdf", "taken.pdf"]


def test_memory_survives_a_restart(tmp_path):
    state, folder = tmp_path / "state", tmp_path / "drop"
    folder.mkdir()
    pdf = folder / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 body")
    _old(pdf)
    memory = dropfolder.Memory(state, folder)
    memory.remember(pdf, pdf.read_bytes(), dropfolder.signature(pdf), "f31e0011a9044ad6")
    again = dropfolder.Memory(state, folder)
    assert again.taken["a.pdf"]["contract_id"] == "f31e0011a9044ad6"
    assert dropfolder.look(folder, again.taken).to_take == []


def _copy_slowly(path, body: bytes, chunks: int, at: float, pause: float, looks_every: float, **windows):
    """Write ``body`` into ``path`` in ``chunks`` parts ``pause`` seconds apart (a copy from a network
    share), looking at the folder every ``looks_every`` seconds on a simulated clock from ``at`` (the
    file's modification times follow it); returns every look's files to take, with their sizes."""
    seen: dict[str, dropfolder.Seen] = {}
    taken: list[tuple[float, int]] = []
    size = len(body) // chunks
    writes = [(at + i * pause, body[i * size:(i + 1) * size] if i < chunks - 1 else body[i * size:])
              for i in range(chunks)]
    moment, end = at, at + chunks * pause + 120
    with path.open("wb") as out:
        while moment < end:
            while writes and writes[0][0] <= moment:
                when, part = writes.pop(0)
                out.write(part)
                out.flush()
                os.utime(path, (when, when))
            for p in dropfolder.look(path.parent, {}, now=moment, seen=seen, **windows).to_take:
                taken.append((moment, p.stat().st_size))
                return taken  # the watch uploads it and remembers it
            moment += looks_every
    return taken


def test_a_slow_copy_is_taken_once_whole_never_half_written(tmp_path):
    """QA: a 165 KB PDF copied in 8 parts 1.5 s apart left 4 "truncated or damaged" quarantines."""
    body = WHOLE[:-7] + b"x" * 165_000 + b"\n%%EOF\n"
    at = time.time() - 1000
    taken = _copy_slowly(tmp_path / "slow-copy.pdf", body, chunks=8, at=at, pause=1.5, looks_every=2.0)
    assert [size for _, size in taken] == [len(body)]  # taken once, whole
    last_write = at + 7 * 1.5
    assert taken[0][0] - last_write >= dropfolder.SETTLE_SECONDS
    # a copy pausing longer than the short window: a PDF without its end-of-file marker yet waits the long one
    taken = _copy_slowly(tmp_path / "stalling.pdf", body, chunks=3, at=at, pause=10.0, looks_every=2.0)
    assert [size for _, size in taken] == [len(body)]


def test_a_file_that_grows_between_looks_waits_whatever_its_modification_time(tmp_path):
    path = tmp_path / "copy.pdf"
    path.write_bytes(b"not a pdf, part one")
    seen: dict[str, dropfolder.Seen] = {}
    now = path.stat().st_mtime + 0.5
    assert dropfolder.look(tmp_path, {}, now=now, seen=seen).settling == [("copy.pdf", dropfolder.SETTLE_SECONDS)]
    with path.open("ab") as out:
        out.write(b", part two")
    _old(path)  # a copier that sets an old modification time as it goes
    look = dropfolder.look(tmp_path, {}, now=now + 2, seen=seen)
    assert look.to_take == [] and look.settling
    assert dropfolder.look(tmp_path, {}, now=now + 2 + dropfolder.SETTLE_SECONDS, seen=seen).to_take == [path]


def test_a_pdf_without_its_end_of_file_marker_is_taken_after_the_long_window(tmp_path):
    """A file that really is truncated still reaches intake (and its quarantine, with the reason)."""
    path = tmp_path / "truncated.pdf"
    path.write_bytes(WHOLE[:-7])
    mtime = path.stat().st_mtime
    assert dropfolder.look(tmp_path, {}, now=mtime + dropfolder.SETTLE_SECONDS + 1).settling == [
        ("truncated.pdf", dropfolder.UNFINISHED_SETTLE_SECONDS)]
    # a second past the window (the folder reads mtime in nanoseconds: st_mtime's float may round below it)
    assert dropfolder.look(tmp_path, {}, now=mtime + dropfolder.UNFINISHED_SETTLE_SECONDS + 1).to_take == [path]
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "started.pdf").write_bytes(b"%PD")
    assert not dropfolder.looks_whole(tmp_path / "empty.pdf", 0)
    assert not dropfolder.looks_whole(tmp_path / "started.pdf", 3)
    for name, whole in (("truncated.pdf", False), ("empty.pdf", False), ("started.pdf", False)):
        assert dropfolder.looks_whole(tmp_path / name, (tmp_path / name).stat().st_size) is whole
    (tmp_path / "csv.pdf").write_bytes(b"a,b\n1,2\n")  # not a PDF at all: whole as far as copying goes
    assert dropfolder.looks_whole(tmp_path / "csv.pdf", 8)
