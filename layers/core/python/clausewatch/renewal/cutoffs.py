"""When each round of a renewal decision must be decided by (pure: values in, values out).

The owner decides by the notice deadline (else the term's end) minus
``RENEWAL_OWNER_BUSINESS_DAYS``, the final decision (after a renegotiation, or an escalation) by it
minus ``RENEWAL_FINAL_BUSINESS_DAYS``: business days of the contract's jurisdiction, so that notice
can still be sent. A decision that starts after a cut-off passed (a contract first planned days
before its deadline) gets the time that really remains: a passed final cut-off becomes the notice
deadline itself, a passed owner's day the final cut-off. An escalated round asks until the final
cut-off while time is left before it, else until the notice deadline itself; with no time left
before that, it is skipped (the decision lapses when no notice can be given any more, never before).
Every day comes with its arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import config, dates

# an escalated round is asked only with at least this long left to answer it
ESCALATION_MIN_TIME = timedelta(hours=1)


@dataclass(frozen=True)
class Cutoffs:
    owner: date  # the owner decides by the end of this day
    final: date  # the final (and escalated) decision by the end of this day
    derivation: str


def cutoffs(reference: date, reference_kind: str, jurisdiction: str | None, today: date) -> Cutoffs:
    """The owner's and the final cut-off counted back from ``reference`` (the notice deadline, or
    the term end: ``reference_kind``), never before ``today`` while the reference is still ahead."""
    owner_days, final_days = config.RENEWAL_OWNER_BUSINESS_DAYS, config.RENEWAL_FINAL_BUSINESS_DAYS
    owner = dates.add_business_days(reference, -owner_days, jurisdiction)
    final = dates.add_business_days(reference, -final_days, jurisdiction)
    where = dates.holidays_words(jurisdiction)  # the default's named, and a stand-in's said to be one
    parts = [f"owner decides by {reference_kind} {reference.isoformat()} - {owner_days} business days ({where}) "
             f"= {owner.isoformat()}",
             f"final cut-off {reference_kind} {reference.isoformat()} - {final_days} business days = {final.isoformat()}"]
    if final < today <= reference:
        parts.append(f"the final cut-off {final.isoformat()} passed before the decision began ({today.isoformat()}): "
                     f"the {reference_kind} {reference.isoformat()} itself")
        final = reference
    if owner < today <= final:  # (after the notice deadline itself nothing is moved: both passed)
        parts.append(f"the owner's day {owner.isoformat()} passed before the decision began "
                     f"({today.isoformat()}): the final cut-off {final.isoformat()}")
        owner = final
    return Cutoffs(owner=owner, final=final, derivation="; ".join(parts))


def escalated_day(final: date, reference: date, reference_kind: str, time_zone: str, now: datetime
                  ) -> tuple[date | None, str]:
    """(the escalated round's decide-by, why): the final cut-off while time is left before its end,
    else the ``reference`` (the notice deadline itself), else None: no time left to ask anyone."""
    left = lambda day: dates.end_of_day(day, time_zone) - now  # noqa: E731
    if left(final) >= ESCALATION_MIN_TIME:
        return final, f"final cut-off {final.isoformat()}"
    if reference > final and left(reference) >= ESCALATION_MIN_TIME:
        return reference, (f"the final cut-off {final.isoformat()} passed: until the {reference_kind} "
                           f"{reference.isoformat()} itself")
    return None, (f"no time left to escalate: the final cut-off {final.isoformat()} and the {reference_kind} "
                  f"{reference.isoformat()} end at {dates.end_of_day(reference, time_zone).isoformat()}, "
                  f"now {now.astimezone(dates.zone(time_zone)).isoformat(timespec='seconds')}")
