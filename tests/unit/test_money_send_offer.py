"""Who a contract's page offers to send SLA metrics and invoices (``caller_may``'s
``send_money_files``): the role the POST routes require, on a contract whose terms are known (the
money λ refuses a file for one that is not EXTRACTED), never on an amendment (its money is its
contract's) nor on a document flagged as not reading as a contract until a person says it is one."""

from __future__ import annotations

import pytest

from clausewatch.api import views
from clausewatch.api.auth import Caller, Role
from clausewatch.pipeline.money import money_files_refused
from clausewatch.schema import ContractStatus
from clausewatch.store.models import ContractItem


def _contract(status: str = ContractStatus.EXTRACTED, amends: str | None = None, attention: list | None = None):
    return ContractItem("C#x", "META", contract_id="x", file_name="saas.pdf", status=status, team="ops",
                        amends_contract_id=amends, extraction={"attention": attention or []})


def _caller(role: Role) -> Caller:
    return Caller(team="ops", user="ed@example.com", role=role)


@pytest.mark.parametrize(("role", "offered"), [(Role.VIEWER, False), (Role.EDITOR, True), (Role.ADMIN, True)])
def test_sending_money_files_is_offered_to_the_role_the_routes_require(role, offered):
    assert ("send_money_files" in views.contract_actions(_contract(), _caller(role))) is offered
    assert _caller(role).may(views.SENDS_MONEY_FILES) is offered


@pytest.mark.parametrize("contract", [
    _contract(status=ContractStatus.QUARANTINED), _contract(status=ContractStatus.TEXT_READY),
    _contract(amends="c0ffee"),  # an amendment applied to its contract
    _contract(attention=[{"kind": "amendment_waiting", "message": "which contract?"}]),  # one waiting for it
    _contract(attention=[{"kind": "not_a_contract", "message": "reads as a newsletter"}]),
], ids=["quarantined", "text-ready", "amendment", "amendment-waiting", "not-a-contract"])
def test_sending_money_files_is_not_offered_where_the_money_lambda_would_refuse_it(contract):
    assert "send_money_files" not in views.contract_actions(contract, _caller(Role.ADMIN))


@pytest.mark.parametrize(("contract", "says"), [
    (_contract(status=ContractStatus.TEXT_READY), "is TEXT_READY: its terms are not known yet"),
    (_contract(amends="c0ffee"), "is an amendment of contract c0ffee: send its metrics and invoices to that contract"),
    (_contract(attention=[{"kind": "amendment_waiting", "message": "?"}]), "an amendment waiting to be linked"),
    (_contract(attention=[{"kind": "not_a_contract", "message": "?"}]), "flagged as not reading as a contract"),
])
def test_where_sending_is_not_offered_the_routes_refusal_says_why(contract, says):
    kinds = {flag["kind"] for flag in views.attention_of(contract)}
    assert says in (money_files_refused(contract, kinds) or "")
    assert money_files_refused(_contract(), set()) is None
