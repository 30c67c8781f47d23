"""POST /uploads: a presigned S3 POST whose policy binds the caller's team and user. Against the
embedded S3 (which checks POST policies as S3 does, local/s3post.py): the allowed upload lands,
is ingested and belongs to the caller's team; one with another team's metadata is refused."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from clausewatch import config
from clausewatch.aws.clients import client
from clausewatch.store import repository as repo
from tests.integration.api_support import PROCUREMENT, SAAS, SUPPLY_CHAIN, call, claims, no_scan_in_api_requests  # noqa: F401
from tests.paths import SAMPLES

EDITOR = claims(PROCUREMENT, "editor", "alex.editor@example.com")
PDF = (SAMPLES / SAAS).read_bytes()
SUPPLY = "supply-agreement-autorenew.pdf"
SUPPLY_PDF = (SAMPLES / SUPPLY).read_bytes()


@pytest.fixture(scope="module")
def cloud(_local_cloud_session):
    """One empty cloud for the module: the refusals leave nothing behind, and the one upload that
    is let in is the last test."""
    from clausewatch import clock

    clock.set_now(None)
    _local_cloud_session.reset()
    return _local_cloud_session


@pytest.fixture
def upload(cloud) -> dict:
    reply = call("POST", "/uploads", claims=EDITOR, body={
        "file_name": SAAS, "counterparty": "Northwind Analytics, Inc.", "contract_type": "saas",
        "time_zone": "America/New_York", "jurisdiction": "US-NY"})
    assert reply.status == 201, reply.text
    return reply.json()


def post(upload: dict, fields: dict | None = None, body: bytes = PDF) -> requests.Response:
    """What a browser does with the presigned POST: the fields, then the file."""
    return requests.post(upload["url"], data=fields if fields is not None else upload["fields"],
                         files={"file": (SAAS, body, "application/pdf")}, timeout=30)


def inbox() -> list[str]:
    listed = client("s3").list_objects_v2(Bucket=config.BUCKET_NAME, Prefix=config.INBOX_PREFIX)
    return [o["Key"] for o in listed.get("Contents", [])]


def test_the_policy_fixes_the_team_the_uploader_and_the_key(upload):
    fields = upload["fields"]
    assert fields["x-amz-meta-team"] == PROCUREMENT
    assert fields["x-amz-meta-uploader"] == fields["x-amz-meta-owner"] == "alex.editor@example.com"
    assert fields["key"] == upload["key"] and upload["key"].startswith(config.INBOX_PREFIX)
    assert upload["key"].endswith(f"/{SAAS}") and upload["max_bytes"] == config.MAX_PDF_BYTES
    conditions = json.loads(base64.b64decode(fields["policy"]))["conditions"]
    assert {"x-amz-meta-team": PROCUREMENT} in conditions and {"key": upload["key"]} in conditions
    assert ["content-length-range", 1, config.MAX_PDF_BYTES] in conditions
    assert {"Content-Type": "application/pdf"} in conditions


@pytest.mark.parametrize("change, refusal", [
    ({"x-amz-meta-team": SUPPLY_CHAIN}, "x-amz-meta-team"),
    ({"x-amz-meta-uploader": "mallory@example.com"}, "x-amz-meta-uploader"),
    ({"x-amz-meta-team-2": SUPPLY_CHAIN}, "Extra input fields: x-amz-meta-team-2"),
    ({"key": f"{config.INBOX_PREFIX}elsewhere.pdf"}, "key"),
    ({"Content-Type": "text/html"}, "Content-Type"),
    ({"x-amz-signature": "0" * 64}, "signature"),
])
def test_a_post_that_strays_from_the_policy_is_refused(cloud, upload, change, refusal):
    response = post(upload, {**upload["fields"], **change})
    assert response.status_code == 403 and "AccessDenied" in response.text
    assert refusal in response.text
    assert inbox() == []
    cloud.pump()
    assert repo.contracts_of_team(SUPPLY_CHAIN) == [] and repo.contracts_of_team(PROCUREMENT) == []


def test_an_empty_file_and_an_anonymous_post_are_refused(cloud, upload):
    assert post(upload, body=b"").status_code == 403
    anonymous = {"key": upload["key"], "x-amz-meta-team": SUPPLY_CHAIN}
    assert post(upload, anonymous).status_code == 403
    assert inbox() == []


@pytest.mark.parametrize("body, complaint", [
    ({"file_name": "../contracts/x.pdf"}, "file_name"),
    ({"file_name": ""}, "file_name"),
    ({"file_name": "x.pdf", "time_zone": "Mars/Olympus_Mons"}, "time-zone"),
    ({"file_name": "x.pdf", "jurisdiction": "XX-YY"}, "jurisdiction"),
    ({"file_name": "x.pdf", "team": SUPPLY_CHAIN}, "team"),
])
def test_bad_upload_requests_are_400(cloud, body, complaint):
    reply = call("POST", "/uploads", claims=EDITOR, body=body)
    assert reply.status == 400 and complaint in reply.message


@pytest.mark.parametrize("body, told", [
    ({"file_name": "x.pdf", "time_zone": "EST5EDT-nonsense"},
     "unknown time-zone 'EST5EDT-nonsense': use an IANA time zone name such as America/New_York"),
    ({"file_name": "x.pdf", "jurisdiction": "XX-YY"}, "unknown jurisdiction 'XX-YY': use a country code"),
])
def test_a_refused_upload_says_what_to_send_not_a_default_it_will_not_use(cloud, body, told):
    """QA5 6: the 400 said "using UTC" / "using the governing law", the drop folder's wording
    (where the default is used): read as accepted with a default, though nothing was created."""
    reply = call("POST", "/uploads", claims=EDITOR, body=body)
    assert reply.status == 400 and reply.message.startswith(told) and "using" not in reply.message


def test_viewers_cannot_upload(cloud):
    viewer = claims(PROCUREMENT, "viewer")
    assert call("POST", "/uploads", claims=viewer, body={"file_name": "x.pdf"}).status == 403


def test_the_allowed_upload_is_ingested_into_the_callers_team(cloud, upload):
    response = post(upload)
    assert response.status_code == 204, response.text
    cloud.pump()
    [contract] = call("GET", "/contracts", claims=EDITOR).json()["items"]
    assert contract["file_name"] == SAAS and contract["team"] == PROCUREMENT
    assert contract["status"] == "EXTRACTED" and contract["owner"] == "alex.editor@example.com"
    assert contract["time_zone"] == "America/New_York" and contract["notice_deadline"]
    stored = repo.get_contract(contract["id"])
    assert stored.upload_metadata["uploader"] == "alex.editor@example.com"
    assert call("GET", "/contracts", claims=claims(SUPPLY_CHAIN)).json()["items"] == []
    assert inbox() == []


ARABIC = "شركة الخليج للتجارة والمقاولات ذ.م.م"


def test_a_counterparty_that_is_no_text_is_refused_saying_why(cloud):
    """A value S3 could not carry at all (a lone surrogate, "\\ud800" in JSON): a 400 saying why,
    never a 500 or an upload lost later (the request model refuses it first; ``normalise_metadata``
    would: test_s3_metadata.py)."""
    reply = call("POST", "/uploads", claims=EDITOR, body={"file_name": "x.pdf", "counterparty": "Acme\ud800"})
    assert reply.status == 400, reply.text
    assert reply.message.startswith("counterparty: ") and "unicode string" in reply.message


def test_metadata_over_s3s_limit_is_refused_naming_what_to_shorten():
    """S3 keeps 2 KB of metadata on an object: the page is told which value to shorten (a 400)
    rather than have S3 refuse the POST after the user chose the file. (The request's own limits
    keep a request under it today: this is the guard should they grow.)"""
    from clausewatch.api.uploads import stored_metadata
    from clausewatch.pipeline.actions import InvalidInput

    with pytest.raises(InvalidInput, match=r"over S3's limit of 2,048 bytes of metadata: shorten counterparty "
                                           r"\(700 characters\)"):
        stored_metadata({"team": PROCUREMENT, "counterparty": "北京" * 350})
    assert stored_metadata({"counterparty": "北京" * 100})["counterparty"].startswith("=?UTF-8?B?")


def test_a_counterparty_in_arabic_arrives_and_reads_back_exactly(cloud):
    """QA (hw) 15: the embedded S3 crashed writing a non-Latin-1 metadata value and the upload was
    lost. Sent RFC 2047-encoded as S3 keeps it, read back decoded by intake."""
    reply = call("POST", "/uploads", claims=EDITOR, body={"file_name": SUPPLY, "counterparty": ARABIC,
                                                           "time_zone": "Asia/Dubai"})
    assert reply.status == 201, reply.text
    upload = reply.json()
    assert upload["fields"]["x-amz-meta-counterparty"].startswith("=?UTF-8?B?")
    response = requests.post(upload["url"], data=upload["fields"],
                             files={"file": (SUPPLY, SUPPLY_PDF, "application/pdf")}, timeout=30)
    assert response.status_code == 204, response.text
    cloud.pump()
    [contract] = [c for c in call("GET", "/contracts", claims=EDITOR).json()["items"] if c["file_name"] == SUPPLY]
    assert contract["status"] == "EXTRACTED" and contract["counterparty"] == ARABIC
    assert contract["time_zone"] == "Asia/Dubai"
    assert repo.get_contract(contract["id"]).upload_metadata["counterparty"] == ARABIC
    found = call("GET", "/contracts", claims=EDITOR, query={"counterparty": "الخليج"}).json()["items"]
    assert [c["id"] for c in found] == [contract["id"]]
