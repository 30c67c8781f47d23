"""`clausewatch event` (date the event a conditional term runs from) and `clausewatch corrections
export` (the values people entered or corrected, as JSONL for training), on the local state."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import state
from .cli import DEFAULT_STATE, _act, _say, local_cloud
from .cloud import LocalCloud


def event(argv: list[str]) -> int:
    from ..pipeline.actions import Conflict, InvalidInput
    from ..pipeline.events import enter_event_date
    from ..store import repository as repo

    parser = argparse.ArgumentParser(
        prog="clausewatch event",
        description="Enter the date of the event a conditional term runs from (\"five (5) years from the "
                    "Launch Date\"): the expiration, notice deadline and reminders are computed from it.")
    parser.add_argument("contract_id")
    parser.add_argument("event", help="the event as `clausewatch status` names it, e.g. \"Launch Date\"")
    parser.add_argument("date", help="ISO date, YYYY-MM-DD")
    parser.add_argument("--by", default="cli", help="who entered it (recorded with the arithmetic)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)

    refused: list[Exception] = []

    def action(cloud: LocalCloud) -> str:
        before = len(cloud.schedules())
        try:
            entered = enter_event_date(args.contract_id, args.event, args.date, actor=args.by)
        except (InvalidInput, Conflict) as exc:
            refused.append(exc)
            return f"not recorded: {exc}"
        cloud.pump()
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
