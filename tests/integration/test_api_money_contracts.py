"""GET /findings/contracts: the Money page's contract picker, through the real API handler. The team's
contracts with known terms whose title or counterparty holds ``q`` (any case), each with why SLA
metrics and invoices are not taken for it (``money_files_refused``) and whether the caller may send
them. Before: no such route (the Money page could not offer a contract)."""

from __future__ import annotations

import pytest

from clausewatch import clock
from clausewatch.pipeline import money as pipeline
from clausewatch.store import repository as repo
from tests.integration.api_support import (  # noqa: F401
    AMENDMENT,
    PROCUREMENT,
    SAAS,
    SUPPLY,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    off_the_document,
    restore,
)


@pytest.fixture
def world(_local_cloud_session, _world):
    restore(_local_cloud_session, _world)
    yield _world.ids
    clock.set_now(None)


def _picked(team: str, role: str, query: dict) -> dict:
    reply = call("GET", "/findings/contracts", claims=claims(team, role), query=query)
    assert reply.status == 200, reply.text
    assert off_the_document("GET", "/findings/contracts", reply) is None
    return reply.json()


def test_contracts_are_found_by_title_or_counterparty_with_why_files_are_refused(world):
    saas = repo.get_contract(world[SAAS])
    by_counterparty = _picked(saas.team, "editor", {"q": saas.counterparty.upper()})["items"]
    assert [c["id"] for c in by_counterparty] == [saas.contract_id]
    assert by_counterparty[0]["refused"] is None and by_counterparty[0]["caller_may_send"] is True
    assert by_counterparty[0]["title"] == saas.title

    supply, amendment = repo.get_contract(world[SUPPLY]), repo.get_contract(world[AMENDMENT])
    found = {c["id"]: c for c in _picked(supply.team, "editor", {"q": "supply"})["items"]}
    assert {supply.contract_id, amendment.contract_id} <= set(found)
    assert found[supply.contract_id]["caller_may_send"] is True
    # the amendment: listed, not offered, with the reason the send routes would answer 409 with
    assert found[amendment.contract_id]["refused"] == pipeline.money_files_refused(amendment)
    assert found[amendment.contract_id]["refused"].startswith(f"{AMENDMENT} is an amendment")
    assert found[amendment.contract_id]["caller_may_send"] is False


def test_a_viewer_may_send_for_none_and_another_team_sees_none_of_them(world):
    saas = repo.get_contract(world[SAAS])
    [seen] = _picked(saas.team, "viewer", {"q": "northwind"})["items"]
    assert seen["id"] == saas.contract_id and seen["caller_may_send"] is False and seen["refused"] is None
    others = "it-vendor-management" if saas.team != "it-vendor-management" else PROCUREMENT
    assert saas.contract_id not in [c["id"] for c in _picked(others, "editor", {"q": "northwind"})["items"]]


def test_the_picker_pages_and_lists_only_contracts_whose_terms_are_known(world):
    saas = repo.get_contract(world[SAAS])
    first = _picked(saas.team, "editor", {"limit": "1"})
    assert len(first["items"]) == 1 and first["next_cursor"]
    every, cursor = [], None
    while True:
        page = _picked(saas.team, "editor", {"limit": "2", **({"cursor": cursor} if cursor else {})})
        every += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    listed = {c["id"] for c in every}
    assert saas.contract_id in listed
    assert all(repo.get_contract(i).status == "EXTRACTED" and repo.get_contract(i).team == saas.team for i in listed)
