"""The weekly digest, pure: who gets which reminder by email, and the digest itself."""

from __future__ import annotations

from datetime import date

import pytest

from clausewatch.digest import DigestItem, render_digest, wants_reminder, week_of

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize("reminders, lead, left, escalated, sent", [
    ("each", 90, 90, False, True),
    ("urgent", 90, 90, False, False),
    ("urgent", 7, 7, False, True),
    ("urgent", 30, 3, False, True),  # an immediate reminder for a date already close
    ("none", 30, 30, False, False),
    ("none", 0, 0, False, True),  # the day itself always goes out
    ("none", 7, -2, False, True),  # and overdue
    ("none", 90, 90, True, True),  # escalations always go out
    ("unknown", 90, 90, False, True),
])
def test_who_gets_a_reminder_by_email(reminders, lead, left, escalated, sent):
    assert wants_reminder(reminders, lead_days=lead, days_left=left, escalated=escalated) is sent


def _item(due: date, summary: str = "Claim the credit") -> DigestItem:
    return DigestItem("c1", "SaaS <Subscription>", "o1", summary, due, (due - TODAY).days, "end of 2026-10 + P30D")


def test_the_digest_lists_overdue_first_then_the_next_two_weeks():
    message = render_digest("priya@x.test", [_item(date(2026, 12, 10), "Report"), _item(date(2026, 11, 20), "Plan"),
                                             _item(date(2027, 1, 30), "Far away")],
                            TODAY, "cw@x.test", "https://cw.example.com/api")
    assert message["To"] == "priya@x.test" and "1 due in 14 days, 1 overdue" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert text.index("OVERDUE by 10 day(s)") < text.index("10 day(s) left")
    assert "Far away" not in text and "end of 2026-10 + P30D" in text
    assert "SaaS &lt;Subscription&gt;" in message.get_body(("html",)).get_content()


def test_nothing_due_means_no_email_and_weeks_are_iso_weeks():
    assert render_digest("p@x.test", [], TODAY, "cw@x.test", "u") is None
    assert render_digest("p@x.test", [_item(date(2027, 3, 1))], TODAY, "cw@x.test", "u") is None
    assert week_of(date(2026, 11, 30)) == "2026-W49" and week_of(date(2027, 1, 1)) == "2026-W53"


def test_each_line_names_the_counterparty_and_the_email_is_dated():
    """Two contracts both titled "Services Agreement" are told apart by their counterparties, as the
    reminder subjects do (QA q6 SHOULD-8); the digest carries a Date: header (QA q6 NIT)."""
    from datetime import UTC, datetime

    items = [DigestItem(cid, "Services Agreement", "notice_deadline", "Last day to give notice", date(2026, 12, 14),
                        0, None, party) for cid, party in (("la", "Acme LA Inc."), ("tk", "Acme Tokyo KK"))]
    sent_at = datetime(2026, 12, 14, 7, 0, tzinfo=UTC)
    message = render_digest("pat@x.test", items, date(2026, 12, 14), "cw@x.test", "u", sent_at=sent_at)
    text = message.get_body(("plain",)).get_content()
    assert "14 Dec 2026 (due today) — Services Agreement — Acme LA Inc.: Last day to give notice" in text
    assert "14 Dec 2026 (due today) — Services Agreement — Acme Tokyo KK: Last day to give notice" in text
    assert "Acme Tokyo KK" in message.get_body(("html",)).get_content()
    assert message["Date"].datetime == sent_at
