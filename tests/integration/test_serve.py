"""`clausewatch token` and `clausewatch serve`: local bearer tokens, the local API Gateway (HTTP
request <-> REST proxy event), and the service (the api λ on the embedded default, uploads
processed in the background, state saved on Ctrl-C), with a schemathesis run against it."""

from __future__ import annotations

import base64
import contextlib
import email
import email.policy
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clausewatch import clock, config
from clausewatch.cli import main
from clausewatch.local import server, tokens
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.text.validate import sha256_hex
from tests.paths import REPO_ROOT, SAMPLES, sample_metadata

SECRET = b"k" * 32


# --- tokens ----------------------------------------------------------------------------------------


def test_a_token_round_trips_to_the_claims_the_cognito_authorizer_passes():
    token = tokens.issue(SECRET, team="procurement", user="priya.raman@example.com", role="editor")
    claims = tokens.verify(SECRET, token)
    assert claims == {"sub": claims["sub"], "email": "priya.raman@example.com",
                      "custom:team": "procurement", "custom:role": "editor"}
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", claims["sub"])
    # the same user of the same team is the same sub in every token
    again = tokens.issue(SECRET, team="procurement", user="priya.raman@example.com")
    assert tokens.verify(SECRET, again)["sub"] == claims["sub"]


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
    assert (claims["custom:team"], claims["custom:role"], claims["email"]) == \
        ("legal", "admin", "omar@example.com")
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


def test_public_paths_have_their_own_resource_and_bodies_arrive_as_text():
    event = server.request_event("GET", "/calendar.ics?feed=abc", [], b"", claims=None)
    assert (event["resource"], event["pathParameters"]) == ("/calendar.ics", None)
    assert event["queryStringParameters"] == {"feed": "abc"}
    json_body = server.request_event("POST", "/feeds", [("Content-Type", "application/json")],
                                     b'{"label": "caf\xc3\xa9"}', claims=None)
    assert (json_body["body"], json_body["isBase64Encoded"]) == ('{"label": "café"}', False)
    # the deployed RestApi declares no binary media types: API Gateway passes any body as text
    binary = server.request_event("PUT", "/x", [("Content-Type", "application/pdf")], b"%PDF-1.7 \xff\xfe",
                                  claims=None)
    assert (binary["body"], binary["isBase64Encoded"]) == ("%PDF-1.7 \ufffd\ufffd", False)


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
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        event = json.loads(response.read())
        assert response.headers.get_all("Set-Cookie") == ["a=1", "b=2"]
    assert event["httpMethod"] == "POST" and event["body"] == '{"note": "sent"}'
    assert event["requestContext"]["authorizer"]["claims"]["custom:role"] == "editor"
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(f"{echo_server.url}/boom", timeout=10)
    assert failed.value.code == 502
    assert json.loads(failed.value.read()) == {"message": "Internal server error"}
    assert "the λ failed" in capsys.readouterr().err
    head_request = urllib.request.Request(f"{echo_server.url}/health", method="HEAD")
    with urllib.request.urlopen(head_request, timeout=10) as head:
        assert head.status == 200 and head.read() == b"" and int(head.headers["Content-Length"]) > 0
    import http.client

    connection = http.client.HTTPConnection(*echo_server.server_address[:2], timeout=10)
    connection.putrequest("POST", "/feeds")
    connection.putheader("Content-Length", "many")
    connection.endheaders()
    assert connection.getresponse().status == 400
    connection.close()


# --- the service: the api λ on the embedded default --------------------------------------------------


def call(url: str, method: str = "GET", token: str | None = None, body: dict | None = None,
         timeout: float = 30) -> tuple[int, dict, object]:
    """One request; returns status, headers and the body (parsed when JSON)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, response_headers, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, response_headers, raw = error.code, dict(error.headers), error.read()
    is_json = "json" in response_headers.get("Content-Type", "")
    return status, response_headers, json.loads(raw) if is_json and raw else raw.decode("utf-8", "replace")


def wait_for_contract(url: str, token: str, file_name: str, status: str = "EXTRACTED",
                      seconds: float = 90) -> dict:
    """Poll GET /contracts until the upload is listed with ``status`` (the background pump).
    ``file_name`` may be a sample's: its contract is found by id, whatever name it came under."""
    sample = SAMPLES / file_name
    contract_id = contract_id_for(sha256_hex(sample.read_bytes())) if sample.exists() else None
    deadline, seen = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        code, _, page = call(f"{url}/contracts?limit=100", token=token)
        assert code == 200, page
        seen = next((c for c in page["items"] if c["file_name"] == file_name or c["id"] == contract_id), None)
        if seen is not None and seen["status"] == status:
            return seen
        time.sleep(0.5)
    raise AssertionError(f"{file_name} not {status} within {seconds}s; last seen {seen}")


def s3_client(endpoint: str):
    import boto3

    return boto3.session.Session().client("s3", endpoint_url=endpoint, region_name="us-east-1",
                                          aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """`clausewatch serve` in-process on a free port with an empty state folder, pumping every 0.2 s."""
    from clausewatch.local.service import LocalService

    state = tmp_path_factory.mktemp("serve-state")
    lines: list[str] = []
    with LocalService(state, port=0, say=lines.append, pump_seconds=0.2, verbose=False) as running:
        running.lines = lines
        yield running
    clock.set_now(None)
    assert not [line for line in lines if "failed" in line], lines


def token_for(service, team: str = "procurement", user: str = "priya.raman@example.com",
              role: str = "editor") -> str:
    return tokens.issue(tokens.load_secret(service.state_dir), team=team, user=user, role=role)


def test_serve_answers_health_without_a_token_and_401_without_a_valid_one(service):
    assert call(f"{service.url}/health")[:1] == (200,)
    for token in (None, "not-a-token", tokens.issue(b"another folder's secret", team="procurement",
                                                    user="priya.raman@example.com", role="admin")):
        status, _, body = call(f"{service.url}/contracts", token=token)
        assert status == 401 and set(body) == {"message"}, body


def test_a_refused_token_is_told_why(service):
    """An expired token (a nightly job's, 30 days on) was "authentication required", as no token is."""
    secret = tokens.load_secret(service.state_dir)
    expired = tokens.issue(secret, team="procurement", user="priya.raman@example.com", days=1,
                           now=time.time() - 2 * 86400)
    status, headers, body = call(f"{service.url}/contracts", token=expired)
    assert (status, headers["WWW-Authenticate"]) == (401, 'Bearer error="invalid_token"')
    assert body == {"message": "authentication required: the bearer token was refused (expired); make a new "
                               "one with `clausewatch token create`"}
    foreign = tokens.issue(b"another folder's secret", team="procurement", user="priya.raman@example.com")
    assert "(bad signature (tampered, or signed for another state folder))" in \
        call(f"{service.url}/contracts", token=foreign)[2]["message"]
    assert call(f"{service.url}/contracts")[2] == {"message": "authentication required"}  # no token
    assert call(f"{service.url}/health", token=expired)[0] == 200  # a public route ignores it


def test_the_public_paths_are_the_operations_the_document_leaves_unsecured(service):
    status, _, document = call(f"{service.url}/openapi.json")
    assert status == 200 and document["openapi"].startswith("3.")
    unsecured = {path for path, operations in document["paths"].items()
                 for operation in operations.values() if not operation.get("security")}
    # the Swagger UI is not an operation of the document; it is served (and public) all the same
    assert unsecured == set(config.API_PUBLIC_PATHS) - {"/swagger"}
    status, headers, page = call(f"{service.url}/swagger")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and "swagger" in page.lower()


def upload_sample(endpoint: str, name: str) -> None:
    """Put a sample contract into the inbox as `aws s3 cp --endpoint-url` would (again: a duplicate)."""
    sample = SAMPLES / name
    s3_client(endpoint).put_object(
        Bucket=config.BUCKET_NAME, Key=f"{config.INBOX_PREFIX}{sample.name}", Body=sample.read_bytes(),
        ContentType="application/pdf", Metadata=sample_metadata()[sample.name])


def test_an_upload_to_the_printed_s3_endpoint_is_processed_and_listed(service):
    sample = SAMPLES / "saas-subscription-northwind.pdf"
    upload_sample(service.endpoint, sample.name)
    contract = wait_for_contract(service.url, token_for(service), sample.name)
    assert (contract["team"], contract["counterparty"]) == ("procurement", "Northwind Analytics, Inc.")
    # another team does not see it
    _, _, other = call(f"{service.url}/contracts", token=token_for(service, team="legal"))
    assert other["items"] == []
    status, _, detail = call(f"{service.url}/contracts/{contract['id']}", token=token_for(service))
    assert status == 200 and detail["id"] == contract["id"]


def test_a_presigned_post_from_post_uploads_is_processed(service):
    import requests

    token = token_for(service, team="legal", user="omar.haddad@example.com")
    status, _, upload = call(f"{service.url}/uploads", "POST", token, {"file_name": "services.pdf"})
    assert status == 201, upload
    assert upload["url"].startswith(service.endpoint)
    pdf = (SAMPLES / "services-agreement-fixed-dates.pdf").read_bytes()
    response = requests.post(upload["url"], data=upload["fields"], timeout=30,
                             files={"file": ("services.pdf", pdf, "application/pdf")})
    assert response.status_code in (200, 201, 204), response.text
    contract = wait_for_contract(service.url, token, "services.pdf")
    assert (contract["team"], contract["owner"]) == ("legal", "omar.haddad@example.com")


def test_due_reminders_fire_with_links_to_the_served_api(service, monkeypatch):
    """On the real clock: once the NDA's reminders are due (a real today in February 2027), the
    background fires them into the state's outbox, each linking to this server."""
    from clausewatch.local.service import LocalService

    token = token_for(service, team="legal", user="omar.haddad@example.com")
    upload_sample(service.endpoint, "mutual-nda.pdf")
    contract = wait_for_contract(service.url, token, "mutual-nda.pdf")
    with service.lock:  # not while the background is in the middle of a round
        monkeypatch.setattr(clock, "datetime", real_clock_at(datetime(2027, 2, 12, 18, 0, tzinfo=UTC)))
        fired = LocalService.fire_due(service)
        assert clock.simulated() is None  # serve keeps the real clock
    assert fired and all(f.result.get("sent") for f in fired)
    mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
             for p in (service.state_dir / "outbox").glob("*.eml")]
    # the renewal decisions that started meanwhile mail their owners too (their links are checked below)
    reminders = [m for m in mails if not str(m["X-Clausewatch-Reminder"] or "").startswith("renewal-")]
    assert len(reminders) == len(fired)
    texts = [m.get_body(preferencelist=("plain",)).get_content() for m in mails]
    links = {link for text in texts for link in re.findall(r"https?://\S+/contracts/[0-9a-f]{16}", text)}
    assert f"{service.url}/contracts/{contract['id']}" in links
    assert all(link.startswith(f"{service.url}/contracts/") for link in links)


def real_clock_at(moment: datetime):
    """A stand-in for the real clock (what clock.now() reads when nothing is simulated)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz)

    return Frozen


# --- `clausewatch serve` as a user runs it ----------------------------------------------------------


def test_serve_prints_where_things_are_and_ctrl_c_saves_what_came_in(tmp_path):
    """Started as a command; an upload is processed; SIGINT delivers and saves (the periodic save
    is an hour away, so only Ctrl-C can have saved it); the state folder then has the contract."""
    state = tmp_path / "state"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "clausewatch.cli", "serve", "--port", "0", "--state", str(state),
         "--save-every", "3600"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        cwd=REPO_ROOT)
    output: list[str] = []
    try:
        for line in process.stdout:
            output.append(line)
            if line.startswith("Ctrl-C to stop."):
                break
        printed = "".join(output)
        url = re.search(r"the API at (http://127\.0\.0\.1:\d+)", printed).group(1)
        endpoint = re.search(r"S3 endpoint (http://127\.0\.0\.1:\d+)", printed).group(1)
        assert f"--endpoint-url {endpoint}" in printed
        hint = re.search(r"TOKEN=\$\((clausewatch token create [^)]*)\)", printed).group(1)
        assert f"--state {state}" in hint and "--team default" in hint  # an empty state: the default team
        sample = SAMPLES / "uk-software-licence.pdf"
        upload_sample(endpoint, sample.name)
        token = tokens.issue(tokens.load_secret(state), team="finance-uk", user="eleanor.marsh@example.com")
        contract = wait_for_contract(url, token, sample.name)
        assert not (state / "table.jsonl").exists()  # nothing saved yet
        # a command that would write this state is refused while serve holds it (its save would be
        # overwritten by serve's next one); a read-only one still runs, on the state as last saved
        refused = subprocess.run([sys.executable, "-m", "clausewatch.cli", "tick", "--until", "2030-01-01",
                                  "--state", str(state)], capture_output=True, text=True, timeout=300,
                                 cwd=REPO_ROOT, env=env)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert f"`clausewatch serve` (pid {process.pid}, port {url.rsplit(':', 1)[1]})" in refused.stderr
        assert "use the API or the web page" in refused.stderr and refused.stdout == ""
        assert not (state / "table.jsonl").exists()
        reader = subprocess.run([sys.executable, "-m", "clausewatch.cli", "status", "--state", str(state)],
                                capture_output=True, text=True, timeout=300, cwd=REPO_ROOT, env=env)
        assert reader.returncode == 0 and f"(pid {process.pid}) is using this state" in reader.stderr
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, "".join(output) + rest
    assert f"saved in {state}/" in rest
    assert not (state / "writer.lock").exists()  # serve let the folder go
    # loaded again by another process (in this one, a second moto would empty the module's service)
    status = subprocess.run([sys.executable, "-m", "clausewatch.cli", "status", "--state", str(state)],
                            capture_output=True, text=True, timeout=300, cwd=REPO_ROOT, env=env)
    assert status.returncode == 0, status.stderr
    row = next(line for line in status.stdout.splitlines() if sample.name in line)
    assert row.startswith(contract["id"]) and "EXTRACTED" in row


# --- schemathesis -------------------------------------------------------------------------------------

FUZZ_EXAMPLES = int(os.environ.get("CLAUSEWATCH_FUZZ_EXAMPLES", "25"))


def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(service, tmp_path):
    """A property-based run of the OpenAPI document against `clausewatch serve` (`make api-fuzz`
    runs it with more examples), as an admin of a team that has contracts."""
    st = Path(sys.executable).with_name("st")
    if not st.exists():
        pytest.skip("schemathesis is not installed (pip install -e '.[dev]')")
    token = token_for(service, role="admin")
    upload_sample(service.endpoint, "saas-subscription-northwind.pdf")  # the team has a contract
    wait_for_contract(service.url, token, "saas-subscription-northwind.pdf")
    command = [str(st), "run", f"{service.url}/openapi.json", "-H", f"Authorization: Bearer {token}",
               "--checks", "not_a_server_error,response_schema_conformance",
               "--max-examples", str(FUZZ_EXAMPLES), "--seed", os.environ.get("CLAUSEWATCH_FUZZ_SEED", "1"),
               "--no-color"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    print(run.stdout[run.stdout.rfind("SUMMARY"):])  # `make api-fuzz` shows it


def test_a_percent_encoded_occurrence_id_is_the_id_it_encodes(service):
    """QA (hw) 14: an occurrence id's '@' sent as %40 (as a browser's encodeURIComponent does) was
    matched still encoded: "422: obligation_id: String should match pattern". API Gateway decodes
    path parameters; so does the handler now, through serve's request path."""
    from urllib.parse import quote

    upload_sample(service.endpoint, "supply-agreement-autorenew.pdf")
    team = sample_metadata()["supply-agreement-autorenew.pdf"]["team"]
    token = token_for(service, team=team, user="dana.kowalski@example.com")
    contract = wait_for_contract(service.url, token, "supply-agreement-autorenew.pdf")
    status, _, page = call(f"{service.url}/obligations?status=open&limit=100", token=token)
    assert status == 200, page
    occurrence = next(o for o in page["items"] if "@" in o["id"])
    encoded = quote(occurrence["id"], safe="")
    assert "%40" in encoded
    status, _, acknowledged = call(
        f"{service.url}/contracts/{contract['id']}/obligations/{encoded}/acknowledge", "POST", token, {})
    assert status == 200, acknowledged
    assert acknowledged["id"] == occurrence["id"]
    assert call(f"{service.url}/contracts/{contract['id']}/obligations/{quote('x/y', safe='')}/acknowledge",
                "POST", token, {})[0] in (400, 404)  # a %2F stays inside its segment: no other route
