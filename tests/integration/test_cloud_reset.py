"""The embedded default's reset (every test's ``cloud``): it empties every resource, and keeps the
boto3 clients and the models' connections when nothing they were made with changed (making them
again was most of a reset's time: about 1.3 s of it, 0.3 s without)."""

from __future__ import annotations

from clausewatch import config, schema
from clausewatch.aws import clients
from clausewatch.store import models


def test_a_reset_keeps_the_clients_and_still_empties_every_resource(cloud):
    s3 = clients.client("s3")
    connection = models.ContractItem._get_connection()
    s3.put_object(Bucket=config.BUCKET_NAME, Key="inbox/kept.pdf", Body=b"%PDF-1.4")
    key = {schema.PARTITION_KEY: {"S": "CONTRACT#left"}, schema.SORT_KEY: {"S": "META"}}
    clients.client("dynamodb").put_item(TableName=config.TABLE_NAME, Item=key)
    cloud.reset()
    assert clients.client("s3") is s3
    assert models.ContractItem._get_connection() is connection
    assert s3.list_objects_v2(Bucket=config.BUCKET_NAME).get("KeyCount") == 0
    assert "Item" not in clients.client("dynamodb").get_item(TableName=config.TABLE_NAME, Key=key)


def test_a_reset_after_the_environment_changed_makes_them_again(cloud, monkeypatch):
    s3 = clients.client("s3")
    connection = models.ContractItem._get_connection()
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")  # as a test pointing elsewhere would
    cloud.reset()
    assert clients.client("s3") is not s3
    assert clients.client("s3").meta.endpoint_url == cloud.endpoint
    assert models.ContractItem._get_connection() is not connection
    assert clients.client("s3").list_objects_v2(Bucket=config.BUCKET_NAME).get("KeyCount") == 0


def test_the_default_webhook_outbox_is_the_running_clouds_own(cloud, monkeypatch):
    """Two clouds at once (parallel test workers, two CLIs with no state folder) never write their
    webhook deliveries into one folder: the default is named by the server's port."""
    from clausewatch.local.cloud import LocalCloud

    monkeypatch.delenv(config.ENV_WEBHOOK_OUTBOX, raising=False)
    ours = cloud.environment()[config.ENV_WEBHOOK_OUTBOX]
    other = LocalCloud()
    other.endpoint = "http://127.0.0.1:1"  # another server's address (not started: only its name is read)
    assert ours == cloud.default_webhook_outbox()
    assert ours.endswith(cloud.endpoint.rsplit(":", 1)[-1])
    assert other.default_webhook_outbox() != ours


def test_a_reset_empties_the_default_outbox_and_never_a_named_one(cloud, monkeypatch, tmp_path):
    """What a cloud before this one on the same port delivered to the default outbox (or this cloud
    before its reset) is gone after the reset; an outbox someone named keeps its files."""
    from pathlib import Path

    monkeypatch.delenv(config.ENV_WEBHOOK_OUTBOX, raising=False)
    default = Path(cloud.default_webhook_outbox())
    default.mkdir(parents=True, exist_ok=True)
    (default / "20261201T090000-old-delivery.json").write_text("{}")
    cloud.reset()
    assert not list(default.glob("*.json"))
    named = tmp_path / "outbox"
    named.mkdir()
    (named / "kept.json").write_text("{}")
    monkeypatch.setenv(config.ENV_WEBHOOK_OUTBOX, str(named))
    cloud.reset()
    assert [p.name for p in named.glob("*.json")] == ["kept.json"]
