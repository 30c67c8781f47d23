"""GET /corrections (admins): the team's values people entered or corrected, one JSON line each
(pipeline/corrections.py), the labels `CORRECTIONS=file make train` learns from."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from ..pipeline.corrections import corrections_jsonl
from .auth import SECURED, Role, current_caller, requires
from .models import error_responses

router = Router()
JSONL = "application/x-ndjson"


@router.get("/corrections", tags=["contracts"], security=SECURED,
            summary="The team's human-confirmed values as JSONL (training labels)",
            responses={**error_responses(400, 401, 403),
                       200: {"description": "one JSON object a line: contract_id, document_sha256, field, "
                                            "extracted_value, extracted_evidence, corrected_value, author, at, "
                                            "clause",
                             "content": {JSONL: {"schema": {"type": "string"}}}}})
@requires(Role.ADMIN)
def export_corrections() -> Response[str]:
    caller = current_caller(router.context)
    return Response(status_code=200, content_type=JSONL, body=corrections_jsonl(team=caller.team))
