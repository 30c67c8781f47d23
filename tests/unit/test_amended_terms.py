"""Which terms an amendment names as the ones it changes (``extract.amended_terms``): its numbered
headings and the sections it names, in its operative part; none named: not known."""

from __future__ import annotations

import pytest

from clausewatch.extract.amended_terms import terms_named

RECITALS = ('AMENDMENT NO. 2 TO MASTER SERVICES AGREEMENT\nRECITALS\nA. Section 4 (Fees) of the Agreement sets '
            'the fees.\nNOW, THEREFORE, the parties agree as follows:\n')


@pytest.mark.parametrize(("operative", "terms"), [
    ("1. Renewal. Section 3 of the Agreement is amended as set out in Exhibit A.", ("renewal_term",)),
    ("1. Notice Period. Section 4 is deleted and replaced by Schedule 2.", ("notice_period",)),
    ("1. Term. Section 1 shall read as set out in Exhibit A.", ("expiration_date",)),
    ("2. Notice of Non-Renewal. Section 4.1 is amended as set out in Exhibit A.", ("notice_period",)),
    # each heading's term, in turn; one naming several terms needs each (the fees are never entered)
    ("1. Renewal. Section 3 of the Agreement is amended as set out in Exhibit A.\n2. Fees. Section 5 of the "
     "Agreement is amended as set out in Exhibit B.", ("renewal_term", "fees")),
    ("1. Renewal Fees. Section 3 of the Agreement is amended as set out in Exhibit A.", ("renewal_term", "fees")),
    ("Section 7 (Pricing) of the Agreement is replaced by Exhibit B.", ("fees",)),
    ('Section 9, entitled "Governing Law", is replaced by Exhibit C.', ("governing_law",)),
    ("2.1 Service Credits. Exhibit D replaces the table.", ("service_credit_tiers",)),
    # a section named in a sentence counts as a heading does, each named, its sentence joined across
    # the lines a PDF wrapped it on; a numbered caption naming only the section heads its clause
    ("Section 5 (Fees) of the Agreement is amended as set out in Exhibit B.", ("fees",)),
    ("1. Section 3 (Renewal) of the Agreement\nis amended as set out in Exhibit A.", ("renewal_term",)),
    ("With effect from the Amendment Effective Date, Section 3 (Renewal) and Section 4 (Notice) of the\nAgreement "
     "are amended as set out in Exhibit A.", ("renewal_term", "notice_period")),
    ('1. Amendments.\n(a) Section 3 ("Renewal") is amended as set out in Exhibit A;\n(b) Section 5 (Fees) remains '
     "unchanged.", ("renewal_term",)),
    ("1. Amendment to Section 3 (Renewal). Section 3 of the Agreement is deleted and replaced by Exhibit A.",
     ("renewal_term",)),
    ("1. Effect. Section 5 (Fees) of the Agreement\nremains in full force.\n2. Renewal. Section 3 is amended as "
     "set out in Exhibit A.", ("renewal_term",)),
    ("1. Amendment to Section 3 (Renewal). Section 3 is to be updated per Exhibit A.\n2. Fees. Section 5 is "
     "amended as set out in Exhibit B.", ()),
    # a list's items are amended by its lead-in; each of "Sections 3 (Renewal) and 4 (Notice)" is named
    ("The following sections of the Agreement are hereby amended as set out in Exhibit A: Section 3 (Renewal); "
     "Section 4 (Notice); and Section 5 (Fees).", ("renewal_term", "notice_period", "fees")),
    ("Section 2 (Term) and the following are amended as set out in Exhibit A: Section 3 (Renewal); Section 4 "
     "(Notice).", ("expiration_date", "renewal_term", "notice_period")),
    ("1. Amendments. The following are amended as set out in Exhibit A:\n(a) Section 3 (Renewal);\n(b) Section 4 "
     "(Notice).", ("renewal_term", "notice_period")),
    ("Sections 3 (Renewal) and 4 (Notice) are amended as set out in Exhibit A.", ("renewal_term", "notice_period")),
    ("Section 9.2(a) (Notice Period) is amended as set out in Exhibit A.", ("notice_period",)),
    # an abbreviation's full stop ends no sentence, a date wrapped to a line's start is no heading, a
    # section deleted is changed
    ("Section 3 (Renewal) as agreed with Acme Inc. in 2024 is amended as set out in Exhibit A.", ("renewal_term",)),
    ("1. Renewal. The renewal term shall end on\n31 December 2027 as Section 3 is amended to read.",
     ("renewal_term",)),
    ("Section 3 (Renewal) is deleted.", ("renewal_term",)),
    ("Section 3 (Renewal) is deleted in its entirety.", ("renewal_term",)),
    # a section named where neither a change nor its staying is read (a caption of several sections
    # too): what it changes is not known, whatever the other names say
    ("1. Section 3 (Renewal) and Section 5 (Fees).\nEach is amended as set out in Exhibit A.\n2. Section 4 "
     "(Notice).\nSection 4 is amended to read 90 days.", ()),
    ("Section 3 (Renewal) is amended as set out in Exhibit A.\nSection 4 (Notice) is to be updated per Exhibit B.",
     ()),
    # what it changes is no term tracked, or not named: not known
    ("1. Services. The hosted services shall include the reporting module.", ()),
    ("1. Notices. The Provider's address for notices is 1 Main Street.", ()),  # the addresses
    ("The parties amend the Agreement as set out in Exhibit A.", ()),
    # a named section in a sentence that changes nothing: what stays
    ("1. Renewal. Section 3 is amended as set out in Exhibit A.\n2. Effect. Except as amended here, Section 5 "
     "(Fees) remains in full force.", ("renewal_term",)),
    # the amending words the reader knows, and the closing sentence ending the last heading's clause
    ("1. Term. Section 2 shall be amended as set out in Exhibit B.\n2. Renewal. Section 3 is further amended "
     "as set out in Exhibit A.", ("expiration_date", "renewal_term")),
    ("1. Renewal. Section 3 is hereby revised as set out in Exhibit A.", ("renewal_term",)),
    ("1. Notice Period. The notice period in Exhibit A shall apply from the next renewal.", ("notice_period",)),
    # a heading of a tracked term whose clause has no amending words known here (what notices are, what
    # words mean, or a change in words not read): its change is not read, so the amendment's terms are
    # not known, whatever the other headings say; the closing sentence's "amended by" is no change
    ("1. Notice. All notices under the Agreement go to the addresses in Exhibit A.", ()),
    ("1. Notice Period. The period is as stated in Schedule 2.", ()),
    ("1. Renewal. Section 3 is amended as set out in Exhibit A.\n3. Term. Capitalised terms have the meaning "
     "given to them in the Agreement.", ()),
    ("1. Renewal. Section 3 is amended as set out in Exhibit A.\n2. Term. Section 2 is to be updated per "
     "Exhibit B.", ()),
    ("1. Renewal. Section 3 is amended as set out in Exhibit A.\n2. Term. The Term continues as set out in "
     "Exhibit B. Except as expressly amended by this Amendment, the Agreement remains in full force.", ()),
])
def test_the_terms_an_amendment_names(operative, terms):
    # the recitals' "Section 4 (Fees)" is what the agreement says, not what the amendment changes
    assert terms_named(RECITALS + operative + "\nNo Other Changes. The Agreement remains unchanged.") == terms


def test_recitals_name_no_term_when_no_operative_words_mark_where_they_end():
    """No "NOW, THEREFORE": the recitals (lettered under RECITALS, or WHEREAS) are still not read."""
    text = ("AMENDMENT NO. 2\nRECITALS\nA. Section 4 (Fees) of the Agreement is amended from time to time.\n"
            "WHEREAS Section 6 (Governing Law) shall read as the parties agree.\n"
            "1. Renewal. Section 3 of the Agreement is amended as set out in Exhibit A.\n")
    assert terms_named(text) == ("renewal_term",)
