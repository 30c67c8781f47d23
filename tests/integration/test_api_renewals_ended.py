"""GET /renewals and the portfolio report on a term whose end passed, once a renewal decision was
made for it (review of the ended terms): a term decided "renew" did not end; a term a decision ended
(a lapse of a contract whose renewal is unknown) is listed as ended by the decision, for the whole
window (also once the sweep closed its end), its auto_renew as read. Each test on a fresh world."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clausewatch import clock, schema
from clausewatch.config import Settings
from clausewatch.pipeline import reminders
from clausewatch.renewal import reindex
from clausewatch.renewal import store as renewals
from clausewatch.schema import ObligationStatus, RenewalState
from clausewatch.store import repository as repo
from tests.integration.api_support import (  # noqa: F401
    GENERATED,
    IT,
    PROCUREMENT,
    SERVICES,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    off_the_document,
    restore,
)

BEACON, COBALT, DELTA = (g[0] for g in GENERATED)
VIEWER = claims(PROCUREMENT)


@pytest.fixture
def fresh_world(_local_cloud_session, _world):
    restore(_local_cloud_session, _world)
    yield _world
    clock.set_now(None)


def renewals_at(at: datetime, who: dict = VIEWER, **query) -> list[dict]:
    """Every item of GET /renewals at ``at``, a page of one item at a time (following the cursor)."""
    clock.set_now(at)
    items, cursor = [], None
    while True:
        reply = call("GET", "/renewals", claims=who, query={**query, "limit": 1, "cursor": cursor})
        assert reply.status == 200, reply.text
        assert off_the_document("GET", "/renewals", reply) is None  # as a client generated from it reads it
        items += reply.json()["items"]
        cursor = reply.json()["next_cursor"]
        if cursor is None:
            return items


def report_ended(who: dict) -> list[tuple]:
    report = call("GET", "/reports/portfolio", claims=who, query={"format": "json"}).json()
    return [(r["contract_id"], r["days_left"], r["auto_renew"], r["ended_by"]) for r in report["ended"]]


def test_a_term_decided_renew_is_not_listed_as_ended(fresh_world):
    """Review MUST 1: the services agreement (renews: no) decided "renew" for its term ending
    2026-12-31 (its renewal being signed) was listed as ended 5 days after, and in the report."""
    services, it_viewer = fresh_world.ids[SERVICES], claims(IT)
    record = renewals.ensure(services, "2026-12-31", execution_arn=None)
    renewals.update(record, actor="renewal", action="decided", state=RenewalState.RENEWED.value,
                    decision={"decision": "renew", "by": "marcus@example.com"})
    at = datetime(2027, 1, 5, 14, 0, tzinfo=UTC)
    assert renewals_at(at, it_viewer, within=20) == []
    assert report_ended(it_viewer) == []
    # before the decision the same term was listed as ended (the rule is the term's, not the contract's)
    renewals.update(record, actor="renewal", action="superseded", state=RenewalState.SUPERSEDED.value)
    assert [(r["contract_id"], r["days_since_end"], r["ended_by"]) for r in renewals_at(at, it_viewer, within=20)] \
        == [(services, 5, "no renewal")]
    assert report_ended(it_viewer) == [(services, -5, False, "no renewal")]


def test_a_term_a_lapse_ended_is_listed_as_ended_by_the_decision_for_the_whole_window(fresh_world):
    """Review MUST 2 and SHOULD 1: Cobalt's renewal is unknown; its term ending 2026-12-15 lapsed
    (``lapsed: expired``: the contract ends). It was listed with auto_renew false from its end until
    the sweep closed its end the day after, then gone. Now: listed as ended by the decision, its
    auto_renew unknown, for the whole window, in GET /renewals and the report."""
    cobalt = fresh_world.ids[COBALT]
    record = renewals.ensure(cobalt, "2026-12-15", execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 10, 12, 0, tzinfo=UTC))
    assert repo.get_contract(cobalt).ended["last_day"] == "2026-12-15"
    [ended] = [r for r in renewals_at(datetime(2026, 12, 16, 12, 0, tzinfo=UTC), within=0)]
    assert (ended["contract_id"], ended["term_ended"], ended["days_since_end"], ended["ended_by"],
            ended["auto_renew"], ended["ended"]) == (cobalt, True, 1, "decision", None, "2026-12-15")
    assert report_ended(VIEWER) == [(cobalt, -1, None, "decision")]
    # the sweep closes the end of a contract a decision ended the day after it
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 17, 12, 0, tzinfo=UTC))
    assert repo.get_obligation(cobalt, "expiration").status == ObligationStatus.DONE
    later = renewals_at(datetime(2027, 1, 14, 12, 0, tzinfo=UTC), within=0)
    assert [(r["contract_id"], r["days_since_end"], r["ended_by"], r["auto_renew"]) for r in later] == \
        [(cobalt, 30, "decision", None)]
    assert report_ended(VIEWER) == [(cobalt, -30, None, "decision")]
    assert renewals_at(datetime(2027, 1, 15, 12, 0, tzinfo=UTC), within=0) == []  # 31 days
    assert report_ended(VIEWER) == []


def test_a_page_boundary_between_an_ended_term_and_the_dates_to_come(fresh_world):
    """Pages of one item (limit=1 and the cursor) list what one page lists: the ended term first."""
    cobalt = fresh_world.ids[COBALT]
    at = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
    record = renewals.ensure(cobalt, "2026-12-15", execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 17, 12, 0, tzinfo=UTC))
    paged = renewals_at(at, within=90)
    whole = call("GET", "/renewals", claims=VIEWER, query={"within": 90}).json()
    assert paged == whole["items"] and whole["next_cursor"] is None
    assert len(paged) > 1 and (paged[0]["contract_id"], paged[0]["term_ended"], paged[0]["days_since_end"]) == \
        (cobalt, True, 5)
    assert not any(r["term_ended"] for r in paged[1:]) and cobalt not in [r["contract_id"] for r in paged[1:]]


def _closed_before_2026_12_07(contract_id: str) -> None:
    """What a term end closed done was stored as until 2026-12-07: without the renewal calendar's
    (GSI2) keys, and the upgrade step not recorded."""
    from clausewatch.store.models import ObligationItem, UpgradeItem

    item = repo.get_obligation(contract_id, "expiration")
    item.update(actions=[ObligationItem.gsi2pk.remove(), ObligationItem.gsi2sk.remove()])
    for step in (schema.UPGRADE_ENDED_TERMS, schema.UPGRADE_WAIVED_TERM_ENDS):
        UpgradeItem(schema.UPGRADE_PK, step).delete()
        repo._UPGRADED.discard(step)


def test_the_upgrade_lists_a_term_end_closed_done_before_2026_12_07_as_ended(fresh_world, capsys):
    """Before: a term a decision ended, its end closed done before 2026-12-07, was stored without
    the GSI2 keys, so GET /renewals and the report never listed it as ended. The operator's upgrade
    puts it into GSI2 (audited, counted in its output); run again it writes nothing."""
    cobalt = fresh_world.ids[COBALT]
    record = renewals.ensure(cobalt, "2026-12-15", execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 17, 12, 0, tzinfo=UTC))
    assert repo.get_obligation(cobalt, "expiration").status == ObligationStatus.DONE
    _closed_before_2026_12_07(cobalt)
    at = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
    assert renewals_at(at, within=0) == [] and report_ended(VIEWER) == []  # as before the upgrade

    trail = len(repo.audit_events(cobalt))
    assert reindex.main() == 0
    assert "term ends closed done or waived before 2026-12-07, indexed in the renewal calendar: 1\n" in capsys.readouterr().out
    assert repo.upgraded(schema.UPGRADE_ENDED_TERMS)
    assert [(r["contract_id"], r["days_since_end"], r["ended_by"]) for r in renewals_at(at, within=0)] == \
        [(cobalt, 5, "decision")]
    assert report_ended(VIEWER) == [(cobalt, -5, None, "decision")]
    [line] = repo.audit_events(cobalt)[trail:]
    assert (line.actor, line.action, line.detail["obligation_id"], line.detail["due"]) == \
        ("upgrade", "obligation.reindexed", "expiration", "2026-12-15")

    version = repo.get_obligation(cobalt, "expiration").version
    assert repo.index_ended_terms(actor="upgrade") == (0, 0)  # again: nothing written
    assert len(repo.audit_events(cobalt)) == trail + 1 and repo.get_obligation(cobalt, "expiration").version == version


def test_a_term_whose_renewal_is_unknown_is_listed_as_such_never_as_ended(fresh_world):
    """Before: no renewal clause was found for Cobalt (auto_renew null); once its term end
    (2026-12-15) passed, with no decision made, it left GET /renewals and the report, though it may
    have ended and its services go on with no contract. Its end stays open on GSI2 (the sweep
    neither rolls it nor closes it): now it is listed there, renewal "unknown" with why, never as
    term_ended or ended_by; a decision "renew" for the term takes it off."""
    cobalt = fresh_world.ids[COBALT]
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 17, 12, 0, tzinfo=UTC))  # the sweep
    end = repo.get_obligation(cobalt, "expiration")
    assert (end.status, end.due, bool(end.gsi2pk)) == (ObligationStatus.OPEN, "2026-12-15", True)
    at = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
    [listed] = renewals_at(at, within=0)
    assert (listed["contract_id"], listed["term_ended"], listed["days_since_end"], listed["ended_by"],
            listed["auto_renew"], listed["renewal"], listed["renewal_reason"], listed["next_date"]) == \
        (cobalt, False, 5, None, None, "unknown", "no renewal clause was found: check whether it renewed",
         "2026-12-15")
    whole = call("GET", "/renewals", claims=VIEWER, query={"within": 90}).json()["items"]
    assert whole[0]["contract_id"] == cobalt and not any(r["renewal"] for r in whole[1:])  # listed first, once
    report = call("GET", "/reports/portfolio", claims=VIEWER, query={"format": "json"}).json()
    assert report["ended"] == []  # review SHOULD 1: its own section, never counted among the ended
    assert [(r["contract_id"], r["days_left"], r["ended_by"], r["renewal"]) for r in report["renewal_unknown"]] == \
        [(cobalt, -5, None, "unknown")]
    assert (report["totals"]["terms_ended_within_30_days"], report["totals"]["renewal_unknown_within_30_days"]) == \
        (0, 1)
    # a renewal decision "renew" for the term: it renewed, nothing unknown is left
    record = renewals.ensure(cobalt, "2026-12-15", execution_arn=None)
    renewals.update(record, actor="renewal", action="decided", state=RenewalState.RENEWED.value,
                    decision={"decision": "renew", "by": "marcus@example.com"})
    assert renewals_at(at, within=0) == [] and report_ended(VIEWER) == []


def test_a_term_end_a_person_closed_before_2026_12_07_is_listed_once_the_upgrade_indexes_it(fresh_world, capsys):
    """Review SHOULD 3: the upgrade indexes every term end closed done before 2026-12-07 (it printed
    "listed as ended": now "indexed"). Cobalt's end (its renewal unknown), marked done by an editor,
    is then listed as a person's done is now: renewal unknown, marked done by them (the note "renewed
    by email" is theirs; the contract's renewal is still not known to clausewatch), never as ended."""
    cobalt = fresh_world.ids[COBALT]
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 17, 12, 0, tzinfo=UTC))  # the sweep
    clock.set_now(datetime(2026, 12, 17, 13, 0, tzinfo=UTC))
    done = call("POST", f"/contracts/{cobalt}/obligations/expiration/complete", claims=claims(PROCUREMENT, "editor"),
                body={"note": "renewed by email"})
    assert done.status == 200, done.text
    _closed_before_2026_12_07(cobalt)
    assert renewals_at(datetime(2026, 12, 20, 12, 0, tzinfo=UTC), within=0) == []  # not on the calendar yet
    trail = len(repo.audit_events(cobalt))
    assert reindex.main() == 0
    out = capsys.readouterr().out
    assert "term ends closed done or waived before 2026-12-07, indexed in the renewal calendar: 1\n" in out
    assert "listed as ended" not in out
    [line] = repo.audit_events(cobalt)[trail:]
    assert line.action == "obligation.reindexed" and "or as a person marked it done" in line.detail["reason"] \
        and line.detail["reason"].startswith("a term end closed done before 2026-12-07, indexed in the renewal "
                                             "calendar")
    [listed] = renewals_at(datetime(2026, 12, 20, 12, 0, tzinfo=UTC), within=0)
    assert (listed["contract_id"], listed["term_ended"], listed["renewal"], listed["marked_done_by"]) == \
        (cobalt, False, "unknown", "editor@procurement.example.com")
    assert report_ended(VIEWER) == []


def test_an_upgrade_write_refused_otherwise_than_by_a_change_is_failed_and_the_step_not_recorded(fresh_world,
                                                                                               capsys, monkeypatch):
    """Review SHOULD 4: any refused write was passed over as "changed meanwhile", throttling too,
    and the step recorded: the term end was never indexed. Now only a condition refused (a person's
    save) is passed over; another refusal is counted failed, the step not recorded, exit 1, and the
    next run indexes it (its audit line with it: neither was written)."""
    from pynamodb.connection.base import Connection
    from pynamodb.exceptions import VerboseClientError

    cobalt = fresh_world.ids[COBALT]
    record = renewals.ensure(cobalt, "2026-12-15", execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 17, 12, 0, tzinfo=UTC))
    _closed_before_2026_12_07(cobalt)
    trail = len(repo.audit_events(cobalt))
    call_dynamodb = Connection._make_api_call

    def throttled(self, operation_name, operation_kwargs):
        if operation_name in ("UpdateItem", "TransactWriteItems"):  # the old write, and the new one
            raise VerboseClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}},
                                     operation_name, {})
        return call_dynamodb(self, operation_name, operation_kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Connection, "_make_api_call", throttled)
        result = repo.index_ended_terms(actor="upgrade")
    assert not repo.upgraded(schema.UPGRADE_ENDED_TERMS) and len(repo.audit_events(cobalt)) == trail
    assert result == (0, 1)  # none indexed, one failed
    assert renewals_at(datetime(2026, 12, 20, 12, 0, tzinfo=UTC), within=0) == []
    with monkeypatch.context() as patch:  # the operator's printout and exit status
        patch.setattr(reindex, "index_ended_terms", lambda actor: (0, 1))
        assert reindex.main() == 1
    assert "indexed in the renewal calendar: 0 (1 failed: run it again)" in capsys.readouterr().out
    assert repo.index_ended_terms(actor="upgrade") == (1, 0) and repo.upgraded(schema.UPGRADE_ENDED_TERMS)
    assert [r["ended_by"] for r in renewals_at(datetime(2026, 12, 20, 12, 0, tzinfo=UTC), within=0)] == ["decision"]


def test_the_upgrade_passes_over_a_term_end_saved_meanwhile(fresh_world, monkeypatch):
    """A term end reopened or saved after the upgrade's Scan read it: the transaction's version
    condition refuses it, nothing is written (no audit line), the step is recorded."""
    from clausewatch.store.models import ObligationItem

    cobalt = fresh_world.ids[COBALT]
    record = renewals.ensure(cobalt, "2026-12-15", execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    reminders.sync_reminders(Settings.from_env(), cobalt, datetime(2026, 12, 17, 12, 0, tzinfo=UTC))
    _closed_before_2026_12_07(cobalt)
    trail = len(repo.audit_events(cobalt))
    write = repo._index_with_its_audit_line

    def saved_meanwhile(item, actor):
        stored = repo.get_obligation(item.contract_id, item.obligation_id)
        stored.update(actions=[ObligationItem.resolution_note.set("saved meanwhile")])
        write(item, actor)

    monkeypatch.setattr(repo, "_index_with_its_audit_line", saved_meanwhile)
    assert repo.index_ended_terms(actor="upgrade") == (0, 0)
    assert repo.upgraded(schema.UPGRADE_ENDED_TERMS) and len(repo.audit_events(cobalt)) == trail
    assert repo.get_obligation(cobalt, "expiration").gsi2pk is None


def test_the_upgrade_lists_a_term_end_waived_before_2026_12_07_as_a_waived_one_is_now(fresh_world, capsys):
    """Before: the upgrade indexed the term ends closed done before 2026-12-07, not those waived: the
    services agreement's end (2026-12-31; it does not renew), waived then, stayed off GET /renewals
    and the report until its next save. Now the upgrade indexes it too, in one transaction with its
    audit line (saying it was waived), so it is listed as a waived one is since ("no renewal", not
    "marked done"); run again, nothing is written."""
    services = fresh_world.ids[SERVICES]
    it_viewer = claims(IT)
    clock.set_now(datetime(2027, 1, 2, 13, 0, tzinfo=UTC))
    waived = call("POST", f"/contracts/{services}/obligations/expiration/waive", claims=claims(IT, "editor"),
                  body={"reason": "services stopped"})
    assert waived.status == 200, waived.text
    _closed_before_2026_12_07(services)
    at = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    assert renewals_at(at, it_viewer, within=0) == []  # not on the calendar yet
    trail = len(repo.audit_events(services))
    assert reindex.main() == 0
    assert "term ends closed done or waived before 2026-12-07, indexed in the renewal calendar: 1\n" in \
        capsys.readouterr().out
    assert repo.upgraded(schema.UPGRADE_WAIVED_TERM_ENDS)
    [line] = repo.audit_events(services)[trail:]
    assert (line.actor, line.action, line.detail["obligation_id"], line.detail["due"]) == \
        ("upgrade", "obligation.reindexed", "expiration", "2026-12-31")
    assert line.detail["reason"].startswith("a term end waived before 2026-12-07") and \
        "as a person waived it" in line.detail["reason"]
    assert [(r["contract_id"], r["term_ended"], r["days_since_end"], r["ended_by"], r["marked_done_by"])
            for r in renewals_at(at, it_viewer, within=0)] == [(services, True, 5, "no renewal", None)]
    assert report_ended(it_viewer) == [(services, -5, False, "no renewal")]
    version = repo.get_obligation(services, "expiration").version
    assert repo.index_ended_terms(actor="upgrade") == (0, 0)  # again: nothing written
    assert len(repo.audit_events(services)) == trail + 1 and \
        repo.get_obligation(services, "expiration").version == version
