"""PDFs made on the fly for tests (fpdf2), so no test depends on a binary fixture."""

from __future__ import annotations

import io

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter


def make_pdf(*page_texts: str) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in page_texts:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    """A 'scan': drawing but no text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(30, 30, 30)
    for row in range(20):
        pdf.rect(20, 20 + row * 10, 150, 4, style="F")
    return bytes(pdf.output())


def encrypt(data: bytes, password: str = "secret") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
