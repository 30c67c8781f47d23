"""An amendment that changes the fee: invoices are checked against the fee in force when their
period starts (the amendment's from its effective date), and credits are a share of it."""

from __future__ import annotations

from datetime import UTC, datetime

from clausewatch import clock, config
from clausewatch.aws.clients import client
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import money as store
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.pdfs import make_pdf
from tests.unit.test_money import ubl

AGREEMENT = (
    "HOSTING SERVICES AGREEMENT\nThis Hosting Services Agreement (this \"Agreement\") is entered into as of 1 January "
    "2026 (the \"Effective Date\") by and between Osprey Cloud Limited (\"Supplier\") and Lark Foods Limited "
    "(\"Customer\").\n1. TERM. This Agreement commences on the Effective Date and shall continue for an initial term "
    "of three (3) years.\n2. CHARGES. The Customer shall pay the Supplier a monthly fee of GBP 20,000 (the \"Service "
    "Charges\"), invoiced monthly in arrears.\n3. SERVICE LEVELS. The Supplier shall make the Service available at "
    "least 99.5% of the time in each calendar month (\"Monthly Availability\"). If Monthly Availability falls below "
    "99.5% in any calendar month, the Customer shall be entitled to a service credit equal to the following "
    "percentage of the monthly Service Charges:\n99.0% - 99.49%: 5%\n0% - 98.99%: 10%\n4. GOVERNING LAW. This Agreement shall be governed by the laws of "
    "England and Wales.")
AMENDMENT = (
    "AMENDMENT NO. 1 TO HOSTING SERVICES AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered into as of "
    "1 October 2026 (the \"Amendment Effective Date\") by and between Osprey Cloud Limited (\"Supplier\") and Lark "
    "Foods Limited (\"Customer\").\nA. Supplier and Customer are parties to that certain Hosting Services Agreement "
    "dated 1 January 2026 (the \"Agreement\").\n1. Charges. Section 2 of the Agreement is amended to read: \"The "
    "Customer shall pay the Supplier a monthly fee of GBP 30,000 (the \"Service Charges\"), invoiced monthly in "
    "arrears.\" This change takes effect on the Amendment Effective Date.\n2. Except as expressly amended by this "
    "Amendment, the Agreement remains unchanged.")
META = {"team": "it", "owner": "sam.ortiz@example.com", "time-zone": "Europe/London", "jurisdiction": "GB-ENG"}


def test_an_amended_fee_is_the_agreed_price_from_the_amendments_effective_date(cloud, tmp_path):
    clock.set_now(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    ids = []
    for name, text in (("hosting.pdf", AGREEMENT), ("hosting-amendment-1.pdf", AMENDMENT)):
        path = tmp_path / name
        path.write_bytes(make_pdf(text))
        cloud.upload(path, META)
        cloud.pump()
        ids.append(contract_id_for(sha256_hex(path.read_bytes())))
    contract_id, amendment_id = ids
    assert repo.get_contract(amendment_id).amends_contract_id == contract_id
    assert repo.current_terms(contract_id)["fees"].value["amount"] == "30000.00"
    s3 = client("s3")
    for number, start, end in (("NOV", "2026-11-01", "2026-11-30"), ("SEP", "2026-09-01", "2026-09-30")):
        invoice = ubl(number=number, issued=end, price="30000.00", currency="GBP", start=start, end=end).replace(
            "Northwind Analytics, Inc.", "Osprey Cloud Limited")
        s3.put_object(Bucket=config.BUCKET_NAME, Key=f"invoices/{contract_id}/{number}.xml", Body=invoice.encode())
        cloud.pump()
    findings = {f.invoice_number: f for f in store.findings(contract_id)}
    # November at the amended 30,000 is as agreed (was: GBP 10,000.00 "above agreed"); September, before the
    # amendment took effect, is 10,000 above the 20,000 then in force
    assert set(findings) == {"SEP"}
    assert (findings["SEP"].kind, findings["SEP"].amount) == ("price_above_agreed", "10000.00")
    # credits are a share of the fee in force in the month measured: 10% of 20,000 in September, of
    # 30,000 in November (was: the current fee for every month)
    s3.put_object(Bucket=config.BUCKET_NAME, Key=f"metrics/{contract_id}/autumn.csv",
                  Body=b"period,metric,value\n2026-09,availability,98.5\n2026-11,availability,98.5\n")
    cloud.pump()
    credits = {f.period: f.amount for f in store.findings(contract_id) if f.kind == "sla_breach"}
    assert credits == {"2026-09": "2000.00", "2026-11": "3000.00"}


# credits stated in prose with the window to claim them; the amendment brings a credit table, and says
# nothing of how credits are claimed
PROSE = AGREEMENT.replace(
    "the Customer shall be entitled to a service credit equal to the following percentage of the monthly Service "
    "Charges:\n99.0% - 99.49%: 5%\n0% - 98.99%: 10%\n",
    "the Customer shall be entitled to a service credit as the parties agree in good faith. The Customer must "
    "request a service credit within thirty (30) days after the end of the affected month.\n")
TABLE = AMENDMENT.replace(
    "1. Charges. Section 2 of the Agreement is amended to read: \"The Customer shall pay the Supplier a monthly fee of "
    "GBP 30,000 (the \"Service Charges\"), invoiced monthly in arrears.\" This change takes effect on the Amendment "
    "Effective Date.\n",
    "1. Service Credits. If Monthly Availability falls below 99.5% in any calendar month, the Customer shall be "
    "entitled to a service credit equal to the following percentage of the monthly Service Charges:\n"
    "99.0% - 99.49%: 5%\n0% - 98.99%: 10%\n")


def test_a_credit_table_an_amendment_brings_to_credits_in_prose_is_claimed_within_the_window_stated(cloud, tmp_path):
    clock.set_now(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    ids = []
    for name, text in (("hosting.pdf", PROSE), ("hosting-amendment-1.pdf", TABLE)):
        path = tmp_path / name
        path.write_bytes(make_pdf(text))
        cloud.upload(path, META)
        cloud.pump()
        ids.append(contract_id_for(sha256_hex(path.read_bytes())))
    contract_id, amendment_id = ids
    assert repo.get_contract(amendment_id).amends_contract_id == contract_id
    terms = repo.current_terms(contract_id)
    assert terms["service_credit_tiers"].value["tiers"] and "claim_window" not in terms["service_credit_tiers"].value
    assert terms["service_credit_claim"].value["claim_window"] == "P30D"
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=f"metrics/{contract_id}/autumn.csv",
                            Body=b"period,metric,value\n2026-09,availability,98.5\n2026-10,availability,98.5\n")
    cloud.pump()
    breaches = {f.period: f for f in store.findings(contract_id) if f.kind == "sla_breach"}
    # September, before the amendment: the credit to check by hand, claimed within the window stated
    assert breaches["2026-09"].amount is None
    september = repo.get_obligation(contract_id, breaches["2026-09"].claim_obligation_id)
    assert september.due == "2026-10-30" and "amount to check by hand: tiers not read" in september.summary
    # October, the amendment's table in force: its credit, claimed within the window the agreement
    # states (was: no claim, the table having no window of its own)
    assert breaches["2026-10"].amount == "2000.00"
    october = repo.get_obligation(contract_id, breaches["2026-10"].claim_obligation_id)
    assert october.due == "2026-11-30" and "GBP 2,000.00" in october.summary
    assert "end of 2026-10 2026-10-31 + P30D = 2026-11-30" in october.derivation
    # its evidence the credit table the amount was computed from (was: the claim window's sentence), the
    # window's clause quoted in the derivation
    assert "99.0% - 99.49%: 5%" in october.evidence["text"] and "request" not in october.evidence["text"]
    assert "the claim window as stated on page 1: \"The Customer must request a service credit within thirty (30) " \
           "days" in october.derivation


# a credit table with its own claim window; the amendment changes the window only, in prose
WINDOWED = AGREEMENT.replace(
    "0% - 98.99%: 10%\n4. GOVERNING LAW.",
    "0% - 98.99%: 10%\nThe Customer must request a service credit within thirty (30) days after the end of the "
    "affected month.\n4. GOVERNING LAW.")
NEW_WINDOW = AMENDMENT.replace(
    "1. Charges. Section 2 of the Agreement is amended to read: \"The Customer shall pay the Supplier a monthly fee of "
    "GBP 30,000 (the \"Service Charges\"), invoiced monthly in arrears.\" This change takes effect on the Amendment "
    "Effective Date.\n",
    "1. Service Credits. The Customer must request a service credit within ten (10) days after the end of the "
    "affected month.\n")


def test_an_amendment_that_changes_only_the_claim_window_is_in_force_from_its_day(cloud, tmp_path):
    clock.set_now(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    ids = []
    for name, text in (("hosting.pdf", WINDOWED), ("hosting-amendment-1.pdf", NEW_WINDOW)):
        path = tmp_path / name
        path.write_bytes(make_pdf(text))
        cloud.upload(path, META)
        cloud.pump()
        ids.append(contract_id_for(sha256_hex(path.read_bytes())))
    contract_id, amendment_id = ids
    assert repo.get_contract(amendment_id).amends_contract_id == contract_id
    terms = repo.current_terms(contract_id)
    assert terms["service_credit_tiers"].value["claim_window"] == "P30D"
    # the amendment's window is recorded as an amended term (was: dropped, not an amendable term)
    assert terms["service_credit_claim"].value["claim_window"] == "P10D"
    assert terms["service_credit_claim"].source_contract_id == amendment_id
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=f"metrics/{contract_id}/autumn.csv",
                            Body=b"period,metric,value\n2026-09,availability,98.5\n2026-10,availability,98.5\n")
    cloud.pump()
    breaches = {f.period: f for f in store.findings(contract_id) if f.kind == "sla_breach"}
    # September, before the amendment: the table's own window
    september = repo.get_obligation(contract_id, breaches["2026-09"].claim_obligation_id)
    assert september.due == "2026-10-30"
    # October: the amendment's newer window (was: the table's, 2026-11-30), the credit still the table's
    assert breaches["2026-10"].amount == "2000.00"
    october = repo.get_obligation(contract_id, breaches["2026-10"].claim_obligation_id)
    assert october.due == "2026-11-10" and "end of 2026-10 2026-10-31 + P10D = 2026-11-10" in october.derivation
    assert "99.0% - 99.49%: 5%" in october.evidence["text"]
    assert "request a service credit within ten (10) days" in october.derivation
