"""An add-on re-priced by a later amendment: the later amendment's price from its effective date, the
earlier one's before it (was: two add-ons of the same name, every line of it "not checked")."""

from __future__ import annotations

from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.test_money_amended_fees import ADD_ON, META, PARTIES, TAIL, _file, _invoice
from tests.pdfs import make_pdf

REPRICE_ADD_ON = (
    "AMENDMENT NO. 2 TO SOFTWARE LICENCE AGREEMENT\nThis Amendment No. 2 (this \"Amendment\") is entered into as "
    "of 1 February 2027 (the \"Amendment Effective Date\") " + PARTIES + "A. Supplier and Customer are parties to "
    "that certain Software Licence Agreement dated 1 January 2026 (the \"Agreement\").\n"
    "1. Analytics Module Fee. With effect from the Amendment Effective Date the Analytics Module Fee is increased "
    "to GBP 650 per month.") + TAIL


def _file_second(cloud, tmp_path, contract_id: str) -> str:
    path = tmp_path / "licence-amendment-2.pdf"
    path.write_bytes(make_pdf(REPRICE_ADD_ON))
    cloud.upload(path, META)
    cloud.pump()
    amendment_id = contract_id_for(sha256_hex(path.read_bytes()))
    assert repo.get_contract(amendment_id).amends_contract_id == contract_id
    return amendment_id


def _lines(module: str) -> list[dict]:
    return [{"description": "Licence Fee", "quantity": 1, "unit_price": "20000.00", "amount": "20000.00"},
            {"description": "Analytics Module", "quantity": 1, "unit_price": module, "amount": module}]


def test_a_module_repriced_by_a_later_amendment_is_priced_at_each_amendments_rate_in_its_time(cloud, tmp_path):
    contract_id, _ = _file(cloud, tmp_path, ADD_ON)
    _file_second(cloud, tmp_path, contract_id)
    # March 2027, after amendment 2: 650 is as agreed; 700 is 50 over amendment 2's rate
    assert _invoice(cloud, contract_id, "MAR", _lines("650.00"), period=("2027-03-01", "2027-03-31")) == {}
    found = _invoice(cloud, contract_id, "APR", _lines("700.00"), period=("2027-04-01", "2027-04-30"))
    assert set(found) == {"price_above_agreed"}
    assert (found["price_above_agreed"].amount, found["price_above_agreed"].currency) == ("50.00", "GBP")
    assert "licence-amendment-2.pdf" in found["price_above_agreed"].derivation
    # November 2026, before amendment 2: amendment 1's 500 still holds, 650 is 150 over it
    found = _invoice(cloud, contract_id, "NOV", _lines("650.00"))
    assert set(found) == {"price_above_agreed"}
    assert found["price_above_agreed"].amount == "150.00"
    assert "licence-amendment-1.pdf" in found["price_above_agreed"].derivation
