"""Who a contract's page offers to send SLA metrics and invoices (``caller_may``'s
``send_money_files``): the role the POST routes require, on a contract whose terms are known (the
money λ refuses a file for one that is not EXTRACTED), never on an amendment (its money is its
contract's) nor on a document flagged as not reading as a contract until a person says it is one."""

from __future__ import annotations

import pytest

from clausewatch.api import views
from clausewatch.api.auth import Caller, Role
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


def test_the_send_routes_require_the_role_the_page_offers_it_to():
    from clausewatch.api import money
    from clausewatch.api.auth import required_role

    assert required_role(money.send_metrics) == required_role(money.send_invoice) == views.SENDS_MONEY_FILES
