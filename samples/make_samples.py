"""Generate the sample contracts in samples/ (PDFs with a text layer) and their upload metadata.

    .venv/bin/python samples/make_samples.py            # writes next to this file
    .venv/bin/python samples/make_samples.py --out DIR  # writes somewhere else

The contracts are fictional and were written for clausewatch (no text is taken from a real
contract). The output is deterministic: every PDF carries a fixed creation date and an /ID derived
from its own bytes, so re-running with the same fpdf2 version reproduces the files byte for byte.
The generated PDFs are committed, so `make demo` never needs fpdf2.

samples/README.md is the answer key (the facts a correct extractor must find); it is written by
hand, not generated, so that a change of wording here must be checked against it by a person.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

HERE = Path(__file__).resolve().parent

# Typography: body in Times, headings in Helvetica, as a law-firm template would.
BODY_FONT, BODY_SIZE, LINE_H = "Times", 10.5, 5.0
HEAD_FONT = "Helvetica"
NUMBER_W = 11.0  # hanging indent of a numbered clause (mm)
ITEM_W = 9.0  # hanging indent of an (a), (b) item, inside a clause


@dataclass(frozen=True)
class Signer:
    party: str  # as printed above the signature line, e.g. "NORTHWIND ANALYTICS, INC."
    name: str
    title: str
    date: str  # as the signer wrote it, in the contract's own date style


@dataclass
class ContractSpec:
    """One sample: its file name, page set-up, PDF info and how to write its body."""

    filename: str
    title: str
    running_head: str  # printed at the top of pages 2+
    page_format: str  # "Letter" (US) or "A4" (UK)
    created: datetime  # PDF creation date: fixed, so the bytes are reproducible
    author: str
    write: Callable[[ContractPDF], None]
    metadata: dict[str, str] = field(default_factory=dict)  # S3 object metadata of the upload


class ContractPDF(FPDF):
    """An FPDF with the few building blocks a contract needs (clauses, items, tables, signatures)."""

    def __init__(self, spec: ContractSpec) -> None:
        super().__init__(orientation="P", unit="mm", format=spec.page_format)
        self.spec = spec
        self.set_margins(25, 22, 25)
        self.set_auto_page_break(True, margin=22)
        self.set_creation_date(spec.created)
        self.set_title(spec.title)
        self.set_author(spec.author)
        self.set_creator("clausewatch samples/make_samples.py")
        self.set_lang("en-GB" if spec.page_format == "A4" else "en-US")
        self.add_page()

    # --- page furniture (part of the text layer, as in real contracts) --------------------------
    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(HEAD_FONT, "", 7.5)
            self.set_text_color(90)
            self.cell(0, 4, self.spec.running_head, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0)
            self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(HEAD_FONT, "", 7.5)
        self.set_text_color(90)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    # --- building blocks --------------------------------------------------------------------------
    def _ensure_room(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit (keeps a heading with its first line)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def doc_title(self, text: str, subtitle: str | None = None) -> None:
        self.set_font(HEAD_FONT, "B", 14)
        self.multi_cell(0, 7, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(HEAD_FONT, "", 10)
            self.multi_cell(0, 5.5, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(5)

    def para(self, text: str, align: str = "J", style: str = "", after: float = 2.5,
             indent: float = 0.0) -> None:
        """A paragraph; ``**bold**`` marks defined-term headings inside the text."""
        self.set_font(BODY_FONT, style, BODY_SIZE)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, LINE_H, text, align=align, markdown=True,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(after)

    def heading(self, number: str, text: str) -> None:
        self._ensure_room(LINE_H * 4)
        self.ln(1)
        self.set_font(HEAD_FONT, "B", 10)
        label = f"{number}  {text}" if number else text
        self.cell(0, LINE_H + 0.5, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def clause(self, number: str, text: str, after: float = 2.0) -> None:
        """A numbered clause with a hanging indent: '3.2  Renewal. Upon expiration ...'."""
        self._ensure_room(LINE_H * 2)
        self.set_font(BODY_FONT, "", BODY_SIZE)
        self.cell(NUMBER_W, LINE_H, number)
        self.multi_cell(0, LINE_H, text, align="J", markdown=True,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(after)

    def item(self, label: str, text: str, after: float = 1.2) -> None:
        """A lettered item inside a clause: '(a) the Discovery Report, ...'."""
        self._ensure_room(LINE_H * 2)
        self.set_font(BODY_FONT, "", BODY_SIZE)
        self.set_x(self.l_margin + NUMBER_W)
        self.cell(ITEM_W, LINE_H, label)
        self.multi_cell(0, LINE_H, text, align="J", markdown=True,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(after)

    def grid(self, rows: list[tuple[str, ...]], col_widths: tuple[float, ...],
             indent: float = NUMBER_W) -> None:
        """A bordered table whose first row is the heading row."""
        self._ensure_room(LINE_H * (len(rows) + 1))
        self.set_font(BODY_FONT, "", 9.5)
        width = self.epw - indent
        self.set_x(self.l_margin + indent)
        with self.table(col_widths=col_widths, width=width, align="RIGHT", text_align="LEFT",
                        line_height=4.6, padding=1.2,
                        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 232, 232))) as t:
            for row in rows:
                r = t.row()
                for value in row:
                    r.cell(value)
        self.ln(3)

    def signatures(self, intro: str, left: Signer, right: Signer) -> None:
        """'IN WITNESS WHEREOF ...' and two signature blocks side by side, drawn row by row."""
        self._ensure_room(LINE_H * 14)
        self.ln(2)
        self.para(intro)
        self.ln(3)
        col = (self.epw - 10) / 2
        x_left, x_right = self.l_margin, self.l_margin + col + 10

        def row(left_text: str, right_text: str, style: str = "", height: float = LINE_H,
                signature: bool = False) -> None:
            y = self.get_y()
            for x, text in ((x_left, left_text), (x_right, right_text)):
                self.set_xy(x, y)
                if signature:  # the hand-signed line: '/s/ name' in italics over a rule
                    self.set_font(BODY_FONT, "", BODY_SIZE)
                    self.cell(9, height, "By:")
                    self.set_font(BODY_FONT, "I", BODY_SIZE + 1.5)
                    self.cell(col - 9, height, text)
                    self.line(x + 9, y + height, x + col - 4, y + height)
                else:
                    self.set_font(BODY_FONT, style, BODY_SIZE)
                    self.cell(col, height, text)
            self.set_xy(self.l_margin, y + height)

        row(left.party, right.party, style="B")
        self.ln(5)
        row(f"/s/ {left.name}", f"/s/ {right.name}", height=LINE_H + 1, signature=True)
        self.ln(1.5)
        row(f"Name: {left.name}", f"Name: {right.name}")
        row(f"Title: {left.title}", f"Title: {right.title}")
        row(f"Date: {left.date}", f"Date: {right.date}")
        self.ln(4)


# =================================================================================================
# The contracts. Fictional parties; wording written for this project.
# =================================================================================================

def write_saas(pdf: ContractPDF) -> None:
    pdf.doc_title("SAAS SUBSCRIPTION AGREEMENT")
    pdf.para('This SaaS Subscription Agreement (this "Agreement") is entered into as of March 1, '
             '2024 (the "Effective Date") by and between Northwind Analytics, Inc., a Delaware '
             'corporation having its principal place of business at 1180 Varick Street, 9th Floor, '
             'New York, New York 10013 ("Provider"), and Bluestem Logistics Corp., a New Jersey '
             'corporation having its principal place of business at 85 Meadowlands Parkway, '
             'Secaucus, New Jersey 07094 ("Customer"). Provider and Customer are each referred to '
             'as a "Party" and together as the "Parties".')
    pdf.para('WHEREAS, Provider operates a hosted freight and warehouse analytics platform known as '
             'Northwind Insight; and WHEREAS, Customer wishes to subscribe to that platform on the '
             'terms set out below; NOW, THEREFORE, in consideration of the mutual covenants '
             'contained herein, the Parties agree as follows:')

    pdf.heading("1.", "DEFINITIONS")
    pdf.clause("1.1", '"Services" means Provider\'s hosted software-as-a-service platform known as '
               'Northwind Insight, including all updates and new releases that Provider makes '
               'generally available to its subscribers during the Term.')
    pdf.clause("1.2", '"Authorized Users" means Customer\'s employees and contractors whom Customer '
               'permits to use the Services, up to the number of subscriptions purchased.')
    pdf.clause("1.3", '"Business Day" means any day other than a Saturday, a Sunday or a day on '
               'which commercial banks in New York, New York are authorized or required by law to '
               'close.')
    pdf.clause("1.4", '"Customer Data" means all data and information submitted to the Services by '
               'or on behalf of Customer.')

    pdf.heading("2.", "SUBSCRIPTION")
    pdf.clause("2.1", 'Subject to this Agreement, Provider grants Customer a non-exclusive, '
               'non-transferable right during the Term to access and use the Services for up to two '
               'hundred fifty (250) Authorized Users, solely for Customer\'s internal business '
               'purposes.')
    pdf.clause("2.2", 'Customer shall not (a) resell or sublicense the Services, (b) reverse engineer '
               'any part of the Services, or (c) use the Services to build a competing product.')

    pdf.heading("3.", "TERM AND RENEWAL")
    pdf.clause("3.1", '**Initial Term.** This Agreement commences on the Effective Date and shall '
               'continue for an initial term of thirty-six (36) months from the Effective Date (the '
               '"Initial Term"), unless terminated earlier in accordance with Section 9.')
    pdf.clause("3.2", '**Automatic Renewal.** Upon expiration of the Initial Term, this Agreement '
               'shall automatically renew for successive twelve (12) month periods (each, a '
               '"Renewal Term" and, together with the Initial Term, the "Term"), unless either Party '
               'gives the other Party written notice of non-renewal at least sixty (60) days prior '
               'to the end of the then-current term.')

    pdf.heading("4.", "FEES AND PAYMENT")
    pdf.clause("4.1", '**Subscription Fees.** Customer shall pay Provider an annual subscription '
               'fee of One Hundred Eighty-Six Thousand Dollars ($186,000) (the "Subscription Fees"), '
               'invoiced annually in advance on the Effective Date and on each anniversary of the '
               'Effective Date.')
    pdf.clause("4.2", '**Payment Terms.** All fees are payable in U.S. dollars, net thirty (30) days '
               'from the invoice date. Undisputed amounts not paid when due shall bear interest at '
               'the lesser of one percent (1.0%) per month and the highest rate permitted by law.')
    pdf.clause("4.3", '**Disputes.** Customer shall notify Provider in writing of any good-faith '
               'dispute of an invoice within fifteen (15) days after receipt of that invoice and '
               'shall pay the undisputed portion when due.')
    pdf.clause("4.4", '**Price Increases.** Provider may increase the Subscription Fees for any '
               'Renewal Term by written notice to Customer given no later than seventy-five (75) '
               'days prior to the end of the then-current term; provided that any such increase '
               'shall not exceed five percent (5%) of the Subscription Fees in effect for the '
               'immediately preceding term.')
    pdf.clause("4.5", '**Taxes.** Fees are exclusive of sales, use and similar taxes, which Customer '
               'shall pay, other than taxes on Provider\'s net income.')

    pdf.heading("5.", "SERVICE LEVELS AND SUPPORT")
    pdf.clause("5.1", '**Availability.** Provider shall make the Services available at least '
               '99.9% of the time in each calendar month ("Monthly Availability"), excluding '
               'scheduled maintenance of not more than eight (8) hours per month performed between '
               '10:00 p.m. and 4:00 a.m. Eastern Time on at least seventy-two (72) hours\' notice.')
    pdf.clause("5.2", '**Service Credits.** If Monthly Availability falls below 99.9% in any '
               'calendar month, Customer shall be entitled to a credit against its next invoice '
               'equal to the following percentage of one-twelfth (1/12) of the annual Subscription '
               'Fees:', after=1.5)
    pdf.grid([("Monthly Availability", "Service Credit"),
              ("Less than 99.9% but at least 99.5%", "5%"),
              ("Less than 99.5% but at least 99.0%", "10%"),
              ("Less than 99.0% but at least 95.0%", "25%"),
              ("Less than 95.0%", "50%")], col_widths=(3, 1))
    pdf.para('Customer must request a service credit in writing within thirty (30) days after the '
             'end of the affected month. Service credits are Customer\'s sole remedy for '
             'unavailability, except that if Monthly Availability is below 95.0% in any three (3) '
             'consecutive months Customer may terminate this Agreement for cause under Section 9.2.',
             indent=NUMBER_W)
    pdf.clause("5.3", '**Support and Response Times.** Provider shall provide telephone, email and '
               'portal support and shall respond to support requests within the following times, '
               'measured from Customer\'s report:', after=1.5)
    pdf.grid([("Severity", "Definition", "Initial Response", "Status Updates"),
              ("Severity 1 (Critical)", "Services unavailable or Customer Data at risk",
               "1 hour, 24x7", "Every 2 hours"),
              ("Severity 2 (High)", "Major function impaired; no workaround",
               "4 hours, 24x7", "Every 8 hours"),
              ("Severity 3 (Medium)", "Function impaired; workaround available",
               "1 Business Day", "Every 2 Business Days"),
              ("Severity 4 (Low)", "Question or cosmetic defect",
               "3 Business Days", "As agreed")], col_widths=(2.2, 3.6, 2.0, 2.0))
    pdf.clause("5.4", '**Monthly Service Report.** Provider shall deliver to Customer a written '
               'service report within ten (10) Business Days after the end of each calendar month, '
               'stating the Monthly Availability achieved, the incidents opened and resolved by '
               'severity, the response times achieved and any service credits due.')

    pdf.heading("6.", "CUSTOMER DATA AND SECURITY")
    pdf.clause("6.1", 'As between the Parties, Customer owns all Customer Data. Provider shall '
               'process Customer Data only to provide the Services and shall maintain '
               'administrative, physical and technical safeguards no less protective than those '
               'described in its SOC 2 Type II report, a copy of which Provider shall provide upon '
               'Customer\'s reasonable request.')
    pdf.clause("6.2", 'Provider shall notify Customer of any unauthorized access to Customer Data '
               'without undue delay and in any event within seventy-two (72) hours after becoming '
               'aware of it.')
    pdf.clause("6.3", 'For thirty (30) days after any expiration or termination of this Agreement, '
               'Provider shall make Customer Data available to Customer for export in a standard '
               'machine-readable format, after which Provider shall delete it.')

    pdf.heading("7.", "CONFIDENTIALITY")
    pdf.clause("7.1", 'Each Party shall hold the other Party\'s non-public information in '
               'confidence, use it only to perform this Agreement and disclose it only to its '
               'personnel and advisers who need to know it and are bound by duties of '
               'confidentiality at least as protective as this Section 7.')

    pdf.heading("8.", "WARRANTIES; LIMITATION OF LIABILITY")
    pdf.clause("8.1", 'Provider warrants that the Services will perform materially in accordance '
               'with their documentation. EXCEPT AS EXPRESSLY STATED IN THIS AGREEMENT, THE SERVICES '
               'ARE PROVIDED "AS IS" AND PROVIDER DISCLAIMS ALL IMPLIED WARRANTIES.')
    pdf.clause("8.2", 'EXCEPT FOR BREACH OF SECTION 7, NEITHER PARTY\'S AGGREGATE LIABILITY UNDER '
               'THIS AGREEMENT SHALL EXCEED THE FEES PAID OR PAYABLE BY CUSTOMER IN THE TWELVE (12) '
               'MONTHS PRECEDING THE EVENT GIVING RISE TO THE CLAIM.')

    pdf.heading("9.", "TERMINATION")
    pdf.clause("9.1", '**Termination for Convenience.** Customer may terminate this Agreement for '
               'convenience at any time upon ninety (90) days\' prior written notice to Provider. '
               'Provider shall refund to Customer, on a pro rata basis, any prepaid Subscription '
               'Fees covering the period after the effective date of termination.')
    pdf.clause("9.2", '**Termination for Cause.** Either Party may terminate this Agreement upon '
               'written notice if the other Party materially breaches this Agreement and fails to '
               'cure the breach within thirty (30) days after receiving written notice of it.')
    pdf.clause("9.3", '**Effect.** Upon any expiration or termination, Customer\'s right to use the '
               'Services ends, subject to Section 6.3. Sections 4, 6.3, 7, 8 and 10 survive.')

    pdf.heading("10.", "GENERAL")
    pdf.clause("10.1", '**Governing Law.** This Agreement shall be governed by and construed in '
               'accordance with the laws of the State of New York, without regard to its conflict of '
               'laws principles. The state and federal courts located in New York County, New York '
               'shall have exclusive jurisdiction over any dispute arising under this Agreement.')
    pdf.clause("10.2", '**Notices.** Notices under this Agreement shall be in writing and delivered '
               'by hand, by nationally recognized overnight courier or by email with confirmation '
               'of receipt, to the addresses set out above (to Provider, attention: General Counsel; '
               'to Customer, attention: Vice President, Procurement). Notices are effective upon '
               'receipt.')
    pdf.clause("10.3", '**Entire Agreement.** This Agreement is the entire agreement of the Parties '
               'on its subject matter and may be amended only by a writing signed by both Parties. '
               'Neither Party may assign this Agreement without the other Party\'s prior written '
               'consent, except to a successor to all or substantially all of its business.')
    pdf.clause("10.4", '**Counterparts.** This Agreement may be executed in counterparts and by '
               'electronic signature, each of which is deemed an original.')
    pdf.signatures('IN WITNESS WHEREOF, the Parties have caused this Agreement to be executed by '
                   'their duly authorized representatives as of the Effective Date.',
                   Signer("NORTHWIND ANALYTICS, INC.", "Daniel K. Whitcombe",
                          "Chief Revenue Officer", "February 26, 2024"),
                   Signer("BLUESTEM LOGISTICS CORP.", "Maria L. Okafor",
                          "Vice President, Procurement", "February 28, 2024"))


def write_services(pdf: ContractPDF) -> None:
    pdf.doc_title("PROFESSIONAL SERVICES AGREEMENT")
    pdf.para('This Professional Services Agreement (this "Agreement") is entered into as of '
             'January 10, 2025, by and between Larkspur Digital Partners LLC, a California limited '
             'liability company with offices at 2200 Harbor View Drive, Suite 300, San Diego, '
             'California 92101 ("Consultant"), and Tidewater Regional Foods, Inc., a California '
             'corporation with offices at 1480 Orchard Park Road, Fresno, California 93721 '
             '("Client").')
    pdf.para('RECITALS. Client intends to migrate its enterprise resource planning, warehouse '
             'management and related integration systems to a cloud platform (the "Program"), and '
             'wishes to engage Consultant to plan and carry out the Program. Consultant has the '
             'expertise to do so. The parties therefore agree as follows:')

    pdf.heading("1.", "SERVICES")
    pdf.clause("1.1", 'Consultant shall perform the assessment, design, migration and support '
               'services described in this Agreement (the "Services") and shall deliver the '
               'deliverables listed in Section 3 (the "Deliverables"), in a professional and '
               'workmanlike manner consistent with generally accepted industry standards.')
    pdf.clause("1.2", 'Consultant shall assign a dedicated engagement manager and shall not replace '
               'the engagement manager without Client\'s prior written consent, which Client shall '
               'not unreasonably withhold.')
    pdf.clause("1.3", 'Either party may request a change to the Services. No change is binding '
               'unless set out in a written change order signed by both parties that states its '
               'effect on the fees and the due dates of the Deliverables.')

    pdf.heading("2.", "TERM")
    pdf.clause("2.1", 'The term of this Agreement shall commence on January 15, 2025 and expire on '
               'December 31, 2026 (the "Term"), unless terminated earlier as provided in Section 8.')
    pdf.clause("2.2", 'This Agreement shall not renew automatically. The Term may be renewed or '
               'extended only by mutual written agreement, in an amendment signed by authorized '
               'representatives of both parties.')

    pdf.heading("3.", "DELIVERABLES AND DUE DATES")
    pdf.clause("3.1", 'Consultant shall deliver each of the following Deliverables to Client on or '
               'before the date stated for it (each, a "Due Date"):', after=1.2)
    pdf.item("(a)", 'the Discovery Report, a current-state assessment of Client\'s ERP, warehouse '
             'management and integration landscape, due no later than April 30, 2025;')
    pdf.item("(b)", 'the Target Architecture Design, due on or before the 31st day of July, 2025;')
    pdf.item("(c)", 'the Pilot Migration Completion Report for Client\'s Fresno distribution '
             'center, due by March 13, 2026;')
    pdf.item("(d)", 'the Final Migration Plan, covering all remaining sites, by September 30, '
             '2026; and')
    pdf.item("(e)", 'the Hypercare Close-out Report, including completed knowledge-transfer '
             'sessions for Client\'s support staff, due no later than December 15, 2026.', after=2.0)
    pdf.clause("3.2", 'Client shall review each Deliverable and notify Consultant in writing of its '
               'acceptance or of any material nonconformity within ten (10) business days after '
               'delivery. Consultant shall correct any nonconformity and redeliver the Deliverable '
               'within ten (10) business days after Client\'s notice.')
    pdf.clause("3.3", 'If Consultant expects to miss a Due Date, it shall notify Client promptly, '
               'stating the cause and a recovery plan. A Due Date moves only by a change order '
               'under Section 1.3.')

    pdf.heading("4.", "STATUS REPORTING")
    pdf.clause("4.1", 'Consultant shall deliver to Client a written status report within fifteen '
               '(15) days after the end of each calendar quarter during the Term, describing '
               'progress against the Due Dates, open risks and issues, hours expended and the '
               'portion of the fees invoiced to date.')
    pdf.clause("4.2", 'The parties\' engagement leads shall meet at least once each month to review '
               'the Program; Consultant shall circulate minutes of each meeting.')

    pdf.heading("5.", "FEES AND PAYMENT")
    pdf.clause("5.1", 'Client shall pay Consultant a fixed fee of One Million Two Hundred Forty '
               'Thousand Dollars ($1,240,000) for the Services, payable in installments upon '
               'Client\'s acceptance of each Deliverable: (a) 15%; (b) 15%; (c) 25%; (d) 25%; and '
               '(e) 20%.')
    pdf.clause("5.2", 'Consultant shall invoice each installment upon acceptance of the related '
               'Deliverable. Client shall pay each undisputed invoice within forty-five (45) days of '
               'receipt. Client shall notify Consultant of any disputed amount before its due date.')
    pdf.clause("5.3", 'Client shall reimburse reasonable travel expenses approved by Client in '
               'advance, not to exceed eight percent (8%) of the fixed fee in the aggregate.')

    pdf.heading("6.", "CLIENT RESPONSIBILITIES")
    pdf.clause("6.1", 'Client shall provide timely access to its personnel, systems, data and '
               'facilities as reasonably required. Consultant is excused from a Due Date to the '
               'extent a delay is caused by Client\'s failure to do so.')

    pdf.heading("7.", "INTELLECTUAL PROPERTY AND CONFIDENTIALITY")
    pdf.clause("7.1", 'Upon payment, Client shall own all Deliverables. Consultant retains its '
               'pre-existing tools and methods and grants Client a perpetual, royalty-free license '
               'to use any of them embedded in a Deliverable.')
    pdf.clause("7.2", 'Each party shall keep confidential all non-public information of the other '
               'party and use it only to perform this Agreement, during the Term and for three (3) '
               'years thereafter.')

    pdf.heading("8.", "TERMINATION")
    pdf.clause("8.1", 'Client may terminate this Agreement for convenience upon thirty (30) days\' '
               'prior written notice to Consultant. Client shall pay for Services performed through '
               'the effective date of termination, pro rated against the next unpaid installment.')
    pdf.clause("8.2", 'Either party may terminate this Agreement upon written notice if the other '
               'party materially breaches it and fails to cure the breach within twenty (20) days '
               'after written notice describing the breach.')
    pdf.clause("8.3", 'Upon any termination, Consultant shall deliver to Client all work in progress '
               'within ten (10) days.')

    pdf.heading("9.", "GENERAL")
    pdf.clause("9.1", 'This Agreement shall be governed by the laws of the State of California, '
               'without regard to its conflict of laws rules. The state courts located in Fresno '
               'County, California shall have exclusive jurisdiction over any dispute.')
    pdf.clause("9.2", 'Consultant is an independent contractor. Notices shall be in writing and '
               'delivered by courier or certified mail to the addresses above, with a copy by email.')
    pdf.clause("9.3", 'This Agreement is the entire agreement of the parties on its subject matter '
               'and may be amended only in a writing signed by both parties.')
    pdf.signatures('IN WITNESS WHEREOF, the parties have executed this Agreement as of the date '
                   'first written above.',
                   Signer("LARKSPUR DIGITAL PARTNERS LLC", "Evan R. Castellanos",
                          "Managing Partner", "January 9, 2025"),
                   Signer("TIDEWATER REGIONAL FOODS, INC.", "Sandra J. Whitfield",
                          "Chief Information Officer", "January 10, 2025"))


SUPPLY_PRICES_2023 = [("GRP-1016", "16 oz round container, natural PP", "Case of 500", "$41.50"),
                      ("GRP-1032", "32 oz round container, natural PP", "Case of 500", "$58.75"),
                      ("GRP-2100", "Snap-fit lid, 4.5 in., clear", "Case of 1,000", "$36.20")]
# Amendment No. 1: each increase stays within the 3% annual cap of Section 5.2
SUPPLY_PRICES_2026 = [("GRP-1016", "16 oz round container, natural PP", "Case of 500", "$42.70"),
                      ("GRP-1032", "32 oz round container, natural PP", "Case of 500", "$60.45"),
                      ("GRP-2100", "Snap-fit lid, 4.5 in., clear", "Case of 1,000", "$37.25")]


def write_supply(pdf: ContractPDF) -> None:
    pdf.doc_title("SUPPLY AGREEMENT", "dated as of June 3, 2023")
    pdf.para('THIS SUPPLY AGREEMENT (this "Agreement") is made this 3rd day of June, 2023 (the '
             '"Effective Date"), by and between Granite Ridge Polymers, LLC, a Delaware limited '
             'liability company with its principal office at 7700 Quarry Road, Joliet, Illinois '
             '60436 ("Supplier"), and Brightwater Home Products, Inc., a Delaware corporation with '
             'its principal office at 311 West Kinzie Street, Chicago, Illinois 60654 ("Buyer").')
    pdf.para('WHEREAS, Supplier manufactures injection-molded food-grade containers; and WHEREAS, '
             'Buyer wishes to purchase such containers from Supplier for use in its packaged goods '
             'business; NOW, THEREFORE, in consideration of the mutual promises set forth below, '
             'the parties agree as follows:')

    pdf.heading("1.", "DEFINITIONS")
    pdf.clause("1.1", '"Products" means the products listed in Exhibit A, manufactured in '
               'accordance with the specifications agreed in writing by the parties (the '
               '"Specifications").')
    pdf.clause("1.2", '"Contract Year" means each period of twelve (12) months beginning on the '
               'Effective Date or on an anniversary of the Effective Date.')
    pdf.clause("1.3", '"Business Day" means a day other than a Saturday, Sunday or federal holiday '
               'in the United States.')

    pdf.heading("2.", "SUPPLY AND PURCHASE ORDERS")
    pdf.clause("2.1", 'Supplier shall manufacture and sell to Buyer, and Buyer shall purchase from '
               'Supplier, the Products ordered under purchase orders issued by Buyer ("Purchase '
               'Orders"). Buyer shall issue each Purchase Order at least thirty (30) days before '
               'the requested delivery date.')
    pdf.clause("2.2", 'Supplier shall acknowledge each Purchase Order within three (3) Business '
               'Days after receipt and shall accept every Purchase Order that is consistent with '
               'the binding portion of the most recent Forecast.')

    pdf.heading("3.", "FORECASTS")
    pdf.clause("3.1", 'Buyer shall deliver to Supplier, no later than the fifth (5th) day of each '
               'calendar month, a rolling twelve (12) month forecast of its anticipated '
               'requirements for each Product (each, a "Forecast").')
    pdf.clause("3.2", 'The first three (3) months of each Forecast are a binding commitment to '
               'order; the remaining months are non-binding estimates made in good faith.')

    pdf.heading("4.", "MINIMUM PURCHASE COMMITMENT")
    pdf.clause("4.1", 'In each Contract Year, Buyer shall purchase Products having an aggregate '
               'purchase price of not less than Two Million Four Hundred Thousand Dollars '
               '($2,400,000) (the "Minimum Annual Commitment").')
    pdf.clause("4.2", 'If Buyer\'s purchases in a Contract Year are less than the Minimum Annual '
               'Commitment, Supplier may, within sixty (60) days after the end of that Contract '
               'Year, invoice Buyer for twenty percent (20%) of the shortfall, as Supplier\'s sole '
               'remedy for the shortfall.')

    pdf.heading("5.", "PRICES AND PAYMENT")
    pdf.clause("5.1", 'The prices for the Products are set forth in Exhibit A (the "Prices") and '
               'are stated FCA Supplier\'s Joliet facility (Incoterms 2020).')
    pdf.clause("5.2", 'Supplier may increase the Prices once in each Contract Year, effective on an '
               'anniversary of the Effective Date, by giving Buyer not less than sixty (60) days\' '
               'prior written notice; provided that no such increase shall exceed three percent '
               '(3%) of the Prices then in effect.')
    pdf.clause("5.3", 'Supplier shall invoice Buyer upon shipment. Buyer shall make payment within '
               'thirty (30) days of receipt of invoice. Amounts not paid when due bear interest at '
               'one percent (1%) per month.')

    pdf.heading("6.", "DELIVERY, TITLE AND RISK")
    pdf.clause("6.1", 'Title and risk of loss pass to Buyer upon delivery of the Products to '
               'Buyer\'s carrier at Supplier\'s facility. Supplier shall include a certificate of '
               'analysis with each shipment.')

    pdf.heading("7.", "QUALITY AND WARRANTY")
    pdf.clause("7.1", 'Supplier warrants that the Products will conform to the Specifications and '
               'be free from defects in materials and workmanship for twelve (12) months after '
               'delivery. Buyer shall notify Supplier of any nonconformity within forty-five (45) '
               'days after discovering it.')
    pdf.clause("7.2", 'Supplier shall maintain a quality system certified to ISO 9001 and shall '
               'permit Buyer to audit its facility once per Contract Year on reasonable notice.')

    pdf.heading("8.", "INDEMNITY AND INSURANCE")
    pdf.clause("8.1", 'Supplier shall indemnify Buyer against third-party claims arising from '
               'defective Products, and shall maintain product liability insurance of at least '
               '$5,000,000 per occurrence throughout the Term.')

    pdf.heading("9.", "CONFIDENTIALITY")
    pdf.clause("9.1", 'Each party shall keep the other party\'s confidential information, '
               'including the Prices and the Forecasts, in confidence and use it only to perform '
               'this Agreement.')

    pdf.heading("10.", "LIMITATION OF LIABILITY")
    pdf.clause("10.1", 'Neither party shall be liable for indirect, incidental or consequential '
               'damages, except for breach of Section 9 or a party\'s indemnity obligations.')

    pdf.heading("11.", "TERM AND TERMINATION")
    pdf.clause("11.1", 'This Agreement shall commence on the Effective Date and continue for an '
               'initial term of three (3) years from the Effective Date (the "Initial Term"). '
               'Thereafter, this Agreement shall renew automatically for successive one (1) year '
               'periods (each, a "Renewal Term"), unless either party gives the other party not '
               'less than ninety (90) days\' written notice of non-renewal prior to the expiration '
               'of the then-current term.')
    pdf.clause("11.2", 'Either party may terminate this Agreement upon written notice if the other '
               'party (a) materially breaches this Agreement and fails to cure the breach within '
               'thirty (30) days after written notice, or (b) becomes insolvent or makes an '
               'assignment for the benefit of creditors.')
    pdf.clause("11.3", 'Upon expiration or termination, Buyer shall pay for all conforming Products '
               'delivered and for Products ordered under the binding portion of any Forecast.')

    pdf.heading("12.", "GENERAL")
    pdf.clause("12.1", 'This Agreement shall be governed by and construed in accordance with the '
               'laws of the State of Delaware, without giving effect to any choice of law rule that '
               'would cause the application of the laws of any other jurisdiction.')
    pdf.clause("12.2", 'Notices shall be in writing and delivered by hand, by overnight courier or '
               'by certified mail, return receipt requested, to the addresses set out above, and '
               'are effective upon receipt.')
    pdf.clause("12.3", 'Neither party is liable for a delay caused by events beyond its reasonable '
               'control, provided it notifies the other party promptly and resumes performance as '
               'soon as practicable.')
    pdf.clause("12.4", 'This Agreement, including Exhibit A, is the entire agreement of the parties '
               'and may be amended only by a written instrument signed by both parties.')
    pdf.signatures('IN WITNESS WHEREOF, the parties have executed this Agreement as of the day and '
                   'year first above written.',
                   Signer("GRANITE RIDGE POLYMERS, LLC", "Thomas A. Brandvold", "President",
                          "June 1, 2023"),
                   Signer("BRIGHTWATER HOME PRODUCTS, INC.", "Angela M. Ferraro",
                          "SVP, Supply Chain", "June 3, 2023"))
    pdf.add_page()  # exhibits start on their own page
    pdf.heading("", "EXHIBIT A - PRODUCTS AND PRICES")
    pdf.para("Prices in effect as of the Effective Date, per unit of sale, FCA Joliet, Illinois.")
    pdf.grid([("SKU", "Description", "Unit of Sale", "Price")] + SUPPLY_PRICES_2023,
             col_widths=(1.3, 3.6, 1.6, 1.0), indent=0)


def write_uk_licence(pdf: ContractPDF) -> None:
    pdf.doc_title("SOFTWARE LICENCE AGREEMENT")
    pdf.para("**This Agreement is dated 1 April 2024**", align="L")
    pdf.heading("", "PARTIES")
    pdf.clause("(1)", 'FENWICK LANE SOFTWARE LIMITED, incorporated and registered in England and '
               'Wales with company number 09184426, whose registered office is at 14 Cathedral '
               'Yard, Exeter EX1 1HB ("Licensor"); and')
    pdf.clause("(2)", 'ASHDOWN RETAIL GROUP LIMITED, incorporated and registered in England and '
               'Wales with company number 05530718, whose registered office is at Unit 7, '
               'Kingsmead Business Park, Reading RG2 0QT ("Licensee").')
    pdf.heading("", "BACKGROUND")
    pdf.clause("(A)", 'The Licensor has developed the StockSight retail inventory and '
               'replenishment software (the "Software").')
    pdf.clause("(B)", 'The Licensee wishes to use the Software in its stores and the Licensor has '
               'agreed to license it on the terms of this Agreement.')
    pdf.heading("", "AGREED TERMS")

    pdf.heading("1.", "INTERPRETATION")
    pdf.clause("1.1", 'In this Agreement: "Business Day" means a day other than a Saturday, Sunday '
               'or public holiday in England when banks in London are open for business; '
               '"Commencement Date" means 1 April 2024; "Quarter" means each period of three months '
               'ending on 31 March, 30 June, 30 September and 31 December; and "Site" means a retail '
               'store operated by the Licensee in the United Kingdom.')

    pdf.heading("2.", "LICENCE")
    pdf.clause("2.1", 'The Licensor grants to the Licensee a non-exclusive, non-transferable '
               'licence to use the Software at up to one hundred and forty (140) Sites for the '
               'Licensee\'s internal business purposes during the term of this Agreement.')
    pdf.clause("2.2", 'The Licensee shall not copy, modify, sub-license or make the Software '
               'available to any third party, save as expressly permitted by this Agreement or by '
               'law.')

    pdf.heading("3.", "COMMENCEMENT AND TERM")
    pdf.clause("3.1", 'This Agreement shall commence on the Commencement Date and shall continue '
               'for an initial term of three (3) years from 1 April 2024 (the "Initial Term").')
    pdf.clause("3.2", 'On the expiry of the Initial Term this Agreement shall automatically renew '
               'for further periods of twelve (12) months (each a "Renewal Period"), unless either '
               'party terminates it by giving the other party not less than three (3) months\' '
               'written notice before the end of the then-current term (being the Initial Term or '
               'the relevant Renewal Period), in which case this Agreement shall terminate at the '
               'end of that term.')

    pdf.heading("4.", "FEES, ROYALTIES AND PAYMENT")
    pdf.clause("4.1", 'The Licensee shall pay the Licensor an annual licence fee of £64,000 (the '
               '"Licence Fee"), which the Licensor shall invoice annually in advance on 1 April in '
               'each year of this Agreement.')
    pdf.clause("4.2", 'In addition, the Licensee shall pay a royalty of £35 for each Site for each '
               'calendar month in which the Software is used at that Site (the "Royalty").')
    pdf.clause("4.3", 'Within thirty (30) days of the end of each Quarter, the Licensee shall '
               'deliver to the Licensor a written usage report stating the Sites at which the '
               'Software was used in each month of that Quarter and the Royalty due (a "Usage '
               'Report"). The Licensor shall invoice the Royalty on receipt of each Usage Report.')
    pdf.clause("4.4", 'The Licensee shall pay each invoice submitted by the Licensor within thirty '
               '(30) days of the date of the invoice, to a bank account nominated in writing by the '
               'Licensor.')
    pdf.clause("4.5", 'If the Licensee fails to pay any amount when due, interest shall accrue on '
               'the overdue amount at four per cent (4%) a year above the Bank of England\'s base '
               'rate from time to time, from the due date until payment.')
    pdf.clause("4.6", 'The Licensor may increase the Licence Fee with effect from 1 April in any '
               'year by giving the Licensee not less than sixty (60) days\' written notice, '
               'provided that no increase shall exceed the percentage increase in the Consumer '
               'Prices Index over the preceding twelve (12) months.')
    pdf.clause("4.7", 'All sums payable under this Agreement are exclusive of VAT, which the '
               'Licensee shall pay in addition at the applicable rate.')

    pdf.heading("5.", "SUPPORT AND MAINTENANCE")
    pdf.clause("5.1", 'The Licensor shall provide support between 9.00 am and 5.30 pm on Business '
               'Days, shall acknowledge Priority 1 faults within two (2) hours and shall use '
               'reasonable endeavours to resolve them within one (1) Business Day.')
    pdf.clause("5.2", 'The Licensor shall make available all updates and new versions of the '
               'Software that it makes generally available to its licensees.')

    pdf.heading("6.", "RECORDS AND AUDIT")
    pdf.clause("6.1", 'The Licensee shall keep complete and accurate records of its use of the '
               'Software. The Licensor may, no more than once in any twelve (12) month period and '
               'on not less than ten (10) Business Days\' notice, audit those records to verify the '
               'Royalty paid.')

    pdf.heading("7.", "CONFIDENTIALITY")
    pdf.clause("7.1", 'Each party shall keep confidential the other party\'s confidential '
               'information, including the Software, and shall use it only to perform its '
               'obligations or exercise its rights under this Agreement.')

    pdf.heading("8.", "LIMITATION OF LIABILITY")
    pdf.clause("8.1", 'Nothing in this Agreement limits liability for death or personal injury '
               'caused by negligence, or for fraud. Subject to that, each party\'s total liability '
               'in any calendar year shall not exceed the fees paid by the Licensee in the '
               'preceding twelve (12) months.')

    pdf.heading("9.", "TERMINATION")
    pdf.clause("9.1", 'Either party may terminate this Agreement with immediate effect by written '
               'notice if the other party commits a material breach which is not remedied within '
               'thirty (30) days of written notice requiring it to be remedied, or if the other '
               'party enters into administration, liquidation or any arrangement with its '
               'creditors.')
    pdf.clause("9.2", 'On termination or expiry the Licensee shall stop using the Software and, '
               'within fourteen (14) days, certify in writing that all copies have been deleted.')

    pdf.heading("10.", "NOTICES")
    pdf.clause("10.1", 'Any notice given under this Agreement shall be in writing and delivered by '
               'hand or by pre-paid first-class post or recorded delivery to the other party\'s '
               'registered office. A notice of termination may not be given by email.')

    pdf.heading("11.", "GENERAL")
    pdf.clause("11.1", 'This Agreement is the entire agreement between the parties. No variation '
               'of it is effective unless in writing and signed by the parties or their authorised '
               'representatives. A person who is not a party has no right under the Contracts '
               '(Rights of Third Parties) Act 1999 to enforce any of its terms.')

    pdf.heading("12.", "GOVERNING LAW AND JURISDICTION")
    pdf.clause("12.1", 'This Agreement and any dispute or claim (including non-contractual disputes '
               'or claims) arising out of or in connection with it shall be governed by and '
               'construed in accordance with the laws of England and Wales.')
    pdf.clause("12.2", 'Each party irrevocably agrees that the courts of England and Wales shall '
               'have exclusive jurisdiction to settle any such dispute or claim.')
    pdf.para("This Agreement has been entered into on the date stated at the beginning of it.")
    pdf.signatures('Signed by the authorised signatories of the parties:',
                   Signer("FENWICK LANE SOFTWARE LIMITED", "Olivia Hartley-Ward", "Director",
                          "27 March 2024"),
                   Signer("ASHDOWN RETAIL GROUP LIMITED", "Rupert J. Anand",
                          "Chief Financial Officer", "1 April 2024"))


def write_nda(pdf: ContractPDF) -> None:
    pdf.doc_title("MUTUAL NON-DISCLOSURE AGREEMENT")
    pdf.para('This Mutual Non-Disclosure Agreement (this "Agreement") is made this 20th day of '
             'February, 2025 (the "Effective Date") by and between Quillon Biosystems, Inc., a '
             'Delaware corporation with its principal place of business at 60 Ashburton Lane, '
             'Cambridge, Massachusetts 02141 ("Quillon"), and Redfern Materials Corporation, a '
             'Massachusetts corporation with its principal place of business at 1250 Turnpike '
             'Street, Canton, Massachusetts 02021 ("Redfern"). Quillon and Redfern are each a '
             '"Party" and together the "Parties".')
    pdf.para('The Parties wish to exchange certain confidential information for the sole purpose '
             'of evaluating a potential collaboration on biocompatible polymer coatings for '
             'medical devices (the "Purpose"). Each Party may disclose (as the "Disclosing Party") '
             'or receive (as the "Receiving Party") such information. The Parties therefore agree '
             'as follows:')

    pdf.heading("1.", "CONFIDENTIAL INFORMATION")
    pdf.clause("1.1", '"Confidential Information" means all non-public business, technical and '
               'financial information disclosed by the Disclosing Party to the Receiving Party in '
               'connection with the Purpose, whether disclosed orally, in writing or by inspection, '
               'that is marked or identified as confidential or that a reasonable person would '
               'understand to be confidential.')
    pdf.clause("1.2", 'Confidential Information does not include information that (a) is or '
               'becomes publicly available through no fault of the Receiving Party; (b) was known '
               'to the Receiving Party without restriction before disclosure; (c) is rightfully '
               'received from a third party without a duty of confidentiality; or (d) is '
               'independently developed without use of the Disclosing Party\'s information.')

    pdf.heading("2.", "OBLIGATIONS")
    pdf.clause("2.1", 'The Receiving Party shall (a) use the Confidential Information solely for '
               'the Purpose; (b) not disclose it except to its employees, officers and advisers who '
               'need to know it for the Purpose and are bound by written obligations at least as '
               'protective as this Agreement; and (c) protect it with at least the degree of care '
               'it uses for its own information of like importance, and no less than reasonable '
               'care.')
    pdf.clause("2.2", 'If the Receiving Party is required by law or court order to disclose '
               'Confidential Information, it shall give the Disclosing Party prompt written notice '
               '(where lawful) and disclose only the portion legally required.')

    pdf.heading("3.", "RETURN OF MATERIALS")
    pdf.clause("3.1", 'Within fifteen (15) days after the Disclosing Party\'s written request, the '
               'Receiving Party shall return or destroy all Confidential Information in its '
               'possession and certify the destruction in writing, except for copies retained in '
               'routine electronic back-ups or as required by law.')

    pdf.heading("4.", "TERM AND SURVIVAL")
    pdf.clause("4.1", 'This Agreement shall remain in effect for a term of two (2) years from the '
               'Effective Date, unless terminated earlier by either Party upon thirty (30) days\' '
               'prior written notice to the other Party.')
    pdf.clause("4.2", 'The Receiving Party\'s obligations under Sections 2 and 3 with respect to '
               'Confidential Information disclosed during the term shall survive for three (3) '
               'years after the expiration or termination of this Agreement; provided that '
               'obligations with respect to any trade secret shall continue for as long as it '
               'remains a trade secret under applicable law.')

    pdf.heading("5.", "NO LICENSE; NO OBLIGATION")
    pdf.clause("5.1", 'All Confidential Information remains the property of the Disclosing Party. '
               'No license is granted under any patent, copyright or other right. Neither Party is '
               'obliged to enter into any further agreement, and all information is provided "AS '
               'IS".')

    pdf.heading("6.", "REMEDIES")
    pdf.clause("6.1", 'A breach of this Agreement may cause irreparable harm for which damages are '
               'not an adequate remedy; the Disclosing Party may seek injunctive relief in addition '
               'to any other remedy.')

    pdf.heading("7.", "GENERAL")
    pdf.clause("7.1", 'This Agreement shall be governed by and construed in accordance with the '
               'laws of the Commonwealth of Massachusetts, without regard to its conflict of laws '
               'principles, and the Parties submit to the jurisdiction of the state and federal '
               'courts located in Suffolk County, Massachusetts.')
    pdf.clause("7.2", 'This Agreement is the entire agreement of the Parties on its subject matter, '
               'may be amended only in a writing signed by both Parties, and may be executed in '
               'counterparts, including by electronic signature.')
    pdf.signatures('IN WITNESS WHEREOF, the Parties have executed this Agreement as of the '
                   'Effective Date.',
                   Signer("QUILLON BIOSYSTEMS, INC.", "Hannah P. Lindqvist", "General Counsel",
                          "February 20, 2025"),
                   Signer("REDFERN MATERIALS CORPORATION", "Marcus T. Oyelaran",
                          "Chief Executive Officer", "February 19, 2025"))


def write_amendment(pdf: ContractPDF) -> None:
    pdf.doc_title("AMENDMENT NO. 1 TO SUPPLY AGREEMENT")
    pdf.para('This Amendment No. 1 to Supply Agreement (this "Amendment") is entered into as of '
             'September 15, 2026 (the "Amendment Effective Date") by and between Granite Ridge '
             'Polymers, LLC, a Delaware limited liability company ("Supplier"), and Brightwater '
             'Home Products, Inc., a Delaware corporation ("Buyer").')
    pdf.heading("", "RECITALS")
    pdf.clause("A.", 'Supplier and Buyer are parties to that certain Supply Agreement dated June 3, '
               '2023 (the "Agreement").')
    pdf.clause("B.", 'The Initial Term of the Agreement has expired and the Agreement renewed '
               'automatically pursuant to Section 11.1 of the Agreement for a Renewal Term that '
               'began on June 3, 2026.')
    pdf.clause("C.", 'Supplier and Buyer wish to lengthen the period of notice required for '
               'non-renewal and to revise the Prices, in each case as set forth below.')
    pdf.para('NOW, THEREFORE, in consideration of the mutual promises in this Amendment, the '
             'parties agree as follows:')

    pdf.clause("1.", '**Definitions.** Capitalized terms used but not defined in this Amendment '
               'have the meanings given to them in the Agreement.')
    pdf.clause("2.", '**Notice of Non-Renewal.** Section 11.1 of the Agreement is amended by '
               'deleting the words "not less than ninety (90) days\' written notice" and replacing '
               'them with "not less than one hundred twenty (120) days\' written notice". As so '
               'amended, the second sentence of Section 11.1 reads: "Thereafter, this Agreement '
               'shall renew automatically for successive one (1) year periods (each, a "Renewal '
               'Term"), unless either party gives the other party not less than one hundred twenty '
               '(120) days\' written notice of non-renewal prior to the expiration of the '
               'then-current term." This change applies to the Renewal Term in effect on the '
               'Amendment Effective Date and to every later term.')
    pdf.clause("3.", '**Prices.** Exhibit A to the Agreement is deleted and replaced with the '
               'following, effective for all Purchase Orders issued on or after October 1, 2026. '
               'The parties agree that this change is Supplier\'s price increase for the Contract '
               'Year that began on June 3, 2026 under Section 5.2 of the Agreement, and that no '
               'further increase may take effect before June 3, 2027.', after=1.5)
    pdf.grid([("SKU", "Description", "Unit of Sale", "Price")] + SUPPLY_PRICES_2026,
             col_widths=(1.3, 3.6, 1.6, 1.0))
    pdf.clause("4.", '**No Other Changes.** Except as expressly amended by this Amendment, the '
               'Agreement remains unchanged and in full force and effect. If this Amendment '
               'conflicts with the Agreement, this Amendment controls. References to the '
               '"Agreement" in the Agreement mean the Agreement as amended by this Amendment.')
    pdf.clause("5.", '**Governing Law.** This Amendment is governed by the laws of the State of '
               'Delaware, consistent with Section 12.1 of the Agreement.')
    pdf.clause("6.", '**Counterparts.** This Amendment may be executed in counterparts, including by '
               'electronic signature, each of which is an original and all of which together are '
               'one instrument.')
    pdf.signatures('IN WITNESS WHEREOF, the parties have executed this Amendment as of the '
                   'Amendment Effective Date.',
                   Signer("GRANITE RIDGE POLYMERS, LLC", "Thomas A. Brandvold", "President",
                          "September 14, 2026"),
                   Signer("BRIGHTWATER HOME PRODUCTS, INC.", "Angela M. Ferraro",
                          "SVP, Supply Chain", "September 15, 2026"))


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _meta(owner: str, team: str, contract_type: str, time_zone: str, counterparty: str,
          jurisdiction: str) -> dict[str, str]:
    """S3 object metadata as the uploader sets it; keys as in config.UPLOAD_METADATA_KEYS."""
    return {"owner": owner, "team": team, "contract-type": contract_type, "time-zone": time_zone,
            "counterparty": counterparty, "jurisdiction": jurisdiction}


CONTRACTS = [
    ContractSpec("saas-subscription-northwind.pdf", "SaaS Subscription Agreement",
                 "Northwind Analytics, Inc. / Bluestem Logistics Corp. - SaaS Subscription Agreement",
                 "Letter", _utc(2024, 2, 28, 19, 42, 7), "Northwind Analytics, Inc.", write_saas,
                 _meta("priya.raman@example.com", "procurement", "saas", "America/New_York",
                       "Northwind Analytics, Inc.", "US-NY")),
    ContractSpec("services-agreement-fixed-dates.pdf", "Professional Services Agreement",
                 "Larkspur Digital Partners LLC / Tidewater Regional Foods, Inc. - Professional "
                 "Services Agreement", "Letter", _utc(2025, 1, 10, 22, 5, 31),
                 "Larkspur Digital Partners LLC", write_services,
                 _meta("marcus.lee@example.com", "it-vendor-management", "services",
                       "America/Los_Angeles", "Larkspur Digital Partners LLC", "US-CA")),
    ContractSpec("supply-agreement-autorenew.pdf", "Supply Agreement",
                 "Granite Ridge Polymers, LLC / Brightwater Home Products, Inc. - Supply Agreement",
                 "Letter", _utc(2023, 6, 3, 16, 20, 44), "Brightwater Home Products, Inc.",
                 write_supply,
                 _meta("dana.kowalski@example.com", "supply-chain", "supply", "America/Chicago",
                       "Granite Ridge Polymers, LLC", "US-DE")),
    ContractSpec("uk-software-licence.pdf", "Software Licence Agreement",
                 "Fenwick Lane Software Limited / Ashdown Retail Group Limited - Software Licence "
                 "Agreement", "A4", _utc(2024, 4, 1, 10, 14, 2), "Fenwick Lane Software Limited",
                 write_uk_licence,
                 _meta("eleanor.marsh@example.com", "finance-uk", "licence", "Europe/London",
                       "Fenwick Lane Software Limited", "GB-ENG")),
    ContractSpec("mutual-nda.pdf", "Mutual Non-Disclosure Agreement",
                 "Quillon Biosystems, Inc. / Redfern Materials Corporation - Mutual NDA", "Letter",
                 _utc(2025, 2, 20, 15, 3, 58), "Quillon Biosystems, Inc.", write_nda,
                 _meta("legal-intake@example.com", "legal", "nda", "America/New_York",
                       "Redfern Materials Corporation", "US-MA")),
    ContractSpec("amendment-1-supply.pdf", "Amendment No. 1 to Supply Agreement",
                 "Granite Ridge Polymers, LLC / Brightwater Home Products, Inc. - Amendment No. 1",
                 "Letter", _utc(2026, 9, 15, 18, 31, 9), "Brightwater Home Products, Inc.",
                 write_amendment,
                 _meta("dana.kowalski@example.com", "supply-chain", "amendment", "America/Chicago",
                       "Granite Ridge Polymers, LLC", "US-DE")),
]

# A "contract" that is not a PDF: a portal's error page saved under a .pdf name. The demo must
# quarantine it rather than fail.
BAD_UPLOAD_NAME = "bad-upload.pdf"
BAD_UPLOAD_BYTES = b"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Session expired - Vendor Contracts Portal</title>
</head>
<body>
<h1>Your session has expired</h1>
<p>For your security you were signed out after 30 minutes of inactivity.
Please sign in again to download "MSA - Orion Freight Services (executed).pdf".</p>
<p>Request ID: 7c2e91d4-5b0a-4f3e-9d61-0a8b3f44e2c7</p>
</body>
</html>
"""
BAD_UPLOAD_METADATA = _meta("marcus.lee@example.com", "it-vendor-management", "services",
                            "America/Los_Angeles", "Orion Freight Services", "US-CA")

PAGES_ALLOWED = range(2, 5)  # every sample contract is 2-4 pages long


def render(spec: ContractSpec) -> bytes:
    """The PDF bytes of one sample (deterministic for a given fpdf2 version)."""
    pdf = ContractPDF(spec)
    spec.write(pdf)
    if pdf.page_no() not in PAGES_ALLOWED:
        raise ValueError(f"{spec.filename}: {pdf.page_no()} pages, want 2-4")
    return bytes(pdf.output())


def metadata() -> dict[str, dict[str, str]]:
    """samples/metadata.json: the upload metadata of every file in samples/, by file name."""
    entries = {spec.filename: spec.metadata for spec in CONTRACTS}
    entries[BAD_UPLOAD_NAME] = BAD_UPLOAD_METADATA
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: samples/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for spec in CONTRACTS:
        (args.out / spec.filename).write_bytes(render(spec))
    (args.out / BAD_UPLOAD_NAME).write_bytes(BAD_UPLOAD_BYTES)
    (args.out / "metadata.json").write_text(json.dumps(metadata(), indent=2) + "\n",
                                           encoding="utf-8")
    print(f"wrote {len(CONTRACTS) + 1} samples and metadata.json to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
