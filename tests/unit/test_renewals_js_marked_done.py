"""The renewals page's words for a passed term end a person marked done (web/static/renewals.js
`markedDone`, run under node beside a stub of app.js and of the page's DOM): marked before the
term's last day with no day said, the day shown is the day it was marked, and the page says it was
before the term's last day (the day the term ended, which the row lists it by)."""

from __future__ import annotations

import pytest

from tests.unit.static_js import node_runner

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
    return node_runner(tmp_path_factory.mktemp("renewals_js"), "renewals.js", STUB, RUN)


def test_a_term_end_marked_done_before_its_last_day_says_so(words):
    assert words({**ITEM, "marked_done_on": "2026-12-20"}) == \
        "marked done by ed@x.test on 2026-12-20, before the term's last day (2026-12-31)"


def test_a_term_end_marked_done_on_or_after_its_last_day_reads_as_before(words):
    assert words({**ITEM, "marked_done_on": "2027-01-02"}) == "marked done by ed@x.test on 2027-01-02"
    assert words({**ITEM, "marked_done_on": "2026-12-31"}) == "marked done by ed@x.test on 2026-12-31"
