"""When a renewal decision ended the contract, and from what (pure reads of the renewal records
and the send-notice obligation).

A "do not renew" ends the contract at the term's end only once the notice of non-renewal was given:
its ``renewal-notice@<term end>`` obligation done (with the proof of sending). Until then the
contract renews by its terms, and is planned as any live contract. A lapse of a contract that does
not renew by itself (``lapsed: expired``) ends it at the term's end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import dates
from ..schema import ObligationStatus, RenewalState
from ..store import repository as repo
from . import store
from .steps import SEND_NOTICE, obligation_id


@dataclass(frozen=True)
class Ended:
    """The contract's last day and the words for it (every shown end carries this derivation)."""

    last_day: str  # ISO day: the end of the term the decision ended
    derivation: str
    # the term's end moved after the notice was given (the notice stands): what a person must look at
    term_moved: str | None = None

    def stored(self) -> dict[str, str]:
        """The contract's copy (``ContractItem.ended``; ``term_moved`` shown in its attention list)."""
        return {"last_day": self.last_day, "derivation": self.derivation,
                **({"term_moved": self.term_moved} if self.term_moved else {})}


def contract_ended(contract_id: str, time_zone: str = "UTC") -> Ended | None:
    """The earliest term whose decision ended the contract, or None while it goes on."""
    for record in store.of_contract(contract_id):  # oldest term first
        if record.state == RenewalState.LAPSED_EXPIRED:
            return Ended(record.term_end, f"ended {record.term_end}: no renewal decision by the final cut-off "
                                          f"and the contract does not renew by itself ({record.state})")
        if record.state != RenewalState.TERMINATED:
            continue
        decision = record.decision or {}
        if not record.notice_key and (record.evidence or {}).get("auto_renew") is False:
            return Ended(record.term_end, f"ended {record.term_end}: renewal decision terminate by "
                                          f"{decision.get('by') or '?'} and the contract does not renew by itself")
        notice = repo.get_obligation(contract_id, obligation_id(SEND_NOTICE, record.term_end))
        if notice is None or notice.status != ObligationStatus.DONE:
            continue  # not given (yet): the contract renews by its terms
        day = given_day(notice, time_zone) or "?"
        deadline = notice.due or record.notice_deadline
        if day != "?" and deadline and day > deadline:
            continue  # given after the last day notice could be given: the contract renewed by its terms
        return Ended(record.term_end, f"ended {record.term_end}: notice of non-renewal given {day} "
                                      f"(renewal decision terminate by {decision.get('by') or '?'})",
                     term_moved=(record.term_moved or {}).get("message"))
    return None


def given_day(notice, time_zone: str) -> str | None:
    """The day (in the contract's zone) a done send-notice obligation was done: the day the person
    said (``done_on``: sent on the deadline, recorded the next morning), else the day it was marked
    done; None otherwise."""
    if notice is None or notice.status != ObligationStatus.DONE:
        return None
    if notice.done_on:
        return str(notice.done_on)
    given = notice.resolved_at or notice.updated_at
    return datetime.fromisoformat(given).astimezone(dates.zone(time_zone)).date().isoformat() if given else None


def with_term_moved(outcome: str, term_moved: dict | None) -> str:
    """A settled outcome, followed by the note that the term's end moved after the notice was given."""
    message = (term_moved or {}).get("message")
    return f"{outcome}; {message}" if message else outcome


def notice_outcome(*, term_end: str, notice_deadline: str | None, given: str | None, today: str,
                   given_said: bool = True) -> str | None:
    """What a "do not renew" came to, from the day its notice was given (None: not given) and
    today (ISO days, the contract's zone); None while the notice can still be given and was not.
    Pure. The last day notice can be given is the notice deadline, else the term's end.
    ``given_said`` False: ``given`` is only the day it was marked done (no day said), so a late one
    tells the person how to give the day it was sent."""
    last = notice_deadline or term_end
    if given is not None and given <= last:
        return f"not renewed: notice of non-renewal given {given}; the contract ends {term_end}"
    if today <= last and given is None:
        return None
    why = (f"the notice of non-renewal was given {given}, after the last day to give it ({last})" if given
           else f"no notice of non-renewal was given by {last}")
    if given and not given_said:
        why = (f"the notice of non-renewal was marked done {given}, after the last day to give it ({last}), "
               f"with no day said: if it was sent by {last}, mark it done again with that day (done_on)")
    start = (date.fromisoformat(term_end) + timedelta(days=1)).isoformat()
    if today <= term_end:
        return f"renews by its terms on {start}: {why}"
    return f"renewed by its terms on {start}: {why}; the next term's renewal decision follows"
