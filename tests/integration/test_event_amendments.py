"""An amendment and a term that runs from an event (QA of 2026-12-06): the expiration computed from
an event's date is the contract's own value, so an amendment extending the term applies over it
(with the event's arithmetic, then the amendment's change, each naming its document and clause),
the deadlines follow, and no entry_kept_over_amendment flag is raised; an event's date entered or
corrected after the amendment keeps the amendment's extension on top of the new end; a value a
person entered directly still stands over an amendment, flagged."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from clausewatch import clock
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import call, claims
from tests.pdfs import make_pdf

TEAM = "legal-ops"
OWNER = "dana.kowalski@example.com"
EDITOR = claims(TEAM, "editor", OWNER)
VIEWER = claims(TEAM, "viewer", "vic.viewer@example.com")
OTHER_EDITOR = claims(TEAM, "editor", "sam.other@example.com")
ADMIN = claims(TEAM, "admin", "ada.admin@example.com")
TEXT = ("MARKETING AGREEMENT\nThis Marketing Agreement (the \"Agreement\") is entered into as of March 1, 2026 (the "
        "\"Effective Date\") between Acme Widgets, Inc. (\"Company\") and Blue Heron Media LLC (\"Agency\").\n"
        "1. Term. The term of this Agreement shall be five (5) years from the Launch Date. Thereafter this "
        "Agreement shall automatically renew for successive one (1) year periods unless either party gives "
        "written notice of non-renewal at least ninety (90) days prior to the end of the then-current term.\n"
        "2. Governing Law. This Agreement is governed by the laws of the State of New York.")


def amendment(body: str) -> str:
    return ('AMENDMENT NO. 1 TO MARKETING AGREEMENT\nThis Amendment No. 1 (this "Amendment") is entered into as of '
            'October 20, 2027 by and between Acme Widgets, Inc. ("Company") and Blue Heron Media LLC ("Agency").\n'
            'RECITALS\nA. Company and Agency are parties to that certain Marketing Agreement dated March 1, 2026 '
            f'(the "Agreement").\n{body}\nExcept as expressly amended by this Amendment, the Agreement remains in '
            'full force and effect.\n')


EXTENDS = amendment("1. Term. The term of the Agreement is hereby extended by twelve (12) months.")
NEW_END = amendment("1. Term. Section 1 of the Agreement is hereby amended to read: the term of this Agreement shall "
                    "continue until June 30, 2033.")


def upload(cloud, tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(make_pdf(text))
    cloud.upload(path, {"team": TEAM, "owner": OWNER, "time-zone": "America/New_York"})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def contract_of(contract_id: str) -> dict:
    reply = call("GET", f"/contracts/{contract_id}", claims=EDITOR)
    assert reply.status == 200, reply.text
    return reply.json()


def flags(contract: dict, kind: str) -> list[dict]:
    return [a for a in contract["attention"] if a["kind"] == kind]


def enter(contract_id: str, event: str, day: str | None, who: dict = EDITOR):
    return call("POST", f"/contracts/{contract_id}/events", claims=who, body={"event": event, "date": day})


def due(contract: dict) -> dict[str, str]:
    return {o["id"]: o["due"] for o in contract["obligations"] if o["status"] == "open"}


def dated_then_amended(cloud, tmp_path, text: str = EXTENDS) -> tuple[str, str]:
    clock.set_now(datetime(2027, 3, 2, 15, 0, tzinfo=UTC))
    msa = upload(cloud, tmp_path, "marketing.pdf", TEXT)
    body = enter(msa, "Launch Date", "2027-03-01").json()
    assert body["expiration"]["value"] == "2032-02-29"
    clock.set_now(datetime(2027, 10, 20, 15, 0, tzinfo=UTC))
    amd = upload(cloud, tmp_path, "amd1.pdf", text)
    assert repo.get_contract(amd).amends_contract_id == msa
    return msa, amd


def test_an_extension_applies_over_an_expiration_computed_from_an_events_date(cloud, tmp_path):
    msa, amd = dated_then_amended(cloud, tmp_path)
    contract = contract_of(msa)
    expiration = contract["terms"]["expiration_date"]
    assert expiration["value"] == "2033-02-28"  # was: 2032-02-29 kept, the amendment flagged, not applied
    # the event's date and the duration with the contract's clause, then the amendment's change with its own
    assert expiration["derivation"] == (
        f"expiration_date 2032-02-29 (marketing.pdf page 1: Launch Date 2027-03-01 (entered by {OWNER}) + P5Y - "
        "1 day = 2032-02-29) extended by P12M (amd1.pdf page 1): from 2032-03-01 + P12M - 1 day = 2033-02-28")
    assert expiration["source"]["file_name"] == "amd1.pdf" and expiration["entered_by"] is None
    assert "extended by twelve (12) months" in expiration["evidence"]["text"]
    assert flags(contract, "entry_kept_over_amendment") == []
    assert contract["expiration"] == "2033-02-28"
    notice = contract["terms"]["notice_deadline"]
    assert notice["value"] == "2032-11-30"  # 2033-02-28 - P90D
    assert notice["derivation"].startswith("expiration_date 2033-02-28 (amd1.pdf) - P90D")
    assert due(contract)["expiration"] == "2033-02-28" and due(contract)["notice_deadline"] == "2032-11-30"


def test_an_event_date_corrected_after_the_amendment_keeps_its_extension(cloud, tmp_path):
    msa, amd = dated_then_amended(cloud, tmp_path)
    reply = enter(msa, "Launch Date", "2027-06-15", ADMIN)
    assert reply.status == 200, reply.text
    body = reply.json()
    # the extension counts from the new end (2032-06-14), not wiped out by it
    assert body["expiration"]["value"] == "2033-06-14", body["expiration"]
    assert body["kept"] is None and body["notice_deadline"] == "2033-03-16"  # 2033-06-14 - P90D
    assert "Launch Date 2027-06-15 (entered by ada.admin@example.com) + P5Y - 1 day = 2032-06-14) extended by " \
           "P12M (amd1.pdf page 1)" in body["expiration"]["derivation"]
    contract = contract_of(msa)
    assert contract["expiration"] == "2033-06-14"
    assert due(contract)["expiration"] == "2033-06-14" and due(contract)["notice_deadline"] == "2033-03-16"
    assert not flags(contract, "entry_kept_over_amendment") and not flags(contract, "event_expiration_kept_out")
    assert not flags(contract, "amended_term_start")
    audit = [e for e in repo.audit_events(msa) if e.action == "amendments.applied_again"]
    assert audit and audit[-1].detail["applied_again"] == [amd]


def test_an_amendment_applied_before_the_event_is_dated_extends_the_end_the_date_gives(cloud, tmp_path):
    clock.set_now(datetime(2027, 3, 2, 15, 0, tzinfo=UTC))
    msa = upload(cloud, tmp_path, "marketing.pdf", TEXT)
    clock.set_now(datetime(2027, 10, 20, 15, 0, tzinfo=UTC))
    upload(cloud, tmp_path, "amd1.pdf", EXTENDS)
    contract = contract_of(msa)
    assert contract["expiration"] is None and flags(contract, "amended_term_start")  # nothing to extend yet
    body = enter(msa, "Launch Date", "2027-03-01").json()
    assert body["expiration"]["value"] == "2033-02-28"  # was: 2032-02-29, the extension lost
    contract = contract_of(msa)
    assert contract["expiration"] == "2033-02-28" and not flags(contract, "amended_term_start")
    assert due(contract)["notice_deadline"] == "2032-11-30"


def test_an_end_an_amendment_states_applies_over_the_events_and_names_the_amendment(cloud, tmp_path):
    msa, amd = dated_then_amended(cloud, tmp_path, NEW_END)
    contract = contract_of(msa)
    expiration = contract["terms"]["expiration_date"]
    assert expiration["value"] == "2033-06-30"
    # was "stated in the clause", the amendment unnamed
    assert expiration["derivation"].startswith("stated in the clause of amd1.pdf, amending the Agreement's \u00a71")
    assert not flags(contract, "entry_kept_over_amendment")
    assert due(contract)["notice_deadline"] == "2033-04-01"  # 2033-06-30 - P90D
    # the event's date corrected: the end the amendment states stands, and the person is told
    body = enter(msa, "Launch Date", "2027-06-15").json()
    assert body["expiration"]["value"] == "2033-06-30"
    assert body["kept"].startswith("the expiration 2033-06-30 set by the amendment amd1.pdf stands over the "
                                   "2032-06-14 the event's date gives")
    [flag] = flags(contract_of(msa), "event_expiration_kept_out")
    assert [c["value"] for c in flag["candidates"]] == ["2032-06-14", "2033-06-30"]


def test_a_value_a_person_entered_directly_still_stands_over_the_amendment_flagged(cloud, tmp_path):
    clock.set_now(datetime(2027, 3, 2, 15, 0, tzinfo=UTC))
    msa = upload(cloud, tmp_path, "marketing.pdf", TEXT)
    assert enter(msa, "Launch Date", "2027-03-01").status == 200
    reply = call("PUT", f"/contracts/{msa}/terms/expiration_date", claims=EDITOR,
                 body={"value": "2032-08-31", "note": "side letter"})
    assert reply.status == 200, reply.text
    clock.set_now(datetime(2027, 10, 20, 15, 0, tzinfo=UTC))
    upload(cloud, tmp_path, "amd1.pdf", EXTENDS)
    contract = contract_of(msa)
    assert contract["expiration"] == "2032-08-31"
    [flag] = flags(contract, "entry_kept_over_amendment")
    assert flag["message"].startswith(f"amd1.pdf changes expiration_date to 2033-08-31; the value 2032-08-31 "
                                      f"entered by {OWNER} stands")


def test_an_amendment_unlinked_gives_back_the_end_the_events_date_gave(cloud, tmp_path):
    msa, amd = dated_then_amended(cloud, tmp_path)
    reply = call("DELETE", f"/contracts/{amd}/amends", claims=EDITOR)
    assert reply.status == 200, reply.text
    contract = contract_of(msa)
    assert contract["expiration"] == "2032-02-29"  # not lost with the amendment's value
    assert contract["terms"]["expiration_date"]["derivation"].startswith("Launch Date 2027-03-01")
    assert due(contract)["notice_deadline"] == "2031-12-01"


# --- an event's date entered by mistake is cleared ({"date": null}) ----------------------------------

def test_an_event_date_entered_by_mistake_is_cleared_and_the_term_waits_again(cloud, tmp_path):
    clock.set_now(datetime(2027, 3, 2, 15, 0, tzinfo=UTC))
    msa = upload(cloud, tmp_path, "marketing.pdf", TEXT)
    assert enter(msa, "Launch Date", "2027-03-01").status == 200
    assert due(contract_of(msa)) == {"expiration": "2032-02-29", "notice_deadline": "2031-12-01"}
    # the roles as for entering: a viewer, another editor refused; nothing changed
    assert enter(msa, "Launch Date", None, VIEWER).status == 403
    assert enter(msa, "Launch Date", None, OTHER_EDITOR).status == 403
    assert contract_of(msa)["expiration"] == "2032-02-29"

    reply = enter(msa, "launch date", None, ADMIN)
    assert reply.status == 200, reply.text
    body = reply.json()
    assert body["expiration"] is None and body["notice_deadline"] is None
    assert body["conditional_term"]["event_date"] is None
    contract = contract_of(msa)
    assert contract["expiration"] is None and contract["notice_deadline"] is None
    for name, was in (("expiration_date", "2032-02-29"), ("notice_deadline", "2031-12-01")):
        cleared = contract["terms"].get(name) or {"value": None}
        assert cleared["value"] is None
        assert cleared.get("derivation") in (
            None, f"the date of Launch Date 2027-03-01 cleared by ada.admin@example.com (was {was})")
    [flag] = flags(contract, "waiting_for_event")
    assert "Launch Date" in flag["message"]
    assert due(contract) == {}  # the deadlines (and their reminders) withdrawn
    for obligation_id in ("expiration", "notice_deadline"):
        withdrawn = repo.get_obligation(msa, obligation_id)
        assert withdrawn is not None and withdrawn.status == "superseded", obligation_id
    [audit] = [e for e in repo.audit_events(msa) if e.action == "event.cleared"]
    assert audit.actor == "ada.admin@example.com"
    assert audit.detail["previous"] == "2027-03-01" and audit.detail["entered_by"] == OWNER
    assert audit.detail["previous_expiration_date"] == "2032-02-29" and audit.detail["expiration_date"] is None
    # cleared again: nothing to do; then dated right: the expiration and deadlines come back
    assert enter(msa, "Launch Date", None).status == 200
    assert len([e for e in repo.audit_events(msa) if e.action == "event.cleared"]) == 1
    body = enter(msa, "Launch Date", "2027-04-01").json()
    assert body["expiration"]["value"] == "2032-03-31"
    assert due(contract_of(msa)) == {"expiration": "2032-03-31", "notice_deadline": "2032-01-01"}


def test_an_event_date_cleared_under_an_amendment_leaves_its_extension_waiting(cloud, tmp_path):
    msa, amd = dated_then_amended(cloud, tmp_path)
    assert contract_of(msa)["expiration"] == "2033-02-28"
    assert enter(msa, "Launch Date", None).status == 200
    contract = contract_of(msa)
    assert contract["expiration"] is None and due(contract) == {}
    assert flags(contract, "waiting_for_event")
    [flag] = flags(contract, "amended_term_start")  # the extension has no end to count from
    assert "no expiration date is known" in flag["message"]
    body = enter(msa, "Launch Date", "2027-06-15").json()
    assert body["expiration"]["value"] == "2033-06-14"


def test_an_expiration_a_person_entered_stands_when_the_event_date_is_cleared(cloud, tmp_path):
    clock.set_now(datetime(2027, 3, 2, 15, 0, tzinfo=UTC))
    msa = upload(cloud, tmp_path, "marketing.pdf", TEXT)
    assert enter(msa, "Launch Date", "2027-03-01").status == 200
    assert call("PUT", f"/contracts/{msa}/terms/expiration_date", claims=EDITOR,
                body={"value": "2032-08-31"}).status == 200
    body = enter(msa, "Launch Date", None).json()
    assert body["expiration"]["value"] == "2032-08-31"
    contract = contract_of(msa)
    assert contract["expiration"] == "2032-08-31" and due(contract)["expiration"] == "2032-08-31"


def test_one_event_of_a_later_of_term_cleared_takes_the_expiration_back_to_waiting(cloud, tmp_path):
    from tests.integration.test_api_events import CLAIM, LATER_TEXT

    clock.set_now(datetime(2027, 3, 2, 15, 0, tzinfo=UTC))
    lic = upload(cloud, tmp_path, "license.pdf", LATER_TEXT)
    assert enter(lic, "Launch Date", "2026-03-01").status == 200
    assert enter(lic, CLAIM, "2030-06-30").json()["expiration"]["value"] == "2031-02-28"
    body = enter(lic, CLAIM, None).json()
    assert body["expiration"] is None and body["missing_events"] == [CLAIM]
    assert body["conditional_term"]["events"][0]["event_date"] == "2026-03-01"  # the other date stays
    contract = contract_of(lic)
    assert contract["expiration"] is None and due(contract) == {}
    [flag] = flags(contract, "waiting_for_event")
    assert flag["missing_events"] == [CLAIM]


def _fails_once(monkeypatch, module, name: str) -> None:
    """``module.name`` raises the first time (a throttled write, a timed-out invocation), then works."""
    real = getattr(module, name)

    def failing(*args, **kwargs):
        monkeypatch.setattr(module, name, real)
        raise RuntimeError("throttled")

    monkeypatch.setattr(module, name, failing)


def test_a_correction_retried_after_failing_midway_finishes_what_it_began(cloud, tmp_path, monkeypatch):
    """Review 2026-12-06 M1: the first request saved the new date and the event's end, then failed
    applying the amendments; its retry found "the same date again" and answered 200 with the end
    2032-06-14, the 12-month extension lost, while the contract and its deadlines kept 2033-02-28."""
    from clausewatch.pipeline import record

    msa, _ = dated_then_amended(cloud, tmp_path)
    _fails_once(monkeypatch, record, "apply_amendments_again")
    with contextlib.suppress(RuntimeError):
        assert enter(msa, "Launch Date", "2027-06-15").status >= 500
    reply = enter(msa, "Launch Date", "2027-06-15")
    assert reply.status == 200, reply.text
    body = reply.json()
    assert body["expiration"]["value"] == "2033-06-14" and body["notice_deadline"] == "2033-03-16"
    contract = contract_of(msa)
    assert contract["terms"]["expiration_date"]["value"] == contract["expiration"] == "2033-06-14"
    assert due(contract)["expiration"] == "2033-06-14" and due(contract)["notice_deadline"] == "2033-03-16"


def test_a_clearing_retried_after_failing_midway_takes_the_end_away(cloud, tmp_path, monkeypatch):
    """Review 2026-12-06 M1: the first request cleared the date, then failed before the end went; its
    retry found nothing to clear and answered 200, the contract keeping the end and its deadlines."""
    clock.set_now(datetime(2027, 3, 2, 15, 0, tzinfo=UTC))
    msa = upload(cloud, tmp_path, "marketing.pdf", TEXT)
    assert enter(msa, "Launch Date", "2027-03-01").status == 200
    _fails_once(monkeypatch, repo, "save_terms")
    with contextlib.suppress(RuntimeError):
        assert enter(msa, "Launch Date", None).status >= 500
    reply = enter(msa, "Launch Date", None)
    assert reply.status == 200 and reply.json()["expiration"] is None
    contract = contract_of(msa)
    assert contract["expiration"] is None and contract["notice_deadline"] is None and due(contract) == {}


def test_clearing_under_an_end_an_amendment_states_replies_with_the_notice_deadline_in_force(cloud, tmp_path):
    """Review 2026-12-06 S2: the reply said notice_deadline null while the stored one stood, open."""
    msa, _ = dated_then_amended(cloud, tmp_path, NEW_END)
    body = enter(msa, "Launch Date", None).json()
    contract = contract_of(msa)
    assert body["expiration"]["value"] == contract["expiration"]
    assert contract["notice_deadline"] is not None
    assert body["notice_deadline"] == contract["notice_deadline"] == due(contract)["notice_deadline"]


def test_an_events_date_never_settles_an_amendment_read_as_changing_nothing(cloud, tmp_path):
    """An amendment naming the term ("1. Term. ... as set out in Exhibit A.") read as changing
    nothing: the expiration an event's date gives is the contract's own, not a person's entry of
    what the amendment changes: both flags stay, through the replay, and nothing says it was settled
    (was: gone from the contract, silently). A person entering the expiration then settles both."""
    clock.set_now(datetime(2027, 3, 2, 15, 0, tzinfo=UTC))
    msa = upload(cloud, tmp_path, "marketing.pdf", TEXT)
    clock.set_now(datetime(2027, 10, 20, 15, 0, tzinfo=UTC))
    amd = upload(cloud, tmp_path, "amd1.pdf", amendment(
        "1. Term. Section 1 of the Agreement is amended as set out in Exhibit A."))
    kind = "amendment_no_change_read"
    assert len(flags(contract_of(msa), kind)) == 1 and len(flags(contract_of(amd), kind)) == 1
    clock.set_now(datetime(2027, 10, 21, 15, 0, tzinfo=UTC))
    assert enter(msa, "Launch Date", "2027-03-01").status == 200
    assert len(flags(contract_of(msa), kind)) == 1 and len(flags(contract_of(amd), kind)) == 1
    assert [e for e in repo.audit_events(msa) if e.action == "amendment.settled_by_entry"] == []
    reply = call("PUT", f"/contracts/{msa}/terms/expiration_date", claims=EDITOR, body={"value": "2033-02-28"})
    assert reply.status == 200, reply.text
    assert flags(contract_of(msa), kind) == [] and flags(contract_of(amd), kind) == []
    for contract_id in (msa, amd):
        assert [e.detail["entry"]["name"] for e in repo.audit_events(contract_id)
                if e.action == "amendment.settled_by_entry"] == ["expiration_date"]
