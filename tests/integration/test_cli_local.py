"""The README's commands on the embedded default: demo, status, tick, done, watch (each starts its
own moto server and uses a state folder, as a user's shell would)."""

from __future__ import annotations

import contextlib
import csv
import email
import email.policy
import hashlib
import io
import json
import os
import shutil
import time
from datetime import UTC, datetime

import pytest

from clausewatch import clock
from clausewatch.cli import main
from clausewatch.pipeline.intake import contract_id_for
from tests.integration.test_money_credit_to_check import NOVEMBER, PROSE
from tests.paths import SAMPLES
from tests.pdfs import make_pdf


@pytest.fixture(autouse=True)
def _real_clock_after():
    yield
    clock.set_now(None)


def real_clock_at(moment: datetime):
    """A stand-in for the real clock (what clock.now() reads when nothing is simulated)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz)

    return Frozen


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """One demo run shared by the tests that read its output or its state folder, on a real clock
    a year after the demo's stated today: the demo must not care."""
    state = tmp_path_factory.mktemp("state")
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
        patch.setattr(clock, "datetime", real_clock_at(datetime(2027, 11, 26, 16, 45, tzinfo=UTC)))
        assert main(["demo", "--state", str(state), "--simulate-days", "7"]) == 0
        assert clock.simulated() is None  # back on the real clock afterwards
    return state, out.getvalue()


@pytest.fixture(scope="module")
def demo_state(demo_run):
    return demo_run[0]


def test_demo_tells_the_readme_story_at_its_stated_today_whatever_the_real_date(demo_run):
    _, out = demo_run
    lines = out.splitlines()
    assert lines[0].startswith("clausewatch demo at a simulated today: 2026-11-25 10:00 UTC")
    assert "Contracts (today 2026-11-25 UTC;" in out
    rows = {line.split()[1]: line for line in lines if line[:16].isalnum() and ".pdf" in line}
    # notice deadlines still ahead: the SaaS one 35 days away, the supply one moved by the amendment
    # (notice period 90 -> 120 days before 2027-06-02)
    assert "  2026-12-30  " in rows["saas-subscription-northwind.pdf"]
    assert "  2027-02-02  " in rows["supply-agreement-autorenew.pdf"]
    assert "amends supply-agreement-autorenew.pdf" in rows["amendment-1-supply.pdf"]
    assert "Forward simulation to 2026-12-02 " in out
    fired = [line.strip() for line in lines if line.startswith("  2026-")]
    assert fired[0].split() == ["2026-11-25", "10:01Z", "notice_deadline", "due", "2026-12-30", "(60d", "lead)",
                                "->", "priya.raman@example.com"]
    assert "2026-11-30 14:00Z  notice_deadline due 2026-12-30 (30d lead)" in out
    # the hint for the next command starts from the real clock, which is later here
    assert "clausewatch tick --until 2028-05-24" in out


def test_demo_today_is_a_flag(tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(SAMPLES / "mutual-nda.pdf", samples)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["demo", "--today", "2027-01-20", "--samples", str(samples),
                     "--state", str(tmp_path / "state"), "--simulate-days", "1"]) == 0
    assert out.getvalue().startswith("clausewatch demo at a simulated today: 2027-01-20 10:00 UTC")
    assert "Contracts (today 2027-01-20 UTC;" in out.getvalue()
    # planned from that day: the NDA's term ends 2027-02-19, its 90- and 60-day reminders are past
    # and the 30-day one (09:00 that morning) goes out a minute after the upload
    assert "2027-01-20 10:01Z  expiration due 2027-02-19 (30d lead)" in out.getvalue()
    assert clock.simulated() is None


def test_demo_processes_every_sample_and_quarantines_the_bad_one(demo_state, capsys):
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    assert main(["status", "--state", str(demo_state)]) == 0
    clock.set_now(None)
    out = capsys.readouterr().out
    for pdf in SAMPLES.glob("*.pdf"):
        assert pdf.name in out
    assert out.count("EXTRACTED") == len(list(SAMPLES.glob("*.pdf"))) - 1
    assert "QUARANTINED" in out and "not a PDF" in out
    saas = next(line for line in out.splitlines() if "saas-subscription-northwind.pdf" in line)
    assert "2024-03-01" in saas and "2027-02-28" in saas and "2026-12-30" in saas and "auto P12M" in saas
    # the demo's forward simulation wrote its emails beside the state, not into it
    assert list((demo_state / "outbox" / "simulation").glob("*.eml"))


def test_tick_fires_due_reminders_into_the_outbox_and_saves_the_clock(demo_state, tmp_path, capsys):
    state = tmp_path / "state"
    shutil.copytree(demo_state, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    assert main(["tick", "--until", "2026-12-31", "--state", str(state)]) == 0
    clock.set_now(None)
    out = capsys.readouterr().out
    assert "notice_deadline due 2026-12-30" in out
    mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
             for p in (state / "outbox").glob("*.eml")]
    subjects = [m["Subject"] for m in mails]
    assert any("30 Dec 2026" in s for s in subjects)
    assert all(m.get_content_type() == "multipart/mixed" for m in mails)
    saved = json.loads((state / "state.json").read_text())
    assert saved["now"].startswith("2026-12-31")


# the demo's claim of the SaaS contract's October service credit (due 2026-11-30, reminded)
CLAIM = "credit-2026-10-availability"


def test_done_cancels_reminders_and_survives_restart(demo_state, tmp_path, capsys):
    state = tmp_path / "state"
    shutil.copytree(demo_state, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    try:
        main(["status", "--state", str(state)])
        saas_id = next(line.split()[0] for line in capsys.readouterr().out.splitlines()
                       if "saas-subscription-northwind.pdf" in line)
        # the notice deadline is closed by its renewal decision (waiting in the demo), not by hand
        assert main(["done", saas_id, "notice_deadline", "--state", str(state)]) == 2
        assert "the notice deadline is closed by that decision" in capsys.readouterr().out
        assert main(["done", saas_id, CLAIM, "--state", str(state)]) == 0
        line = capsys.readouterr().out
        before, after = (int(n) for n in line.split("schedules ")[1].split(" -> "))
        assert after < before
        assert main(["obligations", saas_id, "--state", str(state)]) == 0
        listing = capsys.readouterr().out
        assert any(row.startswith(CLAIM) and " done " in row for row in listing.splitlines())
    finally:
        clock.set_now(None)


def test_done_with_the_status_it_expects(demo_state, tmp_path, capsys):
    """The CLI's done takes the status it acts on, as the API's expected_status: another status
    now is refused in one line (exit 2); done again by the same caller (the CLI's actor) with the
    status it saw before is its own retry, answered as it is (the API's rule since 2026-12-06), as
    is done with the status it is in."""
    state = tmp_path / "state"
    shutil.copytree(demo_state, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    try:
        main(["status", "--state", str(state)])
        saas_id = next(line.split()[0] for line in capsys.readouterr().out.splitlines()
                       if "saas-subscription-northwind.pdf" in line)
        done = ["done", saas_id, CLAIM, "--state", str(state)]
        capsys.readouterr()
        assert main([*done, "--expected-status", "waived"]) == 2
        said = capsys.readouterr()
        assert "is open, not waived as expected" in said.out + said.err and "Traceback" not in said.out + said.err
        assert main([*done, "--expected-status", "open"]) == 0
        assert main([*done, "--expected-status", "open"]) == 0  # its own retry: answered as it is
        assert main([*done, "--expected-status", "done"]) == 0
    finally:
        clock.set_now(None)


def test_watch_once_uploads_what_is_in_the_folder(tmp_path, capsys):
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "nda.pdf")
    (folder / "notes.pdf").write_bytes(b"meeting notes, not a pdf")

    old = time.time() - 5  # "finished copying" a while ago
    for p in folder.iterdir():
        os.utime(p, (old, old))
    assert main(["watch", str(folder), "--once", "--state", str(tmp_path / "state")]) == 0
    out = capsys.readouterr().out
    assert "nda.pdf" in out and "EXTRACTED" in out
    assert "notes.pdf" in out and "QUARANTINED" in out
    assert (tmp_path / "state" / "table.jsonl").exists()


def test_watch_once_does_not_call_a_file_it_took_itself_not_taken(tmp_path, capsys, monkeypatch):
    """A user's QA: `watch --once` took nda.pdf, waited for a file still being copied, and at its next
    round reported nda.pdf as "not taken: ... already taken" in the same run."""

    from clausewatch.local import dropfolder

    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "nda.pdf")
    shutil.copy(SAMPLES / "services-agreement-fixed-dates.pdf", folder / "services.pdf")
    looks = []
    real_look = dropfolder.look

    def look(*args, **kwargs):  # the first look finds services.pdf still being copied, whatever the clock
        looked = real_look(*args, now=time.time() + 60, **{k: v for k, v in kwargs.items() if k != "now"})
        if not looks:
            looked = dropfolder.Look([p for p in looked.to_take if p.name != "services.pdf"], looked.not_taken,
                                     [*looked.settling, ("services.pdf", dropfolder.SETTLE_SECONDS)])
        looks.append(looked)
        return looked

    monkeypatch.setattr(dropfolder, "look", look)
    assert main(["watch", str(folder), "--once", "--interval", "0.1", "--state", str(tmp_path / "state")]) == 0
    assert len(looks) >= 2
    out = capsys.readouterr().out
    assert "nda.pdf -> " in out and "services.pdf -> " in out and "waiting: services.pdf" in out
    assert "not taken: nda.pdf" not in out, out


def test_the_demo_checks_the_saas_samples_metrics_and_invoice_and_findings_lists_them(demo_run, tmp_path, capsys):
    state_dir, out = demo_run
    assert "Money: metrics-northwind-2026-10.csv, invoice-northwind-2026-03.xml" in out
    assert "99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00" in out
    state = tmp_path / "state"
    shutil.copytree(state_dir, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    assert main(["findings", "--state", str(state)]) == 0
    listing = capsys.readouterr().out
    assert "USD 1,550.00" in listing and "USD 9,300.00" in listing and "price_above_agreed" in listing
    assert "credits owed: 1, unclaimed: 1" in listing
    saas_id = next(line.split()[0] for line in listing.splitlines() if "sla_breach" in line)
    bad = tmp_path / "november.csv"
    bad.write_text("period,metric,value\n2026-11,availability,n/a\n")
    assert main(["metrics", saas_id, str(bad), "--state", str(state)]) == 1
    assert "refused" in capsys.readouterr().out
    good = tmp_path / "invoice.json"
    good.write_text('{"number": "NWA-2027-0301", "issue_date": "2027-03-01", "currency": "USD", '
                    '"period_start": "2027-03-01", "period_end": "2028-02-29", '
                    '"lines": [{"description": "Subscription Fees", "quantity": 1, "unit_price": "195300.00"}]}')
    assert main(["invoice", saas_id, str(good), "--state", str(state)]) == 0
    assert ": 0 finding(s)" in capsys.readouterr().out  # 5% more in the first renewal term: allowed
    assert main(["findings", "0123456789abcdef", "--state", str(state)]) == 2
    # the owner's findings email lands in the outbox at once, dated (was: audited as sent, never written)
    before = set((state / "outbox").glob("*.eml")) if (state / "outbox").exists() else set()
    august = tmp_path / "august.csv"
    august.write_text("period,metric,value\n2026-08,availability,99.0\n")
    assert main(["metrics", saas_id, str(august), "--state", str(state)]) == 0
    [mail] = set((state / "outbox").glob("*.eml")) - before
    message = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
    assert "money finding" in message["Subject"] and message["Date"] is not None


def test_a_digest_set_from_the_cli_covers_the_teams_of_the_persons_contracts(demo_state, tmp_path, capsys):
    state = tmp_path / "state"
    shutil.copytree(demo_state, state)
    # the README's own command, without --team: the teams of the contracts dana owns (was: a team
    # "default" no contract belongs to, so the weekly digest was always empty)
    assert main(["digest", "--email", "dana.kowalski@example.com", "--digest", "weekly", "--reminders", "urgent",
                 "--state", str(state)]) == 0
    said = capsys.readouterr()
    assert "teams supply-chain" in said.out + said.err and "default" not in said.out + said.err
    # a team with no contract here is refused, saying which there are
    assert main(["digest", "--email", "dana.kowalski@example.com", "--team", "no-such-team", "--state",
                 str(state)]) == 2
    said = capsys.readouterr()
    assert "--team" in said.out + said.err and "supply-chain" in said.out + said.err


def test_done_with_the_proof_the_notice_of_non_renewal_needs(demo_state, tmp_path, capsys):
    state = tmp_path / "state"
    shutil.copytree(demo_state, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    main(["status", "--state", str(state)])
    supply = next(line.split()[0] for line in capsys.readouterr().out.splitlines()
                  if "supply-agreement-autorenew.pdf" in line)
    assert main(["renewal", "decide", supply, "--decision", "terminate", "--reason", "moving supplier",
                 "--state", str(state)]) == 0
    # the letter is a file the user can open (QA hcli 3; was "s3://…/<key>"), its key kept beside it
    [letter] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("notice letter: ")]
    path, key = letter.removeprefix("notice letter: ").removesuffix(")").split(" (a PDF; its key in the bucket: ")
    assert path.startswith(str(state / "s3" / "blobs")) and key.endswith(f"/{supply}/notices/non-renewal-2027-06-02.pdf")
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    notice = "renewal-notice@2027-06-02"
    # without the proof: one line saying what is needed (was: an 18-line traceback)
    assert main(["done", supply, notice, "--state", str(state)]) == 2
    said = capsys.readouterr()
    assert "proof of sending" in said.out + said.err and "Traceback" not in said.out + said.err
    # in the CLI's words (QA hcli 4): its option, not the API's field
    assert "use --evidence FILE" in said.out and "evidence_key" not in said.out
    receipt = tmp_path / "courier-receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    assert main(["done", supply, notice, "--note", "sent by courier", "--evidence", str(receipt),
                 "--state", str(state)]) == 0
    assert main(["obligations", supply, "--state", str(state)]) == 0
    assert any(row.startswith(notice) and " done " in row for row in capsys.readouterr().out.splitlines())


def test_the_drop_folder_keeps_a_counterparty_in_any_script_and_says_what_it_refused(tmp_path, capsys):
    """QA (hw) 15, the drop folder's side: metadata.json names the counterparty in Arabic: sent
    RFC 2047-encoded, read back exactly; a value S3 could not carry (a lone surrogate, too long
    for S3's 2 KB of metadata) is refused with a note on the upload, which still arrives."""
    folder = tmp_path / "drop"
    folder.mkdir()
    arabic = "شركة الخليج للتجارة والمقاولات ذ.م.م"
    shutil.copy(SAMPLES / "mutual-nda.pdf", folder / "nda.pdf")
    shutil.copy(SAMPLES / "uk-software-licence.pdf", folder / "licence.pdf")
    metadata = json.dumps({"nda.pdf": {"counterparty": arabic, "owner": "dana.kowalski@example.com"},
                           "licence.pdf": {"counterparty": "Acme\ud800", "contract-type": "x" * 3000}})
    (folder / "metadata.json").write_text(metadata, encoding="utf-8")  # "\\ud800" escaped in the JSON

    old = time.time() - 5  # "finished copying" a while ago
    for p in folder.iterdir():
        os.utime(p, (old, old))
    assert main(["watch", str(folder), "--once", "--state", str(tmp_path / "state")]) == 0
    out = capsys.readouterr().out
    assert "counterparty refused: it is not valid Unicode text (a lone surrogate, U+D800, at character 5)" in out
    assert "contract-type refused: 3,000 bytes as S3 stores it" in out
    assert main(["status", "--state", str(tmp_path / "state")]) == 0
    listing = capsys.readouterr().out
    nda = next(line for line in listing.splitlines() if "nda.pdf" in line)
    licence = next(line for line in listing.splitlines() if "licence.pdf" in line)
    assert arabic[:20] in nda and "EXTRACTED" in nda  # the table clips a long name
    assert "EXTRACTED" in licence and "Acme" not in licence


def refused_team(state, contract_id: str) -> str:
    """The team of a contract, as the saved table holds it."""
    items = [json.loads(line) for line in (state / "table.jsonl").read_text().splitlines()]
    return next(i["team"]["S"] for i in items if i.get("item_type", {}).get("S") == "contract"
                and i.get("contract_id", {}).get("S") == contract_id)


def test_a_refused_money_files_reason_is_read_whole_from_findings_and_the_report(demo_state, tmp_path, capsys,
                                                                                  monkeypatch):
    """QA (hcli) 1: `findings` cut the summary at 60 characters ("...refused: l…") whatever the
    terminal, and `report` left refused files out: the reason is now wrapped whole, printed by
    `findings --json` as the API's finding views, and listed by the report."""
    state = tmp_path / "state"
    shutil.copytree(demo_state, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    main(["status", "--state", str(state)])
    saas = next(line.split()[0] for line in capsys.readouterr().out.splitlines()
                if "saas-subscription-northwind.pdf" in line)
    bad = tmp_path / "thirteenth.csv"
    bad.write_text("period,metric,value\n2026-13,availability,99.0\n")
    assert main(["metrics", saas, str(bad), "--state", str(state)]) == 1
    capsys.readouterr()
    assert main(["findings", saas, "--json", "--state", str(state)]) == 0
    views = json.loads(capsys.readouterr().out)["items"]
    [refused] = [v for v in views if v["kind"] == "file_refused"]
    reason = refused["summary"].split(" refused: ", 1)[1]
    assert "2026-13" in reason and "line 2" in reason
    monkeypatch.setenv("COLUMNS", "100")  # a narrow terminal: wrapped, every word shown
    assert main(["findings", saas, "--state", str(state)]) == 0
    listing = capsys.readouterr().out
    assert "…" not in listing
    assert " ".join(refused["summary"].split()) in " ".join(listing.split())  # the row's next lines hold the rest
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["findings", saas, "--state", str(state)]) == 0
    assert refused["summary"] in capsys.readouterr().out
    team = refused_team(state, saas)
    assert main(["report", "--team", team, "--format", "json", "--state", str(state)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(r["contract_id"], r["kind"], r["reason"]) for r in report["refused"]] == [(saas, "metrics", reason)]
    assert report["totals"]["files_refused"] == 1
    assert main(["report", "--team", team, "--format", "csv", "--state", str(state)]) == 0
    assert any(row.startswith("refused,") and "2026-13" in row for row in capsys.readouterr().out.splitlines())


def test_deciding_a_renewal_whose_workflow_has_not_started_says_when_and_what_starts_it(demo_state, tmp_path,
                                                                                         capsys):
    """QA (hcli) 4: "No renewal decision is waiting ...: no renewal workflow" said nothing of how one
    starts. The NDA (no notice deadline, term end 2027-02-19, NDAs 30 days ahead) starts on 20 Jan."""
    state = tmp_path / "state"
    shutil.copytree(demo_state, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    main(["status", "--state", str(state)])
    nda = next(line.split()[0] for line in capsys.readouterr().out.splitlines() if "mutual-nda.pdf" in line)
    assert main(["renewal", "decide", nda, "--decision", "renew", "--reason", "fine", "--state", str(state)]) == 2
    said = capsys.readouterr().out
    assert "its renewal workflow has not started" in said
    assert "It starts on 2027-01-20 09:00 " in said and "(expiration 2027-02-19 - P30D = 2027-01-20 09:00 " in said
    assert "`clausewatch tick`" in said and "clausewatch serve" in said


def test_report_of_every_team_is_one_json_document_and_one_csv_table(demo_state, tmp_path, capsys):
    """QA (hcli) 5: without --team, one report per team back to back (JSON unparseable, CSV headers
    repeated without a team column)."""
    state = tmp_path / "state"
    shutil.copytree(demo_state, state)
    clock.set_now(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    assert main(["report", "--format", "json", "--state", str(state)]) == 0
    by_team = json.loads(capsys.readouterr().out)
    items = [json.loads(line) for line in (state / "table.jsonl").read_text().splitlines()]
    teams = {i["team"]["S"] for i in items if i.get("item_type", {}).get("S") == "contract"}
    assert len(teams) > 1 and sorted(by_team) == sorted(teams)
    assert all(report["team"] == team for team, report in by_team.items())
    assert main(["report", "--format", "csv", "--state", str(state)]) == 0
    body = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["team", "section", "contract_id"] and sum(row[0] == "team" for row in rows) == 1
    assert {row[0] for row in rows[1:]} <= teams and "supply-chain" in {row[0] for row in rows[1:]}


def test_credit_checked_takes_a_credit_flag_with_no_claim_off_and_findings_say_who_checked_it(tmp_path, capsys):
    """`clausewatch credit-checked` (was: no such command): a breach's credit to check by hand with no claim
    (no claim window read) is marked checked with a note and the amount claimed, read exactly ("EUR 500,00"
    was EUR 50000.00, "GBP 500.999" GBP 501.00: both refused now), by whom `--by` says; `findings` lists it
    as checked, no longer also as a credit to check by hand."""
    clock.set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    pdf = make_pdf(PROSE)
    (folder / "msa-prose.pdf").write_bytes(pdf)
    old = time.time() - 5
    os.utime(folder / "msa-prose.pdf", (old, old))
    assert main(["watch", str(folder), "--once", "--state", str(state)]) == 0
    contract_id = contract_id_for(hashlib.sha256(pdf).hexdigest())
    (tmp_path / "november.csv").write_bytes(NOVEMBER)
    assert main(["metrics", contract_id, str(tmp_path / "november.csv"), "--state", str(state)]) == 0
    assert main(["findings", contract_id, "--state", str(state)]) == 0
    assert "credits to check by hand (amount unknown, not in the credits owed): 1" in capsys.readouterr().out
    checked = ["credit-checked", contract_id, "breach-2026-11-availability", "--state", str(state)]
    assert main([*checked, "--note", "5% of the fee", "--claimed", "GBP 1x"]) == 2
    assert "say a currency code and an amount" in capsys.readouterr().out
    assert main([*checked, "--note", "5% of the fee", "--claimed", "EUR 500,00"]) == 2
    assert "a comma is a thousands separator only between groups of three digits" in capsys.readouterr().out
    assert main([*checked, "--note", "5% of the fee", "--claimed", "GBP 500.999"]) == 2
    assert "more than two decimals" in capsys.readouterr().out
    by = ["--by", "sam.ortiz@example.com"]
    assert main([*checked, *by, "--note", "5% of the fee claimed by letter", "--claimed", "GBP 1,500"]) == 0
    assert ("breach-2026-11-availability: checked by sam.ortiz@example.com on 2026-12-02: 5% of the fee claimed by "
            "letter (claimed GBP 1500.00)") in capsys.readouterr().out
    assert main([*checked, *by, "--note", "5% of the fee claimed by letter", "--claimed", "GBP 1500.00"]) == 0
    assert main([*checked, "--note", "nothing", "--nothing-owed"]) == 2
    assert "already checked by sam.ortiz@example.com" in capsys.readouterr().out
    assert main(["findings", contract_id, "--state", str(state)]) == 0
    listed = capsys.readouterr().out
    assert "checked by sam.ortiz@example.com on 2026-12-02: 5% of the fee claimed by letter (claimed GBP 1500.00)" \
        in listed
    assert "credits to check by hand" not in listed  # was: listed under both headings
