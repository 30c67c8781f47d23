"""A FAILED contract with a transient cause (throttling, a stuck or expired text job, a crash of the
extractor) taken back through the pipeline: POST /contracts/{id}/retry (editors). The API checks
and marks it; the planner, on the table's stream, does the retry (so the API function needs no
Textract or pipeline permissions)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from ..pipeline.recovery import request_retry
from . import views
from .auth import SECURED, Role, current_caller, requires
from .models import ContractSummary, error_responses
from .params import ContractId

router = Router()


@router.post("/contracts/<contract_id>/retry", summary="Retry a contract that failed for a transient reason",
             tags=["contracts"], security=SECURED, responses=error_responses(400, 401, 403, 404, 409))
@requires(Role.EDITOR)
def retry(contract_id: ContractId) -> ContractSummary:
    caller = current_caller(router.context)
    contract = request_retry(contract_id, actor=caller.user, team=caller.team)
    return views.contract_summary(contract, caller)
