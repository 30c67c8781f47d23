"""`clausewatch event --clear` and `clausewatch jurisdiction` (the API's clearing of an event's date and
``PUT /contracts/{id}/jurisdiction``, until 2026-12-07 API only): as a user's shell would, on a
state folder (own moto server)."""

from __future__ import annotations

import pytest

from clausewatch import clock
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import NOW
from tests.pdfs import make_pdf

TEXT = ("MARKETING AGREEMENT\nThis Marketing Agreement is entered into as of March 1, 2026 (the \"Effective "
        "Date\") between Acme Widgets, Inc. (\"Company\") and Blue Heron Media LLC (\"Agency\").\n"
        "1. Term. The term of this Agreement shall be five (5) years from the Launch Date. Thereafter this "
        "Agreement shall automatically renew for successive one (1) year periods unless either party gives "
        "written notice of non-renewal at least ten (10) business days prior to the end of the then-current "
        "term.\n2. Governing Law. This Agreement is governed by the laws of the State of New York.")


@pytest.fixture
def dated(tmp_path, capsys):
    """The marketing agreement from a drop folder, its Launch Date entered by the CLI."""
    from clausewatch.cli import main

    folder, state = tmp_path / "drop", tmp_path / "state"
    folder.mkdir()
    (folder / "marketing.pdf").write_bytes(make_pdf(TEXT))
    clock.set_now(NOW)
    try:
        assert main(["watch", str(folder), "--once", "--state", str(state)]) == 0
        contract_id = contract_id_for(sha256_hex((folder / "marketing.pdf").read_bytes()))
        assert main(["event", contract_id, "Launch Date", "2027-03-01", "--by", "a@b.com", "--state", str(state)]) == 0
        out = capsys.readouterr().out
        assert "expiration_date 2032-02-29" in out, out
        yield main, state, contract_id
    finally:
        clock.set_now(None)


def test_the_cli_clears_an_event_date_entered_by_mistake(dated, capsys):
    main, state, contract_id = dated
    assert main(["event", contract_id, "Launch Date", "--clear", "--by", "c@d.com", "--state", str(state)]) == 0
    out = capsys.readouterr().out
    assert "the date of Launch Date cleared: the term waits for the event again" in out, out
    assert main(["status", "--state", str(state)]) == 0
    assert f"{contract_id}  marketing.pdf: waiting for an event date: five (5) years from the Launch Date" in \
        capsys.readouterr().out
    assert main(["obligations", contract_id, "--state", str(state)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("notice_deadline", "expiration"))]
    # the deadlines counted from the date are withdrawn (listed as superseded, no longer due)
    assert len(rows) == 2 and all(row.split()[1] == "superseded" for row in rows), rows
    # nothing left to clear: said, nothing changes; a date with --clear, or neither: usage error
    assert main(["event", contract_id, "Launch Date", "--clear", "--state", str(state)]) == 0
    assert "no date of Launch Date to clear: nothing changed" in capsys.readouterr().out
    for wrong in (["Launch Date", "2027-03-01", "--clear"], ["Launch Date"]):
        with pytest.raises(SystemExit) as exited:
            main(["event", contract_id, *wrong, "--state", str(state)])
        assert exited.value.code == 2
        assert "give the event's date, or --clear" in capsys.readouterr().err


def test_the_cli_sets_and_clears_the_jurisdiction_and_the_business_day_deadline_follows(dated, capsys):
    main, state, contract_id = dated
    assert main(["jurisdiction", contract_id, "GB-ENG", "--by", "dana@example.com", "--state", str(state)]) == 0
    out = capsys.readouterr().out
    assert "jurisdiction GB-ENG: business days count GB-ENG holidays (the jurisdiction GB-ENG set by " \
           "dana@example.com)" in out, out
    # ten business days before Sunday 29 February 2032: in England Monday 16 February counts (in New
    # York it is Presidents' Day, and Thursday 12 February Lincoln's Birthday)
    assert "notice_deadline 2032-02-16: expiration_date 2032-02-29 - P10BD (business days, GB-ENG holidays)" in out, out
    # the contract's fields as they are now head its obligations (QA of 2026-12-07: no command said them)
    assert main(["obligations", contract_id, "--state", str(state)]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head.startswith("marketing.pdf: owner ") and "; time zone " in head, head
    assert head.endswith("business days with GB-ENG holidays (the jurisdiction GB-ENG set by dana@example.com)"), head
    assert main(["jurisdiction", contract_id, "--clear", "--by", "dana@example.com", "--state", str(state)]) == 0
    out = capsys.readouterr().out
    assert "jurisdiction (none set): business days count US-NY holidays (the governing law 'New York')" in out, out
    assert "notice_deadline 2032-02-13: expiration_date 2032-02-29 - P10BD (business days, US-NY holidays)" in out, out
    assert main(["jurisdiction", contract_id, "Narnia", "--state", str(state)]) == 2
    assert "not recorded: unknown jurisdiction 'Narnia'" in capsys.readouterr().out  # refused, as at upload
