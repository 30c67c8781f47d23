"""POST /contracts/{id}/events: a person enters the date of the event a conditional term runs
from ("five (5) years from the Launch Date"); the expiration, notice deadline and reminders follow
(pipeline/events.py); ``"date": null`` clears a date entered by mistake (the term waits for the
event again). The contract's owner or an admin."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from ..pipeline import actions, events
from . import views
from .auth import SECURED, Forbidden, current_caller, requires
from .models import ConditionalTerm, EventDateEntry, EventEntered, error_responses
from .params import ContractId

router = Router()


@router.post("/contracts/<contract_id>/events", tags=["contracts"], security=SECURED,
             summary="Enter (or, with a null date, clear) the date of the event a conditional term runs from "
                     "(the contract's owner or an admin)",
             responses=error_responses(400, 401, 403, 404, 409))
@requires(views.ENTERS_EVENTS)
def enter_event(contract_id: ContractId, body: Annotated[EventDateEntry, Body()]) -> EventEntered:
    caller = current_caller(router.context)
    contract = actions.find_contract(contract_id, caller.team)
    if not views.may_enter_event(contract, caller):
        raise Forbidden(f"an event's date is entered by the contract's owner ({contract.owner}) or an admin")
    entered = events.clear_event_date(contract_id, body.event, actor=caller.user, team=caller.team) \
        if body.date is None else \
        events.enter_event_date(contract_id, body.event, body.date, actor=caller.user, team=caller.team)
    return EventEntered(contract_id=contract_id, conditional_term=ConditionalTerm(**entered.conditional),
                        expiration=None if entered.expiration is None else
                        views.term_version(entered.expiration, views.Contracts()),
                        missing_events=list(entered.missing),
                        notice_deadline=None if entered.notice_deadline is None else str(entered.notice_deadline.value),
                        kept=entered.kept)
