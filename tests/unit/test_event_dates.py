"""An event date checked against the agreement's start (pipeline/events.py): its effective date,
never the day it was signed."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from clausewatch.pipeline import actions, events


def _term(value: str, text: str):
    return SimpleNamespace(value=value, evidence={"page": 1, "text": text}, entered_by=None)


def test_an_event_before_the_effective_date_is_refused_naming_it():
    current = {"effective_date": _term("2026-10-01", "effective as of October 1, 2026")}
    with pytest.raises(actions.InvalidInput, match="before the agreement's effective date 2026-10-01"):
        events._refuse_before_start(current, "Launch Date", date(2020, 1, 15), "the date of Launch Date")
    events._refuse_before_start(current, "Launch Date", date(2026, 10, 1), "the date of Launch Date")


def test_an_event_before_the_day_a_backdated_agreement_was_signed_is_accepted():
    """Service began in March; the agreement was signed in May: a launch in April is real."""
    current = {"agreement_date": _term("2026-05-20", "dated May 20, 2026")}
    events._refuse_before_start(current, "Launch Date", date(2026, 4, 1), "the date of Launch Date")
