"""`clausewatch metrics | invoice | findings`: the contract's money on the embedded default.

``metrics ID FILE`` and ``invoice ID FILE`` put the file where the deployed path finds it
(``metrics/<id>/``, ``invoices/<id>/`` in the local bucket) and let the same money λ read it;
``findings [ID]`` lists breaches, credits owed and invoice findings with their arithmetic."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from .. import config
from ..config import Settings
from ..pipeline import money
from ..store import money as store
from ..store import repository as repo
from . import report, state
from .cli import DEFAULT_STATE, _say, local_cloud


def _put(kind: str, argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"clausewatch {kind}",
        description=f"Put a {kind} file under {money.money_file_key(kind, 'ID', 'FILE')} in the local bucket and "
                    "run the money λ on it, as the S3 notification would on AWS.")
    parser.add_argument("contract_id")
    parser.add_argument("file", type=Path)
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    if not args.file.is_file():
        _say(f"no file {args.file}")
        return 2
    with local_cloud(args.state, verbose=False, writer=kind) as cloud:
        cloud.pump()
        if repo.get_contract(args.contract_id) is None:
            _say(f"no contract {args.contract_id}")
            return 2
        key = money.put_money_file(Settings.from_env(), kind, args.contract_id, args.file.name,
                                   args.file.read_bytes(), actor="cli")
        cloud.pump()
        cloud.write_outbox(args.state / "outbox")  # the owner's findings email, as the reminders are
        state.save(args.state)
        found = money.findings_of_key(args.contract_id, key)
        _say(f"{key}: {len(found)} finding(s)")
        print_findings(found)
        return 1 if any(f.kind == "file_refused" for f in found) else 0


def metrics(argv: list[str]) -> int:
    return _put("metrics", argv)


def invoice(argv: list[str]) -> int:
    return _put("invoice", argv)


def print_findings(items) -> None:
    """The findings as a table, each summary and arithmetic whole: wrapped onto the row's next lines
    to fit the terminal (a refused file's reason is in its summary)."""
    rows = [[f.contract_id, f.kind, f.period or f.invoice_number or "-",
             "" if f.amount is None else f"{f.currency} {float(f.amount):,.2f}", f.summary, f.derivation or ""]
            for f in items]
    if rows:
        headers = ["contract", "finding", "period/invoice", "amount", "summary", "arithmetic"]
        fixed = sum(max(len(headers[i]), *(len(r[i]) for r in rows)) + 2 for i in range(4))
        room = shutil.get_terminal_size(fallback=(160, 24)).columns - fixed - 2
        summary = max(40, room * 2 // 5)
        _say(report.table(rows, headers, wrap={4: summary, 5: max(60, room - summary)}))


def findings_json(items) -> str:
    """The findings as the API's finding views (``GET /contracts/{id}/findings``), one JSON document."""
    from ..api.money import finding_page

    files = {c.contract_id: c.file_name for c in repo.list_contracts()}
    return finding_page(items, files).model_dump_json(indent=1)


def findings(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="clausewatch findings",
                                     description="SLA breaches, credits owed and invoice findings, with their arithmetic.")
    parser.add_argument("contract_id", nargs="?")
    parser.add_argument("--json", action="store_true",
                        help="print the API's finding views (GET /contracts/{id}/findings) as one JSON document")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    with local_cloud(args.state, verbose=False) as cloud:
        cloud.pump()
        if args.contract_id:
            if repo.get_contract(args.contract_id) is None:
                _say(f"no contract {args.contract_id}")
                return 2
            items = store.findings(args.contract_id)
        else:
            teams = {c.team for c in repo.list_contracts()} or {config.DEFAULT_TEAM}
            items = [f for team in sorted(teams) for f in store.findings_of_team(team)]
        if args.json:
            print(findings_json(items))
            return 0
        if not items:
            _say("no findings")
            return 0
        print_findings(items)
        owed = [f for f in items if f.kind == "sla_breach" and f.amount and not store.contract_deleted(f)]
        if owed:
            open_claims = {o.obligation_id for f in owed for o in repo.obligations(f.contract_id)
                           if o.obligation_id == f.claim_obligation_id and o.status == "open"}
            unclaimed = [f for f in owed if f.claim_obligation_id in open_claims]
            _say(f"\ncredits owed: {len(owed)}, unclaimed: {len(unclaimed)}"
                 + "".join(f"\n  {f.contract_id} {f.period}: {f.currency} {float(f.amount):,.2f} "
                           f"(claim by {f.detail.get('claim_by')}; `clausewatch done {f.contract_id} "
                           f"{f.claim_obligation_id}` once claimed)" for f in unclaimed))
        claims = {(f.contract_id, o.obligation_id): o.status for f in items if f.claim_obligation_id
                  for o in repo.obligations(f.contract_id) if o.obligation_id == f.claim_obligation_id}
        unknown = [f for f in items if store.amount_unknown(f, claims.get((f.contract_id, f.claim_obligation_id)))]
        if unknown:  # a credit may be owed whose amount is not known: not counted as none
            _say(f"\ncredits to check by hand (amount unknown, not in the credits owed): {len(unknown)}"
                 + "".join(f"\n  {f.contract_id} {f.period}: {f.detail.get('amount_unknown')}"
                           + (f" (claim by {f.detail.get('claim_by')})" if f.detail.get("claim_by") else
                              " (no claim window read)") for f in unknown))
        checked = [(f, c) for f in items if (c := store.credit_checked(f))]
        if checked:  # a person's check of a credit flag with no claim (`clausewatch credit-checked`)
            _say("\ncredits checked by hand:" + "".join(f"\n  {f.contract_id} {f.period}: {store.checked_words(c)}"
                                                       for f, c in checked))
    return 0


def credit_checked(argv: list[str]) -> int:
    from ..pipeline.credit_checks import check_credit
    from .cli import _act

    parser = argparse.ArgumentParser(
        prog="clausewatch credit-checked",
        description="A breach's credit to check by hand (Needs attention: credit_to_check) with no claim to settle "
                    "it was checked: its flag goes, the check is kept on the finding and audited. A corrected "
                    "metrics file that changes the credit or its reason raises the flag again. A breach with an "
                    "open claim is settled by `clausewatch done` (or the claim waived) instead.")
    parser.add_argument("contract_id")
    parser.add_argument("finding_id", help="the breach's finding id (breach-<period>-<metric>, `clausewatch findings`)")
    parser.add_argument("--note", required=True, help="what you found or decided (kept in the audit trail)")
    owed = parser.add_mutually_exclusive_group()
    owed.add_argument("--claimed", metavar="'CUR AMOUNT'", help="the amount you claimed, exactly, e.g. 'GBP 1,500.00' "
                      "(a comma only between groups of three, at most two decimals: '500,00' is refused)")
    owed.add_argument("--nothing-owed", action="store_true", help="no credit is owed")
    parser.add_argument("--by", default="cli", help="who checked it (kept in the audit trail)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)

    def action(cloud) -> str:
        item = check_credit(args.contract_id, args.finding_id, actor=args.by, note=args.note, claimed=args.claimed,
                            nothing_owed=args.nothing_owed)
        cloud.pump()
        return f"{args.finding_id}: {store.checked_words(store.credit_checked(item) or {})}"

    return _act(args.state, action, "credit-checked")


# the demo's money files: contract PDF -> files for it, in samples/
DEMO_MONEY_FILES = {"saas-subscription-northwind.pdf": ("metrics-northwind-2026-10.csv",
                                                        "invoice-northwind-2026-03.xml")}


def demo_money(cloud, samples: Path) -> None:
    """One month of metrics and one invoice for the SaaS sample, through the money λ."""
    from ..pipeline.intake import contract_id_for
    from ..text.validate import sha256_hex

    for pdf, names in DEMO_MONEY_FILES.items():
        paths = [samples / name for name in names if (samples / name).is_file()]
        if not (samples / pdf).is_file() or not paths:
            continue
        contract_id = contract_id_for(sha256_hex((samples / pdf).read_bytes()))
        if repo.get_contract(contract_id) is None:
            continue
        _say(f"\nMoney: {', '.join(p.name for p in paths)} for {pdf} -> metrics/ and invoices/ -> money λ:")
        for path in paths:
            kind = "invoice" if path.suffix.lower() == ".xml" or "invoice" in path.name else "metrics"
            money.put_money_file(Settings.from_env(), kind, contract_id, path.name, path.read_bytes(), actor="demo")
        cloud.pump()
        print_findings(store.findings(contract_id))


def portfolio_report(argv: list[str]) -> int:
    from .. import clock
    from ..pipeline.portfolio import team_portfolio
    from ..reports.portfolio import FORMATS, render, render_teams

    parser = argparse.ArgumentParser(
        prog="clausewatch report",
        description="The portfolio view of a team: renewals in the next 90/180 days, terms of contracts that do "
                    "not renew that ended in the last 30 days, overdue obligations by "
                    "owner, SLA credits owed and claimed, invoice findings, amendments applied.")
    parser.add_argument("--team", default=None, help="default: every team in the state: JSON one object by team, "
                        "CSV one table with a team column, HTML one page each")
    parser.add_argument("--format", choices=FORMATS, default="html")
    parser.add_argument("--out", type=Path, help="a file (several teams in HTML: <stem>-<team><suffix>); "
                        "default: stdout")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    with local_cloud(args.state, verbose=False) as cloud:
        cloud.pump()
        teams = [args.team] if args.team else sorted({c.team for c in repo.list_contracts()}) or [config.DEFAULT_TEAM]
        at = clock.now()
        if args.team is None and args.format != "html":  # one document, every team in it
            _, body = render_teams([team_portfolio(team, at) for team in teams], args.format)
            if args.out is None:
                print(body, end="" if body.endswith("\n") else "\n")
            else:
                args.out.write_text(body)
                _say(f"{', '.join(teams)}: {args.out}")
            return 0
        for team in teams:
            _, body = render(team_portfolio(team, at), args.format)
            if args.out is None:
                print(body, end="" if body.endswith("\n") else "\n")
                continue
            out = args.out if len(teams) == 1 else args.out.with_name(f"{args.out.stem}-{team}{args.out.suffix}")
            out.write_text(body)
            _say(f"{team}: {out}")
    return 0


def digest(argv: list[str]) -> int:
    """Send this week's digests now, each dated the reader's day in their zone (the deployed stack
    sends each on Monday 07:00 in the reader's zone)."""
    from .. import clock
    from ..dates import is_place_time_zone
    from ..pipeline.digest import send_digests
    from ..store import preferences

    parser = argparse.ArgumentParser(
        prog="clausewatch digest",
        description="Set a person's preferences (--email with --digest/--reminders), or send this week's "
                    "digests now into the outbox, as the weekly rule does on AWS.")
    parser.add_argument("--email", help="whose preferences to set")
    parser.add_argument("--team", default=None, help="the team whose digest it is (default: the teams of the "
                        "contracts the person owns, else the state's only team)")
    parser.add_argument("--digest", choices=("weekly", "off"))
    parser.add_argument("--reminders", choices=("each", "urgent", "none"))
    parser.add_argument("--time-zone", help="the IANA zone the digest is sent in (Monday 07:00 there) and dated by")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    with local_cloud(args.state, verbose=False, writer="digest") as cloud:
        cloud.pump()
        if args.email:
            contracts = repo.list_contracts()
            all_teams = sorted({c.team for c in contracts})
            teams = [args.team] if args.team else \
                sorted({c.team for c in contracts if (c.owner or "").lower() == args.email.lower()}) or \
                (all_teams if len(all_teams) == 1 else [])
            if not teams or (args.team and all_teams and args.team not in all_teams):
                # a digest of a team with no contract is always empty: say so rather than subscribe to it
                _say(f"clausewatch digest: say which team's digest with --team (the teams here: "
                     f"{', '.join(all_teams) or 'none yet'})")
                return 2
            if args.time_zone is not None and not is_place_time_zone(args.time_zone):
                _say(f"clausewatch digest: --time-zone {args.time_zone!r} is not an IANA time zone name such as "
                     "America/Los_Angeles, Europe/Berlin or UTC")
                return 2
            current = preferences.get(args.email)
            for team in teams:
                item = preferences.put(args.email, digest=args.digest or (current.digest if current else "off"),
                                       reminders=args.reminders or (current.reminders if current else "each"),
                                       team=team, time_zone=args.time_zone)
            _say(f"{item.email}: digest {item.digest}, reminders {item.reminders}, time zone "
                 f"{item.time_zone or 'UTC'}, teams {', '.join(item.teams)}")
        else:
            counts = send_digests(Settings.from_env(), clock.now(), everyone=True)
            cloud.write_outbox(args.state / "outbox")
            _say(f"digests: {counts['sent']} sent, {counts['empty']} with nothing due, "
                 f"{counts['already_sent']} already sent this week (emails in {args.state / 'outbox'}/)")
        state.save(args.state)
    return 0
