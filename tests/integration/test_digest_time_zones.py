"""A reader's own time zone for the weekly digest, through the API and the hourly rule of the
embedded default (as EventBridge fires it): Priya in Los Angeles and Sam in Tokyo each get their
digest at 07:00 on their Monday, dated that Monday; it went out Monday 07:00 UTC to everyone (Sunday
night in Los Angeles), dated the UTC Monday. A zone that is not an IANA name is refused, saying so."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

from clausewatch import clock
from tests.integration.api_support import NOW, PROCUREMENT, _world, call, claims, world  # noqa: F401

PRIYA = claims(PROCUREMENT, "viewer", "priya.raman@example.com")
SAM = claims(PROCUREMENT, "viewer", "sam.ortiz@example.com")


def test_the_time_zone_preference_is_an_iana_name_kept_until_changed(world):  # noqa: F811
    assert call("GET", "/me/preferences", claims=PRIYA).json()["time_zone"] == "UTC"  # the default
    for bad in ("Mars/Olympus", "America/Los_Angeles ", "../../etc/passwd", "localtime", ""):
        reply = call("PUT", "/me/preferences", claims=PRIYA,
                     body={"digest": "weekly", "reminders": "each", "time_zone": bad})
        assert reply.status == 400, (bad, reply.text)
        assert reply.json()["message"].startswith("time_zone: "), reply.text
    reply = call("PUT", "/me/preferences", claims=PRIYA,
                 body={"digest": "weekly", "reminders": "each", "time_zone": "America/Los_Angeles"})
    assert reply.status == 200 and reply.json()["time_zone"] == "America/Los_Angeles"
    # a PUT that does not name it keeps it
    reply = call("PUT", "/me/preferences", claims=PRIYA, body={"digest": "weekly", "reminders": "urgent"})
    assert reply.json()["time_zone"] == "America/Los_Angeles"
    assert call("GET", "/me/preferences", claims=PRIYA).json()["time_zone"] == "America/Los_Angeles"
    assert "not an IANA time zone name" in call(
        "PUT", "/me/preferences", claims=PRIYA,
        body={"digest": "weekly", "reminders": "each", "time_zone": "Mars/Olympus"}).json()["message"]


def test_each_reader_gets_the_digest_at_0700_on_their_monday_dated_that_monday(world, _local_cloud_session):  # noqa: F811
    cloud = _local_cloud_session
    for who, zone in ((PRIYA, "America/Los_Angeles"), (SAM, "Asia/Tokyo")):
        assert call("PUT", "/me/preferences", claims=who,
                    body={"digest": "weekly", "reminders": "each", "time_zone": zone}).status == 200
    clock.set_now(NOW)  # Wednesday 25 Nov 2026
    mail_before, runs_before = len(cloud.sent_mail()), len(cloud.digests)
    cloud.fire_until(datetime(2026, 12, 8, 0, 0, tzinfo=UTC))
    # the runs that met a reader's Monday 07:00: Tokyo's (Sunday 22:00 UTC), Los Angeles' (Monday
    # 15:00 UTC, PST); on 30 Nov Sam has nothing due in the two weeks from his Monday
    runs = [(f.at, f.result) for f in cloud.digests[runs_before:]]
    assert runs == [(datetime(2026, 11, 29, 22, 0, tzinfo=UTC), {"sent": 0, "empty": 1, "already_sent": 0}),
                    (datetime(2026, 11, 30, 15, 0, tzinfo=UTC), {"sent": 1, "empty": 0, "already_sent": 0}),
                    (datetime(2026, 12, 6, 22, 0, tzinfo=UTC), {"sent": 1, "empty": 0, "already_sent": 0}),
                    (datetime(2026, 12, 7, 15, 0, tzinfo=UTC), {"sent": 1, "empty": 0, "already_sent": 0})]
    digests = [m for m in (message_from_bytes(m, policy=policy.default) for m in cloud.sent_mail()[mail_before:])
               if "your week of" in (m["Subject"] or "")]
    by_reader = {(m["To"], m["Date"].datetime): m for m in digests}
    assert set(by_reader) == {("priya.raman@example.com", datetime(2026, 11, 30, 15, 0, tzinfo=UTC)),
                              ("priya.raman@example.com", datetime(2026, 12, 7, 15, 0, tzinfo=UTC)),
                              ("sam.ortiz@example.com", datetime(2026, 12, 6, 22, 0, tzinfo=UTC))}
    # Sam's: 07:00 on Monday 7 Dec in Tokyo (still Sunday in UTC), dated and counted from that Monday
    sam = by_reader[("sam.ortiz@example.com", datetime(2026, 12, 6, 22, 0, tzinfo=UTC))]
    text = sam.get_body(("plain",)).get_content()
    assert "your week of 7 Dec 2026" in sam["Subject"] and "What needs you, as of 7 Dec 2026:" in text
    assert "15 Dec 2026 (8 day(s) left) — Master Services Agreement" in text
    # Priya's: 07:00 on Monday 7 Dec in Los Angeles (15:00 UTC), dated 7 Dec
    priya = by_reader[("priya.raman@example.com", datetime(2026, 12, 7, 15, 0, tzinfo=UTC))]
    text = priya.get_body(("plain",)).get_content()
    assert "your week of 7 Dec 2026" in priya["Subject"] and "14 Dec 2026 (7 day(s) left)" in text

