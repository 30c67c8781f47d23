"""A contract's holiday calendar from its governing law, by the holidays library's own names (QA Q6
MUST-1): a governing law the old alias table did not list (Japan, Hong Kong, India, Switzerland,
Pennsylvania) counted US holidays silently; one no calendar is known for still counts the default's,
but says so in every derivation and flags the contract for a person."""

from __future__ import annotations

from datetime import date

import pytest

from clausewatch import dates
from clausewatch.extract.jurisdictions import _ALL
from clausewatch.pipeline.attention import attention_of
from clausewatch.plan import ContractInfo, deadlines_for_contract
from clausewatch.store.models import ContractItem

TOKYO = ContractInfo(contract_id="c-tokyo", title="Services Agreement", counterparty="Blue Heron",
                     owner="jp@example.com", team="t-jp", contract_type="saas", time_zone="Asia/Tokyo",
                     jurisdiction=None)


def _extraction(law: str | None) -> dict:
    """Renews yearly from 30 Mar 2027 unless notice 30 business days before the end (no deadline
    stated: the planner counts it)."""
    terms = {
        "expiration_date": {"value": "2027-03-30", "derivation": "effective_date 2025-03-31 + P2Y - 1 day"},
        "auto_renewal": {"value": True}, "renewal_term": {"value": "P1Y"},
        "notice_period": {"value": "P30BD"},
    }
    if law:
        terms["governing_law"] = {"value": law}
    return {"terms": terms}


@pytest.mark.parametrize(("law", "calendar"), [
    ("Japan", ("JP", None)), ("Hong Kong", ("HK", None)), ("India", ("IN", None)),
    ("Switzerland", ("CH", None)), ("Pennsylvania", ("US", "PA")), ("the State of New York", ("US", "NY")),
    ("Ontario, Canada", ("CA", "ON")), ("Zürich", ("CH", "ZH")), ("JP", ("JP", None)),
    ("US-NY", ("US", "NY")), ("GB-ENG", ("GB", "ENG")), ("England and Wales", ("GB", "ENG")),
    ("Georgia", ("US", "GA")), ("Narnia", None), ("US-ZZ", None), ("", None)])
def test_a_governing_law_is_mapped_by_the_holidays_librarys_names(law, calendar):
    assert dates.map_jurisdiction(law) == calendar


def test_every_governing_law_the_extractor_reads_has_a_calendar_but_dubai():
    unmapped = {name for name in _ALL if dates.map_jurisdiction(name) is None}
    assert unmapped == {"Dubai"}  # the UAE's calendar has no emirates: a person sets it


def test_a_japanese_contract_counts_japanese_holidays():
    """11 Feb (National Foundation Day) and 23 Feb (Emperor's Birthday) 2027 are not business days
    in Japan: 30 business days before 30 Mar 2027 is 12 Feb, not the US count's 16 Feb."""
    notice = next(d for d in deadlines_for_contract(TOKYO, _extraction("Japan"), date(2026, 12, 1))
                  if d.obligation_id == "notice_deadline")
    assert notice.due == date(2027, 2, 12)
    assert notice.derivation == "expiration_date 2027-03-30 - P30BD (business days, JP holidays)"


def test_a_law_with_no_calendar_counts_the_default_and_says_so():
    notice = next(d for d in deadlines_for_contract(TOKYO, _extraction("Narnia"), date(2026, 12, 1))
                  if d.obligation_id == "notice_deadline")
    assert notice.due == date(2027, 2, 16)  # weekends and US holidays (Presidents' Day 15 Feb)
    assert notice.derivation == (
        "expiration_date 2027-03-30 - P30BD (business days, US holidays, the default: no holiday calendar "
        "is known for 'Narnia'; a person must set the contract's jurisdiction)")
    # the metadata's jurisdiction, when given, is the one counted
    metadata = ContractInfo(**{**TOKYO.__dict__, "jurisdiction": "JP"})
    assert next(d for d in deadlines_for_contract(metadata, _extraction("Narnia"), date(2026, 12, 1))
                if d.obligation_id == "notice_deadline").due == date(2027, 2, 12)


def _item(law: str | None, jurisdiction: str | None = None) -> ContractItem:
    return ContractItem("C#x", "META", contract_id="x", file_name="c.pdf", team="t", jurisdiction=jurisdiction,
                        extraction=_extraction(law))


def test_a_law_with_no_calendar_flags_the_contract():
    flags = [f for f in attention_of(_item("Narnia")) if f["kind"] == "no_holiday_calendar"]
    assert len(flags) == 1 and flags[0]["term"] == "governing_law"
    assert "'Narnia'" in flags[0]["message"] and "US holidays (the default)" in flags[0]["message"]
    assert not [f for f in attention_of(_item("Japan")) if f["kind"] == "no_holiday_calendar"]
    assert not [f for f in attention_of(_item(None)) if f["kind"] == "no_holiday_calendar"]
    assert not [f for f in attention_of(_item("Narnia", "JP")) if f["kind"] == "no_holiday_calendar"]


@pytest.mark.parametrize(("clause", "law", "calendar"), [
    # review rv11 M2: the extractor stripped "Republic of" and the bare "Georgia" is the US state's calendar
    ("the laws of the Republic of Georgia", "Republic of Georgia", ("GE", None)),
    ("the laws of the State of Georgia", "Georgia", ("US", "GA")),
    ("the laws of Georgia", "Georgia", ("US", "GA")),
])
def test_the_republic_of_georgia_is_the_country_the_state_of_georgia_the_us_state(clause, law, calendar):
    from clausewatch.extract import extract_contract

    read = extract_contract([f"SERVICES AGREEMENT\nThis Agreement shall be governed by {clause}."], source="x.pdf")
    assert read.value("governing_law") == law
    assert dates.map_jurisdiction(law) == dates.map_jurisdiction(clause) == calendar
    # 7 Jan is Orthodox Christmas in Georgia: five business days before 14 Jan 2027 is 6 Jan, not 7 Jan
    expected = date(2027, 1, 6) if calendar[0] == "GE" else date(2027, 1, 7)
    assert dates.notice_deadline(date(2027, 1, 14), "P5BD", law).value == expected
