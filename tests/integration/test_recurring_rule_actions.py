"""A recurring duty's rule (no day of its own: its occurrences ``<rule>@<day>`` are dated) is not
done or acknowledged, only waived (the duty ends) or handed on: marked done by hand it stopped
every later occurrence as if the duty had ended, with no day and no word of it (hobl's finding,
2026-12-07); the pages were offered all four actions for it."""

from __future__ import annotations

import pytest

from clausewatch import clock
from clausewatch.api import views
from clausewatch.pipeline import actions
from clausewatch.schema import ObligationStatus
from clausewatch.store import repository as repo
from tests.integration.test_renewal_workflow import SAAS, SAAS_ID, TODAY
from tests.paths import SAMPLES, sample_metadata

OWNER = "priya.raman@example.com"


def test_a_recurring_rule_is_waived_or_handed_on_never_done_or_acknowledged(cloud):
    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    obligations = repo.obligations(SAAS_ID, consistent=True)
    [rule] = [o for o in obligations if o.recurrence and not o.due]
    occurrences = [o for o in obligations if o.obligation_id.startswith(f"{rule.obligation_id}@")]
    assert occurrences and all(o.status == ObligationStatus.OPEN for o in occurrences)
    for act, made in ((actions.complete_obligation, "done"), (actions.acknowledge_obligation, "acknowledged")):
        with pytest.raises(actions.Conflict) as refused:
            act(SAAS_ID, rule.obligation_id, actor=OWNER)
        assert f"each occurrence ({rule.obligation_id}@<day>) is {made} on its own" in str(refused.value)
        assert "waive the rule" in str(refused.value)
    assert repo.get_obligation(SAAS_ID, rule.obligation_id).status == ObligationStatus.OPEN
    everything = ["complete", "acknowledge", "waive", "reassign"]
    contract = repo.get_contract(SAAS_ID)
    assert views.obligation(rule, contract, everything).caller_may == ["waive", "reassign"]
    assert views.obligation(occurrences[0], contract, everything).caller_may == everything
    # an occurrence is done as any obligation; the rule waived ends the duty, its open occurrences stay
    actions.complete_obligation(SAAS_ID, occurrences[0].obligation_id, actor=OWNER)
    actions.waive_obligation(SAAS_ID, rule.obligation_id, actor=OWNER, reason="no more monthly reports")
    cloud.pump()
    after = {o.obligation_id: o.status for o in repo.obligations(SAAS_ID, consistent=True)}
    assert after[rule.obligation_id] == ObligationStatus.WAIVED
    assert after[occurrences[0].obligation_id] == ObligationStatus.DONE
    assert all(after[o.obligation_id] == ObligationStatus.OPEN for o in occurrences[1:])
