"""Costly states built once per module and restored for each test.

A state that many tests start from (a sample contract through the whole pipeline: seconds each) is
built once on the session's LocalCloud and saved with the embedded default's own state folder
(`clausewatch.local.state`, as the CLI does between commands). Each test then gets the emptied
cloud of the ``cloud`` fixture with that state loaded and the clock as it was, so every test starts
from the same state however the previous one changed it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from clausewatch import clock
from clausewatch.local import cloud as local_cloud
from clausewatch.local import state
from clausewatch.local.cloud import LocalCloud


@dataclass(frozen=True)
class SavedCloud:
    """A state folder, the simulated clock when it was saved, and what the build returned."""

    folder: Path
    now: datetime | None
    built: Any

    def restore(self, cloud: LocalCloud) -> Any:
        """Load the state into ``cloud``, freshly reset (the ``cloud`` fixture), and set the clock.

        Loading writes every item again, which the table's stream reports, and provisioning left
        S3's test event in the ingest queue. When the state was saved both had been delivered, so
        they are drained here without running the handlers a second time. Returns ``built``.
        """
        clock.set_now(self.now)
        state.load(self.folder)
        with mock.patch.object(local_cloud, "invoke", lambda function, event: {}):
            cloud.pump()
        return self.built


@pytest.fixture(scope="session")
def save_cloud(_local_cloud_session, tmp_path_factory) -> Callable[[Callable[[LocalCloud], Any]], SavedCloud]:
    """``save_cloud(build)``: run ``build(cloud)`` on an emptied cloud, with the real clock unless
    it sets one, and save the state it leaves. Call it from a module-scoped fixture. The build ends
    with nothing in flight (its last step a ``cloud.pump()``): restoring delivers nothing."""

    def save(build: Callable[[LocalCloud], Any]) -> SavedCloud:
        cloud = _local_cloud_session
        clock.set_now(None)
        cloud.reset()
        try:
            built = build(cloud)
            folder = tmp_path_factory.mktemp("saved-cloud")
            state.save(folder)
            return SavedCloud(folder, clock.simulated(), built)
        finally:
            clock.set_now(None)

    return save


@pytest.fixture(autouse=True)
def _table_calls_within_each_role():
    """Every DynamoDB call a handler makes in the test is one its deployed role allows (least
    privilege, issue #13: tests/integration/table_calls.py)."""
    from tests.integration import table_calls

    with table_calls.recording() as calls:
        yield calls
    if log := os.environ.get("CLAUSEWATCH_TABLE_CALLS_LOG"):  # which granted actions are used at all
        with open(log, "a", encoding="utf-8") as out:
            out.writelines(f"{c.function} {c.table} {c.operation}\n" for c in calls)
    refused = sorted({v for v in map(table_calls.violation, calls) if v})
    assert not refused, "handlers made table calls their deployed roles would refuse:\n" + "\n".join(refused)
