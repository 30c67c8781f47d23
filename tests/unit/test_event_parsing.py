"""How the queue consumers read the shapes AWS delivers (powertools data classes): S3 notifications
inside SQS messages for ingest, Textract's completion inside the SNS envelope inside SQS messages
for textract_done. Pure: no AWS involved."""

from __future__ import annotations

import json

from aws_lambda_powertools.utilities.data_classes import S3Event
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from clausewatch.local.handlers import load_handler
from clausewatch.pipeline.intake import Upload, uploads_in_s3_event
from tests.paths import REPO_ROOT

EVENTS = REPO_ROOT / "events"


def s3_record(event_name: str, key: str, version_id: str | None = None) -> dict:
    obj = {"key": key, "size": 9120, "eTag": "d41d8cd98f00b204e9800998ecf8427e", "sequencer": "0055AED6DCD90281E5"}
    if version_id:
        obj["versionId"] = version_id
    return {"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": event_name,
            "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "clausewatch-contracts"}, "object": obj}}


def test_object_created_records_become_uploads_with_their_version():
    event = S3Event({"Records": [s3_record("ObjectCreated:Put", "inbox/a.pdf", "v2"),
                                 s3_record("ObjectCreated:CompleteMultipartUpload", "inbox/b.pdf")]})
    assert uploads_in_s3_event(event) == [Upload("clausewatch-contracts", "inbox/a.pdf", "v2"),
                                          Upload("clausewatch-contracts", "inbox/b.pdf", None)]


def test_keys_are_url_decoded_as_s3_encodes_them():
    # S3 form-encodes keys in notifications: spaces as '+', reserved characters as %XX
    event = S3Event({"Records": [s3_record("ObjectCreated:Put", "inbox/Master+Services+Agreement+%282024%29%2B1.pdf")]})
    [upload] = uploads_in_s3_event(event)
    assert upload.key == "inbox/Master Services Agreement (2024)+1.pdf"


def test_other_events_and_the_test_event_give_no_uploads():
    assert uploads_in_s3_event(S3Event({"Records": [s3_record("ObjectRemoved:Delete", "inbox/a.pdf")]})) == []
    # sent once when the notification is configured
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2026-11-25T09:00:00.000Z",
                  "Bucket": "clausewatch-contracts", "RequestId": "5582815E1AEA5ADF", "HostId": "8cLeGAmw"}
    assert uploads_in_s3_event(S3Event(test_event)) == []


def test_the_sample_ingest_event_names_its_upload():
    record = SQSRecord(json.loads((EVENTS / "ingest-s3-via-sqs.json").read_text())["Records"][0])
    assert uploads_in_s3_event(record.decoded_nested_s3_event) == [
        Upload("clausewatch-contracts", "inbox/saas-subscription-northwind.pdf", None)]


def test_textract_notification_from_the_sns_envelope_and_from_a_raw_delivery():
    textract_notification = load_handler("textract_done").textract_notification
    enveloped = json.loads((EVENTS / "textract_done-sns-via-sqs.json").read_text())["Records"][0]
    notification = textract_notification(SQSRecord(enveloped))
    assert notification["Status"] == "SUCCEEDED" and notification["JobTag"] == "3f1c2b9a8d7e6f50"
    # with raw message delivery on, the queue body is Textract's JSON itself
    raw = {**enveloped, "body": json.loads(enveloped["body"])["Message"]}
    assert textract_notification(SQSRecord(raw)) == notification
