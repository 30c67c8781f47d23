"""QA5 10a on real contracts: the "does not read as a contract" flag (extract/contract_language.py)
flags none of CUAD's 410 contracts (their text conversion, read as one page)."""

from __future__ import annotations

from clausewatch.extract import extract_contract
from clausewatch.extract.contract_language import NOT_A_CONTRACT


def test_no_cuad_contract_is_flagged_as_not_a_contract(cuad):
    files = sorted((cuad / "txt").glob("*.txt"))
    assert len(files) == 410
    flagged = [f.name for f in files
               if any(flag["kind"] == NOT_A_CONTRACT
                      for flag in extract_contract([f.read_text(errors="replace")], source=f.name).attention)]
    assert flagged == []
