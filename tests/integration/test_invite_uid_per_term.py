"""QA Q6 SHOULD-4 on the store: the UID of a notice deadline's invite comes from the entry the
recipients' calendars hold (``INVITE#``): the same while its day has not passed (entries mailed
before UIDs were per term, which record none, keep ``event_uid(contract, obligation)``), a new one
for the next term's deadline once it has, recorded with only the recipients it went to."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from clausewatch.notify import event_uid
from clausewatch.pipeline.calendar_changes import invite_uid_now, record_invite
from clausewatch.store import invites
from clausewatch.store import repository as repo
from tests.integration.test_reminders_e2e import saas, saas_saved  # noqa: F401 (fixtures)


def test_the_next_terms_deadline_is_mailed_and_recorded_as_an_entry_of_its_own(cloud, saas):  # noqa: F811
    contract = repo.get_contract(saas)
    legacy = event_uid(saas, "notice_deadline")
    # an entry mailed before UIDs were per term: no uid recorded
    invites.record_sent(contract_id=saas, obligation_id="notice_deadline", due="2026-12-30",
                        to=["old@example.com"], kind="notice_deadline", summary="Last day", title="SaaS",
                        counterparty=None, time_zone=contract.time_zone, sequence=1)
    before_its_day = datetime(2026, 12, 20, 17, 0, tzinfo=UTC)
    assert invite_uid_now(contract, "notice_deadline", "2026-12-30", before_its_day) == legacy
    next_term = datetime(2027, 10, 1, 16, 0, tzinfo=UTC)
    uid = invite_uid_now(contract, "notice_deadline", "2027-12-30", next_term)
    assert uid != legacy
    record_invite(contract, SimpleNamespace(obligation_id="notice_deadline", due="2027-12-30",
                                            kind="notice_deadline", summary="Last day"),
                  ["new@example.com"], next_term)
    entry = invites.get(saas, "notice_deadline")
    assert (entry.due, entry.uid, entry.to) == ("2027-12-30", uid, ["new@example.com"])
    # its later reminders keep it
    assert invite_uid_now(contract, "notice_deadline", "2027-12-30", datetime(2027, 12, 1, tzinfo=UTC)) == uid
