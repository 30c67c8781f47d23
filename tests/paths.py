"""Where the tests' inputs live, declared once: the repository's sample contracts and events, and
../shared (the CUAD corpus and recorded Textract responses), which sits next to the repository."""

from __future__ import annotations

import json
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "samples"
EVENTS = REPO_ROOT / "events"
SHARED = REPO_ROOT.parent / "shared"
CUAD = SHARED / "cuad"
RECORDED_TEXTRACT = SHARED / "textract"


def sample_metadata() -> dict[str, dict[str, str]]:
    """Each sample contract's upload metadata (samples/metadata.json), by file name."""
    return json.loads((SAMPLES / "metadata.json").read_text())
