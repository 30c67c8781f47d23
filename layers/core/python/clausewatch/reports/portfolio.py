"""The portfolio view, pure: renewals in the next 90/180 days with their notice deadlines, the terms
of contracts that do not renew that ended in the last 30 days and, apart, the term ends passed then
whose renewal is unknown (as ``GET /renewals`` lists them), overdue obligations by owner, SLA breaches and credits owed or
claimed, invoice findings and the money at stake, amendments applied. Built from plain rows (``pipeline/portfolio.py`` reads them from the
table) and rendered as JSON, CSV (one table, a ``section`` column) or one self-contained HTML page
with a timeline chart of upcoming deadlines (pygal, rendered to inline SVG: no script, no fetch)."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, cast

from ..money.amounts import at_stake_totals, format_amount

HORIZONS_DAYS = (90, 180)
ENDED_DAYS = 30  # how far back a term that ended without renewing is listed (GET /renewals' default)
FORMATS = ("json", "csv", "html")
EndedBy = Literal["decision", "no renewal", "marked done"]  # why a term ended without renewing (``ended_by``)
# a passed term end whose renewal is not known (``renewal_unknown``), or that renews by itself with its
# renewal term not known: no next term is counted (``renewal_term_unknown``)
RenewalUnknown = Literal["unknown", "renewal term unknown"]
RENEWAL_UNKNOWN: RenewalUnknown = "unknown"
RENEWAL_TERM_UNKNOWN: RenewalUnknown = "renewal term unknown"
RENEWAL_UNKNOWN_REASON = "no renewal clause was found: check whether it renewed"
RENEWAL_TERM_UNKNOWN_REASON = ("renews by itself, but no renewal term was found: the next term's end cannot be "
                               "counted (enter the contract's renewal_term)")
MARKED_DONE, WAIVED = "marked done", "waived"  # how a person closed a term end (``ClosedBy``)
ClosedBy = tuple[str, str, str | None]  # a term end a person closed: how (MARKED_DONE, WAIVED), who, the day


@dataclass(frozen=True)
class RenewalRow:
    contract_id: str
    title: str
    counterparty: str | None
    kind: str  # notice_deadline | expiration
    due: str
    days_left: int
    owner: str | None
    auto_renew: bool | None
    derivation: str
    decision: str | None = None
    # a term that ended without renewing (``ended_by``): "decision", "no renewal" or "marked done"; None otherwise
    ended_by: EndedBy | None = None
    # a term end passed whose renewal is not known (``renewal_unknown``): "unknown", with why; never ended_by
    renewal: RenewalUnknown | None = None
    renewal_reason: str | None = None
    # a term end a person marked done (not a renewal decision): who, and the day it was done
    marked_done_by: str | None = None
    marked_done_on: str | None = None


@dataclass(frozen=True)
class OverdueRow:
    contract_id: str
    title: str
    obligation_id: str
    kind: str
    summary: str
    due: str
    days_overdue: int
    owner: str | None


@dataclass(frozen=True)
class MoneyRow:
    contract_id: str
    title: str
    kind: str  # sla_breach | price_above_agreed | ...
    summary: str
    derivation: str | None
    amount: str | None
    currency: str | None
    status: str  # credit: owed (claim open) | credit to check by hand (a breach whose amount is not known,
    # not claimed yet: never "no credit"), or, a person's check standing, checked by hand: nothing owed |
    # claimed by hand (CUR amount, as they said) | checked by hand | claimed | withdrawn; invoice finding: open | settled (refunded by
    # a credit note); a credit note: credited; any finding of a deleted contract: contract deleted (not owed)
    period_or_invoice: str | None
    # the invoice line its amount is on (the lines a verdict on lines summed is on): the findings on one
    # line count once
    line: tuple | frozenset | None = None
    # what of the amount the supplier's credit notes leave owed (`store.money.still_owed`): what the
    # totals count; None: not given, its amount
    still_owed: str | None = None


@dataclass(frozen=True)
class AmendmentRow:
    contract_id: str
    title: str
    amendment_id: str
    amendment_file: str
    received_at: str


@dataclass(frozen=True)
class RefusedRow:
    """A metrics or invoice file the money λ refused whole, with why (nothing in it was checked)."""
    contract_id: str
    title: str
    kind: str  # metrics | invoice
    file: str  # its key in the bucket, where it is kept
    reason: str
    refused_at: str


@dataclass(frozen=True)
class Portfolio:
    team: str
    today: date
    contracts: int
    renewals: list[RenewalRow]
    overdue: list[OverdueRow]
    money: list[MoneyRow]
    amendments: list[AmendmentRow]
    totals: dict[str, Any] = field(default_factory=dict)
    refused: list[RefusedRow] = field(default_factory=list)
    # terms that ended without renewing in the last ENDED_DAYS (days_left < 0; ``ended_by``)
    ended: list[RenewalRow] = field(default_factory=list)
    # term ends passed in the last ENDED_DAYS whose renewal is unknown (``renewal``: "unknown"): not ended
    renewal_unknown: list[RenewalRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"team": self.team, "today": self.today.isoformat(), "contracts": self.contracts,
                "totals": self.totals,
                "renewals": [asdict(r) for r in self.renewals], "overdue": [asdict(r) for r in self.overdue],
                "money": [_money_dict(r) for r in self.money], "amendments": [asdict(r) for r in self.amendments],
                "refused": [asdict(r) for r in self.refused], "ended": [asdict(r) for r in self.ended],
                "renewal_unknown": [asdict(r) for r in self.renewal_unknown]}


def _money_dict(row: MoneyRow) -> dict[str, Any]:
    """A money row as JSON can hold it: a verdict on lines summed lists its lines, sorted (a frozenset
    in the row, so that the totals count each line once)."""
    out = asdict(row)
    if isinstance(row.line, frozenset):
        out["line"] = [list(line) for line in sorted(row.line)]
    return out


CREDIT_TO_CHECK = "credit to check by hand"
# such a credit a person checked (``clausewatch credit-checked``), the check standing: what they said,
# never counted in credits owed (an amount claimed by hand is theirs, not computed)
CHECKED_NOTHING_OWED = "checked by hand: nothing owed"
CLAIMED_BY_HAND = "claimed by hand"


def build(team: str, today: date, *, contracts: int, renewals: list[RenewalRow], overdue: list[OverdueRow],
          money: list[MoneyRow], amendments: list[AmendmentRow], refused: list[RefusedRow] | None = None) -> Portfolio:
    """Sort each section the way a reader scans it and add the totals."""
    ended = sorted((r for r in renewals if _ended(r)), key=lambda r: (r.due, r.title))
    unknown = sorted((r for r in renewals if _renewal_unknown(r)), key=lambda r: (r.due, r.title))
    renewals = sorted((r for r in renewals if 0 <= r.days_left <= max(HORIZONS_DAYS)),
                      key=lambda r: (r.due, r.title, r.kind))
    overdue = sorted(overdue, key=lambda r: ((r.owner or "~").lower(), r.due, r.title))
    money = sorted(money, key=lambda r: (r.status != "owed", r.kind, r.contract_id, r.period_or_invoice or ""))
    totals: dict[str, Any] = {
        **{f"renewals_within_{h}_days": sum(1 for r in renewals if r.days_left <= h) for h in HORIZONS_DAYS},
        "overdue_obligations": len(overdue),
        "overdue_by_owner": dict(sorted(_count(r.owner or "unowned" for r in overdue).items())),
        "credits_owed": _sum(r for r in money if r.kind == "sla_breach" and r.status == "owed"),
        "credits_claimed": _sum(r for r in money if r.kind == "sla_breach" and r.status == "claimed"),
        # breaches whose credit may be owed but whose amount is not known: not in credits_owed (not zero: unknown)
        "credits_to_check_by_hand": sum(1 for r in money if r.kind == "sla_breach" and r.status == CREDIT_TO_CHECK),
        "invoice_findings_at_stake": _sum(r for r in money if r.kind not in ("sla_breach", "sla_breach_withdrawn",
                                                                            "file_refused")
                                          and r.status not in ("credited", "settled", "contract deleted")),
        "amendments_applied": len(amendments),
        "files_refused": len(refused or []),
        f"terms_ended_within_{ENDED_DAYS}_days": len(ended),
        # every ``renewal_unknown`` row, whatever is not known (as the JSON section lists them)
        f"renewal_unknown_within_{ENDED_DAYS}_days": len(unknown),
        # of them, those that renew by themselves with no renewal term known (added 2026-12-08)
        f"renewal_term_unknown_within_{ENDED_DAYS}_days": sum(1 for r in unknown if r.renewal == RENEWAL_TERM_UNKNOWN),
    }
    return Portfolio(team, today, contracts, renewals, overdue, money, amendments, totals,
                     sorted(refused or [], key=lambda r: (r.refused_at, r.file)), ended, unknown)


ENDED_BY_DECISION: EndedBy = "decision"  # a renewal decision ended the contract at this term's end
ENDED_BY_NO_RENEWAL: EndedBy = "no renewal"  # the contract does not renew by itself (auto_renew false)
ENDED_BY_MARKED_DONE: EndedBy = "marked done"  # that, and a person marked its end done (``marked_done_words``)


def ended_by(auto_renew: bool | None, days_left: int, *, renewed: bool, decision_ended: bool,
             marked_done: bool = False, within: int = ENDED_DAYS) -> EndedBy | None:
    """Why a term end (``days_left`` from the contract's today in its time zone) that passed in the
    last ``within`` days ended without renewing: ``ENDED_BY_DECISION`` when a renewal decision ended
    the contract at it (``decision_ended``: a terminate whose notice was given, a lapse), else, when
    the contract does not renew by itself (unknown is not "no"; a renewing contract's passed end
    rolls over), ``ENDED_BY_MARKED_DONE`` when a person marked the end done (``marked_done``) and
    ``ENDED_BY_NO_RENEWAL`` when not; None when it is not such a term, or when its renewal decision
    was "renew" (``renewed``). The rule of ``GET /renewals``' ``term_ended`` and of the report's
    ``ended``."""
    if not -within <= days_left < 0 or renewed:
        return None
    if decision_ended:
        return ENDED_BY_DECISION
    if auto_renew is not False:
        return None
    return ENDED_BY_MARKED_DONE if marked_done else ENDED_BY_NO_RENEWAL


def renewal_unknown(auto_renew: bool | None, days_left: int, *, renewed: bool, decision_ended: bool,
                    within: int = ENDED_DAYS) -> bool:
    """Whether a term end that passed in the last ``within`` days is one whose renewal is not known:
    its renewal clause was not read (``auto_renew`` unknown: a person's entry of it says), no renewal
    decision ended the contract at it and none renewed it; its end open or marked done by a person
    (done says the end came, not whether the contract renewed). Listed with that said
    (``RENEWAL_UNKNOWN``, ``RENEWAL_UNKNOWN_REASON``, and ``marked_done_words``), never as ended
    without renewing (``ended_by``): unknown is not "no". The rule of ``GET /renewals``' ``renewal``
    and of the report's ``renewal_unknown``."""
    return -within <= days_left < 0 and auto_renew is None and not renewed and not decision_ended


def passed_term_end(auto_renew: bool | None, days_left: int, *, renewed: bool, decision_ended: bool,
                    marked_done: bool, within: int = ENDED_DAYS,
                    renewal_term_known: bool = True) -> EndedBy | RenewalUnknown | None:
    """What became of a term end (open, or closed) that passed in the last ``within`` days: ended
    without renewing (``ended_by``), its renewal unknown (``RENEWAL_UNKNOWN``), renewing by itself
    with no renewal term to count its next term from (``renewal_term_known`` False:
    ``RENEWAL_TERM_UNKNOWN``; the planner rolls it over only with one), or None (not passed then,
    renewed, or rolled over). ``marked_done``: a person closed it done (a closed done one no renewal
    decision ended)."""
    why = ended_by(auto_renew, days_left, renewed=renewed, decision_ended=decision_ended,
                   marked_done=marked_done, within=within)
    if why is None and renewal_unknown(auto_renew, days_left, renewed=renewed, decision_ended=decision_ended,
                                       within=within):
        return RENEWAL_UNKNOWN
    if why is None and auto_renew is True and not renewal_term_known and -within <= days_left < 0 \
            and not decision_ended:
        return RENEWAL_TERM_UNKNOWN
    return why


def unknown_of(what: EndedBy | RenewalUnknown | None) -> RenewalUnknown | None:
    """``passed_term_end``'s answer as the ``renewal`` listed: its renewal (or renewal term) unknown."""
    return cast(RenewalUnknown, what) if what in (RENEWAL_UNKNOWN, RENEWAL_TERM_UNKNOWN) else None


def ended_of(what: EndedBy | RenewalUnknown | None) -> EndedBy | None:
    """``passed_term_end``'s answer as ``ended_by``: None for a renewal unknown (never ended)."""
    return None if what is None or unknown_of(what) is not None else cast(EndedBy, what)


def marked_done_words(by: str, on: str | None, made: str = MARKED_DONE, last_day: str | None = None) -> str:
    """How a term end a person closed reads: "marked done by <actor> on <day>" (``made``: "waived").
    A day before the term's ``last_day`` (marked early, no day said) is the day it was marked, not
    the day the term ended (a term ends on its last day, whatever day it was marked): said so."""
    early = f", before the term's last day ({last_day})" if on and last_day and on < last_day else ""
    return f"{made} by {by}" + (f" on {on}" if on else "") + early


def unknown_reason(closed: ClosedBy | None, what: RenewalUnknown = RENEWAL_UNKNOWN, last_day: str | None = None) -> str:
    """Why a passed term end's renewal is not known (``what``: or its renewal term), saying so when
    a person marked the end done or waived it (``closed``: how, who, the day; before the term's
    ``last_day``: said so)."""
    if what == RENEWAL_TERM_UNKNOWN:
        return RENEWAL_TERM_UNKNOWN_REASON
    if closed is None:
        return RENEWAL_UNKNOWN_REASON
    made, by, on = closed
    return (f"{RENEWAL_UNKNOWN_REASON} (its end was {marked_done_words(by, on, made, last_day)}: "
            "that says the end came, not whether it renewed)")


def auto_renew_as_it_stands(as_read: bool | None, decision_ended: bool) -> bool | None:
    """Whether the contract renews by itself as it stands: False once a renewal decision ended a
    contract that renews by its terms (its notice of non-renewal given); otherwise as its terms read
    it, unknown (None) staying unknown even once a lapse ended the contract (``ended`` says so).
    What the API (``views.renews``) and the report show."""
    return False if decision_ended and as_read is True else as_read


def _ended(row: RenewalRow) -> bool:
    return row.kind == "expiration" and row.ended_by is not None and -ENDED_DAYS <= row.days_left < 0


def _renewal_unknown(row: RenewalRow) -> bool:
    return row.kind == "expiration" and row.renewal is not None and -ENDED_DAYS <= row.days_left < 0


def _count(values) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for v in values:
        out[v] += 1
    return dict(out)


def _sum(rows) -> dict[str, str]:
    """Amounts per currency, exact: {"USD": "1550.00"}."""
    totals = at_stake_totals((r.currency, r.amount if r.still_owed is None else r.still_owed, r.line) for r in rows)
    return {k: f"{v:.2f}" for k, v in sorted(totals.items())}


# --- renderers -----------------------------------------------------------------------------------

# still_owed, then ended_by and renewal, then marked_done_by and marked_done_on last: added 2026-12-06
# and 2026-12-07, after the columns a sheet may read by position
CSV_COLUMNS = ("section", "contract_id", "title", "what", "date", "days", "owner", "amount", "currency",
               "status", "arithmetic", "still_owed", "ended_by", "renewal", "marked_done_by", "marked_done_on")


def _owed(m: MoneyRow) -> str:
    """What of a money row's amount is still owed (its amount less the credit notes applied to it),
    as the JSON's ``still_owed`` (not given: its amount); blank for a credit note (money to us,
    nothing owed) or no amount."""
    if m.status == "credited":
        return ""
    return m.amount or "" if m.still_owed is None else m.still_owed


# what a spreadsheet may run as a formula, also after blanks it trims, and in full-width forms
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula ("=HYPERLINK(...)" in a clause, a
    counterparty named "=1+1", " =1+1" after a blank) starts with an apostrophe, shown as text
    (OWASP's advice for CSV injection); numbers stay numbers."""
    if isinstance(value, str) and value.lstrip(" \u00a0\u3000").startswith(_FORMULA_START) \
            and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: list | tuple) -> None:
        self._writer.writerow([_cell(v) for v in row])


def to_csv(p: Portfolio) -> str:
    out = io.StringIO()
    writer = _SafeWriter(out)
    writer.writerow(CSV_COLUMNS)
    for row in _csv_rows(p):
        writer.writerow(row)
    return out.getvalue()


def to_csv_by_team(portfolios: list[Portfolio]) -> str:
    """Several teams' reports as one table: one header, each row led by its team."""
    out = io.StringIO()
    writer = _SafeWriter(out)
    writer.writerow(("team", *CSV_COLUMNS))
    for p in portfolios:
        for row in _csv_rows(p):
            writer.writerow([p.team, *row])
    return out.getvalue()


def render_teams(portfolios: list[Portfolio], fmt: str) -> tuple[str, str]:
    """(content type, body) of several teams' reports as ONE document: JSON an object by team,
    CSV one table with a ``team`` column (HTML has no such form: one page per team)."""
    import json

    if fmt == "json":
        return "application/json", json.dumps({p.team: p.to_dict() for p in portfolios}, indent=2)
    if fmt == "csv":
        return "text/csv; charset=utf-8", to_csv_by_team(portfolios)
    raise ValueError("several teams' reports are one document in json or csv only")


def _csv_rows(p: Portfolio) -> Iterator[list[Any]]:
    """The report's rows in CSV_COLUMNS' order, section by section (``ended_by`` is an ended term's
    only, ``renewal`` a ``renewal_unknown`` one's, ``marked_done_by`` and ``marked_done_on`` either's
    whose end a person marked done)."""
    for r in p.renewals:
        yield ["renewal", r.contract_id, r.title, r.kind, r.due, r.days_left, r.owner or "", "", "",
               r.decision or ("auto-renews" if r.auto_renew else ""), r.derivation, "", "", "", "", ""]
    for r in p.ended:
        yield ["ended", r.contract_id, r.title, r.kind, r.due, r.days_left, r.owner or "", "", "",
               _ended_status(r), r.derivation, "", r.ended_by or "", "", *_marked_cells(r)]
    for r in p.renewal_unknown:
        yield ["renewal_unknown", r.contract_id, r.title, r.kind, r.due, r.days_left, r.owner or "", "", "",
               _unknown_status(r), r.derivation, "", "", r.renewal or "", *_marked_cells(r)]
    for row in _other_csv_rows(p):
        yield [*row, "", "", "", ""]


def _marked_cells(r: RenewalRow) -> tuple[str, str]:
    """Who marked a passed term end done and the day, as the JSON's ``marked_done_by``/``_on`` (blank: no one)."""
    return r.marked_done_by or "", r.marked_done_on or ""


def _ended_status(r: RenewalRow) -> str:
    """An ``ended`` row's status cell: its renewal decision, or how long ago it ended; and who marked
    its end done when a person did."""
    status = r.decision or f"ended {-r.days_left} day(s) ago"
    return f"{status}; {marked_done_words(r.marked_done_by, r.marked_done_on, last_day=r.due)}" if r.marked_done_by \
        else status


def _unknown_status(r: RenewalRow) -> str:
    """A ``renewal_unknown`` row's status cell: how long ago its end passed (never "ended"), why its
    renewal is not known, and its renewal decision when one is under way."""
    known = "renews; renewal term not known" if r.renewal == RENEWAL_TERM_UNKNOWN else "renewal not known"
    status = f"term end passed {-r.days_left} day(s) ago — {known} ({r.renewal_reason or RENEWAL_UNKNOWN_REASON})"
    return f"{status}; decision: {r.decision}" if r.decision else status


def _other_csv_rows(p: Portfolio) -> Iterator[list[Any]]:
    """The rows of the sections after the renewals, to ``still_owed``."""
    for o in p.overdue:
        yield ["overdue", o.contract_id, o.title, o.summary, o.due, -o.days_overdue, o.owner or "", "", "", "open",
               "", ""]
    for m in p.money:
        yield ["money", m.contract_id, m.title, m.summary, m.period_or_invoice or "", "", "", m.amount or "",
               m.currency or "", m.status, m.derivation or "", _owed(m)]
    for a in p.amendments:
        yield ["amendment", a.contract_id, a.title, a.amendment_file, a.received_at[:10], "", "", "", "", "applied",
               "", ""]
    for f in p.refused:
        yield ["refused", f.contract_id, f.title, f"{f.kind} file {f.file}", f.refused_at[:10], "", "", "", "",
               "refused", f.reason, ""]


def timeline_svg(p: Portfolio) -> str:
    """Upcoming notice deadlines, term ends and credit claims on a date axis (pygal, inline SVG
    without its tooltip script)."""
    import pygal
    from pygal.style import Style

    chart = pygal.DateLine(js=[], width=900, height=300, show_y_labels=False, dots_size=5, stroke=False,
                           x_label_rotation=25, truncate_legend=-1, legend_at_bottom=True,
                           title="Upcoming deadlines (next 180 days)",
                           style=Style(background="white", plot_background="white",
                                       colors=("#c0392b", "#2c3e50", "#d68910")),
                           x_value_formatter=lambda d: d.strftime("%d %b %Y"))
    lanes = {"notice_deadline": 3, "expiration": 2}
    for kind, label in (("notice_deadline", "Notice deadlines"), ("expiration", "Term ends")):
        points = [{"value": (date.fromisoformat(r.due), lanes[kind]), "label": f"{r.title}: {r.due}"}
                  for r in p.renewals if r.kind == kind]
        chart.add(label, points)
    claims = [{"value": (p.today + timedelta(days=0), 1), "label": "today"}]
    chart.add("Today", claims)
    chart.range = (0, 4)
    svg = chart.render(is_unicode=True, disable_xml_declaration=True)
    # pygal writes its tooltip configuration as an inline script even without its script file: the
    # page is static, so it goes (no script in a report that may be mailed or archived)
    return re.sub(r"<script\b.*?</script>", "", svg, flags=re.DOTALL)


def to_html(p: Portfolio) -> str:
    e = html.escape

    def table(headers: list[str], rows: list[list[Any]]) -> str:
        if not rows:
            return "<p class=\"none\">None.</p>"
        head = "".join(f"<th>{e(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def money_line(totals: dict[str, str]) -> str:
        return ", ".join(f"{c} {format_amount(Decimal(a))}" for c, a in totals.items()) or "none"

    t = p.totals
    renewals = [[r.due, r.days_left, r.title, r.counterparty or "", r.kind.replace("_", " "), r.owner or "unowned",
                 r.decision or ("auto-renews" if r.auto_renew else "-"), r.derivation] for r in p.renewals]
    ended = [[r.due, -r.days_left, r.title, r.counterparty or "", r.owner or "unowned",
              marked_done_words(r.marked_done_by, r.marked_done_on, last_day=r.due) if r.marked_done_by
              else r.ended_by or "",
              r.decision or "-", r.derivation] for r in p.ended]
    unknown = [_unknown_cells(r) for r in p.renewal_unknown if r.renewal != RENEWAL_TERM_UNKNOWN]
    term_unknown = [_unknown_cells(r) for r in p.renewal_unknown if r.renewal == RENEWAL_TERM_UNKNOWN]
    term_unknown_count = t[f"renewal_term_unknown_within_{ENDED_DAYS}_days"]
    overdue = [[o.owner or "unowned", o.due, o.days_overdue, o.title, o.summary] for o in p.overdue]
    money = [[m.status, m.title, m.kind.replace("_", " "), m.period_or_invoice or "",
              "" if m.amount is None else f"{m.currency} {format_amount(Decimal(m.amount))}",
              f"{m.currency} {format_amount(Decimal(owed))}" if (owed := _owed(m)) else "", m.derivation or ""]
             for m in p.money]
    amendments = [[a.received_at[:10], a.title, a.amendment_file] for a in p.amendments]
    refused = [[f.refused_at[:10], f.title, f.kind, f.file, f.reason] for f in p.refused]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>clausewatch portfolio: {e(p.team)}, {p.today}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}table{{border-collapse:collapse;width:100%;
margin-bottom:1.5rem;font-size:.9rem}}th,td{{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;
vertical-align:top}}th{{background:#f4f4f4}}.kpi{{display:inline-block;margin-right:2rem}}.none{{color:#777}}
</style></head><body>
<h1>Portfolio: {e(p.team)}</h1>
<p>As of {p.today.isoformat()} (UTC) · {p.contracts} contract(s) · days left and overdue are counted in each
contract's time zone</p>
<p><span class="kpi">Renewals in 90 days: <b>{t["renewals_within_90_days"]}</b></span>
<span class="kpi">in 180 days: <b>{t["renewals_within_180_days"]}</b></span>
<span class="kpi">Ended without renewing in {ENDED_DAYS} days: <b>{t[f"terms_ended_within_{ENDED_DAYS}_days"]}</b></span>
<span class="kpi">Term end passed, renewal not known: <b>{t[f"renewal_unknown_within_{ENDED_DAYS}_days"] - term_unknown_count}</b></span>
<span class="kpi">Term end passed, renews, renewal term not known: <b>{term_unknown_count}</b></span>
<span class="kpi">Overdue obligations: <b>{t["overdue_obligations"]}</b></span>
<span class="kpi">Credits owed: <b>{e(money_line(t["credits_owed"]))}</b>{
    f" + {t['credits_to_check_by_hand']} to check by hand (amount unknown, not counted)"
    if t["credits_to_check_by_hand"] else ""}</span>
<span class="kpi">Invoice findings at stake: <b>{e(money_line(t["invoice_findings_at_stake"]))}</b></span></p>
<figure>{timeline_svg(p)}</figure>
<h2>Renewals and notice deadlines (next 180 days)</h2>
{table(["date", "days left", "contract", "counterparty", "what", "owner", "decision", "arithmetic"], renewals)}
<h2>Terms ended without renewing (last {ENDED_DAYS} days: services may go on with no contract)</h2>
{table(["term ended", "days since", "contract", "counterparty", "owner", "ended by", "decision", "arithmetic"],
        ended)}
<h2>Term ends passed, renewal not known (last {ENDED_DAYS} days: {e(RENEWAL_UNKNOWN_REASON)})</h2>
{table(["term end", "days since", "contract", "counterparty", "owner", "decision", "arithmetic"], unknown)}
<h2>Term ends passed, renews but renewal term not known (last {ENDED_DAYS} days: {e(RENEWAL_TERM_UNKNOWN_REASON)})</h2>
{table(["term end", "days since", "contract", "counterparty", "owner", "decision", "arithmetic"], term_unknown)}
<h2>Overdue obligations by owner</h2>
{table(["owner", "due", "days overdue", "contract", "obligation"], overdue)}
<h2>SLA credits and invoice findings</h2>
{table(["status", "contract", "finding", "period / invoice", "amount", "still owed", "arithmetic"], money)}
<h2>Amendments applied</h2>
{table(["received", "contract", "amendment"], amendments)}
<h2>Money files refused (nothing in them was checked)</h2>
{table(["refused", "contract", "kind", "file", "reason"], refused)}
</body></html>
"""


def _unknown_cells(r: RenewalRow) -> list[Any]:
    """A ``renewal_unknown`` row's HTML cells (its renewal, or its renewal term, not known)."""
    return [r.due, -r.days_left, r.title, r.counterparty or "", r.owner or "unowned",
            "; ".join(filter(None, (r.decision, r.marked_done_by and
                                    f"end {marked_done_words(r.marked_done_by, r.marked_done_on, last_day=r.due)}")))
            or "-",
            r.derivation]


def render(p: Portfolio, fmt: str) -> tuple[str, str]:
    """(content type, body) of the report in ``fmt``."""
    import json

    if fmt == "json":
        return "application/json", json.dumps(p.to_dict(), indent=2)
    if fmt == "csv":
        return "text/csv; charset=utf-8", to_csv(p)
    if fmt == "html":
        return "text/html; charset=utf-8", to_html(p)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")
