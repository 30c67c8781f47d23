"""S3 operations on the contracts bucket."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.header import decode_header, make_header

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


# S3 user-defined metadata: at most this many bytes of keys and values together (as sent, UTF-8)
USER_METADATA_MAX_BYTES = 2048
# RFC 2047: an encoded-word is at most 75 characters; "=?UTF-8?B?" + "?=" leave 63, so 60 base64
# characters, 45 bytes of UTF-8 text per word
_ENCODED_WORD_BYTES = 45


class UnstorableMetadata(ValueError):
    """A metadata value no S3 object can carry (a lone surrogate: not text UTF-8 can encode)."""


def metadata_value(text: str) -> str:
    """``text`` as S3 user metadata carries it: US-ASCII on the REST API, so a value with any other
    character is RFC 2047-encoded as S3 itself returns one (``=?UTF-8?B?...?=``, encoded-words of at
    most 75 characters separated by a space, each holding whole characters: AWS "Working with object
    metadata"). A printable ASCII value is returned as it is, byte for byte."""
    if text.isascii() and text.isprintable():
        return text
    words: list[bytes] = [b""]
    for position, character in enumerate(text, start=1):
        try:
            encoded = character.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise UnstorableMetadata(f"it is not valid Unicode text (a lone surrogate, "
                                     f"U+{ord(character):04X}, at character {position})") from exc
        if len(words[-1]) + len(encoded) > _ENCODED_WORD_BYTES:
            words.append(b"")
        words[-1] += encoded
    return " ".join(f"=?UTF-8?B?{base64.b64encode(word).decode('ascii')}?=" for word in words)


def metadata_text(value: str) -> str:
    """A metadata value as the person wrote it: RFC 2047 encoded-words (``metadata_value``'s, or
    S3's own for a value it was given in UTF-8) decoded; any other value as it is."""
    if not isinstance(value, str):
        return str(value)
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (ValueError, LookupError, UnicodeDecodeError, HeaderParseError):
        return value


def metadata_bytes(metadata: dict[str, str]) -> int:
    """The size S3 counts against ``USER_METADATA_MAX_BYTES``: keys and values, UTF-8 bytes."""
    return sum(len(k.encode("utf-8")) + len(v.encode("utf-8")) for k, v in metadata.items())


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
                            Metadata={k: metadata_value(v) for k, v in (metadata or {}).items()})
