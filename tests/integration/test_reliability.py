"""`make reliability` as part of the suite: every bad-input, duplicate-delivery and fault scenario
on its own embedded default (a subprocess: it starts its own moto server and simulated clock).
The table it prints is the evidence; the test holds it to its promise: every scenario as expected,
no upload lost, no reminder emailed twice."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.paths import REPO_ROOT


def test_make_reliability_loses_nothing_and_sends_nothing_twice():
    run = subprocess.run([sys.executable, "-m", "clausewatch.local.reliability"], cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=1800)
    out = run.stdout
    assert "lost uploads: 0, duplicate emails: 0" in out.splitlines()[-1], out[-3000:] + run.stderr[-3000:]
    scenarios = re.search(r"(\d+)/(\d+) scenarios as expected", out)
    assert scenarios and scenarios.group(1) == scenarios.group(2), out[-3000:]
    assert int(scenarios.group(2)) >= 28  # the bad uploads, duplicates and injected faults of issue #13
    for fault in ("out of order", "DynamoDB throttles", "crashes after SES accepted", "planner crashes",
                  "Textract job fails", "1,000-page PDF"):
        assert fault in out, f"scenario missing: {fault}"
    assert run.returncode == 0
