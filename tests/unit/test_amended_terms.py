"""Which terms an amendment names as the ones it changes (``extract.amended_terms``): its numbered
headings and the sections it names, in its operative part; none named: not known."""

from __future__ import annotations

import pytest

from clausewatch.extract.amended_terms import terms_named

RECITALS = ('AMENDMENT NO. 2 TO MASTER SERVICES AGREEMENT\nRECITALS\nA. Section 4 (Fees) of the Agreement sets '
            'the fees.\nNOW, THEREFORE, the parties agree as follows:\n')


@pytest.mark.parametrize(("operative", "terms"), [
    ("1. Renewal. Section 3 of the Agreement is amended as set out in Exhibit A.", ("renewal_term", "auto_renewal")),
    ("1. Notice Period. The period is as stated in Schedule 2.", ("notice_period",)),
    ("1. Term. The term is as set out in Exhibit A.", ("initial_term", "expiration_date")),
    ("Section 7 (Pricing) of the Agreement is replaced by Exhibit B.", ("fees",)),
    ('Section 9, entitled "Governing Law", is replaced by Exhibit C.', ("governing_law",)),
    ("2.1 Service Credits. Exhibit D replaces the table.", ("service_credit_tiers", "service_credit_claim")),
    # what it changes is no term tracked, or not named: not known
    ("1. Services. The hosted services shall include the reporting module.", ()),
    ("1. Notices. The Provider's address for notices is 1 Main Street.", ()),  # the addresses
    ("The parties amend the Agreement as set out in Exhibit A.", ()),
])
def test_the_terms_an_amendment_names(operative, terms):
    # the recitals' "Section 4 (Fees)" is what the agreement says, not what the amendment changes
    assert terms_named(RECITALS + operative + "\nNo Other Changes. The Agreement remains unchanged.") == terms
