"""Alert email text as a new user read it (issue #13 section 5): no word cut in half, the amendment
named when its clause is quoted, one calendar title per duty, a subject that unfolds cleanly."""

from __future__ import annotations

import email
import email.header
import email.policy
import re
from dataclasses import replace
from datetime import date

from icalendar import Calendar

from clausewatch.extract import extract_contract
from clausewatch.extract.obligations import clip_words
from clausewatch.notify import calendar_for_deadlines, content_for, render_alert_email
from clausewatch.plan import ContractInfo, deadlines_for_contract
from tests.unit.test_notify import API, CONTRACT, NOTICE, PLANNED, SENDER, _decide

LONG = ("Report (recurring): Provider shall deliver to Customer a monthly service report listing the "
        "incidents opened and resolved during the month, the availability achieved against the "
        "service level and every service credit owed under the agreement")


def _report(obligation_id: str, summary: str):
    return replace(NOTICE, obligation_id=obligation_id, kind="recurring", summary=summary,
                   due=date(2026, 12, 14), action="Check that Provider delivers it.")


def _render(deadline):
    decision = _decide({"name": "n", "due": deadline.due.isoformat(), "sequence": 0}, current_due=deadline.due)
    return render_alert_email(content_for(CONTRACT, deadline, sent_at=PLANNED, api_base_url=API),
                              decision, SENDER)


def test_clipping_never_cuts_a_word():
    clipped = clip_words(LONG, 120)
    assert len(clipped) <= 120 and clipped.endswith("…")
    assert LONG.startswith(clipped[:-1]) and LONG[len(clipped) - 1] == " "  # ends on a whole word
    assert clip_words("short", 120) == "short"


def test_what_to_do_is_never_cut_mid_word():
    text = ("MASTER SERVICES AGREEMENT\nThis Agreement is made as of January 1, 2025 (the \"Effective Date\") "
            "between Acme Corp (\"Customer\") and Northwind Ltd (\"Provider\").\n"
            "5. Reports. Within ten (10) days after the end of each month, Provider shall deliver to Customer "
            "a written service report listing the incidents opened and resolved during the month, the "
            "availability achieved against the service level, every service credit owed, the root cause "
            "of each severity one incident and the remediation plan agreed for each of them.\n")
    extraction = extract_contract([text], source="msa.pdf")
    info = ContractInfo(contract_id="c1", title="MSA", counterparty="Northwind Ltd", owner=None, team="t",
                        contract_type=None, time_zone="UTC", jurisdiction=None)
    deadlines = [d for d in deadlines_for_contract(info, extraction, date(2025, 3, 20)) if d.kind == "recurring"]
    assert deadlines, extraction.to_dict()["obligations"]
    flat = " ".join(text.split())
    for deadline in deadlines:
        # the summary, as the action quotes it, stops at the end of a word of the clause
        quoted = deadline.action.split(": ", 1)[1].split(" Chase them")[0]
        assert quoted.endswith("…"), quoted  # this clause is long: it was clipped, and says so
        words = quoted.removesuffix("…")
        start = flat.index(words[:40])
        following = flat[start + len(words):start + len(words) + 1]
        assert following in (" ", ",", ";", ".", ""), (words[-20:], following)


def test_a_clause_quoted_from_an_amendment_names_it():
    amended = replace(NOTICE, evidence={**NOTICE.evidence, "page": 1, "amended_by": "a1",
                                        "document": "amendment-1-supply.pdf"})
    message = email.message_from_bytes(_render(amended).as_bytes(), policy=email.policy.default)
    plain = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
    assert "From the clause (amendment amendment-1-supply.pdf, page 1):" in plain
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_content()
    assert "amendment amendment-1-supply.pdf, page 1" in html
    event = Calendar.from_ical(calendar_for_deadlines(CONTRACT, [amended], stamp=PLANNED)).walk("VEVENT")[0]
    assert "Clause (amendment amendment-1-supply.pdf, page 1)" in str(event["DESCRIPTION"])
    # a clause of the contract itself is cited by page alone
    plain = next(p for p in email.message_from_bytes(_render(NOTICE).as_bytes(), policy=email.policy.default)
                 .walk() if p.get_content_type() == "text/plain").get_content()
    assert "From the clause (page 3):" in plain


def test_two_duties_of_one_contract_have_distinct_calendar_titles():
    first = _report("r1@2026-12-14", "Report (recurring): Monthly usage report")
    second = _report("r2@2026-12-14", "Forecast (recurring): Rolling 12-month forecast")
    events = list(Calendar.from_ical(calendar_for_deadlines(CONTRACT, [first, second], stamp=PLANNED))
                  .walk("VEVENT"))
    titles = [str(e["SUMMARY"]) for e in events]
    assert len(set(titles)) == 2
    assert titles[0].startswith("Due: Report (recurring): Monthly usage report — Cloud Services")


def test_a_long_subject_unfolds_with_single_spaces():
    message = _render(_report("r1@2026-12-14", LONG))
    raw = message.as_bytes().decode("ascii")
    header = re.search(r"^Subject: (.*?)\r?\n(?=\S)", raw, re.M | re.S).group(1)
    assert "\n" in header  # long enough to fold
    unfolded = re.sub(r"\r?\n", "", header)  # RFC 5322 unfolding: remove the line breaks only
    assert "  " not in unfolded and "=?" not in unfolded
    decoded = str(email.header.make_header(email.header.decode_header(unfolded)))
    assert "  " not in decoded
    assert decoded.startswith("Due 14 Dec 2026 (19 days left): Report (recurring): Provider shall deliver")
