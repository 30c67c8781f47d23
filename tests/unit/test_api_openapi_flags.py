"""The OpenAPI document says what the API does since 2026-12-07 (a client generated from it relies
on it): every kind of Needs-attention flag the code writes is in the flag's enum, a credit to check
names its breach, and the routes of those changes say their new cases and status codes."""

from __future__ import annotations

import json

from clausewatch.api import models, views
from clausewatch.extract.contract_language import NOT_A_CONTRACT
from clausewatch.extract.notice_fit import NOTICE_LONGER
from clausewatch.pipeline import record


def _document() -> dict:
    from clausewatch.api.app import OPENAPI_INFO, app

    return json.loads(app.get_openapi_json_schema(**OPENAPI_INFO))


def _operation(document: dict, method: str, path: str) -> dict:
    return document["paths"][path][method]


def test_every_flag_kind_the_code_writes_is_in_the_documents_enum_with_its_meaning():
    attention = _document()["components"]["schemas"]["Attention"]
    kinds = attention["properties"]["kind"]["enum"]
    written = {NOT_A_CONTRACT, NOTICE_LONGER, record.AMENDED_TERM_START, record.TAKES_EFFECT_LATER,
               record.NO_CHANGE_READ, record.ENTRY_KEPT_OVER_AMENDMENT, record.ORDER_UNKNOWN, "credit_to_check",
               "rule_marked_done", "amendment_waiting", "metadata_refused", "impossible_date", "conflicting_dates",
               "waiting_for_event", "event_expiration_kept_out", "no_holiday_calendar", "term_moved_after_notice"}
    assert written <= set(kinds)
    assert set(kinds) == set(models.ATTENTION_KINDS)
    described = attention["properties"]["kind"]["description"]
    assert "a number and no signing date beside one with a signing date and no number" in described
    assert "(cap_unclear)" in described and "counted from the incident or in hours" in described
    assert "finding_id" in attention["properties"]


def test_a_flag_of_a_kind_the_api_does_not_name_is_shown_as_review_with_its_message():
    flag = views.attention({"kind": "some_later_kind", "message": "look at this", "candidates": []})
    assert (flag.kind, flag.message) == ("review", "look at this")
    credit = views.attention({"kind": "credit_to_check", "term": "service_credit_tiers", "finding_id": "f1",
                              "message": "cap unclear", "candidates": []})
    assert (credit.kind, credit.finding_id) == ("credit_to_check", "f1")


def test_the_amendment_check_says_the_split_flag_and_the_409_of_one_an_entry_settled():
    operation = _operation(_document(), "post", "/contracts/{contract_id}/amendment-checked")
    assert "a number and no day signed beside one with a day signed and no number" in operation["description"]
    assert "409 for one an entry of the terms it names settled" in operation["description"]
    assert {"400", "409"} <= set(operation["responses"])


def test_a_done_says_a_term_end_is_not_done_before_its_last_day_and_the_409_of_a_write_in_flight():
    document = _document()
    operation = _operation(document, "post", "/contracts/{contract_id}/obligations/{obligation_id}/complete")
    assert "not before the term's last day" in operation["description"]
    assert "another write of it in flight" in operation["description"]
    assert {"400", "409"} <= set(operation["responses"])
    done_on = document["components"]["schemas"]["CompleteRequest"]["properties"]["done_on"]
    assert "400: a term does not end before it" in done_on["description"]


def test_the_renewals_list_says_each_way_a_term_ended_and_each_renewal_not_known():
    document = _document()
    operation = _operation(document, "get", "/renewals")
    for said in ("`marked done`", "`marked_done_by`", "`renewal term unknown`", "`no renewal`", "`decision`"):
        assert said in operation["description"], said
    renewal = document["components"]["schemas"]["Renewal"]["properties"]

    def values(prop: dict) -> set[str]:
        return {v for option in prop.get("anyOf", [prop]) for v in option.get("enum", [])}

    assert values(renewal["ended_by"]) == {"decision", "no renewal", "marked done"}
    assert values(renewal["renewal"]) == {"unknown", "renewal term unknown"}
    assert {"marked_done_by", "marked_done_on"} <= set(renewal)
