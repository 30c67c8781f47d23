"""The CLI's text renderers a new user QA'd (hcli): what they print for a stored record."""

from __future__ import annotations

from clausewatch.local.renewal_cli import pending_table, show_renewal
from clausewatch.renewal.store import RenewalItem


def _waiting(contract_id: str = "81f2e11103066aae") -> RenewalItem:
    # the wait ends at the end of 2026-12-15 in New York: 04:59:59 UTC the next day
    return RenewalItem(contract_id=contract_id, term_end="2027-02-28", notice_deadline="2026-12-30",
                       state="waiting", waiting_round="owner", wait_deadline="2026-12-16T04:59:59+00:00",
                       recommendation={"decision": "renegotiate", "owner_decides_by": "2026-12-15"})


def test_a_waiting_decisions_end_is_the_day_and_time_in_the_contracts_zone_not_the_utc_date():
    """QA (hcli) 2: the table said "until 2026-12-16" (the UTC date of the wait's end) while
    `renewal show` and the email say "decides by 2026-12-15"."""
    item = _waiting()
    [row] = pending_table([item], {item.contract_id: "SaaS"}, {item.contract_id: "America/New_York"})
    assert row.endswith("waiting for the owner until 2026-12-15 23:59 America/New_York")
    [row] = pending_table([item], {item.contract_id: "SaaS"})  # no zone known: UTC, said so
    assert row.endswith("until 2026-12-16 04:59 UTC")
    shown = show_renewal(item, "America/New_York")
    assert shown[1] == "state: waiting, waiting for the owner until 2026-12-15 23:59 America/New_York"
    assert "T04:59:59" not in "\n".join(shown)


def test_the_notice_letter_is_shown_as_the_file_on_this_disk_with_its_key():
    """QA (hcli) 3: `renewal show` printed the letter as "s3://…/<key>", which nobody can open locally."""
    item = RenewalItem(contract_id="cae3b814838df7ae", term_end="2027-06-02", state="decided",
                       notice_key="contracts/cae3b814838df7ae/notices/non-renewal-2027-06-02.pdf")
    blob = ".clausewatch/s3/blobs/" + "ab" * 32
    shown = "\n".join(show_renewal(item, "America/Chicago", blob))
    assert f"notice letter: {blob} (a PDF; its key in the bucket: {item.notice_key})" in shown
    assert "s3://" not in shown
    assert f"s3://…/{item.notice_key} (not saved on this disk yet)" in "\n".join(show_renewal(item))


def test_the_days_left_to_give_notice_say_when_they_were_counted_and_how_many_are_left_today(monkeypatch):
    """QA (2026-12-07): `renewal show` said "days left to give notice 41" as gathered, weeks later,
    with no "as of"."""
    from datetime import UTC, datetime

    from clausewatch import clock

    item = _waiting()
    item.evidence = {"days_left_to_give_notice": 41}
    item.history = [{"at": "2026-11-19T14:00:00+00:00", "actor": "workflow", "action": "evidence.gathered"}]
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 20, 15, 0, tzinfo=UTC))
    [line] = [row for row in show_renewal(item, "America/New_York") if row.startswith("evidence:")]
    assert line.endswith("days left to give notice 41 (as of 2026-11-19 09:00 America/New_York, when the evidence "
                         "was gathered; 10 today, to 2026-12-30)")
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 19, 15, 0, tzinfo=UTC))
    [line] = [row for row in show_renewal(item, "America/New_York") if row.startswith("evidence:")]
    assert line.endswith("(as of 2026-11-19 09:00 America/New_York, when the evidence was gathered)")
