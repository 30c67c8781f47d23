"""Real geometry on the local engine: words are where they were drawn, columns and margins come
from positions, and the stored text maps an evidence span back to rectangles on the page."""

from __future__ import annotations

import re

import pytest
from fpdf import FPDF
from hypothesis import given
from hypothesis import strategies as st

from clausewatch.text.local import document_from_pdf, textract_response_from_pdf
from clausewatch.text.model import Box, DocumentText, Line, LineInput, evidence_boxes, page_from_lines

A4_MM = (210.0, 297.0)
TOLERANCE = 0.01  # of the page: about 2 mm on A4


def word_blocks(response: dict, text: str) -> list[dict]:
    return [b for b in response["Blocks"] if b["BlockType"] == "WORD" and b["Text"] == text]


def drawn_box(pdf: FPDF, x: float, y: float, text: str) -> Box:
    """Where fpdf2 puts `text` written with pdf.text(x, y): baseline at y, from x."""
    width = pdf.get_string_width(text)
    size_mm = pdf.font_size
    return Box(x / A4_MM[0], (y - size_mm * 0.75) / A4_MM[1], width / A4_MM[0], size_mm / A4_MM[1])


def test_a_word_is_where_it_was_drawn():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.text(50, 60, "Anchor")
    pdf.text(120, 200, "Renewal")
    expected = {"Anchor": drawn_box(pdf, 50, 60, "Anchor"), "Renewal": drawn_box(pdf, 120, 200, "Renewal")}
    response = textract_response_from_pdf(bytes(pdf.output()))
    for text, box in expected.items():
        [word] = word_blocks(response, text)
        got = word["Geometry"]["BoundingBox"]
        assert got["Left"] == pytest.approx(box.left, abs=TOLERANCE)
        assert got["Left"] + got["Width"] == pytest.approx(box.right, abs=TOLERANCE)
        # the box spans the font's ascent to descent around the baseline
        assert got["Top"] < 60 / A4_MM[1] if text == "Anchor" else got["Top"] < 200 / A4_MM[1]
        assert got["Top"] == pytest.approx(box.top, abs=2 * TOLERANCE)
        assert got["Height"] == pytest.approx(box.height, abs=2 * TOLERANCE)


def test_a_rotated_page_is_measured_as_it_is_shown():
    """/Rotate 90: the page is shown landscape, and boxes are fractions of the page as shown."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.text(20, 30, "Corner")  # near the top-left of the unrotated page
    raw = bytes(pdf.output())
    rotated = raw.replace(b"/Type /Page\n", b"/Type /Page\n/Rotate 90\n", 1)
    assert rotated != raw
    [upright] = word_blocks(textract_response_from_pdf(raw), "Corner")
    [turned] = word_blocks(textract_response_from_pdf(rotated), "Corner")
    up, tu = upright["Geometry"]["BoundingBox"], turned["Geometry"]["BoundingBox"]
    assert up["Left"] < 0.2 and up["Top"] < 0.2
    # turned a quarter clockwise, the top-left corner goes to the top-right
    assert tu["Left"] > 0.8 and tu["Top"] < 0.3
    assert tu["Height"] > tu["Width"]  # the word now runs down the page


def two_column_page() -> bytes:
    """Two columns of running text drawn row by row (each row: left part, then right part), so
    only positions tell the columns apart."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.text(10, 15, "MASTER AGREEMENT between the parties named below, in two columns")
    for row in range(14):
        y = 30 + row * 5
        pdf.text(10, y, f"left{row} of the first column runs here")
        pdf.text(110, y, f"right{row} of the second column runs here")
    pdf.text(10, 120, "SIGNATURES follow across the whole width of the page after both columns")
    return bytes(pdf.output())


def test_two_columns_drawn_row_by_row_read_column_by_column():
    text = document_from_pdf(two_column_page()).pages[0].text
    tokens = re.findall(r"(?:left|right)\d+|MASTER|SIGNATURES", text)
    assert tokens == ["MASTER", *(f"left{i}" for i in range(14)), *(f"right{i}" for i in range(14)),
                      "SIGNATURES"]
    assert "left0 of the first column runs here" in text.splitlines()


def test_bullets_and_list_numbers_stay_on_their_line():
    """A column of bullets lines up like a gutter, but text on one side only is not a column."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    for row in range(6):
        pdf.text(20, 30 + row * 6, "(a)" if row % 2 else "-")
        pdf.text(40, 30 + row * 6, f"item {row} of the list continues across most of the page width")
    lines = document_from_pdf(bytes(pdf.output())).pages[0].text.splitlines()
    assert lines[0] == "- item 0 of the list continues across most of the page width"
    assert lines[1] == "(a) item 1 of the list continues across most of the page width"


def test_header_and_footer_come_from_their_positions():
    """Drawn last in the content stream, a header is still read first and a footer last."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    for row in range(5):
        pdf.text(20, 60 + row * 6, f"Clause {row + 1}. The supplier delivers on time.")
    pdf.text(20, 285, "Page 1 of 1")
    pdf.text(20, 12, "CONFIDENTIAL")
    lines = document_from_pdf(bytes(pdf.output())).pages[0].text.splitlines()
    assert lines[0] == "CONFIDENTIAL" and lines[-1] == "Page 1 of 1"


def test_stored_text_keeps_word_boxes_and_offsets():
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.text(30, 40, "The term is three (3) years.")
    document = document_from_pdf(bytes(pdf.output()))
    restored = DocumentText.from_dict(document.to_dict())
    [line] = restored.pages[0].lines
    assert line.box is not None and len(line.words) == 6
    for word in line.words:
        assert restored.pages[0].text[word.start:word.end] in line.text.split()
        assert line.box.left - 1e-4 <= word.box.left <= word.box.right <= line.box.right + 1e-4
    for kept, made in zip(line.words, document.pages[0].lines[0].words):  # rounded to 1e-5 when stored
        assert (kept.start, kept.end) == (made.start, made.end)
        assert kept.box == pytest.approx(made.box, abs=1e-5)


_COORDINATE = st.floats(min_value=-0.5, max_value=1.5, allow_nan=False) | st.sampled_from(
    [0.0, -0.0, 0.000005, 0.123455, 0.999995, 1e-9, 0.1, 1 / 3])


@given(st.lists(st.tuples(_COORDINATE, _COORDINATE, _COORDINATE, _COORDINATE), min_size=1, max_size=6))
def test_a_stored_word_box_reads_back_as_the_box_rounded_like_a_line_box(boxes):
    """The words' boxes are written as text (one string per line), the line's as numbers: both
    read back as Box.to_list's rounding of the box, to the last bit."""
    words = [(f"w{i}", Box(*box)) for i, box in enumerate(boxes)]
    [line] = page_from_lines(1, [LineInput(" ".join(w for w, _ in words), 100.0, Box.around(b for _, b in words),
                                           tuple(words))]).lines
    restored = Line.from_dict(line.to_dict())
    assert [tuple(w.box) for w in restored.words] == [tuple(b.to_list()) for _, b in words]
    assert restored.box is not None and line.box is not None and tuple(restored.box) == tuple(line.box.to_list())


def test_evidence_boxes_of_a_span_across_two_lines():
    page = page_from_lines(1, [
        LineInput("1. Term. This Agreement", 100.0, Box(0.1, 0.1, 0.5, 0.02),
                  (("1.", Box(0.1, 0.1, 0.03, 0.02)), ("Term.", Box(0.14, 0.1, 0.08, 0.02)),
                   ("This", Box(0.23, 0.1, 0.06, 0.02)), ("Agreement", Box(0.3, 0.1, 0.3, 0.02)))),
        LineInput("runs for three years.", 100.0, Box(0.1, 0.13, 0.4, 0.02),
                  (("runs", Box(0.1, 0.13, 0.07, 0.02)), ("for", Box(0.18, 0.13, 0.05, 0.02)),
                   ("three", Box(0.24, 0.13, 0.08, 0.02)), ("years.", Box(0.33, 0.13, 0.17, 0.02)))),
    ])
    document = DocumentText(pages=[page])
    start = page.text.index("This")
    end = page.text.index("three") + len("three")
    boxes = evidence_boxes(document, 1, start, end)
    assert boxes == [pytest.approx((0.23, 0.1, 0.37, 0.02)), pytest.approx((0.1, 0.13, 0.22, 0.02))]
    # a span inside one word is that word's box; nothing for no span or another page
    inside = page.text.index("Agreement") + 2
    assert evidence_boxes(document, 1, inside, inside + 3) == [pytest.approx((0.3, 0.1, 0.3, 0.02))]
    assert evidence_boxes(document, 1, 5, 5) == []
    assert evidence_boxes(document, 2, 0, 10) == []


def test_evidence_boxes_on_a_real_page():
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.text(30, 40, "Either party may give ninety (90) days notice.")
    pdf.text(30, 50, "This Agreement renews for one year.")
    document = document_from_pdf(bytes(pdf.output()))
    text = document.pages[0].text
    start = text.index("ninety")
    [box] = evidence_boxes(document, 1, start, start + len("ninety (90) days"))
    assert box.top == pytest.approx(document.pages[0].lines[0].box.top)
    assert 30 / 210 < box.left < box.right < document.pages[0].lines[0].box.right
    without_geometry = DocumentText.from_lines([[("Either party may give notice.", 100.0)]], engine="local")
    assert evidence_boxes(without_geometry, 1, 0, 6) == []
