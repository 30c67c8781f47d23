"""The owner's email of new money findings quotes each finding's clause with where it is: an added
fee's clause is page 1 of the amendment's file, said as such (was "From the clause (page 1)", read as
the contract's page 1); the contract's own clause keeps its page (the email names the contract)."""

from __future__ import annotations

from types import SimpleNamespace

from clausewatch.pipeline.money import _told


def _finding(evidence: dict) -> SimpleNamespace:
    return SimpleNamespace(summary="line 2 (Premium Support): 1,650.00 above the 1,500.00 agreed",
                           derivation="charged 1,650.00 > 1,500.00: 150.00 over", detail={}, evidence=evidence)


def test_an_amendments_clause_names_its_file_in_the_email():
    lines = _told(_finding({"text": "Amendment No. 2 adds a Premium Support fee of USD 1,500 per month.", "page": 1,
                            "document": "amendment-2.pdf", "contract_id": "a2"}))
    assert lines[-1] == ('  From the clause (amendment-2.pdf, page 1): "Amendment No. 2 adds a Premium Support fee '
                         'of USD 1,500 per month."')


def test_the_contracts_own_clause_keeps_its_page():
    lines = _told(_finding({"text": "Subscription Fees: USD 5,000 per month.", "page": 4}))
    assert lines[-1] == '  From the clause (page 4): "Subscription Fees: USD 5,000 per month."'
