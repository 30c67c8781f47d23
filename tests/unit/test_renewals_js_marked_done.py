"""The renewals page's words for a passed term end a person marked done (web/static/renewals.js
`markedDone`, run under node beside a stub of app.js and of the page's DOM): marked before the
term's last day with no day said, the day shown is the day it was marked, and the page says it was
before the term's last day (the day the term ended, which the row lists it by)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "layers/core/python/clausewatch/web/static"
NODE = shutil.which("node")
# renewals.js loads its page when imported: app.js is a stub whose `all` fails (the page's load stops
# there), and the page's select and location are stubbed before it is imported
STUB = """export async function all() { throw new Error("no API in this test"); }
export const api = null, contractLink = null;
export function day(d) { return d; }
export function el() { return null; }
export function failed() {}
export function header() {}
export function status() {}
"""
RUN = """globalThis.document = { getElementById: () => ({ value: "90", options: [], addEventListener() {} }) };
globalThis.location = { search: "" };
const { markedDone } = await import("./renewals.js");
console.log(JSON.stringify(markedDone(JSON.parse(process.argv[2]))));
"""
ITEM = {"marked_done_by": "ed@x.test", "expiration": "2026-12-31"}


@pytest.fixture(scope="module")
def words(tmp_path_factory):
    if NODE is None:
        pytest.skip("node is not installed")
    where = tmp_path_factory.mktemp("renewals_js")
    shutil.copy(STATIC / "renewals.js", where / "renewals.js")
    (where / "app.js").write_text(STUB)
    (where / "run.mjs").write_text(RUN)

    def run(item: dict) -> str:
        out = subprocess.run([NODE, str(where / "run.mjs"), json.dumps(item)], capture_output=True, text=True,
                             check=True, timeout=60)
        return json.loads(out.stdout)
    return run


def test_a_term_end_marked_done_before_its_last_day_says_so(words):
    assert words({**ITEM, "marked_done_on": "2026-12-20"}) == \
        "marked done by ed@x.test on 2026-12-20, before the term's last day (2026-12-31)"


def test_a_term_end_marked_done_on_or_after_its_last_day_reads_as_before(words):
    assert words({**ITEM, "marked_done_on": "2027-01-02"}) == "marked done by ed@x.test on 2027-01-02"
    assert words({**ITEM, "marked_done_on": "2026-12-31"}) == "marked done by ed@x.test on 2026-12-31"
