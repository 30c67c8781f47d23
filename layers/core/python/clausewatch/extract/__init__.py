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

from .agreement_date import agreement_date_from_effective, read_agreement_date
from .amendments import own_date_at, own_effective_dates, read_amendment
from .conditional import read_conditional_terms
from .context import Context, Reader
from .contract_language import not_a_contract_flag
from .credits import read_credit_tiers
from .document import Document
from .effective_date import read_effective_date
from .fees import read_fees
from .governing_law import read_governing_law
from .model import TERM_NAMES, Amendment, ContractExtraction, Evidence, ExtractOptions, Obligation, Party, Term
from .money import read_minimum_commitment, read_payment_terms, read_price_increase_cap
from .notice_fit import review_notice_fit
from .obligations import read_obligations
from .parties import read_parties
from .preamble import preamble_span
from .renewal import compute_notice_deadline, read_renewal
from .review import review_effective_date
from .sla import read_sla
from .term import read_term
from .termination import read_survival, read_termination_for_convenience

__all__ = ["extract_contract", "ExtractOptions", "ContractExtraction", "Evidence", "Term", "Party",
           "Obligation", "Amendment", "TERM_NAMES"]

# The term readers, in the order they run. A reader sees the terms the readers before it set
# (ctx.terms), so where one reads another's term, the comment says which and why.
READERS: tuple[Reader, ...] = (
    read_agreement_date,
    # reads the agreement date: an Effective Date defined as "the date first written above", or as
    # the signing when the signatures are not dated, is that date
    read_effective_date,
    # reads the effective date: an impossible or twice-named Effective Date is left out and flagged
    # for review, before anything counts from it
    review_effective_date,
    # reads both: a document that states no date of its own is dated by its Effective Date. Before
    # read_term, which may set the effective date from the start a term clause states: the start of
    # the term does not date the document
    agreement_date_from_effective,
    read_governing_law,
    # reads the effective and agreement dates: what the term counts from
    read_term,
    # reads the expiration date (read_term): only a term read with no end may run from an event
    # ("five years from the Launch Date"), recorded as a conditional term naming it
    read_conditional_terms,
    # reads the initial term: a renewal "for a period equal to the initial term"
    read_renewal,
    # reads the expiration date and notice period (read_term, read_renewal) and the governing law,
    # whose holidays move a deadline that falls on one
    compute_notice_deadline,
    # the rest read the text alone
    read_termination_for_convenience,
    read_payment_terms,
    read_price_increase_cap,
    read_minimum_commitment,
    read_sla,
    # reads the SLA target: the level below which the credit tiers apply
    read_credit_tiers,
    read_fees,
    read_survival,
)


def extract_contract(pages: list[str], *, source: str | None = None,
                     options: ExtractOptions | None = None) -> ContractExtraction:
    """Extract the key terms, parties and scheduled obligations of one document.

    ``pages`` are the page texts in order; evidence offsets index them
    (``pages[e.page - 1][e.start:e.end] == e.text``). Pure: same input, same output.
    """
    options = options or ExtractOptions()
    doc = Document(pages)
    result = ContractExtraction(source=source, pages=len(pages))
    amendment, excluded = read_amendment(doc, options.date_order)
    if amendment is not None:
        result.document_type = "amendment"
        result.amendment = amendment
        if amendment.original_date:
            # every mention of the amended agreement's date is that agreement's, not this one's, but
            # the one its own sentence states ("This Amendment is entered into as of ..."): the same day
            from .datetext import find_dates
            excluded = tuple(excluded) + tuple(
                (f.start, f.end) for f in find_dates(doc.text, date_order=options.date_order)
                if f.value.isoformat() == amendment.original_date and not own_date_at(doc.text, f.start))
    ctx = Context(doc=doc, options=options, terms=result.terms, excluded_dates=excluded,
                  amendment=amendment is not None)
    for read in READERS:
        read(ctx)
    if options.clause_finder:
        _clause_finder(ctx, result)
    if amendment is not None:  # a change whose clause says it takes effect on a day of its own
        own_effective_dates(doc, result.terms, excluded, options.date_order)
    review_notice_fit(ctx)  # the notice period against the terms read, the finder's fill included
    start, end = preamble_span(doc)
    result.parties = read_parties(doc, start, end)
    result.obligations = read_obligations(doc, result.parties, result.terms, options)
    result.attention = list(ctx.attention)
    # last: it reads what every reader found (a document with none of it may be no contract at all)
    flag = not_a_contract_flag(doc.text, result)
    if flag is not None:
        result.attention.append(flag)
    return result


def _clause_finder(ctx: Context, result: ContractExtraction) -> None:
    """The trained clause finder (extract/finder.py) over the readers' terms: each of the six
    scored terms gets its clause's score as confidence, is dropped below its field's threshold,
    and a field the readers left empty is read from the clause ranked first when that clause
    scores high enough and holds exactly one value."""
    from .finder import fill_from_finder, gate_terms, load_finder

    finder = load_finder()
    if finder is None:
        return
    spans, scores = finder.scores(ctx.doc.text)
    if len(spans) < finder.min_passages:
        return
    result.abstained.update(gate_terms(spans, scores, ctx.doc.page_starts, result.terms, finder))
    filled = fill_from_finder(ctx.doc.text, result.terms,
                              lambda value, span, derivation, confidence: ctx.term(
                                  value, span, derivation=derivation, confidence=confidence),
                              spans, scores, finder, ctx.options.date_order)
    threshold = finder.thresholds.get("expiration_date:fill")
    if result.terms.get("expiration_date") is None and threshold is not None and spans:
        filled += _fill_expiration(ctx, spans, scores["expiration_date"], threshold)
    if "notice_period" in filled or "expiration_date" in filled:
        compute_notice_deadline(ctx)


def _fill_expiration(ctx: Context, spans: list, probs: list[float], threshold: float) -> list[str]:
    """The term reader on the clause the finder ranks first for expiration_date, when the readers
    found no expiration and that clause scores at least ``threshold``."""
    from dataclasses import replace

    from .finder import expiration_from_clause

    best = max(range(len(spans)), key=lambda i: probs[i])
    if probs[best] < threshold:
        return []
    read = expiration_from_clause(ctx, spans[best].start, spans[best].end)
    if read is None:
        return []
    expiration, initial = read
    score = round(probs[best], 3)
    note = f"clause finder: the clause most like an expiration_date clause (score {score}); "
    ctx.terms["expiration_date"] = replace(expiration, derivation=note + (expiration.derivation or ""),
                                           confidence=score)
    if ctx.terms.get("initial_term") is None and initial is not None:
        ctx.terms["initial_term"] = initial
    return ["expiration_date"]
