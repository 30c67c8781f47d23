"""A supplier's credit note through the money λ (embedded default: S3 -> SQS -> λ): recorded, matched
to the SLA credit it pays, the claim settled and its credit_claim obligation done by the system with
the arithmetic; a partial credit leaves the rest owed; a credit that matches nothing is told; the
same credit note twice is a duplicate."""

from __future__ import annotations

from decimal import Decimal

from clausewatch.schema import ObligationStatus
from clausewatch.store import money as store
from clausewatch.store import repository as repo
from tests.integration.api_support import _world, restore  # noqa: F401
from tests.integration.test_money_e2e import _mails, cloud, put, saas  # noqa: F401
from tests.unit.test_money_credit_notes import credit_note

OCTOBER_BREACH = "period,metric,value\n2026-10,availability,99.4\n"


def _finding(contract_id: str, kind_prefix: str):
    [item] = [f for f in store.findings(contract_id) if f.kind.startswith(kind_prefix)]
    return item


def test_a_credit_note_settles_the_claimed_sla_credit_and_completes_its_claim(cloud, saas):
    put(f"metrics/{saas}/2026-10.csv", OCTOBER_BREACH)
    cloud.pump()
    breach = _finding(saas, "sla_breach")
    assert (breach.amount, breach.claim_obligation_id) == ("1550.00", "credit-2026-10-availability")
    _mails(cloud)
    put(f"invoices/{saas}/cn-123.xml", credit_note(references=()))
    cloud.pump()
    told = _finding(saas, "credit_note")
    assert told.kind == "credit_note_settled" and told.invoice_number == "CN-123"
    assert told.derivation == ("credit note CN-123 of USD 1,550.00 (the same amount to the cent) settles the "
                               "2026-10 SLA credit of USD 1,550.00")
    claim = repo.get_obligation(saas, breach.claim_obligation_id)
    assert claim.status == ObligationStatus.DONE and claim.resolved_by == "money"
    assert claim.resolution_note == told.derivation and claim.evidence_key == f"invoices/{saas}/cn-123.xml"
    settled = store.get_finding(saas, breach.finding_id).detail["settlements"]["CN-123"]
    assert settled["applied"] == {"amount": "1550.00", "currency": "USD"} and settled["status"] == "settled"
    # recorded as a credit (a negative amount invoiced), its reference kept; audited with its arithmetic
    [recorded] = store.invoices(saas)
    assert (recorded.number, recorded.total, recorded.invoice["document"]) == ("CN-123", "-1550.00", "credit_note")
    events = {e.action: e.detail for e in repo.audit_events(saas)}
    assert events["credit_note.recorded"]["status"] == "settled"
    assert events["obligation.done"]["obligation_id"] == breach.claim_obligation_id
    [mail] = _mails(cloud)
    assert "at stake" not in mail["Subject"] and told.derivation in mail.get_body(("plain",)).get_content()
    # the metrics file delivered again keeps the credit note on the breach
    put(f"metrics/{saas}/2026-10.csv", OCTOBER_BREACH)
    cloud.pump()
    assert "CN-123" in store.get_finding(saas, breach.finding_id).detail["settlements"]
    # the same credit note again, in another file: a duplicate, not applied twice
    put(f"invoices/{saas}/cn-123-again.xml", credit_note(references=()))
    cloud.pump()
    assert [f.kind for f in store.findings(saas) if f.kind == "duplicate"] == ["duplicate"]
    assert len(store.get_finding(saas, breach.finding_id).detail["settlements"]) == 1


def test_a_partial_credit_leaves_the_rest_owed_and_the_claim_open(cloud, saas):
    put(f"metrics/{saas}/2026-10.csv", OCTOBER_BREACH)
    cloud.pump()
    put(f"invoices/{saas}/cn-7.json", '{"number": "CN-7", "issue_date": "2026-12-01", "currency": "USD", '
        '"document_type": "credit_note", "note": "SLA credit October 2026", '
        '"lines": [{"description": "Service credit", "amount": "1000.00"}]}')
    cloud.pump()
    told = _finding(saas, "credit_note")
    assert told.kind == "credit_note_partial" and "1,550.00 - 1,000.00 = USD 550.00 still owed" in told.derivation
    breach = _finding(saas, "sla_breach")
    assert repo.get_obligation(saas, breach.claim_obligation_id).status == ObligationStatus.OPEN
    # the rest, as a negative-amount CSV: settles what is left, and the claim is done
    put(f"invoices/{saas}/cn-8.csv", "number,issue_date,currency,description,amount\n"
        "CN-8,2026-12-03,USD,SLA credit 2026-10 balance,-550.00\n")
    cloud.pump()
    assert store.get_finding(saas, "credit-note-CN-8").kind == "credit_note_settled"
    assert repo.get_obligation(saas, breach.claim_obligation_id).status == ObligationStatus.DONE
    assert sum(Decimal(s["applied"]["amount"]) for s in
               store.get_finding(saas, breach.finding_id).detail["settlements"].values()) == Decimal("1550.00")


def test_a_credit_note_that_matches_nothing_is_told_with_why(cloud, saas):
    put(f"invoices/{saas}/cn-9.xml", credit_note(number="CN-9", amount="75.00", references=()))
    cloud.pump()
    told = _finding(saas, "credit_note")
    assert told.kind == "credit_note_not_matched" and "none is open in USD" in told.derivation
    assert [i.number for i in store.invoices(saas)] == ["CN-9"]
    assert _mails(cloud), "a credit note that settles nothing was not told"


def test_a_claim_a_person_waived_stays_waived_when_a_credit_note_pays_it(cloud, saas):
    put(f"metrics/{saas}/2026-10.csv", OCTOBER_BREACH)
    cloud.pump()
    breach = _finding(saas, "sla_breach")
    repo.set_obligation_status(saas, breach.claim_obligation_id, ObligationStatus.WAIVED, team=repo.get_contract(saas).team,
                               actor="priya.raman@example.com", reason="agreed to forgo October")
    put(f"invoices/{saas}/cn-123.xml", credit_note(references=()))
    cloud.pump()
    assert _finding(saas, "credit_note").kind == "credit_note_settled"
    assert repo.get_obligation(saas, breach.claim_obligation_id).status == ObligationStatus.WAIVED


def test_a_credit_netted_on_the_next_invoice_settles_the_claim(cloud, saas):
    put(f"metrics/{saas}/2026-10.csv", OCTOBER_BREACH)
    cloud.pump()
    breach = _finding(saas, "sla_breach")
    put(f"invoices/{saas}/inv-9.json", '{"number": "INV-9", "issue_date": "2026-12-01", "currency": "USD", '
        '"lines": [{"id": "1", "description": "Implementation services", "amount": "4000.00"}, '
        '{"id": "2", "description": "SLA credit October 2026", "amount": "-1550.00"}]}')
    cloud.pump()
    told = store.get_finding(saas, "credit-note-INV-9 line 2")
    assert told.kind == "credit_note_settled" and "settles the 2026-10 SLA credit of USD 1,550.00" in told.derivation
    assert repo.get_obligation(saas, breach.claim_obligation_id).status == ObligationStatus.DONE
    [invoice] = store.invoices(saas)
    assert (invoice.number, invoice.total) == ("INV-9", "2450.00")


def test_one_credit_note_for_two_months_settles_both_claims_with_the_sum(cloud, saas):
    put(f"metrics/{saas}/2026-q3q4.csv", "period,metric,value\n2026-09,availability,99.8\n2026-10,availability,99.4\n")
    cloud.pump()
    breaches = sorted((f for f in store.findings(saas) if f.kind == "sla_breach"), key=lambda f: f.period)
    assert [(b.period, b.amount) for b in breaches] == [("2026-09", "775.00"), ("2026-10", "1550.00")]
    put(f"invoices/{saas}/cn-300.xml", credit_note(number="CN-300", amount="2325.00", references=()))
    cloud.pump()
    told = _finding(saas, "credit_note")
    assert told.kind == "credit_note_settled"
    assert "775.00 (2026-09) + 1,550.00 (2026-10) = USD 2,325.00" in told.derivation
    for breach in breaches:
        settled = store.get_finding(saas, breach.finding_id).detail["settlements"]["CN-300"]
        assert settled["applied"] == {"amount": breach.amount, "currency": "USD"} and settled["status"] == "settled"
        claim = repo.get_obligation(saas, breach.claim_obligation_id)
        assert (claim.status, claim.resolved_by) == (ObligationStatus.DONE, "money")
        assert claim.resolution_note == settled["derivation"] and "= USD 2,325.00" in claim.resolution_note
        assert claim.evidence_key == f"invoices/{saas}/cn-300.xml"
    audited = [e.detail for e in repo.audit_events(saas) if e.action == "credit_note.recorded"]
    assert audited[-1]["finding_ids"] == [b.finding_id for b in breaches]


def test_a_claim_a_person_marked_done_keeps_their_record_and_the_credit_note_is_evidence_against_it(cloud, saas):
    put(f"metrics/{saas}/2026-10.csv", OCTOBER_BREACH)
    cloud.pump()
    breach = _finding(saas, "sla_breach")
    person = "priya.raman@example.com"
    repo.set_obligation_status(saas, breach.claim_obligation_id, ObligationStatus.DONE,
                               team=repo.get_contract(saas).team, actor=person, reason="claimed by email on 2026-11-20",
                               evidence_key="evidence/claim-email.eml")
    before = repo.get_obligation(saas, breach.claim_obligation_id)
    put(f"invoices/{saas}/cn-123.xml", credit_note(references=()))
    cloud.pump()
    assert _finding(saas, "credit_note").kind == "credit_note_settled"
    claim = repo.get_obligation(saas, breach.claim_obligation_id)
    assert (claim.status, claim.resolved_by, claim.resolved_at, claim.resolution_note, claim.evidence_key) == (
        ObligationStatus.DONE, person, before.resolved_at, "claimed by email on 2026-11-20", "evidence/claim-email.eml")
    settled = store.get_finding(saas, breach.finding_id).detail["settlements"]["CN-123"]
    assert settled["claim_kept"]["resolved_by"] == person
    events = [e for e in repo.audit_events(saas) if (e.detail or {}).get("obligation_id") == breach.claim_obligation_id]
    assert [(e.action, e.actor) for e in events if e.action != "obligation.recorded"] == [
        ("obligation.done", person), ("obligation.evidence", "money")]
    assert events[-1].detail["credit_note"] == "CN-123" and events[-1].detail["kept"]["resolved_by"] == person
    assert events[-1].detail["evidence_key"] == f"invoices/{saas}/cn-123.xml"
