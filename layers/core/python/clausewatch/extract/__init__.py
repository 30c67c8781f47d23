"""Term and obligation extraction with evidence: page texts in, typed result out (no AWS).

    from clausewatch.extract import extract_contract, ExtractOptions
    result = extract_contract(pages, source="msa.pdf")
    result.to_dict()["terms"]["notice_deadline"]
    # {"value": "2027-12-31", "derivation": "expiration_date 2028-02-29 - P60D", "evidence": {...}}

Every value quotes the clause it came from (page, offsets, text); every computed date carries
the arithmetic behind it. When wording is ambiguous the term is left out (null): a wrong date is
worse than a missing one.
"""

from __future__ import annotations

from .amendments import read_amendment
from .document import Document
from .model import (Amendment, ContractExtraction, Evidence, ExtractOptions, Obligation, Party, Term,
                    TERM_NAMES)
from .obligations import read_obligations
from .parties import read_parties
from . import terms as _terms

__all__ = ["extract_contract", "ExtractOptions", "ContractExtraction", "Evidence", "Term", "Party",
           "Obligation", "Amendment", "TERM_NAMES"]


def extract_contract(pages: list[str], *, source: str | None = None,
                     options: ExtractOptions | None = None) -> ContractExtraction:
    """Extract the key terms, parties and scheduled obligations of one document.

    ``pages`` are the page texts in order; evidence offsets index them
    (``pages[e.page - 1][e.start:e.end] == e.text``). Pure: same input, same output.
    """
    options = options or ExtractOptions()
    doc = Document(pages)
    result = ContractExtraction(source=source, pages=len(pages))
    amendment, excluded = read_amendment(doc)
    if amendment is not None:
        result.document_type = "amendment"
        result.amendment = amendment
        if amendment.original_date:
            # every mention of the amended agreement's date is that agreement's, not this one's
            from .datetext import find_dates
            excluded = tuple(excluded) + tuple(
                (f.start, f.end) for f in find_dates(doc.text, date_order=options.date_order)
                if f.value.isoformat() == amendment.original_date)
    ctx = _terms.Context(doc=doc, options=options, terms=result.terms, excluded_dates=excluded)
    _terms.read_agreement_date(ctx)
    _terms.read_effective_date(ctx)
    _terms.agreement_date_from_effective(ctx)
    _terms.read_governing_law(ctx)
    _terms.read_term(ctx)
    _terms.read_renewal(ctx)
    _terms.compute_notice_deadline(ctx)
    _terms.read_termination_for_convenience(ctx)
    _terms.read_payment_terms(ctx)
    _terms.read_price_increase_cap(ctx)
    _terms.read_minimum_commitment(ctx)
    _terms.read_sla(ctx)
    _terms.read_survival(ctx)
    start, end = _terms.preamble_span(doc)
    result.parties = read_parties(doc, start, end)
    result.obligations = read_obligations(doc, result.parties, result.terms, options)
    return result
