"""`clausewatch extract`: readable summary, JSON, text and PDF input, unreadable uploads."""

from __future__ import annotations

import json

import pytest

from clausewatch import cli
from clausewatch.extract.cli import main
from tests.paths import SAMPLES

CONTRACT = (
    'SUPPLY AGREEMENT\nThis Supply Agreement (the "Agreement") is made as of 03/01/2025 (the "Effective Date") '
    'by and between Granite Ridge Polymers, LLC ("Supplier") and Brightwater Home Products, Inc. ("Buyer").\n'
    "1. Term. This Agreement shall continue for two (2) years from the Effective Date and shall renew "
    "automatically for successive one (1) year periods unless either party gives notice of non-renewal at "
    "least ninety (90) days before the end of the then-current term.\n\f"
    "2. Governing Law. This Agreement shall be governed by the laws of the State of Delaware.\n"
)


@pytest.fixture
def contract_txt(tmp_path):
    path = tmp_path / "supply.txt"
    path.write_text(CONTRACT, encoding="utf-8")
    return path


def test_summary_shows_value_derivation_and_clause(contract_txt, capsys):
    assert main([str(contract_txt)]) == 0
    out = capsys.readouterr().out
    assert "supply.txt: 2 page(s), contract" in out
    assert "expiration_date: 2027-02-28" in out
    assert "= effective_date 2025-03-01 + P2Y - 1 day" in out
    assert "notice_deadline: 2026-11-30" in out
    assert "governing_law: Delaware" in out
    assert "page 2:" in out
    assert "Granite Ridge Polymers, LLC (Supplier)" in out


def test_json_output_and_date_order(contract_txt, capsys):
    assert main([str(contract_txt), "--json", "--date-order", "DMY"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == "supply.txt" and data["pages"] == 2
    assert data["terms"]["effective_date"]["value"] == "2025-01-03"  # 03/01/2025 read day first
    pages = CONTRACT.split("\f")
    e = data["terms"]["governing_law"]["evidence"]
    assert pages[e["page"] - 1][e["start"]:e["end"]] == e["text"]


def test_dispatcher_runs_extract(contract_txt, capsys):
    assert cli.main(["extract", str(contract_txt), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["terms"]["renewal_term"]["value"] == "P1Y"


def test_pdf_input(capsys):
    pdf = SAMPLES / "mutual-nda.pdf"
    if not pdf.is_file():
        pytest.skip("samples/mutual-nda.pdf not present")
    assert main([str(pdf), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["terms"]["expiration_date"]["value"] == "2027-02-19"


def test_unreadable_pdf_exits_2_with_its_reason(tmp_path, capsys):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"<!DOCTYPE html><html><body>Session expired</body></html>")
    assert main([str(bad)]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "bad.pdf" in err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
