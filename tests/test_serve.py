"""`clausewatch token` and `clausewatch serve`: local bearer tokens, the local API Gateway (HTTP
request <-> REST proxy event), and the service (the api λ on the embedded default, uploads
processed in the background, state saved on Ctrl-C), with a schemathesis run against it."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SAMPLES, sample_metadata

from clausewatch import clock, config
from clausewatch.cli import main
from clausewatch.local import server, tokens

SECRET = b"k" * 32


# --- tokens ----------------------------------------------------------------------------------------


def test_a_token_round_trips_to_the_claims_the_cognito_authorizer_passes():
    token = tokens.issue(SECRET, team="procurement", user="priya.raman@example.com", role="editor")
    claims = tokens.verify(SECRET, token)
    assert claims == {"sub": claims["sub"], "email": "priya.raman@example.com",
                      "custom:team": "procurement", "custom:role": "editor"}
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", claims["sub"])
    # the same user of the same team is the same sub in every token
    assert tokens.verify(SECRET, tokens.issue(SECRET, team="procurement", user="priya.raman@example.com"))["sub"] \
        == claims["sub"]


def test_a_tampered_token_is_refused():
    prefix, payload, signature = tokens.issue(SECRET, team="legal", user="a@example.com").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(tokens.InvalidToken, match="signature"):
        tokens.verify(SECRET, f"{prefix}.{forged}.{signature}")
    for garbage in ("", "Bearer", "cw1.x", "cw2.a.b", f"{prefix}.{payload}.{signature}x"):
        with pytest.raises(tokens.InvalidToken):
            tokens.verify(SECRET, garbage)


def test_an_expired_token_is_refused():
    token = tokens.issue(SECRET, team="legal", user="a@example.com", days=1, now=time.time() - 2 * 86400)
    with pytest.raises(tokens.InvalidToken, match="expired"):
        tokens.verify(SECRET, token)
    assert tokens.verify(SECRET, token, now=time.time() - 1.5 * 86400)["custom:team"] == "legal"


def test_a_token_of_another_secret_is_refused():
    token = tokens.issue(b"another state folder's secret", team="legal", user="a@example.com")
    with pytest.raises(tokens.InvalidToken, match="signature"):
        tokens.verify(SECRET, token)


def test_a_token_needs_a_known_role_a_team_a_user_and_a_sane_lifetime():
    for bad in (dict(role="owner"), dict(team=" "), dict(user=""), dict(days=0), dict(days=1000)):
        with pytest.raises(ValueError):
            tokens.issue(SECRET, **{"team": "t", "user": "u@example.com", **bad})


def test_the_secret_is_created_once_readable_by_its_owner_only(tmp_path):
    state = tmp_path / "state"
    secret = tokens.load_secret(state)
    path = state / tokens.SECRET_FILE
    assert len(secret) == tokens.SECRET_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tokens.load_secret(state) == secret


def test_token_create_prints_a_token_alone_on_stdout(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["token", "create", "--team", "legal", "--user", "omar@example.com", "--role", "admin",
                     "--days", "2", "--state", str(tmp_path)]) == 0
    token = out.getvalue().strip()
    assert "\n" not in token
    claims = tokens.verify(tokens.load_secret(tmp_path), token)
    assert (claims["custom:team"], claims["custom:role"], claims["email"]) == ("legal", "admin", "omar@example.com")
    assert "Authorization: Bearer" in err.getvalue()
    with pytest.raises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
        main(["token", "create", "--team", "legal", "--user", "omar@example.com", "--role", "owner",
              "--state", str(tmp_path)])


# --- the local API Gateway: HTTP <-> REST proxy event -------------------------------------------------


def _verify(token: str) -> dict:
    return tokens.verify(SECRET, token)


def test_a_request_becomes_the_rest_proxy_event_api_gateway_sends():
    token = tokens.issue(SECRET, team="procurement", user="p@example.com", role="viewer")
    headers = [("Host", "127.0.0.1:8000"), ("Authorization", f"Bearer {token}"), ("X-Tag", "a"), ("X-Tag", "b")]
    event = server.request_event("GET", "/contracts/abc%20def/audit?status=EXTRACTED&t=1&t=2&empty=",
                                 headers, b"", claims=server.claims_of(dict(headers), _verify),
                                 source_ip="10.0.0.7")
    assert event["httpMethod"] == "GET"
    assert event["path"] == "/contracts/abc%20def/audit"  # REST APIs pass it percent-encoded
    assert (event["resource"], event["pathParameters"]) == ("/{proxy+}", {"proxy": "contracts/abc def/audit"})
    assert event["queryStringParameters"] == {"status": "EXTRACTED", "t": "2", "empty": ""}
    assert event["multiValueQueryStringParameters"] == {"status": ["EXTRACTED"], "t": ["1", "2"], "empty": [""]}
    assert event["headers"]["X-Tag"] == "b" and event["multiValueHeaders"]["X-Tag"] == ["a", "b"]
    assert (event["body"], event["isBase64Encoded"]) == (None, False)
    context = event["requestContext"]
    assert context["authorizer"]["claims"]["custom:team"] == "procurement"
    assert context["identity"]["sourceIp"] == "10.0.0.7"
    assert (context["httpMethod"], context["resourcePath"], context["domainName"]) == \
        ("GET", "/{proxy+}", "127.0.0.1:8000")


def test_claims_come_only_from_a_valid_bearer_token():
    good = tokens.issue(SECRET, team="t", user="u@example.com")
    assert server.claims_of({"authorization": f"bearer {good}"}, _verify)["email"] == "u@example.com"
    for value in (None, "", "Bearer", f"Basic {good}", "Bearer not-a-token",
                  f"Bearer {tokens.issue(b'other', team='t', user='u@example.com')}"):
        headers = {} if value is None else {"Authorization": value}
        assert server.claims_of(headers, _verify) is None
        event = server.request_event("GET", "/contracts", list(headers.items()), b"",
                                     claims=server.claims_of(headers, _verify))
        assert "authorizer" not in event["requestContext"]


def test_public_paths_have_their_own_resource_and_bodies_keep_their_bytes():
    event = server.request_event("GET", "/calendar.ics?feed=abc", [], b"", claims=None)
    assert (event["resource"], event["pathParameters"]) == ("/calendar.ics", None)
    assert event["queryStringParameters"] == {"feed": "abc"}
    json_body = server.request_event("POST", "/feeds", [("Content-Type", "application/json")],
                                     b'{"label": "caf\xc3\xa9"}', claims=None)
    assert (json_body["body"], json_body["isBase64Encoded"]) == ('{"label": "café"}', False)
    pdf = b"%PDF-1.7\n\xff\xfe binary"
    binary = server.request_event("PUT", "/x", [("Content-Type", "application/pdf")], pdf, claims=None)
    assert binary["isBase64Encoded"] is True and base64.b64decode(binary["body"]) == pdf


def test_a_proxy_response_is_written_as_api_gateway_merges_it():
    status, headers, body = server.response_parts({
        "statusCode": 201, "headers": {"Content-Type": "text/plain", "X-One": "single", "Content-Length": "99"},
        "multiValueHeaders": {"X-One": ["m1", "m2"], "Set-Cookie": ["a=1", "b=2"]},
        "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True})
    assert status == 201 and body == b"\x00\x01"
    assert sorted(headers) == [("Content-Type", "text/plain"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
                               ("X-One", "m1"), ("X-One", "m2")]
    for broken in (None, "text", {"body": "no status"}, {"statusCode": "abc"}, {"statusCode": 999}):
        assert server.response_parts(broken)[0] == 502


@pytest.fixture
def echo_server():
    """The local API Gateway in front of a stand-in λ that echoes its event (or raises)."""
    import threading

    def echo(event: dict) -> dict:
        if event["path"] == "/boom":
            raise RuntimeError("the λ failed")
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}, "body": json.dumps(event),
                "isBase64Encoded": False}

    http = server.ApiServer(("127.0.0.1", 0), invoke=echo, verify=_verify)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield http
    http.shutdown()
    http.server_close()


def test_the_server_speaks_http_for_the_handler(echo_server, capsys):
    token = tokens.issue(SECRET, team="t", user="u@example.com", role="editor")
    request = urllib.request.Request(f"{echo_server.url}/contracts/c1/obligations/o1/complete?x=1",
                                     data=b'{"note": "sent"}', method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        event = json.loads(response.read())
        assert response.headers.get_all("Set-Cookie") == ["a=1", "b=2"]
    assert event["httpMethod"] == "POST" and event["body"] == '{"note": "sent"}'
    assert event["requestContext"]["authorizer"]["claims"]["custom:role"] == "editor"
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(f"{echo_server.url}/boom", timeout=10)
    assert failed.value.code == 502 and json.loads(failed.value.read()) == {"message": "Internal server error"}
    assert "the λ failed" in capsys.readouterr().err
