"""Renewal and notice periods as contracts write them (issue #15): periods without a number,
extension nouns, an unlimited renewal, a renewal stated automatic despite a mention of agreement,
notice given "in writing", ending the agreement at the end of a term; and the same rules on one
clause alone (the clause finder's fill). Clause wording written for these tests."""

from __future__ import annotations

import pytest

from clausewatch.extract import extract_contract

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


# --- forms found by writing common renewal clauses out in other words (issue #15) -----------------


def test_a_notice_saying_the_agreement_will_not_renew_is_not_a_refused_renewal():
    r = extract("4. Term. The term of this Agreement shall be three (3) years from the Effective Date. Thereafter "
                "the Agreement shall renew automatically for successive renewal periods of one (1) year, unless "
                "either party notifies the other at least 60 days before the end of the then-current term that "
                "it will not renew.\n")
    assert value(r, "auto_renewal") is True
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P60D"


def test_a_sentence_that_says_it_will_not_renew_still_refuses_it():
    r = extract("4. Term. The term of this Agreement shall be three (3) years from the Effective Date. This "
                "Agreement shall not be renewed for additional one (1) year periods unless Supplier gives written "
                "notice of renewal.\n")
    assert value(r, "renewal_term") is None


def test_continuing_thereafter_from_year_to_year_after_the_initial_period():
    r = extract("4. Term. This Agreement shall continue in effect for three (3) years from the Effective Date, "
                "and thereafter from year to year, unless either party gives the other at least sixty (60) days "
                "written notice of termination prior to the end of the then current period.\n")
    assert value(r, "auto_renewal") is True
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P60D"


def test_a_rhythm_far_from_renewal_wording_is_not_a_renewal_period():
    r = extract("4. Term. This Agreement shall continue in effect for three (3) years from the Effective Date, "
                "during which Distributor shall submit to Supplier in writing its forecast of the sales it "
                "expects from year to year, unless either party gives notice.\n")
    assert value(r, "renewal_term") is None


def test_notice_by_registered_letter():
    r = extract("4. Term. This Agreement has an initial term of three (3) years commencing on the Effective Date. "
                "It shall be tacitly renewed for successive periods of one (1) year unless terminated by either "
                "Party by registered letter sent six (6) months before its expiry date.\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P6M"


def test_a_period_or_more_before_the_end_is_a_notice_period():
    r = extract("4. Term. The term of this Agreement shall be three (3) years from the Effective Date. After the "
                "initial term, this Agreement shall automatically renew for successive one (1) year terms. Such "
                "renewal shall not occur if either party notifies the other in writing sixty (60) days or more "
                "before the end of the then-current term.\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P60D"


def test_one_additional_year_with_its_figure():
    r = extract("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date. This "
                "Agreement will be automatically renewed for one (1) additional year unless either party notifies "
                "the other party thirty (30) days before the expiration of the then current term.\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P30D"


def test_a_right_to_terminate_after_the_initial_term_is_the_notice_that_stops_renewals():
    r = extract("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date and shall "
                "be automatically renewed for successive one (1) year terms. After the initial term, either party "
                "may terminate this Agreement upon ninety (90) days prior written notice to the other party.\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P90D"


def test_the_agreement_continues_for_an_additional_term_unless_notified():
    r = extract("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date. If "
                "neither party notifies the other of its intent to terminate this Agreement at least ninety (90) "
                "days before the end of the then-current term, the Agreement shall continue for an additional "
                "one-year term.\n")
    assert value(r, "auto_renewal") is True
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P90D"


def test_a_duty_continuing_for_an_additional_period_after_termination_is_no_renewal():
    r = extract("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date.\n"
                "9. Records. Distributor's duty to keep records under this Agreement shall continue for an "
                "additional two (2) years after the termination of this Agreement.\n")
    assert value(r, "renewal_term") is None
    assert r.terms.get("auto_renewal") is None


def test_an_agreement_prolonged_automatically():
    r = extract("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date. This "
                "Agreement shall be prolonged automatically by one (1) year at a time unless terminated by either "
                "party with six (6) months' notice to the end of the term.\n")
    assert value(r, "auto_renewal") is True
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P6M"


@pytest.mark.parametrize("notice", [
    "Either Party may terminate the Agreement with effect from the end of any such period by giving a notice of "
    "termination of at least three (3) months.",
    "Either Party may end the Agreement at the end of any such period with a minimum advance notice of three (3) "
    "months.",
])
def test_a_notice_whose_period_follows_it_in_the_next_sentence(notice):
    r = extract("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date. The "
                "Agreement shall be automatically renewed for successive periods of one (1) year. " + notice + "\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P3M"


@pytest.mark.parametrize("notice", [
    "except if either party sends written notice of its intention not to renew sixty (60) days or more before "
    "the end of the then current term",
    "unless either party gives notice of non-renewal to the other party at any time up to sixty (60) days "
    "before the end of the then current term",
])
def test_a_notice_period_right_after_renewal_wording_is_not_a_renewal_period(notice):
    r = extract("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date. This "
                "Agreement shall automatically renew for successive one (1) year terms, " + notice + ".\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P60D"


def test_a_right_to_end_it_at_any_time_during_the_initial_or_extended_term_is_no_renewal_notice():
    r = extract("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date (the "
                "\"Initial Term\") and shall thereafter be extended automatically for successive one (1) year "
                "periods (each an \"Extended Term\"). Supplier shall be entitled to terminate this Agreement at "
                "any time during the Initial Term or the Extended Term upon a prior written notice of termination "
                "of not less than forty-five (45) days.\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") is None


def test_an_insurance_policys_non_renewal_notice_after_the_policies_is_not_the_agreements():
    r = extract("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date and shall "
                "be renewed by option of Distributor for one (1) additional year.\n"
                "11. Insurance. Distributor shall carry general liability insurance. All policies shall be "
                "endorsed to name Supplier as an additional insured. In the event of cancellation, non-renewal "
                "or material modification Supplier shall receive thirty (30) days written notice thereof.\n")
    assert value(r, "notice_period") is None


def test_a_notice_then_its_minimum_after_the_other_party():
    r = extract("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date. This "
                "Agreement shall automatically renew for successive one (1) year terms unless terminated by either "
                "party upon written notice to the other party of not less than sixty (60) days.\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P60D"


TERM = "4. Term. This Agreement shall be for a term of three (3) years from the Effective Date. "
RENEWS = ("4. Term. This Agreement shall be for a term of three (3) years from the Effective Date and shall "
          "automatically renew for successive one (1) year terms. ")


# sentences near the forms above that must not give a renewal or notice period they do not state
@pytest.mark.parametrize("body, renewal, notice", [
    (TERM + "Unless otherwise agreed in writing, this Agreement shall not automatically renew for successive one "
     "(1) year periods.", None, None),
    (TERM + "Upon notice from Supplier, this Agreement shall not automatically renew for successive one (1) year "
     "periods.", None, None),
    (TERM + "Upon expiration of this Agreement, it shall continue for an additional ninety (90) days solely to "
     "sell off inventory.", None, None),
    (TERM + "Unless either party gives notice, this Agreement shall automatically renew for at least one (1) "
     "year.", None, None),
    (TERM + "Distributor shall maintain a letter of credit, which shall be renewed for successive one (1) year "
     "periods unless the issuing bank gives sixty (60) days notice.", None, None),
    (TERM + "The delivery term under this Agreement shall be extended by two (2) weeks in case of force "
     "majeure.", None, None),
    (RENEWS + "After the initial term, Supplier may increase its prices upon sixty (60) days prior written "
     "notice.", "P1Y", None),
    (RENEWS + "Each Statement of Work shall remain in effect until the end of any such period unless terminated "
     "on thirty (30) days notice.", "P1Y", None),
], ids=["unless-agreed", "upon-notice", "sell-off", "renew-for-at-least", "letter-of-credit", "force-majeure",
        "price-increase", "statement-of-work"])
def test_sentences_near_these_forms_read_no_period_they_do_not_state(body, renewal, notice):
    r = extract(body + "\n")
    assert value(r, "renewal_term") == renewal
    assert value(r, "notice_period") == notice


@pytest.mark.parametrize("option", [
    "This Agreement may be renewed by Distributor for one (1) additional year.",
    "This Agreement may be extended by Distributor, in its sole discretion, for additional periods of one (1) year.",
    "The term may be extended for one year at the election of Distributor.",
    "The term of this Agreement is renewable at Distributor's option for additional one (1) year periods.",
])
def test_a_renewal_one_party_decides_in_other_words(option):
    r = extract(TERM + option + "\n")
    assert value(r, "auto_renewal") is False
    assert value(r, "renewal_term") == "P1Y"


# ... and what is renewed or extended must be this agreement or its term
@pytest.mark.parametrize("body", [
    TERM + "Buyer may, in its sole discretion, extend the time for payment under this Agreement by thirty (30) days.",
    TERM + "Any Statement of Work under this Agreement may be extended at Customer's option for additional one (1) "
           "month periods.",
    TERM + "The exclusivity period under this Agreement may be extended by Distributor for one (1) additional year "
           "if the minimum purchase targets are met.",
    TERM + "The Profiling Term may be extended at Roche's option for additional three (3) year periods.",
    TERM + "This Agreement may be extended by written amendment signed by both parties for one (1) year.",
    TERM + "Each Order Form may be renewed at Customer's option for additional one (1) year terms.",
], ids=["payment-time", "statement-of-work", "exclusivity-period", "another-term", "amendment", "order-form"])
def test_an_option_to_extend_something_else_is_no_renewal(body):
    r = extract(body + "\n")
    assert value(r, "renewal_term") is None


# the notice that stops a renewal, in a clause of its own
@pytest.mark.parametrize("clause, notice", [
    ("9.1 This Agreement may be terminated by either party with effect from the end of the Initial Term or any "
     "Renewal Term by three (3) months' written notice.", "P3M"),
    ("9.1 Either party may terminate this Agreement with six (6) months' prior written notice to expire on the "
     "last day of the Initial Term or any renewal term.", "P6M"),
    ("9.2 Opt-Out. A party may opt out of any renewal by written notice delivered at least sixty (60) days prior "
     "to the renewal date.", "P60D"),
    ("9.2 A party that does not want this Agreement to renew must notify the other party at least sixty (60) days "
     "before the end of the current term.", "P60D"),
    ("9.2 Either party may decline renewal by giving written notice at least sixty (60) days prior to the end of "
     "the then-current term.", "P60D"),
    # near misses: another document's period, an insurance policy's renewal, a purchase order declined
    ("5. Orders. Customer may terminate any Order Form with effect from the end of its subscription period on "
     "thirty (30) days notice.", None),
    ("11. Insurance. Distributor may opt out of any renewal of its insurance policy on thirty (30) days notice "
     "to Supplier.", None),
    ("5. Orders. Supplier may decline any purchase order by written notice within ten (10) days of its "
     "receipt.", None),
], ids=["with-effect-from", "to-expire-on", "opt-out", "does-not-want", "decline", "order-form", "insurance",
        "purchase-order"])
def test_a_notice_that_stops_the_renewal_in_its_own_clause(clause, notice):
    r = extract(RENEWS + "\n\n" + clause + "\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == notice
