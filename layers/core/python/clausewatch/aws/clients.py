"""boto3 clients, created once per process (per Lambda container) and reset by the embedded default."""

from __future__ import annotations

import os
from functools import lru_cache

import boto3


@lru_cache(maxsize=None)
def client(service: str):
    """A boto3 client; region and endpoint come from the environment (AWS_ENDPOINT_URL locally)."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return boto3.session.Session().client(service, region_name=region)


def reset() -> None:
    """Forget cached clients (after the environment's endpoint or credentials changed)."""
    client.cache_clear()
