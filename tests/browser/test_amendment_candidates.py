"""Needs attention offers a waiting amendment's candidates first (the API's, each with why), in an
optgroup "Candidates" above the team's other contracts, and preselects the one candidate when there is
exactly one; nothing is applied until a person clicks Apply."""

from __future__ import annotations

import json
import urllib.request

from clausewatch import clock
from tests.browser.conftest import DEMO_TODAY, TEAM, loaded, screenshot, token_for, wait_until
from tests.integration.api_support import contract_text
from tests.pdfs import make_pdf


def api(served, path: str) -> dict:
    request = urllib.request.Request(f"{served.url}{path}",
                                     headers={"Authorization": f"Bearer {token_for(served, TEAM)}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _upload_text(served, name: str, text: str) -> str:
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex

    path = served.state_dir / name
    path.write_bytes(make_pdf(text))
    with served.lock:
        clock.set_now(DEMO_TODAY)
        served.cloud.upload(path, {"team": TEAM, "owner": "dana.kowalski@example.com"})
        served.cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def _groups(select) -> dict[str, list[tuple[str, str, str]]]:
    """The select's options by optgroup label: (value, text, title)."""
    from selenium.webdriver.common.by import By

    return {group.get_attribute("label"): [(o.get_attribute("value"), o.text, o.get_attribute("title"))
                                           for o in group.find_elements(By.TAG_NAME, "option")]
            for group in select.find_elements(By.TAG_NAME, "optgroup")}


def _row(browser, contract_id: str):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, f"#amendments tr[data-contract='{contract_id}']")


def test_a_waiting_amendments_candidates_are_offered_first(served, sign_in):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    # two Master Services Agreements effective March 1, 2025 and an amendment of "the Master Services
    # Agreement dated March 1, 2025": both are candidates, neither preselected
    beacon = _upload_text(served, "beacon-msa.pdf", contract_text("Beacon Analytics LLC", effective="March 1, 2025",
                                                                  expires="February 28, 2027"))
    cobalt = _upload_text(served, "cobalt-msa.pdf", contract_text("Cobalt Logistics Inc.", effective="March 1, 2025",
                                                                  expires="February 28, 2027"))
    ambiguous = _upload_text(served, "amendment-1-msa.pdf", (
        "AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered into "
        "as of September 15, 2026 by and between the Provider and Meridian Foods Inc.\nRECITALS\nA. The parties "
        "are parties to that certain Master Services Agreement dated March 1, 2025.\n1. Customer shall pay each "
        "invoice within forty-five (45) days of receipt.\n"))
    offered = {c["value"]: c["why"] for c in api(served, f"/contracts/{ambiguous}")["attention"][0]["candidates"]}
    assert set(offered) == {beacon, cobalt}
    # an amendment of the "Services Agreement" of the day the team's NDA was made: the NDA, which names
    # itself another agreement, is its one candidate
    nda = served.ids["mutual-nda.pdf"]
    one = _upload_text(served, "amendment-2-services.pdf", (
        "AMENDMENT NO. 2 TO SERVICES AGREEMENT\nThis Amendment No. 2 (this \"Amendment\") is entered into as of "
        "October 1, 2026 by and between Northwind Traders, Inc. and Redfern Materials Corporation.\nRECITALS\n"
        "A. The parties are parties to that certain Services Agreement dated February 20, 2025.\n1. Buyer shall "
        "pay each invoice within sixty (60) days of receipt.\n"))
    [only] = api(served, f"/contracts/{one}")["attention"][0]["candidates"]
    assert only["value"] == nda

    browser = sign_in()
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    select = _row(browser, ambiguous).find_element(By.CSS_SELECTOR, "select")
    groups = _groups(select)
    assert list(groups) == ["Candidates", "Other contracts"]
    assert {value: title for value, _, title in groups["Candidates"]} == offered
    for _, text, title in groups["Candidates"]:
        assert text.endswith(f" — {title}")
    others = [value for value, _, _ in groups["Other contracts"]]
    assert nda in others and beacon not in others and cobalt not in others and ambiguous not in others
    # the first option is the prompt, then the candidates
    options = [o.get_attribute("value") for o in Select(select).options]
    assert options[0] == "" and set(options[1:3]) == {beacon, cobalt}
    assert Select(select).first_selected_option.get_attribute("value") == ""  # two: none chosen for the person
    ambiguous_row = _row(browser, ambiguous)
    assert ambiguous_row.find_element(By.CSS_SELECTOR, ".candidate-why").text == ""
    Select(select).select_by_value(cobalt)  # the why of the one chosen, in full under the choice
    assert ambiguous_row.find_element(By.CSS_SELECTOR, ".candidate-why").text == offered[cobalt]
    Select(select).select_by_value("")

    row = _row(browser, one)
    select = row.find_element(By.CSS_SELECTOR, "select")
    assert [value for value, _, _ in _groups(select)["Candidates"]] == [nda]
    assert Select(select).first_selected_option.get_attribute("value") == nda  # the one candidate, preselected
    assert row.find_element(By.CSS_SELECTOR, ".candidate-why").text == only["why"]
    screenshot(browser, "attention-amendment-candidates")
    # the long whys do not make the page wider than the window
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    assert api(served, f"/contracts/{one}")["amends_contract_id"] is None  # not applied until Apply
    row.find_element(By.CSS_SELECTOR, "button.apply").click()
    wait_until(lambda: row.get_attribute("data-amends") == nda, "the amendment to be applied to its candidate")
    assert api(served, f"/contracts/{nda}")["amended_by"] == [one]

    # Apply on the ambiguous one with no choice: nothing is sent
    row = _row(browser, ambiguous)
    row.find_element(By.CSS_SELECTOR, "button.apply").click()
    wait_until(lambda: "Choose the contract" in browser.find_element(By.ID, "status").text,
               "the page to ask for a choice")
    assert api(served, f"/contracts/{ambiguous}")["amends_contract_id"] is None


def test_an_amendment_in_an_order_not_known_is_confirmed_on_needs_attention(served, sign_in):
    """Amendment No. 1 and one with no number and no signing date, applied to one agreement: Needs
    attention lists the flag with its reason and the amendment; "The order filed is right" clears it
    (POST .../amendment-checked), and the contract is no longer flagged."""
    from selenium.webdriver.common.by import By

    msa = _upload_text(served, "delta-msa.pdf", contract_text("Delta Freight GmbH", effective="April 7, 2025",
                                                              expires="April 6, 2028"))
    recital = "A. The parties are parties to that certain Master Services Agreement dated April 7, 2025.\n"
    _upload_text(served, "delta-amendment-1.pdf", (
        "AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered into "
        "as of September 15, 2026 by and between the Provider and Delta Freight GmbH.\nRECITALS\n" + recital
        + "1. Customer shall pay each invoice within forty-five (45) days of receipt.\n"))
    undated = _upload_text(served, "delta-amendment.pdf", (
        "AMENDMENT TO MASTER SERVICES AGREEMENT\nThis Amendment (this \"Amendment\") is entered into by and "
        "between the Provider and Delta Freight GmbH.\nRECITALS\n" + recital
        + "1. Customer shall pay each invoice within sixty (60) days of receipt.\n"))
    flags = [a for a in api(served, f"/contracts/{msa}")["attention"] if a["kind"] == "amendment_order_unknown"]
    assert [a["amendment_id"] for a in flags] == [undated]

    browser = sign_in()
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    row = browser.find_element(By.CSS_SELECTOR, f"#order-unknown tr[data-amendment='{undated}']")
    assert row.get_attribute("data-contract") == msa
    assert "delta-amendment.pdf has no number and no signing date" in row.text and "delta-amendment-1.pdf" in row.text
    row.find_element(By.CSS_SELECTOR, "button.order-filed").click()
    wait_until(lambda: row.get_attribute("data-settled"), "the order filed to be confirmed")
    assert row.get_attribute("data-settled") == "confirmed: made in the order filed"
    assert not [a for a in api(served, f"/contracts/{msa}")["attention"] if a["kind"] == "amendment_order_unknown"]
    screenshot(browser, "attention-order-unknown")
