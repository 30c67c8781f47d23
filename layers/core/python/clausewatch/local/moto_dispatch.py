"""The embedded default's per-request costs that moto 5.2 pays again on every call although their
answer never changes while the server runs.

Measured with py-spy on `GET /renewals` over 1,000 contracts (`make bench-scale`): of the moto
server thread's time, 7% went to finding the backend of a request's host (``os.listdir`` and
``isdir`` over moto's ~200 service folders, then up to a few hundred URL regexes, under a lock), 3%
to listing a response class's methods with ``inspect.getmembers`` to check that the action exists,
and 13% to turning a DynamoDB answer's items into plain values (``dynamo_to_dict``: an import
statement and four ``isinstance``/``hasattr`` tests per value, recursively). (Items' sizes, 7%, are
kept by ``moto_query``.)

``install()`` keeps each answer and computes it once:
- a host's backend, per host (moto's folders and URL patterns are fixed for the process);
- a response class's method names, per class;
- ``dynamo_to_dict`` for the plain types moto's items are made of (dict, its ``LimitedSizeDict``
  of an item's attributes, list, str, number, bool, None and its own ``DynamoType`` other than
  binary), moto's own function for anything else.
The answers are moto's: ``tests/integration/test_moto_query.py`` compares every read's reply
with moto's own (``moto_query.moto_only()`` turns these off as well) and
``tests/integration/test_moto_dispatch.py`` the hosts' backends and the method names. Local only: deployed, AWS answers.
"""

from __future__ import annotations

import functools
from typing import Any

from . import moto_query

_installed = False
ORIGINAL: dict[str, Any] = {}  # moto's own functions, as install() found them


def install() -> None:
    """Patch moto once per process (idempotent)."""
    global _installed
    if _installed:
        return
    from moto.core import responses as core_responses
    from moto.dynamodb import responses as dynamodb_responses
    from moto.dynamodb.models.dynamo_type import DynamoType, LimitedSizeDict
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_backend = ORIGINAL["get_backend_for_host"] = DomainDispatcherApplication.get_backend_for_host

    def get_backend_for_host(self: Any, host: str | None) -> Any:
        known: dict = self.__dict__.setdefault("_clausewatch_backends", {})
        if host not in known:
            known[host] = original_backend(self, host)
        return known[host]

    ORIGINAL["method_names_from_class"] = core_responses.method_names_from_class
    core_responses.method_names_from_class = functools.cache(core_responses.method_names_from_class)

    original_to_dict = ORIGINAL["dynamo_to_dict"] = dynamodb_responses.dynamo_to_dict
    plain = (str, int, float, bool, type(None))

    def to_dict(obj: Any) -> Any:
        kind = type(obj)
        if kind is dict or kind is LimitedSizeDict:  # an item's attributes
            return {k: to_dict(v) for k, v in obj.items()}
        if kind is list:
            return [to_dict(v) for v in obj]
        if kind in plain:
            return obj
        if kind is DynamoType and obj.type not in ("B", "BS"):
            return {obj.type: to_dict(obj.value)}
        return original_to_dict(obj)

    def dynamo_to_dict(obj: Any) -> Any:
        return to_dict(obj) if moto_query.enabled() else original_to_dict(obj)

    DomainDispatcherApplication.get_backend_for_host = get_backend_for_host  # type: ignore[method-assign]
    dynamodb_responses.dynamo_to_dict = dynamo_to_dict
    _installed = True
