"""A contract's evidence on its pages, for the web dashboard's viewer: the rectangles that cover a
quoted span (from the stored text's geometry, ``text.model.evidence_boxes``) and the original PDF's
bytes (proxied, so the viewer reads it from the API's own origin with the caller's auth)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from .. import config
from ..aws import s3
from ..pipeline import actions
from ..text.model import DocumentText, evidence_boxes
from .auth import SECURED, Role, current_caller, requires
from .models import EvidenceBoxes, error_responses
from .params import ContractId

router = Router()
TAGS = ["contracts"]
PDF = "application/pdf"


@router.get("/contracts/<contract_id>/evidence", tags=TAGS, security=SECURED,
            summary="The rectangles (page fractions, top-left origin) that cover a span of a page's text "
                    "(the whole page without start and end)",
            responses=error_responses(400, 401, 403, 404))
@requires(Role.VIEWER)
def evidence(contract_id: ContractId,
             page: Annotated[int, Query(ge=1, le=100_000, description="1-based, as evidence.page")] = 1,
             start: Annotated[int | None, Query(ge=0, le=10_000_000, description="evidence.start")] = None,
             end: Annotated[int | None, Query(ge=0, le=10_000_000, description="evidence.end")] = None,
             ) -> EvidenceBoxes:
    caller = current_caller(router.context)
    actions.find_contract(contract_id, caller.team)
    if (start is None) != (end is None):
        raise actions.InvalidInput("start and end go together (or neither, for the whole page)")
    if start is not None and end is not None and start > end:
        raise actions.InvalidInput(f"start ({start}) is after end ({end}): the span runs from start to end")
    stored = s3.get_json(config.Settings.from_env().bucket, config.text_key(contract_id))
    if stored is None:
        raise actions.NotFound(f"no stored text for contract {contract_id!r}")
    document = DocumentText.from_dict(stored)
    if page > len(document.pages):
        raise actions.NotFound(f"contract {contract_id!r} has {len(document.pages)} page(s), not {page}")
    text = document.pages[page - 1].text
    first, last = (0, len(text)) if start is None or end is None else (start, end)
    boxes = evidence_boxes(document, page, first, last)
    return EvidenceBoxes(contract_id=contract_id, page=page, page_count=len(document.pages),
                         start=first, end=last, quote=text[first:last], boxes=[b.to_list() for b in boxes])


@router.get("/contracts/<contract_id>/original.pdf", tags=TAGS, security=SECURED,
            summary="The contract's original PDF (the bytes, for the dashboard's viewer)",
            responses={200: {"description": "the PDF",
                             "content": {PDF: {"schema": {"type": "string", "format": "binary"}}}},
                       **error_responses(400, 401, 403, 404)})
@requires(Role.VIEWER)
def original_pdf(contract_id: ContractId):  # no return annotation: powertools would serialize the bytes as JSON
    caller = current_caller(router.context)
    contract = actions.find_contract(contract_id, caller.team)
    stored = s3.get_object(config.Settings.from_env().bucket, contract.original_key) \
        if contract.original_key else None
    if stored is None:
        raise actions.NotFound(f"no original PDF for contract {contract_id!r}")
    return Response(status_code=200, content_type=PDF, body=stored.body,
                    headers={"Cache-Control": "private, no-store",
                             "Content-Disposition": "inline", "X-Content-Type-Options": "nosniff"})
