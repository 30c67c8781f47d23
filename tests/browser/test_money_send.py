"""Sending SLA metrics and invoices from the contract page's Money section, in headless Chromium (see
conftest.py): the SaaS sample's October metrics CSV, its March invoice and a credit note chosen in the
page become the API's findings, shown in the section without reloading; a file the money λ refuses, or the API
refuses, is said with its reason; a file over the API's limit, empty or not UTF-8 never reaches the
bucket; a double-click sends one file; a viewer is offered nothing; the network off is said."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from clausewatch import config
from tests.browser.conftest import TEAM, loaded, screenshot, token_for, wait_until
from tests.browser.test_money_page import PARTIAL_CREDIT, api, findings_of
from tests.paths import SAMPLES

SAAS = "saas-subscription-northwind.pdf"
UK = "uk-software-licence.pdf"
METRICS = SAMPLES / "metrics-northwind-2026-10.csv"  # 2026-09 met (99.93), 2026-10 breached (99.4)
INVOICE = SAMPLES / "invoice-northwind-2026-03.xml"  # NWA-2026-0301, USD 9,300.00 above the agreed fee


def versions(served, key: str) -> int:
    """How many versions of ``key`` the bucket holds: each POST the API accepted stored one."""
    import boto3

    with served.lock:
        found = boto3.client("s3").list_object_versions(Bucket=config.BUCKET_NAME, Prefix=key)
    return len([v for v in found.get("Versions", []) if v["Key"] == key])


def keys_under(served, prefix: str) -> list[str]:
    import boto3

    with served.lock:
        found = boto3.client("s3").list_objects_v2(Bucket=config.BUCKET_NAME, Prefix=prefix)
    return [o["Key"] for o in found.get("Contents", [])]


def open_contract(browser, served, contract_id: str) -> None:
    browser.get(f"{served.url}/app/contract.html?id={contract_id}")
    loaded(browser, "contract")


def said(browser, seconds: float = 60) -> str:
    """The Money section's status line once it has said how the sending ended (not "...")."""
    from selenium.webdriver.common.by import By

    box = browser.find_element(By.ID, "money-send-status")
    wait_until(lambda: box.text and not box.text.endswith("..."), "the send's outcome", seconds)
    return box.text


def is_error(browser) -> bool:
    from selenium.webdriver.common.by import By

    return "error" in browser.find_element(By.ID, "money-send-status").get_attribute("class")


def choose(browser, kind: str, path) -> None:
    from selenium.webdriver.common.by import By

    browser.find_element(By.ID, f"{kind}-file").send_keys(str(path))


def row(browser, kind: str):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, f"#money-findings tr[data-kind='{kind}']")


def test_the_october_metrics_and_the_invoice_sent_from_the_contract_page_show_the_apis_findings(served, sign_in,
                                                                                              tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    saas = served.ids[SAAS]
    assert findings_of(served, saas)["items"] == []
    browser = sign_in()
    open_contract(browser, served, saas)
    assert browser.find_element(By.ID, "money-send").is_displayed()
    metrics_input = browser.find_element(By.ID, "metrics-file")
    assert metrics_input.get_attribute("accept") == ".csv,.json,.prom,.txt,.om,.metrics"
    assert browser.find_element(By.ID, "invoice-file").get_attribute("accept") == ".xml,.csv,.json"
    # keyboard: the file field and its button are reached with Tab
    metrics_input.send_keys(str(METRICS))
    button = browser.find_element(By.ID, "send-metrics-button")
    assert button.text == "Send SLA metrics"

    # a double-click sends one file
    ActionChains(browser).double_click(button).perform()
    text = said(browser)
    assert not is_error(browser), text
    assert text == ("metrics-northwind-2026-10.csv read: 2 measurements, 1 breach of the service level. "
                    "The Money section below shows what it found.")
    key = f"metrics/{saas}/{METRICS.name}"
    assert versions(served, key) == 1
    # the button usable again, the focus back on it
    wait_until(lambda: browser.find_element(By.ID, "send-metrics-button").is_enabled(), "the button enabled", 10)
    assert browser.execute_script("return document.activeElement.id") == "send-metrics-button"

    # the finding the API computed, with its arithmetic, shown without reloading the page
    [credit] = findings_of(served, saas)["items"]
    assert credit["kind"] == "sla_breach" and credit["amount"] == {"amount": "1550.00", "currency": "USD"}
    assert credit["source_key"] == key
    shown = row(browser, "sla_breach")
    assert shown.get_attribute("data-finding") == credit["finding_id"]
    assert shown.find_element(By.CSS_SELECTOR, "td.amount").text == "USD 1,550.00"
    assert credit["derivation"] == "99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00"
    assert credit["derivation"] in shown.find_element(By.CSS_SELECTOR, "td.what").text
    assert shown.find_element(By.CSS_SELECTOR, "td.state").text.startswith("open: claim by ")  # its claim, read anew
    assert browser.find_element(By.ID, "money-at-stake").text == "Money at stake: USD 1,550.00"
    # the trail shown anew too: the λ's line for the file
    assert any("metrics.recorded" in r.text for r in browser.find_elements(By.CSS_SELECTOR, "#audit tbody tr"))

    # an invoice, by keyboard: Enter on the button
    choose(browser, "invoice", INVOICE)
    browser.find_element(By.ID, "send-invoice-button").send_keys("\n")
    text = said(browser)
    assert not is_error(browser), text
    assert text == ("invoice-northwind-2026-03.xml read: invoice NWA-2026-0301 of USD 195,300.00 checked, "
                    "1 finding (price_above_agreed). The Money section below shows it.")
    found = findings_of(served, saas)
    overcharge = next(f for f in found["items"] if f["kind"] == "price_above_agreed")
    shown = row(browser, "price_above_agreed")
    assert shown.find_element(By.CSS_SELECTOR, "td.amount").text == "USD 9,300.00"
    assert overcharge["amount"] == {"amount": "9300.00", "currency": "USD"}
    assert overcharge["derivation"] in shown.find_element(By.CSS_SELECTOR, "td.what").text
    assert found["total_at_stake"] == [{"amount": "10850.00", "currency": "USD"}]
    assert browser.find_element(By.ID, "money-at-stake").text == "Money at stake: USD 10,850.00"
    invoices = {r.get_attribute("data-invoice"): r.text for r in browser.find_elements(By.CSS_SELECTOR, "#invoices tbody tr")}
    assert "USD 195,300.00" in invoices["NWA-2026-0301"]
    # the same invoice sent again: read and said unchanged (review rv10: no trail line, "not read yet" for 30 s)
    choose(browser, "invoice", INVOICE)
    browser.find_element(By.ID, "send-invoice-button").click()
    assert said(browser) == ("invoice-northwind-2026-03.xml read: invoice NWA-2026-0301 of USD 195,300.00 is the "
                             "one already received from this file, unchanged: nothing is checked or counted twice.")
    assert browser.find_element(By.ID, "money-at-stake").text == "Money at stake: USD 10,850.00"
    # a credit note of USD 1,000.00 for the October credit: matched to its claim, with the API's arithmetic
    credit_note = tmp_path / "cn-7.json"
    credit_note.write_text(PARTIAL_CREDIT)
    choose(browser, "invoice", credit_note)
    browser.find_element(By.ID, "send-invoice-button").click()
    text = said(browser)
    [partial] = [f for f in findings_of(served, saas)["items"] if f["kind"] == "credit_note_partial"]
    assert not is_error(browser) and text == f"cn-7.json read: credit note CN-7 of USD 1,000.00: {partial['derivation']}"
    assert row(browser, "sla_breach").find_element(By.CSS_SELECTOR, "td.state").text.startswith(
        "partly settled by credit note CN-7, USD 550.00 still owed")
    assert browser.find_element(By.ID, "money-at-stake").text == "Money at stake: USD 9,850.00"
    browser.execute_script("document.getElementById('money').scrollIntoView()")
    screenshot(browser, "contract-money-sent")

    # on a phone the send controls fit the screen
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        open_contract(browser, served, saas)
        for control in browser.find_elements(By.CSS_SELECTOR, "#money-send input, #money-send button, #money-send label"):
            box = control.rect
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, control.get_attribute("id")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        browser.execute_script("document.getElementById('money-send').scrollIntoView()")
        screenshot(browser, "contract-money-send-phone")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_a_file_the_money_lambda_or_the_api_refuses_is_said_with_its_reason(served, sign_in, tmp_path):
    from selenium.webdriver.common.by import By

    uk = served.ids[UK]
    browser = sign_in()
    open_contract(browser, served, uk)
    # read, and refused by the money λ: its reason, the API's file_refused finding beside it
    latency = tmp_path / "latency.csv"
    latency.write_text("period,metric,value\n2026-10,latency,120\n")
    choose(browser, "metrics", latency)
    browser.find_element(By.ID, "send-metrics-button").click()
    text = said(browser)
    [refused] = [f for f in findings_of(served, uk)["items"] if f["kind"] == "file_refused"]
    reason = "line 2: unknown metric 'latency' (clausewatch checks availability/uptime)"
    assert refused["summary"] == f"metrics file metrics/{uk}/latency.csv refused: {reason}"
    assert is_error(browser) and text == f"latency.csv was refused when it was read, and nothing of it was applied: {reason}"
    assert row(browser, "file_refused").get_attribute("data-finding") == refused["finding_id"]
    screenshot(browser, "contract-money-send-refused")

    # refused by the API itself (a 400: a file name longer than 200 characters): its message, nothing stored
    long_name = tmp_path / ("m" * 197 + ".csv")  # 201 characters
    long_name.write_text(METRICS.read_text())
    body = json.dumps({"file_name": long_name.name, "content": METRICS.read_text()}).encode()
    request = urllib.request.Request(f"{served.url}/contracts/{uk}/metrics", data=body, method="POST", headers={
        "Authorization": f"Bearer {token_for(served, TEAM)}", "Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refusal:
        urllib.request.urlopen(request, timeout=30)
    assert refusal.value.code == 400
    message = json.loads(refusal.value.read())["message"]
    assert message == "file_name: should be a file name of 1 to 200 characters, without / or \\ or control characters"
    choose(browser, "metrics", long_name)
    browser.find_element(By.ID, "send-metrics-button").click()
    assert said(browser) == f"400: {message}" and is_error(browser)
    assert not keys_under(served, f"metrics/{uk}/mmm")
    # the file stays chosen to send again, and the button can be used again
    assert browser.find_element(By.ID, "metrics-file").get_attribute("value").endswith(long_name.name)
    assert browser.find_element(By.ID, "send-metrics-button").is_enabled()


def test_a_file_over_the_apis_limit_empty_or_not_utf8_is_not_sent(served, sign_in, tmp_path):
    from selenium.webdriver.common.by import By

    uk = served.ids[UK]
    limit = api(served, "/openapi.json")["components"]["schemas"]["MoneyFileRequest"]["properties"]["content"]["maxLength"]
    assert limit == 1_000_000
    header = "period,metric,value\n"
    over = tmp_path / "over.csv"
    over.write_text(header + "2026-10,availability,99.9\n" * ((limit - len(header)) // 26) + "x" * 27)
    characters = len(over.read_text())
    assert limit < characters < limit + 30
    huge = tmp_path / "huge.csv"  # more bytes than the limit's characters could take: not even read
    huge.write_bytes(b"a" * (4 * limit + 1))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("period,metric,value\n2026-10,disponibilit\u00e9,99.4\n".encode("latin-1"))

    browser = sign_in()
    open_contract(browser, served, uk)
    before = keys_under(served, f"metrics/{uk}/")
    cases = {
        over: f"over.csv not sent: {characters:,} characters is over the 1,000,000 the API takes in one file; "
              "split it (one file per month or per invoice)",
        huge: f"huge.csv not sent: {4 * limit + 1:,} bytes is over the 1,000,000 characters the API takes in one "
              "file; split it (one file per month or per invoice)",
        empty: "empty.csv not sent: the file is empty",
        latin1: "latin1.csv not sent: it is not UTF-8 text (save it as UTF-8 and choose it again)",
    }
    for path, expected in cases.items():
        choose(browser, "metrics", path)
        browser.find_element(By.ID, "send-metrics-button").click()
        assert said(browser) == expected and is_error(browser)
    # nothing reached the API: no file stored under the contract's metrics folder, no trail line
    assert keys_under(served, f"metrics/{uk}/") == before
    trail = api(served, f"/contracts/{uk}/audit?limit=100")["items"]
    assert not [a for a in trail if (a["detail"] or {}).get("key", "").split("/")[-1] in {p.name for p in cases}]

    # no file chosen: said, and the focus on the field
    browser.execute_script("document.getElementById('invoice-file').value = ''")
    browser.find_element(By.ID, "send-invoice-button").click()
    assert said(browser) == "Choose the invoice or credit note to send first." and is_error(browser)
    assert browser.switch_to.active_element == browser.find_element(By.ID, "invoice-file")


def test_the_api_unreachable_is_said_and_a_viewer_is_offered_no_send_control(served, sign_in, tmp_path):
    from selenium.webdriver.common.by import By

    uk = served.ids[UK]
    browser = sign_in()
    open_contract(browser, served, uk)
    met = tmp_path / "2026-11.csv"
    met.write_text("period,metric,value\n2026-11,availability,99.99\n")
    choose(browser, "metrics", met)
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": [f"*/contracts/{uk}/metrics"]})
    try:
        browser.find_element(By.ID, "send-metrics-button").click()
        text = said(browser)
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    assert is_error(browser) and text.startswith("Cannot reach the clausewatch API"), text
    assert not keys_under(served, f"metrics/{uk}/2026-11.csv")
    assert browser.find_element(By.ID, "send-metrics-button").is_enabled()

    # a viewer sees the money and no control to send (the API's caller_may has no send_money_files)
    assert "send_money_files" not in api(served, f"/contracts/{uk}", role="viewer")["caller_may"]
    browser = sign_in(role="viewer")
    open_contract(browser, served, uk)
    assert not browser.find_element(By.ID, "money-send").is_displayed()
    assert not [b for b in browser.find_elements(By.CSS_SELECTOR, "#money button") if b.is_displayed()]
    # nor on the Money page (its picker offers a viewer no contract: test_money_pick.py)
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money")
    assert not browser.find_element(By.ID, "money-send").is_displayed()
