"""Amazon Textract text detection results -> DocumentText (pages, lines in reading order).

Both engines end here: the deployed path feeds real GetDocumentTextDetection pages, the local
path (`text.local`) feeds the same shape built from a PDF's text layer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Sequence

import trp

from clausewatch import config
from clausewatch.text.model import DocumentText

FINISHED_STATUSES = ("SUCCEEDED", "PARTIAL_SUCCESS")

# Reading order tuning, in fractions of the page width.
MIN_GUTTER = 0.025  # narrower gaps between lines on one row are word spacing, not a gutter
MIN_COLUMN_SHARE = 0.25  # narrower "columns" (labels, header parts) are read row by row
SECTION_GAP_LINES = 2.0  # a blank band this many line heights tall ends a multi-column section


class TextractJobFailed(Exception):
    """A Textract job that did not produce usable results (status FAILED, IN_PROGRESS, ...)."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(f"Textract job {status}: {message}")
        self.status = status
        self.message = message


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


def fetch_all_pages(client: Any, job_id: str, page_size: int = config.TEXTRACT_PAGE_SIZE) -> list[dict]:
    """Every GetDocumentTextDetection result page of a finished job, following NextToken.

    Raises TextractJobFailed (from the first response) when the job has not succeeded.
    """
    responses: list[dict] = []
    seen_tokens: set[str] = set()
    token: str | None = None
    while True:
        params: dict[str, Any] = {"JobId": job_id, "MaxResults": page_size}
        if token:
            params["NextToken"] = token
        response = client.get_document_text_detection(**params)
        if not responses:
            check_job(response)
        responses.append(response)
        token = response.get("NextToken")
        if not token:
            return responses
        if token in seen_tokens:  # a repeated token would loop forever
            raise RuntimeError(f"Textract returned NextToken {token!r} twice for job {job_id}")
        seen_tokens.add(token)


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


def document_from_textract(responses: list[dict], engine: str = "textract") -> DocumentText:
    """Parse GetDocumentTextDetection result pages (in NextToken order) into a DocumentText.

    Page numbers are Textract's (the PAGE blocks' `Page`), lines are in reading order (see
    `reading_order`), `Page.text` is the lines joined by "\\n" and each Line's offsets point into it.
    Responses that carry a JobStatus must be finished jobs (else TextractJobFailed).
    """
    if isinstance(responses, dict):
        responses = [responses]
    for response in responses:
        if "JobStatus" in response:
            check_job(response)
    blocks = _blocks_in_page_order(responses)
    if not blocks:
        return DocumentText(pages=[], engine=engine)
    if blocks[0].get("BlockType") != "PAGE":
        raise ValueError("Textract response has blocks before its first PAGE block")

    document = trp.Document([{"Blocks": blocks}])
    numbers: list[int] = []
    pages_of_lines: list[list[tuple[str, float]]] = []
    for index, page in enumerate(document.pages, start=1):
        numbers.append(int(page.blocks[0].get("Page", index)))
        boxes = [_box(line.geometry.boundingBox) for line in page.lines]
        pages_of_lines.append(
            [(page.lines[i].text, float(page.lines[i].confidence)) for i in reading_order(boxes)]
        )
    text = DocumentText.from_lines(pages_of_lines, engine=engine)
    # from_lines numbers pages 1..n; a partial result may lack pages, so keep Textract's numbers
    return replace(text, pages=[replace(p, number=n) for p, n in zip(text.pages, numbers)])


def _blocks_in_page_order(responses: list[dict]) -> list[dict]:
    """All blocks, each page's PAGE block first (trp splits pages at PAGE blocks)."""
    blocks = [b for r in responses for b in r.get("Blocks", []) if "BlockType" in b and "Id" in b]
    if blocks and all("Page" in b for b in blocks):
        blocks.sort(key=lambda b: (b["Page"], b["BlockType"] != "PAGE"))  # stable: keeps the rest
    return blocks


def _box(bounding_box: Any) -> Box:
    return Box(bounding_box.left, bounding_box.top, bounding_box.width, bounding_box.height)


# --- reading order ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A line's bounding box in page fractions (Textract's BoundingBox)."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def centre_x(self) -> float:
        return self.left + self.width / 2

    @property
    def centre_y(self) -> float:
        return self.top + self.height / 2


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
    section_boxes: list[Box] = []
    for row in rows:
        row_boxes = [boxes[i] for i in row]
        if sections:
            section_has_columns = bool(_gutters(section_boxes, min_gutter))
            still_has_columns = bool(_gutters(section_boxes + row_boxes, min_gutter))
            columns_start = not section_has_columns and bool(_gutters(row_boxes, min_gutter))
            # a blank band across all columns (more than a paragraph break) also ends them
            heights = sorted(b.height for b in section_boxes)
            gap = min(b.top for b in row_boxes) - max(b.top + b.height for b in section_boxes)
            columns_end = section_has_columns and (
                not still_has_columns or gap > SECTION_GAP_LINES * heights[len(heights) // 2]
            )
            if columns_end or columns_start:
                sections.append([])
                section_boxes = []
        else:
            sections.append([])
        sections[-1].append(row)
        section_boxes.extend(row_boxes)
    return sections


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
