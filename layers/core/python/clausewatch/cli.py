"""`clausewatch` command line: each sub-command lives in the module that owns its concern."""

from __future__ import annotations

import sys
from importlib import import_module

# sub-command -> (module, function taking argv, one-line help)
COMMANDS = {
    "extract": ("clausewatch.extract.cli", "main", "extract terms and obligations from a PDF or text file"),
    "eval": ("clausewatch.evaluate", "main", "measure extraction against the CUAD corpus"),
    "demo": ("clausewatch.local.cli", "demo", "run the sample contracts through the embedded default"),
    "watch": ("clausewatch.local.cli", "watch", "process PDFs copied into a local drop folder"),
    "tick": ("clausewatch.local.cli", "tick", "fire due reminder schedules up to a date (local)"),
    "status": ("clausewatch.local.cli", "status", "list the contracts in the local state folder"),
    "obligations": ("clausewatch.local.cli", "obligations", "list a contract's obligations and deadlines (local)"),
    "done": ("clausewatch.local.cli", "done", "mark an obligation done; its reminders are cancelled (local)"),
    "reopen": ("clausewatch.local.cli", "reopen",
               "reopen a recurring duty's rule marked done before 2026-12-07: the duty goes on (local)"),
    "delete": ("clausewatch.local.cli", "delete", "delete a contract; its reminders are removed (local)"),
    "is-a-contract": ("clausewatch.local.cli", "is_a_contract",
                      "dismiss the \"does not read as a contract\" flag: it is one (local)"),
    "amendment-checked": ("clausewatch.local.cli", "amendment_checked",
                          "an amendment read as changing no term was checked: nothing to enter (local)"),
    "metrics": ("clausewatch.local.money_cli", "metrics", "check a contract's SLA metrics file (CSV, JSON, OpenMetrics) (local)"),
    "invoice": ("clausewatch.local.money_cli", "invoice", "check an invoice (UBL 2.1 XML, CSV, JSON) against a contract (local)"),
    "findings": ("clausewatch.local.money_cli", "findings", "list SLA breaches, credits owed and invoice findings (local)"),
    "credit-checked": ("clausewatch.local.money_cli", "credit_checked",
                       "a breach's credit to check by hand (no claim to settle it) was checked: say what was found (local)"),
    "report": ("clausewatch.local.money_cli", "portfolio_report", "the portfolio report: renewals, overdue, credits, findings (local)"),
    "digest": ("clausewatch.local.money_cli", "digest", "set digest preferences, or send this week's digests (local)"),
    "serve": ("clausewatch.local.service", "serve", "serve the API on 127.0.0.1 with the embedded default"),
    "token": ("clausewatch.local.tokens", "command", "create a bearer token for `clausewatch serve`"),
    "renewal": ("clausewatch.local.renewal_cli", "main", "show or decide a contract's renewal decision (local)"),
    "redrive": ("clausewatch.local.redrive", "command", "move dead-lettered messages back for reprocessing (local)"),
    "retry": ("clausewatch.local.redrive", "retry_command", "retry a contract that FAILED for a transient reason (local)"),
    "event": ("clausewatch.local.corrections_cli", "event",
              "enter (or --clear) the date of the event a conditional term runs from (local)"),
    "jurisdiction": ("clausewatch.local.corrections_cli", "jurisdiction",
                     "set (or --clear) the calendar a contract's business days count (local)"),
    "time-zone": ("clausewatch.local.corrections_cli", "time_zone",
                  "set a contract's time zone; its reminders are planned again in it (local)"),
    "corrections": ("clausewatch.local.corrections_cli", "corrections", "export the values people entered or corrected as JSONL (local)"),
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or args[0] not in COMMANDS:
        print("usage: clausewatch <command> [options]\n\ncommands:")
        for name, (_, _, text) in COMMANDS.items():
            print(f"  {name:<8} {text}")
        return 0 if args and args[0] in ("-h", "--help") else 2
    module, function, _ = COMMANDS[args[0]]
    from clausewatch.local.statelock import StateInUse

    try:
        return int(getattr(import_module(module), function)(args[1:]) or 0)
    except StateInUse as exc:  # another process writes this state folder: one line, as any refusal
        print(exc, file=sys.stderr)
        return 2
    except BrokenPipeError:  # `clausewatch tick ... | head`: the reader stopped; state is saved first
        return _reader_stopped()


def _reader_stopped() -> int:
    """The output's reader went away: point stdout at /dev/null so the interpreter's final flush
    does not raise again, and exit quietly (the commands save their state before printing)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # not a real file (a test's buffer)
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
