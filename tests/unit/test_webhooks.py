"""Webhooks, pure: signatures a receiver can verify, URLs that can be delivered to, the body each
kind of endpoint expects, the backoff."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from clausewatch.webhooks import (
    FAILING_FOR_SECONDS,
    MAX_CONSECUTIVE_FAILURES,
    Event,
    backoff_seconds,
    body_for,
    failure_run,
    request_for,
    should_disable,
    sign,
    validate_url,
    verify,
)

EVENT = Event(id="e1", type="sla.breach", created="2026-11-25T10:00:00+00:00",
              summary="SaaS <Subscription>: credit USD 1,550.00 owed",
              data={"derivation": "99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00"},
              link="https://cw.example.com/contracts/81f2e11103066aae")


def test_a_generic_delivery_is_signed_and_the_receiver_can_verify_it():
    body, headers = request_for("generic", EVENT, "whsec_k", now=1_800_000_000)
    header = headers["X-Clausewatch-Signature"]
    assert header.startswith("t=1800000000,v1=")
    assert verify("whsec_k", header, body, now=1_800_000_100)
    assert not verify("whsec_other", header, body, now=1_800_000_100)
    assert not verify("whsec_k", header, body.replace(b"1,550", b"9,550"), now=1_800_000_100)
    assert not verify("whsec_k", header, body, now=1_800_000_000 + 301)  # replayed later
    assert not verify("whsec_k", "garbage", body, now=1_800_000_000)
    assert json.loads(body)["type"] == "sla.breach" and headers["X-Clausewatch-Event"] == "sla.breach"
    assert sign("k", 1, b"x") != sign("k", 2, b"x")
    with pytest.raises(ValueError):
        request_for("generic", EVENT, None, now=1)


def test_slack_and_teams_get_their_own_shapes():
    slack = body_for("slack", EVENT)
    assert slack["text"].startswith("*SaaS &lt;Subscription&gt;") and "|Open in clausewatch>" in slack["text"]
    teams = body_for("teams", EVENT)
    card = teams["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["body"][0]["text"] == EVENT.summary
    assert card["content"]["actions"][0]["url"] == EVENT.link
    assert "99.4% < 99.5%" in card["content"]["body"][1]["text"]


@pytest.mark.parametrize("url, ok", [
    ("https://hooks.slack.com/services/T0/B0/x", True),
    ("http://hooks.slack.com/services/T0/B0/x", False),
    ("https://10.0.0.5/hook", False),
    ("https://169.254.169.254/latest", False),
    ("https://127.0.0.1/hook", False),
    ("ftp://example.com/x", False),
    ("https:///nohost", False),
    ("https://2130706433/", False),  # 127.0.0.1 written as a number
    ("https://127.1/", False),
    ("https://0x7f000001/", False),
    ("https://localhost./", False),
    ("https://100.64.0.1/", False),  # shared address space: not global
])
def test_urls_must_be_https_to_a_public_host(url, ok):
    if ok:
        assert validate_url(url) == url
    else:
        with pytest.raises(ValueError):
            validate_url(url)


def test_a_name_resolving_to_a_private_address_is_refused_at_send_time(monkeypatch):
    import socket

    from clausewatch.webhooks import public_addresses

    def resolve(host, port, **_):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3" if host == "evil.test" else "93.184.215.14",
                                                              port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(ValueError, match="non-public"):
        public_addresses("evil.test")
    assert public_addresses("example.org") == ["93.184.215.14"]


def test_the_connection_goes_to_the_address_checked_not_to_a_second_lookup(monkeypatch):
    import socket
    import types

    from clausewatch.pipeline import webhooks as delivery

    lookups, connected = [], []

    def rebinding(host, port, *args, **kwargs):  # public when checked, this machine when asked again
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14" if len(lookups) == 1 else "127.0.0.1",
                                                              port))]

    def connect(address, timeout=None, *args):
        connected.append(address)
        raise ConnectionRefusedError("not in a test")

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(socket, "create_connection", connect)
    item = types.SimpleNamespace(url="https://hooks.rebind.test:8443/x?team=1", webhook_id="w1")
    with pytest.raises(OSError):
        delivery._send(types.SimpleNamespace(webhook_outbox=None), item, EVENT, b"{}", {})
    assert connected == [("93.184.215.14", 8443)] and lookups == ["hooks.rebind.test"]


def test_a_dual_stack_host_is_tried_on_ipv4_first_then_each_checked_address(monkeypatch):
    import socket
    import types

    from clausewatch.pipeline import webhooks as delivery

    def dual(host, port, *args, **kwargs):
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2606:4700::1", port, 0, 0)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    connected = []

    def connect(address, timeout=None, *args):
        connected.append(address[0])
        raise ConnectionRefusedError("not in a test")

    monkeypatch.setattr(socket, "getaddrinfo", dual)
    monkeypatch.setattr(socket, "create_connection", connect)
    item = types.SimpleNamespace(url="https://outlook.example.com/webhook", webhook_id="w1")
    with pytest.raises(OSError):
        delivery._send(types.SimpleNamespace(webhook_outbox=None), item, EVENT, b"{}", {})
    assert connected == ["93.184.215.14", "2606:4700::1"]


def test_plain_http_to_this_machine_only_for_the_embedded_default():
    assert validate_url("http://127.0.0.1:9999/hook", allow_loopback_http=True)
    with pytest.raises(ValueError):
        validate_url("http://127.0.0.1:9999/hook")
    with pytest.raises(ValueError):
        validate_url("http://example.com/hook", allow_loopback_http=True)


def test_backoff_doubles_to_a_ceiling():
    assert [backoff_seconds(n) for n in (1, 2, 3, 6, 20)] == [30, 60, 120, 900, 900]


def test_failures_in_a_row_disable_only_when_they_last():
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    an_hour = timedelta(seconds=FAILING_FOR_SECONDS)
    # five failures in the same minute (a blip): not yet
    assert not should_disable(MAX_CONSECUTIVE_FAILURES, start, start + timedelta(minutes=1))
    # failing for an hour, but fewer tries than the threshold: not yet
    assert not should_disable(MAX_CONSECUTIVE_FAILURES - 1, start, start + an_hour)
    assert should_disable(MAX_CONSECUTIVE_FAILURES, start, start + an_hour)
    assert not should_disable(MAX_CONSECUTIVE_FAILURES, None, start + an_hour)


def test_a_failure_after_a_long_quiet_starts_a_new_run():
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    last = monday + timedelta(minutes=15)  # Monday's event: six tries over 15 minutes, then the DLQ
    friday = monday + timedelta(days=4)
    # a blip on Friday is the first failure of a new run, not the seventh in a row since Monday
    assert failure_run(6, monday, last, friday) == (1, friday)
    assert not should_disable(*failure_run(6, monday, last, friday), friday)
    # failures an hour apart at most, no success between: one run
    assert failure_run(6, monday, last, last + timedelta(minutes=50)) == (7, monday)
    assert should_disable(7, monday, last + timedelta(minutes=50))
    assert failure_run(0, None, None, monday) == (1, monday)


def test_an_endpoint_failing_every_rare_event_is_disabled_after_three_given_up_over_a_day():
    """Review: one event a day to a revoked URL fails its six tries in 15.5 minutes, and the run
    of failures started again each morning (more than an hour since the last), so it was never
    disabled and its creator never told. Events given up in a row count too: three of them, the
    first a day before, disable it; one given up after a short outage, or two, do not."""
    from clausewatch.webhooks import EVENTS_GIVEN_UP_TO_DISABLE, GIVEN_UP_OVER_SECONDS

    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    day = timedelta(days=1)
    assert EVENTS_GIVEN_UP_TO_DISABLE == 3 and GIVEN_UP_OVER_SECONDS == 86400
    assert not should_disable(1, monday + 2 * day, monday + 2 * day, given_up=2, given_up_since=monday)
    assert should_disable(1, monday + 2 * day, monday + 2 * day, given_up=3, given_up_since=monday)
    # three events given up within the same morning: an outage of minutes, not a dead endpoint
    assert not should_disable(1, monday, monday + timedelta(hours=3), given_up=3, given_up_since=monday)
    assert not should_disable(1, monday, monday + 2 * day, given_up=3, given_up_since=None)


def test_slack_gets_the_arithmetic_as_teams_does():
    """Slack's text carried the summary alone; the Teams card has the derivation (QA q6 SHOULD-8)."""
    text = body_for("slack", EVENT)["text"]
    assert text.splitlines()[1] == "99.4% &lt; 99.5% -&gt; 10% x USD 186,000.00 / 12 = USD 1,550.00"
    assert body_for("slack", Event(**{**EVENT.__dict__, "data": {}}))["text"].count("\n") == 1  # summary, link
