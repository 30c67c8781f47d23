"""POST /uploads: a presigned S3 POST into the inbox. The caller's team and user are fixed by the
signed policy (``x-amz-meta-team``, ``x-amz-meta-uploader``), so a client cannot upload into
another team; the ingest pipeline then records the contract under that team.

POST /contracts/{id}/evidence-uploads: a presigned S3 POST of a proof file under the contract's
evidence folder (``evidence/<id>/<random>/<name>``), whose key the page then gives to
``.../complete`` as ``evidence_key`` (which checks the object is there)."""

from __future__ import annotations

import uuid
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from .. import config
from ..aws import s3
from ..pipeline import actions
from ..pipeline.intake import normalise_metadata
from .auth import SECURED, Role, current_caller, requires
from .models import EvidenceUploadRequest, Upload, UploadRequest, error_responses
from .params import ContractId

router = Router()
CONTENT_TYPE = "application/pdf"


@router.post("/uploads", status_code=201, tags=["uploads"], security=SECURED,
             summary="A presigned POST to upload a signed contract (PDF) into the team's inbox",
             responses=error_responses(400, 401, 403, 409))
@requires(Role.EDITOR)
def create_upload(body: Annotated[UploadRequest, Body()]) -> Upload:
    caller = current_caller(router.context)
    metadata = {"team": caller.team, "uploader": caller.user, "owner": body.owner or caller.user,
                "counterparty": body.counterparty, "contract-type": body.contract_type,
                "time-zone": body.time_zone, "jurisdiction": body.jurisdiction}
    kept, refused = normalise_metadata({k: v for k, v in metadata.items() if v}, refusing=True)
    if refused:  # refuse now rather than have ingest drop it with a note
        raise actions.InvalidInput("; ".join(refused))
    key = f"{config.INBOX_PREFIX}{uuid.uuid4().hex}/{body.file_name}"
    fixed = {"Content-Type": CONTENT_TYPE,
             **{f"x-amz-meta-{k}": v for k, v in sorted(stored_metadata(kept).items())}}
    post = s3.presigned_post(config.Settings.from_env().bucket, key, fixed=fixed,
                             max_bytes=config.MAX_PDF_BYTES, expires_in=config.UPLOAD_URL_SECONDS)
    return Upload(url=post.url, fields=post.fields, key=key, expires_in=config.UPLOAD_URL_SECONDS,
                  max_bytes=config.MAX_PDF_BYTES)


def stored_metadata(kept: dict[str, str]) -> dict[str, str]:
    """The upload's metadata as S3 stores it (non-ASCII text RFC 2047-encoded, ``s3.metadata_value``:
    the counterparty's name in any script arrives as written), or InvalidInput when it is more than
    S3 keeps on an object, naming the longest value."""
    stored = {k: s3.metadata_value(v) for k, v in kept.items()}
    size = s3.metadata_bytes(stored)
    if size > s3.USER_METADATA_MAX_BYTES:
        longest = max(stored, key=lambda k: len(stored[k]))
        raise actions.InvalidInput(
            f"the upload's details take {size:,} bytes as S3 stores them (text beyond plain ASCII "
            f"takes more: it is RFC 2047-encoded), over S3's limit of {s3.USER_METADATA_MAX_BYTES:,} "
            f"bytes of metadata: shorten {longest.replace('-', '_')} ({len(kept[longest])} characters)")
    return stored


@router.post("/contracts/<contract_id>/evidence-uploads", status_code=201, tags=["uploads"], security=SECURED,
             summary="A presigned POST to upload a proof file (e.g. the sent notice) under the contract's evidence "
                     "folder; its key completes an obligation",
             responses=error_responses(400, 401, 403, 404, 409))
@requires(Role.EDITOR)
def create_evidence_upload(contract_id: ContractId, body: Annotated[EvidenceUploadRequest, Body()]) -> Upload:
    caller = current_caller(router.context)
    actions.find_contract(contract_id, caller.team)
    key = f"{config.evidence_prefixes(contract_id)[1]}{uuid.uuid4().hex}/{body.file_name}"
    content_type = body.content_type.lower()
    if content_type not in config.EVIDENCE_CONTENT_TYPES:
        content_type = config.EVIDENCE_OTHER_CONTENT_TYPE  # kept, never served as what it claims
    fixed = {"Content-Type": content_type, "x-amz-meta-uploader": s3.metadata_value(caller.user)}
    post = s3.presigned_post(config.Settings.from_env().bucket, key, fixed=fixed,
                             max_bytes=config.MAX_EVIDENCE_BYTES, expires_in=config.UPLOAD_URL_SECONDS)
    return Upload(url=post.url, fields=post.fields, key=key, expires_in=config.UPLOAD_URL_SECONDS,
                  max_bytes=config.MAX_EVIDENCE_BYTES)
