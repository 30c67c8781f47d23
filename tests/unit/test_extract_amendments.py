"""clausewatch.extract: how an amendment's heading numbers it ("Amendment No. 2", "#2", "Second
Amendment", "Amendment No. IV"), and what is no number."""

from __future__ import annotations

import pytest

from clausewatch.extract import extract_contract


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
