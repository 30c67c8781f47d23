"""The local drop folder (`clausewatch watch DIR`): which files to take, with what metadata, and what
it has already taken.

- ``DIR/metadata.json`` maps file names to upload metadata. One bad entry or value affects only its
  file: a value that is not text, has a line break, or a key that is not an upload metadata key is
  refused and noted (the note travels with the upload and is shown by `status`); a value with
  non-ASCII characters is sent RFC 2047-encoded (S3 metadata is ASCII) and validated by intake like
  any other. A file that is not valid JSON holds every file (nothing is uploaded with metadata
  missing) with a message saying where, until it is fixed; the watch goes on.
- ``.pdf`` in any case is taken; every other entry in the folder is reported once, with why.
- What was taken is remembered in the state folder (``dropfolders.json``: per folder, name ->
  size, mtime, sha256, contract id), so a restart does not upload it again and a deleted
  contract's file still in the folder does not come back; copying the file in again (a new
  modification time) uploads it again, on purpose.
- A file is taken once it has finished copying: its size and modification time unchanged for
  ``SETTLE_SECONDS`` (seen so across looks, so a file that grows between two looks waits again,
  whatever its modification time says), and for ``UNFINISHED_SETTLE_SECONDS`` when it does not look
  whole yet (empty, or a PDF without its end-of-file marker at its end): a slow copy that pauses
  (a network share, a mail attachment being saved) is not taken half-written and quarantined as
  damaged; a file that really is truncated is taken, and quarantined with its reason, a minute on.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import clock, config
from ..aws import s3
from ..pipeline.intake import INTAKE_NOTES_KEY

METADATA_FILE = "metadata.json"
MEMORY_FILE = "dropfolders.json"
SETTLE_SECONDS = 3.0  # unchanged this long: finished copying (a watch looks every 2 s)
UNFINISHED_SETTLE_SECONDS = 60.0  # the same for a file that does not look whole yet (see looks_whole)
EOF_TAIL_BYTES = 2048  # where a whole PDF's %%EOF marker is looked for (PDF 1.7 section 7.5.5: at its end)


@dataclass
class FolderMetadata:
    """metadata.json read: per file, the S3 metadata to send; ``error`` when it cannot be read
    at all (every file is held); ``notes`` per file on what was refused."""

    per_file: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None

    def for_file(self, name: str) -> dict[str, str]:
        metadata = dict(self.per_file.get(name, {}))
        notes = self.notes.get(name)
        if notes:
            metadata[INTAKE_NOTES_KEY] = _notes_value(" | ".join(notes))
        return metadata


def _notes_value(text: str) -> str:
    """The notes as S3 metadata, cut short (ending "...") to fit the room kept for them."""
    value = s3_metadata_value(text)
    while len(value) > NOTES_ROOM_BYTES - len(INTAKE_NOTES_KEY):
        text = text[:len(text) * 9 // 10]
        value = s3_metadata_value(f"{text}...")
    return value


def s3_metadata_value(value: str) -> str:
    """A value S3 user metadata can carry (US-ASCII): as it is, or RFC 2047-encoded."""
    return s3.metadata_value(value)


def read_metadata(folder: Path) -> FolderMetadata:
    path = folder / METADATA_FILE
    if not path.exists():
        return FolderMetadata()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        return FolderMetadata(error=f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})")
    except json.JSONDecodeError as exc:
        return FolderMetadata(error=f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} "
                                    f"column {exc.colno}")
    if not isinstance(data, Mapping):
        return FolderMetadata(error=f"{path} must be an object mapping file names to metadata, "
                                    f"not {type(data).__name__}")
    out = FolderMetadata()
    for name, entry in data.items():
        kept, notes = check_entry(entry)
        out.per_file[name] = kept
        if notes:
            out.notes[name] = notes
    return out


def check_entry(entry: Any) -> tuple[dict[str, str], list[str]]:
    """One file's metadata: what is sent, and notes on what was refused."""
    if not isinstance(entry, Mapping):
        return {}, [f"metadata.json entry refused: an object was expected, not {type(entry).__name__}"]
    kept: dict[str, str] = {}
    notes: list[str] = []
    for key, value in entry.items():
        k = str(key).lower()
        if k not in config.UPLOAD_METADATA_KEYS:
            notes.append(f"metadata {str(key)!r} ignored: not one of {', '.join(config.UPLOAD_METADATA_KEYS)}")
        elif not isinstance(value, str):
            notes.append(f"{k} refused: {value!r} is not text")
        elif any(ch in value for ch in "\r\n\0"):
            notes.append(f"{k} refused: it contains a line break")
        elif value.strip():
            try:
                kept[k] = s3_metadata_value(value.strip())
            except s3.UnstorableMetadata as exc:
                notes.append(f"{k} refused: {exc}")
    return _within_s3_limit(kept, notes)


# room kept for the notes that travel with the upload (intake-notes), within S3's metadata limit
NOTES_ROOM_BYTES = 512


def _within_s3_limit(kept: dict[str, str], notes: list[str]) -> tuple[dict[str, str], list[str]]:
    """What S3 can carry: the longest values refused (with a note each) until the rest fits in S3's
    user-metadata limit beside the notes, so an upload is never refused by S3 (and lost) for them."""
    while kept and s3.metadata_bytes(kept) > s3.USER_METADATA_MAX_BYTES - NOTES_ROOM_BYTES:
        longest = max(kept, key=lambda k: len(kept[k]))
        notes.append(f"{longest} refused: {len(kept.pop(longest)):,} bytes as S3 stores it (RFC 2047-encoded), "
                     f"too long for S3's {s3.USER_METADATA_MAX_BYTES:,}-byte metadata limit")
    return kept, notes


# --- what the folder holds -----------------------------------------------------------------------

@dataclass(frozen=True)
class Look:
    """One look at the folder: files to upload now, entries not taken with why, and the PDFs still
    being copied (taken on a later look, once they stop changing)."""

    to_take: list[Path]
    not_taken: list[tuple[str, str]]
    settling: list[tuple[str, float]] = field(default_factory=list)  # name, the seconds it must rest


@dataclass(frozen=True)
class Seen:
    """A file as an earlier look saw it: its signature, and since when it has not changed."""

    signature: dict[str, int]
    since: float


def signature(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def looks_whole(path: Path, size: int) -> bool:
    """Whether the file looks completely written: not empty, and, when it begins as a PDF does,
    with the end-of-file marker a PDF ends with. (A file that is not a PDF at all is whole as far as
    copying goes: validation says what it is.)"""
    if size == 0:
        return False
    with path.open("rb") as data:
        head = data.read(5)
        if not b"%PDF-".startswith(head):
            return True
        data.seek(max(0, size - EOF_TAIL_BYTES))
        return b"%%EOF" in data.read()


def look(folder: Path, memory: dict[str, dict], now: float | None = None,
         seen: dict[str, Seen] | None = None, settle: float | None = None,
         unfinished_settle: float | None = None) -> Look:
    """What to take from ``folder`` given what was taken (``memory``: name -> record). ``seen``
    carries what earlier looks saw (updated here); ``now`` is the wall clock file times are on."""
    now = time.time() if now is None else now
    seen = {} if seen is None else seen
    settle = SETTLE_SECONDS if settle is None else settle
    unfinished_settle = UNFINISHED_SETTLE_SECONDS if unfinished_settle is None else unfinished_settle
    to_take, not_taken, settling = [], [], []
    present = set()
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        name = path.name
        if name == METADATA_FILE:
            continue
        if path.is_dir():
            not_taken.append((name, "a folder: files in sub-folders are not taken"))
        elif name.startswith("."):
            not_taken.append((name, "a hidden file (name begins with a dot): rename it to upload it"))
        elif not name.lower().endswith(".pdf"):
            not_taken.append((name, "not a .pdf file"))
        else:
            try:
                sig = signature(path)
                whole = looks_whole(path, sig["size"])
            except OSError as exc:  # removed or unreadable between listing and looking
                not_taken.append((name, f"cannot be read: {exc.strerror}"))
                continue
            taken = memory.get(name)
            if taken is not None and {k: taken.get(k) for k in sig} == sig:
                as_contract = f" as contract {taken['contract_id']}" if taken.get("contract_id") else ""
                not_taken.append((name, f"already taken{as_contract} on {str(taken.get('taken_at', ''))[:10]} "
                                        f"(copy it in again to upload it again)"))
                continue
            present.add(name)
            before = seen.get(name)
            since = sig["mtime_ns"] / 1e9 if before is None else \
                before.since if before.signature == sig else now  # changed since the last look
            seen[name] = Seen(sig, since)
            window = settle if whole else unfinished_settle
            if now - since < window:
                settling.append((name, window))  # still being copied: a later look
            else:
                to_take.append(path)
    for gone in set(seen) - present:
        del seen[gone]
    return Look(to_take, not_taken, settling)


# --- memory ----------------------------------------------------------------------------------------

class Memory:
    """What each drop folder has taken, kept in the state folder and written at once after each
    upload (a crash or a closed pipe loses nothing it took)."""

    def __init__(self, state_dir: Path, folder: Path):
        self.path = state_dir / MEMORY_FILE
        self.folder_key = str(folder.resolve())
        self._all = self._read()
        self.taken: dict[str, dict] = self._all.setdefault(self.folder_key, {})

    def _read(self) -> dict[str, dict[str, dict]]:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def remember(self, path: Path, body: bytes, sig: dict[str, int], contract_id: str | None) -> None:
        """Record ``path`` as taken as ``contract_id`` (the contract the upload really is: intake
        names one by content, by content and team, or a too-large one by its upload; None when it
        is not recorded: never a guessed id)."""
        sha = hashlib.sha256(body).hexdigest()
        self.taken[path.name] = {**sig, "sha256": sha, "contract_id": contract_id, "taken_at": clock.iso()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._all, indent=1, sort_keys=True))
        os.replace(tmp, self.path)
