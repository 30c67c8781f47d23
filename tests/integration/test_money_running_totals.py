"""The team's money at stake as running totals (store/stake.py), against moto.

Before: GET /findings/total read every finding of the team on every call (one Query of all of
GSI1 T#<team>#FINDINGS, and each claimed contract's obligations). Now it reads the team's running
totals, kept as findings are recorded, changed, settled and their claims resolved; these tests prove
them equal to the full count (the API's own page total over every finding) after random sequences of
those operations, and the route's reads the same for 3 findings as for 40."""

from __future__ import annotations

import contextlib
import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pynamodb.connection.base import Connection

from clausewatch.api import money as api
from clausewatch.schema import ObligationStatus
from clausewatch.store import money as store
from clausewatch.store import repository as repo
from clausewatch.store import stake
from tests.integration.api_support import call, claims

CONTRACTS = ("c-one", "c-two")  # each example's own: f"{team}-c-one"
KINDS = ("sla_breach", "sla_breach_withdrawn", "price_above_agreed", "arithmetic", "not_checked",
         "credit_note_settled", "file_refused")
AMOUNTS = st.one_of(st.none(), st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False))


def _oracle(team: str, kind: str | None) -> tuple[dict[str, Decimal], int]:
    """The full count as GET /findings/total made it before: every finding read, each claim's status
    read from its contract's obligations, each invoice line once (the API's page total)."""
    items = [i for i in store.findings_of_team(team) if kind is None or i.kind == kind]
    return {a.currency: Decimal(a.amount) for a in api._at_stake(items, api._claims(items))}, len(items)


def _claim(team: str, contract_id: str, finding: int) -> str:
    claim_id = f"credit-2026-{finding:02d}-availability"
    if repo.get_obligation(contract_id, claim_id) is None:
        repo.upsert_obligation(contract_id, repo.ObligationRecord(
            obligation_id=claim_id, kind=store.CREDIT_CLAIM, summary="Claim the credit", due="2026-12-31"),
            team=team, actor="test")
    return claim_id


def _record(team: str, op: dict) -> None:
    contract_id, finding = f"{team}-{op['contract']}", op["finding"]
    is_breach = op["kind"].startswith("sla_breach")
    store.save_finding(
        contract_id, f"f-{finding}", team=team, kind=op["kind"], source="metrics" if is_breach else "invoice",
        summary="test", amount=None if op["amount"] is None else str(op["amount"]), currency=op["currency"],
        invoice_number=None if is_breach else "INV-1",
        claim_obligation_id=_claim(team, contract_id, finding) if is_breach and op["claimed"] else None,
        detail={} if op["line"] is None else {"line_id": op["line"]})


def _settle(team: str, op: dict) -> None:
    """A credit note applied to a finding, as the money λ applies it (pipeline/money._settle)."""
    item = store.get_finding(f"{team}-{op['contract']}", f"f-{op['finding']}")
    if item is None or item.currency is None:
        return
    settlements = store.settlements_of(item)
    settlements[op["note"]] = {"applied": {"amount": str(op["amount"]), "currency": item.currency},
                               "status": "partial", "derivation": "test"}
    item.detail = {**(item.detail or {}), "settlements": settlements}
    item.save()
    stake.count(item, team)


def _claim_status(team: str, op: dict) -> None:
    item = store.get_finding(f"{team}-{op['contract']}", f"f-{op['finding']}")
    if item is not None and item.claim_obligation_id:
        repo.set_obligation_status(item.contract_id, item.claim_obligation_id, op["status"], team=team, actor="test")


RECORD = st.fixed_dictionaries({
    "op": st.just("record"), "contract": st.sampled_from(CONTRACTS), "finding": st.integers(0, 4),
    "kind": st.sampled_from(KINDS), "amount": AMOUNTS, "currency": st.sampled_from(["USD", "EUR", None]),
    "line": st.sampled_from([None, "1", "2"]), "claimed": st.booleans()})
OPERATIONS = st.lists(st.one_of(
    RECORD,
    st.fixed_dictionaries({"op": st.just("again")}),  # the last record redelivered
    st.fixed_dictionaries({"op": st.just("settle"), "contract": st.sampled_from(CONTRACTS),
                           "finding": st.integers(0, 4), "note": st.sampled_from(["CN-1", "CN-2"]),
                           "amount": st.decimals(min_value=0, max_value=3000, places=2, allow_nan=False)}),
    st.fixed_dictionaries({"op": st.just("claim"), "contract": st.sampled_from(CONTRACTS),
                           "finding": st.integers(0, 4), "status": st.sampled_from(list(ObligationStatus))}),
    st.fixed_dictionaries({"op": st.just("delete"), "contract": st.sampled_from(CONTRACTS)}),  # its findings stay
), min_size=1, max_size=14)


@settings(max_examples=30, derandomize=True, phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=OPERATIONS, batched=st.booleans())
def test_the_running_totals_equal_the_full_count_after_any_sequence_of_operations(cloud, operations, batched):
    """``batched``: the operations inside one ``stake.batch()``, as the money λ counts a file's findings."""
    team = f"team-{uuid.uuid4().hex[:8]}"
    stake.repair(team)  # built while the team had no findings: every later change is the ledger's own
    last = None
    with stake.batch() if batched else contextlib.nullcontext():
        for op in operations:
            if op["op"] == "record" or (op["op"] == "again" and last is not None):
                last = op if op["op"] == "record" else last
                _record(team, last)
            elif op["op"] == "settle":
                _settle(team, op)
            elif op["op"] == "claim":
                _claim_status(team, op)
            elif op["op"] == "delete":  # as actions.delete_contract marks them (a later record is the upload's again)
                store.mark_contract_deleted(f"{team}-{op['contract']}", team, at="2026-12-06T00:00:00Z", by="test")
    for kind in (None, *KINDS):
        assert stake.totals(team, kind) == _oracle(team, kind) == stake.recount(team, kind), kind


def test_a_finding_recorded_twice_counts_once_and_a_changed_amount_moves_by_the_difference(cloud):
    team = "procurement"
    stake.repair(team)
    op = {"contract": "c-one", "finding": 1, "kind": "price_above_agreed", "amount": Decimal("9300.00"),
          "currency": "USD", "line": "1", "claimed": False}
    _record(team, op)
    _record(team, op)  # a redelivered notification
    assert stake.totals(team) == ({"USD": Decimal("9300.00")}, 1)
    _record(team, {**op, "amount": Decimal("9000.00")})  # a corrected invoice
    assert stake.totals(team) == ({"USD": Decimal("9000.00")}, 1)
    # another finding on the same line tells the same charge: the line counts its largest once
    _record(team, {**op, "finding": 2, "kind": "arithmetic", "amount": Decimal("5000.00")})
    assert stake.totals(team) == ({"USD": Decimal("9000.00")}, 2)
    assert stake.totals(team, "arithmetic") == ({"USD": Decimal("5000.00")}, 1)
    # never summed across currencies
    _record(team, {**op, "finding": 3, "currency": "EUR", "line": None, "amount": Decimal("10.00")})
    assert stake.totals(team) == ({"EUR": Decimal("10.00"), "USD": Decimal("9000.00")}, 3)


def test_the_same_invoice_number_and_line_on_two_contracts_are_two_charges(cloud):
    """Each supplier numbers its own invoices: INV-1 line 1 of one contract is not another's, in the
    running totals and in the full count alike (the full count took them for one line: the larger only)."""
    team = "procurement"
    stake.repair(team)
    op = {"finding": 1, "kind": "price_above_agreed", "currency": "EUR", "line": "1", "claimed": False}
    _record(team, {**op, "contract": "c-one", "amount": Decimal("100.00")})
    _record(team, {**op, "contract": "c-two", "amount": Decimal("40.00")})
    expected = ({"EUR": Decimal("140.00")}, 2)
    assert stake.recount(team) == expected
    assert stake.totals(team) == expected == _oracle(team, None)


def test_a_team_whose_findings_came_before_the_ledger_is_counted_once_then_kept(cloud, monkeypatch):
    team = "procurement"
    with monkeypatch.context() as before:  # recorded before the ledger existed
        before.setattr(stake, "count", lambda *a, **k: False)
        _record(team, {"contract": "c-one", "finding": 1, "kind": "price_above_agreed", "amount": Decimal("1.50"),
                       "currency": "USD", "line": None, "claimed": False})
    assert not stake.built(team)
    assert stake.totals(team) == ({"USD": Decimal("1.50")}, 1) == _oracle(team, None)
    assert stake.built(team)
    _record(team, {"contract": "c-two", "finding": 1, "kind": "sla_breach", "amount": Decimal("2.25"),
                   "currency": "USD", "line": None, "claimed": True})
    assert stake.totals(team) == ({"USD": Decimal("3.75")}, 2) == _oracle(team, None)


class _ItemsRead:
    """Items DynamoDB returned to the requests made while inside (Query pages and GetItems)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.items = 0
        dispatch = Connection.dispatch

        def counted(connection, operation_name, operation_kwargs):
            reply = dispatch(connection, operation_name, operation_kwargs)
            self.items += len(reply.get("Items") or []) + (1 if reply.get("Item") else 0)
            return reply

        monkeypatch.setattr(Connection, "dispatch", counted)


def test_the_total_reads_as_much_for_forty_findings_as_for_three(cloud, monkeypatch):
    team = "procurement"
    viewer = claims(team)
    read = []
    for findings in (3, 40):
        for n in range(findings):
            _record(team, {"contract": f"c-{findings}", "finding": n, "kind": "price_above_agreed",
                           "amount": Decimal("100.00"), "currency": "USD", "line": str(n), "claimed": False})
        call("GET", "/findings/total", claims=viewer)  # the first after the ledger began: built once
        with monkeypatch.context() as m:
            counter = _ItemsRead(m)
            reply = call("GET", "/findings/total", claims=viewer)
        assert reply.status == 200, reply.text
        read.append((reply.json(), counter.items))
    assert read[0][0]["total_at_stake"] == [{"amount": "300.00", "currency": "USD"}]
    assert read[1][0]["total_at_stake"] == [{"amount": "4300.00", "currency": "USD"}]
    assert read[1][0]["findings"] == 43
    assert read[0][1] == read[1][1] <= 3  # the currency's sum, the count, the built marker



def test_a_claim_waived_again_after_the_totals_failed_to_move_moves_them(cloud, monkeypatch):
    team = "procurement"
    stake.repair(team)
    op = {"contract": "c-one", "finding": 1, "kind": "sla_breach", "amount": Decimal("1200.00"),
          "currency": "USD", "line": None, "claimed": True}
    _record(team, op)
    assert stake.totals(team) == ({"USD": Decimal("1200.00")}, 1)
    claim_id = store.get_finding(f"{team}-c-one", "f-1").claim_obligation_id

    def throttled(*args, **kwargs):
        raise RuntimeError("ProvisionedThroughputExceededException")
    with monkeypatch.context() as failing:  # the status is written, then the totals' transaction fails
        failing.setattr(stake, "claim_changed", throttled)
        with pytest.raises(RuntimeError):
            repo.set_obligation_status(f"{team}-c-one", claim_id, ObligationStatus.WAIVED, team=team, actor="test")
    assert stake.totals(team) != _oracle(team, None)
    # the person waives it again (the API answered 500): the totals follow
    repo.set_obligation_status(f"{team}-c-one", claim_id, ObligationStatus.WAIVED, team=team, actor="test")
    assert stake.totals(team) == _oracle(team, None) == stake.recount(team, None)


def test_the_upgrade_marks_the_findings_of_contracts_deleted_before_deletions_did(cloud):
    """A contract deleted before 2026-12-06 left its findings counted at stake (its claims gone): the
    operator's upgrade marks them from its GONE marker and tombstone, as a deletion now does."""
    from clausewatch.store.models import GoneItem

    team = "procurement"
    stake.repair(team)
    for contract in ("c-one", "c-two"):
        _record(team, {"contract": contract, "finding": 1, "kind": "sla_breach", "amount": Decimal("1550.00"),
                       "currency": "USD", "line": None, "claimed": True})
    gone = f"{team}-c-one"
    repo.record_deletion(gone, team, "ada@procurement.example.com", {"file_name": "old.pdf"},
                         received_at="2026-01-01T00:00:00Z")  # its marker and tombstone; no contract record
    assert GoneItem.get(f"C#{gone}", "GONE").team == team
    assert stake.totals(team) == ({"USD": Decimal("3100.00")}, 2)

    assert store.mark_findings_of_old_deletions() == 1
    assert store.contract_deleted(store.get_finding(gone, "f-1"))["by"] == "ada@procurement.example.com"
    assert store.contract_deleted(store.get_finding(f"{team}-c-two", "f-1")) is None  # never deleted
    assert stake.totals(team) == ({"USD": Decimal("1550.00")}, 2) == stake.recount(team) == _oracle(team, None)
    assert store.mark_findings_of_old_deletions() == 0  # again: nothing new
