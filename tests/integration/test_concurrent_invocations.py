"""The embedded default runs queued work as Lambda does (issue #11): batches of the event source's
size (config.QUEUE_CONSUMERS, which the CDK app declares), several invocations at once, each in a
process of its own; an invocation over its function's timeout fails its batch, which is retried
and then dead-lettered, never lost, and the other invocations go on."""

from __future__ import annotations

import dataclasses
import json
import os
import time

import pytest

from clausewatch import config
from clausewatch.aws.clients import client
from clausewatch.local import invocations
from clausewatch.local.redrive import queue_url
from clausewatch.schema import ContractStatus
from clausewatch.store import repository as repo
from tests.paths import SAMPLES

CONTRACTS = ("mutual-nda.pdf", "saas-subscription-northwind.pdf", "services-agreement-fixed-dates.pdf",
             "supply-agreement-autorenew.pdf", "uk-software-licence.pdf")
# uploaded after its contract (the two recorded at once, interleaved both ways:
# test_reminders_e2e.py::test_an_amendment_and_its_contract_recorded_at_once_apply_it_once)
AMENDMENT = "amendment-1-supply.pdf"


def _outcome_of_each_contract() -> dict[str, tuple]:
    """Per file: its status and its obligations (kind, due date, derivation)."""
    result = {}
    for contract in repo.list_contracts():
        obligations = sorted((o.kind, o.due or "", o.derivation or "") for o in repo.obligations(contract.contract_id))
        result[contract.file_name] = (str(contract.status), obligations)
    return result


def _record_where_invocations_ran(monkeypatch) -> list[tuple[str, int, int]]:
    """(function, records, process id) of every invocation the pump made."""
    seen: list[tuple[str, int, int]] = []
    invoke, run = invocations.invoke, invocations.run

    def invoke_telling_where(name, event):
        return {**(invoke(name, event) or {}), "ran_in": os.getpid()}

    def recording(consumer, event, forked):
        outcome = run(consumer, event, forked)
        seen.append((consumer.function, len(event["Records"]), (outcome.response or {}).get("ran_in", 0)))
        return outcome

    monkeypatch.setattr(invocations, "invoke", invoke_telling_where)
    monkeypatch.setattr(invocations, "run", recording)
    return seen


def _upload_all(cloud) -> None:
    for name in CONTRACTS:
        cloud.upload(SAMPLES / name)
    cloud.pump()
    cloud.upload(SAMPLES / AMENDMENT)
    cloud.pump()


def test_concurrent_invocations_in_their_own_processes_give_the_one_at_a_time_results(cloud, monkeypatch):
    _upload_all(cloud)
    one_at_a_time = _outcome_of_each_contract()
    assert len(one_at_a_time) == len(CONTRACTS) + 1
    assert {status for status, _ in one_at_a_time.values()} == {str(ContractStatus.EXTRACTED)}

    cloud.reset()
    seen = _record_where_invocations_ran(monkeypatch)
    monkeypatch.setattr(cloud, "concurrency", 2)
    _upload_all(cloud)
    assert _outcome_of_each_contract() == one_at_a_time
    # each textract_done invocation (one document each) ran in a child of its own
    done = [pid for function, _, pid in seen if function == "textract_done"]
    assert len(done) == len(CONTRACTS) + 1
    assert os.getpid() not in done and len(set(done)) == len(done)


def test_the_pump_gives_a_function_batches_of_its_event_sources_size(cloud, monkeypatch):
    seen = _record_where_invocations_ran(monkeypatch)
    for name in (*CONTRACTS, AMENDMENT, "bad-upload.pdf"):
        cloud.upload(SAMPLES / name)
    cloud.pump()
    ingest = config.QUEUE_CONSUMERS[config.INGEST_QUEUE].batch_size
    done = config.QUEUE_CONSUMERS[config.TEXTRACT_QUEUE].batch_size
    assert (ingest, done) == (5, 1)
    batches = [records for function, records, _ in seen if function == "ingest"]
    # seven uploads (and moto's s3:TestEvent, if it is still queued) in one receive of ten
    assert max(batches) == ingest and sum(batches) >= len(CONTRACTS) + 1 and len(batches) >= 2
    assert [records for function, records, _ in seen if function == "textract_done"] == [1] * (len(CONTRACTS) + 1)
    # the table stream's records, to the planner in batches of its mapping's size
    stream = config.STREAM_CONSUMER.batch_size
    planner = [records for function, records, _ in seen if function == "planner"]
    assert stream == 25 and max(planner) == stream and sum(planner) > stream
    assert {pid for _, _, pid in seen} == {os.getpid()}  # one at a time: in this process


TIMEOUT = 5  # s: a sample's ingest takes well under a second, even on a loaded machine


def test_an_invocation_over_its_timeout_fails_its_batch_which_is_retried_then_dead_lettered(cloud, monkeypatch):
    monkeypatch.setitem(config.QUEUE_CONSUMERS, config.INGEST_QUEUE, dataclasses.replace(
        config.QUEUE_CONSUMERS[config.INGEST_QUEUE], batch_size=1, timeout_seconds=TIMEOUT))
    # the local ingest's deadline adds the offline text engine's budget (120 s): not here
    monkeypatch.setattr(invocations, "TEXT_BUDGET", dataclasses.replace(invocations.TEXT_BUDGET, seconds=0))
    invoke = invocations.invoke

    def hanging_on_one_file(name, event):
        if "stuck" in json.dumps(event, default=str):
            time.sleep(120)  # killed at the timeout
        return invoke(name, event)

    monkeypatch.setattr(invocations, "invoke", hanging_on_one_file)
    monkeypatch.setattr(cloud, "concurrency", 2)
    cloud.upload(SAMPLES / "mutual-nda.pdf", name="stuck.pdf")
    cloud.upload(SAMPLES / "uk-software-licence.pdf")
    cloud.upload(SAMPLES / "saas-subscription-northwind.pdf")
    failures_before = len(cloud.failures)  # the session's cloud keeps them across tests
    started = time.monotonic()
    cloud.pump()
    assert time.monotonic() - started < 100  # never waited for the sleep

    statuses = {c.file_name: c.status for c in repo.list_contracts()}
    assert statuses == {"uk-software-licence.pdf": ContractStatus.EXTRACTED,
                        "saas-subscription-northwind.pdf": ContractStatus.EXTRACTED}
    timeouts = [reason for function, reason in cloud.failures[failures_before:] if function == "ingest"]
    assert len(timeouts) == config.QUEUE_MAX_RECEIVES
    assert all(f"the ingest invocation stopped after {TIMEOUT} s" in reason for reason in timeouts)
    [dead] = client("sqs").receive_message(QueueUrl=queue_url(config.INGEST_DLQ), MaxNumberOfMessages=10,
                                           WaitTimeSeconds=0)["Messages"]
    assert "inbox%2Fstuck.pdf" in dead["Body"]  # the S3 notification, as S3 sent it
    assert client("sqs").receive_message(QueueUrl=queue_url(config.INGEST_QUEUE),
                                         WaitTimeSeconds=0).get("Messages", []) == []


def test_a_batch_starts_when_another_ends_whatever_its_queue(cloud, monkeypatch, tmp_path):
    """textract_done for a quick upload runs while ingest still files a slow one: the slow ingest
    waits until the quick textract_done has ended (a pump that drained the queues one after
    another would wait for every ingest first, and the slow one would give up waiting)."""
    monkeypatch.setitem(config.QUEUE_CONSUMERS, config.INGEST_QUEUE, dataclasses.replace(
        config.QUEUE_CONSUMERS[config.INGEST_QUEUE], batch_size=1))
    invoke, quick_done = invocations.invoke, tmp_path / "quick textract_done ended"

    def slow_on_one_file(name, event):
        slow = "slow" in json.dumps(event, default=str)
        waited = None
        if name == "ingest" and slow:
            started = time.monotonic()
            while not quick_done.exists() and time.monotonic() - started < 60:
                time.sleep(0.05)
            waited = quick_done.exists()
        response = invoke(name, event)
        if name == "textract_done" and not slow:
            quick_done.touch()
        return {**(response or {}), "saw_the_quick_one_done": waited}

    run, saw = invocations.run, []

    def recording(consumer, event, forked):
        outcome = run(consumer, event, forked)
        saw.append((outcome.response or {}).get("saw_the_quick_one_done"))
        return outcome

    monkeypatch.setattr(invocations, "invoke", slow_on_one_file)
    monkeypatch.setattr(invocations, "run", recording)
    monkeypatch.setattr(cloud, "concurrency", 2)
    cloud.upload(SAMPLES / "mutual-nda.pdf", name="slow.pdf")
    cloud.upload(SAMPLES / "uk-software-licence.pdf")
    cloud.pump()
    assert {c.status for c in repo.list_contracts()} == {ContractStatus.EXTRACTED}
    assert [waited for waited in saw if waited is not None] == [True]


def test_an_error_in_the_pump_settles_the_running_invocations_before_it_is_raised(cloud, monkeypatch):
    monkeypatch.setitem(config.QUEUE_CONSUMERS, config.INGEST_QUEUE, dataclasses.replace(
        config.QUEUE_CONSUMERS[config.INGEST_QUEUE], batch_size=1))
    monkeypatch.setattr(cloud, "concurrency", 2)
    settle, settled = cloud._settle, []

    def failing_once(queue, batch, outcome):
        if not settled:
            settled.append(None)
            raise RuntimeError("the pump's own call failed")
        settled.append(batch)
        return settle(queue, batch, outcome)

    run, started = invocations.run, []

    def counting(consumer, event, forked):
        started.append(event)
        return run(consumer, event, forked)

    monkeypatch.setattr(cloud, "_settle", failing_once)
    monkeypatch.setattr(invocations, "run", counting)
    for name in CONTRACTS[:4]:
        cloud.upload(SAMPLES / name)
    with pytest.raises(RuntimeError, match="the pump's own call failed"):
        cloud.pump()
    attributes = client("sqs").get_queue_attributes(
        QueueUrl=queue_url(config.INGEST_QUEUE), AttributeNames=["All"])["Attributes"]
    # every invocation that started was settled (deleted: never processed twice) but the one whose
    # settling failed, left in flight; what was received and not started is visible again
    assert len(settled) == len(started) >= 2
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "1"
    assert int(attributes["ApproximateNumberOfMessages"]) == 4 + 1 - len(started)  # and s3:TestEvent


def test_a_killed_invocation_takes_its_own_budgeted_step_down_with_it(tmp_path):
    from clausewatch.text.budget import BudgetExceeded, run_with_budget

    pid_file = tmp_path / "pid"

    def step() -> None:
        pid_file.write_text(str(os.getpid()))
        time.sleep(120)

    def invocation() -> None:
        run_with_budget(step, seconds=120, memory_mb=256)

    with pytest.raises(BudgetExceeded, match="stopped after 2 s"):
        run_with_budget(invocation, seconds=2, memory_mb=512, step="the invocation")
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(pid)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie is dead
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("raw, expected", [("", 1), ("3", 3)])
def test_the_concurrency_comes_from_the_environment(raw, expected):
    assert config.local_concurrency({config.ENV_LOCAL_CONCURRENCY: raw}) == expected
    with pytest.raises(ValueError, match="at least 1"):
        config.local_concurrency({config.ENV_LOCAL_CONCURRENCY: "0"})
