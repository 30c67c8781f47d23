"""The weekly digest, pure: one email per person listing what is overdue and what falls due in the
next two weeks, each with its contract, date, days left and arithmetic (instead of one email per
reminder, for people who choose it: the alert-fatigue complaint users of every suite make).

Preferences per person: ``digest`` "weekly" or "off" (default off), ``reminders`` "each" (every
reminder by email, the default), "urgent" (only reminders due within a week, on the day, overdue or
escalated) or "none" (the digest only, until the day itself: on the day, overdue and escalated
reminders still go out; a missed deadline is not a preference). Reminders are held only for a
person who gets the weekly digest, and only of the teams their digest covers."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from .plan import format_day

DIGEST_CHOICES = ("weekly", "off")
REMINDER_CHOICES = ("each", "urgent", "none")
HORIZON_DAYS = 14
URGENT_DAYS = 7


@dataclass(frozen=True)
class DigestItem:
    contract_id: str
    contract_title: str
    obligation_id: str
    summary: str
    due: date
    days_left: int  # from the digest's "as of" date
    derivation: str | None
    counterparty: str | None = None
    contract_file: str | None = None  # the uploaded file's name: tells apart contracts named alike


def listed_key(contract_id: str, obligation_id: str, due: date) -> str:
    """What a digest records of each line it listed: a deadline is the obligation at its due date
    (a reminder held for the digest counts as told once a digest listed this)."""
    return f"{contract_id}#{obligation_id}#{due.isoformat()}"


def wants_reminder(reminders: str, *, lead_days: int, days_left: int, escalated: bool) -> bool:
    """Whether a person with this preference gets this reminder by email."""
    if escalated or reminders == "each" or reminders not in REMINDER_CHOICES or days_left <= 0:
        return True  # escalations, and the day itself or after it, always go out
    if reminders == "urgent":
        return lead_days <= URGENT_DAYS or days_left <= URGENT_DAYS
    return False


def week_of(day: date) -> str:
    """ISO week ("2026-W48"): a digest is sent once per person per week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def told_apart(items: list[DigestItem]) -> dict[str, str]:
    """What tells apart contracts a digest lists under the same title and counterparty: the name of
    the file each was uploaded as, or its id where their files are named alike too; contract id ->
    that. Contracts whose names differ need nothing."""
    files: dict[tuple[str, str | None], dict[str, str | None]] = {}
    for i in items:
        files.setdefault((i.contract_title, i.counterparty), {})[i.contract_id] = i.contract_file
    apart = {}
    for alike in files.values():
        if len(alike) < 2:
            continue
        names = list(alike.values())
        for contract_id, file_name in alike.items():
            apart[contract_id] = f"file {file_name}" if file_name and names.count(file_name) == 1 \
                else f"contract {contract_id}"
    return apart


def render_digest(owner: str, items: list[DigestItem], today: date, sender: str,
                  api_base_url: str, *, sent_at: datetime | None = None) -> EmailMessage | None:
    """The email, or None when there is nothing to say: dated ``sent_at`` (its Date: header),
    "as of" ``today``, the day every item's days are counted from."""
    if not items:
        return None
    overdue = sorted((i for i in items if i.days_left < 0), key=lambda i: i.due)
    coming = sorted((i for i in items if 0 <= i.days_left <= HORIZON_DAYS), key=lambda i: i.due)
    if not overdue and not coming:
        return None
    message = EmailMessage()
    message["From"], message["To"] = sender, owner
    if sent_at is not None:
        message["Date"] = format_datetime(sent_at.astimezone(UTC))
    message["Subject"] = (f"clausewatch: your week of {format_day(today)} — {len(coming)} due in "
                          f"{HORIZON_DAYS} days, {len(overdue)} overdue")
    base = api_base_url.rstrip("/")
    apart = told_apart(overdue + coming)

    def line(i: DigestItem) -> str:
        when = f"OVERDUE by {-i.days_left} day(s)" if i.days_left < 0 else (
            "due today" if i.days_left == 0 else f"{i.days_left} day(s) left")
        party = f" — {i.counterparty}" if i.counterparty else ""  # as the reminder's subject names it
        which = f" [{apart[i.contract_id]}]" if i.contract_id in apart else ""
        return f"{format_day(i.due)} ({when}) — {i.contract_title}{party}{which}: {i.summary}"

    text = [f"What needs you, as of {format_day(today)}:", ""]
    for title, group in (("Overdue", overdue), (f"Due in the next {HORIZON_DAYS} days", coming)):
        if group:
            text.append(f"{title}:")
            for i in group:
                text.append(f"- {line(i)}")
                if i.derivation:
                    text.append(f"    {i.derivation}")
                text.append(f"    {base}/contracts/{i.contract_id}")
            text.append("")
    text.append(f"Until {format_day(today + timedelta(days=HORIZON_DAYS))}. Change how you hear from clausewatch: "
                f"PUT {base}/me/preferences.")
    message.set_content("\n".join(text))
    rows = "".join(f"<li>{html.escape(line(i))}<br><small>{html.escape(i.derivation or '')}</small></li>"
                   for i in overdue + coming)
    message.add_alternative(f"<p>What needs you, as of {html.escape(format_day(today))}:</p><ul>{rows}</ul>",
                            subtype="html")
    return message
