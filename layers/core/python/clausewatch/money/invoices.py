"""Invoices (UBL 2.1 / Peppol BIS Billing 3.0 XML, CSV or JSON) and what in them departs from the
contract: a price above the agreed rate after the increases the contract allows (compounded per
renewal term), quantities beyond what is included, a total above a not-to-exceed amount, another
currency, a number already invoiced. Each finding carries the amount at stake and its arithmetic."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element

from dateutil.relativedelta import relativedelta

from ..dates import Duration
from ..plan import EarlierValue, in_force_for_term, renewed_term_end, rolled_terms
from .amended_fees import AddedFee, line_added_fees
from .amounts import Money, cents, format_amount, parse_decimal
from .cap_cadence import ANNIVERSARY, TERM, YEAR, CapCadence, cap_cadence
from .taxes import is_tax_line, tax_included, tax_named_after, tax_or_fee

FORMATS = ("ubl", "csv", "json")
_NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
       "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
_INVOICE_ROOT = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
_CREDIT_NOTE_ROOT = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
INVOICE, CREDIT_NOTE = "invoice", "credit_note"  # what a document is (UBL Invoice / CreditNote)
_MAX_RENEWALS = 200


class InvoiceError(ValueError):
    """An invoice file that cannot be read whole; nothing of it is applied."""


@dataclass(frozen=True)
class InvoiceLine:
    line_id: str
    description: str
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal
    unit: str | None = None
    adjustments: Decimal = Decimal(0)  # the line's charges less allowances (UBL InvoiceLine/AllowanceCharge)
    tax: Decimal = Decimal(0)  # the tax stated beside its net amount (UBL InvoiceLine/TaxTotal; CSV/JSON "tax")


@dataclass(frozen=True)
class Invoice:
    number: str
    issue_date: date
    currency: str
    supplier: str | None
    lines: tuple[InvoiceLine, ...]
    total: Decimal  # without tax
    period_start: date | None = None
    period_end: date | None = None
    adjustments: Decimal = Decimal(0)  # document-level charges less allowances (UBL AllowanceCharge)
    tax: Decimal = Decimal(0)  # the tax it states (UBL TaxTotal; CSV/JSON "tax_total"): never compared with a fee
    # a credit note (UBL CreditNote; CSV/JSON "document_type": "credit_note") credits its total: its
    # amounts are written as credited (positive); ``references`` are the invoices it corrects
    # (UBL BillingReference/InvoiceDocumentReference) and ``notes`` its words (UBL Note), where it
    # may name the period it credits
    document: str = INVOICE
    references: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "issue_date": self.issue_date.isoformat(), "currency": self.currency,
                "document": self.document, "references": list(self.references), "notes": list(self.notes),
                "supplier": self.supplier, "total": str(cents(self.total)),
                "period_start": self.period_start and self.period_start.isoformat(),
                "period_end": self.period_end and self.period_end.isoformat(),
                "lines": [{"id": li.line_id, "description": li.description, "quantity": str(li.quantity),
                           "unit": li.unit,
                           "unit_price": None if li.unit_price is None else str(li.unit_price),
                           "amount": str(cents(li.amount))} for li in self.lines]}


@dataclass(frozen=True)
class Finding:
    # price_above_agreed | quantity_beyond_included | above_not_to_exceed | currency | duplicate | arithmetic |
    # not_checked (a line the contract prices but that could not be priced here: why, for a person to check) |
    # after_term_end (billed for a period after a term that does not renew) | other_supplier |
    # billed_before_agreed (a fee an amendment added, billed for a period before it took effect) |
    # price_below_agreed (under-charged: the difference told, nothing at stake)
    kind: str
    invoice_number: str
    summary: str
    derivation: str
    at_stake: Money | None
    line_id: str | None = None
    evidence: dict | None = None
    # every clause the amount rests on, when more than ``evidence`` (a line billing the contract's fee
    # and an added fee together: both fees' clauses)
    clauses: tuple[dict, ...] = ()
    # the lines a verdict on several lines summed is on (``line_id`` None): a fee split over them.
    # Their own findings tell the same money: a total counts it once (``amounts.at_stake_totals``)
    line_ids: tuple[str, ...] = ()

    def counted_on(self) -> str | frozenset[str] | None:
        """What the finding's amount is on, for ``at_stake_totals``: its line, or the lines it sums."""
        return self.line_id if self.line_id is not None or not self.line_ids else frozenset(self.line_ids)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "invoice_number": self.invoice_number, "summary": self.summary,
                "derivation": self.derivation, "line_id": self.line_id, "evidence": self.evidence,
                "at_stake": None if self.at_stake is None else self.at_stake.to_dict(),
                **({"clauses": list(self.clauses)} if self.clauses else {}),
                **({"line_ids": list(self.line_ids)} if self.line_ids else {})}


# --- reading ----------------------------------------------------------------------------------

def format_of(name: str, content: str) -> str:
    lower = name.lower()
    if lower.endswith(".xml"):
        return "ubl"
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(".json"):
        return "json"
    head = content.lstrip()[:1]
    return "ubl" if head == "<" else "json" if head in ("{", "[") else "csv"


def parse_invoice(content: str, fmt: str) -> Invoice:
    if fmt not in FORMATS:
        raise InvoiceError(f"unknown invoice format {fmt!r}: one of {', '.join(FORMATS)}")
    invoice = {"ubl": _ubl, "csv": _csv, "json": _json}[fmt](content)
    if not invoice.lines:
        raise InvoiceError("the invoice has no lines")
    return invoice


def _day(text: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InvoiceError(f"{what}: {text!r} is not a date (YYYY-MM-DD)") from None


def _dec(text: Any, what: str) -> Decimal:
    try:
        return parse_decimal(text)
    except (ValueError, InvalidOperation):
        raise InvoiceError(f"{what}: {text!r} is not a number") from None


def _is_number(text: Any) -> bool:
    try:
        parse_decimal(text)
    except (ValueError, InvalidOperation, TypeError):
        return False
    return "%" not in str(text)


def _currency(text: Any, what: str) -> str:
    code = str(text or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InvoiceError(f"{what}: {text!r} is not an ISO 4217 currency code")
    return code


def _ubl(content: str) -> Invoice:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(content)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise InvoiceError(f"not well-formed XML: {exc}") from None
    if root.tag not in (_INVOICE_ROOT, _CREDIT_NOTE_ROOT):
        raise InvoiceError(f"not a UBL 2.1 Invoice or CreditNote (root element {root.tag})")
    credit_note = root.tag == _CREDIT_NOTE_ROOT
    line_tag, quantity_tag = (("CreditNoteLine", "CreditedQuantity") if credit_note else
                              ("InvoiceLine", "InvoicedQuantity"))

    def text(node: Element, path: str, what: str, required: bool = True) -> str | None:
        found = node.find(path, _NS)
        if found is None or not (found.text or "").strip():
            if required:
                raise InvoiceError(f"missing {what} ({path})")
            return None
        return found.text.strip()  # type: ignore[union-attr]

    currency = _currency(text(root, "cbc:DocumentCurrencyCode", "currency"), "DocumentCurrencyCode")
    lines = []
    for n, node in enumerate(root.findall(f"cac:{line_tag}", _NS), start=1):
        where = f"{line_tag} {n}"
        qty_node = node.find(f"cbc:{quantity_tag}", _NS)
        quantity = _dec(text(node, f"cbc:{quantity_tag}", f"{where} quantity"), f"{where} quantity")
        price = text(node, "cac:Price/cbc:PriceAmount", f"{where} price", required=False)
        base_qty = text(node, "cac:Price/cbc:BaseQuantity", f"{where} base quantity", required=False)
        unit_price = None if price is None else _dec(price, f"{where} price")
        if unit_price is not None and base_qty is not None and _dec(base_qty, where) not in (0, 1):
            unit_price = unit_price / _dec(base_qty, where)
        amount_node = node.find("cbc:LineExtensionAmount", _NS)
        if amount_node is not None and amount_node.get("currencyID") not in (None, currency):
            raise InvoiceError(f"{where}: amount in {amount_node.get('currencyID')}, invoice in {currency}")
        lines.append(InvoiceLine(
            line_id=text(node, "cbc:ID", f"{where} ID", required=False) or str(n),
            description=text(node, "cac:Item/cbc:Name", f"{where} item name", required=False) or "",
            quantity=quantity, unit_price=unit_price,
            amount=_dec(text(node, "cbc:LineExtensionAmount", f"{where} amount"), f"{where} amount"),
            unit=None if qty_node is None else qty_node.get("unitCode"),
            adjustments=_allowances_and_charges(node, f"{where} AllowanceCharge", text),
            tax=_tax_total(node, currency, where)))
    supplier = (text(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
                     "supplier", required=False)
                or text(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name", "supplier",
                        required=False))
    tax_exclusive = text(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "total", required=False)
    total_text = tax_exclusive or text(root, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "total")
    adjustments = _allowances_and_charges(root, "AllowanceCharge", text)
    start = text(root, "cac:InvoicePeriod/cbc:StartDate", "period start", required=False)
    end = text(root, "cac:InvoicePeriod/cbc:EndDate", "period end", required=False)
    references = tuple(ref for node in root.findall("cac:BillingReference/cac:InvoiceDocumentReference", _NS)
                       if (ref := text(node, "cbc:ID", "BillingReference invoice ID", required=False)))
    notes = tuple((node.text or "").strip() for node in root.findall("cbc:Note", _NS) if (node.text or "").strip())
    return Invoice(number=text(root, "cbc:ID", "credit note number" if credit_note else "invoice number") or "",
                   issue_date=_day(text(root, "cbc:IssueDate", "issue date"), "IssueDate"),
                   currency=currency, supplier=supplier, lines=tuple(lines),
                   total=_dec(total_text, "TaxExclusiveAmount"),
                   period_start=None if start is None else _day(start, "InvoicePeriod StartDate"),
                   period_end=None if end is None else _day(end, "InvoicePeriod EndDate"),
                   # the lines' total (LineExtensionAmount) is before the document's charges and allowances
                   adjustments=adjustments if tax_exclusive else Decimal(0),
                   document=CREDIT_NOTE if credit_note else INVOICE, references=references, notes=notes,
                   tax=_tax_total(root, currency, "TaxTotal"))


def _tax_total(node: Element, currency: str, where: str) -> Decimal:
    """The tax directly under ``node`` (UBL cac:TaxTotal/cbc:TaxAmount) in the document's currency
    (a second TaxTotal in the accounting currency is not added to it)."""
    for found in node.findall("cac:TaxTotal/cbc:TaxAmount", _NS):
        if found.get("currencyID") in (None, currency) and (found.text or "").strip():
            return _dec(found.text, f"{where} TaxAmount")
    return Decimal(0)


def _allowances_and_charges(node: Element, what: str, text: Any) -> Decimal:
    """The charges less the allowances directly under ``node`` (UBL cac:AllowanceCharge): a line's
    amount is its quantity x price less its allowances plus its charges (a 10% discount on a line)."""
    adjustments = Decimal(0)
    for n, found in enumerate(node.findall("cac:AllowanceCharge", _NS), start=1):
        where = f"{what} {n}"
        amount = _dec(text(found, "cbc:Amount", f"{where} amount"), f"{where} amount")
        charge = (text(found, "cbc:ChargeIndicator", f"{where} charge indicator") or "").lower() == "true"
        adjustments += amount if charge else -amount
    return adjustments


def _from_rows(header: dict[str, Any], rows: list[dict[str, Any]], where: str) -> Invoice:
    for key in ("number", "issue_date", "currency"):
        if not str(header.get(key) or "").strip():
            raise InvoiceError(f"{where}: missing {key}")
    lines = []
    for n, row in enumerate(rows, start=1):
        w = f"{where} line {n}"
        quantity = _dec(row.get("quantity", 1), f"{w} quantity")
        unit_price = None if row.get("unit_price") in (None, "") else _dec(row["unit_price"], f"{w} unit_price")
        if row.get("amount") in (None, ""):
            if unit_price is None:
                raise InvoiceError(f"{w}: needs amount or unit_price")
            amount = quantity * unit_price
        else:
            amount = _dec(row["amount"], f"{w} amount")
        tax = next((row[k] for k in ("tax", "tax_amount") if row.get(k) not in (None, "")), None)
        if tax is None:  # a "vat" column may hold a rate ("20%") or a category ("S"): only an amount is read
            tax = row.get("vat") if _is_number(row.get("vat")) else "0"
        lines.append(InvoiceLine(str(row.get("id") or n), str(row.get("description") or ""), quantity,
                                 unit_price, amount, row.get("unit") or None, tax=_dec(tax, f"{w} tax")))
    total = header.get("total")
    document = str(header.get("document_type") or INVOICE).strip().lower().replace(" ", "_").replace("-", "_")
    if document not in (INVOICE, CREDIT_NOTE):
        raise InvoiceError(f"{where}: document_type {header.get('document_type')!r} is not invoice or credit_note")
    references = header.get("billing_reference") or header.get("references") or ()
    references = (references,) if isinstance(references, str) else tuple(str(r) for r in references)
    notes = header.get("note") or header.get("notes") or ()
    notes = (notes,) if isinstance(notes, str) else tuple(str(n) for n in notes)
    total_value = sum((li.amount for li in lines), Decimal(0)) if total in (None, "") else _dec(total, f"{where} total")
    if document == INVOICE and total_value < 0 and all(li.amount <= 0 for li in lines):
        # an "invoice" of negative amounts only is a credit note written the other way: read as one
        # (its amounts as credited), so it is matched to what it settles
        document, total_value = CREDIT_NOTE, -total_value
        lines = [InvoiceLine(li.line_id, li.description, abs(li.quantity),
                             None if li.unit_price is None else abs(li.unit_price), -li.amount, li.unit)
                 for li in lines]
    return Invoice(number=str(header["number"]).strip(), issue_date=_day(header["issue_date"], f"{where} issue_date"),
                   currency=_currency(header["currency"], f"{where} currency"),
                   supplier=header.get("supplier") or None, lines=tuple(lines),
                   total=total_value,
                   period_start=None if not header.get("period_start") else _day(header["period_start"], "period_start"),
                   period_end=None if not header.get("period_end") else _day(header["period_end"], "period_end"),
                   document=document, references=tuple(r.strip() for r in references if r.strip()),
                   notes=tuple(n.strip() for n in notes if n.strip()),
                   tax=_dec(header.get("tax_total") or 0, f"{where} tax_total"))


def _json(content: str) -> Invoice:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise InvoiceError(f"line {exc.lineno}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        raise InvoiceError('JSON must be an object with "number", "issue_date", "currency" and "lines"')
    if not all(isinstance(li, dict) for li in data["lines"]):
        raise InvoiceError("every line must be an object")
    return _from_rows(data, data["lines"], "invoice")


def _csv(content: str) -> Invoice:
    """One row per line: number,issue_date,currency,description,quantity,unit_price,amount (the
    invoice fields repeat on every row and must agree)."""
    reader = csv.DictReader(io.StringIO(content))
    fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
    needed = {"number", "issue_date", "currency", "description"}
    if not needed <= fields:
        raise InvoiceError(f"line 1: the CSV header must name {', '.join(sorted(needed))} and quantity, "
                           f"unit_price or amount")
    rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader]
    rows = [r for r in rows if any(r.values())]
    if not rows:
        raise InvoiceError("the CSV has no lines")
    for n, row in enumerate(rows[1:], start=3):
        for key in ("number", "issue_date", "currency"):
            if row[key] != rows[0][key]:
                raise InvoiceError(f"line {n}: {key} {row[key]!r} differs from line 2's {rows[0][key]!r}")
    return _from_rows(rows[0], rows, "CSV")


# --- checking ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContractMoney:
    """The contract's terms that invoices are checked against (values as extraction stores them)."""

    fees: dict[str, Any] | None
    fees_evidence: dict | None = None
    price_increase_cap: str | None = None
    cap_evidence: dict | None = None
    expiration: date | None = None
    renewal_term: str | None = None
    known_numbers: frozenset[str] = frozenset()
    invoiced_before: Decimal = Decimal(0)  # earlier invoices' totals, for a not-to-exceed amount
    counterparty: str | None = None  # who the contract is with: an invoice from another supplier is told
    auto_renewal: bool | None = None  # the auto_renewal term as read (None: not read)
    # the fees amendments added, each with the day it is agreed from (None: the in-force fee's
    # additional_fees, undated)
    added_fees: tuple[AddedFee, ...] | None = None
    # the renewal lengths an amendment replaced, for the terms beginning before it took effect
    # (``plan.earlier_values``: () none; None: they cannot be read, so no renewal term is counted)
    renewal_earlier: tuple[EarlierValue, ...] | None = ()
    # the day the fee in force took effect when an amendment re-priced it (None: the contract's own
    # fee): a cap's increases are counted over the renewal terms begun since then
    fees_since: date | None = None
    fees_since_document: str | None = None  # the amendment that re-priced it (its file)
    # the contract's effective date as read: a cap "on each anniversary of the Effective Date" counts from it
    effective_date: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def renewal_terms_begun(on: date, expiration: date | None, renewal: str | None,
                        earlier: tuple[EarlierValue, ...] | None = (), since: date | None = None,
                        cadence: CapCadence | None = None) -> tuple[int, str] | None:
    """How many increases a cap allows by ``on`` (0 in the initial term), with the arithmetic: the
    first day of each renewal term, or year, counted. Each term runs the renewal length in force on
    the day it begins (``earlier``: the lengths an amendment replaced, rolled as the planner rolls
    them, ``plan.rolled_terms``); only the terms that began by ``on`` say which lengths count, never
    the day an amendment takes effect. ``since``: only those begun after that day (a fee agreed then
    is that term's price). As the cap's clause says it applies (``cadence``): once each renewal term
    begun, whatever its length; once a year, the years begun since the initial term's end (12-month
    steps) when a term begun is not one year long; a clause that says neither counts the terms when
    each is a year or longer. None when the term's end or the renewal period is not known and ``on``
    is after the end, or a term shorter than a year began and the clause says neither (counting the
    years could allow too few increases, the terms too many: ``short_terms`` says which lengths), or
    the cap counts anniversaries of a named day (``anniversaries_begun`` counts them)."""
    if expiration is None or (cadence is not None and cadence.per == ANNIVERSARY):
        return None
    after = f" since {since.isoformat()}" if since is not None else ""
    if on <= expiration:
        said = f"{on.isoformat()} <= initial term end {expiration.isoformat()}: initial term"
        return (0, said) if since is None else (0, f"0 renewal term(s) begun{after} ({said})")
    if not renewal or earlier is None:
        return None
    begun = _terms_begun(on, expiration, Duration.parse(renewal), earlier)
    if begun is None:
        return None
    lengths = [length for _, _, length, _ in begun]
    short = any(length.approximate_days < 365 for length in lengths)
    per = cadence.per if cadence is not None else None
    if short and per is None:
        return None
    if per == YEAR and not all(_one_year(length) for length in lengths):
        # a cap stated yearly over terms that are not a year long ("successive one-month periods", two-year
        # terms): one increase a year, counted from the initial term's end, never a monthly term as a year
        counted_years = _years_begun(on, expiration)
        if counted_years is None:
            return None
        starts = counted_years
        assert cadence is not None
        roll = (f"years after the initial term end {expiration.isoformat()}; renewal terms of "
                f"{_lengths_in_words(begun)}: {cadence.said}: one increase a year")
        what = "year(s)"
    else:
        # each renewal term begun: terms of a year or more, or a cap stated once each renewal term
        starts, roll = [begins for begins, _, _, _ in begun], begun[-1][1]
        if short and cadence is not None:
            roll += f"; {cadence.said}: one increase each renewal term, whatever its length"
        what = "renewal term(s)"
    counted = [d for d in starts if since is None or d > since]
    listed = ", ".join(d.isoformat() for d in counted) if counted else "none"
    if since is not None and not counted:
        listed = f"none, the term running began {starts[-1].isoformat()}"
    return len(counted), f"{len(counted)} {what} begun{after} by {on.isoformat()}: {listed} ({roll})"


def _one_year(length: Duration) -> bool:
    return length.years * 12 + length.months == 12 and not (length.weeks or length.days or length.business_days)


def _terms_begun(on: date, expiration: date, current: Duration, earlier: tuple[EarlierValue, ...]
                 ) -> list[tuple[date, str, Duration, str]] | None:
    """Each renewal term begun by ``on`` (``on`` after the initial term's end): its first day, its
    roll in words, its length and that length in words with when it is in force ("P1M for terms
    beginning before 2028-06-01", "P1Y (amd.pdf)"); None past the most the planner rolls."""
    begun: list[tuple[date, str, Duration, str]] = []
    for begins, end in rolled_terms(expiration, current, earlier):
        if begins > on:
            return begun
        item = in_force_for_term(earlier, begins)
        if item is None:
            words = current.iso() + (f" ({earlier[-1].changed_by})" if earlier else "")
            begun.append((begins, end.derivation, current, words))
        else:
            begun.append((begins, end.derivation, item.value,
                          f"{item.value.iso()} for terms beginning before {item.until.isoformat()}"))
    return None


def _lengths_in_words(begun: list[tuple[date, str, Duration, str]]) -> str:
    """The lengths of the terms begun, each once, in the order they ran: "P1M for terms beginning
    before 2028-06-01, then P1Y (amd.pdf)"."""
    said: list[str] = []
    for _, _, _, words in begun:
        if not said or said[-1] != words:
            said.append(words)
    return ", then ".join(said)


def _years_begun(on: date, expiration: date) -> list[date] | None:
    """The first day of each year begun by ``on`` since the initial term's end (12-month steps from
    it, month ends kept by ``renewed_term_end``); None past the most counted."""
    starts: list[date] = []
    for k in range(_MAX_RENEWALS):
        begins = renewed_term_end(expiration, Duration(years=1), k).value + timedelta(days=1)
        if begins > on:
            return starts
        starts.append(begins)
    return None


def short_terms(on: date, expiration: date | None, renewal: str | None,
                earlier: tuple[EarlierValue, ...] | None) -> tuple[str, bool] | None:
    """The renewal lengths of the terms begun by ``on``, in words ("P1M for terms beginning before
    2028-06-01, then P1Y (amd.pdf)"), and whether they mix terms shorter than a year with longer
    ones, when a term shorter than a year is among them; None when none is (or they are not known)."""
    if expiration is None or not renewal or earlier is None or on <= expiration:
        return None
    begun = _terms_begun(on, expiration, Duration.parse(renewal), earlier)
    if not begun:
        return None
    short = [length.approximate_days < 365 for _, _, length, _ in begun]
    return (_lengths_in_words(begun), not all(short)) if any(short) else None


_PERCENT_CAP = re.compile(r"(\d+(?:\.\d+)?)%")  # a cap read as a percentage ("3%"), not an index


def allowed_price(base: Decimal, cap: str | None, k: int) -> tuple[Decimal, str] | None:
    """The most the contract allows after ``k`` renewal terms: base x (1 + cap)^k."""
    if k == 0:
        return base, f"agreed {format_amount(base)} (no increase before the first renewal term)"
    if cap is None:
        return None  # no cap read: an increase may be allowed; nothing to check against
    m = _PERCENT_CAP.fullmatch(cap.strip())
    if not m:
        return None  # an index (CPI): its value is not known here
    rate = Decimal(m.group(1)) / 100
    allowed = cents(base * (1 + rate) ** k)
    return allowed, f"{format_amount(base)} x (1 + {m.group(1)}%)^{k} = {format_amount(allowed)}"


# a clause that keeps an index-linked price from falling ("in no event shall the Fees decrease",
# "upward only")
_NO_DECREASE = re.compile(r"\bupwards?[\s-]+only\b|\bonly\s+upwards?\b|\b(?:never|not|no|n't)\b[^.;]{0,60}?"
                          r"\b(?:decreas\w*|reduc\w*|lower\w*|go(?:es)?\s+down|fall\w*)", re.IGNORECASE)


def index_may_lower(terms: ContractMoney) -> str | None:
    """Why a price below the rate agreed may be as agreed: the change allowed is linked to an index
    (CPI), which may fall, and its clause does not say the price never decreases; None when not."""
    cap = terms.price_increase_cap
    if cap is None or _PERCENT_CAP.fullmatch(cap.strip()):
        return None
    if _NO_DECREASE.search(" ".join(((terms.cap_evidence or {}).get("text") or "").split())):
        return None
    return (f"the change allowed is linked to an index ({cap}), which may fall, and its clause does not say the price "
            "never decreases: below the rate agreed may be as agreed")


_PERIOD_MONTHS = {"year": 12, "quarter": 3, "month": 1}
# how many months one invoice covers, by how the contract says the fees are invoiced ("quarterly in advance")
_BILLED_MONTHS = {"monthly": 1, "quarterly": 3, "annually": 12}
_OVERAGE_LINE = re.compile(r"additional|overage|excess|extra", re.IGNORECASE)


def _is_overage_line(li: InvoiceLine, fees: dict[str, Any]) -> bool:
    """A line of units beyond those the fee includes, when the contract has a rate for them: priced
    at that rate (`_quantity_findings`), never at the fee's own unit price."""
    return bool(fees.get("overage")) and bool(_OVERAGE_LINE.search(li.description))


def added_fees_of(terms: ContractMoney) -> tuple[AddedFee, ...]:
    """The fees amendments added: those the caller dated (every one on the contract, also for an
    invoice of a period before the amendment), else those of the fee in force, their day not known."""
    if terms.added_fees is not None:
        return terms.added_fees
    return tuple(AddedFee(fee) for fee in (terms.fees or {}).get("additional_fees") or [])


def agreed_names(terms: ContractMoney) -> tuple[str, ...]:
    """The agreed fees' names, the contract's and those amendments added: a line naming one is that
    fee's, whatever tax word it holds (`taxes`)."""
    return tuple(name for name in ((terms.fees or {}).get("name"), *(a.name for a in added_fees_of(terms))) if name)


def _fee_lines(invoice: Invoice, terms: ContractMoney) -> list[InvoiceLine]:
    matched, left, combined = _fee_candidates(invoice, terms)
    if matched:
        return matched
    # the one line left is the fee's, unless a line bills the fee with an added fee ("Subscription Fees
    # incl. Premium Support"): the fee is there, and the line left ("Professional services") is another charge;
    # a line set aside as tax counts: it never makes another the only line
    return left if len(left) == 1 and not combined and not _tax_lines(invoice, terms) else []


def _tax_lines(invoice: Invoice, terms: ContractMoney) -> list[InvoiceLine]:
    """The lines set aside as tax ("VAT 20%"), never priced as a fee."""
    return [li for li in invoice.lines if is_tax_line(li.description, agreed_names(terms))]


def _unknown_fee_line(invoice: Invoice, terms: ContractMoney) -> Finding | None:
    """Several lines naming no agreed fee and none the contract's: which bills the fee is not known, so
    it is told not checked (a line naming no fee never makes an over-charge vanish)."""
    matched, left, combined = _fee_candidates(invoice, terms)
    taxes = _tax_lines(invoice, terms)
    if not matched and not combined and len(left) < 2 and taxes and not _fee_lines(invoice, terms):
        # a line set aside as tax, and no line priced: told, never nothing
        where = ", ".join(f"line {li.line_id} ({li.description})" for li in taxes)
        return Finding("not_checked", invoice.number, f"the contract's fee not priced: {where} set aside as tax",
                       f"{where} set aside as tax and no line priced as the "
                       f"{(terms.fees or {}).get('name') or 'contract fee'}: check the amount by hand", None,
                       evidence=terms.fees_evidence)
    if matched or combined or len(left) < 2:
        return None
    where = ", ".join(f"line {li.line_id} ({li.description or 'no description'})" for li in left)
    return Finding("not_checked", invoice.number, f"the contract's fee not priced: {where} name no agreed fee",
                   f"no line names the {(terms.fees or {}).get('name') or 'contract fee'} and {where} name no agreed fee:"
                   " which of them bills it is not known: check the amount by hand", None,
                   evidence=terms.fees_evidence)


def _fee_candidates(invoice: Invoice, terms: ContractMoney) -> tuple[list[InvoiceLine], list[InvoiceLine], bool]:
    """The lines naming the contract's fee; those naming no fee (nor tax, nor overage); whether a line
    bills the fee with an added fee."""
    fees = terms.fees or {}
    name_words = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]{4,}", fees.get("name") or "")} - {"fee"}
    unit_words = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]{4,}", fees.get("unit") or "")}
    wanted = name_words | unit_words
    # a tax line ("VAT 20% on Subscription Fees") is never the fee's, nor an overage
    names = agreed_names(terms)
    lines = [li for li in invoice.lines if not _is_overage_line(li, fees) and not is_tax_line(li.description, names)]
    # a fee an amendment added beside the contract's ("adds the Analytics Module"): its lines are not this fee's
    added = added_fees_of(terms)
    named = [(li, line_added_fees(li.description, fees, added, terms.counterparty)) for li in lines]
    lines = [li for li, n in named if n is None]
    matched = [li for li in lines
               if wanted & {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]{4,}", li.description)}]
    return matched, lines, any(n is not None and n.names_contract_fee_too for _, n in named)


def check_invoice(invoice: Invoice, terms: ContractMoney) -> list[Finding]:
    findings: list[Finding] = []
    number = invoice.number
    if number in terms.known_numbers:
        findings.append(Finding("duplicate", number, f"invoice {number} was already received (this one: "
                                f"{invoice.currency} {format_amount(invoice.total)})",
                                f"invoice number {number} is already recorded for this contract: this document "
                                f"of it, {invoice.currency} {format_amount(invoice.total)}, is not checked nor "
                                "counted again; check which one is owed", Money(invoice.total, invoice.currency)))
        return findings  # not applied a second time
    for li in invoice.lines:
        expected = None if li.unit_price is None else li.quantity * li.unit_price + li.adjustments
        if expected is not None and abs(cents(expected) - cents(li.amount)) > Decimal("0.01"):
            adjusted = (f" {'+' if li.adjustments >= 0 else '-'} {format_amount(abs(li.adjustments))} the line's "
                        "charges less allowances" if li.adjustments else "")
            findings.append(Finding(
                "arithmetic", number, f"line {li.line_id}: quantity x price is not the line amount",
                f"{li.quantity} x {format_amount(li.unit_price or Decimal(0))}{adjusted} = {format_amount(expected)}"
                f" != {format_amount(li.amount)}",
                Money(cents(abs(li.amount - expected)), invoice.currency), li.line_id))
    lines_total = sum((li.amount for li in invoice.lines), Decimal(0)) + invoice.adjustments
    if abs(cents(invoice.total) - cents(lines_total)) > Decimal("0.01"):
        adjusted = f" {'+' if invoice.adjustments >= 0 else '-'} {format_amount(abs(invoice.adjustments))} " \
                   "charges less allowances" if invoice.adjustments else ""
        findings.append(Finding(
            "arithmetic", number, "the invoice total is not the sum of its lines",
            f"{' + '.join(format_amount(li.amount) for li in invoice.lines)}{adjusted} = {format_amount(lines_total)}"
            f" != total {format_amount(invoice.total)}",
            Money(cents(abs(invoice.total - lines_total)), invoice.currency)))
    findings += _party_and_term_findings(invoice, terms)
    # the lines of fees amendments added, each at its own rate (the module builds on this one's types)
    from .added_fee_lines import added_fee_findings
    from .combined_fee_lines import combined_fee_findings
    findings += [_tax_unclear(invoice, terms, f) for f in added_fee_findings(invoice, terms)]
    findings += combined_fee_findings(invoice, terms)  # a line billing the contract's fee and an added fee together
    fees = terms.fees
    if not fees or not fees.get("amount"):
        return findings
    if fees.get("currency") and fees["currency"] != invoice.currency:
        findings.append(Finding("currency", number, f"invoiced in {invoice.currency}, agreed in {fees['currency']}",
                                f"contract fees in {fees['currency']}; invoice currency {invoice.currency}",
                                None, evidence=terms.fees_evidence))
        return findings
    findings += [_tax_unclear(invoice, terms, f) for f in _price_findings(invoice, terms)]
    findings += _quantity_findings(invoice, terms)
    nte = fees.get("not_to_exceed")
    if nte and nte.get("currency") == invoice.currency:
        limit = Decimal(nte["amount"])
        running = terms.invoiced_before + invoice.total
        if running > limit:
            findings.append(Finding(
                "above_not_to_exceed", number, f"invoiced in total {invoice.currency} {format_amount(running)}, "
                f"above the not-to-exceed {format_amount(limit)}",
                f"{format_amount(terms.invoiced_before)} invoiced before + {format_amount(invoice.total)} = "
                f"{format_amount(running)} > {format_amount(limit)}",
                Money(min(running - limit, invoice.total), invoice.currency), evidence=nte.get("evidence")))
    return findings


def _tax_unclear(invoice: Invoice, terms: ContractMoney, finding: Finding) -> Finding:
    """An over-charge on lines that say their amount includes tax ("incl. VAT"), or summed with a line
    named a tax of a fee ("Subscription Fees - VAT"): whether the amount holds a tax is not known, so it is
    not checked (with why)."""
    if finding.kind != "price_above_agreed" or finding.at_stake is None:
        return finding
    ids = {finding.line_id} if finding.line_id is not None else set(finding.line_ids)
    lines = [li for li in invoice.lines if li.line_id in ids]
    said = [li for li in lines if tax_included(li.description, agreed_names(terms))]
    either = [(li, fee) for li in lines if (fee := tax_or_fee(li.description, agreed_names(terms)))]
    after = [li for li in lines if tax_named_after(li.description)] if len(lines) > 1 else []
    if said:
        why = f"line {said[0].line_id} ({said[0].description}) says its amount includes tax: its net is not known"
    elif either:
        why = (f"line {either[0][0].line_id} ({either[0][0].description}) names a tax or the {either[0][1]}: "
               "which is not known")
    elif after:
        why = (f"line {after[0].line_id} ({after[0].description}) may bill the tax of another line's fee, not the fee: "
               "which is not known")
    else:
        return finding
    where = ", ".join(f"line {li.line_id} ({li.description or 'fee'})" for li in lines)
    return replace(finding, kind="not_checked", at_stake=None, summary=f"{where} not priced: {why}",
                   derivation=f"{finding.derivation}; not claimed: {why}")


_LEGAL_FORMS = {"inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "plc", "gmbh",
                "ag", "sa", "bv", "nv", "lp", "llp", "the", "and", "of", "group", "holdings"}


def _name_words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in _LEGAL_FORMS and len(w) > 1}


def _party_and_term_findings(invoice: Invoice, terms: ContractMoney) -> list[Finding]:
    """An invoice from a supplier the contract is not with, or for a period after a term that does
    not renew (no renewal term read): money asked for without this contract behind it."""
    out = []
    if invoice.supplier and terms.counterparty and not _name_words(invoice.supplier) & _name_words(terms.counterparty):
        out.append(Finding("other_supplier", invoice.number,
                           f"invoiced by {invoice.supplier}, not the contract's counterparty {terms.counterparty}",
                           f"supplier {invoice.supplier!r} shares no name with counterparty {terms.counterparty!r}: "
                           "an invoice for another contract? (told, nothing claimed: names are compared, not known)",
                           None))
    start = billed_from(invoice)
    if terms.expiration is not None and not terms.renewal_term and terms.auto_renewal is not True \
            and start > terms.expiration:
        renews = "it does not renew" if terms.auto_renewal is False else "no renewal was read"
        out.append(Finding("after_term_end", invoice.number,
                           f"billed from {start.isoformat()}, after the term ended on {terms.expiration.isoformat()}",
                           f"{start.isoformat()} > expiration_date {terms.expiration.isoformat()} and {renews}: "
                           "nothing in the contract to price it by",
                           None))  # a renewal signed since would not be in the terms: told, nothing claimed
    return out


def billed_from(invoice: Invoice) -> date:
    """The day an invoice's charges start: its period's first day, else its issue date (an annual
    fee invoiced in advance of a renewal term is priced by that term, not the one it was issued in)."""
    return invoice.period_start or invoice.issue_date


@dataclass(frozen=True)
class Expected:
    """The most one fee may be billed for the months an invoice covers, with its arithmetic and the
    clause it is from: what a line of that fee is priced against (a line billing two fees together:
    the two summed, `combined_fee_lines`)."""

    fee: str  # whose: "contract fee", "added fee Premium Support"
    amount: Decimal
    arithmetic: str  # the rate allowed and the months billed, to the amount
    basis: str  # what prices it: the renewal terms begun by the period, or the day it was agreed from
    evidence: dict | None  # the clause (the cap's, when an increase is allowed)
    months: int  # the months billed
    # the same months at the rate agreed, before the increases a cap allows (None: no increase is in
    # ``amount``): a line below it is under-charged, one between the two as agreed
    agreed: Expected | None = None

    def __str__(self) -> str:
        return f"{self.fee} {format_amount(self.amount)} ({clause_where(self.evidence)}: {self.arithmetic})"

    @property
    def least(self) -> Expected:
        """The fee at its agreed rate for the months billed, with its own clause."""
        return self.agreed or self


@dataclass(frozen=True)
class NotPriced:
    """Why a fee's amount for an invoice is not known: ``why`` in words; ``told``: the fee's own lines
    say so as not checked ("part_month": a period not whole months; "no_period": none stated and how
    the fee is invoiced not read; "cap_count": the count of increases a percentage cap allows), else
    they are left unpriced (nothing read to price them against)."""

    why: str
    told: str | None = None
    # the fee at its agreed rate for the months billed, when only the increase allowed is not known:
    # a line below it is under-charged whatever the increase (a cap allows none below the agreed rate)
    agreed: Expected | None = None
    # "cap_count": the most allowed under the reading allowing the fewest increases and under the one
    # allowing the most (None: no most known): at or under the first as agreed, above the second over
    limits: tuple[_FeeLimit, _FeeLimit | None] | None = None  # the rate
    readings: tuple[Expected, Expected | None] | None = None  # the fee for the months billed


@dataclass(frozen=True)
class _FeeLimit:
    """The renewal terms begun by the invoice's period and the most the contract's fee (its amount or
    its unit price) allows in them, with the arithmetic."""

    terms_begun: int
    term_derivation: str
    limit: Decimal
    derivation: str


def clause_where(evidence: dict | None) -> str:
    """Where a clause is, for arithmetic: "amendment-2.pdf, page 1"; "the contract, page 4"."""
    if not evidence:
        return "its clause not located"
    page = evidence.get("page")
    document = evidence.get("document") or "the contract"
    return f"{document}, page {page}" if page else document


def _fee_limit(invoice: Invoice, terms: ContractMoney) -> _FeeLimit | NotPriced:
    """The most the contract's fee allows for the invoice's period, or why that is not known (told
    ``told="cap_count"`` when only the count of increases a percentage cap allows is not known: a
    renewal term shorter than a year under a clause that says neither once each renewal term nor once
    a year, ``cadence_not_known``, with the most allowed under each reading in ``readings``; an
    anniversary of a day not read, the agreed rate the least allowed)."""
    cadence = cap_cadence(terms.cap_evidence)
    on = invoice.period_end or billed_from(invoice)
    unknown = cadence_not_known(on, terms, cadence) or cadence_not_known(billed_from(invoice), terms, cadence)
    if unknown is not None:
        anniversary = cadence is not None and cadence.anchor is not None
        limits = _anniversary_readings(terms) if anniversary else _count_readings(invoice, terms, on)
        return NotPriced(unknown, told="cap_count", limits=limits)
    term = _increases_counted(invoice, terms, cadence)
    if term is None:
        return NotPriced(cadence_why(on, terms, cadence)
                         or "how many renewal terms have begun is not known (the term's end or its renewal period "
                         "was not read, or the renewal lengths an amendment changed were not), so the increase the "
                         "contract allows is not known")
    return _limit_after(terms, *term)


def _increases_counted(invoice: Invoice, terms: ContractMoney, cadence: CapCadence | None) -> tuple[int, str] | None:
    """The increases the cap allows by the invoice's period as ``cadence`` counts them, with the
    arithmetic: by its first day, or by its last when the period runs into a later term or year
    (priced at that allowance for all of it, the least at stake, never more than the contract allows)."""
    since, period_end = terms.fees_since, invoice.period_end

    def by(on: date) -> tuple[int, str] | None:
        if _counts_anniversaries(on, terms, cadence):
            assert cadence is not None
            counted = anniversaries_begun(on, terms, cadence, since)
            return None if isinstance(counted, str) else counted
        return renewal_terms_begun(on, terms.expiration, terms.renewal_term, terms.renewal_earlier, since, cadence)

    term = by(billed_from(invoice))
    if term is None:
        return None
    k, term_derivation = term
    if since is not None:
        where = terms.fees_since_document or (terms.fees_evidence or {}).get("document") or "an amendment"
        term_derivation = f"{term_derivation}; the fee as {where} re-priced it from {since.isoformat()}"
    last = by(period_end) if period_end is not None else None
    if last is not None and period_end is not None and last[0] > k:
        k, term_derivation = last[0], (f"the period {billed_from(invoice).isoformat()} to "
                                       f"{period_end.isoformat()} runs into a later term, priced by it: "
                                       f"{last[1]}")
    return k, term_derivation


def _counts_anniversaries(on: date, terms: ContractMoney, cadence: CapCadence | None) -> bool:
    """Whether the cap's increases by ``on`` are anniversaries of a day (``anniversaries_begun``): of
    a named day always; "on each anniversary", of the Effective Date when it is read, else in the
    initial term (not known there: never none counted in an initial term longer than a year; after it,
    the years since its end)."""
    if cadence is None or cadence.anchor is None:
        return False
    return cadence.per == ANNIVERSARY or terms.effective_date is not None or (
        terms.expiration is not None and on <= terms.expiration)


def _limit_after(terms: ContractMoney, k: int, term_derivation: str) -> _FeeLimit | NotPriced:
    """The most the contract's fee allows after ``k`` increases, or why not known (no cap, an index)."""
    fees = terms.fees or {}
    since = terms.fees_since
    base = Decimal(fees["unit_price"] if fees.get("unit_price") is not None else fees["amount"])
    allowed = allowed_price(base, terms.price_increase_cap, k)
    if allowed is not None and k == 0 and since is not None:
        allowed = base, f"agreed {format_amount(base)} (no renewal term begun since it was re-priced: no increase)"
    if allowed is None:
        cap = terms.price_increase_cap
        return NotPriced(f"{term_derivation}, and the increase allowed is not known ("
                         + ("no cap on increases was read" if cap is None
                            else f"the cap {cap} is an index, its value not known") + ")")
    return _FeeLimit(k, term_derivation, *allowed)


# the readings of a clause that says neither once each renewal term nor once a year
_AS_YEARS = CapCadence(YEAR, "once a year", reading=True)
_AS_TERMS = CapCadence(TERM, "once each renewal term", reading=True)


def _count_readings(invoice: Invoice, terms: ContractMoney, on: date) -> tuple[_FeeLimit, _FeeLimit] | None:
    """The most the fee allows read once a year and read once each renewal term (the lower first),
    for a clause that says neither over terms shorter than a year: at or under the lower is as
    agreed under either reading, above the higher over under both (measured against the higher,
    never overstated), between not known. The higher's arithmetic names both."""
    limits: list[tuple[_FeeLimit, str]] = []
    for reading in (_AS_YEARS, _AS_TERMS):
        counted = _increases_counted(invoice, terms, reading)
        limit = None if counted is None else _limit_after(terms, *counted)
        if not isinstance(limit, _FeeLimit):
            return None
        limits.append((limit, reading.words))
    (lower, low_words), (higher, high_words) = sorted(limits, key=lambda pair: pair[0].limit)
    both = (f"{_says_neither(on, terms)}: read {low_words}, {lower.term_derivation}, allowed {lower.derivation}; "
            f"read {high_words}, the higher, used: {higher.term_derivation}")
    return lower, replace(higher, term_derivation=both)


def _anniversary_readings(terms: ContractMoney) -> tuple[_FeeLimit, None] | None:
    """An anniversary cap whose day is not read: the agreed rate the least allowed, no most known."""
    agreed = _limit_after(terms, 0, "the anniversaries begun not known")
    return (agreed, None) if isinstance(agreed, _FeeLimit) else None


def anniversaries_begun(on: date, terms: ContractMoney, cadence: CapCadence,
                        since: date | None) -> tuple[int, str] | str:
    """The increases a cap "on each anniversary of the Effective Date" allows by ``on``: the
    anniversaries of the contract's effective date by then (in the initial term too; ``since``, the
    day a fee was agreed or re-priced: only those after it), with the arithmetic; or why not known (the
    day named is not the effective date, or the effective date was not read): never none counted
    in an initial term longer than a year."""
    named = cadence.anchor or "day"
    if not re.search(r"\beffective\b", named, re.IGNORECASE) or terms.effective_date is None:
        what = ("the contract's effective date was not read" if re.search(r"\beffective\b", named, re.IGNORECASE)
                else f"the {named} is not a date read")
        return (f"the cap on increases, {terms.price_increase_cap}, applies {cadence.words!r} and {what}: how many "
                f"anniversaries have passed by {on.isoformat()} is not known (the initial term may have allowed "
                "some), so the increase the contract allows is not known")
    effective = terms.effective_date
    starts = []
    for n in range(1, _MAX_RENEWALS + 1):
        day = effective + relativedelta(years=n)
        if day > on:
            break
        starts.append(day)
    counted = [d for d in starts if since is None or d > since]
    listed = ", ".join(d.isoformat() for d in counted) or "none"
    since_words = f" since {since.isoformat()}" if since is not None else ""
    return len(counted), (f"{len(counted)} anniversary(ies) of the effective date {effective.isoformat()}{since_words} "
                          f"by {on.isoformat()}: {listed} ({cadence.said}: one increase each anniversary, in the "
                          "initial term too)")


def cadence_not_known(on: date, terms: ContractMoney, cadence: CapCadence | None) -> str | None:
    """Why the increases a percentage cap allows by ``on`` are not known: a renewal term shorter than
    a year began by ``on`` (month-to-month renewals, or lengths that mix them with longer ones) and
    the cap's clause says neither once each renewal term nor once a year (``cap_cadence``): the
    years begun could allow too few increases, the terms too many; None when they are known, or no
    percentage cap is read (nothing to count: said as it is for any contract)."""
    cap = terms.price_increase_cap
    if cap is None or not _PERCENT_CAP.fullmatch(cap.strip()):
        return None
    return cadence_why(on, terms, cadence)


def cadence_why(on: date, terms: ContractMoney, cadence: CapCadence | None) -> str | None:
    """``cadence_not_known``'s reason for any cap, an index or none read too (None: the count of
    increases does not wait on the cap's clause; an anniversary of a day not read: why)."""
    if _counts_anniversaries(on, terms, cadence):
        assert cadence is not None
        counted = anniversaries_begun(on, terms, cadence, None)
        return counted if isinstance(counted, str) else None
    neither = _says_neither(on, terms) if cadence is None else None
    if neither is None:
        return None
    return (f"{neither}: how many increases it allows by {on.isoformat()} is not known (the years begun could "
            "allow too few, the terms begun too many), so the increase the contract allows is not known")


def _says_neither(on: date, terms: ContractMoney) -> str | None:
    """The renewal lengths shorter than a year begun by ``on`` and the cap, in words, for a clause that
    says neither once each renewal term nor once a year (None: no term shorter than a year began)."""
    found = short_terms(on, terms.expiration, terms.renewal_term, terms.renewal_earlier)
    if found is None:
        return None
    lengths, mixed = found
    cap = terms.price_increase_cap
    clause = " ".join(((terms.cap_evidence or {}).get("text") or "").split())
    said = f", {cap}{f' ({clause!r})' if clause else ''}," if cap else ""
    return (f"{_SHORT_WORDS[mixed]} ({lengths}), and the cap on increases{said} says neither once each renewal term "
            "nor once a year")


# the renewal terms begun, by whether they mix lengths shorter than a year with longer ones
_SHORT_WORDS = {True: "the renewal lengths mix terms shorter than a year with longer ones",
                False: "the renewal terms begun are shorter than a year"}


def _contract_evidence(terms: ContractMoney, terms_begun: int) -> dict | None:
    """The clause a contract fee's price rests on: the cap's once an increase is allowed."""
    return terms.cap_evidence if terms_begun and terms.cap_evidence else terms.fees_evidence


def contract_fee_expected(invoice: Invoice, terms: ContractMoney, units: Decimal | None = None,
                          reading_said: bool = False) -> Expected | NotPriced:
    """The most the contract's fee ("USD 1,000 a month"; per unit, "USD 10 per User a month", for
    the ``units`` a line states it bills) may be billed for the months the invoice covers (its
    period, else how the fee is invoiced when that is its period), with the arithmetic and its
    clause; or why that is not known (a fee per unit without ``units``: how many units a line bills
    of it is its own reading, `_unit_price_findings`; a quantity that may count units or
    unit-periods, unless ``reading_said``: the line says ``units`` are units for every month billed)."""
    fees = terms.fees or {}
    if not fees.get("amount"):
        return NotPriced("the contract's fee was not read")
    if fees.get("currency") and fees["currency"] != invoice.currency:
        return NotPriced(f"the contract's fee is agreed in {fees['currency']}, the invoice is in {invoice.currency}")
    per_unit = fees.get("unit_price") is not None
    unit = fees.get("unit") or "unit"
    if per_unit and units is None:
        return NotPriced(f"the contract's fee is per {unit}: how many {unit}s the line bills of it is not stated")
    limit = _fee_limit(invoice, terms)
    months = _contract_months(invoice, fees)
    if isinstance(limit, NotPriced):
        # the increase allowed is not known, the agreed rate is: a floor for an under-charge
        if isinstance(months, NotPriced):
            return replace(limit, agreed=None)
        agreed = _contract_agreed(terms, months, units, None, reading_said)
        return replace(limit, agreed=agreed if isinstance(agreed, Expected) else None,
                       readings=_readings_for(terms, limit.limits, months, units, reading_said))
    if isinstance(months, NotPriced):
        return months
    return _expected_at(terms, limit, months, units, reading_said)


def _expected_at(terms: ContractMoney, limit: _FeeLimit, months: tuple[int, int], units: Decimal | None,
                 reading_said: bool) -> Expected | NotPriced:
    """The contract's fee at the most ``limit`` allows for the months billed, with its clause."""
    fees = terms.fees or {}
    unit = fees.get("unit") or "unit"
    billed, per = months
    amount = _contract_amount(limit.limit, billed, per, units, fees, reading_said)
    if isinstance(amount, str):
        return NotPriced(amount)
    derivation = limit.derivation + _times(units, unit, billed, per, amount)
    agreed = _contract_agreed(terms, months, units, limit, reading_said) if limit.terms_begun else None
    return Expected("contract fee", amount, derivation, limit.term_derivation,
                    _contract_evidence(terms, limit.terms_begun), billed,
                    agreed if isinstance(agreed, Expected) else None)


def _readings_for(terms: ContractMoney, limits: tuple[_FeeLimit, _FeeLimit | None] | None, months: tuple[int, int],
                  units: Decimal | None, reading_said: bool) -> tuple[Expected, Expected | None] | None:
    """``NotPriced.limits`` for the months billed (None: either is not known)."""
    if limits is None:
        return None
    lower, higher = limits
    least = _expected_at(terms, lower, months, units, reading_said)
    most = None if higher is None else _expected_at(terms, higher, months, units, reading_said)
    if isinstance(least, NotPriced) or isinstance(most, NotPriced):
        return None
    return least, most


def _contract_months(invoice: Invoice, fees: dict[str, Any]) -> tuple[int, int] | NotPriced:
    """The months the invoice bills of the contract's fee and the months of the fee's period."""
    if fees.get("period") not in _PERIOD_MONTHS:
        return NotPriced("the period the contract's fee is for (a month, a quarter, a year) was not read")
    months = _PERIOD_MONTHS[fees["period"]]
    billed = _months(invoice)
    if billed == 0:  # a period of whole months and some days: how the contract prorates is not guessed
        return NotPriced(f"the invoice period {invoice.period_start} to {invoice.period_end} is not a whole number "
                         "of months, and how the contract prorates part of a month is not read", told="part_month")
    if billed is None and fees.get("billing", "").startswith(
            {"year": "annually", "quarter": "quarterly", "month": "monthly"}[fees["period"]]):
        billed = months
    if billed is None:  # what period the lines cover is not known: no guess, and the person is told
        return NotPriced("the invoice states no period (UBL InvoicePeriod) and how the fee is invoiced was not read",
                         told="no_period")
    return billed, months


def _contract_amount(rate: Decimal, billed: int, per: int, units: Decimal | None,
                     fees: dict[str, Any], reading_said: bool = False) -> Decimal | str:
    """The fee at ``rate`` for the months billed (times ``units`` for a fee per unit), multiplied
    before divided and rounded once; or why not known (a quantity that may count units or
    unit-periods, `unit_readings`)."""
    if units is None:
        return cents(rate * billed / per)
    as_periods, as_units = unit_readings(rate, units, (billed, per), fees.get("quantity"), reading_said=reading_said)
    if as_periods != as_units:
        unit = fees.get("unit") or "unit"
        counts, reading = other_reading(unit, fees.get("period"), rate, units, (billed, per))
        return (f"whether its quantity {units} counts {unit}s or {counts} is not known (as {unit}s, "
                f"{format_amount(rate)} x {units} x {billed}/{per} months = {format_amount(as_units)}; as {counts}, "
                f"{reading} = {format_amount(as_periods)})")
    return as_units


def _times(units: Decimal | None, unit: str, billed: int, per: int, amount: Decimal) -> str:
    """The rate's multipliers in words: "; x 40 User x 12/1 months = 4,800.00" (none: "")."""
    tail = (f" x {units} {unit}" if units is not None else "") + (f" x {billed}/{per} months" if billed != per else "")
    return f";{tail} = {format_amount(amount)}" if tail else ""


def _contract_agreed(terms: ContractMoney, months: tuple[int, int], units: Decimal | None,
                     limit: _FeeLimit | None, reading_said: bool = False) -> Expected | str:
    """The contract's fee at its agreed rate, before any increase, for the months billed, with its
    own clause (``limit``: the increases allowed are known, and were applied to the most)."""
    fees = terms.fees or {}
    billed, per = months
    per_unit = units is not None
    base = Decimal(fees["unit_price"] if per_unit else fees["amount"])
    least = _contract_amount(base, billed, per, units, fees, reading_said)
    if isinstance(least, str):
        return least
    unit = str(fees.get("unit") or "unit")
    before = "before the increase the cap allows" if limit is not None else "before any increase"
    arithmetic = (f"agreed {format_amount(base)}{f' per {unit}' if per_unit else ''} a {fees['period']}, {before}"
                  + _times(units, unit, billed, per, least))
    basis = limit.term_derivation if limit is not None else "the increase allowed is not known"
    return Expected("contract fee", least, arithmetic, basis, terms.fees_evidence, billed)


def _price_findings(invoice: Invoice, terms: ContractMoney) -> list[Finding]:
    fees = terms.fees or {}
    lines = _fee_lines(invoice, terms)
    if fees.get("unit_price") is not None:
        limit = _fee_limit(invoice, terms)
        if isinstance(limit, NotPriced):
            return _unit_lines_between(invoice, lines, terms, limit) if limit.told == "cap_count" and lines else []
        return _unit_price_findings(invoice, terms, limit.terms_begun, limit.term_derivation, lines, limit.limit,
                                    limit.derivation)
    if not lines:
        unknown = _unknown_fee_line(invoice, terms)
        return [] if unknown is None else [unknown]
    expected = contract_fee_expected(invoice, terms)
    if isinstance(expected, NotPriced):
        fee = f"the fee is {fees.get('currency', '')} {format_amount(Decimal(fees['amount']))} a {fees.get('period')}"
        if expected.told == "part_month":
            return [_not_priced(invoice, lines, fee)]
        if expected.told == "cap_count":
            return _between_readings(invoice, lines, terms, expected, fee)
        if expected.told == "no_period":
            return [Finding("not_checked", invoice.number, "the fee's lines not priced: the invoice states no period",
                            f"{fee}; the invoice states no period (UBL InvoicePeriod) and how the fee is invoiced was "
                            "not read: check the amount by hand", None)]
        return []
    return _over_limit(invoice, lines, expected)


def _between_readings(invoice: Invoice, lines: list[InvoiceLine], terms: ContractMoney, expected: NotPriced,
                      fee: str) -> list[Finding]:
    """The fee's lines when the count of increases the cap allows is not known (``NotPriced.readings``):
    at or under the most the fewest increases allow, as agreed; above the most the most increases
    allow, over-charged against it (never overstated); between, or no reading known, not checked."""
    charged = sum((li.amount for li in lines), Decimal(0))
    if expected.readings is None:
        return [_increase_not_known(invoice, lines, terms, f"{fee}; {expected.why}")]
    least, most = expected.readings
    if charged <= least.amount:
        return []
    if most is not None and charged > most.amount:
        return _over_limit(invoice, lines, most)
    bounds = (f"charged {format_amount(charged)}: above {least} (the fewest increases), "
              + (f"at or under {most} (the most increases)" if most is not None else "the most allowed not known"))
    return [_increase_not_known(invoice, lines, terms, f"{fee}; {expected.why}; {bounds}")]


def _over_limit(invoice: Invoice, lines: list[InvoiceLine], expected: Expected) -> list[Finding]:
    """The fee's lines together (a fee split over two lines is one fee) over the most expected."""
    charged = sum((li.amount for li in lines), Decimal(0))
    if charged <= expected.amount:
        return []
    line = lines[0] if len(lines) == 1 else None
    billed = expected.months
    what = (f"{format_amount(charged)} for {billed} month(s)" if line else
            f"{' + '.join(format_amount(li.amount) for li in lines)} = {format_amount(charged)} for {billed} month(s)")
    where = None if line else (f"lines {' + '.join(li.line_id for li in lines)} "
                               f"({' + '.join(li.description or 'fee' for li in lines)})")
    found = _price_finding(invoice, line, charged, expected, what, where)
    return [found if line else replace(found, line_ids=tuple(li.line_id for li in lines))]


# UN/ECE Rec 20 codes (UBL unitCode) that count time, not users or items: a per-user fee's line in
# them counts months or years, not users
TIME_UNITS = {"MON", "ANN", "QAN", "DAY", "HUR", "WEE", "MIN", "SEC", "D90"}


def _unit_lines_between(invoice: Invoice, lines: list[InvoiceLine], terms: ContractMoney,
                        limit: NotPriced) -> list[Finding]:
    """A fee per unit's lines when the count of increases the cap allows is not known
    (``NotPriced.limits``): a line as agreed at the rate the fewest increases allow has no finding;
    one over at the rate the most allow, that finding; the others not checked, both rates named."""
    if limit.limits is None:
        return [_increase_not_known(invoice, lines, terms, limit.why)]
    least, most = limit.limits

    def priced(at: _FeeLimit) -> dict[str | None, Finding]:
        return {f.line_id: f for f in _unit_price_findings(invoice, terms, at.terms_begun, at.term_derivation, lines,
                                                           at.limit, at.derivation)}

    above_least = priced(least)
    over = priced(most) if most is not None else {}
    rates = (f"at most {format_amount(least.limit)} a unit with the fewest increases ({least.derivation}), "
             + (f"{format_amount(most.limit)} with the most ({most.derivation})" if most is not None
                else "the most not known"))
    return [over.get(li.line_id) or _increase_not_known(invoice, [li], terms, f"{limit.why}; {rates}")
            for li in lines if li.line_id in above_least]


def _unit_price_findings(invoice: Invoice, terms: ContractMoney, k: int, term_derivation: str,
                         lines: list[InvoiceLine], limit: Decimal, limit_derivation: str) -> list[Finding]:
    """A fee per unit a period ("USD 744 per Authorized User per year"): each line's unit price
    against the allowed rate for the months the invoice covers (186.00 a user for a quarter of 744.00
    a year); a line that counts time (1 ANN at 186,000.00), not the fee's units, is not priced: how
    many units it bills is not known."""
    fees = terms.fees or {}
    priced = [li for li in lines if li.unit_price is not None]
    per = _PERIOD_MONTHS.get(fees.get("period") or "")
    rate = (f"the fee is {fees.get('currency', '')} {format_amount(Decimal(fees['unit_price']))} per "
            f"{fees.get('unit')}" + (f" a {fees['period']}" if per else ""))
    out = [Finding("not_checked", invoice.number, f"line {li.line_id} ({li.description or 'fee'}) not priced: its "
                   f"quantity counts {li.unit} (time), not {fees.get('unit')}s",
                   f"{rate}; the line bills {li.quantity} {li.unit} at {format_amount(li.unit_price)}: how many "
                   f"{fees.get('unit')}s it bills is not known: check the amount by hand", None, li.line_id,
                   terms.fees_evidence)
           for li in priced if per and li.unit and li.unit.upper() in TIME_UNITS and li.unit_price is not None]
    priced = [li for li in priced if not (per and li.unit and li.unit.upper() in TIME_UNITS)]
    months, cadence = (1, 1), ""  # the rate's period when it is not read: the line against rate x units
    if per is not None and priced:
        billed = _months(invoice)
        if billed == 0:
            return [*out, _not_priced(invoice, priced, rate)]
        if billed is None and (by_billing := _BILLED_MONTHS.get((fees.get("billing") or "").split(" ")[0])):
            billed, cadence = by_billing, f" (the invoice states no period; the fees are invoiced {fees['billing']})"
        months = (billed, per) if billed is not None else (per, per)
    # the line's amount, after its own charges and allowances, is what is paid (a surcharge is an
    # over-charge, a line discount none), never the gross unit price alone
    return out + [f for li in priced
                  if (f := _line_for_months(invoice, terms, k, term_derivation, li, limit, limit_derivation,
                                            months, cadence)) is not None]


def unit_readings(rate: Decimal, quantity: Decimal, months: tuple[int, int], included: Any,
                  charged: Decimal | None = None, reading_said: bool = False) -> tuple[Decimal, Decimal]:
    """The most a per-unit line may charge under each reading of its quantity, multiplied before
    divided and rounded once: (as unit-periods, the smaller; as units for all the months billed).
    One reading (both equal) on an invoice for one month or for exactly the rate's period, or when
    the quantity is the one the contract includes (250 users billed for a quarter count users).
    Otherwise the quantity may count units or unit-periods (``other_reading``): on an invoice for
    several of the rate's periods (a quarter of a monthly rate), units or unit-months of it (750
    users or user-months: rate x 750); on one for part of the rate's period of several months (a
    quarter of a yearly rate), units or unit-months (750 users for the quarter, or 750 user-months
    at a twelfth of the yearly rate: rate x 750 / 12). A line that ``charged`` exactly the units
    reading (260 users at 186.00, the agreed quarter of 744.00 a year) counts units, as agreed, unless
    its quantity is the included one times the months billed (750 = 250 x 3 looks like user-months,
    and 750 users at the quarter's price would be three times the user-months agreed). One reading
    also when the line says its quantity counts units (``reading_said``)."""
    billed, per = months
    as_units = cents(rate * quantity * billed / per)
    try:
        known = Decimal(str(included)) if included not in (None, "") else None
    except InvalidOperation:  # a quantity entered as words: not known to be this one
        known = None
    if billed <= 1 or billed == per or known == quantity or reading_said:
        return as_units, as_units
    as_unit_periods = cents(rate * quantity / (1 if billed > per else per))
    counts_periods = known is not None and quantity in (known * billed, known * billed / per)
    if charged is not None and charged == as_units and not counts_periods:
        return as_units, as_units
    return as_unit_periods, as_units


def other_reading(unit: str, period: str | None, rate: Decimal, quantity: Decimal,
                  months: tuple[int, int]) -> tuple[str, str]:
    """The second reading of a per-unit line's quantity (``unit_readings``) in words: what it counts
    ("User-months", "User-years") and its arithmetic ("10.00 x 75", "744.00 x 750 / 12")."""
    billed, per = months
    if billed > per:  # several of the rate's periods: units of the rate's period each
        return f"{unit}-{period or 'period'}s", f"{format_amount(rate)} x {quantity}"
    return f"{unit}-months", f"{format_amount(rate)} x {quantity} / {per}"


def _line_for_months(invoice: Invoice, terms: ContractMoney, k: int, term_derivation: str, li: InvoiceLine,
                     limit: Decimal, limit_derivation: str, months: tuple[int, int], cadence: str) -> Finding | None:
    """A per-unit line's net amount (after its own charges and allowances) against the rate x units
    x months billed / months of the period, multiplied before divided and rounded once (1,000.00 a
    user a year for 250 users a month is 20,833.33, so 83.3333 a user is as agreed). On an invoice
    for several of the rate's periods the quantity may count units or unit-periods: over only when
    both readings say so (by the smaller difference), not checked when they disagree."""
    fees = terms.fees or {}
    unit = fees.get("unit") or "unit"
    billed, per = months
    charged = cents(li.amount)
    as_periods, allowed = unit_readings(limit, li.quantity, months, fees.get("quantity"), charged)
    if charged <= as_periods:
        return None
    share = f" x {billed}/{per} months" if billed != per else ""
    arithmetic = f"{format_amount(limit)} x {li.quantity} {unit}{share}{cadence} = {format_amount(allowed)}"
    adjusted = (f" {'+' if li.adjustments >= 0 else '-'} {format_amount(abs(li.adjustments))} the line's charges "
                "less allowances" if li.adjustments else "")
    what = f"{format_amount(charged)} ({li.quantity} x {format_amount(li.unit_price or Decimal(0))}{adjusted})"
    if charged <= allowed:
        counts, reading = other_reading(unit, fees.get("period"), limit, li.quantity, months)
        return Finding(
            "not_checked", invoice.number, f"line {li.line_id} ({li.description or 'fee'}) not priced: whether its "
            f"quantity {li.quantity} counts {unit}s or {counts} is not known",
            f"{term_derivation}; allowed {limit_derivation}; charged {what}: as {li.quantity} {unit}s for "
            f"{billed} months, {arithmetic}, as agreed; as {li.quantity} {counts}, {reading} = "
            f"{format_amount(as_periods)}, {format_amount(charged - as_periods)} over: check the "
            "line by hand", None, li.line_id, terms.fees_evidence)
    return _price_finding(invoice, li, charged, Expected("contract fee", allowed, f"{limit_derivation}; {arithmetic}",
                                                      term_derivation, _contract_evidence(terms, k), billed), what)


def _price_finding(invoice: Invoice, li: InvoiceLine | None, charged: Decimal, expected: Expected,
                   what: str, lines: str | None = None) -> Finding:
    """The contract's fee billed above what is expected: over-charged by the difference (on ``li``,
    else on the fee's lines together, named in ``lines``)."""
    where = f"line {li.line_id} ({li.description or 'fee'})" if li else lines or "the fee's lines"
    limit = format_amount(expected.amount)
    return Finding(
        "price_above_agreed", invoice.number, f"{where}: {what} above the allowed {limit}",
        f"{expected.basis}; allowed {expected.arithmetic}; charged {format_amount(charged)} > {limit}",
        Money(cents(charged - expected.amount), invoice.currency), li.line_id if li else None, expected.evidence)


def _not_priced(invoice: Invoice, lines: list[InvoiceLine], fee: str) -> Finding:
    """A finding with nothing at stake that says why the lines were not priced: a person checks them."""
    where = f"line {lines[0].line_id} ({lines[0].description or 'fee'})" if len(lines) == 1 else "the fee's lines"
    start, end = invoice.period_start, invoice.period_end
    return Finding("not_checked", invoice.number,
                   f"{where} not priced: the period {start} to {end} is not a whole number of months",
                   f"{fee}; the invoice period {start} to {end} is not whole months, and how the contract prorates "
                   f"part of a month is not read: check the amount by hand", None,
                   lines[0].line_id if len(lines) == 1 else None)


def _increase_not_known(invoice: Invoice, lines: list[InvoiceLine], terms: ContractMoney, why: str) -> Finding:
    """A finding with nothing at stake on the fee's lines, said not priced because the increases the
    cap allows are not known: over renewal terms shorter than a year (alone or mixed with longer
    ones), its clause saying neither per term nor per year; or counted from an anniversary of a day
    not read: a person checks them."""
    where = (f"line {lines[0].line_id} ({lines[0].description or 'fee'})" if len(lines) == 1 else
             f"lines {' + '.join(li.line_id for li in lines)} ({' + '.join(li.description or 'fee' for li in lines)})")
    cadence = cap_cadence(terms.cap_evidence)
    if cadence is not None and cadence.anchor is not None:
        because = (f"the cap on increases ({terms.price_increase_cap}) applies on each anniversary of the "
                   f"{cadence.anchor}, whose day is not read")
    else:
        short = short_terms(invoice.period_end or billed_from(invoice), terms.expiration, terms.renewal_term,
                            terms.renewal_earlier)
        because = (f"{_SHORT_WORDS[short is None or short[1]]}, and the cap on increases "
                   f"({terms.price_increase_cap}) says neither once each renewal term nor once a year")
    found = Finding("not_checked", invoice.number, f"{where} not priced: {because}",
                    f"{why}: check the amount by hand", None, lines[0].line_id if len(lines) == 1 else None,
                    terms.cap_evidence)
    return found if len(lines) == 1 else replace(found, line_ids=tuple(li.line_id for li in lines))


def _months(invoice: Invoice) -> int | None:
    """Whole months from the period's first day to the day after its last (15 Jan - 14 Feb is 1;
    1 Mar - 31 Mar is 1, as is 1 Feb - 28 Feb); 0 when the period is not a whole number of months
    (1 Mar - 15 Apr, 1 Mar - 15 Mar); None when the invoice gives no period."""
    if invoice.period_start is None or invoice.period_end is None or invoice.period_end < invoice.period_start:
        return None
    s, e = invoice.period_start, invoice.period_end + timedelta(days=1)
    months = (e.year - s.year) * 12 + (e.month - s.month) - (1 if e.day < s.day else 0)
    # whole when the day after the period is the start's day of the month that many months on, or,
    # from a day a shorter month lacks (31 Jan), the day after that month's last (31 Jan - 28 Feb)
    on = s + relativedelta(months=months)
    whole = on == e or (on.day < s.day and on + timedelta(days=1) == e)
    return months if months >= 1 and whole else 0


def _quantity_findings(invoice: Invoice, terms: ContractMoney) -> list[Finding]:
    fees = terms.fees or {}
    included = fees.get("quantity")
    overage = fees.get("overage")
    if not included or not fees.get("quantity_unit"):
        return []
    unit_words = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]{4,}", fees["quantity_unit"])}
    out = []
    for li in invoice.lines:
        words = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]{4,}", li.description)}
        if not unit_words & words or li.unit_price is None or not overage:
            continue
        if not _OVERAGE_LINE.search(li.description):
            continue
        rate = Decimal(overage["amount"])
        rate_words = f"agreed overage rate {format_amount(rate)}"
        if li.unit_price > rate and overage.get("period") == "month":
            # a rate per unit per month billed for a period of several: the rate for the whole period
            billed = _months(invoice)
            rate_text = f"the overage rate is {format_amount(rate)} per {overage.get('unit') or 'unit'} per month"
            if billed == 0:
                out.append(_not_priced(invoice, [li], rate_text))
                continue
            cadence = ""
            if billed is None:  # no period on the invoice: the months the contract invoices at once, if it says
                billed = _BILLED_MONTHS.get((fees.get("billing") or "").split(" ")[0])
                if billed is None:
                    out.append(Finding(
                        "not_checked", invoice.number,
                        f"line {li.line_id} ({li.description}) not priced: the invoice states no period",
                        f"{rate_text}; the invoice states no period (UBL InvoicePeriod, CSV/JSON period_start and "
                        "period_end) and how the fee is invoiced was not read: how many months the line is for is "
                        "not known, check it by hand", None, li.line_id, overage.get("evidence")))
                    continue
                cadence = f" (the invoice states no period; the fees are invoiced {fees['billing']})"
            if billed > 1 or cadence:
                rate_words += (f" per month x {billed} month{'s' if billed != 1 else ''}{cadence} = "
                               f"{format_amount(rate * billed)}")
                rate *= billed
        elif li.unit_price > rate and overage.get("period") is None and _months(invoice) not in (None, 1):
            continue  # a rate whose period is not read, on an invoice for another period than a month: no guess
        if li.unit_price > rate:
            out.append(Finding(
                "quantity_beyond_included", invoice.number,
                f"line {li.line_id}: {li.quantity} additional {fees['quantity_unit']} at "
                f"{format_amount(li.unit_price)}, {rate_words}",
                f"({format_amount(li.unit_price)} - {format_amount(rate)}) x {li.quantity} = "
                f"{format_amount((li.unit_price - rate) * li.quantity)}",
                Money(cents((li.unit_price - rate) * li.quantity), invoice.currency), li.line_id,
                overage.get("evidence")))
    return out
