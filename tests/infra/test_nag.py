"""cdk-nag's AwsSolutions checks on the synthesized app (issue #13 section 3): every finding is
fixed or suppressed in code with its reason (infra/components/nag.py)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("cdk_nag", reason="cdk-nag not installed (pip install -e '.[cdk]')")

from aws_cdk.assertions import Annotations, Match

from infra.components.nag import REASONS


def test_no_unsuppressed_aws_solutions_finding(synthesized: tuple[Any, Any, Any]) -> None:
    _, stack, _ = synthesized
    annotations = Annotations.from_stack(stack)
    findings = [f"{e.id}: {e.entry.data}"[:200] for e in
                annotations.find_error("*", Match.string_like_regexp("AwsSolutions-.*"))]
    findings += [f"{w.id}: {w.entry.data}"[:200] for w in
                 annotations.find_warning("*", Match.string_like_regexp("AwsSolutions-.*"))]
    assert findings == []


def test_every_suppression_says_why() -> None:
    assert all(len(reason) > 60 for reason in REASONS.values())
    assert "AwsSolutions-S1" not in REASONS  # access logging is fixed, not suppressed


def test_the_contracts_bucket_logs_access_to_its_own_log_bucket(template: dict[str, Any]) -> None:
    buckets = {k: v["Properties"] for k, v in template["Resources"].items() if v["Type"] == "AWS::S3::Bucket"}
    (contracts,) = [p for k, p in buckets.items() if k.startswith("StoreContracts")]
    (logs_id,) = [k for k in buckets if k.startswith("StoreAccessLogs")]
    assert contracts["LoggingConfiguration"] == {"DestinationBucketName": {"Ref": logs_id},
                                                 "LogFilePrefix": "contracts/"}
    log_bucket = buckets[logs_id]
    assert log_bucket["PublicAccessBlockConfiguration"]["BlockPublicAcls"] is True
    assert log_bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 365
