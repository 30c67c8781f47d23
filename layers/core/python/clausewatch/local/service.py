"""`clausewatch serve`: the embedded default as a long-running service.

The state folder is loaded into a moto server (as every local command does), the `api` λ is served
on 127.0.0.1 through the local API Gateway (``server.py``), and a background thread does what AWS's
event sources and EventBridge Scheduler do, on the real clock: it pumps S3/SQS/stream events into
the handlers every second (an upload through ``POST /uploads`` or ``aws s3 cp --endpoint-url`` is
processed within seconds), fires the reminder schedules that are due (emails into the state's
outbox/, their links pointing at this server) with the daily sweep, and saves the state when
something changed, every 30 seconds and on Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from .. import clock, config
from . import state, statelock, tokens
from .cli import DEFAULT_STATE, local_cloud
from .cloud import LocalCloud
from .handlers import invoke
from .server import ApiServer
from .web import WebApp

PUMP_SECONDS = 1.0  # how often queued events are delivered: an upload is processed within seconds
FIRE_SECONDS = 30.0  # how often due reminder schedules are looked for (they fire at 09:00 local)
SAVE_SECONDS = 30.0  # how often the state is saved, when something changed
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CLOSING = {"statusCode": 503, "headers": {"Content-Type": "application/json", "Retry-After": "5"},
           "body": '{"message": "the server is shutting down"}', "isBase64Encoded": False}


class LocalService:
    """``start()`` loads the state and serves; ``stop()`` delivers what is queued, saves, and shuts
    everything down. The API is at ``url``, the embedded S3 (and the rest of AWS) at ``endpoint``.

    One lock serializes every use of the embedded AWS and of the handlers: API requests (served on
    several threads), the pump, the firing of schedules and saving. The handlers are not written
    for concurrency (powertools' resolver keeps the current event on the module's ``app``, the
    simulated clock is process-wide), moto's tables are not transactional, and a save must see a
    quiet state. Deployed, Lambda gives each invocation its own process; here they take turns.
    """

    def __init__(self, state_dir: Path, *, host: str = "127.0.0.1", port: int = 8000,
                 pump_seconds: float = PUMP_SECONDS, fire_seconds: float = FIRE_SECONDS,
                 save_seconds: float = SAVE_SECONDS, say: Callable[[str], None] = print,
                 verbose: bool = True, real_clock: bool = False):
        self.state_dir = state_dir
        self.address = (host, port)
        self.pump_seconds, self.fire_seconds, self.save_seconds = pump_seconds, fire_seconds, save_seconds
        self.say = say
        self.verbose = verbose  # a line per request and per batch of events
        self.real_clock = real_clock  # the real clock even when `tick` saved a later one with the state
        self.lock = threading.RLock()
        self.cloud: LocalCloud | None = None
        self.server: ApiServer | None = None
        self._stack = contextlib.ExitStack()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._changed = False
        self._closing = False
        self._swept_on: date | None = None
        # when the schedules were last fired: the next round emulates the days since (the daily
        # sweep brings reminders inside the rolling horizon day by day, as deployed)
        self._fired_to: datetime | None = None
        self.saves = 0

    @property
    def url(self) -> str:
        return self.server.url if self.server else ""

    @property
    def endpoint(self) -> str:
        return self.cloud.endpoint if self.cloud else ""

    # --- life cycle ------------------------------------------------------------------------------
    def start(self) -> LocalService:
        try:
            # serve holds the state folder: a CLI command that would write it is refused (statelock)
            self.cloud = self._stack.enter_context(local_cloud(self.state_dir, verbose=self.verbose,
                                                               writer="serve", real_clock=self.real_clock))
            self._fired_to = clock.now()  # the first round fires what fell due since the start
            secret = tokens.load_secret(self.state_dir)

            def verify(token: str) -> dict[str, str]:
                return tokens.verify(secret, token)

            # the dashboard's pages; its uploads POST to the embedded S3's own origin
            dashboard = WebApp(verify, upload_origins=(self.cloud.endpoint,))
            self.server = ApiServer(self.address, invoke=self.invoke_api, verify=verify,
                                    on_request=self._log_request, web=dashboard)
            # alert emails and calendar entries link to this server (LocalCloud.stop puts it back)
            os.environ[config.ENV_API_BASE_URL] = self.server.url
            statelock.announce(self.state_dir, self.server.url)  # a refused command says where to go
            self._pump_quietly()  # S3's test event for the new notification configuration
        except BaseException:
            self._stack.close()
            raise
        self._start_thread("clausewatch-api", self.server.serve_forever)
        self._start_thread("clausewatch-events", self._run_events)
        return self

    def _started_cloud(self) -> LocalCloud:
        if self.cloud is None:
            raise RuntimeError("the local service is not started")
        return self.cloud

    def _pump_quietly(self) -> int:
        cloud = self._started_cloud()
        report, cloud.on_event = cloud.on_event, lambda kind, info: None
        try:
            return cloud.pump()
        finally:
            cloud.on_event = report

    def stop(self) -> None:
        """Stop taking requests, deliver what is queued, save, shut the embedded AWS down."""
        self._stopping.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        for thread in self._threads:
            thread.join()
        try:
            with self.lock:
                self._closing = True  # a request still in flight gets a 503, not a half-saved state
                if self.cloud is not None:
                    try:
                        self.cloud.pump()
                    except Exception as exc:  # what is queued is saved all the same
                        self.say(f"  delivering queued events failed ({exc!r}); "
                                 "uploads still in inbox/ are processed on the next start")
                    state.save(self.state_dir)
                    self.saves += 1
        finally:
            self._stack.close()

    def __enter__(self) -> LocalService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _start_thread(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    # --- the API ---------------------------------------------------------------------------------
    def invoke_api(self, event: dict) -> dict:
        """Call the api λ with one proxy event, in turn with everything else (see the class)."""
        with self.lock:
            if self._closing:
                return CLOSING
            if event["httpMethod"] not in READ_METHODS:
                self._changed = True
            return invoke("api", event)

    def _log_request(self, method: str, path: str, status: int, seconds: float) -> None:
        if self.verbose:
            self.say(f"  {method} {path} -> {status} ({seconds * 1000:.0f} ms)")

    # --- events, schedules, saving ---------------------------------------------------------------
    def _run_events(self) -> None:
        """Every second: deliver queued events; every FIRE_SECONDS: fire due reminders; every
        SAVE_SECONDS: save when something changed. A failing round is reported and the loop goes on."""
        # intervals on the monotonic clock: a state saved by `tick` may hold a simulated clock
        # that stands still
        last_fire = last_save = time.monotonic()
        while not self._stopping.wait(self.pump_seconds):
            try:
                with self.lock:
                    if self._closing:
                        return
                    cloud = self._started_cloud()
                    self._changed |= cloud.pump() > 0
                    cloud.write_outbox(self.state_dir / "outbox")  # what a request's work sent (findings), at once
                    moment = time.monotonic()
                    if moment - last_fire >= self.fire_seconds:
                        last_fire = moment
                        self._changed |= bool(self.fire_due())
                    if self._changed and moment - last_save >= self.save_seconds:
                        last_save = moment
                        self.save()
            except Exception as exc:  # keep serving; the next round tries again
                self.say(f"  background round failed: {exc!r}")

    def fire_due(self) -> list:
        """Fire the reminder schedules due by now, as EventBridge Scheduler would (emails into the
        state's outbox/), and run the planner's daily sweep once a day. The clock is left as it was
        (fire_until moves it; serve keeps the real one)."""
        with self.lock:
            cloud = self._started_cloud()
            now = clock.now()
            due = any(s["fire_at"] <= now for s in cloud.schedules())
            if not due and self._swept_on == now.date():
                return []
            previous = clock.simulated()
            try:
                if self._fired_to is not None and self._fired_to < now:
                    clock.set_now(self._fired_to)  # walk the days since the last round
                fired = cloud.fire_until(now, outbox=self.state_dir / "outbox")
            finally:
                clock.set_now(previous)
            self._swept_on, self._fired_to = now.date(), now
            for f in fired:
                outcome = "sent to " + ", ".join(f.result.get("to") or []) if f.result.get("sent") \
                    else f"suppressed: {f.result.get('reason')}"
                self.say(f"  reminder {f.payload.get('kind')} due {f.payload.get('due')}: {outcome}")
            return fired

    def save(self) -> None:
        with self.lock:
            state.save(self.state_dir)
            self._changed = False
            self.saves += 1


# --- the command ---------------------------------------------------------------------------------

def _token_hint(state_dir: Path) -> str:
    """The `clausewatch token create` command for the team with the most contracts (a first look
    then shows something), else the default team."""
    from ..store import repository as repo

    teams = Counter((c.team, c.owner) for c in repo.list_contracts() if c.team)
    team, owner = teams.most_common(1)[0][0] if teams else (config.DEFAULT_TEAM, None)
    return (f"clausewatch token create --team {team} --user {owner or 'you@example.com'} "
            f"--role editor --state {state_dir}")


def which_clock(saved_at: datetime | None, real_clock: bool) -> str:
    """The banner's words for the clock serve runs on: the real one, or the later one `tick` saved
    with the state (which stands still while serve runs), and how to go back."""
    if clock.simulated() is not None:
        ahead = (clock.now().date() - real_now().date()).days
        return (f"on the clock `clausewatch tick` saved with it: now {clock.now():%Y-%m-%d %H:%M}Z, {ahead} day(s) "
                f"ahead of the real date {real_now():%Y-%m-%d}; it stands still while serve runs, and days "
                "left count from it (`clausewatch serve --real-clock` goes back to the real clock; the "
                "reminders tick fired stay sent)")
    back = "" if not real_clock or saved_at is None or saved_at <= clock.now() else \
        (f", not the later one `clausewatch tick` saved ({saved_at:%Y-%m-%d %H:%M}Z; the reminders it fired "
         "stay sent)")
    return f"on the real clock (now {clock.now():%Y-%m-%d %H:%M}Z){back}"


def real_now() -> datetime:
    """The real clock's now, whatever is simulated."""
    return datetime.now(UTC)


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="clausewatch serve",
        description="Serve the API (and its OpenAPI UI) on the embedded default: the state folder is "
                    "loaded, uploads are processed within seconds, due reminders go to the outbox, "
                    "and the state is saved every 30 s after a change and on Ctrl-C.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port (default: %(default)s)")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    parser.add_argument("--save-every", type=float, default=SAVE_SECONDS, metavar="SECONDS",
                        help="save this often when something changed (default: %(default)s); "
                             "Ctrl-C and SIGTERM always save")
    parser.add_argument("--quiet", action="store_true", help="no line per request and per batch of events")
    parser.add_argument("--real-clock", action="store_true",
                        help="run on the real clock even when `clausewatch tick` saved a later one with the "
                             "state (the reminders it fired stay sent; the next save keeps the real clock)")
    args = parser.parse_args(argv)

    def say(text: str) -> None:
        print(text, flush=True)

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    saved_at = state.saved_clock(args.state)
    service = LocalService(args.state, host=args.host, port=args.port, say=say,
                           save_seconds=args.save_every, verbose=not args.quiet,
                           real_clock=args.real_clock).start()
    try:
        from ..store import repository as repo

        url, endpoint = service.url, service.endpoint
        say(f"clausewatch serve: the API at {url}  (OpenAPI UI {url}/swagger, document {url}/openapi.json)")
        say(f"  state {args.state}/ with {len(repo.list_contracts())} contract(s), "
            f"{which_clock(saved_at, args.real_clock)}; saved every {args.save_every:g} s after a change "
            "and on Ctrl-C")
        say(f"  S3 endpoint {endpoint} (bucket {config.BUCKET_NAME}; region us-east-1, any credentials, "
            f"e.g. AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing):")
        say(f"    aws s3 cp msa.pdf s3://{config.BUCKET_NAME}/{config.INBOX_PREFIX}msa.pdf "
            f"--endpoint-url {endpoint} --metadata team=TEAM,owner=you@example.com")
        say(f"  a token: TOKEN=$({_token_hint(args.state)})")
        say(f"    curl -H \"Authorization: Bearer $TOKEN\" {url}/contracts")
        say(f"  the web dashboard: {url}/login?token=$TOKEN  (`clausewatch token create` prints it)")
        say("Ctrl-C to stop.")
        while not stop.wait(1.0):  # with a timeout: the signal handler gets its turn promptly
            pass
        say("stopping: delivering queued events and saving the state ...")
    finally:
        service.stop()
    say(f"saved in {args.state}/")
    return 0
