"""The drop folder's choices: metadata.json per file, what is taken, what is not and why."""

from __future__ import annotations

import json
import os
import time

from clausewatch.local import dropfolder
from clausewatch.pipeline.intake import INTAKE_NOTES_KEY, _decoded


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
    fresh.write_bytes(b"%PDF")
    taken = tmp_path / "taken.pdf"
    taken.write_bytes(b"%PDF-1")
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
    contract_id = memory.remember(pdf, pdf.read_bytes(), dropfolder.signature(pdf))
    again = dropfolder.Memory(state, folder)
    assert again.taken["a.pdf"]["contract_id"] == contract_id
    assert dropfolder.look(folder, again.taken).to_take == []
