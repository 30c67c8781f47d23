"""clausewatch.extract on the sample contracts: the answer key in samples/README.md."""

from __future__ import annotations

import pytest

from clausewatch.extract import extract_contract
from tests.paths import SAMPLES


def _pages(name: str) -> list[str]:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"sample {name} not present")
    from clausewatch.text.local import document_from_pdf

    return document_from_pdf(path.read_bytes()).page_texts


@pytest.fixture(scope="module")
def extracted():
    cache: dict[str, tuple] = {}

    def get(name: str):
        if name not in cache:
            pages = _pages(name)
            cache[name] = (pages, extract_contract(pages, source=name))
        return cache[name]
    return get


def values(result) -> dict:
    return {name: (None if term is None else term.value) for name, term in result.terms.items()}


# (file, expected term values; a name missing from the dict is not checked)
KEY = {
    "saas-subscription-northwind.pdf": {
        "agreement_date": "2024-03-01", "effective_date": "2024-03-01", "initial_term": "P36M",
        "expiration_date": "2027-02-28", "auto_renewal": True, "renewal_term": "P12M", "notice_period": "P60D",
        "notice_deadline": "2026-12-30", "termination_for_convenience": "P90D", "payment_terms": "P30D",
        "price_increase_cap": "5%", "sla_availability": "99.9%", "governing_law": "New York",
        "sla_response_times": [{"level": "Severity 1", "response": "PT1H"},
                               {"level": "Severity 2", "response": "PT4H"},
                               {"level": "Severity 3", "response": "P1BD"},
                               {"level": "Severity 4", "response": "P3BD"}],
    },
    "services-agreement-fixed-dates.pdf": {
        "agreement_date": "2025-01-10", "effective_date": "2025-01-15", "expiration_date": "2026-12-31",
        "auto_renewal": False, "renewal_term": None, "notice_period": None, "notice_deadline": None,
        "termination_for_convenience": "P30D", "payment_terms": "P45D", "governing_law": "California",
    },
    "supply-agreement-autorenew.pdf": {
        "agreement_date": "2023-06-03", "effective_date": "2023-06-03", "initial_term": "P3Y",
        "expiration_date": "2026-06-02", "auto_renewal": True, "renewal_term": "P1Y", "notice_period": "P90D",
        "notice_deadline": "2026-03-04", "termination_for_convenience": None, "payment_terms": "P30D",
        "price_increase_cap": "3%", "minimum_commitment": "$2,400,000 per contract year", "governing_law": "Delaware",
    },
    "uk-software-licence.pdf": {
        "agreement_date": "2024-04-01", "effective_date": "2024-04-01", "initial_term": "P3Y",
        "expiration_date": "2027-03-31", "auto_renewal": True, "renewal_term": "P12M", "notice_period": "P3M",
        "notice_deadline": "2026-12-31", "termination_for_convenience": None, "payment_terms": "P30D",
        "price_increase_cap": "CPI", "governing_law": "England and Wales",
    },
    "mutual-nda.pdf": {
        "agreement_date": "2025-02-20", "effective_date": "2025-02-20", "initial_term": "P2Y",
        "expiration_date": "2027-02-19", "auto_renewal": None, "renewal_term": None, "notice_period": None,
        "notice_deadline": None, "payment_terms": None, "survival_period": "P3Y", "governing_law": "Massachusetts",
    },
    "amendment-1-supply.pdf": {
        "agreement_date": "2026-09-15", "notice_period": "P120D", "governing_law": "Delaware",
        "expiration_date": None, "initial_term": None,
    },
}

PARTIES = {
    "saas-subscription-northwind.pdf": [("Northwind Analytics, Inc.", "Provider"),
                                        ("Bluestem Logistics Corp.", "Customer")],
    "services-agreement-fixed-dates.pdf": [("Larkspur Digital Partners LLC", "Consultant"),
                                           ("Tidewater Regional Foods, Inc.", "Client")],
    "supply-agreement-autorenew.pdf": [("Granite Ridge Polymers, LLC", "Supplier"),
                                       ("Brightwater Home Products, Inc.", "Buyer")],
    "uk-software-licence.pdf": [("Fenwick Lane Software Limited", "Licensor"),
                                ("Ashdown Retail Group Limited", "Licensee")],
    "amendment-1-supply.pdf": [("Granite Ridge Polymers, LLC", "Supplier"),
                               ("Brightwater Home Products, Inc.", "Buyer")],
}


@pytest.mark.parametrize("name", sorted(KEY))
def test_terms_match_the_answer_key(extracted, name):
    pages, result = extracted(name)
    got = values(result)
    assert {k: got[k] for k in KEY[name]} == KEY[name]
    for term in result.terms.values():
        if term is not None:
            e = term.evidence
            assert pages[e.page - 1][e.start:e.end] == e.text


@pytest.mark.parametrize("name", sorted(PARTIES))
def test_parties_and_roles(extracted, name):
    _, result = extracted(name)
    assert [(p.name.lower(), p.role) for p in result.parties] == [(n.lower(), r) for n, r in PARTIES[name]]


def test_computed_dates_carry_their_arithmetic(extracted):
    _, result = extracted("saas-subscription-northwind.pdf")
    assert result.terms["expiration_date"].derivation == "effective_date 2024-03-01 + P36M - 1 day"
    assert result.terms["notice_deadline"].derivation == "expiration_date 2027-02-28 - P60D"
    assert "sixty (60) days" in " ".join(result.terms["notice_period"].evidence.text.split())


def test_amendment_is_recognised(extracted):
    _, result = extracted("amendment-1-supply.pdf")
    assert result.document_type == "amendment"
    a = result.amendment
    assert (a.number, a.amends, a.original_date) == (1, "Supply Agreement", "2023-06-03")


def test_recurring_obligations(extracted):
    expected = {
        "saas-subscription-northwind.pdf": ("report", "Provider", "RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "+P10BD"),
        "services-agreement-fixed-dates.pdf": ("report", "Consultant",
                                               "RRULE:FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", "+P15D"),
        "supply-agreement-autorenew.pdf": ("forecast", "Buyer", "RRULE:FREQ=MONTHLY;BYMONTHDAY=5", "+P0D"),
        "uk-software-licence.pdf": ("report", "Licensee", "RRULE:FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", "+P30D"),
    }
    for name, (kind, party, rule, offset) in expected.items():
        _, result = extracted(name)
        recurring = [(o.kind, o.party, o.recurrence, o.offset) for o in result.obligations if o.recurrence]
        assert recurring == [(kind, party, rule, offset)], name


def test_one_off_deliverables(extracted):
    _, result = extracted("services-agreement-fixed-dates.pdf")
    due = sorted(o.due_date for o in result.obligations if o.due_date)
    assert due == ["2025-04-30", "2025-07-31", "2026-03-13", "2026-09-30", "2026-12-15"]
    assert all(o.kind == "deliverable" and o.party == "Consultant" for o in result.obligations if o.due_date)


def test_distractors_are_not_reported(extracted):
    # the NDA's return-of-materials period and the services agreement's cure period are not notice periods
    for name in ("mutual-nda.pdf", "services-agreement-fixed-dates.pdf"):
        _, result = extracted(name)
        assert result.terms["notice_period"] is None
        assert result.terms["renewal_term"] is None
