"""Alert emails (pure): whether a fired reminder should be sent, to whom, and the email itself.

The alert Lambda receives a ``plan.Reminder.payload()``, loads the obligation's current state and
calls ``decide_alert``; if the decision is to send, it builds an ``AlertContent`` (``content_for``)
and sends ``render_alert_email(...)`` through SES. Nothing here calls AWS.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import quote

from icalendar import Alarm, Calendar, Event

from . import dates
from .addresses import clean_address
from .plan import ContractInfo, Deadline, format_day
from .schema import CLOSED_OBLIGATION_STATUSES, is_overdue_when_past

PRODID = "-//clausewatch//contract deadlines//EN"
UID_DOMAIN = "clausewatch"
_ALARM_BEFORE = timedelta(hours=15)  # 09:00 the day before an all-day deadline


@dataclass(frozen=True)
class AlertDecision:
    """Whether to send a reminder email, why, and to whom."""

    send: bool
    reason: str
    to: list[str]
    cc: list[str]
    escalated: bool
    unowned: bool


def _suppress(reason: str) -> AlertDecision:
    return AlertDecision(send=False, reason=reason, to=[], cc=[], escalated=False, unowned=False)


def decide_alert(payload: dict, *, current_due: date | None, obligation_status: str,
                 already_sent: set[str], owner: str | None, contract_owner: str | None,
                 escalation_email: str | None, default_owner: str,
                 acknowledged: bool = False) -> AlertDecision:
    """Decide what to do with a fired reminder (``payload`` = ``Reminder.payload()``).

    Not sent when the obligation is closed (``obligation_status`` done/superseded/cancelled),
    when it no longer has a due date or its ``current_due`` differs from the payload's (the date
    moved: this reminder is superseded by the re-planned ones), or when this reminder's name is in
    ``already_sent`` (names of reminders already emailed: dedup).

    Escalation: the reminder is escalated when one of the same deadline's earlier reminders
    (``payload["earlier_names"]``, the longer lead times) is in ``already_sent`` and the obligation
    is still open: it was already flagged and is still not done. The contract owner and the team's
    escalation address are then copied. Not when the owner ``acknowledged`` it (for this due
    date): the reminders still go to the owner, with no one copied.

    Recipient: the obligation's owner, else the contract's owner; with neither, ``default_owner``
    and the decision is flagged ``unowned``.
    """
    name = payload.get("name") or ""
    status = (obligation_status or "").strip().lower()
    if status in CLOSED_OBLIGATION_STATUSES:
        return _suppress(f"obligation {status}")
    payload_due = dates.parse_day(payload.get("due"))
    if current_due is None:
        return _suppress("obligation has no due date any more (removed or no longer extracted)")
    if payload_due != current_due:
        return _suppress(f"superseded: due date moved from {payload.get('due')} to "
                         f"{current_due.isoformat()}")
    if name in already_sent:
        return _suppress(f"already sent: {name}")

    recipient = clean_address(owner) or clean_address(contract_owner)
    unowned = recipient is None
    to = [recipient or default_owner]
    earlier_sent = [n for n in payload.get("earlier_names") or [] if n in already_sent]
    would_escalate = int(payload.get("sequence") or 0) > 0 and bool(earlier_sent)
    escalated = would_escalate and not acknowledged
    cc: list[str] = []
    if escalated:
        for address in (clean_address(contract_owner), clean_address(escalation_email)):
            if address and address.lower() not in {a.lower() for a in to + cc}:
                cc.append(address)
    if escalated:
        reason = "escalated: an earlier reminder was sent and the obligation is still open"
    elif would_escalate:
        reason = "reminder due; acknowledged by the owner, not escalated"
    else:
        reason = "reminder due"
    if unowned:
        reason += "; no owner, sent to the default owner"
    return AlertDecision(send=True, reason=reason, to=to, cc=cc, escalated=escalated,
                         unowned=unowned)






# --- content ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AlertContent:
    """Everything one alert email shows. ``days_left`` < 0 means overdue."""

    contract_id: str
    contract_title: str
    counterparty: str | None
    obligation_id: str
    kind: str
    summary: str
    due: date
    deadline_at: datetime  # aware: the end of the due day in ``time_zone``
    days_left: int
    time_zone: str
    clause_text: str | None
    clause_page: int | None
    derivation: str
    action: str
    api_url: str
    sent_at: datetime  # aware
    reminder_name: str = ""
    # a renewal decision email (clausewatch.renewal): the evidence lines and the decision links
    details: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (label, URL)
    clause_document: str | None = None  # the amendment the clause is quoted from, when it is one
    # the due day is not a business day of the contract's jurisdiction: what to do (closed_day_note)
    closed_day: str | None = None
    uid: str | None = None  # the .ics UID (invite_uid); None: event_uid(contract, obligation)
    # one catch-up for several overdue occurrences of one recurring duty (``plan.one_catch_up_per_duty``):
    # the others, each with its own day, arithmetic and calendar entry
    also: tuple[AlertContent, ...] = ()


def days_left(due: date, at: datetime, time_zone: str) -> int:
    """Whole days from ``at`` (as a date in ``time_zone``) to ``due``; negative when overdue."""
    return (due - at.astimezone(dates.zone(time_zone)).date()).days


def contract_url(api_base_url: str, contract_id: str) -> str:
    return f"{api_base_url.rstrip('/')}/contracts/{quote(contract_id, safe='')}"


def content_for(contract: ContractInfo, deadline: Deadline, *, sent_at: datetime, api_base_url: str,
                reminder_name: str = "", uid: str | None = None) -> AlertContent:
    """The content of an alert about ``deadline``, as seen at ``sent_at`` (aware)."""
    evidence = deadline.evidence or {}
    page = evidence.get("page")
    return AlertContent(
        contract_id=contract.contract_id, contract_title=contract.title,
        counterparty=contract.counterparty, obligation_id=deadline.obligation_id,
        kind=deadline.kind, summary=deadline.summary, due=deadline.due,
        deadline_at=dates.end_of_day(deadline.due, contract.time_zone),
        days_left=days_left(deadline.due, sent_at, contract.time_zone),
        time_zone=contract.time_zone, clause_text=evidence.get("text"),
        clause_page=page if isinstance(page, int) else None, derivation=deadline.derivation,
        action=deadline.action, api_url=contract_url(api_base_url, contract.contract_id),
        sent_at=sent_at, reminder_name=reminder_name, clause_document=_document(evidence),
        closed_day=closed_day_note(deadline.due, contract.jurisdiction), uid=uid)


def closed_day_note(due: date, jurisdiction: str | None) -> str | None:
    """"Sunday 14 Mar 2027 is not a business day (a weekend day; US-CA calendar): this reminder
    comes on the business day before it, Friday 12 Mar 2027; act by then." when ``due`` is not a
    business day of ``jurisdiction`` (reminders of it fire on the business day before, plan.reminder_day),
    else None."""
    if dates.is_business_day(due, jurisdiction):
        return None
    # a holiday on a day of the week that is a working day there (a Sunday in Saudi Arabia) is named
    working_day = due.weekday() not in dates.weekend_days(jurisdiction, due)
    try:
        named = dates.holiday_name(due, jurisdiction) if working_day else None
    except ValueError:  # no calendar for it: the default's was counted (holidays_words says so)
        named = dates.holiday_name(due, None) if working_day else None
    why = f"{named}, a public holiday" if named else "a weekend day"
    before = dates.previous_business_day(due, jurisdiction)
    return (f"{due:%A} {format_day(due)} is not a business day ({why}; {dates.holidays_words(jurisdiction)}): "
            f"reminders of it come "
            f"on the business day before; to be safe, act by {before:%A} {format_day(before)}.")


def _document(evidence: dict) -> str | None:
    """The amendment a quoted clause comes from (its file name; its id when that is all there is)."""
    name = evidence.get("document") or evidence.get("amended_by")
    return str(name) if name else None


_KIND_LABEL = {"notice_deadline": "Notice deadline", "expiration": "Term ends",
               "deliverable": "Due", "payment": "Payment due", "recurring": "Due",
               "credit_claim": "Claim the credit by"}


def days_left_phrase(days: int, kind: str | None = None) -> str:
    """35 -> "35 days left", 0 -> "due today", -3 -> "OVERDUE by 3 days" ("passed 3 days ago" for a
    date that is no one's duty, an expiration: schema.is_overdue_when_past)."""
    if days == 0:
        return "due today"
    if days < 0 and kind is not None and not is_overdue_when_past(kind):
        return f"passed {-days} day{'' if days == -1 else 's'} ago"
    if days < 0:
        return f"OVERDUE by {-days} day{'' if days == -1 else 's'}"
    return f"{days} day{'' if days == 1 else 's'} left"


def _one_line(text: str, limit: int = 120) -> str:
    """One line within ``limit`` characters, cut at a word boundary and marked "…" when cut."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def alert_subject(content: AlertContent, decision: AlertDecision) -> str:
    """E.g. "Notice deadline 29 Dec 2026 (34 days left): SaaS Agreement — Northwind"."""
    label = _KIND_LABEL.get(content.kind, "Due")
    what = _one_line(content.contract_title, 80)
    if content.kind not in ("notice_deadline", "expiration"):
        what = f"{_one_line(content.summary, 60)} — {what}"
    if content.counterparty:
        what += f" — {_one_line(content.counterparty, 60)}"
    prefix = "[Escalation] " if decision.escalated else ""
    more = f" and {len(content.also)} more owed" if content.also else ""
    subject = (f"{prefix}{label} {format_day(content.due)} ({days_left_phrase(content.days_left, content.kind)})"
               f"{more}: {what}")
    # ASCII punctuation: an em dash or ellipsis makes the folded header an RFC 2047 encoded word,
    # which some clients unfold with a double space; a title in another script still encodes
    return subject.replace("—", "-").replace("…", "...")


def _when(content: AlertContent) -> str:
    return (f"{content.due:%A} {format_day(content.due)}, end of day "
            f"({content.deadline_at:%H:%M} {content.time_zone})")


def _clause_label(content: AlertContent) -> str:
    return _clause_where(content.clause_page, content.clause_document)


def _clause_where(page: int | None, document: str | None) -> str:
    """"the clause (page 2)", or for an amended term "the clause (amendment x.pdf, page 1)"."""
    parts = ([f"amendment {document}"] if document else []) + ([f"page {page}"] if page else [])
    return f"the clause ({', '.join(parts)})" if parts else "the clause"


def _plain_body(content: AlertContent, decision: AlertDecision) -> str:
    lines = []
    if decision.escalated:
        lines += ["ESCALATION: an earlier reminder about this deadline was sent and it is still open.", ""]
    if decision.unowned:
        lines += ["No owner is assigned to this contract or obligation: please assign one.", ""]
    lines += [
        f"{_KIND_LABEL.get(content.kind, 'Due')}: {_when(content)} — "
        f"{days_left_phrase(content.days_left, content.kind)}.",
        *([content.closed_day] if content.closed_day else []),
        "",
        f"Contract: {content.contract_title}"
        + (f" with {content.counterparty}" if content.counterparty else "")
        + f" (id {content.contract_id})",
        f"What: {content.summary}",
        "",
        "What to do:",
        f"  {content.action}",
        "",
    ]
    if content.clause_text:
        lines += [f"From {_clause_label(content)}:", f'  "{_one_line(content.clause_text, 2000)}"', ""]
    if content.details:
        lines += ["The evidence:", *(f"  - {line}" for line in content.details), ""]
    if content.links:
        lines += ["Decide (each link asks you to confirm):", *(f"  {label}: {url}" for label, url in content.links), ""]
    lines += ["How the date was computed:", f"  {content.derivation}", ""]
    if content.also:
        lines += [f"Also owed for this duty ({len(content.also)} more, each its own date):"]
        for other in content.also:
            lines += [f"  - {_when(other)} — {days_left_phrase(other.days_left, other.kind)}.",
                      f"    How the date was computed: {other.derivation}"]
        lines += [""]
    lines += [f"Open the contract: {content.api_url}", "",
              "A calendar entry for each of these deadlines is attached (deadline.ics)." if content.also
              else "A calendar entry for this deadline is attached (deadline.ics)."]
    return "\n".join(lines) + "\n"


def _html_body(content: AlertContent, decision: AlertDecision) -> str:
    e = html.escape
    parts = ["<!DOCTYPE html>", "<html><body style=\"font-family: sans-serif\">"]
    if decision.escalated:
        parts.append("<p><strong>Escalation:</strong> an earlier reminder about this deadline was "
                     "sent and it is still open.</p>")
    if decision.unowned:
        parts.append("<p><strong>No owner</strong> is assigned to this contract or obligation: "
                     "please assign one.</p>")
    parts += [
        f"<h2>{e(_KIND_LABEL.get(content.kind, 'Due'))}: {e(_when(content))}</h2>",
        f"<p><strong>{e(days_left_phrase(content.days_left, content.kind))}</strong></p>",
        *([f"<p>{e(content.closed_day)}</p>"] if content.closed_day else []),
        "<p>Contract: " + e(content.contract_title)
        + (f" with {e(content.counterparty)}" if content.counterparty else "")
        + f" (id <code>{e(content.contract_id)}</code>)<br>What: {e(content.summary)}</p>",
        f"<h3>What to do</h3><p>{e(content.action)}</p>",
    ]
    if content.clause_text:
        parts.append(f"<h3>From {e(_clause_label(content))}</h3>"
                     f"<blockquote>{e(content.clause_text)}</blockquote>")
    if content.details:
        parts.append("<h3>The evidence</h3><ul>" + "".join(f"<li>{e(line)}</li>" for line in content.details)
                     + "</ul>")
    if content.links:
        parts.append("<h3>Decide</h3><p>" + " · ".join(
            f"<a href=\"{e(url, quote=True)}\">{e(label)}</a>" for label, url in content.links)
            + "</p><p>Each link asks you to confirm.</p>")
    parts.append(f"<h3>How the date was computed</h3><p><code>{e(content.derivation)}</code></p>")
    if content.also:
        parts.append(f"<h3>Also owed for this duty ({len(content.also)} more, each its own date)</h3><ul>" + "".join(
            f"<li><strong>{e(_when(other))}</strong> — {e(days_left_phrase(other.days_left, other.kind))}<br>"
            f"<code>{e(other.derivation)}</code></li>" for other in content.also) + "</ul>")
    parts += [f"<p><a href=\"{e(content.api_url, quote=True)}\">Open the contract</a></p>",
              "</body></html>"]
    return "\n".join(parts) + "\n"


def render_alert_email(content: AlertContent, decision: AlertDecision, sender: str) -> EmailMessage:
    """The alert email: plain text + HTML alternatives and the deadline as an .ics attachment."""
    if not decision.send or not decision.to:
        raise ValueError(f"nothing to send: {decision.reason}")
    message = EmailMessage()
    message["Subject"] = alert_subject(content, decision)
    message["From"] = sender
    message["To"] = ", ".join(decision.to)
    if decision.cc:
        message["Cc"] = ", ".join(decision.cc)
    message["Date"] = format_datetime(content.sent_at.astimezone(UTC))
    message["Message-ID"] = make_msgid(domain=UID_DOMAIN)
    message["X-Clausewatch-Contract"] = content.contract_id  # a mail filter's handle; a reminder's name is per contract
    if content.reminder_name:
        message["X-Clausewatch-Reminder"] = content.reminder_name
    message.set_content(_plain_body(content, decision))
    message.add_alternative(_html_body(content, decision), subtype="html")
    # one calendar, one event per deadline (a catch-up for several occurrences: each its own entry)
    message.add_attachment(
        _calendar_bytes([_event(each.contract_id, each.contract_title, each.counterparty,
                                each.obligation_id, each.kind, each.summary, each.due,
                                each.clause_text, each.clause_page, each.derivation,
                                each.action, each.api_url, each.sent_at,
                                each.clause_document, uid=each.uid) for each in (content, *content.also)]),
        maintype="text", subtype="calendar", filename="deadline.ics",
        params={"method": "PUBLISH", "charset": "utf-8"})
    return message


# --- calendar ------------------------------------------------------------------------------------

def event_uid(contract_id: str, obligation_id: str) -> str:
    """The calendar UID of a deadline: from its names, not its date, so a moved date replaces the
    entry instead of adding a second one (each recurring occurrence has its own obligation id)."""
    digest = hashlib.sha256(f"{contract_id}\x1f{obligation_id}".encode()).hexdigest()[:24]
    return f"{digest}@{UID_DOMAIN}"


def invite_uid(contract_id: str, obligation_id: str, due: date, held: tuple[date, str | None] | None,
               today: date) -> str:
    """The UID of the entry an invite for ``obligation_id`` on ``due`` mailed now belongs to, and of
    the entry a calendar feed serves now (the one rule for both).

    ``held``: the entry the recipients' calendars hold of that obligation (its date, its UID; None
    for one mailed before UIDs were per term) or None for none; for a feed, the entry it served last
    (``store.invites.feed_entries``). An entry whose day has not passed is
    the same entry (a reminder, or a moved date: its UID, so the invite updates it); one whose day
    passed stays as it happened, and the deadline mailed now (a renewed term's) is a new entry with
    a UID of its own, from its date (QA Q6 SHOULD-4: the next term's invite moved last term's entry).
    Nothing mailed yet: ``event_uid(contract, obligation)``, the UID every invite had before, so
    the running term's entries already mailed keep theirs."""
    if held is None:
        return event_uid(contract_id, obligation_id)
    held_due, held_uid = held
    if held_due >= today or held_due == due:
        return held_uid or event_uid(contract_id, obligation_id)
    return event_uid(contract_id, f"{obligation_id}@{due.isoformat()}")


def sequence_at(stamp: datetime) -> int:
    """An invite's SEQUENCE: minutes since 2020, so every later send (a reminder, a calendar
    change) carries a higher one and calendars take the newest version."""
    return max(0, int((stamp - datetime(2020, 1, 1, tzinfo=UTC)).total_seconds() // 60))


def _event(contract_id: str, title: str, counterparty: str | None, obligation_id: str, kind: str,
           summary: str, due: date, clause_text: str | None, clause_page: int | None,
           derivation: str, action: str, url: str | None, stamp: datetime,
           clause_document: str | None = None, uid: str | None = None) -> Event:
    label = _KIND_LABEL.get(kind, "Due")
    name = _one_line(title, 80) + (f" — {_one_line(counterparty, 60)}" if counterparty else "")
    if kind not in ("notice_deadline", "expiration"):
        # deliverables and recurring duties of one contract: each entry says which one it is
        name = f"{_one_line(summary, 60)} — {name}"
    description = [action, "", f"What: {summary}"]
    if clause_text:
        where = _clause_where(clause_page, clause_document)[len("the clause"):]
        description += ["", f"Clause{where}: \"{_one_line(clause_text, 2000)}\""]
    description += ["", f"Date arithmetic: {derivation}"]
    if url:
        description += ["", url]
    event = Event()
    event.add("uid", uid or event_uid(contract_id, obligation_id))
    event.add("dtstamp", stamp.astimezone(UTC))
    # minutes since 2020: grows with every re-send, so calendars take the newest version
    event.add("sequence", sequence_at(stamp))
    # all-day on the due date: the deadline is the end of that day in the contract's time zone
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("summary", f"{label}: {name}")
    event.add("description", "\n".join(description))
    if url:
        event.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{label} tomorrow: {name}")
    alarm.add("trigger", -_ALARM_BEFORE)
    event.add_component(alarm)
    return event


def _calendar_bytes(events: list[Event], name: str | None = None, method: str = "PUBLISH") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add("calscale", "GREGORIAN")
    if name:  # the name a subscribing calendar app shows
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def _deadline_event(contract: ContractInfo, deadline: Deadline, api_base_url: str | None,
                    stamp: datetime, uid: str | None = None) -> Event:
    evidence = deadline.evidence or {}
    page = evidence.get("page")
    url = contract_url(api_base_url, contract.contract_id) if api_base_url else None
    return _event(contract.contract_id, contract.title, contract.counterparty,
                  deadline.obligation_id, deadline.kind, deadline.summary, deadline.due,
                  evidence.get("text"), page if isinstance(page, int) else None,
                  deadline.derivation, deadline.action, url, stamp, _document(evidence), uid)


def calendar_for_deadlines(contract: ContractInfo, deadlines: list[Deadline], *,
                           api_base_url: str | None = None, stamp: datetime | None = None) -> bytes:
    """An .ics (METHOD:PUBLISH) with one all-day VEVENT per deadline, UIDs as in the alert emails."""
    return calendar_feed([(contract, deadline) for deadline in deadlines], api_base_url=api_base_url,
                         stamp=stamp)


def calendar_feed(entries: list[tuple[ContractInfo, Deadline]], *, name: str | None = None,
                  api_base_url: str | None = None, stamp: datetime | None = None,
                  uids: Mapping[tuple[str, str], str] | None = None) -> bytes:
    """A subscribable .ics of deadlines across contracts (a person's or a team's feed): one
    all-day VEVENT per deadline, so an entry a date moved is replaced, not doubled. ``uids``:
    (contract, obligation) -> the entry's UID (``invite_uid``, from the entry the subscribers hold);
    a deadline not in it has ``event_uid(contract, obligation)``."""
    stamp = stamp or datetime.now(UTC)
    uids = uids or {}
    return _calendar_bytes([_deadline_event(contract, deadline, api_base_url, stamp,
                                            uids.get((contract.contract_id, deadline.obligation_id)))
                            for contract, deadline in entries], name)


# --- a calendar entry already mailed, changed (calendar_updates) ---------------------------------

@dataclass(frozen=True)
class CalendarEntry:
    """An entry the recipients' calendars hold (``store/invites.py``): what a change names."""

    contract_id: str
    contract_title: str
    counterparty: str | None
    obligation_id: str
    kind: str
    summary: str
    was: date  # its date in their calendars
    time_zone: str
    uid: str | None = None  # its UID (invite_uid); None: event_uid(contract, obligation)


def render_calendar_change(entry: CalendarEntry, *, action: str, reason: str, to: list[str], sender: str,
                           sent_at: datetime, api_url: str, deadline: Deadline | None = None) -> EmailMessage:
    """A short email that moves (``update``: METHOD:REQUEST with the new date, its arithmetic and
    clause; ``deadline`` is the obligation now) or withdraws (``cancel``: METHOD:CANCEL,
    STATUS:CANCELLED) the entry mailed before: the same UID, a higher SEQUENCE."""
    if not to:
        raise ValueError("nothing to send: no recipients")
    label = _KIND_LABEL.get(entry.kind, "Due")
    name = _one_line(entry.contract_title, 80) + (f" — {_one_line(entry.counterparty, 60)}" if entry.counterparty
                                                  else "")
    was = format_day(entry.was)
    if action == "update":
        if deadline is None:
            raise ValueError("an update needs the deadline as it is now")
        event = _event(entry.contract_id, entry.contract_title, entry.counterparty, entry.obligation_id,
                       deadline.kind, deadline.summary, deadline.due, (deadline.evidence or {}).get("text"),
                       _page(deadline.evidence), deadline.derivation, deadline.action, api_url, sent_at,
                       _document(deadline.evidence or {}), uid=entry.uid)
        subject = f"Calendar update: {label} moved to {format_day(deadline.due)} (was {was}): {name}"
        lines = [f"The calendar entry \"{label}: {entry.summary}\" sent with an earlier reminder moves:",
                 f"  was: {was}", f"  now: {format_day(deadline.due)}, end of day ({entry.time_zone})", "",
                 f"Why: {reason}.", f"Date arithmetic: {deadline.derivation}"]
        method = "REQUEST"
    else:
        event = Event()
        event.add("uid", entry.uid or event_uid(entry.contract_id, entry.obligation_id))
        event.add("dtstamp", sent_at.astimezone(UTC))
        event.add("sequence", sequence_at(sent_at))
        event.add("dtstart", entry.was)
        event.add("dtend", entry.was + timedelta(days=1))
        event.add("summary", f"{label}: {name}")
        event.add("status", "CANCELLED")
        subject = f"Calendar: {label} of {was} withdrawn: {name}"
        lines = [f"The calendar entry \"{label}: {entry.summary}\" on {was}, sent with an earlier reminder, "
                 "is withdrawn.", "", f"Why: {reason}."]
        method = "CANCEL"
    event.add("organizer", f"mailto:{sender}")
    for address in to:
        event.add("attendee", f"mailto:{address}")
    lines += ["", api_url]
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = format_datetime(sent_at.astimezone(UTC))
    message["Message-ID"] = make_msgid(domain=UID_DOMAIN)
    message["X-Clausewatch-Contract"] = entry.contract_id
    message["X-Clausewatch-Reminder"] = f"calendar-{action}-{entry.obligation_id}"  # the outbox file's name
    message.set_content("\n".join(lines) + "\n")
    message.add_attachment(_calendar_bytes([event], method=method), maintype="text", subtype="calendar",
                           filename="deadline.ics", params={"method": method, "charset": "utf-8"})
    return message


def _page(evidence: dict | None) -> int | None:
    page = (evidence or {}).get("page")
    return page if isinstance(page, int) else None
