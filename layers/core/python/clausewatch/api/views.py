"""Stored items -> the API's response models. Days are counted in the contract's time zone, from
the clock's today (``clausewatch.clock``: simulated in the embedded default's forward runs)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, cast

from pynamodb.attributes import Attribute

from .. import clock, config, dates, schema
from ..pipeline import record
from ..pipeline.actions import is_rule
from ..pipeline.attention import attention_of
from ..pipeline.money import money_files_refused
from ..pipeline.rules_marked_done import flag_on, is_flagged
from ..reports.portfolio import auto_renew_as_it_stands
from ..schema import ContractStatus, ObligationStatus
from ..store import queries
from ..store import repository as repo
from ..store.models import AuditItem, ContractItem, FeedItem, ObligationItem, TermItem
from . import models
from .auth import Caller, Role
from .models import DocumentKind

log = logging.getLogger(__name__)


def today_in(time_zone: str) -> date:
    return clock.now().astimezone(dates.zone(time_zone)).date()


def days_until(day: str | None, time_zone: str) -> int | None:
    parsed = dates.parse_day(day)
    return None if parsed is None else (parsed - today_in(time_zone)).days


def _past(item: ObligationItem, time_zone: str) -> bool:
    left = days_until(item.due, time_zone)
    return item.status == ObligationStatus.OPEN and left is not None and left < 0


def is_overdue(item: ObligationItem, time_zone: str) -> bool:
    """Open and past its due day in the contract's time zone, and a duty (an expiration gone by
    is not overdue: the contract expired)."""
    return _past(item, time_zone) and schema.is_overdue_when_past(item.kind)


def obligation_state(item: ObligationItem, time_zone: str) -> models.ObligationState:
    if _past(item, time_zone):
        return models.ObligationState.OVERDUE if is_overdue(item, time_zone) else models.ObligationState.EXPIRED
    return models.ObligationState(item.status)


class Contracts:
    """The contracts one request looks at, each read once (GetItem). ``shown``: the attributes a
    list shows of them, all a prefetch reads (their extraction, about 10 KB with its evidence, left
    behind); None for the whole items."""

    def __init__(self, shown: tuple[Attribute, ...] | None = None) -> None:
        self._read: dict[str, ContractItem | None] = {}
        self._shown = shown

    def get(self, contract_id: str) -> ContractItem | None:
        if contract_id not in self._read:
            self._read[contract_id] = repo.get_contract(contract_id)
        return self._read[contract_id]

    def prefetch(self, contract_ids) -> None:
        """Read the contracts of a page not read yet in BatchGetItem calls (100 keys each) instead
        of one GetItem per contract (bench: 34 DynamoDB calls for a page of 45 obligations -> 3)."""
        wanted = [c for c in dict.fromkeys(contract_ids) if c not in self._read]
        if not wanted:
            return
        keys = [(schema.contract_pk(c), schema.CONTRACT_SK) for c in wanted]
        read = queries.items_by_key(keys, self._shown).values() if self._shown is not None else \
            ContractItem.batch_get(keys, consistent_read=True)
        found = {(item.pk, item.sk): item for item in read if isinstance(item, ContractItem)}
        for contract_id, key in zip(wanted, keys, strict=True):
            self._read[contract_id] = found.get(key)

    def has(self, contract_id: str) -> bool:
        return contract_id in self._read

    def add(self, contract_id: str, item: ContractItem | None) -> None:
        """A contract read elsewhere (in the same BatchGetItem as other items)."""
        self._read[contract_id] = item

    def time_zone(self, contract_id: str) -> str:
        contract = self.get(contract_id)
        return contract.time_zone if contract else "UTC"


def evidence(data: Any) -> models.Evidence | None:
    if not isinstance(data, dict) or data.get("text") is None:
        return None
    return models.Evidence(page=int(data.get("page") or 0), start=int(data.get("start") or 0),
                           end=int(data.get("end") or 0), text=str(data["text"]))


def obligation_evidence(data: Any, contract: ContractItem) -> models.ObligationEvidence | None:
    """An obligation's stored evidence with the document it is in: the amendment whose clause it
    quotes (``amended_by``, with its file name in ``document``, as record.refresh_deadlines stores
    them), else the contract itself."""
    found = evidence(data)
    if found is None:
        return None
    amendment = data.get("amended_by")
    source = models.SourceDocument(contract_id=contract.contract_id, file_name=contract.file_name, kind="original") \
        if not amendment else models.SourceDocument(contract_id=str(amendment), kind="amendment",
                                                    file_name=str(data.get("document") or amendment))
    return models.ObligationEvidence(**found.model_dump(), source=source)


# what ``obligation`` shows of its contract
OBLIGATION_SHOWS = (ContractItem.contract_id, ContractItem.title, ContractItem.file_name,
                    ContractItem.counterparty, ContractItem.time_zone)


def obligation(item: ObligationItem, contract: ContractItem,
               caller_may: list[models.ObligationAction] | None = None) -> models.Obligation:
    return models.Obligation(
        id=item.obligation_id, contract_id=item.contract_id,
        contract_title=contract.title or contract.file_name, counterparty=contract.counterparty,
        kind=item.kind, summary=item.summary, party=item.party, due=dates.parse_day(item.due),
        recurrence=item.recurrence, status=obligation_state(item, contract.time_zone),
        owner=item.owner, unowned=bool(item.unowned), acknowledged=item.acknowledged,
        acknowledged_by=item.acknowledged_by if item.acknowledged else None,
        acknowledged_at=item.acknowledged_at if item.acknowledged else None,
        acknowledged_for_day=dates.parse_day(item.acknowledged_for_day) if item.acknowledged else None,
        days_left=days_until(item.due, contract.time_zone), derivation=item.derivation,
        evidence=obligation_evidence(item.evidence, contract), action=item.action, resolved_by=item.resolved_by,
        resolved_at=item.resolved_at, resolution_note=item.resolution_note, done_on=item.done_on,
        evidence_key=item.evidence_key, caller_may=_rule_may(caller_may or [], item, contract) if is_rule(item) else caller_may or [])


def _rule_may(may: list[models.ObligationAction], rule: ObligationItem,
              contract: ContractItem) -> list[models.ObligationAction]:
    """A recurring duty's rule is waived (the duty ends) or handed on, never done or acknowledged
    (``actions.is_rule``); one marked done before 2026-12-07 and flagged on its contract by the
    upgrade (``pipeline.rules_marked_done``) is reopened by whoever may waive it: that one only (and
    one open with its flag still on: a reopen that failed part-way, which a reopen finishes)."""
    reopen: list[models.ObligationAction] = ["reopen"] if "waive" in may and (
        is_flagged(contract, rule) or (rule.status == ObligationStatus.OPEN and flag_on(contract, rule))) else []
    return [action for action in may if action in ("waive", "reassign")] + reopen


def renewal_terms(contract: ContractItem) -> dict[str, Any]:
    """``ContractExtraction.renewal_summary()`` of the contract: as stored with it, or, for an item
    last saved before that was stored, made from its extraction (read whole if it was read in part;
    ``renewals._Window.prepare`` reads a page's such contracts whole in one call beforehand)."""
    if contract.renewal_terms is not None:
        return contract.renewal_terms
    if contract.partial:
        contract = repo.get_contract(contract.contract_id) or contract
    extracted = contract.extracted
    return extracted.renewal_summary() if extracted is not None else {}


def renews(item: ContractItem, terms: dict[str, Any]) -> dict[str, Any]:
    """``auto_renew`` as the contract stands (``reports.portfolio.auto_renew_as_it_stands``: False
    once a renewal decision ended a contract that renews by its terms, unknown staying unknown; the
    extracted value stays in its terms, as evidence), with the end a decision made and its derivation."""
    ended = item.ended if isinstance(item.ended, dict) else None
    return {"auto_renew": auto_renew_as_it_stands(terms.get("auto_renewal"), ended is not None),
            "ended": dates.parse_day(ended.get("last_day")) if ended else None,
            "ended_derivation": ended.get("derivation") if ended else None}


# who may do what a contract's page offers (the routes require these roles, the pages read caller_may)
LINKS_AMENDMENTS = Role.EDITOR  # PUT and DELETE /contracts/{id}/amends
CONFIRMS_CONTRACTS = Role.EDITOR  # POST /contracts/{id}/is-a-contract
ENTERS_TERMS = Role.EDITOR  # PUT /contracts/{id}/terms/{name}
ENTERS_EVENTS = Role.EDITOR  # POST /contracts/{id}/events: the contract's owner, or an admin
SENDS_MONEY_FILES = Role.EDITOR  # POST /contracts/{id}/metrics and /contracts/{id}/invoices
SETS_OWNERS = Role.EDITOR  # PUT /contracts/{id}/owner
SETS_JURISDICTIONS = Role.EDITOR  # PUT /contracts/{id}/jurisdiction: not on an amendment (409)
SETS_TIME_ZONES = Role.EDITOR  # PUT /contracts/{id}/time-zone: not on an amendment (409)
CHECKS_CREDITS = Role.EDITOR  # POST /contracts/{id}/findings/{finding_id}/checked
SETTLES_RULES = Role.EDITOR  # reopen or waive a rule marked done (api.obligations.ACTS)


def may_send_money_files(item: ContractItem, caller: Caller, attention_kinds: set[str]) -> bool:
    """SLA metrics and invoices are offered to an editor or admin where they are taken
    (``money_files_refused``)."""
    return caller.may(SENDS_MONEY_FILES) and money_files_refused(item, attention_kinds) is None


def may_enter_event(item: ContractItem, caller: Caller) -> bool:
    """An event's date is entered by the contract's owner (an editor) or an admin."""
    return caller.may(Role.ADMIN) or (caller.may(ENTERS_EVENTS)
                                      and (item.owner or "").casefold() == caller.user.casefold())


def contract_actions(item: ContractItem, caller: Caller | None) -> list[models.ContractAction]:
    """What the caller's role lets them do to ``item`` that the dashboard offers (``caller_may``)."""
    if caller is None:
        return []
    kinds = {flag["kind"] for flag in attention_of(item)}
    may: list[models.ContractAction] = []
    if caller.may(LINKS_AMENDMENTS):
        may += ["unlink_amendment"] if item.amends_contract_id else []
        may += ["link_amendment"] if "amendment_waiting" in kinds else []
    if caller.may(CONFIRMS_CONTRACTS) and "not_a_contract" in kinds:
        may.append("confirm_contract")
    if caller.may(LINKS_AMENDMENTS) and "amendment_no_change_read" in kinds and item.amends_contract_id:
        may.append("check_amendment")  # POST /contracts/{id}/amendment-checked (on the amendment)
    if caller.may(LINKS_AMENDMENTS) and "amendment_order_unknown" in kinds:
        may.append("confirm_amendment_order")  # POST /contracts/{amendment_id}/amendment-checked {made_on} or {confirm_order: true}
    if caller.may(SETTLES_RULES) and "rule_marked_done" in kinds:
        may.append("reopen_rule")  # POST .../obligations/{oid}/reopen, or .../waive with expected_status done
    if caller.may(CHECKS_CREDITS) and "credit_to_check" in kinds:
        may.append("check_credit")  # POST .../findings/{finding_id}/checked (a breach with no open claim)
    may += ["enter_terms"] if caller.may(ENTERS_TERMS) else []
    # an event's date is entered on the contract an amendment amends: the route refuses it
    may += ["enter_event"] if may_enter_event(item, caller) and not item.is_amendment else []
    may += ["send_money_files"] if may_send_money_files(item, caller, kinds) else []
    may += ["set_owner"] if caller.may(SETS_OWNERS) else []
    # an amendment's dates are counted with the calendar of the contract it amends: the route refuses it
    may += ["set_jurisdiction"] if caller.may(SETS_JURISDICTIONS) and not item.is_amendment else []
    may += ["set_time_zone"] if caller.may(SETS_TIME_ZONES) and not item.is_amendment else []
    return may


def contract_summary(item: ContractItem, caller: Caller | None = None,
                     contracts: Contracts | None = None) -> models.ContractSummary:
    """The contract as a list shows it; with ``caller``, what their role may do to it. ``contracts``:
    the contracts the request has read (an applied amendment shows the zone of the one it amends)."""
    return models.ContractSummary(**_summary_fields(item, contracts), caller_may=contract_actions(item, caller))


def _summary_fields(item: ContractItem, contracts: Contracts | None = None) -> dict[str, Any]:
    agreement = contracts.get(item.amends_contract_id) if contracts is not None and item.amends_contract_id else None
    return dict(
        id=item.contract_id, title=item.title, file_name=item.file_name, status=item.status,
        status_reason=item.status_reason, team=item.team, owner=item.owner,
        counterparty=item.counterparty, contract_type=item.contract_type,
        time_zone=record.time_zone_followed(item, agreement),
        received_at=item.received_at, updated_at=item.updated_at,
        changed_at=repo.last_change(item), **renews(item, renewal_terms(item)),
        notice_deadline=dates.parse_day(item.current_notice_deadline),
        expiration=dates.parse_day(item.current_expiration), amends_contract_id=item.amends_contract_id,
        attention=[attention(_on_file(flag, item)) for flag in attention_of(item)])


def _on_file(flag: dict[str, Any], amendment: ContractItem) -> dict[str, Any]:
    """A waiting amendment's flag with only the candidates it could still be linked to (a GetItem
    each: a few, on a waiting amendment only): not deleted since they were stored, the amendment's
    team's, extracted and no amendment themselves, as the link route checks (``entries.link_amendment``)."""
    if flag["kind"] != "amendment_waiting" or not flag["candidates"]:
        return flag

    def linkable(contract_id: str) -> bool:
        c = repo.get_contract(contract_id)
        return c is not None and c.team == amendment.team and c.status == ContractStatus.EXTRACTED \
            and not c.is_amendment

    return {**flag, "candidates": [c for c in flag["candidates"] if linkable(str(c["value"]))]}


def attention(flag: dict[str, Any]) -> models.Attention:
    """The flag as the API shows it; a kind the API does not name (a stored flag of an older or newer
    version) is ``review``, its message and its stored kind (``stored_kind``) kept, and a warning
    logged naming it: never a 500 for the whole contract."""
    stored = str(flag["kind"])
    named = stored in models.ATTENTION_KINDS
    if not named:
        log.warning("attention flag of kind %r, which the API does not name: shown as review", stored,
                    extra={"stored_kind": stored, "term": flag.get("term")})
    return models.Attention(
        kind=cast(models.AttentionKind, stored if named else "review"), stored_kind=None if named else stored,
        term=flag.get("term"), obligation_id=flag.get("obligation_id"),
        finding_id=flag.get("finding_id"), amendment_id=flag.get("amendment_id"), message=flag["message"],
        missing_events=[str(e) for e in flag.get("missing_events") or []],
        candidates=[models.AttentionCandidate(value=str(c.get("value")), derivation=c.get("derivation"),
                                              evidence=evidence(c.get("evidence")), why=c.get("why"))
                    for c in flag["candidates"]])


def contract_detail(item: ContractItem, *, terms: dict[str, models.TermVersion],
                    documents: list[models.Document], obligations: list[models.Obligation],
                    caller: Caller | None = None) -> models.ContractDetail:
    extracted = item.extracted
    parties = [models.Party(name=p.name, role=p.role) for p in (extracted.parties if extracted else [])]
    return models.ContractDetail(
        **_summary_fields(item), jurisdiction=dates.jurisdiction_spelling(item.jurisdiction),
        page_count=None if item.page_count is None else int(item.page_count),
        amended_by=list(item.amended_by or []), parties=parties, terms=terms, documents=documents,
        obligations=obligations, review_confidence_below=config.REVIEW_CONFIDENCE_BELOW,
        caller_may=contract_actions(item, caller))


def needs_review(item: TermItem) -> bool:
    """A term a person should look at: its clause scored below the review threshold, and nobody
    entered or confirmed it."""
    return item.confidence is not None and float(item.confidence) < config.REVIEW_CONFIDENCE_BELOW \
        and not item.entered_by


def term_version(item: TermItem, contracts: Contracts) -> models.TermVersion:
    source = contracts.get(item.source_contract_id)
    kind: DocumentKind = "original" if item.source_contract_id == item.contract_id else "amendment"
    return models.TermVersion(
        name=item.name, value=item.value, derivation=item.derivation, evidence=evidence(item.evidence),
        confidence=None if item.confidence is None else float(item.confidence),
        version=int(item.version), recorded_at=item.recorded_at, entered_by=item.entered_by,
        needs_review=needs_review(item),
        source=models.SourceDocument(contract_id=item.source_contract_id, kind=kind,
                                     file_name=source.file_name if source else "(deleted)"))


def document(item: ContractItem, *, kind: DocumentKind, download_url: str | None) -> models.Document:
    return models.Document(contract_id=item.contract_id, kind=kind, file_name=item.file_name,
                           title=item.title, status=ContractStatus(item.status), received_at=item.received_at,
                           page_count=None if item.page_count is None else int(item.page_count),
                           download_url=download_url)


def audit_event(item: AuditItem) -> models.AuditEvent:
    return models.AuditEvent(at=item.at, actor=item.actor, action=item.action, detail=item.detail)


def feed(item: FeedItem) -> models.Feed:
    return models.Feed(id=item.feed_id, team=item.team, owner=item.owner, label=item.label,
                       created_by=item.created_by, created_at=item.created_at, revoked=bool(item.revoked),
                       revoked_by=item.revoked_by, revoked_at=item.revoked_at)
