"""Local text extraction: PDF text layer -> Textract-shaped blocks -> DocumentText."""

from __future__ import annotations

import re
import uuid
from collections import Counter

import pytest
import trp
from fpdf import FPDF
from PIL import Image

from clausewatch.text.local import NO_TEXT_LAYER_REASON, document_from_pdf, textract_response_from_pdf
from clausewatch.text.textract import document_from_textract
from clausewatch.text.validate import InvalidDocument
from tests.paths import SAMPLES

PAGES = [
    ["MASTER SERVICES AGREEMENT", "1. Term. This Agreement commences on 1 March 2024.",
     "2. Renewal. It renews for successive one (1) year periods."],
    ["3. Notice. Either party may give ninety (90) days written notice.",
     "4. Fees. Customer pays within thirty (30) days of invoice."],
    ["5. Governing law. The laws of the State of New York apply.",
     "IN WITNESS WHEREOF the parties sign below."],
]


def make_pdf(pages: list[list[str]]) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def two_column_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 5, "SUPPLY AGREEMENT. This introduction runs across the full width of the page, "
                         "from the left margin to the right margin, before the two columns begin.")
    top = pdf.get_y() + 4
    pdf.set_xy(10, top)
    pdf.multi_cell(90, 5, " ".join(f"left{i} clause text" for i in range(15)))
    pdf.set_xy(110, top)
    pdf.multi_cell(90, 5, " ".join(f"right{i} clause text" for i in range(15)))
    pdf.set_y(top + 50)
    pdf.multi_cell(0, 5, "SIGNATURES. This closing paragraph again runs across the full width of the page, "
                         "after both columns have ended.")
    return bytes(pdf.output())


DATA = make_pdf(PAGES)


def test_multi_page_document_keeps_pages_and_line_order():
    doc = document_from_pdf(DATA)
    assert doc.engine == "local"
    assert [p.number for p in doc.pages] == [1, 2, 3]
    for page, expected in zip(doc.pages, PAGES):
        assert [line.text for line in page.lines] == expected
        assert page.text == "\n".join(expected)


def test_line_offsets_point_into_page_text():
    for page in document_from_pdf(DATA).pages:
        assert page.lines
        for line in page.lines:
            assert page.text[line.start:line.end] == line.text
            assert 0 <= line.confidence <= 100


def test_response_has_textract_shape():
    response = textract_response_from_pdf(DATA)
    assert response["DocumentMetadata"] == {"Pages": 3}
    assert response["JobStatus"] == "SUCCEEDED"
    assert response["DetectDocumentTextModelVersion"]
    blocks = {b["Id"]: b for b in response["Blocks"]}
    assert len(blocks) == len(response["Blocks"]), "block ids must be unique"
    for block_id in blocks:
        uuid.UUID(block_id)
    kinds = Counter(b["BlockType"] for b in response["Blocks"])
    assert kinds["PAGE"] == 3 and kinds["LINE"] == sum(map(len, PAGES))

    for page in (b for b in response["Blocks"] if b["BlockType"] == "PAGE"):
        (children,) = [r["Ids"] for r in page["Relationships"] if r["Type"] == "CHILD"]
        assert [blocks[i]["BlockType"] for i in children] == ["LINE"] * len(PAGES[page["Page"] - 1])
        assert all(blocks[i]["Page"] == page["Page"] for i in children)
    for line in (b for b in response["Blocks"] if b["BlockType"] == "LINE"):
        (children,) = [r["Ids"] for r in line["Relationships"] if r["Type"] == "CHILD"]
        words = [blocks[i] for i in children]
        assert " ".join(w["Text"] for w in words) == line["Text"]
        assert all(w["BlockType"] == "WORD" and w["TextType"] == "PRINTED" for w in words)
        assert all(w["Page"] == line["Page"] for w in words)


def test_geometry_is_valid_page_fractions():
    for block in textract_response_from_pdf(DATA)["Blocks"]:
        box = block["Geometry"]["BoundingBox"]
        assert 0 <= box["Left"] <= box["Left"] + box["Width"] <= 1
        assert 0 <= box["Top"] <= box["Top"] + box["Height"] <= 1
        corners = {(p["X"], p["Y"]) for p in block["Geometry"]["Polygon"]}
        assert corners == {(box["Left"], box["Top"]), (box["Left"] + box["Width"], box["Top"]),
                           (box["Left"] + box["Width"], box["Top"] + box["Height"]),
                           (box["Left"], box["Top"] + box["Height"])}
    blocks = textract_response_from_pdf(DATA)["Blocks"]
    lines = [b for b in blocks if b["BlockType"] == "LINE" and b["Page"] == 1]
    tops = [b["Geometry"]["BoundingBox"]["Top"] for b in lines]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)


def test_ids_are_deterministic_per_document():
    first, second = textract_response_from_pdf(DATA), textract_response_from_pdf(DATA)
    assert [b["Id"] for b in first["Blocks"]] == [b["Id"] for b in second["Blocks"]]
    other = textract_response_from_pdf(make_pdf([["A different contract."]]))
    assert not {b["Id"] for b in first["Blocks"]} & {b["Id"] for b in other["Blocks"]}


def test_blocks_pass_through_trp():
    document = trp.Document(textract_response_from_pdf(DATA))
    assert len(document.pages) == 3
    assert [[line.text for line in page.lines] for page in document.pages] == PAGES
    assert [w.text for w in document.pages[1].lines[0].words][:3] == ["3.", "Notice.", "Either"]


def superscript_and_unspaced_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.text(20, 30, "on the 10")
    pdf.set_font("Helvetica", size=6)
    pdf.text(36.2, 28.5, "th")  # a raised "th" touching the "10": one word
    pdf.set_font("Helvetica", size=11)
    pdf.text(45, 30, "day of March 2024")
    pdf.text(20, 40, "14.6")
    pdf.text(28.3, 40, "This clause is drawn as a second piece")  # no space: two words
    return bytes(pdf.output())


@pytest.mark.parametrize("name", ["three pages", "two columns", "superscript", "samples"])
def test_the_local_engine_reads_as_its_blocks_parse(name):
    """The local engine hands its lines straight to the parser's page step; what it gives must be
    exactly what parsing the Textract blocks it writes gives (text, offsets, boxes, order)."""
    documents = {"three pages": [DATA], "two columns": [two_column_pdf()],
                 "superscript": [superscript_and_unspaced_pdf()],
                 "samples": [p.read_bytes() for p in sorted(SAMPLES.glob("*.pdf")) if p.name != "bad-upload.pdf"]}
    for data in documents[name]:
        direct = document_from_pdf(data)
        parsed = document_from_textract(textract_response_from_pdf(data), engine="local")
        assert direct.pages and any(page.lines for page in direct.pages)
        assert direct == parsed


def test_superscripts_join_their_word_and_unspaced_pieces_split():
    words = [w["Text"] for w in textract_response_from_pdf(superscript_and_unspaced_pdf())["Blocks"]
             if w["BlockType"] == "WORD"]
    assert "10th" in words
    assert words[words.index("10th") - 1:words.index("10th") + 2] == ["the", "10th", "day"]
    assert ["14.6", "This"] == words[words.index("14.6"):words.index("14.6") + 2]


def test_two_columns_are_read_one_after_the_other():
    text = document_from_pdf(two_column_pdf()).pages[0].text
    tokens = re.findall(r"(?:left|right)\d+|SUPPLY|SIGNATURES", text)
    expected = ["SUPPLY", *(f"left{i}" for i in range(15)), *(f"right{i}" for i in range(15)), "SIGNATURES"]
    assert tokens == expected


def test_text_layout_mode_cannot_place_is_kept():
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    for number in range(1, 9):
        pdf.cell(0, 8, f"Clause {number}. The supplier delivers on time.",
                 new_x="LMARGIN", new_y="NEXT")
    with pdf.rotation(90, x=200, y=250):  # a rotated margin note: pypdf's layout mode drops it
        pdf.text(200, 250, "Filed copy 2024-17")
    pdf.add_page()
    with pdf.rotation(90, x=100, y=250):  # a landscape schedule: all of the page is rotated
        for row in range(3):
            pdf.text(100, 250 + row * 8, f"Schedule row {row + 1}")
    first, second = document_from_pdf(bytes(pdf.output())).pages
    assert first.text.splitlines()[:8] == [f"Clause {n}. The supplier delivers on time." for n in range(1, 9)]
    assert first.text.splitlines()[8:] == ["Filed copy 2024-17"]
    assert second.text.splitlines() == ["Schedule row 1", "Schedule row 2", "Schedule row 3"]


def test_blank_page_keeps_its_number():
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.cell(0, 8, "Schedule 1 follows.")
    pdf.add_page()  # intentionally blank
    pdf.add_page()
    pdf.cell(0, 8, "Schedule 1.")
    doc = document_from_pdf(bytes(pdf.output()))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert [p.text for p in doc.pages] == ["Schedule 1 follows.", "", "Schedule 1."]


def test_blank_pdf_has_no_text_layer():
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50)  # vector drawing, no text
    with pytest.raises(InvalidDocument) as caught:
        textract_response_from_pdf(bytes(pdf.output()))
    assert caught.value.code == "no_text_layer"
    assert caught.value.reason == NO_TEXT_LAYER_REASON == str(caught.value)


def test_image_only_pdf_has_no_text_layer():
    pdf = FPDF()
    pdf.add_page()
    scan = Image.new("L", (200, 100), color=255)
    scan.paste(0, (20, 40, 180, 48))  # a dark bar where a scanned line of text would be
    pdf.image(scan, x=10, y=10, w=150)
    with pytest.raises(InvalidDocument) as caught:
        document_from_pdf(bytes(pdf.output()))
    assert caught.value.code == "no_text_layer"


def test_invalid_pdf_is_refused_before_extraction():
    with pytest.raises(InvalidDocument) as caught:
        document_from_pdf(b"just some text, not a PDF")
    assert caught.value.code == "not_pdf"


def off_page_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.text(20, 30, "Text on the page")
    pdf.text(-40, 50, "left of the page")  # boxes at negative page fractions
    pdf.text(20, -10, "above the page")
    pdf.text(20, 60, "more text on the page")
    return bytes(pdf.output())


def test_words_off_the_page_read_as_their_blocks_parse():
    """A word beyond the page's left or top edge has a negative right or bottom: its rounding
    (to 1e-5, as the blocks are written) must still agree with the parsed blocks'."""
    data = off_page_pdf()
    direct = document_from_pdf(data)
    lines = [line for page in direct.pages for line in page.lines]
    assert any(word.box.right < 0 for line in lines for word in line.words)
    assert any(word.box.bottom < 0 for line in lines for word in line.words)
    assert direct == document_from_textract(textract_response_from_pdf(data), engine="local")
