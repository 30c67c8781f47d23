"""Reads and writes of the money items: invoices received and findings (SLA breaches with their
credits, invoice findings, refused files). Keys in ``schema``; a finding's id makes a redelivered
file land on the same item (idempotent), never a second one."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from pynamodb.exceptions import PutError

from .. import clock, schema
from ..schema import ItemType, ObligationStatus
from .models import FindingItem, InvoiceItem

contract_pk = schema.contract_pk

CREDIT_CLAIM = "credit_claim"  # the obligation kind of a credit to claim
CREDIT_NOTE_KINDS = ("credit_note_settled", "credit_note_partial", "credit_note_not_matched", "credit_note_ambiguous")
# listed with the amount it had, owed no longer; a credit note's amount is credited, never at stake
NOT_AT_STAKE = ("sla_breach_withdrawn", *CREDIT_NOTE_KINDS)
# a claim a person waived (not worth claiming) or that went with its contract is money nobody asks
# for: at stake no longer, as the portfolio report counts it (a claim done is still owed until credited)
CLAIM_NOT_AT_STAKE = (ObligationStatus.WAIVED, ObligationStatus.CANCELLED)


def invoices(contract_id: str) -> list[InvoiceItem]:
    return list(InvoiceItem.query(contract_pk(contract_id), InvoiceItem.sk.startswith(schema.INVOICE_PREFIX)))


def get_invoice(contract_id: str, number: str) -> InvoiceItem | None:
    try:
        return InvoiceItem.get(contract_pk(contract_id), schema.invoice_sk(number), consistent_read=True)
    except InvoiceItem.DoesNotExist:
        return None


def save_invoice(contract_id: str, *, number: str, issue_date: str, currency: str, total: str,
                 supplier: str | None, invoice: dict, source_key: str, findings: int,
                 document: str = "invoice") -> InvoiceItem:
    """An invoice received; a credit note (``document``) is keyed apart, its numbers being its own series."""
    sk = schema.invoice_sk(number if document == "invoice" else f"{document}#{number}")
    item = InvoiceItem(contract_pk(contract_id), sk, item_type=ItemType.INVOICE,
                       contract_id=contract_id, number=number, issue_date=issue_date, currency=currency,
                       total=total, supplier=supplier, invoice=invoice, source_key=source_key,
                       findings=findings, recorded_at=clock.iso())
    item.save()
    return item


def findings(contract_id: str) -> list[FindingItem]:
    return list(FindingItem.query(contract_pk(contract_id), FindingItem.sk.startswith(schema.FINDING_PREFIX)))


def findings_of_team(team: str) -> Iterator[FindingItem]:
    """The team's findings, oldest first (one Query on GSI1)."""
    return FindingItem.by_team.query(schema.team_findings_pk(team))


def get_finding(contract_id: str, finding_id: str) -> FindingItem | None:
    try:
        return FindingItem.get(contract_pk(contract_id), schema.finding_sk(finding_id), consistent_read=True)
    except FindingItem.DoesNotExist:
        return None


SAVE_ATTEMPTS = 5  # a finding written between a save's read and its write (a person's check): read again


def save_finding(contract_id: str, finding_id: str, *, team: str, kind: str, source: str, summary: str,
                 derivation: str | None = None, amount: str | None = None, currency: str | None = None,
                 period: str | None = None, invoice_number: str | None = None,
                 claim_obligation_id: str | None = None, evidence: dict | None = None,
                 detail: dict | None = None, source_key: str | None = None) -> tuple[FindingItem, bool]:
    """Create or refresh a finding; returns it and whether it is new. A finding recorded before
    keeps its first recording time (its place in the team's list), the credit notes applied to it and
    a person's check of its credit; written on condition that it is as read, so a check committed in
    between is read again and kept, never erased. The team's running totals at stake count it as it
    now is (``stake.count``: recorded again unchanged, they do not move)."""
    for attempt in itertools.count(1):
        existing = get_finding(contract_id, finding_id)
        recorded_at = existing.recorded_at if existing else clock.iso()
        item = FindingItem(contract_pk(contract_id), schema.finding_sk(finding_id), item_type=ItemType.FINDING,
                           contract_id=contract_id, finding_id=finding_id, kind=kind, source=source,
                           summary=summary, derivation=derivation, amount=amount, currency=currency,
                           period=period, invoice_number=invoice_number,
                           claim_obligation_id=claim_obligation_id, evidence=evidence,
                           detail=_kept_from(existing, detail), source_key=source_key, recorded_at=recorded_at,
                           gsi1pk=schema.team_findings_pk(team),
                           gsi1sk=f"{recorded_at}#{contract_id}#{finding_id}")
        try:
            item.save(condition=_as_read(existing))
        except PutError as exc:
            if attempt < SAVE_ATTEMPTS and exc.cause_response_code == "ConditionalCheckFailedException":
                continue  # written since it was read: read it again
            raise
        break
    from . import stake  # the ledger reads this module's rule of what counts

    stake.count(item, team)
    return item, existing is None


def _kept_from(existing: FindingItem | None, detail: dict | None) -> dict | None:
    """``detail`` with what a finding recorded before keeps: the credit notes applied to it, and a
    person's check of its credit (it holds while the finding's credit rests on what they checked,
    ``check_stands``; a corrected file that changes the credit or its reason raises the flag again)."""
    before = (existing.detail or {}) if existing is not None else {}
    for kept in ("settlements", CREDIT_CHECKED):
        if before.get(kept) and not (detail or {}).get(kept):
            detail = {**(detail or {}), kept: before[kept]}
    return detail


def _as_read(existing: FindingItem | None) -> Any:
    """A condition: the finding is as read (none yet, or its detail unchanged)."""
    if existing is None:
        return FindingItem.sk.does_not_exist()
    if existing.detail is None:
        return FindingItem.detail.does_not_exist()
    return FindingItem.detail == existing.detail


def amount_unknown(item: FindingItem, claim_status: str | None) -> bool:
    """A breach whose credit may be owed but whose amount is not known (its tiers or fee not read:
    ``money.credits.Breach.amount_unknown``), still asked for: not withdrawn, its claim not waived or
    cancelled, its contract not deleted, no person's check of it standing (``check_stands``: they said
    nothing is owed, or what they claimed, which is theirs and never added to the money computed). It
    counts no money at stake (its amount is not zero: unknown); the totals say how many such findings
    they leave out."""
    return _unknown_and_asked_for(item, claim_status) and not check_stands(item, None)


def _unknown_and_asked_for(item: FindingItem, claim_status: str | None) -> bool:
    """``amount_unknown`` whether a person checked it or not."""
    return item.kind == "sla_breach" and item.amount is None and bool((item.detail or {}).get("amount_unknown")) \
        and claim_status not in CLAIM_NOT_AT_STAKE and not contract_deleted(item)


# a breach's claim window in hours from a moment (the incident), or ending before a whole day after its period
# (``money.credits.assess``): no claim day is counted from it (hours after the period's end give one)
_HOURS_WINDOW = re.compile(r"claim window (PT\d+H) \(hours\) from (.+?): no claim day is counted")
_INCIDENT_WINDOW = re.compile(r"claim window (P\w+) from the incident: no claim day is counted"
                              r"(?:, the window counts from the end of the (month|billing period) of the incident)?")


CREDIT_CHECKED = "credit_checked"  # in a breach's detail: a person's check of its credit flag


def credit_checked(item: FindingItem) -> dict | None:
    """A person's check of the finding's credit flag (``{"by", "on", "at", "note", "claimed": {"amount",
    "currency"} | None, "nothing_owed", "flag", "basis"}``: ``flag`` the flag as they checked it, ``basis``
    what it rested on, ``credit_basis``), or None."""
    checked = (item.detail or {}).get(CREDIT_CHECKED)
    return dict(checked) if isinstance(checked, dict) else None


def credit_basis(item: FindingItem) -> dict:
    """What a breach's credit flag rests on, as values (numbers normalized: "98.50" is 98.5): a person's
    check holds while these are the finding's, whatever words the flag is said in."""
    detail = item.detail or {}
    return {"amount": _number(item.amount), "currency": item.currency or None,
            "amount_unknown": detail.get("amount_unknown") or None,
            "claim_derivation": detail.get("claim_derivation") or None, "cap_unclear": detail.get("cap_unclear") or None,
            "metric": detail.get("metric"), "actual": _number(detail.get("actual")),
            "target": _number(detail.get("target"))}


def _number(value) -> str | None:
    if value is None:
        return None
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except InvalidOperation:
        return str(value)


def check_stands(item: FindingItem, claim) -> bool:
    """A person's check of the finding's credit (``credit_checked``) is of the finding as it is: its
    ``credit_basis`` unchanged (a check made before the basis was kept, 2026-12-08: its flag's words,
    the flag read with ``claim``)."""
    checked = credit_checked(item)
    if checked is None:
        return False
    if "basis" in checked:
        return checked["basis"] == credit_basis(item)
    return checked.get("flag") == credit_flag_of(item, claim)


def checked_words(checked: dict) -> str:
    """"checked by X on D: note", with what they said is owed."""
    claimed = checked.get("claimed")
    owed = (f" (claimed {claimed['currency']} {claimed['amount']})" if claimed else
            " (nothing owed)" if checked.get("nothing_owed") else "")
    return f"checked by {checked['by']} on {checked['on']}: {checked['note']}{owed}"


def credit_check_of(item: FindingItem, claim) -> str | None:
    """The contract's Needs attention flag for a credit to check by hand (``credit_flag_of``), unless a
    person checked that very flag (``credit_checked``); a flag that changed since (a corrected file: its
    credit or its reason) is raised again, saying the check was of an earlier value."""
    flag = credit_flag_of(item, claim)
    checked = credit_checked(item)
    if flag is None or checked is None:
        return flag
    if check_stands(item, claim):
        return None
    return f"{flag} (the check by {checked['by']} on {checked['on']} was of an earlier value: check it again)"


def credit_flag_of(item: FindingItem, claim) -> str | None:
    """The flag of a credit to check by hand as the finding raises it, checked or not (None: none): a breach whose
    amount is not known, until its claim (``claim``, its obligation) is done, waived or cancelled, and
    a computed credit whose claim window is in hours or counted from the incident and gives no claim day
    (claimed by hand), or that the breach says is claimed by hand (``claim_by_hand``: a window in business hours,
    one stated without its start or from an invoice), and a computed credit a cap may apply to (``cap_unclear``) until
    its claim is done, waived or cancelled."""
    status = None if claim is None else claim.status
    detail = item.detail or {}
    hours = _HOURS_WINDOW.match(str(detail.get("claim_derivation") or ""))
    in_hours = (f"the claim window is in hours ({hours.group(1)} from {hours.group(2)}): no claim day is counted, "
                "claim it by hand within it") if hours else detail.get("claim_by_hand")  # business hours, no start
    if in_hours is None and (days := _INCIDENT_WINDOW.match(str(detail.get("claim_derivation") or ""))):
        # days counted from the incident: no claim day either, claimed by hand
        in_hours = (f"the claim window is counted from the incident ({days.group(1)} from the incident): no claim "
                    "day is counted, claim it by hand within it")
        if days.group(2):  # from the end of the incident's month, the breach a quarter's
            in_hours = (f"the claim window is counted from the end of the {days.group(2)} of the incident "
                        f"({days.group(1)}), which {item.period} does not tell: no claim day is counted, claim it by "
                        "hand within it")
    if detail.get("cap_unclear") and item.kind == "sla_breach" and item.amount is not None \
            and status not in (*CLAIM_NOT_AT_STAKE, ObligationStatus.DONE) and not contract_deleted(item):
        # a cap that may apply: the credit computed may be more than is owed until a person checks it
        said = (f"SLA breach in {item.period}: {detail.get('metric')} {detail.get('actual')}% below the "
                f"{detail.get('target')}% target; credit {item.currency} {item.amount} computed; "
                f"{detail['cap_unclear']}: check the cap by hand")
        if claim is not None and claim.due:
            return f"{said} before claiming it by {claim.due} (obligation {claim.obligation_id})"
        return f"{said}; {in_hours}" if in_hours else said
    if in_hours and item.kind == "sla_breach" and item.amount is not None and status not in CLAIM_NOT_AT_STAKE \
            and not contract_deleted(item):
        return (f"SLA breach in {item.period}: {detail.get('metric')} {detail.get('actual')}% below the "
                f"{detail.get('target')}% target; credit {item.currency} {item.amount} computed; {in_hours}")
    if not _unknown_and_asked_for(item, status) or status == ObligationStatus.DONE:
        return None
    said = (f"SLA breach in {item.period}: {detail.get('metric')} {detail.get('actual')}% below the "
            f"{detail.get('target')}% target; the credit is not computed ({detail['amount_unknown']}): check the "
            f"credit by hand")
    if claim is not None and claim.due:
        return f"{said} and claim it by {claim.due} (obligation {claim.obligation_id})"
    if in_hours:
        return f"{said}; {in_hours}"
    return f"{said}; no window to claim it was read: find the contract's claim deadline"


def team_findings_page(team: str, *, limit: int, cursor: str | None = None, keep=None,
                       filters: tuple = ()):
    """The team's findings, newest first, paged: GSI1 ``T#<team>#FINDINGS``."""
    from .queries import _index_query, _page

    query = _index_query(FindingItem.by_team, schema.BY_TEAM, schema.team_findings_pk(team), None,
                         forward=False, shape=("findings", *filters))
    return _page(query, limit=limit, cursor=cursor, keep=keep)


def finding_line(item: FindingItem) -> tuple[str, str, str] | frozenset[tuple[str, str, str]] | None:
    """The invoice line a finding's amount is on (contract, invoice, line), the lines a verdict on
    several lines summed is on (a frozenset of them), or None: findings on one line count once in a
    total, and a verdict on lines summed with their own findings (`money.amounts.at_stake_totals`)."""
    detail = (item.detail or {}) if item.source == "invoice" else {}
    line_id, line_ids = detail.get("line_id"), detail.get("line_ids")
    if not line_id and line_ids:
        return frozenset((item.contract_id, item.invoice_number or "", str(i)) for i in line_ids)
    return (item.contract_id, item.invoice_number or "", str(line_id)) if line_id else None


def settlements_of(item: FindingItem) -> dict[str, dict]:
    """The credit notes applied to a claim (credit note number -> what it settled)."""
    return dict((item.detail or {}).get("settlements") or {})


def still_owed(item: FindingItem) -> Decimal | None:
    """What of a finding's amount the credit notes applied to it leave owed (never below nothing):
    its amount when none was; None when it has none. What ``GET /findings``' total and the portfolio
    report's credits owed and invoice findings at stake count."""
    if item.amount is None:
        return None
    applied = sum((Decimal(s["applied"]["amount"]) for s in settlements_of(item).values()), Decimal(0))
    return max(Decimal(item.amount) - applied, Decimal(0))


CONTRACT_DELETED = "contract_deleted"  # in a finding's detail: {"at", "by"}, its contract deleted


def contract_deleted(item: FindingItem) -> dict | None:
    """When and by whom the finding's contract was deleted (None: it is on file). Its findings stay
    (the team's record of what was found), at stake no longer: its claim obligations went with it,
    nobody can claim or waive them, and the full count would otherwise take them as open again."""
    deleted = (item.detail or {}).get(CONTRACT_DELETED)
    return dict(deleted) if deleted else None


def mark_contract_deleted(contract_id: str, team: str, *, at: str, by: str) -> int:
    """Mark the findings of a contract being deleted (each keeps the first mark: a retried deletion
    changes nothing) and move the team's running totals by what they counted, in one write. Returns
    how many findings were marked now."""
    from . import stake

    marked = 0
    with stake.batch():
        for item in findings(contract_id):
            if not contract_deleted(item):
                item.detail = {**(item.detail or {}), CONTRACT_DELETED: {"at": at, "by": by}}
                item.save()
                marked += 1
            stake.count(item, team)  # also when marked by an earlier try that failed before counting
    return marked


def mark_findings_of_old_deletions() -> int:
    """The operator's upgrade (``python -m clausewatch.renewal.reindex``): mark the findings of
    contracts deleted before deletions marked them (2026-12-06), from each deleted contract's GONE
    marker (when) and tombstone (by whom), as a deletion now does. A contract live again (uploaded
    again since) is left as it is. By scan of the GONE markers; safe to run again. Returns how many
    findings it marked."""
    from .models import GoneItem
    from .repository import get_contract, latest_deletion

    marked = 0
    for gone in GoneItem.scan(GoneItem.sk == schema.GONE_SK):
        contract_id = gone.pk.removeprefix(schema.CONTRACT_PREFIX)
        if get_contract(contract_id) is not None:
            continue
        tombstone = latest_deletion(contract_id)
        marked += mark_contract_deleted(contract_id, gone.team, at=gone.deleted_at,
                                        by=tombstone.actor if tombstone is not None else "upgrade")
    return marked


def counted_at_stake(item: FindingItem, claim_status: str | None) -> Decimal | None:
    """What a finding counts in a total at stake (before its invoice line's findings are counted
    once, ``money.amounts.at_stake_totals``): what credit notes left owed of its amount; None when it
    counts no money (no amount, a withdrawn breach, a credit note's own finding, a claim ``claim_status``
    waived or cancelled, its contract deleted). The one rule of ``GET /findings``' totals and the running totals (store/stake.py)."""
    if item.amount is None or not item.currency or item.kind in NOT_AT_STAKE or claim_status in CLAIM_NOT_AT_STAKE \
            or contract_deleted(item):
        return None
    return still_owed(item)
