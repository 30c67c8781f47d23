"""Amazon Textract text detection results -> DocumentText (pages, lines in reading order).

Both engines end here: the deployed path feeds real GetDocumentTextDetection pages, the local
path (`text.local`) feeds the same shape built from a PDF's text layer.
"""

from __future__ import annotations

import gc
from bisect import insort
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import trp

from clausewatch import config
from clausewatch.text.model import Box, DocumentText, LineInput, Page, page_from_lines

FINISHED_STATUSES = ("SUCCEEDED", "PARTIAL_SUCCESS")

# Reading order tuning, in fractions of the page width.
MIN_GUTTER = 0.025  # narrower gaps between lines on one row are word spacing, not a gutter
MIN_COLUMN_SHARE = 0.25  # narrower "columns" (labels, header parts) are read row by row
SECTION_GAP_LINES = 2.0  # a blank band this many line heights tall ends a multi-column section


class TextractJobFailed(Exception):
    """A Textract job that did not produce usable results (status FAILED, IN_PROGRESS, ...)."""

    def __init__(self, status: str, message: str, *, transient: bool = False) -> None:
        super().__init__(f"Textract job {status}: {message}")
        self.status = status
        self.message = message
        self.transient = transient  # a new job for the same document may succeed: a retry is offered


def check_job(response: dict) -> None:
    """Return if the job finished (SUCCEEDED or PARTIAL_SUCCESS), else raise TextractJobFailed.

    FAILED carries Textract's StatusMessage; IN_PROGRESS means the caller asked too early.
    """
    status = response.get("JobStatus") or "UNKNOWN"
    if status in FINISHED_STATUSES:
        return
    message = response.get("StatusMessage") or {
        "IN_PROGRESS": "the job has not finished yet",
        "UNKNOWN": "the response has no JobStatus",
    }.get(status, "no status message")
    raise TextractJobFailed(status, message)


def iter_result_pages(client: Any, job_id: str, page_size: int = config.TEXTRACT_PAGE_SIZE) -> Iterator[dict]:
    """Every GetDocumentTextDetection result page of a finished job, one at a time (NextToken).

    Raises TextractJobFailed (from the first response) when the job has not succeeded.
    """
    seen_tokens: set[str] = set()
    token: str | None = None
    first = True
    while True:
        params: dict[str, Any] = {"JobId": job_id, "MaxResults": page_size}
        if token:
            params["NextToken"] = token
        response = client.get_document_text_detection(**params)
        if first:
            check_job(response)
            first = False
        yield response
        token = response.get("NextToken")
        if not token:
            return
        if token in seen_tokens:  # a repeated token would loop forever
            raise RuntimeError(f"Textract returned NextToken {token!r} twice for job {job_id}")
        seen_tokens.add(token)


def fetch_all_pages(client: Any, job_id: str, page_size: int = config.TEXTRACT_PAGE_SIZE) -> list[dict]:
    """Every GetDocumentTextDetection result page of a finished job, following NextToken.

    Raises TextractJobFailed (from the first response) when the job has not succeeded.
    """
    return list(iter_result_pages(client, job_id, page_size))


def read_text_job(client: Any, job_id: str, engine: str = "textract",
                  page_size: int = config.TEXTRACT_PAGE_SIZE) -> DocumentText:
    """The text of a finished job, parsed while its result pages are read.

    Each result page is parsed and dropped before the next is fetched, so memory holds one result
    page plus the text, never the whole response. Should a page's blocks ever arrive after a later
    page's (Textract returns them in page order), the job is read again, whole, and sorted.
    Raises TextractJobFailed when the job has not succeeded.
    """
    with gc_paused():
        try:
            return _parse_in_page_order(iter_result_pages(client, job_id, page_size), engine)
        except _OutOfPageOrder:
            return document_from_textract(fetch_all_pages(client, job_id, page_size), engine)


def split_into_pages(response: dict, blocks_per_page: int) -> list[dict]:
    """Split one full response into NextToken-linked result pages of at most blocks_per_page blocks.

    Each page keeps the response's other top-level fields (JobStatus, DocumentMetadata, ...),
    except ResponseMetadata, which belongs to one HTTP call.
    """
    if blocks_per_page < 1:
        raise ValueError("blocks_per_page must be at least 1")
    header = {k: v for k, v in response.items() if k not in ("Blocks", "NextToken", "ResponseMetadata")}
    blocks = response.get("Blocks", [])
    chunks = [blocks[i:i + blocks_per_page] for i in range(0, len(blocks), blocks_per_page)] or [[]]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        page = {**header, "Blocks": chunk}
        if number < len(chunks):
            page["NextToken"] = f"clausewatch-page-{number + 1:05d}"
        pages.append(page)
    return pages


def document_from_textract(responses: Iterable[dict] | dict, engine: str = "textract") -> DocumentText:
    """Parse GetDocumentTextDetection result pages (in NextToken order) into a DocumentText.

    Page numbers are Textract's (the PAGE blocks' `Page`), lines are in reading order (see
    `reading_order`), `Page.text` is the lines joined by "\\n" and each Line's offsets point into it;
    lines and words keep their boxes. Responses that carry a JobStatus must be finished jobs (else
    TextractJobFailed).
    """
    if isinstance(responses, dict):
        responses = [responses]
    responses = list(responses)
    try:
        return _parse_in_page_order(responses, engine)
    except _OutOfPageOrder:  # blocks of a page after a later page's: sort them first
        for response in responses:
            if "JobStatus" in response:
                check_job(response)
        blocks = _blocks_in_page_order(responses)
        return _parse_in_page_order([{"Blocks": blocks}], engine)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around allocation-heavy, cycle-free work (blocks and
    trp objects: tens of thousands per document), where its passes cost a third of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _OutOfPageOrder(ValueError):
    """A block of a page arrived after a later page's blocks had been parsed."""

    def __init__(self, page: int) -> None:
        super().__init__(f"Textract response has blocks of page {page} after a later page's")


def _parse_in_page_order(responses: Iterable[dict], engine: str) -> DocumentText:
    """Parse each page's blocks (with trp) as soon as a later page's blocks start.

    A block names its page (`Page`) or, without one, belongs to the last PAGE block before it.
    """
    pages: list[Page] = []
    pending: dict[int, list[dict]] = {}  # page number -> its blocks, not parsed yet
    current: int | None = None  # the page of the last PAGE block
    for response in responses:
        if "JobStatus" in response:
            check_job(response)
        for block in response.get("Blocks", []):
            if "BlockType" not in block or "Id" not in block:
                continue
            if block["BlockType"] == "PAGE":
                number = int(block.get("Page", (current or 0) + 1))
                current = number
            elif "Page" in block:
                number = int(block["Page"])
            elif current is not None:
                number = current
            else:
                raise ValueError("Textract response has blocks before its first PAGE block")
            if number not in pending:
                if pages and number <= pages[-1].number:
                    raise _OutOfPageOrder(number)
                for earlier in sorted(n for n in pending if n < number):
                    pages.append(_parse_page(earlier, pending.pop(earlier)))
                pending[number] = []
            pending[number].append(block)
    for number in sorted(pending):
        pages.append(_parse_page(number, pending.pop(number)))
    return DocumentText(pages=pages, engine=engine)


def _parse_page(number: int, blocks: list[dict]) -> Page:
    """One page's blocks -> a Page (trp parses them; lines are put in reading order)."""
    page_blocks = [b for b in blocks if b["BlockType"] == "PAGE"]
    if not page_blocks:
        raise ValueError(f"Textract response has blocks of page {number} but no PAGE block for it")
    if blocks[0] is not page_blocks[0]:  # trp reads a page from its PAGE block on
        blocks = [page_blocks[0], *(b for b in blocks if b is not page_blocks[0])]
    with gc_paused():
        (page,) = trp.Document([{"Blocks": blocks}]).pages
        lines = [LineInput(line.text, float(line.confidence), _box(line.block),
                           tuple((word.text, _box(word.block)) for word in line.words))
                 for line in page.lines]
        return page_from_engine_lines(number, lines)


def page_from_engine_lines(number: int, lines: Sequence[LineInput]) -> Page:
    """A page's lines, as an engine reports them (every line with its box and its words' boxes),
    -> a Page in reading order. Both engines end here: Textract's blocks once trp has parsed
    them (`_parse_page`), the local engine's lines as it builds them from PDFium's characters
    (`text.local`), each line exactly what trp gives for the LINE block the local engine would
    write (`text.local.iter_page_blocks`)."""
    return page_from_lines(number, (lines[i] for i in reading_order([cast(Box, ln.box) for ln in lines])))


def _blocks_in_page_order(responses: list[dict]) -> list[dict]:
    """All blocks, each page's PAGE block first (trp splits pages at PAGE blocks)."""
    blocks = [b for r in responses for b in r.get("Blocks", []) if "BlockType" in b and "Id" in b]
    if blocks and all("Page" in b for b in blocks):
        blocks.sort(key=lambda b: (b["Page"], b["BlockType"] != "PAGE"))  # stable: keeps the rest
    return blocks


def _box(block: dict) -> Box:
    """The block's BoundingBox (trp checked the block's Geometry when it parsed it)."""
    box = block["Geometry"]["BoundingBox"]
    return Box(box["Left"], box["Top"], box["Width"], box["Height"])


# --- reading order ------------------------------------------------------------------------------


def reading_order(
    boxes: Sequence[Box], min_gutter: float = MIN_GUTTER, min_column_share: float = MIN_COLUMN_SHARE
) -> list[int]:
    """Indices of `boxes` (one per line of a page) in reading order.

    Lines are grouped into rows (same height on the page) and rows into sections. A section is
    multi-column when an empty vertical gutter runs through all its rows. It is read column by
    column, top to bottom, when every column is at least `min_column_share` of the page's text
    width and flows like running text (`_flows_like_text`); otherwise (forms, tables, header
    parts) row by row, left to right, so a label stays next to its value. A row whose text
    crosses the gutter (a full-width heading or paragraph), or a blank band taller than
    SECTION_GAP_LINES line heights, ends a multi-column section.
    trp's own getLinesInReadingOrder is not used: a full-width header puts every later line into
    its column, so two-column text interleaves.
    """
    if not boxes:
        return []
    rows = _rows(boxes)
    text_left = min(b.left for b in boxes)
    text_width = max(b.right for b in boxes) - text_left

    order: list[int] = []
    for section in _sections(rows, boxes, min_gutter):
        lines = [i for row in section for i in row]
        gutters = _gutters([boxes[i] for i in lines], min_gutter)
        columns = _column_bounds(gutters, [boxes[i] for i in lines])
        members = [[i for i in lines if left <= boxes[i].centre_x <= right] for left, right in columns]
        text_columns = len(columns) > 1 and all(
            right - left >= min_column_share * text_width
            and _flows_like_text(column, section, boxes, right - left)
            for (left, right), column in zip(columns, members)
        )
        if text_columns:
            for column in members:
                order.extend(column)
        else:
            order.extend(lines)  # rows top to bottom, each left to right
    return order


def _flows_like_text(column: list[int], rows: list[list[int]], boxes: Sequence[Box], width: float) -> bool:
    """True for a column of running text rather than a form or table column.

    Running text fills the column (typical line at least 60% of its width) and has one line per
    row; label/value pairs ("Phone:" "555-0100") leave rows with two lines and short lines.
    """
    if not column:
        return False
    widths = sorted(boxes[i].width for i in column)
    typical_width = widths[len(widths) // 2]
    members = set(column)
    counts = [n for n in (sum(1 for i in row if i in members) for row in rows) if n]
    shared_rows = sum(1 for n in counts if n > 1)
    return typical_width >= 0.6 * width and shared_rows <= 0.2 * len(counts)


def _rows(boxes: Sequence[Box]) -> list[list[int]]:
    """Lines on one row: each line whose vertical centre lies within the row's first line."""
    rows: list[list[int]] = []
    anchor: Box | None = None
    for i in sorted(range(len(boxes)), key=lambda i: (boxes[i].top, boxes[i].left)):
        if anchor is not None and boxes[i].centre_y <= anchor.top + anchor.height:
            rows[-1].append(i)
        else:
            rows.append([i])
            anchor = boxes[i]
    return [sorted(row, key=lambda i: boxes[i].left) for row in rows]


def _sections(rows: list[list[int]], boxes: Sequence[Box], min_gutter: float) -> list[list[list[int]]]:
    """Consecutive rows that share a column structure (all single-column, or a common gutter)."""
    sections: list[list[list[int]]] = []
    coverage = _Coverage(min_gutter)  # the section's text, as columns between gutters
    heights: list[float] = []  # the section's line heights, sorted
    bottom = 0.0  # the section's lowest line bottom
    for row in rows:
        row_boxes = [boxes[i] for i in row]
        if sections:
            section_has_columns = coverage.has_gutter()
            with_row = coverage.copy()
            with_row.add_all(row_boxes)
            still_has_columns = with_row.has_gutter()
            columns_start = not section_has_columns and bool(_gutters(row_boxes, min_gutter))
            # a blank band across all columns (more than a paragraph break) also ends them
            gap = min(b.top for b in row_boxes) - bottom
            columns_end = section_has_columns and (
                not still_has_columns or gap > SECTION_GAP_LINES * heights[len(heights) // 2]
            )
            if columns_end or columns_start:
                sections.append([])
                coverage, heights, bottom = _Coverage(min_gutter), [], 0.0
            else:
                coverage = with_row
        else:
            sections.append([])
        if not sections[-1]:
            coverage.add_all(row_boxes)
        sections[-1].append(row)
        for box in row_boxes:
            insort(heights, box.height)
            bottom = max(bottom, box.top + box.height)
    return sections


class _Coverage:
    """The x-extent of a set of boxes as clusters separated by gaps of at least min_gutter
    (the gutters `_gutters` would find), kept up to date as boxes are added."""

    def __init__(self, min_gutter: float, clusters: list[list[float]] | None = None) -> None:
        self.min_gutter = min_gutter
        self.clusters = clusters or []  # [left, right], sorted, gaps >= min_gutter

    def copy(self) -> _Coverage:
        return _Coverage(self.min_gutter, [c[:] for c in self.clusters])

    def has_gutter(self) -> bool:
        return len(self.clusters) > 1

    def add_all(self, boxes: Sequence[Box]) -> None:
        for box in boxes:
            self.add(box.left, box.left + box.width)

    def add(self, left: float, right: float) -> None:
        keep = []
        for cluster in self.clusters:
            if left - cluster[1] < self.min_gutter and cluster[0] - right < self.min_gutter:
                left, right = min(left, cluster[0]), max(right, cluster[1])
            else:
                keep.append(cluster)
        # a merged cluster may now reach a neighbour it did not before
        merged = [c for c in keep if left - c[1] < self.min_gutter and c[0] - right < self.min_gutter]
        if merged:
            self.clusters = keep
            for c in merged:
                self.clusters.remove(c)
                left, right = min(left, c[0]), max(right, c[1])
            self.add(left, right)
            return
        insort(keep, [left, right])
        self.clusters = keep


def _gutters(boxes: Sequence[Box], min_gutter: float) -> list[tuple[float, float]]:
    """Empty x-intervals at least min_gutter wide between the boxes' horizontal extents."""
    gutters: list[tuple[float, float]] = []
    covered_right: float | None = None
    for box in sorted(boxes, key=lambda b: b.left):
        if covered_right is not None and box.left - covered_right >= min_gutter:
            gutters.append((covered_right, box.left))
        covered_right = box.right if covered_right is None else max(covered_right, box.right)
    return gutters


def _column_bounds(gutters: list[tuple[float, float]], boxes: Sequence[Box]) -> list[tuple[float, float]]:
    """The x-extent of each column between gutters."""
    edges = [min(b.left for b in boxes)]
    for start, end in gutters:
        edges.extend([start, end])
    edges.append(max(b.right for b in boxes))
    return list(zip(edges[::2], edges[1::2]))
