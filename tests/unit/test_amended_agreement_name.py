"""Whether a contract may be the agreement an amendment names (pipeline.record.names_the_agreement):
the one agreement of the amended agreement's day is amended only when nothing says it is another."""

from __future__ import annotations

import pytest

from clausewatch.extract.model import ContractExtraction, Evidence, Term
from clausewatch.pipeline.record import names_the_agreement
from clausewatch.store.models import ContractItem


def _contract(*, title: str | None = None, file_name: str = "scan-0042.pdf", preamble: str | None = None) -> ContractItem:
    extraction = ContractExtraction(source=file_name, pages=1, title=title)
    if preamble is not None:
        extraction.terms["agreement_date"] = Term(value="2025-02-20", evidence=Evidence(1, 0, len(preamble), preamble),
                                                  derivation="read")
    return ContractItem("C#x", "META", contract_id="x", file_name=file_name, title=title,
                        extraction=extraction.to_dict())


@pytest.mark.parametrize(("amends", "contract", "named"), [
    # the name is in its title, its file name or its preamble (Distributor / Distribution, Licence / License)
    ("Supply Agreement", _contract(title="Manufacturing and Supply Agreement"), True),
    ("Distribution Agreement", _contract(title="Exclusive Distributor Agreement"), True),
    ("License Agreement", _contract(title="Software Licence Agreement"), True),
    ("Master Services Agreement", _contract(file_name="acme-master-services.pdf"), True),
    ("Maintenance Agreement", _contract(title="Term for Ordering", preamble=(
        'This Technical Maintenance Agreement (the "Agreement") is made as of February 20, 2025')), True),
    # "the Agreement" names no kind: any agreement of its day
    ("Agreement", _contract(title="Mutual Non-disclosure Agreement"), True),
    ("Amended and Restated Agreement", _contract(title="Mutual Non-disclosure Agreement"), True),
    # another kind of agreement, however it is said
    ("Supply Agreement", _contract(title="Mutual Non-disclosure Agreement", file_name="mutual-nda.pdf", preamble=(
        'This Mutual Non-Disclosure Agreement (this "Agreement") is made this 20th day of February, 2025')), False),
    ("Consulting Agreement", _contract(file_name="lease.pdf"), False),
])
def test_an_agreement_is_the_one_named_unless_nothing_of_it_says_so(amends, contract, named):
    assert names_the_agreement(contract, amends) is named
