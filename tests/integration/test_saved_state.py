"""The saved states tests start from (``save_cloud`` in tests/integration/conftest.py): restored, a
state is exactly the one that was built, with nothing left to deliver."""

from __future__ import annotations

import json

from clausewatch import clock, config
from clausewatch.aws.clients import client
from tests.integration.test_reminders_e2e import NOW, SAAS, upload_sample


def observable(cloud) -> dict:
    """What a test can see: items, objects, schedules, queue depths, mail, the clock; and how many
    events a pump still delivers (last: it consumes them)."""
    dynamodb, s3, sqs = client("dynamodb"), client("s3"), client("sqs")
    items = sorted(json.dumps(item, sort_keys=True)
                   for table in (config.TABLE_NAME, config.AUDIT_TABLE_NAME)
                   for page in dynamodb.get_paginator("scan").paginate(TableName=table)
                   for item in page.get("Items", []))
    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=config.BUCKET_NAME):
        for summary in page.get("Contents", []):
            obj = s3.get_object(Bucket=config.BUCKET_NAME, Key=summary["Key"])
            objects[summary["Key"]] = (obj["Body"].read(), obj["Metadata"], obj["ContentType"])
    assigned = {"Arn", "CreationDate", "LastModificationDate", "ResponseMetadata"}  # by the service
    schedules = json.dumps([{k: v for k, v in s.items() if k not in assigned} for s in cloud.schedules()],
                           default=str, sort_keys=True)
    depths = {}
    for url in sqs.list_queues()["QueueUrls"]:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        depths[url.rsplit("/", 1)[1]] = (attributes["ApproximateNumberOfMessages"],
                                         attributes["ApproximateNumberOfMessagesNotVisible"])
    return {"items": items, "objects": objects, "schedules": schedules, "queues": depths,
            "mail": cloud.sent_mail(), "clock": clock.simulated(), "pending": cloud.pump()}


def test_a_restored_state_is_the_state_that_was_built(save_cloud, cloud):
    seen = {}

    def build(cloud):
        clock.set_now(NOW)
        contract_id = upload_sample(cloud, SAAS)
        seen["built"] = observable(cloud)
        return contract_id

    saved = save_cloud(build)
    cloud.reset()
    clock.set_now(None)
    contract_id = saved.restore(cloud)
    restored, built = observable(cloud), seen["built"]
    assert built["items"] and built["objects"] and built["schedules"] != "[]" and built["clock"] == NOW
    assert built["pending"] == 0
    for part in built:
        assert restored[part] == built[part], part
    assert any(contract_id in key for key in restored["objects"])


def test_a_restart_does_not_record_the_money_files_again(cloud, tmp_path):
    from clausewatch.local import state
    from clausewatch.store import money as store
    from clausewatch.store import repository as repo

    clock.set_now(NOW)
    contract_id = upload_sample(cloud, SAAS)
    s3 = client("s3")
    # a breach, then the supplier's correction; in key order the correction ("a") comes first
    for name, level in (("b-first.csv", "98.0"), ("a-correction.csv", "99.95")):
        s3.put_object(Bucket=config.BUCKET_NAME, Key=f"metrics/{contract_id}/{name}",
                      Body=f"period,metric,value\n2026-07,availability,{level}\n".encode())
        cloud.pump()
    recorded = [e.sk for e in repo.audit_events(contract_id) if e.action == "metrics.recorded"]
    assert [f.kind for f in store.findings(contract_id)] == ["sla_breach_withdrawn"]
    state.save(tmp_path)
    cloud.reset()
    assert state.load(tmp_path)
    cloud.pump()  # the handlers run: what the restart delivers is processed as on any day
    assert [f.kind for f in store.findings(contract_id)] == ["sla_breach_withdrawn"]  # was: the breach again
    assert [e.sk for e in repo.audit_events(contract_id) if e.action == "metrics.recorded"] == recorded
