"""An amended term takes effect from its own day, through the pipeline and the API (QA q7 M1, M2, M3,
S1): a renewal length changed in the 5th one-year renewal leaves the running term its year (and its
notice deadline, reminders and renewal start), a notice period changed "with effect from" a later
day leaves the running term its deadline, a fee that "takes effect on 1 January 2027" prices
November at the old fee, and an amendment read as changing nothing is put before a person."""

from __future__ import annotations

from datetime import UTC, datetime

from clausewatch import clock, config
from clausewatch.aws.clients import client
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import money as store
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import call, claims, no_scan_in_api_requests  # noqa: F401
from tests.integration.test_money_amended import AGREEMENT as HOSTING
from tests.integration.test_money_amended import AMENDMENT as HOSTING_AMENDMENT
from tests.integration.test_money_amended import META as HOSTING_META
from tests.pdfs import make_pdf
from tests.unit.test_money import ubl

META = {"team": "legal", "owner": "olga@example.com", "time-zone": "UTC", "jurisdiction": "US-NY"}
ADMIN = claims("legal", "admin", "olga@example.com")

MSA = ('MASTER SERVICES AGREEMENT\nThis Master Services Agreement (the "Agreement") is entered into as of March 1, 2020 '
       '(the "Effective Date") by and between Acme Widgets, Inc. ("Customer") and Borealis Software LLC ("Provider").\n'
       '1. Services. Provider shall provide the hosted services described in each Order.\n'
       '2. Fees. Customer shall pay Provider a fee of USD 10,000.00 per month.\n'
       '3. Term. The initial term of this Agreement begins on the Effective Date and continues for three (3) years (the '
       '"Initial Term"). Thereafter, this Agreement shall renew automatically for successive one (1) year periods (each, '
       'a "Renewal Term"), unless either party gives the other party written notice of non-renewal at least ninety (90) '
       'days prior to the expiration of the then-current term.\n'
       '4. Governing Law. This Agreement is governed by the laws of the State of New York.\n')


def _amendment(date: str, body: str, target_date: str = "March 1, 2020") -> str:
    return ('AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\nThis Amendment No. 1 (this "Amendment") is entered into as '
            f'of {date} (the "Amendment Effective Date") by and between Acme Widgets, Inc. ("Customer") and Borealis '
            'Software LLC ("Provider").\nRECITALS\nA. Customer and Provider are parties to that certain Master Services '
            f'Agreement dated {target_date} (the "Agreement").\nNOW, THEREFORE, the parties agree as follows:\n{body}\n'
            'No Other Changes. Except as expressly amended by this Amendment, the Agreement remains unchanged and in '
            'full force and effect.\n')


def _upload(cloud, tmp_path, name: str, text: str, meta: dict | None = None) -> str:
    path = tmp_path / name
    path.write_bytes(make_pdf(text))
    cloud.upload(path, meta or META)
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def _deadlines(contract_id: str) -> dict[str, dict]:
    contract = call("GET", f"/contracts/{contract_id}", claims=ADMIN).json()
    return {o["kind"]: o for o in contract["obligations"] if o["status"] == "open"}


RENEWAL_TWO_YEARS = (
    '1. Renewal. Section 3 of the Agreement is amended so that, after the Initial Term, this Agreement shall renew '
    'automatically for successive two (2) year periods (each, a "Renewal Term"), unless either party gives the other '
    'party written notice of non-renewal at least ninety (90) days prior to the expiration of the then-current term.')


def test_a_renewal_length_amended_in_the_fifth_renewal_leaves_the_running_term_its_year(cloud, tmp_path):
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa-2020.pdf", MSA)
    before = _deadlines(msa)
    assert (before["notice_deadline"]["due"], before["expiration"]["due"]) == ("2027-12-01", "2028-02-29")
    amendment = _upload(cloud, tmp_path, "amend-renewal.pdf", _amendment("October 1, 2027", RENEWAL_TWO_YEARS))
    assert repo.get_contract(amendment).amends_contract_id == msa
    after = _deadlines(msa)
    # was: 2028-11-30 and 2029-02-28 ("renewed 3 x P2Y"), the real deadline's reminders deleted
    assert (after["notice_deadline"]["due"], after["expiration"]["due"]) == ("2027-12-01", "2028-02-29")
    assert after["expiration"]["derivation"].startswith("expiration_date 2023-02-28 renewed 5 x P1Y")
    assert "run P2Y (amend-renewal.pdf)" in after["expiration"]["derivation"]
    renewal = repo.current_terms(msa)["renewal_term"]
    assert renewal.value == "P2Y" and "on or after 2027-10-01" in renewal.derivation
    fires = {s["fire_at"].date().isoformat() for s in cloud.schedules() if '"notice_deadline"' in s["Target"]["Input"]}
    assert {"2027-11-01", "2027-11-17"} <= fires
    # the next renewal runs the amendment's two years
    clock.set_now(datetime(2028, 3, 1, 9, 0, tzinfo=UTC))
    from clausewatch.pipeline import record

    record.refresh_deadlines(repo.get_contract(msa), today=clock.now().date(), actor="test")
    later = _deadlines(msa)
    assert later["expiration"]["due"] == "2030-02-28"
    assert "; then 1 x P2Y (amend-renewal.pdf, for terms beginning on or after 2027-10-01) -> 2030-02-28" \
        in later["expiration"]["derivation"]
    # unlinked, the contract's own one-year renewals again, with no trace of the amendment's
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=ADMIN).status == 200
    terms = repo.current_terms(msa)
    assert terms["renewal_term"].value == "P1Y"
    assert "extra" not in (repo.get_contract(msa).extraction["terms"]["renewal_term"])
    assert _deadlines(msa)["expiration"]["due"] == "2029-02-28"


NOTICE_FROM_MARCH = (
    '1. Notice. With effect from March 1, 2028, Section 3 of the Agreement is amended by replacing "ninety (90) days" '
    'with "sixty (60) days", so that for each Renewal Term beginning on or after March 1, 2028 either party may give '
    'the other party written notice of non-renewal at least sixty (60) days prior to the expiration of the '
    'then-current term. The notice period for the Initial Term is not changed.')


def test_a_notice_period_changed_with_effect_from_a_later_day_leaves_the_running_terms_deadline(cloud, tmp_path):
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    _upload(cloud, tmp_path, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
    terms = repo.current_terms(msa)
    assert terms["notice_period"].value == "P60D"
    assert "With effect from March 1, 2028" in terms["notice_period"].derivation
    # was 2027-12-31: sixty days before the initial term's end, though the clause leaves that term ninety
    assert terms["notice_deadline"].value == "2027-12-01"
    assert "P90D (notice period, the period in force for terms beginning before 2028-03-01" \
        in terms["notice_deadline"].derivation
    assert _deadlines(msa)["notice_deadline"]["due"] == "2027-12-01"


def test_a_term_an_amendment_changes_from_a_later_day_it_cannot_apply_so_is_put_before_a_person(cloud, tmp_path):
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    _upload(cloud, tmp_path, "amend1.pdf", _amendment(
        "October 1, 2027", "1. Term. With effect from January 1, 2028, the Initial Term is hereby extended until "
        "February 28, 2030.", "March 1, 2025"))
    assert repo.current_terms(msa)["expiration_date"].value == "2030-02-28"
    flags = [f for f in call("GET", f"/contracts/{msa}", claims=ADMIN).json()["attention"]
             if f["kind"] == "amended_term_takes_effect_later"]
    assert len(flags) == 1 and "With effect from January 1, 2028" in flags[0]["message"]


def test_a_fee_that_takes_effect_after_the_amendments_date_is_priced_from_that_day(cloud, tmp_path):
    clock.set_now(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    later = HOSTING_AMENDMENT.replace("This change takes effect on the Amendment Effective Date.",
                                      "This change takes effect on 1 January 2027.")
    contract = _upload(cloud, tmp_path, "hosting.pdf", HOSTING, HOSTING_META)
    _upload(cloud, tmp_path, "hosting-amendment-1.pdf", later, HOSTING_META)
    assert repo.current_terms(contract)["fees"].value["amount"] == "30000.00"
    s3 = client("s3")
    for number, start, end in (("NOV", "2026-11-01", "2026-11-30"), ("JAN", "2027-01-01", "2027-01-31")):
        invoice = ubl(number=number, issued=end, price="30000.00", currency="GBP", start=start, end=end).replace(
            "Northwind Analytics, Inc.", "Osprey Cloud Limited")
        s3.put_object(Bucket=config.BUCKET_NAME, Key=f"invoices/{contract}/{number}.xml", Body=invoice.encode())
        cloud.pump()
    findings = {f.invoice_number: f for f in store.findings(contract)}
    # November is before the change takes effect: 10,000 above the 20,000 then in force (was: no finding)
    assert set(findings) == {"NOV"}
    assert (findings["NOV"].kind, findings["NOV"].amount) == ("price_above_agreed", "10000.00")


def test_an_amendment_read_as_changing_nothing_is_put_before_a_person(cloud, tmp_path):
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment(
        "September 1, 2027", "1. Services. The hosted services shall include the reporting module described in "
        "Exhibit B.", "March 1, 2025"))
    assert repo.get_contract(amendment).amends_contract_id == msa
    for contract_id in (msa, amendment):
        flags = [f for f in call("GET", f"/contracts/{contract_id}", claims=ADMIN).json()["attention"]
                 if f["kind"] == "amendment_no_change_read"]
        assert len(flags) == 1, contract_id
        assert flags[0]["message"] == ("Amendment No. 1 (amend0.pdf) was applied but no term change was read from it: "
                                       "check it, and enter what it changes (or, when it changes no term tracked "
                                       "here, mark it checked)")
    # unlinked, the contract no longer carries the amendment's flag
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=ADMIN).status == 200
    assert not [f for f in call("GET", f"/contracts/{msa}", claims=ADMIN).json()["attention"]
                if f["kind"] == "amendment_no_change_read"]


def test_a_term_extended_by_twelve_months_counts_from_the_expiration_in_force(cloud, tmp_path):
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment(
        "September 1, 2027", "1. Term. The Initial Term is hereby extended by twelve (12) months.", "March 1, 2025"))
    terms = repo.current_terms(msa)
    # was: applied with no change read (changed: []), the expiration left at 2028-02-29
    assert terms["expiration_date"].value == "2029-02-28"
    assert terms["expiration_date"].derivation == (
        "expiration_date 2028-02-29 (msa.pdf) extended by P12M (amend0.pdf): from 2028-03-01 + P12M - 1 day = 2029-02-28")
    assert terms["notice_deadline"].value == "2028-11-30"
    assert _deadlines(msa)["notice_deadline"]["due"] == "2028-11-30"
    assert not [f for f in call("GET", f"/contracts/{msa}", claims=ADMIN).json()["attention"]
                if f["kind"] == "amendment_no_change_read"]
    # unlinked: the contract's own end again
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=ADMIN).status == 200
    assert repo.current_terms(msa)["expiration_date"].value == "2028-02-29"
