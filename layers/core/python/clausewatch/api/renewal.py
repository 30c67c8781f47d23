"""Renewal decisions (issue #10): a contract term's decision workflow as the API shows it, the
decision itself (editor of the contract's team), and the decision links of the email (public: the
link's signed, expiring, single-use token is the credential; GET only shows, POST decides)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler.api_gateway import Response, Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import Field

from ..aws import s3
from ..config import DOWNLOAD_URL_SECONDS, Settings
from ..pipeline import actions
from ..renewal import decide as decisions
from ..renewal import link_page, store
from ..renewal.recommend import Decision
from ..schema import RenewalState
from ..store import repository as repo
from .auth import SECURED, Forbidden, Role, current_caller, public, requires
from .models import ErrorMessage, _Request, _Response, error_responses
from .params import ContractId, IsoDate

router = Router()
TAGS = ["renewals"]
LINK_PATH = "/renewal-decision"
NOT_STARTED = "not started"
Token = Annotated[str, Query(min_length=10, max_length=400, pattern=r"^[A-Za-z0-9_.-]+$",
                             description="the decision link's token")]


class RenewalRecommendation(_Response):
    decision: Decision
    reasons: list[str]
    owner_decides_by: str | None = None
    final_cutoff: str | None = None


class RenewalView(_Response):
    contract_id: str
    term_end: str
    notice_deadline: str | None
    state: str = Field(description="not started, started, recommended, waiting, decided, renegotiating, renewed, terminated, "
                                   "lapsed: auto-renewed by default, lapsed: expired, cancelled (the term no longer ends on that day)")
    waiting_for: str | None = Field(description="owner, final or escalated, while waiting")
    decide_by: str | None = Field(description="the last moment a decision is taken (ISO, UTC): while waiting, when the "
                                              "wait times out; after a lapse nobody decided, the end of the notice "
                                              "deadline's day while notice can still be given (a decision then is "
                                              "late); none once decided, or when nothing can be decided any more")
    decided_late: bool = Field(default=False, description="the decision was taken after the lapse (the decision's "
                                                          "cutoff, lapsed_at and notice_open_until say when)")
    recommendation: RenewalRecommendation | None
    evidence: dict[str, Any] | None
    decision: dict[str, Any] | None = Field(description="decision, reason, by, at, via, from which evidence")
    outcome: str | None
    notice_letter: str | None = Field(description="the non-renewal letter's key under contracts/<id>/notices/")
    notice_letter_url: str | None = Field(description="a presigned download link to it")
    history: list[dict[str, Any]]


class DecisionRequest(_Request):
    decision: Decision
    reason: str = Field(min_length=1, max_length=2000)
    term_end: IsoDate | None = Field(
        default=None, description="YYYY-MM-DD: the term this decides (the renewal's term_end); without it, the "
                                  "latest term's. A request sent again once its decision was taken answers the "
                                  "decision as it is (200, nothing recorded again); one asking for another "
                                  "decision is a 409. With term_end, a decision waiting for another term is a "
                                  "409; without it, the decision waiting (the latest term's) is decided")


class DecisionLink(_Response):
    """What a decision link would decide: the page asks for confirmation (POST the same URL)."""

    contract_id: str
    title: str | None
    counterparty: str | None
    term_end: str
    notice_deadline: str | None
    decision: Decision | None
    recommendation: RenewalRecommendation | None
    choices: list[Decision] = Field(description="the decisions this link still takes (after a lapse, or in the final "
                                                "round after a renegotiation: renew or terminate)")
    why_not: str | None = Field(default=None, description="why a decision is no longer offered, when one is not")
    decide_by: str | None = Field(default=None, description="YYYY-MM-DD: the day the decision is asked by (the "
                                                            "round's; after a lapse, the notice deadline)")
    link_expires: str
    confirm: str = Field(description="POST this same URL to decide; opening it decides nothing")


def view(item: store.RenewalItem, *, with_url: bool = True, time_zone: str | None = None) -> RenewalView:
    rec = item.recommendation
    if time_zone is None and item.state in decisions.LAPSED:  # (only a lapse's decide-by needs the zone)
        contract = repo.get_contract(item.contract_id)
        time_zone = contract.time_zone if contract else None
    url = s3.presigned_download_url(Settings.from_env().bucket, item.notice_key, expires_in=DOWNLOAD_URL_SECONDS,
                                    file_name=item.notice_key.rsplit("/", 1)[-1]) \
        if item.notice_key and with_url else None
    return RenewalView(
        contract_id=item.contract_id, term_end=item.term_end, notice_deadline=item.notice_deadline,
        state=item.state, waiting_for=item.waiting_round, decide_by=decisions.decide_by(item, time_zone),
        decided_late=bool((item.decision or {}).get("late")),
        recommendation=RenewalRecommendation(**{k: rec.get(k) for k in RenewalRecommendation.model_fields
                                                if k in rec}) if rec else None,
        evidence=item.evidence, decision=item.decision, outcome=item.outcome, notice_letter=item.notice_key,
        notice_letter_url=url, history=list(item.history or []))


@router.get("/contracts/<contract_id>/renewal", tags=TAGS, security=SECURED,
            summary="The renewal decision of the contract's latest term: state, recommendation with its evidence, "
                    "decision, history", responses=error_responses(400, 401, 403, 404))
@requires(Role.VIEWER)
def get_renewal(contract_id: ContractId) -> RenewalView:
    caller = current_caller(router.context)
    contract = actions.find_contract(contract_id, caller.team)
    item = store.latest(contract_id)
    # a decision cancelled or superseded because its term moved: the current term's is shown
    if item is not None and (item.state not in (RenewalState.CANCELLED, RenewalState.SUPERSEDED)
                             or not contract.current_expiration or item.term_end == contract.current_expiration):
        return view(item, time_zone=contract.time_zone)
    if not contract.current_expiration:
        raise actions.NotFound(f"contract {contract_id!r} has no term end: no renewal to decide")
    # the current term's decision has not started yet (its start schedule is the planner's)
    return RenewalView(contract_id=contract_id, term_end=contract.current_expiration,
                       notice_deadline=contract.current_notice_deadline, state=NOT_STARTED, waiting_for=None,
                       decide_by=None, recommendation=None, evidence=None, decision=None, outcome=None,
                       notice_letter=None, notice_letter_url=None, history=[])


@router.post("/contracts/<contract_id>/renewal-decision", tags=TAGS, security=SECURED,
             summary="Decide the waiting renewal (renew, terminate, renegotiate) with a reason; the same decision "
                     "sent again is 200, as it is; 409 when none waits",
             responses=error_responses(400, 401, 403, 404, 409))
@requires(Role.EDITOR)
def post_decision(contract_id: ContractId, body: Annotated[DecisionRequest, Body()]) -> RenewalView:
    caller = current_caller(router.context)
    contract = actions.find_contract(contract_id, caller.team)
    if body.term_end is not None:
        term = store.get(contract_id, body.term_end.isoformat())
        if term is None:
            raise actions.NotFound(f"contract {contract_id} has no renewal decision for the term ending "
                                   f"{body.term_end.isoformat()}")
    else:
        term = store.latest(contract_id)  # the decision that waits, if one does: the latest term's
        if term is not None and term.term_end != contract.current_expiration:
            term = None  # an ended term's (the next one's has no record yet): never answered for the current term
    if term is not None and term.state in _DECISION_TAKEN and term.decision:
        again = _sent_again(term, body.decision)  # a retry after a timeout: as it is
        if decisions.unfinished_after_lapse(again):  # unless its branch failed half-way: finished now
            again = decisions.finish_after_lapse(again)
        return view(again, with_url=False)
    item = decisions.decide(contract_id, body.decision.value, body.reason, actor=caller.user, team=caller.team,
                            item=term if body.term_end is not None else None)
    return view(item, with_url=False)


def _sent_again(term: store.RenewalItem, decision: Decision) -> store.RenewalItem:
    """The term whose decision was taken, when the request asks for that decision again (a retry
    after a timeout: answered with the decision as it stands, nothing recorded); Conflict naming
    the decision taken when it asks for another."""
    taken = term.decision or {}
    if taken.get("decision") != decision.value:
        raise actions.Conflict(f"the renewal of the term ending {term.term_end} is {term.state}: "
                               f"{taken.get('decision')} was decided by {taken.get('by')} at {taken.get('at')}, "
                               f"not {decision.value}")
    return term


# what a person's decision leads to (not a decision lapsed, cancelled or superseded)
_DECISION_TAKEN = (RenewalState.DECIDED, RenewalState.RENEGOTIATING, RenewalState.RENEWED, RenewalState.TERMINATED)


def _link_view(target: decisions.LinkTarget, decision: Decision | None) -> DecisionLink:
    rec = target.renewal.recommendation
    offered = decisions.choices(target.renewal, target.contract.time_zone)
    return DecisionLink(
        contract_id=target.contract.contract_id, title=target.contract.title, counterparty=target.contract.counterparty,
        term_end=target.renewal.term_end, notice_deadline=target.renewal.notice_deadline, decision=decision,
        recommendation=RenewalRecommendation(**{k: rec.get(k) for k in RenewalRecommendation.model_fields
                                                if k in rec}) if rec else None,
        choices=list(offered.accepted), why_not=offered.why_not, decide_by=decisions.decide_by_day(target.renewal),
        link_expires=target.claim.expires.isoformat(),
        confirm=f"POST this same URL (with decision={'|'.join(d.value for d in offered.accepted)}) to decide")


def _wants_html() -> bool:
    """A browser following the email's link asks for HTML; an API client gets JSON as before."""
    accept = router.current_event.headers.get("accept") or ""  # powertools' headers: case-insensitive
    return "text/html" in accept.lower()


def _html(status: int, body: str) -> Response[str]:
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body,
                    headers=dict(link_page.HEADERS))


def _json(model: _Response) -> Response[str]:
    return Response(status_code=200, content_type="application/json", body=model.model_dump_json())


def _form_reason() -> str | None:
    """The reason in the POST body: typed into the link page's form (form-encoded), or an API
    client's JSON ``{"reason": ...}``."""
    event = router.current_event
    content_type = (event.headers.get("content-type") or "").lower()
    if not event.body:
        return None
    reason: str | None
    if "application/x-www-form-urlencoded" in content_type:
        reason = (parse_qs(event.decoded_body or "").get("reason") or [""])[0]
    elif "json" in content_type:
        try:
            body = json.loads(event.decoded_body or "")
        except ValueError as exc:
            raise actions.InvalidInput("the body is not JSON") from exc
        reason = body.get("reason") if isinstance(body, dict) else None
        if reason is not None and not isinstance(reason, str):
            raise actions.InvalidInput("reason must be a string")
    else:
        return None
    return (reason or "").strip()[:2000] or None


def _link_responses(model: type[_Response]) -> dict:
    gone = {"description": "Gone: the link's contract was deleted, its decision with it (the message says "
                           "when and by whom)", "content": {"application/json": {"model": ErrorMessage}}}
    return {**error_responses(400, 403, 404, 409), 410: gone,
            200: {"description": "JSON for an API client; the page a person confirms on for a browser "
                                 "(Accept: text/html)",
                  "content": {"application/json": {"model": model}, "text/html": {"schema": {"type": "string"}}}}}


def _as_page(decide: Callable[[], Response[str]]) -> Response[str]:
    """``decide()``'s answer; for a browser, a refusal (used, expired, forged, its contract deleted)
    as a page in words. A deleted contract's link is 410 Gone, for an API client too."""
    html = _wants_html()
    try:
        return decide()
    except decisions.ContractGone as gone:
        return _html(410, link_page.refused_page(410, str(gone))) if html else \
            Response(status_code=410, content_type="application/json", body=json.dumps({"message": str(gone)}))
    except (Forbidden, actions.NotFound, actions.Conflict) as refused:
        if not html:
            raise
        status = 403 if isinstance(refused, Forbidden) else 404 if isinstance(refused, actions.NotFound) else 409
        return _html(status, link_page.refused_page(status, str(refused)))


@router.get(LINK_PATH, tags=TAGS, summary="What a decision link would decide (decides nothing: mail scanners "
                                          "follow links); a browser gets the page to confirm on",
            responses=_link_responses(DecisionLink))
@public
def open_link(token: Token, decision: Annotated[Decision | None, Query()] = None) -> Response[str]:
    def shown() -> Response[str]:
        link = _link_view(decisions.open_link(token), decision)
        return _html(200, link_page.link_page(link.model_dump(mode="json"), token)) if _wants_html() else _json(link)
    return _as_page(shown)


@router.post(LINK_PATH, tags=TAGS, summary="Confirm a decision link: decides once; a used or expired link is "
                                           "refused", responses=_link_responses(RenewalView))
@public
def confirm_link(token: Token, decision: Annotated[Decision, Query()],
                 reason: Annotated[str | None, Query(max_length=2000)] = None) -> Response[str]:
    def decided() -> Response[str]:
        done = view(decisions.decide_by_link(token, decision.value, reason or _form_reason()), with_url=False)
        return _html(200, link_page.decided_page(done.model_dump(mode="json"))) if _wants_html() else _json(done)
    return _as_page(decided)
