"""The API's request and response types (pydantic). The resolver validates requests against them
and generates the OpenAPI document from them: the document is the code's own types."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from .. import config
from ..extract.model import OBLIGATION_KINDS
from ..plan import DEADLINE_KINDS
from ..schema import ContractStatus, ObligationStatus

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
CONTRACT_ID_PATTERN = r"^[0-9a-f]{16}$"
OBLIGATION_ID_PATTERN = r"^[A-Za-z0-9_.@-]{1,100}$"
TERM_NAME_PATTERN = r"^[a-z_]{1,64}$"
FEED_ID_PATTERN = r"^[0-9a-f]{16}$"
FILE_NAME_PATTERN = r"^[^/\\\x00-\x1f]{1,200}$"
# what each pattern asks for, in the words of a 400 (pydantic's own message quotes the regex)
PATTERN_MEANS = {
    EMAIL_PATTERN: "an email address (name@example.com)",
    CONTRACT_ID_PATTERN: "16 lowercase hexadecimal digits (an id as listed)",
    OBLIGATION_ID_PATTERN: "an obligation's id as listed: 1 to 100 letters, digits or _ . @ -",
    TERM_NAME_PATTERN: "a term's name: lowercase letters and _ (notice_period, expiration_date, ...)",
    FILE_NAME_PATTERN: "a file name of 1 to 200 characters, without / or \\ or control characters",
}
MAX_LIMIT, DEFAULT_LIMIT = 100, 50
ME = "me"  # ?owner=me: the caller
DocumentKind = Literal["original", "amendment"]

# an obligation's kind: the planner's deadlines and the extractor's duties
ObligationKind = StrEnum("ObligationKind", {k: k for k in sorted({*DEADLINE_KINDS, *OBLIGATION_KINDS})})  # type: ignore[misc]  # members computed from the kinds


class ObligationState(StrEnum):
    """An obligation's status as the API shows it: ``overdue`` is open and past due in the
    contract's time zone; ``expired``, an expiration whose day has passed (no one's duty, never
    overdue). Neither is stored."""

    OPEN = "open"
    OVERDUE = "overdue"
    EXPIRED = "expired"  # an expiration whose day has passed: no duty, the contract expired
    DONE = "done"
    WAIVED = "waived"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


class ObligationFilter(StrEnum):
    """``open``: everything still to do, overdue included; ``overdue``: only past due ones."""

    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    WAIVED = "waived"


def _iso_date(value: Any) -> Any:
    """A date in a query or a body is written YYYY-MM-DD: pydantic's own parsing also takes a Unix
    timestamp (``0`` or "0" is 1970-01-01) or a datetime at midnight, which no one means as a day."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # made in Python (the CLI's actions)
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise PydanticCustomError("date_parsing", "Input should be a valid date in the format YYYY-MM-DD")
    return value  # pydantic checks the day itself ("2027-02-30")


# a date in a query or a body (its schema: a string, format date)
IsoDate = Annotated[date, BeforeValidator(_iso_date)]

_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})")


def _iso_instant(value: Any) -> Any:
    """A moment in a query is written with its offset (``2026-12-01T09:00:00Z``, ``...+01:00``): a
    time without one is no moment (whose clock?), and a day alone is not a time of change."""
    if isinstance(value, datetime):
        return value  # made in Python
    if isinstance(value, str) and re.fullmatch(r".*T[0-9:.]+ [0-9]{2}:[0-9]{2}", value):
        value = value.replace(" ", "+")  # a "+" not percent-encoded in the query string arrives as a space
    if not isinstance(value, str) or not _INSTANT.fullmatch(value):
        raise PydanticCustomError("datetime_parsing", "Input should be an ISO 8601 time with its offset, "
                                                      "such as 2026-12-01T09:00:00Z (send a + as %2B)")
    return value


# a moment in a query (its schema: a string, format date-time); never without its offset
IsoInstant = Annotated[AwareDatetime, BeforeValidator(_iso_instant)]


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 400, not silently ignored


class ErrorMessage(_Response):
    message: str


class Health(_Response):
    status: Literal["ok"] = "ok"


# --- contracts -----------------------------------------------------------------------------------

class Evidence(_Response):
    """Where a value was read: page (1-based), character offsets in the page's text, the quote."""

    page: int
    start: int
    end: int
    text: str


class EvidenceBoxes(_Response):
    """Where a span of a page's text is on the page: one rectangle per line it touches, each
    ``[left, top, width, height]`` in page fractions with a top-left origin (Textract's)."""

    contract_id: str
    page: int
    page_count: int
    start: int
    end: int
    quote: str
    boxes: list[list[float]]


class SourceDocument(_Response):
    """The document a term's current value comes from: the contract itself or an amendment."""

    contract_id: str
    file_name: str
    kind: DocumentKind


class TermVersion(_Response):
    name: str
    value: Any = Field(description="ISO date or duration, boolean, number, string or list")
    derivation: str | None = Field(default=None, description="the arithmetic behind a computed value")
    evidence: Evidence | None
    confidence: float | None = Field(
        default=None, description="0-1: how much the quoted clause looks like the one that answers this term "
                                  "(the clause finder's score); low values deserve a review")
    version: int
    source: SourceDocument
    recorded_at: str
    entered_by: str | None = Field(default=None, description="a person entered this value (no extraction "
                                   "overwrites it)")
    needs_review: bool = Field(default=False, description="its confidence is below the contract's "
                               "review_confidence_below (and no person entered it): worth a look")


class Party(_Response):
    name: str
    role: str | None


class Document(_Response):
    """One of a contract's documents: the original, then each amendment in the order made (its number,
    else the day it was signed; the order applied where neither tells)."""

    contract_id: str
    kind: DocumentKind
    file_name: str
    title: str | None
    status: ContractStatus
    received_at: str
    page_count: int | None
    download_url: str | None = Field(description=f"presigned GET, valid {config.DOWNLOAD_URL_SECONDS} s")


class ObligationEvidence(Evidence):
    """An obligation's clause: its page and offsets are in ``source``, the document it is quoted
    from (the contract, or the amendment that set the value the deadline is counted from)."""

    source: SourceDocument


# what a person may do to an obligation (its routes): complete, acknowledge, waive, PUT .../owner, and
# reopen a recurring duty's rule marked done (before 2026-12-07)
ObligationAction = Literal["complete", "acknowledge", "waive", "reassign", "reopen"]


class Obligation(_Response):
    id: str
    contract_id: str
    contract_title: str | None
    counterparty: str | None
    kind: str
    summary: str
    party: str | None
    due: date | None
    recurrence: str | None
    status: ObligationState
    owner: str | None
    unowned: bool
    acknowledged: bool = Field(description="the owner has seen it (for this due date): no escalation")
    acknowledged_by: str | None
    acknowledged_at: str | None
    acknowledged_for_day: date | None = Field(
        default=None, description="the day it was due when acknowledged, when a calendar changed moved this "
                                  "recurring period's occurrence since (the acknowledgement carried to its new day)")
    days_left: int | None = Field(description="days from today (contract's time zone) to due; < 0 overdue "
                                                 "(an expiration: passed, status expired)")
    derivation: str | None
    evidence: ObligationEvidence | None = Field(
        description="the clause; its page and offsets are in evidence.source (an amendment's, for a "
                    "deadline an amendment set)")
    action: str | None
    resolved_by: str | None
    resolved_at: str | None
    resolution_note: str | None
    evidence_key: str | None
    done_on: str | None = Field(default=None, description="the day it was done, as the person said (else the "
                                                             "day of resolved_at)")
    caller_may: list[ObligationAction] = Field(
        default=[], description="what the caller's role lets them do to this obligation (the buttons its pages "
                               "offer): complete, acknowledge, waive and reassign (PUT .../owner) for an editor "
                               "or admin (a recurring duty's rule: waive, which ends the duty, and reassign; one a person marked done before "
                               "2026-12-07 that carries its contract's rule_marked_done flag also reopen); none for a "
                               "viewer")


class ReopenedRule(Obligation):
    """A recurring duty's rule reopened (``POST .../reopen``), with the occurrences owed while it was
    done that the reopen made."""

    occurrences_made: list[str] = Field(
        default=[], description="the ids (<rule>@<due day>) of the occurrences owed between the last one planned "
                                "and today that the reopen made, overdue, each to be marked done or waived (the "
                                "same person's reopen sent again, or after a try that failed half-way: the same; "
                                "none is made twice; a contract that ended: those of periods within its term)")
    message: str | None = Field(default=None, description="what is not planned: a contract that ended, "
                                "\"nothing is planned after <its last day>, the contract's last day\"")


class AttentionCandidate(_Response):
    """One value a flagged date could be, with the clause it was read from; for an amendment
    waiting for its contract (``amendment_waiting``), a contract it could amend (``value``, its id)
    and why."""

    value: str
    derivation: str | None = None
    evidence: Evidence | None = None
    why: str | None = Field(default=None, description="amendment_waiting: why it may be the contract the amendment "
                                                      "amends (\"an agreement dated 2025-02-20, as the amendment "
                                                      "says: ...\", \"amends amendment-1.pdf, which amends ...\")")


# every kind of Needs-attention flag (pipeline/attention.attention_of), with what a person does
ATTENTION_KINDS: dict[str, str] = {
    "metadata_refused": "the upload's metadata was refused (an unknown time zone, an owner that is not one address)",
    "impossible_date": "a date that does not exist (\"February 30\"): left out, enter it",
    "conflicting_dates": "two different values read for one date: left out, candidates lists both",
    "not_a_contract": "the document does not read as a contract: POST /contracts/{id}/is-a-contract, or delete it",
    "notice_longer_than_term": "a notice period read longer than the term it is given on: enter the right one",
    "waiting_for_event": "a term runs from an event whose date is missing (missing_events): POST /contracts/{id}/events",
    "event_expiration_kept_out": "an event's date entered while an expiration entered or amended stands: enter the "
                                 "one in force",
    "no_holiday_calendar": "the governing law names no holiday calendar known here: business days counted with "
                           "the default one",
    "amendment_waiting": "an amendment whose contract is not known (candidates): PUT /contracts/{id}/amends",
    "amended_term_start": "an amendment extends the term but the term it extends is not known: enter the expiration",
    "amended_term_takes_effect_later": "an amendment's change takes effect on a day its clause states that could "
                                       "not be applied safely: check it",
    "amendment_no_change_read": "an amendment (amendment_id, or its own id on the amendment itself) read as "
                                "changing no term: enter the terms its message names (an entry of each settles it), "
                                "or, when it changes none tracked here, POST /contracts/{amendment_id or its own "
                                "id}/amendment-checked (409 once an entry settled it)",
    "entry_kept_over_amendment": "a person's entry stands over an amendment's different value: enter the amendment's "
                                 "if it is the one in force",
    "amendment_order_unknown": "amendment_id has no number and no signing date, or a number and no signing date "
                               "beside one with a signing date and no number (the message names both): applied in "
                               "the order filed; an amendment filed later that neither places asks again; say the "
                               "day it was signed (made_on), or that the order filed is right (confirm_order): POST "
                               "/contracts/{amendment_id}/amendment-checked",
    "term_moved_after_notice": "the term's end moved after the notice of non-renewal was given: the notice stands, "
                               "the contract is shown ending as it said",
    "credit_to_check": "an SLA breach's service credit to check by hand, one flag per breach, the message saying why: "
                       "its amount not known (credit table or fee not read, a level on the edge of two bands), a "
                       "credit computed under a cap that may apply (cap_unclear), a claim window counted from the "
                       "incident or in hours, from an invoice, in business hours or with no start stated, or on "
                       "per-quarter metrics from a month's end, giving no claim day, or a claim day a time-zone change "
                       "cancelled (finding_id: the breach); off when its claim is done, waived or cancelled, a "
                       "corrected file withdraws the breach, or, with no open claim, a person marks it checked "
                       "(POST /contracts/{id}/findings/{finding_id}/checked); raised again when a corrected file "
                       "changes the credit or its reason",
    "rule_marked_done": "a recurring duty's rule a person marked done before 2026-12-07 (obligation_id): reopen it if "
                        "the duty goes on (POST .../obligations/{oid}/reopen), waive it if it ended",
    "review": "a flag of a kind this API does not name: read its message",
}
AttentionKind = Literal[
    "metadata_refused", "impossible_date", "conflicting_dates", "not_a_contract", "notice_longer_than_term",
    "waiting_for_event", "event_expiration_kept_out", "no_holiday_calendar", "amendment_waiting", "amended_term_start",
    "amended_term_takes_effect_later", "amendment_no_change_read", "entry_kept_over_amendment",
    "amendment_order_unknown", "term_moved_after_notice", "credit_to_check", "rule_marked_done", "review"]


class Attention(_Response):
    """Something a person must look at (one Needs-attention flag): what it is (``kind``), the term,
    rule, breach or amendment it is about, its message, and the values it could be; the kinds and
    what a person does for each are in ATTENTION_KINDS."""

    kind: AttentionKind = Field(description="; ".join(f"{kind}: {meaning}" for kind, meaning in ATTENTION_KINDS.items())
                                + ". The list may grow: a client treats a value it does not know as review")
    stored_kind: str | None = Field(default=None, description="review: the kind stored on the flag, which this "
                                                              "API does not name (none for the others)")
    term: str | None = None
    obligation_id: str | None = Field(default=None, description="rule_marked_done: the rule")
    finding_id: str | None = Field(default=None, description="credit_to_check: the breach (GET "
                                                             "/contracts/{id}/findings)")
    amendment_id: str | None = Field(default=None, description="an amendment's flag on the contract it amends "
                                                               "(amendment_order_unknown, amendment_no_change_read): "
                                                               "the amendment; amendment_no_change_read on the "
                                                               "amendment itself has none: the flag's contract id "
                                                               "is its own id")
    message: str
    missing_events: list[str] = Field(default=[], description="waiting_for_event: the events whose date is "
                                                              "still missing")
    candidates: list[AttentionCandidate] = Field(default=[], description="the values it could be; for "
                                                                         "amendment_waiting, the contracts it could "
                                                                         "amend (none chosen)")


# what a contract's caller_may may name (views.contract_actions)
ContractAction = Literal["unlink_amendment", "link_amendment", "confirm_contract", "check_amendment", "enter_terms",
                         "enter_event", "send_money_files", "set_owner", "set_jurisdiction", "set_time_zone",
                         "reopen_rule", "confirm_amendment_order", "check_credit"]


class ContractSummary(_Response):
    id: str
    title: str | None
    file_name: str
    status: ContractStatus
    status_reason: str | None
    team: str
    owner: str | None
    counterparty: str | None
    contract_type: str | None
    time_zone: str = Field(description="the IANA zone its days are counted in; an amendment applied to a contract: "
                                       "that contract's, which its dates follow")
    received_at: str
    updated_at: str = Field(description="when the contract's record last changed: its status, terms, owner, "
                                        "documents")
    changed_at: str = Field(description="when anything this contract's detail shows last changed: its record "
                                        "(updated_at), one of its obligations (done, waived, acknowledged, given an "
                                        "owner, recorded, moved) or the current term's dates (rolled forward at a "
                                        "term's end); the list's order and what changed_since compares")
    auto_renew: bool | None = Field(description="renews by itself (false once a renewal decision ended a contract "
                                                "that renews by its terms; unknown stays null)")
    ended: date | None = Field(default=None, description="the contract's last day when a renewal decision ended it "
                                                          "(notice of non-renewal given, or expired)")
    ended_derivation: str | None = Field(default=None, description="why it ended (the decision, the notice given)")
    notice_deadline: date | None = Field(description="the current term's last day to give notice")
    expiration: date | None = Field(description="the current term's last day")
    amends_contract_id: str | None
    attention: list[Attention] = Field(default=[], description="needs a person's review (never guessed)")
    caller_may: list[ContractAction] = Field(
        default=[], description="what the caller's role lets them do to this contract that the dashboard "
                               "offers (editors and admins; none for a viewer): unlink_amendment (an amendment "
                               "applied to a contract: DELETE /contracts/{id}/amends), link_amendment (an "
                               "amendment waiting for its contract: PUT /contracts/{id}/amends), "
                               "confirm_contract (a document flagged as not reading as a contract: "
                               "POST /contracts/{id}/is-a-contract), check_amendment (an applied amendment read as "
                               "changing no term: POST /contracts/{id}/amendment-checked), confirm_amendment_order (a contract "
                               "flagged amendment_order_unknown: POST /contracts/{amendment_id}/amendment-checked "
                               "with the flag's amendment_id, made_on or none), "
                               "enter_terms (PUT /contracts/{id}/terms/{name}), "
                               "enter_event (an event's date: POST /contracts/{id}/events, the contract's owner "
                               "or an admin), send_money_files (SLA metrics and invoices: POST "
                               "/contracts/{id}/metrics and /invoices, for an extracted contract that is not an "
                               "amendment), set_owner (PUT /contracts/{id}/owner), set_jurisdiction (PUT "
                               "/contracts/{id}/jurisdiction, not on an amendment), set_time_zone (PUT "
                               "/contracts/{id}/time-zone, not on an amendment), reopen_rule (a rule_marked_done "
                               "flag: POST /contracts/{id}/obligations/{oid}/reopen, or waive it with "
                               "expected_status done), check_credit (a credit_to_check flag: POST "
                               "/contracts/{id}/findings/{finding_id}/checked when its breach has no open claim)")


class ContractDetail(ContractSummary):
    jurisdiction: str | None = Field(description="the jurisdiction whose holidays its business days count: the "
                                                 "upload's, or as a person set it since (PUT /contracts/{id}/"
                                                 "jurisdiction); null: the governing law's calendar")
    page_count: int | None
    amended_by: list[str]
    parties: list[Party]
    terms: dict[str, TermVersion] = Field(description="each term's current version, by name")
    review_confidence_below: float = Field(default=config.REVIEW_CONFIDENCE_BELOW, description="a term whose confidence is below this "
                                           "is marked needs_review (config.REVIEW_CONFIDENCE_BELOW)")
    documents: list[Document]
    obligations: list[Obligation]


class ContractPage(_Response):
    items: list[ContractSummary]
    next_cursor: str | None


class TermHistory(_Response):
    contract_id: str
    name: str
    versions: list[TermVersion] = Field(description="oldest first")


class AuditEvent(_Response):
    at: str
    actor: str
    action: str
    detail: dict[str, Any] | None


class AuditPage(_Response):
    items: list[AuditEvent]
    next_cursor: str | None


class ContractDeleted(_Response):
    contract_id: str
    items_removed: int


class DeletedContract(_Response):
    """A contract of the team deleted (a sync removes it; its audit trail stays readable)."""

    contract_id: str
    deleted_at: str = Field(description="ISO time, UTC")
    deleted_by: str
    file_name: str | None


class DeletedContractPage(_Response):
    items: list[DeletedContract] = Field(description="oldest deletion first")
    next_cursor: str | None


class ObligationPage(_Response):
    items: list[Obligation]
    next_cursor: str | None


class RenewalDecisionState(_Response):
    """Where the current term's renewal decision is (the workflow of "Renewal decisions")."""

    state: str = Field(description="schema.RenewalState: started, recommended, waiting, decided, renegotiating, "
                                   "renewed, terminated, lapsed, cancelled or superseded (the term's end moved)")
    recommended: str | None = Field(description="renew | renegotiate | terminate, with the reasons on the "
                                                "contract's renewal-decision route")
    waiting_for: str | None = Field(description="while waiting: owner, final or escalated")
    decision: str | None
    decided_by: str | None
    outcome: str | None


class Renewal(_Response):
    """A contract whose notice deadline or term end falls in the window (the current term's)."""

    contract_id: str
    title: str | None
    counterparty: str | None
    owner: str | None
    time_zone: str
    auto_renew: bool | None = Field(description="renews by itself (false once a renewal decision ended a contract "
                                                "that renews by its terms; unknown stays null)")
    ended: date | None = Field(default=None, description="the contract's last day when a renewal decision ended it")
    ended_derivation: str | None = None
    renewal_term: str | None
    notice_period: str | None
    notice_deadline: date | None
    notice_status: ObligationState | None
    days_left_to_give_notice: int | None
    expiration: date | None
    days_to_expiration: int | None
    missed_notice_deadline: date | None = Field(
        default=None, description="the current term's notice deadline, passed with no notice recorded: the "
                                  "contract renews at this term's end unless notice was given; notice_deadline is "
                                  "then the next term's")
    missed_notice_derivation: str | None = None
    term_ended: bool = Field(default=False, description=(
        "the term ended (its end, `expiration`, passed) without renewing (`ended_by`): listed for `ended_within` "
        "days after its end, before the dates to come; a renewing contract's passed end has rolled over, and a "
        "term whose renewal decision is renew did not end: neither is listed as ended"))
    days_since_end: int | None = Field(default=None, description="days since the term ended, in the contract's "
                                                                 "time zone (1: it ended yesterday); with term_ended, "
                                                                 "or with renewal `unknown`")
    ended_by: Literal["decision", "no renewal", "marked done"] | None = Field(default=None, description=(
        "with term_ended, why: `decision`, a renewal decision ended the contract at this term's end (`ended`, "
        "`ended_derivation`: a terminate whose notice was given, a lapse); `no renewal`, the contract does not "
        "renew by itself (auto_renew false); `marked done`, that, and a person marked its end done "
        "(`marked_done_by`, `marked_done_on`)"))
    marked_done_by: str | None = Field(default=None, description=(
        "who marked this passed term end done (not a renewal decision): with ended_by `marked done`, or with "
        "renewal `unknown` (done says the end came, not whether the contract renewed)"))
    marked_done_on: date | None = Field(default=None, description=(
        "with marked_done_by, the day it was done (the day they said, else the day they marked it: one before the "
        "term's last day, `expiration`, is the day it was marked, not the day the term ended; it ended on its last "
        "day, which lists it and `days_since_end` counts from)"))
    renewal: Literal["unknown", "renewal term unknown"] | None = Field(default=None, description=(
        "`unknown`: this term's end (`expiration`) passed in the last `ended_within` days and whether the contract "
        "renewed is not known: no renewal clause was found (auto_renew null), no renewal decision ended or "
        "renewed it. Listed there (`days_since_end`), before the dates to come, never as term_ended: check whether "
        "it renewed (`renewal_reason`). `renewal term unknown`: its end passed then and the contract renews by "
        "itself (auto_renew true) but no renewal term is known, so no next term is counted: listed so, until "
        "its renewal_term is entered"))
    renewal_reason: str | None = Field(default=None, description="with renewal `unknown` or `renewal term unknown`, "
                                                                 "why and what to do")
    next_date: date = Field(description="the date that puts it in the window (the sort key): an ended term's end")
    decision: RenewalDecisionState | None = Field(
        default=None, description="the current term's renewal decision; none before its workflow starts")


class RenewalPage(_Response):
    items: list[Renewal]
    next_cursor: str | None


# --- actions -------------------------------------------------------------------------------------

class TermEntry(_Request):
    """A value for a term the extractor abstained on (or a correction): an ISO date, an ISO 8601
    duration, yes/no, or a short text, by the term."""

    value: str | bool = Field(examples=["2027-03-31", "P60D", True, "New York"])
    note: str | None = Field(default=None, max_length=500, description="why, or where it is written")


def _expected_status() -> Any:
    """An action's ``expected_status``: the status the client read (overdue and expired are open)."""
    return Field(default=None, description=(
        "the status the client read and acts on (as shown: overdue and expired are open): when the obligation "
        "is in another now, the action is refused (409 with current_status), nothing written. Also what lets a "
        "waived obligation be completed (expected_status waived) and a done one be waived (expected_status done): "
        "without it, either is a 409"))


class CompleteRequest(_Request):
    expected_status: ObligationState | None = _expected_status()
    note: str | None = Field(default=None, max_length=2000)
    evidence_key: str | None = Field(
        default=None, max_length=1024,
        description="an object under contracts/<id>/ or evidence/<id>/ in the bucket")
    done_on: IsoDate | None = Field(
        default=None, description="YYYY-MM-DD: the day it was done, in the contract's time zone, when before today (a "
                                  "notice sent on its deadline, recorded the next morning); not after today; for a "
                                  "term end (kind expiration) not before the term's last day (400: a term does not "
                                  "end before it); for a notice of non-renewal not before the day \"do not renew\" "
                                  "was decided, for any other not before the contract's effective date when known "
                                  "(400 each). Also accepted on an obligation already done: its day is corrected")


class WaiveRequest(_Request):
    reason: str = Field(min_length=1, max_length=2000)
    expected_status: ObligationState | None = _expected_status()


class ReopenRequest(_Request):
    note: str | None = Field(default=None, max_length=2000, description="why the duty goes on (kept in the audit trail)")


class AcknowledgeRequest(_Request):
    expected_status: ObligationState | None = _expected_status()


class ObligationConflict(_Response):
    """A 409 of an obligation's action: ``current_status`` says the status it is in now when the
    refusal is about its status (not the one expected, or a decision the action would overturn)."""

    message: str
    current_status: ObligationState | None = Field(
        default=None, description="the obligation's status now (as shown), when the refusal is about it")


class OwnerRequest(_Request):
    owner: str = Field(max_length=254, pattern=EMAIL_PATTERN)
    note: str | None = Field(default=None, max_length=2000, description="why (kept in the audit trail)")


class JurisdictionRequest(_Request):
    jurisdiction: str | None = Field(
        max_length=16, examples=["US-NY"],
        description="the holiday calendar the contract's business days count (a country code, or a country and "
                    "subdivision: US, US-NY, GB-ENG, DE-BY), checked as at upload; null clears it: the governing "
                    "law as read, entered or amended counts again")
    note: str | None = Field(default=None, max_length=2000, description="why (kept in the audit trail)")


class TimeZoneRequest(_Request):
    time_zone: str = Field(
        max_length=64, examples=["Europe/London"],
        description="the IANA time zone of the contract (its \"today\", the end of day its deadlines pass, the "
                    "local hour its reminders fire), checked as at upload")
    note: str | None = Field(default=None, max_length=2000, description="why (kept in the audit trail)")


class IsAContractRequest(_Request):
    note: str | None = Field(default=None, max_length=2000, description="why it is a contract (kept in the audit trail)")


class AmendmentCheckedRequest(_Request):
    note: str | None = Field(default=None, max_length=2000,
                             description="what the amendment changes instead (kept in the audit trail)")
    confirm_order: bool = Field(default=False, description=(
        "an amendment whose order is not known (amendment_order_unknown): true says the order it "
        "was filed in is the order it was made in (a day said before stands); false (and no made_on): the "
        "amendment read as changing no term was checked"))
    made_on: date | None = Field(default=None, description=(
        "an amendment whose order is not known (amendment_order_unknown): the day it was signed "
        "(not after today in the contract's time zone, not before the agreement it amends), which places it "
        "among the contract's amendments in the order made"))


# --- uploads and feeds ---------------------------------------------------------------------------

class UploadRequest(_Request):
    file_name: str = Field(pattern=FILE_NAME_PATTERN, examples=["msa-northwind.pdf"])
    owner: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)
    counterparty: str | None = Field(default=None, max_length=200)
    contract_type: str | None = Field(default=None, max_length=50, pattern=r"^[A-Za-z0-9_-]+$")
    time_zone: str | None = Field(default=None, max_length=64, examples=["America/New_York"])
    jurisdiction: str | None = Field(default=None, max_length=16, examples=["US-NY"])


class EvidenceUploadRequest(_Request):
    """A proof file for one of the contract's obligations (a sent notice letter, a receipt)."""

    file_name: str = Field(pattern=FILE_NAME_PATTERN, examples=["non-renewal-letter-sent.pdf"])
    content_type: str = Field(default="application/octet-stream", max_length=100,
                              pattern=r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$",
                              examples=["application/pdf"])


class Upload(_Response):
    """POST ``fields`` plus the file (field ``file``, last) as multipart/form-data to ``url``."""

    url: str
    fields: dict[str, str]
    key: str
    expires_in: int
    max_bytes: int


class FeedRequest(_Request):
    owner: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN,
                              description="one person's deadlines; omit for the whole team's")
    label: str | None = Field(default=None, max_length=100)


class Feed(_Response):
    id: str
    team: str
    owner: str | None
    label: str | None
    created_by: str
    created_at: str
    revoked: bool
    revoked_by: str | None
    revoked_at: str | None


class FeedCreated(Feed):
    token: str = Field(description="shown once: only its hash is stored")
    path: str = Field(description="the calendar's address, relative to the API's base URL")


class FeedList(_Response):
    items: list[Feed]


def stored_status(shown: ObligationState | None) -> ObligationStatus | None:
    """The stored status a status as shown stands for (overdue and expired are open)."""
    if shown is None:
        return None
    return ObligationStatus.OPEN if shown in (ObligationState.OVERDUE, ObligationState.EXPIRED) \
        else ObligationStatus(shown.value)


def error_responses(*codes: int, conflict: type[_Response] | None = None) -> dict[int, OpenAPIResponse]:
    """The OpenAPI responses of the errors a route can answer with (all ``{"message": ...}``;
    ``conflict``: the model of a 409 that says more, as an obligation's action does)."""
    descriptions = {400: "Bad request: an invalid parameter, body or cursor",
                    401: "No token, or a bad one", 403: "The token's role may not do this",
                    404: "Not found (another team's is not found either)",
                    409: "Conflict: what it acts on does not allow it now (the message says why), or another "
                         "request changed the record while this one ran (read it again, and send it again)",
                    415: "The body is not JSON: send it with Content-Type: application/json"}
    return {code: {"description": descriptions[code],
                   "content": {"application/json": {"model": conflict if code == 409 and conflict else ErrorMessage}}}
            for code in codes}


class AmendmentLink(_Request):
    """The contract an amendment amends, as a person says (the amendment waited: none of the team's
    contracts was dated as it says, several were, or the one that was did not name it)."""

    contract_id: str = Field(pattern=CONTRACT_ID_PATTERN, examples=["b11b9ce04cdc1985"],
                             description="the amended contract: an extracted contract of the team, not an amendment")


# --- terms that run from an event (issue #15) -------------------------------------------------------

class EventDateEntry(_Request):
    """The date the event a conditional term runs from happened ("Launch Date" on 2027-03-01)."""

    event: str = Field(min_length=1, max_length=200, examples=["Launch Date"],
                       description="the event as the conditional term names it (any case)")
    date: str | None = Field(max_length=10, examples=["2027-03-01"],
                             description="ISO date (YYYY-MM-DD); null clears a date entered by mistake: the term "
                                         "waits for the event again (its expiration and deadlines go)")


class ConditionalEvent(_Response):
    """One event of a term that runs from the later (or earlier) of several events."""

    event: str
    duration: str | None = Field(default=None, description="ISO 8601 duration from the event to this "
                                                           "candidate's end; null: the event's date itself")
    convention: str | None = None
    event_date: str | None = Field(default=None, description="null: still missing")
    entered_by: str | None = None
    filled_from: str | None = Field(default=None, description="effective_date, agreement_date or stated (in the "
                                                              "clause) when the extraction knew the date")


class KeptExpiration(_Response):
    """The expiration an event's date gives, kept out by one a person entered directly or an amendment set."""

    computed: str = Field(description="the expiration the event's date gives")
    derivation: str = Field(description="its arithmetic")
    kept: str = Field(description="the contract's expiration, which stands")
    by: str = Field(description="who or what set it (\"entered by a@b.com (settlement agreement)\", an amendment)")


class ConditionalTerm(_Response):
    """A term that runs from an event (or from the later or earlier of several: ``rule`` and
    ``events``): no expiration until a person enters every event's date."""

    event: str = Field(description="the event; for a later/earlier-of term, the rule over its events")
    duration: str | None = Field(default=None, description="ISO 8601 duration counted from the event (for a "
                                                           "later/earlier-of term: from the chosen event, or null "
                                                           "when each event has its own)")
    sets: str = Field(description="the term the event's date decides (expiration_date)")
    phrase: str = Field(description="the words that say it (\"five (5) years from the Launch Date\")")
    convention: str | None = None
    page: int
    start: int
    end: int
    clause: str
    event_date: str | None = Field(default=None, description="null: waiting for an event date (for a "
                                                               "later/earlier-of term: the deciding event's date, "
                                                               "once every event is dated)")
    entered_by: str | None = None
    rule: str | None = Field(default=None, description="later | earlier: the term runs from several events")
    events: list[ConditionalEvent] | None = None
    kept_over: KeptExpiration | None = Field(default=None, description="the event's expiration, not applied: "
                                                                       "the contract's own stands (Needs attention)")


class EventEntered(_Response):
    contract_id: str
    conditional_term: ConditionalTerm
    expiration: TermVersion | None = Field(description="the expiration computed from the event's date, with its "
                                                       "arithmetic; null while a later/earlier-of term still misses "
                                                       "other events' dates")
    missing_events: list[str] = Field(default=[], description="the events still without a date")
    notice_deadline: str | None = Field(default=None, description="counted from that expiration, when the "
                                                                   "contract has a notice period")
    kept: str | None = Field(default=None, description="set when the contract's expiration, entered directly by a "
                                                       "person or stated outright by an amendment, stands over the "
                                                       "one the event's date gives (``expiration`` is then that "
                                                       "one): why (an amendment's extension counts from the "
                                                       "event's end instead)")


class Correction(_Response):
    """A value a person entered or corrected, with what the extractor had said: a training label."""

    contract_id: str
    document_sha256: str
    file_name: str
    team: str
    field: str
    extracted_value: Any = None
    extracted_evidence: dict[str, Any] | None = None
    extracted_derivation: str | None = None
    corrected_value: Any
    derivation: str | None = None
    author: str
    at: str
    version: int
    current: bool = Field(description="false when a later version replaced it")
    clause: dict[str, Any] | None = Field(default=None, description="page, start, end, text of the clause it rests on")
    clause_source: str | None = Field(default=None, description="entry | extraction: whose clause that is")
    clause_contract_id: str | None = Field(default=None, description="the contract whose document the clause is in "
                                                                     "(an amendment's, for a clause it wrote)")
    clause_document_sha256: str | None = Field(default=None, description="that document's SHA-256 (null: deleted)")
    clause_file_name: str | None = Field(default=None, description="that document's file name (null: deleted)")


class CorrectionList(_Response):
    items: list[Correction]
