"""The scale rows of `make bench` (issue #11 parts 3 and 4): planning with and without the rolling
horizon, and the API's list routes through the real handler on a loaded table.

    .venv/bin/python benchmarks/bench.py --only planning,api     # these rows only
    .venv/bin/python benchmarks/bench_scale.py --contracts 10000  # the same, standalone

* planning: a synthetic portfolio of N contracts (a notice deadline and a term end spread over the
  next three years, a monthly report, two payments each: the shapes `plan.py` plans); every
  contract planned as the planner does (`plan_reminders` then `horizon.split_by_horizon`).
  Reminders planned per second; live schedules per 1,000 contracts at once (everything scheduled:
  the old planner) and with the 35-day horizon, on the planning day and over a year of daily
  sweeps (mean and peak); contracts the daily sweep re-plans per day per 1,000 contracts.
* api: N contracts and 10 x N dated open obligations batch-written straight into the embedded
  default's table (the items the repository writes, with their index keys), 20 teams; then
  `GET /obligations?due_before=` and `GET /renewals` through functions/api/handler.py (as API
  Gateway sends them, Cognito claims included): p50/p95/p99 latency, and per request the DynamoDB
  calls and the items they read (Count and ScannedCount of every Query/Get/BatchGet: DynamoDB's
  cost), at each table size, so that the cost not growing with the table is shown by the counts.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "layers" / "core" / "python"), str(REPO)]

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
API_P99_TARGET_MS = 50.0
TEAMS = 20
ZONES = ("America/New_York", "Europe/London", "UTC", "America/Los_Angeles", "Asia/Tokyo")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[rank]


# --- planning ---------------------------------------------------------------------------------------

def portfolio(count: int, seed: int = 11):
    """(ContractInfo, [Deadline]) per synthetic contract."""
    from clausewatch.plan import ContractInfo, Deadline

    rng = random.Random(seed)
    out = []
    for n in range(count):
        zone = ZONES[n % len(ZONES)]
        info = ContractInfo(f"c{n:07d}", f"Contract {n}", "Counterparty", "owner@example.com",
                            f"team-{n % TEAMS}", "nda" if n % 10 == 0 else None, zone, None)
        end = NOW.date() + timedelta(days=rng.randint(20, 3 * 365))
        notice = end - timedelta(days=rng.choice((30, 60, 90)))
        report = NOW.date() + timedelta(days=rng.randint(1, 30))
        deadlines = [Deadline("notice_deadline", "notice_deadline", "notice", notice, None, None, "d", "a"),
                     Deadline("expiration", "expiration", "end", end, None, None, "d", "a"),
                     Deadline(f"report@{report}", "recurring", "report", report, None, None, "d", "a")]
        for p in range(2):
            due = NOW.date() + timedelta(days=rng.randint(1, 2 * 365))
            deadlines.append(Deadline(f"pay-{p}", "payment", "pay", due, None, None, "d", "a"))
        out.append((info, sorted(deadlines, key=lambda d: d.due)))
    return out


def bench_planning(count: int = 1000, horizon_days: int | None = None) -> dict:
    from clausewatch import config
    from clausewatch.horizon import split_by_horizon
    from clausewatch.plan import plan_reminders

    horizon = horizon_days or config.REMINDER_HORIZON_DAYS
    contracts = portfolio(count)
    started = time.perf_counter()
    plans = []
    for info, deadlines in contracts:
        wanted = plan_reminders(info, deadlines, NOW)
        plans.append((info, deadlines, wanted, split_by_horizon(wanted, deadlines, NOW, horizon, info.time_zone)))
    seconds = time.perf_counter() - started
    reminders = sum(len(w) for _, _, w, _ in plans)
    live_all = reminders
    live_horizon = sum(len(s.scheduled) for *_, s in plans)
    # a year of daily sweeps: live schedules each day = reminders firing from that day to the end
    # of the window (already scheduled, not yet fired); re-planned = contracts due that day
    fire_days = [r.fire_at.astimezone(UTC).date() for _, _, w, _ in plans for r in w]
    per_day = Counter(fire_days)
    first = NOW.date()
    live_by_day, live_everything_by_day = [], []
    remaining = len(fire_days)
    for offset in range(365):
        day = first + timedelta(days=offset)
        live_by_day.append(sum(per_day[day + timedelta(days=k)] for k in range(horizon + 1)))
        live_everything_by_day.append(remaining)
        remaining -= per_day[day]
    planning_days = Counter(s.next_planning for *_, s in plans if s.next_planning)
    replans = _replans_per_day(contracts, horizon)
    per_1000 = 1000 / count
    # the horizon as the capacity knob: steady-state live schedules and daily re-plans per horizon
    by_horizon = {}
    for h in sorted({horizon, 14, 7, 3, 1}, reverse=True):
        live_h = [sum(per_day[first + timedelta(days=o + k)] for k in range(h + 1)) for o in range(365)]
        by_horizon[str(h)] = {"live_year_mean": round(sum(live_h) / 365 * per_1000),
                              "live_year_peak": round(max(live_h) * per_1000),
                              "replans_per_day": _replans_per_day(contracts, h, days=30)["mean"]}
    return {
        "contracts": count, "horizon_days": horizon, "reminders_planned": reminders,
        "reminders_planned_per_second": round(reminders / seconds),
        "contracts_planned_per_second": round(count / seconds),
        "live_schedules_per_1000_contracts": {
            "everything_at_once_on_day_0": round(live_all * per_1000),
            "horizon_on_day_0": round(live_horizon * per_1000),
            "horizon_year_mean": round(sum(live_by_day) / len(live_by_day) * per_1000),
            "horizon_year_peak": round(max(live_by_day) * per_1000),
            "everything_year_mean": round(sum(live_everything_by_day) / 365 * per_1000),
        },
        "next_planning_days_spread": len(planning_days),
        "sweep_replans_per_day_per_1000_contracts": replans,
        "per_1000_contracts_by_horizon_days": by_horizon,
    }


def _replans_per_day(contracts, horizon: int, days: int = 60) -> dict:
    """Simulate the daily sweep for ``days`` on a sample of the portfolio: each day, the contracts
    whose next planning day came are planned again at 05:00 UTC (deadlines that passed are left
    as they are: enough for the count)."""
    from clausewatch.horizon import split_by_horizon
    from clausewatch.plan import plan_reminders

    sample = contracts[:min(len(contracts), 1000)]
    next_day = {}
    for info, deadlines in sample:
        wanted = plan_reminders(info, deadlines, NOW)
        next_day[info.contract_id] = split_by_horizon(wanted, deadlines, NOW, horizon, info.time_zone).next_planning
    counts = []
    by_id = {info.contract_id: (info, d) for info, d in sample}
    for offset in range(1, days + 1):
        at = datetime.combine(NOW.date() + timedelta(days=offset), datetime.min.time(), UTC) + timedelta(hours=5)
        due = [cid for cid, day in next_day.items() if day is not None and day <= at.date()]
        for cid in due:
            info, deadlines = by_id[cid]
            wanted = plan_reminders(info, deadlines, at)
            next_day[cid] = split_by_horizon(wanted, deadlines, at, horizon, info.time_zone).next_planning
        counts.append(len(due))
    scale = 1000 / len(sample)
    return {"mean": round(sum(counts) / len(counts) * scale, 1), "max": round(max(counts) * scale, 1),
            "days": days}


# --- API ------------------------------------------------------------------------------------------------

class CallCounter:
    """DynamoDB calls and the items they read while active (botocore hooks on every new client)."""

    def __init__(self) -> None:
        self.active = False
        self.calls = 0
        self.items = 0
        self.scanned = 0
        self.seconds = 0.0
        self._started = 0.0

    def before(self, **_) -> None:
        self._started = time.perf_counter()

    def after(self, http_response=None, parsed=None, model=None, **_) -> None:
        if not self.active or parsed is None:
            return
        self.calls += 1
        self.seconds += time.perf_counter() - self._started
        if "Count" in parsed:
            self.items += parsed.get("Count", 0)
            self.scanned += parsed.get("ScannedCount", parsed.get("Count", 0))
        elif "Item" in parsed:
            self.items += 1
            self.scanned += 1
        elif "Responses" in parsed:
            got = sum(len(v) for v in parsed["Responses"].values())
            self.items += got
            self.scanned += got


COUNTER = CallCounter()


def _install_counter() -> None:
    import botocore.session

    create = botocore.session.Session.create_client

    def create_with_counter(self, *args, **kwargs):
        client = create(self, *args, **kwargs)
        if client.meta.service_model.service_name == "dynamodb":
            client.meta.events.register("before-call.dynamodb.*", COUNTER.before)
            client.meta.events.register("after-call.dynamodb.*", COUNTER.after)
        return client

    botocore.session.Session.create_client = create_with_counter


def sample_extraction() -> dict:
    """What a contract item holds after extraction, to size the items the routes read: the terms,
    parties and obligations the extractor finds in the repository's SaaS sample (about 10 KB of
    JSON with its evidence), the same for every loaded contract."""
    from clausewatch.extract import extract_contract
    from clausewatch.extract.cli import read_pages

    sample = REPO / "samples" / "saas-subscription-northwind.pdf"
    return extract_contract(read_pages(sample), source=sample.name).to_dict()


def load(contracts: int, start: int = 0) -> int:
    """Batch-write contracts ``start`` .. ``contracts`` - 1 and ten dated open obligations each;
    each contract holds a real extraction (``sample_extraction``), its date markers and its current
    notice deadline and term end, as the pipeline writes them."""
    from clausewatch import schema
    from clausewatch.schema import ContractStatus, ItemType
    from clausewatch.store import repository as repo
    from clausewatch.store.models import ContractItem, DatedItem, ObligationItem

    rng = random.Random(start)
    written = 0
    at = NOW.isoformat(timespec="milliseconds")
    extraction = sample_extraction()
    kinds = ("notice_deadline", "expiration", "payment", "deliverable", "recurring")
    with ContractItem.batch_write() as contracts_batch, ObligationItem.batch_write() as obligations_batch, \
            DatedItem.batch_write() as markers_batch:
        for n in range(start, contracts):
            cid = f"bench{n:07d}"
            team = f"team-{n % TEAMS}"
            item = ContractItem(schema.contract_pk(cid), schema.CONTRACT_SK, item_type=ItemType.CONTRACT,
                                contract_id=cid, status=ContractStatus.EXTRACTED, file_name=f"{cid}.pdf",
                                source_key=f"inbox/{cid}.pdf", sha256="0" * 64, size_bytes=1000,
                                received_at=at, updated_at=at, owner="owner@example.com", team=team,
                                time_zone=ZONES[n % len(ZONES)], title=f"Contract {n}", version=1,
                                extraction=extraction)
            deadlines: dict[str, str] = {}
            for k in range(10):
                kind = kinds[k % len(kinds)]
                oid = kind if kind in ("notice_deadline", "expiration") and k < 2 else f"{kind}-{k}"
                due = (NOW.date() + timedelta(days=rng.randint(-30, 3 * 365))).isoformat()
                ob = ObligationItem(schema.contract_pk(cid), schema.obligation_sk(oid), item_type=ItemType.OBLIGATION,
                                    contract_id=cid, obligation_id=oid, kind=kind, summary=f"{kind} {k}",
                                    due=due, derivation=f"stated: {due}", action="act", owner="owner@example.com",
                                    updated_at=at, version=1)
                repo._index_obligation(ob, team)
                obligations_batch.save(ob)
                deadlines[oid] = due
                written += 1
            item.current_notice_deadline = deadlines.get("notice_deadline")
            item.current_expiration = deadlines.get("expiration")
            repo._index_contract(item)
            for marker in repo.dated_markers(item):
                markers_batch.save(marker)
                written += 1
            contracts_batch.save(item)
            written += 1
    return written


# the lists measured: the two rows, and the overdue list (its filter reads each contract's
# time zone while it pages)
ROUTES = {
    "GET /obligations?due_before=": ("/obligations", {"due_before": (NOW.date() + timedelta(days=60)).isoformat()}),
    "GET /renewals": ("/renewals", {"within": "90"}),
    "GET /obligations?status=overdue": ("/obligations", {"status": "overdue"}),
}


def measure_api(requests: int) -> dict:
    from clausewatch.local.handlers import invoke
    from tests.integration.api_support import claims, rest_event

    who = claims("team-3", "viewer")
    out = {}
    for label, (path, query) in ROUTES.items():
        invoke("api", rest_event("GET", path, query=query, claims=who))  # warm
        times, ours, calls, items, scanned, returned = [], [], [], [], [], []
        for _ in range(requests):
            COUNTER.calls = COUNTER.items = COUNTER.scanned = 0
            COUNTER.seconds = 0.0
            COUNTER.active = True
            started = time.perf_counter()
            response = invoke("api", rest_event("GET", path, query=query, claims=who))
            times.append((time.perf_counter() - started) * 1000)
            ours.append(times[-1] - COUNTER.seconds * 1000)
            COUNTER.active = False
            assert response["statusCode"] == 200, response
            calls.append(COUNTER.calls)
            items.append(COUNTER.items)
            scanned.append(COUNTER.scanned)
            returned.append(len(json.loads(response["body"])["items"]))
        out[label] = {"p50_ms": round(percentile(times, 0.5), 2), "p95_ms": round(percentile(times, 0.95), 2),
                      "p99_ms": round(percentile(times, 0.99), 2), "requests": requests,
                      # the handler without its DynamoDB round trips (moto answers an index Query by
                      # going over every item of its in-memory table: its time grows with the table,
                      # DynamoDB's does not)
                      "handler_only_p50_ms": round(percentile(ours, 0.5), 2),
                      "handler_only_p95_ms": round(percentile(ours, 0.95), 2),
                      "handler_only_p99_ms": round(percentile(ours, 0.99), 2),
                      "dynamodb_calls": max(calls), "items_read": max(scanned), "items_returned": max(returned)}
    return out


def bench_api(sizes: tuple[int, ...] = (1000, 10000), requests: int = 200) -> dict:
    from clausewatch import clock
    from clausewatch.local.cloud import LocalCloud

    _install_counter()
    results: dict = {"teams": TEAMS, "sizes": {}}
    cloud = LocalCloud().start()
    try:
        clock.set_now(NOW)
        loaded = 0
        for size in sorted(sizes):
            started = time.perf_counter()
            load(size, loaded)
            loaded = size
            load_s = time.perf_counter() - started
            cloud.skip_stream()  # the load is not a change to plan: the planner is not part of this
            results["sizes"][str(size)] = {"contracts": size, "obligations": size * 10,
                                           "load_seconds": round(load_s, 1), **measure_api(requests)}
    finally:
        clock.set_now(None)
        cloud.stop()
    return results


def report(results: dict) -> list[str]:
    lines = []
    p = results.get("planning")
    if p:
        live = p["live_schedules_per_1000_contracts"]
        lines += [f"planning ({p['contracts']} synthetic contracts, {p['reminders_planned']} reminders): "
                  f"{p['reminders_planned_per_second']:,} reminders/s, {p['contracts_planned_per_second']:,} contracts/s",
                  f"  live schedules per 1,000 contracts: everything at once {live['everything_at_once_on_day_0']:,} "
                  f"(year mean {live['everything_year_mean']:,}); {p['horizon_days']}-day horizon "
                  f"{live['horizon_on_day_0']:,} on day 0, year mean {live['horizon_year_mean']:,}, "
                  f"peak {live['horizon_year_peak']:,}",
                  f"  daily sweep re-plans per 1,000 contracts: mean {p['sweep_replans_per_day_per_1000_contracts']['mean']}, "
                  f"max {p['sweep_replans_per_day_per_1000_contracts']['max']} a day"]
        for h, row in p["per_1000_contracts_by_horizon_days"].items():
            lines.append(f"  horizon {int(h):>3} days: live schedules per 1,000 contracts year mean "
                         f"{row['live_year_mean']:>6,} (peak {row['live_year_peak']:,}); re-plans a day "
                         f"{row['replans_per_day']}")
    a = results.get("api")
    if a:
        lines.append(f"API through the real handler ({a['teams']} teams; one team's viewer):")
        for size, row in a["sizes"].items():
            for route in ROUTES:
                r = row.get(route)
                if r is None:  # results of a run before the row existed
                    continue
                ok = "ok" if r["p99_ms"] < API_P99_TARGET_MS else "MISSED"
                lines.append(f"  {int(size):>6,} contracts {row['obligations']:>7,} obligations  {route:<31} "
                             f"p50 {r['p50_ms']:7.1f}  p95 {r['p95_ms']:7.1f}  p99 {r['p99_ms']:7.1f} ms "
                             f"(< {API_P99_TARGET_MS:g}: {ok}); without moto p50 {r['handler_only_p50_ms']:.1f} "
                             f"p99 {r['handler_only_p99_ms']:.1f} ms; {r['dynamodb_calls']} DynamoDB calls, "
                             f"{r['items_read']} items read, {r['items_returned']} returned")
    return lines


def missed(results: dict) -> list[str]:
    out = []
    for size, row in (results.get("api") or {}).get("sizes", {}).items():
        for route in ROUTES:
            if route in row and row[route]["p99_ms"] >= API_P99_TARGET_MS:
                out.append(f"{route} p99 < {API_P99_TARGET_MS:g} ms at {size} contracts")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="planning,api", help="planning, api or both (comma-separated)")
    parser.add_argument("--contracts", type=int, default=10000, help="the largest API table (contracts)")
    parser.add_argument("--requests", type=int, default=30,
                        help="requests per route and size (moto's index queries take seconds at 110k items)")
    parser.add_argument("--json", type=Path, default=REPO / "bench-scale-results.json")
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    # the rows not run this time are kept as the file has them (each row says when it was measured)
    results: dict = json.loads(args.json.read_text(encoding="utf-8")) if args.json.is_file() else {}
    now = datetime.now(UTC).isoformat(timespec="seconds")
    results["date"] = now
    results["measured"] = {**(results.get("measured") or {}), **{part: now for part in parts}}
    if "planning" in parts:
        results["planning"] = bench_planning()
    if "api" in parts:
        sizes = tuple(sorted({min(1000, args.contracts), args.contracts}))
        results["api"] = bench_api(sizes, args.requests)
    if "cost" in parts:
        results["cost_counts"] = count_costs()
        print(json.dumps(results["cost_counts"], indent=1))
    results["missed_targets"] = missed(results)
    args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print("\n".join(report(results)))
    print(f"results in {args.json}")
    return 1 if results["missed_targets"] else 0



# --- cost counts ----------------------------------------------------------------------------------------

MEMORY_MB = {"ingest": 1024, "textract_done": 1024, "planner": 512, "alert": 256, "api": 512, "money": 512,
             "renewal": 512, "webhook": 256}  # as infra/components declares them


def count_costs(days: int = 90) -> dict:
    """Run the sample contracts through the embedded default and ``days`` simulated days, counting
    what AWS bills: DynamoDB items written/read and their size (WRU/RRU), schedules created and fired,
    emails, Lambda invocations and their time (GB-s at the deployed memory), pages for text
    detection, Step Functions executions. moto's latency is in the Lambda times (an upper bound)."""
    import botocore.session

    from clausewatch import clock
    from clausewatch.local import handlers
    from clausewatch.local.cloud import LocalCloud

    counts: Counter = Counter()
    last: dict = {}

    def before(params=None, **_) -> None:
        last["params"] = params or {}

    def after(http_response=None, parsed=None, model=None, **_) -> None:
        if model is None:
            return
        params = last.get("params") or {}
        op = model.name
        counts[f"call:{model.service_model.service_name}:{op}"] += 1
        if model.service_model.service_name != "dynamodb" or parsed is None:
            return
        if op in ("PutItem", "UpdateItem", "DeleteItem"):
            size = len(json.dumps(params.get("Item") or params.get("Key") or {}))
            counts["dynamodb_wru"] += max(1, -(-size // 1024))
        elif op == "BatchWriteItem":
            for requests in (params.get("RequestItems") or {}).values():
                for r in requests:
                    size = len(json.dumps(r))
                    counts["dynamodb_wru"] += max(1, -(-size // 1024))
        elif op in ("Query", "Scan"):
            size = len(json.dumps(parsed.get("Items", []), default=str))
            counts["dynamodb_rru"] += max(1, -(-size // 4096))  # strongly consistent 4 KB units
        elif op == "GetItem":
            counts["dynamodb_rru"] += max(1, -(-len(json.dumps(parsed.get("Item", {}), default=str)) // 4096))
        elif op == "BatchGetItem":
            for items in (parsed.get("Responses") or {}).values():
                for item in items:
                    counts["dynamodb_rru"] += max(1, -(-len(json.dumps(item, default=str)) // 4096))

    create = botocore.session.Session.create_client

    def create_counting(self, *args, **kwargs):
        client = create(self, *args, **kwargs)
        client.meta.events.register("before-parameter-build.*.*", before)
        client.meta.events.register("after-call.*.*", after)
        return client

    botocore.session.Session.create_client = create_counting
    real_invoke = handlers.invoke
    seconds: Counter = Counter()

    def timed_invoke(name, event):
        started = time.perf_counter()
        try:
            return real_invoke(name, event)
        finally:
            seconds[name] += time.perf_counter() - started
            counts[f"invocations:{name}"] += 1

    from clausewatch.local import cloud as cloud_module
    from clausewatch.local import invocations as invocations_module

    # the queue consumers (ingest, textract_done, money, webhook, the sweep's pages) are invoked
    # by local/invocations.py, the stream's planner, sweeps and alerts by local/cloud.py
    cloud_module.invoke = invocations_module.invoke = timed_invoke
    cloud = LocalCloud().start()
    try:
        clock.set_now(NOW)
        from tests.paths import SAMPLES, sample_metadata

        names = ("saas-subscription-northwind.pdf", "supply-agreement-autorenew.pdf",
                 "services-agreement-fixed-dates.pdf", "mutual-nda.pdf", "uk-software-licence.pdf")
        for name in names:
            cloud.upload(SAMPLES / name, sample_metadata().get(name, {}))
        cloud.pump()
        from clausewatch.store import repository as repo

        contracts = repo.list_contracts()
        pages = sum(int(c.page_count or 0) for c in contracts)
        fired = cloud.fire_until(NOW + timedelta(days=days))
        storage = 0
        from clausewatch import config
        from clausewatch.aws.clients import client

        for page in client("dynamodb").get_paginator("scan").paginate(TableName=config.TABLE_NAME):
            storage += sum(len(json.dumps(i)) + 100 for i in page["Items"])  # + DynamoDB's per-item overhead
        mails = len(cloud.sent_mail())
    finally:
        clock.set_now(None)
        cloud.stop()
        botocore.session.Session.create_client = create
        cloud_module.invoke = invocations_module.invoke = real_invoke
    n = len(contracts)
    gb_s = {name: round(s * MEMORY_MB.get(name, 512) / 1024 / n, 3) for name, s in seconds.items()}
    return {"contracts": n, "days": days, "pages_per_contract": round(pages / n, 1),
            "reminders_fired_per_contract": round(len(fired) / n, 2), "emails_per_contract": round(mails / n, 2),
            "dynamodb_wru_per_contract": round(counts["dynamodb_wru"] / n), "dynamodb_rru_per_contract":
            round(counts["dynamodb_rru"] / n), "storage_kb_per_contract": round(storage / 1024 / n, 1),
            "schedules_created_per_contract": round(counts["call:scheduler:CreateSchedule"] / n, 2),
            "sfn_executions_per_contract": round(counts["call:stepfunctions:StartExecution"] / n, 2),
            "lambda_invocations_per_contract": {k.split(":", 1)[1]: round(v / n, 2) for k, v in counts.items()
                                                if k.startswith("invocations:")},
            "lambda_gb_s_per_contract": gb_s}


if __name__ == "__main__":
    raise SystemExit(main())
