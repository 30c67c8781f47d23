"""The API routes with the embedded default's read cuts of 2026-12-02 evening switched on and off
in one process, so that a shared machine's speed changes (often larger than the cuts) fall on both
sides alike (issue #11).

    .venv/bin/python benchmarks/bench_api_cuts.py --contracts 1000 --rounds 20

The table is loaded once (`bench_scale.load`), then for each round both settings run, in turn
order alternating, 10 requests per route each: "after" is the code as it is; "before" puts back
moto's own deep copy of a Query's page, moto's request-id regex, json.dumps's ``default`` for every
value of an answer, and pynamodb's own ``from_raw_data``. Prints p50/p95/p99 per route and setting.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "layers" / "core" / "python"), str(REPO), str(REPO / "benchmarks")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)

    from moto.core import responses as core_responses
    from moto.dynamodb.models.dynamo_type import Item

    motos_copy = Item.__deepcopy__  # before LocalCloud installs ours
    import bench_scale
    from pynamodb.models import Model

    from clausewatch import clock
    from clausewatch.local import moto_dispatch, moto_query
    from clausewatch.local.cloud import LocalCloud
    from clausewatch.local.handlers import invoke
    from clausewatch.store import models
    from tests.integration.api_support import claims, rest_event

    cloud = LocalCloud().start()
    clock.set_now(bench_scale.NOW)
    started = time.perf_counter()
    bench_scale.load(args.contracts, 0)
    cloud.skip_stream()
    print(f"loaded {args.contracts} contracts in {time.perf_counter() - started:.1f} s", flush=True)
    ours = (Item.__deepcopy__, moto_query._plain_answer, core_responses.BaseResponse.__dict__["_enrich_response"],
            models._Item.__dict__["from_raw_data"])
    theirs = (motos_copy, lambda result, _value_type: result,
              staticmethod(moto_dispatch.ORIGINAL["_enrich_response"]),
              classmethod(lambda cls, data: Model.from_raw_data.__func__(cls, data)))

    def use(setting: tuple) -> None:
        Item.__deepcopy__, moto_query._plain_answer = setting[0], setting[1]
        core_responses.BaseResponse._enrich_response = setting[2]
        models._Item.from_raw_data = setting[3]

    who = claims("team-3", "viewer")
    routes = {"GET /obligations?due_before=": ("/obligations", {"due_before": (
        bench_scale.NOW.date() + timedelta(days=60)).isoformat()}), "GET /renewals": ("/renewals", {"within": "90"})}
    times: dict[tuple[str, str], list[float]] = {(r, s): [] for r in routes for s in ("before", "after")}
    try:
        for round_ in range(args.rounds):
            for name in (("before", "after") if round_ % 2 == 0 else ("after", "before")):
                use(ours if name == "after" else theirs)
                for route, (path, query) in routes.items():
                    invoke("api", rest_event("GET", path, query=query, claims=who))  # warm
                    for _ in range(10):
                        begun = time.perf_counter()
                        response = invoke("api", rest_event("GET", path, query=query, claims=who))
                        times[(route, name)].append((time.perf_counter() - begun) * 1000)
                        assert response["statusCode"] == 200, response
    finally:
        use(ours)
        cloud.stop()
    out = {f"{route} {name}": {f"p{int(share * 100)}_ms": round(bench_scale.percentile(values, share), 1)
                               for share in (0.5, 0.95, 0.99)} | {"requests": len(values)}
           for (route, name), values in times.items()}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
