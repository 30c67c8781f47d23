"""A team's money at stake as running totals, kept as its findings change: ``GET /findings/total``
reads a few items (one per currency) however many findings the team has.

Under the team's ledger partition (``schema.team_stake_pk``):
- ``UNIT#<contract>``: what each finding of the contract counts, ``{finding id: {kind, currency,
  amount, line}}`` (the amount still owed, null when it counts no money: ``money.counted_at_stake``).
  Findings of one invoice line count once, the largest (``at_stake_totals``), so a finding's share
  depends on the other findings of its line: a contract's findings are kept in one item, and its
  share of a total is always computed from all of them.
- ``SUM#<scope>#<currency>``: the running total at stake (``amount``) and how many findings are
  counted in it (``entries``), of every kind (scope ``*``) or of one kind; ``COUNT#<scope>``: how
  many findings there are; ``BUILT``: the ledger was built from the findings (``repair``).

``count`` sets a finding's entry from the finding and its claim as they are now and moves the totals
by the difference (DynamoDB ``ADD``) in one transaction conditioned on the unit's version: the same
finding recorded again (a redelivery) moves nothing, an amount that changes moves the total by the
difference, a credit note or a waived claim by what it takes off, and two writers at once never
both apply a difference computed from the same old unit (the second retries from the new one).
Currencies are never summed together. ``recount`` is the full count (every finding read), the
figure the running totals must equal; ``repair`` makes them equal it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from .. import clock, schema
from ..money.amounts import at_stake_totals
from ..schema import ItemType
from . import money
from .models import FindingItem, ObligationItem, StakeBuiltItem, StakeCountItem, StakeSumItem, StakeUnitItem

EVERY = schema.STAKE_EVERY_KIND
# the count of a scope's findings whose amount is not known (``money.amount_unknown``): left out of
# its total, said beside it (never counted as zero); in ``Counts`` under ``<scope>#amount_unknown``,
# stored as the ``unknown`` of the scope's COUNT item
UNKNOWN = "#amount_unknown"
ATTEMPTS = 10  # another writer's change to the same contract's unit in between: read it again

# {"kind", "currency", "amount": str | None, "line": [invoice, line] | None, "unknown"?: True,
#  "lines"?: [[invoice, line], ...] (a verdict on several lines summed: ``line`` None)}
Entry = dict
# (scope, currency) -> (amount at stake, how many findings counted in it); scope -> findings
Sums = dict[tuple[str, str], tuple[Decimal, int]]
Counts = dict[str, int]
# the entries counted inside ``batch()``: (team, contract) -> finding id -> entry
_pending: ContextVar[dict[tuple[str, str], dict[str, Entry]] | None] = ContextVar("stake_pending", default=None)


def claim_status(item: FindingItem) -> str | None:
    """The status of the finding's credit claim (None: it has none, or it is no longer on file)."""
    if not item.claim_obligation_id:
        return None
    try:
        return ObligationItem.get(schema.contract_pk(item.contract_id), schema.obligation_sk(item.claim_obligation_id),
                                  consistent_read=True).status
    except ObligationItem.DoesNotExist:
        return None


def entry_of(item: FindingItem, status: str | None) -> Entry:
    """What the finding counts, its claim's status ``status``."""
    value = money.counted_at_stake(item, status)
    line = money.finding_line(item)
    one = None if line is None or isinstance(line, frozenset) else line
    entry: Entry = {"kind": item.kind, "currency": item.currency or "", "amount": None if value is None else str(value),
                    "line": None if one is None else [one[1], one[2]]}
    if isinstance(line, frozenset):
        entry["lines"] = sorted([each[1], each[2]] for each in line)
    if money.amount_unknown(item, status):
        entry["unknown"] = True  # a credit to check by hand: no amount counted, said apart
    return entry


def sums_of(entries: Iterable[Entry]) -> tuple[Sums, Counts]:
    """The totals at stake of some findings' entries, per scope (every kind, each kind) and currency,
    each invoice line once (``at_stake_totals``), and how many findings each scope has."""
    listed = list(entries)
    sums: Sums = {}
    counts: Counts = {}
    for scope in {EVERY, *(e["kind"] for e in listed)}:
        mine = [e for e in listed if scope == EVERY or e["kind"] == scope]
        counts[scope] = len(mine)
        counts[scope + UNKNOWN] = sum(1 for e in mine if e.get("unknown"))
        counted = [(e["currency"], e["amount"], _line_of(e)) for e in mine if e["amount"] is not None and e["currency"]]
        for currency, total in at_stake_totals(counted).items():
            sums[(scope, currency)] = (total, sum(1 for c in counted if c[0] == currency))
    return sums, counts


def _line_of(entry: Entry) -> tuple | frozenset | None:
    """What an entry's amount is on, for ``at_stake_totals``: its line, or the lines it sums."""
    if entry.get("lines"):
        return frozenset(tuple(each) for each in entry["lines"])
    return None if entry["line"] is None else tuple(entry["line"])


def count(item: FindingItem, team: str) -> None:
    """Count ``item`` in its team's running totals as it is now (its claim's status read); inside
    ``batch()``, when the batch ends."""
    entry = entry_of(item, claim_status(item))
    pending = _pending.get()
    if pending is not None:
        pending.setdefault((team, item.contract_id), {})[item.finding_id] = entry
        return
    _apply(team, item.contract_id, {item.finding_id: entry})


@contextmanager
def batch() -> Iterator[None]:
    """The findings counted inside are counted at its end, one write per contract (an invoice of 101
    lines is one transaction, not 101, each rewriting the contract's entries). Also when the block
    fails: what was counted is what the table holds (a redelivery counts it again, moving nothing)."""
    if _pending.get() is not None:
        yield  # inside another batch: its end counts these
        return
    pending: dict[tuple[str, str], dict[str, Entry]] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        for (team, contract_id), entries in pending.items():
            _apply(team, contract_id, entries)


def claim_changed(contract_id: str, obligation_id: str, team: str) -> None:
    """A credit claim's status changed (waived, cancelled, opened again): its finding counts anew."""
    for item in money.findings(contract_id):
        if item.claim_obligation_id == obligation_id:
            count(item, team)


def _apply(team: str, contract_id: str, entries: dict[str, Entry]) -> bool:
    """Set the contract's ``entries`` (finding id -> entry) and move the totals by the difference."""
    pk, sk = schema.team_stake_pk(team), schema.stake_unit_sk(contract_id)
    for _ in range(ATTEMPTS):
        try:
            unit = StakeUnitItem.get(pk, sk, consistent_read=True)
        except StakeUnitItem.DoesNotExist:
            unit = StakeUnitItem(pk, sk, item_type=ItemType.STAKE_UNIT, members={}, version=0)
        before = dict(unit.members or {})
        after = {**before, **entries}
        if after == before:
            return False  # counted as it is (a redelivery, a finding recorded again unchanged)
        try:
            _write(unit, after, sums_of(before.values()), sums_of(after.values()))
            return True
        except TransactWriteError as refused:
            if refused.cause_response_code != "TransactionCanceledException":
                raise
    raise RuntimeError(f"the money ledger of {contract_id} kept changing under {ATTEMPTS} attempts to count "
                       f"{sorted(entries)}: nothing was counted; repair the team's ledger (store.stake.repair)")


def count_within(t: TransactWrite, item: FindingItem, team: str, claim: str | None) -> None:
    """Count ``item`` as it will be (its claim's status ``claim``) in its team's running totals within
    the transaction ``t``, the write that changes it: both or neither. The contract's unit is read now;
    another writer's change to it meanwhile cancels ``t`` (a condition on its version: read it again)."""
    pk, sk = schema.team_stake_pk(team), schema.stake_unit_sk(item.contract_id)
    try:
        unit = StakeUnitItem.get(pk, sk, consistent_read=True)
    except StakeUnitItem.DoesNotExist:
        unit = StakeUnitItem(pk, sk, item_type=ItemType.STAKE_UNIT, members={}, version=0)
    before = dict(unit.members or {})
    after = {**before, item.finding_id: entry_of(item, claim)}
    if after != before:
        _write_within(t, unit, after, sums_of(before.values()), sums_of(after.values()))


def _write(unit: StakeUnitItem, members: dict, before: tuple[Sums, Counts], after: tuple[Sums, Counts]) -> None:
    """The unit's new entries (if its version is still the one read) and the totals' differences, at once."""
    with TransactWrite(connection=StakeUnitItem._get_connection().connection) as t:
        _write_within(t, unit, members, before, after)


def _write_within(t: TransactWrite, unit: StakeUnitItem, members: dict, before: tuple[Sums, Counts],
                  after: tuple[Sums, Counts]) -> None:
    pk = unit.pk
    condition = StakeUnitItem.pk.does_not_exist() if not unit.version else StakeUnitItem.version == unit.version
    (sums_before, counts_before), (sums_after, counts_after) = before, after
    t.save(StakeUnitItem(pk, unit.sk, item_type=ItemType.STAKE_UNIT, members=members, version=unit.version + 1),
           condition=condition)
    for scope, currency in sorted({*sums_before, *sums_after}):
        amount_was, entries_was = sums_before.get((scope, currency), (Decimal(0), 0))
        amount_is, entries_is = sums_after.get((scope, currency), (Decimal(0), 0))
        if (amount_was, entries_was) != (amount_is, entries_is):
            t.update(StakeSumItem(pk, schema.stake_sum_sk(scope, currency)),
                     actions=[StakeSumItem.amount.add(amount_is - amount_was),
                              StakeSumItem.entries.add(entries_is - entries_was),
                              StakeSumItem.item_type.set(ItemType.STAKE_SUM)])
    for scope in sorted({s for s in (*counts_before, *counts_after) if not s.endswith(UNKNOWN)}):
        moved = counts_after.get(scope, 0) - counts_before.get(scope, 0)
        unknown = counts_after.get(scope + UNKNOWN, 0) - counts_before.get(scope + UNKNOWN, 0)
        if moved or unknown:
            t.update(StakeCountItem(pk, schema.stake_count_sk(scope)),
                     actions=[StakeCountItem.findings.add(moved), StakeCountItem.unknown.add(unknown),
                              StakeCountItem.item_type.set(ItemType.STAKE_COUNT)])


def totals(team: str, kind: str | None = None) -> tuple[dict[str, Decimal], int]:
    """The team's running total at stake per currency (of ``kind``, else of every kind) and how many
    findings it counts: one Query of the scope's currencies and one GetItem, whatever the number of
    findings. A team whose ledger was never built (findings recorded before it existed) is built first."""
    out, found, _ = totals_and_unknown(team, kind)
    return out, found


def totals_and_unknown(team: str, kind: str | None = None) -> tuple[dict[str, Decimal], int, int]:
    """``totals`` and how many of the findings it leaves out because their amount is not known (a
    credit to check by hand: unknown, not zero), read with the count (no item more)."""
    pk, scope = schema.team_stake_pk(team), kind or EVERY
    if not built(team):
        repair(team)
    sums = StakeSumItem.query(pk, StakeSumItem.sk.startswith(f"{schema.STAKE_SUM_PREFIX}{scope}#"),
                              consistent_read=True)
    out = {i.sk.rsplit("#", 1)[1]: Decimal(str(i.amount)) for i in sums if i.entries}
    try:
        count_item = StakeCountItem.get(pk, schema.stake_count_sk(scope), consistent_read=True)
        found, unknown = count_item.findings, count_item.unknown or 0
    except StakeCountItem.DoesNotExist:
        found, unknown = 0, 0
    return out, int(found), int(unknown)


def unknown_amounts(team: str, kind: str | None = None) -> int:
    """How many of the team's findings (of ``kind``) the total at stake leaves out because their
    amount is not known (a credit to check by hand)."""
    return totals_and_unknown(team, kind)[2]


def recount_unknown(team: str, kind: str | None = None) -> int:
    """The full count of ``unknown_amounts`` (every finding read): what the running count must equal."""
    items = [i for i in money.findings_of_team(team) if kind is None or i.kind == kind]
    return sums_of(_across_contracts(i) for i in items)[1].get((kind or EVERY) + UNKNOWN, 0)


def recount(team: str, kind: str | None = None) -> tuple[dict[str, Decimal], int]:
    """The full count, every finding of the team read (and each credit claim's status): what the
    running totals must equal."""
    items = [i for i in money.findings_of_team(team) if kind is None or i.kind == kind]
    sums, counts = sums_of(_across_contracts(i) for i in items)
    scope = kind or EVERY
    return {currency: amount for (s, currency), (amount, _) in sums.items() if s == scope}, counts.get(scope, 0)


def _across_contracts(item: FindingItem) -> Entry:
    """The finding's entry with its invoice line named by its contract too: a unit holds one
    contract's entries, so ``[invoice, line]`` names a line there; counted with other contracts'
    findings, one contract's INV-1 line 1 is not another's (each is a charge of its own)."""
    entry = entry_of(item, claim_status(item))
    if entry["line"] is not None:
        entry["line"] = [item.contract_id, *entry["line"]]
    if entry.get("lines"):
        entry["lines"] = [[item.contract_id, *each] for each in entry["lines"]]
    return entry


def built(team: str) -> bool:
    try:
        StakeBuiltItem.get(schema.team_stake_pk(team), schema.STAKE_BUILT_SK, consistent_read=True)
        return True
    except StakeBuiltItem.DoesNotExist:
        return False


def repair(team: str) -> int:
    """Count every finding of the team as it is now (each ``count`` moves the totals only by what
    its entry was off: safe while findings are recorded meanwhile), then mark the ledger built.
    Run once for a team whose findings came before the ledger (``totals`` does), and by an operator
    after anything that changed findings or claims behind the ledger's back. Returns how many
    findings were read."""
    read = 0
    with batch():
        for item in money.findings_of_team(team):
            count(item, team)
            read += 1
    StakeBuiltItem(schema.team_stake_pk(team), schema.STAKE_BUILT_SK, item_type=ItemType.STAKE_BUILT,
                   built_at=clock.iso()).save()
    return read
