"""Shared fixtures: one moto server per test session (the embedded default's LocalCloud),
emptied and re-provisioned for each test that asks for it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SAMPLES = REPO_ROOT / "samples"

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def _local_cloud_session():
    from clausewatch.local.cloud import LocalCloud

    cloud = LocalCloud().start()
    yield cloud
    cloud.stop()


@pytest.fixture
def cloud(_local_cloud_session):
    """A LocalCloud with empty, freshly provisioned resources and the real clock."""
    from clausewatch import clock

    clock.set_now(None)
    _local_cloud_session.reset()
    yield _local_cloud_session
    clock.set_now(None)


def sample_metadata() -> dict[str, dict[str, str]]:
    import json

    return json.loads((SAMPLES / "metadata.json").read_text())
