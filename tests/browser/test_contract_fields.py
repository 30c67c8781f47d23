"""The contract page's own fields and an event's date cleared, in headless Chromium against
`clausewatch serve` (see conftest.py): an editor changes the owner and the jurisdiction beside their
values (PUT /contracts/{id}/owner and /jurisdiction) and the page shows the deadlines recounted; the
API's refusal is said and nothing changes; a viewer sees the values with no control; an event's
date entered by mistake is cleared once confirmed and the row is the form again."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from clausewatch import clock
from tests.browser.conftest import DEMO_TODAY, TEAM, USER, loaded, screenshot, token_for, wait_until
from tests.pdfs import make_pdf

# ten business days' notice before a term that runs five years from its Launch Date: entered as
# 1 March 2027, the term ends Sunday 29 February 2032, and the notice deadline depends on the
# calendar: Friday 13 February in New York (the governing law's; Monday 16 February is Presidents'
# Day, Thursday 12 February Lincoln's Birthday), Monday 16 February in England
BUSINESS_DAY_TEXT = (
    "MARKETING AGREEMENT\nThis Marketing Agreement is entered into as of March 1, 2026 (the \"Effective Date\") "
    "between Acme Widgets, Inc. (\"Company\") and Osprey Lane Media LLC (\"Agency\").\n1. Term. The term of this "
    "Agreement shall be five (5) years from the Launch Date. Thereafter this Agreement shall automatically renew "
    "for successive one (1) year periods unless either party gives written notice of non-renewal at least ten "
    "(10) business days prior to the end of the then-current term.\n2. Governing Law. This Agreement is governed "
    "by the laws of the State of New York.")
US_NOTICE, GB_NOTICE = "2032-02-13", "2032-02-16"


def call(served, method: str, path: str, body: object = None, role: str = "editor") -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{served.url}{path}", data=data, method=method, headers={
        "Authorization": f"Bearer {token_for(served, TEAM, USER, role)}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _upload(served, name: str, text: str) -> str:
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex

    path = served.state_dir / name
    path.write_bytes(make_pdf(text))
    with served.lock:
        clock.set_now(DEMO_TODAY)
        served.cloud.upload(path, {"team": TEAM, "owner": USER, "time-zone": "America/New_York"})
        served.cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


@pytest.fixture(scope="module")
def business_days(served) -> str:
    """The id of the business-day contract, owned by the signed-in user, its Launch Date entered."""
    contract_id = _upload(served, "marketing-business-days.pdf", BUSINESS_DAY_TEXT)
    status, entered = call(served, "POST", f"/contracts/{contract_id}/events",
                           {"event": "Launch Date", "date": "2027-03-01"})
    assert status == 200 and entered["expiration"]["value"] == "2032-02-29", entered
    assert entered["notice_deadline"] == US_NOTICE
    return contract_id


def _fact(browser, name: str) -> str | None:
    """The shown value of a fact (the text before its controls; read in one go: the facts are drawn
    anew after a change)."""
    return browser.execute_script(
        "const v = document.querySelector(`#facts dd[data-field='${arguments[0]}'] .field-value`);"
        "return v ? v.textContent : null", name)


def _facts(browser) -> str:
    return browser.execute_script("return document.getElementById('facts').innerText")


def _open(browser, served, contract_id: str) -> None:
    browser.get(f"{served.url}/app/contract.html?id={contract_id}")
    loaded(browser, "contract")


def _change(browser, name: str, value: str | None) -> None:
    """Open the field's Change control, type ``value`` and Save (None: press Clear)."""
    from selenium.webdriver.common.by import By

    facts = browser.find_element(By.ID, "facts")
    facts.find_element(By.CSS_SELECTOR, f"button.change-{name}").click()
    field = facts.find_element(By.CSS_SELECTOR, f"dd[data-field='{name}'] input")
    assert field.is_displayed() and browser.switch_to.active_element == field
    if value is None:
        facts.find_element(By.CSS_SELECTOR, f"button.clear-{name}").click()
        return
    field.clear()
    field.send_keys(value)
    facts.find_element(By.CSS_SELECTOR, f"button.save-{name}").click()


def test_a_viewer_sees_the_owner_and_jurisdiction_with_no_control(served, sign_in, business_days):
    from selenium.webdriver.common.by import By

    status, seen = call(served, "GET", f"/contracts/{business_days}", role="viewer")
    assert status == 200 and seen["caller_may"] == []
    browser = sign_in(role="viewer")
    _open(browser, served, business_days)
    assert _fact(browser, "owner") == USER and _fact(browser, "jurisdiction") == "-"
    assert f"Notice deadline\n{US_NOTICE} (America/New_York)" in _facts(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "#facts button, #facts input")
    # nor may a viewer clear the event's date
    row = browser.find_element(By.CSS_SELECTOR, "#events tr[data-event='Launch Date']")
    assert "2027-03-01 (entered by dana.kowalski@example.com)" in row.text
    assert not row.find_elements(By.CSS_SELECTOR, "button")


def test_setting_the_jurisdiction_recounts_the_notice_deadline_and_an_unknown_one_is_refused(
        served, sign_in, business_days):
    from selenium.webdriver.common.by import By

    browser = sign_in()
    _open(browser, served, business_days)
    assert _fact(browser, "jurisdiction") == "-"
    assert f"Notice deadline\n{US_NOTICE} (America/New_York)" in _facts(browser)
    # an unknown code: the API's message beside the field, the value and the deadline as they were
    _change(browser, "jurisdiction", "Narnia")
    note = browser.find_element(By.ID, "jurisdiction-status")
    wait_until(lambda: "error" in note.get_attribute("class"), "the refusal said")
    assert note.text.startswith("400: ") and "Narnia" in note.text, note.text
    assert _fact(browser, "jurisdiction") == "-"
    assert f"Notice deadline\n{US_NOTICE} (America/New_York)" in _facts(browser)
    assert call(served, "GET", f"/contracts/{business_days}")[1]["jurisdiction"] is None
    screenshot(browser, "contract-jurisdiction-refused")
    # England's calendar: the deadline moves to Monday 16 February, with its arithmetic
    field = browser.find_element(By.CSS_SELECTOR, "#facts dd[data-field='jurisdiction'] input")
    field.clear()
    field.send_keys("GB-ENG")
    browser.find_element(By.CSS_SELECTOR, "#facts button.save-jurisdiction").click()
    # (said once the page shows the contract anew)
    wait_until(lambda: "is now GB-ENG" in browser.find_element(By.ID, "status").text, "the jurisdiction set")
    assert _fact(browser, "jurisdiction") == "GB-ENG"
    assert f"Notice deadline\n{GB_NOTICE} (America/New_York)" in _facts(browser)
    notice = browser.find_element(By.CSS_SELECTOR, "#terms tr[data-term='notice_deadline']")
    assert notice.find_element(By.CSS_SELECTOR, "td.value").text.startswith(GB_NOTICE)
    assert "expiration_date 2032-02-29 - P10BD (business days, GB-ENG holidays)" in \
        notice.find_element(By.CSS_SELECTOR, ".derivation").text
    assert "contract.jurisdiction_set" in browser.find_element(By.ID, "audit").text
    screenshot(browser, "contract-jurisdiction-set")
    after = call(served, "GET", f"/contracts/{business_days}")[1]
    assert after["jurisdiction"] == "GB-ENG" and after["notice_deadline"] == GB_NOTICE
    # cleared: the governing law's calendar (New York) counts again
    _change(browser, "jurisdiction", None)
    wait_until(lambda: "is cleared" in browser.find_element(By.ID, "status").text, "the jurisdiction cleared")
    assert _fact(browser, "jurisdiction") == "-"
    assert f"Notice deadline\n{US_NOTICE} (America/New_York)" in _facts(browser)
    assert "US-NY holidays" in browser.find_element(
        By.CSS_SELECTOR, "#terms tr[data-term='notice_deadline'] .derivation").text
    # nothing set: nothing to clear
    assert not browser.find_elements(By.CSS_SELECTOR, "#facts button.clear-jurisdiction")
    after = call(served, "GET", f"/contracts/{business_days}")[1]
    assert after["jurisdiction"] is None and after["notice_deadline"] == US_NOTICE


def test_an_amendment_offers_no_jurisdiction_control(served, sign_in):
    """The jurisdiction route answers 409 for an amendment (counted on its contract's calendar): its
    page offers the owner's control only."""
    from selenium.webdriver.common.by import By

    from tests.browser.test_dashboard import UNLINK_AMENDMENT_TEXT, UNLINK_CONTRACT_TEXT

    _upload(served, "services-harbor-lane-fields.pdf", UNLINK_CONTRACT_TEXT.replace("June 10", "June 11"))
    amendment = _upload(served, "amendment-harbor-lane-fields.pdf", UNLINK_AMENDMENT_TEXT.replace("June 10", "June 11"))
    status, seen = call(served, "GET", f"/contracts/{amendment}")
    assert status == 200 and seen["documents"][0]["kind"] == "amendment"
    assert "set_owner" in seen["caller_may"] and "set_jurisdiction" not in seen["caller_may"]
    assert call(served, "PUT", f"/contracts/{amendment}/jurisdiction", {"jurisdiction": "GB-ENG"})[0] == 409
    browser = sign_in()
    _open(browser, served, amendment)
    assert browser.find_elements(By.CSS_SELECTOR, "#facts button.change-owner")
    assert not browser.find_elements(By.CSS_SELECTOR, "#facts dd[data-field='jurisdiction'] button")


def test_changing_the_owner_is_checked_and_the_page_follows_it(served, sign_in, business_days):
    from selenium.webdriver.common.by import By

    browser = sign_in()
    _open(browser, served, business_days)
    row = browser.find_element(By.CSS_SELECTOR, "#events tr[data-event='Launch Date']")
    assert row.find_elements(By.CSS_SELECTOR, "button.clear-event")  # the owner may clear its date
    _change(browser, "owner", "not an email")
    note = browser.find_element(By.ID, "owner-status")
    wait_until(lambda: "error" in note.get_attribute("class"), "the refusal said")
    assert note.text.startswith("400: "), note.text
    assert _fact(browser, "owner") == USER
    # another editor's: the page shows the new owner, and the event's date is now theirs to clear
    # (the caller, an editor no longer its owner, is offered no Clear)
    field = browser.find_element(By.CSS_SELECTOR, "#facts dd[data-field='owner'] input")
    field.clear()
    field.send_keys("eli@example.com")
    field.send_keys("\n")  # Enter saves, as the button does
    wait_until(lambda: "now owned by eli@example.com" in browser.find_element(By.ID, "status").text, "the new owner")
    assert _fact(browser, "owner") == "eli@example.com"
    row = browser.find_element(By.CSS_SELECTOR, "#events tr[data-event='Launch Date']")
    assert "2027-03-01" in row.text and not row.find_elements(By.CSS_SELECTOR, "button")
    assert call(served, "GET", f"/contracts/{business_days}")[1]["owner"] == "eli@example.com"
    # and back (the other tests' owner)
    _change(browser, "owner", USER)
    wait_until(lambda: f"now owned by {USER}" in browser.find_element(By.ID, "status").text, "the owner back")
    assert _fact(browser, "owner") == USER
    assert browser.find_elements(By.CSS_SELECTOR, "#events tr[data-event='Launch Date'] button.clear-event")


def test_an_event_date_is_cleared_once_confirmed_and_the_row_is_the_form_again(served, sign_in, event_contract):
    from selenium.webdriver.common.by import By

    status, entered = call(served, "POST", f"/contracts/{event_contract}/events",
                           {"event": "Launch Date", "date": "2027-03-01"})
    assert status == 200 and entered["expiration"]["value"] == "2032-02-29"
    browser = sign_in()
    _open(browser, served, event_contract)
    assert "Term ends\n2032-02-29 (America/New_York)" in _facts(browser)
    row = browser.find_element(By.CSS_SELECTOR, "#events tr[data-event='Launch Date']")
    ask = row.find_element(By.CSS_SELECTOR, "button.clear-event")
    sure, cancel = row.find_element(By.CSS_SELECTOR, "button.confirm-clear"), row.find_element(By.CSS_SELECTOR, "button.cancel-clear")
    assert not sure.is_displayed()
    ask.click()  # asked to confirm; cancelled: nothing changes
    assert sure.is_displayed() and "The expiration and the deadlines counted from it are withdrawn" in row.text
    cancel.click()
    assert ask.is_displayed() and not sure.is_displayed()
    assert call(served, "GET", f"/contracts/{event_contract}")[1]["expiration"] == "2032-02-29"
    ask.click()
    screenshot(browser, "contract-event-clear-confirm")
    sure.click()
    # the row waits for the event again, with the form to enter its date
    waiting = wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "#events tr.waiting[data-event='Launch Date']"),
                         "the row waiting again")[0]
    assert waiting.find_element(By.CSS_SELECTOR, "input[type=date]").is_displayed()
    assert waiting.find_element(By.CSS_SELECTOR, "button.enter-event").is_displayed()
    wait_until(lambda: "Term ends\n-" in _facts(browser), "the expiration gone from the facts")
    assert "Notice deadline\n-" in _facts(browser)
    assert "The date of Launch Date" in browser.find_element(By.ID, "status").text
    # (the obligations are drawn after the facts)
    wait_until(lambda: not {"expiration", "notice_deadline"} & set(browser.execute_script(
        "return [...document.querySelectorAll('#obligations tbody tr')].map((r) => r.dataset.obligation)")),
        "the deadlines counted from the date withdrawn")
    screenshot(browser, "contract-event-cleared")
    after = call(served, "GET", f"/contracts/{event_contract}")[1]
    assert after["expiration"] is None and after["notice_deadline"] is None
    # entered again from the form, it may be cleared again from the same row
    browser.execute_script("arguments[0].value = '2027-04-01'", waiting.find_element(By.CSS_SELECTOR, "input[type=date]"))
    waiting.find_element(By.CSS_SELECTOR, "button.enter-event").click()
    wait_until(lambda: waiting.get_attribute("data-expiration") == "2032-03-31", "the expiration from the new date")
    assert waiting.find_elements(By.CSS_SELECTOR, "button.clear-event")
