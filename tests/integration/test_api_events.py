"""A term that runs from an event ("five (5) years from the Launch Date"): recorded with no
expiration and listed as waiting for an event date; a person enters the date
(POST /contracts/{id}/events, the contract's owner or an admin; `clausewatch event` locally), then
the expiration, the notice deadline and the reminders follow, with the arithmetic naming the event
and who dated it, and a later re-extraction keeps them."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from clausewatch import clock, config
from clausewatch.extract import extract_contract
from clausewatch.pipeline import record
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import NOW, call, claims, no_scan_in_api_requests  # noqa: F401
from tests.pdfs import make_pdf

TEAM = "legal-ops"
OWNER = "dana.kowalski@example.com"
OWNER_EDITOR = claims(TEAM, "editor", OWNER)
OTHER_EDITOR = claims(TEAM, "editor", "sam.other@example.com")
ADMIN = claims(TEAM, "admin", "ada.admin@example.com")
TEXT = ("MARKETING AGREEMENT\nThis Marketing Agreement is entered into as of March 1, 2026 (the \"Effective "
        "Date\") between Acme Widgets, Inc. (\"Company\") and Blue Heron Media LLC (\"Agency\").\n"
        "1. Term. The term of this Agreement shall be five (5) years from the Launch Date. Thereafter this "
        "Agreement shall automatically renew for successive one (1) year periods unless either party gives "
        "written notice of non-renewal at least ninety (90) days prior to the end of the then-current term.\n"
        "2. Governing Law. This Agreement is governed by the laws of the State of New York.")


@pytest.fixture
def conditional(cloud, tmp_path):
    clock.set_now(NOW)
    path = tmp_path / "marketing.pdf"
    path.write_bytes(make_pdf(TEXT))
    cloud.upload(path, {"team": TEAM, "owner": OWNER, "time-zone": "America/New_York"})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def enter(contract_id: str, body: dict, who: dict = OWNER_EDITOR):
    return call("POST", f"/contracts/{contract_id}/events", claims=who, body=body)


def reminders_of(cloud, contract_id: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for s in cloud.schedules():
        payload = json.loads(s["Target"]["Input"])
        if payload.get("contract_id") == contract_id:
            out.setdefault(payload.get("obligation_id"), []).append(payload)
    return out


def test_a_term_from_an_event_waits_then_is_dated_planned_and_kept(cloud, conditional):
    contract = call("GET", f"/contracts/{conditional}", claims=OWNER_EDITOR).json()
    assert contract["status"] == "EXTRACTED" and "expiration_date" not in contract["terms"]
    [waiting] = contract["terms"]["conditional_terms"]["value"]
    assert (waiting["event"], waiting["duration"], waiting["event_date"]) == ("Launch Date", "P5Y", None)
    assert contract["terms"]["conditional_terms"]["evidence"]["page"] == 1
    [flag] = [a for a in contract["attention"] if a["kind"] == "waiting_for_event"]
    assert "waiting for an event date" in flag["message"] and "Launch Date" in flag["message"]
    assert not {"expiration", "notice_deadline"} & {o["id"] for o in contract["obligations"]}
    assert not reminders_of(cloud, conditional).get("expiration")

    # not the owner, not an admin: refused; an unknown event or a bad date: said so
    assert enter(conditional, {"event": "Launch Date", "date": "2027-03-01"}, OTHER_EDITOR).status == 403
    missing = enter(conditional, {"event": "First Sale", "date": "2027-03-01"})
    assert missing.status == 404 and "Launch Date" in missing.message
    assert enter(conditional, {"event": "Launch Date", "date": "2027-3-1"}).status == 400

    reply = enter(conditional, {"event": "launch date", "date": "2027-03-01"})
    assert reply.status == 200, reply.text
    body = reply.json()
    assert body["conditional_term"]["event_date"] == "2027-03-01"
    assert body["conditional_term"]["entered_by"] == OWNER
    expiration = body["expiration"]
    assert expiration["value"] == "2032-02-29"
    assert expiration["derivation"] == f"Launch Date 2027-03-01 (entered by {OWNER}) + P5Y - 1 day = 2032-02-29"
    assert expiration["entered_by"] == OWNER and expiration["evidence"]["page"] == 1
    assert body["notice_deadline"] == "2031-12-01"  # 2032-02-29 - P90D

    contract = call("GET", f"/contracts/{conditional}", claims=OWNER_EDITOR).json()
    assert contract["expiration"] == "2032-02-29" and contract["notice_deadline"] == "2031-12-01"
    assert not [a for a in contract["attention"] if a["kind"] == "waiting_for_event"]
    due = {o["id"]: o for o in contract["obligations"]}
    assert due["expiration"]["due"] == "2032-02-29" and due["notice_deadline"]["due"] == "2031-12-01"
    assert "Launch Date 2027-03-01" in due["notice_deadline"]["derivation"] or \
        "expiration_date 2032-02-29 - P90D" in due["notice_deadline"]["derivation"]
    cloud.pump()  # the planner plans the reminders from the stream
    # years ahead: outside the rolling horizon, so planned data the daily sweep schedules once the
    # first one (the notice deadline's, 90 days before it) comes inside the window
    first_reminder = date(2031, 12, 1) - timedelta(days=90)
    planned = repo.get_contract(conditional)
    assert planned.next_planning and date.fromisoformat(planned.next_planning) <= first_reminder - timedelta(
        days=config.reminder_horizon_days()), planned.next_planning
    # (the sweep scheduling a due contract is tests/integration/test_scale_reminders.py's)
    audit = call("GET", f"/contracts/{conditional}/audit", claims=OWNER_EDITOR, query={"limit": 100}).json()["items"]
    [entered] = [e for e in audit if e["action"] == "event.entered"]
    assert entered["actor"] == OWNER and entered["detail"]["date"] == "2027-03-01"

    # entering the same date again changes nothing; an admin may correct it
    assert enter(conditional, {"event": "Launch Date", "date": "2027-03-01"}).status == 200
    audit = call("GET", f"/contracts/{conditional}/audit", claims=OWNER_EDITOR, query={"limit": 100}).json()["items"]
    assert len([e for e in audit if e["action"] == "event.entered"]) == 1
    corrected = enter(conditional, {"event": "Launch Date", "date": "2027-06-15"}, ADMIN).json()
    assert corrected["expiration"]["value"] == "2032-06-14"
    assert "(entered by ada.admin@example.com)" in corrected["expiration"]["derivation"]

    # a later re-extraction (which reads no expiration again) keeps the person's dates
    stored = repo.get_contract(conditional)
    record.record_extraction(stored, extract_contract([TEXT], source="marketing.pdf"), actor="pipeline")
    contract = call("GET", f"/contracts/{conditional}", claims=OWNER_EDITOR).json()
    assert contract["terms"]["expiration_date"]["value"] == "2032-06-14"
    assert contract["terms"]["conditional_terms"]["value"][0]["event_date"] == "2027-06-15"
    assert contract["expiration"] == "2032-06-14"
    assert not [a for a in contract["attention"] if a["kind"] == "waiting_for_event"]


def test_an_event_dated_before_the_agreements_effective_date_is_refused(cloud, conditional):
    """2020-01-15 for a Launch Date of an agreement effective 1 March 2026 is a typo (QA Q9: it was
    accepted, the term ending in 2025 and "renewed" year after year before the agreement was made):
    a 400 naming the effective date and its clause; nothing is recorded."""
    reply = enter(conditional, {"event": "Launch Date", "date": "2020-01-15"})
    assert reply.status == 400
    assert "2020-01-15 is before the agreement's effective date 2026-03-01" in reply.message, reply.message
    assert "page 1" in reply.message and "March 1, 2026" in reply.message  # the clause it was read from
    contract = call("GET", f"/contracts/{conditional}", claims=OWNER_EDITOR).json()
    assert "expiration_date" not in contract["terms"]
    assert contract["terms"]["conditional_terms"]["value"][0]["event_date"] is None
    assert [o for o in contract["obligations"] if o["id"] in ("expiration", "notice_deadline")] == []
    audit = call("GET", f"/contracts/{conditional}/audit", claims=OWNER_EDITOR, query={"limit": 100}).json()["items"]
    assert "event.entered" not in [a["action"] for a in audit]
    # the agreement's first day itself is a date it can run from
    assert enter(conditional, {"event": "Launch Date", "date": "2026-03-01"}).json()["expiration"]["value"] == \
        "2031-02-28"


def test_without_an_effective_date_any_event_date_is_accepted(cloud, tmp_path):
    """Nothing to check the event's date against: it is taken as entered."""
    clock.set_now(NOW)
    path = tmp_path / "undated.pdf"
    path.write_bytes(make_pdf(TEXT.replace("entered into as of March 1, 2026 (the \"Effective Date\") ",
                                           "entered into ")))
    cloud.upload(path, {"team": TEAM, "owner": OWNER, "time-zone": "America/New_York"})
    cloud.pump()
    contract_id = contract_id_for(sha256_hex(path.read_bytes()))
    terms = call("GET", f"/contracts/{contract_id}", claims=OWNER_EDITOR).json()["terms"]
    assert "effective_date" not in terms and "agreement_date" not in terms
    reply = enter(contract_id, {"event": "Launch Date", "date": "2020-01-15"})
    assert reply.status == 200 and reply.json()["expiration"]["value"] == "2025-01-14"


def test_the_cli_dates_the_event_and_status_lists_the_waiting_term(tmp_path, capsys):
    """As a user's shell would: a drop folder, `status`, `event`, `obligations` (own moto server)."""
    from clausewatch.cli import main

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    (folder / "marketing.pdf").write_bytes(make_pdf(TEXT))
    clock.set_now(NOW)
    try:
        assert main(["watch", str(folder), "--once", "--state", str(state)]) == 0
        contract_id = contract_id_for(sha256_hex((folder / "marketing.pdf").read_bytes()))
        capsys.readouterr()
        assert main(["status", "--state", str(state)]) == 0
        out = capsys.readouterr().out
        assert f"{contract_id}  marketing.pdf: waiting for an event date: five (5) years from the Launch Date" in out
        assert main(["event", contract_id, "Launch Date", "2027-03-01", "--by", "a@b.com", "--state", str(state)]) == 0
        out = capsys.readouterr().out
        assert ("expiration_date 2032-02-29: Launch Date 2027-03-01 (entered by a@b.com) + P5Y - 1 day = 2032-02-29"
                in out), out
        assert "notice_deadline 2031-12-01" in out
        before, after = (int(n) for n in out.split("schedules ")[1].split("\n")[0].split(" -> "))
        # the new deadlines' reminders (and the renewal decision's start, 90 days before the notice
        # deadline) lie years ahead, past the rolling horizon: planned for the sweep, not scheduled yet
        assert after == before
        planned_on = out.split("the rest is planned on ")[1][:10]
        assert planned_on <= "2031-07-29", out  # 2031-12-01 - 90 days = 2031-09-02, - 35 days horizon
        assert planned_on >= NOW.date().isoformat()
        assert main(["event", contract_id, "Go-Live", "2027-03-01", "--state", str(state)]) == 2
        assert "no term that runs from 'Go-Live'" in capsys.readouterr().out
        assert main(["event", contract_id, "Launch Date", "1 March 2027", "--state", str(state)]) == 2
        assert "not recorded: the event's date: an ISO date" in capsys.readouterr().out
        # a date before the agreement's effective date: refused, the date already entered stands
        assert main(["event", contract_id, "Launch Date", "2020-03-01", "--state", str(state)]) == 2
        out = capsys.readouterr().out
        assert "not recorded: the date of Launch Date 2020-03-01 is before the agreement's effective date " \
               "2026-03-01 (page 1: " in out, out
        assert main(["obligations", contract_id, "--state", str(state)]) == 0
        out = capsys.readouterr().out
        assert "2032-02-29" in out and "2025-02-28" not in out
        assert main(["status", "--state", str(state)]) == 0
        assert "waiting for an event date" not in capsys.readouterr().out
        # the event's date is a human-confirmed value: exported for training, with its clause
        exported = tmp_path / "corrections.jsonl"
        assert main(["corrections", "export", "--out", str(exported), "--state", str(state)]) == 0
        lines = [json.loads(raw) for raw in exported.read_text().splitlines()]
        [expiration] = [x for x in lines if x["field"] == "expiration_date"]
        assert expiration["author"] == "a@b.com" and expiration["corrected_value"] == "2032-02-29"
        assert expiration["extracted_value"] is None and expiration["clause_source"] == "entry"
        assert "five (5) years from the Launch Date" in expiration["clause"]["text"]
        assert expiration["document_sha256"] == sha256_hex((folder / "marketing.pdf").read_bytes())
    finally:
        clock.set_now(None)


# --- a term from the later of several events ---------------------------------------------------------

LATER_TEXT = ("LICENSE AGREEMENT\nThis License Agreement is entered into as of March 1, 2026 (the \"Effective "
              "Date\") between Acme Widgets, Inc. (\"Company\") and Blue Heron Labs LLC (\"Licensee\").\n"
              "1. Term. This Agreement shall continue until the later of (a) five (5) years from the Launch Date "
              "and (b) the expiration of the last Valid Claim. Thereafter this Agreement shall automatically renew "
              "for successive one (1) year periods unless either party gives written notice of non-renewal at "
              "least ninety (90) days prior to the end of the then-current term.\n"
              "2. Governing Law. This Agreement is governed by the laws of the State of New York.")
CLAIM = "expiration of the last Valid Claim"


@pytest.fixture
def later_of(cloud, tmp_path):
    clock.set_now(NOW)
    path = tmp_path / "license.pdf"
    path.write_bytes(make_pdf(LATER_TEXT))
    cloud.upload(path, {"team": TEAM, "owner": OWNER, "time-zone": "America/New_York"})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def waiting_flags(contract: dict) -> list[dict]:
    return [a for a in contract["attention"] if a["kind"] == "waiting_for_event"]


def test_a_term_from_the_later_of_two_events_waits_for_both_then_is_dated(cloud, later_of):
    contract = call("GET", f"/contracts/{later_of}", claims=OWNER_EDITOR).json()
    assert "expiration_date" not in contract["terms"] and contract["expiration"] is None
    [term] = contract["terms"]["conditional_terms"]["value"]
    assert term["rule"] == "later" and [e["event"] for e in term["events"]] == ["Launch Date", CLAIM]
    [flag] = waiting_flags(contract)
    assert flag["missing_events"] == ["Launch Date", CLAIM]
    assert f"still missing: Launch Date; {CLAIM}" in flag["message"]

    # one event dated: recorded, no expiration yet (the other may still end the term later)
    reply = enter(later_of, {"event": "launch date", "date": "2026-03-01"})
    assert reply.status == 200, reply.text
    body = reply.json()
    assert body["expiration"] is None and body["notice_deadline"] is None
    assert body["missing_events"] == [CLAIM]
    assert body["conditional_term"]["event_date"] is None
    assert body["conditional_term"]["events"][0]["event_date"] == "2026-03-01"
    assert body["conditional_term"]["events"][0]["entered_by"] == OWNER
    contract = call("GET", f"/contracts/{later_of}", claims=OWNER_EDITOR).json()
    assert "expiration_date" not in contract["terms"] and contract["expiration"] is None
    assert not {"expiration", "notice_deadline"} & {o["id"] for o in contract["obligations"]}
    [flag] = waiting_flags(contract)
    assert flag["missing_events"] == [CLAIM]
    assert f"known: Launch Date 2026-03-01 (entered by {OWNER})" in flag["message"]
    # the same date again changes nothing
    assert enter(later_of, {"event": "Launch Date", "date": "2026-03-01"}).json()["missing_events"] == [CLAIM]
    audit = call("GET", f"/contracts/{later_of}/audit", claims=OWNER_EDITOR, query={"limit": 100}).json()["items"]
    [entered] = [e for e in audit if e["action"] == "event.entered"]
    assert entered["detail"]["missing"] == [CLAIM] and entered["detail"]["expiration_date"] is None

    # the last event dated: the expiration shows each candidate and which won
    body = enter(later_of, {"event": CLAIM, "date": "2030-06-30"}).json()
    assert body["missing_events"] == []
    assert body["expiration"]["value"] == "2031-02-28"
    assert body["expiration"]["derivation"] == (
        f"later of 2031-02-28 (Launch Date 2026-03-01 (entered by {OWNER}) + P5Y - 1 day) and 2030-06-30 "
        f"({CLAIM} 2030-06-30 (entered by {OWNER})): 2031-02-28")
    assert body["expiration"]["entered_by"] == OWNER and body["expiration"]["evidence"]["page"] == 1
    assert body["notice_deadline"] == "2030-11-30"  # 2031-02-28 - P90D
    assert body["conditional_term"]["event_date"] == "2026-03-01"  # the event that decided it
    contract = call("GET", f"/contracts/{later_of}", claims=OWNER_EDITOR).json()
    assert contract["expiration"] == "2031-02-28" and contract["notice_deadline"] == "2030-11-30"
    assert not waiting_flags(contract)
    due = {o["id"]: o for o in contract["obligations"]}
    assert due["expiration"]["due"] == "2031-02-28" and due["notice_deadline"]["due"] == "2030-11-30"

    # an admin corrects the claim's expiry: now it decides
    corrected = enter(later_of, {"event": CLAIM, "date": "2032-01-31"}, ADMIN).json()
    assert corrected["expiration"]["value"] == "2032-01-31"
    assert corrected["expiration"]["derivation"].endswith(
        f"and 2032-01-31 ({CLAIM} 2032-01-31 (entered by ada.admin@example.com)): 2032-01-31")

    # a later re-extraction keeps the person's dates
    stored = repo.get_contract(later_of)
    record.record_extraction(stored, extract_contract([LATER_TEXT], source="license.pdf"), actor="pipeline")
    contract = call("GET", f"/contracts/{later_of}", claims=OWNER_EDITOR).json()
    assert contract["expiration"] == "2032-01-31"
    assert [e["event_date"] for e in contract["terms"]["conditional_terms"]["value"][0]["events"]] == [
        "2026-03-01", "2032-01-31"]


def test_the_cli_dates_a_later_of_term_event_by_event(tmp_path, capsys):
    from clausewatch.cli import main

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    (folder / "license.pdf").write_bytes(make_pdf(LATER_TEXT))
    clock.set_now(NOW)
    try:
        assert main(["watch", str(folder), "--once", "--state", str(state)]) == 0
        contract_id = contract_id_for(sha256_hex((folder / "license.pdf").read_bytes()))
        capsys.readouterr()
        assert main(["status", "--state", str(state)]) == 0
        out = capsys.readouterr().out
        assert f"{contract_id}  license.pdf: waiting for event dates: the later of (a) five (5) years" in out
        assert f"still missing: Launch Date; {CLAIM}" in out
        assert main(["event", contract_id, "Launch Date", "2026-03-01", "--by", "a@b.com", "--state", str(state)]) == 0
        out = capsys.readouterr().out
        assert f"Launch Date 2026-03-01 recorded; still missing: {CLAIM}" in out and "expiration_date" not in out
        assert main(["status", "--state", str(state)]) == 0
        out = capsys.readouterr().out
        assert f"still missing: {CLAIM}; known: Launch Date 2026-03-01 (entered by a@b.com)" in out
        assert main(["event", contract_id, CLAIM, "2030-06-30", "--by", "a@b.com", "--state", str(state)]) == 0
        out = capsys.readouterr().out
        assert (f"expiration_date 2031-02-28: later of 2031-02-28 (Launch Date 2026-03-01 (entered by a@b.com) + P5Y "
                f"- 1 day) and 2030-06-30 ({CLAIM} 2030-06-30 (entered by a@b.com)): 2031-02-28") in out, out
        assert "notice_deadline 2030-11-30" in out
        assert main(["status", "--state", str(state)]) == 0
        assert "waiting for event" not in capsys.readouterr().out
    finally:
        clock.set_now(None)


def test_an_effective_date_corrected_after_extraction_is_the_one_a_later_of_counts_from(cloud, tmp_path):
    """The Effective Date is filled from the extraction; a person corrects it before dating the
    other event: the expiration counts from the corrected date, never from the stale one."""
    clock.set_now(NOW)
    text = LATER_TEXT.replace("(a) five (5) years from the Launch Date and (b) the expiration of the last Valid "
                              "Claim", "(a) the third anniversary of the Effective Date and (b) the completion of "
                                       "the Services")
    path = tmp_path / "services.pdf"
    path.write_bytes(make_pdf(text))
    cloud.upload(path, {"team": TEAM, "owner": OWNER, "time-zone": "America/New_York"})
    cloud.pump()
    contract_id = contract_id_for(sha256_hex(path.read_bytes()))
    contract = call("GET", f"/contracts/{contract_id}", claims=OWNER_EDITOR).json()
    effective, services = contract["terms"]["conditional_terms"]["value"][0]["events"]
    assert (effective["event_date"], effective["filled_from"]) == ("2026-03-01", "effective_date")
    assert services["event_date"] is None
    [flag] = waiting_flags(contract)
    assert flag["missing_events"] == ["completion of the Services"]

    fixed = call("PUT", f"/contracts/{contract_id}/terms/effective_date", claims=OWNER_EDITOR,
                 body={"value": "2026-04-01"})
    assert fixed.status == 200, fixed.text
    body = enter(contract_id, {"event": "completion of the Services", "date": "2028-01-15"}).json()
    assert body["expiration"]["value"] == "2029-04-01"  # not 2029-03-01, from the extracted date
    assert body["expiration"]["derivation"] == (
        "later of 2029-04-01 (Effective Date 2026-04-01 (the contract's effective_date) + P3Y, the anniversary "
        f"itself) and 2028-01-15 (completion of the Services 2028-01-15 (entered by {OWNER})): 2029-04-01")

    # corrected again after the expiration was computed: it is computed again from the new date
    again = call("PUT", f"/contracts/{contract_id}/terms/effective_date", claims=OWNER_EDITOR,
                 body={"value": "2026-05-01"})
    assert again.status == 200, again.text
    terms = call("GET", f"/contracts/{contract_id}", claims=OWNER_EDITOR).json()["terms"]
    assert terms["expiration_date"]["value"] == "2029-05-01"
    assert "Effective Date 2026-05-01 (the contract's effective_date) + P3Y" in terms["expiration_date"]["derivation"]
    assert "completion of the Services 2028-01-15" in terms["expiration_date"]["derivation"]
    assert any(e.action == "event.recomputed" for e in repo.audit_events(contract_id))


def test_an_expiration_a_person_entered_stands_when_an_event_is_dated_again_and_the_person_is_told(cloud, later_of):
    for event, day in (("Launch Date", "2026-03-01"), (CLAIM, "2030-06-30")):
        assert enter(later_of, {"event": event, "date": day}).status == 200
    reply = call("PUT", f"/contracts/{later_of}/terms/expiration_date", claims=OWNER_EDITOR,
                 body={"value": "2034-06-30", "note": "settlement agreement"})
    assert reply.status == 200, reply.text
    reply = enter(later_of, {"event": "Launch Date", "date": "2026-04-01"})
    assert reply.status == 200, reply.text
    body = reply.json()
    # the person's expiration stands (was: replaced by the event's 2031-03-31 without a word)
    assert body["expiration"]["value"] == "2034-06-30" and body["expiration"]["entered_by"] == OWNER
    assert body["kept"].startswith("the expiration 2034-06-30 entered by dana.kowalski@example.com (settlement "
                                   "agreement) stands over the 2031-03-31 the event's date gives")
    assert body["conditional_term"]["kept_over"]["computed"] == "2031-03-31"
    contract = call("GET", f"/contracts/{later_of}", claims=OWNER_EDITOR).json()
    assert contract["terms"]["expiration_date"]["value"] == "2034-06-30"
    assert contract["terms"]["notice_deadline"]["value"] == "2034-04-01"
    [flag] = [a for a in contract["attention"] if a["kind"] == "event_expiration_kept_out"]
    assert [c["value"] for c in flag["candidates"]] == ["2031-03-31", "2034-06-30"]
    [audit] = [e for e in repo.audit_events(later_of) if e.action == "event.entered"][-1:]
    assert audit.detail["date"] == "2026-04-01" and audit.detail["kept"]["kept"] == "2034-06-30"
    # the person takes the event's: the flag goes, the deadlines follow
    reply = call("PUT", f"/contracts/{later_of}/terms/expiration_date", claims=OWNER_EDITOR, body={"value": "2031-03-31"})
    assert reply.status == 200, reply.text
    contract = call("GET", f"/contracts/{later_of}", claims=OWNER_EDITOR).json()
    assert not [a for a in contract["attention"] if a["kind"] == "event_expiration_kept_out"]
    assert contract["terms"]["notice_deadline"]["value"] == "2030-12-31"
    # an event date that gives the same day leaves the entry the person's (nothing to say), so a
    # later event date still does not replace it
    body = enter(later_of, {"event": "Launch Date", "date": "2026-04-02"}).json()
    body = enter(later_of, {"event": "Launch Date", "date": "2026-04-01"}).json()
    assert body["kept"] is None and body["expiration"]["value"] == "2031-03-31"
    assert body["expiration"]["derivation"] == f"entered by {OWNER}"
    # the entry stands over any later event date too, said each time
    body = enter(later_of, {"event": CLAIM, "date": "2031-06-30"}).json()
    assert body["expiration"]["value"] == "2031-03-31" and "stands over the 2031-06-30" in body["kept"]
