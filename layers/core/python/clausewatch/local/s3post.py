"""S3 browser uploads (POST with a signed policy), checked as S3 checks them.

moto stores whatever is POSTed to a bucket: it verifies neither the policy's signature nor its
conditions. The API's presigned POST (``POST /uploads``) relies on them (the uploader's team is a
policy condition), so the embedded default checks them in front of moto, with S3's rules:

* the form carries a policy signed (SigV4) with the credentials' secret key, not yet expired;
* every condition holds: exact matches (``{"x-amz-meta-team": "procurement"}`` or
  ``["eq", "$x-amz-meta-team", ...]``), ``starts-with``, ``content-length-range``, the bucket;
* every form field is named by a condition (except the policy and signature fields, ``file`` and
  ``x-ignore-*``): an extra ``x-amz-meta-*`` field is refused.

A refusal is S3's 403 AccessDenied with the reason.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

_UNCHECKED = {"policy", "x-amz-signature", "file"}  # S3 does not require conditions for these
_installed = False


def refusal(form: Mapping[str, str], *, file_size: int, bucket: str, secret_key: str,
            now: datetime | None = None) -> str | None:
    """Why S3 would refuse this POST upload, or None when it would accept it."""
    fields = {name.lower(): value for name, value in form.items()}
    policy_b64 = fields.get("policy")
    if not policy_b64:
        return "anonymous uploads are not allowed: the form has no policy"
    if not _signature_valid(fields, policy_b64, secret_key):
        return "the request signature does not match the policy"
    try:
        policy = json.loads(base64.b64decode(policy_b64))
    except ValueError:
        return "the policy is not base64-encoded JSON"
    expiration = datetime.fromisoformat(str(policy.get("expiration", "")).replace("Z", "+00:00"))
    if (now or datetime.now(UTC)) > expiration:
        return "Invalid according to Policy: Policy expired."
    covered: set[str] = set()
    for condition in policy.get("conditions") or []:
        failed = _failed(condition, fields, file_size=file_size, bucket=bucket, covered=covered)
        if failed:
            return f"Invalid according to Policy: Policy Condition failed: {failed}"
    extra = sorted(name for name in fields
                   if name not in covered and name not in _UNCHECKED and not name.startswith("x-ignore-"))
    if extra:
        return f"Invalid according to Policy: Extra input fields: {', '.join(extra)}"
    return None


def _failed(condition: Any, fields: Mapping[str, str], *, file_size: int, bucket: str,
            covered: set[str]) -> str | None:
    """The condition as S3 quotes it when it does not hold, else None (and the field is covered)."""
    if isinstance(condition, dict):
        ((name, expected),) = condition.items()
        condition = ["eq", f"${name}", expected]
    operator, *operands = condition
    if operator == "content-length-range":
        low, high = (int(x) for x in operands)
        return None if low <= file_size <= high else json.dumps(condition)
    name = operands[0].lstrip("$").lower()
    covered.add(name)
    actual = bucket if name == "bucket" else fields.get(name)
    if operator == "eq" and actual == operands[1]:
        return None
    if operator == "starts-with" and actual is not None and actual.startswith(operands[1]):
        return None
    return json.dumps(condition)


def _signature_valid(fields: Mapping[str, str], policy_b64: str, secret_key: str) -> bool:
    """SigV4 of a POST policy: HMAC of the base64 policy with the key derived for the credential's
    date, region and service."""
    if fields.get("x-amz-algorithm") != "AWS4-HMAC-SHA256":
        return False
    try:
        _, day, region, service, _ = fields["x-amz-credential"].split("/")
    except (KeyError, ValueError):
        return False
    key = f"AWS4{secret_key}".encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, policy_b64.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields.get("x-amz-signature", ""))


def install(secret_key: str) -> None:
    """Check POST uploads in front of moto's S3 (in this process: the embedded server's)."""
    global _installed
    if _installed:
        return
    from moto.s3.responses import S3Response

    accept = S3Response._bucket_response_post

    def checked_post(self, request, bucket_name):
        form = dict(self.form_data.items()) if self.form_data else {}
        if "key" in form and not self.is_delete_keys():
            body = self.raw_body if isinstance(self.raw_body, bytes) else str(self.raw_body or "").encode()
            reason = refusal(form, file_size=len(body), bucket=bucket_name, secret_key=secret_key)
            if reason:
                message = reason.replace("&", "&amp;").replace("<", "&lt;")
                return 403, {"Content-Type": "application/xml"}, (
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
                    f"<Message>{message}</Message></Error>")
        return accept(self, request, bucket_name)

    S3Response._bucket_response_post = checked_post  # type: ignore[method-assign]  # patching moto's handler
    _installed = True
