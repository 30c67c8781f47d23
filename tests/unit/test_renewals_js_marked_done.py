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


# the term end's badge: ``el`` stubbed to give back what it was asked to make
BADGE_STUB = STUB.replace("export function el() { return null; }",
                          "export function el(tag, attrs, text) { return { attrs, text }; }")
BADGE_RUN = RUN.replace("const { markedDone }", "const { endBadge }").replace(
    "markedDone(JSON.parse(process.argv[2]))", "endBadge(...JSON.parse(process.argv[2]))")


@pytest.fixture(scope="module")
def badge(tmp_path_factory):
    return node_runner(tmp_path_factory.mktemp("renewals_js_badge"), "renewals.js", BADGE_STUB, BADGE_RUN)


def test_a_passed_end_of_unknown_renewal_marked_done_early_says_so_once(badge):
    """Before: the badge and its tooltip (the renewal_reason, which says how the end was closed) both
    said "before the term's last day": now the tooltip alone; a row without a reason keeps it on the badge."""
    reason = ("no renewal clause was found: check whether it renewed (its end was marked done by ed@x.test on "
              "2026-12-20, before the term's last day (2026-12-31): that says the end came, not whether it renewed)")
    row = {**ITEM, "marked_done_on": "2026-12-20", "days_since_end": 3, "renewal": "unknown", "renewal_reason": reason}
    shown = badge([row, "unknown"])
    assert (shown["text"] + shown["attrs"]["title"]).count("before the term's last day") == 1
    assert shown["text"].endswith("; marked done by ed@x.test on 2026-12-20")
    assert shown["attrs"]["title"] == reason
    no_reason = badge([{**row, "renewal_reason": None}, "unknown"])
    assert no_reason["text"].endswith("on 2026-12-20, before the term's last day (2026-12-31)")
    ended = badge([{**row, "renewal": None, "renewal_reason": None}, "ended"])
    assert ended["text"].endswith("(marked done by ed@x.test on 2026-12-20, before the term's last day (2026-12-31))")
