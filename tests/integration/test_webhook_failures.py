"""Webhook endpoints that fail, on the embedded default with real HTTP servers on this machine: one
that answers 500 and one that hangs past the delivery timeout (made small here through
CLAUSEWATCH_WEBHOOK_TIMEOUT_SECONDS). Each try is bounded, retried after its backoff a bounded number
of times, then recorded as failed with the reason (the delivery record `GET /webhooks` lists, and a
`webhook.failed` line in the contract's audit trail); another endpoint of the team gets the event at
once all the same."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from clausewatch import clock, config
from clausewatch.webhooks import backoff_seconds
from tests.integration.api_support import (  # noqa: F401
    IT,
    PROCUREMENT,
    SAAS,
    _world,
    call,
    no_scan_in_api_requests,
    restore,
)
from tests.integration.test_money_webhooks import ADMIN, EDITOR, METRICS, Receiver, _dlq_depth, _pump_after

TIMEOUT = 0.3  # seconds: the delivery timeout in these tests (5 s deployed)
HANG = 2.0  # the hanging endpoint answers 204 after this long: in time for the old fixed 5 s timeout


class Hanging:
    """An endpoint on 127.0.0.1 that reads the request, then answers 204 only after ``HANG`` seconds."""

    def __init__(self) -> None:
        self.received: list[float] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append(time.monotonic())
                time.sleep(HANG)
                try:
                    self.send_response(204)
                    self.end_headers()
                except OSError:
                    pass  # the client gave up

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def world(_local_cloud_session, _world, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv(config.ENV_WEBHOOK_OUTBOX, str(tmp_path / "outbox"))
    monkeypatch.setenv(config.ENV_WEBHOOK_TIMEOUT_SECONDS, str(TIMEOUT))
    restore(_local_cloud_session, _world)
    clock.set_now(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    yield _local_cloud_session, _world.ids[SAAS]
    clock.set_now(None)


def _subscribe(url: str, label: str) -> dict:
    reply = call("POST", "/webhooks", claims=ADMIN,
                 body={"kind": "generic", "url": url, "events": ["sla.breach"], "label": label})
    assert reply.status == 201, reply.text
    return reply.json()


def _hooks() -> dict[str, dict]:
    return {h["label"]: h for h in call("GET", "/webhooks", claims=ADMIN).json()["items"]}


def _every_try(cloud) -> None:
    """The product clock through every backoff, each try delivered."""
    for attempt in range(1, config.WEBHOOK_MAX_ATTEMPTS + 1):
        _pump_after(cloud, backoff_seconds(attempt) + 1)


def _failed_lines(contract_id: str) -> list[dict]:
    trail = call("GET", f"/contracts/{contract_id}/audit", claims=EDITOR).json()["items"]
    return [e for e in trail if e["action"] == "webhook.failed"]


def test_an_endpoint_answering_500_ends_recorded_as_failed_and_others_get_the_event(world):
    cloud, saas = world
    broken, healthy = Receiver(status=500), Receiver()
    try:
        _subscribe(broken.url, "broken")
        _subscribe(healthy.url, "healthy")
        call("POST", f"/contracts/{saas}/metrics", claims=EDITOR, body=METRICS)
        cloud.pump()
        assert len(healthy.received) == 1 and len(broken.received) == 1  # the other endpoint: at once
        _every_try(cloud)
    finally:
        broken.close()
        healthy.close()
    assert len(broken.received) == config.WEBHOOK_MAX_ATTEMPTS and len(healthy.received) == 1
    assert _dlq_depth() == 1
    hooks = _hooks()
    [failed] = hooks["broken"]["failed_deliveries"]
    assert failed["event_type"] == "sla.breach" and failed["error"] == "HTTP 500"
    assert failed["attempts"] == config.WEBHOOK_MAX_ATTEMPTS and failed["contract_id"] == saas
    assert hooks["broken"]["given_up"] == 1
    assert hooks["healthy"]["failed_deliveries"] == [] and hooks["healthy"]["delivered"] == 1
    [line] = _failed_lines(saas)  # the team reads it in the contract's trail
    assert line["detail"]["error"] == "HTTP 500" and line["detail"]["label"] == "broken"
    assert f"after {config.WEBHOOK_MAX_ATTEMPTS} tries" in line["detail"]["reason"]


def test_an_endpoint_that_hangs_times_out_each_try_and_ends_recorded_as_failed(world):
    cloud, saas = world
    hanging, healthy = Hanging(), Receiver()
    try:
        _subscribe(hanging.url, "hanging")
        _subscribe(healthy.url, "healthy")
        call("POST", f"/contracts/{saas}/metrics", claims=EDITOR, body=METRICS)
        cloud.pump()
        assert len(hanging.received) == 1 and len(healthy.received) == 1
        hook = _hooks()["hanging"]
        # the try was cut at the timeout, not waited out (the endpoint answers 204 after HANG seconds:
        # under the old fixed 5 s it was delivered)
        assert hook["last_error"] == f"no answer within {TIMEOUT:g} s (timed out)" and hook["delivered"] == 0
        assert hook["failed_deliveries"] == []  # tried again after its backoff: not given up yet
        _every_try(cloud)
    finally:
        hanging.close()
        healthy.close()
    assert len(hanging.received) == config.WEBHOOK_MAX_ATTEMPTS
    [failed] = _hooks()["hanging"]["failed_deliveries"]
    assert failed["error"] == f"no answer within {TIMEOUT:g} s (timed out)"
    [line] = _failed_lines(saas)
    assert line["detail"]["event_type"] == "sla.breach" and "timed out" in line["detail"]["reason"]


def test_the_delivery_timeout_is_configured_and_bounded():
    assert config.Settings.from_env({}).webhook_timeout_seconds == config.WEBHOOK_TIMEOUT_SECONDS == 5.0
    assert config.Settings.from_env({config.ENV_WEBHOOK_TIMEOUT_SECONDS: "0.25"}).webhook_timeout_seconds == 0.25
    consumer = config.QUEUE_CONSUMERS[config.WEBHOOK_QUEUE]
    # one delivery an invocation: a hanging endpoint holds up no other delivery, and its try ends
    # well inside the function's timeout (the message is never received again for a timed-out batch)
    assert consumer.batch_size == 1 and consumer.batch_size * config.WEBHOOK_TIMEOUT_SECONDS < consumer.timeout_seconds
    assert timedelta(seconds=sum(backoff_seconds(a) for a in range(1, config.WEBHOOK_MAX_ATTEMPTS))) \
        < timedelta(minutes=16)


def test_an_event_queued_before_its_subscription_was_disabled_is_recorded_as_given_up(world):
    from clausewatch.store import webhooks as store

    cloud, saas = world
    broken = Receiver(status=500)
    try:
        hook = _subscribe(broken.url, "broken")
        call("POST", f"/contracts/{saas}/metrics", claims=EDITOR, body=METRICS)
        cloud.pump()
        assert len(broken.received) == 1
        item = store.get(hook["id"])  # disabled meanwhile (another event's failures, say)
        item.disabled, item.disabled_reason = True, "3 events in a row failed every try"
        item.save()
        _every_try(cloud)
    finally:
        broken.close()
    assert len(broken.received) == 1  # never sent to a disabled subscription
    assert _dlq_depth() == 1
    [failed] = _hooks()["broken"]["failed_deliveries"]  # was: no record at all
    assert failed["error"].startswith("subscription disabled (3 events in a row failed every try)")
    [line] = _failed_lines(saas)
    assert line["detail"]["label"] == "broken"


def test_an_event_given_up_twice_is_counted_and_told_once_and_old_records_are_pruned(world):
    """Its last try delivered again (SQS delivers at least once; a redrive that fails again): was
    counted again in ``given_up`` (toward disabling the subscription) with a second trail line. And a
    subscription's records of events given up are bounded (was: every one kept and read by GET /webhooks)."""
    from clausewatch.config import Settings
    from clausewatch.pipeline import webhooks as pipeline
    from clausewatch.store import webhooks as store
    from clausewatch.webhooks import Event

    _, saas = world
    broken = Receiver(status=500)
    try:
        hook = _subscribe(broken.url, "broken")
        event = Event(id="evt-1", type="sla.breach", created="2026-11-02T09:00:00Z", summary="a breach",
                      data={"contract_id": saas})
        message = {"webhook_id": hook["id"], "event": {**event.__dict__}}
        for _ in range(2):
            with pytest.raises(pipeline.DeliveryFailed):
                pipeline.deliver(Settings.from_env(), message, config.WEBHOOK_MAX_ATTEMPTS)
    finally:
        broken.close()
    hooks = _hooks()
    assert hooks["broken"]["given_up"] == 1 and len(hooks["broken"]["failed_deliveries"]) == 1
    assert len(_failed_lines(saas)) == 1

    for n in range(store.FAILURES_KEPT + 3):  # more events given up than are kept
        clock.set_now(datetime(2026, 11, 2, 10, 0, tzinfo=UTC) + timedelta(minutes=n))
        assert store.mark_failed(hook["id"], f"evt-{n + 2}", "sla.breach", status=500, error="HTTP 500",
                                 attempts=config.WEBHOOK_MAX_ATTEMPTS, contract_id=None)
    kept = store._failed(hook["id"])
    assert len(kept) == store.FAILURES_KEPT
    assert kept[0].event_id == f"evt-{store.FAILURES_KEPT + 4}"  # the latest first; the oldest went
    assert "evt-1" not in {k.event_id for k in kept}

    # evt-1 redriven from the DLQ after all those and failing again: listed again as the latest, but
    # it was given up before: not counted again toward disabling, no second trail line
    clock.set_now(datetime(2026, 11, 2, 12, 0, tzinfo=UTC))
    with pytest.raises(pipeline.DeliveryFailed):  # the receiver is gone now: refused
        pipeline.deliver(Settings.from_env(), message, config.WEBHOOK_MAX_ATTEMPTS)
    again = store._failed(hook["id"])
    assert len(again) == store.FAILURES_KEPT and again[0].event_id == "evt-1"
    assert _hooks()["broken"]["given_up"] == 1  # was 2
    assert len(_failed_lines(saas)) == 1  # was 2
    assert store.mark_failed(hook["id"], "evt-new", "sla.breach", status=500, error="HTTP 500",
                             attempts=config.WEBHOOK_MAX_ATTEMPTS, contract_id=None)  # a new event still is
