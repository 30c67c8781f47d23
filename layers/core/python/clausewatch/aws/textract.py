"""Text detection jobs: Amazon Textract, or its offline stand-in with the same API.

``text_client(settings)`` returns an object with Textract's two calls,
``start_document_text_detection`` and ``get_document_text_detection``. Deployed it is boto3's
Textract client; with ``text_engine == "local"`` (the embedded default, or a user who disables
Textract for born-digital PDFs) it is ``OfflineTextract``, which reads the PDF's text layer, keeps the
Textract-shaped result in the bucket, and announces completion on the same SNS topic in Textract's
own message format, so ``textract_done`` handles both alike.
"""

from __future__ import annotations

import hashlib
import json
import time

from .. import config
from ..config import Settings
from ..text.local import textract_response_from_pdf
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
    """Textract's async text detection API over the PDF text layer (no OCR)."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def _job_key(self, job_id: str) -> str:
        return f"{OFFLINE_JOBS_PREFIX}{job_id}.json"

    def start_document_text_detection(self, *, DocumentLocation: dict, ClientRequestToken: str,
                                      JobTag: str, NotificationChannel: dict, **_: object) -> dict:
        location = DocumentLocation["S3Object"]
        job_id = "local-" + hashlib.sha256(ClientRequestToken.encode()).hexdigest()[:32]
        stored = s3.get_object(location["Bucket"], location["Name"])
        if stored is None:
            result = {"JobStatus": "FAILED", "StatusMessage": "Unable to get object metadata from S3."}
        else:
            try:
                result = textract_response_from_pdf(stored.body)
            except InvalidDocument as exc:
                result = {"JobStatus": "FAILED", "StatusMessage": exc.reason}
        s3.put_json(self.settings.bucket, self._job_key(job_id), result)
        message = {"JobId": job_id, "Status": result["JobStatus"],
                   "API": "StartDocumentTextDetection", "JobTag": JobTag,
                   "Timestamp": int(time.time() * 1000),
                   "DocumentLocation": {"S3ObjectName": location["Name"],
                                        "S3Bucket": location["Bucket"]}}
        client("sns").publish(TopicArn=NotificationChannel["SNSTopicArn"], Message=json.dumps(message))
        return {"JobId": job_id}

    def get_document_text_detection(self, *, JobId: str, MaxResults: int = config.TEXTRACT_PAGE_SIZE,
                                    NextToken: str | None = None) -> dict:
        result = s3.get_json(self.settings.bucket, self._job_key(JobId))
        if result is None:
            raise ValueError(f"unknown offline text job {JobId}")
        if result["JobStatus"] != "SUCCEEDED":
            return result
        pages = split_into_pages(result, MaxResults)
        if NextToken is None:
            return pages[0]
        following = {page.get("NextToken"): index + 1 for index, page in enumerate(pages)}
        return pages[following[NextToken]]
