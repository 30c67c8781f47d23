"""GET /renewals: the team's contracts whose notice deadline or term end falls in the next N days,
soonest first: the current term's dates, as the planner keeps them rolled forward (for an
auto-renewed contract the extracted dates are the first term's); before them, by date, the terms of
contracts that do not renew that ended in the last M days (services may go on with no contract), and
those whose end passed then with their renewal unknown (said so: unknown is not "no")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from .. import clock, dates, schema
from ..pipeline.portfolio import closed_by, marked_done
from ..pipeline.record import is_missed_record
from ..plan import EXPIRATION_ID, NOTICE_DEADLINE_ID, renewal_term_counts
from ..renewal import store as renewal_store
from ..reports.portfolio import (
    ENDED_DAYS,
    ClosedBy,
    EndedBy,
    RenewalUnknown,
    ended_of,
    passed_term_end,
    unknown_of,
    unknown_reason,
)
from ..schema import ObligationStatus, RenewalState
from ..store import queries
from ..store import repository as repo
from ..store.models import ContractItem, ObligationItem
from . import views
from .auth import SECURED, Role, current_caller, requires
from .models import Renewal, RenewalDecisionState, RenewalPage, error_responses
from .params import DEFAULT, Cursor, Limit

router = Router()

# what a renewal shows of its contract and of its partner deadline (``_Window.prepare``)
_SHOWN = (ContractItem.contract_id, ContractItem.title, ContractItem.file_name, ContractItem.counterparty,
          ContractItem.owner, ContractItem.time_zone, ContractItem.renewal_terms, ContractItem.ended,
          ObligationItem.contract_id, ObligationItem.obligation_id, ObligationItem.due, ObligationItem.status)


class _Window:
    """Days from today to today + ``within`` in each contract's time zone (and back to today -
    ``ended_within`` for a term that ended), today fixed once for the request (``now``), and the
    term deadlines of the contracts seen (each read once)."""

    def __init__(self, within: int, ended_within: int) -> None:
        self.within = within
        self.ended_within = ended_within
        self.now = clock.now()
        self.contracts = views.Contracts()
        self._deadlines: dict[tuple[str, str], ObligationItem | None] = {}
        self._records: dict[tuple[str, str], renewal_store.RenewalItem] = {}
        self._read_terms: set[tuple[str, str]] = set()  # those a record was looked for (some have none)
        self._passed: dict[tuple[str, str], EndedBy | RenewalUnknown | None] = {}

    def records(self, terms: Iterable[tuple[str, str]]) -> dict[tuple[str, str], renewal_store.RenewalItem]:
        """The renewal records of these (contract, term end)s: those ``prepare`` read, the others now."""
        wanted = list(terms)
        return {**renewal_store.by_term(t for t in wanted if t not in self._read_terms), **self._records}

    def days_until(self, day: str | None, contract_id: str) -> int | None:
        parsed = dates.parse_day(day)
        return None if parsed is None else \
            (parsed - dates.day_at(self.now, self.contracts.time_zone(contract_id))).days

    def holds(self, item: ObligationItem | None) -> bool:
        if item is None or item.status != ObligationStatus.OPEN:
            return False
        left = self.days_until(item.due, item.contract_id)
        return left is not None and 0 <= left <= self.within

    def _passed_end(self, item: ObligationItem) -> int | None:
        """Days since the term end ``item`` (open, or closed done or waived) passed, at most
        ``ended_within`` days ago in the contract's time zone; else None."""
        if item.obligation_id != EXPIRATION_ID or item.status not in schema.LISTED_OBLIGATION_STATUSES:
            return None
        left = self.days_until(item.due, item.contract_id)
        return -left if left is not None and -self.ended_within <= left < 0 else None

    def ended_by(self, item: ObligationItem) -> EndedBy | None:
        """Why the term end ``item`` ended without renewing (``reports.portfolio.ended_by``): its
        contract does not renew by itself (open; unknown is not "no"; or closed done by a person:
        ``marked_done``), or a renewal decision ended it there (closed done the day after by the
        sweep, still listed), and its term was not decided "renew"; None otherwise."""
        return ended_of(self._passed_state(item))

    def unknown(self, item: ObligationItem) -> RenewalUnknown | None:
        """The term end ``item`` (open, or marked done or waived by a person) passed in the days back
        and its renewal is not known (``reports.portfolio.renewal_unknown``), or, renewing by itself,
        its renewal term is not (no next term counted): listed, said so, never as ended; else None."""
        return unknown_of(self._passed_state(item))

    def closed_by(self, item: ObligationItem) -> ClosedBy | None:
        """How a person closed the passed term end ``item`` (marked done or waived), who and the day,
        when one did (no renewal decision ended it: ``pipeline.portfolio.closed_by``); None otherwise."""
        contract = self.contracts.get(item.contract_id)
        ended = contract.ended if contract is not None and isinstance(contract.ended, dict) else {}
        if contract is None or ended.get("last_day") == item.due:
            return None
        return closed_by(item, contract.time_zone)

    def marked_done(self, item: ObligationItem) -> tuple[str, str | None] | None:
        """Who marked the passed term end ``item`` done and the day, when a person did; None otherwise."""
        return marked_done(self.closed_by(item))

    def _passed_state(self, item: ObligationItem) -> EndedBy | RenewalUnknown | None:
        """What became of the term end ``item`` passed in the days back: ended (``EndedBy``), renewal
        unknown, or None (not passed then, or renewed). Decided once per item."""
        key = (item.contract_id, item.obligation_id)
        if key not in self._passed:
            self._passed[key] = self._what_passed(item)
        return self._passed[key]

    def _what_passed(self, item: ObligationItem) -> EndedBy | RenewalUnknown | None:
        since = self._passed_end(item)
        contract = self.contracts.get(item.contract_id) if since is not None else None
        if since is None or contract is None:
            return None  # the contract's terms are looked at only for a term end in the days back
        ended = contract.ended if isinstance(contract.ended, dict) else {}
        terms = views.renewal_terms(contract)
        auto_renew = views.renews(contract, terms)["auto_renew"]
        renewed = renewal_store.decided_renew(self._records.get((item.contract_id, item.due or "")))
        return passed_term_end(auto_renew, -since, renewed=renewed, decision_ended=ended.get("last_day") == item.due,
                               marked_done=self.marked_done(item) is not None, within=self.ended_within,
                               renewal_term_known=renewal_term_counts(terms.get("renewal_term")))

    def days_since_end(self, item: ObligationItem) -> int | None:
        """Days since the term end ``item`` ended without renewing (``ended_by``), or passed with its
        renewal unknown (``is_renewal_unknown``); else None."""
        return self._passed_end(item) if self._passed_state(item) is not None else None

    def deadline(self, contract_id: str, obligation_id: str, seen: ObligationItem) -> ObligationItem | None:
        if seen.obligation_id == obligation_id:
            return seen
        key = (contract_id, obligation_id)
        if key not in self._deadlines:
            self._deadlines[key] = repo.get_obligation(contract_id, obligation_id)
        return self._deadlines[key]

    def prepare(self, items: list[ObligationItem]) -> None:
        """Before ``first_entry`` tests a Query page's deadlines (``queries._page``): their
        contracts (their time zones) and each deadline's partner (a term end's notice
        deadline, a notice deadline's term end) read together in BatchGetItem calls of 100 keys,
        strongly consistent from the table (not the index's copy), with only the attributes a
        renewal shows: a contract's extraction (about 10 KB with its evidence) stays behind, its
        ``renewal_terms`` come. The contracts saved before those were stored are read again whole,
        in one call more. A partner among the deadlines already seen in the page (a contract whose
        two dates both fall in the window) is not read again: it is the index's copy, as the
        deadline itself is (open, and it may be a moment behind the table), so both dates of a
        contract come from the same copy and the contract is listed once, never twice."""
        for item in items:
            self._deadlines.setdefault((item.contract_id, item.obligation_id), item)
        contracts = [c for c in dict.fromkeys(item.contract_id for item in items) if not self.contracts.has(c)]
        partners = [(item.contract_id, partner) for item in items
                    for partner in (NOTICE_DEADLINE_ID, EXPIRATION_ID)
                    if partner != item.obligation_id and (item.contract_id, partner) not in self._deadlines]
        contract_keys = {(schema.contract_pk(c), schema.CONTRACT_SK): c for c in contracts}
        partner_keys = {(schema.contract_pk(c), schema.obligation_sk(o)): (c, o) for c, o in partners}
        found = queries.items_by_key([*contract_keys, *partner_keys], _SHOWN)
        stale = []
        for key, contract_id in contract_keys.items():
            contract = found.get(key)
            self.contracts.add(contract_id, contract if isinstance(contract, ContractItem) else None)
            if isinstance(contract, ContractItem) and contract.renewal_terms is None:
                stale.append(key)
        for whole in ContractItem.batch_get(stale, consistent_read=True) if stale else ():
            self.contracts.add(whole.contract_id, whole)
        for key, deadline in partner_keys.items():
            partner = found.get(key)
            self._deadlines[deadline] = partner if isinstance(partner, ObligationItem) else None
        # the renewal record of each term end passed in the days back: a term decided "renew" did not end
        passed = [(item.contract_id, item.due) for item in items if item.due and self._passed_end(item) is not None]
        self._read_terms.update(passed)
        self._records.update(renewal_store.by_term(passed))

    def first_entry(self, item: ObligationItem) -> bool:
        """A contract is listed once, at its earlier date in the window: a term end whose notice
        deadline (always earlier) is in the window too was listed there. A term that ended without
        renewing is listed at its end."""
        if self.days_since_end(item) is not None:
            return True
        if not self.holds(item):
            return False
        return item.obligation_id != EXPIRATION_ID or \
            not self.holds(self.deadline(item.contract_id, NOTICE_DEADLINE_ID, item))


@router.get("/renewals", summary="Notice deadlines and term ends in the next `within` days, and the terms of "
                                  "contracts that do not renew that ended in the last `ended_within` days (and those "
                                  "whose end passed then with their renewal unknown), by date",
            description="Before the dates to come, by their end, the terms that ended without renewing in the last "
                        "`ended_within` days (`term_ended`, `days_since_end`), each with `ended_by`: `no renewal` "
                        "(auto_renew false), `decision` (a renewal decision ended the contract: `ended`, "
                        "`ended_derivation`) or `marked done` (a person marked the end of a contract that does not "
                        "renew done: `marked_done_by`, `marked_done_on`; a waive of it takes that off: `no "
                        "renewal`); and, never as ended, the term ends passed then whose renewal is not known: "
                        "`renewal` `unknown` (no renewal clause found, no decision; a person's done keeps it there "
                        "with `marked_done_by` and `marked_done_on`) or `renewal term unknown` (it renews by itself "
                        "but no renewal term is known, so no next term is counted: until its renewal_term is "
                        "entered), with `renewal_reason`.",
            tags=["renewals"], security=SECURED, responses=error_responses(400, 401, 403))
@requires(Role.VIEWER)
def list_renewals(within: Annotated[int, Query(ge=0, le=730, description="days from today")] = 90,
                  ended_within: Annotated[int, Query(
                      ge=0, le=365, description="days back: the terms of contracts that do not renew that ended "
                                                "in them are listed first (term_ended), by their end, with "
                                                "those whose end passed then with their renewal unknown "
                                                "(renewal: unknown, or renewal term unknown)")] = ENDED_DAYS,
                  limit: Limit = DEFAULT, cursor: Cursor = None) -> RenewalPage:
    caller = current_caller(router.context)
    window = _Window(within, ended_within)
    today = window.now.date()  # UTC; a contract's own today is at most a day either side
    # one range of the same index: a term end stays in it while open (a non-renewing contract's
    # passed end is not closed) and once closed done (a decision ended the contract), so the days
    # back are read as the days ahead are
    page = queries.renewal_deadlines(
        caller.team, first_day=(today - timedelta(days=ended_within + 1)).isoformat(),
        last_day=(today + timedelta(days=within + 1)).isoformat(), limit=limit, cursor=cursor,
        keep=window.first_entry, filters=(within, ended_within), prepare=window.prepare)
    window.contracts.prefetch(item.contract_id for item in page.items)
    renewals = [_renewal(item, window) for item in page.items]
    # each listed term's renewal decision, if its workflow started: one BatchGetItem for the page
    # (a passed term end's was read before deciding whether it ended)
    records = window.records((r.contract_id, r.expiration.isoformat()) for r in renewals if r.expiration)
    for renewal in renewals:
        record = records.get((renewal.contract_id, renewal.expiration.isoformat())) if renewal.expiration else None
        renewal.decision = _decision(record) if record is not None else None
    return RenewalPage(items=renewals, next_cursor=page.cursor)


def _decision(record: renewal_store.RenewalItem) -> RenewalDecisionState:
    decided = record.decision or {}
    return RenewalDecisionState(
        state=record.state, recommended=(record.recommendation or {}).get("decision"),
        waiting_for=record.waiting_round if record.state == RenewalState.WAITING else None,
        decision=decided.get("decision"), decided_by=decided.get("by"), outcome=record.outcome)


def _renewal(item: ObligationItem, window: _Window) -> Renewal:
    contract = window.contracts.get(item.contract_id)
    if contract is None:  # a contract's deadlines go with it
        raise LookupError(f"no contract {item.contract_id} for its deadline {item.obligation_id}")
    next_date = dates.parse_day(item.due)
    if next_date is None:  # listed only when due in the window
        raise ValueError(f"deadline {item.obligation_id} of {item.contract_id} has no due date")
    notice = window.deadline(item.contract_id, NOTICE_DEADLINE_ID, item)
    expiration = window.deadline(item.contract_id, EXPIRATION_ID, item)
    terms = views.renewal_terms(contract)
    tz = contract.time_zone
    notice_open = notice is not None and notice.status == ObligationStatus.OPEN
    missed = _missed_notice_deadline(contract.contract_id, notice, expiration, terms.get("notice_period"))
    days_since_end = window.days_since_end(item)  # decided once (first_entry asked it)
    unknown = window.unknown(item) if days_since_end is not None else None
    closed = window.closed_by(item) if days_since_end is not None else None
    marked = marked_done(closed)
    return Renewal(
        contract_id=contract.contract_id, title=contract.title or contract.file_name,
        counterparty=contract.counterparty, owner=contract.owner, time_zone=tz,
        **views.renews(contract, terms), renewal_term=terms.get("renewal_term"),
        notice_period=terms.get("notice_period"),
        notice_deadline=dates.parse_day(notice.due) if notice else None,
        notice_status=views.obligation_state(notice, tz) if notice else None,
        days_left_to_give_notice=window.days_until(notice.due, contract.contract_id) if notice is not None and notice_open
        else None,
        expiration=dates.parse_day(expiration.due) if expiration else None,
        days_to_expiration=window.days_until(expiration.due, contract.contract_id) if expiration else None,
        missed_notice_deadline=dates.parse_day(missed.due) if missed else None,
        missed_notice_derivation=missed.derivation if missed else None,
        term_ended=days_since_end is not None and unknown is None, days_since_end=days_since_end,
        ended_by=window.ended_by(item) if days_since_end is not None else None,
        marked_done_by=marked[0] if marked else None,
        marked_done_on=dates.parse_day(marked[1]) if marked else None,
        renewal=unknown, renewal_reason=unknown_reason(closed, unknown, item.due) if unknown else None,
        next_date=next_date)


# a notice deadline rolled off a weekend or holiday lies at most this much before the term end
# less the notice period (an earlier term's, a renewal term or more before it, never does)
_ROLL_SLACK = timedelta(days=7)


def _missed_notice_deadline(contract_id: str, notice: ObligationItem | None, expiration: ObligationItem | None,
                            notice_period: str | None) -> ObligationItem | None:
    """The current term's notice deadline, passed while open, when the one listed is already the
    next term's (after this term's end): the row would otherwise read as if notice could still be
    given before the term ends. This term's: from its end less the notice period (less a few days
    of business-day roll) to its end, so an earlier term's left open is not taken for it. One Query
    of the contract's kept ``notice_deadline@<day>`` items, made only for such rows."""
    if notice is None or expiration is None or not notice.due or not expiration.due or notice.due <= expiration.due:
        return None
    end = dates.parse_day(expiration.due)
    try:
        earliest = (dates.subtract_duration(end, notice_period) - _ROLL_SLACK).isoformat() \
            if end is not None and notice_period else None
    except ValueError:
        earliest = None
    if earliest is None:
        return None  # which term a kept deadline was for cannot be told
    kept = ObligationItem.query(schema.contract_pk(contract_id),
                                ObligationItem.sk.startswith(schema.obligation_sk(f"{NOTICE_DEADLINE_ID}@")))
    missed = [o for o in kept if is_missed_record(o.obligation_id) and o.status == ObligationStatus.OPEN
              and o.due and earliest <= o.due <= expiration.due]
    return max(missed, key=lambda o: o.due or "") if missed else None

