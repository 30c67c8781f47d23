"""The portfolio report, pure: sections sorted as a reader scans them, exact totals per currency,
CSV with one section column, one self-contained HTML page (escaped, chart as inline SVG, no script)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import date

import pytest

from clausewatch.reports.portfolio import (
    AmendmentRow,
    MoneyRow,
    OverdueRow,
    RenewalRow,
    auto_renew_as_it_stands,
    build,
    ended_by,
    passed_term_end,
    render,
    renewal_unknown,
)

TODAY = date(2026, 11, 25)


def _portfolio():
    renewals = [
        RenewalRow("c2", "Supply <Agreement>", "Granite", "notice_deadline", "2027-02-02", 69, "dana@x.test", True,
                   "term end 2027-06-02 - P120D = 2027-02-02"),
        RenewalRow("c1", "SaaS", "Northwind", "notice_deadline", "2026-12-30", 35, "priya@x.test", True,
                   "expiration_date 2027-02-28 - P60D"),
        RenewalRow("c3", "Far", None, "expiration", "2027-09-30", 309, None, False, "beyond 180 days"),
    ]
    overdue = [OverdueRow("c4", "Services", "d1", "deliverable", "Report", "2026-09-30", 56, "marcus@x.test"),
               OverdueRow("c4", "Services", "d0", "deliverable", "Plan", "2026-07-31", 117, None)]
    money = [MoneyRow("c1", "SaaS", "price_above_agreed", "invoice 1", "a", "9300.00", "USD", "open", "NWA-1"),
             MoneyRow("c1", "SaaS", "sla_breach", "credit", "99.4% < 99.5% -> ...", "1550.00", "USD", "owed", "2026-10"),
             MoneyRow("c1", "SaaS", "sla_breach", "credit", "b", "775.00", "USD", "claimed", "2026-09"),
             MoneyRow("c5", "UK", "sla_breach", "credit", "c", "100.10", "GBP", "owed", "2026-10")]
    amendments = [AmendmentRow("c2", "Supply <Agreement>", "a1", "amendment-1.pdf", "2026-11-25T10:00:08Z")]
    return build("procurement", TODAY, contracts=5, renewals=renewals, overdue=overdue, money=money,
                 amendments=amendments)


def test_sections_are_sorted_and_totals_exact_per_currency():
    p = _portfolio()
    assert [r.contract_id for r in p.renewals] == ["c1", "c2"]  # soonest first; past 180 days left out
    assert [o.owner for o in p.overdue] == ["marcus@x.test", None]  # by owner, the unowned last
    assert p.totals["renewals_within_90_days"] == 2 and p.totals["renewals_within_180_days"] == 2
    assert p.totals["credits_owed"] == {"GBP": "100.10", "USD": "1550.00"}
    assert p.totals["credits_claimed"] == {"USD": "775.00"}
    assert p.totals["invoice_findings_at_stake"] == {"USD": "9300.00"}
    assert p.totals["overdue_by_owner"] == {"marcus@x.test": 1, "unowned": 1}
    assert p.money[0].status == "owed"


def test_json_and_csv_carry_every_row():
    p = _portfolio()
    kind, body = render(p, "json")
    assert kind == "application/json" and json.loads(body)["totals"]["credits_owed"]["USD"] == "1550.00"
    kind, body = render(p, "csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert kind.startswith("text/csv")
    assert [r["section"] for r in rows].count("renewal") == 2 and len(rows) == 2 + 2 + 4 + 1
    saas = next(r for r in rows if r["section"] == "renewal" and r["contract_id"] == "c1")
    assert (saas["date"], saas["days"], saas["arithmetic"]) == ("2026-12-30", "35", "expiration_date 2027-02-28 - P60D")


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_text():
    p = _portfolio()
    p.overdue[0] = dataclasses.replace(p.overdue[0], summary='=HYPERLINK("http://evil.example/x","Open") Vendor')
    p.renewals[0] = dataclasses.replace(p.renewals[0], title="@SUM(1+1)")
    p.money[0] = dataclasses.replace(p.money[0], summary="-2+3")
    rows = list(csv.DictReader(io.StringIO(render(p, "csv")[1])))
    assert rows[0]["title"] == "'@SUM(1+1)"
    assert next(r for r in rows if r["section"] == "overdue")["what"].startswith("'=HYPERLINK(")
    assert next(r for r in rows if r["section"] == "money")["what"] == "'-2+3"
    assert next(r for r in rows if r["section"] == "overdue")["days"].startswith("-")  # a number stays a number


def test_csv_formulas_after_blanks_or_in_full_width_forms_are_text_too():
    p = _portfolio()
    p.renewals[0] = dataclasses.replace(p.renewals[0], title=" =1+1")
    p.renewals[1] = dataclasses.replace(p.renewals[1], title="\uff1dSUM(A1:A9)")
    rows = [r for r in csv.DictReader(io.StringIO(render(p, "csv")[1])) if r["section"] == "renewal"]
    assert sorted(r["title"] for r in rows) == sorted(["' =1+1", "'\uff1dSUM(A1:A9)"])


def test_html_is_one_self_contained_page_with_escaped_text_and_an_svg_timeline():
    kind, body = render(_portfolio(), "html")
    assert kind.startswith("text/html")
    assert "Supply &lt;Agreement&gt;" in body and "Supply <Agreement>" not in body
    assert "<svg" in body and "Upcoming deadlines" in body
    assert "<script" not in body.lower()  # no tooltip script fetched from a CDN
    assert not re.search(r'(?:src|href)="https?://', body)
    assert "USD 1,550.00" in body and "GBP 100.10" in body


def test_a_credit_note_and_the_over_charge_it_refunded_are_not_at_stake():
    p = _portfolio()
    money = [*p.money,
             MoneyRow("c1", "SaaS", "price_above_agreed", "invoice 2", "x", "500.00", "USD", "settled", "NWA-2"),
             MoneyRow("c1", "SaaS", "credit_note_settled", "credit note CN-1", "y", "500.00", "USD", "credited",
                      "CN-1")]
    again = build("procurement", TODAY, contracts=5, renewals=p.renewals, overdue=p.overdue, money=money,
                  amendments=p.amendments)
    assert again.totals["invoice_findings_at_stake"] == {"USD": "9300.00"}


def _partly_credited():
    """October's 1,550.00 credit with 1,000.00 of it credited, an over-charge refunded whole, and the
    credit note that refunded it."""
    p = _portfolio()
    money = [dataclasses.replace(m, still_owed="550.00") if m.period_or_invoice == "2026-10" and m.currency == "USD"
             else m for m in p.money]
    money += [MoneyRow("c1", "SaaS", "price_above_agreed", "invoice 2", "x", "500.00", "USD", "settled", "NWA-2",
                       still_owed="0.00"),
              MoneyRow("c1", "SaaS", "credit_note_settled", "credit note CN-1", "y", "500.00", "USD", "credited",
                       "CN-1", still_owed="500.00")]
    return build("procurement", TODAY, contracts=5, renewals=p.renewals, overdue=p.overdue, money=money,
                 amendments=p.amendments)


def test_csv_shows_what_is_still_owed_beside_each_money_rows_amount():
    # was: only the original amount, 1,550.00, while the totals counted 550.00
    rows = [r for r in csv.DictReader(io.StringIO(render(_partly_credited(), "csv")[1])) if r["section"] == "money"]
    owed = {(r["what"], r["amount"]): r["still_owed"] for r in rows}
    assert owed[("credit", "1550.00")] == "550.00"
    assert owed[("invoice 2", "500.00")] == "0.00"
    assert owed[("invoice 1", "9300.00")] == "9300.00"  # nothing credited: all of it
    assert owed[("credit note CN-1", "500.00")] == ""  # a credit note is money to us, nothing owed
    assert all(r["still_owed"] == "" for r in csv.DictReader(io.StringIO(render(_partly_credited(), "csv")[1]))
               if r["section"] != "money")


def test_html_shows_what_is_still_owed_beside_each_money_rows_amount():
    body = render(_partly_credited(), "html")[1]
    assert "<th>amount</th><th>still owed</th>" in body
    assert "<td>USD 1,550.00</td><td>USD 550.00</td>" in body
    assert "<td>USD 500.00</td><td>USD 0.00</td>" in body
    assert "<td>USD 500.00</td><td></td>" in body  # the credit note


def test_several_teams_are_one_json_document_and_one_csv_table_with_a_team_column():
    """QA (hcli) 5: `report` without --team wrote one report per team back to back: several JSON
    documents (unparseable) and CSV headers repeated with no team column."""
    from clausewatch.reports.portfolio import CSV_COLUMNS, render_teams

    first = _portfolio()
    second = dataclasses.replace(_portfolio(), team="supply-chain")
    _, body = render_teams([first, second], "json")
    by_team = json.loads(body)
    assert list(by_team) == ["procurement", "supply-chain"]
    assert by_team["supply-chain"] == json.loads(render(second, "json")[1])
    _, body = render_teams([first, second], "csv")
    lines = body.splitlines()
    assert lines[0] == ",".join(("team", *CSV_COLUMNS))
    assert sum(1 for line in lines if line.startswith("team,")) == 1
    rows = list(csv.DictReader(io.StringIO(body)))
    one = list(csv.DictReader(io.StringIO(render(first, "csv")[1])))
    assert len(rows) == 2 * len(one)
    assert [r["team"] for r in rows] == ["procurement"] * len(one) + ["supply-chain"] * len(one)
    assert [{k: v for k, v in r.items() if k != "team"} for r in rows[:len(one)]] == one


def test_a_refused_money_file_is_listed_with_its_reason_in_every_format():
    """QA (hcli) 1: the report left refused metrics and invoice files out."""
    from clausewatch.reports.portfolio import RefusedRow

    p = _portfolio()
    refused = RefusedRow("c1", "SaaS", "metrics", "metrics/c1/nov.csv",
                         "line 2: period '2026-13' is not a month", "2026-11-25T10:00:00+00:00")
    p = build("procurement", TODAY, contracts=5, renewals=p.renewals, overdue=p.overdue, money=p.money,
              amendments=p.amendments, refused=[refused])
    assert json.loads(render(p, "json")[1])["refused"] == [dataclasses.asdict(refused)]
    assert p.totals["files_refused"] == 1
    [row] = [r for r in csv.DictReader(io.StringIO(render(p, "csv")[1])) if r["section"] == "refused"]
    assert (row["contract_id"], row["arithmetic"], row["status"]) == ("c1", refused.reason, "refused")
    assert "line 2: period &#x27;2026-13&#x27; is not a month" in render(p, "html")[1]


def test_a_term_that_ended_without_renewing_in_the_last_30_days_is_listed_in_every_format():
    """As GET /renewals lists it (ended_within's default): before, the report began today, and a
    contract that does not renew was gone from it once its term had ended. A renewing contract's
    passed end (it rolls over), one whose renewal is unknown, or one ended 31 days ago is not."""
    renewals = [
        RenewalRow("c6", "Services", "Larkspur", "expiration", "2026-11-20", -5, "marcus@x.test", False, "expiration",
                   ended_by="no renewal"),
        RenewalRow("c7", "Old", None, "expiration", "2026-10-25", -31, None, False, "too long ago",
                   ended_by="no renewal"),
        RenewalRow("c8", "Renews", None, "expiration", "2026-11-24", -1, None, True, "rolls over"),
        RenewalRow("c9", "Unknown", None, "expiration", "2026-11-23", -2, None, None, "renewal not read"),
        RenewalRow("c1", "SaaS", "Northwind", "notice_deadline", "2026-12-30", 35, "priya@x.test", True, "P60D"),
    ]
    p = build("procurement", TODAY, contracts=5, renewals=renewals, overdue=[], money=[], amendments=[])
    assert [r.contract_id for r in p.ended] == ["c6"] and [r.contract_id for r in p.renewals] == ["c1"]
    assert p.totals["terms_ended_within_30_days"] == 1
    assert [r["contract_id"] for r in json.loads(render(p, "json")[1])["ended"]] == ["c6"]
    [ended] = [r for r in csv.DictReader(io.StringIO(render(p, "csv")[1])) if r["section"] == "ended"]
    assert (ended["date"], ended["days"], ended["status"]) == ("2026-11-20", "-5", "ended 5 day(s) ago")
    page = render(p, "html")[1]
    assert "Terms ended without renewing" in page and "<td>Services</td>" in page and "Renews" not in page
    assert "<th>ended by</th>" in page and "<td>no renewal</td>" in page


@pytest.mark.parametrize("auto_renew, days_left, renewed, decision_ended, expected", [
    (False, -5, False, False, "no renewal"),  # does not renew by itself
    (None, -5, False, False, None),  # unknown is not "no"
    (True, -1, False, False, None),  # a renewing contract's passed end rolls over
    (False, -5, True, False, None),  # review MUST 1: its renewal decision was "renew"
    (None, -1, False, True, "decision"),  # review MUST 2: a lapse ended a contract whose renewal is unknown
    (False, -5, False, True, "decision"),  # a decision ended it: said so, whatever its terms read
    (True, -5, True, True, None),
    (False, -31, False, False, None), (None, -31, False, True, None),  # more than 30 days ago
    (False, 0, False, True, None),  # its last day: not ended yet
])
def test_why_a_term_ended_without_renewing(auto_renew, days_left, renewed, decision_ended, expected):
    assert ended_by(auto_renew, days_left, renewed=renewed, decision_ended=decision_ended) == expected


@pytest.mark.parametrize("as_read, decision_ended, expected", [
    (True, True, False),  # notice of non-renewal given: it renews no more
    (None, True, None),  # review MUST 2: a lapse does not tell what its terms say (unknown stays null)
    (False, True, False), (True, False, True), (None, False, None), (False, False, False),
])
def test_auto_renew_as_the_contract_stands(as_read, decision_ended, expected):
    assert auto_renew_as_it_stands(as_read, decision_ended) is expected


def _ended_terms():
    """A term a decision ended, one of a contract that does not renew, one whose renewal is unknown."""
    renewals = [
        RenewalRow("c6", "Services", "Larkspur", "expiration", "2026-11-20", -5, None, False, "expiration",
                   ended_by="no renewal"),
        RenewalRow("c7", "Lapsed", None, "expiration", "2026-11-15", -10, None, None, "lapsed", ended_by="decision"),
        RenewalRow("c9", "Unknown", None, "expiration", "2026-11-23", -2, "dana@x.test", None, "expiration_date",
                   renewal="unknown", renewal_reason="no renewal clause was found: check whether it renewed"),
    ]
    return build("procurement", TODAY, contracts=3, renewals=renewals, overdue=[], money=[], amendments=[])


def test_the_csv_says_which_term_a_decision_ended_as_the_json_does():
    """Before: the CSV's ended rows did not say a decision ended one (the JSON's ended_by)."""
    p = _ended_terms()
    listed = json.loads(render(p, "json")[1])["ended"]
    rows = [r for r in csv.DictReader(io.StringIO(render(p, "csv")[1])) if r["section"] == "ended"]
    assert [(r["contract_id"], r["ended_by"], r["renewal"]) for r in listed] == \
        [(r["contract_id"], r["ended_by"] or None, r["renewal"] or None) for r in rows] == \
        [("c7", "decision", None), ("c6", "no renewal", None)]
    assert [r["status"] for r in rows] == ["ended 10 day(s) ago", "ended 5 day(s) ago"]
    other = [r for r in csv.DictReader(io.StringIO(render(_portfolio(), "csv")[1]))]
    assert other and all(r["ended_by"] == "" and r["renewal"] == "" for r in other)


def test_a_term_end_whose_renewal_is_unknown_has_its_own_section_never_ended():
    """Review SHOULD 1 and 2: a term end passed whose renewal is unknown was among the report's
    ended rows (JSON ``ended``, CSV ``section=ended``), so a reader counting them counted a term that
    may have renewed, and it was said to have "ended". Now it is in ``renewal_unknown``, in JSON and
    CSV, said "term end passed N day(s) ago — renewal not known"; len(ended) is the ended total."""
    p = _ended_terms()
    report = json.loads(render(p, "json")[1])
    assert [r["contract_id"] for r in report["ended"]] == ["c7", "c6"]
    assert len(report["ended"]) == report["totals"]["terms_ended_within_30_days"] == 2
    [unknown] = report["renewal_unknown"]
    assert (unknown["contract_id"], unknown["ended_by"], unknown["renewal"], unknown["renewal_reason"]) == \
        ("c9", None, "unknown", "no renewal clause was found: check whether it renewed")
    assert report["totals"]["renewal_unknown_within_30_days"] == 1
    rows = list(csv.DictReader(io.StringIO(render(p, "csv")[1])))
    assert [r["contract_id"] for r in rows if r["section"] == "ended"] == ["c7", "c6"]
    [row] = [r for r in rows if r["section"] == "renewal_unknown"]
    assert (row["contract_id"], row["date"], row["days"], row["ended_by"], row["renewal"]) == \
        ("c9", "2026-11-23", "-2", "", "unknown")
    assert row["status"] == \
        "term end passed 2 day(s) ago — renewal not known (no renewal clause was found: check whether it renewed)"


def test_a_term_whose_renewal_is_unknown_is_listed_but_never_counted_as_ended_without_renewing():
    p = _ended_terms()
    assert p.totals["terms_ended_within_30_days"] == 2
    assert p.totals["renewal_unknown_within_30_days"] == 1
    page = render(p, "html")[1]
    ended, unknown = page.split("<h2>Terms ended without renewing")[1].split("<h2>Term ends passed, renewal not known")
    assert "<td>Services</td>" in ended and "<td>Lapsed</td>" in ended and "Unknown" not in ended
    unknown = unknown.split("<h2>")[0]
    assert "no renewal clause was found: check whether it renewed" in unknown and "<td>Unknown</td>" in unknown
    assert "<th>term end</th>" in unknown and "ended" not in unknown
    assert "Term end passed, renewal not known: <b>1</b>" in page


@pytest.mark.parametrize("auto_renew, days_left, renewed, decision_ended, expected", [
    (None, -5, False, False, True),  # no renewal clause was found: unknown is not "no"
    (False, -5, False, False, False), (True, -1, False, False, False),  # known: ended, or rolled over
    (None, -5, True, False, False),  # decided "renew": it renewed
    (None, -1, False, True, False),  # a lapse ended it: ended by the decision
    (None, -31, False, False, False), (None, 0, False, False, False),  # not in the days back
])
def test_a_passed_term_end_whose_renewal_is_unknown(auto_renew, days_left, renewed, decision_ended, expected):
    assert renewal_unknown(auto_renew, days_left, renewed=renewed, decision_ended=decision_ended) is expected


@pytest.mark.parametrize("auto_renew, days_left, renewed, decision_ended, marked_done, expected", [
    (False, -5, False, False, True, "marked done"),  # before: a person's done took it off the list
    (False, -5, False, False, False, "no renewal"),  # open: ended as its terms read
    (None, -5, False, False, True, "unknown"),  # before: a person's done took it off the unknown list
    (None, -5, False, False, False, "unknown"),
    (True, -5, False, False, True, None),  # renews by itself: done says the end came, it rolled over
    (False, -5, True, False, True, None), (None, -5, True, False, True, None),  # decided "renew"
    (None, -5, False, True, False, "decision"),  # a decision ended it (the sweep closed it done)
    (False, -31, False, False, True, None), (False, 0, False, False, True, None),  # not in the days back
])
def test_what_became_of_a_passed_term_end_a_person_may_have_marked_done(auto_renew, days_left, renewed,
                                                                       decision_ended, marked_done, expected):
    assert passed_term_end(auto_renew, days_left, renewed=renewed, decision_ended=decision_ended,
                           marked_done=marked_done) == expected


def test_the_html_says_who_marked_a_listed_term_end_done():
    """An ended row and a renewal-unknown row whose ends a person marked done say so in HTML too."""
    renewals = [
        RenewalRow("c6", "Services", None, "expiration", "2026-11-20", -5, None, False, "expiration",
                   ended_by="marked done", marked_done_by="dana@x.test", marked_done_on="2026-11-21"),
        RenewalRow("c9", "Unknown", None, "expiration", "2026-11-23", -2, None, None, "expiration_date",
                   renewal="unknown", renewal_reason="no renewal clause was found: check whether it renewed",
                   marked_done_by="sam@x.test", marked_done_on="2026-11-24"),
    ]
    page = render(build("procurement", TODAY, contracts=2, renewals=renewals, overdue=[], money=[], amendments=[]),
                  "html")[1]
    ended, unknown = page.split("<h2>Terms ended without renewing")[1].split("<h2>Term ends passed, renewal not known")
    assert "<td>marked done by dana@x.test on 2026-11-21</td>" in ended
    assert "<td>end marked done by sam@x.test on 2026-11-24</td>" in unknown.split("<h2>")[0]


def test_the_html_counts_a_renewal_term_unknown_apart_from_a_renewal_not_known():
    """Before: the HTML counted a passed end of a contract that renews by itself with no renewal term
    known ("renewal term unknown") in its "Term end passed, renewal not known" KPI and listed it in
    that section, though its renewal is known (it renews). Now it has its own KPI and section; the
    JSON's ``renewal_unknown_within_30_days`` still counts every ``renewal_unknown`` row, and the new
    ``renewal_term_unknown_within_30_days`` those of them whose renewal term is not known."""
    renewals = [
        RenewalRow("c9", "Unknown", None, "expiration", "2026-11-23", -2, None, None, "expiration_date",
                   renewal="unknown", renewal_reason="no renewal clause was found: check whether it renewed"),
        RenewalRow("c8", "Renews", None, "expiration", "2026-11-20", -5, None, True, "expiration_date",
                   renewal="renewal term unknown", renewal_reason="renews by itself, but no renewal term was found"),
    ]
    p = build("procurement", TODAY, contracts=2, renewals=renewals, overdue=[], money=[], amendments=[])
    report = json.loads(render(p, "json")[1])
    assert [r["contract_id"] for r in report["renewal_unknown"]] == ["c8", "c9"]
    assert (report["totals"]["renewal_unknown_within_30_days"],
            report["totals"]["renewal_term_unknown_within_30_days"]) == (2, 1)
    page = render(p, "html")[1]
    assert "Term end passed, renewal not known: <b>1</b>" in page
    assert "Term end passed, renews, renewal term not known: <b>1</b>" in page
    unknown = page.split("<h2>Term ends passed, renewal not known")[1].split("<h2>")[0]
    term_unknown = page.split("<h2>Term ends passed, renews but renewal term not known")[1].split("<h2>")[0]
    assert "<td>Unknown</td>" in unknown and "Renews" not in unknown
    assert "<td>Renews</td>" in term_unknown and "<td>Unknown</td>" not in term_unknown
    assert "enter the contract&#x27;s renewal_term" in term_unknown


def test_a_verdict_on_lines_summed_is_written_as_json_and_counted_once_with_its_lines():
    """A verdict on invoice lines summed carries its lines (a frozenset, so the totals count each line
    once): the JSON report lists them, sorted, where it raised TypeError (frozenset) before."""
    lines = frozenset({("c1", "INV-12", "3"), ("c1", "INV-12", "2")})
    money = [MoneyRow("c1", "SaaS", "arithmetic", "line 2", "a", "50.00", "USD", "open", "INV-12", ("c1", "INV-12", "2")),
             MoneyRow("c1", "SaaS", "price_above_agreed", "lines 2 + 3", "b", "50.00", "USD", "open", "INV-12", lines)]
    p = build("procurement", TODAY, contracts=1, renewals=[], overdue=[], money=money, amendments=[])
    report = json.loads(render(p, "json")[1])
    by_kind = {row["kind"]: row["line"] for row in report["money"]}
    assert by_kind == {"arithmetic": ["c1", "INV-12", "2"],
                       "price_above_agreed": [["c1", "INV-12", "2"], ["c1", "INV-12", "3"]]}
    assert report["totals"]["invoice_findings_at_stake"] == {"USD": "50.00"}
