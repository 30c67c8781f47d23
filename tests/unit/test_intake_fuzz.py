"""Fuzzing the intake and the date and duration parsers (hypothesis), issue #13 section 4.

What an uploader controls reaches these functions unfiltered: the PDF's bytes (`validate_pdf`),
the S3 metadata (`normalise_metadata`) and the contract text (the date and duration readers).
Each property says what must hold for *any* input: a clear, typed refusal or a value that is
consistent with the input, never another exception. The crashers hypothesis found are kept as
explicit regressions at the end of the file.
"""

from __future__ import annotations

import hashlib
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clausewatch import config, dates
from clausewatch.addresses import parse_one_address
from clausewatch.dates import Duration
from clausewatch.extract.datetext import find_dates, parse_date
from clausewatch.extract.numbers import parse_duration, words_to_int
from clausewatch.pipeline.intake import normalise_metadata
from clausewatch.text.validate import InvalidDocument, validate_pdf
from tests.paths import SAMPLES

REFUSAL_CODES = {"empty", "too_large", "not_pdf", "encrypted", "corrupt"}
SAMPLE_PDF = (SAMPLES / "mutual-nda.pdf").read_bytes()
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the PDF intake ------------------------------------------------------------------------------

def _mutated(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """``data`` with each (position, length, replacement) edit applied: flips, cuts, insertions."""
    out = bytearray(data)
    for position, length, replacement in edits:
        at = position % (len(out) + 1)
        out[at:at + length] = replacement
    return bytes(out)


edit = st.tuples(st.integers(0, len(SAMPLE_PDF)), st.integers(0, 64), st.binary(max_size=16))
mutated_pdf = st.builds(_mutated, st.just(SAMPLE_PDF), st.lists(edit, min_size=1, max_size=6))
truncated_pdf = st.integers(0, len(SAMPLE_PDF)).map(lambda n: SAMPLE_PDF[:n])
pdf_header_then_noise = st.binary(max_size=2048).map(lambda b: b"%PDF-1.7\n" + b)
upload_bytes = st.one_of(st.binary(max_size=4096), pdf_header_then_noise, truncated_pdf, mutated_pdf)


def _assert_verdict(data: bytes) -> None:
    try:
        info = validate_pdf(data)
    except InvalidDocument as refused:
        assert refused.code in REFUSAL_CODES
        assert str(refused).strip(), "a refusal says why"
        return
    assert info.page_count >= 1
    assert info.size_bytes == len(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()


@FUZZ
@given(upload_bytes)
def test_any_upload_is_accepted_with_its_facts_or_refused_with_a_known_reason(data: bytes) -> None:
    _assert_verdict(data)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10))
def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(extra: int) -> None:
    with pytest.raises(InvalidDocument) as refused:
        validate_pdf(SAMPLE_PDF + b" " * extra, max_bytes=len(SAMPLE_PDF) - 1)
    assert refused.value.code == "too_large"


# --- the uploader's metadata ---------------------------------------------------------------------

known_key = st.sampled_from(config.UPLOAD_METADATA_KEYS)
any_key = st.one_of(known_key, known_key.map(str.upper), st.text(min_size=1, max_size=12))
hostile_value = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["a@b.co", "Priya <priya@example.com>", "a@b.co, c@evil.test", "müller@example.de",
                     "Europe/Paris", "Mars/Olympus", "../../etc/passwd", "x" * 300, "US-NY", "GB-ENG",
                     "=?utf-8?b?QWNtZQ0KQmNjOiB4QGV2aWwudGVzdA==?=", "=?bogus?q?x?=", "team#1"]),
)


# S3 lower-cases metadata keys, so one upload never carries "team" and "TEAM" both
s3_metadata = st.dictionaries(any_key, hostile_value, max_size=8).filter(
    lambda d: len({k.lower() for k in d}) == len(d))


@FUZZ
@given(s3_metadata)
@example({"time-zone": "x" * 300})  # found: a name too long for the file system raised OSError
def test_any_metadata_keeps_only_clean_values_and_notes_what_it_refused(raw: dict[str, str]) -> None:
    kept, notes = normalise_metadata(raw)
    assert set(kept) <= set(config.UPLOAD_METADATA_KEYS)
    for key, value in kept.items():
        assert value and value == value.strip()
        assert not any(ch in value for ch in "\r\n\0"), f"{key} kept a line break: {value!r}"
    if "owner" in kept:  # exactly one valid address, already in its normal form
        assert parse_one_address(kept["owner"]) == kept["owner"]
    if "time-zone" in kept:
        assert ZoneInfo(kept["time-zone"]).key == kept["time-zone"]
    if "jurisdiction" in kept:
        dates.is_business_day(date(2026, 1, 5), kept["jurisdiction"])
    # nothing the uploader gave a known key is dropped without a word
    given_keys = {k.lower() for k, v in raw.items() if str(v).strip()} & set(config.UPLOAD_METADATA_KEYS)
    for key in given_keys - set(kept):
        assert any(key in note for note in notes), f"{key} dropped without a note: {notes}"


# --- dates and durations in contract text ------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
DATE_WORDS = ["dated as of ", "March 1, 2025", "February 30, 2025", "31/12/2025", "12/31/2025", "2025-02-29",
              "the 1st day of June, 2026", "____ day of ______, 20__", "Sept. 3rd 2024", "0/0/0000",
              "99/99/9999", "December 32, 2025", "May 2025", "1. 2. 3. ", "  \n", "19", "20"]
contract_text = st.lists(st.one_of(st.sampled_from(DATE_WORDS), st.text(max_size=20)), max_size=12).map("".join)


@FUZZ
@given(contract_text)
def test_found_dates_are_real_days_inside_the_text(text: str) -> None:
    first = parse_date(text)
    found = find_dates(text)
    assert first == (found[0].value if found else None)
    for hit in found:
        assert 0 <= hit.start < hit.end <= len(text)
        assert isinstance(hit.value, date)
        assert parse_date(text[hit.start:hit.end]) == hit.value, "a found date reads the same on its own"


@FUZZ
@given(st.sampled_from(MONTHS), st.integers(1, 31), st.integers(1900, 2099))  # the years it reads
def test_a_written_date_is_read_exactly_or_not_at_all(month: str, day: int, year: int) -> None:
    text = f"This Agreement is dated as of {month} {day}, {year}."
    number = MONTHS.index(month) + 1
    try:
        real = date(year, number, day)
    except ValueError:
        real = None  # "February 30": an impossible date is never rounded to a real one
    assert parse_date(text) == real


duration = st.builds(Duration, st.integers(0, 120), st.integers(0, 60), st.integers(0, 60), st.integers(0, 400),
                     st.integers(0, 40))


@FUZZ
@given(duration)
def test_a_duration_reads_back_from_its_iso_form(d: Duration) -> None:
    assert Duration.parse(d.iso()) == d


@FUZZ
@given(st.text(max_size=30))
@example("P")
@example("PT1H")
@example("P-1D")
def test_a_duration_that_is_not_iso_is_refused_with_value_error(text: str) -> None:
    try:
        d = Duration.parse(text)
    except ValueError as refused:
        assert "ISO 8601" in str(refused)
    else:
        assert isinstance(d, Duration)


@FUZZ
@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)),
       st.builds(Duration, st.integers(0, 20), st.integers(0, 36), st.integers(0, 10), st.integers(0, 400)))
def test_adding_a_calendar_duration_never_goes_back(start: date, d: Duration) -> None:
    end = dates.add_duration(start, d)
    assert end >= start
    assert (end > start) == any((d.years, d.months, d.weeks, d.days)), d


one_unit = st.one_of(*(st.integers(1, 400).map(lambda n, unit=unit: Duration(**{unit: n}))
                       for unit in ("years", "months", "weeks", "days")))


@FUZZ
@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), one_unit)
def test_undoing_a_contract_duration_lands_on_the_start_or_a_clamped_month_end(start: date, d: Duration) -> None:
    """A contract's durations are one unit ("three (3) years", "ninety (90) days"); a notice
    deadline is the expiry minus one. Days and weeks undo exactly; months and years clamp at month
    ends (Jan 31 + P1M = Feb 28, back = Jan 28), so undoing never lands after the start."""
    back = dates.subtract_duration(dates.add_duration(start, d), d)
    if d.days or d.weeks:
        assert back == start
    else:
        assert back <= start and (back == start or start.day > 28)


@FUZZ
@given(st.dates(date(2000, 1, 1), date(2060, 12, 31)), st.integers(1, 60))
def test_business_days_land_on_business_days(start: date, n: int) -> None:
    end = dates.add_duration(start, Duration(business_days=n), "US")
    assert end > start and dates.is_business_day(end, "US")


UNITS = {"day": "D", "days": "D", "business days": "BD", "week": "W", "weeks": "W", "month": "M",
         "months": "M", "year": "Y", "years": "Y"}


@FUZZ
@given(st.integers(1, 999), st.sampled_from(sorted(UNITS)), st.booleans())
def test_a_written_duration_is_read_exactly(n: int, unit: str, parenthesised: bool) -> None:
    text = f"within {n} ({n}) {unit} after" if parenthesised else f"within {n} {unit} after"
    d = parse_duration(text)
    if UNITS[unit] == "Y" and n > 100 or UNITS[unit] == "M" and n > 1200:
        assert d is None  # more than a hundred years: a slip, abstained on
        return
    assert d is not None
    assert d.iso() == f"P{n}{UNITS[unit]}"


@FUZZ
@given(st.text(max_size=200))
def test_any_text_gives_a_duration_or_none(text: str) -> None:
    d = parse_duration(text)
    assert d is None or isinstance(d, Duration)
    n = words_to_int(text)
    assert n is None or isinstance(n, int)
