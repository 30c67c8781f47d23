"""Grants each function the table actions of table_access.py and nothing more: no
``grant_read_write_data`` (which gives every function BatchWriteItem, DeleteItem and Scan on the
whole table, and would let it rewrite the audit trail)."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_

from . import table_access
from .storage import ContractStore


def _sid(function: str, what: str) -> str:
    return "".join(part.capitalize() for part in function.split("_")) + what


def grant_table_access(store: ContractStore, fn: lambda_.IFunction, function: str) -> None:
    """The actions ``function`` uses on the clausewatch table (reads on its indexes too, writes
    scoped to partitions where table_access says so) and its append (and read) on the audit table."""
    table, audit = store.table, store.audit_table
    actions = table_access.TABLE_ACTIONS[function]
    reads = [a for a in actions if a in (*table_access.READ, table_access.SCAN)]
    writes = [a for a in actions if a not in reads]
    fn.add_to_role_policy(iam.PolicyStatement(
        sid=_sid(function, "ReadTable"), actions=reads,
        resources=[table.table_arn, f"{table.table_arn}/index/*"]))
    partitions = table_access.WRITTEN_PARTITIONS.get(function)
    deleted = table_access.DELETED_PARTITIONS.get(function)
    if deleted and table_access.DELETE in writes:
        writes.remove(table_access.DELETE)
        fn.add_to_role_policy(iam.PolicyStatement(
            sid=_sid(function, "DeleteClaims"), actions=[table_access.DELETE], resources=[table.table_arn],
            conditions={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": list(deleted)}}))
    put_only = table_access.PUT_PARTITIONS.get(function)
    if put_only:
        fn.add_to_role_policy(iam.PolicyStatement(
            sid=_sid(function, "PutOnly"), actions=[table_access.PUT], resources=[table.table_arn],
            conditions={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": list(put_only)}}))
    if writes:
        fn.add_to_role_policy(iam.PolicyStatement(
            sid=_sid(function, "WriteTable"), actions=writes, resources=[table.table_arn],
            conditions={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": list(partitions)}}
            if partitions else None))
    fn.add_to_role_policy(iam.PolicyStatement(
        sid=_sid(function, "AppendAudit"), actions=list(table_access.audit_actions(function)),
        resources=[audit.table_arn]))
