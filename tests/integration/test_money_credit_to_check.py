"""A breach whose credit amount is not known (the fee or the tiers not read) still gets a person:
its claim obligation when the claim window is known (due the claim deadline, with its arithmetic and
clause, reminded), a Needs attention flag on the contract until the claim is settled or the breach
withdrawn, "credit to check by hand" in the report, and totals that say what they leave out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clausewatch import clock, config
from clausewatch.aws.clients import client
from clausewatch.pipeline.attention import attention_of
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.pipeline.portfolio import team_portfolio
from clausewatch.schema import ObligationStatus
from clausewatch.store import money as store
from clausewatch.store import repository as repo
from clausewatch.store import stake
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import call, claims, off_the_document
from tests.pdfs import make_pdf

HEAD = ("MASTER SERVICES AGREEMENT\nThis Master Services Agreement is entered into as of 1 January 2026 (the "
        "\"Effective Date\") by and between Heron Hosting Limited (\"Provider\") and Lark Foods Limited "
        "(\"Customer\").\n1. TERM. This Agreement commences on the Effective Date and shall continue for an initial "
        "term of three (3) years.\n2. SERVICE LEVELS. Provider shall make the Services available at least 99.9% of "
        "the time in each calendar month.\n")
# the tiers read, the fee they are a share of not stated: the amount is not known, the window is
TIERS_NO_FEE = HEAD + (
    "3. SERVICE CREDITS. If availability in any calendar month is below the service level, Customer shall be "
    "entitled to a service credit equal to the following percentage of the monthly fees:\nLess than 99.9%: 5%\n"
    "Less than 99.0%: 10%\nCustomer must request a service credit within thirty (30) days after the end of the "
    "affected month.\n4. GOVERNING LAW. This Agreement shall be governed by the laws of England and Wales.")
# credits in prose (no table read): neither the amount nor the window is known
PROSE = HEAD.replace("Provider shall make", "Customer shall pay a monthly fee of GBP 10,000. Provider shall make") + (
    "3. SERVICE CREDITS. If availability in a month falls below 99.9%, Customer will receive a service credit of 5% "
    "of the monthly fee; if availability falls below 99.0%, the service credit is 10% of the monthly fee.\n"
    "4. GOVERNING LAW. This Agreement shall be governed by the laws of England and Wales.")
META = {"team": "it", "owner": "sam.ortiz@example.com", "time-zone": "Europe/London", "jurisdiction": "GB-ENG"}
NOVEMBER = b"period,metric,value\n2026-11,availability,98.5\n"


def _contract(cloud, tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(make_pdf(text))
    cloud.upload(path, META)
    cloud.pump()
    contract_id = contract_id_for(sha256_hex(path.read_bytes()))
    assert repo.get_contract(contract_id).status == "EXTRACTED"
    return contract_id


def _metrics(cloud, contract_id: str, name: str, body: bytes) -> None:
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=f"metrics/{contract_id}/{name}", Body=body)
    cloud.pump()


def _to_check(contract_id: str) -> list[dict]:
    return [f for f in attention_of(repo.get_contract(contract_id)) if f["kind"] == "credit_to_check"]


def test_a_credit_whose_fee_was_not_read_is_claimed_by_its_deadline_and_flagged_until_claimed(cloud, tmp_path):
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-no-fee.pdf", TIERS_NO_FEE)
    schedules_before = {s["Name"] for s in cloud.schedules()}
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    [finding] = store.findings(contract_id)
    assert finding.kind == "sla_breach" and finding.amount is None
    assert "credit to check by hand" in finding.summary
    # the claim, as a computed credit's: due the claim deadline with its arithmetic and clause (was: none)
    assert finding.claim_obligation_id == "credit-2026-11-availability"
    claim = repo.get_obligation(contract_id, finding.claim_obligation_id)
    assert (claim.kind, claim.due, claim.status) == ("credit_claim", "2026-12-30", "open")
    assert "end of 2026-11 2026-11-30 + P30D = 2026-12-30" in claim.derivation
    assert "amount to check by hand: the fee the credit is a share of was not read" in claim.summary
    assert claim.owner == "sam.ortiz@example.com" and "Less than 99.0%: 10%" in claim.evidence["text"]
    assert {s["Name"] for s in cloud.schedules()} - schedules_before, "the claim deadline got no reminders"
    # a person checks the credit: on the contract's Needs attention (was: nothing)
    [flag] = _to_check(contract_id)
    assert "2026-11" in flag["message"] and "claim it by 2026-12-30" in flag["message"]
    # the report: not "no credit"; the totals say what they leave out rather than count it as zero
    [row] = [m for m in team_portfolio("it", clock.now()).money if m.contract_id == contract_id]
    assert row.status == "credit to check by hand"
    assert team_portfolio("it", clock.now()).totals["credits_to_check_by_hand"] == 1
    assert stake.unknown_amounts("it") == 1 == stake.recount_unknown("it")
    assert stake.unknown_amounts("it", "sla_breach") == 1
    viewer = claims("it", "viewer")
    total = call("GET", "/findings/total", claims=viewer).json()
    assert (total["total_at_stake"], total["amount_unknown"]) == ([], 1)
    assert call("GET", f"/contracts/{contract_id}/findings", claims=viewer).json()["amount_unknown"] == 1
    detail = call("GET", f"/contracts/{contract_id}", claims=viewer).json()
    assert [a["kind"] for a in detail["attention"]] == ["credit_to_check"]
    # claimed by the person: the flag goes, the total leaves out nothing unknown that is still to ask for
    repo.set_obligation_status(contract_id, claim.obligation_id, ObligationStatus.WAIVED, team="it",
                               actor="sam.ortiz@example.com", reason="checked: no credit owed")
    assert _to_check(contract_id) == []
    assert stake.unknown_amounts("it") == 0 == stake.recount_unknown("it")
    # opened again: flagged again
    repo.set_obligation_status(contract_id, claim.obligation_id, ObligationStatus.OPEN, team="it",
                               actor="sam.ortiz@example.com", reason="reopened")
    assert len(_to_check(contract_id)) == 1
    repo.set_obligation_status(contract_id, claim.obligation_id, ObligationStatus.DONE, team="it",
                               actor="sam.ortiz@example.com", reason="claimed")
    assert _to_check(contract_id) == []


def test_a_credit_whose_tiers_were_not_read_is_flagged_and_taken_off_when_the_breach_is_withdrawn(cloud, tmp_path):
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-prose.pdf", PROSE)
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    [finding] = store.findings(contract_id)
    assert finding.kind == "sla_breach" and finding.amount is None
    # no claim window read either: the flag alone, no claim obligation with a guessed day
    assert finding.claim_obligation_id is None
    [flag] = _to_check(contract_id)
    assert "tiers not read" in flag["message"] and "no window to claim it was read" in flag["message"]
    [row] = [m for m in team_portfolio("it", clock.now()).money if m.contract_id == contract_id]
    assert row.status == "credit to check by hand"
    # a corrected file shows the month met: the breach is withdrawn, and the flag with it
    _metrics(cloud, contract_id, "november-corrected.csv", b"period,metric,value\n2026-11,availability,99.95\n")
    assert _to_check(contract_id) == []
    assert stake.unknown_amounts("it") == 0 == stake.recount_unknown("it")


# credits in prose with the window to claim them: the amount is not known, the window is (in business
# days: the claim deadline skips the jurisdiction's Christmas and Boxing Day holidays)
PROSE_WITH_CLAIM = PROSE.replace(
    "\n4. GOVERNING LAW.", " Customer must request a service credit in writing within twenty (20) Business Days "
    "after the end of the affected month.\n4. GOVERNING LAW.")


def test_credits_in_prose_with_a_claim_window_get_their_claim_deadline_with_the_amount_to_check(cloud, tmp_path):
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-prose-claim.pdf", PROSE_WITH_CLAIM)
    schedules_before = {s["Name"] for s in cloud.schedules()}
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    [finding] = store.findings(contract_id)
    assert finding.kind == "sla_breach" and finding.amount is None
    # the claim, due the window's end (was: none, the claim window lost with the table not read)
    assert finding.claim_obligation_id == "credit-2026-11-availability"
    claim = repo.get_obligation(contract_id, finding.claim_obligation_id)
    assert (claim.kind, claim.due, claim.status) == ("credit_claim", "2026-12-30", "open")
    assert "end of 2026-11 2026-11-30 + P20BD (business days, GB-ENG holidays) = 2026-12-30" in claim.derivation
    assert "amount to check by hand: tiers not read" in claim.summary
    assert "the contract states service credits (5% / 10% of monthly fee)" in claim.derivation
    assert "the claim window as stated on page 1" in claim.derivation
    assert "within twenty (20) Business Days after the end of the affected month" in claim.derivation
    assert " ".join(claim.evidence["text"].split()).startswith("Customer must request a service credit in writing")
    assert {s["Name"] for s in cloud.schedules()} - schedules_before, "the claim deadline got no reminders"
    # still a credit to check by hand, now with its deadline
    [flag] = _to_check(contract_id)
    assert "tiers not read" in flag["message"] and "claim it by 2026-12-30" in flag["message"]
    # the API shows the window read and the claim
    detail = call("GET", f"/contracts/{contract_id}", claims=claims("it", "viewer")).json()
    assert detail["terms"]["service_credit_claim"]["value"] == {"claim_window": "P20BD", "claim_from_unit": "month",
                                                                "claim_from": "end of the measured period"}
    [shown] = [o for o in detail["obligations"] if o["id"] == "credit-2026-11-availability"]
    assert shown["due"] == "2026-12-30" and "amount to check by hand" in shown["summary"]
    assert [a["kind"] for a in detail["attention"]] == ["credit_to_check"]


def _claimed_in_hours(cloud, tmp_path, counted_from: str):
    """A contract with credits in prose claimed "within seventy-two (72) hours ``counted_from``", breached in
    November 2026: its id and its breach's finding."""
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    text = PROSE.replace("\n4. GOVERNING LAW.", " Customer must request a service credit within seventy-two (72) hours "
                         f"{counted_from}.\n4. GOVERNING LAW.")
    contract_id = _contract(cloud, tmp_path, "msa-prose-hours.pdf", text)
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    [finding] = store.findings(contract_id)
    return contract_id, finding


def test_a_claim_window_in_hours_from_an_incident_gets_no_claim_day_and_the_breach_says_why(cloud, tmp_path):
    contract_id, finding = _claimed_in_hours(cloud, tmp_path, "of the incident")
    # no claim day counted from hours after a moment (a day would be later or earlier than the hour): the flag alone
    assert finding.claim_obligation_id is None and finding.detail["claim_by"] is None
    assert finding.detail["claim_derivation"].startswith("claim window PT72H (hours) from the incident")
    [flag] = _to_check(contract_id)
    assert "tiers not read" in flag["message"] and "the claim window is in hours (PT72H from the incident)" in \
        flag["message"]
    # as the API shows it, naming the breach, and as the OpenAPI document describes it (its kind in the enum)
    reply = call("GET", f"/contracts/{contract_id}", claims=claims("it", "viewer"))
    assert off_the_document("GET", "/contracts/{contract_id}", reply) is None
    [shown] = [f for f in reply.json()["attention"] if f["kind"] == "credit_to_check"]
    assert (shown["finding_id"], shown["message"]) == (finding.finding_id, flag["message"])


def test_a_claim_window_in_hours_after_the_end_of_the_month_gets_its_last_whole_day(cloud, tmp_path):
    contract_id, finding = _claimed_in_hours(cloud, tmp_path, "after the end of the affected month")
    # 72 hours after 2026-12-01 00:00 end at 2026-12-04 00:00: claimed by 2026-12-03 (was: no claim day, by hand)
    assert finding.claim_obligation_id == "credit-2026-11-availability"
    claim = repo.get_obligation(contract_id, finding.claim_obligation_id)
    assert (claim.kind, claim.due, claim.status) == ("credit_claim", "2026-12-03", "open")
    assert claim.derivation.startswith("end of 2026-11 (2026-12-01 00:00 Europe/London) + PT72H = 2026-12-04 00:00 -> "
                                       "claim by 2026-12-03; credit not computed (tiers not read)")
    [flag] = _to_check(contract_id)
    assert "claim it by 2026-12-03" in flag["message"] and "in hours" not in flag["message"]
    # a change of the calendar recounts no claim in hours (business days are not counted in it)
    reply = call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=claims("it", "editor"),
                 body={"jurisdiction": "US-NY"})
    assert reply.status == 200, reply.json()
    assert repo.get_obligation(contract_id, finding.claim_obligation_id).due == "2026-12-03"


def test_a_claim_in_hours_is_counted_again_when_the_time_zone_changes(cloud, tmp_path):
    # review of hclaim8: 72 hours after 2026-11-01 00:00 in London end at 2026-11-04 00:00 (by 2026-11-03); in New
    # York the clock is set back that day, so they end at 23:00 on 2026-11-03 (by 2026-11-02). Was: kept at 11-03
    clock.set_now(datetime(2026, 11, 1, 10, 0, tzinfo=UTC))
    text = PROSE.replace("\n4. GOVERNING LAW.", " Customer must request a service credit within seventy-two (72) hours "
                         "after the end of the affected month.\n4. GOVERNING LAW.")
    contract_id = _contract(cloud, tmp_path, "msa-prose-hours-zone.pdf", text)
    _metrics(cloud, contract_id, "october.csv", b"period,metric,value\n2026-10,availability,98.5\n")
    [finding] = store.findings(contract_id)
    assert repo.get_obligation(contract_id, finding.claim_obligation_id).due == "2026-11-03"
    reply = call("PUT", f"/contracts/{contract_id}/time-zone", claims=claims("it", "editor"),
                 body={"time_zone": "America/New_York"})
    assert reply.status == 200, reply.json()
    claim = repo.get_obligation(contract_id, finding.claim_obligation_id)
    assert claim.due == "2026-11-02"
    assert claim.derivation.startswith("end of 2026-10 (2026-11-01 00:00 America/New_York) + PT72H = 2026-11-03 23:00 "
                                       "-> claim by 2026-11-02")
    assert "recounted because the time zone was set to America/New_York" in claim.derivation
    assert store.get_finding(contract_id, finding.finding_id).detail["claim_by"] == "2026-11-02"


def _checked_lines(contract_id: str) -> list:
    return [e for e in repo.audit_events(contract_id) if e.action == "credit.checked"]


def test_a_person_marks_a_credit_with_no_claim_checked_and_a_corrected_file_raises_it_again(cloud, tmp_path):
    """A flag with no claim to settle it (no window read) had no action of its own: it sat on Needs
    attention until a corrected file withdrew the breach. A person now marks it checked (a note, what is
    owed): the flag goes, the check is on the finding and audited; the same check again is its retry; a
    corrected file that changes the breach raises the flag again (the check was of the old value)."""
    import pytest

    from clausewatch.pipeline.actions import Conflict, InvalidInput, NotFound
    from clausewatch.pipeline.credit_checks import check_credit

    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-prose.pdf", PROSE)
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    [flag] = _to_check(contract_id)
    finding_id = flag["finding_id"]
    with pytest.raises(InvalidInput):
        check_credit(contract_id, finding_id, actor="sam.ortiz@example.com", note="  ")
    with pytest.raises(NotFound):
        check_credit(contract_id, "breach-2026-10-availability", actor="sam.ortiz@example.com", note="checked")
    check_credit(contract_id, finding_id, actor="sam.ortiz@example.com", note="5% of GBP 10,000 claimed by letter",
                 claimed="gbp 500", team="it")
    assert _to_check(contract_id) == []
    checked = store.credit_checked(store.get_finding(contract_id, finding_id))
    assert {k: checked[k] for k in ("by", "on", "note", "claimed", "nothing_owed")} == {
        "by": "sam.ortiz@example.com", "on": "2026-12-02", "note": "5% of GBP 10,000 claimed by letter",
        "claimed": {"amount": "500.00", "currency": "GBP"}, "nothing_owed": False}
    assert store.checked_words(checked) == ("checked by sam.ortiz@example.com on 2026-12-02: 5% of GBP 10,000 "
                                            "claimed by letter (claimed GBP 500.00)")
    [line] = _checked_lines(contract_id)
    assert (line.actor, line.detail["finding_id"], line.detail["note"]) == (
        "sam.ortiz@example.com", finding_id, "5% of GBP 10,000 claimed by letter")
    # its retry: answered as it is, nothing written again; another check: refused
    check_credit(contract_id, finding_id, actor="sam.ortiz@example.com", note="5% of GBP 10,000 claimed by letter",
                 claimed="GBP 500.00")
    assert len(_checked_lines(contract_id)) == 1
    with pytest.raises(Conflict, match="already checked by sam.ortiz@example.com on 2026-12-02"):
        check_credit(contract_id, finding_id, actor="dana.kowalski@example.com", note="nothing owed", nothing_owed=True)
    # the same file again changes nothing: still checked
    _metrics(cloud, contract_id, "november-again.csv", NOVEMBER)
    assert _to_check(contract_id) == []
    # a corrected file with another value: the flag is raised again, saying the check was of an earlier one
    _metrics(cloud, contract_id, "november-corrected.csv", b"period,metric,value\n2026-11,availability,97.0\n")
    [again] = _to_check(contract_id)
    assert "97.0% below" in again["message"]
    assert again["message"].endswith("(the check by sam.ortiz@example.com on 2026-12-02 was of an earlier value: "
                                     "check it again)")
    check_credit(contract_id, finding_id, actor="dana.kowalski@example.com", note="still 5%", nothing_owed=True)
    assert _to_check(contract_id) == [] and len(_checked_lines(contract_id)) == 2


def test_a_credit_with_a_claim_to_settle_is_not_marked_checked(cloud, tmp_path):
    import pytest

    from clausewatch.pipeline.actions import Conflict
    from clausewatch.pipeline.credit_checks import check_credit

    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-no-fee.pdf", TIERS_NO_FEE)
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    [flag] = _to_check(contract_id)
    with pytest.raises(Conflict, match="mark credit-2026-11-availability done once claimed, or waive it"):
        check_credit(contract_id, flag["finding_id"], actor="sam.ortiz@example.com", note="checked")
    assert len(_to_check(contract_id)) == 1 and _checked_lines(contract_id) == []


def test_the_api_marks_a_credit_flag_checked_and_shows_the_check_on_the_finding(cloud, tmp_path):
    """POST /contracts/{id}/findings/{finding_id}/checked (was: no such route, 404): an editor's check with
    a note; the flag goes from the contract's attention, the finding says who checked it, when, and what
    they found; the retry answers 200; another check, an unknown finding, a viewer are refused."""
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-prose.pdf", PROSE)
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    editor = claims("it", "editor", "sam.ortiz@example.com")
    detail = call("GET", f"/contracts/{contract_id}", claims=editor).json()
    [flag] = [a for a in detail["attention"] if a["kind"] == "credit_to_check"]
    assert flag["finding_id"] == "breach-2026-11-availability" and "check_credit" in detail["caller_may"]
    [shown] = call("GET", f"/contracts/{contract_id}/findings", claims=editor).json()["items"]
    assert shown["credit_to_check"] == flag["message"] and shown["credit_checked"] is None
    path = f"/contracts/{contract_id}/findings/{flag['finding_id']}/checked"
    body = {"note": "no fee stated: nothing owed this month", "nothing_owed": True}
    assert call("POST", path, claims=claims("it", "viewer"), body=body).status == 403
    assert call("POST", path, claims=editor, body={"note": ""}).status == 400
    assert call("POST", path, claims=editor, body={**body, "claimed": {"amount": "5", "currency": "GBP"}}).status == 400
    assert call("POST", f"/contracts/{contract_id}/findings/breach-2026-10-availability/checked", claims=editor,
                body=body).status == 404
    reply = call("POST", path, claims=editor, body=body)
    assert reply.status == 200, reply.json()
    checked = reply.json()["credit_checked"]
    assert checked["said"] == ("checked by sam.ortiz@example.com on 2026-12-02: no fee stated: nothing owed this "
                               "month (nothing owed)")
    assert (checked["nothing_owed"], checked["claimed"], checked["holds"]) == (True, None, True)
    assert reply.json()["credit_to_check"] is None
    assert call("POST", path, claims=editor, body=body).status == 200  # its retry
    other = call("POST", path, claims=claims("it", "editor", "dana@example.com"), body=body)
    assert other.status == 409 and "already checked by sam.ortiz@example.com" in other.json()["message"]
    detail = call("GET", f"/contracts/{contract_id}", claims=editor).json()
    assert [a for a in detail["attention"] if a["kind"] == "credit_to_check"] == []
    [shown] = call("GET", f"/contracts/{contract_id}/findings", claims=editor).json()["items"]
    assert shown["credit_checked"]["said"] == checked["said"]
    trail = call("GET", f"/contracts/{contract_id}/audit", claims=editor).json()["items"]
    assert [e["detail"]["note"] for e in trail if e["action"] == "credit.checked"] == [body["note"]]


# hclaim9: a window in business hours is read and not counted: a computed credit gets no claim day and its breach is
# a credit to check saying why (was: nothing read, no claim and no flag: the credit forgotten)
def test_a_computed_credit_claimed_in_business_hours_is_a_credit_to_check(cloud, tmp_path):
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    try:
        text = TIERS_NO_FEE.replace("Provider shall make", "Customer shall pay a monthly fee of GBP 10,000. Provider "
                                    "shall make").replace("within thirty (30) days",
                                                          "within forty-eight (48) business hours")
        contract_id = _contract(cloud, tmp_path, "msa-business-hours.pdf", text)
        _metrics(cloud, contract_id, "november.csv", NOVEMBER)
        [finding] = store.findings(contract_id)
        assert finding.amount == "1000.00" and finding.claim_obligation_id is None  # 98.5% < 99%: 10%
        [flag] = _to_check(contract_id)
        assert flag["message"].endswith("the claim window is in business hours (48 business hours from end of the "
                                        "measured period): no claim day is counted, claim it by hand within it")
    finally:
        clock.set_now(None)


# review of hclaim9 (hclaim9b): a credit table stored before claim_from_unit was always kept has its window's unit read
# again from its stored clause: 30 days after the end of the outage's month give no day for a quarter (was: counted
# from the quarter's end, 2026-10-30, weeks late for a July outage)
def test_a_window_stored_without_its_unit_is_not_counted_from_a_quarters_end(cloud, tmp_path):
    clock.set_now(datetime(2026, 10, 2, 10, 0, tzinfo=UTC))
    try:
        text = TIERS_NO_FEE.replace("Provider shall make", "Customer shall pay a monthly fee of GBP 10,000. Provider "
                                    "shall make").replace(" in each calendar month", "").replace(
                                        " in any calendar month", "")
        contract_id = _contract(cloud, tmp_path, "msa-stored-without-unit.pdf", text)
        item = repo.current_terms(contract_id)["service_credit_tiers"]
        assert item.value["claim_from_unit"] == "month"
        item.value = {k: v for k, v in item.value.items() if k != "claim_from_unit"}  # as stored before hclaim9
        item.save()
        _metrics(cloud, contract_id, "q3.csv", b"period,metric,value\n2026-Q3,availability,98.5\n")
        [finding] = store.findings(contract_id)
        assert finding.claim_obligation_id is None and finding.detail["claim_by"] is None  # was: 2026-10-30
        assert "the incident's month is not known" in finding.detail["claim_derivation"]
    finally:
        clock.set_now(None)


def _unknown_everywhere(contract_id: str) -> tuple:
    """How many credits to check by hand each reader counts: the running total (and its full count), GET
    /findings/total, the contract's findings, the portfolio report (and the breach's row status)."""
    viewer = claims("it", "viewer")
    portfolio = team_portfolio("it", clock.now())
    [row] = [m for m in portfolio.money if m.contract_id == contract_id]
    return (stake.unknown_amounts("it"), stake.recount_unknown("it"),
            call("GET", "/findings/total", claims=viewer).json()["amount_unknown"],
            call("GET", f"/contracts/{contract_id}/findings", claims=viewer).json()["amount_unknown"],
            portfolio.totals["credits_to_check_by_hand"], row.status)


def test_a_standing_check_takes_the_credit_out_of_the_amounts_unknown_until_the_breach_changes(cloud, tmp_path):
    """A check saying nothing is owed, or what was claimed by hand, settles the credit as a waive does: it is
    no longer counted as an amount unknown (was: still 1 in the totals, the contract's findings, the running
    count and the report's "credit to check by hand"). The same values written otherwise ("98.50" for "98.5")
    keep it (was: the flag's words compared, "98.50%" raised it again); a corrected value puts it back."""
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-prose.pdf", PROSE)
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    assert _unknown_everywhere(contract_id) == (1, 1, 1, 1, 1, "credit to check by hand")
    path = f"/contracts/{contract_id}/findings/breach-2026-11-availability/checked"
    reply = call("POST", path, claims=claims("it", "editor", "sam.ortiz@example.com"),
                 body={"note": "no fee stated: nothing owed", "nothing_owed": True})
    assert reply.status == 200, reply.json()
    assert _unknown_everywhere(contract_id) == (0, 0, 0, 0, 0, "checked by hand: nothing owed")
    _metrics(cloud, contract_id, "november-again.csv", b"period,metric,value\n2026-11,availability,98.50\n")
    assert _to_check(contract_id) == []
    assert _unknown_everywhere(contract_id) == (0, 0, 0, 0, 0, "checked by hand: nothing owed")
    _metrics(cloud, contract_id, "november-corrected.csv", b"period,metric,value\n2026-11,availability,97.0\n")
    assert len(_to_check(contract_id)) == 1
    assert _unknown_everywhere(contract_id) == (1, 1, 1, 1, 1, "credit to check by hand")


def test_a_check_claiming_an_amount_by_hand_shows_it_and_counts_no_money_at_stake(cloud, tmp_path):
    """Claimed by hand: out of the amounts unknown, its amount shown as the person claimed it (the report's
    status), never added to the money computed at stake."""
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-prose.pdf", PROSE)
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    path = f"/contracts/{contract_id}/findings/breach-2026-11-availability/checked"
    reply = call("POST", path, claims=claims("it", "editor", "sam.ortiz@example.com"),
                 body={"note": "5% of GBP 10,000 claimed by letter", "claimed": {"amount": "500", "currency": "GBP"}})
    assert reply.status == 200, reply.json()
    assert _unknown_everywhere(contract_id) == (0, 0, 0, 0, 0, "claimed by hand (GBP 500.00)")
    assert call("GET", "/findings/total", claims=claims("it", "viewer")).json()["total_at_stake"] == []
    assert stake.totals("it") == ({}, 1) and team_portfolio("it", clock.now()).totals["credits_owed"] == {}


def test_the_amount_claimed_is_read_exactly_never_guessed_or_rounded(cloud, tmp_path):
    """"EUR 500,00" was recorded as EUR 50000.00 by the web page (and the CLI), "GBP 500.999" as GBP 501.00:
    the API reads the amount as typed (the web sends it so) or as {amount, currency}, one reading for all, and
    refuses a decimal comma or more than two decimals with a clear 400."""
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-prose.pdf", PROSE)
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    editor = claims("it", "editor", "sam.ortiz@example.com")
    path = f"/contracts/{contract_id}/findings/breach-2026-11-availability/checked"
    for claimed, why in (("EUR 500,00", "a comma is a thousands separator only between groups of three digits"),
                         ({"amount": "500,00", "currency": "EUR"}, "a comma is a thousands separator only"),
                         ("GBP 500.999", "more than two decimals"),
                         ({"amount": "500.999", "currency": "GBP"}, "more than two decimals"),
                         ("500", "say a currency code and an amount")):
        reply = call("POST", path, claims=editor, body={"note": "claimed", "claimed": claimed})
        assert reply.status == 400 and why in reply.json()["message"], (claimed, reply.json())
    assert _checked_lines(contract_id) == []
    reply = call("POST", path, claims=editor, body={"note": "claimed", "claimed": "eur 12,500.5"})
    assert reply.status == 200, reply.json()
    assert reply.json()["credit_checked"]["claimed"] == {"amount": "12500.50", "currency": "EUR"}


def test_a_check_racing_a_corrected_file_answers_409_and_writes_nothing(cloud, tmp_path, monkeypatch):
    """A corrected file recorded between the check's read and its write: the check's transaction is refused
    (the finding is not as read) and the API says another request changed the record, 409 (was: 500)."""
    from clausewatch.pipeline import credit_checks

    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-prose.pdf", PROSE)
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    write = repo.check_credit

    def corrected_meanwhile(*args, **kwargs):
        _metrics(cloud, contract_id, "november-corrected.csv", b"period,metric,value\n2026-11,availability,97.0\n")
        return write(*args, **kwargs)

    monkeypatch.setattr(credit_checks.repo, "check_credit", corrected_meanwhile)
    reply = call("POST", f"/contracts/{contract_id}/findings/breach-2026-11-availability/checked",
                 claims=claims("it", "editor", "sam.ortiz@example.com"), body={"note": "nothing owed",
                                                                              "nothing_owed": True})
    assert reply.status == 409 and "changed by another request" in reply.json()["message"], reply.json()
    finding = store.get_finding(contract_id, "breach-2026-11-availability")
    assert store.credit_checked(finding) is None and "97.0% below" in _to_check(contract_id)[0]["message"]
    assert _checked_lines(contract_id) == [] and stake.unknown_amounts("it") == 1 == stake.recount_unknown("it")


def test_a_file_saved_over_a_check_made_meanwhile_keeps_the_check(cloud, tmp_path, monkeypatch):
    """The same file again, its finding read before a person's check commits and written after: the write
    was unconditional and erased the check (the flag back on Needs attention); it is now conditioned on the
    finding as read, read again and the check kept."""
    from clausewatch.pipeline.credit_checks import check_credit

    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    contract_id = _contract(cloud, tmp_path, "msa-prose.pdf", PROSE)
    _metrics(cloud, contract_id, "november.csv", NOVEMBER)
    finding_id = "breach-2026-11-availability"
    read = store.get_finding
    stale = read(contract_id, finding_id)
    checked: list[str] = []

    def read_then_checked(*args):
        if checked:
            return read(*args)
        checked.append("now")
        check_credit(contract_id, finding_id, actor="sam.ortiz@example.com", note="nothing owed", nothing_owed=True)
        return stale

    monkeypatch.setattr(store, "get_finding", read_then_checked)
    store.save_finding(contract_id, finding_id, team="it", kind=stale.kind, source=stale.source,
                       summary=stale.summary, derivation=stale.derivation, amount=stale.amount,
                       currency=stale.currency, period=stale.period, claim_obligation_id=stale.claim_obligation_id,
                       evidence=stale.evidence, detail=stale.detail, source_key=stale.source_key)
    assert store.credit_checked(read(contract_id, finding_id))["by"] == "sam.ortiz@example.com"
    assert _to_check(contract_id) == [] and stake.unknown_amounts("it") == 0 == stake.recount_unknown("it")


# review of hclaim9 (hclaim9c): a window counted from an invoice is read, not counted (no metrics file gives the
# invoice's day): a computed credit gets no claim day and its breach is a credit to check saying why (was: no window,
# no claim and no flag: the credit forgotten, though the API's credit_to_check said "from an invoice")
@pytest.mark.parametrize("window", [
    "within thirty (30) days after the end of the month in which the invoice was issued",
    "within thirty (30) days of receipt of the invoice"])
def test_a_computed_credit_claimed_from_an_invoice_is_a_credit_to_check(cloud, tmp_path, window):
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    try:
        text = TIERS_NO_FEE.replace("Provider shall make", "Customer shall pay a monthly fee of GBP 10,000. Provider "
                                    "shall make").replace("within thirty (30) days after the end of the affected month",
                                                          window)
        contract_id = _contract(cloud, tmp_path, "msa-invoice-window.pdf", text)
        _metrics(cloud, contract_id, "november.csv", NOVEMBER)
        [finding] = store.findings(contract_id)
        assert finding.amount == "1000.00" and finding.claim_obligation_id is None  # no day counted
        assert finding.detail["claim_derivation"].startswith("claim window P30D from the invoice: no claim day is "
                                                             "counted")
        [flag] = _to_check(contract_id)
        assert flag["message"].endswith("the claim window counts from an invoice's day (P30D from the invoice), which "
                                        "no metrics file gives: no claim day is counted, claim it by hand within it")
    finally:
        clock.set_now(None)
