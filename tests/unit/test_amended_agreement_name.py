"""Whether a contract is the agreement an amendment names, as far as what it says of itself tells
(pipeline.record.agreement_named): the one agreement of the amended agreement's day is amended
unless it names itself another agreement; of several, only one that is named is."""

from __future__ import annotations

import pytest

from clausewatch.extract.model import ContractExtraction, Evidence, Term
from clausewatch.pipeline.record import ANOTHER, NAMED, SILENT, agreement_named
from clausewatch.store.models import ContractItem

NDA_PREAMBLE = ('This Mutual Non-Disclosure Agreement (this "Agreement") is made this 20th day of February, 2025\n'
                'by and between Northwind Traders, Inc. and Redfern Materials Corporation')


def _contract(*, title: str | None = None, file_name: str = "scan-0042.pdf", preamble: str | None = None) -> ContractItem:
    extraction = ContractExtraction(source=file_name, pages=1, title=title)
    if preamble is not None:
        extraction.terms["agreement_date"] = Term(value="2025-02-20", evidence=Evidence(1, 0, len(preamble), preamble),
                                                  derivation="read")
    return ContractItem("C#x", "META", contract_id="x", file_name=file_name, title=title or file_name,
                        extraction=extraction.to_dict())


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
    # another agreement: the words it shares are a party's name or a qualifier, not the agreement's
    ("Supply Agreement", NDA, ANOTHER),
    ("Redfern Supply Agreement", NDA, ANOTHER),
    ("Mutual Supply Agreement", NDA, ANOTHER),
    ("Non-Exclusive Distribution Agreement", NDA, ANOTHER),
    ("Master Supply Agreement", _contract(title="Master Services Agreement"), ANOTHER),
    # nothing tells: "the Agreement" names no kind; a contract that names none (a title of just
    # "Agreement", no preamble read, a date a person entered)
    ("Agreement", NDA, SILENT),
    ("Amended and Restated Agreement", NDA, SILENT),
    ("Services Agreement", _contract(title="Agreement", preamble='This Agreement is made as of February 20, 2025'),
     SILENT),
    ("Consulting Agreement", _contract(file_name="lease.pdf"), SILENT),
])
def test_an_agreement_is_named_by_what_it_says_of_itself(amends, contract, outcome):
    assert agreement_named(contract, amends) == outcome
