"""A deployment never sends mail from, or to, a placeholder: the sender, default owner and
escalation addresses must be given (context keys sender_email, default_owner, escalation_email)
when their defaults are example addresses (example.com/.org/.net, RFC 2606). Synthesis refuses
with a message naming the keys; `-c allow_example_addresses=true` lets a throw-away stack through.
"""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct

EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")
ALLOW_KEY = "allow_example_addresses"


class PlaceholderAddressError(ValueError):
    """Synthesis refused: an address the deployment would use is a placeholder."""


def is_placeholder(address: str) -> bool:
    domain = address.rsplit("@", 1)[-1].strip().lower()
    return any(domain == d or domain.endswith("." + d) for d in EXAMPLE_DOMAINS)


def require_real_addresses(scope: Construct, addresses: Mapping[str, str]) -> None:
    """``addresses``: context key -> the value the deployment would use."""
    if str(scope.node.try_get_context(ALLOW_KEY) or "").lower() in ("1", "true", "yes"):
        return
    placeholders = {key: value for key, value in addresses.items() if is_placeholder(value)}
    if placeholders:
        given = " ".join(f"-c {key}=you@your-domain" for key in placeholders)
        raise PlaceholderAddressError(
            "refusing to synthesize a deployment that would use placeholder addresses: "
            + ", ".join(f"{key}={value}" for key, value in placeholders.items())
            + f". Give them as context ({given}, or in cdk.json), "
            f"or -c {ALLOW_KEY}=true for a throw-away stack.")
