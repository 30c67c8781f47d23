"""Renewal and notice periods as contracts write them (issue #15): periods without a number,
extension nouns, an unlimited renewal, a renewal stated automatic despite a mention of agreement,
notice given "in writing", ending the agreement at the end of a term; and the same rules on one
clause alone (the clause finder's fill). Clause wording written for these tests."""

from __future__ import annotations

import pytest

from clausewatch.extract import extract_contract
from tests.unit.renewal_near_misses import NEAR_MISSES

PREAMBLE = ('DISTRIBUTION AGREEMENT\n'
            'This Distribution Agreement (the "Agreement") is entered into as of March 3, 2021 by and '
            'between Harbor Instruments LLC, a Delaware limited liability company ("Supplier"), and Alder '
            'Medical GmbH, a company registered in Germany ("Distributor").\n')


def extract(body: str):
    return extract_contract((PREAMBLE + body).split("\f"), source="test.txt")


def value(result, name):
    term = result.terms[name]
    return None if term is None else term.value


def test_extension_noun_after_the_period():
    r = extract("4. Term. The Term shall be three (3) years from the Effective Date with automatic two (2) year "
                "term extensions unless otherwise advised in writing by either party.\n")
    assert value(r, "auto_renewal") is True
    assert value(r, "renewal_term") == "P2Y"


def test_half_a_year_and_a_notice_in_writing():
    r = extract("5. Term. The Initial Term shall be one (1) year. The Initial Term shall automatically be extended "
                "for an additional period of half a year unless either party requests in writing, at least "
                "forty-five (45) days prior to the end of such period, that it not be extended.\n")
    assert value(r, "renewal_term") == "P6M"
    assert value(r, "notice_period") == "P45D"


def test_one_further_year_without_a_figure():
    r = extract("6. Renewal. If Distributor exercises its option to renew, the term of this Agreement shall be "
                "extended by one further year.\n")
    assert value(r, "auto_renewal") is False
    assert value(r, "renewal_term") == "P1Y"


def test_a_further_years_notice_is_not_a_renewal_period():
    r = extract("6. Renewal. Supplier may extend the term of this Agreement upon giving an additional year's "
                "notice.\n")
    assert value(r, "renewal_term") is None


def test_renewal_for_an_unlimited_period_is_evergreen():
    r = extract("7. Term. This Agreement shall remain in force for five (5) years after the Effective Date and "
                "shall thereafter automatically renew for an unlimited period of time unless terminated under "
                "Section 12.\n")
    auto = r.terms["auto_renewal"]
    assert auto is not None and auto.value is True and auto.extra.get("evergreen") is True
    assert value(r, "renewal_term") is None


def test_automatic_renewal_stated_beside_extension_by_agreement():
    r = extract("8. Term. This Agreement shall continue until the third anniversary of the Effective Date (such "
                "period, as extended by mutual written agreement of the parties or automatically, the \"Service "
                "Period\"), and shall automatically renew for successive one-year periods, unless Supplier gives "
                "sixty (60) days' notice of termination before any such successive period.\n")
    assert value(r, "auto_renewal") is True
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P60D"


def test_notice_to_end_the_agreement_at_the_end_of_a_term():
    r = extract("10. Term. This Agreement shall be in force for one (1) year and shall be automatically renewed "
                "for successive periods of one (1) year.\n"
                "11. Termination. Either party may terminate this Agreement at the end of the initial term or any "
                "renewal term upon forty-five (45) days' written notice to the other party.\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P45D"


def test_termination_for_convenience_at_any_time_is_not_a_renewal_notice():
    r = extract("10. Term. This Agreement shall be in force for one (1) year and shall be automatically renewed "
                "for successive periods of one (1) year.\n"
                "11. Termination. Either party may terminate this Agreement at any time upon forty-five (45) days' "
                "written notice to the other party.\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") is None


# --- one clause on its own: what the clause finder's fill reads --------------------------------------

def test_renewal_period_of_a_clause_ignores_the_initial_term_and_the_notice():
    from clausewatch.extract.finder import value_from_clause

    clause = ("The initial term of this Agreement shall be five (5) years and shall thereafter automatically "
              "renew for additional two (2) year terms unless a party gives notice of non-renewal no less than "
              "six (6) months prior to the expiration of the then-current term")
    assert value_from_clause("renewal_term", clause) == ("P2Y", "the renewal period of the clause")
    assert value_from_clause("notice_period", clause)[0] == "P6M"


def test_renewal_period_of_a_clause_from_a_rhythm_or_without_a_figure():
    from clausewatch.extract.finder import value_from_clause

    assert value_from_clause("renewal_term", "thereafter this Agreement will renew automatically from year to "
                                             "year unless cancelled in writing")[0] == "P1Y"
    assert value_from_clause("renewal_term", "the term of the services shall be extended by one further "
                                             "year")[0] == "P1Y"


def test_renewal_period_of_a_clause_abstains_on_mutual_or_refused_renewal():
    from clausewatch.extract.finder import value_from_clause

    assert value_from_clause("renewal_term", "this Agreement may be renewed for successive one (1) year periods "
                                             "upon mutual written agreement of the parties") is None
    assert value_from_clause("renewal_term", "this Agreement shall not renew for any further two (2) year "
                                             "period") is None
    assert value_from_clause("renewal_term", "the licence term shall renew for successive one (1) year "
                                             "periods") is None


def test_notice_written_after_the_word_notice_or_asked_in_writing():
    from clausewatch.extract.finder import value_from_clause

    assert value_from_clause("notice_period", "Supplier may end this Agreement during any renewal term upon a "
                                              "prior written notice of termination to Distributor of not less "
                                              "than four (4) months")[0] == "P4M"
    assert value_from_clause("notice_period", "it shall renew for successive one (1) year periods unless either "
                                              "party requests in writing, at least ninety (90) days prior to the "
                                              "anniversary date, that it not renew")[0] == "P90D"
    # a minimum that is not about notice is not a notice period
    assert value_from_clause("notice_period", "notice shall be given. Orders of not less than thirty (30) "
                                              "days of stock") is None


def test_notice_of_non_renewal_when_the_renewal_period_is_left_blank():
    # the renewal period is redacted ("*"), so no renewal is read; its notice of non-renewal still is
    r = extract("9. Duration. This Agreement shall take effect on signature and last for * years, renewable for a "
                "further * years, unless a notice of non-renewal is served six (6) months before the scheduled "
                "expiry date.\n")
    assert value(r, "renewal_term") is None
    assert value(r, "notice_period") == "P6M"
    assert "non-renewal" in r.terms["notice_period"].evidence.text


def test_cancelling_at_the_end_of_the_initial_term_with_no_renewal_read():
    r = extract("3. Term. The Initial Term is two (2) years.\n\n"
                "(c) Distributor, upon forty-five days prior written notice, may cancel this Agreement at the end "
                "of the Initial Term and thereafter on each anniversary of the end of the Initial Term.\n")
    assert value(r, "notice_period") == "P45D"


def test_an_insurance_policy_non_renewal_or_a_right_to_end_at_any_time_is_no_renewal_notice():
    r = extract("3. Term. The Initial Term is two (2) years.\n\n"
                "11. Insurance. Each policy shall provide for at least twenty (20) days prior written notice to "
                "Supplier of any cancellation or non-renewal.\n\n"
                "12. Either party may terminate this Agreement at the end of the Initial Term or at any time "
                "thereafter by giving not less than nine (9) months prior notice in writing.\n")
    assert value(r, "notice_period") is None


def test_notice_of_non_renewal_elsewhere_also_stops_a_renewal_by_option():
    r = extract("2. Term. The initial term is five (5) years. Distributor has the option to renew this Agreement "
                "for two (2) successive terms of three (3) years each.\n\n"
                "14. Supplier shall give Distributor written notice of its decision not to renew this Agreement at "
                "least four (4) months prior to the expiration of the then-current term.\n")
    assert value(r, "auto_renewal") is False
    assert value(r, "renewal_term") == "P3Y"
    assert value(r, "notice_period") == "P4M"


def test_notice_of_non_renewal_given_at_any_time_up_to_a_period_before_the_end_of_the_term():
    # "at any time" here bounds when the notice of non-renewal may be given, counted back from the end
    # of the term: the notice that stops the renewal, not a termination for convenience
    r = extract("3. Term. The Initial Term is two (2) years, renewable for further * year periods.\n\n"
                "14. Either party may, at any time up to sixty (60) days before the end of the then-current Term, "
                "give notice of non-renewal to the other party.\n")
    assert value(r, "notice_period") == "P60D"
    evidence = r.terms["notice_period"].evidence.text
    assert "sixty (60) days before the end of the then-current Term" in evidence
    assert "non-renewal" in evidence


def test_a_right_to_end_at_any_time_before_the_end_of_a_term_is_still_no_renewal_notice():
    # the end of a term bounds the right, but no period is counted back from it: termination for
    # convenience, whatever notice it asks
    r = extract("3. Term. The Initial Term is two (2) years.\n\n"
                "12. Either party may terminate this Agreement at the end of the Initial Term, or at any time "
                "prior to the end of any renewal term, by giving thirty (30) days' written notice.\n")
    assert value(r, "notice_period") is None


def test_the_notice_that_exercises_an_option_to_renew_is_not_a_notice_that_stops_a_renewal():
    r = extract("4. Term. This Agreement shall remain in force for two (2) years. Distributor may extend the term of "
                "this Agreement for an additional two (2) years, provided the extending party gives Supplier at "
                "least ninety (90) days' written notice before the end of the initial term.\n")
    assert value(r, "auto_renewal") is False
    assert value(r, "renewal_term") == "P2Y"
    assert value(r, "notice_period") is None


@pytest.mark.parametrize("who", ["A party that does not wish", "A party who no longer wishes",
                                 "If neither party wishes to renew, or a party that decides not"])
def test_a_party_that_does_not_wish_to_renew_gives_the_notice_that_stops_the_renewal(who):
    r = extract("4. Term. This Agreement shall remain in force for two (2) years and shall automatically renew for "
                f"successive one (1) year periods. {who} to renew shall give the other party "
                "written notice at least ninety (90) days before the end of the then-current term.\n")
    assert value(r, "auto_renewal") is True
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P90D"


def test_extending_the_term_of_a_programme_within_the_agreement_is_not_the_agreements_renewal():
    r = extract("5. Research Program. The term of the Research Program shall be three (3) years. Supplier shall have "
                "the right to extend the term of the Research Program for additional two (2) year periods.\n")
    assert value(r, "renewal_term") is None
    # the agreement's own term, extended the same way, is a renewal
    r = extract("5. Term. The term of this Agreement shall be three (3) years. Supplier shall have the right to "
                "extend the term of this Agreement for additional two (2) year periods.\n")
    assert value(r, "renewal_term") == "P2Y"


# --- the sixth pass (README): the near misses every rule is held to ---------------------------------


PRE_SUPPLY = ('SUPPLY AGREEMENT\nThis Supply Agreement (the "Agreement") is entered into as of March 3, 2021 by and '
              'between Harbor LLC ("Supplier") and Alder GmbH ("Buyer").\n')


@pytest.mark.parametrize("case", NEAR_MISSES, ids=[c[0] for c in NEAR_MISSES])
def test_near_misses_read_no_period_they_do_not_state(case):
    _, text, renewal, notice = case
    r = extract_contract([PRE_SUPPLY + "4. Term. " + text + "\n"], source="t.txt")
    assert (value(r, "renewal_term"), value(r, "notice_period")) == (renewal, notice)
