"""The Money page and the contract page's Money section in headless Chromium (see conftest.py): the
SaaS sample's October SLA credit, partly paid by a credit note, and its over-charged invoice, sent
through the API as a person or a system would send them; the pages show what the API says (the total
at stake, each amount with its arithmetic, its clause and its contract), a claim is marked claimed in
the page, and a refusal or an unreachable API is said, never swallowed."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.conftest import TEAM, loaded, screenshot, token_for, wait_until
from tests.paths import SAMPLES

SAAS = "saas-subscription-northwind.pdf"
OCTOBER_BREACH = "period,metric,value\n2026-10,availability,99.4\n"
# a credit note of USD 1,000.00 for the October credit of 1,550.00: 550.00 is still owed
PARTIAL_CREDIT = json.dumps({"number": "CN-7", "issue_date": "2026-11-20", "currency": "USD",
                             "document_type": "credit_note", "note": "SLA credit October 2026",
                             "lines": [{"description": "Service credit", "amount": "1000.00"}]})


def api(served, path: str, body: dict | None = None, role: str = "editor") -> dict:
    request = urllib.request.Request(
        f"{served.url}{path}", method="POST" if body is not None else "GET",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token_for(served, TEAM, role=role)}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def send(served, kind: str, contract_id: str, file_name: str, content: str) -> None:
    """A metrics file or an invoice sent through the API (POST /contracts/{id}/metrics or /invoices:
    stored where the money λ reads it, as the integration tests send them)."""
    assert api(served, f"/contracts/{contract_id}/{kind}", {"file_name": file_name, "content": content})["status"] == "queued"


def findings_of(served, contract_id: str) -> dict:
    return api(served, f"/contracts/{contract_id}/findings")


@pytest.fixture(scope="module")
def money(served) -> str:
    """The SaaS sample with its October credit (claimed in part by CN-7) and its 2026-03 invoice
    (USD 9,300.00 above the agreed fee); returns its contract id."""
    saas = served.ids[SAAS]
    send(served, "metrics", saas, "2026-10.csv", OCTOBER_BREACH)
    send(served, "invoices", saas, "nwa-2026-03.xml", (SAMPLES / "invoice-northwind-2026-03.xml").read_text())
    wait_until(lambda: {"sla_breach", "price_above_agreed"} <= {f["kind"] for f in findings_of(served, saas)["items"]},
               "the money λ's findings")
    send(served, "invoices", saas, "cn-7.json", PARTIAL_CREDIT)
    wait_until(lambda: "credit_note_partial" in {f["kind"] for f in findings_of(served, saas)["items"]},
               "the credit note's finding")
    return saas


def _rows(browser, table: str) -> list:
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr")


def flat(text: str) -> str:
    """Text as the page lays it out: a quote's line breaks are spaces."""
    return " ".join(text.split())


def _cell(row, name: str) -> str:
    from selenium.webdriver.common.by import By

    return row.find_element(By.CSS_SELECTOR, f"td.{name}").text


def test_the_money_page_shows_what_is_at_stake_first_with_its_arithmetic_and_clause(served, sign_in, money):
    from selenium.webdriver.common.by import By

    saas = money
    found = findings_of(served, saas)
    by_kind = {f["kind"]: f for f in found["items"]}
    credit, overcharge = by_kind["sla_breach"], by_kind["price_above_agreed"]
    # the API's own numbers, the page's source: 9,300.00 over-charged + 1,550.00 - 1,000.00 credited
    assert found["total_at_stake"] == [{"amount": "9850.00", "currency": "USD"}]
    assert credit["settlement"]["remaining"] == {"amount": "550.00", "currency": "USD"}
    assert credit["evidence"] and overcharge["evidence"]
    contract = api(served, f"/contracts/{saas}")
    name = contract["title"] or contract["file_name"]

    browser = sign_in()
    # a nav link on every page
    assert browser.find_element(By.CSS_SELECTOR, "nav a[href='money.html']").text == "Money"
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money")
    assert browser.find_element(By.CSS_SELECTOR, "nav a[aria-current='page']").text == "Money"
    assert browser.find_element(By.ID, "at-stake").text == "Money at stake: USD 9,850.00"
    rows = _rows(browser, "findings")
    # open only: the credit note's own finding is not at stake, and is listed under "all"
    assert [r.get_attribute("data-kind") for r in rows] == ["price_above_agreed", "sla_breach"]  # 9,300 then 550
    first, second = rows
    assert _cell(first, "amount") == "USD 9,300.00"
    link = first.find_element(By.CSS_SELECTOR, "td.contract a")
    assert link.text == name and link.get_attribute("href").endswith(f"/app/contract.html?id={saas}")
    assert "invoice NWA-2026-0301" in _cell(first, "period")
    assert overcharge["derivation"] in _cell(first, "what")
    assert f'"{flat(overcharge["evidence"]["text"])}"' in _cell(first, "clause")
    assert _cell(first, "state") == "open: no credit note for it yet"
    assert _cell(second, "amount") == "USD 1,550.00\nstill at stake: USD 550.00"
    assert _cell(second, "period") == "2026-10"
    what = _cell(second, "what")
    assert "99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00" in what
    assert credit["settlement"]["settled_by"][0]["derivation"] in what  # the credit note's arithmetic
    assert f'"{flat(credit["evidence"]["text"])}"' in _cell(second, "clause")
    # the file the page is in: the contract's own (was "page 2" alone, the API's document null)
    assert f"{SAAS}, page {credit['evidence']['page']}" in _cell(second, "clause")
    claim = next(o for o in contract["obligations"] if o["id"] == credit["claim_obligation_id"])
    assert _cell(second, "state") == (f"partly settled by credit note CN-7, USD 550.00 still owed; open: claim by "
                                      f"{claim['due']} (America/New_York)")
    assert second.find_elements(By.CSS_SELECTOR, "button.act-claimed")  # an editor may mark it claimed
    screenshot(browser, "money")
    # on a phone nothing is wider than the screen (each row a block of labelled cells)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        browser.get(f"{served.url}/app/money.html")
        loaded(browser, "money")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        screenshot(browser, "money-phone")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # everything, the credit note's finding too
    browser.get(f"{served.url}/app/money.html?show=all")
    loaded(browser, "money")
    told = {r.get_attribute("data-kind"): r for r in _rows(browser, "findings")}
    assert _cell(told["credit_note_partial"], "state") == "credit note: settles part of a claim"
    assert told["credit_note_partial"].get_attribute("data-open") == "false"

    # the contract page's Money section: the contract's findings and the invoice and credit note
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money")
    _rows(browser, "findings")[0].find_element(By.CSS_SELECTOR, "td.contract a").click()
    loaded(browser, "contract")
    assert browser.find_element(By.ID, "money-at-stake").text == "Money at stake: USD 9,850.00"
    assert browser.find_element(By.ID, "money-link").text.startswith("Money at stake: USD 9,850.00 (3 money finding(s)")
    # each row's cells under their column's header (no contract column here: it is this one), nothing else
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#money-findings thead th")]
    for row in _rows(browser, "money-findings"):
        assert [td.get_attribute("data-label") for td in row.find_elements(By.CSS_SELECTOR, "td")] == heads
        assert browser.execute_script("return [...arguments[0].childNodes].every((n) => n.nodeName === 'TD')", row)
    assert "Contract" not in heads
    kinds = [r.get_attribute("data-kind") for r in _rows(browser, "money-findings")]
    assert kinds[:2] == ["price_above_agreed", "sla_breach"] and "credit_note_partial" in kinds
    section = browser.find_element(By.ID, "money").text
    assert "99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00" in section
    invoices = {r.get_attribute("data-invoice"): r.text for r in _rows(browser, "invoices")}
    assert "USD 195,300.00" in invoices["NWA-2026-0301"] and "USD -1,000.00" in invoices["CN-7"]
    browser.execute_script("document.getElementById('money').scrollIntoView()")
    screenshot(browser, "contract-money")

    # a viewer sees the money, and is offered no claim action (the API's caller_may)
    browser = sign_in(role="viewer")
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money")
    assert len(_rows(browser, "findings")) == 2
    assert not browser.find_elements(By.CSS_SELECTOR, "#findings button")


def test_a_claim_is_marked_claimed_and_a_refusal_or_an_unreachable_api_is_said(served, sign_in, money):
    from selenium.webdriver.common.by import By

    saas = money
    browser = sign_in()
    # an August credit whose claim window has closed, withdrawn by a corrected file once the page shows it
    send(served, "metrics", saas, "2026-08.csv", "period,metric,value\n2026-08,availability,99.0\n")
    august = wait_until(lambda: next((f for f in findings_of(served, saas)["items"]
                                      if f["kind"] == "sla_breach" and f["period"] == "2026-08"), None),
                        "the August credit")
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money")
    row = browser.find_element(By.CSS_SELECTOR, f"#findings tr[data-finding='{august['finding_id']}']")
    assert "open: the claim deadline" in _cell(row, "state") and "has passed" in _cell(row, "state")

    # marked claimed: the row says so; the API has the claim done with the note
    october = next(f for f in findings_of(served, saas)["items"] if f["kind"] == "sla_breach" and f["period"] == "2026-10")
    selector = f"#findings tr[data-finding='{october['finding_id']}']"
    browser.find_element(By.CSS_SELECTOR, f"{selector} input.claim-note").send_keys("claimed by email to billing")
    browser.find_element(By.CSS_SELECTOR, f"{selector} button.act-claimed").click()
    wait_until(lambda: _cell(browser.find_element(By.CSS_SELECTOR, selector), "state").endswith(
        'USD 550.00 still owed; claimed: done by hand by dana.kowalski@example.com ("claimed by email to billing")'),
        "the row to show the credit claimed")
    claim = next(o for o in api(served, f"/contracts/{saas}")["obligations"] if o["id"] == october["claim_obligation_id"])
    assert (claim["status"], claim["resolution_note"]) == ("done", "claimed by email to billing")
    assert not browser.find_elements(By.CSS_SELECTOR, f"{selector} button")

    # the August month met after all: its claim is cancelled, and the page's stale button is refused
    send(served, "metrics", saas, "2026-08-corrected.csv", "period,metric,value\n2026-08,availability,99.95\n")
    wait_until(lambda: any(f["kind"] == "sla_breach_withdrawn" and f["period"] == "2026-08"
                           for f in findings_of(served, saas)["items"]), "the August breach withdrawn")
    row = browser.find_element(By.CSS_SELECTOR, f"#findings tr[data-finding='{august['finding_id']}']")
    row.find_element(By.CSS_SELECTOR, "button.act-claimed").click()
    box = browser.find_element(By.ID, "status")
    wait_until(lambda: "error" in box.get_attribute("class"), "the refusal to be said", 10)
    assert box.text.startswith("409: ") and "cancelled" in box.text, box.text
    assert all(b.is_enabled() for b in row.find_elements(By.CSS_SELECTOR, "button"))  # left as it was
    screenshot(browser, "money-claim-refused")

    # the API unreachable: said in words, no stale rows or total beside it
    browser.execute_cdp_cmd("Network.enable", {})
    # (a pattern matches anywhere in a URL: findings.js itself must load)
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/findings?limit=*", "*/contracts/*/findings"]})
    try:
        browser.get(f"{served.url}/app/money.html")
        loaded(browser, "money")
        box = browser.find_element(By.ID, "status")
        assert "error" in box.get_attribute("class") and box.text.startswith("Cannot reach the clausewatch API")
        assert not _rows(browser, "findings") and not browser.find_element(By.ID, "at-stake").is_displayed()
        # the contract page says it too, and still shows the contract
        browser.get(f"{served.url}/app/contract.html?id={saas}")
        loaded(browser, "contract")
        box = browser.find_element(By.ID, "status")
        assert "error" in box.get_attribute("class") and box.text.startswith("Cannot reach the clausewatch API")
        assert _rows(browser, "terms") and not _rows(browser, "money-findings")
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})


def test_a_claim_done_by_hand_then_partly_credited_is_never_said_to_have_no_credit_note(served, sign_in):
    """Review 2026-12-06 S3: a claim marked done by hand, then paid in part by a credit note, read
    "partly settled by credit note CN-7, USD 550.00 still owed; claimed: done by hand by ...; no credit
    note yet". The page's own module says it, run in the browser on the API's shapes."""
    browser = sign_in()
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money")
    finding = {"kind": "sla_breach", "amount": {"amount": "1550.00", "currency": "USD"}, "claim_status": "done",
               "settlement": {"settled_by": [{"credit_note": "CN-7"}],
                              "remaining": {"amount": "550.00", "currency": "USD"}}}
    claim = {"status": "done", "resolved_by": "priya@example.com", "resolution_note": "emailed", "due": "2026-12-31"}
    script = """
        const [finding, claim, done] = arguments;
        import('/app/findings.js').then((m) => done(m.findingState(finding, claim, 'UTC').text), (e) => done(String(e)));
    """
    text = browser.execute_async_script(script, finding, claim)
    assert text == ('partly settled by credit note CN-7, USD 550.00 still owed; '
                    'claimed: done by hand by priya@example.com ("emailed")')
    text = browser.execute_async_script(script, {**finding, "settlement": None}, claim)
    assert text.endswith("; no credit note yet")


def test_a_deleted_contracts_finding_says_so_and_is_not_at_stake(served, sign_in):
    """A finding whose contract was deleted (the API's ``contract_deleted``) stays listed, said so, and is
    not ordered among the money owed (its claim went with the contract; was: "claim open" read from
    nothing, and counted at stake)."""
    browser = sign_in()
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money")
    finding = {"kind": "sla_breach", "amount": {"amount": "1550.00", "currency": "USD"}, "claim_status": None,
               "contract_deleted": {"at": "2026-12-06T19:40:00.000Z", "by": "dana.admin@example.com"}}
    said = browser.execute_async_script("""
        const [finding, done] = arguments;
        import('/app/findings.js').then((m) => done([m.findingState(finding, null, 'UTC').text, m.atStake(finding),
                                                     m.owed(finding)]), (e) => done(String(e)));
    """, finding)
    assert said == ["contract deleted 2026-12-06 by dana.admin@example.com: at stake no longer", None, False]


def test_more_than_a_page_of_findings_shows_the_teams_one_total(served, sign_in, money):
    """Before: with more than 100 findings the page showed each page's total ("page 1: ...; page 2:
    ..."), not added up, and no one figure of what the team is owed. Now the API's one total over all
    the team's findings (GET /findings/total), each line's findings once."""
    from decimal import Decimal

    from selenium.webdriver.common.by import By

    nda = served.ids["mutual-nda.pdf"]
    before = api(served, "/findings/total")
    [usd] = [a for a in before["total_at_stake"] if a["currency"] == "USD"]
    # 101 lines of a courier charge, each 1.00 above its quantity x price: 101 findings of 1.00
    courier = json.dumps({"number": "RMC-88", "issue_date": "2026-11-02", "currency": "USD", "lines": [
        {"description": f"Courier charge {n}", "quantity": "1", "unit_price": "10.00", "amount": "11.00"}
        for n in range(1, 102)]})
    send(served, "invoices", nda, "rmc-88.json", courier)
    wait_until(lambda: len(findings_of(served, nda)["items"]) == 101, "the invoice's 101 findings")
    after = api(served, "/findings/total")
    assert after["findings"] == before["findings"] + 101 > 100
    assert after["total_at_stake"] == [{"amount": f"{Decimal(usd['amount']) + Decimal('101.00'):.2f}",
                                        "currency": "USD"}]

    browser = sign_in()
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money", seconds=60)
    expected = f"Money at stake: USD {Decimal(usd['amount']) + Decimal('101.00'):,.2f}"
    assert browser.find_element(By.ID, "at-stake").text == expected
    assert len(_rows(browser, "findings")) > 100  # both pages listed
    # of one kind: the kind's total, from the same route
    browser.get(f"{served.url}/app/money.html?kind=arithmetic")
    loaded(browser, "money", seconds=60)
    assert browser.find_element(By.ID, "at-stake").text == "Money at stake: USD 101.00"


def _total_shown(browser, box_id: str) -> str:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.ID, box_id).text


def _said(amounts: list[dict]) -> str:
    """The API's total at stake as the pages say it ("Money at stake: USD 9,300.00")."""
    from decimal import Decimal

    shown = [f"{a['currency']} {Decimal(a['amount']):,.2f}" for a in amounts if Decimal(a["amount"])]
    return "Money at stake: " + (" · ".join(shown) or "none")


def test_a_claim_waived_is_at_stake_no_more_on_the_money_page_and_the_contract_page(served, sign_in, money):
    """QA: a claim waived from the page kept its amount in "Money at stake" (the page's and the contract
    page's, and the link under its facts) until a reload; and Enter in the note, whose placeholder asks
    for a reason to waive, pressed "Mark claimed"."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    saas = money
    browser = sign_in()

    def breach(period: str) -> dict:
        send(served, "metrics", saas, f"{period}.csv", f"period,metric,value\n{period},availability,99.4\n")
        return wait_until(lambda: next((f for f in findings_of(served, saas)["items"]
                                        if f["kind"] == "sla_breach" and f["period"] == period), None), period)

    def claim_of(finding: dict) -> dict:
        return next(o for o in api(served, f"/contracts/{saas}")["obligations"] if o["id"] == finding["claim_obligation_id"])

    july = breach("2026-07")
    before = api(served, "/findings/total")["total_at_stake"]
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money")
    selector = f"#findings tr[data-finding='{july['finding_id']}']"
    note = browser.find_element(By.CSS_SELECTOR, f"{selector} input.claim-note")
    note.send_keys("supplier credited it on another account", Keys.ENTER)
    assert claim_of(july)["status"] in ("open", "overdue")  # Enter chose neither action
    browser.find_element(By.CSS_SELECTOR, f"{selector} button.act-waive").click()
    wait_until(lambda: claim_of(july)["status"] == "waived", "the July claim waived")
    after = api(served, "/findings/total")["total_at_stake"]
    assert after != before
    expected = _said(after)
    wait_until(lambda: _total_shown(browser, "at-stake") == expected, f"the page's total to be {expected}")
    assert "not at stake" in _cell(browser.find_element(By.CSS_SELECTOR, selector), "amount")

    june = breach("2026-06")
    browser.get(f"{served.url}/app/contract.html?id={saas}")
    loaded(browser, "contract")
    wait_until(lambda: browser.find_element(By.ID, "money").get_attribute("data-loaded") == "true", "the money section")
    before = _total_shown(browser, "money-at-stake")
    selector = f"#money-findings tr[data-finding='{june['finding_id']}']"
    browser.find_element(By.CSS_SELECTOR, f"{selector} input.claim-note").send_keys("goodwill")
    browser.find_element(By.CSS_SELECTOR, f"{selector} button.act-waive").click()
    wait_until(lambda: claim_of(june)["status"] == "waived", "the June claim waived")
    stake = findings_of(served, saas)["total_at_stake"]
    expected = _said(stake)
    assert expected != before
    wait_until(lambda: _total_shown(browser, "money-at-stake") == expected, f"the section's total to be {expected}")
    assert browser.find_element(By.CSS_SELECTOR, "#money-link").text.startswith(expected)
    # the keyboard stays on the row (nothing is left to press on it)
    assert browser.execute_script("return document.activeElement.closest('tr')?.dataset.finding") == june["finding_id"]
