"""The text of a document, page by page: lines in reading order with their character offsets
into each page's text and, when the engine gives geometry, their boxes and their words' boxes.

Boxes are page fractions with a top-left origin (Textract's BoundingBox), so a viewer maps an
evidence span (page, start, end) to rectangles on the page with `evidence_boxes`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

_DIGITS = 5  # stored boxes are rounded to 1e-5 of the page (about 0.01 pt on A4)
_WORD_FORMAT = f"%d %d %.{_DIGITS}f %.{_DIGITS}f %.{_DIGITS}f %.{_DIGITS}f"


class Box(NamedTuple):
    """A rectangle in page fractions, top-left origin (Textract's BoundingBox)."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def centre_x(self) -> float:
        return self.left + self.width / 2

    @property
    def centre_y(self) -> float:
        return self.top + self.height / 2

    @classmethod
    def around(cls, boxes: Iterable[Box]) -> Box:
        """The smallest box containing all of `boxes` (at least one)."""
        boxes = list(boxes)
        left, top = min(b.left for b in boxes), min(b.top for b in boxes)
        return cls(left, top, max(b.right for b in boxes) - left, max(b.bottom for b in boxes) - top)

    def to_list(self) -> list[float]:
        return [round(self.left, _DIGITS), round(self.top, _DIGITS),
                round(self.width, _DIGITS), round(self.height, _DIGITS)]


class Word(NamedTuple):
    """A word's place: page-text offsets (``page.text[start:end]`` is the word) and its box."""

    start: int
    end: int
    box: Box


@dataclass(frozen=True)
class Line:
    text: str
    start: int  # character offset of the line in its page's text
    end: int
    confidence: float = 100.0
    box: Box | None = None  # None when the engine gave no geometry
    words: tuple[Word, ...] = ()

    def to_dict(self) -> dict:
        out: dict = {"text": self.text, "start": self.start, "end": self.end, "confidence": self.confidence}
        if self.box is not None:
            out["box"] = self.box.to_list()
            # one string per line, "start end left top width height" per word: a few tokens for the
            # JSON encoder instead of six per word (the stored text of 60 pages: 0.1 s, not 3 s);
            # "%.5f" reads back as round(x, 5), what to_list stores, at a third of its cost
            out["words"] = " ".join([_WORD_FORMAT % (w.start, w.end, *w.box) for w in self.words])
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Line:
        box = data.get("box")
        words = data.get("words") or ()
        if isinstance(words, str):
            values = words.split()
            words = [(int(values[i]), int(values[i + 1]), *map(float, values[i + 2:i + 6]))
                     for i in range(0, len(values), 6)]
        words = tuple(Word(w[0], w[1], Box(*w[2:6])) for w in words)
        return cls(text=data["text"], start=data["start"], end=data["end"],
                   confidence=data.get("confidence", 100.0),
                   box=None if box is None else Box(*box), words=words)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    text: str  # the lines joined by "\n"
    lines: list[Line] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"number": self.number, "text": self.text, "lines": [ln.to_dict() for ln in self.lines]}

    @classmethod
    def from_dict(cls, data: dict) -> Page:
        return cls(number=data["number"], text=data["text"],
                   lines=[Line.from_dict(ln) for ln in data.get("lines", [])])


class LineInput(NamedTuple):
    """A line as an engine reports it, before offsets: its words are (text, box) pairs."""

    text: str
    confidence: float = 100.0
    box: Box | None = None
    words: tuple[tuple[str, Box], ...] = ()


def page_from_lines(number: int, lines: Iterable[LineInput]) -> Page:
    """A page whose text is the lines joined by "\\n", with every line's and word's offsets.

    A word is located in its line's text from left to right; a word whose text the line does not
    contain (an engine whose line and word texts disagree) keeps no offsets and is left out.
    """
    out: list[Line] = []
    offset = 0
    new_word = tuple.__new__  # Word's fields as they are, without its Python-level __new__
    for line in lines:
        words = []
        cursor = 0
        line_text = line.text
        find = line_text.find
        for text, box in line.words:
            at = find(text, cursor)
            if at < 0 or not text:
                continue
            cursor = at + len(text)
            words.append(new_word(Word, (offset + at, offset + cursor, box)))
        out.append(Line(line_text, offset, offset + len(line_text), line.confidence, line.box, tuple(words)))
        offset += len(line_text) + 1
    return Page(number=number, text="\n".join([ln.text for ln in out]), lines=out)


@dataclass(frozen=True)
class DocumentText:
    pages: list[Page]
    engine: str = "local"  # "textract" or "local"

    @property
    def page_texts(self) -> list[str]:
        return [p.text for p in self.pages]

    def to_dict(self) -> dict:
        return {"engine": self.engine, "page_count": len(self.pages),
                "pages": [p.to_dict() for p in self.pages]}

    @classmethod
    def from_dict(cls, data: dict) -> DocumentText:
        return cls(pages=[Page.from_dict(p) for p in data["pages"]], engine=data.get("engine", "local"))

    @classmethod
    def from_lines(cls, pages_of_lines: list[list[tuple[str, float]]], engine: str) -> DocumentText:
        """Build pages 1..n from (line text, confidence) lists, computing offsets (no geometry)."""
        return cls(pages=[page_from_lines(n, (LineInput(text, confidence) for text, confidence in lines))
                          for n, lines in enumerate(pages_of_lines, start=1)], engine=engine)


def evidence_boxes(document: DocumentText, page: int, start: int, end: int) -> list[Box]:
    """Rectangles covering the page-text span [start, end) of page `page`, one per line it touches.

    `page` is 1-based and counts pages as evidence does (``document.page_texts[page - 1]``). Each
    rectangle surrounds the words of that line that overlap the span (the whole line's box when
    the engine gave no word boxes); lines without geometry, and an empty or out-of-range span,
    give none. Rectangles come in reading order.
    """
    if not 1 <= page <= len(document.pages) or end <= start:
        return []
    boxes = []
    for line in document.pages[page - 1].lines:
        if line.end <= start or line.start >= end or line.box is None:
            continue
        words = [w.box for w in line.words if w.start < end and w.end > start]
        if words:
            boxes.append(Box.around(words))
        elif not line.words:
            boxes.append(line.box)
    return boxes
