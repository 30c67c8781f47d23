"""A calendar change's claim (config.CALENDAR_CHANGE_LEASE_SECONDS) outlasts any alert invocation
that holds it: a claim older than it belongs to one that ended, so the next delivery may mail it."""

from __future__ import annotations

from clausewatch import config
from infra.components.alerting import ALERT_TIMEOUT_SECONDS


def test_the_calendar_change_lease_is_at_least_twice_the_alert_timeout():
    assert config.CALENDAR_CHANGE_LEASE_SECONDS >= 2 * ALERT_TIMEOUT_SECONDS
