"""Reminder planning (pure): contract terms and obligations -> deadlines -> reminder schedules.

Two steps, both free of AWS calls:

1. ``deadlines_for_contract`` turns an extraction (issue #3 JSON) into the dates that demand action:
   the notice deadline, the end of the term, one-off deliverables and payments, and the next
   occurrence of each recurring duty. Every deadline keeps the clause it came from and the
   arithmetic behind it; a date the extraction does not support is never made up.
2. ``plan_reminders`` turns deadlines into reminders, each of which becomes one EventBridge
   Scheduler one-time schedule (``at(...)``, local time + ScheduleExpressionTimezone) whose target
   (the ``alert`` Lambda) receives ``Reminder.payload()``.

Reminder names are a hash of (contract, obligation, due date, lead time), so planning the same
contract twice yields the same names, and a moved date yields new ones: the planner lists the
contract's schedules by ``schedule_name_prefix`` and applies ``diff_schedules``.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from . import config, dates
from .addresses import clean_address
from .dates import DerivedDate, Duration
from .extract import notice_fit
from .extract.model import ContractExtraction, Obligation

REMINDER_HOUR = 9  # reminders go out at 09:00 in the contract's time zone
IMMEDIATE_DELAY = timedelta(minutes=1)  # a catch-up reminder fires this long after planning
# An overdue deadline still gets one catch-up reminder when it passed at most this long ago; older
# ones (e.g. a contract uploaded years after its dates) would only be noise.
OVERDUE_LOOKBACK_DAYS = 30

NOTICE_DEADLINE_ID = "notice_deadline"
EXPIRATION_ID = "expiration"
DEADLINE_KINDS = ("notice_deadline", "expiration", "deliverable", "payment", "recurring", "credit_claim")

_NAME_PREFIX = "cw-"
_NAME_HASH_CHARS = 16
_MAX_NAME = 64  # EventBridge Scheduler: 1-64 characters of [0-9a-zA-Z-_.]
_NAME_CHARS = re.compile(r"[^0-9A-Za-z_.-]")
_MAX_SAFE_ID = _MAX_NAME - len(_NAME_PREFIX) - 1 - _NAME_HASH_CHARS
_AT_EXPRESSION = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


@dataclass(frozen=True)
class ContractInfo:
    """What planning and alerting need to know about a contract (from its record/metadata)."""

    contract_id: str
    title: str
    counterparty: str | None
    owner: str | None
    team: str
    contract_type: str | None
    time_zone: str
    jurisdiction: str | None


@dataclass(frozen=True)
class Deadline:
    """A date that demands action, with the clause and the arithmetic it comes from.

    ``kind`` is one of "notice_deadline", "expiration", "deliverable", "payment", "recurring".
    ``obligation_id`` is "notice_deadline"/"expiration" for term deadlines, the extraction's id
    for an obligation, and ``f"{id}@{due}"`` for one occurrence of a recurring duty.
    """

    obligation_id: str
    kind: str
    summary: str
    due: date
    owner: str | None
    evidence: dict | None
    derivation: str
    action: str


@dataclass(frozen=True)
class Reminder:
    """One alert about one deadline: becomes one EventBridge Scheduler one-time schedule.

    ``fire_at`` is aware (in ``time_zone``); ``sequence`` is 0 for the longest lead time of the
    deadline and counts up to the due-day reminder; ``immediate`` marks the catch-up reminder that
    stands in for a lead time that passed before planning. ``earlier_names`` are the names of
    the same deadline's reminders with longer lead times (the alert side escalates when one of them
    was already sent).
    """

    name: str
    contract_id: str
    obligation_id: str
    kind: str
    due: date
    deadline_at: datetime
    lead_days: int
    fire_at: datetime
    time_zone: str
    immediate: bool
    sequence: int
    earlier_names: tuple[str, ...] = ()
    planned_at: datetime | None = field(default=None, compare=False)
    # a catch-up that stands for the catch-ups of the same duty's other overdue occurrences too
    # (``one_catch_up_per_duty``): each one's (reminder name, obligation id, due, lead days, sequence,
    # earlier names: what its own catch-up is, when handed on)
    together: tuple[tuple[str, str, date, int, int, tuple[str, ...]], ...] = ()

    @property
    def schedule_name(self) -> str:
        """The schedule's name: the reminder's own, or for a catch-up that carries others its own
        with a hash of what it carries, so a group that changed (an occurrence made later, moved,
        handed to another person) replaces the schedule made for it before (``diff_schedules``
        keeps a schedule whose name is wanted) and none of its new members is left unscheduled."""
        if not self.together:
            return self.name
        key = "\x1f".join([self.name, *(name for name, *_ in self.together)])
        return f"{schedule_name_prefix(self.contract_id)}{hashlib.sha256(key.encode()).hexdigest()[:_NAME_HASH_CHARS]}"

    @property
    def schedule_expression(self) -> str:
        """``at(yyyy-mm-ddThh:mm:ss)`` in local time; pair with ScheduleExpressionTimezone."""
        local = self.fire_at.astimezone(dates.zone(self.time_zone)).replace(tzinfo=None, microsecond=0)
        return f"at({local.isoformat(timespec='seconds')})"

    def payload(self) -> dict:
        """The JSON the schedule's target (the alert Lambda) receives."""
        return {
            "version": 1,
            "name": self.name,
            "contract_id": self.contract_id,
            "obligation_id": self.obligation_id,
            "kind": self.kind,
            "due": self.due.isoformat(),
            "deadline_at": self.deadline_at.isoformat(),
            "lead_days": self.lead_days,
            "sequence": self.sequence,
            "earlier_names": list(self.earlier_names),
            "immediate": self.immediate,
            "fire_at": self.fire_at.isoformat(),
            "time_zone": self.time_zone,
            "planned_at": self.planned_at.isoformat() if self.planned_at else None,
            **({"together": [{"name": name, "obligation_id": obligation_id, "due": due.isoformat(), "lead_days": lead,
                              "sequence": sequence, "earlier_names": list(earlier)}
                             for name, obligation_id, due, lead, sequence, earlier in self.together]}
               if self.together else {}),
        }


# --- deadlines -----------------------------------------------------------------------------------

def deadlines_for_contract(contract: ContractInfo,
                           extraction: ContractExtraction | Mapping[str, Any], today: date,
                           done: set[str] | frozenset[str] = frozenset()) -> list[Deadline]:
    """The contract's deadlines as of ``today``, sorted by due date.

    * the notice deadline and the end of the term, as extracted; for an auto-renewing contract
      whose date already passed, the date of the current renewal term instead (renewal term k ends
      ``term_end(expiration + 1 day, k x renewal_term)``, day before the anniversary; its notice
      deadline is that end minus the notice period), with the roll spelled out in the derivation;
    * one-off obligations with a ``due_date`` (kind "payment" or "deliverable"), even overdue;
    * for each recurring duty the next occurrence due on or after ``today`` (kind "recurring"),
      anchored on the effective date; a rule whose dates depend on its start is skipped when there
      is no effective date, and no occurrence after the end of the (current) term is produced.

    A deadline whose ``obligation_id`` is in ``done`` is omitted; ``done`` may also name a single
    date as ``f"{obligation_id}@{due}"`` (the id of a recurring occurrence, or e.g.
    "notice_deadline@2026-12-29"). For a recurring duty whose next occurrence is done, the one
    after it is returned. Missing or unreadable terms produce no deadline. ``extraction`` may be
    the stored form (``ContractExtraction.to_dict()``).
    """
    extraction = ContractExtraction.of(extraction)
    jurisdiction = dates.contract_calendar(contract.jurisdiction, extraction.value("governing_law"))
    renewal = _renewal_term(extraction)
    deadlines: list[Deadline] = []

    expiration = _term_deadline_end(extraction, renewal, today)
    notice = _notice_deadline(extraction, renewal, today, jurisdiction)
    if notice:
        value, derivation, evidence, term_end_day = notice
        deadlines.append(Deadline(
            obligation_id=NOTICE_DEADLINE_ID, kind="notice_deadline",
            summary=_notice_summary(extraction, renewal, term_end_day), due=value, owner=contract.owner,
            evidence=evidence, derivation=derivation,
            action=_notice_action(contract, _next_renewal(extraction, renewal, term_end_day), value,
                                  term_end_day)))
    if expiration:
        value, derivation, evidence = expiration
        following = _next_renewal(extraction, renewal, value)
        deadlines.append(Deadline(
            obligation_id=EXPIRATION_ID, kind="expiration",
            summary=_expiration_summary(following, value), due=value, owner=contract.owner,
            evidence=evidence, derivation=derivation,
            action=_expiration_action(contract, following, value)))

    term_last_day = expiration[0] if expiration else None
    effective = _date_value(extraction, "effective_date")
    for obligation in extraction.obligations:
        deadline = _obligation_deadline(contract, extraction, obligation, today, done, effective,
                                        term_last_day, renewal is not None, jurisdiction)
        if deadline:
            deadlines.append(deadline)

    kept = [d for d in deadlines if not _is_done(d, done)]
    return sorted(kept, key=lambda d: (d.due, d.obligation_id))


def passed_notice_deadline(contract: ContractInfo, extraction: ContractExtraction | Mapping[str, Any],
                           today: date) -> tuple[date, str, date] | None:
    """(notice deadline, derivation, term end) of the term running on ``today`` of an auto-renewing
    contract when that deadline passed already (the planner's deadline is then the next term's);
    counted as ``deadlines_for_contract`` counts each term's (a stated deadline, the jurisdiction's
    business days, its roll), else None."""
    extraction = ContractExtraction.of(extraction)
    jurisdiction = dates.contract_calendar(contract.jurisdiction, extraction.value("governing_law"))
    renewal = _renewal_term(extraction)
    running = _term_deadline_end(extraction, renewal, today)
    if renewal is None or running is None:
        return None
    day = date.min
    while (found := _notice_deadline(extraction, renewal, day, jurisdiction)) is not None:
        value, derivation, _, term_end = found
        if value < day or term_end is None or term_end > running[0]:
            return None  # no later term's deadline to count, or none of the running term's
        if term_end == running[0]:
            return (value, derivation, term_end) if value < today else None
        day = value + timedelta(days=1)
    return None


def _is_done(deadline: Deadline, done: set[str] | frozenset[str]) -> bool:
    base = deadline.obligation_id.split("@", 1)[0]
    return bool({deadline.obligation_id, base, f"{base}@{deadline.due.isoformat()}"} & set(done))


def _evidence(extraction: ContractExtraction, *names: str) -> dict | None:
    """The evidence of the first of ``names`` that has some (stored with the deadline)."""
    for name in names:
        term = extraction.term(name)
        if term is not None and term.evidence is not None:
            evidence = term.evidence.to_dict()
            if term.amended_by:  # quoted from the amendment: its pages, not the contract's
                evidence["amended_by"] = term.amended_by
            return evidence
    return None


def _date_value(extraction: ContractExtraction, name: str) -> date | None:
    return dates.parse_day(extraction.value(name))


def _duration_value(extraction: ContractExtraction, name: str, *, zero: bool = False) -> Duration | None:
    """The term's duration; None for none, or for a zero one unless ``zero`` (a notice period of no
    days is notice up to the term's last day; a renewal term of none is no renewal)."""
    value = extraction.value(name)
    try:
        duration = dates.as_duration(value) if value else None
    except (ValueError, TypeError, AttributeError):
        return None
    return duration if duration is not None and (zero or duration != Duration()) else None


def _renewal_term(extraction: ContractExtraction) -> Duration | None:
    """The renewal term of an automatically renewing contract, or None (no roll-forward)."""
    if extraction.value("auto_renewal") is not True:
        return None
    renewal = _duration_value(extraction, "renewal_term")
    if renewal is None or renewal.business_days:  # a term counted in business days is not a term
        return None
    return renewal


def renewal_term_counts(value: Any) -> bool:
    """Whether a renewal term's stored value (``"P1Y"``) counts the next term, as ``_renewal_term``
    takes it: a renewing contract's passed end rolls over only with one."""
    try:
        renewal = dates.as_duration(value) if value else None
    except (ValueError, TypeError, AttributeError):
        return False
    return renewal is not None and renewal != Duration() and not renewal.business_days


def _times(duration: Duration, k: int) -> Duration:
    return Duration(years=duration.years * k, months=duration.months * k, weeks=duration.weeks * k,
                    days=duration.days * k)


def renewed_term_end(expiration: date, renewal: Duration, k: int) -> DerivedDate:
    """The last day of the k-th renewal term after a term that ends on ``expiration``.

    Renewal terms run back to back from the day after ``expiration``; counting k terms at once
    from there (not one after another) keeps month ends from drifting.
    """
    if k == 0:
        return DerivedDate(expiration, f"expiration_date {expiration.isoformat()}")
    end = dates.term_end(expiration + timedelta(days=1), _times(renewal, k)).value
    return DerivedDate(end, f"expiration_date {expiration.isoformat()} renewed {k} x {renewal.iso()} "
                            f"-> {end.isoformat()}")


_MAX_RENEWALS = 1000  # a bound on the roll-forward loop (P1D renewals for ~3 years)


@dataclass(frozen=True)
class EarlierValue:
    """A value an amendment replaced (``Term.extra["earlier"]``, ``pipeline/record.apply_amendment``):
    in force for the terms that begin before ``until``; ``changed_by`` names the amendment (its file)
    whose value applies from ``until``. ``set_by``: the document whose value ``value`` is (the
    agreement's file, or an amendment's), with its contract id (None: the agreement) and the clause
    (``evidence``); recorded since 2026-12-07 (before: not known, the earlier item's ``changed_by``)."""

    value: Duration
    until: date
    changed_by: str
    set_by: str | None = None
    set_by_id: str | None = None
    evidence: dict | None = field(default=None, compare=False)


def earlier_values(extraction: ContractExtraction, name: str) -> tuple[EarlierValue, ...] | None:
    """The earlier values of a duration term an amendment changed, oldest first; () for none, None
    when one cannot be read (then no date is counted from the term rather than a wrong one)."""
    term = extraction.term(name)
    items = term.extra.get("earlier") if term is not None else None
    if not items:
        return ()
    try:
        found = tuple(EarlierValue(dates.as_duration(str(item["value"])), date.fromisoformat(str(item["until"])),
                                   str(item.get("changed_by") or "an amendment"), item.get("set_by") or None,
                                   item.get("set_by_id") or None,
                                   item["evidence"] if isinstance(item.get("evidence"), dict) else None)
                      for item in items)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return tuple(sorted(found, key=lambda e: e.until))


def value_for_term(current: Duration, earlier: tuple[EarlierValue, ...], start: date | None
                   ) -> tuple[Duration, str]:
    """(the value in force for a term that begins on ``start``, where it comes from in words: "" for
    the only value there is). A term whose start is not known (None) began before every change."""
    for index, item in enumerate(earlier):
        if start is None or start < item.until:
            # the document whose value it is: recorded on the item, else (recorded before) the one
            # that changed the value before it; the first one's not known then
            named = item.set_by or (earlier[index - 1].changed_by if index else None)
            if index == 0:
                return item.value, f" ({f'{named}, ' if named else ''}for terms beginning before {item.until.isoformat()})"
            before = earlier[index - 1]
            return item.value, (f" ({named}, for terms beginning from {before.until.isoformat()} "
                                f"to before {item.until.isoformat()})")
    if not earlier:
        return current, ""
    last = earlier[-1]
    return current, f" ({last.changed_by}, for terms beginning on or after {last.until.isoformat()})"


def in_force_for_term(earlier: tuple[EarlierValue, ...], start: date | None) -> EarlierValue | None:
    """The earlier value in force for a term that begins on ``start`` (None: the current value)."""
    return next((item for item in earlier if start is None or start < item.until), None)


def rolled_terms(expiration: date, renewal: Duration, earlier: tuple[EarlierValue, ...] = ()
                 ) -> Iterator[tuple[date, DerivedDate]]:
    """Each renewal term after the term that ends on ``expiration``, in order: (its first day, its
    last day with the roll in words). Each term runs the renewal length in force on the day it
    begins (``earlier``: the lengths an amendment replaced, for terms beginning before it took
    effect); the terms of one length are counted at once from the last end of the length before
    (``renewed_term_end``), so month ends do not drift: "expiration_date 2023-02-28 renewed 5 x
    P1Y -> 2028-02-29; then 1 x P2Y (amend.pdf, for terms beginning on or after 2027-10-01) ->
    2030-02-28"."""
    said = f"expiration_date {expiration.isoformat()}"
    anchor = end = expiration
    count, length, label, first = 0, renewal, "", True
    for _ in range(_MAX_RENEWALS):
        start = end + timedelta(days=1)
        now_length, now_label = value_for_term(renewal, earlier, start)
        if count and (now_length, now_label) != (length, label):  # a length of its own from here
            said = _roll_words(said, first, count, length, label, end)
            anchor, count, first = end, 0, False
        length, label = now_length, now_label
        count += 1
        end = renewed_term_end(anchor, length, count).value
        words = _roll_words(said, first, count, length, label, end)
        later = [index for index, item in enumerate(earlier) if item.until > start]
        if later:  # the terms beginning from a later day run another length: say so
            nxt = earlier[later[0] + 1].value if later[0] + 1 < len(earlier) else renewal
            words += (f"; renewal terms beginning on or after {earlier[later[0]].until.isoformat()} run "
                      f"{nxt.iso()} ({earlier[later[0]].changed_by})")
        yield start, DerivedDate(end, words)


def _roll_words(said: str, first: bool, count: int, length: Duration, label: str, end: date) -> str:
    if first:
        return f"{said} renewed {count} x {length.iso()}{label} -> {end.isoformat()}"
    return f"{said}; then {count} x {length.iso()}{label} -> {end.isoformat()}"


def _term_deadline_end(extraction: ContractExtraction, renewal: Duration | None,
                       today: date) -> tuple[date, str, dict | None] | None:
    """(last day of the current term, derivation, evidence) or None without an expiration date."""
    expiration = _date_value(extraction, "expiration_date")
    original = extraction.term("expiration_date")
    if expiration is None or original is None:
        return None
    derivation = original.derivation or f"expiration_date {expiration.isoformat()} (stated)"
    if expiration >= today or renewal is None:
        return expiration, derivation, _evidence(extraction, "expiration_date")
    earlier = earlier_values(extraction, "renewal_term")
    if earlier is None:
        return None  # the renewal lengths before an amendment cannot be read: no date rather than a wrong one
    for _, end in rolled_terms(expiration, renewal, earlier):
        if end.value >= today:
            return end.value, end.derivation, _evidence(extraction, "renewal_term", "auto_renewal",
                                                         "expiration_date")
    return None


def renewed_from(extraction: ContractExtraction | Mapping[str, Any], was: str | None, now: date) -> bool:
    """Whether a term end on ``now`` is a later term's end of one on ``was``: the contract renews by
    itself and both are last days of its terms as its terms count them (its initial term's or a
    renewal term's): the term ended on ``was`` and renewed (a planner's roll, not a changed end)."""
    extraction = ContractExtraction.of(extraction)
    renewal, day = _renewal_term(extraction), dates.parse_day(was)
    if renewal is None or day is None or day >= now:
        return False  # a contract that does not renew by itself: a later end is a changed one

    def is_term_end(end: date) -> bool:
        counted = _term_deadline_end(extraction, renewal, end)
        return counted is not None and counted[0] == end

    return is_term_end(day) and is_term_end(now)


def _notice_deadline(extraction: ContractExtraction, renewal: Duration | None, today: date,
                     jurisdiction: str | None) -> tuple[date, str, dict | None, date | None] | None:
    """(notice deadline, derivation, evidence, the term end it belongs to) or None. Each term's
    notice period is the one in force for a term beginning when it begins (an amendment's period
    "for each Renewal Term beginning on or after March 1, 2028": ``earlier``)."""
    expiration = _date_value(extraction, "expiration_date")
    period = _duration_value(extraction, "notice_period", zero=True)
    periods = earlier_values(extraction, "notice_period")
    stated_term = extraction.term("notice_deadline")
    stated = _date_value(extraction, "notice_deadline")
    evidence = _evidence(extraction, "notice_deadline", "notice_period")
    if periods is None:
        return None  # the notice periods before an amendment cannot be read
    if stated is not None and stated_term is not None:
        derivation = stated_term.derivation or f"notice_deadline {stated.isoformat()} (stated)"
        first = (stated, derivation)
        # the renewed terms' deadlines follow the same rule as the stated one: moved back to a
        # business day only if it was
        roll = stated_term.moved_to_business_day
    elif expiration is not None and period is not None:
        # the first term began on the effective date (not known: before every change)
        first_period, where = value_for_term(period, periods, _date_value(extraction, "effective_date"))
        computed = dates.notice_deadline(expiration, first_period, jurisdiction)
        first = (computed.value, _period_words(computed.derivation, first_period, where))
        roll = computed.moved_to_business_day
        if notice_fit.misfits({"initial_term": extraction.value("initial_term"), "notice_period": first_period.iso()}):
            # counted back from the end of an initial term it is longer than, the initial term's notice
            # would fall due before the term began: one of the two is misread, and a person is asked which
            # (extract/notice_fit.py); no deadline for it rather than a wrong one. The renewal terms the
            # period fits have theirs, counted below.
            first = None
    else:
        return None
    if first is not None and (first[0] >= today or renewal is None or expiration is None or period is None):
        return first[0], first[1], evidence, expiration
    if renewal is None or expiration is None or period is None:
        return None
    lengths = earlier_values(extraction, "renewal_term")
    if lengths is None:
        return None
    for start, end in rolled_terms(expiration, renewal, lengths):
        term_period, where = value_for_term(period, periods, start)
        if notice_fit.misfits({"renewal_term": renewal.iso(), "notice_period": term_period.iso()}) \
                and first is None:
            return None  # it fits no term: flagged, none counted
        deadline = dates.notice_deadline(end.value, term_period, jurisdiction, roll_to_business_day=roll,
                                         end_label="term end")
        if deadline.value >= today:
            arithmetic = _period_words(deadline.derivation, term_period, where)
            if deadline.value.isoformat() not in arithmetic:
                arithmetic += f" = {deadline.value.isoformat()}"
            return (deadline.value, f"{end.derivation}; {arithmetic}",
                    _term_period_evidence(extraction, in_force_for_term(periods, start)), end.value)
    return None


def _term_period_evidence(extraction: ContractExtraction, earlier: EarlierValue | None) -> dict | None:
    """The clause of the notice period a term counts: an earlier value's own (the agreement's, or the
    amendment's that set it), not the clause of the value in force for later terms."""
    if earlier is None or earlier.evidence is None:
        return _evidence(extraction, "notice_period", "notice_deadline")
    return {**earlier.evidence, **({"amended_by": earlier.set_by_id} if earlier.set_by_id else {})}


def _period_words(derivation: str, period: Duration, where: str) -> str:
    """The arithmetic with where its notice period comes from, when an amendment changed it."""
    return derivation.replace(f" - {period.iso()}", f" - {period.iso()}{where}", 1) if where else derivation


def human_duration(duration: Duration) -> str:
    """``P1Y`` -> "1 year", ``P10BD`` -> "10 business days" (for people, not for parsing)."""
    parts = [(duration.years, "year"), (duration.months, "month"), (duration.weeks, "week"),
             (duration.days, "day"), (duration.business_days, "business day")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return ", ".join(words) or "0 days"


def format_day(day: date) -> str:
    """``date(2026, 12, 29)`` -> "29 Dec 2026" (unambiguous in every locale)."""
    return f"{day.day} {day:%b %Y}"


def _next_renewal(extraction: ContractExtraction, renewal: Duration | None, term_end: date | None
                  ) -> Duration | None:
    """The length of the renewal term that begins after ``term_end`` (the one in force on the day it
    begins, when an amendment changed the length: ``earlier_values``)."""
    earlier = earlier_values(extraction, "renewal_term")
    if renewal is None or term_end is None or not earlier:
        return renewal
    return value_for_term(renewal, earlier, term_end + timedelta(days=1))[0]


def _term_start(extraction: ContractExtraction, term_end: date | None) -> date | None:
    """The first day of the term that ends on ``term_end``: the effective date for the term that
    ends on the expiration date, the day after the term before for a renewal term; None unknown."""
    expiration = _date_value(extraction, "expiration_date")
    renewal = _renewal_term(extraction)
    earlier = earlier_values(extraction, "renewal_term")
    if term_end is None or expiration is None or term_end <= expiration or renewal is None or earlier is None:
        return _date_value(extraction, "effective_date")
    for start, end in rolled_terms(expiration, renewal, earlier):
        if end.value >= term_end:
            return start if end.value == term_end else None
    return None


def _notice_summary(extraction: ContractExtraction, renewal: Duration | None, term_end: date | None = None) -> str:
    period = _duration_value(extraction, "notice_period")
    periods = earlier_values(extraction, "notice_period")
    if period is not None and periods:  # the period of the term the deadline belongs to
        period = value_for_term(period, periods, _term_start(extraction, term_end))[0]
    renewal = _next_renewal(extraction, renewal, term_end)
    before = f" ({human_duration(period)} before the term ends)" if period else ""
    if renewal:
        return (f"Last day to give notice of non-renewal{before}; otherwise the contract renews "
                f"for {human_duration(renewal)}")
    return f"Last day to give notice{before}"


def _notice_action(contract: ContractInfo, renewal: Duration | None, deadline: date,
                   term_end_day: date | None) -> str:
    other = contract.counterparty or "the other party"
    if renewal:
        text = (f"Decide whether to renew; to stop the automatic renewal for another "
                f"{human_duration(renewal)}, send written notice of non-renewal to {other} by "
                f"{format_day(deadline)} (end of day, {contract.time_zone})")
        if term_end_day:
            text += f"; otherwise the contract renews on {format_day(term_end_day + timedelta(days=1))}"
        return text + "."
    text = (f"Decide whether to renew, renegotiate or let the contract end; any notice the clause "
            f"requires must reach {other} by {format_day(deadline)} (end of day, {contract.time_zone})")
    if term_end_day:
        text += f"; the term ends on {format_day(term_end_day)}"
    return text + "."


def _expiration_summary(renewal: Duration | None, end: date) -> str:
    if renewal:
        return f"Current term ends {format_day(end)}; renews automatically for {human_duration(renewal)}"
    return f"Contract term ends {format_day(end)}"


def _expiration_action(contract: ContractInfo, renewal: Duration | None, end: date) -> str:
    other = contract.counterparty or "the other party"
    if renewal:
        return (f"Unless notice of non-renewal was given, the contract with {other} renews "
                f"automatically on {format_day(end + timedelta(days=1))} for "
                f"{human_duration(renewal)}: check the renewal price and budget, or confirm the "
                f"hand-over if notice was given.")
    return (f"The contract with {other} ends on {format_day(end)}: renew, replace or plan the "
            f"wind-down (data return, access removal, final invoices) before then.")


_DUTY_VERB = {"report": "deliver the report", "forecast": "deliver the forecast",
              "deliverable": "deliver", "payment": "pay", "notice": "give the notice",
              "other": "perform"}


def _party_name(extraction: ContractExtraction, role: str | None) -> str | None:
    for party in extraction.parties:
        if role and (party.role or "").lower() == role.lower():
            return party.name
    return None


def _obligation_action(contract: ContractInfo, extraction: ContractExtraction,
                       obligation: Obligation, due: date) -> str:
    role = obligation.party
    verb = _DUTY_VERB.get(obligation.kind or "other", "perform")
    summary = (obligation.summary or "the obligation").strip()
    if summary.endswith(".") and not summary.endswith(".."):  # "..." marks a cut: keep it
        summary = summary[:-1]
    name = _party_name(extraction, role)
    counterparty = (contract.counterparty or "").strip().lower()
    by = f"by {format_day(due)} (end of day, {contract.time_zone})"
    if name and counterparty and (counterparty in name.lower() or name.lower() in counterparty):
        # the other side owes it: our job is to check that it arrives
        return f"Check that {role} ({name}) does this {by}: {_sentence(summary)} Chase them if it has not arrived."
    who = f"{role} ({name})" if role and name else (role or "The responsible party")
    return f"{who} must {verb} {by}: {_sentence(summary)}"


def _sentence(summary: str) -> str:
    """A summary closed with a full stop, unless it ends with the mark of a cut ("…", "...")."""
    return summary if summary.endswith(("…", "...")) else f"{summary}."


def _obligation_deadline(contract: ContractInfo, extraction: ContractExtraction,
                         obligation: Obligation, today: date,
                         done: set[str] | frozenset[str], effective: date | None,
                         term_last_day: date | None, renews: bool,
                         jurisdiction: str | None) -> Deadline | None:
    ob_id = obligation.id
    duty_kind = obligation.kind or "other"
    summary = (obligation.summary or duty_kind).strip()
    owner = contract.owner
    evidence = None if obligation.evidence is None else obligation.evidence.to_dict()
    if obligation.recurrence:
        occurrence = _next_occurrence(obligation, today, done, effective, term_last_day, renews,
                                      jurisdiction)
        if occurrence is None:
            return None
        return _occurrence_deadline(contract, extraction, obligation, occurrence)
    due = dates.parse_day(obligation.due_date)
    if due is None:
        return None
    derivation = obligation.derivation or f"due date stated in the clause: {due.isoformat()}"
    return Deadline(
        obligation_id=ob_id, kind="payment" if duty_kind == "payment" else "deliverable",
        summary=summary, due=due, owner=owner, evidence=evidence, derivation=derivation,
        action=_obligation_action(contract, extraction, obligation, due))


def _occurrence_deadline(contract: ContractInfo, extraction: ContractExtraction, obligation: Obligation,
                         occurrence: DerivedDate) -> Deadline:
    duty_kind = obligation.kind or "other"
    summary = (obligation.summary or duty_kind).strip()
    return Deadline(
        obligation_id=f"{obligation.id}@{occurrence.value.isoformat()}", kind="recurring",
        summary=f"{duty_kind.capitalize()} (recurring): {summary}", due=occurrence.value,
        owner=contract.owner, evidence=None if obligation.evidence is None else obligation.evidence.to_dict(),
        derivation=occurrence.derivation,
        action=_obligation_action(contract, extraction, obligation, occurrence.value))


def occurrence_for_period(contract: ContractInfo, extraction: ContractExtraction | Mapping[str, Any],
                          duty_id: str, boundary: str, today: date) -> Deadline | None:
    """The occurrence of the recurring duty ``duty_id`` for the period ending at ``boundary`` (an
    earlier period's, still open: overdue, or made overdue by the calendar), counted as the next
    occurrence is (``deadlines_for_contract``) with the contract's calendar now: its due day and
    arithmetic. None when the duty, its rule or that period is not the contract's any more (an
    amendment changed the rule, the term ends before it), or the dates would depend on a start the
    contract does not state: the occurrence is then left as it was counted, no day guessed."""
    extraction = ContractExtraction.of(extraction)
    jurisdiction = dates.contract_calendar(contract.jurisdiction, extraction.value("governing_law"))
    day = dates.parse_day(boundary)
    obligation = next((o for o in extraction.obligations if o.id == duty_id and o.recurrence), None)
    if obligation is None or day is None:
        return None
    rule = str(obligation.recurrence)
    effective = _date_value(extraction, "effective_date")
    renewal = _renewal_term(extraction)
    expiration = _term_deadline_end(extraction, renewal, today)
    try:
        if effective is None and dates.rrule_needs_anchor(rule):
            return None
        if renewal is None and expiration is not None and day > expiration[0] + timedelta(days=1):
            return None  # after the boundary that closes the term's last period
        # an anchor-free rule gives the same boundaries from any start (as the next occurrence's)
        anchor = effective or min(day, today - timedelta(days=400))
        occurrence = dates.recurring_due_for(rule, obligation.offset, day, anchor, jurisdiction)
    except (ValueError, TypeError):
        return None  # a malformed rule or offset: no date rather than a wrong one
    if occurrence is None:
        return None
    if effective is not None and dates.rrule_needs_anchor(rule):
        occurrence = DerivedDate(occurrence.value, occurrence.derivation
                                 + f" (periods counted from effective_date {effective})")
    if renewal is None and expiration is not None:
        occurrence = owed_after_the_term(occurrence, expiration[0])
    return _occurrence_deadline(contract, extraction, obligation, occurrence)


def overdue_occurrences(contract: ContractInfo, extraction: ContractExtraction | Mapping[str, Any], duty_id: str,
                        after: date, today: date) -> list[Deadline]:
    """The occurrences of the recurring duty ``duty_id`` due after ``after`` and before ``today``
    (overdue), oldest first, each counted as the planner counts its period (``occurrence_for_period``:
    the due day and arithmetic the planner would have made, none after the term's last period). None
    when the duty or its rule is not the contract's, or the dates would depend on a start the
    contract does not state."""
    extraction = ContractExtraction.of(extraction)
    obligation = next((o for o in extraction.obligations if o.id == duty_id and o.recurrence), None)
    if obligation is None:
        return []
    rule = str(obligation.recurrence)
    effective = _date_value(extraction, "effective_date")
    jurisdiction = dates.contract_calendar(contract.jurisdiction, extraction.value("governing_law"))
    first = after + timedelta(days=1)
    try:
        if effective is None and dates.rrule_needs_anchor(rule):
            return []
        # an anchor-free rule gives the same boundaries from any start (as the next occurrence's)
        anchor = effective or (first - timedelta(days=400))
        boundaries = [dates.period_boundary(due.derivation) for due in itertools.takewhile(
            lambda due: due.value < today, dates.recurring_dues(rule, obligation.offset, first, anchor, jurisdiction))]
    except (ValueError, TypeError):
        return []  # a malformed rule or offset: no date rather than a wrong one
    owed = (occurrence_for_period(contract, extraction, duty_id, boundary, today) for boundary in boundaries if boundary)
    return [deadline for deadline in owed if deadline is not None and after < deadline.due < today]


def owed_after_the_term(occurrence: DerivedDate, term_last_day: date) -> DerivedDate:
    """An occurrence of a recurring duty in a term that ends on ``term_last_day`` (it does not renew,
    or a renewal decision ended it): one due after that day, for a period within the term (the one
    the day after the end closes, the term's last, included), is owed on its day, and its derivation
    says so (``after_the_term``); any other is as it is."""
    if occurrence.value <= term_last_day:
        return occurrence
    return DerivedDate(occurrence.value, occurrence.derivation + f"; due after the term's last day "
                       f"{term_last_day.isoformat()}: its period is within the term, so it is owed")


def after_the_term(kind: str, due: str, derivation: str | None, last_day: str) -> bool:
    """Whether a deadline of a contract that ends on ``last_day`` (ISO) comes after its end, so is
    not planned: one due after the end, but for an occurrence of a recurring duty whose period is
    within the term (owed, even due after the end, as ``deadlines_for_contract`` plans a term that
    does not renew: a calendar changed that moves its day past the end moves it there). The period
    only extends what is owed: one due within the term is owed whatever its period (a negative
    offset: due before the end for a period after it)."""
    if due <= last_day:
        return False
    boundary = dates.period_boundary(derivation) if kind == "recurring" else None
    return boundary is None or boundary > (date.fromisoformat(last_day) + timedelta(days=1)).isoformat()


_MAX_DONE_SKIPS = 24  # occurrences marked done ahead of time that we step over


def done_period(duty_id: str, boundary: str) -> str:
    """How a resolved occurrence's period is named among the ``done`` ids (``deadlines_for_contract``):
    the period stays done when its due day moves (a calendar changed: "+ P10BD" counted with other
    holidays), though the occurrence's id, which holds the day, is another."""
    return f"{duty_id}#period:{boundary}"


def _next_occurrence(obligation: Obligation, today: date, done: set[str] | frozenset[str],
                     effective: date | None, term_last_day: date | None, renews: bool,
                     jurisdiction: str | None) -> DerivedDate | None:
    rule = str(obligation.recurrence)
    offset = obligation.offset
    try:
        if effective is None and dates.rrule_needs_anchor(rule):
            return None  # the dates would depend on an arbitrary start: abstain
        # an anchor-free rule gives the same dates from any start; begin well before today
        anchor = effective or (today - timedelta(days=400))
        # the boundary the day after the term ends closes the last period; a term that renews
        # automatically has no last period we know of
        until = None if renews or term_last_day is None else term_last_day + timedelta(days=1)
        dues = dates.recurring_dues(rule, offset, today, anchor, jurisdiction, until)
        base = obligation.id
        for _, occurrence in zip(range(_MAX_DONE_SKIPS + 1), dues):
            if f"{base}@{occurrence.value.isoformat()}" not in done and \
                    done_period(base, dates.period_boundary(occurrence.derivation) or "") not in done:
                anchored = effective is not None and dates.rrule_needs_anchor(rule)
                note = f" (periods counted from effective_date {effective})" if anchored else ""
                occurrence = DerivedDate(occurrence.value, occurrence.derivation + note)
                return occurrence if until is None or term_last_day is None \
                    else owed_after_the_term(occurrence, term_last_day)
    except (ValueError, TypeError):
        return None  # a malformed rule or offset: no date rather than a wrong one
    return None


# --- reminders -----------------------------------------------------------------------------------

def _safe_contract_id(contract_id: str) -> str:
    """The contract id as it appears in schedule names: itself when short and made of allowed
    characters, else a cleaned prefix plus a hash of the whole id (so two ids never share one)."""
    if contract_id and len(contract_id) <= _MAX_SAFE_ID and not _NAME_CHARS.search(contract_id):
        return contract_id
    digest = hashlib.sha256(contract_id.encode()).hexdigest()[:8]
    cleaned = _NAME_CHARS.sub("-", contract_id)[:_MAX_SAFE_ID - 9]
    return f"{cleaned}.{digest}"


def schedule_name_prefix(contract_id: str) -> str:
    """The prefix of every schedule name of this contract (for ListSchedules NamePrefix)."""
    return f"{_NAME_PREFIX}{_safe_contract_id(contract_id)}-"


def reminder_name(contract_id: str, obligation_id: str, due: date, lead_days: int,
                  moved_to: date | None = None) -> str:
    """Deterministic schedule name: ``cw-<contract>-<16 hex>``, <= 64 chars of [0-9a-zA-Z-_.].
    ``moved_to``: the business day a reminder whose day is not one fires on instead (a name of its
    own, so a schedule created before for the day itself is replaced, not left to fire then)."""
    parts = (contract_id, obligation_id, due.isoformat(), str(lead_days))
    key = "\x1f".join(parts + ((f"moved to {moved_to.isoformat()}",) if moved_to else ()))
    digest = hashlib.sha256(key.encode()).hexdigest()[:_NAME_HASH_CHARS]
    return f"{schedule_name_prefix(contract_id)}{digest}"


def is_schedule_of(name: str, contract_id: str) -> bool:
    """True when ``name`` is one of this contract's reminder names.

    A prefix listing can also return another contract's names ("cw-abc-" is a prefix of
    "cw-abc-def-..."); the exact shape (prefix + 16 hex digits) tells them apart.
    """
    prefix = schedule_name_prefix(contract_id)
    rest = name[len(prefix):] if name.startswith(prefix) else ""
    return len(rest) == _NAME_HASH_CHARS and all(c in "0123456789abcdef" for c in rest)


# a reminder whose time passed is caught up at once only when the next one is at least this far off
CATCH_UP_GAP = timedelta(days=1)


def plan_reminders(contract: ContractInfo, deadlines: list[Deadline], now: datetime,
                   lead_times: tuple[int, ...] | None = None, *,
                   sent: set[str] | frozenset[str] = frozenset(),
                   overdue_lookback_days: int = OVERDUE_LOOKBACK_DAYS,
                   earlier_days: Mapping[str, Sequence[tuple[str, date]]] | None = None) -> list[Reminder]:
    """The reminders to have scheduled for ``deadlines`` as of ``now`` (aware), by fire time.

    For each deadline: one reminder per lead time (default ``config.lead_times_for(contract
    type)``, ``config.RECURRING_LEAD_TIMES_DAYS`` for a recurring duty) plus one on the due day (lead 0), at 09:00 local time ``lead`` days before the due
    date, or on the business day before that day when it is not one of the contract's jurisdiction
    (``reminder_day``); ``deadline_at`` is the end of the due day. Reminders whose time has passed are never
    scheduled in the past: when the deadline is still ahead, or overdue by at most
    ``overdue_lookback_days``, the latest lead time that has passed gets ONE immediate reminder
    (``now`` + 1 minute) under that lead time's name, unless that name is in ``sent`` or the next
    reminder fires within ``CATCH_UP_GAP`` of it (then that one is the first: no two emails, the
    second an escalation, hours apart); the alert side drops a name it has already sent, so planning
    again is harmless.

    ``earlier_days``: for an occurrence of a recurring duty counted again on another day (a calendar
    changed), the (obligation id, due) of its period's occurrences on the days it was due before.
    When a reminder of one of those was sent, the period was told of: the reminders whose time
    passed are not caught up (the new day may be overdue already: shown so, not reminded again of
    days gone by), and those sent count as earlier reminders (the escalation). The reminders still
    ahead of the new day are planned (a day sent before comes back under its own name, so it is
    not sent again).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")
    chosen = config.lead_times_for(contract.contract_type) if lead_times is None else lead_times
    recurring_chosen = config.RECURRING_LEAD_TIMES_DAYS if lead_times is None else lead_times
    if any(int(lead) < 0 for lead in (*chosen, *recurring_chosen)):
        raise ValueError(f"lead times must not be negative: {chosen!r}")
    tz = contract.time_zone
    immediate_at = (now + IMMEDIATE_DELAY).astimezone(dates.zone(tz)).replace(microsecond=0)
    reminders: list[Reminder] = []
    for deadline in deadlines:
        leads = sorted({int(lead) for lead in (recurring_chosen if deadline.kind == "recurring"
                                               else chosen) if int(lead) > 0}, reverse=True) + [0]
        deadline_at = dates.end_of_day(deadline.due, tz)
        if now > deadline_at + timedelta(days=overdue_lookback_days):
            continue
        days = [reminder_day(deadline.due, lead, contract.jurisdiction) for lead in leads]
        # the names of the day itself too: a reminder sent under it before it was moved was sent
        plain = [reminder_name(contract.contract_id, deadline.obligation_id, deadline.due, lead)
                 for lead in leads]
        names = [reminder_name(contract.contract_id, deadline.obligation_id, deadline.due, lead,
                               day if day != deadline.due - timedelta(days=lead) else None)
                 for lead, day in zip(leads, days, strict=True)]
        # every name a lead's reminder may have been sent under: moved off a day that was not a
        # business day of the calendar counted then (a jurisdiction set since moves it elsewhere)
        sent_as = [{names[i], plain[i], *(reminder_name(contract.contract_id, deadline.obligation_id, deadline.due,
                                                        lead, deadline.due - timedelta(days=lead + back))
                                          for back in range(1, MAX_REMINDER_MOVE_DAYS + 1))}
                   for i, lead in enumerate(leads)]
        earlier_of_period = (earlier_days or {}).get(deadline.obligation_id, ())
        told = told_of_period(contract.contract_id, earlier_of_period, leads, sent)
        # the leads the owner was told of on the period's earlier day (a lead's reminder told then
        # stands for a catch-up of that lead or a longer one, never of a nearer one: a day moved
        # earlier than the one they were told is said)
        told_leads = [lead for lead in leads if told and told_of_period(contract.contract_id, earlier_of_period,
                                                                          [lead], sent)]
        latest_passed: int | None = None
        next_at: datetime | None = None
        for sequence, lead in enumerate(leads):
            if sequence + 1 < len(leads) and days[sequence] >= days[sequence + 1]:
                continue  # moved onto the next lead's day (a long holiday): that one reminds
            fire_at = dates.start_of_day(days[sequence], tz, REMINDER_HOUR)
            if fire_at <= now:
                latest_passed = sequence
                continue
            next_at = fire_at if next_at is None else min(next_at, fire_at)
            reminders.append(_reminder(contract, deadline, names, sent_as, sequence, lead, fire_at,
                                       deadline_at, immediate=False, planned_at=now, told=tuple(sorted(told))))
        # no catch-up when the next reminder comes within CATCH_UP_GAP anyway: one email, not two
        # the same day (the second escalated for an earlier one the owner had hours to act on); nor
        # for a period told of on its day before by the same lead or a nearer one (the days passed are
        # not sent again); one told of on its day before escalates, as its next reminder would
        if latest_passed is not None and not sent_as[latest_passed] & set(sent) \
                and not any(lead <= leads[latest_passed] for lead in told_leads) \
                and (next_at is None or next_at - immediate_at >= CATCH_UP_GAP):
            reminders.append(_reminder(contract, deadline, names, sent_as, latest_passed,
                                       leads[latest_passed], immediate_at, deadline_at,
                                       immediate=True, planned_at=now, told=tuple(sorted(told))))
    return one_catch_up_per_duty(sorted(reminders, key=lambda r: (r.fire_at, r.due, r.obligation_id, r.sequence)),
                                 now, {d.obligation_id: d.owner for d in deadlines}, contract.owner, sent)


def one_catch_up_per_duty(reminders: list[Reminder], now: datetime,
                          owners: Mapping[str, str | None] | None = None, contract_owner: str | None = None,
                          sent: set[str] | frozenset[str] = frozenset()) -> list[Reminder]:
    """The catch-ups of one recurring duty's occurrences already overdue (those a reopen makes, owed
    while its rule was marked done; those of an upload after their days; any others overdue at
    once) go out as ONE email per person: the most overdue one's catch-up carries the others of the
    same duty and the same recipient (``owners``: obligation id -> owner, else ``contract_owner``,
    else the default owner, as ``notify.decide_alert`` resolves it; ``together``), which are not
    scheduled on their own. One whose own catch-up escalates (an earlier reminder of it is in
    ``sent``) is never grouped: it goes on its own, escalated. The alert side lists them all and
    records each one's reminder as handled, so a later planning does not send them one by one; the
    carrier's schedule name says what it carries (``Reminder.schedule_name``)."""
    overdue: dict[tuple[str, str], list[Reminder]] = {}
    for reminder in reminders:
        if reminder.immediate and reminder.kind == "recurring" and "@" in reminder.obligation_id \
                and reminder.deadline_at < now:
            if reminder.sequence > 0 and set(reminder.earlier_names) & set(sent):
                continue  # escalates (cc the contract owner and escalation contact): its own email
            owner = clean_address((owners or {}).get(reminder.obligation_id)) or clean_address(contract_owner)
            overdue.setdefault((reminder.obligation_id.partition("@")[0], (owner or "").lower()), []).append(reminder)
    carrying: dict[str, Reminder] = {}
    carried: set[str] = set()
    for catch_ups in overdue.values():
        if len(catch_ups) < 2:
            continue
        first, *rest = sorted(catch_ups, key=lambda r: (r.due, r.obligation_id))
        carrying[first.name] = replace(first, together=tuple((r.name, r.obligation_id, r.due, r.lead_days,
                                                              r.sequence, r.earlier_names)
                                                                     for r in rest))
        carried.update(r.name for r in rest)
    return [carrying.get(r.name, r) for r in reminders if r.name not in carried]


# the most days a reminder is moved back off days that are not business days (a weekend joined to a
# long holiday: Golden Week, the Christmas and New Year days) that names of it are looked for under
MAX_REMINDER_MOVE_DAYS = 10


def reminder_day(due: date, lead: int, jurisdiction: str | None) -> date:
    """The day a reminder ``lead`` days before ``due`` fires: that day, or when it is not a business
    day of ``jurisdiction`` (a weekend, a public holiday) the business day before it (QA Q6
    SHOULD-5: a Sunday deadline's 14-day, 7-day and due-day reminders all came on Sundays)."""
    return dates.previous_business_day(due - timedelta(days=lead), jurisdiction)


def told_of_period(contract_id: str, earlier: Sequence[tuple[str, date]], leads: Sequence[int],
                   sent: set[str] | frozenset[str]) -> set[str]:
    """The names of the reminders sent of an occurrence's period on the days it was due before
    (``earlier``: each (obligation id, due)): each lead's, on its day or moved to a business day up
    to ``MAX_REMINDER_MOVE_DAYS`` before it."""
    names = {reminder_name(contract_id, obligation_id, due, lead, moved if back else None)
             for obligation_id, due in earlier for lead in leads
             for back in range(MAX_REMINDER_MOVE_DAYS + 1)
             if (moved := due - timedelta(days=lead + back))}
    return names & set(sent)


def _reminder(contract: ContractInfo, deadline: Deadline, names: list[str], sent_as: list[set[str]],
              sequence: int, lead: int, fire_at: datetime, deadline_at: datetime, *, immediate: bool,
              planned_at: datetime, told: tuple[str, ...] = ()) -> Reminder:
    # the earlier leads' names as planned now first, then every other name each may have been sent
    # under, then those sent of the period on its day before (a calendar changed)
    earlier = [*dict.fromkeys([*names[:sequence],
                               *(name for aliases in sent_as[:sequence] for name in sorted(aliases)), *told])]
    return Reminder(
        name=names[sequence], contract_id=contract.contract_id,
        obligation_id=deadline.obligation_id, kind=deadline.kind, due=deadline.due,
        deadline_at=deadline_at, lead_days=lead, fire_at=fire_at, time_zone=contract.time_zone,
        immediate=immediate, sequence=sequence, earlier_names=tuple(earlier),
        planned_at=planned_at)


def diff_schedules(wanted: list[Reminder], existing_names: set[str], contract_id: str | None = None
                   ) -> tuple[list[Reminder], set[str]]:
    """(reminders to create, schedule names to delete) to turn ``existing_names`` into ``wanted``.

    A wanted reminder whose schedule name already exists is left alone (its name fixes what it is
    about: for a catch-up that carries others, what it carries too, ``Reminder.schedule_name``).
    Only names that belong to the contract are ever deleted: pass ``contract_id`` (otherwise
    taken from ``wanted``); with neither, every existing name is taken to be the contract's.
    """
    ids = {contract_id} if contract_id else {r.contract_id for r in wanted}
    wanted_names = {r.schedule_name for r in wanted}
    to_create = [r for r in wanted if r.schedule_name not in existing_names]
    to_delete = {name for name in existing_names - wanted_names
                 if not ids or any(is_schedule_of(name, cid) for cid in ids)}
    return to_create, to_delete


def validate_at_expression(expr: str) -> datetime:
    """The naive local time of an ``at(yyyy-mm-ddThh:mm:ss)`` expression; ValueError otherwise."""
    match = _AT_EXPRESSION.match(expr or "")
    if not match:
        raise ValueError(f"not a one-time schedule expression at(yyyy-mm-ddThh:mm:ss): {expr!r}")
    return datetime.fromisoformat(match.group(1))  # raises ValueError for e.g. 2026-02-30
