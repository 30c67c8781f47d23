"""Every DynamoDB call a Lambda handler makes on the embedded default, checked against what its
deployed role allows (infra/components/table_access.py, which the CDK app grants and
tests/infra/test_permissions.py asserts). The integration tests' autouse fixture records the calls
of each test: a handler that needs an action its role lacks fails the test that exercised it.

Handlers run through ``clausewatch.local.handlers.invoke`` (on the test's thread, or on moto's for
the renewal workflow's tasks); every pynamodb call goes through ``Connection.dispatch``.
"""

from __future__ import annotations

import contextvars
import fnmatch
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from unittest import mock

from pynamodb.connection.base import Connection

from clausewatch import config, schema
from clausewatch.local import handlers
from infra.components import table_access

_function: contextvars.ContextVar[str | None] = contextvars.ContextVar("clausewatch_function", default=None)
WRITES = ("PutItem", "UpdateItem", "DeleteItem")
# a transaction's writes are authorized as these actions (ConditionCheck as its own action)
_TRANSACT = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem"}


@dataclass(frozen=True)
class TableCall:
    function: str
    table: str
    operation: str
    partition: str | None
    conditional: bool


def _partition(kwargs: dict) -> str | None:
    key = kwargs.get("Key") or kwargs.get("Item") or {}
    value = key.get(schema.PARTITION_KEY) or {}
    return value.get("S")


def violation(call: TableCall) -> str | None:
    """Why the deployed role of ``call.function`` would refuse ``call`` (None: it allows it)."""
    action = f"dynamodb:{call.operation}"
    where = f"{call.function}: {call.operation} on {call.table} ({call.partition})"
    if call.table == config.AUDIT_TABLE_NAME:
        if action not in table_access.audit_actions(call.function):
            return f"{where}: not granted on the audit table"
        if call.operation == "PutItem" and not call.conditional:
            return f"{where}: an audit put must be conditional on a new key"
        return None
    if call.table != config.TABLE_NAME:
        return f"{where}: a table no role names"
    if action not in table_access.TABLE_ACTIONS[call.function]:
        return f"{where}: not granted"
    if call.operation not in WRITES:
        return None
    put_only = table_access.PUT_PARTITIONS.get(call.function, ())
    if _matches(call.partition, put_only):  # its own PutItem statement, nothing else
        return None if call.operation == "PutItem" else f"{where}: only PutItem there"
    scopes = [table_access.WRITTEN_PARTITIONS.get(call.function)]
    if call.operation == "DeleteItem":
        scopes.append(table_access.DELETED_PARTITIONS.get(call.function))
    for patterns in scopes:
        if patterns and not _matches(call.partition, patterns):
            return f"{where}: outside its partitions {(*patterns, *put_only)}"
    return None


def _matches(partition: str | None, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(partition or "", p) for p in patterns)


@contextmanager
def recording() -> Iterator[list[TableCall]]:
    """Record the table calls handlers make while inside."""
    calls: list[TableCall] = []
    load, dispatch = handlers.load_handler, Connection.dispatch

    def load_handler(name: str):
        module = load(name)

        def handler(event, context):
            token = _function.set(name)
            try:
                return module.handler(event, context)
            finally:
                _function.reset(token)

        return SimpleNamespace(handler=handler)

    def recorded(self, operation_name, operation_kwargs):
        function = _function.get()
        if function is not None and "TableName" in operation_kwargs:
            calls.append(TableCall(function, operation_kwargs["TableName"], operation_name,
                                   _partition(operation_kwargs),
                                   "attribute_not_exists" in (operation_kwargs.get("ConditionExpression") or "")))
        elif function is not None and operation_name == "TransactWriteItems":  # each write as IAM sees it
            calls.extend(TableCall(function, write["TableName"], _TRANSACT[kind], _partition(write),
                                   "attribute_not_exists" in (write.get("ConditionExpression") or ""))
                         for item in operation_kwargs["TransactItems"] for kind, write in item.items())
        elif function is not None and operation_name == "BatchGetItem":  # a read of several tables' keys
            calls.extend(TableCall(function, table, operation_name, None, False)
                         for table in operation_kwargs.get("RequestItems") or {})
        return dispatch(self, operation_name, operation_kwargs)

    with mock.patch.object(handlers, "load_handler", load_handler), \
            mock.patch.object(Connection, "dispatch", recorded):
        yield calls
