"""PUT /contracts/{id}/terms/{name}: a person enters a term's value (one the extractor abstained
on, or a correction). Audited; no later extraction or amendment overwrites it (pipeline/entries.py)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path

from ..pipeline import entries
from . import views
from .auth import SECURED, current_caller, requires
from .models import TERM_NAME_PATTERN, TermEntry, TermVersion, error_responses
from .params import ContractId

router = Router()


@router.put("/contracts/<contract_id>/terms/<name>", tags=["contracts"], security=SECURED,
            summary="Enter a term's value (audited; kept over any later extraction)",
            responses=error_responses(400, 401, 403, 404, 409))
@requires(views.ENTERS_TERMS)
def enter_term(contract_id: ContractId,
               name: Annotated[str, Path(pattern=TERM_NAME_PATTERN, examples=["expiration_date"])],
               body: Annotated[TermEntry, Body()]) -> TermVersion:
    caller = current_caller(router.context)
    item = entries.enter_term(contract_id, name, body.value, note=body.note, actor=caller.user, team=caller.team)
    return views.term_version(item, views.Contracts())
