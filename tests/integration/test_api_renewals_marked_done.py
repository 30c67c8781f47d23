"""GET /renewals and the portfolio report on a passed term end a person marked done (not a renewal
decision): listed as ended, "marked done" by them on the day, in the same write as the done (one
transaction with its audit line); one whose renewal is not known stays listed as unknown, saying it
was marked done, until a person's entry of the renewal says what happened; undoing the done (a
waive) takes the listing away. Each test on a fresh world (``test_api_renewals_ended``'s)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from clausewatch import clock
from clausewatch.config import Settings
from clausewatch.pipeline import reminders
from clausewatch.schema import ObligationStatus
from clausewatch.store import repository as repo
from tests.integration.api_support import (  # noqa: F401
    IT,
    PROCUREMENT,
    SERVICES,
    _world,
    call,
    claims,
    off_the_document,
)
from tests.integration.test_api_renewals_ended import COBALT, VIEWER, fresh_world, renewals_at  # noqa: F401

IT_EDITOR, IT_VIEWER = claims(IT, "editor"), claims(IT)
EDITOR = claims(PROCUREMENT, "editor")
COMPLETE = "/contracts/{contract_id}/obligations/{obligation_id}/complete"


def _done_lines(contract_id: str) -> list:
    return [e for e in repo.audit_events(contract_id)
            if e.action == "obligation.done" and e.detail.get("obligation_id") == "expiration"]


def _report(who: dict, fmt: str):
    reply = call("GET", "/reports/portfolio", claims=who, query={"format": fmt})
    assert reply.status == 200, reply.text
    return reply.json() if fmt == "json" else list(csv.DictReader(io.StringIO(reply.text)))


def test_a_term_end_a_person_marks_done_is_listed_as_ended_marked_done_by_them(fresh_world):
    """Before: the services agreement (renews: no) ended on 2026-12-31 and was listed as ended ("no
    renewal") until its owner marked the end done: then it left GET /renewals and the report. Now it
    stays, ended_by "marked done", by whom and on which day; a retried done writes one line and one
    listing; the done waived (undone), the listing goes."""
    services = fresh_world.ids[SERVICES]
    at = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    [open_end] = renewals_at(at, IT_VIEWER, within=0)
    assert (open_end["contract_id"], open_end["ended_by"], open_end["marked_done_by"]) == \
        (services, "no renewal", None)
    clock.set_now(datetime(2027, 1, 2, 13, 0, tzinfo=UTC))
    path = f"/contracts/{services}/obligations/expiration/complete"
    for _ in range(2):  # the same request again (its answer lost): one line, one listing
        done = call("POST", path, claims=IT_EDITOR, body={"note": "services stopped"})
        assert done.status == 200, done.text
    assert len(_done_lines(services)) == 1
    [listed] = renewals_at(at, IT_VIEWER, within=0)
    assert (listed["contract_id"], listed["term_ended"], listed["days_since_end"], listed["ended_by"],
            listed["marked_done_by"], listed["marked_done_on"], listed["renewal"]) == \
        (services, True, 5, "marked done", "editor@it-vendor-management.example.com", "2027-01-02", None)
    report = _report(IT_VIEWER, "json")
    assert [(r["contract_id"], r["days_left"], r["ended_by"], r["marked_done_by"], r["marked_done_on"])
            for r in report["ended"]] == \
        [(services, -5, "marked done", "editor@it-vendor-management.example.com", "2027-01-02")]
    assert report["totals"]["terms_ended_within_30_days"] == 1 and report["renewal_unknown"] == []
    [row] = [r for r in _report(IT_VIEWER, "csv") if r["section"] == "ended"]
    assert (row["contract_id"], row["ended_by"], row["status"], row["marked_done_by"], row["marked_done_on"]) == \
        (services, "marked done", "ended 5 day(s) ago; marked done by editor@it-vendor-management.example.com "
                                  "on 2027-01-02", "editor@it-vendor-management.example.com", "2027-01-02")
    # the done undone (waived instead, saying it overturns it): no longer marked done; the contract
    # does not renew and its end passed, so it is listed ended as an open one is ("no renewal")
    clock.set_now(datetime(2027, 1, 4, 13, 0, tzinfo=UTC))
    waived = call("POST", f"/contracts/{services}/obligations/expiration/waive", claims=IT_EDITOR,
                  body={"reason": "marked done by mistake", "expected_status": "done"})
    assert waived.status == 200, waived.text
    [still] = renewals_at(at, IT_VIEWER, within=0)
    assert (still["contract_id"], still["term_ended"], still["ended_by"], still["marked_done_by"]) == \
        (services, True, "no renewal", None)
    assert [(r["contract_id"], r["ended_by"], r["marked_done_by"]) for r in _report(IT_VIEWER, "json")["ended"]] \
        == [(services, "no renewal", None)]


def test_a_done_whose_write_is_throttled_writes_neither_the_listing_nor_its_line(fresh_world, monkeypatch):
    """The done of a term end, its renewal calendar keys (what lists it) and its audit line are one
    transaction: throttled, none is written (the end stays open, listed as before); sent again, it
    is done and listed."""
    from pynamodb.connection.base import Connection
    from pynamodb.exceptions import TransactWriteError, VerboseClientError

    services = fresh_world.ids[SERVICES]
    clock.set_now(datetime(2027, 1, 2, 13, 0, tzinfo=UTC))
    call_dynamodb = Connection._make_api_call

    def throttled(self, operation_name, operation_kwargs):
        if operation_name == "TransactWriteItems":
            raise VerboseClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}},
                                     operation_name, {})
        return call_dynamodb(self, operation_name, operation_kwargs)

    path = f"/contracts/{services}/obligations/expiration/complete"
    with monkeypatch.context() as patch:
        patch.setattr(Connection, "_make_api_call", throttled)
        with pytest.raises(TransactWriteError):  # out of the handler: API Gateway's 500
            call("POST", path, claims=IT_EDITOR, body={})
    end = repo.get_obligation(services, "expiration")
    assert (end.status, end.resolved_by) == (ObligationStatus.OPEN, None) and _done_lines(services) == []
    at = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    assert [(r["ended_by"], r["marked_done_by"]) for r in renewals_at(at, IT_VIEWER, within=0)] == \
        [("no renewal", None)]
    clock.set_now(datetime(2027, 1, 2, 14, 0, tzinfo=UTC))
    assert call("POST", path, claims=IT_EDITOR, body={}).status == 200
    assert len(_done_lines(services)) == 1
    assert [(r["ended_by"], r["marked_done_by"]) for r in renewals_at(at, IT_VIEWER, within=0)] == \
        [("marked done", "editor@it-vendor-management.example.com")]


def test_a_term_end_marked_done_whose_renewal_is_unknown_stays_listed_as_unknown_saying_so(fresh_world):
    """Before: Cobalt's renewal is unknown (no renewal clause found); once its end (2026-12-15) was
    marked done it left the `renewal_unknown` list, though done says the end came, not whether it
    renewed. Now it stays there, saying who marked it done and when, never as ended; once a person
    enters the renewal (auto_renewal: no) it is listed as ended, marked done."""
    cobalt = fresh_world.ids[COBALT]
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 17, 12, 0, tzinfo=UTC))  # the sweep
    clock.set_now(datetime(2026, 12, 17, 13, 0, tzinfo=UTC))
    done = call("POST", f"/contracts/{cobalt}/obligations/expiration/complete", claims=EDITOR,
                body={"note": "renewed by email"})
    assert done.status == 200, done.text
    at = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
    [listed] = renewals_at(at, within=0)
    words = "marked done by editor@procurement.example.com on 2026-12-17"
    assert (listed["contract_id"], listed["term_ended"], listed["ended_by"], listed["renewal"],
            listed["days_since_end"], listed["marked_done_by"], listed["marked_done_on"]) == \
        (cobalt, False, None, "unknown", 5, "editor@procurement.example.com", "2026-12-17")
    assert listed["renewal_reason"].startswith("no renewal clause was found: check whether it renewed") \
        and words in listed["renewal_reason"]
    report = _report(VIEWER, "json")
    assert report["ended"] == []
    assert [(r["contract_id"], r["days_left"], r["renewal"], r["marked_done_by"]) for r in
            report["renewal_unknown"]] == [(cobalt, -5, "unknown", "editor@procurement.example.com")]
    assert report["totals"]["renewal_unknown_within_30_days"] == 1
    [row] = [r for r in _report(VIEWER, "csv") if r["section"] == "renewal_unknown"]
    assert row["contract_id"] == cobalt and row["renewal"] == "unknown" and words in row["status"]
    assert (row["marked_done_by"], row["marked_done_on"]) == ("editor@procurement.example.com", "2026-12-17")
    # a person enters the renewal: the contract does not renew by itself, so the term ended, marked done
    clock.set_now(datetime(2026, 12, 19, 9, 0, tzinfo=UTC))
    entered = call("PUT", f"/contracts/{cobalt}/terms/auto_renewal", claims=EDITOR, body={"value": "no"})
    assert entered.status == 200, entered.text
    [ended] = renewals_at(at, within=0)
    assert (ended["contract_id"], ended["term_ended"], ended["ended_by"], ended["renewal"],
            ended["marked_done_by"]) == (cobalt, True, "marked done", None, "editor@procurement.example.com")
    assert [(r["contract_id"], r["ended_by"]) for r in _report(VIEWER, "json")["ended"]] == \
        [(cobalt, "marked done")]


def test_a_waived_term_end_whose_renewal_is_unknown_stays_listed_as_unknown_saying_who_waived_it(fresh_world):
    """Before: Cobalt's end (renewal unknown) marked done, then waived instead, left GET /renewals
    and the report's `renewal_unknown` (a waived term end was not on the renewal calendar), though a
    waive says no more than a done whether it renewed. Now it stays listed as unknown, "waived by"
    whom on which day, never as ended nor as marked done."""
    cobalt = fresh_world.ids[COBALT]
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 17, 12, 0, tzinfo=UTC))  # the sweep
    clock.set_now(datetime(2026, 12, 17, 13, 0, tzinfo=UTC))
    done = call("POST", f"/contracts/{cobalt}/obligations/expiration/complete", claims=EDITOR, body={})
    assert done.status == 200, done.text
    clock.set_now(datetime(2026, 12, 18, 13, 0, tzinfo=UTC))
    waived = call("POST", f"/contracts/{cobalt}/obligations/expiration/waive", claims=EDITOR,
                  body={"reason": "not ours to track", "expected_status": "done"})
    assert waived.status == 200, waived.text
    words = "waived by editor@procurement.example.com on 2026-12-18"
    [listed] = renewals_at(datetime(2026, 12, 20, 12, 0, tzinfo=UTC), within=0)
    assert (listed["contract_id"], listed["term_ended"], listed["ended_by"], listed["renewal"],
            listed["days_since_end"], listed["marked_done_by"]) == (cobalt, False, None, "unknown", 5, None)
    assert words in listed["renewal_reason"]
    report = _report(VIEWER, "json")
    assert report["ended"] == [] and report["totals"]["renewal_unknown_within_30_days"] == 1
    assert [(r["contract_id"], r["marked_done_by"], words in r["renewal_reason"])
            for r in report["renewal_unknown"]] == [(cobalt, None, True)]


def test_a_term_end_is_not_done_before_its_last_day_and_its_day_may_be_corrected_later(fresh_world):
    """Before: the services agreement's end (2026-12-31) was accepted done on 2026-12-20, listed
    "ended; marked done on 2026-12-20", a term ended before its last day. Now a done_on before the
    term's last day is refused (400, saying the last day), nothing written; on or after it, accepted;
    a day given afterwards (the done again with its day) is listed and audited."""
    services = fresh_world.ids[SERVICES]
    at = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    path = f"/contracts/{services}/obligations/expiration/complete"
    clock.set_now(datetime(2027, 1, 2, 13, 0, tzinfo=UTC))
    early = call("POST", path, claims=IT_EDITOR, body={"done_on": "2026-12-20"})
    assert early.status == 400 and "before the term's last day (2026-12-31)" in early.text, early.text
    assert off_the_document("POST", COMPLETE, early) is None
    assert repo.get_obligation(services, "expiration").status == ObligationStatus.OPEN and not _done_lines(services)
    done = call("POST", path, claims=IT_EDITOR, body={})
    assert done.status == 200, done.text
    corrected = call("POST", path, claims=IT_EDITOR, body={"done_on": "2026-12-31", "expected_status": "done"})
    assert corrected.status == 200, corrected.text
    assert repo.get_obligation(services, "expiration").done_on == "2026-12-31"
    assert [(e.detail["from"], e.detail["to"]) for e in repo.audit_events(services)
            if e.action == "obligation.done_on"] == [(None, "2026-12-31")]
    [listed] = renewals_at(at, IT_VIEWER, within=0)
    assert (listed["ended_by"], listed["marked_done_on"]) == ("marked done", "2026-12-31")


def test_a_passed_term_end_of_a_contract_entered_as_renewing_with_no_renewal_term_is_listed_so(fresh_world):
    """Before: entering `auto_renewal: yes` on the services agreement (its end, 2026-12-31, passed;
    no renewal term found) took it off GET /renewals and the report altogether: a renewing passed
    end is not listed as ended, and with no renewal term the planner counts no next term to list.
    Now it is listed with its end passed, `renewal: "renewal term unknown"`, saying why, never as
    ended; once its renewal term is entered, its next term's end is listed instead."""
    services = fresh_world.ids[SERVICES]
    at = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    clock.set_now(datetime(2027, 1, 3, 13, 0, tzinfo=UTC))
    path = f"/contracts/{services}/terms"
    assert call("PUT", f"{path}/auto_renewal", claims=IT_EDITOR, body={"value": "yes"}).status == 200
    [listed] = renewals_at(at, IT_VIEWER, within=400)
    assert (listed["contract_id"], listed["expiration"], listed["auto_renew"], listed["term_ended"],
            listed["ended_by"], listed["days_since_end"], listed["renewal"]) == \
        (services, "2026-12-31", True, False, None, 5, "renewal term unknown")
    assert "no renewal term was found" in listed["renewal_reason"]
    report = _report(IT_VIEWER, "json")
    assert report["ended"] == [] and [(r["contract_id"], r["renewal"]) for r in report["renewal_unknown"]] == \
        [(services, "renewal term unknown")]
    [row] = [r for r in _report(IT_VIEWER, "csv") if r["section"] == "renewal_unknown"]
    assert "renews; renewal term not known" in row["status"]
    assert call("PUT", f"{path}/renewal_term", claims=IT_EDITOR, body={"value": "P1Y"}).status == 200
    [rolled] = renewals_at(at, IT_VIEWER, within=400)
    assert (rolled["expiration"], rolled["renewal"], rolled["term_ended"]) == ("2027-12-31", None, False)


def test_a_done_in_conflict_with_another_write_of_its_term_end_is_a_409_not_a_500(fresh_world, monkeypatch):
    """A person's done of a term end cancelled because another write of that item was in flight
    (the planner saving it: DynamoDB's TransactionConflict) was written meanwhile: the API answers
    409 (read it again and retry), as for a version refused, not a 500; nothing is written."""
    from pynamodb.connection.base import Connection
    from pynamodb.exceptions import CancellationReason, VerboseClientError

    services = fresh_world.ids[SERVICES]
    clock.set_now(datetime(2027, 1, 2, 13, 0, tzinfo=UTC))
    call_dynamodb = Connection._make_api_call

    def in_conflict(self, operation_name, operation_kwargs):
        if operation_name == "TransactWriteItems":
            raise VerboseClientError(
                {"Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"}},
                operation_name, {}, cancellation_reasons=[CancellationReason(code="TransactionConflict"), None])
        return call_dynamodb(self, operation_name, operation_kwargs)

    path = f"/contracts/{services}/obligations/expiration/complete"
    with monkeypatch.context() as patch:
        patch.setattr(Connection, "_make_api_call", in_conflict)
        answer = call("POST", path, claims=IT_EDITOR, body={})
    assert answer.status == 409 and off_the_document("POST", COMPLETE, answer) is None
    end = repo.get_obligation(services, "expiration")
    assert (end.status, end.resolved_by) == (ObligationStatus.OPEN, None) and _done_lines(services) == []
    assert call("POST", path, claims=IT_EDITOR, body={}).status == 200  # sent again: done


def test_a_term_end_s_status_refused_by_its_condition_keeps_the_transaction_s_reasons(fresh_world):
    """A term end's status write refused by its condition (a status written meanwhile) is the
    PutError a plain save raises, as before, and now keeps the transaction's cancellation reasons
    (which item refused, and why) instead of a made-up error with none; nothing is written."""
    from pynamodb.exceptions import PutError

    services = fresh_world.ids[SERVICES]
    clock.set_now(datetime(2027, 1, 2, 13, 0, tzinfo=UTC))
    with pytest.raises(PutError) as refused:
        repo.set_obligation_status(services, "expiration", ObligationStatus.DONE, team=IT, actor="someone",
                                   expected=ObligationStatus.WAIVED)  # it is open
    assert refused.value.cause_response_code == "ConditionalCheckFailedException"
    assert [r.code if r else None for r in refused.value.cause.cancellation_reasons] == ["ConditionalCheckFailed", None]
    assert repo.get_obligation(services, "expiration").status == ObligationStatus.OPEN and not _done_lines(services)


def test_a_term_end_a_decision_ended_and_a_person_marked_done_is_listed_once_as_ended_by_the_decision(fresh_world):
    """Cobalt's term ending 2026-12-15 lapsed (a renewal decision ended the contract there); a
    person then marks its end done before the sweep closes it: GET /renewals and the report list it
    once, ended by the decision (not "marked done": the decision ended it), and still once after the
    sweep's run."""
    from clausewatch.renewal import store as renewals
    from clausewatch.schema import RenewalState

    cobalt = fresh_world.ids[COBALT]
    record = renewals.ensure(cobalt, "2026-12-15", execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 10, 12, 0, tzinfo=UTC))
    clock.set_now(datetime(2026, 12, 16, 13, 0, tzinfo=UTC))
    done = call("POST", f"/contracts/{cobalt}/obligations/expiration/complete", claims=EDITOR, body={})
    assert done.status == 200, done.text
    at = datetime(2026, 12, 18, 12, 0, tzinfo=UTC)
    for sweep in (False, True):
        if sweep:
            reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 17, 12, 0, tzinfo=UTC))
        listed = renewals_at(at, within=0)
        assert [(r["contract_id"], r["term_ended"], r["ended_by"], r["marked_done_by"], r["renewal"])
                for r in listed] == [(cobalt, True, "decision", None, None)]
        report = _report(VIEWER, "json")
        assert [(r["contract_id"], r["ended_by"], r["marked_done_by"]) for r in report["ended"]] == \
            [(cobalt, "decision", None)] and report["renewal_unknown"] == []


def test_a_term_end_marked_done_before_its_last_day_ended_on_its_last_day_and_says_both_days(fresh_world):
    """Before: the services agreement's end (2026-12-31) marked done on 2026-12-20 with no day said
    was listed "ended 5 day(s) ago; marked done by … on 2026-12-20", read as a term that ended the
    day it was marked. A term ends on its last day whatever day it was marked: it is not listed as
    ended before that day has passed, then listed by it (days counted from it), and the words say
    the day it was marked was before the term's last day (`marked_done_on` stays the marking day)."""
    services = fresh_world.ids[SERVICES]
    clock.set_now(datetime(2026, 12, 20, 13, 0, tzinfo=UTC))
    done = call("POST", f"/contracts/{services}/obligations/expiration/complete", claims=IT_EDITOR, body={})
    assert done.status == 200, done.text
    editor = "editor@it-vendor-management.example.com"
    # its last day not passed yet: not among the ended terms, in the list nor the report
    assert [r for r in renewals_at(datetime(2026, 12, 31, 20, 0, tzinfo=UTC), IT_VIEWER, within=90)
            if r["term_ended"] or r["days_since_end"] is not None] == []
    report = _report(IT_VIEWER, "json")
    assert report["ended"] == [] and report["totals"]["terms_ended_within_30_days"] == 0
    [listed] = renewals_at(datetime(2027, 1, 5, 12, 0, tzinfo=UTC), IT_VIEWER, within=0)
    assert (listed["term_ended"], listed["next_date"], listed["expiration"], listed["days_since_end"],
            listed["marked_done_on"]) == (True, "2026-12-31", "2026-12-31", 5, "2026-12-20")
    words = f"marked done by {editor} on 2026-12-20, before the term's last day (2026-12-31)"
    [row] = [r for r in _report(IT_VIEWER, "csv") if r["section"] == "ended"]
    assert (row["date"], row["status"], row["marked_done_on"]) == \
        ("2026-12-31", f"ended 5 day(s) ago; {words}", "2026-12-20")
    page = call("GET", "/reports/portfolio", claims=IT_VIEWER, query={"format": "html"}).text
    assert f"<td>{words.replace(chr(39), '&#x27;')}</td>" in page


def test_a_term_end_whose_renewal_is_unknown_marked_done_before_its_last_day_says_so(fresh_world):
    """Cobalt's end (2026-12-15; its renewal not known) marked done on 2026-12-10: not listed as
    passed before its last day; then listed with its renewal unknown, the reason saying it was
    marked done on 2026-12-10, before the term's last day (2026-12-15)."""
    cobalt = fresh_world.ids[COBALT]
    clock.set_now(datetime(2026, 12, 10, 15, 0, tzinfo=UTC))
    done = call("POST", f"/contracts/{cobalt}/obligations/expiration/complete", claims=EDITOR, body={})
    assert done.status == 200, done.text
    assert [r for r in renewals_at(datetime(2026, 12, 14, 12, 0, tzinfo=UTC), within=0) if r["contract_id"] == cobalt] \
        == []
    [listed] = renewals_at(datetime(2026, 12, 20, 12, 0, tzinfo=UTC), within=0)
    assert (listed["contract_id"], listed["renewal"], listed["days_since_end"], listed["marked_done_on"]) == \
        (cobalt, "unknown", 5, "2026-12-10")
    words = "its end was marked done by editor@procurement.example.com on 2026-12-10, before the term's last day " \
            "(2026-12-15)"
    assert words in listed["renewal_reason"]
    [row] = _report(VIEWER, "json")["renewal_unknown"]
    assert words in row["renewal_reason"]
