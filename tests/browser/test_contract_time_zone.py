"""The contract page's time zone, in headless Chromium against `clausewatch serve` (see conftest.py):
an editor changes it beside its value (PUT /contracts/{id}/time-zone), the page shows the contract
in the new zone and the planner's reminder schedules are all in it; an unknown zone is refused with
the API's message and nothing changes; an amendment offers no time zone control (the route answers
409). A viewer sees no control at all (test_contract_fields.py)."""

from __future__ import annotations

import pytest

from clausewatch.plan import is_schedule_of
from tests.browser.conftest import loaded, screenshot, wait_until
from tests.browser.test_contract_fields import _change, _fact, _facts, _upload, call

# sixty days' notice before 14 February 2027: the notice deadline is Wednesday 16 December 2026,
# whose reminders are inside the planner's horizon from the demo's day (25 November 2026)
TEXT = ("SERVICES AGREEMENT\nThis Services Agreement is entered into as of February 15, 2025 (the \"Effective "
        "Date\") between Acme Widgets, Inc. (\"Customer\") and Kestrel Point Services LLC (\"Provider\").\n1. Term. "
        "The initial term of this Agreement begins on the Effective Date and ends on February 14, 2027. Thereafter "
        "this Agreement shall automatically renew for successive one (1) year terms unless either party gives "
        "written notice of non-renewal at least sixty (60) days before the end of the then-current term.\n"
        "2. Governing Law. This Agreement is governed by the laws of the State of New York.")
NOTICE = "2026-12-16"


@pytest.fixture(scope="module")
def services(served) -> str:
    return _upload(served, "services-kestrel-time-zone.pdf", TEXT)


def _zones(served, contract_id: str) -> set[str]:
    with served.lock:
        return {s["ScheduleExpressionTimezone"] for s in served.cloud.schedules()
                if is_schedule_of(s["Name"], contract_id)}


def test_changing_the_time_zone_plans_the_contract_in_it_and_an_unknown_one_is_refused(served, sign_in, services):
    from selenium.webdriver.common.by import By

    assert _zones(served, services) == {"America/New_York"}
    browser = sign_in()
    browser.get(f"{served.url}/app/contract.html?id={services}")
    loaded(browser, "contract")
    assert _fact(browser, "time_zone") == "America/New_York"
    assert f"Notice deadline\n{NOTICE} (America/New_York)" in _facts(browser)
    # an unknown zone: the API's message beside the field, the value as it was
    _change(browser, "time_zone", "Mars/Olympus_Mons")
    note = browser.find_element(By.ID, "time_zone-status")
    wait_until(lambda: "error" in note.get_attribute("class"), "the refusal said")
    assert note.text.startswith("400: ") and "unknown time-zone 'Mars/Olympus_Mons'" in note.text, note.text
    assert _fact(browser, "time_zone") == "America/New_York"
    assert call(served, "GET", f"/contracts/{services}")[1]["time_zone"] == "America/New_York"
    # Tokyo: the page shows the contract anew in it, and every reminder schedule is made in it
    field = browser.find_element(By.CSS_SELECTOR, "#facts dd[data-field='time_zone'] input")
    field.clear()
    field.send_keys("Asia/Tokyo")
    browser.find_element(By.CSS_SELECTOR, "#facts button.save-time_zone").click()
    wait_until(lambda: "is now Asia/Tokyo" in browser.find_element(By.ID, "status").text, "the time zone set")
    assert _fact(browser, "time_zone") == "Asia/Tokyo"
    assert f"Notice deadline\n{NOTICE} (Asia/Tokyo)" in _facts(browser)
    assert "contract.time_zone_set" in browser.find_element(By.ID, "audit").text
    screenshot(browser, "contract-time-zone-set")
    assert call(served, "GET", f"/contracts/{services}")[1]["time_zone"] == "Asia/Tokyo"
    wait_until(lambda: _zones(served, services) == {"Asia/Tokyo"}, "the reminders planned in Tokyo")


def test_an_amendment_offers_no_time_zone_control(served, sign_in):
    from selenium.webdriver.common.by import By

    from tests.browser.test_dashboard import UNLINK_AMENDMENT_TEXT, UNLINK_CONTRACT_TEXT

    _upload(served, "services-harbor-lane-zone.pdf", UNLINK_CONTRACT_TEXT.replace("June 10", "June 12"))
    amendment = _upload(served, "amendment-harbor-lane-zone.pdf", UNLINK_AMENDMENT_TEXT.replace("June 10", "June 12"))
    status, seen = call(served, "GET", f"/contracts/{amendment}")
    assert status == 200 and seen["documents"][0]["kind"] == "amendment"
    assert "set_owner" in seen["caller_may"] and "set_time_zone" not in seen["caller_may"]
    assert call(served, "PUT", f"/contracts/{amendment}/time-zone", {"time_zone": "Asia/Tokyo"})[0] == 409
    browser = sign_in()
    browser.get(f"{served.url}/app/contract.html?id={amendment}")
    loaded(browser, "contract")
    assert browser.find_elements(By.CSS_SELECTOR, "#facts button.change-owner")
    assert _fact(browser, "time_zone") == "America/New_York"
    assert not browser.find_elements(By.CSS_SELECTOR, "#facts dd[data-field='time_zone'] button")
