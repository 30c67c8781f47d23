"""A person's renewal decision: from the API (editor of the contract's team), the CLI, or a
decision link (its signed token). The record moves to DECIDED first (optimistic lock: a second
decision, or a reused link, finds it no longer waiting), then SendTaskSuccess resumes the workflow
with the stored task token, which never leaves the table."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from pynamodb.exceptions import PutError

from .. import clock, config, dates
from ..api.auth import Forbidden
from ..aws import stepfunctions as sfn
from ..pipeline.actions import Conflict, InvalidInput, NotFound, find_contract
from ..schema import RenewalState
from ..store import repository as repo
from ..store.models import ContractItem
from . import links, steps, store
from .recommend import Decision


class RefusedLink(Forbidden):
    """A decision link that is malformed, not ours, or expired."""


class ContractGone(NotFound):
    """The decision's contract was deleted (its decision ended with it): said with who and when.
    A NotFound, so a route that does not tell it apart answers 404; the decision link answers 410."""


def deleted_contract(contract_id: str) -> ContractGone | None:
    """Why a contract that no longer exists cannot be decided for, when it was deleted."""
    deletion = repo.latest_deletion(contract_id)
    if deletion is None:
        return None
    name = (deletion.detail or {}).get("file_name")
    return ContractGone(f"contract {contract_id}{f' ({name})' if name else ''} was deleted {deletion.at[:10]} by "
                        f"{deletion.actor}: its renewal decision ended with it and is no longer asked for; "
                        "this link decides nothing")


@dataclass(frozen=True)
class LinkTarget:
    contract: ContractItem
    renewal: store.RenewalItem
    claim: links.DecisionClaim


def waiting_record(contract_id: str) -> store.RenewalItem:
    item = store.latest(contract_id)
    if item is None or item.state != RenewalState.WAITING or not item.task_token:
        state = "no renewal workflow" if item is None else f"the renewal of the term ending {item.term_end} is {item.state}"
        raise Conflict(f"no renewal decision is waiting for contract {contract_id}: {state}")
    return item


def decide(contract_id: str, decision: str, reason: str, *, actor: str, team: str | None = None,
           via: str = "api", item: store.RenewalItem | None = None) -> store.RenewalItem:
    """Record the decision (who, when, why, from which evidence) and resume the workflow."""
    find_contract(contract_id, team)
    try:
        choice = Decision(decision)
    except ValueError as exc:
        raise InvalidInput(f"decision must be one of {', '.join(d.value for d in Decision)}") from exc
    if item is None:
        latest = store.latest(contract_id)
        item = latest if latest is not None and latest.state in LAPSED else waiting_record(contract_id)
    if item.state in LAPSED:
        return decide_after_lapse(contract_id, choice, reason, actor=actor, via=via, item=item)
    token = item.task_token
    if item.state != RenewalState.WAITING or not token:
        raise Conflict(f"the renewal of the term ending {item.term_end} is {item.state}: not waiting")
    if choice == Decision.RENEGOTIATE and _renegotiated(item):
        # renegotiating is decided once: after it, the question is renew or not (no loop of requests)
        raise InvalidInput("the terms were being renegotiated: the final decision is renew or terminate")
    evidence_at = next((h["at"] for h in reversed(item.history or []) if h.get("action") == "evidence.gathered"), None)
    record = {"decision": choice.value, "reason": reason, "by": actor, "at": clock.iso(), "via": via,
              "round": item.waiting_round, "evidence_at": evidence_at,
              "recommended": (item.recommendation or {}).get("decision")}
    try:  # the version check makes the decision single: a concurrent one fails here
        store.update(item, actor=actor, action="decided", state=RenewalState.DECIDED.value, decision=record,
                     task_token=None, decision_nonce=None, detail=record)
    except PutError as exc:
        raise Conflict("the renewal decision changed meanwhile: reload it") from exc
    local = os.environ.get(config.ENV_RENEWAL_TIMEOUTS) == "table" and item.execution_arn
    if local:
        from .local import history_length

        seen = history_length(item.execution_arn)
    try:
        sfn.send_task_success(token, {"decision": choice.value, "reason": reason, "by": actor})
    except sfn.TaskGone as gone:
        store.update(item, actor=actor, action="decision.lost", detail={"reason": str(gone)})
        raise Conflict(f"the workflow no longer waits for this decision ({gone})") from gone
    if local:
        # the embedded default: the branch runs in moto's thread; finish it inside this request
        # (`serve` handles one request, pump or firing at a time)
        from .local import settle

        settle(item.execution_arn, beyond=seen)
        return store.get(item.contract_id, item.term_end) or item
    return item


LAPSED = (RenewalState.LAPSED_RENEWED, RenewalState.LAPSED_EXPIRED)


def notice_open_until(item: store.RenewalItem, time_zone: str | None) -> datetime:
    """The last moment notice can be given for the term: the end of its notice deadline's day
    (else its end's) in the contract's zone."""
    return dates.end_of_day(date.fromisoformat(item.notice_deadline or item.term_end), time_zone)


def decide_after_lapse(contract_id: str, choice: Decision, reason: str, *, actor: str, via: str,
                       item: store.RenewalItem) -> store.RenewalItem:
    """A decision after the lapse (nobody decided by the final cut-off, the workflow ended) while
    notice can still be given: recorded as a decision in time is (who, when, why, late), then the
    workflow's own branch step runs here (``steps.run``: terminate writes the letter and the
    send-notice obligation; renew records it and stops the notice deadline's reminders).
    Renegotiating is refused: nothing waits for a final decision any more."""
    contract = find_contract(contract_id)
    until = notice_open_until(item, contract.time_zone)
    now = clock.now()
    if now > until:
        raise Conflict(f"the renewal of the term ending {item.term_end} is {item.state}: notice could be given "
                       f"until {until.isoformat()}, which passed")
    if choice == Decision.RENEGOTIATE:
        raise InvalidInput(f"the renewal of the term ending {item.term_end} is {item.state} (no decision by the "
                           f"final cut-off): renegotiating is no longer asked for; decide renew or terminate "
                           f"(notice can still be given until {until.isoformat()})")
    lapsed_at = next((h["at"] for h in reversed(item.history or []) if h.get("action") == "lapsed"), None)
    evidence_at = next((h["at"] for h in reversed(item.history or []) if h.get("action") == "evidence.gathered"), None)
    record = {"decision": choice.value, "reason": reason, "by": actor, "at": clock.iso(), "via": via,
              "round": "after lapse", "late": True, "cutoff": steps.last_decide_by(item), "lapsed_at": lapsed_at,
              "notice_open_until": until.isoformat(), "evidence_at": evidence_at,
              "recommended": (item.recommendation or {}).get("decision")}
    try:  # the version check makes the decision single, as a decision in time
        # (the last round's wait, long over, is no day to decide by any more: cleared)
        store.update(item, actor=actor, action="decided.after_lapse", state=RenewalState.DECIDED.value,
                     decision=record, outcome=None, decision_nonce=None, wait_deadline=None, detail=record)
    except PutError as exc:
        raise Conflict("the renewal decision changed meanwhile: reload it") from exc
    return finish_after_lapse(item)


def decide_by(item: store.RenewalItem, time_zone: str | None, now: datetime | None = None) -> str | None:
    """The last moment a decision on the record is still taken (ISO, UTC): while a person is asked,
    the wait's end; after a lapse nobody decided, the end of the notice deadline's day, while notice
    can still be given (a decision then is taken late); otherwise none (decided, or too late)."""
    if item.state == RenewalState.WAITING:
        return item.wait_deadline
    if item.state in LAPSED and not item.decision:
        until = notice_open_until(item, time_zone)
        if (now or clock.now()) <= until:
            return until.astimezone(dates.zone("UTC")).isoformat()
    return None


def decide_by_day(item: store.RenewalItem) -> str | None:
    """The day a link's decision is asked by, as its email said it (YYYY-MM-DD): the waiting round's
    (a moved deadline's counted); after a lapse, the notice deadline's (else the term end's)."""
    if item.state in LAPSED:
        return item.notice_deadline or item.term_end
    return steps.asked_decide_by(item) if item.state == RenewalState.WAITING else None


@dataclass(frozen=True)
class Choices:
    """The decisions a waiting (or lapsed) record still accepts, and why any other is gone."""

    accepted: tuple[Decision, ...]
    why_not: str | None = None


def choices(item: store.RenewalItem, time_zone: str | None) -> Choices:
    """What ``decide`` will accept for the record now: after a lapse, renew or do not renew
    (nothing waits for a final decision any more); in the final round after a renegotiation, the
    same (renegotiating is decided once); else all three."""
    both = (Decision.RENEW, Decision.TERMINATE)
    if item.state in LAPSED:
        lapsed: dict = next((h for h in reversed(item.history or []) if h.get("action") == "lapsed"), {})
        until = notice_open_until(item, time_zone)
        return Choices(both, f"No decision was made by the cut-off {steps.last_decide_by(item)}: the decision lapsed "
                             f"{str(lapsed.get('at', ''))[:10]} and renegotiating is no longer possible (nothing "
                             f"waits for new terms any more). Notice can still be given until "
                             f"{until.isoformat()}: renew, or do not renew (the notice letter and the send-notice "
                             "obligation are prepared); a decision now is recorded as taken late.")
    if _renegotiated(item):
        return Choices(both, "The terms were being renegotiated: the final decision is renew or do not renew.")
    return Choices(tuple(Decision))


def _renegotiated(item: store.RenewalItem) -> bool:
    """A final round after a renegotiation: renegotiating was decided once (no loop of requests)."""
    return item.waiting_round in ("final", "escalated") \
        and any(line.get("action") == "asked.final" for line in item.history or [])


def finish_after_lapse(item: store.RenewalItem) -> store.RenewalItem:
    """Run the branch of a decision taken after the lapse (``decide_after_lapse``): the letter and the
    send-notice obligation, or the renewal recorded. Also what the same decision sent again does
    while the record still says ``decided`` (a request whose branch failed half-way: nothing else
    would run it; the steps are made to be run again, as Step Functions retries them)."""
    from ..config import Settings

    try:
        steps.run({"step": (item.decision or {}).get("decision"), "contract_id": item.contract_id,
                   "term_end": item.term_end}, Settings.from_env())
    except steps.ContractDeleted as gone:  # deleted meanwhile: nothing was written for it
        raise deleted_contract(item.contract_id) or ContractGone(str(gone)) from gone
    return store.get(item.contract_id, item.term_end) or item


def unfinished_after_lapse(item: store.RenewalItem) -> bool:
    """A decision taken after the lapse whose branch has not finished (still ``decided``)."""
    return item.state == RenewalState.DECIDED and (item.decision or {}).get("round") == "after lapse"


def open_link(token: str) -> LinkTarget:
    """The waiting decision a link names; RefusedLink when forged or expired, Conflict when used
    (or replaced by a newer link, or the decision was made elsewhere)."""
    # read, never made here: before any workflow signed a link there is no secret, and a key
    # nobody signed with refuses every token as "not signed by this deployment" (the api λ may
    # not write the secret: it made it, outside its role, for a forged link on a new deployment)
    key = store.existing_secret(links.SECRET_NAME) or secrets.token_bytes(32)
    try:
        claim = links.verify(key, token, clock.now())
    except links.BadDecisionToken as bad:
        raise RefusedLink(str(bad)) from bad
    if repo.get_contract(claim.contract_id) is None:
        raise deleted_contract(claim.contract_id) or NotFound(f"no contract {claim.contract_id!r}")
    contract = find_contract(claim.contract_id)
    item = store.get(claim.contract_id, claim.term_end)
    # a lapsed decision's link (mailed with the lapse, while notice can still be given) decides late
    if item is None or item.state not in (RenewalState.WAITING, *LAPSED) or item.decision_nonce != claim.nonce:
        raise Conflict("this decision link was already used or is no longer valid")
    return LinkTarget(contract, item, claim)


def link_recipients(item: store.RenewalItem) -> list[str]:
    """Whom the live decision link was mailed to: the latest request's to and cc (each request
    mints a new link and retires the one before)."""
    asked = [line for line in item.history or [] if str(line.get("action", "")).startswith("asked.")]
    return [*asked[-1].get("to", []), *asked[-1].get("cc", [])] if asked else []


def decide_by_link(token: str, decision: str, reason: str | None) -> store.RenewalItem:
    target = open_link(token)
    # the person the link was sent to, never whoever owns the contract now (an owner changed since)
    sent_to = link_recipients(target.renewal) or [target.contract.owner or "owner"]
    actor = f"{' or '.join(sent_to)} (decision link)"
    return decide(target.contract.contract_id, decision, reason or "decided from the email link", actor=actor,
                  via="link", item=target.renewal)
