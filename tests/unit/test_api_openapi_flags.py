"""The OpenAPI document says what the API does since 2026-12-07 (a client generated from it relies
on it): every kind of Needs-attention flag the code writes is in the flag's enum, a credit to check
names its breach, and the routes of those changes say their new cases and status codes."""

from __future__ import annotations

import ast
import json
import logging
import re
from collections import defaultdict

from clausewatch.api import models, views
from tests.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "layers/core/python/clausewatch"
# flag dicts that carry a stored flag's kind on rather than write one: (module, the kind's expression)
KIND_PASSED_ON = {("pipeline/attention.py", "str(flag.get('kind') or 'review')"),
                  ("pipeline/record.py", "f.get('kind')")}
STRING_CONSTANT = re.compile(r'^([A-Z][A-Z0-9_]*)\s*(?::[^=\n]+)?=\s*"([^"\\\n]*)"', re.MULTILINE)  # NAME = "value"


def _document() -> dict:
    from clausewatch.api.app import OPENAPI_INFO, app

    return json.loads(app.get_openapi_json_schema(**OPENAPI_INFO))


def _operation(document: dict, method: str, path: str) -> dict:
    return document["paths"][path][method]


def _is_flag(node: ast.AST) -> bool:
    keys = {k.value for k in node.keys if isinstance(k, ast.Constant)} if isinstance(node, ast.Dict) else set()
    return {"kind", "message"} <= keys


def _kinds_written() -> set[str]:
    """Every Needs-attention kind the package writes, read from its source: the kind of each flag dict
    (``{"kind": ..., "message": ...}``), a literal or a constant, or, when the kind is a parameter
    of the function building the flag, what each call in its module passes; a kind it cannot tell
    fails the test (a new flag written some other way is read here too)."""
    sources = {path.relative_to(PACKAGE).as_posix(): path.read_text() for path in PACKAGE.rglob("*.py")}
    constants = {module: dict(STRING_CONSTANT.findall(source)) for module, source in sources.items()}
    trees = {module: ast.parse(source) for module, source in sources.items()
             if re.search(r"[\"']kind[\"']\s*:", source)}  # parsing only the modules that may write a flag
    everywhere: dict[str, set[str]] = defaultdict(set)
    for named in constants.values():
        for name, value in named.items():
            everywhere[name].add(value)

    def value_of(module: str, node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if name in constants[module]:
            return constants[module][name]
        return next(iter(everywhere[name])) if name is not None and len(everywhere[name]) == 1 else None

    kinds, untold = set(), []
    for module, tree in trees.items():
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for flag in filter(_is_flag, ast.walk(tree)):
            kind = next(v for k, v in zip(flag.keys, flag.values) if isinstance(k, ast.Constant) and k.value == "kind")
            if (module, ast.unparse(kind)) in KIND_PASSED_ON:
                continue
            if (said := value_of(module, kind)) is not None:
                kinds.add(said)
                continue
            function = parents.get(flag)
            while function is not None and not isinstance(function, ast.FunctionDef):
                function = parents.get(function)
            params = [a.arg for a in function.args.args] if function is not None else []
            if not isinstance(kind, ast.Name) or kind.id not in params:
                untold.append(f"{module}:{flag.lineno}")
                continue
            at = params.index(kind.id)
            for call in ast.walk(tree):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == function.name:
                    passed = call.args[at] if len(call.args) > at else \
                        next((k.value for k in call.keywords if k.arg == kind.id), None)
                    said = None if passed is None else value_of(module, passed)
                    kinds.add(said) if said is not None else untold.append(f"{module}:{call.lineno}")
    assert not untold, f"flag kinds this test cannot read: {untold}"
    return kinds


def test_every_flag_kind_the_code_writes_is_in_the_documents_enum_with_its_meaning():
    attention = _document()["components"]["schemas"]["Attention"]
    kinds = attention["properties"]["kind"]["enum"]
    written = _kinds_written()
    assert {"not_a_contract", "amendment_order_unknown", "amended_term_takes_effect_later", "credit_to_check",
            "metadata_refused", "impossible_date"} <= written  # the scan reads each way a flag is written
    assert written <= set(kinds), sorted(written - set(kinds))
    assert set(kinds) == set(models.ATTENTION_KINDS)
    described = attention["properties"]["kind"]["description"]
    assert "a number and no signing date beside one with a signing date and no number" in described
    assert "(cap_unclear)" in described and "counted from the incident or in hours" in described
    assert "finding_id" in attention["properties"]
    assert "a client treats a value it does not know as review" in described
    assert "amendment_id, or its own id on the amendment itself" in described


def test_a_flag_of_a_kind_the_api_does_not_name_is_shown_as_review_with_its_message(caplog):
    with caplog.at_level(logging.WARNING, logger="clausewatch.api.views"):
        flag = views.attention({"kind": "some_later_kind", "message": "look at this", "candidates": []})
    assert (flag.kind, flag.stored_kind, flag.message) == ("review", "some_later_kind", "look at this")
    assert [r.stored_kind for r in caplog.records] == ["some_later_kind"]
    assert "some_later_kind" in caplog.records[0].getMessage()
    credit = views.attention({"kind": "credit_to_check", "term": "service_credit_tiers", "finding_id": "f1",
                              "message": "cap unclear", "candidates": []})
    assert (credit.kind, credit.finding_id, credit.stored_kind) == ("credit_to_check", "f1", None)


def test_the_amendment_check_says_the_split_flag_and_the_409_of_one_an_entry_settled():
    operation = _operation(_document(), "post", "/contracts/{contract_id}/amendment-checked")
    assert "a number and no day signed beside one with a day signed and no number" in operation["description"]
    assert "409 for one an entry of the terms it names settled" in operation["description"]
    assert {"400", "409"} <= set(operation["responses"])


def test_a_done_says_each_day_it_refuses_the_proof_it_needs_and_each_409():
    document = _document()
    operation = _operation(document, "post", "/contracts/{contract_id}/obligations/{obligation_id}/complete")
    assert "not before the term's last day" in operation["description"]
    assert "another write of it in flight" in operation["description"]
    assert {"400", "409"} <= set(operation["responses"])
    done_on = document["components"]["schemas"]["CompleteRequest"]["properties"]["done_on"]
    assert "400: a term does not end before it" in done_on["description"]
    for refusal in ("not before the day \"do not renew\" was decided", "not before the contract's effective date"):
        assert refusal in done_on["description"] and refusal in operation["description"]
    assert "400 without evidence_key" in operation["description"]


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
