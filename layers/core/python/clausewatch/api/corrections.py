"""GET /corrections (admins): the team's values people entered or corrected (pipeline/corrections.py),
the labels `CORRECTIONS=file make train` learns from: JSON, or ``?format=jsonl`` one object a line
(the file `make train` reads)."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from ..pipeline.corrections import corrections, corrections_jsonl
from .auth import SECURED, Role, current_caller, requires
from .models import Correction, CorrectionList, error_responses

router = Router()
JSONL = "application/x-ndjson"


@router.get("/corrections", tags=["contracts"], security=SECURED,
            summary="The team's human-confirmed values (training labels), as JSON or JSONL",
            responses={**error_responses(400, 401, 403),
                       200: {"description": "each correction: contract_id, document_sha256, field, extracted_value, "
                                            "extracted_evidence, corrected_value, author, at, clause",
                             "content": {"application/json": {"schema": {"type": "object"}},
                                         JSONL: {"schema": {"type": "string"}}}}})
@requires(Role.ADMIN)
def export_corrections(format: Annotated[Literal["json", "jsonl"], Query()] = "json") -> Response[str]:
    caller = current_caller(router.context)
    if format == "jsonl":
        return Response(status_code=200, content_type=JSONL, body=corrections_jsonl(team=caller.team))
    items = [Correction(**line) for line in corrections(team=caller.team)]  # the documented shape, checked
    return Response(status_code=200, content_type="application/json",
                    body=CorrectionList(items=items).model_dump_json())
