"""The contract's money on the embedded default: a metrics or invoice file under metrics/<id>/ or
invoices/<id>/ -> S3 notification -> SQS -> money λ -> findings, a credit claim obligation with its
reminder schedules, an email to the owner; bad files refused whole and kept; redelivery idempotent."""

from __future__ import annotations

import json
from email import message_from_bytes, policy

import pytest

from clausewatch import clock, config
from clausewatch.aws.clients import client
from clausewatch.schema import ObligationStatus
from clausewatch.store import money as store
from clausewatch.store import repository as repo
from tests.integration.api_support import _world, restore  # noqa: F401
from tests.paths import SAMPLES
from tests.unit.test_money import ubl

SAAS = "saas-subscription-northwind.pdf"


@pytest.fixture
def cloud(_local_cloud_session, _world):
    """The API tests' world (the samples and more, ingested once per session), restored per test."""
    restore(_local_cloud_session, _world)
    yield _local_cloud_session
    clock.set_now(None)


@pytest.fixture
def saas(cloud, _world):
    contract_id = _world.ids[SAAS]
    assert repo.get_contract(contract_id).status == "EXTRACTED"
    _seen[:] = [len(cloud.sent_mail())]  # what the contract's own reminders sent is not this test's
    return contract_id


_seen = [0]


def put(key: str, body: str | bytes) -> None:
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=key, Body=body if isinstance(body, bytes) else body.encode())


def _mails(cloud) -> list:
    """The mail sent since the last look."""
    mail = cloud.sent_mail()
    new, _seen[:] = mail[_seen[0]:], [len(mail)]
    return [message_from_bytes(m, policy=policy.default) for m in new]


def test_a_month_below_target_owes_a_credit_with_a_claim_deadline_the_planner_reminds(cloud, saas):
    schedules_before = {s["Name"] for s in cloud.schedules()}
    put(f"metrics/{saas}/2026-10.csv", "period,metric,value\n2026-09,availability,99.95\n2026-10,availability,99.4\n")
    cloud.pump()
    [finding] = store.findings(saas)
    assert finding.kind == "sla_breach" and finding.period == "2026-10"
    assert (finding.amount, finding.currency) == ("1550.00", "USD")
    assert finding.derivation == "99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00"
    claim = repo.get_obligation(saas, finding.claim_obligation_id)
    assert (claim.kind, claim.due, claim.status) == ("credit_claim", "2026-11-30", "open")
    assert "P30D = 2026-11-30" in claim.derivation and claim.owner == "priya.raman@example.com"
    new = {s["Name"] for s in cloud.schedules()} - schedules_before
    assert new, "the claim deadline got no reminder schedules"
    mails = _mails(cloud)
    assert [m["To"] for m in mails] == ["priya.raman@example.com"]
    text = mails[0].get_body(("plain",)).get_content()
    assert "USD 1,550.00" in mails[0]["Subject"] and "10% x USD 186,000.00 / 12" in text
    # by when, and the clause it rests on (was: neither)
    assert "Claim it by 2026-11-30 (end of 2026-10 2026-10-31 + P30D = 2026-11-30)." in text
    assert "From the clause (page " in text
    # delivered again (at-least-once): the same finding, no second email
    put(f"metrics/{saas}/2026-10.csv", "period,metric,value\n2026-09,availability,99.95\n2026-10,availability,99.4\n")
    cloud.pump()
    assert len(store.findings(saas)) == 1 and _mails(cloud) == []


def test_a_breach_without_a_computed_credit_is_still_told_with_why(cloud, saas):
    put(f"metrics/{saas}/2026-q3.csv", "period,metric,value\n2026-Q3,availability,99.0\n")
    cloud.pump()
    [finding] = store.findings(saas)
    assert finding.kind == "sla_breach" and finding.amount is None and finding.claim_obligation_id is None
    assert "2026-Q3 is not one" in finding.summary
    [mail] = _mails(cloud)
    assert mail["To"] == "priya.raman@example.com" and "at stake" not in mail["Subject"]
    assert finding.summary in mail.get_body(("plain",)).get_content()


def test_a_corrected_file_withdraws_the_breach_and_cancels_the_claim(cloud, saas):
    put(f"metrics/{saas}/october.json", '[{"period": "2026-10", "metric": "availability", "value": 99.4}]')
    cloud.pump()
    put(f"metrics/{saas}/october-corrected.json", '[{"period": "2026-10", "metric": "availability", "value": 99.92}]')
    cloud.pump()
    [finding] = store.findings(saas)
    assert finding.kind == "sla_breach_withdrawn"
    assert repo.get_obligation(saas, finding.claim_obligation_id).status == ObligationStatus.CANCELLED


def test_an_invoice_above_the_agreed_price_is_a_finding_and_a_duplicate_number_is_caught(cloud, saas):
    put(f"invoices/{saas}/nwa-2026-0301.xml", (SAMPLES / "invoice-northwind-2026-03.xml").read_bytes())
    cloud.pump()
    [finding] = store.findings(saas)
    assert (finding.kind, finding.amount, finding.invoice_number) == ("price_above_agreed", "9300.00", "NWA-2026-0301")
    assert [i.number for i in store.invoices(saas)] == ["NWA-2026-0301"]
    assert "9,300.00" in _mails(cloud)[0]["Subject"]
    # the same file delivered again: nothing new; the same number in another file: a duplicate
    put(f"invoices/{saas}/nwa-2026-0301.xml", (SAMPLES / "invoice-northwind-2026-03.xml").read_bytes())
    cloud.pump()
    assert len(store.findings(saas)) == 1
    put(f"invoices/{saas}/resent.xml", (SAMPLES / "invoice-northwind-2026-03.xml").read_bytes())
    cloud.pump()
    assert sorted(f.kind for f in store.findings(saas)) == ["duplicate", "price_above_agreed"]
    assert len(store.invoices(saas)) == 1


def test_a_compliant_invoice_is_recorded_without_findings(cloud, saas):
    put(f"invoices/{saas}/ok.xml", ubl(number="NWA-OK"))
    cloud.pump()
    assert store.findings(saas) == [] and [i.number for i in store.invoices(saas)] == ["NWA-OK"]
    assert _mails(cloud) == []
    assert any(e.action == "invoice.recorded" for e in repo.audit_events(saas))


@pytest.mark.parametrize("key, body, says", [
    ("invoices/{id}/broken.xml", "<Invoice><oops", "not well-formed XML"),
    ("metrics/{id}/bad.csv", "period,metric,value\n2026-10,availability,lots\n", "line 2"),
    ("metrics/{id}/binary.csv", b"\xff\xfe\x00garbage", "not UTF-8"),
    ("metrics/0000000000000000/x.csv", "period,metric,value\n2026-10,availability,99\n", "no contract"),
    # a number no check can use: refused with its line (was: decimal.InvalidOperation, retried into the
    # dead-letter queue, the 202 the person got followed by nothing)
    ("metrics/{id}/nan.prom", '# TYPE sla_availability_ratio gauge\nsla_availability_ratio{period="2026-05"} NaN\n'
     "# EOF\n", "not a number"),
    ("invoices/{id}/big.json", '{"number": "BIG-1", "issue_date": "2026-03-01", "currency": "USD", "lines": '
     '[{"description": "Subscription Fees", "amount": "1e999999"}]}', "is not a number"),
    ("metrics/{id}/down.csv", "period,metric,value\n2026-08,unavailability_ratio,0.006\n", "not available"),
])
def test_a_bad_file_is_refused_whole_kept_and_explained(cloud, saas, key, body, says):
    key = key.format(id=saas)
    put(key, body)
    cloud.pump()  # never retried forever: the queue drains
    s3 = client("s3")
    assert s3.head_object(Bucket=config.BUCKET_NAME, Key=key)  # kept where it was put
    error = json.loads(s3.get_object(Bucket=config.BUCKET_NAME,
                                     Key=f"{config.REFUSED_PREFIX}{key}.error.json")["Body"].read())
    assert says in error["reason"]
    if "0000000000000000" not in key:
        [finding] = store.findings(saas)
        assert finding.kind == "file_refused" and says in finding.summary
        assert any(e.action.endswith(".refused") for e in repo.audit_events(saas))
    assert store.invoices(saas) == []


def test_a_file_whose_check_fails_on_a_number_is_refused_not_lost(cloud, saas, monkeypatch):
    from decimal import InvalidOperation

    from clausewatch.pipeline import money as pipeline

    def fails(*args, **kwargs):
        raise InvalidOperation([InvalidOperation])

    monkeypatch.setattr(pipeline, "check_invoice", fails)
    key = f"invoices/{saas}/odd.xml"
    put(key, ubl(number="ODD-1"))
    cloud.pump()  # the queue drains: refused once, not retried
    [finding] = store.findings(saas)
    assert finding.kind == "file_refused" and "a number in the file cannot be used" in finding.summary


def test_a_cap_over_a_calendar_year_counts_the_credits_of_earlier_files(cloud, saas):
    from clausewatch.extract.model import Term

    tiers = repo.current_terms(saas)["service_credit_tiers"]
    capped = {**tiers.value, "cap_percent": "5", "cap_period": "calendar year", "cap_base_period": "year"}
    repo.save_terms(saas, {"service_credit_tiers": Term(value=capped, evidence=None)},
                    source_contract_id=saas, actor="test")
    # 5% of USD 186,000.00 a calendar year = 9,300.00; each month at 90% earns 50% x 15,500 = 7,750.00
    put(f"metrics/{saas}/q1.csv", "period,metric,value\n2026-01,availability,90\n")
    cloud.pump()
    put(f"metrics/{saas}/q2.csv", "period,metric,value\n2026-04,availability,90\n")
    cloud.pump()
    owed = {f.period: f.amount for f in store.findings(saas) if f.kind == "sla_breach"}
    assert owed == {"2026-01": "7750.00", "2026-04": "1550.00"}  # 9,300 - 7,750; was 7,750 each
    # a corrected file: January met, April as before; January's old credit is not counted against April
    put(f"metrics/{saas}/corrected.csv", "period,metric,value\n2026-01,availability,99.95\n2026-04,availability,90\n")
    cloud.pump()
    owed = {f.period: f.amount for f in store.findings(saas) if f.kind == "sla_breach"}
    assert owed == {"2026-04": "7750.00"}


def test_a_month_withdrawn_then_breached_again_is_to_be_claimed_again(cloud, saas):
    for n, level in enumerate(("98.0", "99.95", "97.0")):
        put(f"metrics/{saas}/jul-{n}.csv", f"period,metric,value\n2026-07,availability,{level}\n")
        cloud.pump()
    [finding] = [f for f in store.findings(saas) if f.period == "2026-07"]
    assert (finding.kind, finding.amount) == ("sla_breach", "3875.00")  # 25% x 186,000 / 12
    claim = repo.get_obligation(saas, finding.claim_obligation_id)
    assert claim.status == ObligationStatus.OPEN and claim.due == "2026-08-30"  # was: left cancelled, never reminded


def test_an_invoice_is_checked_against_the_terms_in_force_on_its_date(cloud, saas, monkeypatch):
    from datetime import date

    from clausewatch.extract.model import Term
    from clausewatch.pipeline import money as pipeline

    # an amendment effective 2026-06-01 raised the agreed fee to USD 195,300.00
    fees = repo.current_terms(saas)["fees"]
    repo.save_terms(saas, {"fees": Term(value={**fees.value, "amount": "195300.00"}, evidence=None)},
                    source_contract_id="a1a1a1a1a1a1a1a1", actor="test")
    monkeypatch.setattr(pipeline, "_amendment_start", lambda amendment_id, recorded, term=None: date(2026, 6, 1))
    put(f"invoices/{saas}/before.xml", ubl(number="B-1", issued="2026-03-01", price="195300.00"))
    put(f"invoices/{saas}/after.xml", ubl(number="A-1", issued="2026-07-01", start="2026-07-01", end="2027-06-30",
                                          price="195300.00"))
    cloud.pump()
    assert [f.invoice_number for f in store.findings(saas)] == ["B-1"]  # only before the amendment


def test_lines_not_checked_are_told_as_not_checked_never_as_money_findings(cloud, saas):
    head = "number,issue_date,currency,description,quantity,unit_price,amount,period_start,period_end\n"
    # a month and a half: how the contract prorates is not read, so the fee's line is not priced
    put(f"invoices/{saas}/part.csv", head + "P-1,2026-03-01,USD,Subscription Fees,1,23250.00,23250.00,2026-03-01,"
                                            "2026-04-15\n")
    cloud.pump()
    [finding] = store.findings(saas)
    assert (finding.kind, finding.amount) == ("not_checked", None)
    [mail] = _mails(cloud)
    subject, text = mail["Subject"], mail.get_body(("plain",)).get_content()
    assert "money finding" not in subject and "at stake" not in subject  # was: "1 money finding(s) on ..."
    assert "1 not checked" in subject and "nothing claimed" in subject
    assert "not a whole number of months" in text and "check the amount by hand" in text
    # with a real finding: counted alone (subject, total at stake), the line not checked told apart below it
    put(f"invoices/{saas}/mixed.csv", head + "P-2,2026-05-01,USD,Subscription Fees,1,23250.00,23250.00,2026-05-01,"
                                             "2026-06-15\nP-2,2026-05-01,USD,Setup,1,100.00,150.00,2026-05-01,"
                                             "2026-06-15\n")
    cloud.pump()
    [mail] = _mails(cloud)
    subject, text = mail["Subject"], mail.get_body(("plain",)).get_content()
    assert "1 money finding(s)" in subject and "(USD 50.00 at stake)" in subject and "1 not checked" in subject
    found, unchecked = text.split("Not checked (nothing claimed or at stake: check these by hand):")
    assert "quantity x price is not the line amount" in found and "not a whole number of months" not in found
    assert "not a whole number of months" in unchecked
