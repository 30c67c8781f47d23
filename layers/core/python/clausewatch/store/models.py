"""pynamodb models of the single clausewatch table. Keys, prefixes and indexes come from
``clausewatch.schema`` (the table layout is documented there); nothing here retypes them."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from pynamodb.attributes import (
    Attribute,
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.constants import NULL, STRING
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import BatchWrite, Model

from .. import config, schema
from ..aws import dynamodb_parse
from ..extract.model import ContractExtraction

dynamodb_parse.install()  # the items of a read parsed at json.loads's cost, not botocore's model walk


def _region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


class _Meta:
    table_name = os.environ.get(config.ENV_TABLE, config.TABLE_NAME)
    region = _region()
    host: str | None = None


def _index_class(index: schema.Index) -> type[GlobalSecondaryIndex]:
    """The pynamodb index class of a schema index (string keys, all attributes projected)."""
    meta = type("Meta", (), {"index_name": index.name, "projection": AllProjection()})
    return type(f"{index.name}Index", (GlobalSecondaryIndex,), {
        "__doc__": index.purpose, "Meta": meta,
        index.partition_key: UnicodeAttribute(hash_key=True),
        index.sort_key: UnicodeAttribute(range_key=True)})


INDEX_CLASSES: dict[str, type[GlobalSecondaryIndex]] = {i.name: _index_class(i) for i in schema.INDEXES}


_T = TypeVar("_T", bound=Model)


class _ReadPlan(NamedTuple):
    """What pynamodb does per attribute to turn a read's item into a model, listed once per class."""

    defaults: tuple[tuple[str, Any, bool], ...]  # (python name, default or its factory, set through it)
    # (python name, DynamoDB name, the attribute or None for a plain string, the attribute, set through it)
    attributes: tuple[tuple[str, str, Attribute | None, Attribute, bool], ...]


_READ_PLANS: dict[type, _ReadPlan | None] = {}


def _read_plan(cls: Any) -> _ReadPlan | None:
    """None when pynamodb's own way is needed (a discriminator picks the class to make). An
    attribute whose descriptor sets itself its own way (a version number, a map) is set through it,
    as pynamodb does; any other is written into ``attribute_values`` under its Python name, which
    is what its descriptor would do."""
    if cls._get_discriminator_attribute() is not None or any(
            getattr(cls, name) is not getattr(Model, name)
            for name in ("__init__", "_set_defaults", "_set_discriminator", "__setattr__")):
        return None  # the class sets itself up its own way: pynamodb's way, which runs it
    defaults, attributes = [], []
    for name, attr in cls.get_attributes().items():
        through = type(attr).__set__ is not Attribute.__set__ or \
            cls._dynamo_to_python_attrs.get(attr.attr_name, attr.attr_name) != name
        if attr.default is not None:
            defaults.append((name, attr.default, through))
        plain = type(attr) is UnicodeAttribute  # get_value's type check, then deserialize is the identity
        attributes.append((name, attr.attr_name, None if plain else attr, attr, through))
    return _ReadPlan(tuple(defaults), tuple(attributes))


class _WholeItemsBatchWrite(BatchWrite[_T]):
    """pynamodb's BatchWrite, refusing an item read with some attributes only (``_Item.partial``)."""

    def save(self, put_item: _T) -> None:
        put_item._writable()  # type: ignore[attr-defined]
        super().save(put_item)

    def delete(self, del_item: _T) -> None:
        del_item._writable()  # type: ignore[attr-defined]
        super().delete(del_item)


class _Item(Model):
    class Meta(_Meta):
        pass

    pk = UnicodeAttribute(hash_key=True, attr_name=schema.PARTITION_KEY)
    sk = UnicodeAttribute(range_key=True, attr_name=schema.SORT_KEY)
    item_type = UnicodeAttribute()

    # read with only some of its attributes (queries.items_by_key): the others hold their
    # defaults, not the stored values, so the model is for reading and may not be written back
    partial = False

    # every way pynamodb writes a model refuses a partial one: save, update and delete, their
    # TransactWrite forms (the *_kwargs_from_instance builders) and a BatchWrite's put and delete
    def save(self, *args: Any, **kwargs: Any) -> Any:
        self._writable()
        return super().save(*args, **kwargs)

    def update(self, *args: Any, **kwargs: Any) -> Any:
        self._writable()
        return super().update(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._writable()
        return super().delete(*args, **kwargs)

    def get_save_kwargs_from_instance(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._writable()
        return super().get_save_kwargs_from_instance(*args, **kwargs)

    def get_update_kwargs_from_instance(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._writable()
        return super().get_update_kwargs_from_instance(*args, **kwargs)

    def get_delete_kwargs_from_instance(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._writable()
        return super().get_delete_kwargs_from_instance(*args, **kwargs)

    @classmethod
    def batch_write(cls: type[_T], auto_commit: bool = True) -> BatchWrite[_T]:
        return _WholeItemsBatchWrite(cls, auto_commit=auto_commit)

    def _writable(self) -> None:
        if self.partial:
            raise TypeError(f"{type(self).__name__} {self.pk} {self.sk} was read with some attributes only: "
                            "read it whole to write it")

    @classmethod
    def from_raw_data(cls: type[_T], data: dict[str, Any]) -> _T:
        """pynamodb's ``from_raw_data`` (each item a Query, GetItem or BatchGetItem reads) at a third of
        its cost: the same model with the same values, its attributes listed once per class
        (``_read_plan``) instead of pynamodb setting every default twice and every value through
        its descriptor; a string attribute taken as it is. A quarter of the API handler's own time
        on a page of 50 obligations went to pynamodb's way (py-spy, ``make bench-scale``).
        ``tests/unit/test_model_reads.py`` compares both on every model."""
        plan: Any = _READ_PLANS.get(cls, False)
        if plan is False:
            plan = _READ_PLANS[cls] = _read_plan(cls)
        if plan is None or data is None:
            return super().from_raw_data(data)
        instance = cls.__new__(cls)
        values: dict[str, Any] = {}
        instance.attribute_values = values
        for name, default, through in plan.defaults:
            value = default() if callable(default) else default
            if value is not None:
                if through:
                    setattr(instance, name, value)
                else:
                    values[name] = value
        for name, dynamo_name, attr, checked, through in plan.attributes:
            raw = data.get(dynamo_name)
            if raw and NULL not in raw:
                if attr is None:
                    value = raw.get(STRING)
                    if value is None:
                        value = checked.get_value(raw)  # raises as pynamodb does
                else:
                    value = attr.deserialize(attr.get_value(raw))
                if through:
                    setattr(instance, name, value)
                else:
                    values[name] = value
        return instance


class ContractItem(_Item):
    class Meta(_Meta):
        pass

    gsi1pk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.partition_key)
    gsi1sk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.sort_key)
    gsi4pk = UnicodeAttribute(null=True, attr_name=schema.BY_STATUS.partition_key)
    gsi4sk = UnicodeAttribute(null=True, attr_name=schema.BY_STATUS.sort_key)
    by_team = INDEX_CLASSES[schema.BY_TEAM.name]()
    by_status = INDEX_CLASSES[schema.BY_STATUS.name]()
    # the daily sweep's and the stuck-contract recovery's index (schema.BY_NEXT_WORK, sparse)
    gsi5pk = UnicodeAttribute(null=True, attr_name=schema.BY_NEXT_WORK.partition_key)
    gsi5sk = UnicodeAttribute(null=True, attr_name=schema.BY_NEXT_WORK.sort_key)
    by_next_work = INDEX_CLASSES[schema.BY_NEXT_WORK.name]()
    next_planning = UnicodeAttribute(null=True)  # the UTC day the sweep plans it again
    next_planning_derivation = UnicodeAttribute(null=True)  # why that day (horizon arithmetic)

    # optimistic locking: a save based on a stale read fails (and the Lambda retries) instead of
    # overwriting a concurrent change
    version = VersionAttribute()
    contract_id = UnicodeAttribute()
    status = UnicodeAttribute()  # schema.ContractStatus
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
    updated_at = UnicodeAttribute()  # the record's last change (its status, terms, owner, documents)
    # the last change of anything the contract's detail shows: the record (updated_at), one of its
    # obligations, or the current term's dates; the lists' order and a sync's changed_since (GSI1/GSI4
    # sort keys, repository._index_contract). None on a record last written before it existed
    # (updated_at stands for it)
    changed_at = UnicodeAttribute(null=True)
    owner = UnicodeAttribute(null=True)
    team = UnicodeAttribute(default=config.DEFAULT_TEAM)
    contract_type = UnicodeAttribute(null=True)
    time_zone = UnicodeAttribute(default=config.DEFAULT_TIME_ZONE)
    # the zone the contract's schedules were made in before a person changed its time zone (PUT
    # /contracts/{id}/time-zone): the planner makes them all again in ``time_zone``, then removes it
    rezoned_from = UnicodeAttribute(null=True)
    jurisdiction = UnicodeAttribute(null=True)
    # who set the jurisdiction after upload (PUT /contracts/{id}/jurisdiction); None: the upload's own
    jurisdiction_set_by = UnicodeAttribute(null=True)
    title = UnicodeAttribute(null=True)
    counterparty = UnicodeAttribute(null=True)
    upload_metadata = JSONAttribute(default=dict)
    extraction = JSONAttribute(null=True)  # the extractor's full result (terms, parties, obligations)
    amends_contract_id = UnicodeAttribute(null=True)  # for an amendment: the contract it changes
    # for an amendment: the contract it is being applied to (claimed first, so it is never applied to
    # two; amends_contract_id once applied: until then it still waits, pipeline.record.claim_amendment)
    amending_contract_id = UnicodeAttribute(null=True)
    amended_by = JSONAttribute(null=True)  # ids of amendments applied to this contract, in order
    # for an amendment: the contracts a person unlinked it from (never applied to them again but by a person's link)
    unlinked_from = JSONAttribute(null=True)
    # for an amendment waiting for its contract: the contracts it could amend, each with why
    # ([{"contract_id", "why"}]: pipeline.record.find_amended_contract), written with its waiting
    # reason and cleared when it is applied; a person chooses (none is guessed)
    amendment_candidates = JSONAttribute(null=True)
    # the current term's dates (rolled forward for an auto-renewed contract), kept equal to the
    # notice_deadline / expiration obligations by pipeline.record.refresh_deadlines
    current_notice_deadline = UnicodeAttribute(null=True)
    current_expiration = UnicodeAttribute(null=True)
    # set by the same step once a renewal decision ended the contract (renewal.ended): {"last_day",
    # "derivation"}; the API then shows it renews no more (the extracted auto_renewal stays, as evidence)
    ended = JSONAttribute(null=True)
    # ContractExtraction.renewal_summary() of ``extraction``, set with it on every save
    # (repository._index_contract): a list of renewals reads this, not the whole extraction.
    # {} without an extraction; None on an item last saved before the attribute existed.
    renewal_terms = JSONAttribute(null=True)
    # what intake refused of the uploader's metadata (an unknown time zone, an owner that is not one
    # address), shown by `status` and the API until the contract is deleted
    intake_notes = JSONAttribute(null=True)
    # a person asked for a FAILED contract to be retried (the API writes it; the planner, reading the
    # stream, does the retry: the API function keeps its narrow permissions)
    retry_requested = UnicodeAttribute(null=True)
    # a person said the document is a contract though it does not read as one ({"by", "at", "note"}:
    # pipeline.actions.dismiss_not_a_contract): the flag saying so goes, and stays gone when it is
    # extracted again
    confirmed_contract = JSONAttribute(null=True)
    # a person checked an amendment read as changing no term and found nothing to enter ({"by", "at",
    # "note"}: pipeline.actions.check_amendment): its flag goes, on it and on the contract it amends,
    # and stays gone when its amendments are applied again
    amendment_checked = JSONAttribute(null=True)
    # an amendment stating no number and no day signed: a person said the day it was signed, or that
    # the order filed is the order it was made in ({"by", "at", "note", "made_on": ISO day or None}:
    # pipeline.actions.check_amendment): its ``amendment_order_unknown`` flag goes, and a day said
    # places it among the others (``record.as_made``), in every replay
    order_confirmed = JSONAttribute(null=True)
    # the SLA breaches whose credit is to check by hand ({finding id: message}: its amount not known,
    # its claim not done, waived or cancelled, the breach not withdrawn): on Needs attention
    # (pipeline.attention), written by ``repository.set_credit_check``
    credit_checks = JSONAttribute(null=True)
    # the recurring duties' rules a person marked done before 2026-12-07 ({rule id: message}: "done"
    # then both ended the duty and closed an occurrence; the upgrade cannot tell which): on Needs
    # attention until a person reopens the rule or waives it (``repository.set_rule_marked_done``)
    rules_marked_done = JSONAttribute(null=True)

    @property
    def extracted(self) -> ContractExtraction | None:
        """The stored extraction, typed (None before extraction)."""
        return None if self.extraction is None else ContractExtraction.from_dict(self.extraction)

    @property
    def is_amendment(self) -> bool:
        extracted = self.extracted
        return extracted is not None and extracted.is_amendment


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
    # how much its clause looks like the one that answers this term (the clause finder's score, 0-1)
    confidence = NumberAttribute(null=True)
    source_contract_id = UnicodeAttribute()  # the document that set it (the original or an amendment)
    recorded_at = UnicodeAttribute()
    # a person entered this value (pipeline/entries.py): no extraction overwrites it
    entered_by = UnicodeAttribute(null=True)


class ObligationItem(_Item):
    """Something a person must do: an extracted duty, or a dated deadline derived from the terms."""

    class Meta(_Meta):
        pass

    gsi1pk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.partition_key)
    gsi1sk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.sort_key)
    gsi2pk = UnicodeAttribute(null=True, attr_name=schema.RENEWALS.partition_key)
    gsi2sk = UnicodeAttribute(null=True, attr_name=schema.RENEWALS.sort_key)
    gsi3pk = UnicodeAttribute(null=True, attr_name=schema.BY_OWNER.partition_key)
    gsi3sk = UnicodeAttribute(null=True, attr_name=schema.BY_OWNER.sort_key)
    by_team = INDEX_CLASSES[schema.BY_TEAM.name]()
    renewals = INDEX_CLASSES[schema.RENEWALS.name]()
    by_owner = INDEX_CLASSES[schema.BY_OWNER.name]()

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
    # set when a person chose the owner: the pipeline's re-recording then leaves the owner alone
    owner_assigned_by = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default=schema.ObligationStatus.OPEN.value)  # schema.ObligationStatus
    updated_at = UnicodeAttribute()
    # done / waived: by whom, when, the note or reason, and the evidence object (done only)
    resolved_by = UnicodeAttribute(null=True)
    resolved_at = UnicodeAttribute(null=True)
    resolution_note = UnicodeAttribute(null=True)
    evidence_key = UnicodeAttribute(null=True)
    # done: the day it was done, as the person said (a notice sent on the deadline, recorded the next
    # morning), in the contract's time zone; None: the day it was marked done
    done_on = UnicodeAttribute(null=True)
    # the owner has seen it (stops escalation), for the due date it had then
    acknowledged_by = UnicodeAttribute(null=True)
    acknowledged_at = UnicodeAttribute(null=True)
    acknowledged_due = UnicodeAttribute(null=True)
    # the day it was due when the person acknowledged it, when that was another: a calendar changed
    # moved the period's occurrence and the acknowledgement was carried to its new day
    acknowledged_for_day = UnicodeAttribute(null=True)

    @property
    def acknowledged(self) -> bool:
        """Acknowledged for its current due date (a moved date needs a new acknowledgement, but for
        a recurring period's day a calendar changed: carried, ``acknowledged_for_day``)."""
        return bool(self.acknowledged_by) and self.acknowledged_due == self.due


class _AuditMeta:
    """The audit trail's own table (config.AUDIT_TABLE_NAME; deployed: its physical name in
    config.ENV_AUDIT_TABLE), which the functions may only append to and read."""

    table_name = os.environ.get(config.ENV_AUDIT_TABLE, config.AUDIT_TABLE_NAME)
    region = _region()
    host: str | None = None


class AuditItem(_Item):
    """Append-only record of a state change: who, what, when. In the audit table, not the single
    table (schema.py)."""

    class Meta(_AuditMeta):
        pass

    contract_id = UnicodeAttribute()
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    detail = JSONAttribute(null=True)


class AlertClaimItem(_Item):
    """One per reminder sent, written by older versions (claimed before the email went out): still
    read as sent (``work.sent_reminders``); ``ReminderSentItem`` took its place."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    reminder = UnicodeAttribute()
    claimed_at = UnicodeAttribute()


class ReminderSentItem(_Item):
    """One per reminder handled (emailed, or held for the recipient's weekly digest), keyed
    ``C#<id>`` / ``SENT#<reminder name>``: claimed (conditional put, with a lease: ``sending_until``)
    before the email goes out and settled (the lease removed) once it went, so a retried or
    duplicated delivery sends nothing, one after a claim that ran out unsettled sends it; read by key
    (never the audit trail) to know which earlier reminders of a deadline were sent."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    reminder = UnicodeAttribute()
    outcome = UnicodeAttribute()  # "sent" | "held"
    recorded_at = UnicodeAttribute()
    # until when an unsettled claim holds (ISO UTC); absent once the email went (or for "held")
    sending_until = UnicodeAttribute(null=True)


class GoneItem(_Item):
    """A deleted contract's marker in its own partition, ``C#<id>`` / ``GONE``: the team whose
    contract (and audit trail) the id was. Put by each deletion and never removed, so the same bytes
    uploaded by another team later are a contract of their own (``intake.team_contract_id``), never
    the deleted one's id and trail; read by key by ingest, which may not read the audit table."""

    class Meta(_Meta):
        pass

    team = UnicodeAttribute()
    # the latest attempt's time (the deletion item a sync is shown has it), and the first attempt's,
    # which the trail's line and the tombstone are keyed on (absent: the same as deleted_at)
    deleted_at = UnicodeAttribute()
    trail_at = UnicodeAttribute(null=True)


class DeletedItem(_Item):
    """A team's contract deleted, keyed ``T#<team>#DELETED`` / ``<deleted at>#<id>``: what a sync
    asks for to learn which contracts are gone (``GET /deleted-contracts?since``). Put once by the
    deletion, never changed or removed."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    deleted_at = UnicodeAttribute()
    deleted_by = UnicodeAttribute()
    file_name = UnicodeAttribute(null=True)


class DatedItem(_Item):
    """A team's contract dated ``day`` (its agreement or effective date), or its amendment of an
    agreement dated ``day``, keyed ``T#<team>#DATED`` / ``<C|A>#<day>#<id>``. Written before the
    record it stands for says EXTRACTED (or holds the date a person entered), so no extracted
    contract is without its markers, and read strongly consistent (an index is updated about a
    second later): an amendment and its contract recorded at once each write theirs, then read the
    other's, so one of them sees the other (pipeline/record.py). Never removed: a reader checks the
    record it names (a contract not extracted yet, deleted, re-dated or amended since is passed
    over)."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # schema.DATED_CONTRACT | DATED_AMENDMENT | DATED_AMENDMENT_ITSELF
    day = UnicodeAttribute()
    recorded_at = UnicodeAttribute()


class UpgradeItem(_Item):
    """A completed step of upgrading the table's data, keyed ``UPGRADE`` / ``<step>``
    (schema.UPGRADE_DATED_MARKERS): readers that would otherwise allow for items saved before the
    step (an amendment's look at the team's whole index) rely on it once it is there."""

    class Meta(_Meta):
        pass

    done_at = UnicodeAttribute()


class UploadHashItem(_Item):
    """Content hash -> contract: the same bytes uploaded twice are one contract."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    first_key = UnicodeAttribute()
    recorded_at = UnicodeAttribute()


class FeedItem(_Item):
    """A calendar feed: keyed by the SHA-256 of its token (the token is shown once, never stored).
    Its scope is the team's open deadlines, or one owner's within the team."""

    class Meta(_Meta):
        pass

    gsi1pk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.partition_key)
    gsi1sk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.sort_key)
    by_team = INDEX_CLASSES[schema.BY_TEAM.name]()

    feed_id = UnicodeAttribute()
    team = UnicodeAttribute()
    owner = UnicodeAttribute(null=True)  # None: the whole team's deadlines
    label = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    revoked = BooleanAttribute(default=False)
    revoked_by = UnicodeAttribute(null=True)
    revoked_at = UnicodeAttribute(null=True)


class InvoiceItem(_Item):
    """An invoice received for a contract (its number is unique within the contract)."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    number = UnicodeAttribute()
    issue_date = UnicodeAttribute()
    currency = UnicodeAttribute()
    total = UnicodeAttribute()  # exact decimal, without tax
    supplier = UnicodeAttribute(null=True)
    invoice = JSONAttribute()  # the parsed invoice (lines and all)
    source_key = UnicodeAttribute()
    findings = NumberAttribute(default=0)
    recorded_at = UnicodeAttribute()


class FindingItem(_Item):
    """Money a contract says is owed or at stake: an SLA breach and the credit it earns, an invoice
    finding, or a metrics/invoice file refused (with the reason). Listed per team on GSI1."""

    class Meta(_Meta):
        pass

    gsi1pk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.partition_key)
    gsi1sk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.sort_key)
    by_team = INDEX_CLASSES[schema.BY_TEAM.name]()

    contract_id = UnicodeAttribute()
    finding_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # sla_breach | price_above_agreed | ... | file_refused
    source = UnicodeAttribute()  # metrics | invoice
    summary = UnicodeAttribute()
    derivation = UnicodeAttribute(null=True)
    amount = UnicodeAttribute(null=True)  # exact decimal: the credit owed or the amount at stake
    currency = UnicodeAttribute(null=True)
    period = UnicodeAttribute(null=True)
    invoice_number = UnicodeAttribute(null=True)
    claim_obligation_id = UnicodeAttribute(null=True)  # a credit to claim: its obligation
    evidence = JSONAttribute(null=True)
    detail = JSONAttribute(null=True)
    source_key = UnicodeAttribute(null=True)
    recorded_at = UnicodeAttribute()


class DecimalAttribute(NumberAttribute):
    """A DynamoDB number read and written as an exact Decimal (NumberAttribute's own goes through
    JSON's float: 0.1 + 0.2 would not be 0.3)."""

    def serialize(self, value: Decimal) -> str:
        return str(value)

    def deserialize(self, value: str) -> Decimal:
        return Decimal(value)


class StakeUnitItem(_Item):
    """What each finding of one contract counts in its team's money at stake (store/stake.py):
    finding id -> {kind, currency, amount or null, line}; ``version`` orders the writes."""

    class Meta(_Meta):
        pass

    members = JSONAttribute(default=dict)
    version = NumberAttribute(default=0)


class StakeSumItem(_Item):
    """A team's running total at stake in one currency, of every kind (scope ``*``) or of one."""

    class Meta(_Meta):
        pass

    amount = DecimalAttribute(null=True)  # exact: read as a Decimal
    entries = NumberAttribute(default=0)  # findings counted in it: none, no such currency at stake


class StakeCountItem(_Item):
    """How many of a team's findings (of every kind, or of one) the running totals count."""

    class Meta(_Meta):
        pass

    findings = NumberAttribute(default=0)
    # of them, how many may be owed money whose amount is not known (a credit to check by hand): left
    # out of the total, said beside it (``stake.UNKNOWN``); absent on an item written before it existed
    unknown = NumberAttribute(null=True)


class StakeBuiltItem(_Item):
    """The team's ledger was built from its findings (from then on each change keeps it)."""

    class Meta(_Meta):
        pass

    built_at = UnicodeAttribute()


class WebhookItem(_Item):
    """A team's webhook subscription (Slack, Teams or generic). A generic one's signing secret is
    stored to sign with; the API shows it once, at creation."""

    class Meta(_Meta):
        pass

    gsi1pk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.partition_key)
    gsi1sk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.sort_key)
    by_team = INDEX_CLASSES[schema.BY_TEAM.name]()

    webhook_id = UnicodeAttribute()
    team = UnicodeAttribute()
    kind = UnicodeAttribute()  # slack | teams | generic
    url = UnicodeAttribute()
    events = JSONAttribute()  # the event types it receives
    secret = UnicodeAttribute(null=True)
    label = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    disabled = BooleanAttribute(default=False)
    disabled_reason = UnicodeAttribute(null=True)
    consecutive_failures = NumberAttribute(default=0)
    failing_since = UnicodeAttribute(null=True)  # ISO time of the first failure since the last success
    last_failure_at = UnicodeAttribute(null=True)  # ISO time of the run's latest failure
    given_up = NumberAttribute(default=0)  # events whose every try failed since the last success
    given_up_since = UnicodeAttribute(null=True)  # ISO time the first of them was given up
    last_error = UnicodeAttribute(null=True)
    last_delivery_at = UnicodeAttribute(null=True)
    delivered = NumberAttribute(default=0)


class WebhookSentItem(_Item):
    """One event delivered to one subscription (a redelivered event is not sent again), or, under
    ``FAILED#``, given up after its last try (``error`` the reason, ``attempts`` the tries), or, under
    ``GAVEUP#``, the mark such a record leaves once it is no longer among the latest kept."""

    class Meta(_Meta):
        pass

    webhook_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    sent_at = UnicodeAttribute()
    status = NumberAttribute()  # the HTTP status (0: no answer)
    error = UnicodeAttribute(null=True)
    attempts = NumberAttribute(null=True)
    contract_id = UnicodeAttribute(null=True)


class PreferenceItem(_Item):
    """How a person hears from clausewatch (see ``clausewatch.digest``), and the teams whose
    obligations their digest lists."""

    class Meta(_Meta):
        pass

    gsi1pk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.partition_key)
    gsi1sk = UnicodeAttribute(null=True, attr_name=schema.BY_TEAM.sort_key)
    by_team = INDEX_CLASSES[schema.BY_TEAM.name]()

    email = UnicodeAttribute()
    digest = UnicodeAttribute(default="off")
    reminders = UnicodeAttribute(default="each")
    teams = JSONAttribute(default=list)
    # the IANA zone their weekly digest is sent and dated in (its Monday 07:00 there); None: UTC
    time_zone = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()


class DigestSentItem(_Item):
    """One digest sent to one person for one ISO week (a retried run sends none twice)."""

    class Meta(_Meta):
        pass

    email = UnicodeAttribute()
    week = UnicodeAttribute()
    sent_at = UnicodeAttribute()
    items = NumberAttribute(default=0)
    # what it listed (``digest.listed_key``: contract, obligation, due date): a reminder held for
    # the digest counts as told once one listed its deadline (absent on digests sent before)
    listed = JSONAttribute(null=True)


# every item class of this module, found rather than listed: one left out of a list (GoneItem was)
# kept its first endpoint's cached connection, and the embedded default's next server was refused
MODELS: tuple[type[_Item], ...] = tuple(model for model in _Item.__subclasses__() if model.__module__ == __name__)


def connect_all() -> None:
    """Create every model's DynamoDB client now (pynamodb creates each on its first call): the
    embedded default's forked invocations then inherit them instead of each creating its own,
    about 0.1 s a client (local/invocations.py)."""
    every: tuple[type[_Item], ...] = (_Item, *MODELS)
    for model in every:
        model._get_connection().connection.client  # noqa: B018 - the property creates it


def is_bound(table_name: str, host: str | None = None, region: str | None = None,
             audit_table_name: str = config.AUDIT_TABLE_NAME) -> bool:
    """Whether every model points where ``bind`` with these arguments would point it."""
    every: tuple[type[_Item], ...] = (_Item, *MODELS)
    return all((model.Meta.table_name, model.Meta.host, model.Meta.region) ==
               (audit_table_name if model is AuditItem else table_name, host, region or _region())
               for model in every)


def bind(table_name: str, host: str | None = None, region: str | None = None,
         audit_table_name: str = config.AUDIT_TABLE_NAME) -> None:
    """Point every model at ``table_name``, and the audit events at ``audit_table_name`` (and an
    endpoint, for the embedded default)."""
    every: tuple[type[_Item], ...] = (_Item, *MODELS)
    for model in every:
        model.Meta.table_name = audit_table_name if model is AuditItem else table_name
        model.Meta.host = host
        model.Meta.region = region or _region()
        model._connection = None
