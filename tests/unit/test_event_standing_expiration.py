"""Which current expiration an event's date does not replace (`pipeline.events.standing_expiration`):
one a person entered directly; never the extraction's, an event's own, nor an amendment's (the
event's end is the contract's own: its amendments are applied again over it)."""

from __future__ import annotations

import pytest

from clausewatch.pipeline.events import standing_expiration
from clausewatch.store.models import TermItem

CONTRACT = "c1"
CLAUSE = {"page": 1, "start": 0, "end": 10, "text": "five (5) years from the Launch Date"}


def version(**fields) -> TermItem:
    base = {"contract_id": CONTRACT, "name": "expiration_date", "version": 2, "value": "2034-06-30",
            "source_contract_id": CONTRACT, "recorded_at": "2026-12-06T15:00:00+00:00"}
    return TermItem("CONTRACT#c1", "TERM#expiration_date#2", **{**base, **fields})


@pytest.mark.parametrize("fields, stands", [
    ({"entered_by": "dana@example.com", "derivation": "entered by dana@example.com: settlement"}, True),
    # computed from an event's date: rests on the conditional term's clause
    ({"entered_by": "dana@example.com", "derivation": "Launch Date 2026-03-01 (entered by ...) + P5Y", "evidence": CLAUSE},
     False),
    # an amendment's: applied again over the event's end (was: kept, the event's date left out)
    ({"source_contract_id": "amendment-1", "derivation": "stated in the clause", "evidence": CLAUSE}, False),
    ({"derivation": "stated in the clause", "evidence": CLAUSE}, False),  # the extraction's own
])
def test_what_an_event_date_does_not_replace(fields, stands):
    term = version(**fields)
    assert (standing_expiration(CONTRACT, {"expiration_date": term}) is term) is stands


def test_no_expiration_is_nothing_to_keep():
    assert standing_expiration(CONTRACT, {}) is None
