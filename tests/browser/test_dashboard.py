"""The web dashboard in headless Chromium against `clausewatch serve` with the sample contracts
(see conftest.py): what a person sees and does, checked against the samples' known dates, the
planner's schedules and the API."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import date, timedelta

from clausewatch import clock
from tests.browser.conftest import (
    DEMO_TODAY,
    OTHER_TEAM,
    TEAM,
    USER,
    loaded,
    screenshot,
    token_for,
    wait_until,
)
from tests.pdfs import make_pdf


def api(served, path: str, team: str = TEAM) -> dict:
    request = urllib.request.Request(f"{served.url}{path}",
                                     headers={"Authorization": f"Bearer {token_for(served, team)}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def rows(browser, table: str) -> list:
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr")


# the samples' term deadlines in the 90 days after the demo's today (README, "What make demo shows"):
# (sample, notice deadline, term end), soonest first; a tie (31 Dec) in contract-id order
EXPECTED_RENEWALS = [
    ("saas-subscription-northwind.pdf", "2026-12-30 (America/New_York)", "2027-02-28 (America/New_York)"),
    ("uk-software-licence.pdf", "2026-12-31 (Europe/London)", "2027-03-31 (Europe/London)"),
    ("services-agreement-fixed-dates.pdf", "-", "2026-12-31 (America/Los_Angeles)"),
    ("supply-agreement-autorenew.pdf", "2027-02-02 (America/Chicago)", "2027-06-02 (America/Chicago)"),
    ("mutual-nda.pdf", "-", "2027-02-19 (America/New_York)"),
]


def test_the_renewals_page_lists_the_samples_soonest_first_with_their_dates(served, sign_in):
    from selenium.webdriver.common.by import By

    browser = sign_in()
    seen = [(r.get_attribute("data-contract"), r.find_element(By.CSS_SELECTOR, ".notice-deadline").text,
             r.find_element(By.CSS_SELECTOR, ".expiration").text) for r in rows(browser, "renewals")]
    assert seen == [(served.ids[name], notice, end) for name, notice, end in EXPECTED_RENEWALS]
    # 35 days to the SaaS notice deadline: nothing closes within 14 days at the demo's today
    assert [r.get_attribute("class") or "" for r in rows(browser, "renewals")] == [""] * len(EXPECTED_RENEWALS)
    markers = browser.find_elements(By.CSS_SELECTOR, "#timeline li")
    assert len(markers) == len(EXPECTED_RENEWALS)
    lefts = [m.location["x"] for m in markers]
    assert lefts == sorted(lefts)  # the timeline in date order too
    # each term's renewal decision (none started at the demo's today: the serve world runs no workflow)
    assert [r.find_element(By.CSS_SELECTOR, ".decision").text for r in rows(browser, "renewals")] == \
        ["not started"] * len(EXPECTED_RENEWALS)
    screenshot(browser, "renewals")

    # the window is switchable: 60 days (to 2027-01-24) holds only the December deadlines
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "within")).select_by_value("60")
    wait_until(lambda: len(rows(browser, "renewals")) == 3, "the 60-day window")
    assert [r.get_attribute("data-contract") for r in rows(browser, "renewals")] == \
        [served.ids[name] for name, _, _ in EXPECTED_RENEWALS[:3]]
    assert browser.current_url.endswith("?within=60")


def test_a_terms_renewal_decision_shows_on_its_row(served, sign_in):
    """The renewals page says where each term's decision is, from the API's `decision`; a record
    waiting for the owner is written here as the workflow's AskOwner step writes it."""
    from selenium.webdriver.common.by import By

    from clausewatch.renewal import store

    contract_id = served.ids["saas-subscription-northwind.pdf"]
    with served.lock:
        item = store.ensure(contract_id, "2027-02-28", execution_arn=None)
        store.update(item, actor="test", action="asked.owner", state="waiting", waiting_round="owner",
                     recommendation={"decision": "renegotiate", "reasons": ["a SaaS contract is reviewed every term"]})
    try:
        browser = sign_in()
        cell = browser.find_element(By.CSS_SELECTOR, f"#renewals tr[data-contract='{contract_id}'] .decision")
        assert (cell.get_attribute("data-state"), cell.text) == ("waiting", "waiting for the owner (recommended: renegotiate)")
        with served.lock:
            store.update(store.get(contract_id, "2027-02-28"), actor="test", action="renewed", state="renewed",
                         waiting_round=None, outcome="renewed: rolls to the next term",
                         decision={"decision": "renew", "by": "priya.raman@example.com"})
        browser.refresh()
        loaded(browser, "renewals")
        cell = browser.find_element(By.CSS_SELECTOR, f"#renewals tr[data-contract='{contract_id}'] .decision")
        assert cell.text == "renewed: rolls to the next term, by priya.raman@example.com"
    finally:
        with served.lock:
            store.get(contract_id, "2027-02-28").delete()


def test_a_notice_window_closing_within_14_days_stands_out(served, sign_in):
    from selenium.webdriver.common.by import By

    browser = sign_in()
    with served.lock:
        clock.set_now(DEMO_TODAY.replace(day=20, month=12))  # 10 days before the SaaS notice deadline
    try:
        browser.refresh()
        loaded(browser, "renewals")
        flags = {r.get_attribute("data-contract"): r.get_attribute("class") for r in rows(browser, "renewals")}
        assert flags[served.ids["saas-subscription-northwind.pdf"]] == "closing"  # 10 days
        assert flags[served.ids["uk-software-licence.pdf"]] == "closing"  # 11 days
        assert flags[served.ids["supply-agreement-autorenew.pdf"]] == ""  # 44 days
        closing = browser.find_element(By.CSS_SELECTOR, "#renewals tr.closing td")
        assert closing.value_of_css_property("background-color") != \
            browser.find_element(By.CSS_SELECTOR, "#renewals tr:not(.closing) td").value_of_css_property(
                "background-color")
        screenshot(browser, "renewals-closing")
    finally:
        with served.lock:
            clock.set_now(DEMO_TODAY)


def test_a_contract_that_does_not_renew_stands_out_as_its_term_ends(served, sign_in):
    """The services agreement does not renew (no notice deadline): 11 days before its term ends it is
    flagged "ending" with the days to its end, in the table and on the timeline; the auto-renewing
    ones keep their notice flags and no end badge."""
    from selenium.webdriver.common.by import By

    browser = sign_in()
    services = served.ids["services-agreement-fixed-dates.pdf"]
    with served.lock:
        clock.set_now(DEMO_TODAY.replace(day=20, month=12))  # 11 days before its 2026-12-31
    try:
        browser.refresh()
        loaded(browser, "renewals")
        flags = {r.get_attribute("data-contract"): r.get_attribute("class") for r in rows(browser, "renewals")}
        assert flags[services] == "ending"
        assert flags[served.ids["saas-subscription-northwind.pdf"]] == "closing"  # renews: its notice, as before
        row = browser.find_element(By.CSS_SELECTOR, f"#renewals tr[data-contract='{services}']")
        assert row.find_element(By.CSS_SELECTOR, ".expiration").text == \
            "2026-12-31 (America/Los_Angeles) ends in 11 day(s)"
        assert row.find_element(By.CSS_SELECTOR, ".days-left").text == "-"  # no notice to give
        assert [r.find_element(By.CSS_SELECTOR, ".expiration").text for r in rows(browser, "renewals")
                if r.get_attribute("data-contract") != services and "day(s)" in r.text] == []
        ending = row.find_element(By.CSS_SELECTOR, "td").value_of_css_property("background-color")
        closing = browser.find_element(By.CSS_SELECTOR, "#renewals tr.closing td").value_of_css_property(
            "background-color")
        assert ending != closing
        markers = [m.get_attribute("class") for m in browser.find_elements(By.CSS_SELECTOR, "#timeline li.ending")]
        assert len(markers) == 1
        assert browser.find_element(By.CSS_SELECTOR, "#timeline li.ending").text == \
            "Professional Services Agreement: ends 2026-12-31 (America/Los_Angeles)"
        screenshot(browser, "renewals-ending")
        assert "ends within 14 days or has ended" in browser.find_element(By.ID, "legend").text
    finally:
        with served.lock:
            clock.set_now(DEMO_TODAY)


def test_a_contract_that_does_not_renew_is_still_listed_once_its_term_has_ended(served, sign_in):
    """Before: the services agreement (no renewal) left the page the day after its term ended, though
    its services may go on with no contract. Now, for 30 days after its end it is listed first,
    flagged "ended" with the days since its end (in its time zone), in the table and on the
    timeline; the renewing contracts are never flagged ended."""
    from selenium.webdriver.common.by import By

    browser = sign_in()
    services = served.ids["services-agreement-fixed-dates.pdf"]
    with served.lock:  # 5 January 2027, 02:00 in Los Angeles: 5 days after its 2026-12-31
        clock.set_now(DEMO_TODAY.replace(year=2027, month=1, day=5))
    try:
        browser.refresh()
        loaded(browser, "renewals")
        listed = rows(browser, "renewals")
        assert listed[0].get_attribute("data-contract") == services
        assert [r.get_attribute("class") for r in listed].count("ended") == 1
        assert listed[0].get_attribute("class") == "ended"
        assert listed[0].find_element(By.CSS_SELECTOR, ".expiration").text == \
            "2026-12-31 (America/Los_Angeles) ended 5 day(s) ago"
        assert listed[0].find_element(By.CSS_SELECTOR, ".days-left").text == "-"
        assert browser.find_element(By.CSS_SELECTOR, "#timeline li.ended").text == \
            "Professional Services Agreement: ended 2026-12-31 (America/Los_Angeles)"
        assert "; 1 contract(s) that do not renew ended in the last 30 days." in browser.find_element(By.ID, "status").text
        screenshot(browser, "renewals-ended")
    finally:
        with served.lock:
            clock.set_now(DEMO_TODAY)


def _upload_with_no_renewal_clause(served, team: str, file_name: str, effective: str) -> str:
    """A twelve-month consulting agreement of ``team`` with no renewal clause (its renewal unknown),
    effective on ``effective``, ingested; its contract id."""
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex

    path = served.state_dir / file_name
    path.write_bytes(make_pdf(
        f"CONSULTING AGREEMENT\nThis Consulting Agreement is entered into as of {effective} (the "
        "\"Effective Date\") between Acme Widgets, Inc. and Blue Heron Consulting LLC.\n"
        "1. Term. This Agreement shall remain in effect for a period of twelve (12) months from the "
        "Effective Date.\n2. Governing Law. This Agreement is governed by the laws of the State of New York."))
    with served.lock:
        served.cloud.upload(path, {"team": team, "owner": USER, "time-zone": "America/New_York"})
        served.cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def test_a_term_ended_whose_renewal_is_not_known_says_so_and_is_not_called_ended(served, sign_in):
    """Before: a contract with no renewal clause found left the page once its term ended, as if
    nothing were left to check. Now it is listed first for 30 days after its end, "term end passed
    N day(s) ago — renewal not known" (amber, not the blue of a term that ended without renewing;
    review SHOULD 2: never "ended"), with why on the badge, and the status line counts it apart."""
    from selenium.webdriver.common.by import By

    team = "renewal-unknown"
    contract_id = _upload_with_no_renewal_clause(served, team, "consulting-unknown.pdf", "December 21, 2025")
    with served.lock:  # 5 January 2027: its term (to about 20 December 2026) ended some days ago
        clock.set_now(DEMO_TODAY.replace(year=2027, month=1, day=5))
    try:
        [listed] = api(served, "/renewals?within=0", team)["items"]
        assert (listed["contract_id"], listed["renewal"], listed["term_ended"], listed["auto_renew"]) == \
            (contract_id, "unknown", False, None)
        browser = sign_in(team)
        loaded(browser, "renewals")
        [row] = rows(browser, "renewals")
        assert row.get_attribute("class") == "unknown"
        assert row.find_element(By.CSS_SELECTOR, ".expiration").text == \
            f"{listed['expiration']} (America/New_York) term end passed {listed['days_since_end']} day(s) ago " \
            "— renewal not known"
        assert row.find_element(By.CSS_SELECTOR, ".expiration .badge").get_attribute("title") == \
            "no renewal clause was found: check whether it renewed"
        marker = browser.find_element(By.CSS_SELECTOR, "#timeline li.unknown").text
        assert ": term end passed " in marker and marker.endswith("— renewal not known") and " ended " not in marker
        assert "; 1 contract(s) whose term end passed in the last 30 days with their renewal not known" in \
            browser.find_element(By.ID, "status").text
        assert "that do not renew ended" not in browser.find_element(By.ID, "status").text
        screenshot(browser, "renewals-renewal-unknown")
    finally:
        with served.lock:
            clock.set_now(DEMO_TODAY)


def test_a_term_end_marked_done_whose_renewal_is_not_known_says_who_marked_it(served, sign_in):
    """Before: a term end whose renewal is not known left the page once a person marked it done. Now
    it stays, "renewal not known; marked done by <actor> on <day>" (done says the end came, not
    whether the contract renewed), the badge's title saying why too."""
    from selenium.webdriver.common.by import By

    from clausewatch.pipeline.actions import complete_obligation

    team = "marked-done"
    contract_id = _upload_with_no_renewal_clause(served, team, "consulting-marked-done.pdf", "December 22, 2025")
    with served.lock:  # 4 January 2027: its term (to about 21 December 2026) ended; its owner marks the end done
        clock.set_now(DEMO_TODAY.replace(year=2027, month=1, day=4))
        complete_obligation(contract_id, "expiration", actor=USER, note="services stopped")
        clock.set_now(DEMO_TODAY.replace(year=2027, month=1, day=5))
    try:
        [listed] = api(served, "/renewals?within=0", team)["items"]
        assert (listed["contract_id"], listed["renewal"], listed["marked_done_by"], listed["marked_done_on"]) == \
            (contract_id, "unknown", USER, "2027-01-04")
        browser = sign_in(team)
        loaded(browser, "renewals")
        [row] = rows(browser, "renewals")
        assert row.get_attribute("class") == "unknown"
        assert row.find_element(By.CSS_SELECTOR, ".expiration").text == \
            f"{listed['expiration']} (America/New_York) term end passed {listed['days_since_end']} day(s) ago " \
            f"— renewal not known; marked done by {USER} on 2027-01-04"
        assert f"its end was marked done by {USER} on 2027-01-04" in \
            row.find_element(By.CSS_SELECTOR, ".expiration .badge").get_attribute("title")
    finally:
        with served.lock:
            clock.set_now(DEMO_TODAY)


def _schedules_of(served, contract_id: str, obligation_id: str) -> list[dict]:
    with served.lock:
        schedules = served.cloud.schedules()
    out = []
    for schedule in schedules:
        payload = json.loads(schedule["Target"]["Input"])
        if payload.get("contract_id") == contract_id and payload.get("obligation_id") == obligation_id:
            out.append(schedule)
    return out


def test_completing_an_obligation_removes_it_from_open_and_its_schedules(served, sign_in):
    from selenium.webdriver.common.by import By

    browser = sign_in()
    contract_id = served.ids["services-agreement-fixed-dates.pdf"]
    deliverable = next(o for o in api(served, f"/contracts/{contract_id}")["obligations"]
                       if o["kind"] == "deliverable" and o["status"] == "open")
    before_total = len(served.cloud.schedules())
    before = _schedules_of(served, contract_id, deliverable["id"])
    assert before, "the deliverable has reminders planned"

    browser.get(f"{served.url}/app/obligations.html?window=open")
    loaded(browser, "obligations")
    row = browser.find_element(By.CSS_SELECTOR, f"#obligations tr[data-obligation='{deliverable['id']}']")
    assert row.get_attribute("data-status") == "open"
    row.find_element(By.CSS_SELECTOR, "button.act-complete").click()
    note = browser.find_element(By.ID, "action-input")
    wait_until(note.is_displayed, "the note dialog")
    note.send_keys("Close-out report sent to Larkspur")
    browser.find_element(By.ID, "action-ok").click()
    wait_until(lambda: browser.find_elements(
        By.CSS_SELECTOR, f"#obligations tr[data-obligation='{deliverable['id']}'][data-status='done']"),
        "the row to show the obligation done")
    screenshot(browser, "obligations-completed")

    # no longer open: a fresh open list does not have it, and the API agrees
    browser.refresh()
    loaded(browser, "obligations")
    assert deliverable["id"] not in [r.get_attribute("data-obligation") for r in rows(browser, "obligations")]
    done = api(served, "/obligations?status=done")["items"]
    assert [(o["id"], o["resolution_note"]) for o in done if o["id"] == deliverable["id"]] == \
        [(deliverable["id"], "Close-out report sent to Larkspur")]
    # the planner (on the stream, delivered in the background) removed its reminders
    wait_until(lambda: not _schedules_of(served, contract_id, deliverable["id"]), "the reminders to be removed")
    assert len(served.cloud.schedules()) == before_total - len(before)


def test_completing_with_a_proof_file_stores_it_in_the_evidence_folder(served, sign_in, tmp_path):
    from selenium.webdriver.common.by import By

    from clausewatch import config
    from clausewatch.aws.clients import client

    browser = sign_in()
    # one of the services agreement's deliverables: the last (the test above completes the first;
    # the filter test below still has the others)
    contract_id = served.ids["services-agreement-fixed-dates.pdf"]
    item = [o for o in api(served, f"/contracts/{contract_id}")["obligations"]
            if o["kind"] == "deliverable" and o["status"] in ("open", "overdue")][-1]
    proof = tmp_path / "delivery receipt.pdf"
    proof.write_bytes(make_pdf("Received in full on 25 November 2026."))
    browser.get(f"{served.url}/app/obligations.html?window=open")
    loaded(browser, "obligations")
    row = browser.find_element(By.CSS_SELECTOR, f"#obligations tr[data-obligation='{item['id']}']")
    row.find_element(By.CSS_SELECTOR, "button.act-complete").click()
    note = browser.find_element(By.ID, "action-input")
    wait_until(note.is_displayed, "the note dialog")
    assert browser.find_element(By.ID, "action-file").is_displayed()
    note.send_keys("Goods received")
    browser.find_element(By.ID, "action-file").send_keys(str(proof))
    browser.find_element(By.ID, "action-ok").click()
    done = wait_until(lambda: browser.find_elements(
        By.CSS_SELECTOR, f"#obligations tr[data-obligation='{item['id']}'][data-status='done']"),
        "the row to show the obligation done")
    assert "proof: delivery receipt.pdf" in done[0].find_element(By.CSS_SELECTOR, ".resolution").text
    screenshot(browser, "obligations-completed-with-proof")
    [stored] = [o for o in api(served, "/obligations?status=done")["items"] if o["id"] == item["id"]]
    key = stored["evidence_key"]
    assert key.startswith(f"{config.EVIDENCE_PREFIX}{contract_id}/") and key.endswith("/delivery receipt.pdf")
    assert stored["resolution_note"] == "Goods received"
    with served.lock:
        body = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=key)["Body"].read()
    assert body == proof.read_bytes()
    # the dialog's other uses offer no file
    browser.refresh()
    loaded(browser, "obligations")
    rows(browser, "obligations")[0].find_element(By.CSS_SELECTOR, "button.act-waive").click()
    wait_until(browser.find_element(By.ID, "action-input").is_displayed, "the reason dialog")
    assert not browser.find_element(By.ID, "action-file").is_displayed()
    browser.find_element(By.ID, "action-cancel").click()


def _highlight_matches(browser, served, contract_id: str, name: str) -> dict:
    """The page shows the term's evidence page with its rectangles where the API puts them, on ink."""
    from selenium.webdriver.common.by import By

    evidence = api(served, f"/contracts/{contract_id}")["terms"][name]["evidence"]
    boxes = api(served, f"/contracts/{contract_id}/evidence?page={evidence['page']}"
                        f"&start={evidence['start']}&end={evidence['end']}")
    assert boxes["quote"] == evidence["text"] and boxes["boxes"]
    viewer = browser.find_element(By.ID, "viewer")
    wait_until(lambda: viewer.get_attribute("data-rendered") == "true"
               and viewer.get_attribute("data-page") == str(evidence["page"]), f"page {evidence['page']} to render")
    assert browser.find_element(By.ID, "page-label").text.startswith(f"Page {evidence['page']} of ")
    marks = browser.find_elements(By.CSS_SELECTOR, "#page-box .highlight")
    assert len(marks) == len(boxes["boxes"])
    assert {m.get_attribute("data-page") for m in marks} == {str(evidence["page"])}
    page_rect = browser.find_element(By.ID, "page").rect
    for mark, (left, top, width, height) in zip(marks, boxes["boxes"]):
        assert abs(mark.rect["x"] - (page_rect["x"] + left * page_rect["width"])) < 2
        assert abs(mark.rect["y"] - (page_rect["y"] + top * page_rect["height"])) < 2
        assert abs(mark.rect["width"] - width * page_rect["width"]) < 2
        assert abs(mark.rect["height"] - height * page_rect["height"]) < 2
    # the rectangles lie on printed text: the rendered page has ink under every one of them
    ink = browser.execute_script("""
        const canvas = document.getElementById('page');
        const ctx = canvas.getContext('2d');
        return arguments[0].map(([l, t, w, h]) => {
          const x = Math.floor(l * canvas.width), y = Math.floor(t * canvas.height);
          const data = ctx.getImageData(x, y, Math.max(1, Math.ceil(w * canvas.width)),
                                        Math.max(1, Math.ceil(h * canvas.height))).data;
          let dark = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 300) dark++;
          return dark;
        });""", boxes["boxes"])
    assert all(count > 20 for count in ink), ink
    row = browser.find_element(By.CSS_SELECTOR, f"#terms tr[data-term='{name}']")
    assert row.find_element(By.CSS_SELECTOR, ".page").text == str(evidence["page"])
    assert evidence["text"][:30] in row.find_element(By.CSS_SELECTOR, ".quote").text
    assert "selected" in row.get_attribute("class")
    return evidence


def obligation_rows(browser) -> list[dict]:
    """The obligations table as shown, read in one go (the page replaces its rows as it reloads)."""
    return browser.execute_script(
        "return [...document.querySelectorAll('#obligations tbody tr')].map(r => ({id: r.dataset.obligation, "
        "status: r.dataset.status, cls: r.className, kind: r.children[3].textContent}))")


def test_obligations_filter_by_window_owner_and_kind(served, sign_in):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser = sign_in()
    browser.get(f"{served.url}/app/obligations.html?window=open")
    loaded(browser, "obligations")
    open_ = api(served, "/obligations?status=open&limit=100")["items"]
    assert len(open_) > 5
    assert {r["id"] for r in obligation_rows(browser)} == {o["id"] for o in open_}
    # a kind from the API's own list
    Select(browser.find_element(By.ID, "kind")).select_by_value("recurring")
    browser.find_element(By.ID, "apply").click()
    recurring = {o["id"] for o in open_ if o["kind"] == "recurring"}
    wait_until(lambda: {r["id"] for r in obligation_rows(browser)} == recurring, "only recurring duties")
    assert recurring and {r["kind"] for r in obligation_rows(browser)} == {"recurring"}
    # one owner's, this week (7 days from the demo's today, overdue included)
    Select(browser.find_element(By.ID, "kind")).select_by_value("")
    browser.find_element(By.ID, "owner").send_keys("marcus.lee@example.com")
    Select(browser.find_element(By.ID, "window")).select_by_value("week")
    # (an expiration gone by is "expired", no one's to do: not in the windows)
    expected = {o["id"] for o in open_ if o["owner"] == "marcus.lee@example.com" and o["days_left"] <= 7
                and o["status"] != "expired"}
    wait_until(lambda: {r["id"] for r in obligation_rows(browser)} == expected, "marcus's obligations this week")
    shown = obligation_rows(browser)
    assert expected and all(r["status"] == "overdue" and "overdue" in r["cls"] for r in shown)


def test_the_contract_page_highlights_the_quoted_clause_on_its_pdf_page(served, sign_in):
    from selenium.webdriver.common.by import By

    browser = sign_in()
    contract_id = served.ids["saas-subscription-northwind.pdf"]
    # a link to one term opens the PDF at its page with its clause highlighted (page 3 of 4)
    browser.get(f"{served.url}/app/contract.html?id={contract_id}#term=termination_for_convenience")
    loaded(browser, "contract")
    assert _highlight_matches(browser, served, contract_id, "termination_for_convenience")["page"] == 3
    screenshot(browser, "contract")
    # another term's button moves the viewer to that clause's page (the price cap, page 2)
    browser.find_element(By.CSS_SELECTOR, "#terms tr[data-term='price_increase_cap'] button.show-evidence").click()
    assert _highlight_matches(browser, served, contract_id, "price_increase_cap")["page"] == 2
    # the viewer scrolled to the highlight keeps its page controls in view (QA: "Page n of m" and the
    # arrows were scrolled out of the viewer's top)
    browser.set_window_size(1280, 560)
    try:
        browser.find_element(By.CSS_SELECTOR, "#terms tr[data-term='price_increase_cap'] button.show-evidence").click()
        wait_until(lambda: browser.execute_script("return document.getElementById('viewer').scrollTop") > 0,
                   "the viewer to scroll to the highlight")
        viewer_top, controls_top, scrolled = browser.execute_script(
            "const v = document.getElementById('viewer'); return [v.getBoundingClientRect().top,"
            " v.querySelector('.controls').getBoundingClientRect().top, v.scrollTop]")
        assert scrolled > 0 and controls_top >= viewer_top - 1, (viewer_top, controls_top, scrolled)
    finally:
        browser.set_window_size(1500, 1100)
    # the computed notice deadline carries its clause and arithmetic
    deadline = browser.find_element(By.CSS_SELECTOR, "#terms tr[data-term='notice_deadline']")
    assert "2027-02-28" in deadline.find_element(By.CSS_SELECTOR, ".derivation").text
    assert "P60D" in deadline.find_element(By.CSS_SELECTOR, ".derivation").text
    # a structured term reads as its fields (the money terms: fees, credit tiers)
    fees = browser.find_element(By.CSS_SELECTOR, "#terms tr[data-term='fees'] td.value").text
    assert "amount: 186000.00" in fees and "quantity: 250" in fees and "[object Object]" not in fees
    tiers = browser.find_element(By.CSS_SELECTOR, "#terms tr[data-term='service_credit_tiers'] td.value").text
    assert "credit percent: 10" in tiers and "[object Object]" not in tiers
    # without a term in the link, the notice deadline's clause is shown first
    browser.get(f"{served.url}/app/contract.html?id={contract_id}")
    loaded(browser, "contract")
    _highlight_matches(browser, served, contract_id, "notice_deadline")
    audit = rows(browser, "audit")
    assert audit and any("extract" in r.text.lower() for r in audit)


def test_the_contract_pages_tables_fit_their_column_and_a_recurring_rule_reads_as_the_rule(served, sign_in):
    """At 1500 px the Obligations and Terms tables are no wider than their column (emails, kinds,
    zones and term names wrap; were up to 120 px wider, the scrollbar below the audit trail). A recurring duty's rule (the
    API's obligation with a recurrence and no due day) reads as the rule with its next occurrence,
    not as an undated open obligation; its dated occurrences are listed as before."""
    from selenium.webdriver.common.by import By

    browser = sign_in()
    browser.set_window_size(1500, 1100)
    fits = ("return ['obligations', 'terms'].map((id) => [document.getElementById(id).getBoundingClientRect().right,"
            " document.getElementById(id).parentElement.getBoundingClientRect().right]);")
    for name in ("saas-subscription-northwind.pdf", "services-agreement-fixed-dates.pdf",
                 "supply-agreement-autorenew.pdf", "uk-software-licence.pdf"):
        browser.get(f"{served.url}/app/contract.html?id={served.ids[name]}")
        loaded(browser, "contract")
        for table_right, column_right in browser.execute_script(fits):
            assert table_right <= column_right + 0.5, (name, browser.execute_script(fits))
    expected = {"saas-subscription-northwind.pdf": "every month, next 2026-12-14 (America/New_York)",
                "uk-software-licence.pdf": "every quarter, next 2027-01-30 (Europe/London)"}
    for name, when in expected.items():
        contract_id = served.ids[name]
        obligations = api(served, f"/contracts/{contract_id}")["obligations"]
        rule = next(o for o in obligations if o["recurrence"] and o["due"] is None)
        occurrence = next(o for o in obligations if o["id"].startswith(f"{rule['id']}@"))
        browser.get(f"{served.url}/app/contract.html?id={contract_id}")
        loaded(browser, "contract")
        row = browser.find_element(By.CSS_SELECTOR, f"#obligations tr[data-obligation='{rule['id']}']")
        assert row.get_attribute("class") == "rule"
        assert row.find_element(By.CSS_SELECTOR, ".due").text == f"recurring: {when}"
        assert row.find_element(By.CSS_SELECTOR, ".state").text == "rule"  # not "open"
        assert row.find_element(By.CSS_SELECTOR, ".derivation").text == rule["recurrence"]
        dated = browser.find_element(By.CSS_SELECTOR, f"#obligations tr[data-obligation='{occurrence['id']}']")
        assert (dated.find_element(By.CSS_SELECTOR, ".due").text, dated.find_element(By.CSS_SELECTOR, ".state").text) \
            == (f"{occurrence['due']} ({api(served, f'/contracts/{contract_id}')['time_zone']})", "open")
    # a rule is put in words only where it falls once a period; any other part, and it reads as it is
    rules = {
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=1": "every month",
        "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=5": "every month",  # the 5th business day
        "RRULE:FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1": "every 6 months",
        "RRULE:FREQ=WEEKLY;BYDAY=MO": "every week",
        "RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR": "every 2 months",
        "RRULE:FREQ=MONTHLY;BYMONTH=3,6,9,12": None,  # not "every month": 4 times a year
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15": None,  # twice a month
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH": None,  # twice a week
        "RRULE:FREQ=MONTHLY;BYDAY=MO": None,  # every Monday
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12": None,  # ends after 12
    }
    read = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "import('./contract.js').then((page) => done(arguments[0].map((rule) => page.every(rule))));", list(rules))
    assert read == [words or rule for rule, words in rules.items()]
    browser.execute_script("document.getElementById('obligations-title').scrollIntoView()")
    screenshot(browser, "contract-obligations")


RULE_TEAM = "recurring-ends"  # a team of its own: the other tests' lists and counts stay the samples'


def test_a_recurring_rule_is_waived_from_the_contract_page_and_then_reads_ended(served, sign_in):
    """An editor waives a recurring duty's rule on the contract page (Waive, the reason, "Waive the
    duty"; the API offers waive on a rule since 2026-12-07): the rule then reads ended, by whom, on
    which day and why, with no next occurrence (it read "every month, next ..." and state "rule"
    before); a rule stored as done (older data) reads ended the same way."""
    from selenium.webdriver.common.by import By

    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.schema import ObligationStatus
    from clausewatch.store import repository as repo
    from clausewatch.text.validate import sha256_hex
    from tests.paths import SAMPLES, sample_metadata

    name = "saas-subscription-northwind.pdf"
    path = served.state_dir / "saas-copy.pdf"
    path.write_bytes((SAMPLES / name).read_bytes() + b"\n% a copy\n")  # another file: its own contract
    with served.lock:
        served.cloud.upload(path, {**sample_metadata()[name], "team": RULE_TEAM})
        served.cloud.pump()
    contract_id = contract_id_for(sha256_hex(path.read_bytes()))
    rule = next(o for o in api(served, f"/contracts/{contract_id}", RULE_TEAM)["obligations"]
                if o["recurrence"] and o["due"] is None)
    browser = sign_in(RULE_TEAM)
    browser.get(f"{served.url}/app/contract.html?id={contract_id}")
    loaded(browser, "contract")

    def rule_row():
        return browser.find_element(By.CSS_SELECTOR, f"#obligations tr[data-obligation='{rule['id']}']")

    assert rule_row().find_element(By.CSS_SELECTOR, ".due").text.startswith("recurring: every month, next ")
    rule_row().find_element(By.CSS_SELECTOR, "button.waive-rule").click()
    rule_row().find_element(By.CSS_SELECTOR, "input[aria-label^='Reason for waiving']").send_keys(
        "reports moved to the portal")
    rule_row().find_element(By.CSS_SELECTOR, "button.confirm-waive").click()
    ended = ("recurring: every month — ended (waived by dana.kowalski@example.com on 2026-11-25 (America/New_York): "
             "reports moved to the portal)")
    wait_until(lambda: rule_row().find_element(By.CSS_SELECTOR, ".due").text == ended, "the rule read as ended")
    assert rule_row().find_element(By.CSS_SELECTOR, ".state").text == "ended"
    assert rule_row().find_elements(By.CSS_SELECTOR, "button.waive-rule") == []
    assert next(o for o in api(served, f"/contracts/{contract_id}", RULE_TEAM)["obligations"]
                if o["id"] == rule["id"])["status"] == "waived"
    # a rule stored as done, as a rule could be marked before 2026-12-07
    with served.lock:
        item = repo.get_obligation(contract_id, rule["id"])
        item.status = ObligationStatus.DONE
        item.resolution_note = None
        item.save()
    browser.refresh()
    loaded(browser, "contract")
    assert rule_row().find_element(By.CSS_SELECTOR, ".due").text == (
        "recurring: every month — ended (marked done by dana.kowalski@example.com on 2026-11-25 (America/New_York))")


def test_an_obligations_clause_from_an_amendment_is_highlighted_on_the_amendment(served, sign_in):
    """The supply agreement's notice deadline counts the amendment's 120 days: "Show on page" in the
    obligations table opens the amendment's PDF at that clause, not the original at the same
    offsets (QA Q2)."""
    from selenium.webdriver.common.by import By

    browser = sign_in()
    supply, amendment = served.ids["supply-agreement-autorenew.pdf"], served.ids["amendment-1-supply.pdf"]
    deadline = next(o for o in api(served, f"/contracts/{supply}")["obligations"] if o["id"] == "notice_deadline")
    evidence = deadline["evidence"]
    assert evidence["source"]["contract_id"] == amendment and "120" in evidence["text"]
    boxes = api(served, f"/contracts/{amendment}/evidence?page={evidence['page']}"
                        f"&start={evidence['start']}&end={evidence['end']}")
    assert boxes["quote"] == evidence["text"] and boxes["boxes"]
    # the page opens on a clause of the contract's own PDF (its governing law)
    browser.get(f"{served.url}/app/contract.html?id={supply}#term=governing_law")
    loaded(browser, "contract")

    def shown() -> tuple:
        return browser.execute_script(
            "const v = document.getElementById('viewer'); "
            "return [v.dataset.document, v.dataset.rendered, v.dataset.page, "
            "document.getElementById('quote').textContent];")

    wait_until(lambda: shown()[:2] == [supply, "true"], "the contract's own clause to render")
    browser.find_element(By.CSS_SELECTOR, "#obligations tr[data-obligation='notice_deadline'] button.show-evidence").click()
    wait_until(lambda: shown()[:3] == [amendment, "true", str(evidence["page"])]
               and shown()[3].startswith("notice_deadline:"), "the amendment's page to render", seconds=20)
    marks = browser.find_elements(By.CSS_SELECTOR, "#page-box .highlight")
    assert len(marks) == len(boxes["boxes"])
    page_rect = browser.find_element(By.ID, "page").rect
    for mark, (left, top, width, _) in zip(marks, boxes["boxes"]):
        assert abs(mark.rect["x"] - (page_rect["x"] + left * page_rect["width"])) < 2
        assert abs(mark.rect["y"] - (page_rect["y"] + top * page_rect["height"])) < 2
        assert abs(mark.rect["width"] - width * page_rect["width"]) < 2
    assert evidence["text"] in shown()[3]
    screenshot(browser, "contract-amendment-obligation")


def test_an_upload_in_the_page_ends_as_a_row(served, sign_in, tmp_path):
    from selenium.webdriver.common.by import By

    browser = sign_in()
    good = tmp_path / "consulting-agreement.pdf"
    good.write_bytes(make_pdf(
        "CONSULTING AGREEMENT\nThis Consulting Agreement is entered into as of March 1, 2026 (the "
        "\"Effective Date\") between Acme Widgets, Inc. and Blue Heron Consulting LLC.\n"
        "1. Term. This Agreement shall remain in effect for a period of twelve (12) months from the "
        "Effective Date.\n2. Governing Law. This Agreement is governed by the laws of the State of New York."))
    bad = tmp_path / "scan-without-pdf.pdf"
    bad.write_bytes(b"this is not a PDF at all")

    browser.get(f"{served.url}/app/upload.html")
    loaded(browser, "upload")
    browser.find_element(By.ID, "meta-tz").send_keys("America/New_York")
    browser.find_element(By.ID, "files").send_keys(f"{good}\n{bad}")
    browser.find_element(By.ID, "send").click()

    def final(name: str) -> str | None:
        found = browser.find_elements(By.CSS_SELECTOR, f"#uploads tr[data-file='{name}']")
        status = found[0].get_attribute("data-status") if found else None
        return status if status in ("EXTRACTED", "QUARANTINED", "FAILED") else None

    assert wait_until(lambda: final(good.name), "the upload to be extracted") == "EXTRACTED"
    assert wait_until(lambda: final(bad.name), "the bad upload to be quarantined") == "QUARANTINED"
    row = browser.find_element(By.CSS_SELECTOR, f"#uploads tr[data-file='{good.name}']")
    assert [s.text for s in row.find_elements(By.CSS_SELECTOR, ".steps li.reached")] == \
        ["uploaded", "→ received", "→ text", "→ extracted"]
    bad_row = browser.find_element(By.CSS_SELECTOR, f"#uploads tr[data-file='{bad.name}']")
    assert bad_row.find_element(By.CSS_SELECTOR, ".state").text.startswith("QUARANTINED: ")
    bad_id = bad_row.get_attribute("data-contract")
    screenshot(browser, "upload")
    # it is the team's contract, uploaded by this user, with the metadata entered
    contract = api(served, f"/contracts/{row.get_attribute('data-contract')}")
    assert (contract["team"], contract["owner"], contract["time_zone"], contract["file_name"]) == \
        (TEAM, "dana.kowalski@example.com", "America/New_York", good.name)
    # and the needs-attention page lists the quarantined one with its reason
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    reasons = {r.get_attribute("data-contract"): r.text for r in rows(browser, "failed")}
    assert "not a PDF" in reasons[bad_id] or "PDF" in reasons[bad_id], reasons[bad_id]
    assert served.ids["bad-upload.pdf"] in reasons
    screenshot(browser, "attention")


def test_no_page_and_no_upload_logs_an_error_in_the_browsers_console(served, sign_in, tmp_path):
    """Chromium's console (its log through the driver) has no SEVERE entry on any page's load (each
    links its favicon: no 404 for /favicon.ico) nor while an upload is followed until extracted or
    quarantined (GET /contracts?ids= lists none yet: no 404 a second while the pipeline works)."""
    from selenium.webdriver.common.by import By

    browser = sign_in()
    browser.get_log("browser")  # what earlier tests left (a route they blocked on purpose)
    saas = served.ids["saas-subscription-northwind.pdf"]
    # Chromium asks an origin for /favicon.ico once a session: each page is checked for its own icon
    icon = "const link = document.querySelector('link[rel=icon]'); return link ? link.href : null;"
    for page, shows in (("renewals.html", "renewals"), ("obligations.html", "obligations"), ("money.html", "money"),
                        (f"contract.html?id={saas}", "contract"), ("attention.html", "attention"),
                        ("upload.html", "upload")):
        browser.get(f"{served.url}/app/{page}")
        loaded(browser, shows)
        assert browser.execute_script(icon) == f"{served.url}/app/favicon.svg", page
    with urllib.request.urlopen(f"{served.url}/app/favicon.svg", timeout=30) as response:
        assert response.headers["Content-Type"] == "image/svg+xml" and response.read().startswith(b"<svg")
    good = tmp_path / "console-agreement.pdf"
    good.write_bytes(make_pdf(
        "SERVICES AGREEMENT\nThis Services Agreement is entered into as of April 1, 2026 (the \"Effective Date\") "
        "between Acme Widgets, Inc. and Quiet Console LLC.\n1. Term. This Agreement shall remain in effect for a "
        "period of twenty-four (24) months from the Effective Date.\n2. Governing Law. This Agreement is governed "
        "by the laws of the State of New York."))
    bad = tmp_path / "console-not-a-pdf.pdf"
    bad.write_bytes(b"not a PDF either, and not the other test's bytes")
    browser.find_element(By.ID, "meta-tz").send_keys("America/New_York")
    browser.find_element(By.ID, "files").send_keys(f"{good}\n{bad}")
    browser.find_element(By.ID, "send").click()

    def final(name: str) -> str | None:
        found = browser.find_elements(By.CSS_SELECTOR, f"#uploads tr[data-file='{name}']")
        status = found[0].get_attribute("data-status") if found else None
        return status if status in ("EXTRACTED", "QUARANTINED", "FAILED") else None

    assert wait_until(lambda: final(good.name), "the upload to be extracted") == "EXTRACTED"
    assert wait_until(lambda: final(bad.name), "the bad upload to be quarantined") == "QUARANTINED"
    browser.get(f"{served.url}/app/signed-out.html")
    wait_until(lambda: browser.find_element(By.TAG_NAME, "h1").text == "Signed out", "the signed-out page")
    severe = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


def test_a_term_the_extractor_abstained_on_is_entered_on_the_needs_attention_page(served, sign_in):
    from selenium.webdriver.common.by import By

    browser = sign_in()
    nda = served.ids["mutual-nda.pdf"]
    assert "auto_renewal" not in api(served, f"/contracts/{nda}")["terms"]
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    row = browser.find_element(By.CSS_SELECTOR, f"#missing tr[data-contract='{nda}'][data-term='auto_renewal']")
    row.find_element(By.CSS_SELECTOR, "input[type=text]").send_keys("no")
    row.find_elements(By.CSS_SELECTOR, "input[type=text]")[1].send_keys("section 9, no renewal")
    row.find_element(By.CSS_SELECTOR, "button.enter").click()
    wait_until(lambda: row.get_attribute("data-entered") == "false", "the entry to be recorded")
    assert "entered by dana.kowalski@example.com: section 9, no renewal" in row.text
    screenshot(browser, "attention-entered")
    term = api(served, f"/contracts/{nda}")["terms"]["auto_renewal"]
    assert (term["value"], term["entered_by"]) == (False, "dana.kowalski@example.com")
    # the contract page says who entered it; the page no longer lists it as missing
    browser.get(f"{served.url}/app/contract.html?id={nda}")
    loaded(browser, "contract")
    source = browser.find_element(By.CSS_SELECTOR, "#terms tr[data-term='auto_renewal'] .source").text
    assert source.startswith("entered by dana.kowalski@example.com")
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    assert not browser.find_elements(By.CSS_SELECTOR, f"#missing tr[data-contract='{nda}'][data-term='auto_renewal']")


def test_a_user_of_another_team_sees_none_of_it(served, sign_in):
    from selenium.webdriver.common.by import By

    browser = sign_in(team=OTHER_TEAM, user="someone@example.com")
    assert rows(browser, "renewals") == []
    browser.get(f"{served.url}/app/obligations.html?window=open")
    loaded(browser, "obligations")
    assert rows(browser, "obligations") == []
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    assert rows(browser, "failed") == [] and rows(browser, "unowned") == [] and rows(browser, "missing") == []
    contract_id = served.ids["saas-subscription-northwind.pdf"]
    browser.get(f"{served.url}/app/contract.html?id={contract_id}")
    loaded(browser, "contract")
    assert browser.find_element(By.ID, "status").text.startswith("404")
    assert rows(browser, "terms") == []
    screenshot(browser, "other-team")


def test_without_signing_in_the_pages_say_how_and_the_api_refuses(served, browser):
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(f"{served.url}/app/renewals.html")
    loaded(browser, "renewals")
    assert "Not signed in" in browser.find_element(By.ID, "status").text
    assert rows(browser, "renewals") == []
    # a bad sign-in link signs nobody in
    browser.get(f"{served.url}/login?token=cw1.forged.token")
    assert "Not signed in" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.get_cookies() == []


def test_the_portfolio_report_renders_with_its_timeline_and_the_credit_owed(served, sign_in):
    """The money issue's HTML report, opened as a person would (signed in: the cookie is the token),
    after the SaaS sample's October metrics came in through the API."""
    from selenium.webdriver.common.by import By

    saas = served.ids["saas-subscription-northwind.pdf"]
    body = json.dumps({"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"})
    request = urllib.request.Request(f"{served.url}/contracts/{saas}/metrics", data=body.encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token_for(served)}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 202
    wait_until(lambda: api(served, f"/contracts/{saas}/findings")["items"], "the money λ's finding")
    browser = sign_in()
    browser.get(f"{served.url}/reports/portfolio?format=html")
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "figure svg"), "the report's timeline")
    chart = browser.find_element(By.CSS_SELECTOR, "figure svg")
    assert chart.size["width"] > 300 and chart.size["height"] > 100  # drawn, not an empty box
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "Portfolio: legal-ops" in text and "USD 1,550.00" in text
    assert "99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00" in text
    tables = browser.find_elements(By.CSS_SELECTOR, "table")
    first_rows = tables[0].find_elements(By.CSS_SELECTOR, "tbody tr")
    assert first_rows[0].text.startswith("2026-12-30")  # the SaaS notice deadline, soonest first
    screenshot(browser, "portfolio-report")


# --- issue #15: values to review, terms that run from an event (last: they add a contract) ---------

def test_low_confidence_values_are_marked_for_review_with_the_apis_threshold(served, sign_in, monkeypatch):
    from selenium.webdriver.common.by import By

    from clausewatch import config

    # a threshold of the test's own, above some of the samples' clause scores (not the shipped one)
    monkeypatch.setattr(config, "REVIEW_CONFIDENCE_BELOW", 0.6)
    contract_id = served.ids["uk-software-licence.pdf"]
    detail = api(served, f"/contracts/{contract_id}")
    assert detail["review_confidence_below"] == 0.6
    flagged = {n for n, t in detail["terms"].items() if t["needs_review"]}
    assert flagged == {n for n, t in detail["terms"].items()
                       if t["confidence"] is not None and t["confidence"] < 0.6 and not t["entered_by"]}
    assert flagged  # the licence's agreement date scores below 0.6
    browser = sign_in()
    browser.get(f"{served.url}/app/contract.html?id={contract_id}")
    loaded(browser, "contract")
    marked = {tr.get_attribute("data-term"): tr for tr in browser.find_elements(By.CSS_SELECTOR, "#terms tr.needs-review")}
    assert set(marked) == flagged
    for name, tr in marked.items():
        marker = tr.find_element(By.CSS_SELECTOR, ".review")
        assert marker.is_displayed() and marker.text == "review"
        assert f"confidence {detail['terms'][name]['confidence']:.2f}" in marker.get_attribute("title")
        assert "below the review threshold 0.6" in marker.get_attribute("title")
    assert "below 0.6" in browser.find_element(By.ID, "review-legend").text
    screenshot(browser, "contract-review")
    # with the shipped threshold nothing of this contract is marked
    monkeypatch.setattr(config, "REVIEW_CONFIDENCE_BELOW", 0.5)
    browser.get(f"{served.url}/app/contract.html?id={contract_id}")
    loaded(browser, "contract")
    below_half = {n for n, t in detail["terms"].items()
                  if t["confidence"] is not None and t["confidence"] < 0.5 and not t["entered_by"]}
    assert {tr.get_attribute("data-term") for tr in browser.find_elements(By.CSS_SELECTOR, "#terms tr.needs-review")} \
        == below_half


def test_a_term_from_an_event_waits_and_its_date_is_entered_in_the_page(served, sign_in, event_contract):
    from selenium.webdriver.common.by import By

    before = api(served, f"/contracts/{event_contract}")
    assert before["expiration"] is None and "expiration_date" not in before["terms"]
    browser = sign_in()
    # Needs attention lists it as waiting for an event date (not as an expiration to type in)
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    waiting = browser.find_element(By.CSS_SELECTOR, f"#waiting tr[data-contract='{event_contract}']")
    assert "Launch Date" in waiting.text and "waiting for an event date" in waiting.text
    assert "five (5) years from the Launch Date" in waiting.text
    assert not browser.find_elements(By.CSS_SELECTOR,
                                     f"#missing tr[data-contract='{event_contract}'][data-term='expiration_date']")
    screenshot(browser, "attention-waiting-for-event")
    # the contract page shows it with the form; entering the date computes the expiration
    browser.get(f"{served.url}/app/contract.html?id={event_contract}")
    loaded(browser, "contract")
    row = browser.find_element(By.CSS_SELECTOR, "#events tr[data-event='Launch Date']")
    assert "waiting" in row.get_attribute("class")
    date_input = row.find_element(By.CSS_SELECTOR, "input[type=date]")
    browser.execute_script("arguments[0].value = '2027-03-01'", date_input)
    row.find_element(By.CSS_SELECTOR, "button.enter-event").click()
    wait_until(lambda: row.get_attribute("data-expiration") == "2032-02-29", "the expiration from the event's date")
    assert "Launch Date 2027-03-01 (entered by dana.kowalski@example.com) + P5Y - 1 day = 2032-02-29" in row.text
    assert "notice by 2031-12-01" in row.text
    # the page shows the new terms and deadlines without a reload
    [expiration] = wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "#terms tr[data-term='expiration_date']"),
                              "the expiration among the terms")
    assert "2032-02-29" in expiration.find_element(By.CSS_SELECTOR, "td.value").text
    assert "(entered by dana.kowalski@example.com) + P5Y" in expiration.find_element(By.CSS_SELECTOR, ".derivation").text
    assert "2031-12-01" in browser.find_element(By.ID, "facts").text
    assert {"expiration", "notice_deadline"} <= {r.get_attribute("data-obligation") for r in rows(browser, "obligations")}
    screenshot(browser, "contract-event-entered")
    after = api(served, f"/contracts/{event_contract}")
    assert after["expiration"] == "2032-02-29" and after["notice_deadline"] == "2031-12-01"
    # the planner planned the new deadlines' reminders (the service pumps in the background): years
    # ahead, outside the rolling horizon, so the contract is due for the daily sweep on the day the
    # first one (the notice deadline's, 90 days before it) enters the window
    from clausewatch.store import repository as repo

    wait_until(lambda: (repo.get_contract(event_contract).next_planning or "9999") <= "2031-09-02",
               "the reminders of the dated term planned")
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    assert not browser.find_elements(By.CSS_SELECTOR, f"#waiting tr[data-contract='{event_contract}']")


# an amendment of the "Services Agreement" of the day the team's mutual NDA was made: the NDA does
# not name it, so it waits for a person to say which contract it amends
WAITING_AMENDMENT_TEXT = (
    "AMENDMENT NO. 2 TO SERVICES AGREEMENT\nThis Amendment No. 2 (this \"Amendment\") is entered into as of "
    "October 1, 2026 by and between Northwind Traders, Inc. and Redfern Materials Corporation.\nRECITALS\n"
    "A. The parties are parties to that certain Services Agreement dated February 20, 2025.\n1. Buyer shall "
    "pay each invoice within sixty (60) days of receipt.\n")


def test_an_amendment_waiting_for_its_contract_is_applied_from_the_needs_attention_page(served, sign_in):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex
    from tests.pdfs import make_pdf

    path = served.state_dir / "amendment-2-services.pdf"
    path.write_bytes(make_pdf(WAITING_AMENDMENT_TEXT))
    with served.lock:
        served.cloud.upload(path, {"team": TEAM, "owner": "dana.kowalski@example.com"})
        served.cloud.pump()
    amendment = contract_id_for(sha256_hex(path.read_bytes()))
    nda = served.ids["mutual-nda.pdf"]
    waiting = api(served, f"/contracts/{amendment}")
    assert waiting["amends_contract_id"] is None
    assert [a["kind"] for a in waiting["attention"]] == ["amendment_waiting"]

    browser = sign_in()
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    row = browser.find_element(By.CSS_SELECTOR, f"#amendments tr[data-contract='{amendment}']")
    assert "does not name the Services Agreement" in row.text and "2025-02-20" in row.text
    # an amendment is not a contract whose missing terms a person types in
    assert not browser.find_elements(By.CSS_SELECTOR, f"#missing tr[data-contract='{amendment}']")
    choices = Select(row.find_element(By.CSS_SELECTOR, "select"))
    assert amendment not in [o.get_attribute("value") for o in choices.options]
    choices.select_by_value(nda)
    screenshot(browser, "attention-amendment-waiting")
    row.find_element(By.CSS_SELECTOR, "button.apply").click()
    wait_until(lambda: row.get_attribute("data-amends") == nda, "the amendment to be applied")
    assert row.text.endswith("applied to Mutual Non-disclosure Agreement")
    contract = api(served, f"/contracts/{nda}")
    assert contract["amended_by"] == [amendment]
    assert contract["terms"]["payment_terms"]["value"] == "P60D"
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    assert not browser.find_elements(By.CSS_SELECTOR, f"#amendments tr[data-contract='{amendment}']")


# a services agreement of the team and an amendment that extends its term (both uploaded by the test:
# the samples' own amendment stays applied for the other tests)
UNLINK_CONTRACT_TEXT = (
    "SERVICES AGREEMENT\nThis Services Agreement (this \"Agreement\") is entered into as of June 10, 2025 (the "
    "\"Effective Date\") by and between Harbor Lane Analytics LLC (\"Provider\") and Redfern Materials Corporation "
    "(\"Customer\").\n1. Term. This Agreement shall commence on the Effective Date and continue for an initial "
    "term of three (3) years.\n2. Governing Law. This Agreement is governed by the laws of the State of New York.\n")
UNLINK_AMENDMENT_TEXT = (
    "AMENDMENT NO. 1 TO SERVICES AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered into as of "
    "October 5, 2026 (the \"Amendment Effective Date\") by and between Harbor Lane Analytics LLC (\"Provider\") "
    "and Redfern Materials Corporation (\"Customer\").\nRECITALS\nA. Provider and Customer are parties to that "
    "certain Services Agreement dated June 10, 2025 (the \"Agreement\").\n1. Term. The initial term of the "
    "Agreement is hereby extended until June 30, 2029.\n")


def _upload_text(served, name: str, text: str) -> str:
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex

    path = served.state_dir / name
    path.write_bytes(make_pdf(text))
    with served.lock:
        clock.set_now(DEMO_TODAY)
        served.cloud.upload(path, {"team": TEAM, "owner": "dana.kowalski@example.com", "time-zone": "America/New_York"})
        served.cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def test_an_amendment_is_unlinked_from_its_page_after_confirming(served, sign_in):
    """An editor unlinks an applied amendment from its contract page (DELETE /contracts/{id}/amends) once
    they confirm; the page then shows it applied to no contract, and the contract's own term is back.
    A viewer is offered no button (the route needs an editor)."""
    from selenium.webdriver.common.by import By

    contract = _upload_text(served, "services-harbor-lane.pdf", UNLINK_CONTRACT_TEXT)
    amendment = _upload_text(served, "amendment-1-harbor-lane.pdf", UNLINK_AMENDMENT_TEXT)
    assert api(served, f"/contracts/{amendment}")["amends_contract_id"] == contract
    assert api(served, f"/contracts/{contract}")["expiration"] == "2029-06-30"

    browser = sign_in(role="viewer")
    browser.get(f"{served.url}/app/contract.html?id={amendment}")
    loaded(browser, "contract")
    box = wait_until(lambda: browser.find_element(By.ID, "amends").get_attribute("data-amends") == contract
                     and browser.find_element(By.ID, "amends"), "the contract it amends")
    assert "Applied to Services Agreement" in box.text
    assert not box.find_elements(By.CSS_SELECTOR, "button")  # a viewer may not unlink

    browser = sign_in()  # an editor
    browser.get(f"{served.url}/app/contract.html?id={amendment}")
    loaded(browser, "contract")
    box = browser.find_element(By.ID, "amends")
    ask = box.find_element(By.CSS_SELECTOR, "button.unlink")
    sure, cancel = box.find_element(By.CSS_SELECTOR, "button.confirm-unlink"), box.find_element(By.CSS_SELECTOR, "button.cancel-unlink")
    assert not sure.is_displayed()
    ask.click()  # asked to confirm; cancelled: nothing changes
    assert sure.is_displayed() and "The terms and deadlines of Services Agreement then follow" in box.text
    cancel.click()
    assert ask.is_displayed() and not sure.is_displayed()
    assert api(served, f"/contracts/{amendment}")["amends_contract_id"] == contract
    ask.click()
    screenshot(browser, "contract-amendment-unlink-confirm")
    sure.click()
    wait_until(lambda: "unlinked from Services Agreement" in browser.find_element(By.ID, "status").text,
               "the unlinked message")
    assert box.get_attribute("data-amends") == ""
    assert "Applied to no contract: unlinked from" in box.text and not box.find_elements(By.CSS_SELECTOR, "button")
    assert "amendment.unlinked" in browser.find_element(By.ID, "audit").text  # the page shows it as it is now
    screenshot(browser, "contract-amendment-unlinked")
    assert api(served, f"/contracts/{amendment}")["amends_contract_id"] is None
    after = api(served, f"/contracts/{contract}")
    assert after["amended_by"] == [] and after["expiration"] == "2028-06-09"


def _requests_to(browser, fragment: str) -> int:
    """How many requests the page has sent to a URL containing ``fragment`` (Resource Timing)."""
    return browser.execute_script(
        "return performance.getEntriesByType('resource').filter((e) => e.name.includes(arguments[0])).length",
        fragment)


def test_an_obligation_action_sends_one_request_keeps_the_focus_and_a_failure_leaves_the_row(served, sign_in):
    """A double-click sends one request; the row updates and keeps the keyboard's focus; with the API
    unreachable the row stays as it was and the status line says so in words; Enter in the owner
    field filters as the Show button does."""
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from clausewatch.store import repository as repo

    browser = sign_in()
    browser.get(f"{served.url}/app/obligations.html?window=open")
    loaded(browser, "obligations")
    browser.execute_script("document.body.dataset.loaded = ''")
    browser.find_element(By.ID, "owner").send_keys("unowned" + Keys.ENTER)
    loaded(browser, "obligations", seconds=10)
    assert {r.find_element(By.CSS_SELECTOR, ".owner").text for r in rows(browser, "obligations")} <= {"unowned"}
    browser.find_element(By.ID, "owner").clear()
    browser.execute_script("document.body.dataset.loaded = ''")
    browser.find_element(By.ID, "owner").send_keys(Keys.ENTER)
    loaded(browser, "obligations", seconds=10)

    supply = served.ids["supply-agreement-autorenew.pdf"]
    # a recurring obligation's occurrence ("<id>@<day>": the '@' must reach the API as it is)
    item = next(o for o in api(served, f"/contracts/{supply}")["obligations"]
                if o["status"] == "open" and not o["acknowledged"] and "@" in o["id"])
    selector = f"#obligations tr[data-obligation='{item['id']}']"
    ActionChains(browser).double_click(browser.find_element(By.CSS_SELECTOR, f"{selector} button.act-acknowledge")).perform()
    wait_until(lambda: "acknowledged" in browser.find_element(By.CSS_SELECTOR, f"{selector} .state").text,
               "the row to show the obligation acknowledged")
    time.sleep(0.5)  # a second request, had one been sent, has had its answer by now
    assert _requests_to(browser, f"/obligations/{item['id']}/acknowledge") == 1
    assert browser.execute_script("return document.activeElement.closest('tr')?.dataset.obligation") == item["id"]

    browser.set_network_conditions(offline=True, latency=0, download_throughput=-1, upload_throughput=-1)
    try:
        browser.find_element(By.CSS_SELECTOR, f"{selector} button.act-waive").click()
        reason = browser.find_element(By.ID, "action-input")
        wait_until(reason.is_displayed, "the reason dialog")
        reason.send_keys("not needed this month" + Keys.ENTER)
        box = browser.find_element(By.ID, "status")
        wait_until(lambda: "error" in box.get_attribute("class"), "the failure to be said")
        assert box.text.startswith("Cannot reach the clausewatch API"), box.text
        row = browser.find_element(By.CSS_SELECTOR, selector)
        assert row.get_attribute("data-status") == "open"
        assert all(b.is_enabled() for b in row.find_elements(By.CSS_SELECTOR, "button"))
        screenshot(browser, "obligations-api-unreachable")
    finally:
        browser.delete_network_conditions()
    assert next(o for o in api(served, f"/contracts/{supply}")["obligations"] if o["id"] == item["id"])["status"] == "open"
    # the dialog itself failing (here: showModal throws) is said in the status line, nothing is
    # sent, and the row's buttons are usable again with the focus back on the one pressed
    browser.execute_script("HTMLDialogElement.prototype.showModal = () => { throw new Error('the dialog broke'); }")
    sent = _requests_to(browser, f"/obligations/{item['id']}/waive")
    browser.find_element(By.CSS_SELECTOR, f"{selector} button.act-waive").click()
    wait_until(lambda: box.text == "the dialog broke", "the dialog's failure to be said", 10)
    assert "error" in box.get_attribute("class")
    row = browser.find_element(By.CSS_SELECTOR, selector)
    assert all(b.is_enabled() for b in row.find_elements(By.CSS_SELECTOR, "button"))
    assert browser.execute_script("return document.activeElement.classList.contains('act-waive')")
    assert _requests_to(browser, f"/obligations/{item['id']}/waive") == sent
    # acknowledged for the day it is due: as it was; an acknowledgement a calendar change carried to
    # the occurrence's new day names the day it was given for, in its zone as the page's other days
    assert row.find_element(By.CSS_SELECTOR, ".state").text == "open (acknowledged)"
    given_for = (date.fromisoformat(item["due"]) - timedelta(days=2)).isoformat()
    with served.lock:
        stored = repo.get_obligation(supply, item["id"])
        stored.acknowledged_for_day = given_for
        stored.save()
        zone = repo.get_contract(supply).time_zone
    browser.refresh()
    loaded(browser, "obligations")
    state = browser.find_element(By.CSS_SELECTOR, f"{selector} .state").text
    assert state == f"open (acknowledged for {given_for} ({zone}))", state


def test_an_oversized_or_already_uploaded_file_is_not_sent_and_the_row_says_why(served, sign_in, tmp_path):
    from selenium.webdriver.common.by import By

    from clausewatch import config
    from tests.paths import SAMPLES

    browser = sign_in()
    big = tmp_path / "scanned-archive.pdf"
    with big.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(config.MAX_PDF_BYTES + 1)
    again = SAMPLES / "supply-agreement-autorenew.pdf"
    browser.get(f"{served.url}/app/upload.html")
    loaded(browser, "upload")
    # which files the page reads into memory (to hash them): never one over the size it may be
    browser.execute_script("window.readFiles = []; const read = Blob.prototype.arrayBuffer;"
                           "Blob.prototype.arrayBuffer = function () { readFiles.push(this.name); return read.call(this); }")
    browser.find_element(By.ID, "files").send_keys(f"{big}\n{again}")
    browser.find_element(By.ID, "send").click()

    def state_of(name: str) -> str | None:
        found = browser.find_elements(By.CSS_SELECTOR, f"#uploads tr[data-file='{name}']")
        return found[0].get_attribute("data-status") if found else None

    assert wait_until(lambda: state_of(big.name), "the oversized file's row to end", 20) == "REFUSED"
    text = browser.find_element(By.CSS_SELECTOR, f"#uploads tr[data-file='{big.name}'] .state").text
    assert "not uploaded" in text and f"{config.MAX_PDF_BYTES / 1048576:.1f} MB" in text, text
    assert wait_until(lambda: state_of(again.name), "the second copy's row to end", 20) == "ALREADY_UPLOADED"
    text = browser.find_element(By.CSS_SELECTOR, f"#uploads tr[data-file='{again.name}'] .state").text
    assert text.startswith(f"not uploaded again: already uploaded as {again.name}, received "), text
    assert "error" in browser.find_element(By.ID, "status").get_attribute("class")
    assert browser.execute_script("return readFiles") == [again.name]
    screenshot(browser, "upload-refused")


def test_the_landing_page_says_what_is_overdue_and_every_page_fits_a_phone(served, sign_in):
    """At 390 px nothing is wider than the screen (the rows are stacked, each cell labelled with its
    column); the landing page counts the obligations overdue and due in 7 days as the API does; on
    a desktop the contract page's terms table keeps its words whole."""
    from selenium.webdriver.common.by import By

    browser = sign_in()
    overdue = api(served, "/obligations?status=overdue&limit=100")["items"]
    summary = browser.find_element(By.ID, "this-week")
    assert summary.get_attribute("data-overdue") == str(len(overdue))
    assert f"{len(overdue)} obligation(s) overdue" in summary.text
    open_ = api(served, "/obligations?status=open&limit=100")
    assert open_["next_cursor"] is None
    soon = [o for o in open_["items"] if o["status"] == "open" and o["days_left"] is not None and 0 <= o["days_left"] <= 7]
    assert summary.get_attribute("data-soon") == str(len(soon))
    said = [f"{len(overdue)} obligation(s) overdue" if overdue else "", f"{len(soon)} due in the next 7 days" if soon else ""]
    assert summary.text == "This week: " + (", ".join(p for p in said if p) + "." if any(said) else
                                            "no obligation is overdue or due in the next 7 days."), summary.text
    # either count alone says only itself (QA: "1 obligation(s) overdue" was followed by "nullnull")
    for counts, expected in (((1, 0), "This week: 1 obligation(s) overdue."),
                             ((0, 2), "This week: 2 due in the next 7 days."),
                             ((3, 4), "This week: 3 obligation(s) overdue, 4 due in the next 7 days.")):
        shown = browser.execute_async_script(
            "const done = arguments[arguments.length - 1]; const [overdue, soon] = [arguments[0], arguments[1]];"
            "import('/app/renewals.js').then((m) => { const box = document.getElementById('this-week');"
            " m.show(box, overdue, soon); done(box.textContent); }, (e) => done(String(e)));", *counts)
        assert shown == expected, shown
    # asked with due_before, never every open obligation of the team
    asked = browser.execute_script("return performance.getEntriesByType('resource').map((e) => e.name)"
                                   ".filter((name) => name.includes('/obligations?status=open'))")
    assert asked and all("due_before=" in name for name in asked), asked
    # the summary failing hides it; the renewals are shown, said and loaded as ever
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/obligations?*"]})
    try:
        browser.get(f"{served.url}/app/renewals.html")
        loaded(browser, "renewals")
        box = browser.find_element(By.ID, "status")
        assert "error" not in box.get_attribute("class") and "contract(s) with a notice deadline" in box.text, box.text
        assert browser.execute_script("return document.body.dataset.loaded") == "renewals"
        assert rows(browser, "renewals")
        assert not browser.find_element(By.ID, "this-week").is_displayed()
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        for page, table in (("renewals.html", "renewals"), ("obligations.html?window=open", "obligations")):
            browser.get(f"{served.url}/app/{page}")
            loaded(browser, page.split(".")[0])
            assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, page
            cell = browser.find_element(By.CSS_SELECTOR, f"#{table} tbody tr td")
            assert cell.get_attribute("data-label"), page
            assert browser.find_element(By.LINK_TEXT, "Sign out").rect["x"] < 390
            screenshot(browser, f"phone-{table}")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.get(f"{served.url}/app/contract.html?id={served.ids['supply-agreement-autorenew.pdf']}")
    loaded(browser, "contract")
    lines = browser.execute_script(
        "const range = document.createRange(); range.selectNodeContents(arguments[0]);"
        "return range.getClientRects().length", browser.find_element(By.CSS_SELECTOR, "#terms thead th:nth-child(4)"))
    assert lines == 1  # "Page", not one letter a line


def test_a_document_that_does_not_read_as_a_contract_is_listed_on_needs_attention_with_why(served, sign_in):
    """QA5 10a: a one-page newsletter was listed only as missing key terms; the page says it does not
    read as a contract, and why (its missing terms can still be entered below)."""
    from selenium.webdriver.common.by import By

    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex

    path = served.state_dir / "newsletter.pdf"
    path.write_bytes(make_pdf("Quarterly Newsletter\nOur team had a great quarter. The picnic is on June 5, 2026. "
                              "Please bring sunscreen. Sales grew 12% year over year."))
    with served.lock:
        served.cloud.upload(path, {"team": TEAM, "owner": "dana.kowalski@example.com"})
        served.cloud.pump()
    newsletter = contract_id_for(sha256_hex(path.read_bytes()))
    assert [a["kind"] for a in api(served, f"/contracts/{newsletter}")["attention"]] == ["not_a_contract"]
    # a viewer is told why and who can act, and offered no button or field the API would refuse (403)
    browser = sign_in(role="viewer")
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    row = browser.find_element(By.CSS_SELECTOR, f"#not-contracts tr[data-contract='{newsletter}']")
    assert "does not read as a contract: no parties" in row.text and "an editor can do this" in row.text
    missing = browser.find_elements(By.CSS_SELECTOR, f"#missing tr[data-contract='{newsletter}']")
    assert missing and all("an editor can do this" in r.text for r in missing)
    assert browser.find_elements(By.CSS_SELECTOR, "#not-contracts button, #missing input, #missing button, "
                                                  "#amendments select, #waiting input") == []
    browser = sign_in()
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    row = browser.find_element(By.CSS_SELECTOR, f"#not-contracts tr[data-contract='{newsletter}']")
    assert "does not read as a contract: no parties" in row.text
    assert [r.get_attribute("data-contract") for r in rows(browser, "not-contracts")] == [newsletter]  # no sample
    assert browser.find_elements(By.CSS_SELECTOR, f"#missing tr[data-contract='{newsletter}']")  # still enterable
    screenshot(browser, "attention-not-a-contract")
    # brief s22 2: a person says it is one (before, only entering a term or deleting it cleared the flag)
    row.find_element(By.CSS_SELECTOR, "button.is-contract").click()
    wait_until(lambda: row.get_attribute("data-confirmed") == "true", "the flag dismissed")
    assert api(served, f"/contracts/{newsletter}")["attention"] == []
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    assert rows(browser, "not-contracts") == []


def test_a_viewer_is_offered_no_obligation_actions_and_an_editor_all(served, sign_in):
    """QA (hw) 12: a viewer was offered Complete/Acknowledge/Waive/Reassign (and Assign on Needs
    attention), each a 403. The pages show what the API's caller_may allows."""
    from selenium.webdriver.common.by import By

    def offered(role: str) -> tuple[set[str], int, int, int]:
        browser = sign_in(role=role)
        browser.get(f"{served.url}/app/obligations.html?window=open")
        loaded(browser, "obligations")
        open_rows = browser.find_elements(By.CSS_SELECTOR, "#obligations tr[data-status='open'], "
                                                           "#obligations tr[data-status='overdue']")
        labels = {b.text for b in browser.find_elements(By.CSS_SELECTOR, "#obligations tr button")}
        browser.get(f"{served.url}/app/attention.html")
        loaded(browser, "attention")
        assigns = [b for b in browser.find_elements(By.CSS_SELECTOR, "#unowned button") if b.text == "Assign"]
        return labels, len(open_rows), len(assigns), len(browser.find_elements(By.CSS_SELECTOR, "#unowned tr[data-obligation]"))

    labels, open_rows, assigns, unowned = offered("editor")
    assert open_rows and labels == {"Complete", "Acknowledge", "Waive", "Reassign"} and assigns == unowned
    labels, viewer_rows, assigns, viewer_unowned = offered("viewer")
    assert (viewer_rows, viewer_unowned) == (open_rows, unowned) and labels == set() and assigns == 0


def test_a_file_another_team_also_holds_is_followed_by_the_teams_own_id_and_not_sent_again(served, sign_in):
    """rv6 F10: a team whose PDF another team already holds gets a contract id of its own
    (pipeline/intake.team_contract_id); the page follows that id to the end (not the content's id,
    which is 404 for it, for 10 minutes), and a second copy is not sent, its row linking it."""
    from selenium.webdriver.common.by import By

    from clausewatch.pipeline.intake import contract_id_for, quarantine_id, team_contract_id
    from clausewatch.text.validate import sha256_hex
    from tests.paths import SAMPLES

    team = "procurement"
    held = SAMPLES / "mutual-nda.pdf"  # legal-ops's since the module started
    sha256 = sha256_hex(held.read_bytes())
    with served.lock:
        own, _ = team_contract_id(sha256, team)
    assert own != contract_id_for(sha256) == served.ids[held.name]
    browser = sign_in(team=team)
    browser.get(f"{served.url}/app/upload.html")
    loaded(browser, "upload")
    # the page's ids are the pipeline's, byte for byte (a key with non-ASCII letters: UTF-8 both sides)
    key = "inbox/0f1e/naïve café contract.pdf"
    with served.lock:
        quarantined = quarantine_id(contract_id_for(sha256), sha256, key)  # legal-ops's record keeps another key
    assert quarantined not in (own, contract_id_for(sha256))
    assert browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "import('./upload.js').then((m) => m.contractIds(arguments[0], arguments[1], arguments[2])).then(done)",
        sha256, team, key) == {"own": own, "content": contract_id_for(sha256), "quarantined": quarantined}

    def state_of(name: str) -> str | None:
        found = browser.find_elements(By.CSS_SELECTOR, f"#uploads tr[data-file='{name}']")
        return found[0].get_attribute("data-status") if found else None

    browser.find_element(By.ID, "files").send_keys(str(held))
    browser.find_element(By.ID, "send").click()
    assert wait_until(lambda: state_of(held.name) in ("EXTRACTED", "QUARANTINED", "FAILED", "ERROR")
                      and state_of(held.name), "the upload to be followed to its end") == "EXTRACTED"
    row = browser.find_element(By.CSS_SELECTOR, f"#uploads tr[data-file='{held.name}']")
    assert row.get_attribute("data-contract") == own
    assert api(served, f"/contracts/{own}", team=team)["file_name"] == held.name
    browser.execute_script("document.querySelector('#uploads tbody').replaceChildren()")
    browser.find_element(By.ID, "files").send_keys(str(held))
    browser.find_element(By.ID, "send").click()
    assert wait_until(lambda: state_of(held.name), "the second copy's row to end", 20) == "ALREADY_UPLOADED"
    row = browser.find_element(By.CSS_SELECTOR, f"#uploads tr[data-file='{held.name}']")
    assert row.get_attribute("data-contract") == own
    assert row.find_element(By.CSS_SELECTOR, ".contract a").get_attribute("href").endswith(f"contract.html?id={own}")


def test_with_the_bucket_unreachable_an_upload_and_a_proof_say_so_in_words(served, sign_in, tmp_path):
    """rv6 F12: the POSTs to the bucket (a PDF on the Upload page, a proof file with Complete) say
    the bucket cannot be reached, not the browser's "Failed to fetch"; the obligation stays open."""
    from selenium.webdriver.common.by import By

    browser = sign_in()
    contract_id = served.ids["supply-agreement-autorenew.pdf"]
    item = next(o for o in api(served, f"/contracts/{contract_id}")["obligations"] if o["status"] == "open")
    pdf = tmp_path / "unsent.pdf"
    pdf.write_bytes(make_pdf("This file never reaches the bucket."))
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": [f"{served.endpoint}/*"]})
    try:
        browser.get(f"{served.url}/app/upload.html")
        loaded(browser, "upload")
        browser.find_element(By.ID, "files").send_keys(str(pdf))
        browser.find_element(By.ID, "send").click()
        selector = f"#uploads tr[data-file='{pdf.name}']"
        wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, f"{selector}[data-status='ERROR']"),
                   "the upload to fail", 20)
        text = browser.find_element(By.CSS_SELECTOR, f"{selector} .state").text
        assert text.startswith("failed: Cannot reach the upload bucket"), text

        browser.get(f"{served.url}/app/obligations.html?window=open")
        loaded(browser, "obligations")
        row = f"#obligations tr[data-obligation='{item['id']}']"
        browser.find_element(By.CSS_SELECTOR, f"{row} button.act-complete").click()
        wait_until(browser.find_element(By.ID, "action-input").is_displayed, "the note dialog")
        browser.find_element(By.ID, "action-file").send_keys(str(pdf))
        browser.find_element(By.ID, "action-ok").click()
        box = browser.find_element(By.ID, "status")
        wait_until(lambda: "error" in box.get_attribute("class"), "the failure to be said", 20)
        assert box.text.startswith("Cannot reach the upload bucket"), box.text
        assert browser.find_element(By.CSS_SELECTOR, row).get_attribute("data-status") == "open"
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    assert next(o for o in api(served, f"/contracts/{contract_id}")["obligations"]
                if o["id"] == item["id"])["status"] == "open"


NO_CHANGE_AMENDMENT_TEXT = UNLINK_AMENDMENT_TEXT.replace(
    "1. Term. The initial term of the Agreement is hereby extended until June 30, 2029.",
    "1. Services. The services shall include the quarterly freight audit described in Exhibit B.").replace(
    "June 10, 2025", "June 12, 2025")


def test_an_amendment_read_as_changing_no_term_is_marked_checked_from_needs_attention(served, sign_in):
    """An applied amendment whose change was not read is listed with the contract it amends; a viewer
    is told who can act, an editor marks it checked: the flag goes on both (was: it stayed until the
    amendment was unlinked)."""
    from selenium.webdriver.common.by import By

    agreement = _upload_text(served, "freight-services.pdf", UNLINK_CONTRACT_TEXT.replace("June 10, 2025",
                                                                                          "June 12, 2025"))
    amendment = _upload_text(served, "freight-amendment-1.pdf", NO_CHANGE_AMENDMENT_TEXT)
    assert api(served, f"/contracts/{amendment}")["amends_contract_id"] == agreement
    for contract_id in (agreement, amendment):
        assert [a["kind"] for a in api(served, f"/contracts/{contract_id}")["attention"]] == ["amendment_no_change_read"]
    browser = sign_in(role="viewer")
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    row = browser.find_element(By.CSS_SELECTOR, f"#no-change tr[data-contract='{amendment}']")
    assert "no term change was read from it" in row.text and "an editor can do this" in row.text
    assert "Services Agreement" in row.text  # the contract it amends
    assert row.find_elements(By.CSS_SELECTOR, "button") == []
    browser = sign_in()
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    assert [r.get_attribute("data-contract") for r in rows(browser, "no-change")] == [amendment]
    row = browser.find_element(By.CSS_SELECTOR, f"#no-change tr[data-contract='{amendment}']")
    screenshot(browser, "attention-amendment-no-change")
    row.find_element(By.CSS_SELECTOR, "button.checked").click()
    wait_until(lambda: row.get_attribute("data-checked") == "true", "the amendment marked checked")
    for contract_id in (agreement, amendment):
        assert api(served, f"/contracts/{contract_id}")["attention"] == []
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    assert rows(browser, "no-change") == []
