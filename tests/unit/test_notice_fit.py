"""Which terms a notice period is longer than (`extract.notice_fit.misfits`), the one rule for an
entry refused and an extraction flagged."""

from __future__ import annotations

import pytest

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
