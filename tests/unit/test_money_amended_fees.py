"""An amendment's fee merged into the fee it amends (money/amended_fees.py)."""

from __future__ import annotations

from clausewatch.money.amended_fees import merge_amended_fee

ORIGINAL = {"document": "msa.pdf", "contract_id": "c1"}
AMENDMENT = {"document": "amendment-1.pdf", "contract_id": "a1"}
PER_USER = {"amount": "744.00", "currency": "USD", "period": "year", "name": "Subscription Fees",
            "unit": "Authorized User", "unit_price": "744.00",
            "not_to_exceed": {"amount": "200000.00", "currency": "USD", "evidence": {"text": "shall not exceed"}}}
CLAUSE = {"page": 1, "start": 0, "end": 10, "text": "The annual Subscription Fees are increased to USD 190,000."}


def test_a_new_lump_sum_is_never_counted_with_the_earlier_unit_price():
    merged, replaces, _ = merge_amended_fee(PER_USER, {"text": "USD 744 per Authorized User"}, ORIGINAL,
                                            {"amount": "190000.00", "currency": "USD", "period": "year",
                                             "name": "Subscription Fees"}, CLAUSE, AMENDMENT)
    assert replaces and merged["amount"] == "190000.00"
    assert "unit_price" not in merged and "unit" not in merged  # was: 744 per user kept beside the new amount
    assert merged["not_to_exceed"]["amount"] == "200000.00"
    assert merged["not_to_exceed"]["evidence"] == {"text": "shall not exceed", **ORIGINAL}


def test_a_fee_named_otherwise_is_kept_beside_the_contracts_and_listed_once_when_applied_again():
    addon = {"amount": "500.00", "currency": "USD", "period": "month", "name": "Analytics Module Fee"}
    clause = {"text": "Customer shall pay a fee of USD 500 per month for the Analytics Module."}
    merged, replaces, why = merge_amended_fee(PER_USER, None, ORIGINAL, addon, clause, AMENDMENT)
    again, _, _ = merge_amended_fee(merged, None, ORIGINAL, addon, clause, AMENDMENT)
    assert not replaces and "not the contract's" in why
    assert (again["amount"], again["unit_price"]) == ("744.00", "744.00")
    assert [(f["amount"], f["evidence"]["document"]) for f in again["additional_fees"]] == [("500.00",
                                                                                           "amendment-1.pdf")]


def test_an_unnamed_fee_the_clause_adds_is_not_the_contracts():
    merged, replaces, _ = merge_amended_fee(
        {"amount": "20000.00", "currency": "GBP", "period": "month"}, None, ORIGINAL,
        {"amount": "500.00", "currency": "GBP", "period": "month"},
        {"text": "In addition, Customer shall pay GBP 500 per month for support."}, AMENDMENT)
    assert not replaces and merged["amount"] == "20000.00"


def test_a_fee_renamed_by_a_clause_that_replaces_the_contracts_is_the_contracts_fee_repriced():
    earlier = {"amount": "5000.00", "currency": "USD", "period": "month", "name": "Subscription Fees"}
    platform = {"amount": "6000.00", "currency": "USD", "period": "month", "name": "Platform Fee"}
    clause = {"text": "The Subscription Fees are replaced by a Platform Fee of USD 6,000 per month."}
    merged, replaces, why = merge_amended_fee(earlier, None, ORIGINAL, platform, clause, AMENDMENT)
    assert replaces and merged["amount"] == "6000.00" and "additional_fees" not in merged  # was: USD 5,000 kept
    assert "replaces the contract's fee (Subscription Fees) by Platform Fee" in why


def test_a_fee_added_per_user_is_not_the_contracts_per_user_fee_repriced():
    """Review: the names and units were pooled, so "Premium Support" per User shared "user" with the
    "Subscription Fees" per Authorized User and replaced them (USD 744 a year -> 10 a month, times
    the old 100 users). Names are compared with names; units only when neither fee is named."""
    addon = {"amount": "10.00", "currency": "USD", "period": "month", "name": "Premium Support", "unit": "User",
             "unit_price": "10.00"}
    clause = {"text": "Customer adds Premium Support at USD 10 per User per month."}
    merged, replaces, why = merge_amended_fee({**PER_USER, "quantity": "100"}, None, ORIGINAL, addon, clause, AMENDMENT)
    assert not replaces and "not the contract's" in why
    assert (merged["amount"], merged["period"], merged["unit_price"]) == ("744.00", "year", "744.00")
    assert [f["name"] for f in merged["additional_fees"]] == ["Premium Support"]
    # unnamed on both sides, the units tell them apart
    unnamed, replaced, why = merge_amended_fee(
        {"amount": "744.00", "currency": "USD", "period": "year", "unit": "Authorized User", "unit_price": "744.00"},
        None, ORIGINAL, {"amount": "800.00", "currency": "USD", "period": "year", "unit": "Authorized User",
                         "unit_price": "800.00"}, {"text": "The price per Authorized User is USD 800 a year."}, AMENDMENT)
    assert replaced and unnamed["unit_price"] == "800.00" and "counted per authorized, user" in why


def test_a_clause_that_adds_a_fee_under_the_contract_fees_name_replaces_nothing():
    """"adds ... Subscription users at USD 10": a fee beside the contract's, never its re-pricing (a
    wrong fee is worse than one told as not checked)."""
    more = {"amount": "10.00", "currency": "USD", "period": "month", "name": "Subscription Fees"}
    clause = {"text": "Customer adds twenty additional Subscription users; their Subscription Fees are USD 10 per "
                      "user per month."}
    merged, replaces, why = merge_amended_fee(PER_USER, None, ORIGINAL, more, clause, AMENDMENT)
    assert not replaces and "adds a fee" in why and merged["amount"] == "744.00"
