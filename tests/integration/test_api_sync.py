"""A sync through the API (API QA 2026-12-06): the contracts changed since a time (GET /contracts
?changed_since, a sort-key range of the index that lists contracts by time of change, no Scan) and
the contracts deleted since a time (GET /deleted-contracts?since, the deletions' own items)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clausewatch import clock
from tests.integration.api_support import (  # noqa: F401
    GENERATED,
    IT,
    NOW,
    PROCUREMENT,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    off_the_document,
    world,
)

BEACON, COBALT, DELTA = (g[0] for g in GENERATED)
VIEWER = claims(PROCUREMENT, "viewer")
EDITOR = claims(PROCUREMENT, "editor", "alex.editor@example.com")
ADMIN = claims(PROCUREMENT, "admin", "ada.admin@example.com")


def changed_since(since: str, **query) -> list[str]:
    reply = call("GET", "/contracts", claims=VIEWER, query={"changed_since": since, "limit": 100, **query})
    assert reply.status == 200, reply.text
    assert off_the_document("GET", "/contracts", reply) is None
    return [c["id"] for c in reply.json()["items"]]


def deleted_since(since: str | None, who=VIEWER) -> list[dict]:
    reply = call("GET", "/deleted-contracts", claims=who, query={"since": since, "limit": 100})
    assert reply.status == 200, reply.text
    assert off_the_document("GET", "/deleted-contracts", reply) is None
    return reply.json()["items"]


def test_a_sync_reads_the_contracts_changed_and_deleted_since_its_last_run(world):
    cobalt, delta = world.ids[COBALT], world.ids[DELTA]
    everything = [c["id"] for c in call("GET", "/contracts", claims=VIEWER, query={"limit": 100}).json()["items"]]
    assert cobalt in everything and delta in everything
    # the world was recorded at NOW: all of it is changed since an hour before, none since after
    assert changed_since((NOW - timedelta(hours=1)).isoformat()) == everything
    last_run = NOW + timedelta(minutes=30)
    assert changed_since(last_run.isoformat()) == []
    clock.set_now(NOW + timedelta(hours=1))
    assert call("PUT", f"/contracts/{cobalt}/owner", claims=EDITOR, body={"owner": "cara.diaz@example.com"}).status == 200
    assert call("DELETE", f"/contracts/{delta}", claims=ADMIN).status == 200
    # the same moment in another offset, or written with Z; a "+" sent unencoded arrives as a space
    for since in (last_run.isoformat(), "2026-11-25T15:30:00+01:00", "2026-11-25T14:30:00Z",
                  "2026-11-25T14:30:00 00:00"):
        assert changed_since(since) == [cobalt], since
    assert changed_since(last_run.isoformat(), status="EXTRACTED") == [cobalt]
    [gone] = deleted_since(last_run.isoformat())
    assert (gone["contract_id"], gone["deleted_by"], gone["deleted_at"]) == \
        (delta, "ada.admin@example.com", "2026-11-25T15:00:00.000+00:00")
    assert deleted_since(None) == [gone] and deleted_since((NOW + timedelta(hours=2)).isoformat()) == []
    assert deleted_since(None, who=claims(IT, "viewer")) == []  # another team's deletions are not listed


def test_a_time_without_its_offset_is_refused(world):
    for since in ("2026-11-25T14:30:00", "2026-11-25", "0", "yesterday"):
        reply = call("GET", "/contracts", claims=VIEWER, query={"changed_since": since})
        assert reply.status == 400, (since, reply.text)
        assert reply.message.startswith("changed_since: Input should be an ISO 8601 time with its offset")
        assert call("GET", "/deleted-contracts", claims=VIEWER, query={"since": since}).status == 400


def test_a_cursor_continues_only_the_changed_since_query_that_made_it(world):
    since = (NOW - timedelta(hours=1)).isoformat()
    first = call("GET", "/contracts", claims=VIEWER, query={"changed_since": since, "limit": 1}).json()
    assert first["next_cursor"]
    other = call("GET", "/contracts", claims=VIEWER, query={"changed_since": NOW.isoformat(), "limit": 1,
                                                             "cursor": first["next_cursor"]})
    assert other.status == 400
    second = call("GET", "/contracts", claims=VIEWER, query={"changed_since": since, "limit": 1,
                                                              "cursor": first["next_cursor"]}).json()
    assert second["items"] and second["items"][0]["id"] != first["items"][0]["id"]


def test_a_contract_uploaded_again_after_its_deletion_is_no_longer_listed_as_deleted(_world, _local_cloud_session):
    """Review rv8 SHOULD-3: the same bytes uploaded again are the same contract id, live again; the
    sync listed it among the deleted too, and a client applying deletions after changes removed the
    live contract from its copy. Now a deletion whose contract is back (the team's) is left out."""
    from clausewatch import config
    from clausewatch.aws.clients import client
    from tests.integration.api_support import restore

    cloud = _local_cloud_session
    restore(cloud, _world)
    try:
        beacon = _world.ids[BEACON]
        data = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=config.original_key(beacon))["Body"].read()
        assert call("DELETE", f"/contracts/{beacon}", claims=ADMIN).status == 200
        assert [d["contract_id"] for d in deleted_since(None)] == [beacon]
        cloud.put_upload(data, "beacon-again.pdf", {"owner": "alex.editor@example.com", "team": PROCUREMENT,
                                                    "time-zone": "America/New_York"})
        cloud.pump()
        assert call("GET", f"/contracts/{beacon}", claims=VIEWER).status == 200
        assert deleted_since(None) == []
    finally:
        clock.set_now(None)


def test_a_deletion_retried_after_a_partial_run_is_listed_and_audited_once(_world, _local_cloud_session,
                                                                           monkeypatch):
    """API QA 2026-12-06: a DELETE that failed after recording the deletion (its items not all
    removed yet) and was sent again recorded it again: the contract was listed twice in
    /deleted-contracts and its trail said "deleted" twice. It is listed once, at the attempt that
    finished it (review rv9 M1: a sync that ran between the attempts, the contract still live then,
    must still learn of it), and its trail says "deleted" once; a deletion of the same bytes
    uploaded again since is a deletion of its own."""
    from clausewatch import config
    from clausewatch.aws.clients import client
    from clausewatch.store import repository
    from tests.integration.api_support import restore

    cloud = _local_cloud_session
    restore(cloud, _world)
    try:
        beacon = _world.ids[BEACON]
        data = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=config.original_key(beacon))["Body"].read()
        real = repository.delete_contract_items

        def broken(contract_id):
            raise RuntimeError("throttled half-way")

        monkeypatch.setattr(repository, "delete_contract_items", broken)
        clock.set_now(NOW)
        with pytest.raises(RuntimeError, match="throttled"):  # the λ fails: API Gateway answers 502
            call("DELETE", f"/contracts/{beacon}", claims=ADMIN)
        monkeypatch.setattr(repository, "delete_contract_items", real)
        assert deleted_since(None) == []  # still live: nothing to delete in a copy
        between = clock.iso(NOW + timedelta(days=1))  # a nightly sync ran then
        clock.set_now(NOW + timedelta(days=3))  # the admin deletes it again, days later
        assert call("DELETE", f"/contracts/{beacon}", claims=ADMIN).status == 200
        [listed] = deleted_since(None)
        assert listed["contract_id"] == beacon
        assert listed["deleted_at"].startswith((NOW + timedelta(days=3)).date().isoformat())
        assert [d["contract_id"] for d in deleted_since(between)] == [beacon]  # the next sync learns of it
        trail = [event.action for event in repository.audit_events(beacon)]
        assert trail.count("contract.deleted") == 1

        # the same bytes uploaded again, then deleted again: a second deletion, listed at its time
        clock.set_now(NOW + timedelta(days=4))
        cloud.put_upload(data, "beacon-again.pdf", {"owner": "alex.editor@example.com", "team": PROCUREMENT,
                                                    "time-zone": "America/New_York"})
        cloud.pump()
        clock.set_now(NOW + timedelta(days=5))
        assert call("DELETE", f"/contracts/{beacon}", claims=ADMIN).status == 200
        [again] = [d["deleted_at"] for d in deleted_since(None) if d["contract_id"] == beacon]
        assert again.startswith((NOW + timedelta(days=5)).date().isoformat())
        assert [e.action for e in repository.audit_events(beacon)].count("contract.deleted") == 2
    finally:
        clock.set_now(None)


def test_two_deletions_at_once_are_one(_world, _local_cloud_session, monkeypatch):
    """Review rv9 S1: two DELETEs at once (a double click, a client's retry after API Gateway's
    timeout while the first still runs) both read no GONE marker and each recorded a deletion. The
    marker's write is conditional on what was read: the second finds the first's and is its retry."""
    from clausewatch.store import repository
    from tests.integration.api_support import restore

    restore(_local_cloud_session, _world)
    try:
        beacon = _world.ids[BEACON]
        clock.set_now(NOW)
        contract = repository.get_contract(beacon)
        repository.record_deletion(beacon, PROCUREMENT, "ada.admin@example.com", {"file_name": "a.pdf"},
                                   received_at=contract.received_at)  # the first, still running
        real, reads = repository._gone, []

        def stale(contract_id):  # the second read the marker before the first wrote it
            reads.append(1)
            return None if len(reads) == 1 else real(contract_id)

        monkeypatch.setattr(repository, "_gone", stale)
        clock.set_now(NOW + timedelta(seconds=2))
        assert call("DELETE", f"/contracts/{beacon}", claims=ADMIN).status == 200
        assert len(reads) >= 2  # refused once, read again
        assert [d["contract_id"] for d in deleted_since(None)] == [beacon]
        assert [e.action for e in repository.audit_events(beacon)].count("contract.deleted") == 1
    finally:
        clock.set_now(None)


def _obligation(contract_id: str, obligation_id: str, action: str) -> str:
    return f"/contracts/{contract_id}/obligations/{obligation_id}/{action}"


def _summaries(since: str) -> dict[str, dict]:
    reply = call("GET", "/contracts", claims=VIEWER, query={"changed_since": since, "limit": 100})
    return {c["id"]: c for c in reply.json()["items"]}


def test_an_obligation_acted_on_since_a_time_lists_its_contract(_world, _local_cloud_session):
    """API QA 2026-12-06: a deadline marked done (or waived, acknowledged, given an owner) changed
    the obligation's item, not the contract's record, so ``changed_since`` did not list its contract
    and a nightly sync kept the deadline open in its copy. Now the action marks the contract changed
    (its ``changed_at`` and the index's sort keys, nothing else): listed since a time before the
    action, not since a time after it, most recently changed first, its record's ``updated_at`` as it was."""
    from tests.integration.api_support import restore

    cloud = _local_cloud_session
    restore(cloud, _world)
    try:
        beacon, cobalt, delta = _world.ids[BEACON], _world.ids[COBALT], _world.ids[DELTA]
        updated = {c: call("GET", f"/contracts/{c}", claims=VIEWER).json()["updated_at"] for c in (beacon, cobalt, delta)}
        last_run = (NOW + timedelta(minutes=30)).isoformat()
        assert changed_since(last_run) == []
        acted = {}
        for minute, (contract, obligation, action, body) in enumerate((
                (cobalt, "expiration", "complete", {"note": "ended as agreed"}),
                (delta, "expiration", "acknowledge", None),
                (beacon, "notice_deadline", "waive", {"reason": "renewing"}))):
            clock.set_now(NOW + timedelta(hours=1, minutes=minute))
            reply = call("POST", _obligation(contract, obligation, action), claims=EDITOR, body=body)
            assert reply.status == 200, reply.text
            acted[contract] = clock.iso()
            cloud.pump()  # the planner re-plans each from its obligation's stream record
        assert changed_since(last_run) == [beacon, delta, cobalt]  # was []: none of their records changed
        assert changed_since(last_run, status="EXTRACTED") == [beacon, delta, cobalt]
        listed = _summaries(last_run)
        assert {c: (s["changed_at"], s["updated_at"]) for c, s in listed.items()} == \
            {c: (acted[c], updated[c]) for c in acted}
        detail = call("GET", f"/contracts/{cobalt}", claims=VIEWER).json()
        assert detail["changed_at"] == acted[cobalt]
        assert next(o for o in detail["obligations"] if o["id"] == "expiration")["status"] == "done"
        after = (NOW + timedelta(hours=1, minutes=3)).isoformat()
        assert changed_since(after) == []

        # an owner given to one obligation, then to the contract (its record changes as before)
        clock.set_now(NOW + timedelta(hours=2))
        assert call("PUT", f"/contracts/{delta}/obligations/expiration/owner", claims=EDITOR,
                    body={"owner": "jo.lin@example.com"}).status == 200
        cloud.pump()
        assert changed_since(after) == [delta]
        assert _summaries(after)[delta]["changed_at"] == clock.iso()
        # the same owner again: nothing written, nothing listed since
        clock.set_now(NOW + timedelta(hours=3))
        assert call("PUT", f"/contracts/{delta}/obligations/expiration/owner", claims=EDITOR,
                    body={"owner": "jo.lin@example.com"}).status == 200
        assert call("POST", _obligation(cobalt, "expiration", "complete"), claims=EDITOR,
                    body={"note": "ended as agreed"}).status == 200
        cloud.pump()
        assert changed_since(clock.iso()) == []
    finally:
        clock.set_now(None)


def _plan_again(contract_id: str) -> None:
    """The planner's pass over one contract, as a change in the stream makes it (its record's key)."""
    from clausewatch import schema
    from clausewatch.local.handlers import invoke

    keys = {schema.PARTITION_KEY: {"S": schema.contract_pk(contract_id)}, schema.SORT_KEY: {"S": schema.CONTRACT_SK}}
    record = {"eventName": "MODIFY", "eventSource": "aws:dynamodb", "dynamodb": {"Keys": keys, "SequenceNumber": "1"}}
    assert invoke("planner", {"Records": [record]}) == {"batchItemFailures": []}


def test_a_term_rolled_by_the_planner_since_a_time_lists_its_contract(_world, _local_cloud_session):
    """API QA 2026-12-06: at a term's end the planner rolls an auto-renewing contract's current term
    forward (its current expiration and notice deadline, derived fields written without a new
    ``updated_at``), and ``changed_since`` did not list it. Now the new dates come with a time of
    change; a planner pass that finds the same dates writes none (not every contract every night)."""
    from datetime import UTC, datetime

    from clausewatch.local.handlers import invoke
    from tests.integration.api_support import restore

    cloud = _local_cloud_session
    restore(cloud, _world)
    try:
        beacon = _world.ids[BEACON]
        before = call("GET", f"/contracts/{beacon}", claims=VIEWER).json()
        # Beacon: effective March 1, 2025, expires January 31, 2027, renews for one year unless notice
        # is given thirty days before the end of the then-current term
        assert (before["expiration"], before["notice_deadline"]) == ("2027-01-31", "2027-01-01")
        # a pass before the term ends (the stream's, for any change): the same dates, nothing listed
        clock.set_now(NOW + timedelta(hours=1))
        _plan_again(beacon)
        cloud.pump()
        assert changed_since((NOW + timedelta(minutes=30)).isoformat()) == []

        # the daily sweep after the term's end (New York) rolls it forward
        last_run = datetime(2027, 2, 1, 6, tzinfo=UTC)
        clock.set_now(datetime(2027, 2, 1, 12, tzinfo=UTC))
        invoke("planner", {"sweep": True})
        cloud.pump()
        rolled = call("GET", f"/contracts/{beacon}", claims=VIEWER).json()
        assert (rolled["expiration"], rolled["notice_deadline"]) == ("2028-01-31", "2028-01-01")
        assert rolled["updated_at"] == before["updated_at"]  # the record itself did not change
        assert beacon in changed_since(last_run.isoformat())  # was not listed
        assert _summaries(last_run.isoformat())[beacon]["changed_at"] >= clock.iso()

        # the planner's passes after it, with nothing new: not listed since
        since = (clock.now() + timedelta(minutes=1)).isoformat()
        clock.set_now(datetime(2027, 2, 2, 12, tzinfo=UTC))
        _plan_again(beacon)
        invoke("planner", {"sweep": True})
        cloud.pump()
        assert changed_since(since) == [], {c: (s["file_name"], s["changed_at"]) for c, s in _summaries(since).items()}
        assert call("GET", f"/contracts/{beacon}", claims=VIEWER).json()["changed_at"] < since
    finally:
        clock.set_now(None)


def test_new_term_dates_never_move_a_later_change_back(_world, _local_cloud_session):
    """Review rv9: new current-term dates were stamped with the writer's clock over the record's
    ``changed_at``, and ``mark_changed`` (an obligation acted on) moves that time without the
    version the dates' write checks: a change recorded by a writer whose clock is ahead, between the
    planner's read and its write, was moved back, and a sync since that later time missed it."""
    from clausewatch.store import repository as repo
    from tests.integration.api_support import restore

    restore(_local_cloud_session, _world)
    try:
        beacon = _world.ids[BEACON]
        clock.set_now(NOW + timedelta(hours=1))
        read = repo.get_contract(beacon)  # the planner reads the record
        ahead = NOW + timedelta(hours=2)  # another invocation, its clock an hour ahead, acts on an obligation
        clock.set_now(ahead)
        assert repo.mark_changed(beacon)
        clock.set_now(NOW + timedelta(hours=1, minutes=1))  # the planner writes the dates it computed
        assert repo.set_current_term_dates(read, notice_deadline="2027-01-04", expiration="2027-02-03")
        stored = repo.get_contract(beacon)
        assert (stored.current_notice_deadline, stored.current_expiration) == ("2027-01-04", "2027-02-03")
        assert stored.changed_at == clock.iso(ahead)  # was NOW + 1 h 1 min: moved back
        assert beacon in changed_since((ahead - timedelta(minutes=1)).isoformat())
    finally:
        clock.set_now(None)


def test_contracts_by_id_lists_the_teams_among_them_and_no_404_for_the_others(world):
    """GET /contracts?ids= (the upload page following a file): the team's contracts among the ids, in
    the order asked; one not there yet, or another team's, is left out (200, not 404)."""
    beacon, cobalt = world.ids[BEACON], world.ids[COBALT]
    others = [c["id"] for c in call("GET", "/contracts", claims=claims(IT, "viewer"), query={"limit": 100}).json()["items"]]
    assert others, "the world holds another team's contracts"
    missing = "0123456789abcdef"
    assert listed_by_id([cobalt, missing, others[0], beacon]) == [cobalt, beacon]
    assert listed_by_id([missing]) == []
    assert listed_by_id([others[0]], who=claims(IT, "viewer")) == [others[0]]
    assert listed_by_id([beacon, cobalt], status="QUARANTINED") == []  # the other filters apply
    reply = call("GET", "/contracts", claims=VIEWER, query={"ids": f"{beacon}, {cobalt}"})
    assert reply.status == 400 and reply.message.startswith("ids:"), reply.text
    assert call("GET", "/contracts", claims=VIEWER, query={"ids": ",".join([beacon] * 11)}).status == 400


def listed_by_id(ids: list[str], who=VIEWER, **query) -> list[str]:
    reply = call("GET", "/contracts", claims=who, query={"ids": ",".join(ids), **query})
    assert reply.status == 200, reply.text
    assert off_the_document("GET", "/contracts", reply) is None
    assert reply.json()["next_cursor"] is None
    return [c["id"] for c in reply.json()["items"]]


def test_contracts_by_id_are_read_in_one_batch_as_the_list_shows_them_and_not_with_a_sync(world):
    """Review of 2026-12-07: ?ids= read each contract whole with a GetItem of its own; one
    BatchGetItem of what a summary shows reads them (a summary as the list's). With a cursor or
    changed_since, which the ids' page does not follow, a 400 says so."""
    from unittest import mock

    from pynamodb.connection.base import Connection

    beacon = world.ids[BEACON]
    # an editor's summaries: what they may do reads the record too (an amendment's, a flagged one's)
    listed = {c["id"]: c for c in call("GET", "/contracts", claims=EDITOR, query={"limit": 100}).json()["items"]}
    asked = sorted(listed)[:10]
    dispatch, operations = Connection.dispatch, []

    def recorded(self, operation_name, operation_kwargs):
        operations.append(operation_name)
        return dispatch(self, operation_name, operation_kwargs)

    with mock.patch.object(Connection, "dispatch", recorded):
        reply = call("GET", "/contracts", claims=EDITOR, query={"ids": ",".join(asked)})
    assert reply.status == 200, reply.text
    assert "GetItem" not in operations and operations.count("BatchGetItem") == 1, operations
    assert len(asked) > 2 and reply.json()["items"] == [listed[i] for i in asked]
    for query in ({"cursor": "x"}, {"changed_since": NOW.isoformat()}):
        refused = call("GET", "/contracts", claims=VIEWER, query={"ids": beacon, **query})
        assert refused.status == 400 and f"ids comes without {next(iter(query))}" in refused.message, refused.text
