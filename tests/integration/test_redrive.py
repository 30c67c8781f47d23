"""Failures surface and can be replayed (issue #13 section 1): a message that failed three times
sits in its DLQ, survives a restart of the embedded default, and `clausewatch redrive` moves it
back; what was lost is nothing, what is sent twice is nothing."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import UTC, datetime

from clausewatch import clock, config
from clausewatch.aws.clients import client
from clausewatch.cli import main
from clausewatch.local import redrive, state
from clausewatch.pipeline import intake
from clausewatch.schema import ContractStatus
from clausewatch.store import repository as repo
from tests.paths import SAMPLES


def _depth(queue: str) -> int:
    attrs = client("sqs").get_queue_attributes(QueueUrl=redrive.queue_url(queue),
                                               AttributeNames=["ApproximateNumberOfMessages"])
    return int(attrs["Attributes"]["ApproximateNumberOfMessages"])


def _bodies(queue: str) -> list[str]:
    """The queue's message bodies (left in it)."""
    messages = redrive.drain(queue)
    redrive.release(queue, messages)
    return [m["Body"] for m in messages]


def test_a_failing_upload_dead_letters_survives_a_restart_and_is_redriven(cloud, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("injected: the PDF check crashed")

    monkeypatch.setattr(intake, "validate_pdf", broken)
    cloud.upload(SAMPLES / "mutual-nda.pdf")
    cloud.pump()
    assert repo.list_contracts() == []
    assert _depth(config.INGEST_DLQ) == 1 and _depth(config.INGEST_QUEUE) == 0
    # the state folder keeps it (moto keeps queues in memory only)
    state.save(tmp_path)
    saved = json.loads((tmp_path / redrive.DLQ_FILE).read_text())
    assert len(saved[config.INGEST_DLQ]) == 1
    cloud.reset()
    assert _depth(config.INGEST_DLQ) == 0
    state.load(tmp_path)
    assert _depth(config.INGEST_DLQ) == 1
    # fixed, then redriven: processed once
    monkeypatch.undo()
    result = redrive.redrive_queue("ingest")
    assert (result.moved, result.queue) == (1, config.INGEST_DLQ)
    cloud.pump()
    [contract] = repo.list_contracts()
    assert contract.status == ContractStatus.EXTRACTED and contract.file_name == "mutual-nda.pdf"
    assert _depth(config.INGEST_DLQ) == 0
    # a second redrive finds nothing, and the same notification again is a no-op
    assert redrive.redrive_queue("ingest").moved == 0


def test_a_failed_reminder_is_redelivered_once(cloud):
    clock.set_now(None)
    cloud.upload(SAMPLES / "mutual-nda.pdf", {"owner": "a@example.com"})
    cloud.pump()
    schedule = cloud.schedules()[0]
    payload = schedule["Target"]["Input"]
    # Scheduler gave up on it (target unavailable): the payload is in the scheduler DLQ
    client("sqs").send_message(QueueUrl=redrive.queue_url(config.SCHEDULER_DLQ), MessageBody=payload)
    client("sqs").send_message(QueueUrl=redrive.queue_url(config.SCHEDULER_DLQ), MessageBody=payload)
    before = len(cloud.sent_mail())
    result = redrive.redrive_queue("scheduler")
    assert result.moved == 2
    assert len(cloud.sent_mail()) - before == 1  # delivered twice, sent once
    assert _depth(config.SCHEDULER_DLQ) == 0


def test_a_redrive_that_fails_again_keeps_the_message(cloud, monkeypatch):
    client("sqs").send_message(QueueUrl=redrive.queue_url(config.SCHEDULER_DLQ), MessageBody="not json")
    result = redrive.redrive_queue("scheduler")
    assert result.moved == 0 and "1 failed again and stay" in result.outcome
    assert _depth(config.SCHEDULER_DLQ) == 1


def test_redrive_command_on_a_state_folder(cloud, tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "validate_pdf", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("injected")))
    cloud.upload(SAMPLES / "mutual-nda.pdf")
    cloud.pump()
    state.save(tmp_path)
    monkeypatch.undo()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["redrive", "ingest", "--state", str(tmp_path)]) == 0
    assert f"{config.INGEST_DLQ}: 1 message(s) back to {config.INGEST_QUEUE}" in out.getvalue()
    assert json.loads((tmp_path / redrive.DLQ_FILE).read_text())[config.INGEST_DLQ] == []
    table = (tmp_path / "table.jsonl").read_text()
    assert '"EXTRACTED"' in table


SAAS = "saas-subscription-northwind.pdf"


def _planner_failing_on(monkeypatch, name: str) -> tuple[str, list[str]]:
    """The planner fails on the contract of sample ``name`` every time (until monkeypatch.undo());
    returns its id and the list its failed attempts go to."""
    from clausewatch.pipeline import reminders
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex

    poison = contract_id_for(sha256_hex((SAMPLES / name).read_bytes()))
    real, attempts = reminders.sync_reminders, []

    def failing_on_one(settings, contract_id, *args, **kwargs):
        if contract_id == poison:
            attempts.append(contract_id)
            raise RuntimeError("injected: the planner cannot plan this contract")
        return real(settings, contract_id, *args, **kwargs)

    monkeypatch.setattr(reminders, "sync_reminders", failing_on_one)
    return poison, attempts


def _planned(cloud) -> set[str]:
    return {s["Name"].split("-")[1] for s in cloud.schedules()}


def test_a_contract_the_planner_keeps_failing_on_is_given_up_described_and_redriven(cloud, monkeypatch):
    """The stream's planner fails on one contract every time: as Lambda's mapping does, the pump
    retries its records (config.STREAM_CONSUMER.retry_attempts), then describes them in the planner
    DLQ and reads on; the other contract is planned. Redriven once the planner is fixed, its
    records are read again from the stream and the contract gets its reminders."""
    clock.set_now(None)
    poison, attempts = _planner_failing_on(monkeypatch, SAAS)
    failures_before = len(cloud.failures)
    cloud.upload(SAMPLES / SAAS, {"owner": "a@example.com"})
    cloud.upload(SAMPLES / "mutual-nda.pdf", {"owner": "a@example.com"})
    cloud.pump()

    assert poison not in _planned(cloud) and len(_planned(cloud)) == 1  # the other contract is planned
    given_up = [json.loads(body) for body in _bodies(config.PLANNER_DLQ)]
    assert given_up and {g["requestContext"]["condition"] for g in given_up} == {"RetryAttemptsExhausted"}
    retries = config.STREAM_CONSUMER.retry_attempts
    assert all(g["requestContext"]["approximateInvokeCount"] == retries + 1 for g in given_up)
    assert len(attempts) == (retries + 1) * len(given_up)  # bounded: never retried forever
    assert [f for f in cloud.failures[failures_before:] if f[0] == "planner"]

    # redriven before the planner is fixed: its records fail again, and the descriptions stay
    again = redrive.redrive_queue("planner")
    assert again.moved == 0 and _depth(config.PLANNER_DLQ) == len(given_up)
    monkeypatch.undo()
    result = redrive.redrive_queue("planner")
    assert result.moved == len(given_up) and _depth(config.PLANNER_DLQ) == 0
    assert poison in _planned(cloud)


def test_a_contract_never_planned_is_found_by_the_sweep_when_its_records_are_gone(cloud, monkeypatch):
    """The planner gave up on a contract just extracted, and its stream records are gone (here: a
    description from a previous run of the embedded default, whose stream was another). The
    contract was due for planning from the day it was extracted (GSI5), so the sweep plans it."""
    from clausewatch.store import repository as repo

    clock.set_now(None)
    poison, _ = _planner_failing_on(monkeypatch, SAAS)
    cloud.upload(SAMPLES / SAAS, {"owner": "a@example.com"})
    cloud.pump()
    assert repo.get_contract(poison).next_planning == clock.now().date().isoformat()
    messages = redrive.drain(config.PLANNER_DLQ)
    assert messages
    for message in messages:
        redrive.delete(config.PLANNER_DLQ, message)
        body = json.loads(message["Body"])
        body["DDBStreamBatchInfo"]["streamArn"] += "-of-a-previous-run"
        client("sqs").send_message(QueueUrl=redrive.queue_url(config.PLANNER_DLQ), MessageBody=json.dumps(body))
    monkeypatch.undo()
    assert poison not in _planned(cloud)
    assert redrive.redrive_queue("planner").moved == len(messages)  # the sweep ran
    cloud.pump()  # its pages
    assert poison in _planned(cloud)
    assert "not planned yet" not in (repo.get_contract(poison).next_planning_derivation or "")


class _Interrupt(BaseException):
    """Not an Exception: as Ctrl-C during `clausewatch tick` is not."""


def test_a_stream_batch_interrupted_in_the_planner_is_delivered_again(cloud, monkeypatch):
    """The pump's checkpoint moves once a batch is done or given up, as Lambda's does: a batch
    whose planner was interrupted is delivered again by the next pump, and its contract planned."""
    from clausewatch.local import cloud as cloud_module

    clock.set_now(None)
    real, batches = cloud_module.Invocations.run_here, []

    def interrupted_once(consumer, event):
        batches.append({r["dynamodb"]["SequenceNumber"] for r in event["Records"]})
        if len(batches) == 1:
            raise _Interrupt("Ctrl-C in the planner")
        return real(consumer, event)

    monkeypatch.setattr(cloud_module.Invocations, "run_here", staticmethod(interrupted_once))
    cloud.upload(SAMPLES / SAAS, {"owner": "a@example.com"})
    try:
        cloud.pump()
    except _Interrupt:
        pass
    else:
        raise AssertionError("the interrupt did not reach the pump's caller")
    cloud.pump()
    assert [b for b in batches[1:] if batches[0] <= b]  # the whole interrupted batch, again
    assert _planned(cloud) and _depth(config.PLANNER_DLQ) == 0


def test_a_contract_already_planned_whose_re_planning_is_given_up_is_planned_again_by_the_sweep(cloud, monkeypatch):
    """A planned contract changes (a person enters a shorter notice period), and the planner gives up
    on the change's records, which then leave the stream: the contract is due for planning today
    (GSI5, with why), so the next daily sweep plans the new notice deadline instead of the plan from
    before the change standing until its next planning day. (Before, it stood: the sweep plans only
    what is due.)"""
    from clausewatch.config import Settings
    from clausewatch.pipeline import entries, reminders

    clock.set_now(datetime(2026, 12, 4, 14, 0, tzinfo=UTC))
    cloud.upload(SAMPLES / SAAS, {"owner": "a@example.com"})
    cloud.pump()
    poison = next(iter(_planned(cloud)))
    contract = repo.get_contract(poison)
    today = "2026-12-04"
    assert contract.next_planning > today  # planned: due again only later
    assert _notice_dues(cloud) == {"2026-12-30"}  # 2027-02-28 - P60D
    before = {s["Name"] for s in cloud.schedules()}

    _planner_failing_on(monkeypatch, SAAS)
    entries.enter_term(poison, "notice_period", "P30D", note="the renewal letter says 30 days",
                       actor="legal@example.com", team=contract.team)
    cloud.pump()
    assert _depth(config.PLANNER_DLQ) >= 1  # given up
    assert {s["Name"] for s in cloud.schedules()} == before  # the old plan, for now
    marked = repo.get_contract(poison)
    assert marked.next_planning == today
    assert marked.next_planning_derivation.startswith(f"re-planning failed {today}")

    # its records gone (the stream keeps them 24 hours): only the sweep plans it
    for message in redrive.drain(config.PLANNER_DLQ):
        redrive.delete(config.PLANNER_DLQ, message)
    monkeypatch.undo()
    reminders.sweep(Settings.from_env())
    cloud.pump()
    assert _notice_dues(cloud) == {"2027-01-29"}  # 2027-02-28 - P30D, as entered
    replanned = repo.get_contract(poison)
    assert replanned.next_planning > today and "re-planning failed" not in replanned.next_planning_derivation


def _notice_dues(cloud) -> set[str]:
    """The due days of the notice deadline's schedules."""
    payloads = [json.loads(s["Target"]["Input"]) for s in cloud.schedules()]
    return {p["due"] for p in payloads if p.get("obligation_id") == "notice_deadline"}


def test_only_a_planned_extracted_contract_is_marked_due_when_its_re_planning_fails(cloud):
    """An amendment waiting for its contract stays in its team's AMEND# index (its dates are its
    contract's), a contract due already keeps why, and one that is gone is nothing to mark."""
    from clausewatch.pipeline import reminders
    from clausewatch.pipeline.intake import contract_id_for
    from clausewatch.text.validate import sha256_hex

    clock.set_now(datetime(2026, 12, 4, 14, 0, tzinfo=UTC))
    cloud.upload(SAMPLES / "amendment-1-supply.pdf")
    cloud.pump()
    amendment = contract_id_for(sha256_hex((SAMPLES / "amendment-1-supply.pdf").read_bytes()))
    waiting = repo.get_contract(amendment)
    assert waiting.status == ContractStatus.EXTRACTED and not waiting.amends_contract_id
    assert reminders.due_for_the_sweep(amendment) is False
    assert repo.get_contract(amendment).gsi5pk == waiting.gsi5pk and waiting.gsi5pk.startswith("AMEND#")
    assert reminders.due_for_the_sweep("0" * 16) is False

    cloud.upload(SAMPLES / SAAS)
    cloud.pump()
    saas = next(iter(_planned(cloud)))
    planned = repo.get_contract(saas)
    assert reminders.due_for_the_sweep(saas) is True
    assert reminders.due_for_the_sweep(saas) is False  # due already: why is kept
    assert repo.get_contract(saas).next_planning == "2026-12-04" != planned.next_planning
