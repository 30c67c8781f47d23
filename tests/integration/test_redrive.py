"""Failures surface and can be replayed (issue #13 section 1): a message that failed three times
sits in its DLQ, survives a restart of the embedded default, and `clausewatch redrive` moves it
back; what was lost is nothing, what is sent twice is nothing."""

from __future__ import annotations

import contextlib
import io
import json

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
