"""Contracts: the team's list, one contract with its current terms, documents and obligations,
a term's history, the audit trail; an owner; a jurisdiction (its holiday calendar); a person's word that a document flagged as not reading
as one is a contract; deletion (admins)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query

from .. import clock, config, schema
from ..aws import s3
from ..pipeline import actions, entries, record
from ..schema import ContractStatus, ObligationStatus
from ..store import queries
from ..store import repository as repo
from ..store.models import ContractItem, GoneItem
from . import obligations as obligation_routes
from . import views
from .auth import SECURED, Caller, Role, current_caller, requires
from .models import (
    ME,
    TERM_NAME_PATTERN,
    AuditPage,
    ContractDeleted,
    ContractDetail,
    ContractPage,
    ContractSummary,
    DeletedContract,
    DeletedContractPage,
    Document,
    IsAContractRequest,
    JurisdictionRequest,
    OwnerRequest,
    TermHistory,
    TimeZoneRequest,
    error_responses,
)
from .params import DEFAULT, ContractId, Cursor, IsoDate, IsoInstant, Limit

router = Router()
TAGS = ["contracts"]
MAX_IDS = 10  # GET /contracts?ids=: the upload page asks for the 3 ids a file may get
CONTRACT_IDS_PATTERN = rf"^[0-9a-f]{{16}}(,[0-9a-f]{{16}}){{0,{MAX_IDS - 1}}}$"


@router.get("/contracts", summary="The team's contracts, most recently changed first", tags=TAGS,
            security=SECURED, responses=error_responses(400, 401, 403))
@requires(Role.VIEWER)
def list_contracts(
    status: Annotated[ContractStatus | None, Query()] = None,
    counterparty: Annotated[str | None,
                            Query(max_length=200, description="part of the name, any case")] = None,
    owner: Annotated[str | None, Query(max_length=254, description="an email, or `me`")] = None,
    expires_before: Annotated[IsoDate | None, Query(description="current term ends on or before")] = None,
    notice_before: Annotated[IsoDate | None, Query(description="notice deadline on or before")] = None,
    changed_since: Annotated[IsoInstant | None, Query(
        description="ISO time with its offset: only contracts changed at or after it (changed_at: the record, an "
                    "obligation, the current term's dates; a sync; deletions: GET /deleted-contracts)")] = None,
    ids: Annotated[str | None, Query(
        pattern=CONTRACT_IDS_PATTERN,
        description=f"up to {MAX_IDS} contract ids, comma-separated: only those of them that are the team's (and "
                    "pass the other filters), in this order, on one page (an id that is not the team's, or not there "
                    "yet, is left out: no 404; the upload page follows a file this way); not with changed_since or "
                    "cursor (400: the ids are one whole page, not a sync's)")] = None,
    limit: Limit = DEFAULT,
    cursor: Cursor = None,
) -> ContractPage:
    caller = current_caller(router.context)
    wanted_owner = caller.user if owner == ME else owner
    named = (counterparty or "").lower()

    def keep(item: ContractItem) -> bool:
        return ((not named or named in (item.counterparty or "").lower())
                and (not wanted_owner or (item.owner or "").lower() == wanted_owner.lower())
                and _on_or_before(item.current_expiration, expires_before)
                and _on_or_before(item.current_notice_deadline, notice_before))

    if ids and (cursor or changed_since):
        raise actions.InvalidInput(f"ids comes without {'cursor' if cursor else 'changed_since'}: the contracts "
                                   "named are one whole page (no cursor continues it), and a sync's changed_since "
                                   "is not applied to them; ask for either")
    if ids:
        return _contracts_by_id(ids.split(","), caller, lambda item: (status is None or item.status == status)
                                and keep(item))
    page = queries.team_contracts(caller.team, status=status, limit=limit, cursor=cursor, keep=keep,
                                  changed_since=clock.iso(changed_since) if changed_since else None,
                                  filters=(named, wanted_owner, expires_before, notice_before))
    # an applied amendment shows the zone of the contract it amends: those not on the page read at once
    contracts = views.Contracts((ContractItem.contract_id, ContractItem.time_zone))
    for item in page.items:
        contracts.add(item.contract_id, item)
    contracts.prefetch(c.amends_contract_id for c in page.items if c.amends_contract_id)
    return ContractPage(items=[views.contract_summary(c, caller, contracts) for c in page.items],
                        next_cursor=page.cursor)


@router.get("/deleted-contracts", summary="The team's deleted contracts, oldest deletion first (a sync)",
            tags=TAGS, security=SECURED, responses=error_responses(400, 401, 403))
@requires(Role.VIEWER)
def deleted_contracts(
    since: Annotated[IsoInstant | None, Query(description="ISO time with its offset: deleted at or after it")]
    = None,
    limit: Limit = DEFAULT,
    cursor: Cursor = None,
) -> DeletedContractPage:
    caller = current_caller(router.context)
    page = queries.team_deletions(caller.team, since=clock.iso(since) if since else None, limit=limit,
                                  cursor=cursor)
    # a contract the team uploaded again (the same bytes: the same id) is no longer gone: left out,
    # so a sync that applies deletions after changes never removes the live contract; and of a
    # deletion tried more than once, only the attempt its GONE marker names (the one that finished)
    keys = {(schema.contract_pk(d.contract_id), sk) for d in page.items for sk in (schema.CONTRACT_SK, schema.GONE_SK)}
    read = queries.items_by_key(keys, (ContractItem.team, GoneItem.deleted_at))
    back = {schema.contract_id_of(i.pk) for i in read.values() if isinstance(i, ContractItem) and i.team == caller.team}
    marked = {schema.contract_id_of(i.pk): i.deleted_at for i in read.values() if isinstance(i, GoneItem)}

    def listed(d) -> bool:  # no marker: a deletion of the morning of 2026-12-06, before markers
        return d.contract_id not in back and marked.get(d.contract_id, d.deleted_at) == d.deleted_at

    return DeletedContractPage(items=[DeletedContract(contract_id=d.contract_id, deleted_at=d.deleted_at,
                                                      deleted_by=d.deleted_by, file_name=d.file_name)
                                      for d in page.items if listed(d)], next_cursor=page.cursor)


# what views.contract_summary reads of a contract (its attention flags, whether it is an amendment and
# its governing law are read from the extraction; the text's keys, upload metadata and planner's fields are not)
_SUMMARY_SHOWS = (ContractItem.contract_id, ContractItem.title, ContractItem.file_name, ContractItem.status,
                  ContractItem.status_reason, ContractItem.team, ContractItem.owner, ContractItem.counterparty,
                  ContractItem.contract_type, ContractItem.time_zone, ContractItem.received_at,
                  ContractItem.updated_at, ContractItem.changed_at, ContractItem.renewal_terms, ContractItem.ended,
                  ContractItem.current_notice_deadline, ContractItem.current_expiration,
                  ContractItem.amends_contract_id, ContractItem.amending_contract_id, ContractItem.unlinked_from,
                  ContractItem.amendment_candidates, ContractItem.intake_notes, ContractItem.extraction,
                  ContractItem.credit_checks, ContractItem.rules_marked_done, ContractItem.jurisdiction)


def _contracts_by_id(ids: list[str], caller: Caller, keep: Callable[[ContractItem], bool]) -> ContractPage:
    """The team's contracts among ``ids`` that ``keep`` keeps, in the order asked (one BatchGetItem of
    what a summary shows, ``_SUMMARY_SHOWS``; another team's is left out as one not there: the caller
    learns nothing of it)."""
    keys = [(schema.contract_pk(i), schema.CONTRACT_SK) for i in dict.fromkeys(ids)]
    read = queries.items_by_key(keys, _SUMMARY_SHOWS)
    found = [c for c in (read.get(key) for key in keys)
             if isinstance(c, ContractItem) and c.team == caller.team and keep(c)]
    contracts = views.Contracts((ContractItem.contract_id, ContractItem.time_zone))
    for item in found:
        contracts.add(item.contract_id, item)
    contracts.prefetch(c.amends_contract_id for c in found if c.amends_contract_id)
    return ContractPage(items=[views.contract_summary(c, caller, contracts) for c in found], next_cursor=None)


def _on_or_before(day: str | None, bound: date | None) -> bool:
    return bound is None or (day is not None and day <= bound.isoformat())


@router.get("/contracts/<contract_id>", summary="A contract: current terms, documents, obligations",
            tags=TAGS, security=SECURED, responses=error_responses(400, 401, 403, 404))
@requires(Role.VIEWER)
def get_contract(contract_id: ContractId) -> ContractDetail:
    return _detail(contract_id)


def _detail(contract_id: str, *, just_changed: bool = False) -> ContractDetail:
    """The contract's detail. ``just_changed``: the answer to a change this request made, its terms
    and obligations read strongly consistent (an eventually consistent Query may not see yet what
    the change wrote: the deadlines recounted, the owners moved)."""
    caller = current_caller(router.context)
    contract = actions.find_contract(contract_id, caller.team)
    contracts = views.Contracts()
    terms = {name: views.term_version(term, contracts)
             for name, term in sorted(repo.current_terms(contract_id, consistent=just_changed).items())}
    obligations = sorted((o for o in repo.obligations(contract_id, consistent=just_changed)
                          if o.status not in (ObligationStatus.SUPERSEDED, ObligationStatus.CANCELLED)),
                         key=lambda o: (o.due or "9999-12-31", o.obligation_id))
    may = obligation_routes.caller_may(caller)
    return views.contract_detail(contract, terms=terms, documents=_documents(contract, contracts),
                                 obligations=[views.obligation(o, contract, may) for o in obligations],
                                 caller=caller)


def _documents(contract: ContractItem, contracts: views.Contracts) -> list[Document]:
    """The contract's own document, then the amendments applied to it in the order they were made
    (No. 1 before No. 2 however they were filed)."""
    own = views.document(contract, kind="amendment" if contract.is_amendment else "original",
                         download_url=_download_url(contract))
    amendments = record.in_order_made(
        [a for a in (contracts.get(i) for i in contract.amended_by or []) if a is not None])
    return [own] + [views.document(a, kind="amendment", download_url=_download_url(a)) for a in amendments]


def _download_url(contract: ContractItem) -> str | None:
    if not contract.original_key:
        return None
    return s3.presigned_download_url(config.Settings.from_env().bucket, contract.original_key,
                                     expires_in=config.DOWNLOAD_URL_SECONDS, file_name=contract.file_name)


@router.get("/contracts/<contract_id>/terms/<name>/history", summary="Every version of a term, oldest first",
            tags=TAGS, security=SECURED, responses=error_responses(400, 401, 403, 404))
@requires(Role.VIEWER)
def term_history(contract_id: ContractId,
                 name: Annotated[str, Path(pattern=TERM_NAME_PATTERN, examples=["notice_period"])]
                 ) -> TermHistory:
    caller = current_caller(router.context)
    actions.find_contract(contract_id, caller.team)
    versions = queries.term_versions(contract_id, name)
    if not versions:
        raise actions.NotFound(f"no term {name!r} on contract {contract_id!r}")
    contracts = views.Contracts()
    return TermHistory(contract_id=contract_id, name=name,
                       versions=[views.term_version(v, contracts) for v in versions])


@router.get("/contracts/<contract_id>/audit", summary="The contract's audit trail, oldest first (also once the "
                                                     "contract is deleted, for its team)",
            tags=TAGS, security=SECURED, responses=error_responses(400, 401, 403, 404))
@requires(Role.VIEWER)
def audit_trail(contract_id: ContractId, limit: Limit = DEFAULT, cursor: Cursor = None,
                since: Annotated[IsoInstant | None, Query(
                    description="ISO time with its offset: only the events at or after it (a page following "
                                "a file it sent reads the new lines only)")] = None) -> AuditPage:
    caller = current_caller(router.context)
    actions.find_trail(contract_id, caller.team)  # a deleted contract's too: its team's
    page = queries.audit_trail(contract_id, limit=limit, cursor=cursor, since=clock.iso(since) if since else None)
    return AuditPage(items=[views.audit_event(e) for e in page.items], next_cursor=page.cursor)


@router.put("/contracts/<contract_id>/owner", summary="Give the contract an owner", tags=TAGS,
            security=SECURED,
            description="Checked as an upload's owner (400 for an address refused); the same address in other "
                        "letters changes nothing. Its open obligations that had the old owner follow, a renewal "
                        "decision waiting for a person is asked again of the new one; audited contract.owner_set. "
                        "Answers the contract's detail, as PUT .../jurisdiction and .../time-zone do.",
            responses=error_responses(400, 401, 403, 404, 409))
@requires(views.SETS_OWNERS)
def set_contract_owner(contract_id: ContractId, body: Annotated[OwnerRequest, Body()]) -> ContractDetail:
    caller = current_caller(router.context)
    actions.set_contract_owner(contract_id, body.owner, actor=caller.user, team=caller.team, note=body.note)
    return _detail(contract_id, just_changed=True)


@router.put("/contracts/<contract_id>/jurisdiction", tags=TAGS, security=SECURED,
            summary="Set (or clear) the jurisdiction whose holidays the contract's business days count",
            description="Checked as at upload (400 for a calendar the holidays library does not have); null "
                        "clears it (the governing law's calendar counts again). A business-day notice deadline "
                        "is recounted with the new calendar (audited notice_deadline.recounted), an open credit "
                        "claim's business-day window too (audited claim.recounted), the reminders "
                        "and a waiting renewal decision's cut-offs follow; audited contract.jurisdiction_set. "
                        "409 for an amendment.",
            responses=error_responses(400, 401, 403, 404, 409))
@requires(views.SETS_JURISDICTIONS)
def set_contract_jurisdiction(contract_id: ContractId,
                              body: Annotated[JurisdictionRequest, Body()]) -> ContractDetail:
    caller = current_caller(router.context)
    entries.set_jurisdiction(contract_id, body.jurisdiction, actor=caller.user, team=caller.team, note=body.note)
    return _detail(contract_id, just_changed=True)


@router.put("/contracts/<contract_id>/time-zone", tags=TAGS, security=SECURED,
            summary="Set the contract's time zone (its \"today\", when its deadlines pass, when reminders fire)",
            description="Checked as at upload (400 for a name that is not an IANA time zone); the same zone again "
                        "changes nothing. The deadlines are refreshed (\"end of day, <zone>\" in their actions) and "
                        "every reminder schedule is made again at its local hour in the new zone; audited "
                        "contract.time_zone_set. 409 for an amendment.",
            responses=error_responses(400, 401, 403, 404, 409))
@requires(views.SETS_TIME_ZONES)
def set_contract_time_zone(contract_id: ContractId, body: Annotated[TimeZoneRequest, Body()]) -> ContractDetail:
    caller = current_caller(router.context)
    entries.set_time_zone(contract_id, body.time_zone, actor=caller.user, team=caller.team, note=body.note)
    return _detail(contract_id, just_changed=True)


@router.post("/contracts/<contract_id>/is-a-contract", tags=TAGS, security=SECURED,
             summary="Dismiss the \"does not read as a contract\" flag: a person says it is one",
             responses=error_responses(400, 401, 403, 404, 409))
@requires(views.CONFIRMS_CONTRACTS)
def is_a_contract(contract_id: ContractId,
                  body: Annotated[IsAContractRequest | None, Body()] = None) -> ContractSummary:
    caller = current_caller(router.context)
    contract = actions.dismiss_not_a_contract(contract_id, actor=caller.user, team=caller.team,
                                              note=(body or IsAContractRequest()).note)
    return views.contract_summary(contract, caller)


@router.delete("/contracts/<contract_id>", summary="Delete a contract (the audit trail stays)", tags=TAGS,
               security=SECURED, responses=error_responses(400, 401, 403, 404, 409))
@requires(Role.ADMIN)
def delete_contract(contract_id: ContractId) -> ContractDeleted:
    caller = current_caller(router.context)
    removed = actions.delete_contract(contract_id, actor=caller.user, team=caller.team)
    return ContractDeleted(contract_id=contract_id, items_removed=removed)
