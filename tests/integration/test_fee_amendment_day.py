"""A fee an amendment ADDS is agreed from the later day its own clause states ("with effect from 1
February 2027"), not from the amendment's own date (QA q7: it was priced from the amendment's
effective date): a line billing it before that day is billed before the fee took effect, both days
and the clause named; from that day it is priced as any fee, the derivation naming the amendment's
file and the clause's words."""

from __future__ import annotations

from tests.integration.test_money_amended_fees import HEAD, TAIL, _file, _invoice, _words

LATER = HEAD + ("1. Analytics Module. Section 5.3 is added: Supplier shall provide the Analytics Module, for which "
                "the Customer shall pay a fee of GBP 500 per month (the \"Analytics Module Fee\"), with effect from "
                "1 February 2027.") + TAIL
LICENCE = {"description": "Licence Fee", "quantity": 1, "unit_price": "20000.00", "amount": "20000.00"}


def _module(amount: str) -> dict:
    return {"description": "Analytics Module", "quantity": 1, "unit_price": amount, "amount": amount}


def test_an_added_fee_billed_before_the_day_its_clause_states_is_billed_before_it_took_effect(cloud, tmp_path):
    contract_id, _ = _file(cloud, tmp_path, LATER)
    # December: after the amendment's own date (2026-10-01), before the day its clause states (was: as agreed)
    found = _invoice(cloud, contract_id, "DEC", [LICENCE, _module("500.00")], period=("2026-12-01", "2026-12-31"))
    assert set(found) == {"billed_before_agreed"}
    before = found["billed_before_agreed"]
    assert (before.amount, before.currency) == ("500.00", "GBP")
    assert "before an amendment agreed it from 2027-02-01" in before.summary
    # both days and the clause: the day it took effect by its clause, the amendment's own date, its file
    assert "2027-02-01 ('with effect from 1 February 2027'" in before.derivation
    assert "its effective_date 2026-10-01" in before.derivation and "licence-amendment-1.pdf" in before.derivation
    assert before.evidence["document"] == "licence-amendment-1.pdf"
    assert "with effect from 1 February 2027" in _words(before.evidence["text"])


def test_an_added_fee_is_priced_from_the_day_its_clause_states(cloud, tmp_path):
    contract_id, _ = _file(cloud, tmp_path, LATER)
    assert _invoice(cloud, contract_id, "FEB", [LICENCE, _module("500.00")], period=("2027-02-01", "2027-02-28")) == {}
    found = _invoice(cloud, contract_id, "MAR", [LICENCE, _module("620.00")], period=("2027-03-01", "2027-03-31"))
    assert set(found) == {"price_above_agreed"}
    over = found["price_above_agreed"]
    assert (over.amount, over.currency) == ("120.00", "GBP")
    assert over.derivation.startswith("Analytics Module Fee, agreed from 2027-02-01 ('with effect from 1 February "
                                      "2027', the clause of licence-amendment-1.pdf; its effective_date 2026-10-01)")
    assert "charged 620.00 > 500.00: 120.00 over" in over.derivation
    # a period across the day: not known what part bills the fee (not priced as if agreed all month)
    found = _invoice(cloud, contract_id, "JANFEB", [LICENCE, _module("500.00")], period=("2027-01-15", "2027-02-14"))
    assert set(found) == {"not_checked"}
    assert "begins before the Analytics Module Fee was agreed (2027-02-01)" in found["not_checked"].summary
