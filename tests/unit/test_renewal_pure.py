"""Renewal decisions, the pure parts: the recommendation and its rules, when the workflow starts,
the decision links, the non-renewal letter."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from clausewatch import config
from clausewatch.config import RenewalRules
from clausewatch.plan import ContractInfo
from clausewatch.renewal import DEFINITION_PATH, FUNCTION_PLACEHOLDER, definition, letter, links
from clausewatch.renewal.recommend import Decision, Evidence, recommend
from clausewatch.renewal.schedule import START_TARGET_ARN, diff_starts, execution_name, plan_start

MISSED = {"id": "report@2026-10-14", "summary": "Monthly uptime report", "due": "2026-10-14", "status": "open"}
MET = {"id": "report@2026-09-14", "summary": "Monthly uptime report", "due": "2026-09-14", "status": "done"}


# --- the recommendation --------------------------------------------------------------------------

@pytest.mark.parametrize(("evidence", "decision", "reason_fragment"), [
    (Evidence(contract_type="supply", obligations_met=[MET]), Decision.RENEW, "1 obligation(s) met, none missed"),
    (Evidence(contract_type="supply", obligations_missed=[MISSED]), Decision.RENEGOTIATE, "1 obligation(s) missed"),
    (Evidence(contract_type="supply", obligations_missed=[MISSED] * 3), Decision.TERMINATE, "3 obligations missed"),
    (Evidence(contract_type="supply", sla_breaches=1, credits=1), Decision.RENEGOTIATE, "1 SLA breach(es)"),
    (Evidence(contract_type="supply", sla_breaches=3), Decision.TERMINATE, "3 SLA breaches"),
    (Evidence(contract_type="supply", invoice_findings=2), Decision.RENEGOTIATE, "2 invoice finding(s)"),
    (Evidence(contract_type="supply", minimum_commitment="USD 100000", commitment_used=0.5),
     Decision.RENEGOTIATE, "unused commitment"),
    (Evidence(contract_type="supply", price_increase_cap="7%"), Decision.RENEGOTIATE, "up to 7%"),
    (Evidence(contract_type="supply", price_increase_cap="3%"), Decision.RENEW, "capped at 3%"),
    (Evidence(contract_type="SaaS"), Decision.RENEGOTIATE, "reviewed every term"),
])
def test_recommendation_follows_the_rules(evidence, decision, reason_fragment):
    result = recommend(evidence)
    assert result.decision == decision
    assert any(reason_fragment in reason for reason in result.reasons), result.reasons


def test_rules_come_from_config_and_can_be_changed():
    evidence = Evidence(contract_type="saas", obligations_missed=[MISSED])
    assert recommend(evidence).decision == Decision.RENEGOTIATE
    lenient = RenewalRules(missed_to_renegotiate=5, review_every_term=())
    assert recommend(evidence, lenient).decision == Decision.RENEW
    strict = RenewalRules(missed_to_terminate=1)
    assert recommend(evidence, strict).decision == Decision.TERMINATE


def test_evidence_round_trips_through_its_stored_form():
    evidence = Evidence(contract_type="saas", auto_renew=True, obligations_missed=[MISSED], sla_breaches=2,
                        clauses={"notice_period": {"value": "P60D", "page": 2}})
    assert Evidence.from_dict(json.loads(json.dumps(evidence.to_dict()))) == evidence
    assert Evidence.from_dict({**evidence.to_dict(), "unknown_later_field": 1}) == evidence


# --- the start -----------------------------------------------------------------------------------

SAAS = ContractInfo(contract_id="81f2e11103066aae", title="SaaS", counterparty="Northwind", owner="p@example.com",
                    team="procurement", contract_type="saas", time_zone="America/New_York", jurisdiction="US-NY")


def test_start_is_the_lead_time_before_the_notice_deadline_at_nine_local():
    start = plan_start(SAAS, notice_deadline=date(2026, 12, 30), term_end=date(2027, 2, 28),
                       now=datetime(2026, 6, 1, tzinfo=UTC))
    assert start is not None and not start.immediate
    assert start.lead_days == config.RENEWAL_LEAD_DAYS == 90
    assert start.schedule_expression == "at(2026-10-01T09:00:00)"  # 2026-12-30 - 90 days
    assert start.time_zone == "America/New_York"
    assert start.derivation.startswith("notice_deadline 2026-12-30 - P90D = 2026-10-01")
    request = start.start_request("arn:aws:states:us-east-1:1:stateMachine:clausewatch-renewal")
    assert request["Name"] == execution_name(SAAS.contract_id, date(2027, 2, 28)) == \
        "renewal-81f2e11103066aae-2027-02-28"
    assert json.loads(request["Input"]) == {"contract_id": SAAS.contract_id, "term_end": "2027-02-28",
                                            "resume": "no"}
    assert START_TARGET_ARN == "arn:aws:scheduler:::aws-sdk:sfn:startExecution"


def test_start_without_a_notice_deadline_counts_from_the_term_end_and_per_contract_type():
    nda = ContractInfo(**{**SAAS.__dict__, "contract_type": "nda", "time_zone": "UTC"})
    start = plan_start(nda, notice_deadline=None, term_end=date(2027, 2, 19), now=datetime(2026, 6, 1, tzinfo=UTC))
    assert start is not None and start.reference_kind == "expiration"
    assert start.lead_days == config.renewal_lead_days_for("nda") == 30
    assert start.schedule_expression == "at(2027-01-20T09:00:00)"


def test_a_passed_start_starts_at_once_and_a_passed_deadline_not_at_all():
    now = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    start = plan_start(SAAS, notice_deadline=date(2026, 12, 30), term_end=date(2027, 2, 28), now=now)
    assert start is not None and start.immediate and start.fire_at == now + timedelta(minutes=1)
    assert plan_start(SAAS, notice_deadline=date(2026, 11, 1), term_end=date(2027, 2, 28), now=now) is None
    assert plan_start(SAAS, notice_deadline=None, term_end=None, now=now) is None


def test_a_moved_notice_deadline_is_a_new_start_schedule_and_the_old_one_goes():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    before = plan_start(SAAS, notice_deadline=date(2026, 12, 30), term_end=date(2027, 2, 28), now=now)
    after = plan_start(SAAS, notice_deadline=date(2026, 11, 30), term_end=date(2027, 2, 28), now=now)
    assert before is not None and after is not None and before.name != after.name
    assert before.execution_name == after.execution_name  # the same term: one execution
    other_contract = "cwr-81f2e11103066aaf-0123456789abcdef"
    create, delete = diff_starts(after, {before.name, other_contract}, SAAS.contract_id)
    assert create == after and delete == {before.name}
    assert diff_starts(after, {after.name}, SAAS.contract_id) == (None, set())
    assert diff_starts(None, {after.name}, SAAS.contract_id) == (None, {after.name})


# --- decision links ------------------------------------------------------------------------------

KEY = b"k" * 32
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_a_decision_link_names_the_term_and_nonce_and_is_short():
    token = links.sign(KEY, "81f2e11103066aae", "2027-02-28", "n0nce", NOW + timedelta(days=14))
    claim = links.verify(KEY, token, NOW)
    assert (claim.contract_id, claim.term_end, claim.nonce) == ("81f2e11103066aae", "2027-02-28", "n0nce")
    assert len(token) < 100 and "." in token


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature
    lambda t: links.sign(b"another deployment's key" * 2, "81f2e11103066aae", "2027-02-28", "n0nce",
                         NOW + timedelta(days=14)),
    lambda t: ("B" if t[0] == "A" else "A") + t[1:],  # the signed body
    lambda t: "not-a-token",
])
def test_a_forged_or_malformed_link_is_refused(tamper):
    token = links.sign(KEY, "81f2e11103066aae", "2027-02-28", "n0nce", NOW + timedelta(days=14))
    with pytest.raises(links.BadDecisionToken):
        links.verify(KEY, tamper(token), NOW)


def test_an_expired_link_is_refused():
    token = links.sign(KEY, "81f2e11103066aae", "2027-02-28", "n0nce", NOW + timedelta(days=1))
    with pytest.raises(links.BadDecisionToken, match="expired"):
        links.verify(KEY, token, NOW + timedelta(days=1))


# --- the letter ----------------------------------------------------------------------------------

PAGE = ("3. TERM AND RENEWAL\n3.1 Initial Term. This Agreement commences on the Effective Date.\n"
        "3.2 Automatic Renewal. Upon expiration of the Initial Term, this Agreement shall automatically renew "
        "unless either Party gives written notice of non-renewal at least sixty (60) days prior.\n"
        "10.2 Notices. Notices under this Agreement shall be in writing and delivered by hand or by courier to "
        "the addresses set out above. Notices are effective upon receipt.\n")


def test_the_letter_quotes_the_clause_with_its_section_and_the_notice_terms():
    renewal_at = PAGE.index("Upon expiration")
    assert letter.section_before(PAGE, renewal_at) == "3.2"
    notices = letter.notice_terms(["cover page", PAGE])
    assert notices is not None and notices.page == 2 and notices.section == "10.2"
    assert notices.text.startswith("Notices under this Agreement shall be in writing")
    assert notices.text.endswith("Notices are effective upon receipt.")
    doc = letter.NoticeLetter(
        sender="Harbor Point Logistics, Inc.", recipient="Northwind Analytics, Inc.", title="SaaS Agreement",
        agreement_date="2024-02-20", right=letter.Clause(PAGE[renewal_at:PAGE.index("prior.") + 6], 2, "3.2"),
        notice_terms=notices, term_end=date(2027, 2, 28), notice_deadline=date(2026, 12, 30),
        dated=date(2026, 12, 2), signatory="Priya Raman")
    text = " ".join(PdfReader(io.BytesIO(letter.render_pdf(doc))).pages[0].extract_text().split())
    for expected in ("Notice of non-renewal of the SaaS Agreement dated 20 Feb 2024",
                     "Harbor Point Logistics, Inc. hereby gives Northwind Analytics, Inc. written notice",
                     "end of its current term on 28 Feb 2027", "under Section 3.2 (page 2)",
                     "Upon expiration of the Initial Term", "no later than 30 Dec 2026",
                     "as Section 10.2 requires", "Yours faithfully, Priya Raman for Harbor Point Logistics, Inc."):
        assert expected in text, expected
    unsigned = letter.render_pdf(replace(doc, signatory=None))
    text = " ".join(PdfReader(io.BytesIO(unsigned)).pages[0].extract_text().split())
    assert "Yours faithfully, ________________________________ Name: Title: for Harbor Point Logistics, Inc." in text


def test_the_notices_clause_loses_the_rest_of_its_number_never_a_figure_of_its_own():
    numbered = letter.notice_terms(["Section 9. 12.2 Notices shall be given in writing to the address above."])
    assert numbered is not None and numbered.text == "Notices shall be given in writing to the address above."
    figure = letter.notice_terms(["The term is one year. 30 Days written notice shall be given by email to the address "
                                  "below."])
    assert figure is not None and figure.text.startswith("30 Days written notice shall be given by email")


# --- the definition ------------------------------------------------------------------------------

def test_the_definition_waits_with_heartbeat_and_timeout_and_catches_timeouts():
    asl = json.loads(definition("arn:aws:lambda:us-east-1:1:function:clausewatch-renewal"))
    assert FUNCTION_PLACEHOLDER in DEFINITION_PATH.read_text()
    waits = {name: s for name, s in asl["States"].items() if s.get("Resource", "").endswith(".waitForTaskToken")}
    assert set(waits) == {"AskOwner", "AskFinal", "AskEscalated"}
    for name, state in waits.items():
        assert state["HeartbeatSeconds"] > 0 and state["TimeoutSecondsPath"].startswith("$."), name
        assert state["Parameters"]["Payload"]["task_token.$"] == "$$.Task.Token"
        # a notice deadline moved into the past while asked: nobody can decide in time, it lapses
        [passed, catch, _deleted] = state["Catch"]
        assert passed == {"ErrorEquals": ["NoticeDeadlinePassed"], "ResultPath": "$.timeout", "Next": "Lapse"}
        assert set(catch["ErrorEquals"]) == {"States.Timeout", "DecisionTimeout"}
    # a timed-out round first asks whether its deadline moved later (its timer was set when asked)
    assert {state["Catch"][1]["Next"] for state in waits.values()} == {"TimedOut"}
    routes = {c["Variable"] + "=" + c["StringEquals"]: c["Next"] for c in asl["States"]["WaitExtended"]["Choices"]}
    assert routes == {"$.steps.timed_out.result.again=owner": "OwnerAgain",
                      "$.steps.timed_out.result.again=final": "FinalAgain",
                      "$.steps.timed_out.result.again=escalated": "EscalatedAgain",
                      "$.steps.timed_out.result.round=escalated": "Lapse"}
    assert asl["States"]["WaitExtended"]["Default"] == "Escalate"
    for again, ask in (("OwnerAgain", "AskOwner"), ("FinalAgain", "AskFinal"), ("EscalatedAgain", "AskEscalated")):
        state = asl["States"][again]
        # the round waits again with the seconds left: written where its wait reads its timeout
        assert state["Next"] == ask and state["ResultPath"] == waits[ask]["TimeoutSecondsPath"]
        assert state["InputPath"] == "$.steps.timed_out.result.timeout_seconds"
    # a notice deadline moved into the past between two steps: the step before a wait (or the
    # renegotiation's) fails with it, and the decision lapses as a wait failed with it does
    for name in ("Recommend", "Renegotiate"):
        assert asl["States"][name]["Catch"][:-1] == [
            {"ErrorEquals": ["NoticeDeadlinePassed"], "ResultPath": "$.timeout", "Next": "Lapse"}], name
    # a contract deleted while its decision is under way: every step (and every wait the deletion
    # fails) ends the execution at the ContractDeleted end, which writes nothing
    for name, state in asl["States"].items():
        if state["Type"] == "Task":
            assert state["Catch"][-1] == {"ErrorEquals": ["ContractDeleted"], "ResultPath": "$.ended",
                                          "Next": "ContractDeleted"}, name
    assert asl["States"]["ContractDeleted"]["Type"] == "Succeed"
    steps = {s["Parameters"]["Payload"]["step"] for s in asl["States"].values() if s["Type"] == "Task"}
    assert steps == {"gather", "recommend", "ask", "renew", "terminate", "renegotiate", "escalate", "lapse",
                     "timed_out"}


def test_a_timed_out_round_waits_again_only_while_its_stored_deadline_is_ahead():
    """steps.extended_seconds: a round's Step Functions timer is set when it is asked; a notice
    deadline moved later since keeps the round waiting until the stored deadline (whole seconds,
    rounded up so the wait ends after it), never once that passed."""
    from clausewatch.renewal.steps import extended_seconds

    now = datetime(2026, 12, 16, 5, 0, tzinfo=UTC)  # the old owner's day (15 Dec) ended in New York
    later = "2027-01-15T04:59:59+00:00"  # the end of 14 Jan 2027 in New York
    assert extended_seconds(later, now) == int((datetime.fromisoformat(later) - now).total_seconds()) + 1
    assert extended_seconds(later, datetime.fromisoformat(later)) is None  # ended at that moment
    assert extended_seconds(later, datetime.fromisoformat(later) + timedelta(seconds=1)) is None
    assert extended_seconds(None, now) is None


def test_a_do_not_renew_says_what_it_came_to_once_the_notice_can_no_longer_be_given():
    from clausewatch.renewal.ended import notice_outcome

    args = {"term_end": "2027-02-28", "notice_deadline": "2026-12-30"}
    assert notice_outcome(**args, given=None, today="2026-12-30") is None  # still "notice to send"
    assert notice_outcome(**args, given="2026-12-30", today="2027-01-02") == \
        "not renewed: notice of non-renewal given 2026-12-30; the contract ends 2027-02-28"
    assert notice_outcome(**args, given=None, today="2026-12-31") == \
        "renews by its terms on 2027-03-01: no notice of non-renewal was given by 2026-12-30"
    assert notice_outcome(**args, given=None, today="2027-03-01") == (
        "renewed by its terms on 2027-03-01: no notice of non-renewal was given by 2026-12-30; "
        "the next term's renewal decision follows")
    assert notice_outcome(**args, given="2027-01-04", today="2027-01-04").startswith(
        "renews by its terms on 2027-03-01: the notice of non-renewal was given 2027-01-04, after the last day")
    # no notice deadline: notice can be given until the term's end
    assert notice_outcome(term_end="2027-02-28", notice_deadline=None, given=None, today="2027-02-28") is None


# --- the cut-offs (QA G12, R7) -------------------------------------------------------------------

def test_cutoffs_count_business_days_back_from_the_notice_deadline():
    from clausewatch.renewal.cutoffs import cutoffs

    days = cutoffs(date(2026, 12, 30), "notice deadline", "US-NY", today=date(2026, 11, 25))
    assert (days.owner, days.final) == (date(2026, 12, 15), date(2026, 12, 24))  # 25 Dec a holiday
    assert days.derivation.startswith("owner decides by notice deadline 2026-12-30 - 10 business days (US-NY holidays)")


def test_a_decision_begun_after_its_cut_offs_gets_until_the_notice_deadline_itself():
    """QA G12: a contract first planned on its notice deadline's day is asked until that day's end,
    never lapsed at once."""
    from clausewatch.renewal.cutoffs import cutoffs

    days = cutoffs(date(2026, 12, 5), "notice deadline", None, today=date(2026, 12, 5))
    assert (days.owner, days.final) == (date(2026, 12, 5), date(2026, 12, 5))
    assert "the final cut-off 2026-12-02 passed before the decision began (2026-12-05): the notice deadline " \
           "2026-12-05 itself" in days.derivation
    # begun between the owner's day and the final cut-off: the owner has until the final cut-off
    days = cutoffs(date(2026, 12, 30), "notice deadline", "US-NY", today=date(2026, 12, 21))
    assert (days.owner, days.final) == (date(2026, 12, 24), date(2026, 12, 24))
    assert "the owner's day 2026-12-15 passed before the decision began (2026-12-21)" in days.derivation
    # begun after the notice deadline: both days passed, neither is said to be moved to the other
    days = cutoffs(date(2026, 12, 30), "notice deadline", "US-NY", today=date(2026, 12, 31))
    assert (days.owner, days.final) == (date(2026, 12, 15), date(2026, 12, 24))
    assert "passed before the decision began" not in days.derivation


def test_an_escalation_has_real_time_or_is_skipped():
    """QA R7: the final round timed out at its cut-off's end: the escalation runs to the notice
    deadline itself; with the notice deadline's end past too, there is nobody to ask in time."""
    from clausewatch import dates
    from clausewatch.renewal.cutoffs import escalated_day

    tz = "America/New_York"
    end_of_final = dates.end_of_day(date(2026, 12, 24), tz)
    assert escalated_day(date(2026, 12, 24), date(2026, 12, 30), "notice deadline", tz,
                         end_of_final - timedelta(days=9))[0] == date(2026, 12, 24)
    day, why = escalated_day(date(2026, 12, 24), date(2026, 12, 30), "notice deadline", tz, end_of_final)
    assert day == date(2026, 12, 30) and why == "the final cut-off 2026-12-24 passed: until the notice deadline " \
                                                "2026-12-30 itself"
    day, why = escalated_day(date(2026, 12, 5), date(2026, 12, 5), "notice deadline", tz,
                             dates.end_of_day(date(2026, 12, 5), tz))
    assert day is None and why.startswith("no time left to escalate")


def test_the_definition_skips_an_escalation_with_no_time_left():
    asl = json.loads(definition("arn:aws:lambda:us-east-1:1:function:clausewatch-renewal"))
    assert asl["States"]["Escalate"]["Next"] == "EscalationLeft"
    [choice] = asl["States"]["EscalationLeft"]["Choices"]
    assert (choice["Variable"], choice["Next"]) == ("$.steps.escalate.result.skip", "Lapse")
    assert asl["States"]["EscalationLeft"]["Default"] == "AskEscalated"


# --- a moved notice deadline is told once (renewal/steps.untold_move) -----------------------------

@pytest.mark.parametrize(("actions", "told"), [
    (["asked.owner", "notice_deadline.moved"], False),  # moved while asked: to be told
    (["asked.owner", "notice_deadline.moved", "asked.again"], True),
    (["asked.owner", "notice_deadline.moved", "asked.again", "mail.failed"], False),  # the mail failed
    (["asked.owner", "notice_deadline.moved", "asked.again", "mail.failed", "asked.again"], True),
    (["notice_deadline.moved", "asked.owner"], True),  # moved before the round was asked: it has the day
    (["asked.owner", "notice_deadline.moved!"], True),  # a move that did not bring the day earlier
    (["asked.owner"], True),
])
def test_a_moved_deadline_is_told_once_per_move(actions, told):
    from types import SimpleNamespace

    from clausewatch.renewal import steps

    history = [{"action": a.rstrip("!"), **({} if a.endswith("!") else {"decide_by": "2026-12-08"})}
               for a in actions]
    assert (steps.untold_move(SimpleNamespace(history=history)) is None) is told  # type: ignore[arg-type]


# --- a notice deadline moved into the past is news until the decision moved on (steps.notice_passed_line)

@pytest.mark.parametrize(("actions", "news"), [
    (["recommended", "notice_deadline.passed"], True),
    (["asked.owner", "notice_deadline.passed", "escalation.skipped"], True),  # the lapse still says why
    (["decided", "renegotiating", "notice_deadline.passed"], True),  # the final round is not asked
    (["notice_deadline.passed", "asked.owner"], False),
    (["notice_deadline.passed", "lapsed"], False),
    # a decision superseded (its term's end moved) and begun again keeps its history: not news
    (["notice_deadline.passed", "lapsed", "superseded", "restarted", "evidence.gathered", "recommended"], False),
])
def test_a_passed_notice_deadline_is_the_latest_news_until_the_decision_moved_on(actions, news):
    from types import SimpleNamespace

    from clausewatch.renewal import steps

    history = [{"action": a, **({"reason": "why"} if a == steps.NOTICE_PASSED else {})} for a in actions]
    assert (steps.notice_passed_line(SimpleNamespace(history=history)) is not None) is news  # type: ignore[arg-type]


def test_the_notice_deadline_of_a_term_with_no_days_of_notice_is_its_end():
    """steps._notice_deadline: a planned deadline on the term's end itself (a notice period of no
    days) is this term's; only a later one is the next term's (then this term's passed one, or none)."""
    from types import SimpleNamespace

    from clausewatch.renewal import steps

    contract = SimpleNamespace(current_expiration="2027-02-28", current_notice_deadline="2027-02-28")
    assert steps._notice_deadline(contract, "2027-02-28") == date(2027, 2, 28)  # type: ignore[arg-type]


def test_the_calendar_a_decisions_cut_offs_were_counted_with():
    """Recorded (``cutoff_calendar``), else as the cut-offs' arithmetic names it; a derivation from
    before calendars were named ("(US-NY)") or none says nothing (nothing is recounted for it)."""
    from types import SimpleNamespace

    from clausewatch.renewal.cutoffs import cutoffs
    from clausewatch.renewal.steps import counted_calendar

    derivation = cutoffs(date(2026, 12, 30), "notice deadline", "US-NY", date(2026, 11, 25)).derivation
    assert counted_calendar(SimpleNamespace(recommendation={"cutoff_derivation": derivation})) == "US-NY holidays"
    assert counted_calendar(SimpleNamespace(recommendation={"cutoff_derivation": derivation,
                                                            "cutoff_calendar": "GB-ENG holidays"})) == "GB-ENG holidays"
    old = "owner decides by notice deadline 2026-12-30 - 10 business days (US-NY) = 2026-12-15"
    assert counted_calendar(SimpleNamespace(recommendation={"cutoff_derivation": old})) is None
    assert counted_calendar(SimpleNamespace(recommendation=None)) is None


def test_a_party_name_ending_in_a_full_stop_ends_the_sentence_with_no_second_one():
    """QA (hcli) 6: "...between Harbor Point Logistics, Inc. and Northwind Analytics, Inc.. The Agreement"."""
    doc = letter.NoticeLetter(
        sender="Harbor Point Logistics, Inc.", recipient="Northwind Analytics, Inc.", title="SaaS Agreement",
        agreement_date=None, right=None, notice_terms=None, term_end=date(2027, 2, 28), notice_deadline=None,
        dated=date(2026, 12, 2), signatory=None)
    text = "\n".join(doc.lines())
    assert "and Northwind Analytics, Inc. The Agreement will end" in text and ".." not in text
    plain = "\n".join(replace(doc, recipient="Granite Ridge Polymers LLC").lines())
    assert "and Granite Ridge Polymers LLC. The Agreement will end" in plain
