"""The embedded default's weekly digest rule (local/cloud.py): Monday 07:00 UTC, as the CDK rule;
`fire_until` covers (now, until], so the rule fires once per week however the calls are cut."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clausewatch.local.cloud import next_digest_at


def test_the_rule_fires_on_the_next_monday_0700_utc_strictly_after_now():
    monday_0700 = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert next_digest_at(datetime(2026, 11, 25, 14, 0, tzinfo=UTC)) == monday_0700  # a Wednesday
    assert next_digest_at(monday_0700 - timedelta(seconds=1)) == monday_0700
    # a call that ended on the instant fired it: the next one, starting there, waits a week
    assert next_digest_at(monday_0700) == monday_0700 + timedelta(days=7)
    assert next_digest_at(datetime(2026, 11, 30, 2, 0, tzinfo=UTC) - timedelta(hours=5)) == monday_0700  # Sunday
    # an aware time in another zone is the same instant
    from zoneinfo import ZoneInfo

    assert next_digest_at(datetime(2026, 11, 30, 0, 59, tzinfo=ZoneInfo("America/Chicago"))) == monday_0700  # 06:59Z
