"""`clausewatch extract FILE.pdf|FILE.txt [--json] [--date-order US|DMY]`.

Prints each term with its value, the arithmetic behind computed dates and the quoted clause
with its page; or the full extraction as JSON with --json. A text file is one page per form
feed (\\f); a PDF is read from its text layer.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from . import ExtractOptions, extract_contract
from .contract_language import NOT_A_CONTRACT
from .model import ContractExtraction, Evidence


def read_pages(path: Path) -> list[str]:
    """The page texts of a PDF (text layer) or of a text file (pages split at form feeds).

    Raises ``clausewatch.text.validate.InvalidDocument`` for an unreadable PDF.
    """
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf" or data[:5] == b"%PDF-":
        from clausewatch.text.local import document_from_pdf

        return document_from_pdf(data).page_texts
    return data.decode("utf-8", errors="replace").split("\f")


def _quote(text: str, width: int = 96) -> str:
    flat = " ".join(text.split())
    if len(flat) > 400:
        flat = flat[:397] + "..."
    return textwrap.indent(textwrap.fill(f'"{flat}"', width), "      ")


def _page(evidence: Evidence | None) -> str:
    return "?" if evidence is None else str(evidence.page)


def _text(evidence: Evidence | None) -> str:
    return "" if evidence is None else evidence.text


def summary(result: ContractExtraction) -> str:
    """The human-readable report: one block per term, party and obligation."""
    # a document flagged as not reading as a contract is not headed "contract" (the flag says why below)
    kind = "does not read as a contract" if any(f.get("kind") == NOT_A_CONTRACT for f in result.attention) \
        else result.document_type
    lines = [f"{result.source or '(text)'}: {result.pages} page(s), {kind}"]
    if result.amendment is not None:
        a = result.amendment
        lines.append(f"  amendment no. {a.number} to {a.amends or '?'}"
                     f" (original dated {a.original_date or '?'}), page {_page(a.evidence)}")
    for flag in result.attention:  # for a person's review: a date left out, no contract at all
        lines.append(f"  needs review: {flag.get('message')}")
    lines.append("")
    lines.append("Terms")
    for name, term in result.terms.items():
        if term is None:
            lines.append(f"  {name}: -")
            continue
        value = json.dumps(term.value) if not isinstance(term.value, str) else term.value
        lines.append(f"  {name}: {value}")
        if term.derivation:
            lines.append(f"      = {term.derivation}")
        lines.append(f"      page {_page(term.evidence)}:")
        lines.append(_quote(_text(term.evidence)))
    lines.append("")
    lines.append("Parties")
    for p in result.parties or []:
        lines.append(f"  {p.name} ({p.role or 'no role'}), page {_page(p.evidence)}")
    if not result.parties:
        lines.append("  -")
    lines.append("")
    lines.append("Obligations")
    for o in result.obligations:
        when = o.due_date or f"{o.recurrence} {o.offset or ''}".strip()
        lines.append(f"  [{o.id}] {o.kind} by {o.party or '?'}: {when}")
        if o.derivation and o.derivation != "stated in the clause":
            lines.append(f"      = {o.derivation}")
        lines.append(f"      page {_page(o.evidence)}:")
        lines.append(_quote(_text(o.evidence)))
    if not result.obligations:
        lines.append("  -")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="clausewatch extract",
                                     description="extract terms and obligations from a PDF or text file")
    parser.add_argument("file", type=Path, help="a PDF (text layer) or a .txt file (pages split at \\f)")
    parser.add_argument("--json", action="store_true", help="print the extraction as JSON")
    parser.add_argument("--date-order", choices=("US", "DMY"), default="US",
                        help="how to read 03/01/2025 (default US: March 1)")
    args = parser.parse_args(argv)
    from clausewatch.text.validate import InvalidDocument

    if not args.file.is_file():
        print(f"no such file: {args.file}", file=sys.stderr)
        return 2
    try:
        pages = read_pages(args.file)
    except InvalidDocument as exc:
        print(f"cannot read {args.file}: {exc.reason}", file=sys.stderr)
        return 2
    result = extract_contract(pages, source=args.file.name, options=ExtractOptions(date_order=args.date_order))
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(summary(result))
    return 0
