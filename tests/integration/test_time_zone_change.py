"""A contract's time zone changed after upload (README "Not built yet" until 2026-12-07: the one set
at upload could not be changed): ``PUT /contracts/{id}/time-zone`` checks it as the upload does,
audits it, refreshes the deadlines (their actions say "end of day, <new zone>") and the planner
makes every reminder schedule again at its local hour in the new zone: a schedule's name does not
say its zone, so without the ``rezoned_from`` mark the old ones stayed, firing at 09:00 in the old
zone.

The agreement ends on 14 February 2027 with sixty days' notice: the notice deadline is Wednesday
16 December 2026; its reminders 14 and 7 days before (2 and 9 December) and on the day fire at
09:00 local time; the 30-day one (16 November) passed before planning: a catch-up fires a minute
after planning."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from clausewatch import clock
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.plan import is_schedule_of
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import NOW, call, claims, no_scan_in_api_requests  # noqa: F401
from tests.pdfs import make_pdf

TEAM = "legal-ops"
USER = "dana.kowalski@example.com"
EDITOR = claims(TEAM, "editor", USER)
TEXT = ("SERVICES AGREEMENT\nThis Services Agreement is entered into as of February 15, 2025 (the \"Effective "
        "Date\") between Acme Widgets, Inc. (\"Customer\") and Blue Heron Services LLC (\"Provider\").\n1. Term. The "
        "initial term of this Agreement begins on the Effective Date and ends on February 14, 2027. Thereafter this "
        "Agreement shall automatically renew for successive one (1) year terms unless either party gives written "
        "notice of non-renewal at least sixty (60) days before the end of the then-current term.\n"
        "2. Governing Law. This Agreement is governed by the laws of the State of California.")
AMENDMENT = ("AMENDMENT NO. 1 TO SERVICES AGREEMENT\nThis Amendment (this \"Amendment\") is entered into as of "
             "November 1, 2026 by and between Acme Widgets, Inc. and Blue Heron Services LLC.\nRECITALS\n"
             "A. The parties are parties to that certain Services Agreement dated February 15, 2025.\n"
             "1. Section 2 of the Agreement is amended to read: This Agreement is governed by the laws of the "
             "State of New York.\n")
LA, TOKYO = "America/Los_Angeles", "Asia/Tokyo"


@pytest.fixture
def at_now(cloud):
    clock.set_now(NOW)
    yield


def _upload(cloud, tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(make_pdf(text))
    cloud.upload(path, {"team": TEAM, "owner": USER, "time-zone": LA})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def _set(contract_id: str, zone, who: dict = EDITOR):
    return call("PUT", f"/contracts/{contract_id}/time-zone", claims=who, body={"time_zone": zone})


def _trail(contract_id: str) -> list[dict]:
    audit = call("GET", f"/contracts/{contract_id}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]
    return [e for e in audit if e["action"] == "contract.time_zone_set"]


def _schedules(cloud, contract_id: str) -> list[tuple[str, str, bool, str]]:
    """The contract's reminder schedules: (zone, local time of the at() expression, immediate, lead days)."""
    out = []
    for detail in cloud.schedules():
        if not is_schedule_of(detail["Name"], contract_id):
            continue
        payload = json.loads(detail["Target"]["Input"])
        local = datetime.fromisoformat(detail["ScheduleExpression"][3:-1])
        out.append((detail["ScheduleExpressionTimezone"], local.time().isoformat(), payload["immediate"],
                    f"{payload['lead_days']}@{local.date().isoformat()}"))
    return sorted(out, key=lambda s: s[3])


def _notice_action(contract_id: str) -> str:
    contract = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()
    [obligation] = [o for o in contract["obligations"] if o["id"] == "notice_deadline"]
    assert obligation["due"] == "2026-12-16"
    return repo.get_obligation(contract_id, "notice_deadline").action


def test_a_time_zone_set_plans_every_reminder_again_in_the_new_zone(cloud, tmp_path, at_now):
    contract_id = _upload(cloud, tmp_path, "services-la.pdf", TEXT)
    before = _schedules(cloud, contract_id)
    planned = [s for s in before if not s[2]]
    # the notice deadline's 14-day, 7-day and due-day reminders (and the expiration's 60-day one)
    assert [s[3] for s in planned] == ["0@2026-12-16", "14@2026-12-02", "60@2026-12-16", "7@2026-12-09"], before
    assert {(zone, at) for zone, at, _, _ in planned} == {(LA, "09:00:00")}
    assert "(end of day, America/Los_Angeles)" in _notice_action(contract_id)

    reply = _set(contract_id, TOKYO)
    assert reply.status == 200, reply.text
    assert reply.json()["time_zone"] == TOKYO
    cloud.pump()
    after = _schedules(cloud, contract_id)
    # every schedule in Tokyo, none left in Los Angeles; the planned ones at 09:00 Tokyo time, same days
    assert {zone for zone, _, _, _ in after} == {TOKYO}, after
    assert [(at, lead) for _, at, immediate, lead in after if not immediate] == [
        ("09:00:00", lead) for _, _, _, lead in planned]
    action = _notice_action(contract_id)
    assert "(end of day, Asia/Tokyo)" in action and "America/Los_Angeles" not in action
    contract = repo.get_contract(contract_id)
    assert contract.time_zone == TOKYO and contract.rezoned_from is None  # planned: the mark is gone
    [changed] = _trail(contract_id)
    assert (changed["actor"], changed["detail"]) == (USER, {"from": LA, "to": TOKYO})

    # the same zone again: nothing changes, nothing audited, no schedule made again
    assert _set(contract_id, TOKYO).status == 200
    cloud.pump()
    assert len(_trail(contract_id)) == 1 and _schedules(cloud, contract_id) == after
    assert repo.get_contract(contract_id).rezoned_from is None


def test_an_unknown_time_zone_is_a_400_that_says_what_to_send_and_changes_nothing(cloud, tmp_path, at_now):
    contract_id = _upload(cloud, tmp_path, "services-la.pdf", TEXT)
    before = _schedules(cloud, contract_id)
    # and names zoneinfo opens that are no place's zone (QA of 2026-12-07: each was stored; right/... put
    # New York in summer time all February, localtime is the server's own)
    for bad in ("Mars/Olympus_Mons", "EST5EDT\nX", " ", "Asia/Tokyo/../../etc", "localtime", "Factory",
                "right/America/New_York", "posix/America/New_York", "EST"):
        reply = _set(contract_id, bad)
        assert reply.status == 400, (bad, reply.text)
        assert "Europe/London" in reply.json()["message"], reply.text  # an example of what to send
    assert "unknown time-zone 'Mars/Olympus_Mons'" in _set(contract_id, "Mars/Olympus_Mons").json()["message"]
    assert "time-zone 'EST' is not a region/city name" in _set(contract_id, "EST").json()["message"]
    assert _set(contract_id, None).status == 400
    cloud.pump()
    assert repo.get_contract(contract_id).time_zone == LA and _schedules(cloud, contract_id) == before
    assert _trail(contract_id) == []
    # a viewer may not; another team's contract is not found
    assert _set(contract_id, TOKYO, who=claims(TEAM, "viewer")).status == 403
    assert _set(contract_id, TOKYO, who=claims("procurement", "editor")).status == 404
    assert repo.get_contract(contract_id).time_zone == LA


def test_an_amendments_time_zone_is_its_contracts_409(cloud, tmp_path, at_now):
    contract_id = _upload(cloud, tmp_path, "services-la.pdf", TEXT)
    amendment_id = _upload(cloud, tmp_path, "amendment-1-services.pdf", AMENDMENT)
    assert repo.get_contract(amendment_id).amends_contract_id == contract_id
    reply = _set(amendment_id, TOKYO)
    assert reply.status == 409 and "the contract it amends" in reply.json()["message"], reply.text
    assert repo.get_contract(amendment_id).time_zone == LA
    # offered on the contract to an editor, not on the amendment, not to a viewer
    assert "set_time_zone" in call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()["caller_may"]
    assert "set_time_zone" not in call("GET", f"/contracts/{amendment_id}", claims=EDITOR).json()["caller_may"]
    assert call("GET", f"/contracts/{contract_id}", claims=claims(TEAM, "viewer")).json()["caller_may"] == []
    # ?ids= (read with a summary's attributes only) shows them as the list does: the amendment's zone is
    # its contract's, and it is known to be an amendment (its extraction read)
    listed = {c["id"]: c for c in call("GET", "/contracts", claims=EDITOR).json()["items"]}
    by_id = call("GET", "/contracts", claims=EDITOR, query={"ids": f"{amendment_id},{contract_id}"}).json()["items"]
    assert by_id == [listed[amendment_id], listed[contract_id]]
    assert "set_time_zone" not in by_id[0]["caller_may"] and "set_time_zone" in by_id[1]["caller_may"]


def test_the_cli_sets_the_time_zone(tmp_path, capsys):
    """`clausewatch time-zone` on a state folder, as a user's shell would."""
    from clausewatch.cli import main

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    (folder / "services.pdf").write_bytes(make_pdf(TEXT))
    clock.set_now(NOW)
    try:
        assert main(["watch", str(folder), "--once", "--state", str(state)]) == 0
        contract_id = contract_id_for(sha256_hex((folder / "services.pdf").read_bytes()))
        capsys.readouterr()
        assert main(["time-zone", contract_id, TOKYO, "--by", "a@b.com", "--state", str(state)]) == 0
        out = capsys.readouterr().out
        assert "-> Asia/Tokyo: reminders fire at their local hour in Asia/Tokyo (schedules in Asia/Tokyo)" in out, out
        assert main(["time-zone", contract_id, TOKYO, "--state", str(state)]) == 0
        assert "time zone Asia/Tokyo already: nothing changed" in capsys.readouterr().out
        assert main(["time-zone", contract_id, "Narnia/Cair_Paravel", "--state", str(state)]) == 2
        assert "not recorded: unknown time-zone 'Narnia/Cair_Paravel'" in capsys.readouterr().out
    finally:
        clock.set_now(None)


def test_a_renewal_decisions_start_is_planned_again_in_the_new_zone(cloud):
    """The supply agreement's renewal decision starts 90 days before its notice deadline, on 4 December
    2026 at 09:00 in Chicago (its upload's zone); set to Tokyo, the start schedule is made again at
    09:00 in Tokyo on that day, and none is left in Chicago."""
    from datetime import UTC

    from clausewatch.pipeline import entries
    from clausewatch.renewal.schedule import schedule_prefix
    from tests.integration.test_renewal_workflow import upload

    clock.set_now(datetime(2026, 11, 1, 15, tzinfo=UTC))
    contract_id = upload(cloud, "supply-agreement-autorenew.pdf")

    def starts() -> list[tuple[str, str]]:
        return [(s["ScheduleExpression"], s["ScheduleExpressionTimezone"]) for s in cloud.schedules()
                if s["Name"].startswith(schedule_prefix(contract_id))]

    assert starts() == [("at(2026-12-04T09:00:00)", "America/Chicago")]
    contract = repo.get_contract(contract_id)
    entries.set_time_zone(contract_id, TOKYO, actor=USER, team=contract.team)
    cloud.pump()
    assert starts() == [("at(2026-12-04T09:00:00)", TOKYO)]


def test_an_overdue_occurrence_names_the_new_zone_after_a_change(cloud):
    """API QA NIT: after a time zone change, the next occurrence of a recurring duty said "end of
    day, <new zone>" while an overdue one of an earlier period kept "end of day, <old zone>" (its
    reminders and emails quote it). Its day and arithmetic stay as counted (README "Not built yet":
    a calendar change recounts the next occurrence only); the zone it names is the contract's. A
    superseded or done occurrence is history: left as it was."""
    from datetime import UTC, timedelta

    from clausewatch.pipeline import actions, entries, record
    from tests.integration.test_renewal_workflow import SAAS, SAAS_ID, TODAY
    from tests.paths import SAMPLES, sample_metadata

    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()

    def recurring(status: str = "open") -> list:
        return sorted((o for o in repo.obligations(SAAS_ID, consistent=True)
                       if o.kind == "recurring" and "@" in o.obligation_id and o.status == status),
                      key=lambda o: o.due)

    [first] = recurring()
    new_york = "(end of day, America/New_York)"
    assert new_york in first.action
    # three days after it was due: the next period's occurrence is planned beside the overdue one
    clock.set_now(datetime.fromisoformat(first.due).replace(hour=12, tzinfo=UTC) + timedelta(days=3))
    contract = repo.get_contract(SAAS_ID)
    record.refresh_deadlines(contract, today=record.local_today(contract), actor="planner")
    cloud.pump()
    overdue, following = recurring()
    assert overdue.obligation_id == first.obligation_id and following.due > overdue.due
    # a done occurrence (the period after the next) stays as it was written
    actions.complete_obligation(SAAS_ID, following.obligation_id, actor=USER, note="sent early")

    assert entries.set_time_zone(SAAS_ID, TOKYO, actor=USER, team="procurement").time_zone == TOKYO
    cloud.pump()
    now_overdue = repo.get_obligation(SAAS_ID, overdue.obligation_id)
    assert now_overdue.status == "open"
    assert now_overdue.action == overdue.action.replace(new_york, "(end of day, Asia/Tokyo)")
    assert (now_overdue.due, now_overdue.derivation) == (overdue.due, overdue.derivation)
    assert new_york in repo.get_obligation(SAAS_ID, following.obligation_id).action  # done: history
    shown = {o["id"]: o for o in call("GET", f"/contracts/{SAAS_ID}",
                                      claims=claims("procurement", "viewer")).json()["obligations"]}
    assert "America/New_York" not in shown[overdue.obligation_id]["action"]
    # planned again with the zone unchanged: nothing more is written
    lines = len(repo.audit_events(SAAS_ID))
    record.refresh_deadlines(repo.get_contract(SAAS_ID), today=record.local_today(contract), actor="planner")
    assert len(repo.audit_events(SAAS_ID)) == lines


def test_an_applied_amendment_shows_the_zone_of_the_contract_it_amends(cloud, tmp_path, at_now):
    """API QA NIT: an amendment's own GET /contracts/{id} (and the list, and the CLI's line) kept the
    zone of its upload after its agreement's zone was changed, though its dates live on the
    agreement and are counted in the agreement's zone (the time-zone PUT is refused on it). It shows
    the zone it follows; unlinked, its own again."""
    from clausewatch.local.cli import contract_fields_line

    contract_id = _upload(cloud, tmp_path, "services-la.pdf", TEXT)
    amendment_id = _upload(cloud, tmp_path, "amendment-1-services.pdf", AMENDMENT)
    assert _set(contract_id, TOKYO).status == 200
    cloud.pump()

    def shown(contract_id: str) -> tuple[str, str]:
        listed = {c["id"]: c["time_zone"] for c in call("GET", "/contracts", claims=EDITOR).json()["items"]}
        return call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()["time_zone"], listed[contract_id]

    assert shown(amendment_id) == (TOKYO, TOKYO) == shown(contract_id)
    assert f"time zone {TOKYO};" in contract_fields_line(repo.get_contract(amendment_id))
    # unlinked, it follows no contract: the zone of its upload
    assert call("DELETE", f"/contracts/{amendment_id}/amends", claims=claims(TEAM, "admin", USER)).status == 200
    cloud.pump()
    assert shown(amendment_id) == (LA, LA)
    assert f"time zone {LA};" in contract_fields_line(repo.get_contract(amendment_id))


def _obligation_queries(calls: list[dict], contract_id: str) -> list[dict]:
    """The Query calls among ``calls`` that read the contract's obligations."""
    def values(kwargs: dict) -> set[str]:
        return {v.get("S") for v in (kwargs.get("ExpressionAttributeValues") or {}).values()}
    return [k for k in calls if {f"C#{contract_id}", "OBL#"} <= values(k)]


@pytest.mark.parametrize("route, body", [("time-zone", {"time_zone": TOKYO}),
                                         ("jurisdiction", {"jurisdiction": "US-NY"}),
                                         ("owner", {"owner": "sam.okafor@example.com"})])
def test_the_reply_to_a_change_reads_the_obligations_it_changed_strongly_consistent(cloud, tmp_path, at_now,
                                                                                   route, body):
    """API QA of 2026-12-07: the detail a PUT of the owner, jurisdiction or time zone answers read the
    obligations with an eventually consistent Query (on DynamoDB it may show them as before the
    change). Those replies read them strongly consistent; GET /contracts/{id} keeps its read."""
    from unittest import mock

    from pynamodb.connection.base import Connection

    contract_id = _upload(cloud, tmp_path, "services-la.pdf", TEXT)
    dispatch, queries = Connection.dispatch, []

    def recorded(self, operation_name, operation_kwargs):
        if operation_name == "Query":
            queries.append(operation_kwargs)
        return dispatch(self, operation_name, operation_kwargs)

    with mock.patch.object(Connection, "dispatch", recorded):
        reply = call("PUT", f"/contracts/{contract_id}/{route}", claims=claims(TEAM, "admin", USER), body=body)
        assert reply.status == 200, reply.text
        *_, answered = _obligation_queries(queries, contract_id)  # the reply's, after the change's own
        assert answered.get("ConsistentRead") is True, answered
        queries.clear()
        assert call("GET", f"/contracts/{contract_id}", claims=EDITOR).status == 200
        [read] = _obligation_queries(queries, contract_id)
        assert not read.get("ConsistentRead")


def test_a_time_zone_change_lists_the_applied_amendments_in_a_changed_since_sync(cloud, tmp_path, at_now):
    """API QA of 2026-12-07: an applied amendment shows its agreement's zone, but a zone change of the
    agreement left the amendment's changed_at as it was: a sync asking what changed since never read
    the amendment's new zone. Its applied amendments are marked changed with it."""
    from datetime import timedelta

    contract_id = _upload(cloud, tmp_path, "services-la.pdf", TEXT)
    amendment_id = _upload(cloud, tmp_path, "amendment-1-services.pdf", AMENDMENT)
    assert repo.get_contract(contract_id).amended_by == [amendment_id]
    later = NOW + timedelta(hours=1)
    clock.set_now(later)
    since = later.isoformat()

    def changed() -> dict[str, str]:
        page = call("GET", "/contracts", claims=EDITOR, query={"changed_since": since}).json()
        return {c["id"]: c["time_zone"] for c in page["items"]}

    assert amendment_id not in changed()
    assert _set(contract_id, TOKYO).status == 200
    cloud.pump()
    assert changed() == {contract_id: TOKYO, amendment_id: TOKYO}
    assert repo.get_contract(amendment_id).changed_at >= since
    # the same zone again: nothing changes, nothing marked
    clock.set_now(later + timedelta(hours=1))
    since = (later + timedelta(hours=1)).isoformat()
    assert _set(contract_id, TOKYO).status == 200
    assert amendment_id not in changed()


def test_a_time_zone_change_retried_marks_each_applied_amendment_changed_once(cloud, tmp_path, at_now, monkeypatch):
    """Review of 2026-12-07: a write refused by another request is tried again, and each try marked
    the applied amendments changed again (a write each): they are marked once."""
    contract_id = _upload(cloud, tmp_path, "services-la.pdf", TEXT)
    amendment_id = _upload(cloud, tmp_path, "amendment-1-services.pdf", AMENDMENT)
    real_update, real_mark, marks, refusals = repo.update_contract, repo.mark_changed, [], [2]

    def refused_twice(contract, **kwargs):
        if kwargs.get("time_zone") == TOKYO and refusals[0]:
            refusals[0] -= 1
            real_update(repo.get_contract(contract.contract_id), actor="person", owner=f"o{refusals[0]}@example.com")
        return real_update(contract, **kwargs)  # refused while another write came in since its read

    def counted(changed_id):
        marks.append(changed_id)
        return real_mark(changed_id)

    monkeypatch.setattr(repo, "update_contract", refused_twice)
    monkeypatch.setattr(repo, "mark_changed", counted)
    assert _set(contract_id, TOKYO).status == 200
    assert refusals == [0] and repo.get_contract(contract_id).time_zone == TOKYO
    assert marks.count(amendment_id) == 1, marks  # (the other request's own writes mark the contract)
