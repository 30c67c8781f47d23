"""When a renewal decision ended the contract, and from what (pure reads of the renewal records
and the send-notice obligation).

A "do not renew" ends the contract at the term's end only once the notice of non-renewal was given:
its ``renewal-notice@<term end>`` obligation done (with the proof of sending). Until then the
contract renews by its terms, and is planned as any live contract. A lapse of a contract that does
not renew by itself (``lapsed: expired``) ends it at the term's end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


def contract_ended(contract_id: str, time_zone: str = "UTC") -> Ended | None:
    """The earliest term whose decision ended the contract, or None while it goes on."""
    for record in store.of_contract(contract_id):  # oldest term first
        if record.state == RenewalState.LAPSED_EXPIRED:
            return Ended(record.term_end, f"ended {record.term_end}: no renewal decision by the final cut-off "
                                          f"and the contract does not renew by itself ({record.state})")
        if record.state != RenewalState.TERMINATED:
            continue
        notice = repo.get_obligation(contract_id, obligation_id(SEND_NOTICE, record.term_end))
        if notice is None or notice.status != ObligationStatus.DONE:
            continue  # not given (yet): the contract renews by its terms
        given = notice.resolved_at or notice.updated_at
        day = datetime.fromisoformat(given).astimezone(dates.zone(time_zone)).date().isoformat() if given else "?"
        deadline = notice.due or record.notice_deadline
        if given and deadline and day > deadline:
            continue  # given after the last day notice could be given: the contract renewed by its terms
        decision = record.decision or {}
        return Ended(record.term_end, f"ended {record.term_end}: notice of non-renewal given {day} "
                                      f"(renewal decision terminate by {decision.get('by') or '?'})")
    return None
