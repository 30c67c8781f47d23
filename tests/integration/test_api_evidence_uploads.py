"""POST /contracts/{id}/evidence-uploads: a presigned S3 POST of a proof file under the contract's
evidence folder, whose key then completes an obligation (the web page's "Complete" with a file).
Against the embedded S3, which checks POST policies as S3 does (local/s3post.py)."""

from __future__ import annotations

import pytest
import requests

from clausewatch import config
from clausewatch.aws import s3
from clausewatch.aws.clients import client
from clausewatch.store import repository as repo
from tests.integration.api_support import (  # noqa: F401
    PROCUREMENT,
    SAAS,
    SUPPLY_CHAIN,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    restore,
)

EDITOR = claims(PROCUREMENT, "editor", "alex.editor@example.com")
PROOF = b"%PDF-1.4\n% the non-renewal letter, as sent by courier\n"


@pytest.fixture
def saas(_local_cloud_session, _world):
    restore(_local_cloud_session, _world)
    return _world.ids[SAAS]


def evidence_upload(contract_id: str, who=EDITOR, **body) -> dict:
    reply = call("POST", f"/contracts/{contract_id}/evidence-uploads", claims=who,
                 body={"file_name": "letter sent.pdf", "content_type": "application/pdf", **body})
    assert reply.status == 201, reply.text
    return reply.json()


def post(upload: dict, fields: dict | None = None, body: bytes = PROOF) -> requests.Response:
    return requests.post(upload["url"], data=fields if fields is not None else upload["fields"],
                         files={"file": ("letter sent.pdf", body, "application/pdf")}, timeout=30)


def test_a_proof_file_posted_to_its_presigned_post_completes_an_obligation(saas):
    upload = evidence_upload(saas)
    assert upload["key"].startswith(f"{config.EVIDENCE_PREFIX}{saas}/") and upload["key"].endswith("/letter sent.pdf")
    assert upload["max_bytes"] == config.MAX_EVIDENCE_BYTES
    assert upload["fields"]["x-amz-meta-uploader"] == "alex.editor@example.com"
    assert post(upload).status_code == 204
    assert s3.head_object(config.BUCKET_NAME, upload["key"]) is not None
    obligation = next(o for o in call("GET", f"/contracts/{saas}", claims=EDITOR).json()["obligations"]
                      if o["status"] == "open")
    done = call("POST", f"/contracts/{saas}/obligations/{obligation['id']}/complete", claims=EDITOR,
                body={"note": "sent by courier", "evidence_key": upload["key"]})
    assert done.status == 200, done.text
    assert (done.json()["status"], done.json()["evidence_key"]) == ("done", upload["key"])
    assert repo.get_obligation(saas, obligation["id"]).evidence_key == upload["key"]


def test_the_policy_keeps_the_file_in_its_contracts_evidence_folder(saas, _world):
    upload = evidence_upload(saas)
    other = next(i for n, i in _world.ids.items() if i != saas)
    for change in ({"key": f"{config.EVIDENCE_PREFIX}{other}/x.pdf"}, {"key": f"{config.INBOX_PREFIX}x.pdf"},
                   {"x-amz-meta-uploader": "mallory@example.com"}, {"Content-Type": "text/html"}):
        response = post(upload, {**upload["fields"], **change})
        assert response.status_code == 403 and "AccessDenied" in response.text, change
    assert post(upload, body=b"").status_code == 403  # an empty proof is no proof
    listed = client("s3").list_objects_v2(Bucket=config.BUCKET_NAME, Prefix=config.EVIDENCE_PREFIX)
    assert listed.get("Contents", []) == []


def test_who_may_ask_and_for_what(saas):
    assert call("POST", f"/contracts/{saas}/evidence-uploads", claims=claims(PROCUREMENT, "viewer"),
                body={"file_name": "x.pdf"}).status == 403
    assert call("POST", f"/contracts/{saas}/evidence-uploads", claims=claims(SUPPLY_CHAIN, "editor"),
                body={"file_name": "x.pdf"}).status == 404  # another team's contract does not exist for them
    assert call("POST", "/contracts/0000000000000000/evidence-uploads", claims=EDITOR,
                body={"file_name": "x.pdf"}).status == 404
    for body in ({"file_name": "../contracts/x.pdf"}, {"file_name": ""}, {"file_name": "x.pdf", "content_type": "pdf"},
                 {"file_name": "x.pdf", "content_type": "text/html\r\nX-Evil: 1"}):
        reply = call("POST", f"/contracts/{saas}/evidence-uploads", claims=EDITOR, body=body)
        assert reply.status == 400, (body, reply.text)


def test_a_proof_is_stored_with_its_own_type_only_when_it_is_a_document_type(saas):
    assert evidence_upload(saas)["fields"]["Content-Type"] == "application/pdf"
    assert evidence_upload(saas, content_type="image/JPEG")["fields"]["Content-Type"] == "image/jpeg"
    for claimed in ("text/html", "image/svg+xml", "application/javascript"):
        upload = evidence_upload(saas, content_type=claimed)
        assert upload["fields"]["Content-Type"] == config.EVIDENCE_OTHER_CONTENT_TYPE, claimed
        # the policy binds the stored type: posting it as what it claims is refused
        assert post(upload, {**upload["fields"], "Content-Type": claimed}).status_code == 403
