"""Text detection jobs: Amazon Textract, or its offline stand-in with the same API.

``text_client(settings)`` returns an object with Textract's two calls,
``start_document_text_detection`` and ``get_document_text_detection``. Deployed it is boto3's
Textract client; with ``text_engine == "local"`` (the embedded default, or a user who disables
Textract for born-digital PDFs) it is ``OfflineTextract``, which reads the PDF's text layer, keeps the
Textract-shaped result in the bucket, and announces completion on the same SNS topic in Textract's
own message format, so ``textract_done`` handles both alike.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Iterator

from .. import config
from ..config import Settings
from ..text.budget import TEXT_BUDGET, BudgetExceeded, iterate_with_budget
from ..text.local import iter_page_blocks, response_header
from ..text.textract import split_into_pages
from ..text.validate import InvalidDocument
from . import s3
from .clients import client

OFFLINE_JOBS_PREFIX = "offline-textract/"


def start_text_detection(settings: Settings, contract_id: str, token: str, bucket: str, key: str) -> str:
    """Start an async text detection job for s3://bucket/key; returns the job id.

    A retried start with the same ClientRequestToken returns the same job instead of a second one.
    """
    response = text_client(settings).start_document_text_detection(
        DocumentLocation={"S3Object": {"Bucket": bucket, "Name": key}},
        ClientRequestToken=token,
        JobTag=contract_id,
        NotificationChannel={"SNSTopicArn": settings.textract_topic_arn,
                             "RoleArn": settings.textract_role_arn},
    )
    return response["JobId"]


def text_client(settings: Settings):
    if settings.text_engine == "local":
        return OfflineTextract(settings)
    return client("textract")


class OfflineTextract:
    """Textract's async text detection API over the PDF text layer (no OCR).

    The result is stored as a small manifest (`offline-textract/<job>.json`: status, page count,
    number of blocks) and the blocks in fixed-size chunks (`offline-textract/<job>/blocks-N.json.gz`,
    CHUNK_BLOCKS each), so a GetDocumentTextDetection call reads the manifest (once per client) and
    only the chunks holding the blocks it serves: its cost and memory follow the page of results,
    not the document.
    Extraction runs under the text budget (`text.budget`): a PDF that takes too long or too much
    memory is a FAILED job with the reason, like a document Textract cannot read.
    """

    CHUNK_BLOCKS = config.TEXTRACT_PAGE_SIZE

    def __init__(self, settings: Settings):
        self.settings = settings
        self._manifests: dict[str, dict] = {}  # a finished job's manifest never changes

    def _job_key(self, job_id: str) -> str:
        return f"{OFFLINE_JOBS_PREFIX}{job_id}.json"

    def _chunk_key(self, job_id: str, index: int) -> str:
        return f"{OFFLINE_JOBS_PREFIX}{job_id}/blocks-{index:06d}.json.gz"

    def start_document_text_detection(self, *, DocumentLocation: dict, ClientRequestToken: str,
                                      JobTag: str, NotificationChannel: dict, **_: object) -> dict:
        location = DocumentLocation["S3Object"]
        job_id = "local-" + hashlib.sha256(ClientRequestToken.encode()).hexdigest()[:32]
        stored = s3.get_object(location["Bucket"], location["Name"])
        if stored is None:
            manifest = {"JobStatus": "FAILED", "StatusMessage": "Unable to get object metadata from S3."}
        else:
            manifest = self._store_result(job_id, stored.body)
        s3.put_json(self.settings.bucket, self._job_key(job_id), manifest)
        message = {"JobId": job_id, "Status": manifest["JobStatus"],
                   "API": "StartDocumentTextDetection", "JobTag": JobTag,
                   "Timestamp": int(time.time() * 1000),
                   "DocumentLocation": {"S3ObjectName": location["Name"],
                                        "S3Bucket": location["Bucket"]}}
        client("sns").publish(TopicArn=NotificationChannel["SNSTopicArn"], Message=json.dumps(message))
        return {"JobId": job_id}

    def _store_result(self, job_id: str, pdf: bytes) -> dict:
        """Extract the text layer (under the text budget), writing the chunks as they come;
        returns the job's manifest (FAILED with the reason when refused)."""
        chunks = pages = blocks = 0
        try:
            for item in iterate_with_budget(_encoded_chunks, pdf, self.CHUNK_BLOCKS, seconds=TEXT_BUDGET.seconds,
                                            memory_mb=TEXT_BUDGET.memory_mb, step="text extraction"):
                if item[0] == "chunk":
                    s3.put_file(self.settings.bucket, self._chunk_key(job_id, chunks), item[1],
                                content_type="application/gzip")
                    chunks += 1
                else:
                    _, pages, blocks = item
        except (InvalidDocument, BudgetExceeded) as exc:
            for index in range(chunks):
                s3.delete_object(self.settings.bucket, self._chunk_key(job_id, index))
            return {"JobStatus": "FAILED", "StatusMessage": exc.reason}
        return {**response_header(pages), "BlockCount": blocks, "ChunkBlocks": self.CHUNK_BLOCKS}

    def _get_chunk(self, job_id: str, index: int) -> list[dict]:
        stored = s3.get_object(self.settings.bucket, self._chunk_key(job_id, index))
        return [] if stored is None else json.loads(gzip.decompress(stored.body))

    def get_document_text_detection(self, *, JobId: str, MaxResults: int = config.TEXTRACT_PAGE_SIZE,
                                    NextToken: str | None = None) -> dict:
        manifest = self._manifests.get(JobId) or s3.get_json(self.settings.bucket, self._job_key(JobId))
        if manifest is None:
            raise ValueError(f"unknown offline text job {JobId}")
        self._manifests[JobId] = manifest
        if manifest["JobStatus"] != "SUCCEEDED":
            return manifest
        if "Blocks" in manifest:  # a whole result stored by an earlier version
            pages = split_into_pages(manifest, MaxResults)
            following = {page.get("NextToken"): index + 1 for index, page in enumerate(pages)}
            return pages[following[NextToken]] if NextToken else pages[0]
        start = _block_offset(NextToken)
        total, size = manifest["BlockCount"], manifest["ChunkBlocks"]
        end = min(start + max(1, MaxResults), total)
        blocks: list[dict] = []
        for index in range(start // size, (end - 1) // size + 1 if end > start else 0):
            chunk = self._get_chunk(JobId, index)
            blocks.extend(chunk[max(start - index * size, 0):end - index * size])
        response = {k: v for k, v in manifest.items() if k not in ("BlockCount", "ChunkBlocks")}
        response["Blocks"] = blocks
        if end < total:
            response["NextToken"] = f"blocks-{end}"
        return response


def _encoded_chunks(pdf: bytes, size: int) -> Iterator[tuple]:
    """In the budget's child process: the text layer's blocks as gzipped JSON chunks of `size`
    blocks, ("chunk", bytes), then ("end", pages, blocks). Encoding here, not in the parent, saves
    passing every block through the pipe as Python objects."""
    pending: list[dict] = []
    pages = blocks = 0
    for page_blocks in iter_page_blocks(pdf):
        pages += 1
        blocks += len(page_blocks)
        pending.extend(page_blocks)
        while len(pending) >= size:
            yield "chunk", _encode_chunk(pending[:size])
            pending = pending[size:]
    if pending:
        yield "chunk", _encode_chunk(pending)
    yield "end", pages, blocks


def _encode_chunk(blocks: list[dict]) -> bytes:
    # gzip: a chunk of blocks is mostly repeated keys and numbers (~400 kB of JSON, ~60 kB zipped)
    return gzip.compress(json.dumps(blocks, separators=(",", ":"), ensure_ascii=False).encode(), 1)


def _block_offset(token: str | None) -> int:
    if not token:
        return 0
    if not token.startswith("blocks-") or not token[len("blocks-"):].isdigit():
        raise ValueError(f"invalid NextToken {token!r}")
    return int(token[len("blocks-"):])
