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
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import clock, config
from ..pipeline.intake import INTAKE_NOTES_KEY, contract_id_for

METADATA_FILE = "metadata.json"
MEMORY_FILE = "dropfolders.json"
STABLE_SECONDS = 0.5  # a file modified more recently is still being copied: next round


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
            metadata[INTAKE_NOTES_KEY] = s3_metadata_value(" | ".join(notes))
        return metadata


def s3_metadata_value(value: str) -> str:
    """A value S3 user metadata can carry (US-ASCII): as it is, or RFC 2047-encoded."""
    if value.isascii() and value.isprintable():
        return value
    return f"=?utf-8?b?{base64.b64encode(value.encode()).decode()}?="


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
            kept[k] = s3_metadata_value(value.strip())
    return kept, notes


# --- what the folder holds -----------------------------------------------------------------------

@dataclass(frozen=True)
class Look:
    """One look at the folder: files to upload now, and entries not taken with why."""

    to_take: list[Path]
    not_taken: list[tuple[str, str]]


def signature(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def look(folder: Path, memory: dict[str, dict], now: float | None = None) -> Look:
    """What to take from ``folder`` given what was taken (``memory``: name -> record)."""
    now = time.time() if now is None else now
    to_take, not_taken = [], []
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
            except OSError as exc:  # removed or unreadable between listing and looking
                not_taken.append((name, f"cannot be read: {exc.strerror}"))
                continue
            taken = memory.get(name)
            if taken is not None and {k: taken.get(k) for k in sig} == sig:
                not_taken.append((name, f"already taken as contract {taken.get('contract_id')} on "
                                        f"{str(taken.get('taken_at', ''))[:10]} (copy it in again to upload "
                                        f"it again)"))
            elif now - sig["mtime_ns"] / 1e9 < STABLE_SECONDS:
                continue  # still being written; next round
            else:
                to_take.append(path)
    return Look(to_take, not_taken)


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

    def remember(self, path: Path, body: bytes, sig: dict[str, int]) -> str:
        sha = hashlib.sha256(body).hexdigest()
        self.taken[path.name] = {**sig, "sha256": sha, "contract_id": contract_id_for(sha),
                                 "taken_at": clock.iso()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._all, indent=1, sort_keys=True))
        os.replace(tmp, self.path)
        return contract_id_for(sha)
