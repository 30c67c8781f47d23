"""PDF validation: what the ingest step accepts and how it explains a refusal."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from clausewatch.text import validate
from clausewatch.text.validate import InvalidDocument, PdfInfo, sha256_hex, validate_pdf
from tests.pdfs import encrypt, make_pdf


def refusal(data: bytes, **kwargs) -> InvalidDocument:
    with pytest.raises(InvalidDocument) as caught:
        validate_pdf(data, **kwargs)
    return caught.value


GOOD = make_pdf("The term of this Agreement is three (3) years.", "Either party may terminate on notice.")


def test_good_pdf_reports_pages_size_and_hash():
    info = validate_pdf(GOOD)
    assert isinstance(info, PdfInfo)
    assert info.page_count == 2
    assert info.size_bytes == len(GOOD)
    assert info.sha256 == sha256_hex(GOOD)
    assert len(info.sha256) == 64 and int(info.sha256, 16) >= 0


def test_sha256_is_stable_and_content_sensitive():
    assert sha256_hex(GOOD) == sha256_hex(bytes(GOOD))
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256_hex(GOOD) != sha256_hex(GOOD + b"\n")


def test_empty_bytes():
    error = refusal(b"")
    assert error.code == "empty"
    assert str(error) == error.reason and "empty" in error.reason


def test_plain_text_renamed_to_pdf():
    error = refusal(b"MASTER SERVICES AGREEMENT\nThis Agreement is made ...\n" * 20)
    assert error.code == "not_pdf"
    assert "not a PDF" in str(error)


def test_truncated_pdf_is_corrupt():
    assert refusal(GOOD[: len(GOOD) // 2]).code == "corrupt"


def test_pdf_with_damaged_middle_is_corrupt():
    # header and end-of-file marker survive; the objects in between are gone
    damaged = GOOD[:200] + b"\x00" * 300 + GOOD[-200:]
    assert refusal(damaged).code == "corrupt"


@pytest.mark.parametrize("password", ["s3cret", ""])
def test_encrypted_pdf_is_refused_even_with_empty_password(password):
    error = refusal(encrypt(GOOD, password))
    assert error.code == "encrypted"
    assert "password" in error.reason


@pytest.mark.parametrize("check", ["validate_pdf", "open_pdf"])
def test_an_owner_password_only_pdf_is_told_it_opens_without_one_and_what_to_do(check):
    """QA5 9: a PDF with only usage restrictions opens in any viewer with no password; "upload an
    unprotected copy" told its reader nothing they could do. It is told what it is and to print it
    to a new PDF; one that needs a password to open is told to remove the password."""
    from clausewatch.text import validate

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(GOOD)))
    writer.encrypt(user_password="", owner_password="owner-only")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(validate.InvalidDocument) as owner_only:
        getattr(validate, check)(out.getvalue())
    assert owner_only.value.code == "encrypted"
    assert "opens without a password" in owner_only.value.reason and "Print it to a new PDF" in owner_only.value.reason
    with pytest.raises(validate.InvalidDocument) as locked:
        getattr(validate, check)(encrypt(GOOD, "s3cret"))
    assert locked.value.reason == "The PDF is password-protected; upload a copy without the password."


def test_too_large():
    error = refusal(GOOD, max_bytes=len(GOOD) - 1)
    assert error.code == "too_large"
    assert "limit" in error.reason
    assert validate_pdf(GOOD, max_bytes=len(GOOD)).size_bytes == len(GOOD)


def test_a_too_large_file_is_told_in_mb_both_sizes():
    """QA5 7: the limit reads "50 MB", not "52,428,800 bytes"; a file just over it is not told as the
    same size as the limit."""
    mb = 1024 * 1024
    assert validate.too_large_reason(54_525_968, 50 * mb) == "The file is 52.0 MB, larger than the 50 MB limit."
    assert validate.too_large_reason(60 * mb, 50 * mb) == "The file is 60 MB, larger than the 50 MB limit."
    assert validate.too_large_reason(50 * mb + 40_000, 50 * mb) == \
        "The file is 50.04 MB, larger than the 50 MB limit."
    assert refusal(b"%PDF-1.4\n" + b"0" * (2 * mb) + b"\n%%EOF\n", max_bytes=mb).reason == \
        "The file is 2.0 MB, larger than the 1 MB limit."


def test_pdf_without_pages_is_corrupt():
    out = io.BytesIO()
    PdfWriter().write(out)
    error = refusal(out.getvalue())
    assert error.code == "corrupt"
    assert "no pages" in error.reason


def test_unknown_code_is_a_programming_error():
    with pytest.raises(ValueError):
        InvalidDocument("weird", "nope")
