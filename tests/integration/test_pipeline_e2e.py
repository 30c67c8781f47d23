"""End to end on the embedded default: upload -> S3 notification -> SQS -> ingest -> offline
Textract -> SNS -> SQS -> textract_done -> stored text and contract record."""

from __future__ import annotations

import json

import pytest

from clausewatch import config
from clausewatch.aws.clients import client
from clausewatch.schema import ContractStatus
from clausewatch.store import repository as repo
from tests.pdfs import encrypt, image_only_pdf, make_pdf

CONTRACT_TEXT = (
    "MASTER SERVICES AGREEMENT\n"
    "This Master Services Agreement is entered into as of March 1, 2025 (the \"Effective Date\") "
    "between Acme Widgets, Inc. (\"Customer\") and Bluebird Consulting LLC (\"Provider\").\n"
    "1. Term. This Agreement shall commence on the Effective Date and continue for twelve (12) months.",
    "2. Payment. Customer shall pay each invoice within thirty (30) days of receipt.\n"
    "3. Governing Law. This Agreement is governed by the laws of the State of New York.",
)
METADATA = {"owner": "owner@example.com", "team": "procurement", "contract-type": "services",
            "time-zone": "America/New_York"}


def put(name: str, body: bytes, metadata: dict | None = None) -> str:
    key = f"{config.INBOX_PREFIX}{name}"
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=key, Body=body, Metadata=metadata or {})
    return key


def keys(prefix: str = "") -> list[str]:
    listing = client("s3").list_objects_v2(Bucket=config.BUCKET_NAME, Prefix=prefix)
    return sorted(o["Key"] for o in listing.get("Contents", []))


def queue_depth(name: str) -> int:
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def test_upload_becomes_a_contract_with_stored_text(cloud):
    pdf = make_pdf(*CONTRACT_TEXT)
    put("msa.pdf", pdf, METADATA)
    cloud.pump()

    [contract] = repo.list_contracts()
    assert contract.status in (ContractStatus.TEXT_READY, ContractStatus.EXTRACTED)
    assert contract.file_name == "msa.pdf" and contract.page_count == 2
    assert contract.owner == "owner@example.com" and contract.team == "procurement"
    assert contract.time_zone == "America/New_York" and contract.contract_type == "services"
    assert contract.upload_metadata["owner"] == "owner@example.com"
    # the original moved out of the inbox to contracts/<id>/original.pdf, byte for byte
    assert keys(config.INBOX_PREFIX) == []
    original = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=config.original_key(contract.contract_id))
    assert original["Body"].read() == pdf
    # text per page with line offsets into the page text
    text = json.loads(client("s3").get_object(Bucket=config.BUCKET_NAME,
                                              Key=config.text_key(contract.contract_id))["Body"].read())
    assert [p["number"] for p in text["pages"]] == [1, 2]
    assert "Bluebird Consulting LLC" in text["pages"][0]["text"]
    assert "thirty (30) days" in text["pages"][1]["text"]
    for page in text["pages"]:
        for line in page["lines"]:
            assert page["text"][line["start"]:line["end"]] == line["text"]
    # every state change audited, in order
    actions = [e.action for e in repo.audit_events(contract.contract_id)]
    assert actions[:3] == ["contract.received", "status.text_pending", "status.text_ready"]
    assert queue_depth(config.INGEST_QUEUE) == queue_depth(config.INGEST_DLQ) == 0
    assert queue_depth(config.TEXTRACT_QUEUE) == queue_depth(config.TEXTRACT_DLQ) == 0


def test_same_bytes_uploaded_twice_are_one_contract(cloud):
    pdf = make_pdf(*CONTRACT_TEXT)
    put("msa.pdf", pdf, METADATA)
    cloud.pump()
    put("msa-copy-from-email.pdf", pdf, METADATA)
    cloud.pump()

    contracts = repo.list_contracts()
    assert len(contracts) == 1
    assert keys(config.INBOX_PREFIX) == []
    duplicate = [e for e in repo.audit_events(contracts[0].contract_id) if e.action == "upload.duplicate"]
    assert len(duplicate) == 1 and duplicate[0].detail["file_name"] == "msa-copy-from-email.pdf"


def test_same_bytes_uploaded_by_two_teams_are_two_contracts_each_seen_by_its_own_team(cloud):
    """Another team's copy of a PDF a team holds is a contract of its own (before: deleted as a
    duplicate of the first team's contract, which it cannot see, and audited on that team's trail);
    its own second copy is its duplicate, as a team's always is."""
    pdf = make_pdf(*CONTRACT_TEXT)
    put("msa.pdf", pdf, METADATA)
    cloud.pump()
    put("msa-theirs.pdf", pdf, {**METADATA, "team": "legal"})
    cloud.pump()
    put("msa-theirs-again.pdf", pdf, {**METADATA, "team": "legal"})
    cloud.pump()

    contracts = {c.team: c for c in repo.list_contracts()}
    assert sorted(contracts) == ["legal", "procurement"] and keys(config.INBOX_PREFIX) == []
    ours, theirs = contracts["procurement"], contracts["legal"]
    assert ours.contract_id != theirs.contract_id and ours.sha256 == theirs.sha256
    assert (ours.file_name, theirs.file_name) == ("msa.pdf", "msa-theirs.pdf")
    assert theirs.status in (ContractStatus.TEXT_READY, ContractStatus.EXTRACTED)
    assert "upload.duplicate" not in [e.action for e in repo.audit_events(ours.contract_id)]
    [again] = [e for e in repo.audit_events(theirs.contract_id) if e.action == "upload.duplicate"]
    assert again.detail["file_name"] == "msa-theirs-again.pdf"


def test_a_teams_copy_stays_its_contract_after_the_other_team_deletes_theirs(cloud):
    """Team legal's copy of procurement's PDF is its own contract; procurement deletes its copy, and
    legal's next upload of the same bytes is its duplicate, not a second contract under the content's
    id (nor would a redelivered message switch ids)."""
    from clausewatch.pipeline import actions

    pdf = make_pdf(*CONTRACT_TEXT)
    put("msa.pdf", pdf, METADATA)
    cloud.pump()
    put("msa-theirs.pdf", pdf, {**METADATA, "team": "legal"})
    cloud.pump()
    [ours] = [c for c in repo.list_contracts() if c.team == "procurement"]
    actions.delete_contract(ours.contract_id, actor="admin@example.com", team="procurement")
    cloud.pump()
    put("msa-theirs-again.pdf", pdf, {**METADATA, "team": "legal"})
    cloud.pump()
    [theirs] = repo.list_contracts()
    assert (theirs.team, theirs.file_name) == ("legal", "msa-theirs.pdf")
    assert [e.detail["file_name"] for e in repo.audit_events(theirs.contract_id) if e.action == "upload.duplicate"] \
        == ["msa-theirs-again.pdf"]


def test_two_teams_uploading_the_same_bytes_at_once_get_a_contract_each(cloud, monkeypatch):
    """Legal's upload is validated while procurement's is recorded in full: legal's then finds the
    content's id taken by procurement's contract and takes one of its own, not the duplicate branch."""
    from clausewatch.config import Settings
    from clausewatch.pipeline import intake

    pdf = make_pdf(*CONTRACT_TEXT)
    ours, theirs = put("msa.pdf", pdf, METADATA), put("msa-theirs.pdf", pdf, {**METADATA, "team": "legal"})
    settings, validate, outcomes, calls = Settings.from_env(), intake.validate_pdf, [], []

    def validate_while_the_other_is_recorded(body, **kwargs):
        calls.append(1)
        result = validate(body, **kwargs)
        if len(calls) == 1:  # legal's: procurement's whole intake runs meanwhile
            outcomes.append(intake.ingest_upload(settings, intake.Upload(config.BUCKET_NAME, ours)))
        return result

    monkeypatch.setattr(intake, "validate_pdf", validate_while_the_other_is_recorded)
    outcomes.append(intake.ingest_upload(settings, intake.Upload(config.BUCKET_NAME, theirs)))
    assert [o.status for o in outcomes] == ["accepted", "accepted"]
    assert sorted(c.team for c in repo.list_contracts()) == ["legal", "procurement"]
    assert not [e for c in repo.list_contracts() for e in repo.audit_events(c.contract_id)
                if e.action == "upload.duplicate"]


def _bad_inputs():
    good = make_pdf(*CONTRACT_TEXT)
    return {
        "not_pdf": (b"<html><body>Error 404</body></html>", "not_pdf"),
        "empty": (b"", "empty"),
        "truncated": (good[: len(good) // 2], "corrupt"),
        "encrypted": (encrypt(good), "encrypted"),
    }


@pytest.mark.parametrize("case", ["not_pdf", "empty", "truncated", "encrypted", "too_large"])
def test_bad_upload_is_quarantined_with_its_reason(cloud, monkeypatch, case):
    if case == "too_large":
        monkeypatch.setattr(config, "MAX_PDF_BYTES", 1000)
        body, code = make_pdf(*CONTRACT_TEXT), "too_large"
    else:
        body, code = _bad_inputs()[case]
    put(f"{case}.pdf", body, METADATA)
    cloud.pump()

    assert keys(config.INBOX_PREFIX) == []
    [contract] = repo.list_contracts()
    target = f"quarantine/{contract.contract_id}/{case}.pdf"
    assert keys(config.QUARANTINE_PREFIX) == [target, f"{target}.error.json"]
    kept = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=target)["Body"].read()
    assert kept == body  # nothing lost
    report = json.loads(client("s3").get_object(Bucket=config.BUCKET_NAME,
                                                Key=f"{target}.error.json")["Body"].read())
    assert report["error"] == code and report["reason"] and report["source_key"] == f"inbox/{case}.pdf"
    assert report["metadata"]["owner"] == "owner@example.com"
    assert contract.status == ContractStatus.QUARANTINED and contract.status_reason == report["reason"]
    # consumed, not retried: nothing waiting and nothing in the DLQ
    assert queue_depth(config.INGEST_QUEUE) == queue_depth(config.INGEST_DLQ) == 0


def test_a_too_large_upload_says_both_sizes_in_mb(cloud, monkeypatch):
    """QA5 7: refused from its size (never read), the reason said "54,525,968 bytes; the limit is
    52,428,800 bytes"; the drop folder, `status`, the API and the .error.json show this one reason."""
    monkeypatch.setattr(config, "MAX_PDF_BYTES", 2 * 1024 * 1024)
    body = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024 + 100 * 1024) + b"\n%%EOF\n"  # 3.1 MB
    put("big.pdf", body, METADATA)
    cloud.pump()
    [contract] = repo.list_contracts()
    assert contract.status == ContractStatus.QUARANTINED
    assert contract.status_reason == "The file is 3.1 MB, larger than the 2 MB limit."
    report = json.loads(client("s3").get_object(
        Bucket=config.BUCKET_NAME, Key=f"quarantine/{contract.contract_id}/big.pdf.error.json")["Body"].read())
    assert report["reason"] == contract.status_reason


def test_pdf_without_text_layer_fails_clearly_and_keeps_the_file(cloud):
    put("scan.pdf", image_only_pdf(), METADATA)
    cloud.pump()
    [contract] = repo.list_contracts()
    assert contract.status == ContractStatus.FAILED
    assert "no text layer" in contract.status_reason and "OCR" in contract.status_reason
    assert keys(config.CONTRACTS_PREFIX) == [config.original_key(contract.contract_id)]


def test_a_message_that_keeps_failing_ends_in_the_dlq_not_in_a_loop(cloud):
    # a message that is not an S3 notification at all: every attempt raises
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=config.INGEST_QUEUE)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="{truncated")
    cloud.pump()
    assert queue_depth(config.INGEST_QUEUE) == 0
    assert queue_depth(config.INGEST_DLQ) == 1


def test_state_survives_a_restart(cloud, tmp_path):
    from clausewatch.local import state
    from clausewatch.local.cloud import LocalCloud

    put("msa.pdf", make_pdf(*CONTRACT_TEXT), METADATA)
    put("bad.pdf", b"not a pdf", METADATA)
    cloud.pump()
    before = {c.contract_id: c.status for c in repo.list_contracts()}
    state.save(tmp_path)

    cloud.reset()  # the server forgets everything, as after a restart
    assert repo.list_contracts() == []
    assert state.load(tmp_path)
    cloud.pump()
    assert {c.contract_id: c.status for c in repo.list_contracts()} == before
    assert any(k.endswith("/bad.pdf.error.json") for k in keys(config.QUARANTINE_PREFIX))
    assert LocalCloud  # the same class the CLI restarts with


def test_two_uploads_under_one_name_before_processing_are_two_contracts(cloud):
    first, second = make_pdf("Agreement A", "page two"), make_pdf("Agreement B")
    put("contract.pdf", first, METADATA)
    put("contract.pdf", second, METADATA)  # overwritten before the first notification is handled
    cloud.pump()
    contracts = repo.list_contracts()
    assert sorted(c.page_count for c in contracts) == [1, 2]
    for contract, body in zip(sorted(contracts, key=lambda c: -c.page_count), (first, second)):
        stored = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=config.original_key(contract.contract_id))
        assert stored["Body"].read() == body


def test_bad_files_with_the_same_name_are_kept_apart(cloud):
    put("scan.pdf", b"first bad file", METADATA)
    cloud.pump()
    put("scan.pdf", b"second bad file", METADATA)
    cloud.pump()
    kept = {client("s3").get_object(Bucket=config.BUCKET_NAME, Key=k)["Body"].read()
            for k in keys(config.QUARANTINE_PREFIX) if not k.endswith(".json")}
    assert kept == {b"first bad file", b"second bad file"}
    assert [c.status for c in repo.list_contracts()] == [ContractStatus.QUARANTINED] * 2


def test_unknown_time_zone_falls_back_with_a_recorded_note(cloud):
    put("msa.pdf", make_pdf(*CONTRACT_TEXT), {**METADATA, "time-zone": "Eastern Time"})
    cloud.pump()
    [contract] = repo.list_contracts()
    assert contract.time_zone == config.DEFAULT_TIME_ZONE
    received = repo.audit_events(contract.contract_id)[0]
    assert "unknown time-zone 'Eastern Time'" in received.detail["notes"][0]
    assert not cloud.failures


def test_a_crash_mid_ingest_is_repaired_by_the_redelivery(cloud, monkeypatch):
    from clausewatch.pipeline import intake

    real_start, calls = intake.start_text_detection, []

    def flaky_start(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise ConnectionError("Textract throttled")
        return real_start(*args, **kwargs)

    monkeypatch.setattr(intake, "start_text_detection", flaky_start)
    pdf = make_pdf(*CONTRACT_TEXT)
    put("msa.pdf", pdf, METADATA)
    cloud.pump()  # first delivery fails after the copy; SQS redelivers; the second completes
    [contract] = repo.list_contracts()
    assert len(calls) == 2 and contract.status in (ContractStatus.TEXT_READY, ContractStatus.EXTRACTED)
    assert keys(config.INBOX_PREFIX) == []
    assert client("s3").get_object(Bucket=config.BUCKET_NAME,
                                   Key=config.original_key(contract.contract_id))["Body"].read() == pdf
    assert queue_depth(config.INGEST_DLQ) == 0


def test_a_document_that_does_not_read_as_a_contract_is_kept_and_flagged_until_a_person_enters_terms(cloud):
    """QA5 10a: a one-page newsletter was an EXTRACTED contract with every term empty and nothing
    said so. It stays EXTRACTED with its text, flagged for review in the API's attention (the
    dashboard's and the CLI's Needs attention/review read it) and in the audit trail; a person
    entering a term says it is a contract, and the flag goes."""
    from clausewatch.api.views import contract_summary
    from clausewatch.pipeline import entries
    from clausewatch.pipeline.attention import attention_of

    put("newsletter.pdf", make_pdf("Quarterly Newsletter\nOur team had a great quarter. The picnic is on June 5, "
                                   "2026. Please bring sunscreen. Sales grew 12% year over year."), METADATA)
    cloud.pump()
    [contract] = repo.list_contracts()
    assert contract.status == ContractStatus.EXTRACTED and config.text_key(contract.contract_id) in keys()
    [flag] = contract_summary(contract).attention
    assert flag.kind == "not_a_contract" and flag.message.startswith("does not read as a contract: no parties")
    [extracted] = [e.detail for e in repo.audit_events(contract.contract_id) if e.action == "status.extracted"]
    assert extracted["needs_review"] == [{"kind": "not_a_contract", "message": flag.message}]
    entries.enter_term(contract.contract_id, "expiration_date", "2027-06-30", note="a contract after all",
                       actor="owner@example.com", team="procurement")
    cloud.pump()
    after = repo.get_contract(contract.contract_id)
    assert attention_of(after) == [] and after.extracted.value("expiration_date") == "2027-06-30"
    # extracted again (a retry, a new extractor version): the person's word stands over the text's
    from clausewatch.config import Settings
    from clausewatch.pipeline.textjob import extract_stored_text

    extract_stored_text(Settings.from_env(), contract.contract_id)
    assert attention_of(repo.get_contract(contract.contract_id)) == []
