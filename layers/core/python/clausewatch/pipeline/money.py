"""money λ's work: a metrics or invoice file under ``metrics/<id>/`` or ``invoices/<id>/`` is read
whole, checked against the contract's terms in force, and its breaches, credits owed and invoice
findings are recorded (each with its arithmetic); a credit's claim deadline becomes an obligation
the planner reminds the owner of. A file that cannot be used is refused whole, kept where it was
uploaded, with ``refused/<key>.error.json`` and a finding saying why. Redelivery is idempotent:
findings are keyed by what they are about."""

from __future__ import annotations

import email.utils
import hashlib
import html
import json
import logging
import mimetypes
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .. import clock, config, dates
from ..aws import email as ses
from ..aws import s3
from ..config import Settings
from ..extract.credit_claims import claim_from_unit_of
from ..money.amended_fees import AddedFee
from ..money.amounts import Money, at_stake_totals, format_amount
from ..money.credit_notes import SETTLED, OpenClaim, Part, match_credit_note, netted_credits
from ..money.credits import Breach, assess, claim_day_in_hours, period_end, period_start, window_in_hours
from ..money.invoices import (
    CREDIT_NOTE,
    ContractMoney,
    Finding,
    Invoice,
    InvoiceError,
    billed_from,
    check_invoice,
    parse_invoice,
)
from ..money.invoices import format_of as invoice_format_of
from ..money.metrics import MetricsError, parse_metrics
from ..money.metrics import format_of as metrics_format_of
from ..plan import EarlierValue, earlier_values
from ..schema import ContractStatus, ObligationStatus
from ..store import money as store
from ..store import repository as repo
from ..store import stake
from ..store.models import ContractItem
from .intake import Upload
from .record import local_today

log = logging.getLogger(__name__)
ACTOR = "money"
CREDIT_CLAIM = store.CREDIT_CLAIM  # the obligation kind of a credit to claim
NOT_CHECKED = "not_checked"  # an invoice finding that says what was not checked and why (nothing at stake)
# a credit note's own finding: what it settled, or why it settled nothing (the customer's money, never at stake)
CREDIT_NOTE_KINDS = store.CREDIT_NOTE_KINDS
# the invoice findings a credit note referencing the invoice may settle: money over-charged
OVERCHARGE_KINDS = ("price_above_agreed", "quantity_beyond_included", "above_not_to_exceed", "arithmetic",
                    "billed_before_agreed")


@dataclass(frozen=True)
class MoneyOutcome:
    status: str  # "recorded" | "refused" | "duplicate" | "gone" | "ignored"
    contract_id: str | None = None
    kind: str | None = None  # "metrics" | "invoice"
    findings: int = 0
    reason: str | None = None


class Refused(ValueError):
    """The file cannot be used; the message is the reason the user sees."""


def _parts(key: str) -> tuple[str, str, str] | None:
    for prefix, kind in ((config.METRICS_PREFIX, "metrics"), (config.INVOICES_PREFIX, "invoice")):
        if key.startswith(prefix):
            contract_id, _, name = key[len(prefix):].partition("/")
            return kind, contract_id, name
    return None


def process_money_file(settings: Settings, upload: Upload) -> MoneyOutcome:
    parts = _parts(upload.key)
    if parts is None:
        return MoneyOutcome("ignored", reason=f"not under {' or '.join(config.MONEY_PREFIXES)}")
    kind, contract_id, name = parts
    obj = s3.get_object(upload.bucket, upload.key, upload.version_id)
    if obj is None:
        return MoneyOutcome("gone", contract_id, kind)
    contract = repo.get_contract(contract_id) if contract_id else None
    try:
        if not name or "/" in name:
            raise Refused(f"expected {kind} files as {_prefix(kind)}<contract id>/<file>")
        if contract is None:
            raise Refused(f"no contract {contract_id!r}")
        if (refused := money_files_refused(contract)) is not None:
            raise Refused(refused)
        if len(obj.body) > config.MAX_MONEY_FILE_BYTES:
            raise Refused(f"{len(obj.body)} bytes: larger than {config.MAX_MONEY_FILE_BYTES}")
        try:
            content = obj.body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Refused(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from None
        if kind == "metrics":
            return _record_metrics(settings, contract, content, name, upload.key)
        return _record_invoice(settings, contract, content, name, upload.key)
    except (Refused, MetricsError, InvoiceError) as exc:
        return _refuse(settings, upload, kind, contract, str(exc))
    except ArithmeticError as exc:  # a number no check can use (the readers refuse those they know): refused
        # with the reason, never retried into the dead-letter queue and lost to the person who sent it
        return _refuse(settings, upload, kind, contract, f"a number in the file cannot be used: {exc!r}")


def money_files_refused(item: ContractItem, attention_kinds: set[str] | None = None) -> str | None:
    """Why SLA metrics and invoices are not taken for ``item`` (None: they are): its terms are not
    known (the money λ refuses a file for a contract not EXTRACTED), it is an amendment (its money is
    its contract's, checked against the terms in force: an invoice checked against the amendment's
    own terms alone would be wrong), or it is flagged as not reading as a contract until a person
    says it is one (``attention_kinds``: the contract's attention flags' kinds, read from it when
    not given). The API's routes answer 409 with it, ``caller_may`` does not offer sending, and a file
    dropped in the bucket for such a contract is refused with it."""
    if attention_kinds is None:
        from .attention import attention_of

        attention_kinds = {flag["kind"] for flag in attention_of(item)}
    if item.status != ContractStatus.EXTRACTED:
        return f"contract {item.contract_id} is {item.status}: its terms are not known yet"
    if item.amends_contract_id:
        return (f"{item.file_name} is an amendment of contract {item.amends_contract_id}: send its metrics and "
                "invoices to that contract (they are checked against the terms in force, the amendment's included)")
    if "amendment_waiting" in attention_kinds:
        return (f"{item.file_name} is an amendment waiting to be linked to the contract it amends: link it, then "
                "send metrics and invoices to that contract")
    if "not_a_contract" in attention_kinds:
        return (f"{item.file_name} is flagged as not reading as a contract: confirm it is one "
                "(POST /contracts/{id}/is-a-contract) before sending its metrics and invoices")
    return None


def _prefix(kind: str) -> str:
    return config.METRICS_PREFIX if kind == "metrics" else config.INVOICES_PREFIX


def _refuse(settings: Settings, upload: Upload, kind: str, contract: ContractItem | None,
            reason: str) -> MoneyOutcome:
    """Keep the file where it is; say why beside it (refused/...) and, when the contract exists,
    in its audit trail and its findings."""
    record = {"key": upload.key, "version_id": upload.version_id, "kind": kind, "reason": reason,
              "refused_at": clock.iso()}
    s3.put_json(upload.bucket, f"{config.REFUSED_PREFIX}{upload.key}.error.json", record)
    if contract is not None:
        finding_id = "refused-" + hashlib.sha256(f"{upload.key}\x1f{upload.version_id}".encode()).hexdigest()[:16]
        _, new = store.save_finding(contract.contract_id, finding_id, team=contract.team, kind="file_refused",
                                    source=kind, summary=f"{kind} file {upload.key} refused: {reason}",
                                    source_key=upload.key, detail=record)
        if new:
            repo.record_audit(contract.contract_id, ACTOR, f"{kind}.refused", record)
    log.warning("money file refused", extra=record)
    return MoneyOutcome("refused", contract.contract_id if contract else None, kind, reason=reason)


def _terms(contract_id: str, on: date | None = None, *, consistent: bool = False) -> dict[str, Any]:
    """The contract's terms in force on ``on`` (default: the current ones). A version an amendment
    set is in force from the amendment's effective date (else its agreement date, else the day it
    was recorded); the original's versions from the start. ``consistent``: read strongly
    consistent (a person's entry written just before is seen)."""
    if on is None:
        return dict(repo.current_terms(contract_id, consistent=consistent).items())
    in_force: dict[str, Any] = {}
    starts: dict[tuple[str, str], date | None] = {}
    for name, versions in repo.term_history(contract_id, consistent=consistent).items():
        for item in versions:
            source = item.source_contract_id
            if (source, name) not in starts:
                starts[source, name] = None if source == contract_id else _amendment_start(source, item.recorded_at,
                                                                                           name)
            start = starts[source, name]
            if start is None or start <= on:
                in_force[name] = item  # the latest version in force by then
    return in_force


def _amendment_start(amendment_id: str, recorded_at: str, term: str | None = None) -> date | None:
    """The day a term an amendment set is in force from: the later day its own clause states ("This
    change takes effect on 1 January 2027", ``record.own_effective_day``), else the amendment's
    effective date, else its agreement date, else the day it was recorded."""
    from . import record  # the rules of an amendment's day live with the amendments

    amendment = repo.get_contract(amendment_id)
    extracted = amendment.extracted if amendment else None
    on = record.amendment_day(extracted) if extracted else None
    own = record.own_effective_day(extracted.term(term), on) if extracted and term else None
    if own is not None:
        return own
    return on if on is not None else _day(recorded_at[:10])


def _value(terms: dict[str, Any], name: str) -> Any:
    item = terms.get(name)
    return None if item is None else item.value


def _evidence(terms: dict[str, Any], name: str) -> dict | None:
    item = terms.get(name)
    return None if item is None else item.evidence


_CLAIM_KEYS = ("claim_window", "claim_window_not_counted", "claim_windows_apart", "claim_from", "claim_from_unit",
               "claim_window_why", "claim_evidence")


def _credit_terms(terms: dict[str, Any], contract_id: str) -> tuple[dict[str, Any] | None, dict | None]:
    """The service credit terms in force and, for a claim window stated apart, its clause: the
    credit table with its own claim window (its claim's clause is the table's), else the claim
    window stated with credits in prose (``service_credit_claim``: no tiers, so no amount is ever
    computed from it). A table without a window of its own (one an amendment brought to credits in
    prose: the amendment did not change how they are claimed) is claimed within the window stated
    apart, and so is a table whose window a later amendment changed in prose (the newer window is
    in force); else a table's own window stands."""
    tiers = _value(terms, "service_credit_tiers")
    claim = _value(terms, "service_credit_claim")
    if claim:
        claim = _with_claim_unit(claim, _evidence(terms, "service_credit_claim"))
    if tiers is None:
        return claim, _evidence(terms, "service_credit_claim")
    tiers = _with_claim_unit(tiers, tiers.get("claim_evidence"))
    own_window = tiers.get("claim_window") or tiers.get("claim_window_not_counted") or tiers.get("claim_windows_apart")
    if not claim or (own_window and not _newer(terms, "service_credit_claim", "service_credit_tiers", contract_id)):
        return tiers, None
    return ({**{k: v for k, v in tiers.items() if k not in _CLAIM_KEYS}, **claim},
            _evidence(terms, "service_credit_claim"))


def _with_claim_unit(credit_terms: dict[str, Any], clause: dict | None) -> dict[str, Any]:
    """Credit terms stored before ``claim_from_unit`` was always kept (a window from the end of the affected month
    stored without "month": counted from a quarter's end on quarterly metrics, days late): its unit read again from
    the window's stored clause. Terms that have it, or whose window does not count from a period's end, as stored."""
    if "claim_from_unit" in credit_terms or credit_terms.get("claim_from") != "end of the measured period":
        return credit_terms
    unit = claim_from_unit_of(str((clause or {}).get("text") or ""))
    return {**credit_terms, "claim_from_unit": unit} if unit else credit_terms


def _newer(terms: dict[str, Any], name: str, than: str, contract_id: str) -> bool:
    """Whether term ``name`` took effect after term ``than``: an amendment's after the contract's own,
    of two amendments the one in force from the later day."""
    def since(term: str) -> date | None:
        item = terms[term]
        source = getattr(item, "source_contract_id", None)
        if not source or source == contract_id:
            return None
        return _amendment_start(source, item.recorded_at, term)
    day, other = since(name), since(than)
    return day is not None and (other is None or day > other)


# --- metrics -------------------------------------------------------------------------------------

def _record_metrics(settings: Settings, contract: ContractItem, content: str, name: str,
                    key: str) -> MoneyOutcome:
    measurements = parse_metrics(content, metrics_format_of(name, content))
    terms = _terms(contract.contract_id)
    if _value(terms, "sla_availability") is None and _value(terms, "service_credit_tiers") is None:
        raise Refused("the contract states no service level to measure against")
    measured = {m.period for m in measurements}  # measured again here: their stored credits are not counted
    credited = {p: c for p, c in _credited(contract.contract_id).items() if p not in measured}
    in_force: dict[date, dict[str, Any]] = {}
    breaches: list[tuple[Breach, dict | None, dict | None]] = []
    for m in measurements:
        # each period against the terms in force when it began (an amended fee or credit table from
        # the amendment's effective date); the credits of the file's earlier periods count for a cap
        on = period_start(m.period)
        if on not in in_force:
            in_force[on] = _terms(contract.contract_id, on=on)
        terms = in_force[on]
        try:
            credit_terms, claim_evidence = _credit_terms(terms, contract.contract_id)
            found = assess([m], credit_terms, _value(terms, "sla_availability"),
                           _value(terms, "fees"), credited=credited,
                           jurisdiction=dates.contract_calendar(contract.jurisdiction, _value(terms, "governing_law")),
                           effective=_day(_value(terms, "effective_date")), today=local_today(contract),
                           stated_credits=_value(terms, "service_credits"), time_zone=contract.time_zone)
        except ValueError as exc:  # a target a person entered that is not a percentage
            raise Refused(str(exc)) from None
        evidence = _evidence(terms, "service_credit_tiers") or _evidence(terms, "sla_availability")
        for b in found:
            if b.credit is not None:
                credited[b.period] = b.credit
            breaches.append((b, evidence, claim_evidence))
    breached = {(b.period, b.metric) for b, _, _ in breaches}
    new_findings = []
    with stake.batch():  # the ledger written once for the file's breaches and withdrawals
        for b, evidence, claim_evidence in breaches:
            item, new = _record_breach(contract, b, evidence, key, claim_evidence)
            if new:
                new_findings.append(item)
        withdrawn = _withdraw_met(contract, [m for m in measurements if (m.period, m.metric) not in breached], key)
    repo.record_audit(contract.contract_id, ACTOR, "metrics.recorded",
                      {"key": key, "measurements": len(measurements), "breaches": len(breaches),
                       "withdrawn": withdrawn})
    _notify(settings, contract, new_findings)
    return MoneyOutcome("recorded", contract.contract_id, "metrics", len(breaches))


def _credited(contract_id: str) -> dict[str, Money]:
    """The credits owed so far, by period (breaches withdrawn since are not counted): what a cap
    over a calendar year has already given."""
    return {f.period: Money(Decimal(f.amount), f.currency) for f in store.findings(contract_id)
            if f.kind == "sla_breach" and f.period and f.amount and f.currency}


def breach_finding_id(period: str, metric: str) -> str:
    return f"breach-{period}-{metric}"


def _stated_apart(claim_evidence: dict | None) -> str:
    """The clause of a claim window stated apart from a credit table, as a claim's derivation says it."""
    if not claim_evidence:
        return ""
    return (f"; the claim window as stated on page {claim_evidence.get('page')}: "
            f"\"{' '.join(str(claim_evidence.get('text') or '').split())}\"")


def _record_breach(contract: ContractItem, b: Breach, evidence: dict | None, key: str,
                   claim_evidence: dict | None = None):
    """The breach's finding (with ``evidence``) and, when its claim deadline is known, its claim
    obligation: its evidence the credit table's when the amount was computed from it, else
    ``claim_evidence`` (the clause of a claim window stated apart) or ``evidence``; a window stated
    apart is quoted in the claim's derivation either way."""
    obligation_id = None
    if b.claim_by is not None and (b.credit is not None or b.amount_unknown):
        obligation_id = f"credit-{b.period}-{b.metric}"
        if b.credit is not None:
            summary = f"Claim the service credit of {b.credit} for {b.period} ({b.metric} {b.actual}%)"
            derivation = f"{b.claim_derivation}; credit {b.derivation}" + _stated_apart(claim_evidence)
            action = (f"Request the credit of {b.credit} in writing, as the contract requires, by "
                      f"{b.claim_by.isoformat()}; then mark this done with the supplier's confirmation.")
        else:  # a credit may be owed, its amount not known: claimed all the same, the amount by hand
            summary = (f"Claim the service credit for {b.period} ({b.metric} {b.actual}%): amount to check by "
                       f"hand: {b.amount_unknown}")
            derivation = f"{b.claim_derivation}; credit not computed ({b.amount_unknown}): {b.derivation}; {b.note}"
            derivation += _stated_apart(claim_evidence)
            action = (f"Work out the credit from the contract's service credit clause ({b.metric} {b.actual}% in "
                      f"{b.period}, target {b.target}%) and request it in writing, as the contract requires, by "
                      f"{b.claim_by.isoformat()}; then mark this done with the supplier's confirmation (or waive "
                      "it when no credit is owed).")
        repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
            obligation_id=obligation_id, kind=CREDIT_CLAIM, summary=summary, due=b.claim_by.isoformat(),
            derivation=derivation, action=action, owner=contract.owner,
            # the amount computed from the credit table: its clause; else the claim window's
            evidence=evidence if b.credit is not None else claim_evidence or evidence),
            team=contract.team, actor=ACTOR)
        claim = repo.get_obligation(contract.contract_id, obligation_id)
        if claim is not None and claim.status == ObligationStatus.CANCELLED:
            # withdrawn by a corrected file, breached again by this one: to claim again
            repo.set_obligation_status(contract.contract_id, obligation_id, ObligationStatus.OPEN, team=contract.team,
                                       actor=ACTOR, reason=f"{key} shows {b.actual}% again")
    summary = (f"{b.metric} {b.actual}% in {b.period} below the {b.target}% target: "
               + (f"credit {b.credit} owed" if b.credit else
                  f"credit to check by hand ({b.amount_unknown}): {b.note}" if b.amount_unknown else
                  (b.note or "no credit")))
    saved = store.save_finding(contract.contract_id, breach_finding_id(b.period, b.metric), team=contract.team,
                               kind="sla_breach", source="metrics", summary=summary, derivation=b.derivation,
                               amount=None if b.credit is None else str(b.credit.amount),
                               currency=None if b.credit is None else b.credit.currency, period=b.period,
                               claim_obligation_id=obligation_id, evidence=evidence, detail=b.to_dict(),
                               source_key=key)
    # a credit to check by hand is on the contract's Needs attention until its claim is settled
    repo.set_credit_check(contract.contract_id, breach_finding_id(b.period, b.metric),
                          store.credit_check_of(saved[0], repo.get_obligation(contract.contract_id, obligation_id)
                                                if obligation_id else None))
    return saved


def recount_claim_windows(contract: ContractItem, *, actor: str, why: str) -> list[str]:
    """After the contract's calendar changed (a jurisdiction set or cleared, a governing law entered,
    an amendment that changes the governing law applied or taken out: ``record.apply_amendment``,
    ``record.remove_amendment``):
    each open credit claim whose window counts business days from the end of its period ("within ten
    (10) Business Days after the end of the month") is counted again with the calendar the metrics
    check now uses for that period (the jurisdiction, else the governing law in force then): its due
    day, its action and its arithmetic (naming why, and the day counted before), and its finding's
    claim-by; the planner then re-plans its reminders. A claim done, waived or cancelled keeps its day
    (it is settled), also one settled while this runs (the write is checked against the claim read).
    After its time zone changed (``entries.set_time_zone``) too, an open claim whose window is in hours
    from the end of its period ("within seventy-two (72) hours after the end of the month") is counted
    again from midnight in the new zone (``claim_day_in_hours``: a clock set back in the hours ends them
    earlier); a calendar change leaves its day as it was.
    Each claim moved is audited ``claim.recounted`` (the claim, its period, the day before and now,
    the calendar, why). Returns the claims moved."""
    moved: list[str] = []
    in_force: dict[date, dict[str, Any]] = {}
    for finding in store.findings(contract.contract_id):
        dropped = (finding.detail or {}).get(_CLAIM_DROPPED)
        if finding.kind != "sla_breach" or not (finding.claim_obligation_id or dropped) or not finding.period:
            continue
        on = period_start(finding.period)
        if on not in in_force:  # strongly consistent: the governing law entered just before counts
            in_force[on] = _terms(contract.contract_id, on=on, consistent=True)
        credit_terms = _credit_terms(in_force[on], contract.contract_id)[0] or {}
        window = credit_terms.get("claim_window")
        if not window or credit_terms.get("claim_from") != "end of the measured period" \
                or not (window_in_hours(window) or dates.as_duration(window).business_days):
            continue
        calendar = dates.contract_calendar(contract.jurisdiction, _value(in_force[on], "governing_law"))
        if not finding.claim_obligation_id:  # its day dropped by an earlier zone: restored when this one gives one
            if window_in_hours(window) and _restore_claim(contract, finding, window, actor=actor, why=why):
                moved.append(str(dropped))
        elif _recount_claim(contract, finding, window, calendar, actor=actor, why=why):
            moved.append(finding.claim_obligation_id)
    return moved


# the breach whose claim day a time zone dropped (``_drop_claim_day``): the claim's id, so a zone giving a day again
# opens it again (``_restore_claim``)
_CLAIM_DROPPED = "claim_dropped"


def _restore_claim(contract: ContractItem, finding, window: str, *, actor: str, why: str) -> bool:
    """A claim cancelled because the contract's zone gave its window in hours no whole day
    (``_drop_claim_day``), when the zone now gives one: opened again at that day (its arithmetic naming why),
    the breach following it again and its flag taken off (it is claimed by its day, not by hand), audited
    ``claim.recounted`` (the day before None). A zone still giving none, a claim a person or a corrected file
    settled since, or one restored already: nothing. A credit handled by hand meanwhile (a credit note settled it,
    or a person marked it checked) is not claimed again: the claim stays cancelled, the breach no longer waits on a
    zone, audited ``claim.not_restored`` (why). Each step counts from the stored state, so one stopped midway is
    finished by the next recount."""
    obligation_id = (finding.detail or {})[_CLAIM_DROPPED]
    day, counted = claim_day_in_hours(finding.period, window, contract.time_zone)
    claim = repo.get_obligation(contract.contract_id, obligation_id)
    if day is None or claim is None:
        return False
    if claim.status == ObligationStatus.CANCELLED and (handled := _handled_by_hand(finding)):
        _keep_dropped(contract, finding, obligation_id, handled, actor=actor, why=why)
        return False
    claim_by = day.isoformat()
    claim_derivation = f"{counted}: recounted because {why}; counted before: none (no claim day in the zone before)"
    if claim.status == ObligationStatus.CANCELLED:
        credit_words = (claim.derivation or "").partition("; credit ")[2] or finding.derivation
        try:  # checked against the claim read: one opened or settled meanwhile is left as it is
            repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
                obligation_id=obligation_id, kind=CREDIT_CLAIM, summary=claim.summary, due=claim_by,
                derivation=f"{claim_derivation}; credit {credit_words}",
                action=(claim.action or "").replace(claim.due, claim_by) if claim.due else claim.action,
                evidence=claim.evidence, owner=contract.owner), team=contract.team, actor=actor, current=claim)
            repo.set_obligation_status(contract.contract_id, obligation_id, ObligationStatus.OPEN, team=contract.team,
                                       actor=actor, expected=ObligationStatus.CANCELLED,
                                       reason=f"claim day counted again: {counted} (because {why})")
        except Exception as exc:
            if not repo.refused_by_another_write(exc):
                raise
            return False
    elif claim.status != ObligationStatus.OPEN or claim.due != claim_by:
        return False  # settled since, or not the day this zone gives
    else:  # opened again by a recount that stopped before its trail line and the breach: finished now
        claim_derivation = (claim.derivation or "").partition("; credit ")[0]
    repo.record_audit(contract.contract_id, actor, "claim.recounted", {
        "obligation_id": obligation_id, "period": finding.period, "previous": None, "value": claim_by,
        "why": why, "derivation": claim_derivation})
    fresh = store.get_finding(contract.contract_id, finding.finding_id)
    if fresh is None:
        return True
    detail = {k: v for k, v in (fresh.detail or {}).items() if k != _CLAIM_DROPPED}
    saved = store.save_finding(contract.contract_id, fresh.finding_id, team=contract.team, kind=fresh.kind,
                               source=fresh.source, summary=fresh.summary, derivation=fresh.derivation,
                               amount=fresh.amount, currency=fresh.currency, period=fresh.period,
                               invoice_number=fresh.invoice_number, claim_obligation_id=obligation_id,
                               evidence=fresh.evidence, source_key=fresh.source_key,
                               detail={**detail, "claim_by": claim_by, "claim_derivation": claim_derivation})
    repo.set_credit_check(contract.contract_id, fresh.finding_id,
                          store.credit_check_of(saved[0], repo.get_obligation(contract.contract_id, obligation_id)))
    return True


def _handled_by_hand(finding) -> str | None:
    """How a breach whose claim a zone dropped was handled since, if it was: the credit notes that settled it, or a
    person's check of its credit flag as it stands (None: neither; a claim reopened for it would be a second)."""
    settled = sorted(store.settlements_of(finding))
    if settled:
        return f"settled by credit note {', '.join(settled)}"
    checked = store.credit_checked(finding)
    if checked is not None and checked.get("flag") == store.credit_flag_of(finding, None):
        return store.checked_words(checked)
    return None


def _keep_dropped(contract: ContractItem, finding, obligation_id: str, handled: str, *, actor: str, why: str) -> None:
    """The dropped claim of a breach handled by hand (``handled``) stays cancelled: the breach waits on no zone
    again (its ``claim_dropped`` taken off: one audit line, however often the zone is set), audited."""
    fresh = store.get_finding(contract.contract_id, finding.finding_id)
    if fresh is None or _CLAIM_DROPPED not in (fresh.detail or {}):
        return
    fresh.detail = {k: v for k, v in (fresh.detail or {}).items() if k != _CLAIM_DROPPED}
    fresh.save()
    repo.record_audit(contract.contract_id, actor, "claim.not_restored", {
        "obligation_id": obligation_id, "period": finding.period, "why": why, "handled": handled})


def _recount_claim(contract: ContractItem, finding, window: str, calendar: str | None, *, actor: str,
                   why: str) -> bool:
    end = period_end(finding.period)
    if window_in_hours(window):  # from midnight in the contract's zone (no business day is counted in hours)
        day, counted = claim_day_in_hours(finding.period, window, contract.time_zone)
        if day is None:  # no whole day before the deadline in the new zone: the day is dropped, claimed by hand
            return _drop_claim_day(contract, finding, counted, actor=actor, why=why)
        claim_by = day.isoformat()
    else:
        claim_by = dates.add_duration(end, window, calendar).isoformat()
        counted = f"end of {finding.period} {end.isoformat()} + {window}{dates.business_days_words(window, calendar)}" \
                  f" = {claim_by}"
    for attempt in range(1, repo.CONTRACT_WRITE_ATTEMPTS + 1):
        claim = repo.get_obligation(contract.contract_id, finding.claim_obligation_id)
        if claim is None or claim.status != ObligationStatus.OPEN or not claim.due:
            return False
        if claim.due == claim_by:
            # at its day; unless a recount moved it and stopped before its trail line and the
            # finding's claim-by (the finding still names the day before): those are finished now
            previous = (finding.detail or {}).get("claim_by")
            claim_derivation = (claim.derivation or "").partition("; credit ")[0]
            why = claim_derivation.partition(": recounted because ")[2].rpartition("; counted before: ")[0]
            if previous in (None, claim_by) or not why:
                return False
            break
        claim_derivation = f"{counted}: recounted because {why}; counted before: {claim.due}"
        # the credit's part as the claim says it (an amount to check by hand: why, and the clause of its
        # window), else the breach's arithmetic
        credit_words = ((claim.derivation or "").partition("; credit ")[2]
                        or (finding.detail or {}).get("derivation") or finding.derivation)
        previous = claim.due  # (the write sets the item read to the new day)
        try:  # checked against the claim read: one completed or waived meanwhile is not reopened
            repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
                obligation_id=claim.obligation_id, kind=CREDIT_CLAIM, summary=claim.summary, due=claim_by,
                derivation=f"{claim_derivation}; credit {credit_words}",
                action=(claim.action or "").replace(claim.due, claim_by) or None, evidence=claim.evidence,
                owner=contract.owner), team=contract.team, actor=actor, current=claim)
            break
        except Exception as exc:
            if not repo.refused_by_another_write(exc) or attempt == repo.CONTRACT_WRITE_ATTEMPTS:
                raise
    # its own trail line (the obligation's "recorded" line says its new day only): old and new day,
    # the calendar counted with, why (the actor is the line's)
    repo.record_audit(contract.contract_id, actor, "claim.recounted", {
        "obligation_id": finding.claim_obligation_id, "period": finding.period, "previous": previous, "value": claim_by,
        "calendar": dates.holidays_words(calendar), "why": why, "derivation": claim_derivation})
    # the breach's own claim-by (its email, `clausewatch findings`), on the finding as stored now (a
    # credit note's settlement recorded meanwhile stays; the amount, so the totals at stake, is unchanged)
    fresh = store.get_finding(contract.contract_id, finding.finding_id)
    if fresh is not None:
        store.save_finding(contract.contract_id, fresh.finding_id, team=contract.team, kind=fresh.kind,
                           source=fresh.source, summary=fresh.summary, derivation=fresh.derivation,
                           amount=fresh.amount, currency=fresh.currency, period=fresh.period,
                           invoice_number=fresh.invoice_number, claim_obligation_id=fresh.claim_obligation_id,
                           evidence=fresh.evidence, source_key=fresh.source_key,
                           detail={**(fresh.detail or {}), "claim_by": claim_by, "claim_derivation": claim_derivation})
    return True


def _drop_claim_day(contract: ContractItem, finding, counted: str, *, actor: str, why: str) -> bool:
    """An open claim whose window in hours gives no whole day in the contract's new zone (``counted``: why,
    in the new zone): its day is not kept (one the old zone gave may be late). The claim is cancelled (kept,
    with the reason), the breach no longer follows it and says ``counted`` as its claim arithmetic, and it is
    a credit to check on Needs attention until a person claims it by hand; audited ``claim.recounted``."""
    claim = repo.get_obligation(contract.contract_id, finding.claim_obligation_id)
    if claim is None or claim.status != ObligationStatus.OPEN:
        return False
    try:  # checked against the claim read: one completed or waived meanwhile is not cancelled
        repo.set_obligation_status(contract.contract_id, claim.obligation_id, ObligationStatus.CANCELLED,
                                   team=contract.team, actor=actor, expected=ObligationStatus.OPEN,
                                   reason=f"no claim day is counted: {counted} (because {why})")
    except Exception as exc:
        if not repo.refused_by_another_write(exc):
            raise
        return False
    repo.record_audit(contract.contract_id, actor, "claim.recounted", {
        "obligation_id": claim.obligation_id, "period": finding.period, "previous": claim.due, "value": None,
        "why": why, "derivation": counted})
    fresh = store.get_finding(contract.contract_id, finding.finding_id)
    if fresh is None:
        return True
    saved = store.save_finding(contract.contract_id, fresh.finding_id, team=contract.team, kind=fresh.kind,
                               source=fresh.source, summary=fresh.summary, derivation=fresh.derivation,
                               amount=fresh.amount, currency=fresh.currency, period=fresh.period,
                               invoice_number=fresh.invoice_number, claim_obligation_id=None,
                               evidence=fresh.evidence, source_key=fresh.source_key,
                               detail={**(fresh.detail or {}), "claim_by": None, "claim_derivation": counted,
                                       _CLAIM_DROPPED: claim.obligation_id})
    repo.set_credit_check(contract.contract_id, fresh.finding_id, store.credit_check_of(saved[0], None))
    return True


def _withdraw_met(contract: ContractItem, met: list, key: str) -> int:
    """A corrected file that shows a period met: its earlier breach no longer stands, and the
    credit claim is cancelled (kept, with the reason, never deleted)."""
    withdrawn = 0
    for m in met:
        item = store.get_finding(contract.contract_id, breach_finding_id(m.period, m.metric))
        if item is None or item.kind != "sla_breach":
            continue
        item.kind, item.summary = "sla_breach_withdrawn", f"{item.summary} (withdrawn: {key} shows {m.value}%)"
        item.save()
        if item.claim_obligation_id:
            repo.set_obligation_status(contract.contract_id, item.claim_obligation_id, ObligationStatus.CANCELLED,
                                       team=contract.team, actor=ACTOR, reason=f"{key} shows {m.value}%")
        stake.count(item, contract.team)  # withdrawn: at stake no longer
        repo.set_credit_check(contract.contract_id, item.finding_id, None)  # nothing to check by hand
        withdrawn += 1
    return withdrawn


# --- invoices ------------------------------------------------------------------------------------

def _record_invoice(settings: Settings, contract: ContractItem, content: str, name: str,
                    key: str) -> MoneyOutcome:
    invoice = parse_invoice(content, invoice_format_of(name, content))
    if invoice.document == CREDIT_NOTE:
        return _record_credit_note(settings, contract, invoice, key)
    # credit notes are numbered apart: an invoice of a credit note's number is no duplicate
    earlier = [i for i in store.invoices(contract.contract_id) if _document(i) != CREDIT_NOTE]
    same = next((i for i in earlier if i.number == invoice.number), None)
    if same is not None and same.source_key == key and _unchanged(same, invoice, contract.contract_id, key):
        return MoneyOutcome("duplicate", contract.contract_id, "invoice", reason="delivered again")
    terms = _terms(contract.contract_id, on=billed_from(invoice))
    expiration = _value(terms, "expiration_date")
    since = _fees_since(contract.contract_id, billed_from(invoice))
    money_terms = ContractMoney(
        fees=_value(terms, "fees"), fees_evidence=_evidence(terms, "fees"),
        price_increase_cap=_value(terms, "price_increase_cap"), cap_evidence=_evidence(terms, "price_increase_cap"),
        expiration=_day(expiration), renewal_term=_value(terms, "renewal_term"),
        known_numbers=frozenset(i.number for i in earlier), counterparty=contract.counterparty,
        auto_renewal=_value(terms, "auto_renewal"), added_fees=_added_fees(contract.contract_id),
        renewal_earlier=_renewal_earlier(contract), fees_since=since[0] if since else None,
        fees_since_document=since[1] if since else None, effective_date=_day(_value(terms, "effective_date")),
        invoiced_before=sum((Decimal(i.total) for i in store.invoices(contract.contract_id)
                             if i.currency == invoice.currency), Decimal(0)))  # less the credit notes
    findings = check_invoice(invoice, money_terms)
    tag = "" if same is None else "-" + _tag(key, invoice, corrected=same.source_key == key)
    new_items = []
    # the findings first (keyed: a redelivery lands on them again), the invoice record last, so a
    # crash between the two leaves nothing that makes the redelivery skip the file
    with stake.batch():  # the ledger written once for the invoice's findings, before the invoice record
        for n, f in enumerate(findings, start=1):
            item, new = _record_invoice_finding(contract, f, f"invoice-{invoice.number}{tag}-{n}", key)
            if new:
                new_items.append(item)
    if same is None:
        # a credit netted on the invoice ("SLA credit October 2026", -1,550.00) settles a claim as a credit note would
        for credit in netted_credits(invoice):
            item, new = _match_and_record(contract, credit, key)
            if new:
                new_items.append(item)
        store.save_invoice(contract.contract_id, number=invoice.number, issue_date=invoice.issue_date.isoformat(),
                           currency=invoice.currency, total=str(invoice.total), supplier=invoice.supplier,
                           invoice=invoice.to_dict(), source_key=key, findings=len(findings))
    repo.record_audit(contract.contract_id, ACTOR, "invoice.recorded",
                      {"key": key, "number": invoice.number, "total": str(invoice.total),
                       "currency": invoice.currency, "findings": [f.kind for f in findings]})
    _notify(settings, contract, new_items)
    return MoneyOutcome("recorded", contract.contract_id, "invoice", len(findings))


def _document(item) -> str:
    return str((item.invoice or {}).get("document") or "invoice")


def _unchanged(same, invoice: Invoice, contract_id: str, key: str) -> bool:
    """The file of an invoice (credit note) already recorded from ``key`` read again: True when it
    reads as that same document (a delivery again, or the same file sent again), said in the trail
    (``invoice.unchanged``, so whoever sent it learns it was read and why nothing follows); False when
    the file under that key now says something else (a corrected invoice sent again under its name:
    checked, its number a duplicate, never dropped unseen)."""
    if same.invoice != invoice.to_dict():
        return False
    repo.record_audit(contract_id, ACTOR, "invoice.unchanged",
                      {"key": key, "number": invoice.number, "document": invoice.document,
                       "total": str(invoice.total), "currency": invoice.currency})
    return True


def _tag(key: str, invoice: Invoice, *, corrected: bool) -> str:
    """What keeps the findings of a second document of an invoice's number apart from the first's:
    its key, and, for a changed file under the first's key, its content (each version's own)."""
    seed = key + (json.dumps(invoice.to_dict(), sort_keys=True) if corrected else "")
    return hashlib.sha256(seed.encode()).hexdigest()[:8]


def _record_credit_note(settings: Settings, contract: ContractItem, note: Invoice, key: str) -> MoneyOutcome:
    """A credit note: recorded (its total as a negative amount invoiced), matched to the open claim
    it settles (`money/credit_notes.py`), that claim marked settled with the credit note as evidence
    and, when fully settled, its credit_claim obligation done; a credit note that settles nothing is
    told with why. The same number again is a duplicate, not applied twice."""
    cid = contract.contract_id
    same = next((i for i in store.invoices(cid) if _document(i) == CREDIT_NOTE and i.number == note.number), None)
    if same is not None and same.source_key == key and _unchanged(same, note, cid, key):
        return MoneyOutcome("duplicate", cid, "invoice", reason="delivered again")
    if same is not None:
        tag = _tag(key, note, corrected=same.source_key == key)
        item, new = _record_invoice_finding(contract, Finding(
            "duplicate", note.number, f"credit note {note.number} was already received",
            f"credit note number {note.number} is already recorded for this contract (from {same.source_key}): "
            "not applied a second time", None), f"credit-note-{note.number}-{tag}", key)
        _notify(settings, contract, [item] if new else [])
        return MoneyOutcome("recorded", cid, "invoice", 1)
    item, new = _match_and_record(contract, note, key)
    # the credit note's record last, so a crash before it leaves nothing that makes a redelivery skip it
    store.save_invoice(cid, number=note.number, issue_date=note.issue_date.isoformat(), currency=note.currency,
                       total=str(-note.total), supplier=note.supplier, invoice=note.to_dict(), source_key=key,
                       findings=1, document=CREDIT_NOTE)
    _notify(settings, contract, [item] if new else [])
    return MoneyOutcome("recorded", cid, "invoice", 1)


def _match_and_record(contract: ContractItem, note: Invoice, key: str):
    """Match a credit (a credit note, or a credit an invoice nets) to the claim it settles, settle
    it, and record the credit's own finding and audit line; returns the finding and whether it is new."""
    cid = contract.contract_id
    settlement = match_credit_note(note, _open_claims(cid, leaving_out=note.number))
    for part in settlement.parts:  # one claim, or each of the several it pays at once
        _settle(contract, settlement.credit_note, part, key)
    item, new = store.save_finding(
        cid, f"credit-note-{note.number}", team=contract.team, kind=f"credit_note_{settlement.status}",
        source="invoice", summary=f"credit note {note.number}: {settlement.summary()}",
        derivation=settlement.derivation, amount=str(settlement.credit.amount), currency=note.currency,
        period=None if settlement.claim is None else settlement.claim.period, invoice_number=note.number,
        detail={**settlement.to_dict(), "references": list(note.references)}, source_key=key)
    repo.record_audit(cid, ACTOR, "credit_note.recorded",
                      {"key": key, "number": note.number, "total": str(note.total), "currency": note.currency,
                       "references": list(note.references), "status": settlement.status,
                       "finding_id": None if settlement.claim is None else settlement.claim.finding_id,
                       "finding_ids": [p.claim.finding_id for p in settlement.parts],
                       "derivation": settlement.derivation})
    return item, new


def _open_claims(contract_id: str, leaving_out: str) -> list[OpenClaim]:
    """The SLA credits owed and the over-charges found, less the credit notes already applied (but
    ``leaving_out``, the one being matched: a redelivery after a crash matches it again, not the rest)."""
    out = []
    for f in store.findings(contract_id):
        if f.kind not in ("sla_breach", *OVERCHARGE_KINDS) or not f.amount or not f.currency:
            continue
        if f.kind == "sla_breach" and not f.period:
            continue
        original = Money(Decimal(f.amount), f.currency)
        credited = tuple((n, Decimal(s["applied"]["amount"])) for n, s in sorted(store.settlements_of(f).items())
                         if n != leaving_out)
        owed = original.amount - sum((a for _, a in credited), Decimal(0))
        out.append(OpenClaim(f.finding_id, f.kind, Money(owed, f.currency), original,
                             period=f.period if f.kind == "sla_breach" else None,
                             invoice_number=None if f.kind == "sla_breach" else f.invoice_number, credited=credited))
    return out


def _settle(contract: ContractItem, credit_note: str, part: Part, key: str) -> None:
    """The claim the credit note settles: the credit note kept on it (by number: a redelivery lands on
    the same entry) and, when nothing is left, its credit_claim obligation done by the system, with
    the arithmetic and the credit note's file as evidence. One a person already marked done keeps
    the person's record: the credit note is evidence against it (on the claim, audited
    ``obligation.evidence``), not a second settling."""
    item = store.get_finding(contract.contract_id, part.claim.finding_id)
    if item is None:
        return
    settlements = store.settlements_of(item)
    first = credit_note not in settlements
    claim = repo.get_obligation(contract.contract_id, item.claim_obligation_id) if item.claim_obligation_id else None
    entry: dict[str, Any] = {"applied": part.applied.to_dict(), "status": part.status, "derivation": part.derivation,
                             "source_key": key, "recorded_at": clock.iso(), "remaining": part.remaining.to_dict()}
    kept = None
    if claim is not None and claim.status == ObligationStatus.DONE and claim.resolved_by != ACTOR:
        kept = {"obligation_id": claim.obligation_id, "status": claim.status, "resolved_by": claim.resolved_by,
                "resolved_at": claim.resolved_at}  # done by a person: theirs
        entry["claim_kept"] = kept
    settlements[credit_note] = entry
    item.detail = {**(item.detail or {}), "settlements": settlements}
    item.save()
    stake.count(item, contract.team)  # what the credit note paid is at stake no longer
    if claim is None:
        return
    if kept is not None:
        if first:  # a redelivery after a crash is not audited twice
            repo.record_audit(contract.contract_id, ACTOR, "obligation.evidence",
                              {"obligation_id": claim.obligation_id, "credit_note": credit_note, "evidence_key": key,
                               "derivation": part.derivation, "kept": kept})
    # an open claim is done by the system; one a person waived, or a corrected file cancelled, is theirs
    elif part.status == SETTLED and claim.status == ObligationStatus.OPEN:
        repo.set_obligation_status(contract.contract_id, claim.obligation_id, ObligationStatus.DONE,
                                   team=contract.team, actor=ACTOR, reason=part.derivation, evidence_key=key)


def _renewal_earlier(contract: ContractItem) -> tuple[EarlierValue, ...] | None:
    """The renewal lengths an amendment replaced, for the terms that began before it took effect
    (``plan.earlier_values``): the renewal terms a cap compounds over are rolled at the length in
    force when each began, as the planner rolls them (None: they cannot be read)."""
    extracted = contract.extracted
    return earlier_values(extracted, "renewal_term") if extracted is not None else ()


def _fees_since(contract_id: str, on: date) -> tuple[date, str] | None:
    """The day the fee in force on ``on`` took effect when an amendment re-priced it, and the
    amendment's file (None: the contract's own price): the start of the first of the versions in
    force by then that carries its price and clause (an amendment that only added a fee beside it
    keeps the earlier day)."""
    since: tuple[date, str] | None = None
    previous: tuple | None = None
    for item in repo.term_history(contract_id).get("fees", []):
        source = item.source_contract_id
        start = None if source == contract_id else _amendment_start(source, item.recorded_at, "fees")
        if start is not None and start > on:
            continue  # not in force yet on that day
        value = item.value if isinstance(item.value, dict) else {}
        price = (*(value.get(k) for k in ("amount", "currency", "period", "unit_price")),
                 (item.evidence or {}).get("text"))
        if price != previous:
            amendment = repo.get_contract(source) if start is not None else None
            since = None if start is None else (start, amendment.file_name if amendment else source)
            previous = price
    return since


def _added_fees(contract_id: str) -> tuple[AddedFee, ...]:
    """Every fee an amendment added to the contract (the current fee's ``additional_fees``: an
    invoice for a period before the amendment names them too), each with the day it is agreed from."""
    current = repo.current_terms(contract_id).get("fees")
    value = current.value if current is not None and isinstance(current.value, dict) else {}
    return tuple(_dated(fee) for fee in value.get("additional_fees") or [])


def _dated(fee: dict[str, Any]) -> AddedFee:
    """An added fee with the day it is agreed from: the later day its own clause states ("with effect
    from 1 February 2027", ``record.own_effective_day``), else its amendment's effective date, else
    the day it was signed (never the day it was filed: a line before that day would be told billed
    before agreed). A clause naming two days it takes effect: not known (its lines not priced)."""
    from . import record  # the rules of an amendment's day live with the amendments

    amendment_id = (fee.get("evidence") or {}).get("contract_id")
    amendment = repo.get_contract(amendment_id) if amendment_id else None
    extracted = amendment.extracted if amendment is not None else None
    if extracted is None or amendment is None:
        return AddedFee(fee)
    own_term = extracted.term("fees")
    unclear = own_term.extra.get("takes_effect_unclear") if own_term is not None else None
    if unclear:
        return AddedFee(fee, None, f"the clause of {amendment.file_name} names more than one day it takes effect "
                                   f"({unclear}): which day the fee is agreed from is not known")
    said = None
    for name in ("effective_date", "agreement_date"):
        day = _day(extracted.value(name))
        if day is not None:
            said = (name, day)
            break
    own = record.own_effective_day(own_term, said[1] if said else None)
    if own is not None and own_term is not None:
        words = own_term.extra["takes_effect"].get("text")
        since = f"; its {said[0]} {said[1].isoformat()}" if said else ""
        return AddedFee(fee, own, f"{own.isoformat()} ({words!r}, the clause of {amendment.file_name}{since})")
    if said is not None:
        return AddedFee(fee, said[1], f"the {said[0]} {said[1].isoformat()} of {amendment.file_name}")
    return AddedFee(fee)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None  # a partial date ("2027-02") is not counted from


def _record_invoice_finding(contract: ContractItem, f: Finding, finding_id: str, key: str):
    return store.save_finding(contract.contract_id, finding_id, team=contract.team, kind=f.kind, source="invoice",
                              summary=f"invoice {f.invoice_number}: {f.summary}", derivation=f.derivation,
                              amount=None if f.at_stake is None else str(f.at_stake.amount),
                              currency=None if f.at_stake is None else f.at_stake.currency,
                              invoice_number=f.invoice_number, evidence=f.evidence, detail=f.to_dict(),
                              source_key=key)


# --- telling the owner ---------------------------------------------------------------------------

def _notify(settings: Settings, contract: ContractItem, items: list) -> None:
    """One email to the contract's owner listing the new findings (none: no email), and each
    finding to the team's webhooks. A breach whose credit was not computed is told too, with why
    (no tier covers the level, the fee was not read, ...): the owner may still be owed a credit."""
    if not items:
        return
    _publish_findings(settings, contract, items)
    owner = contract.owner or settings.default_owner
    title = contract.title or contract.file_name
    message = EmailMessage()
    message["From"], message["To"] = settings.sender_email, owner
    # what was not checked (a line not priced, with why) is no money finding: told apart, never counted or at stake
    found = [i for i in items if i.kind != NOT_CHECKED]
    unchecked = [i for i in items if i.kind == NOT_CHECKED]
    at_stake = [i for i in found if i.kind not in CREDIT_NOTE_KINDS]  # a credit note's amount is credited to us
    totals = at_stake_totals((i.currency, i.amount, store.finding_line(i)) for i in at_stake)  # a line once
    money = "".join(f" ({currency} {format_amount(total)} at stake)" for currency, total in totals.items()) \
        if len(totals) == 1 else ""
    not_checked = f"{len(unchecked)} not checked" if unchecked else ""
    if found:
        message["Subject"] = (f"clausewatch: {len(found)} money finding(s) on {title}{money}"
                              + (f"; {not_checked}" if unchecked else ""))
        lines = [f"{title}: {len(found)} new finding(s)." + (f" {not_checked} (below)." if unchecked else ""), ""]
    else:
        message["Subject"] = f"clausewatch: {not_checked} on {title}: nothing claimed, to check by hand"
        lines = [f"{title}: {not_checked}: nothing is claimed, each says why it was not checked.", ""]
    message["Date"] = email.utils.format_datetime(clock.now())
    for i in found:
        lines += _told(i)
    if unchecked:
        lines += ["", "Not checked (nothing claimed or at stake: check these by hand):"] if found else []
        for i in unchecked:
            lines += _told(i)
    lines += ["", f"Contract: {settings.api_base_url.rstrip('/')}/contracts/{contract.contract_id}/findings"]
    text = "\n".join(lines)
    message.set_content(text)
    message.add_alternative("<pre style=\"font-family: sans-serif\">" + html.escape(text) + "</pre>",
                            subtype="html")
    try:
        ses.send_email(message)
    except (ClientError, BotoCoreError):  # the findings are recorded and listed; a failed email must not lose them
        log.exception("findings email failed", extra={"contract_id": contract.contract_id})
        repo.record_audit(contract.contract_id, ACTOR, "findings.email_failed", {"to": owner})
        return
    repo.record_audit(contract.contract_id, ACTOR, "findings.emailed",
                      {"to": owner, "findings": [i.finding_id for i in items]})


def _told(i) -> list[str]:
    """A finding's lines in the email: what, the arithmetic (or why not checked), the claim date, the clause."""
    lines = [f"- {i.summary}", f"  {i.derivation or ''}".rstrip()]
    detail = i.detail or {}
    if detail.get("claim_by"):
        lines.append(f"  Claim it by {detail['claim_by']} ({detail.get('claim_derivation') or ''}).")
    evidence = i.evidence or {}
    if evidence.get("text"):
        # an amendment's clause names its file: its page is that file's, not the contract's
        where = f"{evidence['document']}, " if evidence.get("document") else ""
        lines.append(f"  From the clause ({where}page {evidence.get('page', '?')}): "
                     f"\"{evidence['text'].strip()[:400]}\"")
    return lines


# --- putting a file where the deployed path finds it ---------------------------------------------

def money_file_key(kind: str, contract_id: str, name: str) -> str:
    """``metrics/<id>/<name>`` or ``invoices/<id>/<name>`` (a name is one path segment)."""
    if kind not in ("metrics", "invoice"):
        raise ValueError(f"kind must be 'metrics' or 'invoice', not {kind!r}")
    clean = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not clean or clean in (".", ".."):
        raise ValueError(f"not a file name: {name!r}")
    return f"{_prefix(kind)}{contract_id}/{clean}"


def put_money_file(settings: Settings, kind: str, contract_id: str, name: str, body: bytes,
                   *, actor: str) -> str:
    """Store a metrics or invoice file under its prefix; the S3 notification does the rest (the
    money λ, through its queue). Returns the key."""
    key = money_file_key(kind, contract_id, name)
    content_type = mimetypes.guess_type(key)[0] or "text/plain"
    s3.put_file(settings.bucket, key, body, metadata={"uploader": actor}, content_type=content_type)
    return key


def findings_of_key(contract_id: str, key: str) -> list:
    return [f for f in store.findings(contract_id) if f.source_key == key]


def _publish_findings(settings: Settings, contract: ContractItem, items: list) -> None:
    from ..webhooks import Event, event_id
    from .webhooks import publish_quietly

    link = f"{settings.api_base_url.rstrip('/')}/contracts/{contract.contract_id}/findings"
    for i in items:
        kind = "sla.breach" if i.kind == "sla_breach" else "invoice.finding"
        publish_quietly(settings, contract.team, Event(
            id=event_id(kind, contract.contract_id, i.finding_id), type=kind, created=clock.iso(),
            summary=f"{contract.title or contract.file_name}: {i.summary}",
            data={"contract_id": contract.contract_id, "finding_id": i.finding_id, "kind": i.kind,
                  "amount": i.amount, "currency": i.currency, "derivation": i.derivation,
                  "period": i.period, "invoice_number": i.invoice_number},
            link=link))
