"""`clausewatch demo | watch | tick | status`: the embedded default from the command line."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .. import clock, config, dates
from ..aws.clients import client
from ..config import Settings
from ..extract.contract_language import NOT_A_CONTRACT
from ..pipeline.attention import attention_of
from ..pipeline.intake import contract_id_for
from ..pipeline.record import local_today
from ..schema import ContractStatus
from ..store import repository as repo
from ..store.models import ContractItem
from ..text.validate import sha256_hex
from . import dropfolder, report, state, statelock, stopping
from .cloud import LocalCloud
from .handlers import REPO_ROOT

SAMPLES_DIR = REPO_ROOT / "samples"
DEFAULT_STATE = Path(".clausewatch")


def _say(text: str = "") -> None:
    print(text, flush=True)


def _progress(kind: str, info: dict) -> None:
    """One line per upload and per Lambda batch (the planner's many small batches are counted
    and reported with the next upload's summary instead)."""
    if kind == "uploaded":
        _say(f"  {info['key']}")
    elif kind in ("ingest", "textract_done"):
        failed = f", {info['failed']} to retry" if info["failed"] else ""
        _say(f"    -> {kind} λ: {info['messages']} message(s){failed}")


@contextmanager
def local_cloud(state_dir: Path, verbose: bool = True, fresh: bool = False, *,
                writer: str | None = None, real_clock: bool = False) -> Iterator[LocalCloud]:
    """Start the embedded default with the saved state (unless ``fresh``), on the clock it was saved
    at when that is later than now (unless ``real_clock``). A command that saves the state names
    itself as ``writer``: it holds the state folder while it runs, and is refused
    (``statelock.StateInUse``) while another process, `clausewatch serve` say, holds it."""
    with ExitStack() as held:
        if writer is not None:
            held.enter_context(statelock.hold(state_dir, writer))
        elif (other := statelock.holder(state_dir)) is not None:  # a reader: say what it reads
            print(f"(`clausewatch {other.command}` (pid {other.pid}) is using this state: shown as it "
                  f"last saved it)", file=sys.stderr, flush=True)
        yield held.enter_context(_local_cloud(state_dir, verbose, fresh, real_clock))


@contextmanager
def _local_cloud(state_dir: Path, verbose: bool, fresh: bool, real_clock: bool) -> Iterator[LocalCloud]:
    caller_clock = clock.simulated()  # a saved state may move the clock: put it back afterwards
    # webhook deliveries to other hosts are written beside the state, never sent (offline)
    os.environ[config.ENV_WEBHOOK_OUTBOX] = str(state_dir / "outbox" / "webhooks")
    # invocations at once (CLAUSEWATCH_LOCAL_CONCURRENCY; 1, one after another, by default)
    cloud = LocalCloud(on_event=_progress if verbose else None, concurrency=config.local_concurrency()).start()
    # imported once the environment is the Lambdas' (service name, level); handlers and the pipeline
    # log warnings (a quarantine, an unmatched amendment) as JSON for CloudWatch: the terminal shows
    # the same facts in the tables instead
    from .. import observability

    observability.set_level(logging.ERROR)
    try:
        if not fresh and state.load(state_dir, keep_later_clock=not real_clock):
            resume_pending_text_jobs()
        yield cloud
    finally:
        cloud.stop()
        clock.set_now(caller_clock)


def resume_pending_text_jobs() -> None:
    """Text jobs whose completion message was in flight when the state was saved start again
    (same ClientRequestToken, so the same job)."""
    from ..aws.textract import start_text_detection
    from ..pipeline.intake import text_job_token

    settings = Settings.from_env()
    for contract in repo.list_contracts():
        if contract.status == ContractStatus.TEXT_PENDING and contract.original_key:
            start_text_detection(settings, contract.contract_id, text_job_token(contract),
                                 settings.bucket, contract.original_key)


def print_status(state_dir: Path | None = None) -> None:
    contracts = repo.list_contracts()
    _say(report.contracts_table(contracts))
    problems = report.problems_table(contracts, state_dir)
    if problems:
        _say("\nNeeds attention (nothing was dropped; each keeps its file and reason):")
        _say(problems)
        if state_dir is not None:
            _say(f"(files are kept in {state_dir}/s3/blobs/, named by their SHA-256; copy one out to open it)")
    flags = report.attention_table(contracts)
    if flags:
        _say("\nNeeds review (not guessed; nothing counts from these until a person decides):")
        _say(flags)


def print_fired(fired, limit: int | None = None) -> None:
    shown = fired if limit is None else fired[:limit]
    for f in shown:
        r = f.result
        who = ", ".join(r.get("to") or []) + (f" cc {', '.join(r['cc'])}" if r.get("cc") else "")
        if f.payload.get("calendar"):  # a calendar entry mailed before, moved or withdrawn
            what = (f"calendar {f.payload['calendar']} {f.payload.get('obligation_id')} {f.payload.get('was')}"
                    + (f" -> {f.payload['due']}" if f.payload.get("due") else ""))
        else:
            what = f"{f.payload.get('kind')} due {f.payload.get('due')} ({f.payload.get('lead_days')}d lead)"
        outcome = f"-> {who}" if r.get("sent") else f"suppressed: {r.get('reason')}"
        _say(f"  {f.at.strftime('%Y-%m-%d %H:%M')}Z  {what:<44} {outcome}")
    if limit is not None and len(fired) > limit:
        _say(f"  ... and {len(fired) - limit} more")


# --- demo ----------------------------------------------------------------------------------------

# The demo tells the README's story on any real day: the sample contracts carry fixed dates, so it
# runs at this simulated today (`--today` moves it). watch, tick and the deployed path keep the
# real clock.
DEMO_TODAY = date(2026, 11, 25)
DEMO_HOUR_UTC = 10  # the demo's "now" on that day


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="clausewatch demo",
                                     description="Run the sample contracts through the embedded default.")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    parser.add_argument("--samples", type=Path, default=SAMPLES_DIR)
    parser.add_argument("--simulate-days", type=int, default=120,
                        help="forward simulation of reminders (not saved)")
    parser.add_argument("--today", type=date.fromisoformat, default=DEMO_TODAY, metavar="YYYY-MM-DD",
                        help="the simulated today the demo runs at, 10:00 UTC (default: %(default)s, "
                             "the day of the README's story)")
    parser.add_argument("--fresh", action="store_true", help="ignore the saved state")
    args = parser.parse_args(argv)
    started = time.monotonic()
    files = sorted(p for p in args.samples.glob("*.pdf"))
    if not files:
        _say(f"no sample PDFs in {args.samples}")
        return 2
    metadata = json.loads((args.samples / "metadata.json").read_text()) \
        if (args.samples / "metadata.json").exists() else {}
    simulated_today = datetime(args.today.year, args.today.month, args.today.day, DEMO_HOUR_UTC,
                               tzinfo=UTC)
    _say(f"clausewatch demo at a simulated today: {simulated_today:%Y-%m-%d %H:%M} UTC "
         f"(the real date does not matter; --today YYYY-MM-DD moves it)")
    _say(f"  embedded AWS (moto server on 127.0.0.1), state in {args.state}/")
    with clock.simulating(simulated_today):
        saved_at = run_demo(args, files, metadata)
    # the other commands start from the real clock, or from the state's when it is later (state.load)
    tick_from = max(saved_at, clock.now()).date()
    _say(f"\nDone in {time.monotonic() - started:.1f}s. State saved in {args.state}/ — "
         f"try `clausewatch status`, `clausewatch serve`, `clausewatch watch ./dropfolder` (on the real clock, "
         f"or the state's when it is later), `clausewatch tick --until {tick_from + timedelta(days=180)}` "
         f"(sends what falls due by then and moves the state's clock there; `clausewatch serve --real-clock` "
         f"comes back).")
    return 0


def run_demo(args: argparse.Namespace, files: list[Path], metadata: dict[str, dict[str, str]]) -> datetime:
    """Upload the samples, show the contracts, save the state, simulate the reminders ahead.
    Returns the (simulated) time the state was saved at."""
    simulated_today = clock.now()
    with local_cloud(args.state, fresh=args.fresh, writer="demo") as cloud:
        _say(f"  moto server at {cloud.endpoint}; resources provisioned from clausewatch.config")
        if clock.now() != simulated_today:
            _say(f"  the saved state's clock is ahead (a tick moved it): continuing at "
                 f"{clock.now():%Y-%m-%d %H:%M} UTC; --fresh starts over")
        _say(f"\nUploading {len(files)} files to s3://{config.BUCKET_NAME}/{config.INBOX_PREFIX} ...")
        # amendments after the contracts they amend, as a user would file them, a second apart (the
        # simulated clock stands still otherwise, and the contracts are listed in upload order)
        for path in sorted(files, key=lambda p: ("amendment" in p.name, p.name)):
            clock.set_now(clock.now() + timedelta(seconds=1))
            cloud.upload(path, metadata.get(path.name, {}))
            cloud.pump()
            contract = repo.get_contract(contract_id_for(sha256_hex(path.read_bytes())))
            if contract is not None:
                reason = f" ({contract.status_reason})" if contract.status_reason else ""
                _say(f"    -> {contract.status}{reason}; {len(cloud.schedules())} schedules in total")
        from .money_cli import demo_money

        demo_money(cloud, args.samples)
        _say(f"\nContracts (today {clock.now().date()} UTC; each row counts days in its own time zone):")
        print_status(args.state)
        schedules = cloud.schedules()
        _say(f"\n{len(schedules)} reminder schedules in EventBridge Scheduler group "
             f"'{config.SCHEDULE_GROUP}'.")
        print_renewals_started(cloud)
        state.save(args.state)
        saved_at = clock.now()
        until = saved_at + timedelta(days=args.simulate_days)
        _say(f"\nForward simulation to {until.date()} (alerts that would go out; state not saved; "
             f"emails in {args.state / 'outbox' / 'simulation'}/):")
        fired = cloud.fire_until(until, outbox=args.state / "outbox" / "simulation")
        print_fired(fired, limit=25)
    return saved_at


def print_renewals_started(cloud: LocalCloud) -> None:
    """Start the renewal decisions whose start is due now (their lead time passed) and show the
    ones waiting for a person, nearest notice deadline first."""
    from ..renewal import local as renewal_local
    from ..renewal import store as renewals
    from .renewal_cli import pending_table

    renewal_local.fire_due_starts(cloud.schedules(), clock.now() + timedelta(minutes=5))
    cloud.pump()
    waiting = renewals.waiting()
    if not waiting:
        return
    contracts = repo.list_contracts()
    titles = {c.contract_id: c.title or c.file_name for c in contracts}
    _say(f"\nRenewal decisions waiting for a person ({len(waiting)}; the workflow started "
         f"{config.RENEWAL_LEAD_DAYS} days before each notice deadline, or at once when that passed):")
    for line in pending_table(waiting, titles, {c.contract_id: c.time_zone for c in contracts}):
        _say(line)
    nearest = min(waiting, key=lambda i: (i.notice_deadline or i.term_end, i.contract_id))
    _say(f"  nearest: {titles.get(nearest.contract_id)} — `clausewatch renewal show {nearest.contract_id}`, "
         f"`clausewatch renewal decide {nearest.contract_id} --decision renew|terminate|renegotiate --reason ...`")


# --- status / tick / watch -----------------------------------------------------------------------

def status(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="clausewatch status")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    with local_cloud(args.state, verbose=False) as cloud:
        cloud.pump()
        print_status(args.state)
    return 0


def tick(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="clausewatch tick",
        description="Fire, in time order, every reminder schedule due up to a date (end of that day, "
                    "in --time-zone), as EventBridge Scheduler would; emails go to the outbox as .eml.")
    parser.add_argument("--until", required=True, type=date.fromisoformat)
    parser.add_argument("--time-zone", default=config.DEFAULT_TIME_ZONE)
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    with local_cloud(args.state, verbose=False, writer="tick") as cloud:
        cloud.pump()
        until = dates.end_of_day(args.until, args.time_zone).astimezone(UTC)
        if until <= clock.now():
            _say(f"{args.until} is not after the current (simulated) time {clock.now():%Y-%m-%d %H:%M}Z")
            return 2
        fired = cloud.fire_until(until, outbox=args.state / "outbox")
        state.save(args.state)  # before printing: a reader that stops early (| head) loses nothing
        _say(f"Fired {len(fired)} reminder(s) up to {until:%Y-%m-%d %H:%M}Z:")
        print_fired(fired)
        for event in sorted(cloud.renewals_started + cloud.renewal_timeouts, key=lambda f: f.at):
            what = (f"renewal decision started: {event.result.get('name')}" if "started" in event.result
                    else f"renewal decision for {event.name} timed out ({event.result.get('round')})")
            _say(f"  {event.at:%Y-%m-%d %H:%M}Z  {what} -> {event.result.get('status') or event.result.get('reason')}")
        for run in cloud.digests:
            _say(f"  {run.at:%Y-%m-%d %H:%M}Z  weekly digest: {run.result.get('sent', 0)} sent, "
                 f"{run.result.get('empty', 0)} with nothing due, {run.result.get('already_sent', 0)} already sent")
        for held in cloud.held:  # a crashed delivery's claim, not run out yet: fired again after it
            _say(f"  {held.at:%Y-%m-%d %H:%M}Z  held: {held.result['reason']} (at {held.result['retry_at'][:19]}Z "
                 f"at the earliest)")
        _say(f"Emails written to {args.state / 'outbox'}/; the simulated clock is now "
             f"{clock.now():%Y-%m-%d %H:%M}Z (saved): every command on {args.state}/, `serve` too, "
             "runs from it until the real clock passes it (`clausewatch serve --real-clock` goes back).")
    return 0


def watch(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="clausewatch watch",
        description="A local drop folder: each PDF (.pdf in any case) copied into DIR is uploaded to "
                    "inbox/ and processed, once: the folder remembers what it took (in the state "
                    "folder), so restarts do not upload it again and a deleted contract stays deleted "
                    "until its file is copied in again. Every other file is reported with why it is "
                    "not taken. Optional DIR/metadata.json maps file names to upload metadata "
                    f"({', '.join(config.UPLOAD_METADATA_KEYS)}); a bad value affects only its file.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--once", action="store_true", help="process what is there now, then exit")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    memory = dropfolder.Memory(args.state, args.folder)
    reported: set[tuple[str, str]] = set()
    seen: dict[str, dropfolder.Seen] = {}
    stopper = stopping.Stopper()  # Ctrl-C and SIGTERM (kill, systemd stop) stop it the same way
    # a stop while the saved state loads (or anywhere after) is the same clean stop: nothing of the
    # round in hand is saved, the state folder is let go as the blocks unwind
    try:
        with stopper.installed(), local_cloud(args.state, verbose=False, writer="watch") as cloud:
            cloud.pump()
            _say(f"Watching {args.folder}/ for PDFs (Ctrl-C to stop) ..." if args.once else
                 f"Watching {args.folder}/ for PDFs: one line per file taken; `clausewatch status --state "
                 f"{args.state}` shows the whole table (Ctrl-C to stop) ...")
            while True:
                _, settling = watch_once(cloud, args.folder, memory, reported,
                                         save=lambda: state.save(args.state), seen=seen, stopper=stopper)
                if args.once and not settling:  # --once waits for the files still being copied
                    break
                time.sleep(args.interval)
            _say("")
            print_status(args.state)  # --once: the table, once, at the end
    except KeyboardInterrupt:
        _say("stopped")
    return 0


TAKEN_HERE = "taken by this watch"  # marks, in what a watch reported, the files it took


def watch_once(cloud: LocalCloud, folder: Path, memory: dropfolder.Memory,
               reported: set[tuple[str, str]], save: Callable[[], None] | None = None,
               seen: dict[str, dropfolder.Seen] | None = None,
               stopper: stopping.Stopper | None = None) -> tuple[int, list[str]]:
    """Upload the files not taken before and finished copying (``seen``: what earlier rounds saw of
    them, see ``dropfolder.look``); report, once each, every entry not taken and why, and what each
    upload became. Returns how many were uploaded and the names still being copied. A file is
    remembered as taken only after the state holding it is saved (``save``): a crash in between
    uploads it again, never loses it. Stopped (``KeyboardInterrupt``: Ctrl-C, SIGTERM) while files are
    in hand, it says so and abandons them: nothing of them is saved or remembered, so the next start
    takes them again; the save and what is remembered after it are never cut in half (``stopper``)."""
    metadata = dropfolder.read_metadata(folder)
    looked = dropfolder.look(folder, memory.taken, seen=seen)
    for name, reason in looked.not_taken:
        # a file this watch took itself is "already taken" at its next round: said once, as taken
        if (name, reason) not in reported \
                and not ((name, TAKEN_HERE) in reported and reason.startswith("already taken")):
            reported.add((name, reason))
            _say(f"  not taken: {name}: {reason}")
    for name, window in looked.settling:
        if (name, "settling") not in reported:
            reported.add((name, "settling"))
            whole = "" if window <= dropfolder.SETTLE_SECONDS else " and has no end-of-file marker yet"
            _say(f"  waiting: {name} is still being copied{whole} (taken once unchanged for {window:g} s)")
    settling = [name for name, _ in looked.settling]
    if metadata.error and looked.to_take:
        if ("metadata.json", metadata.error) not in reported:
            reported.add(("metadata.json", metadata.error))
            _say(f"  held: {len(looked.to_take)} file(s) wait until {metadata.error} is fixed "
                 f"(nothing is uploaded without the metadata meant for it)")
        return 0, settling
    uploaded: list[tuple[Path, bytes, dict[str, int], str, str | None]] = []
    try:
        _put_uploads(cloud, looked.to_take, metadata, uploaded, settling)
        if uploaded:
            cloud.pump()
    except KeyboardInterrupt:  # stopped with files in hand: the state is not saved, they come again
        _abandoned([path for path, *_ in uploaded])
        raise
    if uploaded:
        with stopper.uninterrupted() if stopper is not None else nullcontext():
            if save is not None:
                save()
            for path, body, sig, key, version in uploaded:
                contract, duplicate = upload_became(key, version, sha256_hex(body))
                memory.remember(path, body, sig, contract.contract_id if contract else None)
                reported.add((path.name, TAKEN_HERE))
                _say(f"  {path.name} -> {upload_outcome(contract, duplicate)}")
    return len(uploaded), settling


def _put_uploads(cloud: LocalCloud, paths: list[Path], metadata: dropfolder.FolderMetadata,
                 uploaded: list[tuple[Path, bytes, dict[str, int], str, str | None]], settling: list[str]) -> None:
    """Read each file and put it in the inbox, appending it to ``uploaded`` (so a stop midway knows
    which are in hand); one written to while read goes back to ``settling``."""
    for path in paths:
        for note in metadata.notes.get(path.name, []):
            _say(f"  {path.name}: {note}")
        try:
            sig = dropfolder.signature(path)
            body = path.read_bytes()
            changed = dropfolder.signature(path) != sig or len(body) != sig["size"]
        except OSError as exc:
            _say(f"  not taken: {path.name}: cannot be read ({exc.strerror}); tried again next round")
            continue
        if changed:  # written to while read: still being copied after all
            settling.append(path.name)
            continue
        key, version = cloud.put_upload(body, path.name, metadata.for_file(path.name))
        uploaded.append((path, body, sig, key, version))


def _abandoned(paths: list[Path]) -> None:
    """Stopped with these files in hand: none of them is saved or remembered."""
    for path in paths:
        _say(f"  {path.name}: not finished (stopped); it is taken again at the next start")


def upload_became(key: str, version: str | None, sha256: str) -> tuple[ContractItem | None, bool]:
    """The contract an upload became, and whether it was a duplicate of one already there (the same
    bytes, under another name). Intake names a contract by its content, by content and team, or a
    too-large upload by the upload itself: the record is found, never its id worked out again."""
    contracts = repo.list_contracts()
    exact = [c for c in contracts if c.source_key == key and c.source_version == version]
    # a quarantine records the version its S3 event named, which may be none
    unversioned = [c for c in contracts if c.source_key == key and c.source_version is None]
    if exact or unversioned:
        return max(exact or unversioned, key=lambda c: c.received_at or ""), False
    same = [c for c in contracts if c.sha256 == sha256]
    if same:
        return min(same, key=lambda c: c.received_at or ""), True
    return None, False


def upload_outcome(contract: ContractItem | None, duplicate: bool) -> str:
    """What the drop folder says an upload became."""
    if contract is None:
        return "uploaded, not recorded yet (see `clausewatch status`)"
    if duplicate:
        return (f"the same file as contract {contract.contract_id} ({contract.file_name}): nothing new, "
                f"no second contract")
    if contract.status != ContractStatus.EXTRACTED:
        reason = f": {contract.status_reason}" if contract.status_reason else ""
        return f"contract {contract.contract_id}, {contract.status}{reason}"
    review = "".join(f"; {flag['message']}" for flag in attention_of(contract) if flag["kind"] == NOT_A_CONTRACT)
    return f"contract {contract.contract_id}, {contract.status}: {report.key_dates(contract)}{review}"


# --- actions -------------------------------------------------------------------------------------

def obligations(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="clausewatch obligations",
        description="A contract's obligations and deadlines, each with the whole arithmetic behind its date "
                    "(never cut) on the line under it; --json: the API's obligation objects.")
    parser.add_argument("contract_id")
    parser.add_argument("--json", action="store_true",
                        help="print them as GET /contracts/ID/obligations lists them (JSON)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    with local_cloud(args.state, verbose=False) as cloud:
        cloud.pump()
        contract = repo.get_contract(args.contract_id)
        if contract is None:
            _say(f"no contract {args.contract_id}")
            return 2
        items = sorted(repo.obligations(args.contract_id), key=lambda o: (o.due or "9999", o.obligation_id))
        if args.json:
            from ..api import views

            _say(json.dumps([views.obligation(o, contract).model_dump(mode="json") for o in items],
                            indent=1, ensure_ascii=False))
        else:
            _say(contract_fields_line(contract))
            _say(obligations_text(items, local_today(contract)) if items else f"no obligations for {args.contract_id}")
    return 0


def contract_fields_line(contract) -> str:
    """Who owns the contract, the zone its days are counted in and the calendar of its business
    days, as the API's contract fields say them (what `owner`, `time-zone` and `jurisdiction` set)."""
    from .. import dates
    from ..pipeline.record import calendar_source, contract_jurisdiction, time_zone_followed

    calendar = dates.holidays_words(contract_jurisdiction(contract))
    return (f"{contract.file_name}: owner {contract.owner or 'none (the default owner)'}; time zone "
            f"{time_zone_followed(contract)}; business days with {calendar} ({calendar_source(contract)})")


def obligations_text(items: list, today: date, width: int | None = None) -> str:
    """One row per obligation (its summary shortened to fit), and under it the whole arithmetic of
    its date, wrapped to the terminal's width: the result at its end is never cut."""
    rows = [[o.obligation_id, report.obligation_state(o, today), o.due or "-", o.summary] for o in items]
    lines = report.table(rows, ["obligation", "status", "due", "summary"], max_width={3: 60}).splitlines()
    width = width or max(60, shutil.get_terminal_size().columns)
    out = lines[:2]
    for item, row in zip(items, lines[2:], strict=True):
        out.append(row)
        if item.derivation:
            out += textwrap.wrap(f"= {item.derivation}", width=width, initial_indent="    ",
                                 subsequent_indent="      ", break_on_hyphens=False)
    return "\n".join(out)


def _act(state_dir: Path, action, command: str) -> int:
    """Run one user action (`clausewatch <command>`) on the saved state: the table change re-plans
    the reminders (planner, via the stream), then the state is saved. ``action(cloud)`` returns the line to print."""
    from ..pipeline.actions import Conflict, InvalidInput, NotFound

    with local_cloud(state_dir, verbose=False, writer=command) as cloud:
        cloud.pump()
        try:
            report_line = action(cloud)
        except (NotFound, InvalidInput, Conflict) as exc:  # said in one line, as the API's 4xx are
            _say(str(exc))
            return 2
        _say(report_line)
        state.save(state_dir)
    return 0


def done(argv: list[str]) -> int:
    from ..pipeline.actions import (
        InvalidInput,
        ProofRequired,
        check_completable,
        complete_obligation,
    )
    from ..schema import ObligationStatus

    parser = argparse.ArgumentParser(prog="clausewatch done")
    parser.add_argument("contract_id")
    parser.add_argument("obligation_id")
    parser.add_argument("--note")
    parser.add_argument("--evidence", type=Path, help="a file that proves it was done (the notice sent, a "
                        "receipt): kept under evidence/<contract id>/ in the bucket; required for a notice of "
                        "non-renewal")
    parser.add_argument("--on", dest="done_on", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the day it was done (contract's time zone), when before today: a notice sent on "
                             "its deadline and recorded later was given in time; also corrects a done one's day")
    parser.add_argument("--expected-status", choices=["open", "done", "waived"],
                        help="the status you know it is in: refused when it is another; needed to complete a "
                             "waived one (the API's expected_status)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    if args.evidence is not None and not args.evidence.is_file():
        _say(f"no file {args.evidence}")
        return 2

    def action(cloud: LocalCloud) -> str:
        before = len(cloud.schedules())
        evidence_key = None
        if args.evidence is not None:
            # refused before the file is kept: no stray upload for what cannot be done by hand
            check_completable(args.contract_id, args.obligation_id)
            evidence_key = f"{config.EVIDENCE_PREFIX}{args.contract_id}/{uuid.uuid4().hex}/{args.evidence.name}"
            client("s3").put_object(Bucket=config.BUCKET_NAME, Key=evidence_key, Body=args.evidence.read_bytes())
        expected = ObligationStatus(args.expected_status) if args.expected_status else None
        try:
            complete_obligation(args.contract_id, args.obligation_id, actor="cli", note=args.note,
                                evidence_key=evidence_key, done_on=args.done_on, expected=expected)
        except ProofRequired as exc:  # the API's wording names its field: here, the option
            raise InvalidInput(f"{args.obligation_id} is done only with the proof of sending (the letter as sent, a "
                               "courier or email receipt): use --evidence FILE, e.g. `clausewatch done "
                               f"{args.contract_id} {args.obligation_id} --evidence receipt.pdf`") from exc
        cloud.pump()
        return f"{args.obligation_id} done; reminder schedules {before} -> {len(cloud.schedules())}"

    return _act(args.state, action, "done")


def reopen(argv: list[str]) -> int:
    from ..pipeline.actions import reopen_rule

    parser = argparse.ArgumentParser(prog="clausewatch reopen",
                                     description="A recurring duty's rule marked done before 2026-12-07 (which "
                                                 "stopped the duty) goes on: open again, the occurrences owed "
                                                 "since the last one planned made (overdue), the next planned from "
                                                 "today, its Needs-attention flag gone (a duty that ended: waive "
                                                 "the rule instead; a contract that ended: nothing to reopen).")
    parser.add_argument("contract_id")
    parser.add_argument("obligation_id", help="the rule's id (no @<day>)")
    parser.add_argument("--note", help="why the duty goes on (kept in the audit trail)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)

    def action(cloud: LocalCloud) -> str:  # an open rule or a dated obligation: said in one line, exit 2
        before = len(cloud.schedules())
        reopened = reopen_rule(args.contract_id, args.obligation_id, actor="cli", note=args.note)
        made = reopened.occurrences_made
        cloud.pump()
        owed = f"{len(made)} overdue occurrence(s) owed meanwhile made" + (f" ({', '.join(made)})" if made else "")
        ended = f"; {reopened.message}" if reopened.message else ""
        return f"{args.obligation_id} reopened; {owed}{ended}; reminder schedules {before} -> {len(cloud.schedules())}"

    return _act(args.state, action, "reopen")


def delete(argv: list[str]) -> int:
    from ..pipeline.actions import delete_contract

    parser = argparse.ArgumentParser(prog="clausewatch delete")
    parser.add_argument("contract_id")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)

    def action(cloud: LocalCloud) -> str:
        removed = delete_contract(args.contract_id, actor="cli")
        cloud.pump()
        return f"deleted {args.contract_id} ({removed} items); {len(cloud.schedules())} schedules left"

    return _act(args.state, action, "delete")


def is_a_contract(argv: list[str]) -> int:
    from ..pipeline.actions import dismiss_not_a_contract

    parser = argparse.ArgumentParser(prog="clausewatch is-a-contract",
                                     description="A document flagged as not reading as a contract is one: the flag "
                                                 "goes (and stays gone when it is extracted again); nothing is entered.")
    parser.add_argument("contract_id")
    parser.add_argument("--note", help="why it is a contract (kept in the audit trail)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)

    def action(cloud: LocalCloud) -> str:
        dismiss_not_a_contract(args.contract_id, actor="cli", note=args.note)
        cloud.pump()
        return f"{args.contract_id}: no longer flagged as not reading as a contract"

    return _act(args.state, action, "is-a-contract")


def amendment_checked(argv: list[str]) -> int:
    from ..pipeline.actions import check_amendment

    parser = argparse.ArgumentParser(prog="clausewatch amendment-checked",
                                     description="An amendment read as changing no term was checked and changes none "
                                                 "tracked here: its flag goes, on it and on the contract it amends "
                                                 "(a term it does change: enter it on that contract instead).")
    parser.add_argument("contract_id", help="the amendment")
    parser.add_argument("--note", help="what it changes instead (kept in the audit trail)")
    parser.add_argument("--made-on", type=date.fromisoformat, default=None,
                        help="an amendment whose order is not known (amendment_order_unknown): the day "
                             "it was signed (YYYY-MM-DD), which places it in the order made")
    parser.add_argument("--order-filed", action="store_true",
                        help="an amendment whose order is not known: the order filed is the order made")
    parser.add_argument("--by", default="cli", help="who checked it (kept in the audit trail)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)

    def action(cloud: LocalCloud) -> str:  # a contract not so flagged: said in one line, exit 2
        amendment = check_amendment(args.contract_id, actor=args.by, note=args.note, made_on=args.made_on,
                                    order=args.order_filed)
        cloud.pump()
        if args.order_filed or args.made_on is not None:
            said = amendment.order_confirmed.get("made_on")
            return (f"{args.contract_id}: {'signed on ' + said if said else 'made in the order filed'}; "
                    f"no longer flagged as in an unknown order (the amendments applied again)")
        on = f" and on {amendment.amends_contract_id}" if amendment.amends_contract_id else ""
        return f"{args.contract_id}: checked, no longer flagged as changing no term (on it{on})"

    return _act(args.state, action, "amendment-checked")
