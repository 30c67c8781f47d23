"""Read a team's portfolio from the table (Queries on the team's indexes, no Scan) and build the
report (``reports/portfolio.py``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from .. import dates, schema
from ..plan import renewal_term_counts
from ..reports.portfolio import (
    CHECKED_NOTHING_OWED,
    CLAIMED_BY_HAND,
    CREDIT_TO_CHECK,
    ENDED_DAYS,
    MARKED_DONE,
    WAIVED,
    AmendmentRow,
    ClosedBy,
    EndedBy,
    MoneyRow,
    OverdueRow,
    Portfolio,
    RefusedRow,
    RenewalRow,
    RenewalUnknown,
    auto_renew_as_it_stands,
    build,
    ended_of,
    passed_term_end,
    unknown_of,
    unknown_reason,
)
from ..schema import ContractStatus, ObligationStatus
from ..store import money as money_store
from ..store import repository as repo
from ..store.models import ContractItem, ObligationItem
from ..store.money import finding_line, still_owed

_DAY_END = "#~"


def _title(contract: ContractItem | None, contract_id: str) -> str:
    return (contract.title or contract.file_name) if contract else contract_id


def _decision(contract: ContractItem | None) -> str | None:
    """The renewal decision of the contract's current term, as a person reads it: "waiting (owner)",
    "renegotiate: agreed by ...", "terminated"... (None before its workflow starts)."""
    if contract is None or not contract.current_expiration:
        return None
    from ..renewal import store as renewal_store

    item = renewal_store.get(contract.contract_id, contract.current_expiration)
    if item is None:
        return None
    made = (item.decision or {}).get("decision")
    if item.state == "waiting":
        return f"waiting ({item.waiting_round or 'owner'})"
    return item.outcome or (f"{made} by {(item.decision or {}).get('by')}" if made else item.state)


def closed_by(o: ObligationItem, time_zone: str | None) -> ClosedBy | None:
    """How a person closed the term end ``o`` (marked done, or waived), who, and the day (the day
    they said it was done, else the day they acted in the contract's time zone); None for one still
    open. The caller asks it only of one no renewal decision ended (the sweep closes that one done)."""
    if o.status not in (ObligationStatus.DONE, ObligationStatus.WAIVED) or not o.resolved_by:
        return None
    on = o.done_on or (dates.day_at(datetime.fromisoformat(o.resolved_at), time_zone).isoformat()
                       if o.resolved_at else None)
    return MARKED_DONE if o.status == ObligationStatus.DONE else WAIVED, o.resolved_by, on


def marked_done(closed: ClosedBy | None) -> tuple[str, str | None] | None:
    """Who marked the term end done and the day (``closed_by``); None for one not marked done."""
    return (closed[1], closed[2]) if closed is not None and closed[0] == MARKED_DONE else None


def _passed(o: ObligationItem, contract: ContractItem | None, auto: bool | None,
            days_left: int) -> tuple[EndedBy | RenewalUnknown | None, ClosedBy | None]:
    """What became of the term end ``o`` if it passed in the days back, as GET /renewals says
    (``reports.portfolio.passed_term_end``): ended without renewing, its renewal unknown, or None;
    and how a person closed it when one did (``closed_by``: a done or waived end no renewal decision
    ended). Its term's renewal record is read only for such a term end."""
    if o.kind != "expiration" or not -ENDED_DAYS <= days_left < 0:
        return None, None
    from ..renewal import store as renewal_store

    ended = contract.ended if contract is not None and isinstance(contract.ended, dict) else {}
    renewed = renewal_store.decided_renew(renewal_store.get(o.contract_id, o.due))
    decision_ended = ended.get("last_day") == o.due
    closed = None if decision_ended else closed_by(o, contract.time_zone if contract is not None else None)
    extracted = contract.extracted if contract is not None else None
    what = passed_term_end(auto, days_left, renewed=renewed, decision_ended=decision_ended,
                           marked_done=marked_done(closed) is not None,
                           renewal_term_known=renewal_term_counts(extracted.value("renewal_term") if extracted else None))
    return what, closed


def _local_day(at: datetime, contract: ContractItem | None) -> date:
    """The day it is at ``at`` in the contract's time zone: the day its deadlines are counted from,
    as the API counts ``days_left`` and "overdue" (UTC for a contract no longer on file)."""
    return dates.day_at(at, contract.time_zone if contract is not None else None)


def team_portfolio(team: str, at: datetime) -> Portfolio:
    """The team's portfolio at the instant ``at``: each row's days counted from the day it is then
    in its contract's time zone (a deadline due today in Los Angeles is not overdue while it is
    already tomorrow in UTC). The index Queries cover the span of those days (at most a day either
    side of the UTC date); each row is then kept or left out on its own contract's day."""
    contracts = {c.contract_id: c for c in ContractItem.by_team.query(schema.team_contracts_pk(team))}
    live = [c for c in contracts.values() if c.status == ContractStatus.EXTRACTED and not c.amends_contract_id]
    today = at.astimezone(UTC).date()
    local_days = {_local_day(at, c) for c in contracts.values()} | {today}
    earliest, latest = min(local_days), max(local_days)
    first = (earliest - timedelta(days=ENDED_DAYS)).isoformat()  # the terms that ended (build() keeps them)
    last = (latest + timedelta(days=180)).isoformat()
    renewals = []
    for o in ObligationItem.renewals.query(schema.team_renewals_pk(team),
                                           ObligationItem.gsi2sk.between(first, last + _DAY_END)):
        c = contracts.get(o.contract_id)
        extracted = c.extracted if c else None
        as_read = extracted.value("auto_renewal") if extracted else None
        auto = auto_renew_as_it_stands(None if as_read is None else bool(as_read), bool(c is not None and c.ended))
        days_left = (date.fromisoformat(o.due) - _local_day(at, c)).days
        what, closed = _passed(o, c, auto, days_left)
        if o.status != ObligationStatus.OPEN and what is None:
            continue  # a term end closed stays on the index only to be listed as ended (or unknown)
        marked = marked_done(closed)
        unknown = unknown_of(what)
        # build() keeps the rows 0..180 days ahead of their own contract's day, and the ended terms
        renewals.append(RenewalRow(o.contract_id, _title(c, o.contract_id), c.counterparty if c else None, o.kind,
                                   o.due, days_left, o.owner, auto, o.derivation or "", decision=_decision(c),
                                   ended_by=ended_of(what),
                                   renewal=unknown,
                                   renewal_reason=unknown_reason(closed, unknown, o.due) if unknown else None,
                                   marked_done_by=marked[0] if marked else None,
                                   marked_done_on=marked[1] if marked else None))
    overdue = []
    for o in ObligationItem.by_team.query(schema.team_obligations_pk(team, ObligationStatus.OPEN),
                                          ObligationItem.gsi1sk < latest.isoformat()):
        if not schema.is_overdue_when_past(o.kind):
            continue  # an expiration gone by is no duty overdue: the contract expired
        c = contracts.get(o.contract_id)
        late = (_local_day(at, c) - date.fromisoformat(o.due)).days
        if late <= 0:
            continue  # due today (or later) where the contract is: not overdue yet
        overdue.append(OverdueRow(o.contract_id, _title(c, o.contract_id), o.obligation_id, o.kind, o.summary, o.due,
                                  late, o.owner))
    findings = list(money_store.findings_of_team(team))
    claim_status = {}
    for contract_id in {f.contract_id for f in findings if f.claim_obligation_id}:
        claim_status.update({(contract_id, o.obligation_id): o.status for o in repo.obligations(contract_id)})
    money, refused = [], []
    for f in findings:
        if f.kind == "file_refused":  # a file refused whole: listed with its reason, no amount
            detail = f.detail or {}
            refused.append(RefusedRow(f.contract_id, _title(contracts.get(f.contract_id), f.contract_id),
                                      str(detail.get("kind") or f.source), str(detail.get("key") or f.source_key),
                                      str(detail.get("reason") or f.summary),
                                      str(detail.get("refused_at") or f.recorded_at)))
            continue
        if money_store.contract_deleted(f):
            status = "contract deleted"  # its claims went with it: nobody asks for it (GET /findings/total)
        elif f.kind == "sla_breach":
            status = {"done": "claimed", "waived": "waived", "cancelled": "withdrawn"}.get(
                claim_status.get((f.contract_id, f.claim_obligation_id or ""), ""),
                "owed" if f.amount else _unknown_status(f) if (f.detail or {}).get("amount_unknown") else "no credit")
        elif f.kind == "sla_breach_withdrawn":
            status = "withdrawn"
        elif f.kind.startswith("credit_note_"):
            status = "credited"  # the supplier's credit note: money to us, never at stake
        else:
            status = "settled" if _settled_whole(f) else "open"
        left = still_owed(f)  # a credit or over-charge partly credited counts what is left
        if status in ("waived", "withdrawn", "contract deleted"):
            left = Decimal(0) if left is not None else None  # nobody asks for it: nothing owed
        elif status == "credited":
            left = None  # the supplier's credit note: money to us, nothing owed
        money.append(MoneyRow(f.contract_id, _title(contracts.get(f.contract_id), f.contract_id), f.kind, f.summary,
                              f.derivation, f.amount, f.currency, status, f.period or f.invoice_number,
                              finding_line(f), still_owed=None if left is None else f"{left:.2f}"))
    amendments = [AmendmentRow(c.amends_contract_id, _title(contracts.get(c.amends_contract_id), c.amends_contract_id),
                               c.contract_id, c.file_name, c.received_at)
                  for c in contracts.values() if c.amends_contract_id and c.status == ContractStatus.EXTRACTED]
    return build(team, today, contracts=len(live), renewals=renewals, overdue=overdue, money=money,
                 amendments=sorted(amendments, key=lambda a: a.received_at), refused=refused)


def _unknown_status(finding) -> str:
    """A breach whose credit amount is not known, its claim (if any) open: to check by hand, unless a
    person's check of it stands (``money.check_stands``): what they said."""
    checked = money_store.credit_checked(finding)
    if checked is None or not money_store.check_stands(finding, None):
        return CREDIT_TO_CHECK
    if checked.get("nothing_owed"):
        return CHECKED_NOTHING_OWED
    claimed = checked.get("claimed")
    return f"{CLAIMED_BY_HAND} ({claimed['currency']} {claimed['amount']})" if claimed else "checked by hand"


def _settled_whole(finding) -> bool:
    """An over-charge the supplier's credit notes refunded in full (``money.credit_notes``)."""
    settled = (finding.detail or {}).get("settlements") or {}
    return any(s.get("status") == "settled" for s in settled.values())
