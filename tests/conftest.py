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



# the layers whose tests share one costly session setup: each runs whole on one worker (below)
_ONE_WORKER_LAYERS = ("infra", "browser", "cuad")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` runs the suite on every core (pytest-xdist). Each worker takes whole groups of
    tests that share a setup: a module (its module fixtures set up once), and all of tests/infra (the
    CDK app synthesized once per run), tests/browser (one Chromium, one saved state) and tests/cuad.
    Only in place of xdist's default (``-n`` alone); another ``--dist`` asked for is xdist's."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            parts = path.split("/")
            return parts[1] if len(parts) > 2 and parts[1] in _ONE_WORKER_LAYERS else path

    return GroupScheduling(config, log)
