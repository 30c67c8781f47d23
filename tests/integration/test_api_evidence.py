"""The dashboard viewer's API routes through the real handler: the rectangles covering a quoted span
(from the stored text's geometry) and the original PDF's bytes; team isolation as everywhere."""

from __future__ import annotations

import base64

from clausewatch import config
from clausewatch.aws import s3
from clausewatch.text.model import DocumentText, evidence_boxes
from tests.integration.api_support import (  # noqa: F401
    PROCUREMENT,
    SAAS,
    SUPPLY,
    SUPPLY_CHAIN,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    world,
)
from tests.paths import SAMPLES

VIEWER = claims(PROCUREMENT)


def test_the_boxes_of_a_terms_evidence_are_on_its_page(world):
    contract_id = world.ids[SAAS]
    evidence = call("GET", f"/contracts/{contract_id}", claims=VIEWER).json()["terms"]["notice_period"]["evidence"]
    reply = call("GET", f"/contracts/{contract_id}/evidence", claims=VIEWER,
                 query={"page": evidence["page"], "start": evidence["start"], "end": evidence["end"]})
    assert reply.status == 200, reply.text
    found = reply.json()
    assert (found["page"], found["page_count"], found["quote"]) == (evidence["page"], 4, evidence["text"])
    # one rectangle per line of the quote, in reading order, inside the page
    stored = DocumentText.from_dict(s3.get_json(config.BUCKET_NAME, config.text_key(contract_id)))
    expected = [b.to_list() for b in evidence_boxes(stored, evidence["page"], evidence["start"], evidence["end"])]
    assert found["boxes"] == expected and len(expected) >= 2
    tops = [top for _, top, _, _ in found["boxes"]]
    assert tops == sorted(tops)
    for left, top, width, height in found["boxes"]:
        assert 0 <= left < left + width <= 1 and 0 <= top < top + height <= 1


def test_an_empty_span_has_no_boxes_and_a_page_beyond_the_document_is_404(world):
    contract_id = world.ids[SAAS]
    reply = call("GET", f"/contracts/{contract_id}/evidence", claims=VIEWER, query={"page": 1, "start": 5, "end": 5})
    assert reply.status == 200 and reply.json()["boxes"] == []
    reply = call("GET", f"/contracts/{contract_id}/evidence", claims=VIEWER, query={"page": 9, "start": 0, "end": 5})
    assert reply.status == 404 and "4 page(s)" in reply.message
    reply = call("GET", f"/contracts/{contract_id}/evidence", claims=VIEWER, query={"page": 0, "start": 0, "end": 5})
    assert reply.status == 400
    reply = call("GET", f"/contracts/{contract_id}/evidence", claims=VIEWER, query={"page": 1, "start": 3})
    assert reply.status == 400 and "together" in reply.message
    reply = call("GET", f"/contracts/{contract_id}/evidence", claims=VIEWER, query={"page": 1, "start": 10, "end": 5})
    assert (reply.status, reply.message) == (400, "start (10) is after end (5): the span runs from start to end")
    # without a span: every line of the page (page 1 by default)
    whole = call("GET", f"/contracts/{contract_id}/evidence", claims=VIEWER).json()
    assert (whole["page"], whole["start"]) == (1, 0) and whole["quote"].startswith("SAAS SUBSCRIPTION AGREEMENT")
    assert len(whole["boxes"]) > 10


def test_the_original_pdf_is_the_uploaded_bytes(world):
    from clausewatch.local.handlers import invoke
    from tests.integration.api_support import rest_event

    response = invoke("api", rest_event("GET", f"/contracts/{world.ids[SAAS]}/original.pdf", claims=VIEWER))
    assert response["statusCode"] == 200
    headers = {**{k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items()},
               **(response.get("headers") or {})}
    assert headers["Content-Type"] == "application/pdf" and "no-store" in headers["Cache-Control"]
    assert response["isBase64Encoded"] is True
    assert base64.b64decode(response["body"]) == (SAMPLES / SAAS).read_bytes()


def test_another_teams_evidence_and_pdf_are_not_found_and_no_token_is_401(world):
    supply = world.ids[SUPPLY]
    for path, query in ((f"/contracts/{supply}/evidence", {"page": 1, "start": 0, "end": 10}),
                        (f"/contracts/{supply}/original.pdf", None)):
        assert call("GET", path, claims=VIEWER, query=query).status == 404
        assert call("GET", path, claims=claims(SUPPLY_CHAIN), query=query).status == 200
        assert call("GET", path, query=query).status == 401
