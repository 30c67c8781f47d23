"""The renewal terms a price cap compounds over, through the pipeline (QA q7: the count "rolled one
length"): a renewal length an amendment changed counts the terms begun before it at their own
length (as the planner rolls them), and a fee an amendment re-priced counts only the terms begun
since it took effect. Monthly renewals amended to yearly ones are counted as the cap's clause says it
applies, and told not checked when it says neither."""

from __future__ import annotations

from datetime import UTC, datetime

from clausewatch import clock, config
from clausewatch.aws.clients import client
from clausewatch.store import money as store
from clausewatch.store import repository as repo
from tests.integration.test_amendment_effective import MSA, RENEWAL_TWO_YEARS, _amendment, _upload
from tests.unit.test_money import ubl

CAPPED = MSA.replace("a fee of USD 10,000.00 per month.", "a fee of USD 10,000.00 per month. Provider may increase "
                     "the fees upon each renewal by no more than three percent (3%).")


def _send(cloud, contract_id: str, number: str, start: str, end: str, price: str) -> dict:
    invoice = ubl(number=number, issued=end, price=price, start=start, end=end).replace(
        "Northwind Analytics, Inc.", "Borealis Software LLC")
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=f"invoices/{contract_id}/{number}.xml",
                            Body=invoice.encode())
    cloud.pump()
    return {f.kind: f for f in store.findings(contract_id) if f.invoice_number == number}


def test_a_renewal_length_amended_in_the_fifth_renewal_counts_the_terms_before_it_at_one_year(cloud, tmp_path):
    clock.set_now(datetime(2029, 3, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa-2020.pdf", CAPPED)
    assert repo.current_terms(msa)["price_increase_cap"].value == "3%"
    _upload(cloud, tmp_path, "amend-renewal.pdf", _amendment("October 1, 2027", RENEWAL_TWO_YEARS))
    assert repo.current_terms(msa)["renewal_term"].value == "P2Y"
    # five one-year renewal terms from 2023-03-01, then two years from 2028-03-01: six begun by March 2029
    # (was four, rolled at two years from 2023: 10,000 x 1.03^4 = 11,255.09, and 685.43 "over")
    assert _send(cloud, msa, "MAR29", "2029-03-01", "2029-03-31", "11940.52") == {}
    over = _send(cloud, msa, "MAR29B", "2029-03-01", "2029-03-31", "12000.00")["price_above_agreed"]
    assert over.amount == "59.48"
    assert over.derivation.startswith("6 renewal term(s) begun by 2029-03-01: 2023-03-01, 2024-03-01, 2025-03-01, "
                                      "2026-03-01, 2027-03-01, 2028-03-01 (expiration_date 2023-02-28 renewed 5 x P1Y")
    assert "10,000.00 x (1 + 3%)^6 = 11,940.52" in over.derivation


REPRICE = ("1. Fees. With effect from March 1, 2028, Section 2 of the Agreement is amended so that Customer shall pay "
           "Provider a fee of USD 12,000.00 per month.")


def test_a_fee_repriced_at_a_renewal_compounds_from_the_terms_begun_since(cloud, tmp_path):
    clock.set_now(datetime(2029, 3, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", CAPPED.replace("March 1, 2020", "March 1, 2025"))
    _upload(cloud, tmp_path, "amend-fee.pdf", _amendment("October 1, 2027", REPRICE, "March 1, 2025"))
    assert repo.current_terms(msa)["fees"].value["amount"] == "12000.00"
    # the first renewal term's price is the amendment's: no increase on it (was 12,360.00 allowed)
    over = _send(cloud, msa, "MAR28", "2028-03-01", "2028-03-31", "12360.00")["price_above_agreed"]
    assert over.amount == "360.00"
    assert "0 renewal term(s) begun since 2028-03-01 by 2028-03-01" in over.derivation
    assert "the fee as amend-fee.pdf re-priced it from 2028-03-01" in over.derivation
    # the second renewal term: one step on the amended price
    assert _send(cloud, msa, "MAR29", "2029-03-01", "2029-03-31", "12360.00") == {}
    # before the amendment's day, the contract's own fee in the initial term
    assert _send(cloud, msa, "FEB28", "2028-02-01", "2028-02-29", "10000.00") == {}


MONTHLY = MSA.replace("successive one (1) year periods", "successive one (1) month periods")
RENEWAL_YEARLY = (
    '1. Renewal. Section 3 of the Agreement is amended so that this Agreement shall renew automatically for '
    'successive one (1) year periods (each, a "Renewal Term"), unless either party gives the other party written '
    'notice of non-renewal at least thirty (30) days prior to the expiration of the then-current term.')


def test_monthly_renewals_amended_to_yearly_under_a_cap_that_says_neither_tell_the_fee_not_checked(cloud, tmp_path):
    """Monthly renewal terms ran, then yearly ones: "by no more than three percent (3%)" says neither per
    renewal term nor per year, so the fee's line is not priced, and the invoice's findings say why (before:
    no finding at all)."""
    clock.set_now(datetime(2025, 3, 15, 15, 0, tzinfo=UTC))
    plain = MONTHLY.replace("a fee of USD 10,000.00 per month.", "a fee of USD 10,000.00 per month. Provider may "
                            "increase the fees by no more than three percent (3%).")
    msa = _upload(cloud, tmp_path, "msa-monthly.pdf", plain)
    assert repo.current_terms(msa)["renewal_term"].value == "P1M"
    _upload(cloud, tmp_path, "amend-yearly.pdf", _amendment("June 15, 2023", RENEWAL_YEARLY))
    assert repo.current_terms(msa)["renewal_term"].value == "P1Y"
    # between three years begun (10,927.27) and six terms (11,940.52): not known (20,000.00 is over under both)
    told = _send(cloud, msa, "MAR25", "2025-03-01", "2025-03-31", "11500.00")["not_checked"]
    assert told.amount is None
    assert told.summary.startswith("invoice MAR25: line 1 (") and "the renewal lengths mix terms shorter than a year " \
        "with longer ones, and the cap on increases (3%) says neither once each renewal term nor once a year" \
        in told.summary
    assert "(P1M for terms beginning before " in told.derivation and "then P1Y (amend-yearly.pdf)" in told.derivation


def test_a_cap_on_each_anniversary_of_the_effective_date_counts_them_in_the_initial_term(cloud, tmp_path):
    """The Effective Date as read (2020-03-01) prices a cap on each anniversary of it in the three-year
    initial term (before: none counted there, a false over-charge of USD 609.00 on March 2022)."""
    clock.set_now(datetime(2022, 3, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace(
        "a fee of USD 10,000.00 per month.", "a fee of USD 10,000.00 per month. Provider may increase the fees on "
        "each anniversary of the Effective Date by no more than three percent (3%)."))
    assert _send(cloud, msa, "MAR22", "2022-03-01", "2022-03-31", "10609.00") == {}
    over = _send(cloud, msa, "MAR22B", "2022-03-01", "2022-03-31", "10700.00")["price_above_agreed"]
    assert over.amount == "91.00"
    assert over.derivation.startswith("2 anniversary(ies) of the effective date 2020-03-01 by 2022-03-01: "
                                      "2021-03-01, 2022-03-01 (")


def test_monthly_renewals_amended_to_yearly_under_a_cap_per_renewal_count_each_term(cloud, tmp_path):
    clock.set_now(datetime(2025, 3, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa-monthly.pdf", CAPPED.replace("successive one (1) year periods",
                                                                     "successive one (1) month periods"))
    _upload(cloud, tmp_path, "amend-yearly.pdf", _amendment("June 15, 2023", RENEWAL_YEARLY))
    over = _send(cloud, msa, "MAR25", "2025-03-01", "2025-03-31", "20000.00")["price_above_agreed"]
    assert over.derivation.startswith("6 renewal term(s) begun by 2025-03-01: 2023-03-01, 2023-04-01, 2023-05-01, "
                                      "2023-06-01, 2023-07-01, 2024-07-01 (expiration_date 2023-02-28 renewed 4 x P1M")
    assert "10,000.00 x (1 + 3%)^6 = 11,940.52" in over.derivation and over.amount == "8059.48"
