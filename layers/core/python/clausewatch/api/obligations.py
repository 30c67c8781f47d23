"""Obligations: the team's list (by status, owner, kind, due dates), and what a person does to
one: complete, acknowledge, waive, give it an owner, reopen a recurring duty's rule marked done. The planner re-plans the reminders from the
table's stream, as for every change."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from .. import clock
from ..pipeline import actions
from ..schema import ObligationStatus
from ..store import queries
from ..store.models import ObligationItem
from . import views
from .auth import SECURED, Caller, Role, current_caller, requires
from .models import (
    ME,
    AcknowledgeRequest,
    CompleteRequest,
    Obligation,
    ObligationAction,
    ObligationConflict,
    ObligationFilter,
    ObligationKind,
    ObligationPage,
    OwnerRequest,
    ReopenedRule,
    ReopenRequest,
    WaiveRequest,
    error_responses,
    stored_status,
)
from .params import DEFAULT, ContractId, Cursor, IsoDate, Limit, ObligationId

router = Router()
TAGS = ["obligations"]
# a 409 of an action names the obligation's status now when the refusal is about it
ACTION_ERRORS = error_responses(400, 401, 403, 404, 409, conflict=ObligationConflict)

# who may complete, acknowledge, waive or reassign an obligation
ACTS = Role.EDITOR


def caller_may(caller: Caller) -> list[ObligationAction]:
    """What the caller's role lets them do to an obligation (the buttons the pages offer)."""
    return ["complete", "acknowledge", "waive", "reassign"] if caller.may(ACTS) else []


_STORED = {ObligationFilter.OPEN: ObligationStatus.OPEN, ObligationFilter.OVERDUE: ObligationStatus.OPEN,
           ObligationFilter.DONE: ObligationStatus.DONE, ObligationFilter.WAIVED: ObligationStatus.WAIVED}


@router.get("/obligations", summary="The team's dated obligations, soonest first", tags=TAGS,
            security=SECURED, responses=error_responses(400, 401, 403))
@requires(Role.VIEWER)
def list_obligations(
    status: Annotated[ObligationFilter, Query(description="open (overdue included), overdue, done, waived")]
    = ObligationFilter.OPEN,
    due_after: Annotated[IsoDate | None, Query(description="due on or after")] = None,
    due_before: Annotated[IsoDate | None, Query(description="due on or before")] = None,
    owner: Annotated[str | None, Query(max_length=254, description="an email, `me` or `unowned`")] = None,
    kind: Annotated[ObligationKind | None, Query()] = None,
    limit: Limit = DEFAULT,
    cursor: Cursor = None,
) -> ObligationPage:
    caller = current_caller(router.context)
    if due_after and due_before and due_after > due_before:  # swapped, most likely: no day is in it
        raise actions.InvalidInput(f"due_after ({due_after.isoformat()}) is after due_before "
                                   f"({due_before.isoformat()}): both are inclusive, no day is between them")
    contracts = views.Contracts(shown=views.OBLIGATION_SHOWS)
    due_to = due_before
    if status == ObligationFilter.OVERDUE:
        # past due somewhere on earth means due on or before today in UTC (no zone is a day ahead
        # of it); then exactly, in each contract's time zone
        latest = clock.now().date()
        due_to = min(due_before, latest) if due_before else latest

    def keep(item: ObligationItem) -> bool:
        if kind and item.kind != kind:
            return False
        return status != ObligationFilter.OVERDUE or \
            views.is_overdue(item, contracts.time_zone(item.contract_id))

    def prepare(found: list[ObligationItem]) -> None:
        # "overdue" tests each obligation in its contract's time zone: the Query page's contracts
        # are read in BatchGetItem calls before ``keep`` asks, not one GetItem each
        contracts.prefetch(o.contract_id for o in found if not kind or o.kind == kind)

    page = queries.team_obligations(
        caller.team, _STORED[status], owner=caller.user if owner == ME else owner,
        due_from=due_after.isoformat() if due_after else None, due_to=due_to.isoformat() if due_to else None,
        limit=limit, cursor=cursor, keep=keep, filters=(status, kind),
        prepare=prepare if status == ObligationFilter.OVERDUE else None)
    contracts.prefetch(o.contract_id for o in page.items)
    may = caller_may(caller)
    items = [views.obligation(o, c, may) for o in page.items if (c := contracts.get(o.contract_id))]
    return ObligationPage(items=items, next_cursor=page.cursor)


def _view(item: ObligationItem) -> Obligation:
    return views.obligation(item, actions.find_contract(item.contract_id),
                            caller_may(current_caller(router.context)))


@router.post("/contracts/<contract_id>/obligations/<obligation_id>/complete", tags=TAGS, security=SECURED,
             summary="Mark done (note, evidence object): its reminders stop",
             description="done_on: the day it was done, not after today; for a term end (kind expiration) not "
                         "before the term's last day either: 400, a term does not end before it; for a notice of "
                         "non-renewal (renewal-notice@<term end>) not before the day \"do not renew\" was decided, "
                         "for any other not before the contract's effective date when known (400). A notice of "
                         "non-renewal is done only with its proof: 400 without evidence_key; 400 for an "
                         "evidence_key not an object under contracts/<id>/ or evidence/<id>/. A term end of a "
                         "contract that does not renew marked done is listed by GET /renewals as ended, `ended_by` "
                         "`marked done`. 409 for a status not the one expected (current_status), when another "
                         "write of it in flight cancelled this one (nothing written: read it again, send it again), "
                         "for a recurring duty's rule (each occurrence, <rule>@<day>, is done on its own; waive the "
                         "rule to end the duty), or for the notice deadline (notice_deadline) while its term's "
                         "renewal decision waits for a person (the decision closes it: POST "
                         "/contracts/{id}/renewal-decision).",
             responses=ACTION_ERRORS)
@requires(ACTS)
def complete(contract_id: ContractId, obligation_id: ObligationId,
             body: Annotated[CompleteRequest | None, Body()] = None) -> Obligation:
    caller = current_caller(router.context)
    body = body or CompleteRequest()
    return _view(actions.complete_obligation(contract_id, obligation_id, actor=caller.user, team=caller.team,
                                             note=body.note, evidence_key=body.evidence_key, done_on=body.done_on,
                                             expected=stored_status(body.expected_status)))


@router.post("/contracts/<contract_id>/obligations/<obligation_id>/acknowledge", tags=TAGS, security=SECURED,
             summary="The owner has seen it: escalation stops, reminders to the owner go on",
             responses=ACTION_ERRORS)
@requires(ACTS)
def acknowledge(contract_id: ContractId, obligation_id: ObligationId,
                body: Annotated[AcknowledgeRequest | None, Body()] = None) -> Obligation:
    caller = current_caller(router.context)
    expected = stored_status(body.expected_status) if body else None
    return _view(actions.acknowledge_obligation(contract_id, obligation_id, actor=caller.user,
                                                team=caller.team, expected=expected))


@router.post("/contracts/<contract_id>/obligations/<obligation_id>/waive", tags=TAGS, security=SECURED,
             summary="It will not be done (reason): its reminders stop", responses=ACTION_ERRORS)
@requires(ACTS)
def waive(contract_id: ContractId, obligation_id: ObligationId,
          body: Annotated[WaiveRequest, Body()]) -> Obligation:
    caller = current_caller(router.context)
    return _view(actions.waive_obligation(contract_id, obligation_id, actor=caller.user, team=caller.team,
                                          reason=body.reason, expected=stored_status(body.expected_status)))


@router.post("/contracts/<contract_id>/obligations/<obligation_id>/reopen", tags=TAGS, security=SECURED,
             summary="Reopen a recurring duty's rule marked done (before 2026-12-07) and flagged by the upgrade "
                     "(rule_marked_done): the duty goes on, the occurrences owed meanwhile made overdue, the next "
                     "planned from today; any other rule, or one of a contract that ended: 409",
             responses=ACTION_ERRORS)
@requires(ACTS)
def reopen(contract_id: ContractId, obligation_id: ObligationId,
           body: Annotated[ReopenRequest | None, Body()] = None) -> ReopenedRule:
    caller = current_caller(router.context)
    reopened = actions.reopen_rule(contract_id, obligation_id, actor=caller.user, team=caller.team,
                                   note=body.note if body else None)
    return ReopenedRule(**_view(reopened.rule).model_dump(), occurrences_made=reopened.occurrences_made,
                       message=reopened.message)


@router.put("/contracts/<contract_id>/obligations/<obligation_id>/owner", tags=TAGS, security=SECURED,
            summary="Give the obligation its own owner", responses=ACTION_ERRORS)
@requires(ACTS)
def set_owner(contract_id: ContractId, obligation_id: ObligationId,
              body: Annotated[OwnerRequest, Body()]) -> Obligation:
    caller = current_caller(router.context)
    return _view(actions.set_obligation_owner(contract_id, obligation_id, body.owner, actor=caller.user,
                                              team=caller.team))
