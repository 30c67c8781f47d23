"""`clausewatch renewal show ID` and `clausewatch renewal decide ID --decision ... --reason ...`:
a contract term's renewal decision on the local state folder."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from pathlib import Path

from .. import clock, dates, notify
from ..pipeline.actions import Conflict, InvalidInput, NotFound
from ..renewal import decide, store
from ..renewal import local as renewal_local
from ..renewal.recommend import Decision
from . import state
from .cli import DEFAULT_STATE, _say, local_cloud

SECRET_FIELDS = ("task_token", "decision_nonce")  # never printed: they decide


def local_moment(moment: str | None, time_zone: str | None) -> str:
    """An instant stored in UTC (a wait's end, 2026-12-16T04:59:59+00:00) as the contract's people
    read it, in its time zone, as the emails say it: "2026-12-15 23:59 America/New_York"."""
    if not moment:
        return "-"
    zone = time_zone or "UTC"
    local = datetime.fromisoformat(moment).astimezone(dates.zone(zone))
    return f"{local:%Y-%m-%d %H:%M} {zone}"


def pending_table(items: list[store.RenewalItem], titles: dict[str, str],
                  zones: dict[str, str | None] | None = None) -> list[str]:
    """Decisions waiting for a person, nearest notice deadline first; each wait's end in its
    contract's time zone (``zones``: contract id -> zone; UTC when not known)."""
    rows = sorted(items, key=lambda i: (i.notice_deadline or i.term_end, i.contract_id))
    out = []
    for i in rows:
        rec = (i.recommendation or {}).get("decision", "?")
        out.append(f"  {i.contract_id}  {titles.get(i.contract_id, '')[:34]:<34}  notice by {i.notice_deadline or '-':<10}"
                   f"  term ends {i.term_end}  recommended {str(rec).upper():<11}  waiting for the {i.waiting_round}"
                   f" until {local_moment(i.wait_deadline, (zones or {}).get(i.contract_id))}")
    return out


def show_renewal(item: store.RenewalItem, time_zone: str | None = None, letter_at: str | None = None) -> list[str]:
    """The record as text: state, recommendation with reasons, evidence, decision, history; the
    wait's end in the contract's ``time_zone``; ``letter_at``: where the notice letter is on this
    disk (the state folder's blob of its key), else its key alone."""
    rec = item.recommendation or {}
    lines = [f"contract {item.contract_id}, term ending {item.term_end} (notice deadline {item.notice_deadline or '-'})",
             f"state: {item.state}" + (f", waiting for the {item.waiting_round} until "
                                       f"{local_moment(item.wait_deadline, time_zone)}" if item.waiting_round else "")]
    if rec:
        lines.append(f"recommendation: {str(rec.get('decision')).upper()} (owner decides by "
                     f"{rec.get('owner_decides_by')}, final cut-off {rec.get('final_cutoff')})")
        lines += [f"  - {reason}" for reason in rec.get("reasons") or []]
    evidence = item.evidence or {}
    if evidence:
        lines.append(f"evidence: {len(evidence.get('obligations_met') or [])} obligation(s) met, "
                     f"{len(evidence.get('obligations_missed') or [])} missed, "
                     f"{len(evidence.get('obligations_open') or [])} open; alerts sent {evidence.get('alerts_sent')}; "
                     f"price increase cap {evidence.get('price_increase_cap') or '-'}; "
                     f"days left to give notice {evidence.get('days_left_to_give_notice')}"
                     + _as_of(item, time_zone))
    if item.decision:
        d = item.decision
        lines.append(f"decision: {d.get('decision')} by {d.get('by')} at {d.get('at')} ({d.get('via')}): {d.get('reason')}")
    if item.outcome:
        lines.append(f"outcome: {item.outcome}")
    if item.notice_key:
        lines.append(f"notice letter: {letter_at} (a PDF; its key in the bucket: {item.notice_key})" if letter_at
                     else f"notice letter: s3://…/{item.notice_key} (not saved on this disk yet)")
    lines.append("history:")
    lines += [f"  {h.get('at')}  {h.get('actor'):<28} {h.get('action')}" for h in item.history or []]
    return lines


def _as_of(item: store.RenewalItem, time_zone: str | None) -> str:
    """When the evidence was gathered (its days left were counted then), and the days left today to
    the record's notice deadline when they differ: a record shown weeks later does not read as if as
    many days were left."""
    gathered = next((h.get("at") for h in reversed(item.history or []) if h.get("action") == "evidence.gathered"),
                    None)
    if not gathered:
        return ""
    said = f" (as of {local_moment(gathered, time_zone)}, when the evidence was gathered"
    if not item.notice_deadline:
        return said + ")"
    now = notify.days_left(date.fromisoformat(item.notice_deadline), clock.now(), time_zone or "UTC")
    told = (item.evidence or {}).get("days_left_to_give_notice")
    return said + (f"; {now} today, to {item.notice_deadline})" if told is not None and now != told else ")")


def _zone(contract_id: str) -> str | None:
    from ..store import repository as repo

    contract = repo.get_contract(contract_id)
    return contract.time_zone if contract is not None else None


def not_started(contract_id: str) -> str:
    """Why nothing can be decided yet, in the CLI's words: when the workflow starts (as the planner
    plans it, ``renewal.planning.wanted_start``, with its arithmetic) and what starts it."""
    from .. import clock
    from ..renewal.ended import contract_ended
    from ..renewal.planning import wanted_start
    from ..store import repository as repo

    contract = repo.get_contract(contract_id)
    if contract is None:
        return f"no contract {contract_id}"
    head = f"No renewal decision is waiting for contract {contract_id}: its renewal workflow has not started."
    start = wanted_start(contract_id, clock.now())
    if start is not None:
        when = "at once" if start.immediate else f"on {local_moment(start.fire_at.isoformat(), contract.time_zone)}"
        return (f"{head} It starts {when} ({start.derivation}), when the daily sweep runs: `clausewatch tick` "
                "(or `clausewatch serve`, which runs it) on or after then starts it and asks the owner; decide then.")
    term_end, notice = contract.current_expiration, contract.current_notice_deadline
    ended = contract_ended(contract_id, contract.time_zone)
    if not term_end:
        why = "no term end is known for it (enter the expiration date; the sweep then plans it)"
    elif ended is not None and ended.last_day < term_end:
        why = f"the contract ended ({ended.derivation})"
    elif notice and notice > term_end:
        why = (f"this term's notice deadline passed before it could start (the next one is {notice}); the next "
               "term's decision is planned once the term rolls over")
    else:
        why = f"the notice deadline (else the term end) has passed: notice by {notice or '-'}, term end {term_end}"
    return f"{head} None is planned: {why}."


def _letter_at(state_dir: Path, item: store.RenewalItem) -> str | None:
    """The notice letter's file in the saved state folder (s3/blobs/<sha256>), as `status` shows a
    quarantined file's: an S3 key exists only inside the embedded S3."""
    from .report import saved_blobs

    blob = saved_blobs(state_dir).get(item.notice_key or "")
    return str(state_dir / "s3" / "blobs" / blob) if blob else None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="clausewatch renewal",
                                     description="A contract's renewal decision (local state folder).")
    sub = parser.add_subparsers(dest="command", required=True)
    show = sub.add_parser("show", help="state, recommendation with its evidence, decision, history")
    show.add_argument("contract_id")
    show.add_argument("--json", action="store_true")
    show.add_argument("--state", type=Path, default=DEFAULT_STATE)
    dec = sub.add_parser("decide", help="decide the waiting renewal")
    dec.add_argument("contract_id")
    dec.add_argument("--decision", required=True, choices=[d.value for d in Decision])
    dec.add_argument("--reason", required=True)
    dec.add_argument("--by", default="cli", help="who decides (the audit trail's actor)")
    dec.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    writer = None if args.command == "show" else f"renewal {args.command}"
    with local_cloud(args.state, verbose=False, writer=writer) as cloud:
        cloud.pump()
        if args.command == "show":
            item = store.latest(args.contract_id)
            if item is None:
                _say(f"no renewal decision for {args.contract_id} yet")
                return 2
            shown = {k: v for k, v in item.attribute_values.items() if k not in SECRET_FIELDS}
            _say(json.dumps(shown, indent=1, default=str, sort_keys=True) if args.json
                 else "\n".join(show_renewal(item, _zone(item.contract_id), _letter_at(args.state, item))))
            return 0
        try:
            if store.latest(args.contract_id) is None:
                _say(not_started(args.contract_id))
                return 2
            item = decide.decide(args.contract_id, args.decision, args.reason, actor=args.by, via="cli")
        except (NotFound, Conflict, InvalidInput) as exc:
            _say(str(exc))
            return 2
        if item.execution_arn:
            renewal_local.settle(item.execution_arn)  # the branch runs (moto's thread)
        cloud.pump()  # its obligations are planned (reminders)
        state.save(args.state)
        after = store.get(item.contract_id, item.term_end) or item
        _say("\n".join(show_renewal(after, _zone(after.contract_id), _letter_at(args.state, after))))
    return 0
