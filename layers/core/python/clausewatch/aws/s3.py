"""S3 operations on the contracts bucket."""

from __future__ import annotations

import json
from dataclasses import dataclass

import orjson
from botocore.exceptions import ClientError

from .clients import client, presigning_client


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
    # orjson: a contract's stored text (every line and word box) in 1/20 of json's indented time
    client("s3").put_object(Bucket=bucket, Key=key, ContentType="application/json",
                            Body=orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS))


def get_json(bucket: str, key: str) -> dict | None:
    stored = get_object(bucket, key)
    return None if stored is None else json.loads(stored.body)


def presigned_download_url(bucket: str, key: str, *, expires_in: int, file_name: str) -> str:
    """A short-lived GET link to one object, shown inline as ``file_name`` (a PDF in the browser)."""
    safe_name = file_name.replace('"', "")
    return presigning_client("s3").generate_presigned_url(
        "get_object", ExpiresIn=expires_in,
        Params={"Bucket": bucket, "Key": key, "ResponseContentType": "application/pdf",
                "ResponseContentDisposition": f'inline; filename="{safe_name}"'})


@dataclass(frozen=True)
class PresignedPost:
    url: str
    fields: dict[str, str]


def presigned_post(bucket: str, key: str, *, fixed: dict[str, str], max_bytes: int,
                   expires_in: int) -> PresignedPost:
    """A browser-style POST upload of one object at ``key`` whose form fields ``fixed`` (metadata,
    content type) are bound by the signed policy: S3 refuses the upload when any differs, when
    the key differs, or when the file is empty or over ``max_bytes``."""
    conditions: list = [{name: value} for name, value in fixed.items()]
    conditions.append(["content-length-range", 1, max_bytes])
    response = presigning_client("s3").generate_presigned_post(bucket, key, Fields=dict(fixed), Conditions=conditions,
                                                    ExpiresIn=expires_in)
    return PresignedPost(response["url"], dict(response["fields"]))


def put_file(bucket: str, key: str, body: bytes, metadata: dict[str, str] | None = None,
             content_type: str = "application/pdf") -> None:
    client("s3").put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type,
                            Metadata=metadata or {})
