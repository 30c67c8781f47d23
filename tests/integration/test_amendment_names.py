"""The upgrade reading the terms an amendment read before 2026-12-07 names (``pipeline.amendment_names``):
its "no term change was read" flag, which then named none (only a check took it away), names them
from its stored text; an entry made of each after the upgrade settles it, none made before does."""

from __future__ import annotations

from datetime import UTC, datetime

from clausewatch import clock, schema
from clausewatch.pipeline import record
from clausewatch.pipeline.amendment_names import read_names_again
from clausewatch.store import repository as repo
from tests.integration.test_amendment_checked import (
    EDITOR,
    MSA,
    RENEWAL_BY_EXHIBIT,
    _amendment,
    _flags,
    _trail,
    _upload,
    call,
)

NOTICE_BY_SCHEDULE = "1. Notice Period. Section 4 is deleted and replaced by Schedule 2."
OLD_ASK = "check it, and enter what it changes (or, when it changes no term tracked here, mark it checked)"


def _forget_the_step() -> None:
    """A table from before the step (the embedded default records it on an empty table)."""
    from clausewatch.store.models import UpgradeItem

    UpgradeItem(schema.UPGRADE_PK, schema.UPGRADE_AMENDMENT_NAMES).delete()
    repo._UPGRADED.discard(schema.UPGRADE_AMENDMENT_NAMES)


def _as_read_before(contract_id: str) -> None:
    """Stored as before 2026-12-07: no names read, the flags asking for what it changes, the
    agreement's naming the amendment only in its message."""
    item = repo.get_contract(contract_id)
    extraction = dict(item.extraction)
    if extraction.get("amendment"):
        extraction["amendment"] = {k: v for k, v in extraction["amendment"].items() if k != "names_terms"}
    extraction["attention"] = [
        {**{k: v for k, v in f.items() if k != "amendment_id"},
         "message": f["message"].split("check it, ")[0] + OLD_ASK} if f["kind"] == record.NO_CHANGE_READ else f
        for f in extraction["attention"]]
    repo.update_contract(item, actor="test", extraction=extraction)


def _agreement_and_two_amendments(cloud, tmp_path, names=("amend0.pdf", "amend1.pdf")) -> tuple[str, str, str]:
    """An agreement, No. 1 naming its renewal and No. 2 its notice period, stored as before 2026-12-07 and
    the step not recorded: (agreement, renewal amendment, notice amendment)."""
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    renewal = _upload(cloud, tmp_path, names[0], _amendment("September 1, 2027", RENEWAL_BY_EXHIBIT, "March 1, 2025"))
    notice = _upload(cloud, tmp_path, names[1], _amendment("September 2, 2027", NOTICE_BY_SCHEDULE, "March 1, 2025")
                     .replace("AMENDMENT NO. 1", "AMENDMENT NO. 2").replace("Amendment No. 1", "Amendment No. 2"))
    for contract_id in (msa, renewal, notice):
        _as_read_before(contract_id)
    _forget_the_step()
    return msa, renewal, notice


def test_the_upgrade_reads_the_terms_an_amendment_names_so_entries_made_after_it_settle_it(cloud, tmp_path):
    msa, renewal, notice = _agreement_and_two_amendments(cloud, tmp_path)
    clock.set_now(datetime(2027, 10, 16, 15, 0, tzinfo=UTC))
    assert call("PUT", f"/contracts/{msa}/terms/renewal_term", claims=EDITOR, body={"value": "P2Y"}).status == 200
    assert len(_flags(msa)) == 2 and len(_flags(renewal)) == 1  # no names: no entry settles it

    read, failed = read_names_again(actor="upgrade")
    assert failed == 0
    assert {(r.amendment_id, r.names_terms) for r in read} == {
        (renewal, ("renewal_term",)), (notice, ("notice_period",))}
    # the renewal term entered before the upgrade, when the reader could miss a change, settles nothing:
    # a person looks at it first
    assert len(_flags(renewal)) == 1 and _trail(renewal, "amendment.settled_by_entry") == []
    # the notice amendment's flags name the notice period, the agreement's by the amendment's id
    assert len(_flags(msa)) == 2
    [flag] = _flags(notice)
    asks = "and enter the terms it names (notice period): an entry of each settles it"
    assert flag["message"].endswith(asks)
    [on_msa] = [f for f in _flags(msa) if f.get("amendment_id") == notice]
    assert on_msa["message"].endswith(asks)
    for contract_id in (msa, notice):
        [named] = [e for e in _trail(contract_id, "amendment.terms_named") if e["detail"]["amendment_id"] == notice]
        assert named["actor"] == "upgrade" and named["detail"]["names_terms"] == ["notice_period"]
        assert named["detail"]["before"].endswith(OLD_ASK)
    assert repo.upgraded(schema.UPGRADE_AMENDMENT_NAMES)

    # again: nothing read, nothing audited
    assert read_names_again(actor="upgrade") == ([], 0)
    assert len(_trail(msa, "amendment.terms_named")) == 2
    # and the terms entered now settle them
    clock.set_now(datetime(2027, 10, 17, 15, 0, tzinfo=UTC))
    assert call("PUT", f"/contracts/{msa}/terms/notice_period", claims=EDITOR, body={"value": "P60D"}).status == 200
    assert call("PUT", f"/contracts/{msa}/terms/renewal_term", claims=EDITOR, body={"value": "P3Y"}).status == 200
    assert _flags(msa) == [] and _flags(notice) == [] and _flags(renewal) == []
    [line] = _trail(renewal, "amendment.settled_by_entry")
    assert line["detail"]["entry"]["value"] == "P3Y"


def test_two_amendments_of_one_file_name_keep_their_own_flags(cloud, tmp_path):
    """Flags written before 2026-12-07 name their amendment only in their message: "No. 1 (Amendment.pdf)"
    is not "No. 2 (Amendment.pdf)"'s."""
    from clausewatch.pipeline.amendment_names import read_names

    msa, renewal, _ = _agreement_and_two_amendments(cloud, tmp_path, ("Amendment.pdf", "Amendment.pdf"))
    read_names(repo.get_contract(renewal), actor="upgrade")
    by_name = {f["message"].split(" was applied")[0]: f for f in _flags(msa)}
    assert by_name["Amendment No. 1 (Amendment.pdf)"]["amendment_id"] == renewal
    assert by_name["Amendment No. 2 (Amendment.pdf)"].get("amendment_id") is None
    assert by_name["Amendment No. 2 (Amendment.pdf)"]["message"].endswith(OLD_ASK)
    # checking the first takes its flag away, not the second's
    assert call("POST", f"/contracts/{renewal}/amendment-checked", claims=EDITOR, body={}).status == 200
    [left] = _flags(msa)
    assert left["message"].startswith("Amendment No. 2 (Amendment.pdf)")


def test_a_run_failing_half_way_is_finished_by_the_next_and_a_checked_amendment_is_not_flagged(
        cloud, tmp_path, monkeypatch):
    from clausewatch.pipeline import actions

    msa, renewal, notice = _agreement_and_two_amendments(cloud, tmp_path)
    assert call("POST", f"/contracts/{renewal}/amendment-checked", claims=EDITOR, body={}).status == 200
    edit = actions.edit_extraction
    # a write refused on the agreement, then one on the amendment: each run fails, the next goes on
    for refused in (msa, notice):
        def refusing(contract, change, refused=refused, **kw):
            if contract.contract_id == refused:
                raise RuntimeError("write refused")
            return edit(contract, change, **kw)

        monkeypatch.setattr(actions, "edit_extraction", refusing)
        assert read_names_again(actor="upgrade") == ([], 1)
        assert not repo.upgraded(schema.UPGRADE_AMENDMENT_NAMES)
    monkeypatch.setattr(actions, "edit_extraction", edit)
    [read], failed = read_names_again(actor="upgrade")
    assert (read.amendment_id, failed) == (notice, 0)
    [flag] = _flags(notice)
    assert flag["message"].endswith("(notice period): an entry of each settles it")
    [on_msa] = _flags(msa)  # the checked one stays unflagged
    assert on_msa["amendment_id"] == notice and on_msa["message"] == flag["message"]
    # the contract's flag written once: audited once
    assert len(_trail(msa, "amendment.terms_named")) == 1 and len(_trail(notice, "amendment.terms_named")) == 1


def test_a_state_folder_saved_before_the_step_has_its_amendments_read_on_load(cloud, tmp_path, capsys):
    from clausewatch.local import state

    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    notice = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", NOTICE_BY_SCHEDULE,
                                                                 "March 1, 2025"))
    for contract_id in (msa, notice):
        _as_read_before(contract_id)
    _forget_the_step()
    state.save(tmp_path / "state")
    cloud.reset()
    assert state.load(tmp_path / "state")
    assert _flags(msa)[0]["message"].endswith("(notice period): an entry of each settles it")
    assert repo.upgraded(schema.UPGRADE_AMENDMENT_NAMES)
    # the load says what it read, as its neighbouring steps do
    assert "the terms they name read from their text: 1\n" in capsys.readouterr().err
