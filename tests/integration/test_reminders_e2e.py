"""Issue #4 end to end on the embedded default: extracted deadlines -> planner (DynamoDB stream)
-> EventBridge Scheduler schedules -> alert λ (fired by the local scheduler emulation) -> SES."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from clausewatch import clock, config
from clausewatch.local.handlers import invoke
from clausewatch.pipeline.actions import complete_obligation, delete_contract
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.plan import reminder_name
from clausewatch.schema import ContractStatus, ObligationStatus
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.pipeline_support import as_ingest_leaves_it, before_the_markers_upgrade
from tests.paths import SAMPLES, sample_metadata
from tests.pdfs import make_pdf

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
SAAS = "saas-subscription-northwind.pdf"


def upload_sample(cloud, name: str) -> str:
    cloud.upload(SAMPLES / name, sample_metadata()[name])
    cloud.pump()
    return contract_id_for(sha256_hex((SAMPLES / name).read_bytes()))


def schedules_of(cloud, contract_id: str) -> dict[str, dict]:
    return {s["Name"]: s for s in cloud.schedules() if s["Name"].startswith(f"cw-{contract_id}-")}


@pytest.fixture(scope="module")
def saas_saved(save_cloud):
    """The SaaS sample through the whole pipeline at NOW, built once (seconds) and saved."""

    def build(cloud):
        clock.set_now(NOW)
        return upload_sample(cloud, SAAS)

    return save_cloud(build)


@pytest.fixture
def saas(cloud, saas_saved):
    """The SaaS sample's contract id, on a cloud holding exactly the saved state, the clock at NOW."""
    return saas_saved.restore(cloud)


def test_notice_deadline_gets_one_schedule_per_lead_time_at_9am_local(cloud, saas):
    contract = repo.get_contract(saas)
    assert contract.status == ContractStatus.EXTRACTED
    notice = repo.get_obligation(saas, "notice_deadline")
    assert notice.due == "2026-12-30" and "P60D" in notice.derivation and notice.evidence["text"]
    schedules = schedules_of(cloud, saas)
    due = date(2026, 12, 30)
    expected = {reminder_name(saas, "notice_deadline", due, lead): f"at({day}T09:00:00)"
                for lead, day in ((30, "2026-11-30"), (14, "2026-12-16"), (7, "2026-12-23"),
                                  (0, "2026-12-30"))}
    for name, expression in expected.items():
        assert schedules[name]["ScheduleExpression"] == expression
        assert schedules[name]["ScheduleExpressionTimezone"] == "America/New_York"
    # the 90- and 60-day lead times passed before the upload: one catch-up alert, not two, none in the past
    # (its day, Saturday 31 Oct, moved to Friday 30 Oct: the name says so)
    catch_up = schedules[reminder_name(saas, "notice_deadline", due, 60, date(2026, 10, 30))]
    assert catch_up["fire_at"] > NOW and (catch_up["fire_at"] - NOW).total_seconds() <= 120
    assert reminder_name(saas, "notice_deadline", due, 90) not in schedules
    assert all(s["fire_at"] > NOW for s in schedules.values())
    # every schedule targets the alert function with its payload, deletes itself, retries, has a DLQ
    target = schedules[next(iter(expected))]["Target"]
    payload = json.loads(target["Input"])
    assert payload["contract_id"] == saas and payload["obligation_id"] == "notice_deadline"
    assert payload["due"] == "2026-12-30" and payload["lead_days"] == 30
    assert target["Arn"].endswith(":function:clausewatch-alert")
    assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1
    assert target["DeadLetterConfig"]["Arn"].endswith(config.SCHEDULER_DLQ)
    assert schedules[next(iter(expected))]["ActionAfterCompletion"] == "DELETE"


def test_recurring_duty_gets_short_lead_times_only(cloud, saas):
    recurring = [o for o in repo.obligations(saas) if "@" in o.obligation_id]
    assert recurring, "the monthly service report should have a next occurrence"
    report = min(recurring, key=lambda o: o.due)
    assert report.due == "2026-12-14"  # 30 Nov + 10 business days (US-NY)
    names = {reminder_name(saas, report.obligation_id, date(2026, 12, 14), lead) for lead in (7, 0)}
    planned = {n for n in schedules_of(cloud, saas)
               if json.loads(schedules_of(cloud, saas)[n]["Target"]["Input"])["obligation_id"] == report.obligation_id}
    assert planned == names


def test_replanning_is_idempotent(cloud, saas):
    before = set(schedules_of(cloud, saas))
    invoke("planner", {"sweep": True})
    cloud.pump()
    assert set(schedules_of(cloud, saas)) == before


def test_completed_obligation_cancels_its_remaining_reminders(cloud, saas):
    complete_obligation(saas, "notice_deadline", actor="test", note="non-renewal notice sent")
    cloud.pump()
    remaining = [json.loads(s["Target"]["Input"]) for s in schedules_of(cloud, saas).values()]
    assert remaining and not [p for p in remaining if p["obligation_id"] == "notice_deadline"]
    assert repo.get_obligation(saas, "notice_deadline").status == ObligationStatus.DONE


def test_deleted_contract_leaves_no_schedules(cloud, saas):
    assert schedules_of(cloud, saas)
    delete_contract(saas, actor="test")
    cloud.pump()
    assert schedules_of(cloud, saas) == {}
    assert [e.action for e in repo.audit_events(saas)][-1] == "contract.deleted"


def test_alert_email_has_clause_arithmetic_and_calendar_invite(cloud, saas, tmp_path):
    fired = cloud.fire_until(datetime(2026, 11, 30, 15, 0, tzinfo=UTC), outbox=tmp_path)
    notice = [f for f in fired if f.payload["obligation_id"] == "notice_deadline"]
    assert [f.payload["lead_days"] for f in notice] == [60, 30]
    assert all(f.result["sent"] for f in notice)
    # the 30-day reminder went out at 09:00 New York time (14:00 UTC) on 30 Nov
    assert notice[1].at == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert notice[1].result["escalated"] and config.DEFAULT_ESCALATION_EMAIL in notice[1].result["cc"]
    emails = {p.name: email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
              for p in tmp_path.glob("*.eml")}
    message = next(m for m in emails.values() if m["X-Clausewatch-Reminder"] == notice[1].name)
    assert "30 Dec 2026" in message["Subject"] and "30 days" in message["Subject"]
    assert message["To"] == "priya.raman@example.com"
    plain = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
    assert "sixty (60) days" in plain  # the clause, quoted
    assert "2027-02-28 - P60D" in plain  # the arithmetic
    invite = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    event = icalendar.Calendar.from_ical(invite.get_payload(decode=True)).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == date(2026, 12, 30)
    # fired schedules are gone (ActionAfterCompletion DELETE); the alert is audited
    assert notice[1].name not in schedules_of(cloud, saas)
    sent = [e for e in repo.audit_events(saas) if e.action == "alert.sent"]
    assert notice[1].name in {e.detail["reminder"] for e in sent}


def test_stale_repeated_or_done_reminders_are_suppressed(cloud, saas):
    due = date(2026, 12, 30)
    payload = json.loads(schedules_of(cloud, saas)[reminder_name(saas, "notice_deadline", due, 30)]
                         ["Target"]["Input"])
    assert invoke("alert", payload)["sent"]
    repeated = invoke("alert", payload)  # the same reminder delivered twice: one email
    moved = invoke("alert", {**payload, "due": "2026-12-29", "name": f"cw-{saas}-{'0' * 16}"})
    complete_obligation(saas, "notice_deadline", actor="test")
    cloud.pump()
    after_done = invoke("alert", {**payload, "name": reminder_name(saas, "notice_deadline", due, 14)})
    assert [r["sent"] for r in (repeated, moved, after_done)] == [False, False, False]
    assert repeated["reason"].startswith("already sent")
    assert moved["reason"].startswith("superseded")
    assert after_done["reason"] == "obligation done"
    audit = [e for e in repo.audit_events(saas) if e.action.startswith("alert.")]
    assert [e.action for e in audit] == ["alert.sent"] + ["alert.suppressed"] * 3


def test_unowned_contract_alerts_the_default_address(cloud):
    clock.set_now(NOW)
    metadata = {k: v for k, v in sample_metadata()[SAAS].items() if k != "owner"}
    cloud.upload(SAMPLES / SAAS, metadata)
    cloud.pump()
    fired = cloud.fire_until(datetime(2026, 11, 26, tzinfo=UTC))
    assert fired and all(f.result["to"] == [config.DEFAULT_OWNER_EMAIL] for f in fired if f.result["sent"])
    contract_id = contract_id_for(sha256_hex((SAMPLES / SAAS).read_bytes()))
    assert all(o.unowned for o in repo.obligations(contract_id) if o.due)


def test_a_failed_send_is_retried_and_sends_once(cloud, saas, monkeypatch):
    from clausewatch.pipeline import reminders

    payload = json.loads(schedules_of(cloud, saas)[reminder_name(saas, "notice_deadline", date(2026, 12, 30), 30)]
                         ["Target"]["Input"])
    real_send, attempts = reminders.send_email, []

    def flaky_send(message):
        attempts.append(message["Subject"])
        if len(attempts) == 1:
            raise ConnectionError("SES throttled")
        return real_send(message)

    monkeypatch.setattr(reminders, "send_email", flaky_send)
    with pytest.raises(ConnectionError):
        invoke("alert", payload)  # Scheduler retries the target (RetryPolicy)
    assert invoke("alert", payload)["sent"]
    assert not invoke("alert", payload)["sent"]
    assert len(attempts) == 2
    assert len([e for e in repo.audit_events(saas) if e.action == "alert.sent"]) == 1


class Killed(BaseException):
    """The invocation dies here (a timeout, out of memory, the host lost): no except clause runs."""


def _thirty_day_notice_reminder(cloud, saas) -> dict:
    return json.loads(schedules_of(cloud, saas)[reminder_name(saas, "notice_deadline", date(2026, 12, 30), 30)]
                      ["Target"]["Input"])


def _sent_of(cloud, name: str, since: int) -> list:
    return [m for m in cloud.sent_mail()[since:] if name.encode() in m]


def test_a_reminder_whose_invocation_dies_before_its_email_is_sent_by_the_retry_after_the_lease(
        cloud, saas, monkeypatch):
    """Brief s22 1: the reminder's SENT# item was written before the email went out; an invocation
    killed in between lost the reminder for good (every later delivery found it "already sent").
    Claimed with a lease instead: a delivery while the claim holds fails (to be retried), one after
    it runs out sends the email, once; the planner does not count the unsettled claim as sent."""
    from clausewatch.pipeline import reminders
    from clausewatch.store import work

    payload = _thirty_day_notice_reminder(cloud, saas)
    clock.set_now(datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    sent = len(cloud.sent_mail())

    def killed_before_sending(message):
        raise Killed

    monkeypatch.setattr(reminders, "send_email", killed_before_sending)
    with pytest.raises(Killed):
        invoke("alert", payload)
    monkeypatch.undo()
    assert _sent_of(cloud, payload["name"], sent) == []
    assert work.sent_reminders(saas, [payload["name"]]) == set() and payload["name"] not in work.sent_reminders(saas)
    with pytest.raises(reminders.ReminderInFlight):  # Lambda's retry within the lease: later
        invoke("alert", payload)
    clock.set_now(clock.now() + timedelta(seconds=config.REMINDER_LEASE_SECONDS + 1))
    assert invoke("alert", payload)["sent"] is True
    repeated = invoke("alert", payload)
    assert repeated["sent"] is False and repeated["reason"] == f"already sent: {payload['name']}"
    assert len(_sent_of(cloud, payload["name"], sent)) == 1
    assert work.sent_reminders(saas, [payload["name"]]) == {payload["name"]}
    assert [e.action for e in repo.audit_events(saas) if e.action.startswith("alert.")][-2:] == \
        ["alert.sent", "alert.suppressed"]


def _open_occurrences(contract_id: str) -> list:
    return sorted((o for o in repo.obligations(contract_id, consistent=True) if o.kind == "recurring" and o.due
                   and o.status == ObligationStatus.OPEN), key=lambda o: o.due)


def test_one_catch_up_carrying_a_duties_other_occurrences_is_one_email_listing_each_once(cloud, saas, monkeypatch):
    """A reopen makes a recurring duty's owed occurrences, overdue; the planner gives the most
    overdue one's catch-up the others (``together``). Fired, it is ONE email listing each occurrence
    with its day and arithmetic, one calendar with an entry for each; each one's reminder is
    recorded handled (its own line, which catch-up told of it), so neither a retry nor the other's
    own reminder sends it again. Before, the carried occurrences were not named at all."""
    from clausewatch.config import Settings
    from clausewatch.pipeline import reminders
    from clausewatch.store import work

    [first] = _open_occurrences(saas)
    [payload] = [json.loads(s["Target"]["Input"]) for s in schedules_of(cloud, saas).values()
                 if first.obligation_id in s["Target"]["Input"] and json.loads(s["Target"]["Input"])["lead_days"] == 0]
    clock.set_now(datetime.fromisoformat(first.due).replace(tzinfo=UTC) + timedelta(days=2))
    reminders.sync_reminders(Settings.from_env(), saas, clock.now())  # the next period's occurrence made
    cloud.pump()
    first, second = _open_occurrences(saas)[:2]
    carried_name = reminder_name(saas, second.obligation_id, date.fromisoformat(second.due), 0)
    payload = {**payload, "immediate": True,
               "together": [{"name": carried_name, "obligation_id": second.obligation_id, "due": second.due}]}
    clock.set_now(datetime.fromisoformat(second.due).replace(tzinfo=UTC) + timedelta(days=3))
    sent = len(cloud.sent_mail())

    assert invoke("alert", payload)["sent"] is True
    [raw] = cloud.sent_mail()[sent:]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert " and 1 more owed: " in message["Subject"] and "OVERDUE" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert first.derivation in body and second.derivation in body
    assert "Also owed for this duty (1 more, each its own date):" in body
    [invite] = [part for part in message.iter_attachments() if part.get_filename() == "deadline.ics"]
    events = icalendar.Calendar.from_ical(invite.get_payload(decode=True)).walk("VEVENT")
    assert sorted(e.decoded("dtstart").isoformat() for e in events) == [first.due, second.due]
    assert len({str(e["uid"]) for e in events}) == 2
    lines = {e.detail["obligation_id"]: e.detail for e in repo.audit_events(saas) if e.action == "alert.sent"}
    assert lines[second.obligation_id]["with"] == payload["name"]
    assert lines[second.obligation_id]["ses_message_id"] == lines[first.obligation_id]["ses_message_id"]
    assert work.sent_reminders(saas, [payload["name"], carried_name]) == {payload["name"], carried_name}

    # the retry and the carried occurrence's own reminder send nothing more
    assert invoke("alert", payload)["sent"] is False
    own = {**payload, "name": carried_name, "obligation_id": second.obligation_id, "due": second.due,
           "together": []}
    assert invoke("alert", own)["sent"] is False
    assert len(cloud.sent_mail()) == sent + 1


def test_a_reminder_whose_invocation_dies_after_its_email_is_sent_at_most_once_more(cloud, saas, monkeypatch):
    """Killed after the email, before the claim is settled: the retry after the lease sends it
    again (one extra email, never none), then never again."""

    payload = _thirty_day_notice_reminder(cloud, saas)
    clock.set_now(datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    sent = len(cloud.sent_mail())

    def killed_before_settling(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(repo, "settle_reminder", killed_before_settling)
    with pytest.raises(Killed):
        invoke("alert", payload)
    monkeypatch.undo()
    assert len(_sent_of(cloud, payload["name"], sent)) == 1
    clock.set_now(clock.now() + timedelta(seconds=config.REMINDER_LEASE_SECONDS + 1))
    assert invoke("alert", payload)["sent"] is True
    assert invoke("alert", payload)["sent"] is False
    assert len(_sent_of(cloud, payload["name"], sent)) == 2


def test_a_write_failing_after_the_email_never_sends_it_again_and_the_rest_still_runs(cloud, saas, monkeypatch):
    """Review rv8 MUST-2: the calendar record (a read and a write) ran between the email and the
    settle, so a throttled write left the claim unsettled and Lambda's retry, after the lease, sent
    a second email and .ics. Now the claim is settled as soon as the email went; what follows is each
    tried (the audit line is written although the calendar record failed), the failure raised."""
    from botocore.exceptions import ClientError

    from clausewatch.pipeline import reminders

    payload = _thirty_day_notice_reminder(cloud, saas)
    clock.set_now(datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    sent = len(cloud.sent_mail())

    def throttled(*args, **kwargs):
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                          "PutItem")

    monkeypatch.setattr(reminders, "record_invite", throttled)
    with pytest.raises(ClientError):
        invoke("alert", payload)
    monkeypatch.undo()
    audited = [e for e in repo.audit_events(saas) if e.action == "alert.sent"
               and e.detail["reminder"] == payload["name"]]
    assert len(audited) == 1
    clock.set_now(clock.now() + timedelta(seconds=config.REMINDER_LEASE_SECONDS + 1))  # Lambda's retry
    assert invoke("alert", payload)["sent"] is False
    assert len(_sent_of(cloud, payload["name"], sent)) == 1


SUPPLY, AMENDMENT = "supply-agreement-autorenew.pdf", "amendment-1-supply.pdf"


def _notice_schedule_dues(cloud, contract_id: str) -> set[str]:
    return {json.loads(s["Target"]["Input"])["due"] for s in schedules_of(cloud, contract_id).values()
            if json.loads(s["Target"]["Input"])["obligation_id"] == "notice_deadline"}


@pytest.mark.parametrize("order", [(SUPPLY, AMENDMENT), (AMENDMENT, SUPPLY)], ids=["in-order", "amendment-first"])
def test_amendment_moves_the_notice_deadline_and_replans(cloud, order):
    clock.set_now(NOW)
    ids = {name: upload_sample(cloud, name) for name in order}
    supply, amendment = ids[SUPPLY], ids[AMENDMENT]
    notice = repo.get_obligation(supply, "notice_deadline")
    # the current renewal term ends 2027-06-02; 120 days' notice (was 90) -> 2027-02-02 (was 2027-03-04)
    assert notice.due == "2027-02-02"
    assert "P120D" in notice.derivation and "2027-06-02" in notice.derivation
    assert _notice_schedule_dues(cloud, supply) == {"2027-02-02"}
    assert schedules_of(cloud, amendment) == {}  # its dates live on the contract it amends
    versions = [t for t in repo.current_terms(supply).values() if t.name == "notice_period"]
    assert versions[0].value == "P120D" and versions[0].source_contract_id == amendment
    assert repo.get_contract(amendment).amends_contract_id == supply
    assert repo.get_contract(supply).amended_by == [amendment]


SECOND_AMENDMENT_TEXT = (
    "AMENDMENT NO. 2 TO SUPPLY AGREEMENT\nThis Amendment No. 2 to Supply Agreement (this \"Amendment\") is "
    "entered into as of November 2, 2026 by and between Granite Ridge Polymers, LLC (\"Supplier\") and "
    "Brightwater Home Products, Inc. (\"Buyer\").\nRECITALS\nA. Supplier and Buyer are parties to that certain "
    "Supply Agreement dated June 3, 2023 (the \"Agreement\").\n1. Notice of Non-Renewal. The second sentence of "
    "Section 11.1 of the Agreement reads: \"Thereafter, this Agreement shall renew automatically for successive "
    "one (1) year periods, unless either party gives the other party not less than sixty (60) days' written "
    "notice of non-renewal prior to the expiration of the then-current term.\"\n")


def test_an_earlier_amendment_applied_after_a_later_one_does_not_undo_it(cloud, tmp_path):
    """Amendment No. 2 (November 2, 2026: 60 days' notice) is filed before No. 1 (September 15,
    2026: 120 days): the amendments are applied again in the order made (audited), so No. 1 does not
    undo No. 2's notice period. (Before, the amendment applied last stood: 120 days.)"""
    clock.set_now(NOW)
    supply = upload_sample(cloud, SUPPLY)
    path = tmp_path / "amendment-2-supply.pdf"
    path.write_bytes(make_pdf(SECOND_AMENDMENT_TEXT))
    cloud.upload(path, sample_metadata()[AMENDMENT])
    cloud.pump()
    second = contract_id_for(sha256_hex(path.read_bytes()))
    assert repo.get_contract(second).amends_contract_id == supply
    assert repo.current_terms(supply)["notice_period"].value == "P60D"
    first = upload_sample(cloud, AMENDMENT)
    assert repo.get_contract(first).amends_contract_id == supply
    assert repo.get_contract(supply).amended_by == [first, second]  # applied again in the order made
    notice = repo.current_terms(supply)["notice_period"]
    assert (notice.value, notice.source_contract_id) == ("P60D", second)
    # the current renewal term ends 2027-06-02; 60 days' notice -> 2027-04-03
    assert repo.get_obligation(supply, "notice_deadline").due == "2027-04-03"
    [again] = [e for e in repo.audit_events(supply) if e.action == "amendments.applied_again"]
    assert (again.detail["filed_late"], again.detail["applied_again"]) == (first, [first, second])
    # the contract's documents list them as made, No. 1 before No. 2
    from tests.integration.api_support import call, claims

    reader = claims(sample_metadata()[SUPPLY]["team"], "viewer")
    documents = call("GET", f"/contracts/{supply}", claims=reader).json()["documents"]
    assert [(d["kind"], d["contract_id"]) for d in documents] == [
        ("original", supply), ("amendment", first), ("amendment", second)]


NUMBERED_AMENDMENT_TEXT = (
    "AMENDMENT NO. {number} TO SUPPLY AGREEMENT\nThis Amendment No. {number} to Supply Agreement (this \"Amendment\") is "
    "entered into as of {signed} by and between Granite Ridge Polymers, LLC (\"Supplier\") and Brightwater Home "
    "Products, Inc. (\"Buyer\").\nRECITALS\nA. Supplier and Buyer are parties to that certain Supply Agreement dated "
    "June 3, 2023 (the \"Agreement\").\n1. Payment. Buyer shall pay each invoice within {days} days of receipt.\n")
UNDATED_AMENDMENT_TEXT = (
    "AMENDMENT TO SUPPLY AGREEMENT\nThis Amendment (this \"Amendment\") is entered into by and between Granite Ridge "
    "Polymers, LLC (\"Supplier\") and Brightwater Home Products, Inc. (\"Buyer\"), effective as of the date last "
    "signed below.\nA. Supplier and Buyer are parties to that certain Supply Agreement dated June 3, 2023 (the "
    "\"Agreement\").\n1. Buyer shall pay each invoice within forty-five (45) days of receipt.\n")


def test_an_amendment_of_unknown_order_neither_reorders_the_others_nor_lets_an_earlier_one_undo_a_later(
        cloud, tmp_path):
    """No. 3 (payment in 30 days), an amendment with no number and no day signed (45 days), then No. 2
    (60 days) are filed in that order: the documents list No. 2 before No. 3, the unknown one keeps the
    place it was filed in and is put before a person (``amendment_order_unknown``), and No. 2 does not
    set the payment terms No. 3, made after it, states. (Before: No. 3, the unknown one, No. 2; and 60
    days.)"""
    from tests.integration.api_support import call, claims

    clock.set_now(NOW)
    supply = upload_sample(cloud, SUPPLY)

    def upload_text(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_bytes(make_pdf(text))
        cloud.upload(path, sample_metadata()[AMENDMENT])
        cloud.pump()
        return contract_id_for(sha256_hex(path.read_bytes()))

    third = upload_text("amendment-3.pdf", NUMBERED_AMENDMENT_TEXT.format(
        number=3, signed="December 1, 2026", days="thirty (30)"))
    unknown = upload_text("amendment-undated.pdf", UNDATED_AMENDMENT_TEXT)
    second = upload_text("amendment-2.pdf", NUMBERED_AMENDMENT_TEXT.format(
        number=2, signed="November 1, 2026", days="sixty (60)"))
    # applied again in the order made: No. 2 before No. 3; the unknown one keeps the place it was filed in
    assert repo.get_contract(supply).amended_by == [second, unknown, third]
    reader = claims(sample_metadata()[SUPPLY]["team"], "viewer")
    contract = call("GET", f"/contracts/{supply}", claims=reader).json()
    assert [d["contract_id"] for d in contract["documents"]] == [supply, second, unknown, third]
    assert contract["terms"]["payment_terms"]["value"] == "P30D"  # No. 3's, applied last; never No. 2's
    assert [(a["kind"], a["amendment_id"]) for a in contract["attention"]
            if a["kind"] == "amendment_order_unknown"] == [("amendment_order_unknown", unknown)]
    [again] = [e for e in repo.audit_events(supply) if e.action == "amendments.applied_again"]
    assert again.detail["filed_late"] == second


LOGISTICS_TEXT = (
    "LOGISTICS SERVICES AGREEMENT\nThis Logistics Services Agreement (this \"Agreement\") is entered into as of "
    "March 1, 2025 (the \"Effective Date\") by and between Bluewater Carriers, Inc. (\"Carrier\") and Brightwater "
    "Home Products, Inc. (\"Customer\").\n1. Term. The initial term of this Agreement begins on the Effective Date "
    "and ends on February 28, 2027. Thereafter, this Agreement shall renew automatically for successive one (1) "
    "year periods, unless either party gives the other party not less than ninety (90) days' written notice of "
    "non-renewal prior to the expiration of the then-current term.\n2. Governing Law. This Agreement is governed "
    "by the laws of the State of Delaware.\n")


def test_a_contract_uploaded_after_its_running_terms_notice_deadline_says_it_was_missed(cloud, tmp_path):
    """Uploaded on 2026-12-04, four days after the notice deadline of the term ending 2027-02-28
    (2027-02-28 - P90D = 2026-11-30): besides the next term's deadline, a missed one for this term,
    open, without reminders, with its arithmetic. (Before: only 2027-12-01, "362 days left".) Once
    waived it stays waived through re-planning."""
    from clausewatch.pipeline import record
    from tests.integration.api_support import call, claims

    clock.set_now(datetime(2026, 12, 4, 14, 0, tzinfo=UTC))
    path = tmp_path / "logistics.pdf"
    path.write_bytes(make_pdf(LOGISTICS_TEXT))
    cloud.upload(path, sample_metadata()[SUPPLY])
    cloud.pump()
    contract_id = contract_id_for(sha256_hex(path.read_bytes()))
    obligations = {o.obligation_id: o for o in repo.obligations(contract_id)}
    assert obligations["notice_deadline"].due == "2027-12-01"  # the next term's: 2028-02-28 - P90D (leap year)
    missed = obligations["notice_deadline@2026-11-30"]
    assert (missed.status, missed.summary.startswith("MISSED: ")) == ("open", True)
    assert missed.derivation == "expiration_date 2027-02-28 - P90D; passed before it was first planned"
    assert "term ending 2027-02-28 had passed when it was first planned" in missed.action
    assert not [s for s in cloud.schedules() if "2026-11-30" in s["Target"]["Input"]]
    # the renewals list says so too (QA5 3: its row read "361 days left to give notice", the next
    # term's, beside a term ending in 86 days)
    team = sample_metadata()[SUPPLY]["team"]
    [row] = [r for r in call("GET", "/renewals", claims=claims(team), query={"within": 365}).json()["items"]
             if r["contract_id"] == contract_id]
    assert (row["expiration"], row["notice_deadline"], row["missed_notice_deadline"]) == \
        ("2027-02-28", "2027-12-01", "2026-11-30")
    assert row["missed_notice_derivation"] == missed.derivation
    # and the term end's reminders say it, before "Unless notice of non-renewal was given ..."
    assert obligations["expiration"].action.startswith(
        "The notice deadline for this term (30 Nov 2026) passed with no notice of non-renewal recorded. Unless")
    editor = claims(team, "editor", "dana.kowalski@example.com")
    assert call("POST", f"/contracts/{contract_id}/obligations/notice_deadline@2026-11-30/waive", claims=editor,
                body={"reason": "the carrier agreed to let us out"}).status == 200
    record.refresh_deadlines(repo.get_contract(contract_id), today=date(2026, 12, 5), actor="planner")
    assert repo.get_obligation(contract_id, "notice_deadline@2026-11-30").status == "waived"
    [row] = [r for r in call("GET", "/renewals", claims=claims(team), query={"within": 365}).json()["items"]
             if r["contract_id"] == contract_id]
    assert row["missed_notice_deadline"] is None  # closed by a person: no longer told as missed
    assert repo.get_obligation(contract_id, "expiration").action.startswith("Unless notice")


@pytest.mark.parametrize("contract_lands", ["before the amendment waits", "after the amendment waits"])
def test_an_amendment_and_its_contract_recorded_at_once_apply_it_once(cloud, monkeypatch, contract_lands):
    """Two invocations at once: the amendment finds no contract of its date yet; the contract is
    recorded, by the other invocation, before or after the amendment has written itself as waiting.
    Each side writes, then looks at the other: the amendment is applied, once, whichever way."""
    from clausewatch.pipeline import record

    clock.set_now(NOW)
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    real_find, looks = record.find_amended_contract, []

    def the_other_invocation_interleaved(item, extraction):
        looks.append(item.contract_id)
        found = real_find(item, extraction)
        if len(looks) == (1 if contract_lands == "before the amendment waits" else 2):
            record.record_extraction(supply, supply_extraction, actor="other-invocation")
            if contract_lands == "after the amendment waits":  # and this look comes after it
                found = real_find(item, extraction)
        return found

    monkeypatch.setattr(record, "find_amended_contract", the_other_invocation_interleaved)
    record.record_extraction(amendment, amendment_extraction, actor="test")

    assert repo.get_contract(amendment.contract_id).amends_contract_id == supply.contract_id
    assert repo.get_contract(supply.contract_id).amended_by == [amendment.contract_id]
    assert repo.unapplied_amendments(amendment.team) == []
    assert repo.get_obligation(supply.contract_id, "notice_deadline").due == "2027-02-02"  # 120 days' notice
    applied = [e for e in repo.audit_events(supply.contract_id) if e.action == "contract.amended"]
    assert len(applied) == 1


def test_an_amendment_the_contracts_invocation_saw_waiting_is_applied_once(cloud, monkeypatch):
    """Both sides see each other: the contract's invocation finds the amendment waiting, and the
    amendment's second look finds the contract; the second to come finds it applied (the contract
    lists it) and does not apply it again, nor fail on the other's writes."""
    import threading

    from clausewatch.pipeline import record

    clock.set_now(NOW)
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    real_find, real_pending = record.find_amended_contract, record.pending_amendments
    first_look, waiting, contract_looked, amendment_done = (threading.Event() for _ in range(4))
    looks, errors = [], []

    def find(item, extraction):  # the amendment's looks: its second waits for the contract's query
        if threading.current_thread().name == "amendment":
            looks.append(item.contract_id)
            if len(looks) == 2:
                waiting.set()
                assert contract_looked.wait(30)
            found = real_find(item, extraction)
            first_look.set()
            return found
        return real_find(item, extraction)

    def pending(contract, extraction):  # the contract's query, while the amendment waits
        assert waiting.wait(30)
        found = real_pending(contract, extraction)
        contract_looked.set()
        assert amendment_done.wait(30)  # the amendment applies itself meanwhile
        return found

    monkeypatch.setattr(record, "find_amended_contract", find)
    monkeypatch.setattr(record, "pending_amendments", pending)

    def invocation(item, extraction, done=None):
        try:
            record.record_extraction(item, extraction, actor=threading.current_thread().name)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            if done is not None:
                done.set()

    threads = [threading.Thread(target=invocation, args=(amendment, amendment_extraction, amendment_done),
                                name="amendment"),
               threading.Thread(target=lambda: first_look.wait(30) and invocation(supply, supply_extraction),
                                name="contract")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and len(looks) == 2
    assert repo.get_contract(amendment.contract_id).amends_contract_id == supply.contract_id
    assert repo.get_contract(supply.contract_id).amended_by == [amendment.contract_id]
    assert len([e for e in repo.audit_events(supply.contract_id) if e.action == "contract.amended"]) == 1


def test_a_failure_after_the_amendment_waits_is_repaired_by_the_redelivered_message(cloud, monkeypatch):
    """The amendment's invocation fails after it has written itself as waiting and then claimed its
    contract (its update of the contract refused: a person changed the contract's owner meanwhile).
    The redelivered Textract message finds it EXTRACTED and settles what followed: it is applied, once."""
    from pynamodb.exceptions import PutError

    from clausewatch.config import Settings
    from clausewatch.pipeline import record, textjob

    clock.set_now(NOW)
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    real_find, real_save_terms, looks = record.find_amended_contract, repo.save_terms, []

    def find(item, extraction):  # the contract is recorded between the amendment's two looks
        looks.append(item.contract_id)
        found = real_find(item, extraction)
        if len(looks) == 1:
            record.record_extraction(supply, supply_extraction, actor="other-invocation")
        return found

    def save_terms(contract_id, terms, **kwargs):
        if contract_id == supply.contract_id and kwargs.get("source_contract_id") == amendment.contract_id:
            repo.update_contract(repo.get_contract(supply.contract_id), actor="person", owner="dana@example.com")
        return real_save_terms(contract_id, terms, **kwargs)

    monkeypatch.setattr(record, "find_amended_contract", find)
    monkeypatch.setattr(repo, "save_terms", save_terms)
    with pytest.raises(PutError):
        record.record_extraction(amendment, amendment_extraction, actor="test")
    monkeypatch.undo()
    claimed = repo.get_contract(amendment.contract_id)  # claimed for its contract, then failed amending it
    assert claimed.amends_contract_id is None and claimed.amending_contract_id == supply.contract_id
    assert not repo.get_contract(supply.contract_id).amended_by

    outcome = textjob.complete_text_job(Settings.from_env(), {"JobTag": amendment.contract_id, "JobId": "job"})
    assert outcome.reason == "already processed"
    applied = repo.get_contract(amendment.contract_id)
    assert applied.amends_contract_id == supply.contract_id and applied.status_reason is None
    assert repo.get_contract(supply.contract_id).amended_by == [amendment.contract_id]
    assert repo.get_obligation(supply.contract_id, "notice_deadline").due == "2027-02-02"
    assert [e.detail["contract_id"] for e in repo.audit_events(amendment.contract_id)
            if e.action == "amendment.applied"] == [supply.contract_id]


def test_a_waiting_amendment_is_applied_even_when_its_contracts_deadlines_fail(cloud, monkeypatch):
    """The amendment waits; its contract is recorded, and writing the contract's deadlines fails (on
    a path no message comes back on: the stuck contracts' recovery, a retry a person asked for).
    The waiting amendments are looked at all the same: it is applied, and its own deadline
    recomputation (the second) goes through."""
    from clausewatch.pipeline import record

    clock.set_now(NOW)
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    record.record_extraction(amendment, amendment_extraction, actor="test")
    assert repo.get_contract(amendment.contract_id).amends_contract_id is None  # waiting
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    real_refresh, calls = record.refresh_deadlines, []

    def refresh(contract, **kwargs):
        calls.append(contract.contract_id)
        if len(calls) == 1:
            raise RuntimeError("the table throttled")
        return real_refresh(contract, **kwargs)

    monkeypatch.setattr(record, "refresh_deadlines", refresh)
    with pytest.raises(RuntimeError, match="throttled"):
        record.record_extraction(supply, supply_extraction, actor="test")
    assert repo.get_contract(amendment.contract_id).amends_contract_id == supply.contract_id
    assert repo.get_contract(supply.contract_id).amended_by == [amendment.contract_id]
    assert repo.get_obligation(supply.contract_id, "notice_deadline").due == "2027-02-02"  # amended


@pytest.mark.parametrize("when", ["before its writes", "before its last write"])
def test_an_amendment_applied_while_its_contracts_deadlines_are_written_is_not_undone(cloud, monkeypatch, when):
    """The contract is recorded EXTRACTED; while its invocation writes its deadlines, another
    invocation applies the amendment (and writes the amended deadlines): before the contract's
    invocation wrote any, or before its last write (the contract's copy of the current term's
    dates, checked against the record's version). The contract's invocation computed from its copy
    from before the amendment: its write is refused, and the deadlines are computed again from the
    record as it is now. No error, on any path; the amended dates stand."""
    from clausewatch.pipeline import record

    clock.set_now(NOW)
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    real_deadlines, real_term_dates, computed, interleaved = \
        record.deadlines_for_contract, repo.set_current_term_dates, [], []

    def the_other_invocation(at: str) -> None:
        if when == at and not interleaved:
            interleaved.append(at)
            record.record_extraction(amendment, amendment_extraction, actor="other-invocation")

    def deadlines(info, extracted, today, resolved):
        computed.append(extracted.value("notice_period"))
        the_other_invocation("before its writes")
        return real_deadlines(info, extracted, today, resolved)

    def term_dates(item, **kwargs):
        the_other_invocation("before its last write")
        return real_term_dates(item, **kwargs)

    monkeypatch.setattr(record, "deadlines_for_contract", deadlines)
    monkeypatch.setattr(repo, "set_current_term_dates", term_dates)
    record.record_extraction(supply, supply_extraction, actor="test")

    assert interleaved == [when]
    # the stale copy, the amendment's own, then the stale one's again from the record
    assert computed == ["P90D", "P120D", "P120D"]
    assert repo.get_contract(supply.contract_id).amended_by == [amendment.contract_id]
    notice = repo.get_obligation(supply.contract_id, "notice_deadline")
    assert notice.due == "2027-02-02" and "P120D" in notice.derivation  # 120 days' notice, not 90
    assert repo.get_contract(supply.contract_id).current_notice_deadline == "2027-02-02"


@pytest.mark.parametrize("upgraded", [True, False], ids=["markers-alone", "before-the-upgrade"])
@pytest.mark.parametrize("first", [SUPPLY, AMENDMENT], ids=["contract-first", "amendment-first"])
def test_an_amendment_and_its_contract_find_each_other_before_the_indexes_show_them(cloud, monkeypatch, first,
                                                                                   upgraded):
    """Deployed, an index shows a write about a second later: an amendment and its contract recorded
    one right after the other are not yet in each other's index queries. Each finds the other by
    its date marker, written before its record and read strongly consistent (the team's index is
    read too before the markers' upgrade is recorded)."""
    from clausewatch.pipeline import record

    clock.set_now(NOW)
    if not upgraded:
        before_the_markers_upgrade()
    recorded = {name: as_ingest_leaves_it(name) for name in (SUPPLY, AMENDMENT)}
    monkeypatch.setattr(repo, "contracts_of_team", lambda *args, **kwargs: [])  # the indexes lag
    monkeypatch.setattr(repo, "unapplied_amendments", lambda *args, **kwargs: [])
    for name in (first, AMENDMENT if first == SUPPLY else SUPPLY):
        record.record_extraction(*recorded[name], actor="test")

    supply, amendment = recorded[SUPPLY][0].contract_id, recorded[AMENDMENT][0].contract_id
    assert repo.get_contract(amendment).amends_contract_id == supply
    assert repo.get_contract(supply).amended_by == [amendment]
    assert repo.get_obligation(supply, "notice_deadline").due == "2027-02-02"  # 120 days' notice


@pytest.mark.parametrize("upgraded", [True, False], ids=["markers-alone", "before-the-upgrade"])
def test_the_amendment_marks_itself_before_it_looks_again(cloud, monkeypatch, upgraded):
    """The contract is recorded in full, its indexes lagging, right after the amendment's second
    look found nothing: the contract's look finds the amendment's marker, written before that look."""
    from clausewatch.pipeline import record

    clock.set_now(NOW)
    if not upgraded:
        before_the_markers_upgrade()
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    monkeypatch.setattr(repo, "contracts_of_team", lambda *args, **kwargs: [])  # the indexes lag
    monkeypatch.setattr(repo, "unapplied_amendments", lambda *args, **kwargs: [])
    real_find, looks = record.find_amended_contract, []

    def find(item, extraction):
        found = real_find(item, extraction)
        looks.append(item.contract_id)
        if looks == [amendment.contract_id] * 2:
            record.record_extraction(supply, supply_extraction, actor="other-invocation")
        return found

    monkeypatch.setattr(record, "find_amended_contract", find)
    record.record_extraction(amendment, amendment_extraction, actor="test")
    assert repo.get_contract(amendment.contract_id).amends_contract_id == supply.contract_id


def test_a_contract_without_markers_is_still_found_and_told_apart_by_title(cloud):
    """A contract with no date marker (extracted before markers, the upgrade not run yet) is found
    through the team's index as before; another agreement of the same day, marked, does not take
    its amendment."""
    import copy
    import dataclasses

    from clausewatch import schema
    from clausewatch.pipeline import record
    from clausewatch.store.models import DatedItem

    clock.set_now(NOW)
    before_the_markers_upgrade()
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    other_extraction = copy.deepcopy(supply_extraction)
    supply_extraction.title = "Supply Agreement"
    record.record_extraction(supply, supply_extraction, actor="test")
    for marker in DatedItem.query(schema.team_dated_pk(supply.team)):
        marker.delete()
    other = repo.create_contract("0ther0000000000a", file_name="consulting.pdf", source_key="inbox/consulting.pdf",
                                 sha256="0" * 64, size_bytes=1, metadata={"team": supply.team}, actor="test")
    other_extraction.title = "Consulting Agreement"  # dated the same day, and its preamble says so
    for name in ("agreement_date", "effective_date"):
        term = other_extraction.terms[name]
        other_extraction.terms[name] = dataclasses.replace(term, evidence=dataclasses.replace(
            term.evidence, text="THIS CONSULTING AGREEMENT is made this 3rd day of June, 2023"))
    record.record_extraction(other, other_extraction, actor="test")

    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    record.record_extraction(amendment, amendment_extraction, actor="test")
    assert repo.get_contract(amendment.contract_id).amends_contract_id == supply.contract_id
    assert not repo.get_contract(other.contract_id).amended_by


def test_a_marked_contract_is_judged_on_its_record_not_the_indexs_older_copy(cloud, monkeypatch):
    """The team's index still holds the contract as it was before a person entered its agreement
    date (about a second ago); its marker names it: the amendment judges the record as it is now
    (before the markers' upgrade is recorded, when the index is read too)."""
    from clausewatch.pipeline import record

    clock.set_now(NOW)
    before_the_markers_upgrade()
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    record.record_extraction(supply, supply_extraction, actor="test")
    older = repo.get_contract(supply.contract_id)
    older.extraction = {**older.extraction, "terms": {**older.extraction["terms"], "agreement_date": None,
                                                      "effective_date": None}}  # before the date was entered
    monkeypatch.setattr(repo, "contracts_of_team", lambda *args, **kwargs: [older])
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    record.record_extraction(amendment, amendment_extraction, actor="test")
    assert repo.get_contract(amendment.contract_id).amends_contract_id == supply.contract_id


def test_contracts_extracted_before_date_markers_are_found_once_the_upgrade_marks_them(cloud):
    """A contract extracted before date markers existed has none: an amendment would not find it.
    The upgrade's ``store_dated_markers`` (``python -m clausewatch.renewal.reindex``) writes them."""
    from clausewatch import schema
    from clausewatch.pipeline import record
    from clausewatch.store.models import DatedItem

    clock.set_now(NOW)
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    record.record_extraction(supply, supply_extraction, actor="test")
    stored = repo.get_contract(supply.contract_id)
    kind, days = repo.dated_days(stored)
    assert kind == schema.DATED_CONTRACT and days
    assert all(repo.dated(stored.team, kind, day) == [supply.contract_id] for day in days)
    before_the_markers_upgrade()
    for marker in DatedItem.query(schema.team_dated_pk(stored.team)):
        marker.delete()  # as saved before markers existed
    assert all(repo.dated(stored.team, kind, day) == [] for day in days)

    assert repo.store_dated_markers() == 1
    repo._UPGRADED.clear()  # read from the table, not from what this process remembers
    assert repo.upgraded(schema.UPGRADE_DATED_MARKERS)  # recorded done: amendments read markers alone
    assert repo.store_dated_markers() == 0  # safe to run again
    # a contract marked on one of its days only (an entered date whose marker was never written)
    DatedItem(schema.team_dated_pk(stored.team), schema.dated_sk(kind, max(days), supply.contract_id)).delete()
    assert repo.store_dated_markers() == 1
    assert all(repo.dated(stored.team, kind, day) == [supply.contract_id] for day in days)
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    record.record_extraction(amendment, amendment_extraction, actor="test")
    assert repo.get_contract(amendment.contract_id).amends_contract_id == supply.contract_id


def test_once_the_markers_upgrade_is_done_an_amendment_reads_one_days_markers_only(cloud, monkeypatch):
    """A table created empty, or upgraded (``store_dated_markers``), has every extracted contract
    marked: the amendment's look reads its date's markers, never the team's extracted contracts
    (an index Query of every one of them)."""
    from clausewatch import schema
    from clausewatch.pipeline import record

    clock.set_now(NOW)
    assert repo.upgraded(schema.UPGRADE_DATED_MARKERS)  # the embedded default's table, created empty
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    record.record_extraction(supply, supply_extraction, actor="test")

    def whole_team(*args, **kwargs):
        raise AssertionError("the team's extracted contracts were read")

    monkeypatch.setattr(repo, "contracts_of_team", whole_team)
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    record.record_extraction(amendment, amendment_extraction, actor="test")
    assert repo.get_contract(amendment.contract_id).amends_contract_id == supply.contract_id


def test_the_reindex_refuses_to_start_without_the_audit_tables_name(cloud, monkeypatch, capsys):
    """Deployed, the audit table's name is generated: without it an amendment the reindex applies
    would fail at its first audit event, half written. It refuses before doing anything."""
    from clausewatch import config
    from clausewatch.pipeline import record
    from clausewatch.renewal import reindex

    monkeypatch.delenv(config.ENV_AUDIT_TABLE, raising=False)
    monkeypatch.setattr(repo, "store_dated_markers", lambda: pytest.fail("it started"))
    monkeypatch.setattr(record, "settle_amendment", lambda *a, **k: pytest.fail("it started"))
    assert reindex.main() == 2
    assert config.ENV_AUDIT_TABLE in capsys.readouterr().err


def test_a_saved_state_is_marked_on_load_only_when_saved_before_the_upgrade(cloud, monkeypatch, tmp_path):
    """A state folder saved with the upgrade recorded is loaded without the scans of
    ``store_dated_markers``; one saved before it (no upgrade item, markers missing) gets them, and
    its waiting amendment looks again: it is applied to the contract just marked."""
    from clausewatch import schema
    from clausewatch.local import state
    from clausewatch.pipeline import record

    clock.set_now(NOW)
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    record.record_extraction(supply, supply_extraction, actor="test")
    from clausewatch.store.models import DatedItem

    for marker in DatedItem.query(schema.team_dated_pk(supply.team)):
        marker.delete()  # an older version extracted it: no markers
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    record.record_extraction(amendment, amendment_extraction, actor="test")  # waits: finds none
    assert repo.get_contract(amendment.contract_id).amends_contract_id is None
    state.save(tmp_path)
    runs = []
    real_store = repo.store_dated_markers
    monkeypatch.setattr(repo, "store_dated_markers", lambda: runs.append(1) or real_store())
    cloud.reset()
    assert state.load(tmp_path) and runs == []
    assert repo.get_contract(amendment.contract_id).amends_contract_id is None  # not looked at again

    saved = (tmp_path / "table.jsonl").read_text().splitlines()
    left_out = (schema.UPGRADE_PK, schema.team_dated_pk(supply.team))  # the upgrade, the markers
    older = [line for line in saved if json.loads(line)[schema.PARTITION_KEY]["S"] not in left_out]
    assert len(older) < len(saved) - 1
    (tmp_path / "table.jsonl").write_text("".join(line + "\n" for line in older))
    cloud.reset()
    assert state.load(tmp_path) and runs == [1]
    kind, days = repo.dated_days(repo.get_contract(supply.contract_id))
    assert days and all(repo.dated(supply.team, kind, day) == [supply.contract_id] for day in days)
    assert repo.get_contract(amendment.contract_id).amends_contract_id == supply.contract_id


def test_the_upgrade_applies_an_amendment_that_waited_for_an_unmarked_contract(cloud, capsys):
    """Recorded done too early (a function of the older stack still extracting, with no markers):
    an amendment of a contract extracted without markers waits, finding none. The upgrade run again
    marks the contract and lets every waiting amendment look again: it is applied."""
    from clausewatch import schema
    from clausewatch.pipeline import record
    from clausewatch.renewal import reindex
    from clausewatch.store.models import DatedItem

    clock.set_now(NOW)
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    record.record_extraction(supply, supply_extraction, actor="test")
    for marker in DatedItem.query(schema.team_dated_pk(supply.team)):
        marker.delete()  # as an older stack's function extracted it
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    record.record_extraction(amendment, amendment_extraction, actor="test")
    assert repo.get_contract(amendment.contract_id).amends_contract_id is None  # waits: no marker found

    assert reindex.main() == 0
    assert "waiting amendments now applied: 1" in capsys.readouterr().out
    assert repo.get_contract(amendment.contract_id).amends_contract_id == supply.contract_id
    assert repo.get_contract(supply.contract_id).amended_by == [amendment.contract_id]
    assert reindex.main() == 0  # again: nothing waits, nothing is applied twice
    assert "waiting amendments now applied: 0" in capsys.readouterr().out
    assert repo.get_contract(supply.contract_id).amended_by == [amendment.contract_id]


@pytest.mark.parametrize("name", [SUPPLY, AMENDMENT], ids=["contract", "amendment"])
def test_the_date_markers_are_written_before_the_record_says_extracted(cloud, monkeypatch, name):
    """Whatever fails after the EXTRACTED write (on a path with no redelivery too: the stuck
    contracts' recovery, a retry a person asked for), the extracted record already has its markers,
    so the amendments' look by markers alone misses no extracted contract."""
    from clausewatch.pipeline import record

    clock.set_now(NOW)
    item, extraction = as_ingest_leaves_it(name)
    kind, days = repo.dated_days(item, extraction)
    assert days
    real_update, seen = repo.update_contract, []

    def update(contract, **fields):
        if fields.get("status") == ContractStatus.EXTRACTED and contract.contract_id == item.contract_id:
            seen.append(all(item.contract_id in repo.dated(item.team, kind, day) for day in days))
        return real_update(contract, **fields)

    monkeypatch.setattr(repo, "update_contract", update)
    monkeypatch.setattr(record, "refresh_deadlines", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("down")))
    try:
        record.record_extraction(item, extraction, actor="test")
    except RuntimeError:
        pass  # the contract's settling failed after its EXTRACTED write
    assert seen and all(seen), seen
    assert repo.get_contract(item.contract_id).status == ContractStatus.EXTRACTED


def test_amendment_without_its_original_is_kept_and_explained(cloud):
    clock.set_now(NOW)
    amendment = upload_sample(cloud, AMENDMENT)
    contract = repo.get_contract(amendment)
    assert contract.status == ContractStatus.EXTRACTED and contract.amends_contract_id is None
    assert "no Supply Agreement dated 2023-06-03 on file" in contract.status_reason
    assert schedules_of(cloud, amendment) == {}


def _amendment_of(name: str, tmp_path) -> bytes:
    """An amendment of ``name`` dated February 20, 2025 (the day the sample NDA was made)."""
    return make_pdf(
        f"AMENDMENT NO. 1 TO {name.upper()}\nThis Amendment No. 1 (this \"Amendment\") is entered into as of "
        f"September 15, 2026 by and between Northwind Traders, Inc. and Contoso Ltd.\nRECITALS\nA. The parties "
        f"are parties to that certain {name} dated February 20, 2025.\n1. Either party may terminate the "
        f"{name} upon one hundred twenty (120) days' prior written notice.\n")


@pytest.mark.parametrize(("amends", "applied"), [("Supply Agreement", False), ("Redfern Supply Agreement", False),
                                                 ("Non-Disclosure Agreement", True), ("Nondisclosure Agreement", True),
                                                 ("Agreement", True)])
def test_the_one_agreement_of_the_day_is_amended_only_when_it_may_be_the_one_named(cloud, tmp_path, amends,
                                                                                    applied):
    """The team's one agreement of February 20, 2025 is a mutual NDA (its preamble names the parties,
    Northwind and Redfern): an amendment of the "Supply Agreement" of that day (not on file), or of
    the "Redfern Supply Agreement", waits with its reason instead of amending the NDA (before, it
    amended it); one of the "Non-Disclosure Agreement", however spelt, or of "the Agreement",
    amends it."""
    clock.set_now(NOW)
    nda = upload_sample(cloud, "mutual-nda.pdf")
    team = repo.get_contract(nda).team
    path = tmp_path / "amendment.pdf"
    path.write_bytes(_amendment_of(amends, tmp_path))
    cloud.upload(path, {"team": team})
    cloud.pump()
    amendment = repo.get_contract(contract_id_for(sha256_hex(path.read_bytes())))
    assert amendment.status == ContractStatus.EXTRACTED and amendment.extracted.amendment.amends == amends
    contract = repo.get_contract(nda)
    if applied:
        assert amendment.amends_contract_id == nda and contract.amended_by == [amendment.contract_id]
        return
    assert amendment.amends_contract_id is None and not contract.amended_by
    assert amendment.status_reason == ("amendment: the one agreement dated 2025-02-20 on file (Mutual "
                                       f"Non-disclosure Agreement) does not name the {amends}; not applied")
    assert [c.contract_id for c in repo.unapplied_amendments(team)] == [amendment.contract_id]  # still waiting


def test_a_waiting_amendment_is_checked_only_against_contracts_of_its_date(cloud, monkeypatch):
    from clausewatch.pipeline import record

    clock.set_now(NOW)
    amendment = upload_sample(cloud, AMENDMENT)
    team = repo.get_contract(amendment).team
    assert [c.contract_id for c in repo.unapplied_amendments(team)] == [amendment]
    looked_up = []
    real_find = record.find_amended_contract
    monkeypatch.setattr(record, "find_amended_contract",
                        lambda a, e: looked_up.append(a.contract_id) or real_find(a, e))
    # a contract of the same team but of another date: the amendment is not looked up again
    cloud.upload(SAMPLES / SAAS, {**sample_metadata()[SAAS], "team": team})
    cloud.pump()
    other = repo.get_contract(contract_id_for(sha256_hex((SAMPLES / SAAS).read_bytes())))
    assert other.status == ContractStatus.EXTRACTED and other.team == team and looked_up == []
    supply = upload_sample(cloud, SUPPLY)  # dated as the amendment says: applied
    assert amendment in looked_up
    assert repo.get_contract(amendment).amends_contract_id == supply
    assert repo.unapplied_amendments(team) == []  # out of the index once applied


def test_unapplied_amendments_saved_before_their_index_are_reindexed(cloud):
    from clausewatch.store.models import ContractItem

    clock.set_now(NOW)
    amendment = upload_sample(cloud, AMENDMENT)
    item = repo.get_contract(amendment)
    item.update(actions=[ContractItem.gsi5pk.remove(), ContractItem.gsi5sk.remove()])  # as saved before
    assert repo.unapplied_amendments(item.team) == []
    assert repo.reindex_unapplied_amendments() == 1
    assert [c.contract_id for c in repo.unapplied_amendments(item.team)] == [amendment]
    assert repo.reindex_unapplied_amendments() == 0  # only what is missing


def test_done_obligations_leave_the_teams_open_list(cloud, saas):
    def open_ids():
        return {o.obligation_id for o in repo.open_obligations_of_team("procurement")}

    assert "notice_deadline" in open_ids()
    dues = [o.due for o in repo.open_obligations_of_team("procurement")]
    assert dues == sorted(dues)  # the index sorts by due date
    complete_obligation(saas, "notice_deadline", actor="test")
    assert "notice_deadline" not in open_ids() and "expiration" in open_ids()


def test_a_contract_dated_with_blanks_is_recorded_but_schedules_nothing_from_its_dates(cloud, tmp_path):
    # the signed copy left the day blank: the month is kept, nothing is counted from it, and the
    # duties that do not depend on it (a monthly report) are still scheduled
    clock.set_now(NOW)
    path = tmp_path / "blank-dated-services.pdf"
    path.write_bytes(make_pdf(
        'SERVICES AGREEMENT\nThis Services Agreement is made this ____ day of March, 2026 by and between Harbor '
        'Logistics LLC ("Provider") and Meridian Foods Inc. ("Customer").\n'
        "1. Term. This Agreement shall become effective as of the date first written above and shall continue "
        "for a period of two (2) years, and shall automatically renew for successive one (1) year periods unless "
        "either party gives notice of non-renewal at least sixty (60) days before the end of the then-current "
        "term.\n"
        "2. Reports. Within ten (10) business days after the end of each calendar month, Provider shall deliver "
        "a report on the Services.\n"))
    cloud.upload(path, {"owner": "ops@example.com", "team": "procurement"})
    cloud.pump()
    contract_id = contract_id_for(sha256_hex(path.read_bytes()))
    contract = repo.get_contract(contract_id)
    assert contract.status == ContractStatus.EXTRACTED
    terms = contract.extraction["terms"]
    assert terms["effective_date"]["value"] == "2026-03"
    assert "blanks" in terms["agreement_date"]["derivation"]
    assert terms["expiration_date"] is None and terms["notice_deadline"] is None
    dues = [json.loads(s["Target"]["Input"]) for s in schedules_of(cloud, contract_id).values()]
    assert dues and {d["obligation_id"].split("@")[0] for d in dues}.isdisjoint({"notice_deadline", "expiration"})


def test_tick_skips_a_reminder_still_claimed_by_a_crashed_delivery_and_sends_it_after_the_lease(
        cloud, saas, monkeypatch):
    """The local scheduler emulation (`tick`, `serve`) leaves a reminder whose claim a crashed
    delivery still holds (ReminderInFlight), and fires it again after the lease: sent once."""
    from clausewatch.pipeline import reminders

    payload = _thirty_day_notice_reminder(cloud, saas)
    [schedule] = [s for s in cloud.schedules() if s["Name"] == payload["name"]]
    cloud.fire_until(schedule["fire_at"] - timedelta(minutes=1))  # everything before it, as it was
    clock.set_now(schedule["fire_at"])
    sent = len(cloud.sent_mail())

    def killed_before_sending(message):
        raise Killed

    monkeypatch.setattr(reminders, "send_email", killed_before_sending)
    with pytest.raises(Killed):
        invoke("alert", payload)
    monkeypatch.undo()
    cloud.fire_until(schedule["fire_at"] + timedelta(seconds=30))  # within the lease: held, no error
    assert _sent_of(cloud, payload["name"], sent) == [] and [h.name for h in cloud.held] == [payload["name"]]
    cloud.fire_until(schedule["fire_at"] + timedelta(minutes=2))
    assert len(_sent_of(cloud, payload["name"], sent)) == 1
    assert payload["name"] not in schedules_of(cloud, saas)


def test_a_reminder_held_for_the_digest_counts_as_told_only_once_a_digest_listed_its_deadline(cloud, saas):
    """Priya takes the weekly digest and no routine reminders. The 60-day catch-up and the 30-day
    reminder of the 30 Dec notice deadline are held, but no digest lists a deadline more than 14
    days away: until the Monday 21 Dec digest lists it, nothing told her, so nothing escalates (QA q6
    SHOULD-1: the 30-day reminder went out as an [Escalation] copied to the escalation contact, the
    first email she got). Once that digest listed it, the 7-day reminder escalates."""
    from clausewatch.store import preferences

    preferences.put("priya.raman@example.com", digest="weekly", reminders="none", team="procurement")
    due = date(2026, 12, 30)
    from datetime import timedelta

    from clausewatch.pipeline.record import contract_jurisdiction
    from clausewatch.plan import reminder_day

    jurisdiction = contract_jurisdiction(repo.get_contract(saas))
    days = {lead: reminder_day(due, lead, jurisdiction) for lead in (60, 30, 14, 7)}
    # each under its name as planned: one whose day is not a business day (Saturday 31 Oct) moved
    name = {lead: reminder_name(saas, "notice_deadline", due, lead,
                                day if day != due - timedelta(days=lead) else None) for lead, day in days.items()}
    mail_before = len(cloud.sent_mail())
    fired = {f.name: f for f in cloud.fire_until(datetime(2026, 12, 16, 15, 0, tzinfo=UTC))}
    for lead in (60, 30, 14):  # held each: nobody told her, none escalated
        assert "held for priya.raman@example.com's digest" in fired[name[lead]].result["reason"], fired[name[lead]].result
    subjects = [email.message_from_bytes(m, policy=email.policy.default)["Subject"]
                for m in cloud.sent_mail()[mail_before:]]
    assert not [s for s in subjects if "[Escalation]" in s and "Notice deadline 30 Dec 2026" in s], subjects
    # the Monday 21 Dec digest lists it (9 days); the 7-day reminder on 23 Dec escalates
    fired = {f.name: f for f in cloud.fire_until(datetime(2026, 12, 23, 15, 0, tzinfo=UTC))}
    digests = [email.message_from_bytes(m, policy=email.policy.default) for m in cloud.sent_mail()[mail_before:]]
    assert any("your week of 21 Dec 2026" in (m["Subject"] or "") and "30 Dec 2026" in m.get_body(("plain",)).get_content()
               for m in digests)
    result = fired[name[7]].result
    assert result["sent"] and "escalated" in result["reason"], result
