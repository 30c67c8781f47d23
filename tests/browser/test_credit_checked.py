"""A breach's credit to check by hand with no claim to settle it (credits in prose, no claim window
read) shows its flag on the Money page with Mark checked: a person says what they found and the amount
claimed, the row says who checked it and when, and the contract's Needs attention flag is gone."""

from __future__ import annotations

from tests.browser.conftest import TEAM, USER, loaded, screenshot, wait_until
from tests.browser.test_money_page import api, findings_of, send
from tests.integration.test_money_credit_to_check import PROSE
from tests.pdfs import make_pdf


def test_mark_checked_on_the_money_page_takes_the_credit_flag_off(served, sign_in, tmp_path):
    from selenium.webdriver.common.by import By

    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex

    path = tmp_path / "msa-prose.pdf"
    path.write_bytes(make_pdf(PROSE))
    with served.lock:
        served.cloud.upload(path, {"team": TEAM, "owner": USER, "time-zone": "Europe/London"})
        served.cloud.pump()
    contract_id = contract_id_for(sha256_hex(path.read_bytes()))
    send(served, "metrics", contract_id, "october.csv", "period,metric,value\n2026-10,availability,98.5\n")
    wait_until(lambda: findings_of(served, contract_id)["items"], "the breach's finding")
    [flag] = [a for a in api(served, f"/contracts/{contract_id}")["attention"] if a["kind"] == "credit_to_check"]

    browser = sign_in()
    browser.get(f"{served.url}/app/money.html")
    loaded(browser, "money")
    selector = f'#findings tr[data-finding="{flag["finding_id"]}"][data-contract="{contract_id}"]'
    row = browser.find_element(By.CSS_SELECTOR, selector)
    assert "to check by hand: " in row.text and "no window to claim it was read" in row.text
    row.find_element(By.CSS_SELECTOR, "input.check-note").send_keys("5% of the fee, claimed by letter")
    # a decimal comma: said, nothing recorded (was: recorded as EUR 50000.00)
    claimed = row.find_element(By.CSS_SELECTOR, "input.check-claimed")
    claimed.send_keys("EUR 500,00")
    row.find_element(By.CSS_SELECTOR, "button.act-checked").click()
    wait_until(lambda: "groups of three" in browser.find_element(By.ID, "status").text, "the amount refused")
    assert "error" in browser.find_element(By.ID, "status").get_attribute("class")
    assert [f["credit_checked"] for f in findings_of(served, contract_id)["items"]] == [None]
    row = browser.find_element(By.CSS_SELECTOR, selector)
    claimed = row.find_element(By.CSS_SELECTOR, "input.check-claimed")
    claimed.clear()
    claimed.send_keys("GBP 500.00")
    screenshot(browser, "money-credit-to-check")
    row.find_element(By.CSS_SELECTOR, "button.act-checked").click()
    said = f"checked by {USER} on 2026-11-25: 5% of the fee, claimed by letter (claimed GBP 500.00)"
    wait_until(lambda: said in browser.find_element(By.CSS_SELECTOR, selector).text, "the check on the row")
    row = browser.find_element(By.CSS_SELECTOR, selector)
    assert row.text.count(said) == 1 and row.find_elements(By.CSS_SELECTOR, ".credit-to-check") == []
    assert row.find_elements(By.CSS_SELECTOR, "button.act-checked") == []
    assert not [a for a in api(served, f"/contracts/{contract_id}")["attention"] if a["kind"] == "credit_to_check"]
