"""The text of a document, page by page, with line offsets into each page's text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Line:
    text: str
    start: int  # character offset of the line in its page's text
    end: int
    confidence: float = 100.0


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    text: str  # the lines joined by "\n"
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentText:
    pages: list[Page]
    engine: str = "local"  # "textract" or "local"

    @property
    def page_texts(self) -> list[str]:
        return [p.text for p in self.pages]

    def to_dict(self) -> dict:
        return {"engine": self.engine, "page_count": len(self.pages),
                "pages": [asdict(p) for p in self.pages]}

    @classmethod
    def from_dict(cls, data: dict) -> "DocumentText":
        pages = [
            Page(number=p["number"], text=p["text"], lines=[Line(**ln) for ln in p.get("lines", [])])
            for p in data["pages"]
        ]
        return cls(pages=pages, engine=data.get("engine", "local"))

    @classmethod
    def from_lines(cls, pages_of_lines: list[list[tuple[str, float]]], engine: str) -> "DocumentText":
        """Build pages from (line text, confidence) lists, computing offsets."""
        pages = []
        for number, lines in enumerate(pages_of_lines, start=1):
            out, offset = [], 0
            for text, confidence in lines:
                out.append(Line(text=text, start=offset, end=offset + len(text), confidence=confidence))
                offset += len(text) + 1
            pages.append(Page(number=number, text="\n".join(t for t, _ in lines), lines=out))
        return cls(pages=pages, engine=engine)
