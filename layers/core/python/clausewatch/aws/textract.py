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
import zlib
from collections.abc import Iterator

import orjson

from .. import config
from ..config import Settings
from ..text.budget import TEXT_BUDGET, BudgetExceeded, iterate_with_budget
from ..text.local import iter_page_blocks, response_header
from ..text.textract import TextractJobFailed, split_into_pages
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
    number of blocks) and the blocks in parts (`offline-textract/<job>/part-N.jsonl.gz`). A part is
    PART_LINES lines, each the JSON array of LINE_BLOCKS blocks (a full page of results), gzipped.
    A GetDocumentTextDetection call reads the manifest (once per client) and the part holding the
    blocks it serves, unless it is the part this client read last (the handler reads the pages of
    results in order, so each part is fetched once), and decodes only the lines it serves: its work
    follows the page of results, its memory one part (~4 MB of JSON text), never the document.
    Extraction runs under the text budget (`text.budget`): a PDF that takes too long or too much
    memory is a FAILED job with the reason, like a document Textract cannot read.
    """

    LINE_BLOCKS = config.TEXTRACT_PAGE_SIZE
    PART_LINES = 10  # 10,000 blocks (about 17 pages of contract text) in one S3 object

    def __init__(self, settings: Settings):
        self.settings = settings
        self._manifests: dict[str, dict] = {}  # a finished job's manifest never changes
        self._last_part: tuple[str, int, list[bytes]] | None = None  # (job, part, its lines)

    def _job_key(self, job_id: str) -> str:
        return f"{OFFLINE_JOBS_PREFIX}{job_id}.json"

    def _part_key(self, job_id: str, index: int, manifest: dict | None = None) -> str:
        if manifest is not None and "PartLines" not in manifest:  # stored by an earlier version
            return f"{OFFLINE_JOBS_PREFIX}{job_id}/blocks-{index:06d}.json.gz"
        return f"{OFFLINE_JOBS_PREFIX}{job_id}/part-{index:06d}.jsonl.gz"

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
        """Extract the text layer (under the text budget), writing the parts as they come;
        returns the job's manifest (FAILED with the reason when refused)."""
        parts = pages = blocks = 0
        try:
            for item in iterate_with_budget(_encoded_parts, pdf, self.LINE_BLOCKS, self.PART_LINES,
                                            seconds=TEXT_BUDGET.seconds, memory_mb=TEXT_BUDGET.memory_mb,
                                            step="text extraction"):
                if item[0] == "part":
                    s3.put_file(self.settings.bucket, self._part_key(job_id, parts), item[1],
                                content_type="application/gzip")
                    parts += 1
                else:
                    _, pages, blocks = item
        except (InvalidDocument, BudgetExceeded) as exc:
            for index in range(parts):
                s3.delete_object(self.settings.bucket, self._part_key(job_id, index))
            return {"JobStatus": "FAILED", "StatusMessage": exc.reason}
        return {**response_header(pages), "BlockCount": blocks, "LineBlocks": self.LINE_BLOCKS,
                "PartLines": self.PART_LINES}

    def _part_lines(self, job_id: str, index: int, manifest: dict) -> list[bytes]:
        """A stored part's lines (JSON arrays of blocks, not decoded yet); the last one read is kept."""
        if self._last_part is not None and self._last_part[:2] == (job_id, index):
            return self._last_part[2]
        self._last_part = None  # the previous part is let go before the next is read
        key = self._part_key(job_id, index, manifest)
        stored = s3.get_object(self.settings.bucket, key)
        if stored is None:  # never served as fewer blocks: the text would silently lose pages
            raise TextractJobFailed("FAILED", f"its stored result lost {key}", transient=True)
        lines = gzip.decompress(stored.body).split(b"\n")
        self._last_part = (job_id, index, lines)
        return lines

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
        total = manifest["BlockCount"]
        # an earlier version stored chunks of ChunkBlocks blocks: parts of one line
        size, per_part = manifest.get("LineBlocks") or manifest["ChunkBlocks"], manifest.get("PartLines", 1)
        end = min(start + max(1, MaxResults), total)
        blocks: list[dict] = []
        for line in range(start // size, (end - 1) // size + 1 if end > start else 0):
            part, within = divmod(line, per_part)
            lines = self._part_lines(JobId, part, manifest)
            if within >= len(lines):
                raise TextractJobFailed("FAILED", f"its stored result's part {part} has {len(lines)} lines, "
                                                  f"not {within + 1}", transient=True)
            first = line * size
            blocks.extend(orjson.loads(lines[within])[max(start - first, 0):end - first])
        response = {k: v for k, v in manifest.items()
                    if k not in ("BlockCount", "ChunkBlocks", "LineBlocks", "PartLines")}
        response["Blocks"] = blocks
        if end < total:
            response["NextToken"] = f"blocks-{end}"
        return response


def _encoded_parts(pdf: bytes, line_blocks: int, part_lines: int) -> Iterator[tuple]:
    """In the budget's child process: the text layer's blocks as gzipped parts of `part_lines`
    lines, each the JSON of `line_blocks` blocks, ("part", bytes), then ("end", pages, blocks).
    Encoding here, not in the parent, saves passing every block through the pipe as Python
    objects; each line is encoded as soon as its blocks are in, so the child holds one line of
    blocks and one part's compressed bytes."""
    pending: list[dict] = []
    part = _PartWriter()
    pages = blocks = 0
    for page_blocks in iter_page_blocks(pdf):
        pages += 1
        blocks += len(page_blocks)
        pending.extend(page_blocks)
        while len(pending) >= line_blocks:
            part.add(pending[:line_blocks])
            pending = pending[line_blocks:]
            if part.lines == part_lines:
                yield "part", part.close()
                part = _PartWriter()
    if pending:
        part.add(pending)
    if part.lines:
        yield "part", part.close()
    yield "end", pages, blocks


class _PartWriter:
    """One part being written: JSON lines into a gzip stream. A line of 1,000 blocks is ~400 kB of
    JSON (mostly repeated keys and numbers), ~50 kB zipped. orjson encodes 7x faster than json and
    decodes 2x; the values read back are the same (the text too, but for floats such as
    5e-05, which orjson writes 0.00005)."""

    def __init__(self) -> None:
        self._zip = zlib.compressobj(1, zlib.DEFLATED, 31)  # 31: the gzip format gzip.decompress reads
        self._out: list[bytes] = []
        self.lines = 0

    def add(self, blocks: list[dict]) -> None:
        self._out.append(self._zip.compress((b"\n" if self.lines else b"") + orjson.dumps(blocks)))
        self.lines += 1

    def close(self) -> bytes:
        self._out.append(self._zip.flush())
        return b"".join(self._out)


def _block_offset(token: str | None) -> int:
    if not token:
        return 0
    if not token.startswith("blocks-") or not token[len("blocks-"):].isdigit():
        raise ValueError(f"invalid NextToken {token!r}")
    return int(token[len("blocks-"):])
