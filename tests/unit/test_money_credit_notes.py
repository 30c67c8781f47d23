"""Credit notes: a UBL 2.1 CreditNote read whole (its lines, the invoice it corrects), a JSON/CSV
document of negative amounts read as one, and each matched to the one open claim it settles (an
SLA credit by its period or its amount to the cent, an over-charge by the invoice it references),
the rest told with why, never guessed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausewatch.money.amounts import Money
from clausewatch.money.credit_notes import OpenClaim, match_credit_note, named_periods
from clausewatch.money.invoices import CREDIT_NOTE, INVOICE, InvoiceError, parse_invoice


def credit_note(number: str = "CN-123", amount: str = "1550.00", currency: str = "USD",
                note: str = "Service credit", references: tuple[str, ...] = ("NWA-2026-0301",),
                item: str = "SLA service credit") -> str:
    refs = "".join(f"<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>{r}</cbc:ID>"
                   "<cbc:IssueDate>2026-03-01</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>"
                   for r in references)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
 <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
 <cbc:ID>{number}</cbc:ID><cbc:IssueDate>2026-12-02</cbc:IssueDate>
 <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
 <cbc:Note>{note}</cbc:Note>
 <cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>
 {refs}
 <cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity>
  <cbc:RegistrationName>Northwind Analytics, Inc.</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>
 </cac:AccountingSupplierParty>
 <cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="{currency}">{amount}</cbc:LineExtensionAmount>
  <cbc:TaxExclusiveAmount currencyID="{currency}">{amount}</cbc:TaxExclusiveAmount>
  <cbc:PayableAmount currencyID="{currency}">{amount}</cbc:PayableAmount></cac:LegalMonetaryTotal>
 <cac:CreditNoteLine><cbc:ID>1</cbc:ID><cbc:CreditedQuantity unitCode="C62">1</cbc:CreditedQuantity>
  <cbc:LineExtensionAmount currencyID="{currency}">{amount}</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>{item}</cbc:Name></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="{currency}">{amount}</cbc:PriceAmount></cac:Price></cac:CreditNoteLine>
</CreditNote>"""


def sla(period: str, amount: str, currency: str = "USD", credited: tuple = ()) -> OpenClaim:
    owed = Decimal(amount) - sum((a for _, a in credited), Decimal(0))
    return OpenClaim(f"breach-{period}-availability", "sla_breach", Money(owed, currency),
                     Money(Decimal(amount), currency), period=period, credited=credited)


def overcharge(invoice: str, amount: str, kind: str = "price_above_agreed") -> OpenClaim:
    return OpenClaim(f"invoice-{invoice}-1", kind, Money(Decimal(amount), "USD"), Money(Decimal(amount), "USD"),
                     invoice_number=invoice)


def test_a_ubl_credit_note_reads_whole_with_the_invoice_it_corrects():
    note = parse_invoice(credit_note(note="SLA credit for October 2026"), "ubl")
    assert (note.document, note.number, note.issue_date, note.currency, note.total) == (
        CREDIT_NOTE, "CN-123", date(2026, 12, 2), "USD", Decimal("1550.00"))
    assert note.references == ("NWA-2026-0301",) and note.notes == ("SLA credit for October 2026",)
    [line] = note.lines
    assert (line.description, line.quantity, line.unit_price, line.amount) == (
        "SLA service credit", Decimal(1), Decimal("1550.00"), Decimal("1550.00"))
    assert note.to_dict()["document"] == "credit_note" and note.to_dict()["references"] == ["NWA-2026-0301"]


def test_an_invoice_stays_an_invoice_and_another_root_is_still_refused():
    from tests.unit.test_money import ubl

    assert parse_invoice(ubl(), "ubl").document == INVOICE
    with pytest.raises(InvoiceError, match="not a UBL 2.1 Invoice or CreditNote"):
        parse_invoice('<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>', "ubl")


def test_a_credit_note_line_without_its_credited_quantity_is_refused_with_the_element():
    broken = credit_note().replace('<cbc:CreditedQuantity unitCode="C62">1</cbc:CreditedQuantity>', "")
    with pytest.raises(InvoiceError, match=r"CreditNoteLine 1 quantity \(cbc:CreditedQuantity\)"):
        parse_invoice(broken, "ubl")


def test_json_credit_notes_and_documents_of_negative_amounts_read_as_credit_notes():
    stated = parse_invoice('{"number": "CN-9", "issue_date": "2026-12-01", "currency": "USD", "document_type": '
                           '"credit_note", "billing_reference": "INV-7", "note": "SLA credit 2026-10", '
                           '"lines": [{"description": "SLA credit", "amount": "1550.00"}]}', "json")
    assert (stated.document, stated.total, stated.references, stated.notes) == (
        CREDIT_NOTE, Decimal("1550.00"), ("INV-7",), ("SLA credit 2026-10",))
    negative = parse_invoice("number,issue_date,currency,description,quantity,unit_price,amount\n"
                             "CN-10,2026-12-01,USD,SLA credit 2026-10,1,-1550.00,-1550.00\n", "csv")
    assert (negative.document, negative.total) == (CREDIT_NOTE, Decimal("1550.00"))
    assert (negative.lines[0].unit_price, negative.lines[0].amount) == (Decimal("1550.00"), Decimal("1550.00"))
    mixed = parse_invoice('{"number": "I-1", "issue_date": "2026-12-01", "currency": "USD", "lines": ['
                          '{"description": "Fees", "amount": "100"}, {"description": "credit", "amount": "-10"}]}',
                          "json")
    assert mixed.document == INVOICE  # an invoice that nets a credit is still an invoice
    with pytest.raises(InvoiceError, match="document_type"):
        parse_invoice('{"number": "X", "issue_date": "2026-12-01", "currency": "USD", "document_type": "order", '
                      '"lines": [{"description": "a", "amount": "1"}]}', "json")


@pytest.mark.parametrize("words, periods", [
    ("SLA credit for October 2026", {"2026-10"}),
    ("Service credit 2026-10 availability", {"2026-10"}),
    ("Credit Q3 2026", {"2026-Q3"}),
    ("Service credit", set()),
    ("Refund of invoice dated 2026-10-15", set()),  # a day, not a month named
])
def test_the_period_a_credit_note_names(words, periods):
    assert named_periods(parse_invoice(credit_note(note=words, item="credit"), "ubl")) == periods


def test_a_credit_of_the_claimed_amount_settles_it_with_the_arithmetic():
    note = parse_invoice(credit_note(references=()), "ubl")
    s = match_credit_note(note, [sla("2026-10", "1550.00"), sla("2026-11", "3875.00")])
    assert s.status == "settled" and s.claim is not None and s.claim.period == "2026-10"
    assert s.derivation == ("credit note CN-123 of USD 1,550.00 (the same amount to the cent) settles the 2026-10 "
                            "SLA credit of USD 1,550.00")
    assert s.remaining == Money(Decimal(0), "USD") and s.surplus is None


def test_a_credit_that_names_the_period_but_pays_less_leaves_the_difference_open():
    note = parse_invoice(credit_note(amount="1000.00", note="SLA credit for October 2026", references=()), "ubl")
    s = match_credit_note(note, [sla("2026-10", "1550.00")])
    assert s.status == "partial" and s.applied == Money(Decimal("1000.00"), "USD")
    assert s.remaining == Money(Decimal("550.00"), "USD")
    assert s.derivation.endswith("1,550.00 - 1,000.00 = USD 550.00 still owed")
    # the rest paid by a second credit note: settles what is left, the first one's part said
    rest = parse_invoice(credit_note(number="CN-124", amount="550.00", note="October 2026", references=()), "ubl")
    s2 = match_credit_note(rest, [sla("2026-10", "1550.00", credited=(("CN-123", Decimal("1000.00")),))])
    assert s2.status == "settled"
    assert "(1,550.00 - 1,000.00 (CN-123) = USD 550.00 still owed)" in s2.derivation


def test_a_credit_without_a_period_of_another_amount_is_not_matched_with_why():
    note = parse_invoice(credit_note(amount="1000.00", references=()), "ubl")
    s = match_credit_note(note, [sla("2026-10", "1550.00")])
    assert s.status == "not_matched" and s.claim is None
    assert "no open SLA credit is of its amount (open: 2026-10 USD 1,550.00)" in s.derivation


def test_two_open_claims_of_the_same_amount_are_told_not_guessed():
    note = parse_invoice(credit_note(references=()), "ubl")
    s = match_credit_note(note, [sla("2026-09", "1550.00"), sla("2026-10", "1550.00")])
    assert s.status == "ambiguous" and s.claim is None and "which one is not guessed" in s.derivation
    # naming the period makes it one
    named = parse_invoice(credit_note(note="SLA credit September 2026", references=()), "ubl")
    assert match_credit_note(named, [sla("2026-09", "1550.00"), sla("2026-10", "1550.00")]).claim.period == "2026-09"


def test_another_currency_settles_nothing():
    note = parse_invoice(credit_note(currency="EUR", references=()), "ubl")
    s = match_credit_note(note, [sla("2026-10", "1550.00")])
    assert s.status == "not_matched" and "open in another currency: USD 1,550.00" in s.derivation


def test_an_overcharge_refund_settles_the_finding_on_the_invoice_it_references():
    note = parse_invoice(credit_note(number="CN-200", amount="9300.00", note="Refund of price increase",
                                     item="Subscription Fees correction"), "ubl")
    s = match_credit_note(note, [overcharge("NWA-2026-0301", "9300.00"), sla("2026-10", "1550.00")])
    assert s.status == "settled" and s.claim.invoice_number == "NWA-2026-0301"
    assert s.derivation == ("credit note CN-200 of USD 9,300.00 (references invoice NWA-2026-0301) settles the "
                            "over-charge (price_above_agreed) of USD 9,300.00 on invoice NWA-2026-0301")
    # a credit referencing an invoice with no over-charge found: not matched, with why
    other = parse_invoice(credit_note(number="CN-201", amount="50.00", references=("NWA-2026-9999",)), "ubl")
    s2 = match_credit_note(other, [overcharge("NWA-2026-0301", "9300.00")])
    assert s2.status == "not_matched" and "no over-charge is open on invoice(s) NWA-2026-9999" in s2.derivation


def test_a_credit_larger_than_the_claim_settles_it_and_tells_the_surplus():
    note = parse_invoice(credit_note(amount="2000.00", note="October 2026", references=()), "ubl")
    s = match_credit_note(note, [sla("2026-10", "1550.00")])
    assert s.status == "settled" and s.surplus == Money(Decimal("450.00"), "USD")
    assert "2,000.00 - 1,550.00 = USD 450.00 more than was owed" in s.derivation


def test_a_credit_note_naming_a_period_with_no_open_credit_is_not_matched_to_another_by_amount():
    # October's credit already settled; September's of the same amount open: not October's credit note's
    note = parse_invoice(credit_note(note="SLA credit October 2026", references=()), "ubl")
    s = match_credit_note(note, [sla("2026-09", "1550.00")])
    assert s.status == "not_matched" and s.claim is None
    assert "it names 2026-10, for which no SLA credit is open" in s.derivation
    assert "another period's credit is not matched by its amount (open: 2026-09 USD 1,550.00)" in s.derivation


def test_a_credit_note_whose_lines_do_not_make_its_total_settles_nothing():
    text = credit_note(references=()).replace(
        '<cbc:TaxExclusiveAmount currencyID="USD">1550.00', '<cbc:TaxExclusiveAmount currencyID="USD">1650.00')
    note = parse_invoice(text, "ubl")
    s = match_credit_note(note, [sla("2026-10", "1650.00"), sla("2026-09", "1550.00")])
    assert s.status == "not_matched" and s.claim is None
    assert "its lines 1,550.00 = 1,550.00 != total 1,650.00: not applied" in s.derivation


def test_a_credit_an_invoice_nets_is_matched_as_a_credit_note_of_its_own():
    from clausewatch.money.credit_notes import netted_credits

    invoice = parse_invoice('{"number": "INV-9", "issue_date": "2026-12-01", "currency": "USD", "lines": ['
                            '{"id": "1", "description": "Subscription Fees", "amount": "15500.00"},'
                            '{"id": "2", "description": "Loyalty discount", "amount": "-100.00"},'
                            '{"id": "3", "description": "SLA credit October 2026", "quantity": 1, '
                            '"unit_price": "-1550.00", "amount": "-1550.00"}]}', "json")
    [credit] = netted_credits(invoice)  # a discount is no credit for a claim
    assert (credit.number, credit.document, credit.total, credit.currency) == (
        "INV-9 line 3", CREDIT_NOTE, Decimal("1550.00"), "USD")
    s = match_credit_note(credit, [sla("2026-10", "1550.00")])
    assert s.status == "settled" and s.claim.period == "2026-10" and "(names 2026-10)" in s.derivation


def test_one_credit_note_of_two_months_credits_together_settles_both_with_the_sum():
    # the one set of open credits its amount is, to the cent: each settled in full, the sum written out
    note = parse_invoice(credit_note(amount="2000.00", currency="EUR", references=()), "ubl")
    s = match_credit_note(note, [sla("2026-09", "1200.00", "EUR"), sla("2026-10", "800.00", "EUR"),
                                 sla("2026-11", "450.00", "EUR"), sla("2026-08", "2000.00", "USD")])
    assert s.status == "settled" and s.claim is None and s.surplus is None
    assert [(p.claim.period, p.applied, p.remaining, p.status) for p in s.parts] == [
        ("2026-09", Money(Decimal("1200.00"), "EUR"), Money(Decimal(0), "EUR"), "settled"),
        ("2026-10", Money(Decimal("800.00"), "EUR"), Money(Decimal(0), "EUR"), "settled")]
    assert "1,200.00 (2026-09) + 800.00 (2026-10) = EUR 2,000.00" in s.derivation
    assert s.derivation.endswith("settles the 2026-09 SLA credit of EUR 1,200.00 and the 2026-10 SLA credit of "
                                 "EUR 800.00")
    # each claim's own arithmetic names the sum and that claim (its obligation's resolution)
    assert all("= EUR 2,000.00" in p.derivation and p.derivation.endswith(p.claim.label) for p in s.parts)
    assert s.to_dict()["finding_ids"] == ["breach-2026-09-availability", "breach-2026-10-availability"]


def test_two_different_sets_of_the_credit_notes_amount_are_ambiguous_with_the_sets_named():
    note = parse_invoice(credit_note(amount="2000.00", references=()), "ubl")
    s = match_credit_note(note, [sla("2026-08", "1500.00"), sla("2026-09", "1200.00"), sla("2026-10", "800.00"),
                                 sla("2026-11", "500.00")])
    assert s.status == "ambiguous" and s.parts == ()
    assert "could settle at least 2 different sets of open claims" in s.derivation
    assert ("the 2026-08 SLA credit of USD 1,500.00 + the 2026-11 SLA credit of USD 500.00; "
            "the 2026-09 SLA credit of USD 1,200.00 + the 2026-10 SLA credit of USD 800.00") in s.derivation
    assert "settle it by hand" in s.derivation
    # one claim of its amount and a pair that sums to it are two sets as much: not guessed either
    one = parse_invoice(credit_note(amount="1550.00", references=()), "ubl")
    s1 = match_credit_note(one, [sla("2026-08", "1550.00"), sla("2026-09", "1000.00"), sla("2026-10", "550.00")])
    assert s1.status == "ambiguous" and "2 different sets" in s1.derivation


def _months(amounts: list[str]) -> list[OpenClaim]:
    return [sla(f"20{25 + n // 12}-{n % 12 + 1:02d}", amount) for n, amount in enumerate(amounts)]


def test_a_credit_of_one_of_many_open_credits_settles_it_whatever_their_number():
    # the reviewer's 13 open credits of 100.00..112.00 and a credit of 105.00, no period named: the one
    # set of its amount is 2025-06 alone (was: "more than the 12 whose sums are searched: settle it by hand")
    note = parse_invoice(credit_note(amount="105.00", references=()), "ubl")
    s = match_credit_note(note, _months([f"{100 + n}.00" for n in range(13)]))
    assert s.status == "settled" and [p.claim.period for p in s.parts] == ["2025-06"]
    assert s.derivation == ("credit note CN-123 of USD 105.00 (the same amount to the cent) settles the 2025-06 SLA "
                            "credit of USD 105.00")
    # two years of monthly credits, and the one set of two of them its amount is (775.01, the only one
    # with cents, and 1,561.00): found, the sum written out
    pair = parse_invoice(credit_note(amount="2336.01", references=()), "ubl")
    s2 = match_credit_note(pair, _months([f"{1550 + n}.00" for n in range(23)] + ["775.01"]))
    assert s2.status == "settled" and [p.claim.period for p in s2.parts] == ["2025-12", "2026-12"]
    assert "(no period named; the one set of open claims of its amount to the cent: 1,561.00 (2025-12) + 775.01 " \
        "(2026-12) = USD 2,336.01)" in s2.derivation


def test_many_sets_of_a_credit_notes_amount_are_ambiguous_and_a_search_past_its_bound_is_settled_by_hand(
        monkeypatch):
    from clausewatch.money import credit_notes

    note = parse_invoice(credit_note(amount="3.00", references=()), "ubl")
    claims = _months(["1.00"] * 13)  # 286 sets of three: told, two named, not guessed
    s = match_credit_note(note, claims)
    assert s.status == "ambiguous" and s.parts == ()
    assert "could settle at least 2 different sets of open claims" in s.derivation
    # the search's work is bounded: past it, told so (the claims searched named), never a guess
    monkeypatch.setattr(credit_notes, "MAX_PARTIAL_SUMS", 5)
    big = parse_invoice(credit_note(amount="1023.00", references=()), "ubl")
    s = match_credit_note(big, _months([f"{2 ** n}.00" for n in range(10)] + ["2000.00"]))
    assert s.status == "ambiguous" and s.parts == ()
    assert ("(no period named): its 10 open claims of at most its amount make more than 5 partial sums on the way "
            "to it, more than are searched: which of them it pays is not known, settle it by hand") in s.derivation


def test_a_credit_note_naming_two_periods_settles_the_two_when_its_amount_is_their_sum():
    note = parse_invoice(credit_note(amount="2000.00", note="SLA credits September 2026 and October 2026",
                                     references=()), "ubl")
    s = match_credit_note(note, [sla("2026-09", "1200.00"), sla("2026-10", "800.00"), sla("2026-11", "2000.00")])
    assert s.status == "settled" and [p.claim.period for p in s.parts] == ["2026-09", "2026-10"]
    assert "it names 2026-09, 2026-10; the one set of open claims of its amount" in s.derivation
    # of another amount: told, never guessed which is paid how much
    less = parse_invoice(credit_note(amount="1500.00", note="SLA credits September 2026 and October 2026",
                                     references=()), "ubl")
    assert match_credit_note(less, [sla("2026-09", "1200.00"), sla("2026-10", "800.00")]).status == "ambiguous"


def test_a_credit_note_naming_two_periods_of_one_periods_amount_is_ambiguous():
    # the reviewer's note: "September 2026 and October 2026", USD 800.00; September owed 1,200.00, October
    # 800.00 (was: October settled in full "(the same amount to the cent)", the months named dropped)
    note = parse_invoice(credit_note(amount="800.00", note="SLA credits September 2026 and October 2026",
                                     references=()), "ubl")
    s = match_credit_note(note, [sla("2026-09", "1200.00"), sla("2026-10", "800.00")])
    assert s.status == "ambiguous" and s.parts == ()
    assert "could settle 2 open claims (it names 2026-09, 2026-10)" in s.derivation
    # a set covering every month named that has an open claim is accepted, the months in its arithmetic
    three = [sla("2026-09", "1200.00"), sla("2026-10", "800.00"), sla("2026-08", "400.00")]
    both = parse_invoice(credit_note(amount="1600.00", note="SLA credits September 2026 and October 2026",
                                     references=()), "ubl")
    other = OpenClaim("breach-2026-10-response", "sla_breach", Money(Decimal("400.00"), "USD"),
                      Money(Decimal("400.00"), "USD"), period="2026-10")
    s = match_credit_note(both, [*three, other])  # the one set of named months' claims covering both
    assert s.status == "settled" and [p.claim.finding_id for p in s.parts] == [
        "breach-2026-09-availability", "breach-2026-10-response"]
    assert "(it names 2026-09, 2026-10; the one set of open claims of its amount to the cent: 1,200.00 (2026-09) " \
        "+ 400.00 (2026-10) = USD 1,600.00)" in s.derivation


def test_one_claim_of_a_named_periods_amount_keeps_the_periods_named_in_its_arithmetic():
    # two open credits of October (two metrics), a credit note naming October of one's amount
    note = parse_invoice(credit_note(amount="300.00", note="SLA credit October 2026", references=()), "ubl")
    response = OpenClaim("breach-2026-10-response", "sla_breach", Money(Decimal("300.00"), "USD"),
                         Money(Decimal("300.00"), "USD"), period="2026-10")
    s = match_credit_note(note, [sla("2026-10", "1550.00"), response])
    assert s.status == "settled" and s.claim == response
    assert s.derivation == ("credit note CN-123 of USD 300.00 (it names 2026-10; the same amount to the cent) settles "
                            "the 2026-10 SLA credit of USD 300.00")


def test_a_credit_note_referencing_invoices_follows_the_one_rule_for_one_claim_and_a_set():
    # one over-charge of its amount and a set of two of them alike: ambiguous (was: the one settled)
    note = parse_invoice(credit_note(amount="100.00", references=("INV-1", "INV-2", "INV-3")), "ubl")
    claims = [overcharge("INV-1", "100.00"), overcharge("INV-2", "60.00"), overcharge("INV-3", "40.00")]
    s = match_credit_note(note, claims)
    assert s.status == "ambiguous" and s.parts == ()
    assert ("could settle at least 2 different sets of open claims, each its amount to the cent: the over-charge "
            "(price_above_agreed) of USD 100.00 on invoice INV-1; the over-charge (price_above_agreed) of USD 60.00 "
            "on invoice INV-2 + the over-charge (price_above_agreed) of USD 40.00 on invoice INV-3") in s.derivation
    # the one claim of its amount, no set of others making it: settled, the invoices referenced said
    one = parse_invoice(credit_note(amount="100.00", references=("INV-1", "INV-2")), "ubl")
    s = match_credit_note(one, [overcharge("INV-1", "100.00"), overcharge("INV-2", "50.00")])
    assert s.status == "settled" and s.claim.invoice_number == "INV-1"
    assert "(it references invoice(s) INV-1, INV-2; the same amount to the cent)" in s.derivation


def test_a_credit_notes_lines_naming_their_periods_win_over_sums():
    # its total is the two credits' sum, but its lines say 1,000.00 for each month: so each is applied
    text = credit_note(amount="2000.00", references=(), item="SLA credit September 2026").replace(
        '<cbc:LineExtensionAmount currencyID="USD">2000.00</cbc:LineExtensionAmount>\n  <cac:Item>',
        '<cbc:LineExtensionAmount currencyID="USD">1000.00</cbc:LineExtensionAmount>\n  <cac:Item>').replace(
        "</cac:CreditNoteLine>",
        '</cac:CreditNoteLine>\n <cac:CreditNoteLine><cbc:ID>2</cbc:ID><cbc:CreditedQuantity unitCode="C62">1'
        '</cbc:CreditedQuantity><cbc:LineExtensionAmount currencyID="USD">1000.00</cbc:LineExtensionAmount>'
        '<cac:Item><cbc:Name>SLA credit October 2026</cbc:Name></cac:Item></cac:CreditNoteLine>')
    note = parse_invoice(text, "ubl")
    assert [li.amount for li in note.lines] == [Decimal("1000.00"), Decimal("1000.00")]
    s = match_credit_note(note, [sla("2026-09", "1200.00"), sla("2026-10", "800.00")])
    assert s.status == "partial" and s.surplus == Money(Decimal("200.00"), "USD")
    assert [(p.claim.period, p.applied.amount, p.remaining.amount, p.status) for p in s.parts] == [
        ("2026-09", Decimal("1000.00"), Decimal("200.00"), "partial"),
        ("2026-10", Decimal("800.00"), Decimal(0), "settled")]
    assert "(its line(s) for 2026-09: 1,000.00) settles part of" in s.derivation
    assert "1,200.00 - 1,000.00 = USD 200.00 still owed" in s.derivation
    assert "1,000.00 - 800.00 = USD 200.00 more than was owed" in s.derivation
    # its one-line summary (the finding's) says the surplus too, not only the derivation
    assert s.summary() == ("USD 2,000.00 settles part of the 2026-09 SLA credit of USD 1,200.00 and the 2026-10 SLA "
                           "credit of USD 800.00, USD 200.00 of the 2026-09 SLA credit of USD 1,200.00 still owed; "
                           "USD 200.00 more than was owed (not applied to anything else)")
