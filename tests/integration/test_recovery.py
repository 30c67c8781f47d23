"""Nothing stays stuck; transient failures are retryable (issue #13 section 1): a contract whose
Textract completion never arrived is settled by the sweep from the job's status; a FAILED
contract with a transient cause goes through again (POST /contracts/{id}/retry, `clausewatch
retry ID`); a permanent failure is refused with its reason."""

from __future__ import annotations

import contextlib
import io
from datetime import timedelta

import pytest

from clausewatch import clock, config
from clausewatch.aws.clients import client
from clausewatch.cli import main
from clausewatch.config import Settings
from clausewatch.local import state
from clausewatch.local.handlers import invoke
from clausewatch.local.redrive import queue_url
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.pipeline.recovery import NotRetryable, recover_stuck, retry_contract
from clausewatch.schema import ContractStatus
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import call, claims, no_scan_in_api_requests  # noqa: F401
from tests.paths import SAMPLES

NDA = SAMPLES / "mutual-nda.pdf"
NDA_ID = contract_id_for(sha256_hex(NDA.read_bytes()))


def _upload_and_lose_the_completion(cloud, metadata=None) -> None:
    """Ingest runs; Textract's completion message is lost (the textract queue is emptied)."""
    cloud.upload(NDA, metadata or {})
    cloud._drain_queue(config.INGEST_QUEUE)
    client("sqs").purge_queue(QueueUrl=queue_url(config.TEXTRACT_QUEUE))
    cloud.pump()
    assert repo.get_contract(NDA_ID).status == ContractStatus.TEXT_PENDING


def test_a_lost_completion_is_settled_by_the_sweep_from_the_jobs_status(cloud):
    _upload_and_lose_the_completion(cloud)
    assert recover_stuck(Settings.from_env()) == []  # not stuck yet: within the bound
    clock.set_now(clock.now() + timedelta(hours=3))
    result = invoke("planner", {"sweep": True})
    cloud.pump()
    assert [r["contract_id"] for r in result["recovered"]] == [NDA_ID]
    contract = repo.get_contract(NDA_ID)
    assert contract.status == ContractStatus.EXTRACTED
    assert cloud.schedules()  # planned like any other contract


def test_an_unknown_text_job_fails_transiently_and_a_retry_finishes_it(cloud):
    _upload_and_lose_the_completion(cloud)
    contract = repo.get_contract(NDA_ID)
    repo.update_contract(contract, actor="test", text_job_id="local-job-that-expired")
    clock.set_now(clock.now() + timedelta(hours=3))
    [recovery] = recover_stuck(Settings.from_env())
    assert recovery.now == ContractStatus.FAILED and "unknown to text detection" in recovery.reason
    failed = repo.get_contract(NDA_ID)
    assert failed.status == ContractStatus.FAILED and failed.status_reason.startswith("transient: ")
    retried = retry_contract(Settings.from_env(), NDA_ID, actor="ops@example.com")
    assert retried.status == ContractStatus.TEXT_PENDING and retried.text_job_id != "local-job-that-expired"
    cloud.pump()
    assert repo.get_contract(NDA_ID).status == ContractStatus.EXTRACTED
    actions = [e.action for e in repo.audit_events(NDA_ID)]
    assert "contract.retry" in actions and actions.count("contract.received") == 1


def _failed(cloud, reason: str) -> None:
    cloud.upload(NDA)
    cloud.pump()
    contract = repo.get_contract(NDA_ID)
    repo.update_contract(contract, actor="test", status=ContractStatus.FAILED, reason=reason)


def test_a_failed_extraction_with_its_text_stored_is_retried_from_the_text(cloud):
    _failed(cloud, "term extraction failed: MemoryError: the budget")
    retried = retry_contract(Settings.from_env(), NDA_ID, actor="cli")
    assert retried.status == ContractStatus.EXTRACTED


def test_a_permanent_failure_is_not_retried(cloud):
    _failed(cloud, "text detection FAILED: Unable to read the document")
    with pytest.raises(NotRetryable, match="a retry cannot change"):
        retry_contract(Settings.from_env(), NDA_ID, actor="cli")
    reply = call("POST", f"/contracts/{NDA_ID}/retry", claims=claims(config.DEFAULT_TEAM, "editor"))
    assert reply.status == 409 and "cannot change" in reply.message


def test_the_api_asks_for_a_retry_and_the_planner_does_it(cloud):
    _failed(cloud, "transient: text job x still IN_PROGRESS after 1 day; retry it")
    cloud.pump()
    assert call("POST", f"/contracts/{NDA_ID}/retry", claims=claims(config.DEFAULT_TEAM, "viewer")).status == 403
    assert call("POST", f"/contracts/{NDA_ID}/retry", claims=claims("other-team", "editor")).status == 404
    reply = call("POST", f"/contracts/{NDA_ID}/retry", claims=claims(config.DEFAULT_TEAM, "editor"))
    assert reply.status == 200, reply.text
    assert reply.json()["status"] == ContractStatus.FAILED  # asked for: the planner retries it
    cloud.pump()  # the table's stream -> planner
    contract = repo.get_contract(NDA_ID)
    assert contract.status == ContractStatus.EXTRACTED and contract.retry_requested is None
    actions = [e.action for e in repo.audit_events(NDA_ID)]
    assert actions.count("contract.retry_requested") == 1 and actions.count("contract.retry") == 1


def test_clausewatch_retry_on_a_state_folder(cloud, tmp_path):
    _failed(cloud, "ThrottlingException: Rate exceeded")
    state.save(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["retry", NDA_ID, "--state", str(tmp_path)]) == 0
        assert main(["retry", NDA_ID, "--state", str(tmp_path)]) == 2  # EXTRACTED now: nothing to retry
        assert main(["retry", "0000000000000000", "--state", str(tmp_path)]) == 2
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{NDA_ID}: retried -> EXTRACTED"
    assert "not FAILED" in lines[1] and lines[2] == "no contract 0000000000000000"
