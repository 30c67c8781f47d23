"""Needs attention lists a recurring duty's rule a person marked done before 2026-12-07 (the upgrade
flags it, leaving it done) with a Reopen button beside a Waive button: Reopen opens the rule again
(the occurrences owed meanwhile made, overdue, its next occurrence planned from today) and the flag
goes; once the contract has ended, Reopen is refused and no longer offered."""

from __future__ import annotations

from datetime import datetime, timedelta

from clausewatch import clock
from clausewatch.schema import ObligationStatus
from tests.browser.conftest import DEMO_TODAY, TEAM, USER, loaded, screenshot, wait_until

SAAS = "saas-subscription-northwind.pdf"


def _flag_the_saas_rule(served, at: datetime = DEMO_TODAY) -> tuple[str, str]:
    """The SaaS sample's monthly report rule, marked done by hand as an older version did (the status
    write and its audit line) on ``at`` (each test of the module later than the one before: the
    trail's order), then the upgrade's flagging."""
    from clausewatch.pipeline.rules_marked_done import flag_rules_marked_done
    from clausewatch.store import repository as repo

    contract_id = served.ids[SAAS]
    with served.lock:
        clock.set_now(at)
        # the sample's (a test before may have added "<rule>-q", a second duty)
        rule = min((o for o in repo.obligations(contract_id, consistent=True) if o.recurrence and not o.due),
                   key=lambda o: o.obligation_id)
        if rule.status != ObligationStatus.DONE:  # left done by the test before
            repo.set_obligation_status(contract_id, rule.obligation_id, ObligationStatus.DONE, team=TEAM,
                                       actor=USER, reason="report set up", expected=ObligationStatus.OPEN)
        flagged, failed = flag_rules_marked_done()
        served.cloud.pump()
    assert [f.rule_id for f in flagged] == [rule.obligation_id] and failed == 0
    return contract_id, rule.obligation_id


def test_reopen_on_needs_attention_opens_the_rule_and_drops_its_flag(served, sign_in):
    from selenium.webdriver.common.by import By

    from clausewatch.store import repository as repo

    contract_id, rule_id = _flag_the_saas_rule(served)
    with served.lock:  # reopened a hundred days later: December's and January's reports were owed meanwhile
        clock.set_now(DEMO_TODAY + timedelta(days=100))
    browser = sign_in()
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    [row] = browser.find_elements(By.CSS_SELECTOR, f'#rules-done tr[data-obligation="{rule_id}"]')
    assert row.get_attribute("data-contract") == contract_id
    assert USER in row.text and "report set up" in row.text and "if it ended, waive it" in row.text
    buttons = [b.text for b in row.find_elements(By.CSS_SELECTOR, "button")]
    assert buttons == ["Reopen", "Waive"]
    screenshot(browser, "attention-rule-marked-done")

    row.find_element(By.CSS_SELECTOR, "button.reopen-rule").click()
    wait_until(lambda: row.get_attribute("data-settled"), "the rule to be reopened")
    assert "reopened: 2 overdue occurrences owed meanwhile made (2027-01-15, 2027-02-16)" in row.text
    assert "the next planned from today" in row.text
    with served.lock:
        served.cloud.pump()
        rule = repo.get_obligation(contract_id, rule_id)
        next_ones = [o for o in repo.obligations(contract_id, consistent=True)
                     if o.obligation_id.startswith(f"{rule_id}@") and o.status == ObligationStatus.OPEN]
    assert rule.status == ObligationStatus.OPEN and rule.resolved_by is None
    assert {f"{rule_id}@2027-01-15", f"{rule_id}@2027-02-16"} <= {o.obligation_id for o in next_ones}
    assert any(o.due >= "2027-03-05" for o in next_ones), "its next occurrence is planned"
    browser.get(f"{served.url}/app/attention.html")  # drawn again: the flag is gone
    loaded(browser, "attention")
    assert browser.find_elements(By.CSS_SELECTOR, "#rules-done tbody tr") == []


def test_two_flagged_duties_are_named_apart_and_enter_in_the_reason_waives(served, sign_in):
    """Each row's Reopen and Waive buttons and its reason field name the duty (two flagged rules on one
    contract are told apart by ear too); Enter in the reason presses Waive; the count reads properly."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from clausewatch.pipeline.rules_marked_done import flag_rules_marked_done
    from clausewatch.store import repository as repo

    contract_id, rule_id = _flag_the_saas_rule(served, DEMO_TODAY + timedelta(days=101))
    with served.lock:  # a second recurring duty on the same contract, marked done by hand, flagged
        other, other_id = repo.get_obligation(contract_id, rule_id), f"{rule_id}-q"
        other.sk, other.obligation_id, other.summary = other.sk.replace(rule_id, other_id), other_id, "Quarterly review"
        other.status = ObligationStatus.OPEN.value
        other.attribute_values.pop("version", None)  # a new item
        other.resolved_by = other.resolved_at = other.resolution_note = None
        other.save()
        repo.set_obligation_status(contract_id, other_id, ObligationStatus.DONE, team=TEAM, actor=USER,
                                   reason="set up", expected=ObligationStatus.OPEN)
        flagged, _ = flag_rules_marked_done()
        served.cloud.pump()
    assert sorted(f.rule_id for f in flagged) == [rule_id, other_id]
    browser = sign_in()
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    rows = browser.find_elements(By.CSS_SELECTOR, "#rules-done tbody tr")
    labels = [[c.get_attribute("aria-label") for c in r.find_elements(By.CSS_SELECTOR, "button, input")] for r in rows]
    assert len(rows) == 2 and labels[0] != labels[1]
    [quarterly] = [r for r, said in zip(rows, labels, strict=True) if any("Quarterly review" in s for s in said)]
    assert [s.split(" the duty ")[0] for s in labels[rows.index(quarterly)]] == ["Reopen", "Reason for waiving",
                                                                                  "Waive"]
    assert "2 recurring duties' rules marked done" in browser.find_element(By.ID, "status").text
    reason = quarterly.find_element(By.CSS_SELECTOR, "input")
    reason.send_keys("the review was dropped", Keys.ENTER)
    wait_until(lambda: quarterly.get_attribute("data-settled"), "the duty to be waived")
    with served.lock:
        assert repo.get_obligation(contract_id, other_id).status == ObligationStatus.WAIVED
        assert repo.get_obligation(contract_id, rule_id).status == ObligationStatus.DONE


def test_reopen_of_a_contract_that_ended_since_it_was_flagged_is_no_longer_offered(served, sign_in):
    """(Last: the contract stays ended.) The contract ended after the flag was put on: a Reopen pressed on the page drawn before answers
    that it ended (the flag is taken off), and the page drawn again no longer offers it."""
    from selenium.webdriver.common.by import By

    from clausewatch.renewal import store as renewals
    from clausewatch.schema import RenewalState
    from clausewatch.store import repository as repo

    contract_id, rule_id = _flag_the_saas_rule(served, DEMO_TODAY + timedelta(days=102))  # 2027-03-07
    browser = sign_in()
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    [row] = browser.find_elements(By.CSS_SELECTOR, f'#rules-done tr[data-obligation="{rule_id}"]')
    with served.lock:  # its term lapsed on 2027-03-10; a week later
        record = renewals.ensure(contract_id, "2027-03-10", execution_arn=None)
        renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
        clock.set_now(DEMO_TODAY + timedelta(days=112))
    row.find_element(By.CSS_SELECTOR, "button.reopen-rule").click()
    wait_until(lambda: row.get_attribute("data-settled"), "the reopen to be refused")
    assert "nothing to plan: the contract ended on 2027-03-10" in row.text
    assert row.find_elements(By.CSS_SELECTOR, "button") == []
    with served.lock:
        assert repo.get_obligation(contract_id, rule_id).status == ObligationStatus.DONE
    browser.get(f"{served.url}/app/attention.html")
    loaded(browser, "attention")
    assert browser.find_elements(By.CSS_SELECTOR, f'#rules-done tr[data-obligation="{rule_id}"]') == []
