"""The embedded default's digest rule (local/cloud.py): the top of every hour of the UTC Sundays and
Mondays (config.DIGEST_SCHEDULE, as the CDK rule); `fire_until` covers (now, until], so the rule
fires once per hour however the calls are cut."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clausewatch.local.cloud import next_digest_at


def test_the_rule_fires_at_the_next_top_of_an_hour_of_a_sunday_or_monday_utc_strictly_after_now():
    sunday = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
    assert next_digest_at(datetime(2026, 11, 25, 14, 0, tzinfo=UTC)) == sunday  # a Wednesday
    assert next_digest_at(sunday - timedelta(seconds=1)) == sunday
    # a call that ended on the instant fired it: the next one, starting there, waits an hour
    assert next_digest_at(sunday) == sunday + timedelta(hours=1)
    assert next_digest_at(datetime(2026, 11, 30, 7, 0, tzinfo=UTC)) == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    # after Monday's last hour, the next Sunday
    assert next_digest_at(datetime(2026, 11, 30, 23, 0, tzinfo=UTC)) == sunday + timedelta(days=7)
    # an aware time in another zone is the same instant
    from zoneinfo import ZoneInfo

    assert next_digest_at(datetime(2026, 11, 30, 0, 59, tzinfo=ZoneInfo("America/Chicago"))) == \
        datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # 06:59Z
