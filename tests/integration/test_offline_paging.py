"""The offline engine's paged GetDocumentTextDetection: each page of results reads only the stored
chunks that hold it (S3 GetObject calls and bytes counted through a botocore event hook), and the
results, paged, parse to exactly the text of the one-shot local path."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from clausewatch import config
from clausewatch.aws.clients import client
from clausewatch.aws.textract import OfflineTextract
from clausewatch.config import Settings
from clausewatch.text.local import document_from_pdf, textract_response_from_pdf
from clausewatch.text.textract import document_from_textract, fetch_all_pages, read_text_job

PAGES = 12
WORDS_PER_PAGE = 240  # about 260 blocks a page: 12 pages are several chunks of 1000 blocks


def long_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for page in range(1, PAGES + 1):
        pdf.add_page()
        pdf.multi_cell(0, 5, " ".join(f"p{page}w{n}" for n in range(WORDS_PER_PAGE)))
    return bytes(pdf.output())


class GetObjectMeter:
    """Counts the bucket's GetObject calls and the bytes they return."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.bytes = 0

    def requested(self, params, **_) -> None:
        self.keys.append(params["Key"])

    def answered(self, parsed, **_) -> None:
        self.bytes += int(parsed.get("ContentLength") or 0)

    def __enter__(self) -> GetObjectMeter:
        client("s3").meta.events.register("before-parameter-build.s3.GetObject", self.requested)
        client("s3").meta.events.register("after-call.s3.GetObject", self.answered)
        return self

    def __exit__(self, *exc) -> None:
        client("s3").meta.events.unregister("before-parameter-build.s3.GetObject", self.requested)
        client("s3").meta.events.unregister("after-call.s3.GetObject", self.answered)


@pytest.fixture
def job(cloud):
    """An offline text job over long_pdf(), finished: (engine, job id, pdf bytes)."""
    data = long_pdf()
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key="contracts/x/original.pdf", Body=data)
    topic = client("sns").list_topics()["Topics"][0]["TopicArn"]
    engine = OfflineTextract(Settings.from_env())
    job_id = engine.start_document_text_detection(
        DocumentLocation={"S3Object": {"Bucket": config.BUCKET_NAME, "Name": "contracts/x/original.pdf"}},
        ClientRequestToken="paging-test", JobTag="x",
        NotificationChannel={"SNSTopicArn": topic, "RoleArn": "arn:aws:iam::123456789012:role/t"})["JobId"]
    return engine, job_id, data


def chunk_sizes(job_id: str) -> dict[str, int]:
    listing = client("s3").list_objects_v2(Bucket=config.BUCKET_NAME, Prefix=f"offline-textract/{job_id}/")
    return {o["Key"]: o["Size"] for o in listing["Contents"]}


def test_a_late_page_of_results_reads_only_its_own_chunk(job):
    engine, job_id, _ = job
    chunks = chunk_sizes(job_id)
    assert len(chunks) >= 3, "the document must span several chunks for this test to mean anything"
    tokens = [None]
    while True:  # walk the NextTokens to the last page of results
        response = engine.get_document_text_detection(JobId=job_id, NextToken=tokens[-1])
        if "NextToken" not in response:
            break
        tokens.append(response["NextToken"])
    assert len(tokens) == len(chunks)

    with GetObjectMeter() as meter:  # a new client, as the next handler would have
        last = OfflineTextract(Settings.from_env()).get_document_text_detection(JobId=job_id, NextToken=tokens[-1])
    last_chunk = max(chunks)
    # the manifest (status, counts) and the one chunk holding the page: no other chunk
    assert meter.keys == [f"offline-textract/{job_id}.json", last_chunk]
    manifest_bytes = meter.bytes - chunks[last_chunk]
    assert manifest_bytes < 1000
    with GetObjectMeter() as meter:  # the same client again: the manifest is not read twice
        engine.get_document_text_detection(JobId=job_id, NextToken=tokens[-1])
    assert meter.keys == [last_chunk]
    assert {b["Page"] for b in last["Blocks"]} <= {PAGES - 1, PAGES}
    assert last["JobStatus"] == "SUCCEEDED" and last["DocumentMetadata"] == {"Pages": PAGES}


def test_pages_of_any_size_read_only_the_chunks_they_span(job):
    engine, job_id, _ = job
    first = engine.get_document_text_detection(JobId=job_id, MaxResults=10)
    with GetObjectMeter() as meter:
        second = engine.get_document_text_detection(JobId=job_id, MaxResults=10, NextToken=first["NextToken"])
    assert len(meter.keys) == 1  # the first chunk (the manifest was read by the first call)
    assert len(second["Blocks"]) == 10
    with GetObjectMeter() as meter:  # 1000 blocks from offset 10 span two chunks
        engine.get_document_text_detection(JobId=job_id, NextToken=second["NextToken"])
    assert len(meter.keys) == 2


def test_paged_results_parse_to_the_one_shot_text(job):
    engine, job_id, data = job
    expected = document_from_pdf(data)
    assert document_from_textract(fetch_all_pages(engine, job_id), engine="local") == expected
    assert read_text_job(engine, job_id, engine="local") == expected


def test_text_results_are_parsed_while_they_are_read(monkeypatch):
    """read_text_job parses each PDF page as soon as the results have moved past it, and drops
    its blocks, rather than holding every page of results until the end."""
    from clausewatch.text import textract

    data = long_pdf()
    expected = document_from_pdf(data)
    responses = _split(textract_response_from_pdf(data), 200)
    events: list[tuple[str, int]] = []
    parse_page = textract._parse_page
    monkeypatch.setattr(textract, "_parse_page",
                        lambda number, blocks: events.append(("parse", number)) or parse_page(number, blocks))

    class Client:
        def get_document_text_detection(self, JobId, MaxResults, NextToken=None):
            index = 0 if NextToken is None else int(NextToken)
            events.append(("fetch", index))
            return responses[index]

    assert read_text_job(Client(), "job", engine="local") == expected
    fetches = [i for i, (kind, _) in enumerate(events) if kind == "fetch"]
    parses = [i for i, (kind, _) in enumerate(events) if kind == "parse"]
    assert len(parses) == PAGES and len(fetches) == len(responses) > PAGES
    # every page but the last is parsed before the last page of results is even asked for
    assert sum(1 for i in parses if i < fetches[-1]) == PAGES - 1


def _split(response: dict, size: int) -> list[dict]:
    blocks = response["Blocks"]
    header = {k: v for k, v in response.items() if k != "Blocks"}
    pages = []
    for n, start in enumerate(range(0, len(blocks), size)):
        page = {**header, "Blocks": blocks[start:start + size]}
        if start + size < len(blocks):
            page["NextToken"] = str(n + 1)
        pages.append(page)
    return pages


# --- bounded work per document ----------------------------------------------------------------


def _slow(*args, **kwargs):
    import time

    time.sleep(30)
    yield []


def test_text_extraction_over_its_budget_fails_the_contract_once_and_keeps_the_pdf(cloud, monkeypatch):
    from clausewatch.aws import textract as offline
    from clausewatch.schema import ContractStatus
    from clausewatch.store import repository as repo
    from clausewatch.text.budget import Budget

    monkeypatch.setattr(offline, "iter_page_blocks", _slow)
    monkeypatch.setattr(offline, "TEXT_BUDGET", Budget(seconds=0.5, memory_mb=256))
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=f"{config.INBOX_PREFIX}slow.pdf", Body=long_pdf())
    cloud.pump()
    [contract] = repo.list_contracts()
    assert contract.status == ContractStatus.FAILED
    assert "text extraction stopped after 0.5 s, its time budget" in contract.status_reason
    kept = client("s3").list_objects_v2(Bucket=config.BUCKET_NAME, Prefix=config.CONTRACTS_PREFIX)
    assert [o["Key"] for o in kept["Contents"]] == [config.original_key(contract.contract_id)]
    for queue in (config.INGEST_QUEUE, config.INGEST_DLQ, config.TEXTRACT_QUEUE, config.TEXTRACT_DLQ):
        url = client("sqs").get_queue_url(QueueName=queue)["QueueUrl"]
        attributes = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert attributes["ApproximateNumberOfMessages"] == attributes["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_term_extraction_over_its_budget_fails_the_contract_and_keeps_its_text(cloud, monkeypatch):
    import clausewatch.extract
    from clausewatch.pipeline import textjob
    from clausewatch.schema import ContractStatus
    from clausewatch.store import repository as repo
    from clausewatch.text.budget import Budget

    def endless(pages, **kwargs):
        while True:
            pass

    monkeypatch.setattr(clausewatch.extract, "extract_contract", endless)
    monkeypatch.setattr(textjob, "TERMS_BUDGET", Budget(seconds=0.5, memory_mb=256))
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=f"{config.INBOX_PREFIX}terms.pdf", Body=long_pdf())
    cloud.pump()
    [contract] = repo.list_contracts()
    assert contract.status == ContractStatus.FAILED
    assert "term extraction stopped after 0.5 s, its time budget" in contract.status_reason
    stored = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=config.text_key(contract.contract_id))
    assert b"p12w0" in stored["Body"].read()
