"""Is an upload a PDF we can read? Checked before any text extraction is paid for.

A rejected upload is quarantined with `InvalidDocument.code` (machine-readable) and
`InvalidDocument.reason` (a sentence a legal-ops user can act on). `validate_pdf` (pypdf, every
content stream decoded) is the ingest gate; `open_pdf` makes the same refusals while opening the
PDF with PDFium for the local text step, so the file is parsed once there.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from clausewatch import config

# Acrobat accepts the header anywhere in the first 1024 bytes and the end-of-file marker anywhere
# in the last 1024; stricter checks would reject real, readable files.
_HEADER = b"%PDF-"
_EOF_MARKER = b"%%EOF"
_SLACK = 1024

INVALID_CODES = ("empty", "not_pdf", "too_large", "encrypted", "corrupt", "no_text_layer")


class InvalidDocument(Exception):
    """An upload that cannot be processed; `code` is one of INVALID_CODES, `reason` says why."""

    def __init__(self, code: str, reason: str) -> None:
        if code not in INVALID_CODES:
            raise ValueError(f"unknown InvalidDocument code {code!r}")
        super().__init__(reason)
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        return self.reason

    def __reduce__(self):  # crosses process boundaries (text.budget) with its code
        return (InvalidDocument, (self.code, self.reason))


@dataclass(frozen=True)
class PdfInfo:
    page_count: int
    size_bytes: int
    sha256: str


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of the bytes: the content identity used to spot duplicate uploads."""
    return hashlib.sha256(data).hexdigest()


MB = 1024 * 1024  # the limit is said in MB of 1,048,576 bytes (config.MAX_PDF_BYTES is 50 of them)


def _megabytes(size: int, decimals: int = 1) -> str:
    """``52.0 MB``; a whole number as such (``50 MB``); under 0.1 MB in bytes."""
    if size < MB // 10:
        return f"{size:,} bytes"
    return f"{size // MB} MB" if size % MB == 0 else f"{size / MB:.{decimals}f} MB"


def too_large_reason(size: int, max_bytes: int = config.MAX_PDF_BYTES) -> str:
    """Why a file over the limit is refused, both sizes in MB: "The file is 52.0 MB, larger than the
    50 MB limit." A file too close to the limit for one decimal to tell them apart gets more."""
    decimals = 1
    while round(size / MB, decimals) <= max_bytes / MB and decimals < 6:
        decimals += 1
    return f"The file is {_megabytes(size, decimals)}, larger than the {_megabytes(max_bytes)} limit."


def check_bytes(data: bytes, max_bytes: int = config.MAX_PDF_BYTES) -> None:
    """The checks made from the bytes alone: not empty, not too large, a PDF header and an
    end-of-file marker. Raises InvalidDocument ("empty", "too_large", "not_pdf", "corrupt")."""
    size = len(data)
    if size == 0:
        raise InvalidDocument("empty", "The file is empty (0 bytes).")
    if size > max_bytes:
        raise InvalidDocument("too_large", too_large_reason(size, max_bytes))
    if _HEADER not in data[:_SLACK]:
        raise InvalidDocument("not_pdf", "The file is not a PDF (it does not start with %PDF-).")
    if _EOF_MARKER not in data[-_SLACK:]:
        raise InvalidDocument(
            "corrupt", "The PDF is truncated or damaged: its end-of-file marker is missing."
        )


def encrypted_message(*, opens_without_password: bool) -> str:
    """Why an encrypted PDF is refused, in the words of what its reader sees: many signed or scanned
    PDFs carry only usage restrictions (an owner password) and open without any password, so "upload
    an unprotected copy" alone would not tell their reader what to do."""
    if opens_without_password:
        return ("The PDF carries usage restrictions (it is encrypted with an owner password), though it opens "
                "without a password; encrypted PDFs are not read. Print it to a new PDF, or save a copy without "
                "restrictions, and upload that.")
    return "The PDF is password-protected; upload a copy without the password."


def validate_pdf(data: bytes, max_bytes: int = config.MAX_PDF_BYTES) -> PdfInfo:
    """Return the page count, size and SHA-256 of a readable, unencrypted PDF.

    Raises InvalidDocument with code "empty", "too_large", "not_pdf", "encrypted" or "corrupt"
    (truncated or damaged files, or files with no pages). It does not look for a text layer:
    scans are valid here and get OCR on the Textract path.
    """
    check_bytes(data, max_bytes)
    size = len(data)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many types for damaged files; all mean "unreadable"
        raise InvalidDocument("corrupt", f"The PDF is damaged and cannot be read ({exc}).") from exc
    if encrypted:
        # Even an empty user password is refused: encrypted files may restrict copying text,
        # and Textract does not accept password-protected documents.
        try:
            opens = bool(reader.decrypt(""))
        except Exception:  # an unknown security handler: as a password
            opens = False
        raise InvalidDocument("encrypted", encrypted_message(opens_without_password=opens)
        )

    try:
        page_count = len(reader.pages)
        for page in reader.pages:
            _load_page_content(page)
    except Exception as exc:
        raise InvalidDocument("corrupt", f"The PDF is damaged and cannot be read ({exc}).") from exc
    if page_count == 0:
        raise InvalidDocument("corrupt", "The PDF has no pages.")
    return PdfInfo(page_count=page_count, size_bytes=size, sha256=sha256_hex(data))


def _load_page_content(page) -> None:
    """Decode a page's content streams, so a damaged stream fails here rather than later."""
    contents = page.get("/Contents")
    if contents is None:
        return  # a blank page has no content stream
    contents = contents.get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    for stream in streams:
        stream.get_object().get_data()



def open_pdf(data: bytes, max_bytes: int = config.MAX_PDF_BYTES) -> tuple[pdfium.PdfDocument, PdfInfo]:
    """The PDF opened with PDFium for text extraction, and its page count, size and SHA-256.

    Refuses what `validate_pdf` refuses, from the bytes and PDFium's own reading (one parse
    instead of two); when PDFium cannot open the file, `validate_pdf` gives the precise reason.
    Content streams are not decoded here: PDFium reads what it can of a damaged one.
    """
    check_bytes(data, max_bytes)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        validate_pdf(data, max_bytes)  # raises with the reason when pypdf agrees it is unreadable
        raise InvalidDocument("corrupt", f"The PDF is damaged and cannot be read ({exc}).") from exc
    if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
        document.close()
        # Even an empty user password is refused (see validate_pdf); PDFium opened it without one
        raise InvalidDocument("encrypted", encrypted_message(opens_without_password=True)
        )
    page_count = len(document)
    if page_count == 0:
        document.close()
        raise InvalidDocument("corrupt", "The PDF has no pages.")
    return document, PdfInfo(page_count=page_count, size_bytes=len(data), sha256=sha256_hex(data))
