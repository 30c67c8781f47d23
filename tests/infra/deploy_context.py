"""The context the infra tests synthesize with: real-looking addresses (a deployment refuses the
example.com defaults) and CDK's switch that skips bundling (the layer's pip install; its asset hash
is still computed from the sources)."""

from __future__ import annotations

from typing import Any

SENDER = "clausewatch@contracts.acme-test.dev"
DEFAULT_OWNER = "contracts@acme-test.dev"
ESCALATION = "legal-ops@acme-test.dev"

ADDRESSES = {"sender_email": SENDER, "default_owner": DEFAULT_OWNER, "escalation_email": ESCALATION}
SKIP_BUNDLING = {"aws:cdk:bundling-stacks": []}


def test_context(**extra: Any) -> dict[str, Any]:
    from infra.app import cdk_json_context

    return {**cdk_json_context(), **ADDRESSES, **SKIP_BUNDLING, **extra}
