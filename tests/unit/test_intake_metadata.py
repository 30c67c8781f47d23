"""Uploader metadata that becomes recipients and dates: one address each, no CR/LF, known zones;
what is refused is noted (issue #13 sections 3 and 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clausewatch import clock
from clausewatch.addresses import (
    ENV_ALLOWED_RECIPIENT_DOMAINS,
    InvalidAddress,
    allowed_domains_from_env,
    parse_one_address,
)
from clausewatch.local.dropfolder import s3_metadata_value
from clausewatch.notify import decide_alert
from clausewatch.pipeline.intake import INTAKE_NOTES_KEY, normalise_metadata


@pytest.mark.parametrize("raw, expected", [
    ("priya.raman@example.com", "priya.raman@example.com"),
    ("  Priya Raman <priya.raman@Example.COM> ", "priya.raman@example.com"),
])
def test_one_valid_address_is_kept(raw, expected):
    assert parse_one_address(raw) == expected


@pytest.mark.parametrize("raw, why", [
    ("victim@example.com, attacker@evil.test", "not exactly one address"),
    ("victim@example.com; attacker@evil.test", "not exactly one address"),
    ("victim@example.com\r\nBcc: attacker@evil.test", "line break"),
    ("müller@example.de", "non-ASCII"),
    ("not-an-address", "not exactly one address"),
    ("a@b", "not a valid address"),
    ("", "empty"),
])
def test_anything_but_one_valid_address_is_refused_with_why(raw, why):
    with pytest.raises(InvalidAddress, match=why):
        parse_one_address(raw)


def test_allowed_recipient_domains_restrict_owners():
    allowed = allowed_domains_from_env({ENV_ALLOWED_RECIPIENT_DOMAINS: "example.com, @corp.example.org"})
    assert allowed == ("example.com", "corp.example.org")
    assert parse_one_address("a@example.com", allowed) == "a@example.com"
    assert parse_one_address("a@legal.corp.example.org", allowed) == "a@legal.corp.example.org"
    with pytest.raises(InvalidAddress, match="outside the allowed recipient domains"):
        parse_one_address("a@evil.test", allowed)
    with pytest.raises(InvalidAddress, match="outside"):
        parse_one_address("a@notexample.com", allowed)


def test_owner_with_two_addresses_is_refused_and_noted():
    kept, notes = normalise_metadata({"owner": "victim@example.com, attacker@evil.test", "team": "legal"})
    assert "owner" not in kept and kept["team"] == "legal"
    assert len(notes) == 1 and "not exactly one address" in notes[0] and "default owner" in notes[0]


def test_owner_outside_allowed_domains_is_refused(monkeypatch):
    monkeypatch.setenv(ENV_ALLOWED_RECIPIENT_DOMAINS, "example.com")
    kept, notes = normalise_metadata({"owner": "someone@elsewhere.test"})
    assert "owner" not in kept and "allowed recipient domains" in notes[0]
    kept, notes = normalise_metadata({"owner": "someone@example.com"})
    assert kept["owner"] == "someone@example.com" and notes == []


def test_line_breaks_in_any_value_are_refused():
    kept, notes = normalise_metadata({"counterparty": "Acme\r\nBcc: x@evil.test", "team": "ops"})
    assert kept == {"team": "ops"} and notes == ["counterparty refused: it contains a line break"]


def test_rfc2047_values_are_decoded_and_then_validated():
    kept, notes = normalise_metadata({"counterparty": s3_metadata_value("Müller GmbH"),
                                      "owner": s3_metadata_value("müller@example.de")})
    assert kept["counterparty"] == "Müller GmbH"
    assert "owner" not in kept and "non-ASCII" in notes[0]


def test_notes_from_the_drop_folder_travel_with_the_upload():
    kept, notes = normalise_metadata({INTAKE_NOTES_KEY: s3_metadata_value("team refused: 42 is not text"),
                                      "time-zone": "Mars/Olympus"})
    assert INTAKE_NOTES_KEY not in kept and "time-zone" not in kept
    assert notes == ["team refused: 42 is not text", "unknown time-zone 'Mars/Olympus': using UTC"]


def test_a_stored_owner_with_two_addresses_never_becomes_two_recipients():
    """Defence in depth: a value stored before intake validated owners goes to the default owner."""
    payload = {"name": "r1", "due": "2027-01-10", "sequence": 0, "earlier_names": []}
    from datetime import date

    decision = decide_alert(payload, current_due=date(2027, 1, 10), obligation_status="open",
                            already_sent=set(), owner="victim@example.com, attacker@evil.test",
                            contract_owner=None, escalation_email=None, default_owner="ops@example.com")
    assert decision.to == ["ops@example.com"] and decision.unowned


@pytest.mark.parametrize("day", [date(2026, 12, 5), date(2026, 12, 7)])  # a Saturday, a Monday
def test_an_unknown_jurisdiction_is_refused_on_any_day(day):
    """Checked against its holiday calendar (was: is_business_day, which on a weekend never looks)."""
    with clock.simulating(datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)):
        kept, notes = normalise_metadata({"jurisdiction": "XX-YY", "team": "ops"})
    assert "jurisdiction" not in kept and any("unknown jurisdiction 'XX-YY'" in n for n in notes)
    with clock.simulating(datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)):
        kept, _ = normalise_metadata({"jurisdiction": "GB-ENG"})
    assert kept["jurisdiction"] == "GB-ENG"
