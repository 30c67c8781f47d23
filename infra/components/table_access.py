"""Which DynamoDB actions each function may use, on the clausewatch table and on the audit table
(issue #13: least privilege). Pure data (no aws_cdk): permissions.py grants it, tests/infra
asserts the synthesized policies say exactly this, and the integration tests check every table
call a handler makes against it (tests/integration/table_calls.py).

None of the functions uses BatchWriteItem; the money ledger (store/stake.py) writes a contract's
entries and its team's running totals at stake in one TransactWriteItems, which IAM authorizes as
its PutItem and UpdateItems (granted below), from the money λ and the API (a claim waived); the alert λ (which of a deadline's earlier
reminders were sent: SENT# items by key) and the API (a page's contracts) read by BatchGetItem; none
scans (the daily sweep's contracts to plan, stuck contracts and waiting renewal decisions come from GSI5). On the audit table every
function may only append (PutItem; every put is conditional on a new key, store/repository.py)
and those that show or weigh the trail may Query it: none may UpdateItem or DeleteItem there.
"""

from __future__ import annotations

from clausewatch import config, schema

GET, QUERY, SCAN = "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"
BATCH_GET = "dynamodb:BatchGetItem"
PUT, UPDATE, DELETE = "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"
READ = (GET, QUERY)

# the clausewatch table: function -> actions (reads also on its indexes)
TABLE_ACTIONS: dict[str, tuple[str, ...]] = {
    # intake: the contract record and the upload hash claim, by key (pipeline/intake.py)
    "ingest": (GET, PUT),
    # text, terms and obligations; the current term's dates (UpdateItem)
    "textract_done": (*READ, PUT, UPDATE),
    # stream re-planning, the sweep's pages, its waiting renewal decisions, stuck and failed
    # contracts' recovery (all from GSI5)
    "planner": (*READ, PUT, UPDATE),
    # reminders and the weekly digest: claims and SENT# items (PutItem) given back when a send fails
    # (DeleteItem); which earlier reminders were sent (BatchGetItem)
    "alert": (*READ, BATCH_GET, PUT, UPDATE, DELETE),
    # the API's actions; its writes only under the partitions of WRITTEN_PARTITIONS["api"]; a page's
    # contracts in one BatchGetItem
    "api": (*READ, BATCH_GET, PUT, UPDATE, DELETE),
    "money": (*READ, PUT, UPDATE),
    "webhook": (*READ, PUT),
    "renewal": (*READ, PUT, UPDATE),
}

# writes limited to partition keys (dynamodb:LeadingKeys); a function not named here writes any key
# of the table its actions allow
WRITTEN_PARTITIONS: dict[str, tuple[str, ...]] = {
    # contracts' (C#...), calendar feeds (FEED#...), webhook subscriptions (WH#...), people's
    # preferences (PREF#...) and the team's money ledger (T#<team>#STAKE: a claim waived moves its
    # running total at stake); never upload hashes, renewal secrets or the digest's weeks
    "api": (f"{schema.CONTRACT_PREFIX}*", f"{schema.FEED_PREFIX}*", f"{schema.WEBHOOK_PREFIX}*",
            f"{schema.PREFERENCE_PREFIX}*", schema.team_stake_pk("*")),
}
# partitions a function may only put on (PutItem, one statement of its own): the API writes the
# date markers of a contract whose agreement or effective date a person entered (T#<team>#DATED)
# and a deleted contract's deletion item (T#<team>#DELETED), and never updates or deletes one
PUT_PARTITIONS: dict[str, tuple[str, ...]] = {
    "api": (schema.team_dated_pk("*"), schema.team_deleted_pk("*")),
}
# DeleteItem limited to partition keys: the alert λ gives back a reminder's claim (C#<id>/SENT#...)
# or a digest's (PREF#<email>/DIGEST#...) and removes a deleted contract's calendar entry record once
# its entry is withdrawn (C#<id>/INVITE#...), nothing else
DELETED_PARTITIONS: dict[str, tuple[str, ...]] = {
    "alert": (f"{schema.CONTRACT_PREFIX}*", f"{schema.PREFERENCE_PREFIX}*"),
}

# the audit table: every function appends; these two also read a contract's trail (the API's audit
# route; the renewal evidence). The planner and the alert λ do not: "already sent" is its own keyed
# item in the clausewatch table (store/work.py)
AUDIT_APPEND: tuple[str, ...] = (PUT,)
AUDIT_READ: tuple[str, ...] = (QUERY,)
AUDIT_READERS: tuple[str, ...] = ("api", "renewal")
# never granted on the audit table, to anyone
AUDIT_FORBIDDEN: tuple[str, ...] = (UPDATE, DELETE, "dynamodb:BatchWriteItem", SCAN,
                                    "dynamodb:TransactWriteItems", "dynamodb:DeleteTable",
                                    "dynamodb:UpdateTable")


def audit_actions(function: str) -> tuple[str, ...]:
    return (*AUDIT_APPEND, *(AUDIT_READ if function in AUDIT_READERS else ()))


assert set(TABLE_ACTIONS) == set(config.FUNCTIONS), "every function needs its table actions"
assert all(PUT in TABLE_ACTIONS[f] for f in PUT_PARTITIONS), "a put-only partition needs PutItem"
