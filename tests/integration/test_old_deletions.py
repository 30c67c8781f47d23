"""Contracts deleted before 2026-12-06, when a deletion began to leave its GONE marker, tombstone and
deletion item (API QA 2026-12-06): their trail was 404 to their own team, a sync never learned they
were gone, and another team uploading the same bytes took their id and trail. The operator's
upgrade (``python -m clausewatch.renewal.reindex``; a saved state folder on load) marks them as a
deletion now would, from what their audit trail says."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clausewatch import clock, schema
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import NOW, call, claims
from tests.pdfs import make_pdf

OPS, LEGAL = "ops", "legal"
BYTES = make_pdf("MASTER SERVICES AGREEMENT between Acme LLC and Globex Inc., effective March 1, 2025. "
                 "This Agreement expires on February 28, 2027.")


def _upload(cloud, name: str, data: bytes, team: str) -> None:
    cloud.put_upload(data, name, {"team": team, "owner": f"owner@{team}.example.com"})
    cloud.pump()


def _delete_as_before(contract_id: str) -> None:
    """What a deletion did until 2026-12-06: its audit line (no team), then the items went."""
    repo.record_audit(contract_id, "ada@ops.example.com", "contract.deleted", {})
    repo.delete_contract_items(contract_id)


def _forget_the_step() -> None:
    """A table from before the step (the embedded default records it on an empty table)."""
    from clausewatch.store.models import UpgradeItem

    UpgradeItem(schema.UPGRADE_PK, schema.UPGRADE_DELETION_MARKERS).delete()
    repo._UPGRADED.discard(schema.UPGRADE_DELETION_MARKERS)


@pytest.fixture
def deleted_before(cloud) -> str:
    clock.set_now(NOW)
    _upload(cloud, "msa.pdf", BYTES, OPS)
    contract_id = contract_id_for(sha256_hex(BYTES))
    assert repo.get_contract(contract_id).team == OPS
    clock.set_now(NOW + timedelta(days=1))
    _delete_as_before(contract_id)
    _forget_the_step()
    yield contract_id
    clock.set_now(None)


def test_the_upgrade_marks_a_contract_deleted_before_as_its_deletion_now_would(cloud, deleted_before):
    contract_id = deleted_before
    ops = claims(OPS, "viewer")
    assert call("GET", f"/contracts/{contract_id}/audit", claims=ops).status == 404  # as before the upgrade
    assert call("GET", "/deleted-contracts", claims=ops).json()["items"] == []

    assert repo.mark_old_deletions() == 1
    assert repo.upgraded(schema.UPGRADE_DELETION_MARKERS)
    trail = call("GET", f"/contracts/{contract_id}/audit", claims=ops, query={"limit": 100})
    assert trail.status == 200
    assert [e["action"] for e in trail.json()["items"]].count("contract.deleted") == 1  # no second line
    [listed] = call("GET", "/deleted-contracts", claims=ops).json()["items"]
    assert (listed["contract_id"], listed["deleted_by"], listed["file_name"]) == (
        contract_id, "ada@ops.example.com", "msa.pdf")
    assert listed["deleted_at"].startswith((NOW + timedelta(days=1)).date().isoformat())  # when it was deleted
    assert call("GET", f"/contracts/{contract_id}/audit", claims=claims(LEGAL, "viewer")).status == 404
    assert repo.mark_old_deletions() == 0  # again: nothing new

    # another team's upload of the same bytes is a contract of its own: never the deleted one's id
    _upload(cloud, "msa-legal.pdf", BYTES, LEGAL)
    [theirs] = [c for c in repo.list_contracts() if c.team == LEGAL]
    assert theirs.contract_id != contract_id
    assert call("GET", f"/contracts/{contract_id}/audit", claims=claims(LEGAL, "viewer")).status == 404


def test_a_contract_uploaded_again_since_its_old_deletion_is_left_as_it_is(cloud, deleted_before):
    contract_id = deleted_before
    _upload(cloud, "msa-again.pdf", BYTES, OPS)  # the same team: the same id, live again
    assert repo.get_contract(contract_id) is not None
    assert repo.mark_old_deletions() == 0
    assert repo.gone_team(contract_id) is None
    assert call("GET", "/deleted-contracts", claims=claims(OPS, "viewer")).json()["items"] == []


def test_a_state_folder_saved_before_the_step_is_marked_on_load(cloud, deleted_before, tmp_path):
    from clausewatch.local import state

    state.save(tmp_path)
    cloud.reset()
    assert state.load(tmp_path)
    assert repo.gone_team(deleted_before) == OPS
    assert repo.upgraded(schema.UPGRADE_DELETION_MARKERS)
    assert repo.deleted_contract_team(deleted_before) == OPS


def test_a_deletion_of_the_morning_before_markers_is_marked_at_its_own_time_and_listed_once(cloud):
    """Review rv9 S2: a deletion made on the morning of 2026-12-06 wrote its team on its trail line, a
    tombstone and a deletion item, but no GONE marker; the upgrade then wrote a second tombstone and
    deletion item (a few ms apart), and the sync listed the contract twice. It writes the marker
    alone, at the tombstone's time, naming its team."""
    from clausewatch.store.models import AuditItem, DeletedItem

    clock.set_now(NOW)
    try:
        _upload(cloud, "msa.pdf", BYTES, OPS)
        contract_id = contract_id_for(sha256_hex(BYTES))
        clock.set_now(NOW + timedelta(days=1))
        repo.record_audit(contract_id, "ada@ops.example.com", "contract.deleted", {"team": OPS, "file_name": "msa.pdf"})
        at = clock.iso(NOW + timedelta(days=1, milliseconds=3))  # that code took a new time for the rest
        detail = {"team": OPS, "file_name": "msa.pdf"}
        AuditItem(schema.contract_pk(contract_id), schema.tombstone_sk(at, "x"), item_type=schema.ItemType.AUDIT,
                  contract_id=contract_id, at=at, actor="ada@ops.example.com", action="contract.deleted",
                  detail=detail).save()
        DeletedItem(schema.team_deleted_pk(OPS), schema.deleted_sk(at, contract_id), item_type=schema.ItemType.DELETED,
                    contract_id=contract_id, deleted_at=at, deleted_by="ada@ops.example.com",
                    file_name="msa.pdf").save()
        repo.delete_contract_items(contract_id)
        _forget_the_step()
        assert [d["deleted_at"] for d in call("GET", "/deleted-contracts", claims=claims(OPS)).json()["items"]] == [at]

        assert repo.mark_old_deletions() == 1
        assert repo.gone_team(contract_id) == OPS
        assert [d["deleted_at"] for d in call("GET", "/deleted-contracts", claims=claims(OPS)).json()["items"]] == [at]
        tombstones = AuditItem.query(schema.contract_pk(contract_id), AuditItem.sk.startswith(schema.TOMBSTONE_PREFIX))
        assert len(list(tombstones)) == 1
    finally:
        clock.set_now(None)
