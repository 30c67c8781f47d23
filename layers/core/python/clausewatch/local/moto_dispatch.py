"""The embedded default's per-request costs that moto 5.2 pays again on every call although their
answer never changes while the server runs.

Measured with py-spy on `GET /renewals` over 1,000 contracts (`make bench-scale`): of the moto
server thread's time, 7% went to finding the backend of a request's host (``os.listdir`` and
``isdir`` over moto's ~200 service folders, then up to a few hundred URL regexes, under a lock), 3%
to listing a response class's methods with ``inspect.getmembers`` to check that the action exists.
(DynamoDB's own per-item costs are ``moto_query``'s.)

``install()`` keeps each answer and computes it once:
- a host's backend, per host (moto's folders and URL patterns are fixed for the process);
- a response class's method names, per class.
And one cost it pays on every answer that changes nothing in a JSON one: moto puts the request id
into an XML body's ``<RequestId>`` with a look-behind regex run over the whole body (6% of the
server thread's time on a page of 50 obligations); a body without ``<RequestId>``, which the regex
cannot change, is now left as it is (the headers get their request id as before).
``tests/integration/test_moto_dispatch.py`` compares all three with moto's own functions' answers.
Local only: deployed, AWS answers.
"""

from __future__ import annotations

import functools
from typing import Any

_installed = False
ORIGINAL: dict[str, Any] = {}  # moto's own functions, as install() found them


def install() -> None:
    """Patch moto once per process (idempotent)."""
    global _installed
    if _installed:
        return
    from moto.core import responses as core_responses
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original_backend = ORIGINAL["get_backend_for_host"] = DomainDispatcherApplication.get_backend_for_host

    def get_backend_for_host(self: Any, host: str | None) -> Any:
        known: dict = self.__dict__.setdefault("_clausewatch_backends", {})
        if host not in known:
            known[host] = original_backend(self, host)
        return known[host]

    ORIGINAL["method_names_from_class"] = core_responses.method_names_from_class
    core_responses.method_names_from_class = functools.cache(core_responses.method_names_from_class)

    original_enrich = ORIGINAL["_enrich_response"] = core_responses.BaseResponse._enrich_response

    def enrich_response(headers: dict, body: Any) -> tuple[dict, Any]:
        if isinstance(body, str) and _REQUEST_ID in body:
            return original_enrich(headers, body)
        # moto's regex would leave this body as it is (a str without the tag; bytes or anything
        # else fail its re.sub, which it ignores): the headers' part only
        headers, _ = original_enrich(headers, "")
        return headers, body

    DomainDispatcherApplication.get_backend_for_host = get_backend_for_host  # type: ignore[method-assign]
    core_responses.BaseResponse._enrich_response = staticmethod(enrich_response)  # type: ignore[method-assign]
    _installed = True


_REQUEST_ID = "<RequestId>"  # what moto's request-id regex looks behind
