"""Offline text extraction: a PDF's text layer -> a Textract-shaped response.

The response has the shape of GetDocumentTextDetection (PAGE, LINE and WORD blocks with
geometry), so the local engine is parsed by exactly the same code as real Textract output
(`text.textract.document_from_textract`). Scans without a text layer are refused: they need the
OCR of the deployed Textract path.

Positions come from pypdf's layout mode (a fixed-width rendering of the page): rows give the
vertical position, character columns the horizontal one. Geometry is therefore approximate, but
ordered and valid (0..1 page fractions). Text layout mode cannot see (text inside form
XObjects, rotated text) comes from pypdf's plain mode: placed below the page's other text when
layout mode saw most of the page, or as the whole page (one line per row) when it did not.
"""

from __future__ import annotations

import io
import re
import uuid
from collections import Counter
from dataclasses import dataclass

import pypdf
from pypdf import PdfReader

from clausewatch.text.model import DocumentText
from clausewatch.text.textract import document_from_textract
from clausewatch.text.validate import InvalidDocument, validate_pdf

NO_TEXT_LAYER_REASON = "no text layer: needs OCR, which the deployed Textract path provides"
MODEL_VERSION = f"clausewatch-local/pypdf-{pypdf.__version__}"
TEXT_LAYER_CONFIDENCE = 100.0  # the text layer is the document's own text, not a recognition

# Page fractions: text is placed inside a margin so boxes never touch the page edge.
_MARGIN = 0.05
_SPAN = 1 - 2 * _MARGIN
_LINE_FILL = 0.8  # share of a row's height a line box takes (rows must not overlap)

_MIN_GAP_SPACES = 3  # in layout mode's fixed-width text, fewer spaces are word spacing
_MIN_GUTTER_ROWS = 3  # a gap must line up over this many rows to split lines into columns
# layout mode is preferred for its positions unless it sees clearly less text than plain mode
_LAYOUT_MIN_TEXT_SHARE = 0.9

_ID_NAMESPACE = uuid.UUID("6f0d2f4e-6c1b-4a52-9a51-6b0c3f3c1e77")


@dataclass(frozen=True)
class _Segment:
    """A run of text on one fixed-width row: its row index, first column and text."""

    row: int
    column: int
    text: str


def textract_response_from_pdf(data: bytes) -> dict:
    """A GetDocumentTextDetection-shaped response (JobStatus SUCCEEDED) for the PDF's text layer.

    Ids are deterministic for the same bytes. Raises InvalidDocument for an invalid PDF (see
    `validate_pdf`) and with code "no_text_layer" when no page has any text.
    """
    info = validate_pdf(data)
    reader = PdfReader(io.BytesIO(data))
    new_id = _id_factory(info.sha256)

    blocks: list[dict] = []
    has_text = False
    for number, page in enumerate(reader.pages, start=1):
        segments, row_count, width = _page_segments(page)
        has_text = has_text or bool(segments)
        blocks.extend(_page_blocks(number, segments, row_count, width, new_id))
    if not has_text:
        raise InvalidDocument("no_text_layer", NO_TEXT_LAYER_REASON)
    return {
        "DocumentMetadata": {"Pages": len(reader.pages)},
        "JobStatus": "SUCCEEDED",
        "DetectDocumentTextModelVersion": MODEL_VERSION,
        "Blocks": blocks,
    }


def document_from_pdf(data: bytes) -> DocumentText:
    """The PDF's text layer as a DocumentText (engine "local"), parsed like Textract output."""
    return document_from_textract([textract_response_from_pdf(data)], engine="local")


# --- pages -> text segments ---------------------------------------------------------------------


def _page_segments(page) -> tuple[list[_Segment], int, int]:
    """The page's text runs, the number of rows and the row width (in characters) they span."""
    layout_rows = _layout_rows(page)
    plain_rows = page.extract_text().splitlines()
    layout_words = Counter(word for row in layout_rows for word in row.split())
    plain_words = Counter(word for row in plain_rows for word in row.split())
    if sum(layout_words.values()) < _LAYOUT_MIN_TEXT_SHARE * sum(plain_words.values()):
        segments = _segments(plain_rows, split_columns=False)  # plain text has no columns to find
        rows = plain_rows
    else:
        # text layout mode cannot place (a footer in a form XObject, rotated text) goes below it
        missing = _rows_missing_from(plain_rows, plain_words - layout_words)
        rows = layout_rows + ([""] + missing if missing else [])
        segments = _segments(layout_rows, split_columns=True)
        segments += _segments(missing, split_columns=False, first_row=len(layout_rows) + 1)
    width = max((len(row.rstrip()) for row in rows), default=0)
    return segments, len(rows), width


def _rows_missing_from(rows: list[str], missing_words: Counter) -> list[str]:
    """The rows all of whose words are among the missing ones (each word used once)."""
    found = []
    for row in rows:
        words = Counter(row.split())
        if words and not words - missing_words:
            found.append(row.strip())
            missing_words -= words
    return found


def _layout_rows(page) -> list[str]:
    try:
        text = page.extract_text(extraction_mode="layout")
    except Exception:  # layout mode is younger than plain mode; plain text is the fallback
        return []
    rows = text.splitlines()
    while rows and not rows[0].strip():  # leading blank rows carry no position information
        rows.pop(0)
    return rows


_WORD = re.compile(r"\S+")


def _segments(rows: list[str], split_columns: bool, first_row: int = 0) -> list[_Segment]:
    """Text runs per row; a row is split only at gaps that line up with gaps in nearby rows."""
    gaps = [_two_sided_gaps(row) for row in rows] if split_columns else [[] for _ in rows]
    gutters = _gutter_gaps(gaps)
    segments: list[_Segment] = []
    for index, row in enumerate(rows):
        words = list(_WORD.finditer(row))
        if not words:
            continue
        cuts = sorted(gutters.get(index, []))
        start = 0
        for cut_start, _ in cuts + [(len(row) + 1, None)]:
            part = [w for w in words if start <= w.start() < cut_start]
            if part:
                text = row[part[0].start():part[-1].end()]
                segments.append(_Segment(first_row + index, part[0].start(), text))
            start = cut_start
    return segments


def _two_sided_gaps(row: str) -> list[tuple[int, int]]:
    """Runs of at least _MIN_GAP_SPACES spaces with text on both sides: [start, end) columns."""
    return [
        (m.start(), m.end())
        for m in re.finditer(r"\s{%d,}" % _MIN_GAP_SPACES, row)
        if row[: m.start()].strip() and row[m.end():].strip()
    ]


def _gutter_gaps(gaps: list[list[tuple[int, int]]]) -> dict[int, list[tuple[int, int]]]:
    """The gaps that belong to a vertical gutter: chains of overlapping gaps on adjacent rows
    at least _MIN_GUTTER_ROWS long. A lone wide gap ("1.     DEFINITIONS") is not a gutter."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(node: tuple[int, int]) -> tuple[int, int]:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for row, row_gaps in enumerate(gaps):
        for k, (start, end) in enumerate(row_gaps):
            parent[(row, k)] = (row, k)
            for j, (above_start, above_end) in enumerate(gaps[row - 1] if row else []):
                if start < above_end and above_start < end:
                    parent[find((row, k))] = find((row - 1, j))
    rows_per_chain: dict[tuple[int, int], set[int]] = {}
    for node in parent:
        rows_per_chain.setdefault(find(node), set()).add(node[0])
    gutters: dict[int, list[tuple[int, int]]] = {}
    for node in parent:
        if len(rows_per_chain[find(node)]) >= _MIN_GUTTER_ROWS:
            gutters.setdefault(node[0], []).append(gaps[node[0]][node[1]])
    return gutters


# --- segments -> Textract blocks ----------------------------------------------------------------


def _page_blocks(number: int, segments: list[_Segment], row_count: int, width: int, new_id) -> list[dict]:
    """PAGE block, then its LINE blocks, then their WORD blocks (Textract's order)."""
    page_id = new_id(number, "page", 0)
    lines, words = [], []
    for n, segment in enumerate(segments):
        word_blocks = [
            _block("WORD", new_id(number, "word", len(words) + k), number, m.group(),
                   _geometry(segment.row, segment.column + m.start(), len(m.group()), row_count, width),
                   TextType="PRINTED")
            for k, m in enumerate(_WORD.finditer(segment.text))
        ]
        words.extend(word_blocks)
        line = _block("LINE", new_id(number, "line", n), number, " ".join(w["Text"] for w in word_blocks),
                      _geometry(segment.row, segment.column, len(segment.text), row_count, width))
        line["Relationships"] = [{"Type": "CHILD", "Ids": [w["Id"] for w in word_blocks]}]
        lines.append(line)
    page = {
        "BlockType": "PAGE",
        "Geometry": _box(0.0, 0.0, 1.0, 1.0),
        "Id": page_id,
        "Page": number,
    }
    if lines:
        page["Relationships"] = [{"Type": "CHILD", "Ids": [line["Id"] for line in lines]}]
    return [page, *lines, *words]


def _block(kind: str, block_id: str, page: int, text: str, geometry: dict, **extra) -> dict:
    return {"BlockType": kind, "Confidence": TEXT_LAYER_CONFIDENCE, "Text": text, **extra,
            "Geometry": geometry, "Id": block_id, "Page": page}


def _geometry(row: int, column: int, length: int, row_count: int, width: int) -> dict:
    row_height = _SPAN / max(row_count, 1)
    char_width = _SPAN / max(width, 1)
    return _box(_MARGIN + column * char_width, _MARGIN + row * row_height,
                length * char_width, row_height * _LINE_FILL)


def _box(left: float, top: float, width: float, height: float) -> dict:
    """Textract Geometry: BoundingBox plus the clockwise Polygon from the top-left corner."""
    left, top = min(max(left, 0.0), 1.0), min(max(top, 0.0), 1.0)
    width, height = min(width, 1.0 - left), min(height, 1.0 - top)
    return {
        "BoundingBox": {"Width": width, "Height": height, "Left": left, "Top": top},
        "Polygon": [
            {"X": left, "Y": top},
            {"X": left + width, "Y": top},
            {"X": left + width, "Y": top + height},
            {"X": left, "Y": top + height},
        ],
    }


def _id_factory(sha256: str):
    """Block ids as UUID strings derived from the content hash, so the same PDF gives the same ids."""
    def new_id(page: int, kind: str, index: int) -> str:
        return str(uuid.uuid5(_ID_NAMESPACE, f"{sha256}/{page}/{kind}/{index}"))
    return new_id
