"""The API's actions through the real handler: complete, acknowledge, waive, owners, delete. Each
is idempotent, audited with the caller as actor, and re-plans the reminders (the planner, from the
table's stream, pumped here as AWS would deliver it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from clausewatch import clock, config, schema
from clausewatch.aws.clients import client
from clausewatch.local.handlers import invoke
from clausewatch.store import repository as repo
from tests.integration.api_support import (  # noqa: F401
    GENERATED,
    IT,
    PROCUREMENT,
    SAAS,
    SERVICES,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    restore,
    world,
)

BEACON, COBALT, DELTA = (g[0] for g in GENERATED)
EDITOR = claims(PROCUREMENT, "editor", "alex.editor@example.com")


# The tests share one copy of the world (module scope) and each acts on obligations of its own;
# the last one, which moves the clock to fire reminders, gets a fresh copy.


@pytest.fixture
def fresh_world(_local_cloud_session, _world):
    restore(_local_cloud_session, _world)
    yield _world
    clock.set_now(None)


def obligation_path(contract_id: str, obligation_id: str, action: str = "") -> str:
    return f"/contracts/{contract_id}/obligations/{obligation_id}" + (f"/{action}" if action else "")


def reminders_of(cloud, contract_id: str, obligation_id: str) -> set[str]:
    return {s["Name"] for s in cloud.schedules() if s["Name"].startswith(f"cw-{contract_id}-")
            and json.loads(s["Target"]["Input"])["obligation_id"] == obligation_id}


def audit_actions(contract_id: str) -> list[tuple[str, str]]:
    events = call("GET", f"/contracts/{contract_id}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]
    return [(e["action"], e["actor"]) for e in events]


def listed(status: str, contract_id: str, **query) -> set[str]:
    query = {"status": status, "limit": 100, **query}
    items = call("GET", "/obligations", claims=EDITOR, query=query).json()["items"]
    return {o["id"] for o in items if o["contract_id"] == contract_id}


def test_complete_records_who_and_why_and_cancels_the_reminders(world, _local_cloud_session):
    cloud, saas = _local_cloud_session, world.ids[SAAS]
    assert reminders_of(cloud, saas, "notice_deadline")
    reply = call("POST", obligation_path(saas, "notice_deadline", "complete"), claims=EDITOR,
                 body={"note": "non-renewal notice sent by courier"})
    assert reply.status == 200, reply.text
    done = reply.json()
    assert done["status"] == "done" and done["resolved_by"] == "alex.editor@example.com"
    assert done["resolution_note"] == "non-renewal notice sent by courier"
    cloud.pump()  # the planner re-plans from the stream
    assert reminders_of(cloud, saas, "notice_deadline") == set()
    assert "notice_deadline" in listed("done", saas) and "notice_deadline" not in listed("open", saas)
    again = call("POST", obligation_path(saas, "notice_deadline", "complete"), claims=EDITOR, body={"note": "x"})
    assert again.status == 200 and again.json()["resolution_note"] == "non-renewal notice sent by courier"
    assert audit_actions(saas).count(("obligation.done", "alex.editor@example.com")) == 1
    detail = call("GET", f"/contracts/{saas}", claims=EDITOR).json()
    assert next(o for o in detail["obligations"] if o["id"] == "notice_deadline")["status"] == "done"


def test_complete_with_evidence_in_the_contracts_folders(world):
    saas = world.ids[SAAS]
    evidence = f"{config.EVIDENCE_PREFIX}{saas}/notice-letter.pdf"
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=evidence, Body=b"%PDF-1.4 letter")
    path = obligation_path(saas, "expiration", "complete")
    outside = call("POST", path, claims=EDITOR, body={"evidence_key": f"{config.EVIDENCE_PREFIX}other/x.pdf"})
    missing = call("POST", path, claims=EDITOR, body={"evidence_key": f"{config.EVIDENCE_PREFIX}{saas}/none.pdf"})
    assert (outside.status, missing.status) == (400, 400)
    assert "evidence/" in outside.message and "no evidence object" in missing.message
    reply = call("POST", path, claims=EDITOR, body={"evidence_key": evidence})
    assert reply.status == 200 and reply.json()["evidence_key"] == evidence
    assert call("POST", path, claims=EDITOR, body={"colour": "red"}).message == \
        "colour: Extra inputs are not permitted"  # an unknown field is a 400
    assert call("POST", path, claims=EDITOR, raw_body="{not json").message.startswith("request body:")


def test_waive_needs_a_reason_and_stops_the_reminders(world, _local_cloud_session):
    cloud, beacon = _local_cloud_session, world.ids[BEACON]
    path = obligation_path(beacon, "notice_deadline", "waive")
    assert call("POST", path, claims=EDITOR, body={}).status == 400
    assert call("POST", path, claims=EDITOR, body={"reason": ""}).status == 400
    reply = call("POST", path, claims=EDITOR, body={"reason": "renewing: budget approved"})
    assert reply.status == 200 and reply.json()["status"] == "waived"
    cloud.pump()
    assert reminders_of(cloud, beacon, "notice_deadline") == set()
    assert listed("waived", beacon) == {"notice_deadline"}
    # the daily re-planning keeps it waived for its date
    invoke("planner", {"sweep": True})
    cloud.pump()
    assert listed("waived", beacon) == {"notice_deadline"}
    assert ("obligation.waived", "alex.editor@example.com") in audit_actions(beacon)


def test_acknowledge_is_for_open_obligations_and_idempotent(world):
    cobalt, saas = world.ids[COBALT], world.ids[SAAS]
    path = obligation_path(cobalt, "expiration", "acknowledge")
    first = call("POST", path, claims=EDITOR)
    assert first.status == 200 and first.json()["acknowledged"] is True
    assert first.json()["acknowledged_by"] == "alex.editor@example.com" and first.json()["status"] == "open"
    assert call("POST", path, claims=EDITOR).json() == first.json()
    assert audit_actions(cobalt).count(("obligation.acknowledged", "alex.editor@example.com")) == 1
    report = next(o["id"] for o in call("GET", f"/contracts/{saas}", claims=EDITOR).json()["obligations"]
                  if o["kind"] == "recurring" and o["due"])
    assert call("POST", obligation_path(saas, report, "complete"), claims=EDITOR).status == 200  # no body
    closed = call("POST", obligation_path(saas, report, "acknowledge"), claims=EDITOR)
    assert closed.status == 409 and "done" in closed.message
    assert call("POST", obligation_path(saas, "no-such-thing", "acknowledge"), claims=EDITOR).status == 404


def test_an_obligations_owner_is_kept_when_the_pipeline_records_it_again(world, _local_cloud_session):
    cloud, cobalt = _local_cloud_session, world.ids[COBALT]
    path = obligation_path(cobalt, "expiration", "owner")
    assert call("PUT", path, claims=EDITOR, body={"owner": "not-an-email"}).status == 400
    reply = call("PUT", path, claims=EDITOR, body={"owner": "jo.lin@example.com"})
    assert reply.status == 200 and reply.json()["owner"] == "jo.lin@example.com"
    invoke("planner", {"sweep": True})  # re-records every deadline
    cloud.pump()
    assert listed("open", cobalt, owner="jo.lin@example.com") == {"expiration"}
    assert listed("open", cobalt, owner="sam.ortiz@example.com") == set()
    assert ("obligation.owner_set", "alex.editor@example.com") in audit_actions(cobalt)


def test_an_obligations_owner_in_other_letters_is_no_hand_off(fresh_world):
    """API QA NIT: the same address in other letters (Jo.Lin@Example.com, jo.lin@example.com) was a
    new hand-off (a second obligation.owner_set line, the record written again), while the contract's
    owner path already took it as no change. Now the same: the first spelling stays, nothing written."""
    cobalt = fresh_world.ids[COBALT]
    path = obligation_path(cobalt, "expiration", "owner")
    assert call("PUT", path, claims=EDITOR, body={"owner": "Jo.Lin@Example.com"}).status == 200
    stored = repo.get_obligation(cobalt, "expiration")
    assert stored.owner == "Jo.Lin@example.com"  # the domain in small letters, as any address taken
    for again in ("jo.lin@example.com", "JO.LIN@EXAMPLE.COM"):
        reply = call("PUT", path, claims=claims(PROCUREMENT, "editor", "eve.editor@example.com"), body={"owner": again})
        assert reply.status == 200 and reply.json()["owner"] == "Jo.Lin@example.com", reply.text
    assert audit_actions(cobalt).count(("obligation.owner_set", "alex.editor@example.com")) == 1
    assert ("obligation.owner_set", "eve.editor@example.com") not in audit_actions(cobalt)
    after = repo.get_obligation(cobalt, "expiration")
    assert (after.owner, after.owner_assigned_by, after.version) == (stored.owner, "alex.editor@example.com",
                                                                     stored.version)
    # another person is a hand-off still
    assert call("PUT", path, claims=EDITOR, body={"owner": "sam.ortiz@example.com"}).status == 200
    assert audit_actions(cobalt).count(("obligation.owner_set", "alex.editor@example.com")) == 2


def test_a_contracts_new_owner_takes_its_open_obligations(world, _local_cloud_session):
    cloud, delta = _local_cloud_session, world.ids[DELTA]
    # one obligation has its own owner: it stays with them
    call("PUT", obligation_path(delta, "expiration", "owner"), claims=EDITOR, body={"owner": "jo.lin@example.com"})
    reply = call("PUT", f"/contracts/{delta}/owner", claims=EDITOR, body={"owner": "kim.nguyen@example.com"})
    assert reply.status == 200 and reply.json()["owner"] == "kim.nguyen@example.com"
    cloud.pump()
    assert listed("open", delta, owner="jo.lin@example.com") == {"expiration"}
    moved = call("GET", f"/contracts/{delta}", claims=EDITOR).json()["obligations"]
    assert {o["owner"] for o in moved if o["status"] == "open" and o["id"] != "expiration"} <= \
        {"kim.nguyen@example.com"}
    assert listed("open", delta, owner="sam.ortiz@example.com") == set()
    contracts = call("GET", "/contracts", claims=EDITOR, query={"owner": "kim.nguyen@example.com"}).json()["items"]
    assert [c["id"] for c in contracts] == [delta]
    same = call("PUT", f"/contracts/{delta}/owner", claims=EDITOR, body={"owner": "kim.nguyen@example.com"})
    assert same.status == 200
    assert audit_actions(delta).count(("contract.owner_set", "alex.editor@example.com")) == 1


def test_a_contracts_owner_jurisdiction_and_time_zone_are_answered_with_the_same_shape(fresh_world):
    """API QA NIT: PUT .../owner answered the contract's summary, PUT .../jurisdiction and
    .../time-zone its detail. All three answer the detail (as GET /contracts/{id}: the obligations
    that followed the new owner, the deadlines recounted), and the document says so."""
    from tests.integration.api_support import _document

    delta = fresh_world.ids[DELTA]
    replies = {
        "owner": call("PUT", f"/contracts/{delta}/owner", claims=EDITOR, body={"owner": "kim.nguyen@example.com"}),
        "jurisdiction": call("PUT", f"/contracts/{delta}/jurisdiction", claims=EDITOR, body={"jurisdiction": "US-NY"}),
        "time-zone": call("PUT", f"/contracts/{delta}/time-zone", claims=EDITOR,
                          body={"time_zone": "America/Chicago"}),
    }
    detail = call("GET", f"/contracts/{delta}", claims=EDITOR).json()
    for path, reply in replies.items():
        assert reply.status == 200, (path, reply.text)
        assert set(reply.json()) == set(detail), path
    assert replies["owner"].json()["owner"] == "kim.nguyen@example.com"
    assert {o["owner"] for o in replies["owner"].json()["obligations"] if o["status"] == "open"} == \
        {"kim.nguyen@example.com"}  # none had an owner of its own
    schemas = {path: _document()["paths"][f"/contracts/{{contract_id}}/{path}"]["put"]["responses"]["200"]
               ["content"]["application/json"]["schema"] for path in replies}
    assert len({json.dumps(schema, sort_keys=True) for schema in schemas.values()}) == 1, schemas
    assert schemas["owner"] == _document()["paths"]["/contracts/{contract_id}"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"]


def test_a_recurring_duty_handed_to_someone_stays_with_them_for_its_next_occurrences(fresh_world,
                                                                                     _local_cloud_session):
    cloud, saas = _local_cloud_session, fresh_world.ids[SAAS]
    obligations = call("GET", f"/contracts/{saas}", claims=EDITOR).json()["obligations"]
    occurrence = min((o for o in obligations if o["kind"] == "recurring" and "@" in o["id"] and o["status"] == "open"),
                     key=lambda o: o["due"])
    duty = occurrence["id"].split("@")[0]
    path = obligation_path(saas, occurrence["id"])
    # the duty handed on: its open occurrence goes with it
    assert call("PUT", obligation_path(saas, duty, "owner"), claims=EDITOR,
                body={"owner": "ann.poole@example.com"}).status == 200
    owners = {o["id"]: o["owner"] for o in call("GET", f"/contracts/{saas}", claims=EDITOR).json()["obligations"]}
    assert owners[occurrence["id"]] == "ann.poole@example.com"
    # this month's handed on again, and done: the next ones are the last holder's
    assert call("PUT", f"{path}/owner", claims=EDITOR, body={"owner": "bob.hale@example.com"}).status == 200
    assert call("POST", f"{path}/complete", claims=EDITOR, body={"note": "sent"}).status == 200
    cloud.pump()
    later = [o for o in call("GET", f"/contracts/{saas}", claims=EDITOR).json()["obligations"]
             if o["id"].startswith(f"{duty}@") and o["due"] > occurrence["due"]]
    assert later and {o["owner"] for o in later} == {"bob.hale@example.com"}  # was: back to the contract's owner
    # handed on again, the duty itself: the open occurrences go with it (the latest hand-off wins)
    assert call("PUT", obligation_path(saas, duty, "owner"), claims=EDITOR,
                body={"owner": "cara.diaz@example.com"}).status == 200
    cloud.pump()
    again = [o for o in call("GET", f"/contracts/{saas}", claims=EDITOR).json()["obligations"]
             if o["id"].startswith(f"{duty}@") and o["status"] == "open"]
    assert again and {o["owner"] for o in again} == {"cara.diaz@example.com"}


def test_a_duty_handed_on_again_after_a_failure_takes_its_open_occurrences_along(fresh_world, monkeypatch):
    """Review: the same request again (an occurrence's write had failed) returned at once since the
    duty had that owner already, and the occurrence stayed with the old owner. The duty is not handed
    on twice; its open occurrences follow."""
    from clausewatch.store import repository

    saas = fresh_world.ids[SAAS]
    duty = next(o["id"] for o in call("GET", f"/contracts/{saas}", claims=EDITOR).json()["obligations"]
                if o["kind"] == "recurring" and "@" in o["id"]).split("@")[0]
    write = repository.set_obligation_owner

    def fails_for_occurrences(item, *args, **kwargs):
        if "@" in item.obligation_id:
            raise RuntimeError("throttled")
        return write(item, *args, **kwargs)

    monkeypatch.setattr(repository, "set_obligation_owner", fails_for_occurrences)
    with pytest.raises(RuntimeError):
        call("PUT", obligation_path(saas, duty, "owner"), claims=EDITOR, body={"owner": "ann.poole@example.com"})
    monkeypatch.setattr(repository, "set_obligation_owner", write)
    assert call("PUT", obligation_path(saas, duty, "owner"), claims=EDITOR,
                body={"owner": "Ann.Poole@example.com"}).status == 200
    items = {o["id"]: o for o in call("GET", f"/contracts/{saas}", claims=EDITOR).json()["obligations"]}
    occurrences = [o for i, o in items.items() if i.startswith(f"{duty}@") and o["status"] == "open"]
    assert occurrences and {o["owner"] for o in occurrences} == {"ann.poole@example.com"}
    assert items[duty]["owner"] == "ann.poole@example.com"  # the first spelling stays
    assert audit_actions(saas).count(("obligation.owner_set", "alex.editor@example.com")) == 1 + len(occurrences)


def test_admins_delete_a_contract_and_its_reminders(world, _local_cloud_session):
    cloud, services = _local_cloud_session, world.ids[SERVICES]
    admin = claims(IT, "admin", "ida.admin@example.com")
    assert call("DELETE", f"/contracts/{services}", claims=claims(IT, "editor")).status == 403
    assert [s for s in cloud.schedules() if s["Name"].startswith(f"cw-{services}-")]
    reply = call("DELETE", f"/contracts/{services}", claims=admin)
    assert reply.status == 200 and reply.json()["items_removed"] > 0
    cloud.pump()
    assert not [s for s in cloud.schedules() if s["Name"].startswith(f"cw-{services}-")]
    assert call("GET", f"/contracts/{services}", claims=admin).status == 404
    assert call("DELETE", f"/contracts/{services}", claims=admin).status == 404
    assert call("GET", "/contracts", claims=admin).json()["items"] == []


def test_acknowledge_stops_escalation_and_the_owner_is_still_reminded(fresh_world, _local_cloud_session):
    cloud, saas = _local_cloud_session, fresh_world.ids[SAAS]
    # the 60-day lead time had passed at upload: its catch-up reminder goes out first
    def notice_reminders(fired):
        return [f for f in fired
                if (f.payload["contract_id"], f.payload["obligation_id"]) == (saas, "notice_deadline")]

    first = cloud.fire_until(datetime(2026, 11, 26, tzinfo=UTC))
    assert [f.payload["lead_days"] for f in notice_reminders(first)] == [60]
    assert call("POST", obligation_path(saas, "notice_deadline", "acknowledge"), claims=EDITOR).status == 200
    cloud.pump()
    fired = cloud.fire_until(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    [thirty_days] = notice_reminders(fired)
    assert thirty_days.payload["lead_days"] == 30
    # without the acknowledgement this one escalates (test_reminders_e2e): now it goes to the owner only
    assert thirty_days.result["sent"] and not thirty_days.result["escalated"]
    assert thirty_days.result["to"] == ["priya.raman@example.com"] and thirty_days.result["cc"] == []


def test_each_obligation_says_what_the_callers_role_may_do_to_it(world):
    """QA (hw) 12: a viewer was offered Complete/Acknowledge/Waive/Reassign (each a 403). The list,
    the contract's obligations and an action's reply say what this caller may do; the document
    says what it means."""
    everything = ["complete", "acknowledge", "waive", "reassign"]
    for role, may in (("viewer", []), ("editor", everything), ("admin", everything)):
        caller = claims(PROCUREMENT, role, f"{role}@example.com")
        listed_items = call("GET", "/obligations", claims=caller).json()["items"]
        assert listed_items and all(o["caller_may"] == may for o in listed_items), role
        detail = call("GET", f"/contracts/{world.ids[COBALT]}", claims=caller).json()
        assert detail["obligations"] and all(o["caller_may"] == may for o in detail["obligations"]), role
    reply = call("POST", obligation_path(world.ids[DELTA], "expiration", "acknowledge"), claims=EDITOR)
    assert reply.status == 200 and reply.json()["caller_may"] == everything
    document = call("GET", "/openapi.json").json()
    field = document["components"]["schemas"]["Obligation"]["properties"]["caller_may"]
    assert field["items"]["enum"] == [*everything, "reopen"] and "viewer" in field["description"]


# --- the status an action acts on (API QA 2026-12-06) ---------------------------------------------

ACTIONS_ROUTE = "/contracts/{contract_id}/obligations/{obligation_id}/{action}"


def status_of(contract_id: str, obligation_id: str) -> str:
    detail = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()
    return next(o["status"] for o in detail["obligations"] if o["id"] == obligation_id)


def documented_conflict(reply, action: str) -> None:
    from tests.integration.api_support import off_the_document

    assert reply.status == 409, reply.text
    assert off_the_document("POST", ACTIONS_ROUTE.replace("{action}", action), reply) is None


def test_an_action_with_the_status_it_expects_is_refused_when_the_obligation_is_in_another(fresh_world):
    """Two systems acting on one obligation: the second one's waive (it read the obligation open)
    no longer overwrites the first one's completion: 409 with the status now, nothing written."""
    cobalt = fresh_world.ids[COBALT]
    first = call("POST", obligation_path(cobalt, "expiration", "complete"), claims=EDITOR,
                 body={"expected_status": "open", "note": "system A"})
    assert first.status == 200 and first.json()["status"] == "done", first.text
    trail = audit_actions(cobalt)
    for action, body in (("waive", {"reason": "system B", "expected_status": "open"}),
                         ("complete", {"note": "system B", "expected_status": "open"}),
                         ("acknowledge", {"expected_status": "overdue"})):
        refused = call("POST", obligation_path(cobalt, "expiration", action), claims=SYSTEM_B, body=body)
        documented_conflict(refused, action)
        assert refused.json()["current_status"] == "done"
        assert "is done, not open as expected" in refused.message
    assert audit_actions(cobalt) == trail  # nothing written
    kept = call("GET", f"/contracts/{cobalt}", claims=EDITOR).json()
    assert next(o for o in kept["obligations"] if o["id"] == "expiration")["resolution_note"] == "system A"
    # the status as listed stands for the stored one: overdue and expired are open
    delta = fresh_world.ids[DELTA]
    shown = status_of(delta, "expiration")
    reply = call("POST", obligation_path(delta, "expiration", "acknowledge"), claims=EDITOR,
                 body={"expected_status": shown})
    assert reply.status == 200, reply.text


SYSTEM_B = claims(PROCUREMENT, "editor", "system.b@example.com")


def test_the_same_callers_action_sent_again_is_answered_as_it_is(fresh_world, monkeypatch):
    """Review rv8 SHOULD-1: a complete sent with expected_status open whose answer was lost, sent
    again, was a 409 (its own completion taken for another system's); and a retry racing its
    original (both read it open) was a 409 "became done". Both are the obligation as it is, 200;
    another caller still gets the 409."""
    from clausewatch.pipeline import actions
    from clausewatch.store import repository

    cobalt = fresh_world.ids[COBALT]
    path = obligation_path(cobalt, "expiration", "complete")
    body = {"expected_status": "open", "note": "sent by the ERP"}
    assert call("POST", path, claims=EDITOR, body=body).status == 200
    trail = audit_actions(cobalt)
    again = call("POST", path, claims=EDITOR, body=body)
    assert (again.status, again.json()["status"], again.json()["resolution_note"]) == (200, "done", "sent by the ERP")
    assert audit_actions(cobalt) == trail
    documented_conflict(call("POST", path, claims=SYSTEM_B, body=body), "complete")
    # the race: the original's write lands between this request's read and its conditional write
    delta = fresh_world.ids[DELTA]
    real = repository.set_obligation_status

    def original_first(*args, **kwargs):
        real(*args, **kwargs)  # the original request
        return real(*args, **kwargs)  # this retry's write, conditioned on the status it read (open)

    monkeypatch.setattr(actions.repo, "set_obligation_status", original_first)
    raced = call("POST", obligation_path(delta, "expiration", "complete"), claims=EDITOR, body={"note": "sent"})
    assert (raced.status, raced.json()["status"]) == (200, "done"), raced.text


def test_a_done_obligation_is_waived_and_a_waived_one_completed_only_when_the_request_says_so(fresh_world):
    """Before: 200, the person's decision silently overturned (audited `from`)."""
    cobalt = fresh_world.ids[COBALT]
    done = obligation_path(cobalt, "expiration", "complete")
    assert call("POST", done, claims=EDITOR, body={"note": "sent"}).status == 200
    refused = call("POST", obligation_path(cobalt, "expiration", "waive"), claims=EDITOR, body={"reason": "oops"})
    documented_conflict(refused, "waive")
    assert refused.json()["current_status"] == "done" and 'expected_status "done"' in refused.message
    assert status_of(cobalt, "expiration") == "done"
    waived = call("POST", obligation_path(cobalt, "expiration", "waive"), claims=EDITOR,
                  body={"reason": "it was not sent after all", "expected_status": "done"})
    assert waived.status == 200 and waived.json()["status"] == "waived", waived.text
    again = call("POST", done, claims=EDITOR, body={"note": "sent now"})
    documented_conflict(again, "complete")
    assert again.json()["current_status"] == "waived" and 'expected_status "waived"' in again.message
    completed = call("POST", done, claims=EDITOR, body={"note": "sent now", "expected_status": "waived"})
    assert completed.status == 200 and completed.json()["resolution_note"] == "sent now"
    events = call("GET", f"/contracts/{cobalt}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]
    moves = [(e["action"], e["detail"]["from"]) for e in events if e["action"] in ("obligation.done", "obligation.waived")]
    assert moves == [("obligation.done", "open"), ("obligation.waived", "done"), ("obligation.done", "waived")]
    # doing it again is still idempotent (200, no audit line), with or without the status it is in
    assert call("POST", done, claims=EDITOR, body={"expected_status": "done"}).status == 200
    assert call("POST", done, claims=EDITOR).status == 200
    assert len(call("GET", f"/contracts/{cobalt}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]) == \
        len(events)


def test_the_status_check_and_the_write_are_one_conditional_write(fresh_world, monkeypatch):
    """Another system completes the obligation after this request read it open and before it
    writes: the write, conditioned on "open", is refused (409 naming "done"), never a waive over it."""
    from clausewatch.store import repository

    beacon = fresh_world.ids[BEACON]
    original = repository.set_obligation_status
    raced = []

    def other_system_first(contract_id, obligation_id, status, **kwargs):
        if not raced:
            raced.append(original(contract_id, obligation_id, repository.ObligationStatus.DONE,
                                  team=kwargs["team"], actor="system-a@example.com", reason="done by A"))
        return original(contract_id, obligation_id, status, **kwargs)

    monkeypatch.setattr(repository, "set_obligation_status", other_system_first)
    refused = call("POST", obligation_path(beacon, "expiration", "waive"), claims=EDITOR,
                   body={"reason": "B", "expected_status": "open"})
    documented_conflict(refused, "waive")
    assert refused.json()["current_status"] == "done" and "became done" in refused.message
    monkeypatch.undo()
    detail = call("GET", f"/contracts/{beacon}", claims=EDITOR).json()
    kept = next(o for o in detail["obligations"] if o["id"] == "expiration")
    assert (kept["status"], kept["resolved_by"]) == ("done", "system-a@example.com")


def test_a_deleted_contracts_trail_is_read_by_its_team_only(fresh_world):
    """API QA 2026-12-06: the trail stayed in the audit table but GET .../audit answered 404 once
    the contract was deleted. Now its team reads it (the deletion last, naming the team); another
    team still gets 404, as for a contract that never existed; a contract deleted before deletions
    left a tombstone stays 404."""
    from clausewatch.store import repository

    delta, cobalt = fresh_world.ids[DELTA], fresh_world.ids[COBALT]
    admin = claims(PROCUREMENT, "admin", "ada.admin@example.com")
    before = call("GET", f"/contracts/{delta}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]
    assert call("DELETE", f"/contracts/{delta}", claims=admin).status == 200
    assert call("GET", f"/contracts/{delta}", claims=EDITOR).status == 404
    reply = call("GET", f"/contracts/{delta}/audit", claims=claims(PROCUREMENT, "viewer"), query={"limit": 100})
    assert reply.status == 200, reply.text
    trail = reply.json()["items"]
    assert trail[:len(before)] == before
    assert (trail[-1]["action"], trail[-1]["actor"], trail[-1]["detail"]["team"]) == \
        ("contract.deleted", "ada.admin@example.com", PROCUREMENT)
    stranger = call("GET", f"/contracts/{delta}/audit", claims=claims(IT, "admin"))
    never = call("GET", "/contracts/0000000000000000/audit", claims=claims(IT, "admin"))
    assert (stranger.status, stranger.message) == (404, f"no contract '{delta}'")
    assert (never.status, never.message) == (404, "no contract '0000000000000000'")
    # deleted as before this change: an audit line only, no tombstone naming the team
    repository.record_audit(cobalt, "ops@example.com", "contract.deleted", {})
    repository.delete_contract_items(cobalt)
    assert call("GET", f"/contracts/{cobalt}/audit", claims=EDITOR).status == 404


def test_the_same_pdf_uploaded_by_another_team_after_a_deletion_never_reads_the_deleted_trail(
        fresh_world, _local_cloud_session):
    """Contract ids come from the file's bytes: once procurement deleted its contract, the same PDF
    uploaded by IT took the same id, and GET .../audit showed IT procurement's trail (its owners'
    addresses, notes, the deletion). Now the tombstone keeps the id procurement's: IT's upload is a
    contract of its own, whose trail begins with its own upload; procurement still reads its trail."""
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex

    cloud = _local_cloud_session
    delta = fresh_world.ids[DELTA]
    data = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=config.original_key(delta))["Body"].read()
    assert contract_id_for(sha256_hex(data)) == delta
    admin = claims(PROCUREMENT, "admin", "ada.admin@example.com")
    assert call("DELETE", f"/contracts/{delta}", claims=admin).status == 200
    it_editor = claims(IT, "editor", "ivan.editor@example.com")
    cloud.put_upload(data, "delta-again.pdf", {"owner": "ivan.editor@example.com", "team": IT,
                                                "time-zone": "America/New_York"})
    cloud.pump()
    mine = [c for c in call("GET", "/contracts", claims=it_editor, query={"limit": 100}).json()["items"]
            if c["file_name"] == "delta-again.pdf"]
    assert [c["id"] != delta for c in mine] == [True]
    trail = call("GET", f"/contracts/{mine[0]['id']}/audit", claims=it_editor, query={"limit": 100}).json()
    assert "contract.deleted" not in [e["action"] for e in trail["items"]]
    assert "ada.admin@example.com" not in json.dumps(trail)
    assert call("GET", f"/contracts/{delta}/audit", claims=it_editor).status == 404
    theirs = call("GET", f"/contracts/{delta}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]
    assert theirs[-1]["action"] == "contract.deleted"


def test_a_contracts_owner_change_reads_the_obligations_it_hands_on_strongly_consistent(fresh_world, monkeypatch):
    """The obligations an owner change hands on are read from the table strongly consistent: an
    eventually consistent Query could miss one written a moment before (left with the old owner) or
    write back an older copy of it."""
    from clausewatch.store.models import ObligationItem

    delta, reads = fresh_world.ids[DELTA], []
    query = ObligationItem.query

    def spy(*args, **kwargs):
        reads.append((args[0] if args else kwargs.get("hash_key"), kwargs.get("consistent_read")))
        return query(*args, **kwargs)

    monkeypatch.setattr(ObligationItem, "query", spy)
    reply = call("PUT", f"/contracts/{delta}/owner", claims=EDITOR, body={"owner": "kim.nguyen@example.com"})
    assert reply.status == 200, reply.text
    of_contract = [consistent for pk, consistent in reads if pk == schema.contract_pk(delta)]
    assert of_contract and all(of_contract), reads
