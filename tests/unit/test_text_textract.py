"""Textract path: real recorded responses, job status, pagination and reading order."""

from __future__ import annotations

import json
import math
from collections import Counter

import boto3
import pytest
from botocore.stub import Stubber

from clausewatch import config
from clausewatch.text.textract import (
    Box,
    TextractJobFailed,
    check_job,
    document_from_textract,
    fetch_all_pages,
    reading_order,
    split_into_pages,
)
from tests.paths import RECORDED_TEXTRACT


def recorded(name: str) -> dict:
    path = RECORDED_TEXTRACT / name
    if not path.exists():
        pytest.skip(f"recorded Textract responses not present at {RECORDED_TEXTRACT}")
    return json.loads(path.read_text())


def line_blocks(response: dict, page: int | None = None) -> list[str]:
    return [b["Text"] for b in response["Blocks"]
            if b["BlockType"] == "LINE" and (page is None or b.get("Page") == page)]


def assert_offsets_consistent(doc) -> None:
    for page in doc.pages:
        assert page.text == "\n".join(line.text for line in page.lines)
        for line in page.lines:
            assert page.text[line.start:line.end] == line.text


# --- recorded responses ------------------------------------------------------------------------


def test_multi_page_response_keeps_page_numbers_and_every_line():
    response = recorded("multi-page-forms-samples-2-page.json")
    doc = document_from_textract([response])
    assert doc.engine == "textract"
    assert [p.number for p in doc.pages] == [1, 2]
    for page in doc.pages:
        # reading order may move lines, never lose or duplicate them
        assert Counter(line.text for line in page.lines) == Counter(line_blocks(response, page.number))
    assert "Patient Information" in doc.pages[0].text and "Patient Information" not in doc.pages[1].text
    assert "Employment Application" in doc.pages[1].text
    assert_offsets_consistent(doc)


def test_form_labels_stay_next_to_their_values():
    response = recorded("multi-page-forms-samples-2-page.json")
    lines = document_from_textract([response]).pages[0].text.splitlines()
    # two emergency contacts side by side in a form: each one's fields must stay with it
    first, second = lines.index("Emergency Contact 1:"), lines.index("Emergency Contact 2:")
    assert first < lines.index("BROTHER") < second < lines.index("FRIEND")


def test_two_column_page_is_read_column_by_column():
    response = recorded("test-twocol-header-footer-response.json")
    doc = document_from_textract([response])
    lines = doc.pages[0].text.splitlines()
    assert Counter(lines) == Counter(line_blocks(response))
    at = lines.index
    # the left column is finished before the right one starts ...
    assert at("complete one column top-to-bottom, before starting to") + 1 == at("read the next.")
    assert at("ML model-based approaches may be appropriate.") + 1 == at(
        "The Amazon Textract Response Parser aims to")
    # ... and the right column before the single-column text after it
    assert at("The included sample test documents are fully synthetic.") < at("A final section")
    assert at("read the next.") < at("This means it cannot solve for every edge case in")
    # header first, footer last
    assert max(at("Left-aligned header"), at("right-aligned header")) < at("A section heading")
    assert at("footer content") > at("A final section")
    assert_offsets_consistent(doc)


def test_multi_column_page_reads_left_column_first():
    lines = document_from_textract([recorded("test-multicol-response.json")]).pages[0].text.splitlines()
    assert lines.index("right.") + 1 == lines.index("The left column contains")
    assert lines.index("within one paragraph.") + 1 == lines.index("A horizontally separate right")
    assert lines[-1] == "good start."


def test_single_column_page_keeps_textracts_order():
    response = recorded("little_women_page_1.json")
    doc = document_from_textract([response])
    assert [line.text for line in doc.pages[0].lines] == line_blocks(response)
    assert_offsets_consistent(doc)


def test_failed_job_raises_with_textracts_message():
    failed = recorded("test-failed-response.json")
    with pytest.raises(TextractJobFailed) as caught:
        check_job(failed)
    assert caught.value.status == "FAILED"
    assert caught.value.message == "Dummy Status Message"
    assert "Dummy Status Message" in str(caught.value)
    with pytest.raises(TextractJobFailed):
        document_from_textract([failed])


def test_in_progress_job_is_not_a_result():
    with pytest.raises(TextractJobFailed) as caught:
        check_job(recorded("test-inprogress-response.json"))
    assert caught.value.status == "IN_PROGRESS"


@pytest.mark.parametrize("status", ["SUCCEEDED", "PARTIAL_SUCCESS"])
def test_finished_jobs_pass(status):
    assert check_job({"JobStatus": status}) is None


def test_missing_status_is_not_taken_for_success():
    with pytest.raises(TextractJobFailed):
        check_job({"Blocks": []})


def test_partial_result_keeps_textracts_page_numbers():
    response = recorded("multi-page-forms-samples-2-page.json")
    only_second = {**response, "JobStatus": "PARTIAL_SUCCESS",
                   "Blocks": [b for b in response["Blocks"] if b["Page"] == 2]}
    doc = document_from_textract([only_second])
    assert [p.number for p in doc.pages] == [2]
    assert "Employment Application" in doc.pages[0].text


# --- pagination ----------------------------------------------------------------------------------


def test_split_into_pages_links_pages_with_next_token():
    response = recorded("multi-page-forms-samples-2-page.json")
    pages = split_into_pages(response, 100)
    assert len(pages) == math.ceil(len(response["Blocks"]) / 100)
    assert [b for p in pages for b in p["Blocks"]] == response["Blocks"]
    assert all(p["NextToken"] for p in pages[:-1]) and "NextToken" not in pages[-1]
    assert len({p["NextToken"] for p in pages[:-1]}) == len(pages) - 1
    assert all(p["JobStatus"] == "SUCCEEDED" and "ResponseMetadata" not in p for p in pages)
    assert document_from_textract(pages) == document_from_textract([response])
    with pytest.raises(ValueError):
        split_into_pages(response, 0)


def stubbed_textract():
    client = boto3.client("textract", region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    return client, Stubber(client)


def as_api_response(page: dict, client) -> dict:
    """Only the fields GetDocumentTextDetection really returns (the Stubber validates them)."""
    shape = client.meta.service_model.operation_model("GetDocumentTextDetection").output_shape
    return {k: v for k, v in page.items() if k in shape.members}


def test_fetch_all_pages_follows_next_token():
    response = recorded("multi-page-forms-samples-2-page.json")
    pages = split_into_pages(response, 150)
    client, stubber = stubbed_textract()
    for index, page in enumerate(pages):
        expected = {"JobId": "job-123", "MaxResults": 150}
        if index:
            expected["NextToken"] = pages[index - 1]["NextToken"]
        stubber.add_response("get_document_text_detection", as_api_response(page, client), expected)
    with stubber:
        fetched = fetch_all_pages(client, "job-123", page_size=150)
        stubber.assert_no_pending_responses()
    assert len(fetched) == len(pages) == 3
    assert document_from_textract(fetched) == document_from_textract([response])


def test_fetch_all_pages_uses_configured_page_size_and_stops_on_failure():
    client, stubber = stubbed_textract()
    failed = recorded("test-failed-response.json")
    stubber.add_response("get_document_text_detection", as_api_response(failed, client),
                         {"JobId": "job-9", "MaxResults": config.TEXTRACT_PAGE_SIZE})
    with stubber, pytest.raises(TextractJobFailed) as caught:
        fetch_all_pages(client, "job-9")
    assert caught.value.message == "Dummy Status Message"
    stubber.assert_no_pending_responses()


def test_repeated_next_token_does_not_loop_forever():
    class Repeating:
        calls = 0

        def get_document_text_detection(self, **params):
            self.calls += 1
            return {"JobStatus": "SUCCEEDED", "Blocks": [], "NextToken": "same"}

    client = Repeating()
    with pytest.raises(RuntimeError):
        fetch_all_pages(client, "job-1")
    assert client.calls == 2


# --- reading order on synthetic layouts ---------------------------------------------------------


def test_reading_order_two_text_columns_between_full_width_lines():
    boxes = [Box(0.1, 0.05, 0.8, 0.02)]  # title across the page
    for row in range(4):  # left and right column lines side by side
        boxes += [Box(0.1, 0.1 + row * 0.03, 0.38, 0.02), Box(0.52, 0.1 + row * 0.03, 0.38, 0.02)]
    boxes.append(Box(0.1, 0.25, 0.8, 0.02))  # paragraph across the page
    assert reading_order(boxes) == [0, 1, 3, 5, 7, 2, 4, 6, 8, 9]


def test_reading_order_short_heading_after_a_blank_band_ends_the_columns():
    boxes = []
    for row in range(4):
        boxes += [Box(0.1, 0.1 + row * 0.03, 0.38, 0.02), Box(0.52, 0.1 + row * 0.03, 0.38, 0.02)]
    boxes.append(Box(0.1, 0.3, 0.2, 0.02))  # "Schedule 1": narrow, but well below both columns
    assert reading_order(boxes) == [0, 2, 4, 6, 1, 3, 5, 7, 8]


def test_reading_order_keeps_label_value_rows_together():
    boxes = []
    for row in range(4):  # "Label:" ... "value" pairs: short lines, not running text
        boxes += [Box(0.1, 0.1 + row * 0.03, 0.12, 0.02), Box(0.55, 0.1 + row * 0.03, 0.3, 0.02)]
    assert reading_order(boxes) == list(range(8))


def test_reading_order_of_nothing():
    assert reading_order([]) == []
    assert document_from_textract([{"JobStatus": "SUCCEEDED", "Blocks": []}]).pages == []
