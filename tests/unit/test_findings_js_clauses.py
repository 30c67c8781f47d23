"""The Money page's clause cell (web/static/findings.js `clauseCell`, run under node with its DOM helper
stubbed): each clause says the document it is quoted from, an amendment's file and page
("amendment-2.pdf, page 1"), so an added fee's clause is not read as the contract's page 1; a line
billing the contract's fee and an added fee together shows both clauses."""

from __future__ import annotations

import pytest

from tests.unit.static_js import node_runner

# app.js touches the DOM when imported: findings.js is run beside a stub whose el() builds plain nodes
STUB = """export const api = null, busy = null, contractLink = null, enterPresses = null, segment = null, status = null;
export function day(d) { return d; }
export function el(tag, attrs = {}, ...children) {
  return { tag, cls: attrs.class || "", children: children.flat().filter((c) => c !== null && c !== undefined) };
}
"""
RUN = """import { clauseCell } from "./findings.js";
const text = (n) => typeof n === "string" ? n : n.children.map(text).join(" | ");
const finding = JSON.parse(process.argv[2]);
console.log(JSON.stringify(text(clauseCell(finding))));
"""
CONTRACT = {"page": 4, "start": 10, "end": 50, "text": "Subscription Fees: USD 1,000 per month.", "document": None,
            "source_contract_id": None}
AMENDMENT = {"page": 1, "start": 0, "end": 64, "text": "Amendment No. 2 adds a Premium Support fee of USD 200 per month.",
             "document": "amendment-2.pdf", "source_contract_id": "a2"}


@pytest.fixture(scope="module")
def cell(tmp_path_factory):
    return node_runner(tmp_path_factory.mktemp("findings_js"), "findings.js", STUB, RUN)


def test_an_amendments_clause_names_its_file_beside_its_page(cell):
    assert cell({"evidence": AMENDMENT, "clauses": [AMENDMENT]}) == (
        f'"{AMENDMENT["text"]}" | amendment-2.pdf, page 1')


def test_a_combined_lines_two_clauses_are_both_shown_each_with_its_document(cell):
    assert cell({"evidence": CONTRACT, "clauses": [CONTRACT, AMENDMENT]}) == (
        f'"{CONTRACT["text"]}" | page 4 | "{AMENDMENT["text"]}" | amendment-2.pdf, page 1')


def test_a_contracts_own_clause_names_the_contracts_file_as_the_api_gives_it(cell):
    own = {**CONTRACT, "document": "saas-subscription.pdf", "source_contract_id": "c1"}
    assert cell({"evidence": own, "clauses": [own, AMENDMENT]}) == (
        f'"{CONTRACT["text"]}" | saas-subscription.pdf, page 4 | "{AMENDMENT["text"]}" | amendment-2.pdf, page 1')


def test_a_contracts_own_clause_and_none(cell):
    assert cell({"evidence": CONTRACT}) == f'"{CONTRACT["text"]}" | page 4'  # an API reply without clauses
    assert cell({"evidence": None, "clauses": []}) == "-"
