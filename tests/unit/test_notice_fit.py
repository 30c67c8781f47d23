"""Which terms a notice period is longer than (`extract.notice_fit.misfits`), the one rule for an
entry refused and an extraction flagged."""

from __future__ import annotations

from datetime import date

import pytest

from clausewatch import plan
from clausewatch.extract.model import ContractExtraction, Term
from clausewatch.extract.notice_fit import misfits, without_settled


@pytest.mark.parametrize("values, longer", [
    ({"notice_period": "P18M", "initial_term": "P6M", "renewal_term": "P1Y"}, ["initial_term", "renewal_term"]),
    ({"notice_period": "P18M", "initial_term": "P3Y", "renewal_term": "P1Y"}, ["renewal_term"]),
    # a contract said not to renew gives no notice on a renewal term
    ({"notice_period": "P18M", "initial_term": "P3Y", "renewal_term": "P1Y", "auto_renewal": False}, []),
    ({"notice_period": "P18M", "initial_term": "P3Y", "renewal_term": "P1Y", "auto_renewal": True}, ["renewal_term"]),
    # within a month's spread either way: never counted longer
    ({"notice_period": "P31D", "initial_term": "P1M"}, []),
    ({"notice_period": "P35D", "initial_term": "P1M"}, ["initial_term"]),
    # 60 business days are about 84 calendar days: longer than two months, not than three
    ({"notice_period": "P60BD", "initial_term": "P2M"}, ["initial_term"]),
    ({"notice_period": "P60BD", "initial_term": "P3M"}, []),
    # nothing to compare, or a value that is no duration
    ({"notice_period": "P18M"}, []),
    ({"initial_term": "P6M"}, []),
    ({"notice_period": "eighteen months", "initial_term": "P6M"}, []),
    ({"notice_period": "P18M", "initial_term": None}, []),
])
def test_the_terms_a_notice_period_is_longer_than(values, longer):
    assert misfits(values) == longer


def test_an_entry_that_fits_settles_only_its_own_flag():
    flags = [{"kind": "notice_longer_than_term", "given_on": "initial_term"},
             {"kind": "notice_longer_than_term", "given_on": "renewal_term"},
             {"kind": "impossible_date", "term": "effective_date"}]
    # the initial term entered as three years: the renewal term still does not fit
    kept = without_settled(flags, {"notice_period": "P18M", "initial_term": "P3Y", "renewal_term": "P1Y"})
    assert kept == flags[1:]
    assert without_settled(flags, {"notice_period": "P60D", "initial_term": "P6M", "renewal_term": "P1Y"}) \
        == flags[2:]


def _planned(terms: dict, today: date) -> list[tuple[str, str]]:
    extraction = ContractExtraction(source="x.pdf", pages=1,
                                    terms={name: Term(value=value, evidence=None) for name, value in terms.items()})
    info = plan.ContractInfo("c1", "T", None, None, "team", None, "UTC", None)
    return [(d.obligation_id, d.due.isoformat()) for d in plan.deadlines_for_contract(info, extraction, today=today)]


TERMS = {"effective_date": "2024-01-01", "expiration_date": "2024-03-31", "initial_term": "P3M",
         "auto_renewal": True, "renewal_term": "P1Y", "notice_period": "P6M"}


def test_a_notice_longer_than_the_initial_term_leaves_out_its_deadline_only_the_renewals_it_fits_keep_theirs():
    # before the initial term ends: its deadline (2023-09-30, before it began) is left out, the first
    # renewal's (2025-03-31 - P6M) is planned
    assert ("notice_deadline", "2024-09-30") in _planned(TERMS, date(2024, 2, 1))
    # years on: the running renewal's
    assert ("notice_deadline", "2027-09-30") in _planned(TERMS, date(2026, 12, 6))
    # a period that fits no term: none at all
    assert "notice_deadline" not in {o for o, _ in _planned({**TERMS, "renewal_term": "P3M"}, date(2026, 12, 6))}
