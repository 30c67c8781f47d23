"""An amended term takes effect from its own day: a renewal length an amendment changes runs for the
renewal terms that begin after it took effect (the earlier ones keep theirs), a notice period changed
"with effect from" a later day keeps the earlier period for the terms begun before, and the day a
changing clause states for itself is read from that clause (QA q7 M1, M2, M3)."""

from __future__ import annotations

from datetime import date

from clausewatch.dates import Duration
from clausewatch.extract import extract_contract
from clausewatch.extract.model import ContractExtraction, Term
from clausewatch.plan import ContractInfo, EarlierValue, deadlines_for_contract, rolled_terms

CONTRACT = ContractInfo(contract_id="c1", title="MSA", counterparty="Borealis Software LLC", owner="olga@example.com",
                        team="legal", contract_type=None, time_zone="UTC", jurisdiction="US-NY")


def _terms(**values: object) -> dict:
    return {"source": "msa.pdf", "pages": 1,
            "terms": {name: None if value is None else value if isinstance(value, dict) else {"value": value}
                      for name, value in values.items()}}


# A contract of 2020-03-01: three years to 2023-02-28, then one-year renewals; Amendment No. 1 of
# 2027-10-01 makes the renewal terms two years (the term running since 2027-03-01 keeps its year)
RENEWAL_AMENDED = _terms(
    effective_date="2020-03-01", expiration_date="2023-02-28", auto_renewal=True, notice_period="P90D",
    renewal_term={"value": "P2Y", "amended_by": "a1",
                  "extra": {"earlier": [{"value": "P1Y", "until": "2027-10-01", "changed_by": "amend-renewal.pdf"}]}})


def _by_kind(extraction: dict, today: date) -> dict:
    return {d.kind: d for d in deadlines_for_contract(CONTRACT, extraction, today)}


def test_the_renewal_terms_begun_before_the_amendment_keep_their_length():
    found = _by_kind(RENEWAL_AMENDED, date(2027, 10, 15))
    # was: 2029-02-28 and 2028-11-30 ("renewed 3 x P2Y"): every past renewal rolled with the new length
    assert found["expiration"].due == date(2028, 2, 29)
    assert found["notice_deadline"].due == date(2027, 12, 1)
    assert found["expiration"].derivation.startswith("expiration_date 2023-02-28 renewed 5 x P1Y")
    assert "renewal terms beginning on or after 2027-10-01 run P2Y (amend-renewal.pdf)" in found["expiration"].derivation
    # the term that renews next is the amendment's two years
    assert "renews automatically for 2 years" in found["expiration"].summary


def test_the_first_renewal_after_the_amendment_runs_the_new_length_and_the_roll_says_so():
    found = _by_kind(RENEWAL_AMENDED, date(2028, 3, 1))
    assert found["expiration"].due == date(2030, 2, 28)
    assert found["notice_deadline"].due == date(2029, 11, 30)
    assert found["expiration"].derivation == (
        "expiration_date 2023-02-28 renewed 5 x P1Y (for terms beginning before 2027-10-01) -> 2028-02-29; "
        "then 1 x P2Y (amend-renewal.pdf, for terms beginning on or after 2027-10-01) -> 2030-02-28")
    assert found["notice_deadline"].derivation.endswith("; term end 2030-02-28 - P90D = 2029-11-30")


def test_a_change_taking_effect_after_the_next_renewal_began_leaves_that_renewal_its_length():
    earlier = (EarlierValue(Duration(years=1), date(2028, 6, 1), "amend.pdf"),)
    ends = [end.value for _, end in zip(range(3), (end for _, end in rolled_terms(date(2027, 2, 28), Duration(years=2),
                                                                                    earlier)))]
    # 2027-03-01 and 2028-03-01 begin before 2028-06-01: a year each; 2029-03-01 begins after: two years
    assert ends == [date(2028, 2, 29), date(2029, 2, 28), date(2031, 2, 28)]


def test_with_no_amendment_the_roll_is_unchanged():
    ends = [end for _, end in zip(range(2), (end for _, end in rolled_terms(date(2023, 2, 28), Duration(years=1))))]
    assert [e.derivation for e in ends] == ["expiration_date 2023-02-28 renewed 1 x P1Y -> 2024-02-29",
                                            "expiration_date 2023-02-28 renewed 2 x P1Y -> 2025-02-28"]


# Amendment No. 1 of 2027-10-01: sixty days' notice "with effect from March 1, 2028 ... for each Renewal
# Term beginning on or after March 1, 2028"; the initial term (to 2028-02-29) keeps ninety
NOTICE_AMENDED = _terms(
    effective_date="2025-03-01", expiration_date="2028-02-29", auto_renewal=True, renewal_term="P1Y",
    notice_period={"value": "P60D", "amended_by": "a1",
                   "extra": {"earlier": [{"value": "P90D", "until": "2028-03-01", "changed_by": "amend1.pdf"}]}})


def test_a_notice_period_changed_from_a_later_day_leaves_the_running_terms_deadline():
    found = _by_kind(NOTICE_AMENDED, date(2027, 10, 15))
    assert found["notice_deadline"].due == date(2027, 12, 1)  # was 2027-12-31 (60 days)
    assert "- P90D (for terms beginning before 2028-03-01)" in found["notice_deadline"].derivation
    assert "(90 days before the term ends)" in found["notice_deadline"].summary
    later = _by_kind(NOTICE_AMENDED, date(2028, 3, 1))["notice_deadline"]
    assert later.due == date(2028, 12, 30)  # the renewal term from 2028-03-01 ends 2029-02-28: 60 days before
    assert "- P60D (amend1.pdf, for terms beginning on or after 2028-03-01)" in later.derivation


def test_the_days_an_amendment_states_are_stored_with_its_terms():
    term = Term("P60D", None, extra={"earlier": [{"value": "P90D", "until": "2028-03-01", "changed_by": "a.pdf"}],
                                     "takes_effect": {"date": "2028-03-01", "text": "With effect from March 1, 2028"},
                                     "evergreen": True})
    back = Term.from_dict(term.to_dict())
    assert back is not None and back.extra == {key: term.extra[key] for key in ("earlier", "takes_effect")}
    assert "extra" not in Term("P1Y", None, extra={"evergreen": True}).to_dict()  # the JSON shape otherwise
    stored = ContractExtraction.from_dict(RENEWAL_AMENDED)
    assert ContractExtraction.from_dict(stored.to_dict()).term("renewal_term").extra == stored.term("renewal_term").extra


def _amendment(body: str) -> str:
    return ('AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\nThis Amendment No. 1 (this "Amendment") is entered into as '
            'of October 1, 2027 (the "Amendment Effective Date") by and between Acme Widgets, Inc. ("Customer") and '
            'Borealis Software LLC ("Provider").\nRECITALS\nA. Customer and Provider are parties to that certain Master '
            'Services Agreement dated March 1, 2025 (the "Agreement").\nNOW, THEREFORE, the parties agree as follows:\n'
            f'{body}\nNo Other Changes. Except as expressly amended by this Amendment, the Agreement remains unchanged '
            'and in full force and effect.\n')


NOTICE_FROM_MARCH = (
    '1. Notice. With effect from March 1, 2028, Section 3 of the Agreement is amended by replacing "ninety (90) days" '
    'with "sixty (60) days", so that for each Renewal Term beginning on or after March 1, 2028 either party may give '
    'the other party written notice of non-renewal at least sixty (60) days prior to the expiration of the '
    'then-current term. The notice period for the Initial Term is not changed.')


def test_the_day_a_changing_clause_states_for_itself_is_read_with_its_words():
    notice = extract_contract([_amendment(NOTICE_FROM_MARCH)]).term("notice_period")
    assert notice is not None and notice.value == "P60D"
    assert notice.extra["takes_effect"] == {"date": "2028-03-01", "text": "With effect from March 1, 2028"}


def test_a_clause_with_no_day_of_its_own_or_two_days_states_none():
    plain = NOTICE_FROM_MARCH.replace("With effect from March 1, 2028, Section", "Section")
    assert "takes_effect" not in extract_contract([_amendment(plain)]).term("notice_period").extra
    # the amended agreement's date (March 1, 2025) is never the change's own day
    dated = plain.replace("Section 3 of the Agreement", "Section 3 of the Agreement, effective as of March 1, 2025,")
    assert "takes_effect" not in extract_contract([_amendment(dated)]).term("notice_period").extra
    two = NOTICE_FROM_MARCH.replace("The notice period for the Initial Term", "This change takes effect on "
                                    "April 1, 2028. The notice period for the Initial Term")
    term = extract_contract([_amendment(two)]).term("notice_period")
    assert "takes_effect" not in term.extra
    assert "March 1, 2028" in term.extra["takes_effect_unclear"] and "April 1, 2028" in term.extra["takes_effect_unclear"]


def test_an_extension_by_a_period_is_read_as_the_period_and_counted_when_applied():
    for body, period in (("1. Term. The Initial Term is hereby extended by twelve (12) months.", "P12M"),
                         ("1. Term. The Term of this Agreement is extended for an additional period of one (1) year.",
                          "P1Y")):
        read = extract_contract([_amendment(body)])
        assert read.value("term_extension") == period and read.term("expiration_date") is None
    # an end date stated wins; and a contract's own text is no extension
    assert extract_contract([_amendment("1. Term. The Initial Term is hereby extended until February 28, 2029.")]
                            ).term("term_extension") is None
    contract = ('SUPPLY AGREEMENT\nThis Supply Agreement is entered into as of March 1, 2025 by and between A Inc. '
                'and B LLC.\n1. Term. The term of this Agreement is extended by twelve (12) months each year unless '
                'either party objects.\n')
    assert extract_contract([contract]).term("term_extension") is None


def _applied(changed: dict, amendment_terms: dict) -> tuple[dict, ContractExtraction]:
    """``record._in_turn`` over a contract's terms and one amendment's changes (its file: amend.pdf)."""
    from types import SimpleNamespace

    from clausewatch.pipeline import record

    merged = ContractExtraction.from_dict(_terms(effective_date="2020-03-01", expiration_date="2023-02-28",
                                                 auto_renewal=True, renewal_term="P1Y", notice_period="P90D"))
    amendment = ContractExtraction.from_dict(_terms(**amendment_terms, **changed))
    changes = {name: amendment.term(name) for name in changed}
    record._in_turn(merged, changes, SimpleNamespace(file_name="amend.pdf"), amendment, None)  # type: ignore[arg-type]
    return changes, merged


def test_a_renewal_length_whose_clause_names_two_days_still_keeps_the_earlier_renewals_length_and_asks():
    changes, merged = _applied({"renewal_term": {"value": "P2Y", "extra": {
        "takes_effect_unclear": "with effect from March 1, 2028; takes effect on April 1, 2028"}}},
        {"effective_date": "2027-10-01"})
    assert changes["renewal_term"].extra["earlier"] == [{"value": "P1Y", "until": "2027-10-01", "changed_by": "amend.pdf"}]
    assert [f["kind"] for f in merged.attention] == ["amended_term_takes_effect_later"]


def test_a_renewal_length_from_an_amendment_of_no_known_day_is_put_before_a_person():
    changes, merged = _applied({"renewal_term": "P2Y"}, {})
    assert "earlier" not in changes["renewal_term"].extra
    assert "was not read: every renewal term is counted with it" in merged.attention[0]["message"]


def test_a_notice_period_changed_with_no_day_of_its_own_applies_at_once():
    """At once: to the renewal term running on the amendment's day (begun 2027-03-01) and later ones; the
    terms that ended before it keep the period they had (their deadlines passed as counted)."""
    from datetime import date

    from clausewatch.dates import as_duration
    from clausewatch.plan import earlier_values, value_for_term

    changes, merged = _applied({"notice_period": "P60D"}, {"effective_date": "2027-10-01"})
    assert changes["notice_period"].extra["earlier"] == [{"value": "P90D", "until": "2027-03-01", "changed_by": "amend.pdf"}]
    assert merged.attention == []
    merged.terms.update(changes)
    earlier = earlier_values(merged, "notice_period")
    assert value_for_term(as_duration("P60D"), earlier, date(2027, 3, 1))[0] == as_duration("P60D")  # the running term
    assert value_for_term(as_duration("P60D"), earlier, date(2026, 3, 1))[0] == as_duration("P90D")  # one ended before
