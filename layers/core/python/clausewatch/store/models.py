"""pynamodb models of the single clausewatch table: keys and indexes declared in one place.

| item        | pk              | sk                          | indexes (sparse)                                   |
|-------------|-----------------|-----------------------------|----------------------------------------------------|
| contract    | C#<id>          | META                        | GSI1 T#<team>#CONTRACTS / <status>#<updated>;      |
|             |                 |                             | GSI2 T#<team>#RENEWAL / <notice_deadline>#<id>     |
| term        | C#<id>          | TERM#<name>#<seq:04d>       |                                                    |
| obligation  | C#<id>          | OBL#<obligation_id>         | GSI1 T#<team>#OPEN / <due>#<id>; GSI3 O#<owner> / <due>#<id> |
| audit event | C#<id>          | AUDIT#<iso_ts>#<uuid>       |                                                    |
| alert claim | C#<id>          | ALERT#<reminder name>       |                                                    |
| upload hash | SHA#<sha256>    | SHA                         |                                                    |
"""

from __future__ import annotations

import os

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .. import config


def _region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


class _Meta:
    table_name = os.environ.get(config.ENV_TABLE, config.TABLE_NAME)
    region = _region()
    host = None


class GSI1(GlobalSecondaryIndex):
    """Per-team lists: contracts by status, open obligations by due date."""

    class Meta:
        index_name = "GSI1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class GSI2(GlobalSecondaryIndex):
    """Per-team renewal calendar: contracts by notice deadline."""

    class Meta:
        index_name = "GSI2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class GSI3(GlobalSecondaryIndex):
    """Per-owner obligations by due date."""

    class Meta:
        index_name = "GSI3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class _Item(Model):
    class Meta(_Meta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    item_type = UnicodeAttribute()


class ContractItem(_Item):
    class Meta(_Meta):
        pass

    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    by_team_status = GSI1()
    by_team_renewal = GSI2()

    # optimistic locking: a save based on a stale read fails (and the Lambda retries) instead of
    # overwriting a concurrent change
    version = VersionAttribute()
    contract_id = UnicodeAttribute()
    status = UnicodeAttribute()
    status_reason = UnicodeAttribute(null=True)
    file_name = UnicodeAttribute()
    source_key = UnicodeAttribute()
    source_version = UnicodeAttribute(null=True)  # the S3 version of the upload
    sha256 = UnicodeAttribute()
    size_bytes = NumberAttribute(default=0)
    page_count = NumberAttribute(null=True)
    original_key = UnicodeAttribute(null=True)
    text_key = UnicodeAttribute(null=True)
    text_engine = UnicodeAttribute(null=True)
    text_job_id = UnicodeAttribute(null=True)
    received_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    owner = UnicodeAttribute(null=True)
    team = UnicodeAttribute(default=config.DEFAULT_TEAM)
    contract_type = UnicodeAttribute(null=True)
    time_zone = UnicodeAttribute(default=config.DEFAULT_TIME_ZONE)
    jurisdiction = UnicodeAttribute(null=True)
    title = UnicodeAttribute(null=True)
    counterparty = UnicodeAttribute(null=True)
    upload_metadata = JSONAttribute(default=dict)
    extraction = JSONAttribute(null=True)  # the extractor's full result (terms, parties, obligations)
    amends_contract_id = UnicodeAttribute(null=True)  # for an amendment: the contract it changes
    amended_by = JSONAttribute(null=True)  # ids of amendments applied to this contract, in order


class TermItem(_Item):
    """One version of one term; a new version is written only when the value changes."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    name = UnicodeAttribute()
    version = NumberAttribute()
    value = JSONAttribute(null=True)
    derivation = UnicodeAttribute(null=True)
    evidence = JSONAttribute(null=True)
    source_contract_id = UnicodeAttribute()  # the document that set it (the original or an amendment)
    recorded_at = UnicodeAttribute()


class ObligationItem(_Item):
    """Something a person must do: an extracted duty, or a dated deadline derived from the terms."""

    class Meta(_Meta):
        pass

    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    open_by_team = GSI1()
    by_owner = GSI3()

    version = VersionAttribute()
    contract_id = UnicodeAttribute()
    obligation_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    summary = UnicodeAttribute()
    party = UnicodeAttribute(null=True)
    due = UnicodeAttribute(null=True)  # ISO date, the last day to act
    recurrence = UnicodeAttribute(null=True)
    offset = UnicodeAttribute(null=True)
    derivation = UnicodeAttribute(null=True)
    action = UnicodeAttribute(null=True)
    evidence = JSONAttribute(null=True)
    owner = UnicodeAttribute(null=True)
    unowned = BooleanAttribute(default=False)
    status = UnicodeAttribute(default="open")  # open | done | superseded
    updated_at = UnicodeAttribute()


class AuditItem(_Item):
    """Append-only record of a state change: who, what, when."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    detail = JSONAttribute(null=True)


class AlertClaimItem(_Item):
    """One per reminder sent: claimed (conditional put) before the email goes out, so a retried or
    duplicated delivery of the same reminder cannot send twice."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    reminder = UnicodeAttribute()
    claimed_at = UnicodeAttribute()


class UploadHashItem(_Item):
    """Content hash -> contract: the same bytes uploaded twice are one contract."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    first_key = UnicodeAttribute()
    recorded_at = UnicodeAttribute()


MODELS: tuple[type[_Item], ...] = (ContractItem, TermItem, ObligationItem, AuditItem, AlertClaimItem,
                                   UploadHashItem)


def bind(table_name: str, host: str | None = None, region: str | None = None) -> None:
    """Point every model at ``table_name`` (and an endpoint, for the embedded default)."""
    for model in (_Item, *MODELS):
        model.Meta.table_name = table_name
        model.Meta.host = host
        model.Meta.region = region or _region()
        model._connection = None
