"""Handlers log through clausewatch.observability: JSON lines with the service name from the
environment and the invocation's correlation id, and the pipeline's plain module loggers carry the
same correlation id.

powertools' Logger reads POWERTOOLS_SERVICE_NAME when the handler module is imported, as on Lambda,
so this runs the handler in a fresh interpreter whose environment is a deployed function's (the
test session's own handlers were imported long ago, under the embedded default's settings) and
reads the JSON lines it writes to stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.paths import REPO_ROOT

RUN_INGEST = r"""
import json, sys
from pathlib import Path

from clausewatch.local.cloud import LocalCloud
from clausewatch.local.handlers import invoke, load_handler

load_handler("ingest")  # imported with the environment this process started with, as on Lambda

# 1. an event the handler answers without touching AWS (the key is not under inbox/)
body = {"Records": [{"eventName": "ObjectCreated:Put",
                     "s3": {"bucket": {"name": "clausewatch-contracts"}, "object": {"key": "outbox/x.pdf"}}}]}
invoke("ingest", {"Records": [{"messageId": "message-1", "receiptHandle": "r", "body": json.dumps(body),
                               "attributes": {}, "messageAttributes": {}, "md5OfBody": "",
                               "eventSource": "aws:sqs", "awsRegion": "us-east-1",
                               "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:clausewatch-ingest"}]})

# 2. a bad upload through the embedded default: the pipeline (intake) logs the quarantine
with LocalCloud() as cloud:
    cloud.upload(Path(sys.argv[1]))
    cloud.pump()
"""


def test_handler_and_pipeline_lines_carry_service_name_and_correlation_id(tmp_path):
    bad_upload = tmp_path / "notes.pdf"
    bad_upload.write_bytes(b"meeting notes, not a pdf")
    env = {**os.environ, "POWERTOOLS_SERVICE_NAME": "clausewatch-ingest", "POWERTOOLS_LOG_LEVEL": "INFO",
           "POWERTOOLS_TRACE_DISABLED": "true"}
    done = subprocess.run([sys.executable, "-c", RUN_INGEST, str(bad_upload)], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]

    ignored = next(line for line in lines if line["message"] == "ingested" and line["key"] == "outbox/x.pdf")
    assert ignored["service"] == "clausewatch-ingest"
    assert ignored["correlation_id"] == "message-1"  # Records[0].messageId
    assert ignored["outcome"] == "ignored"

    quarantined = next(line for line in lines if line["message"] == "ingested" and line["key"] == "inbox/notes.pdf")
    assert quarantined["outcome"] == "quarantined" and quarantined["correlation_id"] not in (None, "message-1")
    [pipeline_line] = [line for line in lines if line.get("name") == "clausewatch.pipeline.intake"]
    assert pipeline_line["message"].startswith("quarantined inbox/notes.pdf")
    assert pipeline_line["level"] == "WARNING"
    assert pipeline_line["correlation_id"] == quarantined["correlation_id"]
    assert pipeline_line["service"] == "clausewatch-ingest"
