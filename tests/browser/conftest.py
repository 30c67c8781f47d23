"""The web dashboard in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver`` packages, driven by selenium; nothing is downloaded at run time) against one
`clausewatch serve` for the tests (one module), in-process on a free port, holding the demo's sample
contracts at the demo's simulated today (2026-11-25 10:00 UTC).

The samples are uploaded as the demo uploads them (its metadata, amendments last, a second
apart) but all for one team, ``legal-ops``, so one person's renewals page has several contracts
to put in order; a user of another team then must see none of them.

Without Chromium the tests skip, saying how to install it. Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clausewatch import clock
from tests.paths import REPO_ROOT, SAMPLES, sample_metadata

TEAM = "legal-ops"
OTHER_TEAM = "someone-else"
USER = "dana.kowalski@example.com"
DEMO_TODAY = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
WAIT_SECONDS = 60.0
INSTALL_HINT = ("Chromium is not installed: the browser tests need Debian's chromium and chromedriver "
                "(`sudo apt-get install -y chromium chromium-driver`); `.ci/run` installs them")


def _executables() -> tuple[str, str] | None:
    browser = os.environ.get("CLAUSEWATCH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("CLAUSEWATCH_CHROMEDRIVER") or shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def wait_until(check: Callable[[], object], what: str, seconds: float = WAIT_SECONDS) -> object:
    """Poll ``check`` until it returns something truthy (events are delivered in the background
    every 0.2 s; the browser runs on its own), or fail saying what did not happen. An element the
    page replaced between finding it and reading it (a row drawn anew) is read again at the next poll."""
    from selenium.common.exceptions import StaleElementReferenceException

    deadline = time.monotonic() + seconds
    while True:
        try:
            value = check()
        except StaleElementReferenceException:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def chromium() -> tuple[str, str]:
    found = _executables()
    if found is None:
        pytest.skip(INSTALL_HINT)
    pytest.importorskip("selenium", reason="selenium is a dev dependency: pip install -e '.[dev]'")
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory, chromium) -> Iterator:
    """`clausewatch serve` with the sample contracts processed (once per module: torn down before
    the other layers' tests, which have an embedded AWS of their own)."""
    from clausewatch.local.service import LocalService
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.store import repository as repo
    from clausewatch.text.validate import sha256_hex

    state = tmp_path_factory.mktemp("browser-state")
    lines: list[str] = []
    # reminders are not fired in the background here (the tests look at the schedules themselves)
    with LocalService(state, port=0, say=lines.append, pump_seconds=0.2, fire_seconds=10**9,
                      verbose=False) as service:
        metadata = sample_metadata()
        ids: dict[str, str] = {}
        with service.lock:
            clock.set_now(DEMO_TODAY)
            for path in sorted(SAMPLES.glob("*.pdf"), key=lambda p: ("amendment" in p.name, p.name)):
                clock.set_now(clock.now() + timedelta(seconds=1))
                service.cloud.upload(path, {**metadata.get(path.name, {}), "team": TEAM})
                service.cloud.pump()
                ids[path.name] = contract_id_for(sha256_hex(path.read_bytes()))
            assert all(repo.get_contract(i) is not None for i in ids.values())
            clock.set_now(None)
        service.ids = ids
        service.lines = lines
        yield service
    clock.set_now(None)
    assert not [line for line in lines if "failed" in line], lines


@pytest.fixture(autouse=True)
def demo_today(request):
    """Each browser test runs at the demo's simulated today (the service reads the process's clock);
    the real clock is back after it."""
    if "served" not in request.fixturenames:
        yield
        return
    served = request.getfixturevalue("served")
    with served.lock:
        clock.set_now(DEMO_TODAY)
    yield
    with served.lock:
        clock.set_now(None)


def token_for(served, team: str = TEAM, user: str = USER, role: str = "editor") -> str:
    from clausewatch.local import tokens

    return tokens.issue(tokens.load_secret(served.state_dir), team=team, user=user, role=role)


@pytest.fixture(scope="session")
def browser(chromium):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = chromium
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1500,1100", "--force-device-scale-factor=1", "--lang=en-US",
                     "--no-first-run", "--disable-extensions", "--disable-background-networking"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def sign_in(browser, served):
    """Sign the browser in as a user of a team (through /login, as `token create`'s link does);
    returns the browser on the renewals page."""

    def signed_in(team: str = TEAM, user: str = USER, role: str = "editor"):
        browser.delete_all_cookies()
        browser.get(f"{served.url}/login?token={token_for(served, team, user, role)}")
        wait_until(lambda: browser.execute_script("return document.body.dataset.loaded") == "renewals",
                   "the renewals page after signing in")
        return browser

    return signed_in


def screenshot(browser, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    browser.save_screenshot(str(path))
    return path


def loaded(browser, page: str, seconds: float = WAIT_SECONDS) -> None:
    """Wait until the page's script says it has shown what the API returned (or shows an error)."""
    def done():
        return browser.execute_script(
            "return document.body.dataset.loaded === arguments[0] || "
            "(document.getElementById('status') && document.getElementById('status').className.includes('error'))",
            page)

    wait_until(done, f"the {page} page to load", seconds)


# a synthetic contract whose term runs from an event (issue #15), for the tests that need one
EVENT_CONTRACT_TEXT = (
    "MARKETING AGREEMENT\nThis Marketing Agreement is entered into as of March 1, 2026 (the \"Effective Date\") "
    "between Acme Widgets, Inc. (\"Company\") and Blue Heron Media LLC (\"Agency\").\n1. Term. The term of this "
    "Agreement shall be five (5) years from the Launch Date. Thereafter this Agreement shall automatically renew "
    "for successive one (1) year periods unless either party gives written notice of non-renewal at least ninety "
    "(90) days prior to the end of the then-current term.\n2. Governing Law. This Agreement is governed by the laws "
    "of the State of New York.")


@pytest.fixture(scope="module")
def event_contract(served) -> str:
    """The id of a contract of the team, owned by the signed-in user, whose term runs from its
    Launch Date (uploaded into the module's `serve` after the samples)."""
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex
    from tests.pdfs import make_pdf

    path = served.state_dir / "marketing-launch.pdf"
    path.write_bytes(make_pdf(EVENT_CONTRACT_TEXT))
    with served.lock:
        clock.set_now(DEMO_TODAY)
        served.cloud.upload(path, {"team": TEAM, "owner": USER, "time-zone": "America/New_York"})
        served.cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))
