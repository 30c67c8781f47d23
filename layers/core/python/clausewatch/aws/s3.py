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


@dataclass(frozen=True)
class ObjectInfo:
    size: int
    metadata: dict[str, str]
    etag: str
    version_id: str | None


_GONE = ("NoSuchKey", "NoSuchVersion", "404", "NotFound")


def _version(version_id: str | None) -> dict:
    return {"VersionId": version_id} if version_id else {}


def head_object(bucket: str, key: str, version_id: str | None = None) -> ObjectInfo | None:
    """Size and metadata without reading the body; None when that object (version) is gone."""
    try:
        response = client("s3").head_object(Bucket=bucket, Key=key, **_version(version_id))
    except ClientError as exc:
        if exc.response["Error"]["Code"] in _GONE:
            return None
        raise
    return ObjectInfo(response["ContentLength"], dict(response.get("Metadata") or {}),
                      response.get("ETag", "").strip('"'), response.get("VersionId") or version_id)


def get_object(bucket: str, key: str, version_id: str | None = None) -> StoredObject | None:
    """The object (that exact version when given) with its user metadata, or None when gone."""
    try:
        response = client("s3").get_object(Bucket=bucket, Key=key, **_version(version_id))
    except ClientError as exc:
        if exc.response["Error"]["Code"] in _GONE:
            return None
        raise
    return StoredObject(bucket, key, response["Body"].read(), dict(response.get("Metadata") or {}),
                        response.get("ContentType"))


def copy_object(bucket: str, source_key: str, target_key: str, version_id: str | None = None) -> None:
    """Server-side copy (metadata kept) of that exact source version."""
    client("s3").copy_object(Bucket=bucket, Key=target_key, MetadataDirective="COPY",
                             CopySource={"Bucket": bucket, "Key": source_key, **_version(version_id)})


def delete_object(bucket: str, key: str, version_id: str | None = None) -> None:
    """Delete (that exact version: a newer upload under the same key is left alone)."""
    client("s3").delete_object(Bucket=bucket, Key=key, **_version(version_id))


def put_json(bucket: str, key: str, document: dict) -> None:
    client("s3").put_object(Bucket=bucket, Key=key, ContentType="application/json",
                            Body=json.dumps(document, indent=1, ensure_ascii=False).encode())


def get_json(bucket: str, key: str) -> dict | None:
    stored = get_object(bucket, key)
    return None if stored is None else json.loads(stored.body)
