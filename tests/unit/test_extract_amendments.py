"""clausewatch.extract: how an amendment's heading numbers it ("Amendment No. 2", "#2", "Second
Amendment", "Amendment No. IV"), and what is no number."""

from __future__ import annotations

import re

import pytest

from clausewatch.extract import extract_contract
from clausewatch.extract.term_start import AMENDED_AGREEMENT_YEAR_END


def _amendment(heading: str):
    pre = (f'{heading} TO SUPPLY AGREEMENT\n'
           'This Amendment (this "Amendment") is entered into as of September 15, 2026 by and between '
           'Granite Ridge Polymers, LLC ("Supplier") and Brightwater Home Products, Inc. ("Buyer").\n'
           'RECITALS\nA. The parties are parties to that certain Supply Agreement dated June 3, 2023.\n'
           '1. Section 11.1 is amended so that notice of non-renewal must be given not less than ninety (90) '
           "days' written notice prior to the expiration of the then-current term.\n")
    return extract_contract([pre], source="test.txt")


@pytest.mark.parametrize(("heading", "number"), [
    ("AMENDMENT NO. 2", 2), ("AMENDMENT #2", 2), ("AMENDMENT NUMBER TWO", 2), ("SECOND AMENDMENT", 2),
    # Roman numerals, I to XX, in any case
    ("AMENDMENT NO. I", 1), ("AMENDMENT NO. II", 2), ("AMENDMENT NO. III", 3), ("Amendment No. IV", 4),
    ("AMENDMENT NUMBER IX", 9), ("AMENDMENT # XII", 12), ("Amendment No.xx", 20), ("amendment no. iii", 3),
])
def test_the_heading_numbers_the_amendment(heading, number):
    r = _amendment(heading)
    assert r.document_type == "amendment"
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (number, "Supply Agreement", "2023-06-03")


@pytest.mark.parametrize("heading", [
    # a word made of Roman letters, a numeral that is not one, or one glued to the label ("Nov")
    "AMENDMENT NO. MIX", "AMENDMENT NO. IIII", "AMENDMENT NO. VX", "AMENDMENT NOV 3",
])
def test_a_word_after_the_label_is_no_number(heading):
    r = _amendment(heading)
    assert r.document_type == "contract" and r.amendment is None


def test_a_pronoun_is_no_amendment_number():
    pre = ('SUPPLY AGREEMENT\nThis Supply Agreement (the "Agreement") is entered into as of June 3, 2023 by and '
           'between Granite Ridge Polymers, LLC ("Supplier") and Brightwater Home Products, Inc. ("Buyer").\n'
           'ARTICLE I\n1.1 No amendment of this Agreement binds a party unless it is in writing and signed. '
           'I. Supplier shall deliver the Products within thirty (30) days after each order.\n')
    r = extract_contract([pre], source="test.txt")
    assert r.document_type == "contract" and r.amendment is None


def _amended_term(sentence: str):
    pre = ('AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\n'
           'This Amendment No. 1 (this "Amendment") is entered into as of November 2, 2026 (the "Amendment '
           'Effective Date") by and between Kestrel Logistics Co., Ltd. ("Provider") and Bluefin Retail Holdings, '
           'Inc. ("Customer").\nRECITALS\nA. Provider and Customer are parties to that certain Master Services '
           'Agreement dated March 1, 2024 (the "Agreement").\nNOW, THEREFORE, the parties agree as follows:\n'
           f'1. Term. {sentence}\n')
    return extract_contract([pre], source="amendment.txt")


def test_a_restated_term_from_the_effective_date_is_not_counted_from_the_amendments_date():
    """"the Effective Date" of restated agreement text is the Agreement's (QA4 Q1): no end is counted
    from the amendment's own date; the initial term says it counts from the amended agreement's."""
    r = _amended_term('The first sentence of Section 4.1 of the Agreement is deleted and replaced with the following: '
                      '"This Agreement shall commence on the Effective Date and continue for an initial term of four '
                      '(4) years (the "Initial Term")."')
    assert r.value("effective_date") == "2026-11-02"  # the amendment's own date
    assert r.value("initial_term") == "P4Y"
    assert r.term("initial_term").derivation.startswith("counted from the Effective Date of the amended agreement")
    assert r.value("expiration_date") is None  # was 2030-11-01 (2026-11-02 + P4Y - 1 day)


@pytest.mark.parametrize("sentence", [
    "The Agreement shall continue for a term of four (4) years from the Amendment Effective Date.",
    "The Agreement shall commence on the Amendment Effective Date and continue for a term of four (4) years.",
])
def test_a_term_counted_from_the_amendments_own_date_still_is(sentence):
    r = _amended_term(sentence)
    assert r.value("expiration_date") == "2030-11-01"
    assert r.term("expiration_date").derivation == "effective_date 2026-11-02 + P4Y - 1 day"


def test_an_extension_until_a_date_is_that_date():
    r = _amended_term("The Initial Term is hereby extended until February 29, 2028.")
    assert r.value("expiration_date") == "2028-02-29"


def test_an_anniversary_of_the_agreements_effective_date_is_not_counted_from_the_amendment():
    r = _amended_term("Section 4.1 of the Agreement is amended to read: \"This Agreement shall remain in effect until "
                      "the fifth anniversary of the Effective Date.\"")
    assert r.value("initial_term") == "P5Y" and r.value("expiration_date") is None  # was 2031-11-02
    assert r.term("initial_term").derivation == ("counted from the Effective Date of the amended agreement; "
                                                 "ends on the anniversary itself")
    own = _amended_term("This Agreement shall remain in effect until the fifth anniversary of the Amendment Effective Date.")
    assert own.value("expiration_date") == "2031-11-02"


@pytest.mark.parametrize("sentence", [
    "The Agreement shall remain in effect until the end of the calendar year of the Effective Date.",
    "The Agreement shall continue in effect until December 31 of the calendar year in which the Effective Date falls.",
    "Section 4.1 of the Agreement is amended to read: \"This Agreement shall commence on the Effective Date and "
    "remain in force through the end of the then-current calendar year.\"",
    "The Term shall expire on the 31st day of December of the year in which the Effective Date occurs.",
])
def test_the_end_of_the_calendar_year_of_the_agreements_effective_date_is_not_counted_from_the_amendment(sentence):
    """QA4 Q1: the year of the Agreement's Effective Date is not the amendment's (2026): the
    amendment says so by a term of its own, counted when applied (pipeline/record.py)."""
    r = _amended_term(sentence)
    assert r.value("expiration_date") is None  # was 2026-12-31, or nothing read
    marked = r.term(AMENDED_AGREEMENT_YEAR_END)
    assert marked is not None and marked.value is True
    assert marked.derivation == ("counted from the Effective Date of the amended agreement; "
                                 "ends on December 31 of its calendar year")
    assert "calendar year" in marked.evidence.text or "year in which" in marked.evidence.text


def test_the_end_of_the_calendar_year_of_the_amendments_own_date_is_its_year():
    r = _amended_term("The Agreement shall remain in effect until December 31 of the calendar year in which the "
                      "Amendment Effective Date falls.")
    assert r.value("expiration_date") == "2026-12-31"
    assert r.term("expiration_date").derivation == "the end of the calendar year of effective_date 2026-11-02"
    assert r.term(AMENDED_AGREEMENT_YEAR_END) is None


@pytest.mark.parametrize("sentence", [
    # "current": the year the amendment is made, or the year the Agreement began?
    "The Agreement shall remain in effect until the end of the current calendar year.",
    "Section 4.1 of the Agreement is amended to read: \"This Agreement shall remain in effect until the end of "
    "the current calendar year.\"",
])
def test_the_current_calendar_year_of_an_amendment_is_unclear_and_left_out(sentence):
    r = _amended_term(sentence)
    assert r.value("expiration_date") is None  # was 2026-12-31, the amendment's year
    assert r.term(AMENDED_AGREEMENT_YEAR_END) is None


def test_an_amendment_that_calls_its_own_date_the_effective_date_leaves_the_year_unclear():
    """'as of November 2, 2026 (the "Effective Date")': its own date or the Agreement's?"""
    pre = ('AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\n'
           'This Amendment No. 1 is entered into as of November 2, 2026 (the "Effective Date") by and between '
           'Kestrel Logistics Co., Ltd. ("Provider") and Bluefin Retail Holdings, Inc. ("Customer").\n'
           'RECITALS\nA. Provider and Customer are parties to that certain Master Services Agreement dated March 1, '
           '2024 (the "Agreement").\n1. Term. The Agreement shall remain in effect until December 31 of the '
           'calendar year in which the Effective Date falls.\n')
    r = extract_contract([pre], source="amendment.txt")
    assert r.value("expiration_date") is None and r.term(AMENDED_AGREEMENT_YEAR_END) is None


def _contract(term_sentence: str):
    pre = ('MASTER SERVICES AGREEMENT\nThis Master Services Agreement is entered into as of March 1, 2024 (the '
           '"Effective Date") by and between Kestrel Logistics Co., Ltd. ("Provider") and Bluefin Retail Holdings, '
           f'Inc. ("Customer").\n1. Term. {term_sentence}\n')
    return extract_contract([pre], source="msa.txt")


def test_a_contracts_own_calendar_year_of_its_effective_date():
    r = _contract("This Agreement shall remain in effect until December 31 of the calendar year in which the "
                  "Effective Date falls, and shall renew for successive one (1) year periods.")
    assert r.value("expiration_date") == "2024-12-31"
    assert r.term("expiration_date").derivation == "the end of the calendar year of effective_date 2024-03-01"


def test_the_calendar_year_of_an_event_has_no_known_end():
    r = _contract("This Agreement shall expire on the last day of the calendar year in which the First Commercial "
                  "Sale occurs.")
    assert r.value("expiration_date") is None


@pytest.mark.parametrize("kind", ["License", "Lease", "Sublicense", "Supply"])
def test_the_amended_agreements_whole_name_and_date_are_read(kind):
    # "License"/"Lease" end a name too: read as the whole name, the recital's date was never found
    # (the amendment waited for a person)
    text = (f"AMENDMENT NO. 1 TO {kind.upper()} AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered "
            "into as of December 1, 2026 between Acme Widgets, Inc. and Blue Heron Labs LLC.\nRECITALS\nA. The "
            f"parties are parties to that certain {kind} Agreement dated March 1, 2026 (the \"Agreement\").\n"
            "1. Term. The term of the Agreement is hereby extended until December 31, 2036.\n")
    amendment = extract_contract([text], source="x.pdf").amendment
    assert amendment is not None
    assert (amendment.amends, amendment.original_date) == (f"{kind} Agreement", "2026-03-01")


# --- an amendment of an amendment that names only the earlier amendment, with its date --------------

def _second(heading: str, own: str, recital: str,
            body: str = "1. Customer shall pay each invoice within sixty (60) days of receipt.\n"):
    text = (f'{heading}\n{own} (this "Amendment") is entered into as of September 15, 2026 by and between '
            'Beacon Analytics LLC ("Provider") and Meridian Foods Inc. ("Customer").\n'
            f"RECITALS\nA. {recital}\n{body}")
    return extract_contract([text], source="second.pdf")


@pytest.mark.parametrize(("heading", "own", "recital", "amends"), [
    ("SECOND AMENDMENT", "This Second Amendment",
     "This Second Amendment amends the First Amendment dated March 10, 2026.", "First Amendment"),
    ("AMENDMENT NO. 2", "This Amendment No. 2",
     "The parties entered into Amendment No. 1 dated as of March 10, 2026.", "Amendment No. 1"),
    ("AMENDMENT NO. 2", "This Amendment No. 2",
     'The parties entered into Amendment No. One (the "First Amendment"), dated as of March 10, 2026.',
     "Amendment No. One"),
    # in the heading, in capitals
    ("SECOND AMENDMENT TO THE FIRST AMENDMENT DATED MARCH 10, 2026", "This Second Amendment",
     "The parties wish to change the payment terms.", "First Amendment"),
    # the agreement named without a date, the earlier amendment with one
    ("SECOND AMENDMENT", "This Second Amendment",
     'The parties are parties to the Master Services Agreement (the "Agreement"), as amended by the First '
     "Amendment thereto, dated March 10, 2026.", "First Amendment to Master Services Agreement"),
    # the date after the earlier amendment's whole name, "First Amendment to <agreement>", is that
    # amendment's, the nearest instrument named (before: read as the agreement's date)
    ("SECOND AMENDMENT", "This Second Amendment",
     "This Second Amendment amends the First Amendment to Master Services Agreement dated March 10, 2026.",
     "First Amendment to Master Services Agreement"),
    ("AMENDMENT NO. 2", "This Amendment No. 2",
     'The parties entered into Amendment No. 1 to the Supply Agreement (the "First Amendment"), dated as of '
     "March 10, 2026.", "Amendment No. 1 to Supply Agreement"),
    ("SECOND AMENDMENT", "This Second Amendment",
     "The parties are parties to the Master Services Agreement, as amended by that certain First Amendment to "
     "Master Services Agreement effective as of March 10, 2026.", "First Amendment to Master Services Agreement"),
    ("SECOND AMENDMENT TO FIRST AMENDMENT TO MASTER SERVICES AGREEMENT DATED MARCH 10, 2026",
     "This Second Amendment", "The parties wish to change the payment terms.",
     "First Amendment to Master Services Agreement"),
])
def test_an_earlier_amendment_named_with_its_date_is_what_it_amends(heading, own, recital, amends):
    r = _second(heading, own, recital)
    assert r.document_type == "amendment"
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (2, amends, "2026-03-10")
    assert a.original_is_amendment  # the First Amendment's day: no agreement of it is the one amended
    assert type(a).from_dict(a.to_dict()) == a
    assert "March 10, 2026" in a.evidence.text or "MARCH 10, 2026" in a.evidence.text
    # the earlier amendment's date is not this one's
    assert r.value("agreement_date") == "2026-09-15"


@pytest.mark.parametrize(("heading", "own", "recital", "body"), [
    # its own name and date ("This First Amendment, dated as of ...") is no earlier amendment
    ("FIRST AMENDMENT", "This First Amendment, dated as of September 15, 2026",
     "The parties wish to change the payment terms.", None),
    ("AMENDMENT NO. 2", "This Amendment No. 2, dated as of September 15, 2026",
     "The parties wish to change the payment terms.", None),
    # named in the operative part, after the recitals, it is not read
    ("SECOND AMENDMENT", "This Second Amendment", "The parties wish to change the payment terms.",
     "NOW, THEREFORE, the parties agree as follows:\n1. Section 3 of the First Amendment dated March 10, 2026 is "
     "deleted.\n"),
])
def test_no_earlier_amendment_is_read_from_its_own_name_or_its_operative_part(heading, own, recital, body):
    r = _second(heading, own, recital, *([body] if body else []))
    assert r.document_type == "amendment"
    assert (r.amendment.amends, r.amendment.original_date) == (None, None)


def test_a_dated_agreement_stays_what_it_amends_beside_an_earlier_amendment_dated():
    r = _second("AMENDMENT NO. 3 TO SUPPLY AGREEMENT", "This Amendment No. 3",
                "The parties are parties to that certain Supply Agreement dated June 3, 2023, as amended by the "
                "First Amendment dated March 10, 2024.")
    assert (r.amendment.amends, r.amendment.original_date) == ("Supply Agreement", "2023-06-03")
    assert not r.amendment.original_is_amendment


@pytest.mark.parametrize(("recital", "amends", "day"), [
    # the wording ties the date to the agreement, named before the earlier amendment
    ("The parties are parties to the Master Services Agreement dated March 10, 2026, as amended by the First "
     "Amendment.", "Master Services Agreement", "2026-03-10"),
    ("The parties are parties to the Master Services Agreement dated January 5, 2026, as amended by the First "
     "Amendment to Master Services Agreement dated March 10, 2026.", "Master Services Agreement", "2026-01-05"),
    # the agreement's date given after the earlier amendment's whole name and date (before: the First
    # Amendment's date, March 10, 2026, read as the agreement's)
    ("The parties are parties to the First Amendment to Master Services Agreement dated March 10, 2026, which "
     "amends the Master Services Agreement dated January 5, 2026.", "Master Services Agreement", "2026-01-05"),
    # after the amendment's own name in a sentence, not its heading, the date is the agreement's
    ("This Second Amendment to the Master Services Agreement dated January 5, 2026 changes the payment terms.",
     "Master Services Agreement", "2026-01-05"),
])
def test_a_date_the_wording_ties_to_the_agreement_is_the_agreements(recital, amends, day):
    r = _second("SECOND AMENDMENT", "This Second Amendment", recital)
    assert (r.amendment.amends, r.amendment.original_date) == (amends, day)
    assert not r.amendment.original_is_amendment


def test_an_agreement_naming_two_dated_amendments_is_no_amendment():
    """An ordinary agreement whose preamble mentions earlier amendments with their dates is not itself
    one (before: read as "Amendment No. 1" amending "Amendment No. 2")."""
    text = ('MASTER SERVICES AGREEMENT\nThis Master Services Agreement is made and entered into as of June 1, 2026 '
            '(the "Effective Date") by and between Beacon Analytics LLC ("Provider") and Meridian Foods Inc. '
            '("Customer"). It supersedes the prior agreement as changed by Amendment No. 1 dated March 10, 2025 '
            'and Amendment No. 2 dated March 10, 2026.\n1. Term. This Agreement shall commence on the Effective '
            'Date and shall expire on May 31, 2028.\n')
    r = extract_contract([text], source="msa.pdf")
    assert (r.document_type, r.amendment) == ("contract", None)


def test_an_agreement_naming_amendments_by_that_is_no_amendment():
    """ "as amended by that First Amendment to ..." names another amendment, not the document's own (an
    agency agreement of CUAD's read as a First Amendment before)."""
    text = ('AGENCY AGREEMENT\nThis Agency Agreement is made and entered into as of June 1, 2026 by and between '
            'Beacon Analytics LLC ("Agent") and Meridian Foods Inc. ("Company").\nPursuant to the Second Amended and '
            'Restated Agreement of Limited Partnership (the "OP Agreement"), as amended by that First Amendment to the '
            "Second Amended and Restated Agreement of Limited Partnership, the Company may issue units.\n1. Term. This "
            "Agreement shall commence on the date hereof and shall expire on May 31, 2028.\n")
    r = extract_contract([text], source="agency.pdf")
    assert (r.document_type, r.amendment) == ("contract", None)


@pytest.mark.parametrize("heading", ["SECOND AMENDMENT", "AMENDMENT NO. 2\nDated as of September 15, 2026"])
def test_an_earlier_numbered_amendment_with_its_date_is_not_the_documents_own_number(heading):
    """A Second Amendment whose recital names "Amendment No. 1 dated ..." is number 2, amending No. 1
    (before: number 1); its own heading followed by its date on the next line is still its own name."""
    r = _second(heading, "This Second Amendment", "The parties entered into Amendment No. 1 dated March 10, 2026.")
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (2, "Amendment No. 1", "2026-03-10")


def test_a_later_amendment_named_with_its_date_is_not_what_it_amends():
    """A First Amendment that mentions a Second Amendment to come, with its date, does not amend it
    (before: amends "Second Amendment" of 2027-01-01)."""
    r = _second("FIRST AMENDMENT", "This First Amendment",
                "The parties intend to enter into a Second Amendment effective January 1, 2027.")
    assert (r.amendment.number, r.amendment.amends, r.amendment.original_date) == (1, None, None)


@pytest.mark.parametrize("recital", [
    "This Second Amendment amends the First Amendment dated March 10, 2026.",
    "The parties are parties to that certain Master Services Agreement dated March 10, 2026."])
def test_the_amendments_own_date_is_kept_when_it_is_the_amended_ones_day(recital):
    """Entered into on the day of what it amends: its own date is still read (before: lost, every
    mention of that day taken as the amended one's)."""
    text = ('SECOND AMENDMENT\nThis Second Amendment (this "Amendment") is entered into as of March 10, 2026 by and '
            'between Beacon Analytics LLC ("Provider") and Meridian Foods Inc. ("Customer").\n'
            f"RECITALS\nA. {recital}\n1. Customer shall pay each invoice within sixty (60) days of receipt.\n")
    r = extract_contract([text], source="second.pdf")
    assert r.amendment.original_date == "2026-03-10"
    assert r.value("agreement_date") == "2026-03-10"


def test_the_amended_agreements_date_after_this_amendment_is_not_its_own():
    r = _second("SECOND AMENDMENT", "This Second Amendment",
                "This Amendment is made to the Master Services Agreement dated March 10, 2026.")
    assert r.amendment.original_date == "2026-03-10" and r.value("agreement_date") == "2026-09-15"


# --- a plain "AMENDMENT" after earlier ones: numbered after the highest it names ------------------

def _plain(heading: str, recital: str):
    text = (f'{heading}\nThis Amendment (this "Amendment") is entered into as of September 15, 2026 by and '
            'between Beacon Analytics LLC ("Provider") and Meridian Foods Inc. ("Customer").\n'
            f"WHEREAS, {recital}\nNOW, THEREFORE, the parties agree as follows:\n"
            "1. Customer shall pay each invoice within sixty (60) days of receipt.\n")
    return extract_contract([text], source="amendment.pdf")


@pytest.mark.parametrize(("heading", "recital", "number"), [
    ("AMENDMENT", 'the parties entered into the Master Services Agreement dated January 5, 2024, as amended by the '
     'First Amendment to Master Services Agreement dated March 10, 2025 (the "Agreement");', 2),
    ("AMENDMENT TO MASTER SERVICES AGREEMENT", 'the parties entered into the Master Services Agreement dated January '
     '5, 2024, as amended by the First Amendment to Master Services Agreement dated March 10, 2025 (the '
     '"Agreement");', 2),
    ("AMENDMENT", "the parties entered into the Master Services Agreement dated January 5, 2024, as amended by "
     "Amendment No. 1 dated March 10, 2025 and Amendment No. 2 dated June 1, 2025;", 3),
    # named without its date, "amended by" says it is an earlier one
    ("AMENDMENT", 'the parties entered into the Master Services Agreement dated January 5, 2024 (as amended by the '
     'First Amendment thereto, the "Agreement");', 2),
])
def test_a_plain_amendment_is_numbered_after_the_earlier_amendments_it_names(heading, recital, number):
    """A document headed plainly "AMENDMENT" whose recitals name "the First Amendment to ... dated ..."
    is a later amendment of the agreement (before: numbered 1, read against the First Amendment's
    date as the agreement's, or numbered by the earlier one's name)."""
    a = _plain(heading, recital).amendment
    assert (a.number, a.amends, a.original_date) == (number, "Master Services Agreement", "2024-01-05")
    assert not a.original_is_amendment
    assert "Amendment" in a.evidence.text.split("\n", 1)[1]  # the earlier amendment named, its number's ground


def test_a_plain_amendment_naming_only_the_dated_first_amendment_amends_it():
    """No agreement dated: the First Amendment's date is what it amends, as for a "SECOND AMENDMENT"."""
    a = _plain("AMENDMENT", 'the parties entered into the Master Services Agreement (the "Agreement"), as amended '
               "by the First Amendment to Master Services Agreement dated March 10, 2025;").amendment
    assert (a.number, a.amends, a.original_date) == (2, "First Amendment to Master Services Agreement", "2025-03-10")
    assert a.original_is_amendment


def test_a_plain_amendment_naming_a_higher_amendment_it_does_not_place_is_not_numbered():
    """An amendment named later in the recitals with no word of being earlier, of a higher number than
    the ones that are (a Third Amendment beside "as amended by the First Amendment"): which this one
    is, is not guessed (before: numbered 1)."""
    long_recital = ("the parties entered into the Master Services Agreement dated January 5, 2024, as amended by "
                    'the First Amendment to Master Services Agreement dated March 10, 2025 (the "Agreement"); '
                    + "WHEREAS, Provider provides analytics services to Customer under the Agreement; " * 20
                    + "WHEREAS, the parties wish to make the changes the Third Amendment describes;")
    a = _plain("AMENDMENT", long_recital).amendment
    assert (a.number, a.amends, a.original_date) == (None, "Master Services Agreement", "2024-01-05")


# --- a date after the amendment's own heading: the amendment's, or the agreement's ---------------

def _headed(heading: str, own: str, recital: str):
    text = (f'{heading}\n{own} by and between Kestrel Logistics Co. ("Provider") and Bluefin Retail Holdings, Inc. '
            f'("Customer").\nWHEREAS, {recital}\nNOW, THEREFORE, the parties agree as follows:\n'
            "1. Section 11.1 is amended so that notice of non-renewal must be given not less than ninety (90) days "
            "prior to the expiration of the then-current term.\n")
    return extract_contract([text], source="second.pdf")


@pytest.mark.parametrize("heading", [
    "SECOND AMENDMENT TO MASTER SERVICES AGREEMENT DATED JUNE 1, 2026",
    "SECOND AMENDMENT TO MASTER SERVICES AGREEMENT, DATED AS OF JUNE 1, 2026",
    "Second Amendment to Master Services Agreement dated June 1, 2026",
])
def test_the_headings_date_is_the_amendments_when_the_body_dates_the_agreement(heading):
    """The body names the agreement with its own date: that is the agreement's, and the heading's date
    is the amendment's, its effective date when no other is stated (before: the heading's date read
    as the agreement's, or none)."""
    r = _headed(heading, "This Second Amendment is made",
                "the parties are parties to the Master Services Agreement dated January 5, 2024;")
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (2, "Master Services Agreement", "2024-01-05")
    assert r.value("agreement_date") == "2026-06-01"


@pytest.mark.parametrize("own", [
    "This Second Amendment is effective as of the date first written above",
    "This Second Amendment is dated as of June 1, 2026",
    'This Second Amendment (this "Amendment") is entered into effective as of June 1, 2026',
])
def test_the_headings_date_is_the_amendments_when_its_own_sentence_says_so(own):
    """Only the heading dates anything and the amendment's own sentence says it is dated or effective
    as of it: no agreement date is read (a person links it; before: the heading's date, read as the
    agreement's)."""
    r = _headed("SECOND AMENDMENT TO MASTER SERVICES AGREEMENT DATED JUNE 1, 2026", own,
                'the parties are parties to the Master Services Agreement (the "Agreement");')
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (2, "Master Services Agreement", None)
    assert r.value("agreement_date") == "2026-06-01"


def test_a_heading_date_nothing_places_is_read_as_neither():
    """Nothing says whose the heading's date is: no agreement date (a person links it), nor is it the
    amendment's own (before: read as the agreement's)."""
    r = _headed("SECOND AMENDMENT TO MASTER SERVICES AGREEMENT DATED JUNE 1, 2026", "This Second Amendment is made",
                'the parties are parties to the Master Services Agreement (the "Agreement");')
    assert (r.amendment.amends, r.amendment.original_date) == ("Master Services Agreement", None)
    assert r.value("agreement_date") is None and r.value("effective_date") is None


def test_a_heading_date_beside_the_amendments_own_other_date_is_the_agreements():
    """The amendment is entered into on a day of its own: the date after the agreement's name in its
    heading is that agreement's (before: not read from a heading in capitals)."""
    r = _headed("AMENDMENT NO. 1 TO SUPPLY AGREEMENT DATED JUNE 3, 2023",
                "This Amendment No. 1 is entered into as of September 15, 2026",
                "the parties wish to lengthen the notice of non-renewal;")
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (1, "Supply Agreement", "2023-06-03")
    assert r.value("agreement_date") == "2026-09-15"


def test_a_plain_headings_date_is_the_amendments_when_the_body_dates_the_agreement():
    """Both at once: a plain "AMENDMENT TO ... DATED ..." after a First Amendment is number 2, and its
    heading's date its own (before: the heading's date read as the agreement's, no number)."""
    r = _headed("AMENDMENT TO MASTER SERVICES AGREEMENT DATED JUNE 1, 2026", "This Amendment is made",
                "the parties are parties to the Master Services Agreement dated January 5, 2024, as amended by the "
                "First Amendment thereto dated March 10, 2025;")
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (2, "Master Services Agreement", "2024-01-05")
    assert r.value("agreement_date") == "2026-06-01"


def test_a_numbered_amendments_own_date_is_kept_when_it_is_the_amended_ones_day():
    """ "This Amendment No. 2 is entered into as of" dates the amendment as "This Second Amendment ..."
    does (before: the "No." was not read through, and its own date was lost as the agreement's)."""
    text = ('AMENDMENT NO. 2 TO SUPPLY AGREEMENT\nThis Amendment No. 2 is entered into as of June 3, 2023 by and '
            'between Granite Ridge Polymers, LLC ("Supplier") and Brightwater Home Products, Inc. ("Buyer").\n'
            "WHEREAS, the parties are parties to that certain Supply Agreement dated June 3, 2023;\n"
            "1. Buyer shall pay each invoice within sixty (60) days of receipt.\n")
    r = extract_contract([text], source="amendment.pdf")
    assert r.amendment.original_date == "2023-06-03" and r.value("agreement_date") == "2023-06-03"


# --- readings whose signals disagree: none is read (the amendment waits for a person) -------------

def test_the_date_after_the_amendments_own_name_in_its_own_sentence_is_not_the_agreements():
    """ "This SECOND AMENDMENT TO SERVICES AGREEMENT, dated as of March 1, 2016 (this "Second
    Amendment")" dates the amendment; the recital dates the agreement (before: 2016-03-01, the first
    date after the agreement's name, read as the agreement's)."""
    text = ('SECOND AMENDMENT TO SERVICES AGREEMENT\nThis SECOND AMENDMENT TO SERVICES AGREEMENT, dated as of March '
            '1, 2016 (this "Second Amendment"), is made by and between Kestrel Logistics Co. ("Provider") and Bluefin '
            'Retail Holdings, Inc. ("Customer").\nWHEREAS, the parties are parties to that certain Services Agreement '
            'dated as of January 1, 2004 (the "Agreement");\nNOW, THEREFORE, the parties agree as follows:\n'
            "1. Customer shall pay each invoice within sixty (60) days of receipt.\n")
    a = extract_contract([text], source="second.pdf").amendment
    assert (a.number, a.amends, a.original_date) == (2, "Services Agreement", "2004-01-01")


def test_the_date_after_the_amendments_own_name_alone_is_not_the_agreements():
    """Only its own sentence gives a date, and says it is the amendment's ("(this "Second Amendment")")."""
    text = ('SECOND AMENDMENT TO SERVICES AGREEMENT\nThis Second Amendment to Services Agreement, dated as of March '
            '1, 2016 (this "Second Amendment"), is made by and between Kestrel Logistics Co. ("Provider") and Bluefin '
            'Retail Holdings, Inc. ("Customer").\nNOW, THEREFORE, the parties agree as follows:\n'
            "1. Customer shall pay each invoice within sixty (60) days of receipt.\n")
    a = extract_contract([text], source="second.pdf").amendment
    assert (a.number, a.amends, a.original_date) == (2, "Services Agreement", None)


def test_an_amended_and_restated_agreement_is_not_the_one_it_restated():
    """The A&R agreement is amended: its name keeps "Amended and Restated", and the date of the agreement
    it restated is not its date (before: "Master Services Agreement" of 2020-01-05)."""
    r = _headed("FIRST AMENDMENT TO AMENDED AND RESTATED MASTER SERVICES AGREEMENT",
                "This First Amendment is entered into as of September 15, 2026",
                "the parties entered into the Master Services Agreement dated January 5, 2020, which the parties "
                "amended and restated;")
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (1, "Amended and Restated Master Services Agreement", None)


@pytest.mark.parametrize(("said", "amends", "day"), [
    ("", None, None),
    # the amendment says which it amends
    ("WHEREAS, the parties wish to amend the Supply Agreement as set out below;\n", "Supply Agreement", "2024-01-05"),
])
def test_two_agreements_named_are_not_chosen_between(said, amends, day):
    """A plain "AMENDMENT" whose recitals name two agreements amends the one it says it amends, else
    none (before: the first named, the NDA of 2020-03-01)."""
    text = ('AMENDMENT\nThis Amendment (this "Amendment") is entered into as of September 15, 2026 by and between '
            'Beacon Analytics LLC ("Provider") and Meridian Foods Inc. ("Customer").\n'
            "WHEREAS, the parties entered into the Mutual Nondisclosure Agreement dated March 1, 2020;\n"
            "WHEREAS, the parties entered into the Supply Agreement dated January 5, 2024;\n"
            f"{said}NOW, THEREFORE, the parties agree as follows:\n"
            "1. Customer shall pay each invoice within sixty (60) days of receipt.\n")
    a = extract_contract([text], source="amendment.pdf").amendment
    assert (a.amends, a.original_date) == (amends, day)


def test_the_defined_agreement_is_the_one_amended_of_two_named():
    text = ('AMENDMENT\nThis Amendment (this "Amendment") is entered into as of September 15, 2026 by and between '
            'Beacon Analytics LLC ("Provider") and Meridian Foods Inc. ("Customer").\n'
            "WHEREAS, the parties entered into the Mutual Nondisclosure Agreement dated March 1, 2020;\n"
            'WHEREAS, the parties entered into the Supply Agreement dated January 5, 2024 (the "Agreement");\n'
            "NOW, THEREFORE, the parties agree as follows:\n"
            "1. Customer shall pay each invoice within sixty (60) days of receipt.\n")
    a = extract_contract([text], source="amendment.pdf").amendment
    assert (a.amends, a.original_date) == ("Supply Agreement", "2024-01-05")


@pytest.mark.parametrize("recital", [
    "the parties are parties to the Master Services Agreement, as amended by the Third Amendment to Master Services "
    "Agreement dated May 1, 2025, and to the Supply Agreement;",
    "the parties are parties to the Master Services Agreement dated January 5, 2024, as amended by Amendment No. 4 "
    "thereto dated May 1, 2025, and to the Supply Agreement;",
])
def test_an_earlier_amendment_of_another_agreement_neither_numbers_nor_dates_it(recital):
    """An amendment of the Supply Agreement is not numbered after, nor amends, an amendment of the
    Master Services Agreement (before: number 4, amending the Third Amendment to MSA)."""
    a = _plain("AMENDMENT TO SUPPLY AGREEMENT", recital).amendment
    assert (a.number, a.amends, a.original_date, a.original_is_amendment) == (None, "Supply Agreement", None, False)


@pytest.mark.parametrize("heading", ["SECOND AMENDMENT TO MASTER SERVICES AGREEMENT DATED JULY 1, 2026",
                                     "SECOND AMENDMENT TO MASTER SERVICES AGREEMENT EFFECTIVE JULY 1, 2026"])
@pytest.mark.parametrize("own", [
    "This Second Amendment is executed on June 15, 2026 and is effective as of the date first written above",
    # a day after the amendment's own cannot be the amended agreement's
    "This Second Amendment is executed on June 15, 2026",
])
def test_a_heading_date_after_the_amendments_own_is_not_the_agreements(heading, own):
    r = _headed(heading, own, 'the parties are parties to the Master Services Agreement (the "Agreement");')
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (2, "Master Services Agreement", None)


def test_the_contracts_date_order_reads_the_amended_agreements_date():
    from clausewatch.extract.model import ExtractOptions
    text = ('AMENDMENT NO. 1 TO SUPPLY AGREEMENT DATED 06/01/2023\nThis Amendment No. 1 is entered into as of '
            '15 September 2026 by and between Kestrel Logistics Co. ("Provider") and Bluefin Retail Holdings, Inc. '
            '("Customer").\nNOW, THEREFORE, the parties agree as follows:\n'
            "1. Customer shall pay each invoice within sixty (60) days of receipt.\n")
    r = extract_contract([text], source="amendment.pdf", options=ExtractOptions(date_order="DMY"))
    assert r.amendment.original_date == "2023-01-06"


def test_two_dates_for_the_agreement_are_neither_read():
    """The heading's date is not placed as the amendment's ("T0", an OCR zero for the O of "TO") and the
    body dates the agreement another day: neither is read (before: the first, the heading's June 1,
    2026, read as the agreement's)."""
    r = _headed("SECOND AMENDMENT T0 MASTER SERVICES AGREEMENT DATED JUNE 1, 2026", "This Second Amendment is made",
                "the parties are parties to the Master Services Agreement dated January 5, 2024;")
    assert (r.amendment.number, r.amendment.original_date) == (2, None)


def test_an_earlier_unnumbered_amendment_dated_is_not_a_second_date_of_the_agreement():
    r = _headed("SECOND AMENDMENT TO SERVICES AGREEMENT", "This Second Amendment is made",
                "the parties are parties to the Services Agreement dated as of January 1, 2004, and entered into the "
                "Amendment to Services Agreement dated as of March 30, 2009;")
    assert (r.amendment.amends, r.amendment.original_date) == ("Services Agreement", "2004-01-01")


def test_a_plain_amendment_after_amendments_no_1_and_no_2_is_the_third():
    a = _plain("AMENDMENT", "the parties entered into the Master Services Agreement dated January 5, 2024, as "
               "amended by Amendment No. 1 and No. 2;").amendment
    assert (a.number, a.amends, a.original_date) == (3, "Master Services Agreement", "2024-01-05")


def test_an_agreement_defined_after_its_date_is_dated_by_the_body():
    """ "that certain agreement dated as of January 5, 2024 (the "Master Services Agreement")" dates the
    agreement: the heading's date is the amendment's (before: neither read)."""
    r = _headed("SECOND AMENDMENT TO MASTER SERVICES AGREEMENT DATED JUNE 1, 2026", "This Second Amendment is made",
                'the parties are parties to that certain agreement dated as of January 5, 2024 (the "Master Services '
                'Agreement");')
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (2, "Master Services Agreement", "2024-01-05")
    assert r.value("agreement_date") == "2026-06-01"


# --- an amendment with no heading: its opening sentence says what it amends ----------------------

_BETWEEN = ' by and between Kestrel Logistics Co. ("Provider") and Bluefin Retail Holdings, Inc. ("Customer")'
_PAYMENT = "\n1. Customer shall pay each invoice within sixty (60) days of receipt.\n"


@pytest.mark.parametrize("opening", [
    'This Amendment No. 2 (the "Amendment") is entered into as of March 1, 2027' + _BETWEEN
    + " and amends the Master Services Agreement dated January 5, 2025 between them.",
    "This Amendment is entered into as of March 1, 2027" + _BETWEEN
    + " and amends the Master Services Agreement dated January 5, 2025.",
    "This Amendment to the Master Services Agreement dated January 5, 2025 is entered into as of March 1, 2027"
    + _BETWEEN + ".",
    "This Amendment Agreement is made as of March 1, 2027" + _BETWEEN
    + " to amend the Master Services Agreement dated January 5, 2025.",
])
@pytest.mark.parametrize("before", ["", "Exhibit 10.4\n"])
def test_an_opening_sentence_amending_a_named_agreement_is_an_amendment(opening, before):
    """No heading names it: its opening sentence does (before: read as a contract of 2025-01-05 or
    2027-03-01, or as an amendment of no agreement)."""
    r = extract_contract([before + opening + _PAYMENT], source="amendment.pdf")
    assert r.document_type == "amendment"
    a = r.amendment
    assert (a.amends, a.original_date) == ("Master Services Agreement", "2025-01-05")
    assert r.value("agreement_date") == "2027-03-01"


@pytest.mark.parametrize("text", [
    # an agreement amended from time to time, and one that mentions "any amendment"
    'This Agreement, as amended from time to time (the "Agreement"), is entered into as of March 1, 2027'
    + _BETWEEN + ". No amendment of this Agreement binds a party unless it is in writing." + _PAYMENT,
    'MASTER SERVICES AGREEMENT\nThis Master Services Agreement (as amended from time to time, the "Agreement") is '
    "entered into as of March 1, 2027" + _BETWEEN + "." + _PAYMENT,
    # a renewal letter
    "Dear Customer:\nThis letter confirms that the Master Services Agreement dated January 5, 2025 renews for a "
    "further year from March 1, 2027. Any amendment to the Master Services Agreement must be in writing." + _PAYMENT,
    # an agreement that names an amendment beside itself
    "This Agreement and the Amendment to the Master Services Agreement dated January 5, 2025 are entered into as of "
    "March 1, 2027" + _BETWEEN + "." + _PAYMENT,
    # "This Amendment" opening a later sentence, not the document's first
    "This Agreement is entered into as of March 1, 2027" + _BETWEEN + ".\nThis Amendment to the Master Services "
    "Agreement dated January 5, 2025 is attached as Exhibit B." + _PAYMENT,
])
def test_a_document_whose_opening_sentence_amends_nothing_is_no_amendment(text):
    r = extract_contract([text], source="contract.pdf")
    assert (r.document_type, r.amendment) == ("contract", None)


def test_an_opening_sentence_naming_the_agreement_in_its_next_paragraph_is_an_amendment():
    """The agreement is named, dated and amended in the paragraph after the opening sentence (Netgear's
    Amendment #2 in CUAD). Before: read as a contract of 1996-10-01."""
    text = ('This Amendment is entered into effective October 1, 1996 ("Amendment Date")' + _BETWEEN + ".\n"
            'Provider and Customer having previously entered into a Distributor Agreement\n("Agreement") with an '
            "Effective Date of March 1, 1996, now mutually agree to amend that Agreement as follows:" + _PAYMENT)
    r = extract_contract([text], source="amendment.pdf")
    assert r.document_type == "amendment"
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (None, "Distributor Agreement", "1996-03-01")
    assert a.evidence.text.endswith("mutually agree to amend that Agreement")
    assert r.value("agreement_date") == "1996-10-01"


# --- an amendment with no heading whose amending words name the agreement after its opening ---------

_SLA = 'the Software License Agreement dated March 1, 2024 (the "Agreement")'
_LICENSOR = 'Kestrel Logistics Co. ("Licensor") and Bluefin Retail Holdings, Inc. ("Licensee")'


@pytest.mark.parametrize("text", [
    # "This Amendment" opening; the agreement in a later sentence of its opening paragraph
    "This Amendment is entered into as of March 1, 2027" + _BETWEEN + f". The parties are parties to {_SLA} and "
    "wish to amend the Agreement as follows:" + _PAYMENT,
    "This Amendment is entered into as of March 1, 2027" + _BETWEEN + ". The parties wish to amend the Software "
    "License Agreement dated March 1, 2024 as follows:" + _PAYMENT,
    # ... in lower case
    "this amendment is entered into as of March 1, 2027" + _BETWEEN + ". The parties wish to amend the Software "
    "License Agreement dated March 1, 2024 as follows:" + _PAYMENT,
    # ... or in its recitals
    "This Amendment is entered into as of March 1, 2027" + _BETWEEN + f".\nRECITALS\nA. The parties entered into {_SLA}."
    "\nB. The parties desire to amend the Agreement.\nNOW, THEREFORE, the parties agree as follows:" + _PAYMENT,
    # amending words with no lead-in, "the Agreement" defined in the preamble or recitals
    f"{_LICENSOR} are parties to {_SLA}. Licensor and Licensee amend the Agreement as follows:" + _PAYMENT,
    f"{_LICENSOR} entered into {_SLA}. The parties hereby amend the Agreement, effective March 1, 2027, as follows:"
    + _PAYMENT,
    f"RECITALS\nA. Licensor and Licensee are parties to {_SLA}.\nNOW, THEREFORE, the parties hereby amend the "
    "Agreement as follows:" + _PAYMENT,
])
def test_amending_words_after_the_opening_name_the_dated_agreement(text):
    """Before: read as a contract (no heading, and no opening sentence naming the agreement)."""
    r = extract_contract([text], source="amendment.pdf")
    assert r.document_type == "amendment"
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (None, "Software License Agreement", "2024-03-01")
    assert re.search(r"\bamend\b", a.evidence.text)


@pytest.mark.parametrize("text", [
    # not said to amend it: may, shall not, deemed to, pursuant to, amend and restate
    f"{_LICENSOR} are parties to {_SLA}. Licensor and Licensee may amend the Agreement in writing." + _PAYMENT,
    f"{_LICENSOR} are parties to {_SLA}. The parties shall not amend the Agreement." + _PAYMENT,
    f"{_LICENSOR} are parties to {_SLA}. Nothing herein shall be deemed to amend the Agreement." + _PAYMENT,
    f"{_LICENSOR}, pursuant to {_SLA}, hereby amend Schedule A as follows:" + _PAYMENT,
    f"{_LICENSOR} are parties to {_SLA}. The parties hereby amend and restate the Agreement as follows:" + _PAYMENT,
    # the agreement undated: the only date is the amendment's own
    f'{_LICENSOR} are parties to the Software License Agreement (the "Agreement"). The parties hereby amend the '
    "Agreement, effective March 1, 2027, as follows:" + _PAYMENT,
    "This Amendment dated March 1, 2027" + _BETWEEN + ". The parties wish to amend the Software License Agreement."
    + _PAYMENT,
    # another instrument's date between the name and the definition
    f"{_LICENSOR} are parties to the Software License Agreement, as varied by a Deed of Variation dated June 1, "
    '2025 (the "Agreement"). The parties hereby amend the Agreement as follows:' + _PAYMENT,
    # two agreements amended, or two defined "the Agreement"
    f"{_LICENSOR} hereby amend the Software License Agreement dated March 1, 2024 and the Support Agreement dated "
    "March 1, 2024 as follows:" + _PAYMENT,
    f"{_LICENSOR} are parties to {_SLA} and the Support Agreement dated June 1, 2024 (the \"Agreement\"). The parties "
    "hereby amend the Agreement as follows:" + _PAYMENT,
    # an agreement restated by another
    f"{_LICENSOR} are parties to the Amended and Restated Software License Agreement dated June 1, 2025, which "
    "restated the Software License Agreement dated March 1, 2024. The parties hereby amend the Software License "
    "Agreement as follows:" + _PAYMENT,
    # a document that is an agreement of its own, titled or named so, and a cover letter
    f"SOFTWARE LICENSE AGREEMENT\n{_LICENSOR} are parties to {_SLA}. Licensor and Licensee amend the Agreement as "
    "follows:" + _PAYMENT,
    f"This Services Agreement is entered into as of March 1, 2027. {_LICENSOR} are parties to {_SLA} and wish to "
    "amend the Agreement." + _PAYMENT,
    f"Dear Licensee:\nAs you know, we are parties to {_SLA}. The parties hereby amend the Agreement as set out in "
    "the enclosed amendment." + _PAYMENT,
    # a "This ..." opening that is no amendment's
    "This Amendment Process Policy is issued on March 1, 2027. The parties wish to amend the Software License "
    "Agreement dated March 1, 2024." + _PAYMENT,
])
def test_amending_words_after_the_opening_that_are_not_safe_read_no_amendment(text):
    r = extract_contract([text], source="contract.pdf")
    assert (r.document_type, r.amendment) == ("contract", None)


_MSA = 'the Master Services Agreement dated January 1, 2020 (the "Agreement")'
_AB = 'Acme Inc. ("Customer") and Beta LLC ("Vendor")'


@pytest.mark.parametrize("text", [
    # negated: "Nothing herein modifies", "Neither party wishes to", "do not intend to"
    f"{_AB} are parties to {_MSA}. Nothing herein modifies the Agreement." + _PAYMENT,
    f"{_AB} are parties to {_MSA}. Nothing herein amends the Agreement." + _PAYMENT,
    f"CONSENT TO ASSIGNMENT\n{_AB} are parties to {_MSA}. Vendor wishes to assign the Agreement to Gamma Corp. "
    "Customer consents. Nothing herein modifies the Agreement." + _PAYMENT,
    f"{_AB} are parties to {_MSA}. Neither party wishes to amend the Agreement." + _PAYMENT,
    f"{_AB} are parties to {_MSA}. The parties do not presently intend to amend the Agreement." + _PAYMENT,
    # conditional or subordinate: "If / Until / Unless / When the parties amend"
    f"{_AB} are parties to {_MSA}. If the parties amend the Agreement, Vendor shall notify its insurer." + _PAYMENT,
    f"{_AB} are parties to {_MSA}. Until the parties amend the Agreement, the prices stand." + _PAYMENT,
    f"{_AB} are parties to {_MSA}. Unless the parties amend the Agreement, the prices stand." + _PAYMENT,
    f"{_AB} are parties to {_MSA}. When the parties amend the Agreement, the prices change." + _PAYMENT,
    'Gamma Corp. guarantees the obligations of Beta LLC ("Vendor") to Acme Inc. ("Customer") under the Master '
    'Services Agreement dated January 1, 2020, as amended by the First Amendment dated June 1, 2021 (the "Agreement"). '
    "If Customer and Vendor amend the Agreement, the guarantee extends to it as amended." + _PAYMENT,
    # one party's wish, or a wish alone
    f"{_AB} are parties to {_MSA}. Customer wishes to amend the Agreement; Vendor has declined." + _PAYMENT,
    "This Amendment is entered into as of March 1, 2027" + _BETWEEN + ". The parties wish to amend the Software "
    "License Agreement dated March 1, 2024." + _PAYMENT,
    # another instrument: a statement of work, an order form, a release, an extension, terms and conditions
    f"STATEMENT OF WORK NO. 4\n{_AB} are parties to {_MSA}. Each SOW amends the Agreement only as to the Services it "
    "describes." + _PAYMENT,
    f"{_AB} are parties to {_MSA}. Each SOW amends the Agreement only as to the Services it describes." + _PAYMENT,
    f"Order No. 17\n{_AB} are parties to the Master Subscription Agreement dated January 1, 2020. The parties hereby "
    "modify the Master Subscription Agreement only as to the products listed." + _PAYMENT,
    f"SETTLEMENT AND RELEASE\n{_AB} are parties to {_MSA}. The parties hereby amend the Agreement as follows:" + _PAYMENT,
    f"EXTENSION\n{_AB} are parties to {_MSA}. The parties hereby amend the Agreement as follows:" + _PAYMENT,
    f"{_AB} are parties to {_MSA}. These Terms and Conditions amend the Agreement as follows:" + _PAYMENT,
    # "effective" on the amendment's own day: as likely its own date
    "This Amendment is entered into as of March 1, 2027" + _BETWEEN + ". The parties wish to amend the Software "
    "License Agreement effective March 1, 2027 as follows:" + _PAYMENT,
    # a word between the parties and "agree to amend" / "amend" other than "hereby", "now", "mutually", "each"
    f"{_AB} are parties to {_MSA}. The parties intend to agree to amend the Agreement as follows:" + _PAYMENT,
    f"{_AB} are parties to {_MSA}. In 2021 the parties previously did agree to amend the Agreement as follows: the "
    "fees rose." + _PAYMENT,
    f"{_AB} are parties to {_MSA}. Rather than hereby amend the Agreement, the parties terminate it." + _PAYMENT,
    # a title saying it is no agreement yet: a draft, a term sheet, a letter of intent, a proposal
    f"DRAFT - FOR DISCUSSION ONLY\n{_AB} are parties to {_MSA}. The parties hereby amend the Agreement as follows:"
    + _PAYMENT,
    f"Term Sheet\n{_AB} are parties to {_MSA}. The parties hereby amend the Agreement as follows:" + _PAYMENT,
    f"term sheet\n{_AB} are parties to {_MSA}. The parties hereby amend the Agreement as follows:" + _PAYMENT,
    f"Letter of intent\n{_AB} are parties to {_MSA}. The parties hereby amend the Agreement as follows:" + _PAYMENT,
    f"Memorandum of understanding\n{_AB} are parties to {_MSA}. The parties hereby amend the Agreement as follows:"
    + _PAYMENT,
    f"Proposal for discussion\n{_AB} are parties to {_MSA}. The parties hereby amend the Agreement as follows:"
    + _PAYMENT,
])
def test_amending_words_not_said_now_by_the_parties_nor_in_an_amendment_read_no_amendment(text):
    """The heading-less path reads only the parties amending now, affirmatively, in no other
    instrument. Before: each read as an amendment of the agreement named."""
    r = extract_contract([text], source="contract.pdf")
    assert (r.document_type, r.amendment) == ("contract", None)


@pytest.mark.parametrize("text", [
    f"{_AB} are parties to {_MSA}. The parties agree to amend the Agreement as follows:" + _PAYMENT,
    f"{_AB} are parties to {_MSA}. Customer and Vendor amend the Agreement as follows:" + _PAYMENT,
    f"{_AB} are parties to {_MSA}. The parties agree to amend the Agreement as set forth below." + _PAYMENT,
    f"{_AB} are parties to {_MSA}. The parties agree to amend the Agreement:" + _PAYMENT,
    f"{_AB} are parties to {_MSA}. The parties hereby amend the Agreement, effective upon signature, as follows:"
    + _PAYMENT,
    f"{_AB} are parties to {_MSA}. The parties hereby amend the Agreement." + _PAYMENT,
    f"This Amendment is entered into as of March 1, 2027 by {_AB}. {_AB} are parties to {_MSA}. This Amendment "
    "amends the Agreement as follows:" + _PAYMENT,
    # the words the allow-list keeps between the parties and their verb
    f"{_AB} are parties to {_MSA}. The parties now mutually agree to amend the Agreement as follows:" + _PAYMENT,
    f"{_AB} are parties to {_MSA}. NOW, THEREFORE, Customer and Vendor hereby amend the Agreement as follows:"
    + _PAYMENT,
])
def test_the_parties_amending_now_still_read_an_amendment(text):
    r = extract_contract([text], source="amendment.pdf")
    a = r.amendment
    assert (r.document_type, a.amends, a.original_date) == ("amendment", "Master Services Agreement", "2020-01-01")


@pytest.mark.parametrize("text", [
    'AMENDMENT NO. 1\nThis Amendment No. 1 (the "Amendment") is entered into as of February 1, 2027 by Acme Inc. and '
    "Beta LLC. The parties hereby amend the Software License Agreement with an Effective Date of March 1, 2027, as "
    "follows:" + _PAYMENT,
    "AMENDMENT TO SOFTWARE LICENSE AGREEMENT\nAcme Inc. and Beta LLC amend the Software License Agreement with an "
    "effective date of March 1, 2027 as follows:" + _PAYMENT,
    'AMENDMENT NO. 1\nThis Amendment No. 1 (the "Amendment") is entered into as of February 1, 2027 by Acme Inc. and '
    "Beta LLC. The parties are parties to the Software License Agreement dated March 1, 2027." + _PAYMENT,
])
def test_an_effective_date_after_the_amending_words_or_the_amendments_own_day_is_not_the_agreements(text):
    """ "amend the ... Agreement with an effective date of" may date the amendment; an agreement is not
    dated after the amendment that amends it. Before: 2027-03-01 read as the agreement's date."""
    a = extract_contract([text], source="amendment.pdf").amendment
    assert (a.amends, a.original_date) == ("Software License Agreement", None)


# --- "<Name> Agreement between <A> and <B> dated <date>" ------------------------------------------

@pytest.mark.parametrize("recital", [
    "the parties are parties to the Supply Agreement between Acme Inc. and Beta LLC dated June 1, 2024;",
    "the parties are parties to that certain Supply Agreement, by and between Acme Inc., a Delaware corporation, "
    "and Beta LLC, dated as of June 1, 2024;",
    # in the amendment's own opening sentence, after the amending words
    "the parties wish to amend the Supply Agreement between Acme Inc. and Beta LLC dated\nJune 1, 2024;",
])
def test_an_agreement_named_between_its_parties_is_dated_by_the_date_after_them(recital):
    """Before: the agreement named, its date not read (the amendment waited for a person)."""
    r = _headed("AMENDMENT NO. 1 TO SUPPLY AGREEMENT", "This Amendment No. 1 is entered into as of September 15, 2026",
                recital)
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (1, "Supply Agreement", "2024-06-01")
    assert r.value("agreement_date") == "2026-09-15"
    assert "June 1, 2024" in a.evidence.text or "June 1, 2024" in " ".join(a.evidence.text.split())


@pytest.mark.parametrize(("heading", "own", "recital"), [
    # the amendment's own heading and its own sentence: "between ... dated" may be the amendment's
    ("AMENDMENT NO. 1 TO SUPPLY AGREEMENT BETWEEN ACME INC. AND BETA LLC DATED SEPTEMBER 1, 2026",
     "This Amendment No. 1 is made", "the parties wish to change the payment terms;"),
    ("AMENDMENT NO. 1", "This Amendment No. 1 to the Supply Agreement between Acme Inc. and Beta LLC dated September "
     "1, 2026 is made", "the parties wish to change the payment terms;"),
    # another instrument between the parties and the date
    ("AMENDMENT NO. 1 TO SUPPLY AGREEMENT", "This Amendment No. 1 is made",
     "the parties are parties to the Supply Agreement between Acme Inc. and Beta LLC, and this Amendment dated "
     "September 1, 2026 changes it;"),
    ("AMENDMENT NO. 1 TO SUPPLY AGREEMENT", "This Amendment No. 1 is made",
     "the parties are parties to the Supply Agreement between Acme Inc. and Beta LLC (as successor to Gamma Corp. "
     "under the Assignment dated March 1, 2020);"),
])
def test_a_date_after_between_that_is_not_clearly_the_agreements_is_not_read(heading, own, recital):
    a = _headed(heading, own, recital).amendment
    assert a.original_date is None


# --- recitals naming the amended agreement beside another -----------------------------------------

@pytest.mark.parametrize(("heading", "recitals", "amends"), [
    ("AMENDMENT", "the parties entered into a Supply Agreement dated January 5, 2024 and a Quality Agreement "
     "dated March 1, 2020;\nWHEREAS the parties wish to amend the Supply Agreement;", "Supply Agreement"),
    ("AMENDMENT NO. 1", "the parties are parties to a Supply Agreement dated January 5, 2024 and a Quality "
     "Agreement dated March 1, 2020;\nWHEREAS, the parties desire to amend the Supply Agreement as set forth herein;",
     "Supply Agreement"),
    # a shortened name of the one amended: "the Supply Agreement" after "Master Supply Agreement"
    ("AMENDMENT", "the parties entered into a Master Supply Agreement dated January 5, 2024 and a Quality "
     "Agreement dated March 1, 2020;\nWHEREAS the parties wish to amend the Supply Agreement;",
     "Master Supply Agreement"),
    ("AMENDMENT", 'the parties entered into the Master Supply Agreement dated January 5, 2024 (the "Supply '
     'Agreement") and the Quality Agreement dated March 1, 2020;\nWHEREAS the parties wish to amend the Supply '
     "Agreement;", "Master Supply Agreement"),
    # ... "the Agreement", the one so defined
    ("AMENDMENT", 'the parties entered into a Master Supply Agreement dated January 5, 2024 (the "Agreement") '
     "and a Quality Agreement dated March 1, 2020;\nWHEREAS the parties wish to amend the Agreement;",
     "Master Supply Agreement"),
])
def test_the_agreement_the_amending_words_name_is_the_one_amended(heading, recitals, amends):
    """Before: no agreement (two named, or the same one by two names, and none taken)."""
    a = _plain(heading, recitals).amendment
    assert (a.amends, a.original_date) == (amends, "2024-01-05")


@pytest.mark.parametrize("recitals", [
    # nothing says which is amended
    "the parties entered into a Supply Agreement dated January 5, 2024 and a Quality Agreement dated March 1, "
    "2020;",
    "the parties entered into a Master Supply Agreement dated January 5, 2024 and a Quality Agreement dated "
    "March 1, 2020;\nWHEREAS the parties wish to amend the Agreement;",
    # a shortened name of two agreements
    "the parties entered into a Master Supply Agreement dated January 5, 2024 and a Component Supply "
    "Agreement dated March 1, 2020;\nWHEREAS the parties wish to amend the Supply Agreement;",
    # the amending words say it is not the other
    "the parties entered into a Supply Agreement dated January 5, 2024 and a Quality Agreement dated March 1, "
    "2020;\nWHEREAS this Amendment shall not amend the Quality Agreement;",
    # the amending words name both
    "the parties entered into a Supply Agreement dated January 5, 2024 and a Quality Agreement dated March 1, "
    "2020;\nWHEREAS the parties wish to amend the Supply Agreement and to amend the Quality Agreement;",
])
def test_no_agreement_is_taken_when_the_amendment_does_not_say_which(recitals):
    a = _plain("AMENDMENT", recitals).amendment
    assert (a.amends, a.original_date) == (None, None)


_RESTATED = ("the parties entered into an Amended and Restated Supply Agreement dated January 5, 2024, which amended "
             "and restated the Supply Agreement dated March 1, 2020;\nWHEREAS the parties wish to amend the ")


@pytest.mark.parametrize("recitals", [
    _RESTATED + "Supply Agreement;",
    "the parties entered into a Master Supply Agreement dated January 5, 2024, which replaced the Supply Agreement "
    "dated March 1, 2020;\nWHEREAS the parties wish to amend the Supply Agreement;",
])
def test_an_agreement_another_restated_or_replaced_is_not_taken_as_the_one_amended(recitals):
    """Before: the replaced 2020 Supply Agreement read as the one amended, with its date."""
    a = _plain("AMENDMENT", recitals).amendment
    assert (a.amends, a.original_date) == (None, None)


def test_the_restated_agreement_named_in_full_is_the_one_amended():
    a = _plain("AMENDMENT", _RESTATED + "Amended and Restated Supply Agreement;").amendment
    assert (a.amends, a.original_date) == ("Amended and Restated Supply Agreement", "2024-01-05")


# --- review of the readings above: only the parties between an agreement's name and its date, only an
# affirmative amending statement, one agreement amended ----------------------------------------------

@pytest.mark.parametrize(("opening", "amends"), [
    # the amendment's own date after "between A and B and is ..."
    ("AMENDMENT NO. 1 TO SUPPLY AGREEMENT\nThis Amendment No. 1 amends the Supply Agreement between Acme Inc. and "
     "Beta LLC and is dated September 15, 2026.", "Supply Agreement"),
    ("This Amendment amends the Master Services Agreement between Kestrel Logistics Co. and Bluefin Retail Holdings, "
     "Inc. and is dated March 1, 2027.", "Master Services Agreement"),
    ("This Amendment amends the Master Services Agreement between Kestrel Logistics Co. and Bluefin Retail Holdings, "
     "Inc. and is effective March 1, 2027.", "Master Services Agreement"),
    # "effective" (not "dated") straight after the parties: as likely the amendment's own day
    ("AMENDMENT NO. 1\n\nThis Amendment No. 1 amends the Supply Agreement between Acme Inc. and Beta LLC, effective "
     "March 1, 2027.", "Supply Agreement"),
    ("AMENDMENT NO. 1\n\nThis Amendment No. 1 amends the Supply Agreement between Acme Inc. and Beta LLC effective "
     "March 1, 2027.", "Supply Agreement"),
    ("AMENDMENT NO. 1\n\nThis Amendment No. 1 amends the Supply Agreement between Acme Inc. and Beta LLC, effective "
     "as of March 1, 2027.", "Supply Agreement"),
    ("AMENDMENT NO. 1\n\nThe parties hereby amend the Supply Agreement between Acme Inc. and Beta LLC effective "
     "March 1, 2027 as follows:", "Supply Agreement"),
    ("AMENDMENT NO. 1\n\nThis Amendment No. 1 amends the Supply Agreement between Acme Inc. and Beta LLC, made "
     "March 1, 2027.", "Supply Agreement"),
    ("AMENDMENT NO. 1\n\nThis Amendment No. 1 amends the Supply Agreement between Acme Inc. and Beta LLC, entered "
     "into March 1, 2027.", "Supply Agreement"),
])
def test_the_amendments_own_date_after_the_parties_is_not_the_agreements(opening, amends):
    """Before: the amendment's own day read as the amended agreement's."""
    a = extract_contract([opening + _PAYMENT], source="amendment.pdf").amendment
    assert (a.amends, a.original_date) == (amends, None)


@pytest.mark.parametrize("recital", [
    # a sentence's end after the parties
    "the parties are parties to the Supply Agreement between Acme Inc. and Beta LLC. The price increase is "
    "effective July 1, 2027;",
    # another instrument's date after the parties
    "the parties are parties to the Supply Agreement between Acme Inc. and Beta LLC, as varied by a Deed of "
    "Variation dated March 1, 2020;",
    "the parties are parties to the Supply Agreement between Acme Inc. and Beta LLC, together with Statement of "
    "Work No. 3 dated March 1, 2020;",
    "the parties are parties to the Supply Agreement between Acme Inc. and Beta LLC, guaranteed by Gamma Corp. by "
    "a Guaranty dated March 1, 2020;",
])
def test_only_the_parties_stand_between_an_agreements_name_and_its_date(recital):
    """Before: the later sentence's or the other document's date read as the Supply Agreement's."""
    a = _headed("AMENDMENT NO. 1 TO SUPPLY AGREEMENT", "This Amendment No. 1 is made as of September 15, 2026",
                recital).amendment
    assert (a.number, a.amends, a.original_date) == (1, "Supply Agreement", None)


_TWO = "the parties entered into a Supply Agreement dated January 5, 2024 and a Quality Agreement dated March 1, 2020;"


@pytest.mark.parametrize("recitals", [
    # words that do not say the Quality Agreement is amended
    _TWO + "\nWHEREAS, the parties wish to change the delivery terms, and nothing herein shall be deemed to amend "
    "the Quality Agreement;",
    _TWO + "\nWHEREAS, this Amendment is not intended to modify the Quality Agreement;",
    _TWO + "\nWHEREAS, the parties wish to change the delivery terms without amending the Quality Agreement;",
    _TWO + "\nWHEREAS, the Quality Agreement provides that the parties may amend the Supply Agreement by a writing;",
    # two agreements amended
    _TWO + "\nWHEREAS the parties wish to amend the Supply Agreement and the Quality Agreement;",
    _TWO + "\nWHEREAS the parties wish to amend the Supply Agreement, the Quality Agreement and the Price List;",
])
def test_only_an_affirmative_statement_amending_one_agreement_names_it(recitals):
    """Before: the Quality Agreement (2020-03-01), or the Supply Agreement of the two amended, taken."""
    a = _plain("AMENDMENT", recitals).amendment
    assert (a.amends, a.original_date) == (None, None)


def test_an_opening_sentence_amending_two_agreements_names_neither():
    text = ("This Amendment is entered into as of March 1, 2027" + _BETWEEN + " and amends the Supply Agreement dated "
            "January 5, 2024 and the Quality Agreement dated March 1, 2020." + _PAYMENT)
    a = extract_contract([text], source="amendment.pdf").amendment
    assert (a.amends, a.original_date) == (None, None)


@pytest.mark.parametrize(("recitals", "amends", "day"), [
    ("the parties entered into a Master Services Agreement dated January 5, 2024 and a Services Agreement dated "
     "March 1, 2020;\nWHEREAS the parties wish to amend the Services Agreement;", "Services Agreement", "2020-03-01"),
    ("the parties entered into a Master Supply Agreement dated January 5, 2024 and a Supply Agreement dated "
     "March 1, 2020;\nWHEREAS the parties wish to amend the Supply Agreement;", "Supply Agreement", "2020-03-01"),
])
def test_a_name_listed_as_an_agreement_of_its_own_is_that_agreement(recitals, amends, day):
    """Before: read as a shortened name of the Master agreement (2024-01-05)."""
    a = _plain("AMENDMENT", recitals).amendment
    assert (a.amends, a.original_date) == (amends, day)


def test_an_amendment_of_a_named_agreement_is_an_amendment_to_it():
    """ "This Amendment of the ..." as "This Amendment to the ...". Before: no agreement amended, and the
    agreement's date read as the amendment's own."""
    r = extract_contract(["This Amendment of the Master Services Agreement dated January 5, 2025 is made as of "
                          "March 1, 2027" + _BETWEEN + "." + _PAYMENT], source="amendment.pdf")
    a = r.amendment
    assert (a.amends, a.original_date) == ("Master Services Agreement", "2025-01-05")
    assert r.value("agreement_date") == "2027-03-01"


@pytest.mark.parametrize("text", [
    # a policy, and an agreement that only calls itself an amendment agreement
    "This Amendment Process Policy is issued on March 1, 2027 and explains how the parties may amend the Master "
    "Services Agreement dated January 5, 2025." + _PAYMENT,
    'This Amendment Agreement (the "Agreement") is made as of March 1, 2027' + _BETWEEN
    + " and is subject to the Master Services Agreement dated January 5, 2025." + _PAYMENT,
    # a cover letter
    "March 1, 2027\nDear Customer:\nThis Amendment to the Master Services Agreement dated January 5, 2025 is enclosed "
    "for your signature. Please sign and return it.\n",
    "This Amendment to the Master Services Agreement dated January 5, 2025 is enclosed for your signature." + _PAYMENT,
])
def test_an_opening_sentence_that_is_no_amendments_own_is_no_amendment(text):
    """Before: read as an amendment (of the Master Services Agreement, or of itself)."""
    r = extract_contract([text], source="contract.pdf")
    assert (r.document_type, r.amendment) == ("contract", None)


def test_an_amendment_agreement_does_not_name_itself_the_amended_agreement():
    text = ('This Amendment Agreement (this "Agreement") is made on March 1, 2027' + _BETWEEN + " and amends the "
            'Master Services Agreement dated January 5, 2025 (the "Original Agreement").' + _PAYMENT)
    a = extract_contract([text], source="amendment.pdf").amendment
    assert (a.amends, a.original_date) == ("Master Services Agreement", "2025-01-05")


def test_an_agreement_the_amendment_is_made_pursuant_to_is_not_the_amended_one():
    """Before: the Framework Agreement (2020-07-01) taken as amended."""
    text = ("This Amendment is entered into as of March 1, 2027" + _BETWEEN + ", pursuant to the Framework Agreement "
            "dated July 1, 2020, and amends Statement of Work No. 4." + _PAYMENT)
    r = extract_contract([text], source="amendment.pdf")
    assert (r.amendment.amends, r.amendment.original_date) == (None, None)
    assert r.value("agreement_date") == "2027-03-01"


def test_a_letter_opening_with_this_amendment_is_no_amendment():
    """A salutation before it: a cover letter, whatever its sentence says. Before: an amendment."""
    text = ("March 1, 2027\nDear Customer:\nThis Amendment to the Master Services Agreement dated January 5, 2025 "
            "is for you to sign and return." + _PAYMENT)
    r = extract_contract([text], source="letter.pdf")
    assert (r.document_type, r.amendment) == ("contract", None)


# --- second review of the heading-less reading ----------------------------------------------------

_X = f"{_AB} are parties to {_MSA}. "


@pytest.mark.parametrize("sentence", [
    # a negation before the amending words
    "The parties have been unable to agree to amend the Agreement.",
    "The parties failed to agree to amend the Agreement.",
    "Vendor has refused to agree to amend the Agreement.",
    "Vendor declined to agree to amend the Agreement.",
    # reported speech
    "Customer alleges that the parties hereby amend the Agreement.",
    # "agree to amend" with no changes following, or later, or by another instrument, or to an extent
    "The parties agree to amend the Agreement.",
    "The parties agree to amend the Agreement within thirty (30) days to reflect the new prices.",
    "The parties agree to amend the Agreement by a separate written amendment to reflect the new prices.",
    "The parties agree to amend the Agreement upon completion of the audit.",
    "The parties agree to amend the Agreement at its next renewal.",
    "The parties agree to amend the Agreement to the extent required by the Data Protection Laws.",
    "The parties hereby agree to amend the Agreement within thirty (30) days as follows:",
    "The parties hereby amend the Agreement to the extent required by the Data Protection Laws.",
])
def test_amending_words_that_do_not_make_the_changes_now_read_no_amendment(sentence):
    """Without a heading "agree to amend" counts only with the changes following ("as follows", a
    colon); no negation, reported speech or later time. Before: each read as an amendment of the
    Master Services Agreement (2020-01-01)."""
    r = extract_contract([_X + sentence + _PAYMENT], source="contract.pdf")
    assert (r.document_type, r.amendment) == ("contract", None)


@pytest.mark.parametrize("salutation", ["Ladies and Gentlemen:", "Gentlemen:"])
def test_a_letter_with_a_salutation_is_no_amendment(salutation):
    """Before: read as an amendment of the Master Services Agreement (2020-01-01)."""
    text = f"{salutation}\nReference is made to {_MSA} between {_AB}. The parties hereby amend the Agreement as " \
        "follows:" + _PAYMENT
    r = extract_contract([text], source="letter.pdf")
    assert (r.document_type, r.amendment) == ("contract", None)


_PRIOR = "The parties hereby amend the Software License Agreement dated January 1, 2020 as follows: Section 3 is deleted."


@pytest.mark.parametrize("text", [
    'Acme Inc. ("Customer") and Beta LLC ("Vendor") agree as follows:\nSECTION 1. SERVICES. Vendor shall provide the '
    f"services in Exhibit A.\nSECTION 2. PRIOR LICENSE. {_PRIOR}\nSECTION 3. FEES. Customer shall pay the fees.\n",
    "Acme Inc. and Beta LLC set out their arrangements below.\nARTICLE 1 SERVICES. Vendor provides the services."
    f"\nARTICLE 2 {_PRIOR}\n",
    "Acme Inc. and Beta LLC set out their arrangements below.\nArticle I Services. Vendor shall provide the services."
    f"\nArticle II {_PRIOR}\n",
    "Acme Inc. and Beta LLC set out their arrangements below.\n1) Services. Vendor provides the services."
    f"\n2) {_PRIOR}\n",
    "Acme Inc. and Beta LLC set out their arrangements below.\n1.Services. Vendor shall provide the services."
    f"\n2. {_PRIOR}\n",
    f"Acme Inc. and Beta LLC agree as follows. Vendor shall provide the services. {_PRIOR}\n",
])
def test_amending_words_in_a_contracts_clauses_read_no_amendment(text):
    """The opening ends at the first clause however numbered, or at "agree as follows". Before: the
    whole contract read as an amendment of the Software License Agreement (2020-01-01)."""
    r = extract_contract([text], source="contract.pdf")
    assert (r.document_type, r.amendment) == ("contract", None)


def test_an_effective_date_in_the_amendments_own_sentence_is_its_own():
    """Before: the amendment's own day 2027-03-01 read as the Supply Agreement's, its own date None."""
    text = "AMENDMENT NO. 1 TO SUPPLY AGREEMENT\nThis Amendment No. 1 to the Supply Agreement, with an effective " \
        "date of March 1, 2027, is made by Acme Inc. and Beta LLC." + _PAYMENT
    r = extract_contract([text], source="amendment.pdf")
    assert (r.amendment.amends, r.amendment.original_date, r.value("agreement_date")) == \
        ("Supply Agreement", None, "2027-03-01")


def test_a_backdated_effective_day_does_not_drop_the_agreements_date():
    """Only the day an amendment is entered into, made or dated is compared with the agreement's.
    Before: the Supply Agreement's 2024-02-15 dropped (the amendment effective January 1, 2024)."""
    text = "AMENDMENT NO. 1 TO SUPPLY AGREEMENT\nThis Amendment No. 1 is effective as of January 1, 2024 between " \
        "Acme Inc. and Beta LLC. The parties are parties to the Supply Agreement dated February 15, 2024." + _PAYMENT
    a = extract_contract([text], source="amendment.pdf").amendment
    assert (a.amends, a.original_date) == ("Supply Agreement", "2024-02-15")
