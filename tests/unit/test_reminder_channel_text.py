"""What a team's channel reads about a reminder (pipeline/reminders._publish_reminder): the contract
named as the alert's subject names it, its days as the emails say them (QA q6 SHOULD-8)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from clausewatch.notify import content_for
from clausewatch.pipeline import reminders
from clausewatch.plan import ContractInfo, Deadline

CONTRACT = SimpleNamespace(contract_id="c1", title="Services Agreement", file_name="c.pdf", team="t5",
                           owner="pat@example.com", counterparty="Blue Heron Services LLC")


def _summary(monkeypatch, due: date, at: datetime, kind: str = "notice_deadline") -> tuple[str, str]:
    from clausewatch.pipeline import webhooks

    published = []
    monkeypatch.setattr(webhooks, "publish_quietly", lambda settings, team, event: published.append(event))
    obligation = SimpleNamespace(obligation_id=kind, kind=kind, summary="Last day to give notice", due=due.isoformat(),
                                 owner=None, derivation="expiration_date 2027-03-31 - P90D")
    info = ContractInfo("c1", CONTRACT.title, CONTRACT.counterparty, CONTRACT.owner, "t5", None, "America/New_York",
                        None)
    content = content_for(info, Deadline(kind, kind, obligation.summary, due, None, None, obligation.derivation, ""),
                          sent_at=at, api_base_url="https://cw.example.com")
    settings = SimpleNamespace(api_base_url="https://cw.example.com")
    reminders._publish_reminder(settings, CONTRACT, obligation, content, "cw-x", at)  # type: ignore[arg-type]
    [event] = published
    return event.type, event.summary


@pytest.mark.parametrize("due, kind, event_type, said", [
    (date(2026, 12, 31), "notice_deadline", "reminder.due", "due 31 Dec 2026 (due today)"),  # was "(0 days left)"
    (date(2027, 1, 1), "notice_deadline", "reminder.due", "due 1 Jan 2027 (1 day left)"),
    (date(2026, 12, 29), "notice_deadline", "obligation.overdue", "due 29 Dec 2026 (OVERDUE by 2 days)"),
    (date(2026, 12, 30), "expiration", "reminder.due", "due 30 Dec 2026 (passed 1 day ago)"),
])
def test_the_channel_names_the_counterparty_and_says_due_today(monkeypatch, due, kind, event_type, said):
    at = datetime(2026, 12, 31, 14, 0, tzinfo=UTC)  # 09:00 in New York
    typ, summary = _summary(monkeypatch, due, at, kind)
    assert typ == event_type
    assert summary == f"Services Agreement — Blue Heron Services LLC: Last day to give notice — {said}"

