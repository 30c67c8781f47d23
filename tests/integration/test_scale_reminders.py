"""Issue #11 part 3 on the embedded default: the rolling horizon, the daily sweep driven by GSI5 in
pages through the sweep queue (no scan), and "already sent" as keyed SENT# items."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from clausewatch import clock, config, schema
from clausewatch.aws.clients import client
from clausewatch.local.handlers import invoke
from clausewatch.pipeline import sweep as sweep_module
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.schema import ContractStatus
from clausewatch.store import repository as repo
from clausewatch.store import work
from clausewatch.store.models import ContractItem, ReminderSentItem
from clausewatch.text.validate import sha256_hex
from tests.paths import SAMPLES, sample_metadata

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
CONTRACTS = ("saas-subscription-northwind.pdf", "supply-agreement-autorenew.pdf",
             "services-agreement-fixed-dates.pdf", "mutual-nda.pdf", "uk-software-licence.pdf")


# the year-long comparison: a monthly duty that rolls, reminders inside and past the window, an
# auto-renewing term whose deadlines roll (two contracts keep a simulated year in minutes)
YEAR_CONTRACTS = ("saas-subscription-northwind.pdf", "supply-agreement-autorenew.pdf")


def upload_all(cloud, names: tuple[str, ...] = CONTRACTS) -> list[str]:
    ids = []
    for name in names:
        cloud.upload(SAMPLES / name, sample_metadata().get(name, {}))
        ids.append(contract_id_for(sha256_hex((SAMPLES / name).read_bytes())))
    cloud.pump()
    assert all(repo.get_contract(i).status == ContractStatus.EXTRACTED for i in ids)
    return ids


@pytest.fixture(scope="module")
def uploaded_saved(save_cloud):
    """Five sample contracts through the whole pipeline at NOW (default horizon), built once."""

    def build(cloud):
        clock.set_now(NOW)
        return upload_all(cloud)

    return save_cloud(build)


@pytest.fixture(scope="module")
def year_saved(save_cloud):
    def build(cloud):
        clock.set_now(NOW)
        return upload_all(cloud, YEAR_CONTRACTS)

    return save_cloud(build)


@pytest.fixture
def ids(cloud, uploaded_saved) -> list[str]:
    """The five contracts' ids on a cloud holding exactly the saved state, the clock at NOW."""
    return uploaded_saved.restore(cloud)


def reminder_schedules(cloud) -> list[dict]:
    return [s for s in cloud.schedules() if s["Name"].startswith("cw-")]


def a_year(cloud, saved, monkeypatch, horizon_days: int) -> tuple[list[tuple], int, int]:
    """Every reminder fired over a year from NOW (``cloud.fire_until``, what `clausewatch tick`
    drives), the live reminder schedules after planning at NOW, and the emails SES accepted."""
    from clausewatch.config import Settings
    from clausewatch.pipeline.reminders import sync_reminders

    monkeypatch.setenv(config.ENV_REMINDER_HORIZON_DAYS, str(horizon_days))
    cloud.reset()
    for contract_id in saved.restore(cloud):  # planned again at NOW under this horizon
        sync_reminders(Settings.from_env(), contract_id, NOW)
    cloud.pump()
    live = len(reminder_schedules(cloud))
    fired = cloud.fire_until(NOW + timedelta(days=365))
    outcome = [(f.at.date(), f.name, f.payload["lead_days"], f.payload["immediate"], f.result["sent"],
                tuple(f.result.get("to") or ()), tuple(f.result.get("cc") or ()), f.result.get("reason"))
               for f in fired]
    return outcome, live, len(cloud.sent_mail())


def test_a_year_of_ticks_sends_exactly_the_reminders_of_planning_everything_at_once(cloud, year_saved,
                                                                                     monkeypatch):
    # a horizon longer than any deadline is the old planner: every reminder a schedule at once
    everything, live_everything, mail_everything = a_year(cloud, year_saved, monkeypatch, 100_000)
    rolling, live_rolling, mail_rolling = a_year(cloud, year_saved, monkeypatch, config.REMINDER_HORIZON_DAYS)
    assert rolling == everything  # same reminders, same days, same recipients, same outcome
    # every email of the year (reminders and the renewal workflow's) the same in number
    assert mail_rolling == mail_everything >= sum(1 for f in rolling if f[4]) >= 10
    # ... including reminders that were past the window at NOW (scheduled later by the sweep)
    assert any(f[0] > (NOW + timedelta(days=config.REMINDER_HORIZON_DAYS + 1)).date() and f[4] for f in rolling)
    assert live_rolling < live_everything  # fewer live schedules: only the next 35 days'


def test_reminders_past_the_horizon_are_planned_data_not_schedules(cloud, ids):
    end = NOW + timedelta(days=config.REMINDER_HORIZON_DAYS)
    assert reminder_schedules(cloud) and all(s["fire_at"] <= end for s in reminder_schedules(cloud))
    later = [c for c in (repo.get_contract(i) for i in ids) if c.next_planning]
    assert later, "some contract has reminders beyond the window"
    for contract in later:
        assert contract.gsi5pk == schema.plan_pk(schema.work_shard(contract.contract_id))
        assert contract.gsi5sk == f"{contract.next_planning}#{contract.contract_id}"
        assert "horizon" in contract.next_planning_derivation or "re-planned" in contract.next_planning_derivation
    # the obligations (dates with their arithmetic) are all still there for the API and the CLI
    obligations = [o for i in ids for o in repo.obligations(i) if o.due]
    assert any(date.fromisoformat(o.due) > end.date() + timedelta(days=30) for o in obligations)
    assert all(o.derivation for o in obligations)


def test_the_sweep_fans_due_pages_out_through_the_queue_and_each_page_is_bounded(cloud, ids, monkeypatch):
    monkeypatch.setenv(config.ENV_SWEEP_PAGE_SIZE, "1")
    day = work.earliest_planning_day()
    clock.set_now(datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=5))
    due = {i for i in ids if (repo.get_contract(i).next_planning or "9999") <= day.isoformat()}
    assert due
    pages: list[dict] = []
    real_run_page = sweep_module.run_page

    def spy(settings, message, **kwargs):
        result = real_run_page(settings, message, **kwargs)
        pages.append({"message": message, "replanned": result.replanned})
        return result

    monkeypatch.setattr(sweep_module, "run_page", spy)
    # the daily rule's invocation only sends one message per shard: it re-plans nothing itself
    before = {i: repo.get_contract(i).version for i in ids}
    result = invoke("planner", {"sweep": True})
    assert result["sweep_messages"] == schema.WORK_SHARDS and pages == []
    assert {i: repo.get_contract(i).version for i in ids} == before
    url = client("sqs").get_queue_url(QueueName=config.SWEEP_QUEUE)["QueueUrl"]
    attrs = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    assert int(attrs["Attributes"]["ApproximateNumberOfMessages"]) == schema.WORK_SHARDS
    cloud.pump()
    assert all(len(p["replanned"]) <= 1 for p in pages)  # page size 1: one contract per invocation
    assert {c for p in pages for c in p["replanned"]} == due
    assert any("start" in p["message"][sweep_module.SWEEP_PAGE] for p in pages) or len(due) == 1
    for contract_id in due:  # each moved past today, with its schedules extended
        assert (repo.get_contract(contract_id).next_planning or "9999") > day.isoformat()


def test_a_page_with_a_failing_contract_is_retried_then_dead_lettered_and_the_rest_go_on(cloud, ids,
                                                                                        monkeypatch):
    day = work.earliest_planning_day()
    clock.set_now(datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=5))
    due = sorted(i for i in ids if (repo.get_contract(i).next_planning or "9999") <= day.isoformat())
    broken = due[0]
    from clausewatch.pipeline import reminders

    real_sync = reminders.sync_reminders

    def sync(settings, contract_id, *args, **kwargs):
        if contract_id == broken:
            raise RuntimeError("boom")
        return real_sync(settings, contract_id, *args, **kwargs)

    monkeypatch.setattr(reminders, "sync_reminders", sync)
    invoke("planner", {"sweep": True})
    cloud.pump()
    assert repo.get_contract(broken).next_planning == day.isoformat()  # still due: tomorrow again
    dlq = client("sqs").get_queue_url(QueueName=config.SWEEP_DLQ)["QueueUrl"]
    dead = client("sqs").receive_message(QueueUrl=dlq, MaxNumberOfMessages=10).get("Messages", [])
    assert [json.loads(m["Body"])[sweep_module.SWEEP_PAGE]["shard"] for m in dead] == [schema.work_shard(broken)]
    for contract_id in due[1:]:
        assert repo.get_contract(contract_id).next_planning > day.isoformat()


def test_the_sweep_and_the_recovery_read_no_contract_by_scan(cloud, ids, monkeypatch):

    def no_scan(*args, **kwargs):
        raise AssertionError("a table scan on the sweep path")

    monkeypatch.setattr(ContractItem, "scan", no_scan)
    monkeypatch.setattr(repo, "list_contracts", no_scan)
    clock.set_now(NOW + timedelta(days=40))
    invoke("planner", {"sweep": True})
    cloud.pump()
    assert not cloud.failures


def test_non_final_contracts_are_indexed_for_the_recovery_and_final_ones_are_not(cloud, ids):
    contract_id = ids[0]
    contract = repo.get_contract(contract_id)
    assert not (contract.gsi5pk or "").startswith(schema.PENDING_PREFIX)
    contract = repo.update_contract(contract, actor="test", status=ContractStatus.TEXT_PENDING, reason="t")
    assert contract.gsi5pk == schema.pending_pk(schema.work_shard(contract_id))
    later = clock.iso(NOW + timedelta(hours=3)) + "$"
    assert [c.contract_id for c in work.pending_since(later)] == [contract_id]
    assert list(work.pending_since(clock.iso(NOW - timedelta(hours=1)) + "$")) == []
    repo.update_contract(repo.get_contract(contract_id), actor="test", status=ContractStatus.FAILED, reason="t")
    assert repo.get_contract(contract_id).gsi5pk is None
    assert list(work.pending_since(later)) == []


@pytest.fixture
def fired_payload(cloud, ids):
    [schedule] = [s for s in reminder_schedules(cloud)][:1]
    clock.set_now(schedule["fire_at"])
    return json.loads(schedule["Target"]["Input"])


def test_the_same_alert_delivered_twice_sends_one_email_from_keyed_items(cloud, monkeypatch, fired_payload):
    def no_audit_reads(*args, **kwargs):
        raise AssertionError("the alert path read the audit trail")

    monkeypatch.setattr(repo, "audit_events", no_audit_reads)
    first = invoke("alert", fired_payload)
    second = invoke("alert", fired_payload)
    assert first["sent"] and not second["sent"]
    assert second["reason"] == f"already sent: {fired_payload['name']}"
    assert len(cloud.sent_mail()) == 1
    item = ReminderSentItem.get(schema.contract_pk(fired_payload["contract_id"]),
                                schema.reminder_sent_sk(fired_payload["name"]))
    assert (item.reminder, item.outcome) == (fired_payload["name"], "sent")
    monkeypatch.undo()
    actions = [e.action for e in repo.audit_events(fired_payload["contract_id"])]
    assert actions.count("alert.sent") == 1 and actions.count("alert.suppressed") == 1  # still the record


def test_a_failed_send_leaves_no_sent_item_so_the_retry_sends(cloud, monkeypatch, fired_payload):
    from clausewatch.pipeline import reminders

    def down(message):
        raise RuntimeError("SES throttled")

    monkeypatch.setattr(reminders, "send_email", down)
    with pytest.raises(RuntimeError):
        reminders.send_alert(reminders.Settings.from_env(), fired_payload)
    assert work.sent_reminders(fired_payload["contract_id"], [fired_payload["name"]]) == set()
    monkeypatch.undo()
    assert invoke("alert", fired_payload)["sent"]
    assert work.sent_reminders(fired_payload["contract_id"], [fired_payload["name"]]) == {fired_payload["name"]}
