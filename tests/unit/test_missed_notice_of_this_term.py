"""A missed notice deadline is told as the running term's only when it is that term's (review: an
earlier term's, left open, was cited as this term's in the term end's reminders and GET /renewals)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from clausewatch.api.renewals import _missed_notice_deadline
from clausewatch.pipeline.record import _term_end_told_of_missed_notice
from clausewatch.plan import Deadline
from clausewatch.schema import ObligationStatus


def _deadline(oid: str, due: date) -> Deadline:
    return Deadline(obligation_id=oid, kind=oid, summary="", due=due, owner=None, evidence=None,
                    derivation="", action="Unless notice of non-renewal was given, the contract renews.")


def _kept(day: str):
    return SimpleNamespace(obligation_id=f"notice_deadline@{day}", status=ObligationStatus.OPEN, due=day)


DEADLINES = [_deadline("expiration", date(2027, 2, 28)), _deadline("notice_deadline", date(2027, 12, 31))]


def test_the_term_end_tells_only_the_running_terms_missed_deadline():
    told = _term_end_told_of_missed_notice(DEADLINES, [_kept("2025-12-30")], date(2026, 12, 30))
    assert told[0].action.startswith("Unless")  # last term's, left open: not this term's
    told = _term_end_told_of_missed_notice(DEADLINES, [_kept("2025-12-30"), _kept("2026-12-30")],
                                           date(2026, 12, 30))
    assert told[0].action.startswith("The notice deadline for this term (30 Dec 2026) passed")
    assert _term_end_told_of_missed_notice(DEADLINES, [_kept("2026-12-30")], None) == DEADLINES


def test_the_renewals_row_tells_only_a_deadline_of_the_running_term(monkeypatch):
    from clausewatch.api import renewals

    stored = [_kept("2025-12-30")]
    monkeypatch.setattr(renewals.ObligationItem, "query", lambda *a, **k: iter(stored))
    notice = SimpleNamespace(due="2027-12-31")
    end = SimpleNamespace(due="2027-02-28")
    assert _missed_notice_deadline("c-1", notice, end, "P60D") is None
    stored.append(_kept("2026-12-30"))
    assert _missed_notice_deadline("c-1", notice, end, "P60D").due == "2026-12-30"
    assert _missed_notice_deadline("c-1", notice, end, None) is None  # which term's: cannot be told
