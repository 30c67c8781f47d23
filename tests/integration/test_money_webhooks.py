"""Webhooks on the embedded default: an admin subscribes (API), a finding or a reminder publishes an
event, the webhook λ delivers it signed to a receiver on this machine; a failing endpoint is retried
(backoff), the event kept in the DLQ, the subscription disabled and its creator told; deliveries to
other hosts go to the outbox folder as JSON (nothing leaves the machine)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from clausewatch import clock, config
from clausewatch.aws.clients import client
from clausewatch.config import Settings
from clausewatch.pipeline import webhooks
from clausewatch.webhooks import FAILING_FOR_SECONDS, backoff_seconds, verify
from tests.integration.api_support import (  # noqa: F401
    IT,
    PROCUREMENT,
    SAAS,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    restore,
)

ADMIN = claims(PROCUREMENT, "admin", "ada.admin@example.com")
EDITOR = claims(PROCUREMENT, "editor", "alex.editor@example.com")
METRICS = {"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"}


class Receiver:
    """An HTTP endpoint on 127.0.0.1 that records what it is sent and answers ``status``."""

    def __init__(self, status: int = 204):
        self.status, self.received = status, []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def world(_local_cloud_session, _world, tmp_path, monkeypatch):
    monkeypatch.setenv(config.ENV_WEBHOOK_OUTBOX, str(tmp_path / "outbox"))
    restore(_local_cloud_session, _world)
    yield _local_cloud_session, _world.ids[SAAS], tmp_path / "outbox"
    clock.set_now(None)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _subscribe(url: str, kind: str = "generic", events=None) -> dict:
    reply = call("POST", "/webhooks", claims=ADMIN, body={"kind": kind, "url": url, "events": events})
    assert reply.status == 201, reply.text
    return reply.json()


def test_a_finding_is_delivered_signed_once(world, receiver):
    cloud, saas, _ = world
    created = _subscribe(receiver.url, events=["sla.breach", "invoice.finding"])
    assert created["secret"].startswith("whsec_")
    assert "secret" not in call("GET", "/webhooks", claims=ADMIN).json()["items"][0]
    assert call("POST", f"/contracts/{saas}/metrics", claims=EDITOR, body=METRICS).status == 202
    cloud.pump()
    [(headers, body)] = receiver.received
    assert verify(created["secret"], headers["X-Clausewatch-Signature"], body, int(clock.now().timestamp()))
    event = json.loads(body)
    assert event["type"] == "sla.breach" and event["data"]["amount"] == "1550.00"
    # the same file again: the same event, not delivered twice
    call("POST", f"/contracts/{saas}/metrics", claims=EDITOR, body=METRICS)
    cloud.pump()
    assert len(receiver.received) == 1
    assert call("GET", "/webhooks", claims=ADMIN).json()["items"][0]["delivered"] == 1


def _pump_after(cloud, seconds: float) -> None:
    """The product clock ``seconds`` later, then what is due delivered."""
    clock.set_now(clock.now() + timedelta(seconds=seconds))
    cloud.pump()


def _dlq_depth() -> int:
    sqs = client("sqs")
    dlq = sqs.get_queue_url(QueueName=config.WEBHOOK_DLQ)["QueueUrl"]
    depth = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"])
    return int(depth["Attributes"]["ApproximateNumberOfMessages"])


def test_a_failing_endpoint_is_retried_after_its_backoff_then_disabled_and_its_creator_told(world):
    cloud, saas, _ = world
    clock.set_now(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    failing = Receiver(status=500)
    try:
        created = _subscribe(failing.url, events=["sla.breach"])
        mail_before = len(cloud.sent_mail())
        call("POST", f"/contracts/{saas}/metrics", claims=EDITOR, body=METRICS)
        cloud.pump()
        assert len(failing.received) == 1  # not tried again at once: it waits its backoff
        _pump_after(cloud, backoff_seconds(1) - 5)
        assert len(failing.received) == 1
        for attempt in range(1, config.WEBHOOK_MAX_ATTEMPTS):
            _pump_after(cloud, backoff_seconds(attempt) + 1)
            assert len(failing.received) == attempt + 1
        # six tries over 15.5 minutes, the event kept in the DLQ; one event failing is no reason
        # to disable the team's channel
        _pump_after(cloud, backoff_seconds(config.WEBHOOK_MAX_ATTEMPTS) + 1)
        assert len(failing.received) == config.WEBHOOK_MAX_ATTEMPTS and _dlq_depth() == 1
        [hook] = call("GET", "/webhooks", claims=ADMIN).json()["items"]
        assert not hook["disabled"] and hook["consecutive_failures"] == config.WEBHOOK_MAX_ATTEMPTS
        assert hook["failing_since"].startswith("2026-11-02T09:00")
        # still failing at the next event half an hour later: an hour and more since the first failure
        clock.set_now(clock.now() + timedelta(seconds=FAILING_FOR_SECONDS / 2))
        call("POST", f"/contracts/{saas}/metrics", claims=EDITOR,
             body={"file_name": "2026-09.csv", "content": "period,metric,value\n2026-09,availability,99.4\n"})
        cloud.pump()
    finally:
        failing.close()
    assert len(failing.received) == config.WEBHOOK_MAX_ATTEMPTS + 1
    [hook] = call("GET", "/webhooks", claims=ADMIN).json()["items"]
    assert hook["disabled"] and "HTTP 500" in hook["disabled_reason"]
    assert "since 2026-11-02 09:00 UTC" in hook["disabled_reason"]
    mails = [message_from_bytes(m, policy=policy.default) for m in cloud.sent_mail()[mail_before:]]
    told = [m for m in mails if "webhook" in m["Subject"]]
    assert [m["To"] for m in told] == ["ada.admin@example.com"]
    enabled = call("POST", f"/webhooks/{created['id']}/enable", claims=ADMIN).json()
    assert not enabled["disabled"] and enabled["consecutive_failures"] == 0 and enabled["failing_since"] is None


def test_an_endpoint_failing_every_rare_event_is_disabled_on_the_third_day(world):
    """One event a day to an endpoint down for good (a revoked URL): each fails its six tries in
    15.5 minutes, so no run of failures lasts an hour; the third event given up, two days after the
    first, disables it and its creator is told (review: it stayed enabled for ever, every event to
    the DLQ and nobody told)."""
    cloud, saas, _ = world
    clock.set_now(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    dead = Receiver(status=410)
    mail_before = len(cloud.sent_mail())
    try:
        _subscribe(dead.url, events=["sla.breach"])
        for day, month in enumerate(("2026-08", "2026-09", "2026-10")):
            clock.set_now(datetime(2026, 11, 2 + day, 9, 0, tzinfo=UTC))
            call("POST", f"/contracts/{saas}/metrics", claims=EDITOR,
                 body={"file_name": f"{month}.csv", "content": f"period,metric,value\n{month},availability,99.4\n"})
            cloud.pump()
            for attempt in range(1, config.WEBHOOK_MAX_ATTEMPTS + 1):
                _pump_after(cloud, backoff_seconds(attempt) + 1)
            [hook] = call("GET", "/webhooks", claims=ADMIN).json()["items"]
            assert len(dead.received) == config.WEBHOOK_MAX_ATTEMPTS * (day + 1)
            assert hook["disabled"] is (day == 2), (day, hook)
            assert hook["consecutive_failures"] == config.WEBHOOK_MAX_ATTEMPTS  # a new run each morning
    finally:
        dead.close()
    assert "3 events in a row failed every try since 2026-11-02 09:15 UTC" in hook["disabled_reason"]
    assert "HTTP 410" in hook["disabled_reason"] and _dlq_depth() == 3
    mails = [message_from_bytes(m, policy=policy.default) for m in cloud.sent_mail()[mail_before:]]
    assert [m["To"] for m in mails if "webhook" in m["Subject"]] == ["ada.admin@example.com"]


def test_a_blip_does_not_disable_a_subscription(world):
    """Five events failing in the same minute (a receiver restarting), then a success: the
    subscription stays enabled, its count starts again, and each event is delivered once."""
    cloud, saas, _ = world
    clock.set_now(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    flaky = Receiver(status=503)
    try:
        _subscribe(flaky.url, events=["sla.breach"])
        for month in ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10"):
            call("POST", f"/contracts/{saas}/metrics", claims=EDITOR,
                 body={"file_name": f"{month}.csv", "content": f"period,metric,value\n{month},availability,99.4\n"})
        cloud.pump()
        assert len(flaky.received) == 5
        [hook] = call("GET", "/webhooks", claims=ADMIN).json()["items"]
        assert not hook["disabled"] and hook["consecutive_failures"] == 5
        flaky.status = 204  # back up
        _pump_after(cloud, backoff_seconds(1) + 1)
    finally:
        flaky.close()
    assert len(flaky.received) == 10
    [hook] = call("GET", "/webhooks", claims=ADMIN).json()["items"]
    assert not hook["disabled"] and hook["consecutive_failures"] == 0 and hook["delivered"] == 5


def test_slack_and_teams_deliveries_go_to_the_outbox_locally(world):
    cloud, saas, outbox = world
    _subscribe("https://hooks.slack.com/services/T000/B000/XXXX", kind="slack")
    _subscribe("https://contoso.webhook.office.com/webhookb2/abc", kind="teams")
    call("POST", f"/contracts/{saas}/metrics", claims=EDITOR, body=METRICS)
    cloud.pump()
    written = [json.loads(p.read_text()) for p in sorted(outbox.glob("*.json"))]
    by_host = {w["url"].split("/")[2]: w for w in written}
    assert "1,550.00" in by_host["hooks.slack.com"]["body"]["text"]
    assert by_host["contoso.webhook.office.com"]["body"]["type"] == "message"


def test_subscriptions_are_the_admins_and_the_teams(world, receiver):
    _, _, _ = world
    body = {"kind": "generic", "url": receiver.url}
    assert call("POST", "/webhooks", claims=EDITOR, body=body).status == 403
    assert call("POST", "/webhooks", claims=ADMIN, body={**body, "url": "http://example.com/x"}).status == 400
    assert call("POST", "/webhooks", claims=ADMIN, body={**body, "events": ["no.such"]}).status == 400
    assert call("POST", "/webhooks", claims=ADMIN, body={**body, "events": []}).status == 400  # was: every event
    with pytest.raises(ValueError, match="at least one"):  # the same rule for a caller other than the API
        webhooks.subscribe(Settings.from_env(), team=PROCUREMENT, kind="generic", url=receiver.url, events=[],
                           label=None, actor="ada.admin@example.com")
    created = _subscribe(receiver.url)
    other = claims(IT, "admin")
    assert call("GET", "/webhooks", claims=other).json()["items"] == []
    assert call("DELETE", f"/webhooks/{created['id']}", claims=other).status == 404
    assert call("DELETE", f"/webhooks/{created['id']}", claims=ADMIN).status == 200
    assert call("GET", "/webhooks", claims=ADMIN).json()["items"] == []


def test_a_reminder_that_goes_out_by_email_goes_to_the_webhook_too(world, receiver):
    from datetime import timedelta

    cloud, saas, _ = world
    _subscribe(receiver.url, events=["reminder.due", "obligation.overdue"])
    fired = cloud.fire_until(clock.now() + timedelta(days=6))
    sent = {f.name for f in fired if f.result.get("sent")}
    assert sent and receiver.received
    events = [json.loads(body) for _, body in receiver.received]
    assert {e["type"] for e in events} <= {"reminder.due", "obligation.overdue"}
    assert {e["data"]["reminder"] for e in events} <= sent  # what was emailed, nothing else
    assert all(e["data"]["contract_id"] and e["data"]["due"] for e in events)
    assert len({e["id"] for e in events}) == len(events)  # one delivery per reminder


# --- the weekly digest ---------------------------------------------------------------------------

PRIYA = claims(PROCUREMENT, "viewer", "priya.raman@example.com")


def test_a_digest_person_gets_one_email_a_week_and_no_routine_reminders(world):
    from datetime import timedelta

    from clausewatch.local.handlers import invoke

    cloud, saas, _ = world
    assert call("GET", "/me/preferences", claims=PRIYA).json()["digest"] == "off"
    prefs = call("PUT", "/me/preferences", claims=PRIYA, body={"digest": "weekly", "reminders": "none"})
    assert prefs.status == 200 and prefs.json()["teams"] == [PROCUREMENT] and prefs.json()["time_zone"] == "UTC"
    call("POST", f"/contracts/{saas}/metrics", claims=EDITOR, body=METRICS)  # a credit to claim by 2026-11-30
    cloud.pump()
    before = len(cloud.sent_mail())
    # the hourly rule on a Wednesday afternoon: not her Monday 07:00 (UTC, her zone by default)
    assert invoke("alert", {"digest": True}) == {"sent": 0, "empty": 0, "already_sent": 0}
    # her routine reminders are held for the digest (audited), not emailed one by one
    fired = cloud.fire_until(clock.now() + timedelta(days=3))
    to_priya = [message_from_bytes(m, policy=policy.default) for m in cloud.sent_mail()[before:]]
    # (a renewal decision request is not a routine reminder: it still comes)
    assert not [m for m in to_priya if m["To"] == "priya.raman@example.com" and not m["Cc"]
                and (m["X-Clausewatch-Reminder"] or "").startswith("cw-")]
    held = [f for f in fired if "digest" in str(f.result.get("reason"))]
    assert held
    # `clausewatch tick` fires the hourly rule on each hour it crosses, as EventBridge does: her
    # digest goes on each Monday 07:00 UTC, the runs of every other hour meet no reader's Monday
    mail_before, digests_before = len(cloud.sent_mail()), len(cloud.digests)
    cloud.fire_until(clock.now() + timedelta(days=14))
    runs = cloud.digests[digests_before:]
    assert [(f.at.weekday(), f.at.hour, f.at.minute) for f in runs] == [(0, 7, 0)] * 2
    weekly = [m for m in (message_from_bytes(m, policy=policy.default) for m in cloud.sent_mail()[mail_before:])
              if m["To"] == "priya.raman@example.com" and "your week" in m["Subject"]]
    assert len(weekly) == sum(f.result["sent"] for f in runs) == 2
    assert "your week of 30 Nov 2026" in weekly[0]["Subject"]
    assert "Claim the service credit of USD 1,550.00" in weekly[0].get_body(("plain",)).get_content()
    # a retried run (its scheduled time in the event) sends none twice
    assert invoke("alert", {"digest": True, "at": "2026-11-30T07:00:00Z"})["already_sent"] == 1


def test_the_digest_says_due_today_beside_its_own_date_west_of_utc_with_the_counterparty(world):
    """The digest sent at 03:00 UTC on 30 Dec (22:00 on 29 Dec in New York) is dated 30 Dec: the SaaS
    notice deadline of 30 Dec (New York) is "due today" beside it, never "1 day(s) left" (QA q6
    MUST-2: days were counted from the send instant in the contract's zone); each line names the
    counterparty (SHOULD-8) and the email carries a Date: header (NIT)."""
    from clausewatch.config import Settings
    from clausewatch.pipeline.digest import send_digests
    from clausewatch.store import preferences, repository

    cloud, saas, _ = world
    preferences.put("priya.raman@example.com", digest="weekly", reminders="each", team=PROCUREMENT)
    sent_at = datetime(2026, 12, 30, 3, 0, tzinfo=UTC)
    clock.set_now(sent_at)
    before = len(cloud.sent_mail())
    # sent now, as `clausewatch digest` does (the hourly rule sends on a reader's Monday 07:00)
    assert send_digests(Settings.from_env(), clock.now(), everyone=True)["sent"] == 1
    [digest] = [message_from_bytes(m, policy=policy.default) for m in cloud.sent_mail()[before:]]
    text = digest.get_body(("plain",)).get_content()
    assert "What needs you, as of 30 Dec 2026:" in text
    counterparty = repository.get_contract(saas).counterparty
    assert counterparty
    [line] = [ln for ln in text.splitlines() if ln.startswith("- 30 Dec 2026") and "notice" in ln.lower()]
    assert "(due today)" in line and f"— {counterparty}:" in line, line
    assert digest["Date"] and digest["Date"].datetime == sent_at


def test_a_reminder_held_for_one_persons_digest_still_reaches_the_teams_channel(world, receiver):
    """Priya chose the digest and no routine reminders: her reminders are held from her inbox, but
    the team's channel subscribed to reminder.due hears each of them (QA q6 SHOULD-2: the held path
    returned before publishing), named by title and counterparty (SHOULD-8)."""
    from clausewatch.store import repository

    cloud, saas, _ = world
    assert call("PUT", "/me/preferences", claims=PRIYA, body={"digest": "weekly", "reminders": "none"}).status == 200
    _subscribe(receiver.url, events=["reminder.due", "obligation.overdue"])
    fired = cloud.fire_until(clock.now() + timedelta(days=3))
    held = {f.name for f in fired if "digest" in str(f.result.get("reason"))}
    assert held
    events = {e["data"]["reminder"]: e for e in (json.loads(body) for _, body in receiver.received)}
    assert held <= set(events)  # was: none of them
    for name in held:
        event = events[name]
        contract = repository.get_contract(event["data"]["contract_id"])
        assert contract is not None
        if contract.counterparty:
            assert event["summary"].startswith(f"{contract.title} — {contract.counterparty}: "), event["summary"]
