"""Amendments of a Master Services Agreement (effective 1 March 2024, three years, renewing each year
unless notice is given 60 days before the term ends; Asia/Tokyo, JP): a restated term counted "from
the Effective Date" counts from the agreement's, the notice deadline quotes the clause its period comes
from and names where each part of its arithmetic comes from, a notice period a person entered stays
theirs, and a deleted amendment leaves the contract following the documents still on file (QA4 Q1, Q3,
Q4, Q5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clausewatch import clock
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import call, claims, no_scan_in_api_requests  # noqa: F401
from tests.pdfs import make_pdf

NOW = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
META = {"team": "ops", "owner": "ken@example.com", "time-zone": "Asia/Tokyo", "jurisdiction": "JP"}
ADMIN = claims("ops", "admin", "ken@example.com")

# msa.pdf
MSA = (
    'MASTER SERVICES AGREEMENT\n'
    'THIS MASTER SERVICES AGREEMENT (this "Agreement") is entered into as of March 1, 2024 (the "Effective Date") by and between Kestrel Logistics Co., Ltd., a Japanese corporation ("Provider"), and Bluefin Retail Holdings, Inc., a Delaware corporation ("Customer").\n'
    '1. SERVICES\n'
    '1.1 Provider shall provide the logistics services described in each Statement of Work.\n'
    '2. FEES AND PAYMENT\n'
    '2.1 Customer shall pay Provider a monthly fee of Twelve Thousand Dollars ($12,000). Customer shall pay each invoice within thirty (30) days of receipt.\n'
    '3. REPORTING\n'
    '3.1 Provider shall deliver to Customer a service performance report within ten (10) business days after the end of each calendar quarter.\n'
    '4. TERM AND TERMINATION\n'
    '4.1 This Agreement shall commence on the Effective Date and continue for an initial term of three (3) years (the "Initial Term"). Thereafter, this Agreement shall renew automatically for successive one (1) year periods (each, a "Renewal Term"), unless either party gives the other party written notice of non-renewal at least sixty (60) days prior to the expiration of the then-current term.\n'
    '4.2 Either party may terminate this Agreement for material breach not cured within thirty (30) days after written notice.\n'
    '5. GENERAL\n'
    '5.1 This Agreement shall be governed by the laws of the State of New York.\n'
    'IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date.\n'
    'KESTREL LOGISTICS CO., LTD.   BLUEFIN RETAIL HOLDINGS, INC.\n'
    'By: /s/ Hiro Tanaka   By: /s/ Ann Miller\n'
    'Date: March 1, 2024   Date: March 1, 2024')

# amd1.pdf
AMENDMENT_1 = (
    'AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\n'
    'This Amendment No. 1 to Master Services Agreement (this "Amendment") is entered into as of November 2, 2026 (the "Amendment Effective Date") by and between Kestrel Logistics Co., Ltd. ("Provider") and Bluefin Retail Holdings, Inc. ("Customer").\n'
    'RECITALS\n'
    'A. Provider and Customer are parties to that certain Master Services Agreement dated March 1, 2024 (the "Agreement").\n'
    'B. The parties wish to extend the Initial Term and to lengthen the period of notice of non-renewal.\n'
    'NOW, THEREFORE, the parties agree as follows:\n'
    '1. Extension of Initial Term. The Initial Term is hereby extended until February 29, 2028.\n'
    '2. Notice of Non-Renewal. Section 4.1 of the Agreement is amended by deleting "at least sixty (60) days" and replacing it with "at least ninety (90) days". As so amended, the second sentence of Section 4.1 reads: "Thereafter, this Agreement shall renew automatically for successive one (1) year periods (each, a "Renewal Term"), unless either party gives the other party written notice of non-renewal at least ninety (90) days prior to the expiration of the then-current term."\n'
    '3. No Other Changes. Except as expressly amended by this Amendment, the Agreement remains unchanged and in full force and effect.\n'
    'IN WITNESS WHEREOF, the parties have executed this Amendment as of the Amendment Effective Date.\n'
    'KESTREL LOGISTICS CO., LTD.   BLUEFIN RETAIL HOLDINGS, INC.\n'
    'By: /s/ Hiro Tanaka   By: /s/ Ann Miller\n'
    'Date: November 2, 2026   Date: November 2, 2026')

# amd2.pdf
AMENDMENT_2 = (
    'AMENDMENT NO. 2 TO MASTER SERVICES AGREEMENT\n'
    'This Amendment No. 2 to Master Services Agreement (this "Amendment") is entered into as of November 20, 2026 by and between Kestrel Logistics Co., Ltd. ("Provider") and Bluefin Retail Holdings, Inc. ("Customer").\n'
    'RECITALS\n'
    'A. Provider and Customer are parties to that certain Master Services Agreement dated March 1, 2024, as amended by Amendment No. 1 dated November 2, 2026 (the "Agreement").\n'
    'NOW, THEREFORE, the parties agree as follows:\n'
    '1. Notice of Non-Renewal. Section 4.1 of the Agreement is amended to read in its second sentence: "Thereafter, this Agreement shall renew automatically for successive one (1) year periods (each, a "Renewal Term"), unless either party gives the other party written notice of non-renewal at least thirty (30) days prior to the expiration of the then-current term."\n'
    '2. No Other Changes. Except as expressly amended by this Amendment, the Agreement remains unchanged and in full force and effect.\n'
    'IN WITNESS WHEREOF, the parties have executed this Amendment as of the date first written above.\n'
    'KESTREL LOGISTICS CO., LTD.   BLUEFIN RETAIL HOLDINGS, INC.\n'
    'By: /s/ Hiro Tanaka   By: /s/ Ann Miller\n'
    'Date: November 20, 2026   Date: November 20, 2026')

# amdA.pdf
AMENDMENT_TO_1 = (
    'AMENDMENT TO AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\n'
    'This Amendment to Amendment No. 1 (this "Amendment") is entered into as of December 2, 2026 by and between Kestrel Logistics Co., Ltd. ("Provider") and Bluefin Retail Holdings, Inc. ("Customer").\n'
    'RECITALS\n'
    'A. Provider and Customer are parties to that certain Amendment No. 1 dated November 2, 2026 ("Amendment No. 1") to the Master Services Agreement dated March 1, 2024 (the "Agreement").\n'
    'NOW, THEREFORE, the parties agree as follows:\n'
    '1. The Initial Term is hereby extended until June 30, 2028.\n'
    '2. Except as expressly amended by this Amendment, Amendment No. 1 remains unchanged.\n'
    'Date: December 2, 2026   Date: December 2, 2026')

# amdR.pdf
AMENDMENT_RESTATED_TERM = (
    'AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\n'
    'This Amendment No. 1 to Master Services Agreement (this "Amendment") is entered into as of November 2, 2026 (the "Amendment Effective Date") by and between Kestrel Logistics Co., Ltd. ("Provider") and Bluefin Retail Holdings, Inc. ("Customer").\n'
    'RECITALS\n'
    'A. Provider and Customer are parties to that certain Master Services Agreement dated March 1, 2024 (the "Agreement").\n'
    'B. The parties wish to extend the Initial Term by one year.\n'
    'NOW, THEREFORE, the parties agree as follows:\n'
    '1. Term. The first sentence of Section 4.1 of the Agreement is deleted and replaced with the following: "This Agreement shall commence on the Effective Date and continue for an initial term of four (4) years (the "Initial Term")."\n'
    '2. No Other Changes. Except as expressly amended by this Amendment, the Agreement remains unchanged and in full force and effect.\n'
    'IN WITNESS WHEREOF, the parties have executed this Amendment as of the Amendment Effective Date.\n'
    'KESTREL LOGISTICS CO., LTD.   BLUEFIN RETAIL HOLDINGS, INC.\n'
    'By: /s/ Hiro Tanaka   By: /s/ Ann Miller\n'
    'Date: November 2, 2026   Date: November 2, 2026')


def _upload(cloud, tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(make_pdf(text))
    cloud.upload(path, {**META, "contract-type": "amendment" if name.startswith("amd") else "services"})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


@pytest.fixture
def msa(cloud, tmp_path):
    clock.set_now(NOW)
    cloud.work_dir = tmp_path
    return _upload(cloud, tmp_path, "msa.pdf", MSA)


def _words(evidence: dict | None) -> str:
    """A quoted clause's text as one line (a PDF's lines break anywhere)."""
    return " ".join(((evidence or {}).get("text") or "").split())


def _notice(contract_id: str):
    return repo.get_obligation(contract_id, "notice_deadline")


def test_a_term_restated_from_the_effective_date_counts_from_the_agreements_not_the_amendments(cloud, tmp_path, msa):
    """Q1: "commence on the Effective Date and continue for ... four (4) years" in an amendment dated
    2 November 2026 is the Agreement's Effective Date (1 March 2024): the term ends 2028-02-29, not
    2030-11-01, and the arithmetic says whose date it counts from."""
    amendment = _upload(cloud, tmp_path, "amdR.pdf", AMENDMENT_RESTATED_TERM)
    assert repo.get_contract(amendment).amends_contract_id == msa
    terms = repo.current_terms(msa)
    assert terms["initial_term"].value == "P4Y"
    assert terms["expiration_date"].value == "2028-02-29"
    assert terms["expiration_date"].derivation.startswith("effective_date 2024-03-01 (of msa.pdf) + P4Y - 1 day")
    assert terms["expiration_date"].source_contract_id == amendment
    assert terms["effective_date"].value == "2024-03-01"  # the contract's own, not the amendment's
    expiration = repo.get_obligation(msa, "expiration")
    assert expiration.due == "2028-02-29" and "2026-11-02" not in expiration.derivation
    assert _notice(msa).due == "2027-12-31"  # 2028-02-29 - 60 days


def test_the_notice_deadline_quotes_the_notice_clause_and_names_both_sources(cloud, tmp_path, msa):
    """Q3: No. 2 sets 30 days' notice, then an amendment extends only the term: the deadline's clause is
    still No. 2's notice sentence, and its arithmetic names the document of each part."""
    _upload(cloud, tmp_path, "amd2.pdf", AMENDMENT_2)
    _upload(cloud, tmp_path, "amd1.pdf", AMENDMENT_1)
    extension = _upload(cloud, tmp_path, "amdA.pdf", AMENDMENT_TO_1)
    assert repo.get_contract(extension).amends_contract_id == msa
    notice = _notice(msa)
    assert notice.due == "2028-05-31"  # 2028-06-30 - 30 days
    assert "thirty (30) days prior to the expiration" in _words(notice.evidence)
    assert notice.evidence["document"] == "amd2.pdf"
    assert notice.derivation.startswith("expiration_date 2028-06-30 (amdA.pdf) - P30D (notice period, amd2.pdf, amending the Agreement's §4.1)")


def test_a_notice_period_a_person_entered_stays_theirs_after_an_amendment_states_another(cloud, tmp_path, msa):
    """Q5: ten business days entered by a person; No. 2 then says thirty days: the entered value is kept,
    the deadline still says so, and no clause stating thirty days is quoted for it."""
    _upload(cloud, tmp_path, "amd1.pdf", AMENDMENT_1)
    entered = call("PUT", f"/contracts/{msa}/terms/notice_period", claims=ADMIN,
                   body={"value": "P10BD", "note": "per legal: ten business days"})
    assert entered.status == 200
    assert _notice(msa).due == "2028-02-14"
    _upload(cloud, tmp_path, "amd2.pdf", AMENDMENT_2)
    terms = repo.current_terms(msa)
    assert terms["notice_period"].value == "P10BD" and terms["notice_period"].entered_by
    deadline = terms["notice_deadline"]
    assert deadline.value == "2028-02-14"
    assert "(from notice_period entered by ken@example.com)" in deadline.derivation
    assert "amd2.pdf said P30D, the entered value was kept" in deadline.derivation
    assert deadline.evidence is None
    notice = _notice(msa)
    assert notice.due == "2028-02-14" and "(from notice_period entered by ken@example.com)" in notice.derivation
    assert "thirty" not in _words(notice.evidence)


def test_deleting_the_only_amendment_brings_the_contracts_own_terms_back(cloud, tmp_path, msa):
    """Q4: No. 1 (to 2028-02-29, 90 days) is deleted: the contract is the MSA alone again (2027-02-28,
    60 days' notice: by 2026-12-30), and no longer lists No. 1."""
    amendment = _upload(cloud, tmp_path, "amd1.pdf", AMENDMENT_1)
    assert _notice(msa).due == "2027-12-01"
    assert call("DELETE", f"/contracts/{amendment}", claims=ADMIN).status == 200
    contract = call("GET", f"/contracts/{msa}", claims=ADMIN).json()
    assert contract["amended_by"] == []
    assert contract["terms"]["expiration_date"]["value"] == "2027-02-28"
    assert contract["terms"]["notice_period"]["value"] == "P60D"
    assert contract["notice_deadline"] == "2026-12-30" and contract["expiration"] == "2027-02-28"
    notice = _notice(msa)
    assert notice.due == "2026-12-30" and "amd1.pdf" not in notice.derivation
    assert "sixty (60) days" in _words(notice.evidence)
    assert repo.get_obligation(msa, "expiration").due == "2027-02-28"
    assert "amendment.removed" in [e.action for e in repo.audit_events(msa)]


def test_deleting_one_amendment_applies_the_others_again(cloud, tmp_path, msa):
    """Q4: No. 1 (to 2028-02-29) and No. 2 (30 days) applied; No. 1 deleted: the term is the MSA's
    again (2027-02-28) and the notice period still No. 2's."""
    amendment_2 = _upload(cloud, tmp_path, "amd2.pdf", AMENDMENT_2)
    amendment_1 = _upload(cloud, tmp_path, "amd1.pdf", AMENDMENT_1)
    assert _notice(msa).due == "2028-01-30"  # 2028-02-29 - 30 days
    assert call("DELETE", f"/contracts/{amendment_1}", claims=ADMIN).status == 200
    contract = call("GET", f"/contracts/{msa}", claims=ADMIN).json()
    assert contract["amended_by"] == [amendment_2]
    assert contract["terms"]["expiration_date"]["value"] == "2027-02-28"
    assert contract["terms"]["notice_period"]["value"] == "P30D"
    assert contract["terms"]["notice_period"]["source"]["contract_id"] == amendment_2
    notice = _notice(msa)
    assert notice.due == "2027-01-29"  # 2027-02-28 - 30 days
    assert "amd1.pdf" not in notice.derivation and "amd2.pdf" in notice.derivation
    assert "thirty (30) days" in _words(notice.evidence)


def test_a_correction_of_an_amended_term_names_the_amendment_its_clause_is_in(cloud, tmp_path, msa):
    """Q10: the expiration No. 1 set, corrected by a person: the export's clause is No. 1's sentence, and
    the line names No. 1 as the document it is in (its page and offsets index amd1.pdf, not msa.pdf)."""
    amendment = _upload(cloud, tmp_path, "amd1.pdf", AMENDMENT_1)
    assert call("PUT", f"/contracts/{msa}/terms/expiration_date", claims=ADMIN,
                body={"value": "2028-03-31", "note": "side letter"}).status == 200
    [line] = [c for c in call("GET", "/corrections", claims=ADMIN).json()["items"] if c["field"] == "expiration_date"]
    assert line["clause_source"] == "extraction" and "extended until February 29, 2028" in _words(line["clause"])
    assert (line["contract_id"], line["file_name"]) == (msa, "msa.pdf")
    assert (line["clause_contract_id"], line["clause_file_name"]) == (amendment, "amd1.pdf")
    assert line["clause_document_sha256"] == repo.get_contract(amendment).sha256


def test_unlinking_an_amendment_brings_the_contracts_own_terms_back_and_it_waits_for_a_person(cloud, tmp_path, msa):
    """Q4: No. 1 applied to the MSA by mistake is unlinked (DELETE /contracts/{id}/amends): the MSA's terms
    and deadlines are its own again, No. 1 waits (applied again to the MSA only by a person's link)."""
    amendment = _upload(cloud, tmp_path, "amd1.pdf", AMENDMENT_1)
    viewer = claims("ops", "viewer", "vic@example.com")
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=viewer).status == 403
    unlinked = call("DELETE", f"/contracts/{amendment}/amends", claims=claims("ops", "editor", "ed@example.com"))
    assert unlinked.status == 200, unlinked.text
    contract = call("GET", f"/contracts/{msa}", claims=ADMIN).json()
    assert contract["amended_by"] == [] and contract["notice_deadline"] == "2026-12-30"
    assert contract["terms"]["expiration_date"]["value"] == "2027-02-28"
    item = repo.get_contract(amendment)
    assert (item.amends_contract_id, item.unlinked_from) == (None, [msa])
    assert "unlinked from msa.pdf" in item.status_reason
    assert "amendment.unlinked" in [e.action for e in repo.audit_events(amendment)]
    # not applied again by itself (the operator's look at waiting amendments), only by a person's link
    from clausewatch.pipeline.record import look_again_for_waiting_amendments

    look_again_for_waiting_amendments(actor="operator")
    assert repo.get_contract(amendment).amends_contract_id is None
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=ADMIN).status == 409
    assert call("PUT", f"/contracts/{amendment}/amends", claims=ADMIN, body={"contract_id": msa}).status == 200
    assert call("GET", f"/contracts/{msa}", claims=ADMIN).json()["notice_deadline"] == "2027-12-01"


def test_a_later_amendments_end_stands_over_a_term_an_earlier_one_restates(cloud, tmp_path, msa):
    """Q1: No. 2 (extending to 2029-06-30) filed before No. 1 (restating four years from the Effective
    Date): No. 1 applied late does not undo No. 2's end with its own count (2028-02-29)."""
    extension = AMENDMENT_2.split("1. Notice of Non-Renewal.")[0] + "1. Term. The Initial Term is hereby extended until June 30, 2029.\n"
    _upload(cloud, tmp_path, "amd2-extension.pdf", extension)
    assert repo.current_terms(msa)["expiration_date"].value == "2029-06-30"
    _upload(cloud, tmp_path, "amdR.pdf", AMENDMENT_RESTATED_TERM)
    terms = repo.current_terms(msa)
    assert terms["expiration_date"].value == "2029-06-30" and terms["initial_term"].value == "P4Y"
    assert repo.get_obligation(msa, "expiration").due == "2029-06-30"


def test_a_notice_deadline_only_a_removed_amendment_gave_is_withdrawn(cloud, tmp_path):
    """Q4: an agreement with no notice period, given one (30 days) by No. 2; No. 2 deleted: the contract has
    no notice period and its notice deadline is withdrawn (superseded), not left open on No. 2's date."""
    clock.set_now(NOW)
    cloud.work_dir = tmp_path
    silent = MSA.replace(", unless either party gives the other party written notice of non-renewal at least sixty "
                         "(60) days prior to the expiration of the then-current term", "")
    contract = _upload(cloud, tmp_path, "msa-no-notice.pdf", silent)
    assert repo.current_terms(contract).get("notice_period") is None and _notice(contract) is None
    amendment = _upload(cloud, tmp_path, "amd2.pdf", AMENDMENT_2)
    assert _notice(contract).due == "2027-01-29" and _notice(contract).status == "open"
    assert call("DELETE", f"/contracts/{amendment}", claims=ADMIN).status == 200
    assert repo.current_terms(contract)["notice_period"].value is None
    assert _notice(contract).status == "superseded"
    assert call("GET", f"/contracts/{contract}", claims=ADMIN).json()["notice_deadline"] is None


# amdY.pdf: the term restated to the end of the calendar year of the (Agreement's) Effective Date
AMENDMENT_YEAR_END = AMENDMENT_RESTATED_TERM.replace(
    '"This Agreement shall commence on the Effective Date and continue for an initial term of four (4) years '
    '(the "Initial Term")."',
    '"This Agreement shall remain in effect until December 31 of the calendar year in which the Effective Date '
    'falls (the "Initial Term")."')


def test_a_term_to_the_end_of_the_calendar_year_of_the_effective_date_counts_the_agreements_year(cloud, tmp_path, msa):
    """Q1: "until December 31 of the calendar year in which the Effective Date falls" in an amendment dated
    2 November 2026 is the year of the Agreement's Effective Date (1 March 2024): 2024-12-31, not
    2026-12-31, and the arithmetic says whose date it is."""
    assert AMENDMENT_YEAR_END != AMENDMENT_RESTATED_TERM
    amendment = _upload(cloud, tmp_path, "amdY.pdf", AMENDMENT_YEAR_END)
    assert repo.get_contract(amendment).amends_contract_id == msa
    end = repo.current_terms(msa)["expiration_date"]
    assert end.value == "2024-12-31"
    assert end.derivation == "the end of the calendar year of effective_date 2024-03-01 (of msa.pdf) (term of amdY.pdf)"
    assert end.source_contract_id == amendment and "calendar year in which the Effective Date" in _words(end.evidence)
    # unlinked, the MSA's own three years are back; linked again by a person, counted again
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=ADMIN).status == 200
    assert repo.current_terms(msa)["expiration_date"].value == "2027-02-28"
    assert call("PUT", f"/contracts/{amendment}/amends", claims=ADMIN, body={"contract_id": msa}).status == 200
    assert repo.current_terms(msa)["expiration_date"].value == "2024-12-31"


def test_a_later_amendments_end_stands_over_an_earlier_ones_calendar_year_end(cloud, tmp_path, msa):
    """No. 2 (extending to 2029-06-30) filed before No. 1 (to the end of the Effective Date's year): No. 1
    applied late does not undo No. 2's end."""
    extension = AMENDMENT_2.split("1. Notice of Non-Renewal.")[0] + "1. Term. The Initial Term is hereby extended until June 30, 2029.\n"
    _upload(cloud, tmp_path, "amd2-extension.pdf", extension)
    _upload(cloud, tmp_path, "amdY.pdf", AMENDMENT_YEAR_END)
    assert repo.current_terms(msa)["expiration_date"].value == "2029-06-30"


def test_a_later_amendments_calendar_year_end_stands_over_an_earlier_ones_end(cloud, tmp_path, msa):
    """No. 2 (to the end of the Effective Date's year) filed before No. 1 (extending to 2028-02-29): No. 1
    applied late does not undo No. 2's end, which states no date of its own."""
    year_end_2 = AMENDMENT_YEAR_END.replace("AMENDMENT NO. 1", "AMENDMENT NO. 2").replace(
        "Amendment No. 1", "Amendment No. 2").replace("November 2, 2026", "November 20, 2026")
    _upload(cloud, tmp_path, "amd2-year-end.pdf", year_end_2)
    assert repo.current_terms(msa)["expiration_date"].value == "2024-12-31"
    _upload(cloud, tmp_path, "amd1.pdf", AMENDMENT_1)
    terms = repo.current_terms(msa)
    assert terms["expiration_date"].value == "2024-12-31"  # not No. 1's 2028-02-29
    assert terms["notice_period"].value == "P90D"  # what No. 2 does not state, No. 1 does


def test_the_contract_says_whether_its_page_may_offer_the_caller_to_unlink_it(cloud, tmp_path, msa):
    """The web page shows its unlink button by `caller_may`: on an applied amendment, to an editor or an
    admin (the DELETE route's role); never to a viewer, on the amended contract, or once unlinked. Its
    owner may be changed, not its jurisdiction (the route answers 409: counted on its contract's)."""
    amendment = _upload(cloud, tmp_path, "amd1.pdf", AMENDMENT_1)
    editor, viewer = claims("ops", "editor", "ed@example.com"), claims("ops", "viewer", "vic@example.com")
    may = {who: call("GET", f"/contracts/{amendment}", claims=c).json()["caller_may"]
           for who, c in {"admin": ADMIN, "editor": editor, "viewer": viewer}.items()}
    # (and what every contract offers an editor: its terms; an amendment is offered no SLA metrics or
    # invoices: its contract is, which the money λ checks them against; nor events' dates, entered on
    # the contract it amends: the route answers 409 saying so (QA of 2026-12-07: offered to an admin,
    # and refused as "EXTRACTED"))
    assert may == {"admin": ["unlink_amendment", "enter_terms", "set_owner"],
                   "editor": ["unlink_amendment", "enter_terms", "set_owner"], "viewer": []}
    refused = call("POST", f"/contracts/{amendment}/events", body={"event": "Launch Date", "date": "2027-01-01"},
                   claims=ADMIN)
    assert refused.status == 409 and "is an amendment: an event's date is entered on the contract it amends" \
        in refused.json()["message"], refused.text
    assert call("PUT", f"/contracts/{amendment}/jurisdiction", body={"jurisdiction": "GB-ENG"},
                claims=editor).status == 409
    assert call("GET", f"/contracts/{msa}", claims=editor).json()["caller_may"] == [
        "enter_terms", "send_money_files", "set_owner", "set_jurisdiction", "set_time_zone"]
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=editor).status == 200
    # unlinked, it waits for a person to say which contract it amends: the page offers to link it
    assert call("GET", f"/contracts/{amendment}", claims=editor).json()["caller_may"] == ["link_amendment",
                                                                                          "enter_terms", "set_owner"]
    assert call("GET", f"/contracts/{amendment}", claims=viewer).json()["caller_may"] == []
