"""An earlier amendment filed after a later one is applied in its place: the Master Services
Agreement (effective 1 March 2025, three years, one-year renewals, 90 days' notice) gets Amendment
No. 2 (60 -> 30 days' notice from the renewal term beginning 1 March 2029) first, then No. 1 (60
days' notice from 1 March 2028). The renewal term between the two counts 60 days, whatever the order
the two were filed in; applied again, No. 1 is not listed twice. (Before: No. 1's notice period was
left out, and that term counted the 90 days before both.)"""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, date, datetime

import pytest

from clausewatch import clock
from clausewatch.pipeline import record
from clausewatch.pipeline.record import contract_info
from clausewatch.plan import deadlines_for_contract
from clausewatch.store import repository as repo
from tests.integration.api_support import call, claims, no_scan_in_api_requests, off_the_document  # noqa: F401
from tests.integration.test_amendment_effective import (
    MSA,
    NOTICE_FROM_MARCH,
    RENEWAL_TWO_YEARS,
    _amendment,
    _deadlines,
    _upload,
)

NOW = datetime(2027, 10, 15, 15, 0, tzinfo=UTC)
NOTICE_FROM_MARCH_2029 = (
    '1. Notice. With effect from March 1, 2029, Section 3 of the Agreement is amended by replacing "sixty (60) days" '
    'with "thirty (30) days", so that for each Renewal Term beginning on or after March 1, 2029 either party may give '
    'the other party written notice of non-renewal at least thirty (30) days prior to the expiration of the '
    'then-current term.')
# the value of each renewal term's notice period, oldest first: 90 days, No. 1's 60 days, No. 2's 30 days
HISTORY = [("P90D", "2028-03-01", "amend1.pdf"), ("P60D", "2029-03-01", "amend2.pdf")]


def _second(date: str, body: str, target_date: str = "March 1, 2025") -> str:
    return _amendment(date, body, target_date).replace("NO. 1", "NO. 2").replace("No. 1", "No. 2")


@pytest.fixture(scope="module")
def filed_late_saved(save_cloud, tmp_path_factory):
    """No. 2 filed, then No. 1: (the agreement's id, No. 1's id), saved once."""

    def build(cloud):
        clock.set_now(NOW)
        folder = tmp_path_factory.mktemp("filed-late")
        msa = _upload(cloud, folder, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
        second = _upload(cloud, folder, "amend2.pdf", _second("October 5, 2027", NOTICE_FROM_MARCH_2029))
        first = _upload(cloud, folder, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
        assert repo.get_contract(msa).amended_by == [first, second]  # applied again in the order made
        return msa, first

    return save_cloud(build)


@pytest.fixture
def filed_late(cloud, filed_late_saved):
    return filed_late_saved.restore(cloud)


def _history(contract_id: str) -> list[tuple[str, str, str]]:
    notice = repo.get_contract(contract_id).extraction["terms"]["notice_period"]
    return [(item["value"], item["until"], item["changed_by"]) for item in notice["extra"]["earlier"]]


def _notice_deadlines(contract_id: str) -> list[tuple[str, str]]:
    """(due, derivation) of the notice deadline of the initial term, of the renewal term beginning
    1 March 2028 and of the one beginning 1 March 2029 (as the planner counts them on a day in each)."""
    contract = repo.get_contract(contract_id)
    found = []
    for day in (date(2027, 10, 15), date(2028, 3, 15), date(2029, 3, 15)):
        [notice] = [d for d in deadlines_for_contract(contract_info(contract), contract.extracted, day)
                    if d.kind == "notice_deadline"]
        found.append((notice.due.isoformat(), notice.derivation))
    return found


def test_an_earlier_amendment_filed_late_governs_the_renewal_term_between_the_two(cloud, filed_late):
    msa, first = filed_late
    notice = repo.current_terms(msa)["notice_period"]
    assert notice.value == "P30D"  # No. 2's stands
    assert _history(msa) == HISTORY
    assert "P60D for the terms beginning from 2028-03-01 to before 2029-03-01 (amend1.pdf)" in notice.derivation
    deadlines = _notice_deadlines(msa)
    # the initial term ends 2028-02-29: 90 days; the term 2028-03-01..2029-02-28: No. 1's 60 days
    # (was 90: 2028-11-30); the term from 2029-03-01 (ends 2030-02-28): No. 2's 30 days
    assert [due for due, _ in deadlines] == ["2027-12-01", "2028-12-30", "2030-01-29"]
    assert "P60D" in deadlines[1][1] and "amend1.pdf" in deadlines[1][1]
    # the initial term's 90 days are the agreement's (was: named beside No. 2's 30 days, No. 2's clause quoted)
    assert "P90D (notice period, the period in force for terms beginning before 2028-03-01, of msa.pdf; " \
           "amend1.pdf's P60D for the terms beginning on or after 2028-03-01)" in deadlines[0][1]
    assert _counted_from(msa) == [
        _agreement_s("2028-03-01"),
        ("P60D", "amend1.pdf, for terms beginning from 2028-03-01 to before 2029-03-01", "amend1.pdf"),
        ("P30D", "amend2.pdf, for terms beginning on or after 2029-03-01", "amend2.pdf")]
    # planned so once that term runs: the open deadline, and its reminders within their horizon
    clock.set_now(datetime(2028, 11, 20, 9, 0, tzinfo=UTC))
    record.refresh_deadlines(repo.get_contract(msa), today=clock.now().date(), actor="test")
    cloud.pump()
    assert _deadlines(msa)["notice_deadline"]["due"] == "2028-12-30"
    reminders = [json.loads(s["Target"]["Input"]) for s in cloud.schedules()]
    assert {r["due"] for r in reminders if r.get("obligation_id") == "notice_deadline"} == {"2028-12-30"}
    [again] = [e for e in repo.audit_events(msa) if e.action == "amendments.applied_again"]
    assert again.detail["filed_late"] == first and again.detail["applied_again"][0] == first
    assert "amend1.pdf was made before amend2.pdf" in again.detail["why"]


def test_the_two_applied_in_the_order_made_give_the_same_history_and_deadlines(filed_late):
    msa, _ = filed_late
    late = (_history(msa), [due for due, _ in _notice_deadlines(msa)])
    # the same amendments applied again in the order they were made: No. 1, then No. 2
    record.apply_amendments_again(repo.get_contract(msa), actor="test", why="in the order made")
    assert (_history(msa), [due for due, _ in _notice_deadlines(msa)]) == late
    assert late[0] == HISTORY


def test_an_earlier_amendment_applied_again_is_not_placed_twice(filed_late):
    msa, first = filed_late
    amendment = repo.get_contract(first)
    record.apply_amendment(repo.get_contract(msa), amendment, amendment.extracted, actor="test")
    assert _history(msa) == HISTORY
    assert repo.get_contract(msa).amended_by[0] == first and len(repo.get_contract(msa).amended_by) == 2


def test_an_earlier_amendment_filed_late_gives_its_renewal_length_to_the_terms_between_the_two(cloud, tmp_path):
    """The same for a renewal length: No. 1 (October 1, 2027: three-year renewals) filed after No. 2
    (October 1, 2029: two-year renewals). The term beginning 1 March 2028 runs three years, to
    2031-02-28 (was: one-year terms to 2030-02-28), in either order."""
    clock.set_now(datetime(2029, 11, 1, 15, 0, tzinfo=UTC))
    msa = _upload(cloud, tmp_path, "msa-2020.pdf", MSA)
    _upload(cloud, tmp_path, "amend2.pdf", _second("October 1, 2029", RENEWAL_TWO_YEARS, "March 1, 2020"))
    _upload(cloud, tmp_path, "amend1.pdf", _amendment(
        "October 1, 2027", RENEWAL_TWO_YEARS.replace("two (2) year", "three (3) year")))
    renewal = repo.get_contract(msa).extraction["terms"]["renewal_term"]
    history = [(e["value"], e["until"], e["changed_by"]) for e in renewal["extra"]["earlier"]]
    assert (renewal["value"], history) == (
        "P2Y", [("P1Y", "2027-10-01", "amend1.pdf"), ("P3Y", "2029-10-01", "amend2.pdf")])
    expiration = _deadlines(msa)["expiration"]
    assert expiration["due"] == "2031-02-28" and "P3Y (amend1.pdf" in expiration["derivation"]
    record.apply_amendments_again(repo.get_contract(msa), actor="test", why="in the order made")
    again = repo.get_contract(msa).extraction["terms"]["renewal_term"]["extra"]["earlier"]
    assert [(e["value"], e["until"], e["changed_by"]) for e in again] == history
    assert _deadlines(msa)["expiration"]["due"] == "2031-02-28"


NOTICE_AT_ONCE = (
    '1. Notice. Section 3 of the Agreement is amended by replacing "sixty (60) days" with "forty-five (45) days", so '
    'that either party may give the other party written notice of non-renewal at least forty-five (45) days prior to '
    'the expiration of the then-current term.')


def _numbered(number: int, day: str, body: str) -> str:
    return _amendment(day, body, "March 1, 2025").replace("NO. 1", f"NO. {number}").replace("No. 1", f"No. {number}")


def _filed(cloud, folder, amendments: dict[int, tuple[str, str]], order: tuple[int, ...]) -> tuple[str, dict]:
    """The agreement (effective 2025-03-01, initial term to 2028-02-29, one-year renewals, 90 days'
    notice) and its amendments (number: (day signed, body)) filed in ``order``: the agreement's id,
    and the amendments' by number."""
    clock.set_now(NOW)
    msa = _upload(cloud, folder, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    return msa, {n: _upload(cloud, folder, f"amend{n}.pdf", _numbered(n, *amendments[n])) for n in order}


def _applied_in_order_made(msa: str, ids: dict[int, str], order: tuple[int, ...]) -> None:
    assert repo.get_contract(msa).amended_by == [ids[n] for n in sorted(order)]
    again = [e for e in repo.audit_events(msa) if e.action == "amendments.applied_again"]
    assert bool(again) == (list(order) != sorted(order))  # a late one: all applied again, and said so


def _result(msa: str) -> tuple[str, list, list[str], list[tuple[str, str]]]:
    """(the notice period, its history, each term's notice deadline, the amendments' flags)."""
    contract = repo.get_contract(msa)
    flags = sorted((f["kind"], f["term"]) for f in contract.extraction.get("attention") or []
                   if f["kind"] in record._AMENDMENT_FLAGS)
    return (repo.current_terms(msa)["notice_period"].value, _history(msa),
            [due for due, _ in _notice_deadlines(msa)], flags)


def _counted_from(msa: str) -> list[tuple[str, str, str]]:
    """Of each term's notice deadline (as ``_notice_deadlines``): the period counted, the words
    saying whose it is, and the document of the clause quoted with it."""
    contract = repo.get_contract(msa)
    found = []
    for day in (date(2027, 10, 15), date(2028, 3, 15), date(2029, 3, 15)):
        [notice] = [d for d in deadlines_for_contract(contract_info(contract), contract.extracted, day)
                    if d.kind == "notice_deadline"]
        period, words = re.search(r" - (P\d+D) \(([^;)]*)", notice.derivation).groups()
        source = (notice.evidence or {}).get("amended_by")
        found.append((period, words, repo.get_contract(source).file_name if source else contract.file_name))
    return found


def _agreement_s(until: str) -> tuple[str, str, str]:
    """The initial term's period: the agreement's 90 days, its clause quoted (was: named and quoted
    from the amendment changing it last)."""
    return ("P90D", f"notice period, the period in force for terms beginning before {until}, of msa.pdf", "msa.pdf")


@pytest.mark.parametrize("order", [(1, 2), (2, 1)])
def test_a_later_amendment_restating_the_value_in_force_does_not_hide_the_earlier_one(cloud, tmp_path, order):
    """No. 1 (October 1, 2027): 60 days from 1 March 2028; No. 2 (October 5, 2027): 90 days from
    1 March 2029, the agreement's own value. Filed No. 2 first, its 90 days matched the value then
    and no history was kept, so No. 1 was then left out (2028 term: 90 days, 2028-11-30)."""
    msa, ids = _filed(cloud, tmp_path, {1: ("October 1, 2027", NOTICE_FROM_MARCH),
                                   2: ("October 5, 2027", NOTICE_FROM_MARCH_2029.replace("thirty (30)", "ninety (90)"))},
                 order)
    # initial term ends 2028-02-29: 90 days -> 2027-12-01; the term ending 2029-02-28: 60 days ->
    # 2028-12-30; the term ending 2030-02-28: 90 days -> 2029-11-30
    assert _result(msa) == ("P90D", HISTORY, ["2027-12-01", "2028-12-30", "2029-11-30"], [])
    _applied_in_order_made(msa, ids, order)
    # each term's deadline names the document whose period it counts, and quotes its clause (was:
    # the 2028 term's 60 days quoted from No. 2, which says 90 days)
    assert _counted_from(msa) == [
        _agreement_s("2028-03-01"),
        ("P60D", "amend1.pdf, for terms beginning from 2028-03-01 to before 2029-03-01", "amend1.pdf"),
        ("P90D", "amend2.pdf, for terms beginning on or after 2029-03-01", "amend2.pdf")]


@pytest.mark.parametrize("order", list(itertools.permutations((1, 2, 3))))
def test_an_amendment_applying_at_once_between_two_is_not_undone_by_the_earlier_one_filed_late(
        cloud, tmp_path, order):
    """No. 1 (October 1, 2027): 60 days from 1 March 2028; No. 2 (October 5, 2027): 45 days at once
    (the running initial term too); No. 3 (October 10, 2027): 30 days from 1 March 2029. No. 2
    replaces No. 1 for every term; filed No. 2, No. 3, No. 1, No. 1's 60 days came back over it."""
    msa, ids = _filed(cloud, tmp_path, {1: ("October 1, 2027", NOTICE_FROM_MARCH),
                                   2: ("October 5, 2027", NOTICE_AT_ONCE),
                                   3: ("October 10, 2027", NOTICE_FROM_MARCH_2029)}, order)
    # 45 days before 2028-02-29 -> 2028-01-15; before 2029-02-28 -> 2029-01-14; 30 days before
    # 2030-02-28 -> 2030-01-29
    assert _result(msa) == ("P30D", [("P45D", "2029-03-01", "amend3.pdf")],
                            ["2028-01-15", "2029-01-14", "2030-01-29"], [])
    _applied_in_order_made(msa, ids, order)
    assert "amend1.pdf" not in _notice_deadlines(msa)[1][1]
    # No. 2's 45 days, named and quoted as No. 2's (was: unnamed, and the running term's quoted from No. 3)
    assert _counted_from(msa) == [
        ("P45D", "notice period, the period in force for terms beginning before 2029-03-01, of amend2.pdf",
         "amend2.pdf"),
        ("P45D", "amend2.pdf, for terms beginning before 2029-03-01", "amend2.pdf"),
        ("P30D", "amend3.pdf, for terms beginning on or after 2029-03-01", "amend3.pdf")]


@pytest.mark.parametrize("order", [(1, 2), (2, 1)])
def test_a_later_amendment_changing_from_an_earlier_day_keeps_the_agreement_s_value_before_it(
        cloud, tmp_path, order):
    """No. 1 (October 1, 2027): 60 days from 1 March 2029; No. 2 (October 5, 2027): 30 days from
    1 March 2028, before No. 1's day: it governs every term from 2028, and the initial term keeps
    the agreement's 90 days (was: No. 1's 60 days, 2027-12-31, in the order made; filed No. 2
    first, No. 1 was dropped without a flag)."""
    msa, ids = _filed(cloud, tmp_path, {1: ("October 1, 2027", NOTICE_FROM_MARCH.replace("2028", "2029")),
                                   2: ("October 5, 2027", NOTICE_FROM_MARCH_2029.replace("2029", "2028"))}, order)
    # 90 days before 2028-02-29 -> 2027-12-01; 30 days before 2029-02-28 -> 2029-01-29, before
    # 2030-02-28 -> 2030-01-29
    assert _result(msa) == ("P30D", [("P90D", "2028-03-01", "amend2.pdf")],
                            ["2027-12-01", "2029-01-29", "2030-01-29"], [(record.TAKES_EFFECT_LATER, "notice_period")])
    _applied_in_order_made(msa, ids, order)
    later = ("P30D", "amend2.pdf, for terms beginning on or after 2028-03-01", "amend2.pdf")
    assert _counted_from(msa) == [_agreement_s("2028-03-01"), later, later]


def test_an_amendment_still_being_applied_is_kept_when_an_earlier_one_is_applied_again(cloud, tmp_path):
    """No. 2 (30 days from 1 March 2029) applied to the agreement, still being recorded (the agreement
    lists it, it names the agreement only as being applied to: ``amending_contract_id``) when No. 1,
    made before it, is applied: the replay keeps No. 2 (was: dropped, its 30 days lost for good)."""
    clock.set_now(NOW)
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    second = _upload(cloud, tmp_path, "amend2.pdf", _second("October 5, 2027", NOTICE_FROM_MARCH_2029))
    repo.update_contract(repo.get_contract(second), actor="test", amends_contract_id=None, amending_contract_id=msa)
    first = _upload(cloud, tmp_path, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
    assert repo.get_contract(msa).amended_by == [first, second]
    assert repo.current_terms(msa)["notice_period"].value == "P30D"  # No. 2's (was No. 1's 60 days)
    assert _history(msa) == HISTORY


@pytest.mark.parametrize("order", [(1, 2), (2, 1)])
def test_a_later_amendment_with_the_same_value_from_an_earlier_day_moves_the_change_earlier(cloud, tmp_path, order):
    """No. 1 (October 1, 2027): 60 days from 1 March 2029; No. 2 (October 5, 2027): 60 days from
    1 March 2028. The terms from 2028 count 60 days, the initial term the agreement's 90 (was: No. 2
    dropped as restating the value, the term beginning 2028 counted 90 days, 2028-11-30)."""
    msa, ids = _filed(cloud, tmp_path, {1: ("October 1, 2027", NOTICE_FROM_MARCH.replace("2028", "2029")),
                                   2: ("October 5, 2027", NOTICE_FROM_MARCH)}, order)
    # 90 days before 2028-02-29 -> 2027-12-01; 60 days before 2029-02-28 -> 2028-12-30, before
    # 2030-02-28 -> 2029-12-30
    assert _result(msa) == ("P60D", [("P90D", "2028-03-01", "amend2.pdf")],
                            ["2027-12-01", "2028-12-30", "2029-12-30"], [])
    _applied_in_order_made(msa, ids, order)
    later = ("P60D", "amend2.pdf, for terms beginning on or after 2028-03-01", "amend2.pdf")
    assert _counted_from(msa) == [_agreement_s("2028-03-01"), later, later]


# an amendment stating no number and no date: "AMENDMENT TO MASTER SERVICES AGREEMENT", entered into
# by the parties, no day it was signed or took effect
UNDATED = _amendment("October 1, 2027", NOTICE_AT_ONCE, "March 1, 2025").replace(
    "AMENDMENT NO. 1 TO", "AMENDMENT TO").replace("This Amendment No. 1 (this", "This Amendment (this").replace(
    ' as of October 1, 2027 (the "Amendment Effective Date")', "")


@pytest.mark.parametrize("undated_first", [False, True])
def test_an_amendment_with_no_number_and_no_date_is_applied_in_the_order_filed_and_put_before_a_person(
        cloud, tmp_path, undated_first):
    """No. 1 (October 1, 2027: 60 days from 1 March 2028) and an amendment with no number and no
    date (45 days at once): which was made first cannot be known. Each is applied in the order
    filed, and the contract says so for a person to confirm (was: applied so, said nowhere), in a
    replay too."""
    clock.set_now(NOW)
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    files = [("undated.pdf", UNDATED), ("amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))]
    ids = [_upload(cloud, tmp_path, name, text) for name, text in (files if undated_first else files[::-1])]
    assert repo.get_contract(msa).amended_by == ids  # the order filed
    assert not [e for e in repo.audit_events(msa) if e.action == "amendments.applied_again"]
    later, earlier = ("amend1.pdf", "undated.pdf") if undated_first else ("undated.pdf", "amend1.pdf")

    def flags() -> list[tuple[str, str]]:
        return [(f["amendment_id"], f["message"]) for f in repo.get_contract(msa).extraction.get("attention") or []
                if f["kind"] == record.ORDER_UNKNOWN]

    undated = ids[0] if undated_first else ids[1]
    assert flags() == [(undated, record.order_unknown_message("undated.pdf", ["amend1.pdf"]))]
    assert flags()[0][1].startswith("undated.pdf has no number and no signing date: the order it was made in "
                                    "among amend1.pdf is not known; applied in the order filed")
    # the terms of the order filed: the last one's stand
    assert repo.current_terms(msa)["notice_period"].value == ("P60D" if undated_first else "P45D")
    record.apply_amendments_again(repo.get_contract(msa), actor="test", why="applied again")
    assert len(flags()) == 1 and repo.get_contract(msa).amended_by == ids


@pytest.mark.parametrize(("made_on", "notice"), [(None, "P45D"), (date(2027, 9, 1), "P60D")])
def test_a_person_says_when_an_amendment_with_no_number_and_no_date_was_signed(cloud, tmp_path, made_on, notice):
    """No. 1 (October 1, 2027: 60 days), then one with no number and no date (45 days): flagged, the
    order filed applied. A person says the order filed is right (None), or the day it was signed
    (September 1, 2027: before No. 1, whose 60 days then stand): the flag goes, the amendments are
    applied again in that order, audited on both; so in every replay after (was: nobody could)."""
    from clausewatch.pipeline import actions

    clock.set_now(NOW)
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    first = _upload(cloud, tmp_path, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
    undated = _upload(cloud, tmp_path, "undated.pdf", UNDATED)

    def flagged() -> list[str]:
        return [f["amendment_id"] for f in repo.get_contract(msa).extraction.get("attention") or []
                if f["kind"] == record.ORDER_UNKNOWN]

    assert flagged() == [undated] and repo.current_terms(msa)["notice_period"].value == "P45D"
    editor = claims("legal", "editor", "ann@example.com")
    assert "confirm_amendment_order" in call("GET", f"/contracts/{msa}", claims=editor).json()["caller_may"]
    said = {"note": "the cover letter", **({"made_on": made_on.isoformat()} if made_on else {"confirm_order": True})}
    assert call("POST", f"/contracts/{undated}/amendment-checked", claims=editor, body=said).status == 200
    assert flagged() == [] and repo.current_terms(msa)["notice_period"].value == notice
    assert repo.get_contract(msa).amended_by == ([first, undated] if made_on is None else [undated, first])
    said = None if made_on is None else made_on.isoformat()
    for trail in (msa, undated):
        audited = [e.detail for e in repo.audit_events(trail) if e.action == "amendment.order_confirmed"]
        assert [(d["amendment_id"], d["made_on"], d["note"]) for d in audited] == [(undated, said, "the cover letter")]
    record.apply_amendments_again(repo.get_contract(msa), actor="test", why="applied again")
    assert flagged() == [] and repo.current_terms(msa)["notice_period"].value == notice
    # said again: no change
    actions.check_amendment(undated, actor="ann@example.com", note="the cover letter", made_on=made_on, order=True)
    assert len([e for e in repo.audit_events(msa) if e.action == "amendment.order_confirmed"]) == 1


def test_a_day_said_places_an_amendment_when_a_later_one_is_filed(cloud, tmp_path):
    """No. 1 (October 1, 2027: 60 days), one with no number and no date (45 days) said signed
    October 10, then No. 2 (October 5: 60 days) filed: made No. 1, No. 2, the undated one, whose 45
    days stand, as a replay gives (was: the day said was not read when No. 2 was filed: No. 2 went
    last, 60 days)."""
    clock.set_now(NOW)
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    first = _upload(cloud, tmp_path, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
    undated = _upload(cloud, tmp_path, "undated.pdf", UNDATED)
    editor = claims("legal", "editor", "ann@example.com")
    assert call("POST", f"/contracts/{undated}/amendment-checked", claims=editor,
                body={"made_on": "2027-10-10"}).status == 200
    second = _upload(cloud, tmp_path, "amend2.pdf", _second("October 5, 2027", NOTICE_FROM_MARCH))
    assert repo.get_contract(msa).amended_by == [first, second, undated]
    assert repo.current_terms(msa)["notice_period"].value == "P45D"
    # the day said places it against No. 2: not asked again (``record.ask_order_again``)
    assert repo.get_contract(undated).order_confirmed["made_on"] == "2027-10-10"
    assert not [e for e in repo.audit_events(msa) if e.action == "amendment.order_unconfirmed"]
    record.apply_amendments_again(repo.get_contract(msa), actor="test", why="applied again")
    assert repo.get_contract(msa).amended_by == [first, second, undated]
    assert repo.current_terms(msa)["notice_period"].value == "P45D"


@pytest.mark.parametrize(("body", "status"), [
    ({"made_on": "2099-01-01"}, 400),  # after today
    ({"made_on": "2027-10-16"}, 400),  # tomorrow
    ({"made_on": "2025-02-28"}, 400),  # before the agreement it amends (March 1, 2025)
    ({"note": "a module only"}, 409),  # the no-change check: not so flagged; its order not confirmed
])
def test_the_day_an_amendment_was_signed_is_checked(cloud, tmp_path, body, status):
    clock.set_now(NOW)
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    _upload(cloud, tmp_path, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
    undated = _upload(cloud, tmp_path, "undated.pdf", UNDATED)
    editor = claims("legal", "editor", "ann@example.com")
    assert call("POST", f"/contracts/{undated}/amendment-checked", claims=editor, body=body).status == status
    assert repo.get_contract(undated).order_confirmed is None
    assert [f["amendment_id"] for f in repo.get_contract(msa).extraction.get("attention") or []
            if f["kind"] == record.ORDER_UNKNOWN] == [undated]
    assert not [e for e in repo.audit_events(msa) if e.action == "amendment.order_confirmed"]


def test_a_day_said_is_not_undone_by_a_confirmation_without_one(cloud, tmp_path):
    """Said signed September 1, 2027 (before No. 1: its 60 days stand), then the order filed
    confirmed with no day: the day stands (was: overwritten with none, the order filed applied)."""
    clock.set_now(NOW)
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    _upload(cloud, tmp_path, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
    undated = _upload(cloud, tmp_path, "undated.pdf", UNDATED)
    editor = claims("legal", "editor", "ann@example.com")
    path = f"/contracts/{undated}/amendment-checked"
    assert call("POST", path, claims=editor, body={"made_on": "2027-09-01"}).status == 200
    assert repo.current_terms(msa)["notice_period"].value == "P60D"
    assert call("POST", path, claims=editor, body={"confirm_order": True}).status == 200
    assert call("POST", path, claims=editor, body={}).status == 409  # the no-change check: not so flagged
    assert repo.get_contract(undated).order_confirmed["made_on"] == "2027-09-01"
    assert repo.current_terms(msa)["notice_period"].value == "P60D"
    assert repo.get_contract(undated).amendment_checked is None


def test_the_day_an_amendment_was_signed_is_refused_when_it_is_the_only_one(cloud, tmp_path):
    clock.set_now(NOW)
    _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    undated = _upload(cloud, tmp_path, "undated.pdf", UNDATED)
    editor = claims("legal", "editor", "ann@example.com")
    assert call("POST", f"/contracts/{undated}/amendment-checked", claims=editor,
                body={"made_on": "2027-09-01"}).status == 409  # nothing to order
    assert repo.get_contract(undated).order_confirmed is None


# one stating its day signed and no number; one stating its number (No. 2) and no day signed
UNNUMBERED = _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025").replace(
    "AMENDMENT NO. 1 TO", "AMENDMENT TO").replace("This Amendment No. 1 (this", "This Amendment (this")
UNSIGNED = _second("October 1, 2027", NOTICE_AT_ONCE).replace(
    ' as of October 1, 2027 (the "Amendment Effective Date")', "")


CHECKED = "/contracts/{contract_id}/amendment-checked"


def _order_flags(msa: str) -> list[tuple[str, str]]:
    return [(f["amendment_id"], f["message"]) for f in repo.get_contract(msa).extraction.get("attention") or []
            if f["kind"] == record.ORDER_UNKNOWN]


@pytest.mark.parametrize("unsigned_first", [False, True])
def test_a_numbered_amendment_with_no_date_beside_a_dated_one_with_no_number_is_put_before_a_person(
        cloud, tmp_path, unsigned_first):
    """No. 2 with no signing date (45 days at once) and one signed October 1, 2027 with no number
    (60 days from March 2028): neither number nor day places one against the other. The numbered
    one, which a day said would place, is flagged as one with neither is (was: applied in the order
    filed, said nowhere); a person says the day it was signed (API): the flag goes, in the order made."""
    clock.set_now(NOW)
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    files = [("amend2.pdf", UNSIGNED), ("dated.pdf", UNNUMBERED)]
    ids = {name: _upload(cloud, tmp_path, name, text) for name, text in (files if unsigned_first else files[::-1])}
    assert [a for a, _ in _order_flags(msa)] == [ids["amend2.pdf"]]
    assert _order_flags(msa)[0][1] == ("amend2.pdf has a number and no signing date, dated.pdf a signing date and "
                                       "no number: the order they were made in is not known; applied in the order filed")
    record.apply_amendments_again(repo.get_contract(msa), actor="test", why="applied again")
    assert len(_order_flags(msa)) == 1
    editor = claims("legal", "editor", "ann@example.com")
    shown = call("GET", f"/contracts/{msa}", claims=editor)
    assert "confirm_amendment_order" in shown.json()["caller_may"]
    assert off_the_document("GET", "/contracts/{contract_id}", shown) is None  # its kind in the flags' enum
    placed = call("POST", f"/contracts/{ids['amend2.pdf']}/amendment-checked", claims=editor,
                  body={"made_on": "2027-10-05"})
    assert placed.status == 200 and off_the_document("POST", CHECKED, placed) is None
    assert _order_flags(msa) == []
    assert repo.get_contract(msa).amended_by == [ids["dated.pdf"], ids["amend2.pdf"]]
    assert repo.current_terms(msa)["notice_period"].value == "P45D"  # No. 2, signed after, stands


def test_an_amendment_filed_after_an_order_was_confirmed_asks_again(cloud, tmp_path):
    """No. 1, then one with no number and no date, its order filed confirmed by a person; then No. 2
    filed: nothing places the undated one against it, so the confirmation goes and it is flagged
    again, audited on both trails (was: No. 2 applied after it, nobody asked)."""
    clock.set_now(NOW)
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    _upload(cloud, tmp_path, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
    undated = _upload(cloud, tmp_path, "undated.pdf", UNDATED)
    editor = claims("legal", "editor", "ann@example.com")
    assert call("POST", f"/contracts/{undated}/amendment-checked", claims=editor,
                body={"confirm_order": True, "note": "the cover letter"}).status == 200
    assert _order_flags(msa) == []
    second = _upload(cloud, tmp_path, "amend2.pdf", _second("October 5, 2027", NOTICE_FROM_MARCH))
    assert _order_flags(msa) == [(undated, record.order_unknown_message("undated.pdf", ["amend1.pdf", "amend2.pdf"]))]
    assert repo.get_contract(undated).order_confirmed is None
    for trail in (msa, undated):
        [audited] = [e.detail for e in repo.audit_events(trail) if e.action == "amendment.order_unconfirmed"]
        assert (audited["amendment_id"], audited["filed"], audited["before"]["note"]) == \
            (undated, second, "the cover letter")
    record.apply_amendments_again(repo.get_contract(msa), actor="test", why="applied again")
    assert [a for a, _ in _order_flags(msa)] == [undated]



def test_an_order_confirmed_while_an_amendment_is_being_applied_is_asked_again(cloud, tmp_path, monkeypatch):
    """A person confirms the undated amendment's order between No. 2's look at the confirmations
    and its application (a race): once No. 2 is applied, the confirmation (of an order without it)
    is looked at again, goes, and the undated one is flagged again (was: kept, nobody asked)."""
    clock.set_now(NOW)
    msa = _upload(cloud, tmp_path, "msa.pdf", MSA.replace("March 1, 2020", "March 1, 2025"))
    _upload(cloud, tmp_path, "amend1.pdf", _amendment("October 1, 2027", NOTICE_FROM_MARCH, "March 1, 2025"))
    undated = _upload(cloud, tmp_path, "undated.pdf", UNDATED)
    assert [a for a, _ in _order_flags(msa)] == [undated]
    real, raced = record.apply_amendment, []

    def confirmed_meanwhile(original, amendment, extraction, **kwargs):
        if not raced and amendment.contract_id != undated:
            raced.append(amendment.contract_id)
            repo.update_contract(repo.get_contract(undated), actor="ann@example.com", order_confirmed={
                "by": "ann@example.com", "at": clock.iso(), "note": None, "made_on": None})
        return real(repo.get_contract(original.contract_id) or original, amendment, extraction, **kwargs)

    monkeypatch.setattr(record, "apply_amendment", confirmed_meanwhile)
    _upload(cloud, tmp_path, "amend2.pdf", _second("October 5, 2027", NOTICE_FROM_MARCH))
    assert raced
    assert repo.get_contract(undated).order_confirmed is None
    assert [a for a, _ in _order_flags(msa)] == [undated]
