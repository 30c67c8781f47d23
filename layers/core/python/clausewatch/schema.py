"""The single table's schema and the statuses: the one place that says how items are keyed.

Read by the pynamodb models and the repository (store/), the planner's stream filter
(pipeline/reminders.py), the CDK construct (infra/) and the embedded default's provisioning
(local/cloud.py). Adding an index is one entry in ``INDEXES``; a new item kind is one prefix here.

| item        | pk               | sk                    | indexes (sparse)                                            |
|-------------|------------------|-----------------------|-------------------------------------------------------------|
| contract    | C#<id>           | META                  | GSI1 T#<team>#CONTRACTS / <updated>#<id>;                    |
|             |                  |                       | GSI4 T#<team>#CONTRACTS#<status> / <updated>#<id>            |
| term        | C#<id>           | TERM#<name>#<seq:04d> |                                                             |
| obligation  | C#<id>           | OBL#<obligation_id>   | dated and open/done/waived:                                 |
|             |                  |                       | GSI1 T#<team>#OBL#<status> / <due>#<contract>#<obligation>;  |
|             |                  |                       | GSI3 T#<team>#O#<owner>#<status> / <due>#<contract>#<obl.>;  |
|             |                  |                       | open notice deadline or term end:                           |
|             |                  |                       | GSI2 T#<team>#RENEWAL / <due>#<contract>#<obligation>        |
| audit event | C#<id>           | AUDIT#<iso_ts>#<tail> | in the audit table (below), not this one                    |
| tombstone   | C#<id>           | TOMBSTONE#<iso_ts>#<t>| audit table: a deletion and the team whose trail it stays   |
| alert claim | C#<id>           | ALERT#<reminder name> |                                                             |
| upload hash | SHA#<sha256>     | SHA                   |                                                             |
| feed token  | FEED#<sha256>    | FEED                  | GSI1 T#<team>#FEEDS / <feed id>                              |
| invoice     | C#<id>           | INVOICE#<number>      |                                                             |
| finding     | C#<id>           | FINDING#<finding id>  | GSI1 T#<team>#FINDINGS / <recorded at>#<contract>#<finding>  |
| money ledger| T#<team>#STAKE   | UNIT#<contract>       | (what each of a contract's findings counts at stake)         |
|             |                  | SUM#<scope>#<currency>| (the team's running total at stake: scope * or one kind)     |
|             |                  | COUNT#<scope>, BUILT  | (its findings counted; the ledger built from the findings)   |
| webhook     | WH#<id>          | WEBHOOK               | GSI1 T#<team>#WEBHOOKS / <webhook id>                        |
| delivered   | WH#<id>          | SENT#<event id>       |                                                             |
| given up    | WH#<id>          | FAILED#<event id>     | (the latest 50; an older one leaves GAVEUP#<event id>)      |
| preferences | PREF#<email>     | PREF                  | GSI1 PREFS#DIGEST#<weekly|off> / <email>                     |
| digest sent | PREF#<email>     | DIGEST#<ISO week>     |                                                             |
| date marker | T#<team>#DATED   | <C|A>#<day>#<id>      |                                                             |
| deletion    | T#<team>#DELETED | <deleted at>#<id>     | (a sync's deleted contracts, oldest first)                  |
| upgrade     | UPGRADE          | <step>                |                                                             |

Every request of the API is a GetItem or a Query on one of these keys (README, "API"):
GSI1 lists a team's contracts (most recently changed first), its obligations of one status (soonest
first) and its calendar feeds; GSI4 a team's contracts of one status; GSI3 one owner's obligations
of one status; GSI2 the team's renewal calendar: the current term's notice deadline and end, as the
obligations the planner keeps rolled forward (not the extracted dates, which for an auto-renewed
contract are the first term's).

Pure: no AWS, no pynamodb.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# --- base keys -----------------------------------------------------------------------------------
PARTITION_KEY = "pk"
SORT_KEY = "sk"

CONTRACT_PREFIX = "C#"
CONTRACT_SK = "META"
GONE_SK = "GONE"  # a deleted contract's marker: the team whose id it was (store/models.GoneItem)
TERM_PREFIX = "TERM#"
OBLIGATION_PREFIX = "OBL#"
AUDIT_PREFIX = "AUDIT#"
TOMBSTONE_PREFIX = "TOMBSTONE#"
ALERT_PREFIX = "ALERT#"
UPLOAD_HASH_PREFIX = "SHA#"
UPLOAD_HASH_SK = "SHA"
FEED_PREFIX = "FEED#"
FEED_SK = "FEED"
INVOICE_PREFIX = "INVOICE#"
WEBHOOK_PREFIX = "WH#"
WEBHOOK_SK = "WEBHOOK"
WEBHOOK_SENT_PREFIX = "SENT#"
WEBHOOK_FAILED_PREFIX = "FAILED#"  # an event given up after its last try (the delivery record of a failure)
# an event given up whose record was removed (beyond the latest kept): given up again, it is not new
WEBHOOK_GAVE_UP_PREFIX = "GAVEUP#"
PREFERENCE_PREFIX = "PREF#"
PREFERENCE_SK = "PREF"
DIGEST_SENT_PREFIX = "DIGEST#"
FINDING_PREFIX = "FINDING#"
STAKE_UNIT_PREFIX = "UNIT#"
STAKE_SUM_PREFIX = "SUM#"
STAKE_COUNT_PREFIX = "COUNT#"
STAKE_BUILT_SK = "BUILT"
STAKE_EVERY_KIND = "*"  # the scope of a running total over every kind of finding

# Items under a contract's partition whose changes do not change what is planned (the stream
# filter skips them: an audit line or an alert claim must not re-plan reminders).
# a finding's claim deadline is an obligation of its own: the finding itself plans nothing; a deleted
# contract's marker (GONE) plans nothing either (its deletion removed the schedules)
NOT_PLANNED_PREFIXES: tuple[str, ...] = (AUDIT_PREFIX, ALERT_PREFIX, INVOICE_PREFIX, FINDING_PREFIX, GONE_SK)


class ItemType(StrEnum):
    """The ``item_type`` attribute every item carries."""

    CONTRACT = "contract"
    TERM = "term"
    OBLIGATION = "obligation"
    AUDIT = "audit"
    ALERT = "alert"
    UPLOAD_HASH = "sha"
    FEED = "feed"
    INVOICE = "invoice"
    FINDING = "finding"
    STAKE_UNIT = "stake_unit"
    STAKE_SUM = "stake_sum"
    STAKE_COUNT = "stake_count"
    STAKE_BUILT = "stake_built"
    WEBHOOK = "webhook"
    WEBHOOK_SENT = "webhook_sent"
    PREFERENCE = "preference"
    DIGEST_SENT = "digest_sent"
    REMINDER_SENT = "reminder_sent"
    DATED = "dated"
    DELETED = "deleted"
    UPGRADE = "upgrade"


def contract_pk(contract_id: str) -> str:
    return f"{CONTRACT_PREFIX}{contract_id}"


def contract_id_of(pk: str) -> str | None:
    """The contract id in a partition key, or None when the key is not a contract's."""
    return pk[len(CONTRACT_PREFIX):] if pk.startswith(CONTRACT_PREFIX) else None


def term_sk(name: str, version: int) -> str:
    return f"{TERM_PREFIX}{name}#{version:04d}"


def obligation_sk(obligation_id: str) -> str:
    return f"{OBLIGATION_PREFIX}{obligation_id}"


def audit_sk(at: str, tail: str) -> str:
    return f"{AUDIT_PREFIX}{at}#{tail}"


def tombstone_sk(at: str, tail: str) -> str:
    return f"{TOMBSTONE_PREFIX}{at}#{tail}"


def alert_sk(reminder: str) -> str:
    return f"{ALERT_PREFIX}{reminder}"


def upload_hash_pk(sha256: str) -> str:
    return f"{UPLOAD_HASH_PREFIX}{sha256}"


def feed_pk(token_sha256: str) -> str:
    """A calendar feed is keyed by the hash of its token: the token itself is never stored."""
    return f"{FEED_PREFIX}{token_sha256}"


def invoice_sk(number: str) -> str:
    return f"{INVOICE_PREFIX}{number}"


def finding_sk(finding_id: str) -> str:
    return f"{FINDING_PREFIX}{finding_id}"


def webhook_pk(webhook_id: str) -> str:
    return f"{WEBHOOK_PREFIX}{webhook_id}"


def team_webhooks_pk(team: str) -> str:
    return f"T#{team}#WEBHOOKS"


def preference_pk(email: str) -> str:
    """A person's preferences, keyed by their address whatever its case."""
    return f"{PREFERENCE_PREFIX}{email.lower()}"


def digest_subscribers_pk(choice: str) -> str:
    """Everyone whose digest preference is ``choice`` (the weekly run reads "weekly")."""
    return f"PREFS#DIGEST#{choice}"


def team_findings_pk(team: str) -> str:
    """A team's money findings (SLA breaches, invoice findings, refused files), newest last."""
    return f"T#{team}#FINDINGS"


def team_stake_pk(team: str) -> str:
    """A team's money ledger: the running totals at stake (GET /findings/total) and what each
    contract's findings count in them (store/stake.py)."""
    return f"T#{team}#STAKE"


def stake_unit_sk(contract_id: str) -> str:
    return f"{STAKE_UNIT_PREFIX}{contract_id}"


def stake_sum_sk(scope: str, currency: str) -> str:
    return f"{STAKE_SUM_PREFIX}{scope}#{currency}"


def stake_count_sk(scope: str) -> str:
    return f"{STAKE_COUNT_PREFIX}{scope}"


def changes_plan(pk: str, sk: str) -> bool:
    """Whether a change to the item keyed (pk, sk) can change a contract's reminders."""
    return pk.startswith(CONTRACT_PREFIX) and not sk.startswith(NOT_PLANNED_PREFIXES)


# --- secondary indexes ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Index:
    """A global secondary index: string keys, all attributes projected, sparse (an item is in it
    only while it has both key attributes)."""

    name: str
    partition_key: str
    sort_key: str
    purpose: str


BY_TEAM = Index("GSI1", "gsi1pk", "gsi1sk",
                "per team: contracts by time of change, obligations of one status by due date, "
                "calendar feeds")
RENEWALS = Index("GSI2", "gsi2pk", "gsi2sk",
                 "per team: open notice deadlines and term ends (the current term's), and term ends "
                 "closed done, by date")
BY_OWNER = Index("GSI3", "gsi3pk", "gsi3sk", "per team and owner: obligations of one status by due date")
BY_STATUS = Index("GSI4", "gsi4pk", "gsi4sk", "per team and contract status: contracts by time of change")

INDEXES: tuple[Index, ...] = (BY_TEAM, RENEWALS, BY_OWNER, BY_STATUS)

UNOWNED = "unowned"  # the owner key of obligations nobody owns


def team_contracts_pk(team: str) -> str:
    return f"T#{team}#CONTRACTS"


def team_contracts_of_status_pk(team: str, status: str) -> str:
    return f"T#{team}#CONTRACTS#{status}"


def changed_sk(at: str, contract_id: str) -> str:
    """``<ISO time of the last change>#<id>``: contracts sort by when they last changed."""
    return f"{at}#{contract_id}"


def team_obligations_pk(team: str, status: str) -> str:
    return f"T#{team}#OBL#{status}"


def owner_obligations_pk(team: str, owner: str | None, status: str) -> str:
    """An owner is an email address: one key whatever its case."""
    return f"T#{team}#O#{(owner or UNOWNED).lower()}#{status}"


def team_renewals_pk(team: str) -> str:
    return f"T#{team}#RENEWAL"


def due_sk(due: str, contract_id: str, obligation_id: str) -> str:
    """``<ISO day>#<contract>#<obligation>``: sorts by due day; unique across the team."""
    return f"{due}#{contract_id}#{obligation_id}"


def team_feeds_pk(team: str) -> str:
    return f"T#{team}#FEEDS"


# a team's contracts by the day they are dated (agreement or effective date) and its amendments by
# the day of the agreement they amend, in the table itself (read strongly consistent: an amendment
# and its contract recorded at once each see the other, store/repository.py DatedItem)
DATED_CONTRACT, DATED_AMENDMENT = "C", "A"
# an amendment by its own date (agreement or effective date): what an amendment of an amendment
# names ("the First Amendment ... dated March 10, 2026"), pipeline/record._amended_through
DATED_AMENDMENT_ITSELF = "S"


def team_dated_pk(team: str) -> str:
    return f"T#{team}#DATED"


def team_deleted_pk(team: str) -> str:
    return f"T#{team}#DELETED"


def deleted_sk(deleted_at: str, contract_id: str) -> str:
    """``<ISO time of the deletion>#<id>``: a team's deletions sort by when they were made."""
    return f"{deleted_at}#{contract_id}"


def dated_sk(kind: str, day: str, contract_id: str) -> str:
    """``<C|A|S>#<ISO day>#<id>``: a contract dated ``day``, an amendment of an agreement of ``day``,
    or an amendment itself dated ``day``."""
    return f"{kind}#{day}#{contract_id}"


# a step of upgrading the table's data that has been completed (`UPGRADE` / `<step>`): written once
# the step is done for every item, by the operator's `python -m clausewatch.renewal.reindex` or, on
# a table the embedded default creates empty, at its creation (nothing to upgrade)
UPGRADE_PK = "UPGRADE"
UPGRADE_DATED_MARKERS = "DATED_MARKERS"  # every extracted contract has its date markers
UPGRADE_AMENDMENT_DATES = "AMENDMENT_DATES"  # every extracted amendment has its own dates' markers (S#)
UPGRADE_DELETION_MARKERS = "DELETION_MARKERS"  # every deleted contract has its GONE marker
UPGRADE_RULES_MARKED_DONE = "RULES_MARKED_DONE"  # each recurring duty's rule done by hand (before 2026-12-07) is flagged
UPGRADE_ENDED_TERMS = "ENDED_TERMS"  # each term end closed done (before 2026-12-07) is on GSI2
UPGRADE_WAIVED_TERM_ENDS = "WAIVED_TERM_ENDS"  # and each term end waived before 2026-12-07 too
UPGRADE_AMENDMENT_NAMES = "AMENDMENT_NAMES"  # each amendment read before 2026-12-07 has the terms it names read


# --- statuses ------------------------------------------------------------------------------------

class ContractStatus(StrEnum):
    """A contract's place in the pipeline, in order; QUARANTINED and FAILED end its processing."""

    RECEIVED = "RECEIVED"
    TEXT_PENDING = "TEXT_PENDING"
    TEXT_READY = "TEXT_READY"
    EXTRACTED = "EXTRACTED"
    QUARANTINED = "QUARANTINED"
    FAILED = "FAILED"


class ObligationStatus(StrEnum):
    """An obligation's state. ``done`` and ``waived`` are a person's decision about one due date
    (a new date, such as the next term's notice deadline, is open again); ``superseded``: the
    deadline it stood for moved or went away (an amendment, a renewed term); ``cancelled``: it no
    longer exists (its contract was deleted). "Overdue" is not stored: it is open and past due in
    the contract's time zone."""

    OPEN = "open"
    DONE = "done"
    WAIVED = "waived"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


# obligations in one of these are no longer reminded about
CLOSED_OBLIGATION_STATUSES = frozenset({ObligationStatus.DONE, ObligationStatus.WAIVED,
                                        ObligationStatus.SUPERSEDED, ObligationStatus.CANCELLED})
# closed by a person, for the due date they had then
RESOLVED_OBLIGATION_STATUSES = frozenset({ObligationStatus.DONE, ObligationStatus.WAIVED})
# the statuses a team lists (GSI1, GSI3); superseded and cancelled ones are history
LISTED_OBLIGATION_STATUSES = (ObligationStatus.OPEN, ObligationStatus.DONE, ObligationStatus.WAIVED)
# obligations that make the renewal calendar (GSI2), as the planner names them (plan.py)
TERM_DEADLINE_KINDS = ("notice_deadline", "expiration")
EXPIRATION_KIND = "expiration"  # a term end's kind (and its obligation id: ``plan.EXPIRATION_ID``)
# dates the contract states that are no one's duty: past, the contract has expired; never "overdue"
NOT_A_DUTY_KINDS = frozenset({"expiration"})


def is_overdue_when_past(kind: str | None) -> bool:
    """Whether an open obligation of this kind past its day is overdue (a duty not done), or only a
    date gone by (an expiration: the contract expired)."""
    return kind not in NOT_A_DUTY_KINDS

# --- renewal decisions (issue #10) ---------------------------------------------------------------
# | renewal     | C#<id>           | RENEWAL#<term end>    | (one per contract term the workflow decides)
# | secret      | SECRET#<name>    | SECRET                | (the key that signs decision links)
RENEWAL_PREFIX = "RENEWAL#"
SECRET_PREFIX = "SECRET#"
SECRET_SK = "SECRET"
# the workflow's own record changes no reminder (the obligations its steps create do)
NOT_PLANNED_PREFIXES = (*NOT_PLANNED_PREFIXES, RENEWAL_PREFIX)


def renewal_sk(term_end: str) -> str:
    return f"{RENEWAL_PREFIX}{term_end}"


def secret_pk(name: str) -> str:
    return f"{SECRET_PREFIX}{name}"


class RenewalState(StrEnum):
    """Where a term's renewal decision is. WAITING: a person's decision is asked for (the task
    token is stored); the last five end it. CANCELLED: the term it was for no longer ends on that
    day (an amendment or an entered expiration moved it, the contract no longer renews): nothing
    was decided (``renewal/planning.end_moved_terms``). SUPERSEDED: a decision was made (or
    lapsed) for that term, then its end moved before any notice of non-renewal was given: its
    branch is withdrawn and the new term end gets its own decision
    (``renewal/planning.supersede_moved_decisions``)."""

    STARTED = "started"
    RECOMMENDED = "recommended"
    WAITING = "waiting"
    DECIDED = "decided"  # the decision is sent to the workflow; its branch runs next
    RENEGOTIATING = "renegotiating"
    RENEWED = "renewed"
    TERMINATED = "terminated"
    LAPSED_RENEWED = "lapsed: auto-renewed by default"
    LAPSED_EXPIRED = "lapsed: expired"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"


# --- the audit trail (issue #13): a table of its own (config.AUDIT_TABLE_NAME) -------------------
# | audit event | C#<id>           | AUDIT#<iso_ts>#<tail> | (no indexes, no stream)
# Same key attributes (pk, sk) and values as when it lived in the single table, so a contract's trail
# is one Query. Append-only: every function may PutItem (conditional on a new key) and some Query;
# none may UpdateItem or DeleteItem (infra/components/audit.py). Deleting a contract leaves it.
AUDIT_TABLE_INDEXES: tuple[Index, ...] = ()


def is_audit_item(sk: str) -> bool:
    """An audit event's sort key (a saved state from before the audit table held them in the
    single table: local/state.py moves them)."""
    return sk.startswith(AUDIT_PREFIX)

# --- reminders at scale (issue #11 part 3) -------------------------------------------------------
# | reminder sent | C#<id>         | SENT#<reminder name>  | (emailed or held for a digest: once; a lease while it is sent)
# | contract      | C#<id>         | META                  | GSI5 PLAN#<shard> / <next planning day>#<id>   |
# |               |                |                       | GSI5 PENDING#<shard> / <updated>#<id> (non-final) |
# GSI5 holds an EXTRACTED contract while part of its plan is not scheduled yet (the rolling
# horizon): under PLAN#<shard>, keyed by the UTC day the daily sweep must plan it again; and a
# contract in a non-final status (RECEIVED, TEXT_PENDING, TEXT_READY) under PENDING#<shard> by the
# time of its last change (the stuck-contract recovery). Neither the sweep nor the recovery scans.
# The shard (a hash of the contract id) spreads both over WORK_SHARDS partitions of the index.
REMINDER_SENT_PREFIX = "SENT#"
NOT_PLANNED_PREFIXES = (*NOT_PLANNED_PREFIXES, REMINDER_SENT_PREFIX)
WORK_SHARDS = 4  # enough spread for the write rate at 10M contracts (README, "Capacity plan")
BY_NEXT_WORK = Index("GSI5", "gsi5pk", "gsi5sk",
                     "contracts by the day they are planned next (PLAN#<shard>), contracts in a "
                     "non-final status by time of change (PENDING#<shard>), renewal decisions "
                     "waiting for a person (WAIT#<shard>) and amendments not applied yet (AMEND#<team>)")
INDEXES = (*INDEXES, BY_NEXT_WORK)
NON_FINAL_CONTRACT_STATUSES = (ContractStatus.RECEIVED, ContractStatus.TEXT_PENDING,
                               ContractStatus.TEXT_READY)


def reminder_sent_sk(reminder: str) -> str:
    return f"{REMINDER_SENT_PREFIX}{reminder}"


# | calendar invite | C#<id> | INVITE#<obligation> | what the recipients' calendars hold of a deadline
# whose invite was mailed (store/invites.py): written by the alert λ, so it plans nothing itself; a
# deleted contract's stay until its entries are withdrawn (repository.delete_contract_items leaves them)
INVITE_PREFIX = "INVITE#"
NOT_PLANNED_PREFIXES = (*NOT_PLANNED_PREFIXES, INVITE_PREFIX)


def invite_sk(obligation_id: str) -> str:
    return f"{INVITE_PREFIX}{obligation_id}"


# | calendar feed entry | C#<id> | FEEDENTRY#<obligation> | the date and UID the subscribed calendar
# feeds last served of a deadline (store/invites.py): written by the API's feed, so it plans nothing;
# a deleted contract's go with it (repository.delete_contract_items)
FEED_ENTRY_PREFIX = "FEEDENTRY#"
NOT_PLANNED_PREFIXES = (*NOT_PLANNED_PREFIXES, FEED_ENTRY_PREFIX)


def feed_entry_sk(obligation_id: str) -> str:
    return f"{FEED_ENTRY_PREFIX}{obligation_id}"


def work_shard(contract_id: str) -> int:
    """The GSI5 shard of a contract (stable: a hash of its id)."""
    import hashlib

    return int(hashlib.sha256(contract_id.encode()).hexdigest()[:8], 16) % WORK_SHARDS


PLAN_PREFIX = "PLAN#"
PENDING_PREFIX = "PENDING#"
# | renewal record | C#<id>       | RENEWAL#<term end>    | GSI5 WAIT#<shard> / <wait deadline>#<id>#<term end> |
# A term's renewal record is in GSI5 only while it is WAITING for a person (the daily sweep's
# heartbeats, the local timeouts find them there: no scan).
WAITING_PREFIX = "WAIT#"


# | contract      | C#<id>         | META                  | GSI5 AMEND#<team> / <received>#<id>             |
# An EXTRACTED amendment not applied to any contract yet (its agreement not on file, or not told
# apart) waits under its team's AMEND# partition: a contract extracted later is checked against
# these few, never against every contract of the team.
UNAPPLIED_AMENDMENT_PREFIX = "AMEND#"


def unapplied_amendments_pk(team: str) -> str:
    return f"{UNAPPLIED_AMENDMENT_PREFIX}{team}"


def waiting_pk(shard: int) -> str:
    return f"{WAITING_PREFIX}{shard:02d}"


def waiting_sk(wait_deadline: str, contract_id: str, term_end: str) -> str:
    return f"{wait_deadline}#{contract_id}#{term_end}"


def plan_pk(shard: int) -> str:
    return f"{PLAN_PREFIX}{shard:02d}"


def pending_pk(shard: int) -> str:
    return f"{PENDING_PREFIX}{shard:02d}"


def plan_sk(day: str, contract_id: str) -> str:
    """``<ISO day>#<id>``: the day the sweep plans the contract again."""
    return f"{day}#{contract_id}"


def up_to_day(day: str) -> str:
    """The exclusive upper bound of every ``plan_sk`` of ``day`` or before ('$' follows '#')."""
    return f"{day}$"
