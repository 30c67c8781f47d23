"""`clausewatch renewal show ID` and `clausewatch renewal decide ID --decision ... --reason ...`:
a contract term's renewal decision on the local state folder."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..pipeline.actions import Conflict, InvalidInput, NotFound
from ..renewal import decide, store
from ..renewal import local as renewal_local
from ..renewal.recommend import Decision
from . import state
from .cli import DEFAULT_STATE, _say, local_cloud

SECRET_FIELDS = ("task_token", "decision_nonce")  # never printed: they decide


def pending_table(items: list[store.RenewalItem], titles: dict[str, str]) -> list[str]:
    """Decisions waiting for a person, nearest notice deadline first."""
    rows = sorted(items, key=lambda i: (i.notice_deadline or i.term_end, i.contract_id))
    out = []
    for i in rows:
        rec = (i.recommendation or {}).get("decision", "?")
        out.append(f"  {i.contract_id}  {titles.get(i.contract_id, '')[:34]:<34}  notice by {i.notice_deadline or '-':<10}"
                   f"  term ends {i.term_end}  recommended {str(rec).upper():<11}  waiting for the {i.waiting_round}"
                   f" until {(i.wait_deadline or '')[:10]}")
    return out


def show_renewal(item: store.RenewalItem) -> list[str]:
    """The record as text: state, recommendation with reasons, evidence, decision, history."""
    rec = item.recommendation or {}
    lines = [f"contract {item.contract_id}, term ending {item.term_end} (notice deadline {item.notice_deadline or '-'})",
             f"state: {item.state}" + (f", waiting for the {item.waiting_round} until {item.wait_deadline}"
                                       if item.waiting_round else "")]
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
                     f"days left to give notice {evidence.get('days_left_to_give_notice')}")
    if item.decision:
        d = item.decision
        lines.append(f"decision: {d.get('decision')} by {d.get('by')} at {d.get('at')} ({d.get('via')}): {d.get('reason')}")
    if item.outcome:
        lines.append(f"outcome: {item.outcome}")
    if item.notice_key:
        lines.append(f"notice letter: s3://…/{item.notice_key}")
    lines.append("history:")
    lines += [f"  {h.get('at')}  {h.get('actor'):<28} {h.get('action')}" for h in item.history or []]
    return lines


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
                 else "\n".join(show_renewal(item)))
            return 0
        try:
            item = decide.decide(args.contract_id, args.decision, args.reason, actor=args.by, via="cli")
        except (NotFound, Conflict, InvalidInput) as exc:
            _say(str(exc))
            return 2
        if item.execution_arn:
            renewal_local.settle(item.execution_arn)  # the branch runs (moto's thread)
        cloud.pump()  # its obligations are planned (reminders)
        state.save(args.state)
        after = store.get(item.contract_id, item.term_end) or item
        _say("\n".join(show_renewal(after)))
    return 0
