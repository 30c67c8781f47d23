"""The non-renewal notice letter (pure: values in, PDF bytes out), with fpdf2.

What it says comes from the contract: the parties as named, the agreement's title and date, the
clause that gives the right not to renew (quoted, with its section when the text numbers it), the
notice period a person entered or confirmed (by whom, when) in place of a clause that states
another, the notice address and method when the contract states them, and the effective end date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..plan import format_day

_SECTION = re.compile(r"(?m)^\s*((?:\d+\.)*\d+)\.?\s+\S")
_NOTICES = re.compile(r"[^.]*\bnotices?\b[^.]*\b(?:shall|must|may)\s+(?:only\s+)?be\s+(?:in\s+writing|given|"
                      r"sent|delivered)[^.]*\.(?:[^.]*\b(?:by\s+email|effective|address)[^.]*\.)*", re.IGNORECASE)

_NUMBER_TAIL = re.compile(r"^\d+(?:\.\d+)*\.?\s+(?=[A-Z])")


@dataclass(frozen=True)
class Clause:
    text: str
    page: int | None
    section: str | None
    document: str | None = None  # the amendment the clause is from (None: the agreement itself)


@dataclass(frozen=True)
class NoticeLetter:
    sender: str  # the party giving notice (the team's company, as named in the contract)
    recipient: str  # the counterparty, as named
    title: str
    agreement_date: str | None
    right: Clause | None
    notice_terms: Clause | None  # address and method, when the contract states them
    term_end: date
    notice_deadline: date | None
    dated: date
    # the signing person's name when one is known; else a blank line for whoever signs (never an
    # email address or how the decision was made: that provenance is the audit trail's)
    signatory: str | None
    # the notice period in force when a person entered or confirmed it (who, when): the letter says
    # it, and quotes a clause only where the clause states that period or none
    notice_period: str | None = None

    def lines(self) -> list[str]:
        """The letter's text, paragraph by paragraph (also what the tests read back)."""
        agreement = f"the {self.title}" + (f" dated {_day(self.agreement_date)}" if self.agreement_date else "")
        out = [format_day(self.dated), "", f"To: {self.recipient}", f"From: {self.sender}", "",
               f"Re: Notice of non-renewal of {agreement}", "",
               f"{self.sender} hereby gives {self.recipient} written notice that it will not renew "
               f"{agreement} between {self.sender} and {_sentence_end(self.recipient)} The Agreement will end, and "
               f"will not renew, at the end of its current term on {format_day(self.term_end)}."]
        if self.right is not None:
            where = f"Section {self.right.section}" if self.right.section else "the Agreement"
            if self.right.document:  # an amendment wrote the clause: its section, its page
                where = f"Section {self.right.section} of {self.right.document}" if self.right.section \
                    else self.right.document
            page = f" (page {self.right.page})" if self.right.page else ""
            out += ["", f"This notice is given under {where}{page}, which provides:", f'"{self.right.text}"']
        if self.notice_period is not None:
            out += ["", self.notice_period]
        if self.notice_deadline is not None:
            out += ["", f"Notice must be given no later than {format_day(self.notice_deadline)}; "
                        f"this notice is dated {format_day(self.dated)}."]
        if self.notice_terms is not None:
            where = f"Section {self.notice_terms.section}" if self.notice_terms.section else "the Agreement"
            out += ["", f"It is delivered as {where} requires:", f'"{self.notice_terms.text}"']
        signed = [self.signatory] if self.signatory else ["", "_" * 32, "Name:", "Title:"]
        out += ["", "Yours faithfully,", "", *signed, f"for {self.sender}"]
        return out


def _sentence_end(name: str) -> str:
    """A party's name ending a sentence: its own full stop ("Northwind Analytics, Inc.") ends it,
    never followed by a second one."""
    return name if name.rstrip().endswith(".") else f"{name}."


def _day(value: str) -> str:
    try:
        return format_day(date.fromisoformat(value))
    except ValueError:
        return value


def section_before(page_text: str, offset: int) -> str | None:
    """The number of the clause an offset of the page falls in ("3.2"), if the text numbers them."""
    found = None
    for match in _SECTION.finditer(page_text, 0, max(0, offset) + 1):
        if match.start(1) <= offset:
            found = match.group(1)
    return found


def notice_terms(pages: list[str]) -> Clause | None:
    """The contract's notices clause (how and where notice is given), when it has one."""
    for number, text in enumerate(pages, start=1):
        match = _NOTICES.search(text)
        if match:
            # the match begins after the last full stop: "12.2 Notices ..." would be quoted as
            # "2 Notices ...": the rest of the clause's number is not part of the quote (only a
            # rest of a number: "30 Days written notice" after a sentence keeps its 30)
            quote = " ".join(match.group(0).split()).lstrip("*: ")
            if re.search(r"\d\.\s*$", text[:match.start()]):
                quote = _NUMBER_TAIL.sub("", quote)
            return Clause(quote, number, section_before(text, match.start()))
    return None


def render_pdf(letter: NoticeLetter) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(f"Notice of non-renewal: {letter.title}")
    pdf.set_author(letter.sender)
    pdf.add_page()
    pdf.set_margins(20, 20, 20)
    pdf.set_font("Helvetica", size=11)
    for line in letter.lines():
        text = line.encode("latin-1", "replace").decode("latin-1")  # the core fonts are Latin-1
        if line.startswith("Re: "):
            pdf.set_font("Helvetica", style="B", size=11)
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=11)
        else:
            pdf.multi_cell(0, 6, text or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
