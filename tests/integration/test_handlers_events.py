"""Every sample event in events/ is accepted by its handler (the shapes AWS sends)."""

from __future__ import annotations

import json
from pathlib import Path

from clausewatch import config
from clausewatch.aws.clients import client
from clausewatch.local.handlers import invoke
from clausewatch.schema import ContractStatus
from clausewatch.store import repository as repo
from tests.paths import EVENTS, SAMPLES


def event(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def test_every_handler_has_a_sample_event():
    covered = {p.name.split("-")[0] for p in EVENTS.glob("*.json")}
    assert covered == set(config.FUNCTIONS)


def test_ingest_sample_event(cloud):
    body = json.loads(event("ingest-s3-via-sqs.json")["Records"][0]["body"])
    key = body["Records"][0]["s3"]["object"]["key"]
    # the object the sample event announces, put without its notification firing first
    client("s3").put_bucket_notification_configuration(Bucket=config.BUCKET_NAME,
                                                       NotificationConfiguration={})
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=key,
                            Body=(SAMPLES / Path(key).name).read_bytes())
    assert invoke("ingest", event("ingest-s3-via-sqs.json")) == {"batchItemFailures": []}
    [contract] = repo.list_contracts()
    assert contract.status == ContractStatus.TEXT_PENDING and contract.file_name == Path(key).name


def test_textract_done_sample_event_for_an_unknown_job_is_consumed(cloud):
    assert invoke("textract_done", event("textract_done-sns-via-sqs.json")) == {"batchItemFailures": []}


def test_planner_sample_events(cloud):
    assert invoke("planner", event("planner-dynamodb-stream.json")) == {"batchItemFailures": []}
    # the daily rule's invocation sends one page message per GSI5 shard (nothing is due: pages are empty)
    from clausewatch import schema

    assert invoke("planner", event("planner-daily-sweep.json")) == {"sweep_messages": schema.WORK_SHARDS,
                                                                    "recovered": []}
    assert invoke("planner", event("planner-sweep-page.json")) == {"batchItemFailures": []}


def test_alert_sample_event_for_an_unknown_contract_sends_nothing(cloud):
    result = invoke("alert", event("alert-scheduler-payload.json"))
    assert result["sent"] is False and result["reason"]


def test_api_sample_event_lists_the_callers_teams_contracts(cloud):
    response = invoke("api", event("api-rest-get-contracts.json"))
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"items": [], "next_cursor": None}


def test_money_sample_event_for_an_unknown_contract_is_refused_and_kept(cloud):
    body = json.loads(event("money-s3-via-sqs.json")["Records"][0]["body"])
    key = body["Records"][0]["s3"]["object"]["key"]
    client("s3").put_bucket_notification_configuration(Bucket=config.BUCKET_NAME,
                                                       NotificationConfiguration={})
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=key,
                            Body=(SAMPLES / "invoice-northwind-2026-03.xml").read_bytes())
    assert invoke("money", event("money-s3-via-sqs.json")) == {"batchItemFailures": []}
    refused = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=f"{config.REFUSED_PREFIX}{key}.error.json")
    assert "no contract" in json.loads(refused["Body"].read())["reason"]


def test_webhook_sample_event_for_a_deleted_subscription_is_consumed(cloud):
    # the subscription it names does not exist (deleted since it was queued): nothing to deliver
    assert invoke("webhook", event("webhook-sqs.json")) == {"batchItemFailures": []}
