"""boto3 clients, created once per process (per Lambda container) and reset by the embedded default."""

from __future__ import annotations

import os
from functools import cache

import boto3
from botocore.config import Config


@cache
def client(service: str):
    """A boto3 client; region and endpoint come from the environment (AWS_ENDPOINT_URL locally)."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return boto3.session.Session().client(service, region_name=region)


@cache
def presigning_client(service: str):
    """A client whose presigned URLs and POST policies are SigV4 (boto3 would sign some with the
    legacy SigV2 in us-east-1)."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return boto3.session.Session().client(service, region_name=region,
                                          config=Config(signature_version="s3v4"))


# every service the handlers call through `client`
SERVICES = ("s3", "sqs", "sns", "dynamodb", "dynamodbstreams", "scheduler", "ses", "stepfunctions")


def create_all() -> None:
    """Create the handlers' clients now (see `store.models.connect_all`)."""
    for service in SERVICES:
        client(service)


def reset() -> None:
    """Forget cached clients (after the environment's endpoint or credentials changed)."""
    client.cache_clear()
    presigning_client.cache_clear()
