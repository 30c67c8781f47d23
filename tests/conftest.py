"""Fixtures every layer may use. The layers: unit/ (pure), integration/ (the embedded default:
moto, handlers, CLI), infra/ (the CDK app), cuad/ (the real-contract corpus in ../shared).

Paths and sample metadata are in tests/paths.py and PDFs made on the fly in tests/pdfs.py; test
modules import them as ``tests.paths`` and ``tests.pdfs``. The LocalCloud fixtures import moto only
when a test asks for them, so the unit layer never loads it.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")

try:  # no property test is timed: hypothesis' 200 ms deadline per example failed on a busy CPU
    # (a duration counted back from an expiration, 301 ms); speed targets live in `make bench`
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("clausewatch", deadline=None)
    _hypothesis_settings.load_profile("clausewatch")
except ImportError:  # pragma: no cover - hypothesis is a dev dependency
    pass


@pytest.fixture(scope="session")
def _local_cloud_session():
    """One moto server for the whole session (the embedded default's LocalCloud)."""
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
