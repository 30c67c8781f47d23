"""A notice deadline counted again outside the planner (a person's entry, a calendar recount) counts
the running term's notice period: an amendment's period "for each Renewal Term beginning on or
after" a later day leaves the term ending first its earlier one, as the planner counts it."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from clausewatch import plan
from clausewatch.extract.model import ContractExtraction, Term
from clausewatch.pipeline import record

INFO = plan.ContractInfo("c1", "T", None, None, "team", None, "UTC", None)


def extraction(notice: str, earlier: str, **more: str) -> ContractExtraction:
    terms = {"effective_date": "2025-01-01", "expiration_date": "2027-12-31", "initial_term": "P3Y",
             "auto_renewal": True, "renewal_term": "P1Y", **more}
    out = {name: Term(value=value, evidence=None) for name, value in terms.items()}
    out["notice_period"] = Term(value=notice, evidence=None, extra={"earlier": [
        {"value": earlier, "until": "2028-03-01", "changed_by": "amend.pdf"}]})
    return ContractExtraction(source="x.pdf", pages=1, terms=out)


def planned_notice(ex: ContractExtraction) -> date:
    return next(d.due for d in plan.deadlines_for_contract(INFO, ex, today=date(2026, 12, 6))
                if d.obligation_id == "notice_deadline")


def test_a_deadline_counted_from_an_entry_counts_the_running_terms_notice_period():
    ex = extraction("P60D", "P30D")
    assert planned_notice(ex) == date(2027, 12, 1)
    counted = record.notice_deadline_from(ex, None)
    assert counted is not None and counted.value == "2027-12-01"  # was 2027-11-01: P60D, the next terms'
    assert "P30D (for terms beginning before 2028-03-01)" in (counted.derivation or "")


def test_a_calendar_recount_counts_the_running_terms_notice_period():
    ex = extraction("P20BD", "P10BD", governing_law="England and Wales")
    stored = planned_notice(ex)
    assert stored == date(2027, 12, 15)
    ex.terms["notice_deadline"] = Term(value=stored.isoformat(), evidence=None)
    recounted = record.recount_notice_deadline(SimpleNamespace(jurisdiction=None), ex, counted_with="US-NY",
                                               why="the governing law was entered")
    # ten English business days before 31 Dec 2027 (was twenty: 2027-12-01)
    assert recounted is not None and recounted.value == "2027-12-15"
    assert "P10BD (for terms beginning before 2028-03-01)" in (recounted.derivation or "")


def test_an_amendment_restating_the_renewal_length_keeps_the_earlier_renewals_length():
    def t(value, **kw):
        return Term(value=value, evidence=None, **kw)
    merged = ContractExtraction(source="msa.pdf", pages=1, terms={
        "effective_date": t("2020-01-01"), "expiration_date": t("2021-12-31"), "auto_renewal": t(True),
        "notice_period": t("P30D"),
        "renewal_term": t("P2Y", extra={"earlier": [{"value": "P1Y", "until": "2026-06-01", "changed_by": "a1.pdf"}]})})
    second = ContractExtraction(source="a2.pdf", pages=1, terms={"effective_date": t("2026-10-01"),
                                                                  "renewal_term": t("P2Y")})
    changes = {"renewal_term": t("P2Y")}
    record._in_turn(merged, changes, SimpleNamespace(file_name="a2.pdf"), second, None)
    merged.terms.update(changes)
    # one-year renewals to 2026-12-31 (begun before 2026-06-01), then two years: notice by 2028-12-01
    # (was: every renewal rolled two years from 2021, 2027-12-01)
    due = {d.obligation_id: d.due for d in plan.deadlines_for_contract(INFO, merged, today=date(2026, 12, 6))}
    assert due["expiration"] == date(2026, 12, 31)
    assert due["notice_deadline"] == date(2028, 12, 1)


def _supply(notice: str, **more) -> ContractExtraction:
    def t(value, **kw):
        return Term(value=value, evidence=None, **kw)
    return ContractExtraction(source="supply.pdf", pages=1, terms={
        "effective_date": t("2023-06-03"), "expiration_date": t("2026-06-02"), "auto_renewal": t(True),
        "renewal_term": t("P1Y"), "notice_period": t(notice), **{k: t(v) for k, v in more.items()}})


def test_a_notice_period_changed_at_once_in_a_renewal_term_leaves_the_ended_initial_term_its_own():
    """QA (web page): an amendment of 2026-09-15 lengthening the notice to 120 days "for the Renewal Term in
    effect on the Amendment Effective Date and every later term" gave the initial term (ended 2026-06-02)
    a notice deadline of 2026-02-02 (120 days), beside the planner's 2027-02-02 for the running term.
    The initial term kept its 90 days: 2026-03-04; the running term (begun 2026-06-03) has 120."""
    merged = _supply("P90D")
    amendment = ContractExtraction(source="a1.pdf", pages=1, terms={
        "effective_date": Term(value="2026-09-15", evidence=None)})
    changes = {"notice_period": Term(value="P120D", evidence=None)}
    record._in_turn(merged, changes, SimpleNamespace(file_name="a1.pdf"), amendment, None)
    assert changes["notice_period"].extra["earlier"] == [
        {"value": "P90D", "until": "2026-06-03", "changed_by": "a1.pdf"}]
    assert "running on the amendment's date 2026-09-15" in (changes["notice_period"].derivation or "")
    merged.terms.update(changes)
    first = record.notice_deadline_from(merged, None)
    assert first is not None and first.value == "2026-03-04"
    due = {d.obligation_id: d.due for d in plan.deadlines_for_contract(INFO, merged, today=date(2026, 12, 6))}
    assert due["notice_deadline"] == date(2027, 2, 2)


def test_a_notice_period_changed_in_the_initial_term_applies_to_it_at_once():
    """The same change made while the initial term runs is that term's notice too, as agreed."""
    merged = _supply("P90D")
    amendment = ContractExtraction(source="a1.pdf", pages=1, terms={
        "effective_date": Term(value="2025-09-15", evidence=None)})
    changes = {"notice_period": Term(value="P120D", evidence=None)}
    record._in_turn(merged, changes, SimpleNamespace(file_name="a1.pdf"), amendment, None)
    assert "earlier" not in changes["notice_period"].extra


def test_a_notice_period_changed_by_an_amendment_that_also_extends_the_term_it_falls_in_applies_to_that_term():
    """Review MUST: an amendment of 2026-09-15 extending the initial term (ended 2026-06-02) to 2027-06-30 and
    making the notice 120 days: the term running is the extended initial term, whose notice is the new one
    (2027-03-02), not 90 days (2027-04-01) as if a renewal term had begun on 2026-06-03."""
    merged = _supply("P90D")
    amendment = ContractExtraction(source="a1.pdf", pages=1, terms={
        "effective_date": Term(value="2026-09-15", evidence=None)})
    changes = {"expiration_date": Term(value="2027-06-30", evidence=None),
               "notice_period": Term(value="P120D", evidence=None)}
    record._in_turn(merged, changes, SimpleNamespace(file_name="a1.pdf"), amendment, None)
    assert "earlier" not in changes["notice_period"].extra
    merged.terms.update(changes)
    due = {d.obligation_id: d.due for d in plan.deadlines_for_contract(INFO, merged, today=date(2026, 12, 6))}
    assert due["notice_deadline"] == date(2027, 3, 2)
