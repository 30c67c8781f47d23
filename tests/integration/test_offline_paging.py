"""The offline engine's paged GetDocumentTextDetection: each page of results reads only the stored
part that holds it, once per client (S3 GetObject calls and bytes counted through a botocore event
hook), decodes only the lines it serves, and the results, paged, parse to exactly the text of the
one-shot local path, whatever the storage layout, including an earlier version's."""

from __future__ import annotations

import functools
import gzip
import json

import pytest
from fpdf import FPDF

from clausewatch import config
from clausewatch.aws import textract as offline
from clausewatch.aws.clients import client
from clausewatch.aws.textract import OfflineTextract
from clausewatch.config import Settings
from clausewatch.text.local import document_from_pdf, textract_response_from_pdf
from clausewatch.text.textract import TextractJobFailed, document_from_textract, fetch_all_pages, read_text_job

PAGES = 12
WORDS_PER_PAGE = 240  # about 260 blocks a page: 12 pages are 3,100 blocks, four lines of 1000


@functools.cache
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


def start_job(data: bytes, token: str) -> str:
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key="contracts/x/original.pdf", Body=data)
    topic = client("sns").list_topics()["Topics"][0]["TopicArn"]
    return OfflineTextract(Settings.from_env()).start_document_text_detection(
        DocumentLocation={"S3Object": {"Bucket": config.BUCKET_NAME, "Name": "contracts/x/original.pdf"}},
        ClientRequestToken=token, JobTag="x",
        NotificationChannel={"SNSTopicArn": topic, "RoleArn": "arn:aws:iam::123456789012:role/t"})["JobId"]


# (blocks a line, lines a part): the product's, parts of two lines, lines shorter than a page of results
LAYOUTS = [(1000, 10), (1000, 2), (300, 3)]


@pytest.fixture(params=LAYOUTS, ids=[f"{lines}x{blocks}" for blocks, lines in LAYOUTS])
def job(cloud, request, monkeypatch):
    """An offline text job over long_pdf(), finished, stored in one layout: (job id, pdf bytes)."""
    blocks, lines = request.param
    monkeypatch.setattr(OfflineTextract, "LINE_BLOCKS", blocks)
    monkeypatch.setattr(OfflineTextract, "PART_LINES", lines)
    data = long_pdf()
    job_id = start_job(data, f"paging-test-{blocks}-{lines}")
    # stored: from here on the reader has only the manifest to say how (not the class's numbers)
    monkeypatch.setattr(OfflineTextract, "LINE_BLOCKS", 7)
    monkeypatch.setattr(OfflineTextract, "PART_LINES", 5)
    return job_id, data


def part_sizes(job_id: str) -> dict[str, int]:
    listing = client("s3").list_objects_v2(Bucket=config.BUCKET_NAME, Prefix=f"offline-textract/{job_id}/")
    return {o["Key"]: o["Size"] for o in listing["Contents"]}


class DecodeMeter:
    """Counts the JSON lines the offline engine decodes."""

    def __init__(self, monkeypatch) -> None:
        self.lines = 0
        loads = offline.orjson.loads

        def counted(data):
            self.lines += 1
            return loads(data)

        monkeypatch.setattr(offline, "orjson", type("Orjson", (), {"loads": staticmethod(counted),
                                                                 "dumps": staticmethod(offline.orjson.dumps)}))


def all_tokens(engine: OfflineTextract, job_id: str) -> list[str | None]:
    tokens: list[str | None] = [None]
    while True:
        response = engine.get_document_text_detection(JobId=job_id, NextToken=tokens[-1])
        if "NextToken" not in response:
            return tokens
        tokens.append(response["NextToken"])


@pytest.mark.parametrize("job", [(1000, 2)], indirect=True, ids=["2x1000"])
def test_each_part_is_read_once_and_a_late_page_reads_only_its_own(job, monkeypatch):
    job_id, _ = job
    parts = part_sizes(job_id)
    assert len(parts) == 2, "the document must span several parts for this test to mean anything"
    decoded = DecodeMeter(monkeypatch)
    with GetObjectMeter() as meter:  # all pages of results in order, as textract_done reads them
        tokens = all_tokens(OfflineTextract(Settings.from_env()), job_id)
    assert len(tokens) == 4  # 3,100 blocks in pages of 1,000
    assert meter.keys == [f"offline-textract/{job_id}.json", *sorted(parts)]  # each part once
    assert decoded.lines == 4  # each line once

    engine = OfflineTextract(Settings.from_env())  # a new client, as the next handler would have
    with GetObjectMeter() as meter:
        last = engine.get_document_text_detection(JobId=job_id, NextToken=tokens[-1])
    last_part = max(parts)
    # the manifest (status, counts) and the one part holding the page: no other part
    assert meter.keys == [f"offline-textract/{job_id}.json", last_part]
    assert meter.bytes - parts[last_part] < 1000  # the manifest
    with GetObjectMeter() as meter:  # the same client again: neither manifest nor part is read twice
        again = engine.get_document_text_detection(JobId=job_id, NextToken=tokens[-1])
    assert meter.keys == [] and again == last
    assert {b["Page"] for b in last["Blocks"]} <= {PAGES - 1, PAGES}
    assert last["JobStatus"] == "SUCCEEDED" and last["DocumentMetadata"] == {"Pages": PAGES}


@pytest.mark.parametrize("job", [(300, 3)], indirect=True, ids=["3x300"])
def test_pages_of_any_size_decode_only_the_lines_they_span(job, monkeypatch):
    job_id, _ = job
    engine = OfflineTextract(Settings.from_env())
    decoded = DecodeMeter(monkeypatch)
    first = engine.get_document_text_detection(JobId=job_id, MaxResults=10)
    second = engine.get_document_text_detection(JobId=job_id, MaxResults=10, NextToken=first["NextToken"])
    assert len(second["Blocks"]) == 10 and decoded.lines == 2  # one line (300 blocks) each
    decoded.lines = 0
    with GetObjectMeter() as meter:  # blocks 20 to 1019: lines 0 to 3, the second part's first line
        third = engine.get_document_text_detection(JobId=job_id, NextToken=second["NextToken"])
    assert decoded.lines == 4 and len(third["Blocks"]) == 1000
    assert meter.keys == [f"offline-textract/{job_id}/part-000001.jsonl.gz"]  # the first part was kept
    whole = textract_response_from_pdf(job[1])["Blocks"]
    assert [b["Id"] for b in [*first["Blocks"], *second["Blocks"], *third["Blocks"]]] \
        == [b["Id"] for b in whole[:1020]]


def test_paged_results_parse_to_the_one_shot_text(job):
    job_id, data = job
    engine = OfflineTextract(Settings.from_env())
    expected = document_from_pdf(data)
    assert document_from_textract(fetch_all_pages(engine, job_id), engine="local") == expected
    assert read_text_job(engine, job_id, engine="local") == expected


def test_a_result_stored_by_the_earlier_version_reads_the_same(cloud):
    """Chunks of whole JSON arrays (`blocks-N.json.gz`, `ChunkBlocks` in the manifest), as stored
    before parts: a job started before an upgrade is read after it."""
    data = long_pdf()
    response = textract_response_from_pdf(data)
    blocks, size, job_id = response["Blocks"], 700, "local-earlier"
    for index, start in enumerate(range(0, len(blocks), size)):
        client("s3").put_object(Bucket=config.BUCKET_NAME, Key=f"offline-textract/{job_id}/blocks-{index:06d}.json.gz",
                                Body=gzip.compress(json.dumps(blocks[start:start + size]).encode()))
    header = {k: v for k, v in response.items() if k != "Blocks"}
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=f"offline-textract/{job_id}.json",
                            Body=json.dumps({**header, "BlockCount": len(blocks), "ChunkBlocks": size}).encode())
    assert read_text_job(OfflineTextract(Settings.from_env()), job_id, engine="local") == document_from_pdf(data)


@pytest.mark.parametrize("job", [(1000, 2)], indirect=True, ids=["2x1000"])
def test_a_missing_part_is_a_failed_job_not_fewer_blocks(job):
    job_id, _ = job
    client("s3").delete_object(Bucket=config.BUCKET_NAME, Key=f"offline-textract/{job_id}/part-000001.jsonl.gz")
    engine = OfflineTextract(Settings.from_env())
    with pytest.raises(TextractJobFailed, match="lost offline-textract/.*/part-000001.jsonl.gz") as caught:
        read_text_job(engine, job_id, engine="local")
    assert caught.value.transient


def test_a_contract_whose_text_result_lost_a_part_fails_and_a_retry_reads_it(cloud, monkeypatch):
    """Not TEXT_PENDING for good (the daily sweep failing on it each day): FAILED at once with a
    reason a retry accepts, the PDF kept, no message left behind; the retry's new job reads whole."""
    from clausewatch.pipeline.recovery import is_transient, retry_contract
    from clausewatch.schema import ContractStatus
    from clausewatch.store import repository as repo

    monkeypatch.setattr(OfflineTextract, "PART_LINES", 1)
    put_file = offline.s3.put_file

    def losing_the_second_part(bucket, key, *args, **kwargs):
        if not key.endswith("/part-000001.jsonl.gz"):
            put_file(bucket, key, *args, **kwargs)

    monkeypatch.setattr(offline.s3, "put_file", losing_the_second_part)
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=f"{config.INBOX_PREFIX}lost.pdf", Body=long_pdf())
    cloud.pump()
    [contract] = repo.list_contracts()
    assert contract.status == ContractStatus.FAILED and is_transient(contract.status_reason)
    assert "part-000001.jsonl.gz" in contract.status_reason
    for queue in (config.TEXTRACT_QUEUE, config.TEXTRACT_DLQ):
        url = client("sqs").get_queue_url(QueueName=queue)["QueueUrl"]
        attributes = client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert attributes["ApproximateNumberOfMessages"] == attributes["ApproximateNumberOfMessagesNotVisible"] == "0"

    monkeypatch.setattr(offline.s3, "put_file", put_file)
    retry_contract(Settings.from_env(), contract.contract_id, actor="test")
    cloud.pump()
    retried = repo.get_contract(contract.contract_id)
    assert retried is not None and retried.status == ContractStatus.EXTRACTED
    assert retried.page_count == PAGES


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
