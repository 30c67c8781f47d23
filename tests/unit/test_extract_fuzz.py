"""The extractor's regular expressions against long adversarial text (hypothesis): repeated clause
fragments, long whitespace and underscore runs, long digit runs. Each example runs under the
production terms budget (`text.budget.TERMS_BUDGET`, in a child process): a catastrophic
backtrack is stopped there and fails the test with its input, instead of hanging it.

The inputs found so far are kept below as regressions. Runs of a few thousand characters are
used: several rules scan `\\s*` from every position of a whitespace run (quadratic, seconds on
tens of thousands of newlines), which is slow but bounded; exponential backtracking is not.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clausewatch.extract import extract_contract
from clausewatch.text.budget import TERMS_BUDGET, BudgetExceeded, run_with_budget

FRAGMENTS = [
    "This Agreement shall ", "renew for successive one (1) year periods ",
    "unless either party gives ninety (90) days' written notice ", "the \"Effective Date\" ",
    "dated as of ", "made this _____ day of ______, 20", "March 1, 2025 ", "12/31/2025 ", "03/24/06 ",
    "Section 1.1 ", "(a) ", "governed by the laws of the State of New York ", "IN WITNESS WHEREOF ",
    "By: /s/ John Smith ", "Date: ", "Date Date\n", "Term. ", "between Acme Inc. (\"Company\") and ",
    "AMENDMENT NO. 1 TO THE MASTER SERVICES AGREEMENT ", "shall pay within thirty (30) days ",
    "not to exceed 5% ", "minimum of $1,000,000 ", "99.9% uptime ", "survive for two (2) years ",
    "terminate for convenience upon 30 days ", "This Agreement is made and entered into as of ",
    "shall continue in effect until ", "for an initial term of three (3) years ", "Party A: ",
    "- and -\n", "WHEREAS ", "ARTICLE I\n", "the Term ",
]
FILLERS = [" ", "\n", "\t", "\r\n", "  \n", "\f", "_", "1", "0", "1/1/", "1.1.", "(1)", "$1,0", "2025"]

fragment = st.sampled_from(FRAGMENTS)
run_of_filler = st.builds(lambda filler, n: filler * n, st.sampled_from(FILLERS), st.integers(1, 2000))
repeated_fragment = st.builds(lambda text, n: text * n, fragment, st.integers(1, 150))
piece = st.one_of(fragment, run_of_filler, repeated_fragment)
document = st.lists(piece, min_size=1, max_size=12).map("".join)


def finishes_within_budget(text: str) -> None:
    pages = [text[i:i + 20000] for i in range(0, len(text), 20000)] or [""]
    try:
        run_with_budget(extract_contract, pages, seconds=TERMS_BUDGET.seconds,
                        memory_mb=TERMS_BUDGET.memory_mb, step="term extraction")
    except BudgetExceeded as exc:
        pytest.fail(f"{exc.reason} on {len(text)} characters starting {text[:200]!r}")


FUZZ = settings(max_examples=15, deadline=None, derandomize=True, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(document)
def test_extraction_finishes_on_adversarial_text(text):
    finishes_within_budget(text)


@FUZZ
@given(fragment, st.sampled_from(["\n", " \n", "\r\n", "  \n", "\n_", "\f"]), st.integers(20, 3000), fragment)
def test_a_date_or_clause_followed_by_a_long_run_of_blank_lines(before, blank, count, after):
    finishes_within_budget(before + blank * count + after)


# Found by the fuzzing above: the signature-date caption pattern (extract/terms.py,
# _signature_line_date) was "(?:\s*\n[ \t_]*)*\n[ \t]*(?:Date[ \t]*)+\n", which backtracks
# exponentially over a run of newlines after a date with no "Date" caption under it (22 newlines:
# 1.3 s, 30: minutes). Now "(?:\s*\n[\s_]*)?" before the caption line.
REGRESSIONS = [
    "March 1, 2025 " + "\r\n" * 26 + "Date: " + "\f" * 200 + "- and -\n",
    "03/24/06 03/24/06\n" + "\n" * 60 + "x",
    "/s/ John Smith 7/14/11\n" + " \n" * 200 + "Signature",
]


@pytest.mark.parametrize("text", REGRESSIONS)
def test_known_backtracking_inputs_finish(text):
    finishes_within_budget(text)


def test_a_signature_date_over_a_date_caption_is_still_recognised():
    """The caption rule the fix touched still reads a row of dates over "Date Date" captions."""
    text = ("IN WITNESS WHEREOF the parties have signed this Agreement.\n"
            "ACME INC. BLUEBIRD LLC\n/s/ Jane Roe /s/ John Doe\n"
            "03/24/06 03/28/06\n____________ ____________\nDate Date\n"
            "By: Jane Roe By: John Doe\n")
    result = extract_contract([text])
    assert result.terms["agreement_date"] is not None
    assert result.terms["agreement_date"].value == "2006-03-28"  # the latest signature date


# --- the budget itself ------------------------------------------------------------------------


def test_a_catastrophic_regex_is_stopped_at_the_time_budget():
    import re

    with pytest.raises(BudgetExceeded) as caught:
        run_with_budget(re.match, r"(a+)+$", "a" * 64 + "b", seconds=0.5, memory_mb=100, step="term extraction")
    assert caught.value.kind == "time"
    assert caught.value.reason == "term extraction stopped after 0.5 s, its time budget"


def test_a_memory_hog_is_stopped_at_the_memory_budget():
    with pytest.raises(BudgetExceeded) as caught:
        run_with_budget(bytearray, 400 * 1024 * 1024, seconds=30, memory_mb=100, step="text extraction")
    assert caught.value.kind == "memory" and "100 MB" in caught.value.reason


def test_the_steps_result_and_exceptions_come_back():
    from clausewatch.text.validate import InvalidDocument

    assert run_with_budget(sorted, [3, 1, 2], seconds=30, memory_mb=100) == [1, 2, 3]
    assert run_with_budget(extract_contract, ["Governed by the laws of the State of New York."],
                           seconds=30, memory_mb=200).terms["governing_law"].value == "New York"

    def refuse():
        raise InvalidDocument("no_text_layer", "no text")

    with pytest.raises(InvalidDocument) as caught:
        run_with_budget(refuse, seconds=30, memory_mb=100)
    assert caught.value.code == "no_text_layer"


def test_no_fork_while_another_thread_holds_the_fork_lock():
    """A thread in the middle of an AWS call or a handler holds FORK_LOCK (the embedded default's
    concurrent invocations): a budget step on another thread forks only once it is released, so a
    child never inherits a lock held mid-call. The lock is reentrant: a step run under it forks."""
    import os
    import threading
    import time

    from clausewatch.text.budget import FORK_LOCK

    held, release = threading.Event(), threading.Event()
    released_at: list[float] = []

    def holder():
        with FORK_LOCK:
            held.set()
            release.wait(30)
            released_at.append(time.monotonic())

    forked: list[tuple[int, float]] = []
    holding = threading.Thread(target=holder)
    holding.start()
    assert held.wait(30)
    step = threading.Thread(target=lambda: forked.append(run_with_budget(
        lambda: (os.getpid(), time.monotonic()), seconds=30, memory_mb=100)))
    step.start()
    step.join(0.5)
    assert step.is_alive() and not forked  # waiting for the lock, not forked
    release.set()
    holding.join(30)
    step.join(30)
    (child, started), = forked
    assert child != os.getpid() and started >= released_at[0]  # the child began after the release
    with FORK_LOCK:  # reentrant: the holder's own step
        assert run_with_budget(sorted, [2, 1], seconds=30, memory_mb=100) == [1, 2]


def test_the_collector_in_the_child_leaves_the_parents_objects_alone():
    """The child's collections walk only what the step allocates: the objects it inherited are
    frozen (a walk over them costs time and copies every page it touches)."""
    import gc

    kept = [[n] for n in range(100_000)]  # the parent's heap, whatever else it holds
    parent_frozen = gc.get_freeze_count()
    frozen, walked = run_with_budget(lambda: (gc.get_freeze_count(), len(gc.get_objects())),
                                     seconds=30, memory_mb=100)
    # (not compared with the parent's count of objects: a collection may free some before the fork)
    assert frozen >= parent_frozen + len(kept) and walked < 1000
    assert gc.get_freeze_count() == parent_frozen  # the parent's own collector is untouched


def test_an_iteration_is_streamed_under_one_budget():
    import time

    from clausewatch.text.budget import iterate_with_budget

    assert list(iterate_with_budget(range, 5, seconds=30, memory_mb=100)) == [0, 1, 2, 3, 4]

    def slow_pages():
        yield "page 1"
        time.sleep(30)
        yield "page 2"

    received = []
    with pytest.raises(BudgetExceeded):
        for item in iterate_with_budget(slow_pages, seconds=0.5, memory_mb=100):
            received.append(item)
    assert received == ["page 1"]  # what came before the deadline was delivered at once
