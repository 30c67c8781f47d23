"""`clausewatch event` (date the event a conditional term runs from, or clear a date entered by
mistake), `clausewatch jurisdiction` (set or clear the calendar a contract's business days count), `clausewatch
time-zone` (set a contract's time zone) and
`clausewatch corrections export` (the values people entered or corrected, as JSONL for training), on
the local state: the same domain calls as the API's routes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import state
from .cli import DEFAULT_STATE, _act, _say, local_cloud
from .cloud import LocalCloud


def event(argv: list[str]) -> int:
    from ..pipeline.actions import Conflict, InvalidInput
    from ..pipeline.events import clear_event_date, enter_event_date
    from ..store import repository as repo

    parser = argparse.ArgumentParser(
        prog="clausewatch event",
        description="Enter the date of the event a conditional term runs from (\"five (5) years from the "
                    "Launch Date\"): the expiration, notice deadline and reminders are computed from it. "
                    "--clear takes back a date entered by mistake: the term waits for the event again, and "
                    "the deadlines and reminders counted from it are withdrawn.")
    parser.add_argument("contract_id")
    parser.add_argument("event", help="the event as `clausewatch status` names it, e.g. \"Launch Date\"")
    parser.add_argument("date", nargs="?", help="ISO date, YYYY-MM-DD (not with --clear)")
    parser.add_argument("--clear", action="store_true", help="clear the date entered for the event")
    parser.add_argument("--by", default="cli", help="who entered or cleared it (recorded with the arithmetic)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    if args.clear == (args.date is not None):
        parser.error("give the event's date, or --clear to take back the date entered (one of the two)")

    refused: list[Exception] = []

    def action(cloud: LocalCloud) -> str:
        before = len(cloud.schedules())
        try:
            entered = clear_event_date(args.contract_id, args.event, actor=args.by) if args.clear else \
                enter_event_date(args.contract_id, args.event, args.date, actor=args.by)
        except (InvalidInput, Conflict) as exc:
            refused.append(exc)
            return f"not recorded: {exc}"
        cloud.pump()
        if args.clear:
            return _cleared_line(args.event, entered, before, len(cloud.schedules()))
        if entered.expiration is None:
            return (f"{args.event} {args.date} recorded; still missing: {'; '.join(entered.missing)} "
                    f"(the {entered.conditional.get('rule')} of several events: no expiration until every one "
                    "is dated)")
        notice = "" if entered.notice_deadline is None else \
            f"\nnotice_deadline {entered.notice_deadline.value}: {entered.notice_deadline.derivation}"
        contract = repo.get_contract(args.contract_id)
        later = "" if contract is None or not contract.next_planning else \
            f"\nthe rest is planned on {contract.next_planning}: {contract.next_planning_derivation}"
        return (f"expiration_date {entered.expiration.value}: {entered.expiration.derivation}{notice}\n"
                f"reminder schedules {before} -> {len(cloud.schedules())}{later}")

    code = _act(args.state, action, "event")
    return 2 if refused else code


def _cleared_line(event: str, cleared, before: int, after: int) -> str:
    """What `clausewatch event --clear` did (``events.EventEntered``), as the API's reply says it."""
    if not cleared.changed:
        return f"no date of {event} to clear: nothing changed"
    if cleared.expiration is None:
        return (f"the date of {event} cleared: the term waits for the event again (no expiration, no notice "
                f"deadline counted from it)\nreminder schedules {before} -> {after}")
    notice = "" if cleared.notice_deadline is None else \
        f"\nnotice_deadline {cleared.notice_deadline.value}: {cleared.notice_deadline.derivation}"
    return (f"the date of {event} cleared; an expiration stands: {cleared.expiration.value}: "
            f"{cleared.expiration.derivation}{notice}\nreminder schedules {before} -> {after}")


def jurisdiction(argv: list[str]) -> int:
    from ..dates import holidays_words, jurisdiction_spelling
    from ..pipeline import record
    from ..pipeline.actions import Conflict, InvalidInput
    from ..pipeline.entries import set_jurisdiction
    from ..store import repository as repo

    parser = argparse.ArgumentParser(
        prog="clausewatch jurisdiction",
        description="Set the jurisdiction whose holidays the contract's business days count (checked as at "
                    "upload: a calendar the holidays library has, e.g. GB-ENG, US-NY, DE), or --clear it (the "
                    "governing law's calendar counts again). A business-day notice deadline is recounted, "
                    "the reminders and a waiting renewal decision's cut-offs follow (as PUT "
                    "/contracts/{id}/jurisdiction).")
    parser.add_argument("contract_id")
    parser.add_argument("jurisdiction", nargs="?", help="e.g. GB-ENG (not with --clear)")
    parser.add_argument("--clear", action="store_true", help="clear the jurisdiction set")
    parser.add_argument("--by", default="cli", help="who set it (recorded on the trail and in the arithmetic)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    if args.clear == (args.jurisdiction is not None):
        parser.error("give a jurisdiction, or --clear to clear the one set (one of the two)")

    refused: list[Exception] = []

    def action(cloud: LocalCloud) -> str:
        found = repo.get_contract(args.contract_id)
        try:
            contract = set_jurisdiction(args.contract_id, None if args.clear else args.jurisdiction,
                                        actor=args.by, team=found.team if found is not None else "")
        except (InvalidInput, Conflict) as exc:
            refused.append(exc)
            return f"not recorded: {exc}"
        cloud.pump()
        contract = repo.get_contract(args.contract_id) or contract
        calendar = record.contract_jurisdiction(contract)
        line = (f"jurisdiction {jurisdiction_spelling(contract.jurisdiction) or '(none set)'}: business days count "
                f"{holidays_words(calendar)} ({record.calendar_source(contract)})")
        notice = contract.extracted.terms.get("notice_deadline") if contract.extracted is not None else None
        if notice is not None and notice.value is not None:
            line += f"\nnotice_deadline {notice.value}: {notice.derivation}"
        return line

    code = _act(args.state, action, "jurisdiction")
    return 2 if refused else code


def time_zone(argv: list[str]) -> int:
    from ..pipeline.actions import Conflict, InvalidInput
    from ..pipeline.entries import set_time_zone
    from ..store import repository as repo

    parser = argparse.ArgumentParser(
        prog="clausewatch time-zone",
        description="Set the contract's time zone (checked as at upload: an IANA name such as America/New_York or "
                    "Europe/London): its \"today\", the end of day its deadlines pass and the local hour its "
                    "reminders fire; every reminder is planned again in the new zone (as PUT "
                    "/contracts/{id}/time-zone).")
    parser.add_argument("contract_id")
    parser.add_argument("zone", help="an IANA time zone name, e.g. Europe/London")
    parser.add_argument("--by", default="cli", help="who set it (recorded on the trail)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)

    refused: list[Exception] = []

    def action(cloud: LocalCloud) -> str:
        found = repo.get_contract(args.contract_id)
        before = found.time_zone if found is not None else None
        try:
            contract = set_time_zone(args.contract_id, args.zone, actor=args.by,
                                     team=found.team if found is not None else "")
        except (InvalidInput, Conflict) as exc:
            refused.append(exc)
            return f"not recorded: {exc}"
        if before == contract.time_zone:
            return f"time zone {contract.time_zone} already: nothing changed"
        cloud.pump()
        zones = {str(s.get("ScheduleExpressionTimezone")) for s in cloud.schedules()
                 if args.contract_id in str(s.get("Name", ""))}
        return (f"time zone {before} -> {contract.time_zone}: reminders fire at their local hour in "
                f"{contract.time_zone}" + (f" (schedules in {', '.join(sorted(zones))})" if zones else ""))

    code = _act(args.state, action, "time-zone")
    return 2 if refused else code


def corrections(argv: list[str]) -> int:
    from ..pipeline.corrections import corrections_jsonl

    parser = argparse.ArgumentParser(
        prog="clausewatch corrections",
        description="export: one JSON line per value a person entered or corrected (contract, document "
                    "SHA-256, field, extracted value and evidence, corrected value, author, time, clause); "
                    "`CORRECTIONS=FILE make train` reads it.")
    parser.add_argument("action", choices=["export"])
    parser.add_argument("--out", type=Path, help="write to this file (default: stdout)")
    parser.add_argument("--team", help="only this team's contracts")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    with local_cloud(args.state, verbose=False, writer="corrections") as cloud:
        cloud.pump()
        text = corrections_jsonl(team=args.team)
        state.save(args.state)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        _say(f"{text.count(chr(10))} correction(s) written to {args.out}")
    return 0
