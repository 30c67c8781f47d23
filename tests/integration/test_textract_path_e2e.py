"""The deployed text path (engine "textract") end to end on the embedded default: ingest starts a
Textract job with the right parameters, Textract's SNS completion flows through SQS to
textract_done, which pages through GetDocumentTextDetection. Textract itself is botocore's Stubber
serving real recorded responses from ../shared/textract/."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import ANY, Stubber

from clausewatch import config
from clausewatch.aws import textract as textract_adapter
from clausewatch.aws.clients import client
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.schema import ContractStatus
from clausewatch.store import repository as repo
from clausewatch.text.textract import split_into_pages
from clausewatch.text.validate import sha256_hex
from tests.paths import RECORDED_TEXTRACT
from tests.pdfs import make_pdf

pytestmark = pytest.mark.skipif(not RECORDED_TEXTRACT.exists(),
                                reason=f"recorded Textract responses not found at {RECORDED_TEXTRACT}")


@pytest.fixture
def textract(cloud, monkeypatch):
    """The pipeline's Textract client, stubbed; the rest stays on the embedded default."""
    monkeypatch.setenv(config.ENV_TEXT_ENGINE, "textract")
    stubbed = boto3.client("textract", region_name="us-east-1")
    monkeypatch.setattr(textract_adapter, "client", lambda service: stubbed)
    with Stubber(stubbed) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def upload(cloud, body: bytes) -> str:
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key="inbox/scan.pdf", Body=body,
                            Metadata={"owner": "o@example.com"})
    return contract_id_for(sha256_hex(body))


def textract_completes(contract_id: str, job_id: str, status: str) -> None:
    """What Textract publishes to the NotificationChannel's topic when the job ends."""
    topic = client("sns").list_topics()["Topics"][0]["TopicArn"]
    client("sns").publish(TopicArn=topic, Message=json.dumps({
        "JobId": job_id, "Status": status, "API": "StartDocumentTextDetection",
        "JobTag": contract_id, "Timestamp": 1795597260000,
        "DocumentLocation": {"S3ObjectName": config.original_key(contract_id),
                             "S3Bucket": config.BUCKET_NAME}}))


def expect_start(textract, contract_id: str, job_id: str) -> None:
    textract.add_response("start_document_text_detection", {"JobId": job_id}, {
        "DocumentLocation": {"S3Object": {"Bucket": config.BUCKET_NAME,
                                          "Name": config.original_key(contract_id)}},
        "ClientRequestToken": ANY, "JobTag": contract_id,
        "NotificationChannel": {"SNSTopicArn": ANY, "RoleArn": ANY}})


def test_multi_page_job_is_paged_and_stored(cloud, textract):
    contract_id = upload(cloud, make_pdf("page one", "page two"))
    expect_start(textract, contract_id, "job-1")
    cloud.pump()
    assert repo.get_contract(contract_id).status == ContractStatus.TEXT_PENDING
    assert repo.get_contract(contract_id).text_job_id == "job-1"

    recorded = json.loads((RECORDED_TEXTRACT / "multi-page-forms-samples-2-page.json").read_text())
    # recorded from AnalyzeDocument: keep the fields GetDocumentTextDetection also returns
    recorded = {k: recorded[k] for k in ("JobStatus", "DocumentMetadata", "Blocks") if k in recorded}
    recorded.setdefault("JobStatus", "SUCCEEDED")
    pages = split_into_pages(recorded, 40)
    assert len(pages) > 2
    for number, page in enumerate(pages):
        params = {"JobId": "job-1", "MaxResults": config.TEXTRACT_PAGE_SIZE}
        if number:
            params["NextToken"] = pages[number - 1]["NextToken"]
        textract.add_response("get_document_text_detection", page, params)
    textract_completes(contract_id, "job-1", "SUCCEEDED")
    cloud.pump()

    contract = repo.get_contract(contract_id)
    assert contract.status == ContractStatus.EXTRACTED and contract.page_count == 2
    stored = json.loads(client("s3").get_object(Bucket=config.BUCKET_NAME,
                                                Key=config.text_key(contract_id))["Body"].read())
    assert stored["engine"] == "textract" and [p["number"] for p in stored["pages"]] == [1, 2]
    words = {b["Text"] for b in recorded["Blocks"] if b["BlockType"] == "LINE"}
    stored_lines = {line["text"] for p in stored["pages"] for line in p["lines"]}
    assert stored_lines == words  # every line, once, none invented


def test_failed_job_marks_the_contract_failed_with_textracts_message(cloud, textract):
    contract_id = upload(cloud, make_pdf("a scanned page"))
    expect_start(textract, contract_id, "job-2")
    cloud.pump()
    failed = json.loads((RECORDED_TEXTRACT / "test-failed-response.json").read_text())
    textract.add_response("get_document_text_detection",
                          {k: v for k, v in failed.items() if k != "ResponseMetadata"},
                          {"JobId": "job-2", "MaxResults": config.TEXTRACT_PAGE_SIZE})
    textract_completes(contract_id, "job-2", "FAILED")
    cloud.pump()
    contract = repo.get_contract(contract_id)
    assert contract.status == ContractStatus.FAILED
    assert "Dummy Status Message" in contract.status_reason
    assert config.original_key(contract_id) in [o["Key"] for o in client("s3").list_objects_v2(
        Bucket=config.BUCKET_NAME)["Contents"]]
