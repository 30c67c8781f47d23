"""A reader's own time zone for the weekly digest: the hourly run sends each reader's digest at 07:00
on their Monday, dated that Monday and counted from it (it went out Monday 07:00 UTC to everyone,
Sunday night in the Americas, dated the UTC Monday); a run at another hour sends them nothing, and a
retried run or a zone changed mid-week sends none twice."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from clausewatch import config
from clausewatch.digest import DigestItem, render_digest, told_apart
from clausewatch.pipeline import digest as run

LA, TOKYO = "America/Los_Angeles", "Asia/Tokyo"
# Monday 7 Dec 2026, 07:00 in each zone: 15:00 UTC on the Monday in Los Angeles (PST, UTC-8), 22:00
# UTC on Sunday 6 Dec in Tokyo (UTC+9)
LA_0700 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
TOKYO_0700 = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)
MONDAY = date(2026, 12, 7)


class Outbox:
    """The run's edges, faked: the readers, their items, the week claims and the sent emails."""

    def __init__(self, monkeypatch, readers: dict[str, str | None]) -> None:
        self.readers = readers
        self.claims: dict[tuple[str, str], list[str]] = {}
        self.sent: list = []
        monkeypatch.setattr(run.preferences, "weekly_subscribers", lambda: [
            SimpleNamespace(email=email, teams=["t"], time_zone=zone) for email, zone in self.readers.items()])
        monkeypatch.setattr(run, "items_for", self.items_for)
        monkeypatch.setattr(run.preferences, "claim_digest", self.claim)
        monkeypatch.setattr(run.preferences, "release_digest", lambda email, week: self.claims.pop((email, week)))
        monkeypatch.setattr(run, "send_email", self.sent.append)

    @staticmethod
    def items_for(email: str, teams: list[str], day: date) -> list[DigestItem]:
        # a notice deadline on Monday 7 Dec (in its contract's zone) and one on Wednesday 9 Dec
        return [DigestItem("c1", "Services Agreement", o, "Last day", due, (due - day).days, None, "Blue Heron")
                for o, due in (("notice_deadline", date(2026, 12, 7)), ("invoice", date(2026, 12, 9)))]

    def claim(self, email: str, week: str, items: int, listed: list[str] | None = None) -> bool:
        if (email, week) in self.claims:
            return False
        self.claims[(email, week)] = list(listed or [])
        return True

    def to(self, email: str) -> list:
        return [m for m in self.sent if m["To"] == email]


def send(at: datetime) -> dict[str, int]:
    return run.send_digests(SimpleNamespace(sender_email="cw@x.test", api_base_url="https://cw.test"), at)


def test_los_angeles_and_tokyo_readers_get_their_digest_at_their_0700_dated_their_monday(monkeypatch):
    outbox = Outbox(monkeypatch, {"la@x.test": LA, "tokyo@x.test": TOKYO, "utc@x.test": None})
    assert send(TOKYO_0700) == {"sent": 1, "empty": 0, "already_sent": 0}
    [tokyo] = outbox.to("tokyo@x.test")
    assert not outbox.to("la@x.test") and not outbox.to("utc@x.test")
    assert send(LA_0700)["sent"] == 1
    [la] = outbox.to("la@x.test")
    for message in (tokyo, la):
        text = message.get_body(("plain",)).get_content()
        assert "your week of 7 Dec 2026" in message["Subject"] and "What needs you, as of 7 Dec 2026:" in text
        # counted from their Monday: the deadline on it is due today, Wednesday's 2 days left
        assert "7 Dec 2026 (due today)" in text and "9 Dec 2026 (2 day(s) left)" in text
    # dated ("as of") their Monday, claimed for its ISO week; sent at their 07:00
    assert la["Date"].datetime == LA_0700 and tokyo["Date"].datetime == TOKYO_0700
    assert set(outbox.claims) == {("tokyo@x.test", "2026-W50"), ("la@x.test", "2026-W50")}
    # the UTC reader: Monday 07:00 UTC, as before
    assert send(datetime(2026, 12, 7, 7, 0, tzinfo=UTC))["sent"] == 1 and outbox.to("utc@x.test")


@pytest.mark.parametrize("hour", [h for h in range(48) if h not in (22, 39)])
def test_a_run_at_another_hour_sends_them_nothing(monkeypatch, hour):
    """Every other hourly run of the Sunday and Monday (UTC) the rule fires on."""
    outbox = Outbox(monkeypatch, {"la@x.test": LA, "tokyo@x.test": TOKYO})
    at = datetime(2026, 12, 6, 0, 0, tzinfo=UTC) + timedelta(hours=hour)
    assert send(at) == {"sent": 0, "empty": 0, "already_sent": 0} and not outbox.sent


def test_a_retried_run_or_a_zone_changed_mid_week_sends_none_twice(monkeypatch):
    outbox = Outbox(monkeypatch, {"pat@x.test": TOKYO})
    assert send(TOKYO_0700)["sent"] == 1
    assert send(TOKYO_0700 + timedelta(minutes=3)) == {"sent": 0, "empty": 0, "already_sent": 1}  # retried
    outbox.readers["pat@x.test"] = LA  # moved to Los Angeles on their Monday: that Monday is the same week
    assert send(LA_0700) == {"sent": 0, "empty": 0, "already_sent": 1}
    assert len(outbox.to("pat@x.test")) == 1
    assert send(LA_0700 + timedelta(days=7))["sent"] == 1  # and the next week's comes at 07:00 there


def test_a_retried_invocation_is_for_the_hour_it_was_scheduled():
    """The rule's event carries its scheduled time: a run retried after the hour still sends to the
    readers of its hour (dated as they would have been), not to the next hour's."""
    late = TOKYO_0700 + timedelta(hours=1, minutes=5)
    assert run.run_time({"digest": True, "at": "2026-12-06T22:00:00Z"}, late) == TOKYO_0700
    assert run.run_time({"digest": True}, late) == late  # `clausewatch digest`, an older event


def test_every_zones_monday_0700_is_met_by_exactly_one_run_a_week():
    """The rule's runs (the top of each hour of the UTC days config.DIGEST_RUN_DAYS, as the local
    emulation fires config.DIGEST_SCHEDULE) meet each IANA zone's Monday 07:xx once a week, across
    the year's daylight-saving changes, the half- and quarter-hour zones and UTC+14 / UTC-12."""
    runs, at = [], datetime(2026, 1, 3, 23, 30, tzinfo=UTC)  # Saturday: the first run is Sunday 00:00
    while (at := run.next_run_at(at)) < datetime(2027, 1, 3, tzinfo=UTC):  # 52 Sundays and Mondays
        runs.append(at)
    assert config.DIGEST_SCHEDULE == "cron(0 * ? * SUN,MON *)" and len(runs) == 52 * 48
    assert runs[0] == datetime(2026, 1, 4, 0, 0, tzinfo=UTC) and runs[-1] == datetime(2026, 12, 28, 23, 0, tzinfo=UTC)
    for zone in sorted(zoneinfo.available_timezones()):
        mondays = [day for at in runs if (day := run.digest_due(at, zone)) is not None]
        assert len(mondays) == len(set(mondays)) == 52, zone
        assert all(day.weekday() == 0 for day in mondays), zone


def _alike(contract_id: str, file_name: str | None) -> DigestItem:
    return DigestItem(contract_id, "Services Agreement", "notice_deadline", "Last day", MONDAY, 0, None,
                      "Blue Heron", file_name)


def test_contracts_named_alike_are_told_apart_by_their_file_or_id():
    """Two contracts with the same title and counterparty were told apart only by their links."""
    items = [_alike("c1", "msa-2024.pdf"), _alike("c2", "msa-2026.pdf"),
             DigestItem("c3", "Other", "expiration", "Term ends", MONDAY, 0, None, "Blue Heron", "other.pdf")]
    assert told_apart(items) == {"c1": "file msa-2024.pdf", "c2": "file msa-2026.pdf"}
    text = render_digest("p@x.test", items, MONDAY, "cw@x.test", "u").get_body(("plain",)).get_content()
    assert "— Services Agreement — Blue Heron [file msa-2024.pdf]: Last day" in text
    assert "— Services Agreement — Blue Heron [file msa-2026.pdf]: Last day" in text
    assert "— Other — Blue Heron: Term ends" in text
    # the same file name uploaded twice (another copy): their ids
    assert told_apart([_alike("c1", "msa.pdf"), _alike("c2", "msa.pdf"), _alike("c2", "msa.pdf")]) == {
        "c1": "contract c1", "c2": "contract c2"}
