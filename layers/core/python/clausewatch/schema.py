"""The single table's schema and the statuses: the one place that says how items are keyed.

Read by the pynamodb models and the repository (store/), the planner's stream filter
(pipeline/reminders.py), the CDK construct (infra/) and the embedded default's provisioning
(local/cloud.py). Adding an index is one entry in ``INDEXES``; a new item kind is one prefix here.

| item        | pk            | sk                     | indexes (sparse)                                     |
|-------------|---------------|------------------------|------------------------------------------------------|
| contract    | C#<id>        | META                   | by_team T#<team>#CONTRACTS / <status>#<updated>;      |
|             |               |                        | renewals T#<team>#RENEWAL / <notice_deadline>#<id>    |
| term        | C#<id>        | TERM#<name>#<seq:04d>  |                                                      |
| obligation  | C#<id>        | OBL#<obligation_id>    | by_team T#<team>#OPEN / <due>#<id>; by_owner O#<owner> / <due>#<id> |
| audit event | C#<id>        | AUDIT#<iso_ts>#<tail>  |                                                      |
| alert claim | C#<id>        | ALERT#<reminder name>  |                                                      |
| upload hash | SHA#<sha256>  | SHA                    |                                                      |

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
TERM_PREFIX = "TERM#"
OBLIGATION_PREFIX = "OBL#"
AUDIT_PREFIX = "AUDIT#"
ALERT_PREFIX = "ALERT#"
UPLOAD_HASH_PREFIX = "SHA#"
UPLOAD_HASH_SK = "SHA"

# Items under a contract's partition whose changes do not change what is planned (the stream
# filter skips them: an audit line or an alert claim must not re-plan reminders).
NOT_PLANNED_PREFIXES = (AUDIT_PREFIX, ALERT_PREFIX)


class ItemType(StrEnum):
    """The ``item_type`` attribute every item carries."""

    CONTRACT = "contract"
    TERM = "term"
    OBLIGATION = "obligation"
    AUDIT = "audit"
    ALERT = "alert"
    UPLOAD_HASH = "sha"


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


def alert_sk(reminder: str) -> str:
    return f"{ALERT_PREFIX}{reminder}"


def upload_hash_pk(sha256: str) -> str:
    return f"{UPLOAD_HASH_PREFIX}{sha256}"


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
                "per team: contracts by status and time, open obligations by due date")
RENEWALS = Index("GSI2", "gsi2pk", "gsi2sk", "per team: contracts by notice deadline")
BY_OWNER = Index("GSI3", "gsi3pk", "gsi3sk", "per owner: open obligations by due date")

INDEXES: tuple[Index, ...] = (BY_TEAM, RENEWALS, BY_OWNER)

UNOWNED = "unowned"  # the owner key of obligations nobody owns


def team_contracts_pk(team: str) -> str:
    return f"T#{team}#CONTRACTS"


def team_contracts_sk(status: str, updated_at: str) -> str:
    return f"{status}#{updated_at}"


def team_renewals_pk(team: str) -> str:
    return f"T#{team}#RENEWAL"


def team_open_obligations_pk(team: str) -> str:
    return f"T#{team}#OPEN"


def owner_obligations_pk(owner: str | None) -> str:
    return f"O#{owner or UNOWNED}"


def dated_sk(day: str, item_id: str) -> str:
    """``<ISO day>#<id>``: sorts by day, then id (renewals and open obligations)."""
    return f"{day}#{item_id}"


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
    """An obligation's state. ``superseded``: the deadline it stood for moved or went away (an
    amendment, a renewed term); ``cancelled``: it no longer exists (its contract was deleted)."""

    OPEN = "open"
    DONE = "done"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


# obligations in one of these are no longer reminded about
CLOSED_OBLIGATION_STATUSES = frozenset({ObligationStatus.DONE, ObligationStatus.SUPERSEDED,
                                        ObligationStatus.CANCELLED})
