"""S3 operations on the contracts bucket."""

from __future__ import annotations

import json
from dataclasses import dataclass

from botocore.exceptions import ClientError

from .clients import client


@dataclass(frozen=True)
class StoredObject:
    bucket: str
    key: str
    body: bytes
    metadata: dict[str, str]
    content_type: str | None


def get_object(bucket: str, key: str) -> StoredObject | None:
    """The object with its user metadata, or None when it is gone (already processed)."""
    try:
        response = client("s3").get_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("NoSuchKey", "404", "NotFound"):
            return None
        raise
    return StoredObject(bucket, key, response["Body"].read(), dict(response.get("Metadata") or {}),
                        response.get("ContentType"))


def move_object(bucket: str, source_key: str, target_key: str) -> None:
    """Copy then delete: S3 has no rename. Metadata is kept."""
    client("s3").copy_object(Bucket=bucket, Key=target_key,
                             CopySource={"Bucket": bucket, "Key": source_key},
                             MetadataDirective="COPY")
    client("s3").delete_object(Bucket=bucket, Key=source_key)


def delete_object(bucket: str, key: str) -> None:
    client("s3").delete_object(Bucket=bucket, Key=key)


def put_json(bucket: str, key: str, document: dict) -> None:
    client("s3").put_object(Bucket=bucket, Key=key, ContentType="application/json",
                            Body=json.dumps(document, indent=1, ensure_ascii=False).encode())


def get_json(bucket: str, key: str) -> dict | None:
    stored = get_object(bucket, key)
    return None if stored is None else json.loads(stored.body)


def put_file(bucket: str, key: str, body: bytes, metadata: dict[str, str] | None = None,
             content_type: str = "application/pdf") -> None:
    client("s3").put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type,
                            Metadata=metadata or {})
