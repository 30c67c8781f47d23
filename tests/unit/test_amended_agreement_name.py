"""Whether a contract is the agreement an amendment names, as far as what it says of itself tells
(pipeline.record.agreement_named): the one agreement of the amended agreement's day is amended
unless it names itself another agreement; of several, only one that is named is."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from clausewatch.extract.model import ContractExtraction, Evidence, Term
from clausewatch.pipeline.record import ANOTHER, NAMED, SILENT, agreement_named
from clausewatch.store.models import ContractItem

NDA_PREAMBLE = ('This Mutual Non-Disclosure Agreement (this "Agreement") is made this 20th day of February, 2025\n'
                'by and between Northwind Traders, Inc. and Redfern Materials Corporation')


def _contract(*, title: str | None = None, file_name: str = "scan-0042.pdf", preamble: str | None = None,
              counterparty: str | None = None) -> ContractItem:
    extraction = ContractExtraction(source=file_name, pages=1, title=title)
    if preamble is not None:
        extraction.terms["agreement_date"] = Term(value="2025-02-20", evidence=Evidence(1, 0, len(preamble), preamble),
                                                  derivation="read")
    return ContractItem("C#x", "META", contract_id="x", file_name=file_name, title=title or file_name,
                        counterparty=counterparty, extraction=extraction.to_dict())


NDA = _contract(title="Mutual Non-disclosure Agreement", file_name="mutual-nda.pdf", preamble=NDA_PREAMBLE)


@pytest.mark.parametrize(("amends", "contract", "outcome"), [
    # the name is in its title, its file name or its preamble, however it is spelt
    ("Supply Agreement", _contract(title="Manufacturing and Supply Agreement"), NAMED),
    ("Distribution Agreement", _contract(title="Exclusive Distributor Agreement"), NAMED),
    ("License Agreement", _contract(title="Software Licence Agreement"), NAMED),
    ("Master Services Agreement", _contract(file_name="acme-master-services.pdf"), NAMED),
    ("Maintenance Agreement", _contract(title="Term for Ordering", preamble=(
        'This Technical Maintenance\nAgreement (the "Agreement") is made as of February 20, 2025')), NAMED),
    ("Nondisclosure Agreement", NDA, NAMED),
    ("Confidentiality Agreement", NDA, NAMED),
    ("Sublicense Agreement", _contract(title="Sub-License Agreement"), NAMED),
    ("Co-Marketing Agreement", _contract(title="Comarketing Agreement"), NAMED),
    ("Sale Agreement", _contract(title="Sales Agreement"), NAMED),
    ("Equipment Lease", _contract(title="Equipment Leasing Agreement"), NAMED),
    ("Software License and Services Agreement", _contract(title="License Agreement"), NAMED),
    # the amendment names a party of the agreement: its name, not the party, tells
    ("Redfern Supply Agreement", _contract(title="Supply Agreement", counterparty="Redfern Materials Corporation"),
     NAMED),
    # another agreement: the words it shares are a party's name or a qualifier, not the agreement's
    ("Supply Agreement", NDA, ANOTHER),
    ("Redfern Supply Agreement", NDA, ANOTHER),
    ("Mutual Supply Agreement", NDA, ANOTHER),
    ("Non-Exclusive Distribution Agreement", NDA, ANOTHER),
    ("Master Supply Agreement", _contract(title="Master Services Agreement"), ANOTHER),
    ("Redfern Supply Agreement", _contract(title="Mutual Non-disclosure Agreement", preamble=NDA_PREAMBLE,
                                           counterparty="Redfern Materials Corporation",
                                           file_name="Redfern Materials - Mutual NDA (executed).pdf"), ANOTHER),
    # companion agreements of one day share a word, not a name
    ("Software License Agreement", _contract(title="Software Maintenance Agreement"), ANOTHER),
    ("Loan and Security Agreement", _contract(title="Intellectual Property Security Agreement"), ANOTHER),
    # nothing tells: "the Agreement" names no kind; a contract that names none (a title of just
    # "Agreement", no preamble read, a date a person entered)
    ("Agreement", NDA, SILENT),
    ("Amended and Restated Agreement", NDA, SILENT),
    ("Services Agreement", _contract(title="Agreement", preamble='This Agreement is made as of February 20, 2025'),
     SILENT),
    ("Consulting Agreement", _contract(file_name="lease.pdf"), SILENT),
    # a signature block's "the parties have executed this Agreement" is no name
    ("Supply Agreement", _contract(preamble="IN WITNESS WHEREOF, the parties have executed this Agreement as of "
                                            "February 20, 2025"), SILENT),
])
def test_an_agreement_is_named_by_what_it_says_of_itself(amends, contract, outcome):
    assert agreement_named(contract, amends) == outcome


def _amendment(number: int | None, signed: str | None, effective: str | None = None) -> ContractExtraction:
    from clausewatch.extract.model import Amendment

    extraction = ContractExtraction(source="a.pdf", pages=1, document_type="amendment",
                                    amendment=Amendment(number=number, amends="Supply Agreement",
                                                        original_date="2023-06-03", evidence=None))
    for name, value in (("agreement_date", signed), ("effective_date", effective or signed)):
        if value:
            extraction.terms[name] = Term(value=value, evidence=None, derivation="read")
    return extraction


@pytest.mark.parametrize(("other", "this", "after"), [
    (_amendment(2, "2026-11-02"), _amendment(1, "2026-09-15"), True),
    (_amendment(1, "2026-09-15"), _amendment(2, "2026-11-02"), False),
    # retroactive: No. 2, signed November 2, effective January 1, still comes after No. 1
    (_amendment(2, "2026-11-02", effective="2026-01-01"), _amendment(1, "2026-09-15"), True),
    # the number decides over the day; without numbers, the day it was signed
    (_amendment(2, "2026-01-01"), _amendment(1, "2026-09-15"), True),
    (_amendment(None, "2026-11-02"), _amendment(None, "2026-09-15"), True),
    (_amendment(None, "2026-11-02", effective="2026-01-01"), _amendment(None, "2026-09-15"), True),
    # unknown: not after (the amendment applied last stands); one with no number and no day signed
    # is never ordered by its effective date, which may be retroactive
    (_amendment(None, None), _amendment(1, "2026-09-15"), False),
    (_amendment(None, None, effective="2026-10-01"), _amendment(1, "2026-09-15"), False),
    (_amendment(2, "2026-11-02"), _amendment(None, None, effective="2026-10-01"), False),
    (_amendment(1, "2026-09-15"), _amendment(1, "2026-09-15"), False),
])
def test_which_amendment_came_after(other, this, after):
    from clausewatch.pipeline.record import _comes_after

    assert _comes_after(other, this) is after


@pytest.mark.parametrize("filed", list(itertools.permutations("ABX")))
def test_an_amendment_with_no_number_and_no_day_signed_keeps_its_place_filed(filed):
    """No. 1 (signed 2027-01-01, effective 2028-01-01), No. 2 (signed 2027-02-01) and X, stating no
    number and no day signed (effective 2027-06-01, perhaps retroactive): X is never ordered by that
    day (was: after No. 2 and before No. 1, a cycle, so filed A, X, B gave No. 2 before No. 1); it
    keeps its place in the order filed, and No. 1 comes before No. 2 in every order filed."""
    from clausewatch.pipeline.record import in_order_made

    made = {"A": _amendment(1, "2027-01-01", effective="2028-01-01"), "B": _amendment(2, "2027-02-01"),
            "X": _amendment(None, None, effective="2027-06-01")}
    items = [SimpleNamespace(contract_id=name, extracted=made[name], order_confirmed=None) for name in filed]
    ordered = [a.contract_id for a in in_order_made(items)]  # type: ignore[arg-type]
    assert ordered.index("X") == filed.index("X")
    assert [name for name in ordered if name != "X"] == ["A", "B"]


def test_the_day_a_person_said_an_amendment_was_signed_places_it():
    """X states no number and no day signed; a person said it was signed on 2027-01-15
    (``order_confirmed``): placed between No. 1 and No. 2 by it, whatever the order filed."""
    from clausewatch.pipeline.record import in_order_made

    said = {"by": "ann@example.com", "made_on": "2027-01-15"}
    items = [SimpleNamespace(contract_id="X", extracted=_amendment(None, None), order_confirmed=said),
             SimpleNamespace(contract_id="B", extracted=_amendment(None, "2027-02-01"), order_confirmed=None),
             SimpleNamespace(contract_id="A", extracted=_amendment(None, "2027-01-01"), order_confirmed=None)]
    assert [a.contract_id for a in in_order_made(items)] == ["A", "X", "B"]  # type: ignore[arg-type]


@pytest.mark.parametrize(("amends", "only", "number"), [
    ("First Amendment", True, 1), ("Amendment No. 1", True, 1), ("Amendment No. One", True, 1),
    ("Amendment No. IV", True, 4), ("Amendment #2", True, 2),
    ("First Amendment to Master Services Agreement", False, 1), ("Supply Agreement", False, None),
])
def test_an_earlier_amendment_named_alone_and_its_number(amends, only, number):
    """What an amendment of an amendment names ("amends the First Amendment dated ..."): an earlier
    amendment alone (no agreement of its day is then looked for), and which one by its number."""
    from clausewatch.extract.model import Amendment
    from clausewatch.pipeline.record import named_number, only_an_amendment_named

    info = Amendment(number=2, amends=amends, original_date="2026-03-10", evidence=None)
    assert only_an_amendment_named(info) is only
    assert named_number(amends) == number
