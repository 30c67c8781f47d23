"""An invoice sent again under its file name (review rv10): the money λ keyed "already received" on
the file's key alone, so a corrected invoice sent again from the page (the same number, a new amount)
was dropped unseen, with no trail line, and the page's "not read yet" never ended. Now a file that
reads as the document recorded from its key is said in the trail (``invoice.unchanged``); one that
says something else is checked (its number a duplicate) with findings of its own."""

from __future__ import annotations

from clausewatch.store import repository as repo
from tests.integration.api_support import _world, call  # noqa: F401
from tests.integration.test_api_money import EDITOR, VIEWER, money_world  # noqa: F401
from tests.paths import SAMPLES


def _read(saas: str, key: str) -> list[str]:
    return [e.action for e in repo.audit_events(saas) if e.action.startswith("invoice.") and e.detail.get("key") == key]


def test_an_invoice_sent_again_under_its_name_is_said_unchanged_or_checked_when_corrected(money_world):
    cloud, saas = money_world
    original = (SAMPLES / "invoice-northwind-2026-03.xml").read_text()
    body = {"file_name": "invoice.xml", "content": original}
    key = call("POST", f"/contracts/{saas}/invoices", claims=EDITOR, body=body).json()["key"]
    cloud.pump()
    assert _read(saas, key) == ["invoice.recorded"]
    before = {f["finding_id"] for f in call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()["items"]}

    # the same file again: read, said unchanged, nothing checked twice
    assert call("POST", f"/contracts/{saas}/invoices", claims=EDITOR, body=body).status == 202
    cloud.pump()
    assert _read(saas, key) == ["invoice.recorded", "invoice.unchanged"]  # was: no line at all
    assert {f["finding_id"] for f in call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()["items"]} == before

    # a corrected invoice under the same name: the same number, 54,700.00 more
    corrected = original.replace("195300.00", "250000.00")
    assert corrected != original
    assert call("POST", f"/contracts/{saas}/invoices", claims=EDITOR, body={**body, "content": corrected}).status == 202
    cloud.pump()
    assert _read(saas, key) == ["invoice.recorded", "invoice.unchanged", "invoice.recorded"]  # was: dropped
    findings = call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()["items"]
    new = [f for f in findings if f["finding_id"] not in before]
    assert new and all(f["finding_id"].startswith("invoice-") for f in new)
    assert any(f["kind"] == "duplicate" for f in new), [(f["kind"], f["summary"]) for f in new]
    assert any("250,000.00" in (f["summary"] + f["derivation"]) for f in new), [f["summary"] for f in new]
