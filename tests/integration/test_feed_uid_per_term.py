"""The subscribed calendar feed gives a renewed term's deadline an entry of its own, by the invites'
rule (``notify.invite_uid``): the feed kept one UID per obligation, so once the SaaS contract's notice
deadline of 30 Dec 2026 passed and its next term's was served, subscribers' calendars
moved the past entry to the new date. An entry a subscriber holds keeps its UID: what every feed
served until now (``event_uid(contract, obligation)``), and a later term's once it has been served."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar

from clausewatch import clock
from clausewatch.notify import event_uid
from clausewatch.pipeline import record
from clausewatch.pipeline.calendar_changes import record_invite
from clausewatch.store import invites
from clausewatch.store import repository as repo
from tests.integration.api_support import call, claims
from tests.integration.test_reminders_e2e import SAAS, saas, saas_saved  # noqa: F401 (fixtures)
from tests.paths import sample_metadata


def served(token: str, at: datetime) -> dict[str, tuple[str, date]]:
    """What a calendar app polling the feed at ``at`` gets: UID -> (obligation summary, date)."""
    clock.set_now(at)
    reply = call("GET", "/calendar.ics", query={"feed": token})
    assert reply.status == 200, reply.text
    return {str(e["UID"]): (str(e["SUMMARY"]), e.decoded("DTSTART"))
            for e in Calendar.from_ical(reply.text).walk("VEVENT")}


def a_feed() -> str:
    admin = claims(sample_metadata()[SAAS]["team"], "admin", "ada.admin@example.com")
    reply = call("POST", "/feeds", claims=admin, body={"label": "deadlines"})
    assert reply.status == 201, reply.text
    return reply.json()["token"]


def renew(contract_id: str, at: datetime) -> None:
    """The planner's re-planning once the notice deadline's day passed: the next term's dates."""
    clock.set_now(at)
    record.refresh_deadlines(repo.get_contract(contract_id), today=at.date(), actor="planner")


def test_a_renewed_terms_notice_deadline_is_a_feed_entry_of_its_own(cloud, saas):  # noqa: F811
    token, legacy = a_feed(), event_uid(saas, "notice_deadline")
    # what the feed served yesterday, and still serves while its day has not passed (New York)
    assert served(token, datetime(2026, 12, 20, 15, 0, tzinfo=UTC))[legacy][1] == date(2026, 12, 30)
    assert served(token, datetime(2026, 12, 31, 4, 0, tzinfo=UTC))[legacy][1] == date(2026, 12, 30)
    renew(saas, datetime(2026, 12, 31, 15, 0, tzinfo=UTC))
    due = date.fromisoformat(repo.get_obligation(saas, "notice_deadline").due)
    assert due.year == 2027
    events = served(token, datetime(2026, 12, 31, 16, 0, tzinfo=UTC))
    next_term = event_uid(saas, f"notice_deadline@{due.isoformat()}")
    # a new entry for the next term's deadline: the past one is not moved to it (before: legacy on it)
    assert events[next_term][1] == due and "Notice deadline" in events[next_term][0]
    assert events.get(legacy, ("", None))[1] != due
    # and it keeps its UID on every later poll
    assert served(token, datetime(2027, 6, 1, 15, 0, tzinfo=UTC))[next_term][1] == due
    assert invites.feed_entries([(saas, "notice_deadline")]) == {(saas, "notice_deadline"): (due, next_term)}
    # a deleted contract keeps nothing of it
    repo.delete_contract_items(saas)
    assert invites.feed_entries([(saas, "notice_deadline")]) == {}


def test_an_entry_a_subscriber_holds_keeps_its_uid_whatever_invites_were_mailed(cloud, saas):  # noqa: F811
    """The feed's entry is what subscribers hold, not what the invites' recipients hold: an invite of
    the running term's deadline mailed under a UID of its own (its recipients' entry of an earlier
    term had passed) leaves the feed's entry as it was served: the same UID, one event."""
    token, legacy = a_feed(), event_uid(saas, "notice_deadline")
    before = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    assert served(token, before)[legacy][1] == date(2026, 12, 30)
    contract, obligation = repo.get_contract(saas), repo.get_obligation(saas, "notice_deadline")
    invites.record_sent(contract_id=saas, obligation_id="notice_deadline", due="2025-12-30", to=["old@example.com"],
                        kind="notice_deadline", summary="Last day", title="SaaS", counterparty=None,
                        time_zone=contract.time_zone, sequence=1)
    record_invite(contract, obligation, ["new@example.com"], before)
    assert invites.get(saas, "notice_deadline").uid == event_uid(saas, "notice_deadline@2026-12-30")
    events = served(token, datetime(2026, 12, 2, 15, 0, tzinfo=UTC))
    assert events[legacy][1] == date(2026, 12, 30)
    assert event_uid(saas, "notice_deadline@2026-12-30") not in events


def test_a_serve_records_a_bounded_number_of_entries_the_nearest_first(cloud, saas, monkeypatch):  # noqa: F811
    from clausewatch.api import feeds

    monkeypatch.setattr(feeds, "RECORDED_PER_SERVE", 1)
    token = a_feed()
    at = datetime(2026, 12, 20, 15, 0, tzinfo=UTC)
    first = served(token, at)
    keys = [(saas, o.obligation_id) for o in repo.obligations(saas) if o.due]
    assert len(keys) >= 2 and len(first) >= 2
    [(due, uid)] = invites.feed_entries(keys).values()
    assert due == min(day for _, day in first.values()) and uid in first
    # the nearest day was recorded; the others are served the same UIDs and recorded on later polls
    assert served(token, at) == first
    assert len(invites.feed_entries(keys)) == 2
