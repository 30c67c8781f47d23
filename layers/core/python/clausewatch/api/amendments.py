"""PUT /contracts/{id}/amends: a person says which contract a waiting amendment amends; its terms
are applied to it as on extraction, audited (pipeline/entries.py). DELETE: a person unlinks an
applied amendment; the contract follows its other documents again. POST .../amendment-checked: a
person checked an amendment read as changing no term and found nothing to enter. Editors."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from ..pipeline import actions, entries
from . import views
from .auth import SECURED, current_caller, requires
from .models import AmendmentCheckedRequest, AmendmentLink, ContractSummary, error_responses
from .params import ContractId

router = Router()
@router.put("/contracts/<contract_id>/amends", tags=["contracts"], security=SECURED,
            summary="Apply a waiting amendment to the contract it amends (audited; the person's word over the "
                    "amended agreement's date and name as read)",
            responses=error_responses(400, 401, 403, 404, 409))
@requires(views.LINKS_AMENDMENTS)
def link_amendment(contract_id: ContractId, body: Annotated[AmendmentLink, Body()]) -> ContractSummary:
    caller = current_caller(router.context)
    amendment, _ = entries.link_amendment(contract_id, body.contract_id, actor=caller.user, team=caller.team)
    return views.contract_summary(amendment, caller)


@router.delete("/contracts/<contract_id>/amends", tags=["contracts"], security=SECURED,
               summary="Unlink an amendment from the contract it was applied to: that contract's terms and "
                       "deadlines follow its own document and its other amendments again (audited)",
               responses=error_responses(400, 401, 403, 404, 409))
@requires(views.LINKS_AMENDMENTS)
def unlink_amendment(contract_id: ContractId) -> ContractSummary:
    caller = current_caller(router.context)
    return views.contract_summary(entries.unlink_amendment(contract_id, actor=caller.user, team=caller.team), caller)


@router.post("/contracts/<contract_id>/amendment-checked", tags=["contracts"], security=SECURED,
             summary="Say an amendment read as changing no term was checked and changes none tracked here: the "
                     "flag goes, on it and on the contract it amends (audited amendment.checked); or, for one "
                     "whose order is not known, the day it was signed or that the order filed is right",
             description="For an amendment flagged amendment_no_change_read (it adds a module, corrects an address). "
                         "A term it does change is entered on the contract it amends instead (PUT "
                         "/contracts/{id}/terms/{name}). Again: no change, except with another note: the newest "
                         "check's person and note are kept and audited; 409 for one an entry of the terms it names "
                         "settled (the flag went with the entry). For an amendment stating no number and no day "
                         "signed, or a number and no day signed beside one with a day signed and no number "
                         "(amendment_order_unknown on the contract it amends, on the numbered one): made_on, the "
                         "day it was signed, places it in the order made; confirm_order true: the order filed is "
                         "the order made; the flag goes and the amendments are applied again (audited "
                         "amendment.order_confirmed on both); that alone, never the no-change check. 400 for a "
                         "made_on after today or before the agreement it amends; 409 for a contract not so flagged "
                         "(the contract's only amendment has no order to confirm).",
             responses=error_responses(400, 401, 403, 404, 409))
@requires(views.LINKS_AMENDMENTS)
def amendment_checked(contract_id: ContractId,
                      body: Annotated[AmendmentCheckedRequest | None, Body()] = None) -> ContractSummary:
    caller = current_caller(router.context)
    body = body or AmendmentCheckedRequest()
    amendment = actions.check_amendment(contract_id, actor=caller.user, team=caller.team, note=body.note,
                                        made_on=body.made_on, order=body.confirm_order)
    return views.contract_summary(amendment, caller)
