"""Offline text extraction on PDFium: a PDF's text layer -> a Textract-shaped response.

The response has the shape of GetDocumentTextDetection (PAGE, LINE and WORD blocks with
geometry), so the local engine is parsed by exactly the same code as real Textract output
(`text.textract.document_from_textract`). `document_from_pdf` skips writing and re-reading a block
per word: it builds each page as the parser's page step (`text.textract.page_from_engine_lines`,
where trp's lines go) builds it of the lines trp would read from those blocks, in one step from
the rows (`_page`: the same rounded boxes, `reading_order` and offsets). Scans
without a text layer are refused: they need the OCR of the deployed Textract path.

Geometry is real: PDFium (pypdfium2, a permissive licence) gives the page's text in content order
and each character's box. A word is a run of non-blank characters; its box runs from its first
character's box to its last's, mapped to page fractions with a top-left origin through the page's
display matrix (so /Rotate and crop boxes are honoured, as on a rendered page). PDFium's text
lines on one row of the page (the same height, side by side) are one row; a row is cut where a
wide gap lines up with gaps on the rows around it and has a column of text on each side (a column
gutter), never at a lone wide gap ("1.      DEFINITIONS") nor after a list's bullets or a form's
labels. Each row part is a LINE block. Reading order, columns, headers and
footers are then decided from these positions by `text.textract.reading_order`, exactly as for
Textract's own blocks. Vertical text (a rotated margin note or landscape schedule) keeps PDFium's
lines as they are.
"""

from __future__ import annotations

import ctypes
import re
import struct
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from clausewatch.text.model import Box, DocumentText, Line, LineInput, Page, Word
from clausewatch.text.textract import gc_paused, reading_order
from clausewatch.text.validate import InvalidDocument, open_pdf

NO_TEXT_LAYER_REASON = "no text layer: needs OCR, which the deployed Textract path provides"
MODEL_VERSION = f"clausewatch-local/pypdfium2-{version('pypdfium2')}"
TEXT_LAYER_CONFIDENCE = 100.0  # the text layer is the document's own text, not a recognition

_ROW_OVERLAP = 0.5  # lines share a row when their heights overlap by this share of the smaller one
_SCRIPT_SIZE = 0.85  # ... or when the smaller is at most this share of the other (a superscript)
_TOUCH = 0.15  # ... and touches its text: closer than this share of its height
_OVERPRINT = 0.2  # words overlapping by more than this share of the narrower are drawn over each other
_GAP_HEIGHTS = 1.0  # a gap between words at least this many row heights wide may be a gutter
_MIN_GUTTER_ROWS = 3  # ... when gaps line up over this many rows
_MIN_COLUMN_WIDTH = 0.15  # ... and the text on each side is typically this wide (page fractions)
_DEVICE = 1 << 20  # FPDF_PageToDevice's integer device space: page fractions to about 1e-6

_FLOAT4 = struct.Struct("4f")
_WORD = re.compile(r"\S+")
_LINE = re.compile(r"[^\r\n]+")
# PDFium's markers: 0x02 for a hyphen it took as a line-end hyphenation, 0xFFFE/0xFFFF for none
_MARKERS = str.maketrans({"\x02": "-", "\ufffe": None, "\uffff": None, "\x00": None})
_MARKER_CHARS = "\x02\ufffe\uffff\x00"

_ID_NAMESPACE = uuid.UUID("6f0d2f4e-6c1b-4a52-9a51-6b0c3f3c1e77")


def _unchecked(function, restype):
    """A PDFium function called without ctypes' per-argument conversion (pypdfium2's bindings
    declare argtypes, which doubles the cost of a call made once or twice per word), and without
    releasing the GIL around a call of a microsecond: handles must be passed as c_void_p, pointers
    by byref, indices as Python ints (C ints)."""
    return ctypes.PYFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)


_loose_char_box = _unchecked(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_text_object = _unchecked(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)


class _Word(NamedTuple):
    """A word with its box in page fractions (top-left origin)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass
class _Row:
    """Words on one row of the page (left to right), and the row's vertical extent."""

    words: list[_Word]
    top: float
    bottom: float
    vertical: bool = False  # a line of rotated text: kept whole, never merged or cut


def textract_response_from_pdf(data: bytes) -> dict:
    """A GetDocumentTextDetection-shaped response (JobStatus SUCCEEDED) for the PDF's text layer.

    Ids are deterministic for the same bytes. Raises InvalidDocument for an invalid PDF (see
    `validate.open_pdf`) and with code "no_text_layer" when no page has any text.
    """
    layer = TextLayer(data)
    blocks = [block for page_blocks in layer.page_blocks() for block in page_blocks]
    return {**response_header(layer.info.page_count), "Blocks": blocks}


def iter_page_blocks(data: bytes) -> Iterator[list[dict]]:
    """Each page's blocks in turn, as `textract_response_from_pdf` would list them (same errors,
    raised when reached: an invalid PDF at once, "no_text_layer" after the last page)."""
    yield from TextLayer(data).page_blocks()


def response_header(page_count: int) -> dict:
    """A successful response's fields other than Blocks."""
    return {"DocumentMetadata": {"Pages": page_count}, "JobStatus": "SUCCEEDED",
            "DetectDocumentTextModelVersion": MODEL_VERSION}


def document_from_pdf(data: bytes) -> DocumentText:
    """The PDF's text layer as a DocumentText (engine "local").

    Each page is what `text.textract.page_from_engine_lines` makes of the lines trp reads from
    the page's blocks: the same text, boxes and reading order as parsing
    `textract_response_from_pdf`'s blocks (`document_from_textract`), without writing and
    re-reading a block per word (`_page`).
    """
    layer = TextLayer(data)
    with gc_paused():
        pages = list(layer.pages())
    return DocumentText(pages=pages, engine="local")


class TextLayer:
    """A PDF's text layer, read page by page as Textract blocks (memory: one page at a time).

    Opening validates the PDF (raises InvalidDocument). `page_blocks()` yields each page's
    blocks and, after the last page, raises InvalidDocument("no_text_layer") when no page had text.
    """

    def __init__(self, data: bytes) -> None:
        self._document, self.info = open_pdf(data)
        self._new_id = _id_factory(self.info.sha256)

    def page_blocks(self) -> Iterator[list[dict]]:
        for number, rows in self._page_rows():
            with gc_paused():
                blocks = _page_blocks(number, rows, self._new_id)
            yield blocks

    def page_lines(self) -> Iterator[tuple[int, list[LineInput]]]:
        """Each page's number and lines, as trp reads them from `page_blocks()`' blocks."""
        for number, rows in self._page_rows():
            yield number, _line_inputs(rows)

    def pages(self) -> Iterator[Page]:
        """Each page as `page_from_engine_lines` makes it of `page_lines()`' lines (`_page`)."""
        for number, rows in self._page_rows():
            yield _page(number, rows)

    def _page_rows(self) -> Iterator[tuple[int, list[_Row]]]:
        has_text = False
        try:
            for index in range(self.info.page_count):
                with gc_paused():
                    rows = _page_rows(self._document, index)
                has_text = has_text or bool(rows)
                yield index + 1, rows
        finally:
            self._document.close()
        if not has_text:
            raise InvalidDocument("no_text_layer", NO_TEXT_LAYER_REASON)


# --- a page's characters -> words -> rows ----------------------------------------------------------


def _page_rows(document: pdfium.PdfDocument, index: int) -> list[_Row]:
    page = pdfium_c.FPDF_LoadPage(document.raw, index)
    if not page:
        return []
    textpage = pdfium_c.FPDFText_LoadPage(page)
    try:
        lines = _page_lines(page, textpage) if textpage else []
    finally:
        if textpage:
            pdfium_c.FPDFText_ClosePage(textpage)
        pdfium_c.FPDF_ClosePage(page)
    return _cut_at_gutters(_rows(lines))


def _page_text(textpage, count: int) -> str:
    buffer = ctypes.create_string_buffer(count * 2 + 2)
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    # one UTF-16 unit per character index (PDFium stores each character as one unit)
    return buffer.raw[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")


def _to_page_fractions(page):
    """A function mapping PDF user space (x, y) to page fractions (x right, y down) as rendered."""
    x, y = ctypes.c_int(), ctypes.c_int()

    def device(px: float, py: float) -> tuple[int, int]:
        pdfium_c.FPDF_PageToDevice(page, 0, 0, _DEVICE, _DEVICE, 0, px, py, ctypes.byref(x), ctypes.byref(y))
        return x.value, y.value

    (ex, ey), (ax, ay), (cx, cy) = device(0, 0), device(1000, 0), device(0, 1000)
    a, b = (ax - ex) / 1000 / _DEVICE, (ay - ey) / 1000 / _DEVICE
    c, d = (cx - ex) / 1000 / _DEVICE, (cy - ey) / 1000 / _DEVICE
    e, f = ex / _DEVICE, ey / _DEVICE
    return a, b, c, d, e, f


def _page_lines(page, textpage) -> list[list[_Word]]:
    """PDFium's text lines (in content order), each a list of words with their boxes."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    text = _page_text(textpage, count)
    if len(text) != count:  # never seen; the offsets below would not index characters
        text = text[:count].ljust(count)
    a, b, c, d, e, f = _to_page_fractions(page)
    upright = b == 0.0 and c == 0.0  # not turned: x maps to x and y to y alone
    rect = pdfium_c.FS_RECTF()  # left, top, right, bottom
    rect_ref = ctypes.byref(rect)
    char_box = _loose_char_box
    handle = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
    read_rect = _FLOAT4.unpack_from
    new_word = _new_tuple
    splits = _unspaced_word_breaks(handle, text)
    # without PDFium's markers on the page, every word is kept as it is (a word without one is
    # unchanged by _MARKERS, so only a page with one needs the check)
    markers = any(marker in text for marker in _MARKER_CHARS)
    lines = []
    for line in _LINE.finditer(text):
        spans = [match.span() for match in _WORD.finditer(text, line.start(), line.end())]
        if splits:
            spans = _split_spans(spans, splits)
        words = []
        for first, end in spans:
            char_box(handle, first, rect_ref)
            x0, y1, x1, y0 = read_rect(rect)
            if end - first > 1:
                char_box(handle, end - 1, rect_ref)
                left, top, right, bottom = read_rect(rect)
                if left < x0:
                    x0 = left
                if right > x1:
                    x1 = right
                if bottom < y0:
                    y0 = bottom
                if top > y1:
                    y1 = top
            # two opposite corners: the display matrix turns by multiples of 90 degrees
            if upright:
                u0, u1, v0, v1 = a * x0 + e, a * x1 + e, d * y0 + f, d * y1 + f
            else:
                u0, v0 = a * x0 + c * y0 + e, b * x0 + d * y0 + f
                u1, v1 = a * x1 + c * y1 + e, b * x1 + d * y1 + f
            if u0 > u1:
                u0, u1 = u1, u0
            if v0 > v1:
                v0, v1 = v1, v0
            word = text[first:end]
            if markers and not word.isprintable():
                word = word.translate(_MARKERS)
                if not word:
                    continue
            words.append(new_word(_Word, (word, u0 if u0 > 0.0 else 0.0, v0 if v0 > 0.0 else 0.0,
                                          u1 if u1 < 1.0 else 1.0, v1 if v1 < 1.0 else 1.0)))
        if words:
            lines.append(words)
    return lines


def _split_spans(spans: list[tuple[int, int]], splits: list[int]) -> list[tuple[int, int]]:
    """Word spans cut at the unspaced word breaks inside them."""
    out: list[tuple[int, int]] = []
    for first, end in spans:
        lo, hi = bisect_right(splits, first), bisect_left(splits, end)
        if lo < hi:
            cuts = splits[lo:hi]
            out.extend(zip([first, *cuts], [*cuts, end]))
        else:
            out.append((first, end))
    return out


_new_tuple = tuple.__new__  # a NamedTuple's fields as they are, without its Python-level __new__


# where text drawn as two pieces reads as two words though PDFium put no space between them
# ("14.6|This", "1.|Term", "Telephone:|010", "Party A:|/s/"): after punctuation, or a digit before
# a capital; a word is cut there only when the two characters belong to different text objects
_UNSPACED_BREAK = re.compile(r"(?<=[.:;,)\]%])(?=[\w(/\"\u201c\u2018$])|(?<=\d)(?=[A-Z(])")


def _unspaced_word_breaks(handle: ctypes.c_void_p, text: str) -> list[int]:
    breaks = []
    text_object = _text_object
    for match in _UNSPACED_BREAK.finditer(text):
        k = match.start()
        if text_object(handle, k - 1) != text_object(handle, k):
            breaks.append(k)
    return breaks


def _rows(lines: list[list[_Word]]) -> list[_Row]:
    """Lines on one row of the page joined (left to right), rows top to bottom."""
    horizontal: list[_Row] = []
    rows: list[_Row] = []
    for words in lines:
        _, lefts, tops, rights, bottoms = zip(*words)  # the words' edges as columns, at C speed
        row = _Row(words, min(tops), max(bottoms))
        if row.bottom - row.top > max(rights) - min(lefts) and _is_vertical(words, row):
            row.vertical = True
            rows.append(row)
        else:
            horizontal.append(row)
    horizontal.sort(key=lambda r: r.top)
    open_rows: list[_Row] = []  # rows a later line may still join
    for line in horizontal:
        open_rows = [r for r in open_rows if r.bottom > line.top]
        target = next((r for r in open_rows if _same_row(r, line)), None)
        if target is None:
            rows.append(line)
            open_rows.append(line)
            continue
        target.words = _join_words(target.words, line.words)
        target.top, target.bottom = min(target.top, line.top), max(target.bottom, line.bottom)
    rows.sort(key=lambda r: r.top)
    return rows


def _is_vertical(words: list[_Word], row: _Row) -> bool:
    """Text running up or down the page: taller than wide, and its words follow one another
    downwards or upwards rather than across."""
    first, last = words[0], words[-1]
    if row.bottom - row.top <= max([w.right for w in words]) - min([w.left for w in words]):
        return False
    if len(words) > 1:
        return abs(last.top - first.top) > abs(last.left - first.left)
    return len(first.text) > 2


def _same_row(row: _Row, line: _Row) -> bool:
    """Side by side at the same height, or a superscript or subscript touching the row's text."""
    overlap = min(row.bottom, line.bottom) - max(row.top, line.top)
    if overlap <= 0:
        return False
    # text drawn over text (a second layer, a stamp, a bold made by printing twice) is not
    if any(min(a.right, b.right) - max(a.left, b.left) > _OVERPRINT * min(a.right - a.left, b.right - b.left)
           for a in row.words for b in line.words):
        return False
    small, big = sorted((row.bottom - row.top, line.bottom - line.top))
    if overlap >= _ROW_OVERLAP * small:
        return True
    near = _TOUCH * small
    return small < _SCRIPT_SIZE * big and any(
        abs(a.left - b.right) < near or abs(b.left - a.right) < near for a in row.words for b in line.words)


def _join_words(row: list[_Word], line: list[_Word]) -> list[_Word]:
    """The row's and the line's words left to right; a word touching one from the other side
    ("10" and a raised "th") is one word."""
    joined: list[_Word] = []
    mine = set(map(id, row))
    for word in sorted(row + line, key=lambda w: w.left):
        if joined:
            last = joined[-1]
            near = _TOUCH * min(last.bottom - last.top, word.bottom - word.top)
            if (id(last) in mine) != (id(word) in mine) and abs(word.left - last.right) < near:
                merged = _Word(last.text + word.text, last.left, min(last.top, word.top),
                               max(last.right, word.right), max(last.bottom, word.bottom))
                if id(last) in mine:
                    mine.add(id(merged))
                joined[-1] = merged
                continue
        joined.append(word)
    return joined


def _cut_at_gutters(rows: list[_Row]) -> list[_Row]:
    """Rows cut at gaps that line up, as a column gutter, with gaps on the rows above or below."""
    gaps = [_wide_gaps(row) for row in rows]
    gutters = _gutter_gaps(gaps)
    if not gutters:
        return rows
    out: list[_Row] = []
    for index, row in enumerate(rows):
        cuts = sorted(gutters.get(index, ()))
        if not cuts:
            out.append(row)
            continue
        part: list[_Word] = []
        for word in row.words:
            if cuts and word.left >= cuts[0][1] and part:
                out.append(_Row(part, row.top, row.bottom))
                part = []
            while cuts and word.left >= cuts[0][1]:
                cuts.pop(0)
            part.append(word)
        out.append(_Row(part, row.top, row.bottom))
    return out


def _wide_gaps(row: _Row) -> list[tuple[float, float, float, float]]:
    """The row's wide gaps: (start, end, width of the text before it, width of the text after it),
    the text on each side running to the next wide gap or the row's end."""
    words = row.words
    if row.vertical or len(words) < 2:
        return []
    wide = _GAP_HEIGHTS * (row.bottom - row.top)
    _, lefts, _, rights, _ = zip(*words)  # the words' edges as columns, at C speed
    cuts = [k for k, left, right in zip(range(1, len(words)), lefts[1:], rights) if left - right >= wide]
    if not cuts:
        return []
    edges = [0, *cuts, len(words)]
    gaps = []
    for n, k in enumerate(cuts, start=1):
        first, last = edges[n - 1], edges[n + 1] - 1  # the text before the gap from first, after it to last
        gaps.append((rights[k - 1], lefts[k], rights[k - 1] - lefts[first], rights[last] - lefts[k]))
    return gaps


def _gutter_gaps(gaps: list[list[tuple[float, float, float, float]]]) -> dict[int, list[tuple[float, float]]]:
    """The gaps that belong to a column gutter: chains of overlapping gaps on adjacent rows at
    least _MIN_GUTTER_ROWS long, with columns of text on both sides (typically at least
    _MIN_COLUMN_WIDTH of the page wide), not a list's bullets or numbers or a form's labels."""
    # the gaps numbered row by row (a node each), joined into chains with a union-find
    nodes: list[tuple[int, int]] = []  # node -> (row, index of the gap in the row)
    parent: list[int] = []

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    above_first = 0  # the first node of the row above
    for row, row_gaps in enumerate(gaps):
        first = len(nodes)
        above = gaps[row - 1] if row else []
        for k, (start, end, _, _) in enumerate(row_gaps):
            node = len(nodes)
            nodes.append((row, k))
            parent.append(node)
            for j, (above_start, above_end, _, _) in enumerate(above):
                if start < above_end and above_start < end:
                    parent[find(node)] = find(above_first + j)
        above_first = first
    if len(nodes) < _MIN_GUTTER_ROWS:
        return {}
    chains: dict[int, list[tuple[int, int]]] = {}
    for node, row_and_gap in enumerate(nodes):
        chains.setdefault(find(node), []).append(row_and_gap)
    gutters: dict[int, list[tuple[float, float]]] = {}
    for members in chains.values():
        if len(members) < _MIN_GUTTER_ROWS or len({row for row, _ in members}) < _MIN_GUTTER_ROWS:
            continue
        lefts = sorted(gaps[row][k][2] for row, k in members)
        rights = sorted(gaps[row][k][3] for row, k in members)
        if min(lefts[len(lefts) // 2], rights[len(rights) // 2]) < _MIN_COLUMN_WIDTH:
            continue
        for row, k in members:
            gutters.setdefault(row, []).append(gaps[row][k][:2])
    return gutters


# --- rows -> Textract blocks ----------------------------------------------------------------------


def _page_blocks(number: int, rows: list[_Row], new_id) -> list[dict]:
    """PAGE block, then its LINE blocks, then their WORD blocks (Textract's order)."""
    ids = new_id(number)
    lines, words = [], []
    for row in rows:
        word_ids = []
        for word in row.words:
            word_id = next(ids)
            word_ids.append(word_id)
            words.append({"BlockType": "WORD", "Confidence": TEXT_LAYER_CONFIDENCE, "Text": word.text,
                          "TextType": "PRINTED",
                          "Geometry": _geometry(word.left, word.top, word.right, word.bottom),
                          "Id": word_id, "Page": number})
        left, right = min(w.left for w in row.words), max(w.right for w in row.words)
        top, bottom = min(w.top for w in row.words), max(w.bottom for w in row.words)
        lines.append({"BlockType": "LINE", "Confidence": TEXT_LAYER_CONFIDENCE,
                      "Text": " ".join(w.text for w in row.words),
                      "Geometry": _geometry(left, top, right, bottom), "Id": next(ids), "Page": number,
                      "Relationships": [{"Type": "CHILD", "Ids": word_ids}]})
    page = {"BlockType": "PAGE", "Geometry": _geometry(0.0, 0.0, 1.0, 1.0), "Id": next(ids), "Page": number}
    if lines:
        page["Relationships"] = [{"Type": "CHILD", "Ids": [line["Id"] for line in lines]}]
    return [page, *lines, *words]


def _line_inputs(rows: list[_Row]) -> list[LineInput]:
    """The rows as `_page_blocks` writes them and trp reads them back: a line per row, its text
    the words joined by spaces, its box and its words' boxes rounded as `_geometry` rounds them
    (the Boxes `text.textract._box` reads), so both paths give the same numbers."""
    lines = []
    new_box = _new_tuple
    for row in rows:
        words = row.words
        texts = [w.text for w in words]
        lefts = [int(w.left * 1e5 + 0.5) / 1e5 for w in words]  # _round5, inline: 4 numbers a word
        tops = [int(w.top * 1e5 + 0.5) / 1e5 for w in words]
        rights = [int(w.right * 1e5 + 0.5) / 1e5 for w in words]
        bottoms = [int(w.bottom * 1e5 + 0.5) / 1e5 for w in words]
        boxes = tuple([(text, new_box(Box, (x0, y0, x1 - x0, y1 - y0)))
                       for text, x0, y0, x1, y1 in zip(texts, lefts, tops, rights, bottoms)])
        left, top = min(lefts), min(tops)  # rounding keeps order: the rounded extremes
        box = new_box(Box, (left, top, max(rights) - left, max(bottoms) - top))
        lines.append(new_box(LineInput, (" ".join(texts), TEXT_LAYER_CONFIDENCE, box, boxes)))
    return lines


def _page(number: int, rows: list[_Row]) -> Page:
    """The page `page_from_engine_lines(number, _line_inputs(rows))` gives, built in one step:
    the same rounded boxes and reading order, each word's offsets counted (a line's text is its
    words joined by single spaces, so `page_from_lines`' search finds each word one past the
    previous one's end), no LineInput or (text, Box) pair per word."""
    new = _new_tuple
    prepared = []
    boxes = []
    for row in rows:
        words = row.words
        # _round5 inline, flooring with // rather than int(): the same for every value of at least
        # -0.5e-5 (whose `* 1e5 + 0.5` is not negative) in two thirds of the time; a negative
        # result shows a value below that (a word off the page), and the row is rounded with int()
        lefts = [(w.left * 1e5 + 0.5) // 1.0 / 1e5 for w in words]
        tops = [(w.top * 1e5 + 0.5) // 1.0 / 1e5 for w in words]
        rights = [(w.right * 1e5 + 0.5) // 1.0 / 1e5 for w in words]
        bottoms = [(w.bottom * 1e5 + 0.5) // 1.0 / 1e5 for w in words]
        left, top = min(lefts), min(tops)  # rounding keeps order: the rounded extremes
        if left < 0.0 or top < 0.0 or min(rights) < 0.0 or min(bottoms) < 0.0:
            lefts = [_round5(w.left) for w in words]
            tops = [_round5(w.top) for w in words]
            rights = [_round5(w.right) for w in words]
            bottoms = [_round5(w.bottom) for w in words]
            left, top = min(lefts), min(tops)
        boxes.append(new(Box, (left, top, max(rights) - left, max(bottoms) - top)))
        prepared.append((words, lefts, tops, rights, bottoms))
    lines = []
    offset = 0
    for index in reading_order(boxes):
        words, lefts, tops, rights, bottoms = prepared[index]
        texts = [w.text for w in words]
        line_text = " ".join(texts)
        page_words = []
        at = offset
        for text, x0, y0, x1, y1 in zip(texts, lefts, tops, rights, bottoms):
            end = at + len(text)
            page_words.append(new(Word, (at, end, new(Box, (x0, y0, x1 - x0, y1 - y0)))))
            at = end + 1
        end = offset + len(line_text)
        lines.append(Line(line_text, offset, end, TEXT_LAYER_CONFIDENCE, boxes[index], tuple(page_words)))
        offset = end + 1
    return Page(number=number, text="\n".join([line.text for line in lines]), lines=lines)


def _round5(value: float) -> float:
    """A page fraction (0 to 1) rounded to 1e-5 in a third of round's time: as round(value, 5)
    but for values whose ``value * 1e5`` lies at (or, by the multiplication's rounding, within an
    ulp of) a half, which go up here (at most 1e-5 apart; the local and parsed paths both use this,
    so they agree exactly). The division gives the double nearest the decimal, as round's."""
    return int(value * 1e5 + 0.5) / 1e5


def _geometry(left: float, top: float, right: float, bottom: float) -> dict:
    """Textract Geometry: BoundingBox plus the clockwise Polygon from the top-left corner, in page
    fractions rounded to 1e-5 (0.01 pt on A4: the stored chunks stay half the size)."""
    left, top = _round5(left), _round5(top)
    width, height = _round5(right) - left, _round5(bottom) - top
    right, bottom = left + width, top + height
    return {
        "BoundingBox": {"Width": width, "Height": height, "Left": left, "Top": top},
        "Polygon": [{"X": left, "Y": top}, {"X": right, "Y": top},
                    {"X": right, "Y": bottom}, {"X": left, "Y": bottom}],
    }


def _id_factory(sha256: str):
    """Block ids as UUID strings derived from the content hash and the page, numbered within the
    page: the same PDF gives the same ids, another PDF others."""
    def new_ids(page: int) -> Iterator[str]:
        base = uuid.uuid5(_ID_NAMESPACE, f"{sha256}/{page}").hex
        prefix = f"{base[:8]}-{base[8:12]}-{base[12:16]}-{base[16:20]}-"
        n = 0
        while True:
            yield f"{prefix}{n:012x}"
            n += 1
    return new_ids
