"""The contract's money: SLA metrics and invoices sent in (stored under metrics/<id>/ and
invoices/<id>/, where the money λ reads them, as for files dropped in the bucket), the invoices
received and the findings (breaches and credits owed, invoice findings, refused files)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import Field

from .. import clock
from ..config import Settings
from ..money.amounts import at_stake_totals
from ..pipeline import actions, credit_checks
from ..pipeline import money as pipeline
from ..pipeline.portfolio import team_portfolio
from ..reports.portfolio import render
from ..schema import ContractStatus
from ..store import money as store
from ..store import queries, stake
from ..store import repository as repo
from ..store.models import ContractItem, FindingItem, ObligationItem
from . import views
from .auth import SECURED, Role, current_caller, requires
from .models import FILE_NAME_PATTERN, Evidence, _Request, _Response, error_responses
from .params import DEFAULT, ContractId, Cursor, Limit

router = Router()
TAGS = ["money"]
FindingId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.@#:-]{1,200}$", description="the finding's id "
                                "(breach-<period>-<metric>)")]
MAX_CONTENT = 1_000_000  # characters of a metrics or invoice file sent in a request body
FindingKind = Literal["sla_breach", "sla_breach_withdrawn", "price_above_agreed", "quantity_beyond_included",
                      "above_not_to_exceed", "currency", "duplicate", "arithmetic", "not_checked", "after_term_end",
                      "other_supplier", "billed_before_agreed", "price_below_agreed", "file_refused",
                      "credit_note_settled", "credit_note_partial", "credit_note_not_matched",
                      "credit_note_ambiguous"]



class MoneyFileRequest(_Request):
    file_name: str = Field(pattern=FILE_NAME_PATTERN, description="its extension says the format: .csv, "
                           ".json, .prom/.txt (OpenMetrics) for metrics; .xml (UBL 2.1), .csv, .json for invoices")
    content: str = Field(min_length=1, max_length=MAX_CONTENT)


class MoneyFileAccepted(_Response):
    key: str
    status: Literal["queued"] = "queued"
    received_at: str = Field(description="when the file was stored (ISO time): the money λ's trail line on it is "
                                         "at or after it (GET /contracts/{id}/audit?since=)")


class Amount(_Response):
    amount: str  # exact decimal
    currency: str


class ClaimKept(_Response):
    """The credit claim a person marked done before the credit note came: theirs, kept as they left
    it; the credit note is evidence against it, not a second settling."""

    obligation_id: str
    status: str = Field(description="the claim's status as the person left it (done)")
    resolved_by: str | None = Field(description="who marked it done")
    resolved_at: str | None = Field(description="when (ISO 8601, UTC), as the obligation records it")


class SettledBy(_Response):
    credit_note: str
    applied: Amount
    status: Literal["settled", "partial"]
    derivation: str = Field(description='the arithmetic: "credit note CN-123 of USD 1,550.00 settles the 2026-10 '
                            'SLA credit of USD 1,550.00"')
    source_key: str | None
    claim_kept: ClaimKept | None = Field(default=None, description="the claim a person had already marked done, "
                                         "kept as theirs (who, when); none when the system settled it or it is open")


class Settlement(_Response):
    settled_by: list[SettledBy]
    remaining: Amount = Field(description="what is still owed after the credit notes (0.00: settled)")


class FindingEvidence(Evidence):
    """A clause a finding rests on, and the document it is quoted from: an amendment's (an added fee's
    clause: "amendment-2.pdf", page 1 of that file), else the finding's contract's own file."""

    document: str | None = Field(default=None, description="the file the clause is quoted from, its page and "
                                 "offsets that file's: an amendment's (amendment-2.pdf), else the finding's contract's "
                                 "own (saas-subscription.pdf). null: the finding's contract, its file no longer known "
                                 "(the contract deleted)")
    source_contract_id: str | None = Field(default=None, description="that document's own id: the amendment's "
                                           "contract_id, else the finding's contract_id; null with document")


class ContractDeletedNote(_Response):
    at: str = Field(description="when the contract was deleted (ISO time, UTC)")
    by: str = Field(description="who deleted it")


class CreditChecked(_Response):
    """A person's check of a breach's credit flag (credit_to_check): who, on which day, what they found."""

    by: str
    on: str = Field(description="the day it was checked (YYYY-MM-DD, the contract's time zone)")
    at: str = Field(description="when (ISO 8601, UTC)")
    note: str = Field(description="what they found or decided")
    claimed: Amount | None = Field(description="the amount they said was claimed (as they said it, not computed)")
    nothing_owed: bool = Field(description="they said no credit is owed")
    said: str = Field(description='"checked by X on D: note"')
    holds: bool = Field(description="false: the finding changed since (a corrected file changed its credit or its "
                        "reason): its flag is raised again, to check again")


class ClaimedAmount(_Request):
    amount: str = Field(max_length=32, description="exact, at most two decimals, a comma only between groups of "
                        "three: 1,500.00 (500,00 or 500.999: 400)")
    currency: str = Field(max_length=3, description="ISO 4217, e.g. GBP")


class CreditCheckRequest(_Request):
    note: str = Field(min_length=1, max_length=credit_checks.MAX_NOTE, description="what you found or decided (required)")
    claimed: ClaimedAmount | Annotated[str, Field(max_length=40)] | None = Field(
        default=None, description="the amount you claimed, if you did: as typed, \"GBP 1,500.00\", or {amount, "
        "currency}; read exactly (a decimal comma such as 500,00, or more than two decimals: 400, never guessed)")
    nothing_owed: bool = Field(default=False, description="no credit is owed (not with claimed)")


class FindingView(_Response):
    contract_id: str
    finding_id: str
    kind: FindingKind
    source: Literal["metrics", "invoice"]
    summary: str
    derivation: str | None
    amount: Amount | None
    period: str | None
    invoice_number: str | None
    claim_obligation_id: str | None
    claim_status: str | None = Field(description="a credit to claim: its obligation's status (open until claimed)")
    evidence: FindingEvidence | None = Field(description="the clause the finding rests on (the first of clauses)")
    clauses: list[FindingEvidence] = Field(default=[], description="every clause the finding rests on, each with its "
                                           "document: a line billing the contract's fee and an added fee together "
                                           "has both fees' clauses (the contract's, the amendment's)")
    source_key: str | None
    recorded_at: str
    settlement: Settlement | None = Field(default=None, description="an SLA credit or over-charge the supplier's "
                                          "credit notes settled, wholly or in part")
    contract_deleted: ContractDeletedNote | None = Field(default=None, description="the finding's contract was "
                                                         "deleted (when, by whom): the finding stays on record, at "
                                                         "stake no longer (its claim went with the contract)")
    credit_to_check: str | None = Field(default=None, description="an SLA breach's credit to check by hand (the "
                                        "contract's credit_to_check flag on Needs attention): why; null: none")
    credit_checked: CreditChecked | None = Field(default=None, description="a person's check of that flag "
                                                 "(POST .../findings/{finding_id}/checked)")


class FindingPage(_Response):
    items: list[FindingView]
    next_cursor: str | None
    total_at_stake: list[Amount] = Field(description="the page's amounts still at stake, per currency (a breach "
                                         "withdrawn by a corrected file is left out)")
    amount_unknown: int = Field(default=0, description="how many of the page's findings may be owed money whose "
                                "amount is not known (an SLA credit to check by hand: its tiers or fee not read): "
                                "not in total_at_stake, which is not their sum (unknown, not zero)")


class FindingTotal(_Response):
    total_at_stake: list[Amount] = Field(description="the money still at stake over ALL the team's findings (of "
                                         "the kind asked), per currency: each invoice line's findings counted "
                                         "once, what credit notes settled left out, a withdrawn breach, a credit "
                                         "note's own finding, a claim waived or cancelled and a deleted contract's findings not counted")
    findings: int = Field(description="how many findings the team has (of the kind asked): the findings the "
                          "total reads, a deleted contract's included (at stake no longer)")
    kind: FindingKind | None = Field(default=None, description="the kind asked for; null: every kind")
    amount_unknown: int = Field(default=0, description="how many of the findings may be owed money whose amount "
                                "is not known (an SLA credit to check by hand, not claimed, waived or withdrawn): "
                                "left out of total_at_stake (unknown, not zero)")


class MoneyContract(_Response):
    """A contract SLA metrics and invoices may be sent for, or why not."""

    id: str
    title: str | None
    counterparty: str | None
    file_name: str
    refused: str | None = Field(description="why SLA metrics and invoices are not taken for it (an amendment: "
                                "its contract's; flagged as not reading as a contract); null: they are")
    caller_may_send: bool = Field(description="the caller may send them for it (an editor or admin, refused null)")


class MoneyContractPage(_Response):
    items: list[MoneyContract]
    next_cursor: str | None


class InvoiceView(_Response):
    number: str
    issue_date: str
    currency: str
    total: str
    supplier: str | None
    findings: int
    source_key: str
    recorded_at: str
    lines: list[dict[str, Any]]


class InvoiceList(_Response):
    contract_id: str
    items: list[InvoiceView]


# each contract's file name by its id: where a clause stored without its document is quoted from
ContractFiles = dict[str, str]
# the findings' claim obligations by (contract, obligation)
Claims = dict[tuple[str, str], ObligationItem]


def _contract_files(contract_ids: list[str], team: str) -> ContractFiles:
    """The file names of the team's contracts (one BatchGetItem of their file names per 100); a
    contract no longer on file, or another team's under the same id (a deleted contract's id taken
    by another team's upload before the upgrade marked it), is left out."""
    contracts = views.Contracts(shown=(ContractItem.file_name, ContractItem.team))
    contracts.prefetch(contract_ids)
    return {c: found.file_name for c in dict.fromkeys(contract_ids)
            if (found := contracts.get(c)) is not None and found.file_name and found.team == team}


def _evidence(data: dict | None, contract_id: str, files: ContractFiles) -> FindingEvidence | None:
    """The clause as the API gives it, with the file it is quoted from: stored with it (an amendment's,
    or the contract's own once an amendment re-priced its fee), else the finding's contract's own."""
    if not isinstance(data, dict) or not data.get("text"):
        return None
    document, source = data.get("document"), data.get("contract_id")
    if document is None and contract_id in files:
        document, source = files[contract_id], contract_id
    return FindingEvidence(page=int(data.get("page") or 0), start=int(data.get("start") or 0),
                           end=int(data.get("end") or 0), text=str(data["text"]),
                           document=None if document is None else str(document),
                           source_contract_id=None if source is None else str(source))


def _clauses(item: FindingItem, files: ContractFiles) -> list[FindingEvidence]:
    """Every clause the finding rests on: those stored with it (a combined line's two), else its evidence."""
    stored = (item.detail or {}).get("clauses") if isinstance(item.detail, dict) else None
    found = [_evidence(c, item.contract_id, files) for c in stored] if isinstance(stored, list) and stored \
        else [_evidence(item.evidence, item.contract_id, files)]
    return [c for c in found if c is not None]


def _view(item: FindingItem, claims: Claims, files: ContractFiles | None = None) -> FindingView:
    """``files``: the file names of the findings' contracts, which their own clauses are quoted from."""
    files = files or {}
    return FindingView(
        contract_id=item.contract_id, finding_id=item.finding_id, kind=item.kind,  # type: ignore[arg-type]
        source=item.source,  # type: ignore[arg-type]
        summary=item.summary, derivation=item.derivation,
        amount=None if item.amount is None else Amount(amount=item.amount, currency=item.currency or ""),
        period=item.period, invoice_number=item.invoice_number, claim_obligation_id=item.claim_obligation_id,
        claim_status=_claim_status(item, claims),
        evidence=_evidence(item.evidence, item.contract_id, files), clauses=_clauses(item, files),
        source_key=item.source_key, recorded_at=item.recorded_at, settlement=_settlement(item),
        contract_deleted=None if (deleted := store.contract_deleted(item)) is None else ContractDeletedNote(**deleted),
        credit_to_check=None if item.kind != "sla_breach" else store.credit_check_of(item, _claim_of(item, claims)),
        credit_checked=_credit_checked(item, claims))


def _credit_checked(item: FindingItem, claims: Claims) -> CreditChecked | None:
    checked = store.credit_checked(item)
    if checked is None:
        return None
    flag = store.credit_flag_of(item, _claim_of(item, claims))
    claimed = checked.get("claimed")
    return CreditChecked(by=str(checked["by"]), on=str(checked["on"]), at=str(checked.get("at") or ""),
                         note=str(checked["note"]), claimed=Amount(**claimed) if claimed else None,
                         nothing_owed=bool(checked.get("nothing_owed")), said=store.checked_words(checked),
                         holds=flag is None or store.check_stands(item, _claim_of(item, claims)))


def _settlement(item: FindingItem) -> Settlement | None:
    settled = store.settlements_of(item)
    left = store.still_owed(item)
    if not settled or left is None:
        return None
    by = [SettledBy(credit_note=n, applied=Amount(**s["applied"]), status=s["status"], derivation=s["derivation"],
                    source_key=s.get("source_key"), claim_kept=_claim_kept(s.get("claim_kept")))
          for n, s in sorted(settled.items())]
    return Settlement(settled_by=by, remaining=Amount(amount=f"{left:.2f}", currency=item.currency or ""))


def _claim_kept(kept: dict | None) -> ClaimKept | None:
    if not kept:
        return None
    return ClaimKept(obligation_id=str(kept["obligation_id"]), status=str(kept.get("status") or ""),
                     resolved_by=kept.get("resolved_by"), resolved_at=kept.get("resolved_at"))


def _claims(items: list[FindingItem]) -> Claims:
    """Each claim obligation by (contract, obligation): claim ids are per contract
    (``credit-<period>-<metric>``), so two contracts' credits of one month share an id."""
    out: Claims = {}
    for contract_id in {i.contract_id for i in items if i.claim_obligation_id}:
        out.update({(contract_id, o.obligation_id): o for o in repo.obligations(contract_id)})
    return out


def _claim_of(item: FindingItem, claims: Claims) -> ObligationItem | None:
    return claims.get((item.contract_id, item.claim_obligation_id or ""))


def _claim_status(item: FindingItem, claims: Claims) -> str | None:
    claim = _claim_of(item, claims)
    return None if claim is None else claim.status


def _at_stake(items: list[FindingItem], claims: Claims) -> list[Amount]:
    """What the findings leave at stake, per currency, as the portfolio report counts it: what credit
    notes settled is at stake no longer (``store.still_owed``), a claim waived or cancelled is nobody's
    to ask for, and the findings on one invoice line count once (``at_stake_totals``): the rule
    ``store.counted_at_stake`` the running totals (``GET /findings/total``) keep too."""
    entries = [(i.currency, store.counted_at_stake(i, _claim_status(i, claims)),
                store.finding_line(i)) for i in items]
    totals = at_stake_totals(entries)
    return [Amount(amount=f"{v:.2f}", currency=k) for k, v in sorted(totals.items())]


def _page(items: list[FindingItem], cursor: str | None, files: ContractFiles | None = None) -> FindingPage:
    claims = _claims(items)
    return FindingPage(items=[_view(i, claims, files) for i in items], next_cursor=cursor,
                       total_at_stake=_at_stake(items, claims),
                       amount_unknown=sum(1 for i in items if store.amount_unknown(i, _claim_status(i, claims))))


def finding_page(items: list[FindingItem], files: ContractFiles | None = None) -> FindingPage:
    """The findings as the API serves them (one page, no cursor): the CLI's ``findings --json``."""
    return _page(items, None, files)


def _send(kind: str, contract_id: str, body: MoneyFileRequest) -> MoneyFileAccepted:
    caller = current_caller(router.context)
    contract = actions.find_contract(contract_id, caller.team)
    refused = pipeline.money_files_refused(contract)
    if refused:
        raise actions.Conflict(refused)
    received_at = clock.iso()
    key = pipeline.put_money_file(Settings.from_env(), kind, contract_id, body.file_name,
                                  body.content.encode("utf-8"), actor=caller.user)
    return MoneyFileAccepted(key=key, received_at=received_at)


@router.post("/contracts/<contract_id>/metrics", status_code=202, tags=TAGS, security=SECURED,
             summary="Send SLA measurements (CSV, JSON or OpenMetrics): breaches and credits follow",
             responses=error_responses(400, 401, 403, 404, 409))
@requires(views.SENDS_MONEY_FILES)
def send_metrics(contract_id: ContractId, body: Annotated[MoneyFileRequest, Body()]) -> MoneyFileAccepted:
    return _send("metrics", contract_id, body)


@router.post("/contracts/<contract_id>/invoices", status_code=202, tags=TAGS, security=SECURED,
             summary="Send an invoice (UBL 2.1 / Peppol BIS 3.0 XML, CSV or JSON) to check",
             responses=error_responses(400, 401, 403, 404, 409))
@requires(views.SENDS_MONEY_FILES)
def send_invoice(contract_id: ContractId, body: Annotated[MoneyFileRequest, Body()]) -> MoneyFileAccepted:
    return _send("invoice", contract_id, body)


@router.get("/contracts/<contract_id>/invoices", tags=TAGS, security=SECURED,
            summary="The invoices received for a contract", responses=error_responses(400, 401, 403, 404))
@requires(Role.VIEWER)
def list_invoices(contract_id: ContractId) -> InvoiceList:
    caller = current_caller(router.context)
    actions.find_contract(contract_id, caller.team)
    items = sorted(store.invoices(contract_id), key=lambda i: (i.issue_date, i.number))
    return InvoiceList(contract_id=contract_id, items=[InvoiceView(
        number=i.number, issue_date=i.issue_date, currency=i.currency, total=i.total, supplier=i.supplier,
        findings=int(i.findings or 0), source_key=i.source_key, recorded_at=i.recorded_at,
        lines=list((i.invoice or {}).get("lines") or [])) for i in items])


@router.get("/contracts/<contract_id>/findings", tags=TAGS, security=SECURED,
            summary="A contract's breaches, credits owed and invoice findings, with their arithmetic",
            responses=error_responses(400, 401, 403, 404))
@requires(Role.VIEWER)
def contract_findings(contract_id: ContractId) -> FindingPage:
    caller = current_caller(router.context)
    contract = actions.find_contract(contract_id, caller.team)
    return _page(sorted(store.findings(contract_id), key=lambda f: f.recorded_at, reverse=True), None,
                 {contract_id: contract.file_name})


@router.post("/contracts/<contract_id>/findings/<finding_id>/checked", tags=TAGS, security=SECURED,
             summary="Mark an SLA breach's credit flag checked (credit_to_check) when no claim is there to settle it",
             description="A credit to check by hand with no open claim of its own (counted from the incident, a "
                         "window in hours, no window read, a cap that may apply): a person says what they found (note, "
                         "required) and, optionally, the amount they claimed or that nothing is owed. The flag goes "
                         "from Needs attention, the check is kept on the finding (credit_checked) and audited "
                         "(credit.checked) at once. The same check again by the same person answers as it is. 404: no "
                         "such contract or breach. 409: the breach has an open claim (mark it done or waive it "
                         "instead), has no flag, or another check holds. A corrected metrics file that changes the "
                         "credit or its reason raises the flag again (credit_checked.holds false).",
             responses=error_responses(400, 401, 403, 404, 409))
@requires(views.CHECKS_CREDITS)
def check_credit(contract_id: ContractId, finding_id: FindingId,
                 body: Annotated[CreditCheckRequest, Body()]) -> FindingView:
    caller = current_caller(router.context)
    claimed = body.claimed if not isinstance(body.claimed, ClaimedAmount) else \
        f"{body.claimed.currency} {body.claimed.amount}"
    item = credit_checks.check_credit(contract_id, finding_id, actor=caller.user, team=caller.team, note=body.note,
                                      claimed=claimed, nothing_owed=body.nothing_owed)
    return _view(item, _claims([item]), _contract_files([contract_id], caller.team))


@router.get("/findings", tags=TAGS, security=SECURED,
            summary="The team's money findings, newest first", responses=error_responses(400, 401, 403))
@requires(Role.VIEWER)
def team_findings(kind: Annotated[FindingKind | None, Query()] = None,
                  limit: Limit = DEFAULT, cursor: Cursor = None) -> FindingPage:
    caller = current_caller(router.context)
    page = store.team_findings_page(caller.team, limit=limit, cursor=cursor,
                                    keep=None if kind is None else (lambda f: f.kind == kind), filters=(kind,))
    return _page(page.items, page.cursor, _contract_files([f.contract_id for f in page.items], caller.team))


@router.get("/findings/total", tags=TAGS, security=SECURED,
            summary="The money at stake over all the team's findings, one total per currency",
            description="GET /findings totals each page alone (one invoice line's findings on two pages would "
                        "count twice if pages were added): this is the team's one figure, read from the running "
                        "totals kept as findings are recorded, settled and their claims resolved (a few items "
                        "per currency, however many findings the team has; no Scan).",
            responses=error_responses(400, 401, 403))
@requires(Role.VIEWER)
def team_findings_total(kind: Annotated[FindingKind | None, Query()] = None) -> FindingTotal:
    caller = current_caller(router.context)
    totals, found, unknown = stake.totals_and_unknown(caller.team, kind)  # equal to the full count, stake.recount (the property test)
    return FindingTotal(total_at_stake=[Amount(amount=f"{v:.2f}", currency=k) for k, v in sorted(totals.items())],
                        findings=found, kind=kind, amount_unknown=unknown)


@router.get("/findings/contracts", tags=TAGS, security=SECURED,
            summary="The team's contracts with known terms, to send SLA metrics and invoices for (a picker)",
            description="The team's EXTRACTED contracts, most recently changed first, whose title or counterparty "
                        "contains q (any case), each with why metrics and invoices are not taken for it (refused) "
                        "and whether the caller may send them; contracts whose terms are not known yet are not "
                        "listed. GSI4 T#<team>#CONTRACTS#EXTRACTED, paged.",
            responses=error_responses(400, 401, 403))
@requires(Role.VIEWER)
def money_contracts(q: Annotated[str | None, Query(max_length=200, description="part of the title or counterparty, "
                                                   "any case")] = None,
                    limit: Limit = DEFAULT, cursor: Cursor = None) -> MoneyContractPage:
    caller = current_caller(router.context)
    wanted = (q or "").strip().casefold()

    def keep(item: ContractItem) -> bool:
        return not wanted or any(wanted in (text or "").casefold() for text in (item.title, item.counterparty))

    page = queries.team_contracts(caller.team, status=ContractStatus.EXTRACTED, limit=limit, cursor=cursor,
                                  keep=keep, filters=("money", wanted))
    items = []
    for item in page.items:
        refused = pipeline.money_files_refused(item)
        items.append(MoneyContract(id=item.contract_id, title=item.title, counterparty=item.counterparty,
                                   file_name=item.file_name, refused=refused,
                                   caller_may_send=refused is None and caller.may(views.SENDS_MONEY_FILES)))
    return MoneyContractPage(items=items, next_cursor=page.cursor)


@router.get("/reports/portfolio", tags=["reports"], security=SECURED,
            summary="The team's portfolio: renewals, overdue obligations, credits, invoice findings, amendments",
            responses={**error_responses(400, 401, 403),
                       200: {"description": "the report in the format asked for",
                             "content": {"application/json": {"schema": {"type": "object"}},
                                         "text/csv": {"schema": {"type": "string"}},
                                         "text/html": {"schema": {"type": "string"}}}}})
@requires(Role.VIEWER)
def portfolio(format: Annotated[Literal["json", "csv", "html"], Query()] = "json") -> Response[str]:
    caller = current_caller(router.context)
    content_type, body = render(team_portfolio(caller.team, clock.now()), format)
    return Response(status_code=200, content_type=content_type, body=body)
