"""The Money page's contract picker, in headless Chromium (see conftest.py): a person finds a contract
by its title or counterparty (GET /findings/contracts), sends its SLA metrics from the Money page with
the contract page's own sending code (moneyfiles.js) and sees that contract's findings; an amendment is
shown disabled with the API's reason; a viewer is offered none to pick. A file not read within 30 s
is said to be still being checked, and "Check again" follows it until it is read.

Before: the Money page had no picker (a line pointed to the contract page), and a file not read in
30 s left only "reload the page in a while"."""

from __future__ import annotations

from tests.browser.conftest import loaded, screenshot, wait_until
from tests.browser.test_money_page import api, findings_of
from tests.browser.test_money_send import METRICS, SAAS, choose, is_error, said, versions

SUPPLY = "supply-agreement-autorenew.pdf"
AMENDMENT = "amendment-1-supply.pdf"


def open_money(browser, served) -> None:
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money")
    wait_until(lambda: browser.execute_script("return document.body.dataset.contracts") == "loaded",
               "the contracts to pick")


def search(browser, text: str) -> dict[str, object]:
    """The choices offered for ``text`` (typed, then Enter), by contract id."""
    from selenium.webdriver.common.by import By

    browser.execute_script("document.body.dataset.contracts = ''")
    field = browser.find_element(By.ID, "contract-search")
    field.clear()
    field.send_keys(text + "\n")
    wait_until(lambda: browser.execute_script("return document.body.dataset.contracts") == "loaded",
               f"the contracts matching {text!r}")
    return {b.get_attribute("data-id"): b for b in browser.find_elements(By.CSS_SELECTOR, "#contract-choices button.choice")}


def test_a_contract_picked_on_the_money_page_gets_its_metrics_and_shows_its_findings(served, sign_in):
    from selenium.webdriver.common.by import By

    saas, supply, amendment = served.ids[SAAS], served.ids[SUPPLY], served.ids[AMENDMENT]
    browser = sign_in()
    open_money(browser, served)
    assert not browser.find_element(By.ID, "money-send").is_displayed()  # nothing to send before a contract

    # by counterparty, any case
    choices = search(browser, "NORTHWIND")
    assert list(choices) == [saas] and choices[saas].is_enabled()
    assert "Northwind" in choices[saas].text
    # by title: the supply agreement offered, its amendment shown disabled with the API's reason
    offered = api(served, "/findings/contracts?q=supply")["items"]
    reasons = {c["id"]: c["refused"] for c in offered}
    choices = search(browser, "supply")
    assert set(choices) == set(reasons) >= {supply, amendment}
    assert choices[supply].is_enabled() and reasons[supply] is None
    assert not choices[amendment].is_enabled() and reasons[amendment].startswith(f"{AMENDMENT} is an amendment")
    assert browser.find_element(By.ID, f"why-{amendment}").text == reasons[amendment]
    screenshot(browser, "money-pick")

    # picked: the contract page's controls, here; the metrics read, and that contract's findings shown
    choices = search(browser, "northwind")
    choices[saas].click()
    assert browser.find_element(By.ID, "money-send").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "#picked a").get_attribute("href").endswith(f"contract.html?id={saas}")
    choose(browser, "metrics", METRICS)
    browser.find_element(By.ID, "send-metrics-button").click()
    text = said(browser)
    assert not is_error(browser), text
    assert text.startswith("metrics-northwind-2026-10.csv read: 2 measurements, 1 breach of the service level.")
    assert versions(served, f"metrics/{saas}/{METRICS.name}") == 1
    [credit] = findings_of(served, saas)["items"]
    loaded(browser, "money")
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "#findings tr[data-kind='sla_breach']"), "the credit")
    shown = browser.find_element(By.CSS_SELECTOR, "#findings tr[data-kind='sla_breach']")
    assert shown.get_attribute("data-finding") == credit["finding_id"]
    assert shown.find_element(By.CSS_SELECTOR, "td.amount").text == "USD 1,550.00"
    assert credit["derivation"] in shown.find_element(By.CSS_SELECTOR, "td.what").text
    assert browser.find_element(By.ID, "at-stake").text == "Money at stake: USD 1,550.00"
    title = api(served, f"/contracts/{saas}")["title"]
    assert browser.find_element(By.ID, "status").text.endswith(f" for {title}.")

    # the team's findings again, with the team's one total
    browser.find_element(By.ID, "unpick").click()
    loaded(browser, "money")
    assert not browser.find_element(By.ID, "money-send").is_displayed()
    total = api(served, "/findings/total")["total_at_stake"]
    assert total == [{"amount": "1550.00", "currency": "USD"}]
    assert browser.find_element(By.ID, "at-stake").text == "Money at stake: USD 1,550.00"


def test_a_file_not_read_in_30_s_is_said_still_being_checked_and_check_again_follows_it(served, sign_in, tmp_path):
    from selenium.webdriver.common.by import By

    supply = served.ids[SUPPLY]
    browser = sign_in()
    open_money(browser, served)
    search(browser, "supply")[supply].click()
    invoice = tmp_path / "supply-inv-7.csv"
    invoice.write_text("number,issue_date,currency,description,quantity,unit_price,amount\n"
                       "SUP-7,2026-11-01,USD,Widgets,1,100.00,100.00\n")
    delivered = served.cloud.pump
    served.cloud.pump = lambda *args, **kwargs: 0  # the money λ's queue not delivered: the file waits
    try:
        choose(browser, "invoice", invoice)
        browser.find_element(By.ID, "send-invoice-button").click()
        text = said(browser, seconds=90)
        assert text.startswith("Received supply-inv-7.csv (stored as invoices/")
        assert "it is still being checked (not read after 30 s)" in text and "Check again" in text
        again = browser.find_element(By.ID, "money-send-again")
        assert again.is_displayed() and again.is_enabled()
        assert not is_error(browser)
    finally:
        del served.cloud.pump  # the instance's own pump again
    assert served.cloud.pump == delivered
    again.click()
    text = said(browser, seconds=60)
    assert text.startswith("supply-inv-7.csv read: invoice SUP-7 of USD 100.00 checked"), text
    assert not browser.find_elements(By.ID, "money-send-again")


def test_a_viewer_is_offered_no_contract_to_send_for(served, sign_in):
    from selenium.webdriver.common.by import By

    saas = served.ids[SAAS]
    assert [c["caller_may_send"] for c in api(served, "/findings/contracts?q=northwind", role="viewer")["items"]] \
        == [False]
    browser = sign_in(role="viewer")
    open_money(browser, served)
    choices = search(browser, "northwind")
    assert not choices[saas].is_enabled()
    assert browser.find_element(By.ID, f"why-{saas}").text == "an editor or admin sends SLA metrics and invoices"
    assert not browser.find_element(By.ID, "money-send").is_displayed()
