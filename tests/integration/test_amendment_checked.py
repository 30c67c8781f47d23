"""An amendment read as changing no term (``amendment_no_change_read``) is checked by a person who
finds nothing clausewatch tracks to enter (it adds a reporting module): the flag goes, on the
amendment and on the contract it amends, and stays gone when the amendments are applied again or
the amendment is linked again (was: it stayed until the amendment was unlinked; nothing settled it)."""

from __future__ import annotations

from datetime import UTC, datetime

from clausewatch import clock
from clausewatch.pipeline import record
from clausewatch.store import repository as repo
from tests.integration.api_support import call, claims, no_scan_in_api_requests, off_the_document  # noqa: F401
from tests.integration.test_amendment_effective import MSA, _amendment, _upload

ADMIN = claims("legal", "admin", "olga@example.com")
EDITOR = claims("legal", "editor", "ed@example.com")
MODULE = "1. Services. The hosted services shall include the reporting module described in Exhibit B."


def _flags(contract_id: str) -> list[dict]:
    return [f for f in call("GET", f"/contracts/{contract_id}", claims=ADMIN).json()["attention"]
            if f["kind"] == record.NO_CHANGE_READ]


def _trail(contract_id: str, action: str) -> list[dict]:
    return [e for e in call("GET", f"/contracts/{contract_id}/audit", claims=ADMIN).json()["items"]
            if e["action"] == action]


def test_a_checked_amendment_is_no_longer_flagged_on_it_nor_on_its_agreement(cloud, tmp_path):
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", MODULE, "March 1, 2025"))
    assert repo.get_contract(amendment).amends_contract_id == msa
    assert len(_flags(msa)) == 1 and len(_flags(amendment)) == 1
    terms_before = call("GET", f"/contracts/{msa}", claims=ADMIN).json()["terms"]

    reply = call("POST", f"/contracts/{amendment}/amendment-checked", claims=EDITOR,
                 body={"note": "adds the reporting module only"})
    assert reply.status == 200, reply.text
    assert _flags(msa) == [] and _flags(amendment) == []
    assert call("GET", f"/contracts/{msa}", claims=ADMIN).json()["terms"] == terms_before  # nothing entered
    for contract_id in (msa, amendment):
        [line] = _trail(contract_id, "amendment.checked")
        assert line["actor"] == "ed@example.com"
        assert line["detail"]["note"] == "adds the reporting module only"
        assert line["detail"]["file_name"] == "amend0.pdf"
        assert line["detail"]["flag"].startswith("Amendment No. 1 (amend0.pdf) was applied but no term change")
    # again: no change, no second line
    assert call("POST", f"/contracts/{amendment}/amendment-checked", claims=EDITOR).status == 200
    assert len(_trail(msa, "amendment.checked")) == 1

    # the agreement's amendments applied again (an event dated, a correction): the flag stays gone
    record.apply_amendments_again(repo.get_contract(msa), actor="test", why="a correction")
    assert _flags(msa) == []
    # unlinked and linked again: still checked
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=ADMIN).status == 200
    assert call("PUT", f"/contracts/{amendment}/amends", claims=ADMIN, body={"contract_id": msa}).status == 200
    cloud.pump()
    assert repo.get_contract(amendment).amends_contract_id == msa
    assert _flags(msa) == [] and _flags(amendment) == []


def test_only_an_amendment_so_flagged_can_be_checked(cloud, tmp_path):
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    extends = _upload(cloud, tmp_path, "amend0.pdf", _amendment(
        "September 1, 2027", "1. Term. The Initial Term is hereby extended by twelve (12) months.", "March 1, 2025"))
    # the agreement itself (flagged too when an amendment of it changes nothing: checked on the amendment)
    nothing = _upload(cloud, tmp_path, "amend1.pdf", _amendment("September 2, 2027", MODULE, "March 1, 2025")
                      .replace("AMENDMENT NO. 1", "AMENDMENT NO. 2").replace("Amendment No. 1", "Amendment No. 2"))
    assert repo.get_contract(nothing).amends_contract_id == msa and len(_flags(msa)) == 1
    for contract_id in (msa, extends):  # the agreement itself; an amendment whose change was read
        reply = call("POST", f"/contracts/{contract_id}/amendment-checked", claims=EDITOR)
        assert reply.status == 409, reply.text
        assert "not an amendment read as changing no term" in reply.json()["message"]
    assert _trail(msa, "amendment.checked") == []
    assert call("POST", "/contracts/0123456789abcdef/amendment-checked", claims=EDITOR).status == 404


def test_the_cli_marks_an_amendment_checked_on_a_state_folder(tmp_path, capsys):
    from clausewatch.cli import main
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex
    from tests.pdfs import make_pdf

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    (folder / "msa.pdf").write_bytes(make_pdf(MSA.replace("March 1, 2020", "March 1, 2025")))
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    try:
        assert main(["watch", str(folder), "--once", "--state", str(state)]) == 0
        (folder / "amend0.pdf").write_bytes(make_pdf(_amendment("September 1, 2027", MODULE, "March 1, 2025")))
        assert main(["watch", str(folder), "--once", "--state", str(state)]) == 0
        msa, amendment = (contract_id_for(sha256_hex((folder / n).read_bytes())) for n in ("msa.pdf", "amend0.pdf"))
        capsys.readouterr()
        assert main(["status", "--state", str(state)]) == 0
        assert "no term change was read from it" in capsys.readouterr().out
        # the agreement is not the amendment: said in one line, exit 2, nothing changes
        assert main(["amendment-checked", msa, "--state", str(state)]) == 2
        assert "not an amendment read as changing no term" in capsys.readouterr().out
        assert main(["amendment-checked", amendment, "--by", "ed@example.com", "--note", "a module only",
                     "--state", str(state)]) == 0
        assert f"{amendment}: checked, no longer flagged as changing no term (on it and on {msa})" in \
            capsys.readouterr().out
        assert main(["status", "--state", str(state)]) == 0
        assert "no term change was read from it" not in capsys.readouterr().out
    finally:
        clock.set_now(None)


def test_a_check_retried_after_failing_between_its_two_writes_finishes_the_agreement(cloud, tmp_path, monkeypatch):
    """Review: the amendment's flag went, then the agreement's write failed; the retry answered
    "checked already" and left the agreement flagged for good, with no audit line."""
    from clausewatch.pipeline import actions

    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", MODULE, "March 1, 2025"))
    real, calls = actions._drop_flags, {"n": 0}

    def failing_on_the_agreement(contract, *args, **kwargs):
        calls["n"] += 1
        if contract.contract_id == msa and calls["n"] == 2:
            raise RuntimeError("throttled")
        return real(contract, *args, **kwargs)

    monkeypatch.setattr(actions, "_drop_flags", failing_on_the_agreement)
    try:
        first = call("POST", f"/contracts/{amendment}/amendment-checked", claims=EDITOR,
                     body={"note": "a module only"}).status
    except RuntimeError:
        first = None
    assert first != 200
    assert _flags(amendment) == [] and len(_flags(msa)) == 1  # half done
    assert call("POST", f"/contracts/{amendment}/amendment-checked", claims=EDITOR).status == 200
    assert _flags(msa) == []
    for contract_id in (msa, amendment):
        [line] = _trail(contract_id, "amendment.checked")
        assert line["detail"]["note"] == "a module only"  # the first try's note


def test_a_flag_written_before_it_named_its_amendment_is_checked_by_the_file_name(cloud, tmp_path, monkeypatch):
    """Review: a flag stored with the message of before 2026-12-07 (no amendment id, other words) was
    matched by its exact text and stayed on the agreement."""
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", MODULE, "March 1, 2025"))
    stored = repo.get_contract(msa)
    extraction = dict(stored.extraction)
    extraction["attention"] = [{"kind": record.NO_CHANGE_READ, "term": None, "candidates": [],
                                "message": "Amendment No. 1 (amend0.pdf) was applied but no term change was read "
                                           "from it: check it, and enter what it changes"}]
    repo.update_contract(stored, actor="before", extraction=extraction)  # as stored before the change
    assert len(_flags(msa)) == 1
    assert call("POST", f"/contracts/{amendment}/amendment-checked", claims=EDITOR).status == 200
    assert _flags(msa) == []


def test_an_unlinked_amendment_is_not_flagged_as_applied(cloud, tmp_path):
    """Review: unlinked, the amendment kept "was applied but no term change was read", which no page
    offered to settle; linked again it is flagged again (not checked yet)."""
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", MODULE, "March 1, 2025"))
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=ADMIN).status == 200
    assert _flags(amendment) == [] and _flags(msa) == []
    assert call("PUT", f"/contracts/{amendment}/amends", claims=ADMIN, body={"contract_id": msa}).status == 200
    cloud.pump()
    assert len(_flags(amendment)) == 1 and len(_flags(msa)) == 1


def test_a_check_made_again_with_another_note_keeps_the_newest_and_audits_it(cloud, tmp_path):
    """API QA NIT: checked a second time with another note, the second note was dropped (the first
    kept, nothing audited). The newest check's note and person are kept and audited on both trails;
    the first check's line stays; the same note again, or none, changes nothing."""
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", MODULE, "March 1, 2025"))
    assert call("POST", f"/contracts/{amendment}/amendment-checked", claims=EDITOR,
                body={"note": "adds the reporting module only"}).status == 200
    clock.set_now(datetime(2027, 10, 16, 9, 0, tzinfo=UTC))
    other = claims("legal", "editor", "eve@example.com")
    reply = call("POST", f"/contracts/{amendment}/amendment-checked", claims=other,
                 body={"note": "adds the reporting module and corrects an address"})
    assert reply.status == 200, reply.text
    stored = repo.get_contract(amendment).amendment_checked
    assert stored["note"] == "adds the reporting module and corrects an address"
    assert stored["by"] == "eve@example.com" and stored["at"].startswith("2027-10-16")
    for contract_id in (msa, amendment):
        first, second = sorted(_trail(contract_id, "amendment.checked"), key=lambda e: e["at"])
        assert (first["actor"], first["detail"]["note"]) == ("ed@example.com", "adds the reporting module only")
        assert (second["actor"], second["detail"]["note"]) == \
            ("eve@example.com", "adds the reporting module and corrects an address")
        assert second["detail"]["before"]["note"] == "adds the reporting module only"
        assert second["detail"]["before"]["by"] == "ed@example.com"
    # the same note again, or no note: no change, no line
    for body in ({"note": "adds the reporting module and corrects an address"}, None):
        assert call("POST", f"/contracts/{amendment}/amendment-checked", claims=EDITOR, body=body).status == 200
    assert len(_trail(msa, "amendment.checked")) == 2 and len(_trail(amendment, "amendment.checked")) == 2
    assert repo.get_contract(amendment).amendment_checked["by"] == "eve@example.com"
    assert _flags(msa) == [] and _flags(amendment) == []


def test_the_cli_says_the_day_an_amendment_with_no_number_and_no_date_was_signed(tmp_path, capsys):
    """``amendment-checked ID --made-on DAY`` on an amendment with no number and no signing date,
    flagged amendment_order_unknown beside No. 1: the day is kept and the flag goes, said in one line."""
    from clausewatch.cli import main
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex
    from tests.integration.test_amendment_filed_late import NOTICE_FROM_MARCH, UNDATED
    from tests.pdfs import make_pdf

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    (folder / "msa.pdf").write_bytes(make_pdf(MSA.replace("March 1, 2020", "March 1, 2025")))
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    try:
        assert main(["watch", str(folder), "--once", "--state", str(state)]) == 0
        (folder / "amend1.pdf").write_bytes(make_pdf(_amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025")))
        assert main(["watch", str(folder), "--once", "--state", str(state)]) == 0
        (folder / "undated.pdf").write_bytes(make_pdf(UNDATED))
        assert main(["watch", str(folder), "--once", "--state", str(state)]) == 0
        undated = contract_id_for(sha256_hex((folder / "undated.pdf").read_bytes()))
        capsys.readouterr()
        assert main(["amendment-checked", undated, "--made-on", "2027-09-01", "--state", str(state)]) == 0
        assert f"{undated}: signed on 2027-09-01; no longer flagged as in an unknown order" in capsys.readouterr().out
        # the order filed confirmed after: the day said stands; no option: the no-change check, not so flagged
        assert main(["amendment-checked", undated, "--order-filed", "--state", str(state)]) == 0
        assert f"{undated}: signed on 2027-09-01;" in capsys.readouterr().out
        assert main(["amendment-checked", undated, "--state", str(state)]) == 2
    finally:
        clock.set_now(None)


def test_the_no_change_check_and_the_order_of_an_undated_amendment_are_two_questions(cloud, tmp_path):
    """An amendment with no number and no signing date read as changing no term, filed after No. 1:
    flagged twice. The no-change check (a note) settles that alone, not its order; the day it was
    signed settles its order alone, not the no-change check (was: each answered both)."""
    from tests.integration.test_amendment_effective import NOTICE_FROM_MARCH

    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    _upload(cloud, tmp_path, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
    undated = _upload(cloud, tmp_path, "undated.pdf", _amendment("October 1, 2027", MODULE, "March 1, 2025").replace(
        "AMENDMENT NO. 1 TO", "AMENDMENT TO").replace("This Amendment No. 1 (this", "This Amendment (this").replace(
        ' as of October 1, 2027 (the "Amendment Effective Date")', ""))

    def order_flags() -> list[str]:
        return [f["amendment_id"] for f in repo.get_contract(msa).extraction.get("attention") or []
                if f["kind"] == record.ORDER_UNKNOWN]

    assert order_flags() == [undated] and len(_flags(undated)) == 1
    path = f"/contracts/{undated}/amendment-checked"
    assert call("POST", path, claims=EDITOR, body={"note": "a module only"}).status == 200
    assert _flags(undated) == [] and repo.get_contract(undated).amendment_checked["note"] == "a module only"
    assert order_flags() == [undated] and repo.get_contract(undated).order_confirmed is None
    assert _trail(msa, "amendment.order_confirmed") == []


def test_the_day_an_undated_amendment_was_signed_does_not_check_it_for_no_change(cloud, tmp_path):
    from tests.integration.test_amendment_effective import NOTICE_FROM_MARCH

    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    _upload(cloud, tmp_path, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
    undated = _upload(cloud, tmp_path, "undated.pdf", _amendment("October 1, 2027", MODULE, "March 1, 2025").replace(
        "AMENDMENT NO. 1 TO", "AMENDMENT TO").replace("This Amendment No. 1 (this", "This Amendment (this").replace(
        ' as of October 1, 2027 (the "Amendment Effective Date")', ""))
    assert call("POST", f"/contracts/{undated}/amendment-checked", claims=EDITOR,
                body={"made_on": "2027-09-01"}).status == 200
    assert repo.get_contract(undated).order_confirmed["made_on"] == "2027-09-01"
    assert len(_flags(undated)) == 1 and repo.get_contract(undated).amendment_checked is None
    assert _trail(msa, "amendment.checked") == []


RENEWAL_BY_EXHIBIT = "1. Renewal. Section 3 of the Agreement is amended as set out in Exhibit A."


def test_an_entry_of_the_term_an_amendment_names_settles_its_no_change_flag(cloud, tmp_path):
    """An amendment read as changing nothing whose heading names the renewal: a person entering the
    renewal term on the agreement after it was filed enters what it changes: its flag goes on both,
    audited with the entry named, and stays gone in a replay (was: it stayed until marked checked).
    Another term entered settles nothing."""
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", RENEWAL_BY_EXHIBIT,
                                                                    "March 1, 2025"))
    assert len(_flags(msa)) == 1 and len(_flags(amendment)) == 1
    assert call("PUT", f"/contracts/{msa}/terms/notice_period", claims=EDITOR, body={"value": "P30D"}).status == 200
    assert len(_flags(msa)) == 1 and len(_flags(amendment)) == 1  # not the term it names
    assert call("PUT", f"/contracts/{msa}/terms/renewal_term", claims=EDITOR, body={"value": "P2Y"}).status == 200
    assert _flags(msa) == [] and _flags(amendment) == []
    refused = call("POST", f"/contracts/{amendment}/amendment-checked", claims=EDITOR)  # settled: nothing to check
    assert refused.status == 409 and "settled by an entry" in refused.message
    assert off_the_document("POST", "/contracts/{contract_id}/amendment-checked", refused) is None
    for contract_id in (msa, amendment):
        [line] = _trail(contract_id, "amendment.settled_by_entry")
        assert line["actor"] == "ed@example.com" and line["detail"]["amendment_id"] == amendment
        assert (line["detail"]["entry"]["name"], line["detail"]["entry"]["value"]) == ("renewal_term", "P2Y")
    record.apply_amendments_again(repo.get_contract(msa), actor="test", why="a correction")
    assert _flags(msa) == []


def test_an_entry_settles_no_amendment_whose_term_is_not_known_nor_one_filed_after_it(cloud, tmp_path):
    """The renewal term entered before the renewal amendment was filed, another term of the renewal
    (auto-renewal), or an amendment naming no term (a reporting module): the flag stays until a
    person marks it checked. The renewal term entered again after the filing, the same value,
    settles the renewal amendment (was: auto-renewal settled it; the same value again did not)."""
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    assert call("PUT", f"/contracts/{msa}/terms/renewal_term", claims=EDITOR, body={"value": "P2Y"}).status == 200
    clock.set_now(datetime(2027, 10, 16, 15, 0, tzinfo=UTC))
    renewal = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", RENEWAL_BY_EXHIBIT,
                                                                  "March 1, 2025"))
    module = _upload(cloud, tmp_path, "amend1.pdf", _amendment("September 2, 2027", MODULE, "March 1, 2025")
                     .replace("AMENDMENT NO. 1", "AMENDMENT NO. 2").replace("Amendment No. 1", "Amendment No. 2"))
    assert len(_flags(msa)) == 2
    assert call("PUT", f"/contracts/{msa}/terms/auto_renewal", claims=EDITOR, body={"value": True}).status == 200
    assert len(_flags(msa)) == 2 and len(_flags(renewal)) == 1  # not the term it changes
    clock.set_now(datetime(2027, 10, 17, 15, 0, tzinfo=UTC))
    assert call("PUT", f"/contracts/{msa}/terms/renewal_term", claims=EDITOR, body={"value": "P2Y"}).status == 200
    assert [f["amendment_id"] for f in _flags(msa)] == [module]  # entered again after it: settled
    assert _flags(renewal) == [] and len(_flags(module)) == 1
    [line] = _trail(renewal, "amendment.settled_by_entry")
    assert line["detail"]["entry"]["at"].startswith("2027-10-17")


def test_an_amendment_of_several_headings_is_settled_by_an_entry_of_each_and_never_when_one_is_the_fees(
        cloud, tmp_path):
    """"1. Renewal. ... 2. Fees. ..." read as changing nothing: the renewal term entered leaves the
    fees unentered, and the fees are never entered: the flag stays until marked checked (was: one
    entered term settled the whole amendment)."""
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    body = RENEWAL_BY_EXHIBIT + "\n2. Fees. Section 2 of the Agreement is amended as set out in Exhibit B."
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", body, "March 1, 2025"))
    assert len(_flags(msa)) == 1 and len(_flags(amendment)) == 1
    assert _flags(amendment)[0]["message"].endswith(
        "and mark it checked: it names fees, which cannot be settled by an entry (none can be made of them here): "
        "only a check takes this flag away; the renewal term it names too can be entered, which alone does not "
        "settle it")
    for name, value in (("renewal_term", "P2Y"), ("auto_renewal", True)):
        assert call("PUT", f"/contracts/{msa}/terms/{name}", claims=EDITOR, body={"value": value}).status == 200
    assert len(_flags(msa)) == 1 and len(_flags(amendment)) == 1
    assert _trail(msa, "amendment.settled_by_entry") == []
    record.apply_amendments_again(repo.get_contract(msa), actor="test", why="a correction")
    assert len(_flags(msa)) == 1


def test_a_heading_whose_change_is_not_read_leaves_the_amendment_to_a_person(cloud, tmp_path):
    """Review: "1. Term. ... shall be amended ..." was not read as amending, so the renewal heading's
    entry settled the whole amendment and the new term end was never asked for. Now "shall be
    amended" names the term, the flag says which entries settle it, one entry leaves it, and a check
    asked after both entries says an entry settled it; a change in words not read ("is to be
    updated") makes its terms not known: no entry settles it."""
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    body = ("1. Term. Section 2 of the Agreement shall be amended as set out in Exhibit B.\n" + RENEWAL_BY_EXHIBIT
            .replace("1. Renewal", "2. Renewal"))
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", body, "March 1, 2025"))
    [flag] = _flags(amendment)
    assert flag["message"].endswith("and enter the terms it names (expiration date, renewal term): an entry "
                                    "of each settles it")
    assert call("PUT", f"/contracts/{msa}/terms/renewal_term", claims=EDITOR, body={"value": "P2Y"}).status == 200
    assert len(_flags(msa)) == 1 and len(_flags(amendment)) == 1
    assert call("PUT", f"/contracts/{msa}/terms/expiration_date", claims=EDITOR,
                body={"value": "2029-03-01"}).status == 200
    assert _flags(msa) == [] and _flags(amendment) == []
    reply = call("POST", f"/contracts/{amendment}/amendment-checked", claims=EDITOR)
    assert reply.status == 409 and "settled by an entry of what it changes (expiration date, renewal term)" \
        in reply.json()["message"], reply.text

    unread = (body.replace("shall be amended as set out in", "is to be updated per")
              .replace("AMENDMENT NO. 1", "AMENDMENT NO. 2").replace("Amendment No. 1", "Amendment No. 2"))
    clock.set_now(datetime(2027, 10, 16, 15, 0, tzinfo=UTC))
    second = _upload(cloud, tmp_path, "amend1.pdf", _amendment("September 2, 2027", unread, "March 1, 2025"))
    assert "enter what it changes (or, when it changes no term tracked here, mark it checked)" \
        in _flags(second)[0]["message"]
    clock.set_now(datetime(2027, 10, 17, 15, 0, tzinfo=UTC))
    assert call("PUT", f"/contracts/{msa}/terms/renewal_term", claims=EDITOR, body={"value": "P3Y"}).status == 200
    assert len(_flags(second)) == 1 and [f["amendment_id"] for f in _flags(msa)] == [second]


def test_an_entry_whose_amendment_flag_write_fails_still_moves_its_deadlines(cloud, tmp_path, monkeypatch):
    """Entering the notice period on the MSA while the write settling an amendment's flag fails (a
    409 after its retries): the entry is recorded and its deadlines follow it all the same (was: the
    notice deadline kept the 90 days until the next change); the caller hears of the failure."""
    from pynamodb.exceptions import PutError, VerboseClientError

    from clausewatch.pipeline import actions
    from tests.integration.test_amendment_effective import _deadlines

    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA)
    assert _deadlines(msa)["notice_deadline"]["due"] == "2027-12-01"

    def refused(*args, **kwargs):
        raise PutError(cause=VerboseClientError(
            {"Error": {"Code": "ConditionalCheckFailedException", "Message": "written meanwhile"}}, "PutItem"))

    with monkeypatch.context() as patch:
        patch.setattr(actions, "settle_by_entry", refused)
        entered = call("PUT", f"/contracts/{msa}/terms/notice_period", claims=EDITOR, body={"value": "P30D"})
    assert entered.status == 409
    notice = _deadlines(msa)["notice_deadline"]
    assert notice["due"] > "2027-12-01" and "P30D" in notice["derivation"]


def test_a_section_named_in_a_wrapped_sentence_is_settled_by_an_entry_of_its_term(cloud, tmp_path):
    """"Section 3 (Renewal) of the Agreement" with "is amended" on the line the PDF wrapped to: its
    sentence was cut at the line break, so the amendment named no term and only a check took its flag
    away; now the renewal term is named and its entry settles it."""
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    body = ("1. Changes. With effect from the Amendment Effective Date, Section 3 (Renewal) of the Agreement\n"
            "is amended as set out in Exhibit A.")
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", body, "March 1, 2025"))
    [flag] = _flags(amendment)
    assert flag["message"].endswith("and enter the terms it names (renewal term): an entry of each settles it")
    assert call("PUT", f"/contracts/{msa}/terms/renewal_term", claims=EDITOR, body={"value": "P2Y"}).status == 200
    assert _flags(msa) == [] and _flags(amendment) == []
    [line] = _trail(amendment, "amendment.settled_by_entry")
    assert line["detail"]["entry"]["name"] == "renewal_term"


def test_a_service_credits_heading_says_no_entry_settles_it_and_the_credits_text_entered_does_not(cloud, tmp_path):
    """"2.1 Service Credits." names the credit table, which no entry makes (the ``service_credits`` text
    entered is only quoted beside a table: the credits are counted from the table): the flag says so
    and stays until marked checked (was: "of which not each can be entered", not naming which)."""
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    body = "2.1 Service Credits. Exhibit D replaces the service credit table of the Agreement."
    amendment = _upload(cloud, tmp_path, "amend0.pdf", _amendment("September 1, 2027", body, "March 1, 2025"))
    [flag] = _flags(amendment)
    assert flag["message"].endswith("and mark it checked: it names service credit tiers, which cannot be settled "
                                    "by an entry (none can be made of them here): only a check takes this flag away")
    assert call("PUT", f"/contracts/{msa}/terms/service_credits", claims=EDITOR,
                body={"value": "5% / 10% of the monthly fees"}).status == 200
    assert len(_flags(msa)) == 1 and len(_flags(amendment)) == 1
    assert call("POST", f"/contracts/{amendment}/amendment-checked", claims=EDITOR).status == 200
    assert _flags(msa) == [] and _flags(amendment) == []
