"""clausewatch.extract: each contract construction, in clause wording written for these tests."""

from __future__ import annotations

import json

import pytest

from clausewatch.dates import TermEndConvention
from clausewatch.extract import TERM_NAMES, ExtractOptions, extract_contract

PREAMBLE = ('MASTER SERVICES AGREEMENT\n'
            'This Master Services Agreement (the "Agreement") is entered into as of February 20, 2025 by and '
            'between Northwind Analytics, Inc., a Delaware corporation ("Provider"), and Contoso Retail Ltd., '
            'a company registered in England ("Customer").\n')


def extract(body: str, preamble: str = PREAMBLE, **options):
    pages = (preamble + body).split("\f")
    return extract_contract(pages, source="test.txt", options=ExtractOptions(**options) if options else None)


def value(result, name):
    term = result.terms[name]
    return None if term is None else term.value


def assert_evidence_quotes_pages(result, pages):
    d = result.to_dict()
    evidences = [t["evidence"] for t in d["terms"].values() if t] + [p["evidence"] for p in d["parties"]]
    evidences += [o["evidence"] for o in d["obligations"]]
    if d["amendment"]:
        evidences.append(d["amendment"]["evidence"])
    for e in evidences:
        assert pages[e["page"] - 1][e["start"]:e["end"]] == e["text"]


# --- shape ---------------------------------------------------------------------------------------

def test_to_dict_has_the_fixed_shape():
    r = extract("1. Term. This Agreement shall commence on March 1, 2025 (the \"Effective Date\") and continue "
                "for thirty-six (36) months.\n").to_dict()
    assert list(r) == ["source", "pages", "document_type", "amendment", "terms", "parties", "obligations"]
    assert list(r["terms"]) == list(TERM_NAMES)
    assert r["document_type"] == "contract" and r["amendment"] is None and r["pages"] == 1
    assert r["terms"]["payment_terms"] is None
    json.dumps(r)  # serialisable


# --- dates, term, expiration ---------------------------------------------------------------------

def test_duration_term_from_the_effective_date_ends_the_day_before_the_anniversary():
    r = extract("1. Term. This Agreement shall commence on March 1, 2025 (the \"Effective Date\") and shall "
                "continue for an initial term of thirty-six (36) months (the \"Initial Term\").\n")
    assert value(r, "agreement_date") == "2025-02-20"
    assert value(r, "effective_date") == "2025-03-01"
    assert value(r, "initial_term") == "P36M"
    assert value(r, "expiration_date") == "2028-02-29"  # 2028 is a leap year
    assert r.terms["expiration_date"].derivation == "effective_date 2025-03-01 + P36M - 1 day"
    assert "thirty-six (36) months" in r.terms["expiration_date"].evidence.text


def test_anniversary_convention_is_an_option():
    body = "1. Term. This Agreement shall commence on March 1, 2025 and continue for three (3) years.\n"
    assert value(extract(body), "expiration_date") == "2028-02-29"
    r = extract(body, term_end_convention=TermEndConvention.ANNIVERSARY)
    assert value(r, "expiration_date") == "2028-03-01"


@pytest.mark.parametrize("start, duration, expected", [
    # clamped anniversaries (no 31 February): the term ends on the month's last day (clausewatch.dates)
    ("January 31, 2024", "one (1) month", "2024-02-29"),
    ("February 29, 2024", "one (1) year", "2025-02-28"),
    ("August 31, 2025", "six (6) months", "2026-02-28"),
    ("January 31, 2025", "one (1) month", "2025-02-28"),
    # otherwise the day before the anniversary
    ("December 1, 2025", "twelve (12) months", "2026-11-30"),
    ("March 1, 2027", "twelve (12) months", "2028-02-29"),
])
def test_month_ends_and_leap_years(start, duration, expected):
    r = extract(f"2. Term. The term of this Agreement shall commence on {start} and shall continue for {duration}.\n")
    assert value(r, "expiration_date") == expected


def test_explicit_start_and_end_dates():
    r = extract("2.1 The term of this Agreement shall commence on January 15, 2025 and expire on December 31, 2026, "
                "unless terminated earlier.\n")
    assert value(r, "effective_date") == "2025-01-15"
    assert value(r, "expiration_date") == "2026-12-31"
    assert r.terms["expiration_date"].derivation == "stated in the clause"
    assert value(r, "initial_term") is None


def test_until_an_anniversary():
    r = extract("3. This Agreement shall take effect on the Effective Date and continue until the fifth (5th) "
                "anniversary of the Effective Date.\n",
                preamble='This Agreement is made as of June 30, 2021 (the "Effective Date") between A Corp. '
                         '("Seller") and B LLC ("Buyer").\n')
    assert value(r, "expiration_date") == "2026-06-30"
    assert "anniversary" in r.terms["expiration_date"].derivation


def test_a_stated_end_date_beats_one_computed_from_a_duration():
    body = ("9.1 This Agreement shall have an Initial Term of three (3) years.\n"
            "9.2 The Term shall commence on July 23, 2023 and shall expire on July 22, 2026, unless terminated "
            "earlier.\n"
            "9.3 The Company may renew this Agreement for one (1) additional period that shall begin on July 23, "
            "2026 and end on July 22, 2029.\n")
    r = extract(body)
    assert value(r, "expiration_date") == "2026-07-22"  # the parties' words, not the renewal's end
    assert r.terms["expiration_date"].derivation == "stated in the clause"
    # the computed end stands when no sentence states one
    r = extract(body.split("9.2")[0])
    assert value(r, "expiration_date") == "2028-02-19"


def test_an_opening_carve_out_is_not_what_the_term_counts_from():
    r = extract("9.1 Except as otherwise set forth in Section 9.2 or Exhibit A hereof, the term of this Agreement "
                "shall be eighteen (18) months.\n")
    assert value(r, "expiration_date") == "2026-08-19"


def test_until_the_earlier_of_a_list_of_events():
    r = extract("6.2 This Agreement shall remain in effect until the earlier of the following events:\n"
                "(a) the fifth anniversary of this Agreement; and\n"
                "(b) the Investor ceasing to hold any Shares.\n"
                "6.3 Notices shall be in writing.\n")
    assert value(r, "expiration_date") == "2030-02-20"
    assert "earlier event" in r.terms["expiration_date"].derivation
    assert "(b) the Investor" in r.terms["expiration_date"].evidence.text
    assert "6.3" not in r.terms["expiration_date"].evidence.text


@pytest.mark.parametrize("dated, term, convention, expected", [
    ("this ____ day of ________, 2015", "ten (10) years", TermEndConvention.ANNIVERSARY, "2025"),
    ("this ____ day of July, 2013", "twenty (20) years", TermEndConvention.ANNIVERSARY, "2033-07"),
    ("April __, 2005", "eighteen (18) months", TermEndConvention.ANNIVERSARY, "2006-10"),
    # what cannot be known is not given: the months of a year-only date, the day before an unknown day
    ("this ____ day of ________, 2015", "eighteen (18) months", TermEndConvention.ANNIVERSARY, None),
    ("this ____ day of ________, 2015", "ten (10) years", TermEndConvention.DAY_BEFORE_ANNIVERSARY, None),
])
def test_a_term_from_a_date_left_blank(dated, term, convention, expected):
    pre = (f'THIS SUPPLY AGREEMENT is made as of {dated} (the "Effective Date") by and between Granite Ridge '
           'Polymers, LLC ("Supplier") and Brightwater Home Products, Inc. ("Buyer").\n')
    body = (f"2. Term. This Agreement shall commence on the Effective Date and continue for {term}.\n"
            "3. Either party may give notice of non-renewal at least ninety (90) days before the end of the term.\n")
    r = extract(body, preamble=pre, term_end_convention=convention)
    assert value(r, "expiration_date") == expected
    if expected:
        assert "left blank" in r.terms["expiration_date"].derivation
    assert value(r, "notice_deadline") is None  # nothing to count back from


def test_until_an_anniversary_of_a_date_left_blank():
    r = extract("3. This Agreement shall continue until the fifth (5th) anniversary of the Effective Date.\n",
                preamble='This Agreement is made as of ________, 2020 (the "Effective Date") between A Corp. '
                         '("Seller") and B LLC ("Buyer").\n')
    assert value(r, "expiration_date") == "2025"  # an anniversary is the anniversary whatever the convention


def test_term_counted_from_an_event_gives_no_expiration():
    r = extract("4. Term. The term of this Agreement shall continue for two (2) years following the Launch Date.\n")
    assert value(r, "initial_term") == "P2Y"
    assert value(r, "expiration_date") is None


def test_later_of_gives_no_expiration():
    r = extract("4. Term. This Agreement shall continue until the later of (a) the third anniversary of the "
                "Effective Date and (b) completion of the Services.\n")
    assert value(r, "expiration_date") is None


def test_no_stated_term():
    r = extract("5. Fees. Customer shall pay the fees set out in Schedule 1.\n")
    assert value(r, "expiration_date") is None and value(r, "initial_term") is None


def test_unknown_start_gives_no_expiration():
    # the effective date is defined by an event nobody can date from the text
    r = extract("1. \"Effective Date\" means the date on which the last party signs this Agreement.\n"
                "2. Term. This Agreement shall commence on the Effective Date and continue for one (1) year.\n",
                preamble='This Agreement is between A Corp. ("Seller") and B LLC ("Buyer").\n')
    assert value(r, "initial_term") == "P1Y"
    assert value(r, "expiration_date") is None


def test_made_this_day_of_and_date_first_written():
    r = extract("1. This Agreement shall become effective on the date first written above and shall continue "
                "for a period of two (2) years.\n",
                preamble='THIS AGREEMENT is made this 3rd day of June, 2023 by and between Granite Ridge '
                         'Polymers, LLC ("Supplier") and Brightwater Home Products, Inc. ("Buyer").\n')
    assert value(r, "agreement_date") == "2023-06-03"
    assert value(r, "effective_date") == "2023-06-03"
    assert value(r, "expiration_date") == "2025-06-02"


@pytest.mark.parametrize("dated, expected", [
    ("made this ____ day of __________, 2021", "2021"),
    ("made this ____ day of March, 2021", "2021-03"),
    ("dated as of November ___, 2021", "2021-11"),
    ("entered into as of [ ] day of [ ], 2021", "2021"),
    ("dated as of , 2021,", "2021"),  # the PDF text lost the underlines: only the comma is left
])
def test_a_date_left_blank_gives_the_parts_filled_in(dated, expected):
    body = ("1. This Agreement shall become effective as of the date first written above and shall continue "
            "for a period of two (2) years.\n"
            "2. Customer shall pay each invoice within thirty (30) days after the Effective Date.\n")
    pre = (f'THIS SUPPLY AGREEMENT is {dated} by and between Granite Ridge Polymers, LLC ("Supplier") and '
           'Brightwater Home Products, Inc. ("Buyer").\n')
    r = extract(body, preamble=pre)
    agreement = r.terms["agreement_date"]
    assert agreement.value == expected
    assert "blanks" in agreement.derivation and expected[:4] in agreement.evidence.text
    # effective as of the date first written above: the same parts, and nothing is counted from it
    assert value(r, "effective_date") == expected
    assert value(r, "initial_term") == "P2Y"
    assert value(r, "expiration_date") is None
    assert_evidence_quotes_pages(r, (pre + body).split("\f"))


def test_a_whole_date_is_preferred_to_one_left_blank():
    pre = ('THIS AGREEMENT is made this 3rd day of June, 2023 by and between A Corp. ("Seller") and B LLC '
           '("Buyer"), to be countersigned on or before ____ day of July, 2023.\n')
    assert value(extract("", preamble=pre), "agreement_date") == "2023-06-03"


def test_a_blank_year_is_not_a_date():
    pre = 'THIS AGREEMENT is made this ____ day of ________, 20__ by and between A Corp. and B LLC.\n'
    assert value(extract("", preamble=pre), "agreement_date") is None


def test_an_effective_date_field_left_blank():
    pre = 'ORDER FORM\nEffective Date: ____________, 2022\nCustomer Name: Meridian Foods Inc.\n'
    assert value(extract("1. Fees. Customer shall pay the fees.\n", preamble=pre), "effective_date") == "2022"


def test_effective_date_left_blank():
    pre = ('This Services Agreement ("Agreement") is entered into and is effective as of the ____ day of '
           '____________ 2022 (the "Effective Date") by and between A Corp. ("Provider") and B LLC ("Client").\n')
    r = extract("", preamble=pre)
    assert value(r, "effective_date") == "2022"
    assert "blanks" in r.terms["effective_date"].derivation


def test_dmy_option_reads_numeric_dates_day_first():
    pre = 'This Agreement is dated 03/01/2025 between A Corp. ("Seller") and B LLC ("Buyer").\n'
    assert value(extract("", preamble=pre), "agreement_date") == "2025-03-01"
    assert value(extract("", preamble=pre, date_order="DMY"), "agreement_date") == "2025-01-03"


def test_recital_dates_are_not_the_agreement_date():
    r = extract("", preamble='This Agreement is entered into by and between A Corp. ("Seller") and B LLC ("Buyer").\n'
                             'WHEREAS, the parties entered into that certain Supply Agreement dated May 8, 2018.\n')
    assert value(r, "agreement_date") is None


# --- renewal and notice ---------------------------------------------------------------------------

def test_automatic_renewal_with_notice_and_deadline():
    r = extract("1. Term. This Agreement shall commence on March 1, 2025 (the \"Effective Date\") and continue "
                "for thirty-six (36) months. Thereafter, this Agreement shall automatically renew for successive "
                "twelve (12) month periods unless either party gives written notice of non-renewal at least sixty "
                "(60) days prior to the end of the then-current term.\n")
    assert value(r, "auto_renewal") is True
    assert value(r, "renewal_term") == "P12M"
    assert value(r, "notice_period") == "P60D"
    assert value(r, "notice_deadline") == "2027-12-31"
    assert r.terms["notice_deadline"].derivation == "expiration_date 2028-02-29 - P60D"


def test_notice_in_months():
    r = extract("3.1 This Agreement shall commence on 1 April 2024 and continue for three (3) years. 3.2 On expiry "
                "this Agreement shall automatically renew for further periods of twelve (12) months unless either "
                "party gives not less than three (3) months' written notice before the end of the then-current "
                "term.\n")
    assert value(r, "expiration_date") == "2027-03-31"
    assert value(r, "notice_period") == "P3M"
    assert value(r, "notice_deadline") == "2026-12-31"


def test_year_to_year_renewal():
    r = extract("6. Term. The term of this Agreement is two (2) years from the Effective Date and shall continue "
                "from year to year thereafter unless either party notifies the other in writing not less than "
                "ninety (90) days before the end of the then-current term.\n",
                preamble='This Agreement is made as of May 1, 2020 (the "Effective Date") between A Corp. '
                         '("Seller") and B LLC ("Buyer").\n')
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P90D"
    assert value(r, "expiration_date") == "2022-04-30"


def test_renewal_only_by_mutual_agreement():
    r = extract("2.2 This Agreement shall not renew automatically. The Term may be extended for additional one "
                "(1) year periods only by mutual written agreement of the parties.\n")
    assert value(r, "auto_renewal") is False
    assert value(r, "renewal_term") is None
    assert value(r, "notice_period") is None and value(r, "notice_deadline") is None


def test_unilateral_renewal_option():
    r = extract("7. Renewal. Customer shall have the option to renew this Agreement for one additional term of "
                "three (3) years by written notice given at least six (6) months before the end of the Initial Term.\n")
    assert value(r, "auto_renewal") is False
    assert value(r, "renewal_term") == "P3Y"
    assert value(r, "notice_period") == "P6M"


def test_evergreen_continuation():
    r = extract("8. Term. This Agreement shall have an initial term of one (1) year and shall continue thereafter "
                "until terminated by either party upon thirty (30) days' prior written notice.\n")
    assert value(r, "auto_renewal") is True
    assert r.terms["auto_renewal"].extra.get("evergreen") is True
    assert value(r, "renewal_term") is None
    assert value(r, "notice_period") == "P30D"


def test_distractor_periods_are_not_the_notice_period():
    r = extract("9. Cure. Either party may terminate for material breach not cured within thirty (30) days of "
                "written notice. 10. Disputes. Customer shall notify Provider of any disputed invoice within fifteen "
                "(15) days.\n")
    assert value(r, "notice_period") is None
    assert value(r, "termination_for_convenience") is None


# --- other terms --------------------------------------------------------------------------------

def test_termination_for_convenience():
    r = extract("9.1 Customer may terminate this Agreement for convenience at any time upon ninety (90) days' "
                "prior written notice to Provider.\n")
    assert value(r, "termination_for_convenience") == "P90D"


@pytest.mark.parametrize("clause, expected", [
    ("All fees are payable net thirty (30) days from the invoice date.", "P30D"),
    ("Client shall pay each undisputed invoice within forty-five (45) days of receipt.", "P45D"),
    ("Customer shall pay all invoices within sixty (60) days after the date of the invoice.", "P60D"),
])
def test_payment_terms(clause, expected):
    assert value(extract(f"4. Payment. {clause}\n"), "payment_terms") == expected


def test_price_increase_cap_and_cpi():
    r = extract("4.4 Provider may increase the fees once per year, provided that any increase shall not exceed "
                "five percent (5%) of the fees then in effect.\n")
    assert value(r, "price_increase_cap") == "5%"
    r = extract("4.6 The Licensor may increase the Licence Fee on 1 April in any year, provided that no increase "
                "shall exceed the percentage increase in the Consumer Prices Index.\n")
    assert value(r, "price_increase_cap") == "CPI"


def test_minimum_commitment():
    r = extract("4.1 In each Contract Year, Buyer shall purchase Products having an aggregate purchase price of not "
                "less than Two Million Dollars ($2,000,000) (the \"Minimum Annual Commitment\").\n")
    assert value(r, "minimum_commitment") == "$2,000,000 per contract year"


def test_sla_availability_response_times_and_credits():
    r = extract("5.1 Provider shall make the Services available at least 99.95% of the time in each month.\n"
                "5.2 If availability falls below the target, Customer shall receive a service credit of 10% of the "
                "monthly fees.\n"
                "5.3 Provider shall respond to support requests as follows: Severity 1: within thirty (30) minutes; "
                "Severity 2: within four (4) hours; Severity 3: within two (2) business days.\n")
    assert value(r, "sla_availability") == "99.95%"
    assert value(r, "service_credits") == "10% of monthly fees"
    assert value(r, "sla_response_times") == [
        {"level": "Severity 1", "response": "PT30M"}, {"level": "Severity 2", "response": "PT4H"},
        {"level": "Severity 3", "response": "P2BD"}]


def test_survival_period():
    r = extract("7.2 The obligations of confidentiality shall survive for three (3) years after the expiration or "
                "termination of this Agreement.\n")
    assert value(r, "survival_period") == "P3Y"


@pytest.mark.parametrize("clause, expected", [
    ("This Agreement shall be governed by the laws of the State of New York, without regard to conflicts of law.",
     "New York"),
    ("This Agreement shall be governed by and construed in accordance with the laws of England and Wales.",
     "England and Wales"),
    ("THIS AGREEMENT SHALL BE GOVERNED BY THE LAWS OF THE COMMONWEALTH OF MASSACHUSETTS.", "Massachusetts"),
    ("This Agreement is governed by English law.", "England"),
    ("The laws of the Province of Ontario shall govern this Agreement.", "Ontario"),
    ("This Agreement shall be governed by the laws of the United States and the State of Florida.", "Florida"),
])
def test_governing_law(clause, expected):
    assert value(extract(f"12. Governing Law. {clause}\n"), "governing_law") == expected


def test_place_of_incorporation_is_not_governing_law():
    r = extract("1. Each party is a company organized under the laws of the State of Delaware.\n")
    assert value(r, "governing_law") is None


# --- parties, obligations, amendments, evidence --------------------------------------------------

def test_parties_and_roles():
    r = extract("")
    assert [(p.name, p.role) for p in r.parties] == [("Northwind Analytics, Inc.", "Provider"),
                                                   ("Contoso Retail Ltd.", "Customer")]


def test_numbered_parties_block():
    pre = ('SOFTWARE LICENCE AGREEMENT\nThis Agreement is dated 1 April 2024\nPARTIES\n'
           '(1) FENWICK LANE SOFTWARE LIMITED, incorporated and registered in England and Wales with company '
           'number 09184426 ("Licensor"); and\n(2) ASHDOWN RETAIL GROUP LIMITED, incorporated and registered in '
           'England and Wales ("Licensee").\nBACKGROUND\n')
    r = extract("", preamble=pre)
    assert [(p.name, p.role) for p in r.parties] == [("FENWICK LANE SOFTWARE LIMITED", "Licensor"),
                                                   ("ASHDOWN RETAIL GROUP LIMITED", "Licensee")]
    assert value(r, "agreement_date") == "2024-04-01"


def test_parties_named_in_a_title_block_and_again_in_the_preamble():
    pre = ('SUPPLY AGREEMENT\nbetween\nFENWICK MEDICAL INC.\nand\nASHDOWN SYSTEMS B.V.\n'
           'THIS AGREEMENT is made July 31, 2023\nBETWEEN:\nFENWICK MEDICAL INC., a company incorporated under '
           'the laws of Ontario\n(hereinafter referred to as " Customer")\n- and -\nASHDOWN SYSTEMS B.V., a company '
           'incorporated under the laws of the Netherlands\n(hereinafter referred to as " Ashdown")\nWHEREAS:\n')
    r = extract("", preamble=pre)
    assert [(p.name, p.role) for p in r.parties] == [("FENWICK MEDICAL INC.", "Customer"),
                                                   ("ASHDOWN SYSTEMS B.V.", "Ashdown")]


def test_parties_listed_as_party_a_and_party_b():
    pre = ("Cooperation Agreement\nParty A: Harbor Internet Security Technology Co., Ltd.\n"
           "Party B: Meridian Online Network Technology Co., Ltd.\nJuly 2021\n"
           "This Cooperation Agreement is executed by and between the parties below in Beijing.\n")
    r = extract("", preamble=pre)
    assert [(p.name, p.role) for p in r.parties] == [
        ("Harbor Internet Security Technology Co., Ltd.", "Party A"),
        ("Meridian Online Network Technology Co., Ltd.", "Party B")]


@pytest.mark.parametrize("clause, kind, recurrence, offset", [
    ("Provider shall deliver a usage report within ten (10) business days after the end of each month.",
     "report", "RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "+P10BD"),
    ("Customer shall provide a rolling forecast no later than the fifth day of each month.",
     "forecast", "RRULE:FREQ=MONTHLY;BYMONTHDAY=5", "+P0D"),
    ("Provider shall deliver a status report within fifteen (15) days after the end of each calendar quarter.",
     "report", "RRULE:FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", "+P15D"),
    ("Customer shall pay the royalties due within sixty (60) days following the end of each calendar year.",
     "payment", "RRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1", "+P60D"),
    ("Customer shall submit a forecast at least thirty (30) days before the start of each calendar quarter.",
     "forecast", "RRULE:FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", "-P30D"),
    ("Provider shall deliver a certificate by the fifth business day of each month.",
     "report", "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=5", "+P0D"),
])
def test_recurring_obligations(clause, kind, recurrence, offset):
    r = extract(f"6. Reporting. {clause}\n")
    assert len(r.obligations) == 1
    o = r.obligations[0]
    assert (o.kind, o.recurrence, o.offset, o.due_date) == (kind, recurrence, offset, None)
    assert o.party == clause.split()[0]


def test_one_off_deliverables():
    r = extract("3.1 Provider shall deliver the Implementation Plan no later than April 15, 2025.\n"
                "3.2 Provider shall deliver each of the following to Customer:\n"
                "(a) the Data Migration Report, due on or before the 30th day of June, 2025;\n"
                "(b) the Training Materials, due by September 1, 2025.\n"
                "3.3 Provider shall complete the onboarding within sixty (60) days after the Effective Date.\n",
                preamble=PREAMBLE.replace("as of February 20, 2025", 'as of February 20, 2025 (the "Effective Date")'))
    due = sorted((o.due_date, o.kind, o.party, o.derivation) for o in r.obligations)
    assert due == [("2025-04-15", "deliverable", "Provider", "stated in the clause"),
                   ("2025-04-21", "deliverable", "Provider", "effective_date 2025-02-20 + P60D"),
                   ("2025-06-30", "deliverable", "Provider", "stated in the clause"),
                   ("2025-09-01", "deliverable", "Provider", "stated in the clause")]
    assert all(o.recurrence is None for o in r.obligations)


def test_obligation_ids_are_stable_and_distinct():
    body = ("6. Provider shall deliver a usage report within ten (10) business days after the end of each month. "
            "Customer shall provide a forecast no later than the fifth day of each month.\n")
    first, again = extract(body), extract(body)
    assert [o.id for o in first.obligations] == [o.id for o in again.obligations]
    assert len({o.id for o in first.obligations}) == 2
    # re-flowed text (other line breaks) keeps the ids
    reflowed = extract(body.replace(" within", "\nwithin"))
    assert [o.id for o in reflowed.obligations] == [o.id for o in first.obligations]


def test_amendment_document():
    pre = ('AMENDMENT NO. 2 TO MASTER SUPPLY AGREEMENT\n'
           'This Amendment No. 2 (this "Amendment") is entered into as of September 15, 2026 by and between '
           'Granite Ridge Polymers, LLC ("Supplier") and Brightwater Home Products, Inc. ("Buyer").\n'
           'RECITALS\nA. The parties are parties to that certain Master Supply Agreement dated June 3, 2023.\n')
    r = extract("1. Section 11.1 is amended so that notice of non-renewal must be given not less than one hundred "
                "twenty (120) days' written notice prior to the expiration of the then-current term, and the "
                "Agreement shall renew automatically for successive one (1) year periods.\n", preamble=pre)
    assert r.document_type == "amendment"
    a = r.amendment
    assert (a.number, a.amends, a.original_date) == (2, "Master Supply Agreement", "2023-06-03")
    assert value(r, "agreement_date") == "2026-09-15"
    assert value(r, "notice_period") == "P120D"


def test_evidence_indexes_each_page():
    body = ("1. Term. This Agreement shall commence on March 1, 2025 (the \"Effective Date\") and continue for "
            "thirty-six (36) months.\f2. Renewal. Thereafter, this Agreement shall automatically renew for "
            "successive one (1) year periods unless either party gives notice at least sixty (60) days prior to "
            "the end of the then-current term.\f3. This Agreement shall be governed by the laws of Delaware.\n")
    pages = (PREAMBLE + body).split("\f")
    r = extract_contract(pages)
    assert r.terms["renewal_term"].evidence.page == 2
    assert r.terms["governing_law"].evidence.page == 3
    assert_evidence_quotes_pages(r, pages)


def test_extraction_is_pure():
    body = "1. Term. This Agreement shall commence on March 1, 2025 and continue for one (1) year.\n"
    assert extract(body).to_dict() == extract(body).to_dict()


# --- cover sheets, signatures, clauses far apart -------------------------------------------------

def test_labelled_expiration_on_a_cover_sheet():
    pre = ('CONTENT LICENSE AGREEMENT\nThis Content License Agreement (this "Agreement") is dated as of '
           'October 1, 2025 (the "Effective Date") by and between A Corp. ("Licensor") and B LLC ("Licensee").\n')
    r = extract("Expiration Date: August 31, 2026\nAGREED TO AND ACCEPTED:\n", preamble=pre)
    assert value(r, "expiration_date") == "2026-08-31"
    assert r.terms["expiration_date"].derivation == "stated in the clause"


def test_term_ending_on_a_defined_expiration_date():
    r = extract('1.10 "Expiration Date" means March 31, 2027.\n'
                "8.1 This Agreement shall commence on the Effective Date and, unless earlier terminated, shall "
                'expire on the Expiration Date (the "Term").\n')
    assert value(r, "expiration_date") == "2027-03-31"


def test_effective_on_last_signature_uses_the_signature_block():
    pre = 'SERVICES AGREEMENT\nThis Agreement is between A Corp. ("Provider") and B LLC ("Customer").\n'
    r = extract('1. "Effective Date" means the date of the last signature on this Agreement.\n'
                "2. Term. This Agreement shall commence on the Effective Date and continue for one (1) year.\n"
                "IN WITNESS WHEREOF, the parties have signed this Agreement.\n"
                "A Corp. By: /s/ Jane Roe Name: Jane Roe Title: CEO Date: April 24, 2018\n"
                "B LLC By: /s/ John Doe Name: John Doe Title: CFO Date: April 25, 2018\n", preamble=pre)
    assert value(r, "effective_date") == "2018-04-25"
    assert "last signature" in r.terms["effective_date"].derivation
    assert value(r, "expiration_date") == "2019-04-24"


def test_non_renewal_notice_in_its_own_clause():
    r = extract("1. Term. This Agreement shall commence on March 1, 2025 and continue for one (1) year, and shall "
                "automatically renew for successive one (1) year periods.\n"
                "2. Fees. Customer shall pay the fees in Schedule 1.\n"
                "3. Non-Renewal. Either party may prevent the automatic renewal by written notice given at least "
                "ninety (90) days before the end of the then-current term.\n")
    assert value(r, "renewal_term") == "P1Y"
    assert value(r, "notice_period") == "P90D"
    assert value(r, "notice_deadline") == "2025-11-30"  # 2026-02-28 - 90 days (28 + 31 + 31)


def test_empty_and_blank_documents():
    assert extract_contract([]).to_dict()["pages"] == 0
    r = extract_contract(["", "   \n  "])
    assert all(t is None for t in r.terms.values()) and r.parties == [] and r.obligations == []


# --- agreement and effective dates: what dates the document, and what only says when it takes effect -----

def _sign(first: str, second: str) -> str:
    return ("IN WITNESS WHEREOF, the parties have signed this Agreement.\n"
            f"HARBOR LOGISTICS LLC\nBy: /s/ Dana Whitfield\nName: Dana Whitfield\nDate: {first}\n"
            f"MERIDIAN FOODS INC.\nBy: /s/ Omar Castell\nName: Omar Castell\nDate: {second}\n")


def test_effective_only_preamble_with_dated_signatures_is_dated_by_the_last_signature():
    pre = ('WAREHOUSING AGREEMENT\nThis Warehousing Agreement is effective as of July 1, 2021 (the "Effective Date") '
           'between Harbor Logistics LLC ("Provider") and Meridian Foods Inc. ("Customer").\n')
    r = extract("1. Services. Provider shall store the goods.\n" + _sign("July 9, 2021", "July 12, 2021"),
                preamble=pre)
    assert value(r, "effective_date") == "2021-07-01"
    assert value(r, "agreement_date") == "2021-07-12"
    assert "latest signature" in r.terms["agreement_date"].derivation
    assert r.terms["agreement_date"].evidence.text.endswith("July 12, 2021")


def test_a_preamble_that_dates_the_document_is_not_overruled_by_signatures():
    pre = ('WAREHOUSING AGREEMENT\nThis Warehousing Agreement is entered into as of July 1, 2021 between Harbor '
           'Logistics LLC ("Provider") and Meridian Foods Inc. ("Customer").\n')
    r = extract("1. Services. Provider shall store the goods.\n" + _sign("July 9, 2021", "July 12, 2021"),
                preamble=pre)
    assert value(r, "agreement_date") == "2021-07-01"


def test_a_signer_date_left_blank_leaves_the_last_signature_unknown():
    pre = 'WAREHOUSING AGREEMENT\nThis Agreement is between Harbor Logistics LLC and Meridian Foods Inc.\n'
    r = extract("1. Services. Provider shall store the goods.\n" + _sign("July 9, 2021", "________"), preamble=pre)
    assert value(r, "agreement_date") is None
    r = extract("1. Services. Provider shall store the goods.\n" + _sign("July 9, 2021", "July 12, 2021"),
                preamble=pre)
    assert value(r, "agreement_date") == "2021-07-12"


def test_a_row_of_date_labels_over_a_row_of_dates():
    pre = 'WAREHOUSING AGREEMENT\nThis Agreement is between Harbor Logistics LLC and Meridian Foods Inc.\n'
    body = ("1. Services. Provider shall store the goods.\n"
            "IN WITNESS WHEREOF, the parties have signed this Agreement.\n"
            "/s/ Dana Whitfield /s/ Omar Castell\nDana Whitfield Omar Castell\n"
            "Date: Date:\n7-9-2021 7-12-21\n")
    assert value(extract(body, preamble=pre), "agreement_date") == "2021-07-12"
    # a label row with fewer dates under it than labels: one signer did not date
    body = body.replace("7-9-2021 7-12-21", "7-9-2021")
    assert value(extract(body, preamble=pre), "agreement_date") is None


def test_entered_into_as_of_the_effective_date_is_dated_by_it():
    pre = ('SOFTWARE LICENSE AGREEMENT\nEffective Date: 11/4/21\nThis Software License Agreement ("Agreement") is '
           'entered into as of the Effective Date by and between Harbor Logistics LLC ("Licensor") and Meridian '
           'Foods Inc. ("Licensee").\n')
    r = extract("1. Licence. Licensor grants a licence.\n" + _sign("November 8, 2021", "November 4, 2021"),
                preamble=pre)
    assert value(r, "effective_date") == "2021-11-04"
    assert value(r, "agreement_date") == "2021-11-04"


def test_a_title_after_a_cover_and_contents_dates_the_agreement():
    pre = ('MAINTENANCE AGREEMENT\nBetween\nHARBOR AIRWAYS S.A.\n(as Operator)\nand\nMERIDIAN AERO\n(as Repairer)\n'
           'March 9th, 2015\nPage 1/80\n1. Definitions 3\n2. Scope 5\n3. Services 9\n'
           'THIS MAINTENANCE AGREEMENT (HEREINAFTER REFERRED TO AS THE "AGREEMENT") IS MADE ON March\n9th 2015:\n'
           'BETWEEN: Harbor Airways S.A. and Meridian Aero.\n')
    assert value(extract("4. Services. Repairer shall repair the parts.\n", preamble=pre), "agreement_date") \
        == "2015-03-09"


def test_an_amended_and_restated_title_dates_the_document():
    pre = ('HARBOR LOGISTICS LLC\nAMENDED AND RESTATED REMARKETING AGREEMENT\nFebruary 15, 2021\n'
           'Meridian Capital Inc.\n745 Seventh Avenue\nLadies and Gentlemen:\nHarbor Logistics LLC proposes to '
           'engage you as remarketing agent.\n')
    assert value(extract("1. Appointment. The Company appoints the Agent.\n", preamble=pre), "agreement_date") \
        == "2021-02-15"


def test_a_sentence_repeated_in_the_body_of_short_pages_is_not_a_running_footer():
    # each page is one affiliate's letter: the same closing sentence on every page is the letter's
    letter = ("AFFILIATE LETTER\nLadies and Gentlemen:\nI am an affiliate of Harbor Logistics LLC.\n"
              "I agree not to sell the shares.\n"
              "This Affiliate Agreement is executed as of the 14th day of December, 2021.\n"
              "Very truly yours,\n/s/ Dana Whitfield\nName: Dana Whitfield\nAddress: 1 Harbor Road\n"
              "Shares held: 1,000\nAccepted by Harbor Logistics LLC\n")
    pages = [letter, letter.replace("Dana Whitfield", "Omar Castell")]
    r = extract_contract(pages)
    assert value(r, "agreement_date") == "2021-12-14"


def test_signature_line_dates_and_the_filing_stamp():
    pre = 'CONSULTING AGREEMENT\nThis Agreement is between Harbor Logistics LLC and Meridian Foods Inc.\n'
    body = ("1. Services. Consultant shall advise the Company.\n"
            "IN WITNESS WHEREOF, the parties sign below.\n"
            "/s/ Dana Whitfield 3/14/19\nHARBOR LOGISTICS LLC Date\n"
            "/s/ Omar Castell 3/18/19\nMERIDIAN FOODS INC. Date\n"
            "Source: MERIDIAN FOODS INC, 10-K, 2/27/2020\n")
    r = extract(body, preamble=pre)
    assert value(r, "agreement_date") == "2019-03-18"  # the filing stamp's date is not a signature


def test_a_date_label_in_a_cover_sheet_is_not_a_signature():
    pre = 'ORDER FORM\nEffective Date: March 3, 2022\nCustomer Name: Meridian Foods Inc.\n'
    r = extract("1. Fees. Customer shall pay the fees.\n", preamble=pre)
    assert value(r, "effective_date") == "2022-03-03"


def test_dates_split_by_pdf_artefacts():
    for text, iso in (("made as of 31 December,\n---------\n2019, between", "2019-12-31"),
                      ("made this 1st day of\n---\nNovember, 2020 by", "2020-11-01"),
                      ("entered into as of1 March 2022, by", "2022-03-01"),
                      ("made the 5 June day of 2018", "2018-06-05")):
        from clausewatch.extract.datetext import parse_date
        assert parse_date(text).isoformat() == iso, text


def test_exhibit_entered_into_as_of_its_own_date():
    pre = ('SCHEDULE 2\nThis Schedule 2 is made as of May 12, 2021 between Harbor Logistics LLC and Meridian Foods '
           'Inc.\nIt forms part of their Framework Agreement (Effective Date: January 4, 2021).\n')
    r = extract("1. Services. Provider shall store the goods.\n", preamble=pre)
    assert value(r, "agreement_date") == "2021-05-12"


def test_effective_date_definitions_with_layout_quirks():
    r = extract('1.7 "Effective Date " means September 30, 2022.\n', preamble="SUPPLY AGREEMENT\n")
    assert value(r, "effective_date") == "2022-09-30"
    r = extract('1.9 "EFFECTIVE DATE" means 12:01 a.m. Eastern Time on June 1, 2022.\n', preamble="SUPPLY AGREEMENT\n")
    assert value(r, "effective_date") == "2022-06-01"
    r = extract("1. Fees. Buyer shall pay.\n", preamble="SUPPLY AGREEMENT\nEFFECTIVE DATE\nJUNE 1, 2022\n")
    assert value(r, "effective_date") == "2022-06-01"


def test_effective_on_execution():
    pre = ('SUPPLY AGREEMENT\nThis Supply Agreement is made on the 9th day of February 2024 between Harbor '
           'Logistics LLC and Meridian Foods Inc.\n')
    r = extract("1. This Agreement shall commence upon its execution and run for one (1) year.\n", preamble=pre)
    assert value(r, "effective_date") == "2024-02-09"
    assert "effective on signature" in r.terms["effective_date"].derivation
    r = extract("1. This Agreement shall take effect on the date it is signed by both parties.\n"
                + _sign("May 2, 2024", "May 6, 2024"), preamble=pre)
    assert value(r, "effective_date") == "2024-05-06"


def test_a_period_commencing_on_the_date_hereof_is_not_the_agreement_taking_effect():
    r = extract('4. For purposes of this Agreement, "Restricted Period" means the period beginning on the date of '
                "this Agreement and ending one year later.\n")
    assert value(r, "effective_date") is None


def test_term_until_the_earlier_of_a_date_and_an_event():
    r = extract("5. Term. This Agreement shall commence on the Effective Date and continue until the earlier of (a) "
                "the third (3rd) anniversary of the Effective Date and (b) the sale of all Units.\n",
                preamble='SUPPLY AGREEMENT\nThis Supply Agreement is dated as of May 1, 2023 (the "Effective Date").\n',
                term_end_convention=TermEndConvention.ANNIVERSARY)
    assert value(r, "expiration_date") == "2026-05-01"
    assert "earlier event" in r.terms["expiration_date"].derivation
    r = extract("5. Term. This Agreement shall continue until the later of (a) the third (3rd) anniversary of the "
                "Effective Date and (b) the sale of all Units.\n",
                preamble='SUPPLY AGREEMENT\nThis Supply Agreement is dated as of May 1, 2023 (the "Effective Date").\n')
    assert value(r, "expiration_date") is None
    r = extract("5. Term. This Agreement will begin on the date hereof and continue until the earlier of (i) "
                "December 31, 2026, (ii) the expiry of the Lease, or (iii) termination by either party.\n")
    assert value(r, "expiration_date") == "2026-12-31"


def test_signature_dated_evidence_quotes_the_page():
    pre = ('WAREHOUSING AGREEMENT\nThis Warehousing Agreement is effective as of July 1, 2021 (the "Effective Date") '
           'between Harbor Logistics LLC ("Provider") and Meridian Foods Inc. ("Customer").\n')
    body = "1. Services. Provider shall store the goods.\f" + _sign("July 9, 2021", "July 12, 2021")
    r = extract(body, preamble=pre)
    assert value(r, "agreement_date") == "2021-07-12"
    assert_evidence_quotes_pages(r, (pre + body).split("\f"))


def test_effective_the_day_after_the_last_signature():
    pre = 'HOSTING AGREEMENT\nThis Hosting Agreement is between Harbor Logistics LLC and Meridian Foods Inc.\n'
    r = extract("3.1 Term. The hosting terms are effective as of 9:00 a.m. local time on the day following the date "
                'of the last signature below (the "Effective Date").\n'
                + _sign("March 2, 2023", "March 6, 2023"), preamble=pre)
    assert value(r, "effective_date") == "2023-03-07"
    assert "+ P1D" in r.terms["effective_date"].derivation


def test_effective_date_phrasings_without_a_definition_in_quotes():
    r = extract("1. Fees. Buyer shall pay.\n", preamble=(
        "CONSTRUCTION AGREEMENT\nThis Agreement is made on the 4th day of March 2019, hereinafter referred to as "
        "the Effective Date, by Harbor Logistics LLC and Meridian Foods Inc.\n"))
    assert value(r, "effective_date") == "2019-03-04"
    r = extract("Effective Date means the day the scanners go live at the warehouse, i.e.\nJune 3, 2019.\n",
                preamble="MAINTENANCE AGREEMENT\n")
    assert value(r, "effective_date") == "2019-06-03"
    r = extract("2.1 The Commencement Date for this Contract shall be 3rd May 2020.\n"
                "2.2 This Contract runs for 3 years from the Commencement Date.\n",
                preamble="OUTSOURCING CONTRACT\n", term_end_convention=TermEndConvention.ANNIVERSARY)
    assert value(r, "effective_date") == "2020-05-03"
    assert value(r, "expiration_date") == "2023-05-03"
    r = extract("Notional Amount: USD 5,000,000\nEffective Date 15 May 2021\nScheduled Termination Date: 15 May 2024\n",
                preamble="CONFIRMATION\n")
    assert value(r, "effective_date") == "2021-05-15"


def test_a_letter_agreement_effective_as_of_a_date():
    r = extract("9. General. This letter agreement is effective as of July 1, 2022, whatever the date of signing.\n",
                preamble="Dear Ms. Rivera:\nWe are pleased to offer you a consulting engagement.\n")
    assert value(r, "effective_date") == "2022-07-01"


def test_labelled_contract_start_and_end():
    r = extract("KEY DATES\nContract start: 1 April 2021\nContract end: 31 March 2023\n"
                "7.1 The term of this Agreement is twenty-four (24) months after the Launch.\n",
                preamble="CONTENT LICENSE AGREEMENT\n")
    assert value(r, "effective_date") == "2021-04-01"
    assert value(r, "expiration_date") == "2023-03-31"
    assert value(r, "agreement_date") is None  # when service starts does not date the document


def test_term_until_the_end_of_the_current_calendar_year():
    r = extract("4. Term. This Agreement runs through the end of the current calendar year and renews "
                "automatically each year after that.\n", preamble=(
                    'AFFILIATE AGREEMENT\nThis Affiliate Agreement is made as of May 8, 2024 (the "Effective Date") '
                    "by and between Harbor Logistics LLC and Meridian Foods Inc.\n"))
    assert value(r, "expiration_date") == "2024-12-31"
    assert "calendar year" in r.terms["expiration_date"].derivation


def test_term_capped_by_an_outer_date():
    r = extract("5. Term. The Term runs from the Effective Date until two (2) years after the opening of the first "
                "Store, and in no event later than June 30, 2027.\n",
                preamble='RETAIL AGREEMENT\nThis Retail Agreement is dated as of May 1, 2023 (the "Effective Date").\n')
    assert value(r, "expiration_date") == "2027-06-30"
    assert "earlier event" in r.terms["expiration_date"].derivation


def test_effective_date_defined_as_the_last_party_executing():
    pre = 'LICENSE AGREEMENT\nThis License Agreement is between Harbor Logistics LLC and Meridian Foods Inc.\n'
    r = extract('1.3 "Effective Date" means the date on which the last party has signed this Agreement.\n'
                + _sign("May 2, 2024", "May 6, 2024"), preamble=pre)
    assert value(r, "effective_date") == "2024-05-06"


def test_the_term_beginning_on_a_date_beats_a_payment_schedule_commencing_later():
    r = extract("1.1 This Agreement begins on January 1, 2025 and runs for five (5) years.\n"
                "4.2 The Company shall pay the fee in equal installments each quarter during the Term commencing on "
                "January 15, 2025.\n", preamble="ENDORSEMENT AGREEMENT\n")
    assert value(r, "effective_date") == "2025-01-01"


def test_labelled_term_range_gives_start_and_end():
    r = extract("KEY TERMS\nCONTRACT PERIOD From March 1, 2024 until August 31, 2024\nRATE USD 2.10 per unit\n",
                preamble="TRANSPORTATION CONTRACT\n")
    assert value(r, "expiration_date") == "2024-08-31"
    assert value(r, "effective_date") == "2024-03-01"


def test_a_period_typed_for_the_comma_in_a_date_does_not_split_the_sentence():
    r = extract("2. Term. This Agreement shall remain in effect until October 14. 2025, unless sooner terminated by "
                "either party on thirty (30) days written notice.\n")
    assert value(r, "expiration_date") == "2025-10-14"
    e = r.terms["expiration_date"].evidence
    assert "October 14. 2025" in e.text


def test_it_opening_the_sentence_after_the_agreement_stands_for_the_agreement():
    r = extract("9.1 Duration\nThis contract supersedes the earlier support annex signed by the parties.\n"
                "It shall be effective on 03 March 2021 and shall have a duration of three years.\n")
    assert value(r, "effective_date") == "2021-03-03"
    assert value(r, "expiration_date") == "2024-03-02"


def test_it_after_another_subject_is_not_the_agreement():
    r = extract("9.1 Pricing\nThe supplier reviews the price list once a year.\n"
                "It shall be effective on 03 March 2021 and shall remain fixed for one year.\n")
    assert value(r, "effective_date") is None


def test_the_joint_venture_commencing_and_ending_on_dates_is_the_term():
    r = extract("6. Duration of the Venture. The Joint Venture shall commence on the 1st of June, 2022, and shall be "
                "effective until May 31, 2023 unless extended by written agreement of the venturers.\n",
                preamble="JOINT VENTURE AGREEMENT\n")
    assert value(r, "effective_date") == "2022-06-01"
    assert value(r, "expiration_date") == "2023-05-31"


def test_labelled_commencement_date_for_a_named_service():
    r = extract("SUPPORT SCHEDULE\nCOMMENCEMENT DATE FOR SUPPORT UNDER THIS SCHEDULE: JULY 1, 2023\n"
                "FEES: as set out in the price list.\n", preamble="SUPPORT ADDENDUM\n")
    assert value(r, "effective_date") == "2023-07-01"
    e = r.terms["effective_date"].evidence
    assert "JULY 1, 2023" in e.text


def test_signature_dates_at_a_page_break_are_not_a_running_header():
    # the first signer's date ends one page, the second's starts the next: not a header or footer
    page1 = ("OUTSOURCING AGREEMENT\nThis Agreement is between Harbor Logistics LLC and Meridian Foods Inc.\n"
             "1. Services. Provider shall pack the goods.\n2. Fees. Customer shall pay the fees.\n"
             "3. Term. The parties may end this Agreement on notice.\n4. Law. Delaware law applies.\n")
    page2 = ("5. Notices. Notices shall be in writing.\n6. Assignment. Neither party may assign.\n"
             "7. Entire agreement. This is the whole agreement.\nHARBOR LOGISTICS LLC\n"
             "/s/ Dana Whitfield General Manager\n- ------------------------------\n19 Jan. 2022\n")
    page3 = ("12 Jan. 2022\nMERIDIAN FOODS INC.\n/s/ Omar Castell, President\n"
             "Schedule 1. Prices\nPart Number Description Price\n")
    r = extract_contract([page1, page2, page3])
    assert value(r, "agreement_date") == "2022-01-19"


def test_effective_when_executed_by_all_parties_is_the_last_signature():
    pre = 'SUPPLY AGREEMENT\nThis Agreement is between Harbor Logistics LLC and Meridian Foods Inc.\n'
    body = ("1. Term. The Term will be 3 years from Effective Date.\n"
            "2. Counterparts. This Agreement shall become effective when it shall have been executed by all "
            "parties.\n" + _sign("March 29, 2016", "March 31, 2016"))
    r = extract(body, preamble=pre)
    assert value(r, "effective_date") == "2016-03-31"
    assert value(r, "expiration_date") == "2019-03-30"


def test_a_term_clause_in_the_preamble_does_not_date_the_document():
    pre = ('RESELLER AGREEMENT\nThis Agreement is effective as of August 1, 2024, (the "Effective Date") and shall '
           'terminate on July 31, 2029, (the "Termination Date") unless earlier terminated.\n'
           'Harbor Logistics LLC ("Reseller") and Meridian Foods Inc. ("Company") agree as follows.\n')
    r = extract("1. Appointment. Company appoints Reseller.\n", preamble=pre)
    assert value(r, "effective_date") == "2024-08-01"
    assert value(r, "expiration_date") == "2029-07-31"
    assert value(r, "agreement_date") is None  # when it was made is not said


def test_the_agreement_s_short_name_states_its_term():
    pre = ('ORDERLY MARKETING AGREEMENT\nTHIS ORDERLY MARKETING AGREEMENT (the "OMA") is entered into on December '
           '27, 2021 (the "Effective Date") by and among Harbor Holdings, Inc. and the Sellers.\n')
    r = extract("4. Term. (a) This OMA shall expire upon the earlier of (i) the first anniversary of the Effective "
                "Date and (ii) the date that all Shares have been sold.\n", preamble=pre)
    assert value(r, "expiration_date") == "2022-12-27"


def test_a_term_for_a_defined_period():
    r = extract('1.5 "Service Period" means April 1, 2022 through to March 30, 2023.\n'
                "9.1 The Agreement shall commence on the Effective Date and continue in effect for the Service "
                "Period, unless terminated earlier as provided in this Section.\n"
                "9.2 This Agreement may be terminated by either Party if the other Party is in material breach and "
                "the breach is not remedied for a period of thirty (30) days.\n")
    assert value(r, "expiration_date") == "2023-03-30"
    assert "Service Period" in r.terms["expiration_date"].derivation
    assert r.terms["expiration_date"].evidence.text.startswith('1.5 "Service Period" means')
    assert value(r, "initial_term") is None  # the thirty days to cure a breach are not the term


def test_a_project_s_dates_are_its_term_not_the_agreement_s_start():
    r = extract("3. Delivery. Developer will deliver the website in the time frame specified in the Scope of Work. "
                "Terms of the project: 12 weeks from February 8, 2022 to May 3, 2022. Client agrees that due "
                "dates may move.\n")
    assert value(r, "expiration_date") == "2022-05-03"
    assert value(r, "effective_date") is None


def test_effective_as_of_the_first_date_above_written():
    r = extract("2. This Agreement shall become effective as of the first date above written.\n")
    assert value(r, "effective_date") == "2025-02-20"
    assert "date of the agreement" in r.terms["effective_date"].derivation


def test_a_renewal_clause_that_ends_nothing_gives_way_to_the_term_clause():
    body = ("7.4 After the initial period of two years, the maintenance contract shall be automatically renewed "
            "for a period of one year unless terminated by either party.\n"
            "7.5 Term and termination\n"
            "This contract sets out the maintenance services. It shall be effective on 06 October 2022 and shall "
            "have a duration of two years.\n")
    r = extract(body)
    assert value(r, "expiration_date") == "2024-10-05"
    assert value(r, "initial_term") == "P2Y"


def test_a_title_case_title_over_a_month_and_year():
    pre = ("Harbor Energy Co., Ltd.\nMeridian Gas Supply Co., Ltd.\nProject Cooperation Agreement\nJuly 2021\n"
           "Cooperation Agreement\nParty A: Harbor Energy Co., Ltd.\nParty B: Meridian Gas Supply Co., Ltd.\n")
    r = extract("Article 5. The term of the agreement is 20 years.\n", preamble=pre,
                term_end_convention=TermEndConvention.ANNIVERSARY)
    assert value(r, "agreement_date") == "2021-07"
    assert value(r, "expiration_date") == "2041-07"


def test_expiration_at_the_end_of_the_month_years_after_the_effective_date():
    body = ("3.0 TERM\nThe Term shall begin on the Effective Date and will end, without further notice, on the "
            "Expiration Date set forth in the Addendum.\n"
            "ADDENDUM\nEffective Date: March 21, 2022\n"
            "Expiration Date: at midnight on the last day of the month fifteen (15) years from the Effective Date\n")
    r = extract(body)
    assert value(r, "expiration_date") == "2037-03-31"
    assert r.terms["expiration_date"].derivation == \
        "effective_date 2022-03-21 + P15Y, to the last day of that month"


def test_an_effective_date_field_in_a_form_row():
    pre = ("SCHEDULE TO SOFTWARE LICENSE AGREEMENT\nSupplier Name: Harbor Logistics LLC Agreement Number: CW1\n"
           "Supplier Telephone: 555.0100 Addendum Effective Date March 3, 2022\n"
           "This Schedule is made as of the effective date set forth above.\n")
    assert value(extract("1. Services.\n", preamble=pre), "effective_date") == "2022-03-03"


def test_a_row_of_dates_over_date_captions_under_the_signatures():
    pre = 'CONTENT LICENSE AGREEMENT\nThis Agreement is between Harbor Media AG and Meridian Foods Inc.\n'
    body = ("9. Copies. This Agreement has been prepared in two identical copies.\n"
            "HARBOR MEDIA AG MERIDIAN FOODS INC.\n"
            "03/24/22 03/26/22\n______________________________ ______________________________\nDate Date\n"
            "/s/ Heike Brandt /s/ Omar Castell\n______________________________ ______________________________\n")
    r = extract(body, preamble=pre)
    assert value(r, "agreement_date") == "2022-03-26"
    assert r.terms["agreement_date"].evidence.text == "03/26/22"


def test_term_sentences_are_found_once_per_document(monkeypatch):
    from clausewatch.extract import ExtractOptions, term_clauses
    from clausewatch.extract.context import Context
    from clausewatch.extract.document import Document

    text = ("This Agreement is made as of March 3, 2021. The term of this Agreement shall be three (3) years. "
            "This Agreement may be terminated by either party upon thirty (30) days notice. This Agreement "
            "shall expire on December 31, 2025.")
    ctx = Context(doc=Document([text]), options=ExtractOptions(), terms={})
    calls = []
    find = term_clauses._term_sentences
    monkeypatch.setattr(term_clauses, "_term_sentences", lambda doc: calls.append(doc) or find(doc))
    first = term_clauses.term_sentences(ctx)
    found = [text[s.start:s.end].strip() for s in first]
    assert found[0] == "The term of this Agreement shall be three (3) years."  # the plainest first
    assert "This Agreement shall expire on December 31, 2025." in found
    # a term subject and verb, but about ending it early: the off-topic test (run last) leaves it out
    early = "This Agreement may be terminated by either party upon thirty (30) days notice."
    start = text.index(early)
    assert term_clauses._states_a_term(ctx.doc, term_clauses.Span(start, start + len(early)), early,
                                       term_clauses._TERM_SUBJECT)
    assert early not in found
    first.clear()  # a caller's list is its own
    assert term_clauses.term_sentences(ctx) == find(ctx.doc) and len(calls) == 1
