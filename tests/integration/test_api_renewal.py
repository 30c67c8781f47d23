"""The renewal routes through functions/api/handler.py: GET /contracts/{id}/renewal, POST
/contracts/{id}/renewal-decision (editor of the contract's team; 409 when nothing waits) and the
public decision link (GET shows, only POST decides; a used, expired or forged link is refused)."""

from __future__ import annotations

import pytest

from clausewatch import clock
from clausewatch.renewal import links, store
from clausewatch.renewal import local as renewal_local
from clausewatch.schema import ObligationStatus, RenewalState
from clausewatch.store import repository as repo
from tests.integration.api_support import _document, call, claims, no_scan_in_api_requests, off_the_document  # noqa: F401
from tests.integration.test_renewal_workflow import SAAS_ID, asked_saas

PROCUREMENT = "procurement"
EDITOR = claims(PROCUREMENT, "editor", "priya.raman@example.com")
VIEWER = claims(PROCUREMENT, "viewer")


@pytest.fixture(scope="module")
def saas_waiting(save_cloud):
    return save_cloud(asked_saas)


@pytest.fixture
def waiting(cloud, saas_waiting):
    saas_waiting.restore(cloud)
    return cloud


def link(item: store.RenewalItem, *, expires=None) -> str:
    return links.sign(store.secret(links.SECRET_NAME), item.contract_id, item.term_end, item.decision_nonce,
                      expires or clock.now().replace(year=clock.now().year + 1))


def test_the_renewal_shows_state_recommendation_evidence_and_history(waiting):
    reply = call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER)
    assert reply.status == 200, reply.text
    body = reply.json()
    assert body["state"] == "waiting" and body["waiting_for"] == "owner" and body["term_end"] == "2027-02-28"
    assert body["recommendation"]["decision"] == "renegotiate" and body["recommendation"]["reasons"]
    assert body["evidence"]["notice_deadline"] == "2026-12-30" and "obligations_missed" in body["evidence"]
    assert [h["action"] for h in body["history"]][:3] == ["evidence.gathered", "recommended", "asked.owner"]
    assert "task_token" not in reply.text and "decision_nonce" not in reply.text
    assert call("GET", f"/contracts/{SAAS_ID}/renewal", claims=claims("supply-chain", "viewer")).status == 404


def test_before_the_workflow_starts_the_current_term_is_not_started(cloud):
    from tests.integration.test_renewal_workflow import SAAS, TODAY, upload

    clock.set_now(TODAY)
    upload(cloud, SAAS)  # its start schedule is planned, not fired
    body = call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER).json()
    assert (body["state"], body["term_end"], body["notice_deadline"], body["history"]) == \
        ("not started", "2027-02-28", "2026-12-30", [])
    reply = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={"decision": "renew", "reason": "x"},
                 claims=EDITOR)
    assert reply.status == 409 and "no renewal workflow" in reply.message


def test_a_decision_needs_an_editor_of_the_team_and_then_is_409(waiting):
    body = {"decision": "renew", "reason": "price agreed"}
    assert call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body=body, claims=VIEWER).status == 403
    assert call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body=body,
                claims=claims("supply-chain", "editor")).status == 404
    assert call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={"decision": "maybe", "reason": "x"},
                claims=EDITOR).status == 400
    reply = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body=body, claims=EDITOR)
    assert reply.status == 200, reply.text
    # locally the branch has run when the decision returns (deployed it runs after: "decided")
    assert reply.json()["state"] == "renewed" and reply.json()["decision"]["by"] == "priya.raman@example.com"
    assert renewal_local.settle(store.latest(SAAS_ID).execution_arn) == "SUCCEEDED"
    assert call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER).json()["state"] == "renewed"
    other = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={**body, "decision": "terminate"},
                 claims=EDITOR)
    assert other.status == 409 and "renewed" in other.message


def test_a_decision_sent_again_without_its_term_is_the_decision_as_it_is(waiting):
    """API QA 2026-12-06: a client retrying the decision it took (no term_end) got a 409; now the
    decision as it stands (200, nothing recorded again), and a 409 only for a different decision,
    naming the one taken."""
    body = {"decision": "renew", "reason": "price agreed"}
    first = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body=body, claims=EDITOR)
    assert first.status == 200, first.text
    renewal_local.settle(store.latest(SAAS_ID).execution_arn)
    history = store.latest(SAAS_ID).history
    again = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={**body, "reason": "retry"}, claims=EDITOR)
    assert again.status == 200, again.text
    assert (again.json()["state"], again.json()["term_end"], again.json()["decision"]["reason"]) == \
        ("renewed", "2027-02-28", "price agreed")
    assert store.latest(SAAS_ID).history == history  # nothing recorded again
    other = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={**body, "decision": "terminate"},
                 claims=EDITOR)
    assert other.status == 409, other.text
    assert other.message == ("the renewal of the term ending 2027-02-28 is renewed: renew was decided by "
                             f"priya.raman@example.com at {first.json()['decision']['at']}, not terminate")
    stranger = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body=body, claims=claims("supply-chain", "editor"))
    assert stranger.status == 404


def test_a_decision_without_its_term_after_the_term_rolled_is_not_last_terms_answer(waiting):
    """Review rv8 SHOULD-2: once the renewed term ended, the next term has no record until its
    workflow starts, so a "renew" without term_end (meant for the coming term) was answered 200 with
    last year's decision, and nothing was recorded. Now the answer is that none waits (409)."""
    from datetime import UTC, datetime

    from clausewatch.store import repository as repo

    body = {"decision": "renew", "reason": "price agreed"}
    assert call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body=body, claims=EDITOR).status == 200
    renewal_local.settle(store.latest(SAAS_ID).execution_arn)
    waiting.fire_until(datetime(2027, 3, 10, 15, tzinfo=UTC))  # past the term end: the contract renewed
    assert repo.get_contract(SAAS_ID).current_expiration == "2028-02-29"
    assert store.latest(SAAS_ID).term_end == "2027-02-28"
    later = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={**body, "reason": "next year too"},
                 claims=EDITOR)
    assert later.status == 409, later.text  # was 200 with last year's decision, as if taken for this term
    assert "next year too" not in str(store.latest(SAAS_ID).history)


def test_a_decision_sent_again_with_its_term_is_the_decision_as_it_is(waiting):
    """A client that retries after a timeout (the decision was taken) names the term it decides:
    the same decision again is a 200 with the record as it is, nothing recorded twice; another
    decision, or another term, is refused. Before: a 409 for the retry of a decision taken."""
    body = {"decision": "renew", "reason": "price agreed", "term_end": "2027-02-28"}
    first = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body=body, claims=EDITOR)
    assert first.status == 200, first.text
    history = store.latest(SAAS_ID).history
    again = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={**body, "reason": "retry"}, claims=EDITOR)
    assert again.status == 200, again.text
    assert (again.json()["state"], again.json()["decision"]["reason"]) == ("renewed", "price agreed")
    assert store.latest(SAAS_ID).history == history  # nothing recorded again
    other = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={**body, "decision": "terminate"},
                 claims=EDITOR)
    assert other.status == 409 and "renewed" in other.message
    unknown = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={**body, "term_end": "2028-02-28"},
                   claims=EDITOR)
    assert (unknown.status, unknown.message) == \
        (404, f"contract {SAAS_ID} has no renewal decision for the term ending 2028-02-28")
    stranger = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body=body, claims=claims("supply-chain", "editor"))
    assert stranger.status == 404 and stranger.message == f"no contract '{SAAS_ID}'"


def test_the_renewals_list_carries_each_terms_decision(waiting):
    def saas_row() -> dict:
        # 120 days: the term end (2027-02-28) too, once the decision closed the notice deadline
        items = call("GET", "/renewals", query={"within": "120"}, claims=VIEWER).json()["items"]
        [row] = [r for r in items if r["contract_id"] == SAAS_ID]
        return row

    assert saas_row()["decision"] == {"state": "waiting", "recommended": "renegotiate", "waiting_for": "owner",
                                      "decision": None, "decided_by": None, "outcome": None}
    reply = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={"decision": "renew", "reason": "ok"},
                 claims=EDITOR)
    assert reply.status == 200, reply.text
    decided = saas_row()["decision"]
    assert (decided["state"], decided["decision"], decided["decided_by"], decided["waiting_for"]) == \
        ("renewed", "renew", "priya.raman@example.com", None)
    assert decided["outcome"] == store.latest(SAAS_ID).outcome


def test_a_decision_link_is_shown_by_get_and_decides_once_by_post(waiting):
    token = link(store.latest(SAAS_ID))
    shown = call("GET", "/renewal-decision", query={"token": token, "decision": "terminate"})
    assert shown.status == 200, shown.text
    assert shown.json()["decision"] == "terminate" and shown.json()["term_end"] == "2027-02-28"
    assert store.latest(SAAS_ID).state == RenewalState.WAITING  # opening the link decided nothing
    decided = call("POST", "/renewal-decision", query={"token": token, "decision": "terminate"})
    assert decided.status == 200, decided.text
    assert decided.json()["decision"]["via"] == "link"
    renewal_local.settle(store.latest(SAAS_ID).execution_arn)
    reused = call("POST", "/renewal-decision", query={"token": token, "decision": "renew"})
    assert reused.status == 409 and "already used" in reused.message
    assert call("GET", "/renewal-decision", query={"token": token}).status == 409


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_browser_opening_a_decision_link_gets_a_page_to_confirm_on_and_a_page_saying_what_was_recorded(waiting):
    token = link(store.latest(SAAS_ID))
    page = call("GET", "/renewal-decision", query={"token": token, "decision": "terminate"}, headers=BROWSER)
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html"), page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"] and "<script" not in page.text
    assert "2027-02-28" in page.text and "Renewal decision" in page.text
    # one form, three buttons posting this link with their decision; the suggested one marked
    assert page.text.count("formaction=") == 3 and 'value="terminate" formaction' in page.text
    assert 'value="terminate" formaction="?token=' in page.text and "class=recommended>Terminate" in page.text
    assert store.latest(SAAS_ID).state == RenewalState.WAITING  # opening the page decided nothing
    confirmed = call("POST", "/renewal-decision", query={"token": token, "decision": "terminate"},
                     raw_body="reason=Moving+to+an+in-house+tool+%3Cb%3E", headers={
                         **BROWSER, "Content-Type": "application/x-www-form-urlencoded"})
    assert confirmed.status == 200 and confirmed.headers["Content-Type"].startswith("text/html"), confirmed.text
    assert "Decision recorded" in confirmed.text and "terminate" in confirmed.text
    assert "Moving to an in-house tool &lt;b&gt;" in confirmed.text  # the form's reason, escaped
    assert store.latest(SAAS_ID).decision["reason"] == "Moving to an in-house tool <b>"
    renewal_local.settle(store.latest(SAAS_ID).execution_arn)
    used = call("GET", "/renewal-decision", query={"token": token}, headers=BROWSER)
    assert used.status == 409 and used.headers["Content-Type"].startswith("text/html")
    assert "cannot be used" in used.text and "already used" in used.text


def test_an_expired_or_forged_decision_link_is_refused(waiting):
    item = store.latest(SAAS_ID)
    expired = call("POST", "/renewal-decision", query={"token": link(item, expires=clock.now()), "decision": "renew"})
    assert expired.status == 403 and "expired" in expired.message
    forged = links.sign(b"x" * 32, item.contract_id, item.term_end, item.decision_nonce,
                        clock.now().replace(year=clock.now().year + 1))
    assert call("POST", "/renewal-decision", query={"token": forged, "decision": "renew"}).status == 403
    assert call("GET", "/renewal-decision", query={"token": "short"}).status == 400
    assert store.latest(SAAS_ID).state == RenewalState.WAITING


def test_the_renewals_list_reads_a_terms_record_in_part_and_never_writes_it_back(waiting):
    record = store.latest(SAAS_ID)
    assert record.history and record.evidence  # what the list leaves behind
    [listed] = store.by_term([(SAAS_ID, record.term_end)]).values()
    assert listed.partial and (listed.state, listed.decision, listed.outcome) == (
        record.state, record.decision, record.outcome)
    assert listed.history == [] and listed.evidence is None  # defaults, not the stored values
    with pytest.raises(TypeError, match="some attributes only"):
        listed.save()
    assert store.latest(SAAS_ID).history == record.history


def test_a_contract_ended_by_do_not_renew_no_longer_reads_auto_renew(waiting):
    """QA R5: once the notice of non-renewal was given, the API says the contract ends (its
    extracted auto-renewal stays among its terms, as evidence), in the contract and in the lists."""
    from clausewatch import config
    from clausewatch.aws.clients import client
    from clausewatch.pipeline import actions
    from clausewatch.renewal import decide

    assert call("GET", f"/contracts/{SAAS_ID}", claims=VIEWER).json()["auto_renew"] is True
    decide.decide(SAAS_ID, "terminate", "moving to another vendor", actor="priya.raman@example.com")
    renewal_local.settle(store.latest(SAAS_ID).execution_arn)
    waiting.pump()
    receipt = f"{config.EVIDENCE_PREFIX}{SAAS_ID}/courier-receipt.pdf"
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=receipt, Body=b"%PDF-1.4 receipt")
    actions.complete_obligation(SAAS_ID, "renewal-notice@2027-02-28", actor="priya.raman@example.com",
                                note="sent", evidence_key=receipt)
    waiting.pump()
    derivation = ("ended 2027-02-28: notice of non-renewal given 2026-11-25 "
                  "(renewal decision terminate by priya.raman@example.com)")
    body = call("GET", f"/contracts/{SAAS_ID}", claims=VIEWER).json()
    assert (body["auto_renew"], body["ended"], body["ended_derivation"]) == (False, "2027-02-28", derivation)
    assert body["terms"]["auto_renewal"]["value"] is True  # the clause as read, kept as evidence
    [listed] = [c for c in call("GET", "/contracts", claims=VIEWER).json()["items"] if c["id"] == SAAS_ID]
    assert (listed["auto_renew"], listed["ended"]) == (False, "2027-02-28")
    [renewal] = [r for r in call("GET", "/renewals", query={"within": "120"}, claims=VIEWER).json()["items"]
                 if r["contract_id"] == SAAS_ID]
    assert (renewal["auto_renew"], renewal["ended"], renewal["expiration"]) == (False, "2027-02-28", "2027-02-28")


def test_a_decision_superseded_by_a_moved_term_end_shows_the_current_term(waiting):
    """A "do not renew" whose notice was not given, then the term is extended: the route shows the
    current term (not started), not the superseded decision and its withdrawn letter."""
    from clausewatch.pipeline import entries
    from tests.integration.test_renewal_workflow import terminate_saas

    terminate_saas(waiting)
    assert call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER).json()["state"] == "terminated"
    entries.enter_term(SAAS_ID, "expiration_date", "2028-02-29", note="Amendment No. 1 extends the term",
                       actor="priya.raman@example.com", team=PROCUREMENT)
    waiting.pump()
    body = call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER).json()
    assert (body["state"], body["term_end"], body["notice_deadline"], body["notice_letter"]) == \
        ("not started", "2028-02-29", "2027-12-31", None)
    assert store.get(SAAS_ID, "2027-02-28").state == RenewalState.SUPERSEDED


def test_a_link_opened_before_any_workflow_signed_one_is_refused_and_makes_no_secret(cloud):
    """On a new deployment no link was ever signed: a forged one is refused as not signed, and the
    api λ (whose role may not write it) does not create the link secret on the way."""
    forged = links.sign(b"x" * 32, SAAS_ID, "2027-02-28", "nonce", clock.now().replace(year=clock.now().year + 1))
    for method in ("GET", "POST"):
        reply = call(method, "/renewal-decision", query={"token": forged, "decision": "renew"})
        assert reply.status == 403 and "not signed" in reply.message, reply.text
    assert call("GET", "/renewal-decision", query={"token": "short"}).status == 400
    assert store.existing_secret(links.SECRET_NAME) is None


def test_a_decision_link_posted_with_a_json_reason_records_it(waiting):
    """QA q6 NIT: the reason of a JSON body was ignored ("decided from the email link")."""
    token = link(store.latest(SAAS_ID))
    decided = call("POST", "/renewal-decision", query={"token": token, "decision": "renew"},
                   body={"reason": "price agreed on the phone"})
    assert decided.status == 200, decided.text
    assert store.latest(SAAS_ID).decision["reason"] == "price agreed on the phone"


def lapsed(cloud) -> store.RenewalItem:
    """Nobody decides: escalated, then lapsed at the final cut-off (24 Dec 2026, New York); the
    notice deadline is 30 Dec 2026."""
    from datetime import UTC, datetime

    cloud.fire_until(datetime(2026, 12, 26, tzinfo=UTC))
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.LAPSED_RENEWED
    return item


def test_do_not_renew_after_the_lapse_while_notice_can_still_be_given_prepares_the_letter(waiting):
    """QA q6 MUST-3: after the lapse (final cut-off 24 Dec), with notice still possible until
    30 Dec, "terminate" was a 409; it is taken as a decision in time: who, when, late, the letter
    and the send-notice obligation."""
    from clausewatch.schema import ObligationStatus
    from clausewatch.store import repository as repo

    lapsed(waiting)
    reply = call("POST", f"/contracts/{SAAS_ID}/renewal-decision",
                 body={"decision": "terminate", "reason": "moving to another vendor"}, claims=EDITOR)
    assert reply.status == 200, reply.text
    body = reply.json()
    assert body["state"] == "terminated" and body["outcome"] == "not renewed: notice to send"
    assert body["notice_letter"] == f"contracts/{SAAS_ID}/notices/non-renewal-2027-02-28.pdf"
    decision = body["decision"]
    assert (decision["decision"], decision["by"], decision["round"], decision["notice_open_until"]) == \
        ("terminate", "priya.raman@example.com", "after lapse", "2026-12-30T23:59:59-05:00")
    assert decision["lapsed_at"] and decision["at"] > decision["lapsed_at"]
    seen = [h["action"] for h in body["history"]]
    assert seen.index("lapsed") < seen.index("decided.after_lapse") < seen.index("terminated")
    obligation = repo.get_obligation(SAAS_ID, "renewal-notice@2027-02-28")
    assert obligation.due == "2026-12-30" and obligation.status == ObligationStatus.OPEN
    assert "decided terminate by priya.raman@example.com" in obligation.derivation
    assert repo.get_obligation(SAAS_ID, "notice_deadline").status != ObligationStatus.OPEN
    again = call("POST", f"/contracts/{SAAS_ID}/renewal-decision",
                 body={"decision": "terminate", "reason": "retry"}, claims=EDITOR)
    assert again.status == 200 and again.json()["decision"]["reason"] == "moving to another vendor"


def test_a_late_decision_whose_branch_failed_is_finished_by_the_same_decision_sent_again(waiting, monkeypatch):
    """A late "terminate" recorded, then its branch (the letter) failed: the record stayed `decided`
    and the same decision sent again answered it as it was, the letter never written."""
    from clausewatch.renewal import steps

    lapsed(waiting)
    real_run = steps.run

    def fails(event, settings):
        raise RuntimeError("S3 unavailable")

    monkeypatch.setattr(steps, "run", fails)
    with pytest.raises(RuntimeError, match="S3 unavailable"):  # the λ fails: API Gateway answers 502
        call("POST", f"/contracts/{SAAS_ID}/renewal-decision",
             body={"decision": "terminate", "reason": "moving to another vendor"}, claims=EDITOR)
    assert store.latest(SAAS_ID).state == RenewalState.DECIDED
    monkeypatch.setattr(steps, "run", real_run)
    again = call("POST", f"/contracts/{SAAS_ID}/renewal-decision",
                 body={"decision": "terminate", "reason": "retry"}, claims=EDITOR)
    assert again.status == 200, again.text
    body = again.json()
    assert body["state"] == "terminated" and body["decision"]["reason"] == "moving to another vendor"
    assert body["notice_letter"] == f"contracts/{SAAS_ID}/notices/non-renewal-2027-02-28.pdf"


def test_after_the_lapse_renew_is_recorded_renegotiate_refused_and_nothing_once_notice_passed(waiting):
    lapsed(waiting)
    refused = call("POST", f"/contracts/{SAAS_ID}/renewal-decision",
                   body={"decision": "renegotiate", "reason": "x"}, claims=EDITOR)
    assert refused.status == 400 and "decide renew or terminate" in refused.message
    renewed = call("POST", f"/contracts/{SAAS_ID}/renewal-decision",
                   body={"decision": "renew", "reason": "keep it"}, claims=EDITOR)
    assert renewed.status == 200 and renewed.json()["state"] == "renewed", renewed.text


def test_after_the_notice_deadline_passed_a_lapsed_decision_is_409(waiting):
    from datetime import UTC, datetime

    lapsed(waiting)
    clock.set_now(datetime(2026, 12, 31, 5, 0, 1, tzinfo=UTC))  # 30 Dec ended in New York
    reply = call("POST", f"/contracts/{SAAS_ID}/renewal-decision",
                 body={"decision": "terminate", "reason": "too late"}, claims=EDITOR)
    assert reply.status == 409 and "which passed" in reply.message
    assert store.latest(SAAS_ID).state == RenewalState.LAPSED_RENEWED


def test_the_lapse_emails_do_not_renew_link_decides_late_once(waiting):
    """QA q6 MUST-3: the emailed links died with the lapse (403); the lapse email carries new ones,
    renew and do not renew, good until the notice deadline's end."""
    import email
    import email.policy
    import re
    from urllib.parse import parse_qs, urlparse

    sent = len(waiting.sent_mail())
    lapsed(waiting)
    mails = [email.message_from_bytes(raw, policy=email.policy.default) for raw in waiting.sent_mail()[sent:]]
    [mail] = [m for m in mails if "No renewal decision by the cut-off" in m["Subject"]]
    text = next(p.get_content() for p in mail.walk() if p.get_content_type() == "text/plain")
    assert "The links below work once, until 23:59 on 30 Dec 2026 (America/New_York)." in " ".join(text.split())
    urls = re.findall(r"https?://\S+/renewal-decision\?\S+", text)
    assert [parse_qs(urlparse(u).query)["decision"][0] for u in urls] == ["renew", "terminate"]
    query = {k: v[0] for k, v in parse_qs(urlparse(urls[1]).query).items()}
    decided = call("POST", "/renewal-decision", query=query, body={"reason": "notice after all"})
    assert decided.status == 200, decided.text
    body = decided.json()
    assert body["state"] == "terminated" and body["decision"]["via"] == "link"
    assert body["decision"]["round"] == "after lapse" and body["decision"]["reason"] == "notice after all"
    assert call("POST", "/renewal-decision", query=query).status == 409  # once


# --- after a late decision: what the record and the lapse's link page say (QA 2026-12-06) ---------

def test_a_late_decision_shows_it_was_late_and_no_stale_decide_by(waiting):
    """QA: after a decision taken after the lapse, `decide_by` still showed the final cut-off's wait
    (24 Dec 2026 in New York), a day nobody decides by any more. While lapsed it is the last moment a
    decision is still taken (the notice deadline's end); once decided, none; the decision says it
    was late, after which cut-off, by whom, when."""
    lapsed(waiting)
    shown = call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER).json()
    assert shown["state"] == "lapsed: auto-renewed by default" and shown["decided_late"] is False
    assert shown["decide_by"] == "2026-12-31T04:59:59+00:00"  # 30 Dec 2026 23:59:59 New York (was: 24 Dec's)
    reply = call("POST", f"/contracts/{SAAS_ID}/renewal-decision", body={"decision": "renew", "reason": "keep it"},
                 claims=EDITOR)
    assert reply.status == 200, reply.text
    for body in (reply.json(), call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER).json()):
        assert body["state"] == "renewed" and body["decide_by"] is None, body["decide_by"]
        assert body["decided_late"] is True
        decision = body["decision"]
        assert (decision["late"], decision["cutoff"], decision["by"], decision["round"]) == \
            (True, "2026-12-24", "priya.raman@example.com", "after lapse")
        assert decision["at"] > decision["lapsed_at"]
    assert store.latest(SAAS_ID).wait_deadline is None


def test_a_lapsed_decisions_link_page_offers_only_what_it_still_takes_and_says_why(waiting):
    """QA: the lapse email's link page still offered "Renegotiate", then refused it. It offers
    renew and do not renew, says why renegotiating is gone, and its decide-by is the notice deadline."""
    item = lapsed(waiting)
    token = link(item)
    shown = call("GET", "/renewal-decision", query={"token": token}).json()
    assert shown["choices"] == ["renew", "terminate"] and "renegotiating is no longer possible" in shown["why_not"]
    assert shown["decide_by"] == "2026-12-30" and "decision=renew|terminate" in shown["confirm"]
    page = call("GET", "/renewal-decision", query={"token": token, "decision": "terminate"}, headers=BROWSER)
    assert page.status == 200, page.text
    assert page.text.count("formaction=") == 2 and 'value="renegotiate"' not in page.text
    assert "renegotiating is no longer possible" in page.text and "2026-12-30" in page.text
    decided = call("POST", "/renewal-decision", query={"token": token, "decision": "terminate"},
                   raw_body="reason=late+but+in+time", headers={
                       **BROWSER, "Content-Type": "application/x-www-form-urlencoded"})
    assert decided.status == 200, decided.text
    assert "Taken late" in decided.text and "after the cut-off 2026-12-24" in decided.text


def test_the_final_rounds_link_page_after_a_renegotiation_offers_renew_or_terminate(waiting):
    """Renegotiating is decided once: the final round's email and its link page offer renew or do
    not renew (they offered Renegotiate, which the API then refused)."""
    import email
    import email.policy
    import re

    from clausewatch.renewal import decide

    sent = len(waiting.sent_mail())
    decide.decide(SAAS_ID, "renegotiate", "price too high", actor="priya.raman@example.com")
    item = store.latest(SAAS_ID)
    assert item.waiting_round == "final"
    mails = [email.message_from_bytes(raw, policy=email.policy.default) for raw in waiting.sent_mail()[sent:]]
    [final] = [m for m in mails if m["Subject"].startswith("Final renewal decision needed")]
    text = next(p.get_content() for p in final.walk() if p.get_content_type() == "text/plain")
    assert re.findall(r"&decision=(\w+)", text) == ["renew", "terminate"], text
    assert "or renegotiate" not in text and "this is the final decision" in " ".join(text.split())
    page = call("GET", "/renewal-decision", query={"token": link(item)}, headers=BROWSER)
    assert page.status == 200 and page.text.count("formaction=") == 2 and 'value="renegotiate"' not in page.text
    assert "the final decision is renew or do not renew" in page.text
    waiting_link = call("GET", "/renewal-decision", query={"token": link(item)}).json()
    assert waiting_link["choices"] == ["renew", "terminate"]


def test_a_done_refused_for_what_the_obligation_is_is_the_409_or_400_the_document_says(waiting):
    template = "/contracts/{contract_id}/obligations/{obligation_id}/complete"
    said = _document()["paths"][template]["post"]["description"]
    obligations = repo.obligations(SAAS_ID, consistent=True)
    [rule] = [o.obligation_id for o in obligations if o.recurrence and not o.due]
    occurrence = next(o.obligation_id for o in obligations if o.obligation_id.startswith(f"{rule}@"))
    for obligation_id, body, status, why, documented in (
            ("notice_deadline", {}, 409, "closed by that decision", "renewal decision waits for a person"),
            (rule, {}, 409, "recurring duty's rule", "for a recurring duty's rule"),
            (occurrence, {"done_on": "1990-01-02"}, 400, "before the contract's effective date",
             "for any other not before the contract's effective date")):
        reply = call("POST", f"/contracts/{SAAS_ID}/obligations/{obligation_id}/complete", body=body, claims=EDITOR)
        assert (reply.status, why in reply.message) == (status, True), reply.text
        assert off_the_document("POST", template, reply) is None
        assert documented in said
    assert {repo.get_obligation(SAAS_ID, o).status for o in ("notice_deadline", rule, occurrence)} == \
        {ObligationStatus.OPEN}  # nothing written
