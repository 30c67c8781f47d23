"""A term end a person marked done whose day an amendment moves (here one filed late: every amendment
of the contract applied again in the order made) is open again for its new day: written with its own
audit line (``obligation.open``, why, the days, who had marked it done) in one transaction, its
renewal calendar keys moving with it, so it leaves the ended listing in that write. Each test on a
fresh world (``test_api_renewals_ended``'s)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from clausewatch import clock
from clausewatch.pipeline import record
from clausewatch.schema import ObligationStatus
from clausewatch.store import repository as repo
from tests.integration.api_support import GENERATED, IT, PROCUREMENT, SERVICES, _world, call, claims  # noqa: F401
from tests.integration.test_amendment_effective import _upload
from tests.integration.test_api_renewals_ended import fresh_world, renewals_at  # noqa: F401

IT_EDITOR, IT_VIEWER = claims(IT, "editor"), claims(IT)


def _amendment(number: int, made: str, body: str) -> str:
    return (f'AMENDMENT NO. {number} TO PROFESSIONAL SERVICES AGREEMENT\nThis Amendment No. {number} (this '
            f'"Amendment") is entered into as of {made} by and between Larkspur Digital Partners LLC ("Consultant") '
            'and Tidewater Regional Foods, Inc. ("Client").\nRECITALS\nA. Client and Consultant are parties to that '
            'certain Professional Services Agreement dated January 10, 2025 (the "Agreement").\nNOW, THEREFORE, the '
            f'parties agree as follows:\n{body}\nExcept as expressly amended by this Amendment, the Agreement '
            'remains unchanged and in full force and effect.\n')


def _file(cloud, tmp_path, name: str, text: str) -> str:
    return _upload(cloud, tmp_path, name, text,
                   {"team": IT, "owner": "marcus.lee@example.com", "time-zone": "America/Los_Angeles"})


def test_a_done_term_end_an_amendment_applied_again_moves_is_reopened_in_one_transaction(
        fresh_world, _local_cloud_session, tmp_path, monkeypatch):
    """Before: the services agreement's end (2026-12-31; it does not renew), marked done, listed as
    ended; Amendment No. 1 (extending the term by twelve months, made before No. 2, applied already)
    filed late applied every amendment again, and the end, open again for 2027-12-31, was written
    apart from its audit line, `obligation.recorded` (who had marked it done lost). Now its reopen is
    one transaction: the end, its calendar keys (no longer listed as ended) and `obligation.open`
    saying the amendment changed the term end from 2026-12-31 to 2027-12-31, and who marked it done."""
    from pynamodb.connection.base import Connection

    services = fresh_world.ids[SERVICES]
    clock.set_now(datetime(2027, 1, 2, 13, 0, tzinfo=UTC))
    done = call("POST", f"/contracts/{services}/obligations/expiration/complete", claims=IT_EDITOR,
                body={"note": "services stopped"})
    assert done.status == 200, done.text
    at = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    assert [(r["ended_by"], r["marked_done_by"]) for r in renewals_at(at, IT_VIEWER, within=0)] == \
        [("marked done", "editor@it-vendor-management.example.com")]
    clock.set_now(datetime(2027, 1, 5, 13, 0, tzinfo=UTC))
    _file(_local_cloud_session, tmp_path, "amend2.pdf", _amendment(
        2, "December 10, 2026", "1. Payment. Client shall pay each invoice within forty-five (45) days of receipt."))
    assert repo.get_obligation(services, "expiration").status == ObligationStatus.DONE
    trail = len(repo.audit_events(services))
    writes: list[dict] = []
    call_dynamodb = Connection._make_api_call

    def seen(self, operation_name, operation_kwargs):
        if operation_name == "TransactWriteItems":
            writes.append(operation_kwargs)
        return call_dynamodb(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "_make_api_call", seen)
    first = _file(_local_cloud_session, tmp_path, "amend1.pdf", _amendment(
        1, "December 1, 2026", "1. Term. The Term of the Agreement is hereby extended by twelve (12) months."))
    monkeypatch.undo()
    assert repo.get_contract(services).amended_by[0] == first  # applied again, in the order made
    end = repo.get_obligation(services, "expiration")
    assert (end.status, end.due, end.resolved_by) == (ObligationStatus.OPEN, "2027-12-31", None)
    lines = [e for e in repo.audit_events(services)[trail:] if e.detail and e.detail.get("obligation_id") == "expiration"]
    assert [(e.action, e.detail.get("due")) for e in lines] == [("obligation.open", "2027-12-31")]
    [line] = lines
    assert line.detail["from"] == "done" and line.detail["was_due"] == "2026-12-31"
    # named by the replay (refreshed once, after it), not by one of its steps
    assert line.detail["reason"] == (
        "the amendments applied again in the order made (amend1.pdf, amend2.pdf: amend1.pdf was made before "
        "amend2.pdf, applied already: the amendments are applied again in the order they were made) changed the "
        "term end from 2026-12-31 to 2027-12-31")
    assert (line.detail["marked_done"]["resolved_by"], line.detail["marked_done"]["note"]) == \
        ("editor@it-vendor-management.example.com", "services stopped")
    # the end, with its calendar keys, and its line: one TransactWriteItems
    [reopen] = [w for w in writes if '"obligation.open"' in json.dumps(w)]
    assert len(reopen["TransactItems"]) == 2 and \
        {"S": "OBL#expiration"} in [i["Put"]["Item"].get("sk") for i in reopen["TransactItems"]]
    # no longer listed as ended: its end is the next one, a date to come
    assert renewals_at(at, IT_VIEWER, within=0) == []
    [listed] = [r for r in renewals_at(at, IT_VIEWER, within=400) if r["contract_id"] == services]
    assert (listed["expiration"], listed["term_ended"], listed["marked_done_by"]) == ("2027-12-31", False, None)
    report = call("GET", "/reports/portfolio", claims=IT_VIEWER, query={"format": "json"}).json()
    assert report["ended"] == []


PAYMENT_45 = "1. Payment. Client shall pay each invoice within forty-five (45) days of receipt."
PAYMENT_60 = "1. Payment. Client shall pay each invoice within sixty (60) days of receipt."
EXTENDED = "1. Term. The Term of the Agreement is hereby extended by twelve (12) months."


def _end_lines(contract_id: str, since: int) -> list:
    return [e for e in repo.audit_events(contract_id)[since:]
            if e.detail and e.detail.get("obligation_id") == "expiration"]


def _marked_done_on_the_extended_end(services: str) -> None:
    clock.set_now(datetime(2027, 1, 6, 17, 0, tzinfo=UTC))
    done = call("POST", f"/contracts/{services}/obligations/expiration/complete", claims=IT_EDITOR, body={})
    assert done.status == 200, done.text
    end = repo.get_obligation(services, "expiration")
    assert (end.status, end.due) == (ObligationStatus.DONE, "2027-12-31")


def test_a_done_term_end_the_replay_leaves_where_it_was_stays_done(fresh_world, _local_cloud_session, tmp_path):
    """The reviewer's story: the services agreement (ends 2026-12-31, does not renew) extended by
    twelve months by amendment X (made December 10), its end 2027-12-31 marked done; amendment Y,
    made December 1 (payment terms only), filed late: the amendments are applied again, Y then X.
    Before: each step refreshed the deadlines, so Y's step moved the end back to 2026-12-31 (reopened,
    `obligation.open` blaming Y) and X's forward again (`obligation.recorded`): open, the done lost.
    Now the deadlines are refreshed once, after the replay: the end did not move, the done stays."""
    services = fresh_world.ids[SERVICES]
    clock.set_now(datetime(2027, 1, 5, 13, 0, tzinfo=UTC))
    _file(_local_cloud_session, tmp_path, "amendX.pdf", _amendment(2, "December 10, 2026", EXTENDED))
    _marked_done_on_the_extended_end(services)
    trail = len(repo.audit_events(services))
    clock.set_now(datetime(2027, 1, 7, 17, 0, tzinfo=UTC))
    late = _file(_local_cloud_session, tmp_path, "amendY.pdf", _amendment(1, "December 1, 2026", PAYMENT_45))
    assert repo.get_contract(services).amended_by[0] == late  # applied again, in the order made
    end = repo.get_obligation(services, "expiration")
    assert (end.status, end.due, end.resolved_by) == \
        (ObligationStatus.DONE, "2027-12-31", "editor@it-vendor-management.example.com")
    assert _end_lines(services, trail) == []


def test_an_amendment_removed_reopens_a_done_term_end_only_when_the_end_moves_naming_the_removal(
        fresh_world, _local_cloud_session, tmp_path):
    """Amendments Y (payment), X (the extension) and Z (payment again), the extended end marked done.
    Z deleted: Y and X applied again, the end where it was: still done, no line (before: Y's step
    reopened it). X deleted: the end moves back to 2026-12-31, reopened once, the line naming X's
    removal and the amendment left applied again, not Y's step alone."""
    services = fresh_world.ids[SERVICES]
    clock.set_now(datetime(2027, 1, 5, 13, 0, tzinfo=UTC))
    _file(_local_cloud_session, tmp_path, "amendY.pdf", _amendment(1, "December 1, 2026", PAYMENT_45))
    extension = _file(_local_cloud_session, tmp_path, "amendX.pdf", _amendment(2, "December 10, 2026", EXTENDED))
    third = _file(_local_cloud_session, tmp_path, "amendZ.pdf", _amendment(3, "December 15, 2026", PAYMENT_60))
    _marked_done_on_the_extended_end(services)
    admin = claims(IT, "admin")
    trail = len(repo.audit_events(services))
    clock.set_now(datetime(2027, 1, 7, 17, 0, tzinfo=UTC))
    assert call("DELETE", f"/contracts/{third}", claims=admin).status == 200
    end = repo.get_obligation(services, "expiration")
    assert (end.status, end.due, end.resolved_by) == \
        (ObligationStatus.DONE, "2027-12-31", "editor@it-vendor-management.example.com")
    assert _end_lines(services, trail) == []
    assert call("DELETE", f"/contracts/{extension}", claims=admin).status == 200
    end = repo.get_obligation(services, "expiration")
    assert (end.status, end.due, end.resolved_by) == (ObligationStatus.OPEN, "2026-12-31", None)
    [line] = _end_lines(services, trail)
    assert (line.action, line.detail["was_due"], line.detail["due"]) == ("obligation.open", "2027-12-31", "2026-12-31")
    assert line.detail["reason"].startswith(f"amendment {extension} no longer on file (")
    assert line.detail["reason"].endswith(
        "; the amendments left applied again in the order made: amendY.pdf) changed the term end "
        "from 2027-12-31 to 2026-12-31")


def test_a_done_term_end_rolled_over_to_the_next_terms_end_says_the_term_renewed(fresh_world):
    """Beacon renews yearly; its end 2027-01-31 marked done; the planner's refresh the day after rolls
    it over to the next term's end, 2028-01-31, open. Before: its line said "the term end moved from
    2027-01-31 to 2028-01-31" (as if its end had changed); now it says the term renewed, and who had
    marked the end that came done."""
    beacon = fresh_world.ids[GENERATED[0][0]]
    editor = claims(PROCUREMENT, "editor", "erin@example.com")
    clock.set_now(datetime(2027, 2, 1, 17, 0, tzinfo=UTC))
    done = call("POST", f"/contracts/{beacon}/obligations/expiration/complete", claims=editor, body={})
    assert done.status == 200, done.text
    trail = len(repo.audit_events(beacon))
    clock.set_now(datetime(2027, 2, 2, 17, 0, tzinfo=UTC))
    contract, stale = repo.get_contract(beacon), repo.get_obligation(beacon, "expiration")
    record.refresh_deadlines(contract, today=record.local_today(contract), actor="planner")
    end = repo.get_obligation(beacon, "expiration")
    # another refresh that read it done before this one wrote: refused by its version, it finds the
    # same written, and writes no second line
    same = repo.ObligationRecord(**{name: getattr(end, name) for name in repo.ObligationRecord.__dataclass_fields__})
    assert repo.upsert_obligation(beacon, same, team=PROCUREMENT, actor="planner", current=stale, renewed=True) \
        is False
    assert (end.status, end.due) == (ObligationStatus.OPEN, "2028-01-31")
    [line] = _end_lines(beacon, trail)
    assert (line.action, line.detail["renewed"]) == ("obligation.open", True)
    assert line.detail["reason"] == \
        "the term renewed: next term's end 2028-01-31; 2027-01-31 was marked done by erin@example.com"
