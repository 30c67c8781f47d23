"""When a term's renewal decision starts (pure), and keeping the one EventBridge Scheduler schedule
per current term that starts it: the universal target ``aws-sdk:sfn:startExecution`` with the
StartExecution request as Input, so the execution is named for contract and term (a second start
of the same term is refused by Step Functions: a no-op)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import config, dates
from ..plan import IMMEDIATE_DELAY, REMINDER_HOUR, ContractInfo, _safe_contract_id

START_TARGET_ARN = "arn:aws:scheduler:::aws-sdk:sfn:startExecution"
_PREFIX = "cwr-"


@dataclass(frozen=True)
class RenewalStart:
    """The start of one term's decision workflow: one one-time schedule."""

    contract_id: str
    term_end: date
    reference: date  # the notice deadline, else the term end: what the lead time counts back from
    reference_kind: str  # "notice_deadline" | "expiration"
    lead_days: int
    fire_at: datetime  # aware, in time_zone
    time_zone: str
    immediate: bool
    derivation: str
    restart: int = 0  # the term's decision begins again (its end moved away and came back): a new execution

    @property
    def name(self) -> str:
        """``cwr-<contract>-<16 hex>`` of (term end, reference date, lead, restart): a moved date,
        or a decision begun again, is a new name."""
        key = "\x1f".join((self.contract_id, self.term_end.isoformat(), self.reference.isoformat(),
                           str(self.lead_days), *((str(self.restart),) if self.restart else ())))
        return f"{schedule_prefix(self.contract_id)}{hashlib.sha256(key.encode()).hexdigest()[:16]}"

    @property
    def execution_name(self) -> str:
        return execution_name(self.contract_id, self.term_end, self.restart)

    @property
    def schedule_expression(self) -> str:
        local = self.fire_at.astimezone(dates.zone(self.time_zone)).replace(tzinfo=None, microsecond=0)
        return f"at({local.isoformat(timespec='seconds')})"

    def start_request(self, state_machine_arn: str) -> dict:
        """StartExecution's parameters: the schedule's Input."""
        return {"StateMachineArn": state_machine_arn, "Name": self.execution_name,
                "Input": json.dumps({"contract_id": self.contract_id, "term_end": self.term_end.isoformat(), "resume": "no"},
                                    sort_keys=True)}


def schedule_prefix(contract_id: str) -> str:
    return f"{_PREFIX}{_safe_contract_id(contract_id)}-"


def execution_name(contract_id: str, term_end: date | str, restart: int = 0) -> str:
    """``renewal-<contract>-<term end>`` (``-r<N>`` for the Nth time it begins again: Step Functions
    refuses a name used before): 80 characters at most of [0-9A-Za-z_-], the suffix always kept."""
    day = term_end if isinstance(term_end, str) else term_end.isoformat()
    suffix = f"-r{restart}" if restart else ""
    return f"renewal-{_safe_contract_id(contract_id).replace('.', '_')}-{day}"[:80 - len(suffix)] + suffix


def plan_start(contract: ContractInfo, *, notice_deadline: date | None, term_end: date | None,
               now: datetime, lead_days: int | None = None, restart: int = 0) -> RenewalStart | None:
    """The start of the decision on the current term, ``lead_days`` (default per contract type,
    ``config.renewal_lead_days_for``) before its notice deadline (else its end), at 09:00 local.
    A start whose time passed while the deadline is still ahead starts now (+1 minute); a term
    whose deadline passed, or with no end, has none."""
    if term_end is None:
        return None
    reference, kind = (notice_deadline, "notice_deadline") if notice_deadline else (term_end, "expiration")
    lead = config.renewal_lead_days_for(contract.contract_type) if lead_days is None else lead_days
    tz = contract.time_zone
    if now > dates.end_of_day(reference, tz):
        return None
    fire_at = dates.start_of_day(reference - timedelta(days=lead), tz, REMINDER_HOUR)
    immediate = fire_at <= now
    derivation = f"{kind} {reference.isoformat()} - P{lead}D = {(reference - timedelta(days=lead)).isoformat()} " \
                 f"{REMINDER_HOUR:02d}:00 {tz}"
    if immediate:
        fire_at = (now + IMMEDIATE_DELAY).astimezone(dates.zone(tz)).replace(microsecond=0)
        derivation += f" (passed: starts at once, {fire_at.isoformat()})"
    return RenewalStart(contract_id=contract.contract_id, term_end=term_end, reference=reference,
                        reference_kind=kind, lead_days=lead, fire_at=fire_at, time_zone=tz,
                        immediate=immediate, derivation=derivation, restart=restart)


def diff_starts(wanted: RenewalStart | None, existing: set[str], contract_id: str
                ) -> tuple[RenewalStart | None, set[str]]:
    """(start to create, names to delete): at most one start schedule per contract."""
    prefix = schedule_prefix(contract_id)
    mine = {n for n in existing if n.startswith(prefix) and len(n) == len(prefix) + 16}
    keep = wanted.name if wanted else None
    return (wanted if wanted and wanted.name not in mine else None), mine - {keep}
