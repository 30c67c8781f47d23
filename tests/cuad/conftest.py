"""The CUAD development set (410 real contracts, PDFs and the attorneys' labels) in ../shared/cuad."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import CUAD


@pytest.fixture
def cuad() -> Path:
    """The corpus folder; the test is skipped, saying where the corpus was expected, when absent."""
    if not (CUAD / "labels.jsonl").is_file():
        pytest.skip(f"CUAD corpus not found at {CUAD} (the eval corpus lives next to the repository)")
    return CUAD
